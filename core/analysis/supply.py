"""Demand against supply: persons in need per competence beside the seats within reach.

An offer held at a place (on site or blended) is within reach of a municipality when its place
lies within the chosen travel time of the municipality's central locality; ``reach`` maps each
municipality code to those places (see ``geo.access.reachable_places``). Distance offers are
within reach of everyone and are counted apart, as the issue asks. Seats are per intake; the
same seats can be within reach of several municipalities and count for each of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from core.common.models import Horizon, NeedType

BALANCE_COLUMNS = [
    "competence", "recruitment", "upskilling", *(f"h_{h.value}" for h in Horizon),
    "demand", "seats_reachable", "offers_reachable", "seats_distance", "gap",
]


def places_in_reach(reach: dict[str, set[str]], codes: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        out |= reach.get(code, set())
    return out


def reachable(offers: pd.DataFrame, places: set[str]) -> pd.Series:
    """True for offers held at one of ``places`` (distance offers are never 'reachable' here)."""
    return offers["form"].ne("distance") & offers["place_id"].isin(places)


def crosstab(rows: pd.Series, cols: pd.Series, values: pd.Series, row_keys: list[str], col_keys: list[str]) -> np.ndarray:
    """Sum of ``values`` per (row, column) key, as an array over the given keys (numpy: pandas'
    pivot_table costs ~20 ms per call even on small frames). Keys outside the lists are dropped."""
    r = pd.Index(row_keys).get_indexer(rows.astype(str))
    c = pd.Index(col_keys).get_indexer(cols.astype(str))
    keep = (r >= 0) & (c >= 0)
    out = np.zeros((len(row_keys), len(col_keys)), dtype=np.int64)
    np.add.at(out, (r[keep], c[keep]), values.to_numpy()[keep])
    return out


def _demand(needs: pd.DataFrame) -> pd.DataFrame:
    competences = sorted(needs["competence"].astype(str).unique())
    types, horizons = [t.value for t in NeedType], [h.value for h in Horizon]
    by_type = crosstab(needs["competence"], needs["need_type"], needs["persons"], competences, types)
    by_horizon = crosstab(needs["competence"], needs["horizon"], needs["persons"], competences, horizons)
    out = pd.DataFrame(by_type, index=pd.Index(competences, name="competence"), columns=types)
    out[[f"h_{h}" for h in horizons]] = by_horizon
    out["demand"] = by_type.sum(axis=1)
    return out


def balance(needs: pd.DataFrame, offers: pd.DataFrame, reach: dict[str, set[str]], codes: Iterable[str]) -> pd.DataFrame:
    """One row per competence with demand or supply, ranked by gap (demand minus reachable seats)."""
    places = places_in_reach(reach, codes)
    competence = offers["competence"].fillna("").to_numpy(str)
    distance = offers["form"].to_numpy(str) == "distance"
    near = (competence != "") & ~distance & np.isin(offers["place_id"].fillna("").to_numpy(str), list(places))
    far = (competence != "") & distance
    seats = offers["seats"].to_numpy(np.int64)
    out = _demand(needs)
    keys = sorted(set(out.index) | set(competence[near]) | set(competence[far]))
    out = out.reindex(keys, fill_value=0)
    at = pd.Index(keys).get_indexer(competence)
    out["seats_reachable"] = np.bincount(at[near], weights=seats[near], minlength=len(keys)).astype(int)
    out["offers_reachable"] = np.bincount(at[near], minlength=len(keys)).astype(int)
    out["seats_distance"] = np.bincount(at[far], weights=seats[far], minlength=len(keys)).astype(int)
    out["gap"] = out["demand"] - out["seats_reachable"]
    out = out.rename_axis("competence").reset_index()
    return out.sort_values(["gap", "demand", "competence"], ascending=[False, False, True], ignore_index=True)[BALANCE_COLUMNS]


def gap_matrix(needs: pd.DataFrame, offers: pd.DataFrame, reach: dict[str, set[str]], codes: list[str],
               competences: list[str]) -> pd.DataFrame:
    """Competence x municipality: persons in need there minus seats within reach of it."""
    demand = crosstab(needs["competence"], needs["municipality_code"], needs["persons"], competences, codes)
    return pd.DataFrame(demand - seats_near(offers, reach, codes, competences), index=pd.Index(competences, name="competence"),
                        columns=codes)


def seats_near(offers: pd.DataFrame, reach: dict[str, set[str]], codes: list[str], competences: list[str]) -> np.ndarray:
    """Competence x municipality: seats in on-site/blended offers within reach of each municipality."""
    offers = offers[offers["competence"].isin(competences) & offers["form"].ne("distance")]
    seats = np.zeros((len(competences), len(codes)), dtype=np.int64)
    row = pd.Index(competences).get_indexer(offers["competence"])
    for j, code in enumerate(codes):
        near = offers["place_id"].isin(reach.get(code, set())).to_numpy()
        np.add.at(seats[:, j], row[near], offers["seats"].to_numpy()[near])
    return seats


def drill(needs: pd.DataFrame, offers: pd.DataFrame, competence: str, places: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The needs and the offers behind one competence's bar (offers: reachable or distance)."""
    behind = needs[needs["competence"].astype(str) == competence]
    mine = offers[offers["competence"] == competence]
    return behind, mine[reachable(mine, places) | mine["form"].eq("distance")]


def balance_published(demand: pd.Series, offers: pd.DataFrame, reach: dict[str, set[str]], codes: Iterable[str]) -> pd.DataFrame:
    """``balance`` for the protected pages: ``demand`` is the release's persons per competence (NaN where
    protected); need types and horizons per competence are not published, so they are NaN."""
    fake = pd.DataFrame({"competence": pd.Series([], dtype=str), "need_type": pd.Series([], dtype=str),
                         "horizon": pd.Series([], dtype=str), "persons": pd.Series([], dtype="int64")})
    out = balance(fake, offers, reach, codes).set_index("competence")
    keys = sorted(set(out.index) | set(demand.index))
    out = out.reindex(keys)
    for column in out.columns:
        if column not in ("seats_reachable", "offers_reachable", "seats_distance"):
            out[column] = np.nan
    out[["seats_reachable", "offers_reachable", "seats_distance"]] = out[["seats_reachable", "offers_reachable", "seats_distance"]].fillna(0)
    out["demand"] = demand.reindex(keys).astype(float)
    out["gap"] = out["demand"] - out["seats_reachable"]
    out = out.rename_axis("competence").reset_index()
    return out.sort_values(["gap", "demand", "competence"], ascending=[False, False, True], ignore_index=True,
                           na_position="last")[BALANCE_COLUMNS]


# --- where real supply is missing (issue 33, point 4) ---

INTAKE_DAY = (9, 1)  # MYH publishes an intake's year only: the app dates it to 1 September of that year
REAL_ORIGINS = ("myh", "skolverket", "admin")
WHITE_COLUMNS = ["competence", "demand", "offers_near", "seats_near", "offers_distance", "seats_distance", "white_spot"]


def intake_within(offers: pd.DataFrame, first: dt.date, last: dt.date) -> pd.Series:
    """True for offers with an intake from ``first`` to ``last``: a start date in the window; for a YH programme
    (intake years, no date) an intake dated ``INTAKE_DAY`` of a year in it; an event with continuous intake
    (Skolverket, no start); an offer without start or intake years (an admin's, start not given) counts too."""
    out = []
    for start, years in zip(offers["start"], offers.get("intake_years", pd.Series("", index=offers.index)).fillna("")):
        if start is not None and pd.notna(start):
            out.append(first <= pd.Timestamp(start).date() <= last)
        elif years:
            out.append(any(first <= dt.date(int(y), *INTAKE_DAY) <= last for y in str(years).split(";")
                           if y.isdigit() and dt.MINYEAR <= int(y) <= dt.MAXYEAR))
        else:
            out.append(True)
    return pd.Series(out, index=offers.index, dtype=bool)


def white_spots(demand: pd.Series, offers: pd.DataFrame, places: set[str], first: dt.date, last: dt.date) -> pd.DataFrame:
    """Per competence with persons in need (``demand``, competence -> persons; NaN: not published, left out): the
    real offers (not examples) with an intake from ``first`` to ``last`` held at one of ``places`` (within the chosen
    travel time of the area's localities) and by distance, with their seats per intake, and ``white_spot``: needs
    with no such offer at all. Ranked white spots first, then by demand."""
    shown = demand.dropna()
    shown = shown[shown > 0]
    real = offers[offers["origin"].isin(REAL_ORIGINS) & offers["competence"].isin(shown.index)]
    real = real[intake_within(real, first, last)]
    near = real[reachable(real, places)]
    far = real[real["form"].eq("distance")]
    out = pd.DataFrame({"competence": shown.index.astype(str), "demand": shown.to_numpy()})
    for name, part in (("near", near), ("distance", far)):
        grouped = part.groupby("competence")["seats"]
        out[f"offers_{name}"] = out["competence"].map(grouped.size()).fillna(0).astype(int)
        out[f"seats_{name}"] = out["competence"].map(grouped.sum()).fillna(0).astype(int)
    out["white_spot"] = (out["offers_near"] == 0) & (out["offers_distance"] == 0)
    return out.sort_values(["white_spot", "demand", "competence"], ascending=[False, False, True],
                           ignore_index=True)[WHITE_COLUMNS]


# --- both travel modes side by side, and per municipality for the needs map ---

TRAVEL_MODES = ("pt", "car")
SPOT_STATES = ("white", "offered", "none", "protected")


def _real_in_window(offers: pd.DataFrame, competences: Iterable[str], first: dt.date, last: dt.date) -> pd.DataFrame:
    real = offers[offers["origin"].isin(REAL_ORIGINS) & offers["competence"].isin(list(competences))]
    return real[intake_within(real, first, last)]


def white_spots_by_mode(demand: pd.Series, offers: pd.DataFrame, times: dict[str, pd.DataFrame], limit: float,
                        first: dt.date, last: dt.date) -> pd.DataFrame:
    """``white_spots`` by public transport and by car side by side. ``times[mode]``: per ``place_id`` (index) the fewest
    ``minutes`` from one of the area's central localities and whether that pair is ``measured`` (imported) rather than
    modelled. Per competence with persons in need (NaN: not published, left out): ``offers_near_<mode>``,
    ``seats_near_<mode>``, ``nearest_<mode>`` (the fewest minutes to a real on-site or blended offer with an intake in
    the window, whatever the limit; NaN: none anywhere in the matrix), ``measured_<mode>`` and ``white_<mode>`` (no such
    offer within ``limit`` nor by distance); ``offers_distance``, ``seats_distance``. Ranked: white by public transport,
    white by car, demand."""
    out: pd.DataFrame | None = None
    real = _real_in_window(offers, demand.dropna().index, first, last)
    held = real[real["form"].ne("distance")]
    for mode in TRAVEL_MODES:
        table = times[mode]
        places = set(table.index[table["minutes"].to_numpy(float) <= limit])
        part = white_spots(demand, offers, places, first, last).set_index("competence")
        if out is None:
            out = part[["demand", "offers_distance", "seats_distance"]].copy()
        out[f"offers_near_{mode}"] = part["offers_near"]
        out[f"seats_near_{mode}"] = part["seats_near"]
        out[f"white_{mode}"] = part["white_spot"]
        minutes = held["place_id"].map(table["minutes"]).astype(float)
        measured = held["place_id"].map(table["measured"]).fillna(False).astype(bool)
        found = pd.DataFrame({"competence": held["competence"], "minutes": minutes, "measured": measured}).dropna()
        found = found[np.isfinite(found["minutes"])].sort_values(["competence", "minutes", "measured"])
        best = found.drop_duplicates("competence").set_index("competence")
        out[f"nearest_{mode}"] = best["minutes"].reindex(out.index)
        out[f"measured_{mode}"] = best["measured"].reindex(out.index).fillna(False).astype(bool)
    assert out is not None
    out = out.rename_axis("competence").reset_index()
    columns = ["competence", "demand", *(f"{c}_{m}" for m in TRAVEL_MODES
                                         for c in ("offers_near", "seats_near", "nearest", "measured", "white")),
               "offers_distance", "seats_distance"]
    return out.sort_values(["white_pt", "white_car", "demand", "competence"], ascending=[False, False, False, True],
                           ignore_index=True)[columns]


def white_spot_cells(demand: pd.DataFrame, offers: pd.DataFrame, reach: dict[str, set[str]], first: dt.date,
                     last: dt.date) -> pd.DataFrame:
    """Per municipality and competence, for the needs map: ``demand`` is competence x municipality code (persons; NaN
    where the release hides the figure). ``reach``: per municipality the places within the chosen travel time of its
    central locality. ``state``: ``white`` (persons in need, no real offer with an intake in the window within reach nor
    by distance), ``offered``, ``none`` (no persons in need) or ``protected`` (the figure is hidden: not judged, so the
    marking tells nothing about it). Only a shown figure decides a cell's state; the offers are public."""
    rows = []
    for code in demand.columns:
        column = demand[code]
        spots = white_spots(column, offers, reach.get(code, set()), first, last).set_index("competence")
        for competence, persons in column.items():
            if persons != persons:
                rows.append((code, competence, np.nan, 0, "protected"))
            elif persons <= 0:
                rows.append((code, competence, 0.0, 0, "none"))
            else:
                spot = spots.loc[competence]
                state = "white" if bool(spot["white_spot"]) else "offered"
                rows.append((code, competence, float(persons), int(spot["offers_near"] + spot["offers_distance"]), state))
    return pd.DataFrame(rows, columns=["code", "competence", "demand", "offers", "state"])


WHITE_COUNT_BOUNDS = (0, 1, 2, 4)  # classes of the map's "all competences": 0, 1, 2-3, 4 or more white spots


def white_spot_map(cells: pd.DataFrame, codes: list[str], competence: str | None) -> pd.DataFrame:
    """One row per municipality of ``codes`` (index ``code``) from ``white_spot_cells``: for one ``competence`` its
    ``state``, ``demand`` and ``offers``; for all (None) ``white`` (competences that are white spots there), ``persons``
    in them, ``protected`` (figures not judged) and ``cls``, the class of ``white`` by ``WHITE_COUNT_BOUNDS``.
    ``names`` lists the white competences, largest need first."""
    out = pd.DataFrame(index=pd.Index(codes, name="code"))
    if competence is not None:
        mine = cells[cells["competence"] == competence].set_index("code")
        out["state"] = mine["state"].reindex(out.index).fillna("none")
        out["demand"] = mine["demand"].reindex(out.index).fillna(0.0).where(out["state"] != "protected")
        out["offers"] = mine["offers"].reindex(out.index).fillna(0).astype(int)
        return out
    white = cells[cells["state"] == "white"].sort_values(["demand", "competence"], ascending=[False, True])
    out["white"] = white.groupby("code").size().reindex(out.index).fillna(0).astype(int)
    out["persons"] = white.groupby("code")["demand"].sum().reindex(out.index).fillna(0).astype(int)
    out["protected"] = cells[cells["state"] == "protected"].groupby("code").size().reindex(out.index).fillna(0).astype(int)
    out["cls"] = np.searchsorted(WHITE_COUNT_BOUNDS, out["white"].to_numpy(), side="right") - 1
    out["names"] = [white.loc[white["code"] == code, "competence"].tolist() for code in out.index]
    return out
