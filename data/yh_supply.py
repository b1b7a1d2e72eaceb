"""The real YH supply around Fyrbodal, shipped: read ``yh_supply.csv`` and its companions."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache

import numpy as np
import pandas as pd

from core.exchange.supply import Municipalities
from data import reference


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(reference.HERE / name, dtype=str, keep_default_na=False)


@cache
def swedish_municipalities() -> pd.DataFrame:
    """All 290 municipalities of Sweden: ``code`` (SCB), ``name``, ``county_code``, ``county``, ``source``."""
    return _read("swedish_municipalities.csv")


@cache
def municipality_aliases() -> pd.DataFrame:
    """Localities MYH writes in the Kommun column instead of a municipality (``alias``, ``municipality_code``, ...)."""
    return _read("municipality_aliases.csv")


def municipality_lookup() -> Municipalities:
    """Names to SCB codes for the supply readers: Sweden's 290 municipalities and the aliases above."""
    return Municipalities.from_frames(swedish_municipalities(), municipality_aliases())


def read_myh(raw: bytes) -> pd.DataFrame:
    """An MYH results workbook (bytes) as the tidy supply frame (``core.exchange.myh.read``), or ``SupplyProblems``
    (``Refused`` for a file that is no readable spreadsheet). The target the file worker runs (``services.reading``):
    bytes in, a frame of text out; ``source_file`` is left for the caller to fill."""
    from core.exchange import myh, spreadsheet

    return myh.read(spreadsheet.read(raw), "", municipality_lookup())


def read_skolverket(raw: bytes) -> pd.DataFrame:
    """Skolverket's planned adult education (the API's JSON pages, bytes) as the tidy supply frame
    (``core.exchange.skolverket.read``), or ``SupplyProblems``. A file worker's target, like ``read_myh``."""
    from core.exchange import skolverket

    return skolverket.read(raw, "", municipality_lookup())


SEATS = tuple(f"seats_intake_{k}" for k in range(1, 6))
WHOLE = ("round", "municipalities", "yh_points", "pace_pct", "intakes", "first_intake_year", "last_intake_year",
         "seats_per_intake", *SEATS, "seats_total", "source_row")


@cache
def yh_supply() -> pd.DataFrame:
    """The vocational-college (YH) programmes and courses MYH granted in the rounds of 2022-2024 with a study place in
    Fyrbodal or within reach of it (``yh_reach``), one row per programme or course **and study municipality**.

    Built by ``python -m data.build_yh_supply`` from MYH's published workbooks; each row names its source.

    - ``kind``: ``program`` or ``course``; ``round``: the application year N (int). A programme granted in round N
      has its intake k (1-5) in year N+k; a course granted in round N starts in N or N+1.
    - ``diarienummer`` (MYH's id, e.g. ``MYH 2024/3281``), ``title``, ``provider``, ``education_area``
      (utbildningsområde), ``sun5_code`` and ``sun5_name`` (SUN5 inriktning; ``""`` for 2022 and for courses, whose
      files carry none).
    - ``municipality_code`` (SCB, str) and ``municipality_name`` (as MYH wrote it), ``in_fyrbodal`` (bool),
      ``minutes_pt`` (float: the travel model's public-transport minutes from the nearest Fyrbodal locality, 0 in
      Fyrbodal), ``from_place`` (that locality).
    - ``several_municipalities`` (bool) and ``municipalities`` (int): a programme run in several municipalities has one
      row in each. **Its seats are the whole programme's, on every row**: count seats over ``programmes()``, or
      over the rows of one municipality, never summed over a programme's rows.
    - ``yh_points`` (int), ``study_form`` (``bunden``/``distans``; ``""`` for courses), ``pace_pct`` (Int64, NA for
      courses), ``intakes`` (int, granted), ``first_intake_year``/``last_intake_year`` (int), ``seats_per_intake``,
      ``seats_intake_1`` … ``seats_intake_5`` (int; intake k in ``first_intake_year + k - 1``), ``seats_total``.
    - ``competence``: the catalogue competence (``""``: outside the catalogue), ``competence_reason`` (the SUN5 field
      or the title that links it, or why it is outside).
    - ``source_file``, ``source_sheet``, ``source_row``, ``source``.
    """
    frame = _read("yh_supply.csv")
    for column in WHOLE:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    frame["minutes_pt"] = frame["minutes_pt"].astype(float)
    for column in ("in_fyrbodal", "several_municipalities"):
        frame[column] = frame[column] == "yes"
    return frame


def programmes() -> pd.DataFrame:
    """One row per programme or course (the first of its rows), with ``municipality_codes`` (";"-joined) and
    ``in_fyrbodal`` true when any of its study municipalities is one of the 14: the frame to sum seats over."""
    frame = yh_supply()
    codes = frame.groupby("diarienummer")["municipality_code"].agg(lambda c: ";".join(sorted(c)))
    fyrbodal = frame.groupby("diarienummer")["in_fyrbodal"].any()
    first = frame.drop_duplicates("diarienummer").set_index("diarienummer")
    first["municipality_codes"] = codes
    first["in_fyrbodal"] = fyrbodal
    return first.reset_index()


def seats_by_year(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The intakes as rows: one per row of ``frame`` (default ``programmes()``, so no programme's seats count twice)
    and intake with seats, with ``year`` and ``seats`` beside the row's columns (the seats columns left out)."""
    frame = programmes() if frame is None else frame
    keep = [c for c in frame.columns if c not in SEATS]
    parts = []
    for k, column in enumerate(SEATS):
        part = frame[frame[column] > 0][keep].copy()
        part["year"] = frame.loc[part.index, "first_intake_year"] + k
        part["seats"] = frame.loc[part.index, column]
        parts.append(part)
    return pd.concat(parts).sort_values(["year", "diarienummer", "municipality_code"], ignore_index=True)


@cache
def yh_reach() -> pd.DataFrame:
    """Every Swedish municipality with whether its study places are within reach of Fyrbodal (``within_reach``,
    bool), the modelled public-transport minutes from the nearest Fyrbodal locality (``minutes_pt``, NaN where no town
    of it is in the network), that locality, the town, and the ``basis`` of the decision (``python -m geo.reach``)."""
    frame = _read("yh_reach.csv")
    frame["minutes_pt"] = pd.to_numeric(frame["minutes_pt"].replace("", None)).astype(float)
    frame["nearest_km"] = frame["nearest_km"].astype(float)
    for column in ("in_fyrbodal", "within_reach"):
        frame[column] = frame[column] == "yes"
    return frame


# --- the supply as the register's offers (what the pages read) ---

OFFER_COLUMNS = ("offer_id", "title", "provider", "provider_type", "competence", "place_id", "centre_id", "form", "seats",
                 "start", "weeks", "pace_pct", "is_real", "source", "origin", "municipality_code", "minutes_pt",
                 "intake_years", "round_label", "diarienummer")


@cache
def study_places() -> dict[str, str]:
    """Per SCB code, the place of the app's travel matrix where a study place in that municipality is put: the central
    locality of each of the 14, and the place of the same name beyond Fyrbodal (Göteborg, Karlstad); no other."""
    places, municipalities = reference.places(), reference.municipalities()
    key = dict(zip(zip(places["municipality_code"], places["name"]), places["place_id"]))
    out = {c: key[(c, n)] for c, n in zip(municipalities["code"], municipalities["central_locality"]) if (c, n) in key}
    beyond = places[places["country"].eq("SE") & places["municipality_code"].eq("")]
    by_name = dict(zip(swedish_municipalities()["name"], swedish_municipalities()["code"]))
    out |= {by_name[n]: p for n, p in zip(beyond["name"], beyond["place_id"]) if n in by_name}
    return out


def linked(rows: pd.DataFrame) -> pd.DataFrame:
    """A round read by the supply readers (text columns, ``core.exchange.supply.COLUMNS``) as ``yh_supply()`` gives
    the shipped rows: only study places within reach, with ``in_fyrbodal``, ``minutes_pt``, ``from_place`` and the
    catalogue competence by the same rules (``data/yh_competence_rules.csv``)."""
    from data import build_yh_supply

    reach = yh_reach().set_index("code")
    within = rows[rows["municipality_code"].map(reach["within_reach"]).fillna(False).astype(bool)].copy()
    rules = build_yh_supply.rules()
    found = [build_yh_supply.link(r, rules) for _, r in within.iterrows()]
    within["competence"] = [c for c, _ in found]
    within["competence_reason"] = [w for _, w in found]
    within["in_fyrbodal"] = within["municipality_code"].map(reach["in_fyrbodal"]).astype(bool)
    within["minutes_pt"] = [0.0 if f else m for f, m in zip(within["in_fyrbodal"], within["municipality_code"].map(reach["minutes_pt"]))]
    within["from_place"] = within["municipality_code"].map(reach["from_place"]).where(~within["in_fyrbodal"], "")
    return within


def _whole(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype(str).replace({"": None, "<NA>": None, "nan": None}), errors="coerce")


def as_offers(rows: pd.DataFrame, today: dt.date, round_label: str = "") -> pd.DataFrame:
    """Supply rows (``yh_supply()``, or a stored round through ``linked``) as offers: one per programme or course (or
    Skolverket event), put at its study place nearest Fyrbodal (one in the app's travel matrix first), with the seats
    of one intake (MYH), the years of its intakes still to come, and its source: MYH's round and diarienummer (or
    Skolverket's event id) and the file. A programme whose last intake started before ``today``'s year, or an event
    that started before ``today``, is left out. ``round_label`` names the round ("" : MYH's application year)."""
    if rows.empty:
        return pd.DataFrame(columns=list(OFFER_COLUMNS))
    frame = rows.copy()
    places = study_places()
    frame["place_id"] = frame["municipality_code"].map(places).fillna("")
    frame["_far"] = frame["place_id"].eq("")
    frame["_minutes"] = pd.to_numeric(frame["minutes_pt"], errors="coerce").fillna(999.0)
    ident = frame["diarienummer"].astype(str).where(frame["diarienummer"].astype(str) != "", frame.get("event_id", ""))
    frame["_id"] = ident
    frame = frame.sort_values(["_id", "_far", "_minutes", "municipality_code"]).drop_duplicates("_id")
    myh = frame["source"].astype(str).str.startswith("Myndigheten") | frame["source"].astype(str).eq("MYH")
    first = _whole(frame["first_intake_year"])
    seats_k = [_whole(frame.get(f"seats_intake_{k}", pd.Series("", index=frame.index))).fillna(0) for k in range(1, 6)]
    years = [";".join(str(int(f) + k) for k in range(5) if seats_k[k].loc[i] > 0) if pd.notna(f) else ""
             for i, f in zip(frame.index, first)]
    points, pace = _whole(frame["yh_points"]), _whole(frame["pace_pct"]).fillna(100)
    start = pd.to_datetime(frame.get("start", pd.Series("", index=frame.index)).replace("", None), errors="coerce")
    out = pd.DataFrame({
        "offer_id": [("myh-" + i.removeprefix("MYH ").replace("/", "-")) if m else _event_offer_id(i)
                     for i, m in zip(frame["_id"], myh)],
        "title": frame["title"], "provider": frame["provider"],
        "provider_type": ["yh" if m or k == "yh" else "komvux" for m, k in zip(myh, frame["kind"])],
        "competence": frame["competence"].fillna(""), "place_id": frame["place_id"], "centre_id": "",
        "form": np.where(frame["study_form"].astype(str).eq("distans"), "distance", "on_site"),
        "seats": _whole(frame["seats_per_intake"]).fillna(0).astype(int),
        "start": start,
        "weeks": [int(round(p / 5 * 100 / q)) if pd.notna(p) and q else pd.NA for p, q in zip(points, pace)],
        "pace_pct": pace.astype(int), "is_real": True,
        "origin": np.where(myh, "myh", "skolverket"),
        "municipality_code": frame["municipality_code"], "minutes_pt": frame["_minutes"].where(frame["_minutes"] < 999),
        "intake_years": years,
        "round_label": [round_label or (f"MYH {'program' if k == 'program' else 'kurser'} {r}" if m else "Skolverket")
                        for m, k, r in zip(myh, frame["kind"], frame["round"].astype(str))],
        "diarienummer": frame["diarienummer"].astype(str),
    })
    out["source"] = [_source(r, o) for r, o in zip(frame.to_dict("records"), out.to_dict("records"))]
    out["weeks"] = out["weeks"].astype("Int64")
    last = [max((int(y) for y in ys.split(";")), default=None) if ys else None for ys in out["intake_years"]]
    still = [(y is None or y >= today.year) if o == "myh" else (pd.isna(s) or s.date() >= today)
             for y, o, s in zip(last, out["origin"], out["start"])]
    return out[still][list(OFFER_COLUMNS)].reset_index(drop=True)


def _event_offer_id(event_id: str) -> str:
    """A Skolverket event's offer id, at most 40 characters (the register's column): its id, or a digest of a longer
    one (cutting it would make two events one)."""
    text = f"sv-{event_id}"
    return text if len(text) <= 40 else "sv-" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:37]


def _source(row: dict, offer: dict) -> str:
    where = f"{row.get('source_file', '')}, {row.get('source_sheet', '')} row {row.get('source_row', '')}"
    if offer["origin"] == "myh":
        return f"{offer['round_label']}, {row['diarienummer']} ({where})"
    return f"Skolverket, planerad vuxenutbildning, {row.get('event_id', '')} ({where})"


def shipped_offers(today: dt.date) -> pd.DataFrame:
    """The shipped real supply (``yh_supply()``) as offers."""
    return as_offers(yh_supply(), today)
