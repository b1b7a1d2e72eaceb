"""The real YH supply around Fyrbodal, shipped: read ``yh_supply.csv`` and its companions."""

from __future__ import annotations

from functools import cache

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
