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
