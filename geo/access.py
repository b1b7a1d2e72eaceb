"""Access to learning centres: minutes to the nearest one, and the share of people within reach.

People are counted at locality level: each municipality's population (31 Dec 2023) is spread
over its places in proportion to the places' GeoNames populations (residents outside the
localities are counted with them), so a municipality's places add up to its population. A
municipality's travel time is the population-weighted mean over its places.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.matrix import Matrix

THRESHOLDS = (30, 45, 60)
MODES = ("car", "pt")


def place_population(places: pd.DataFrame, population: dict[str, int]) -> pd.Series:
    """Inhabitants per place (index: place_id) summing exactly to each municipality's population."""
    out = pd.Series(0, index=places["place_id"], dtype="int64")
    for code, group in places[places["municipality_code"].isin(population.keys())].groupby("municipality_code"):
        weights = group["population"].to_numpy(float)
        share = weights / weights.sum() * population[code]
        counts = np.floor(share).astype(int)
        counts[np.argsort(-(share - counts), kind="stable")[: population[code] - counts.sum()]] += 1
        out[group["place_id"].to_numpy()] = counts
    return out


def nearest(matrix: Matrix, mode: str, targets: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """(minutes, index of the target place) from every place to its nearest target; inf/-1 if none."""
    idx = matrix.index()
    cols = sorted({idx[t] for t in targets if t in idx})
    n = len(matrix.place_ids)
    if not cols:
        return np.full(n, np.inf), np.full(n, -1)
    block = matrix.minutes(mode)[:, cols]
    best = np.argmin(block, axis=1)
    return block[np.arange(n), best], np.array(cols)[best]


def places_table(matrix: Matrix, places: pd.DataFrame, people: pd.Series, targets: Iterable[str]) -> pd.DataFrame:
    """Per place: population, minutes and nearest target place by car and by public transport."""
    targets = list(targets)
    frame = places.set_index("place_id").loc[matrix.place_ids, ["name", "municipality_code", "lat", "lon"]].reset_index()
    frame["population"] = people.reindex(frame["place_id"]).fillna(0).astype(int).to_numpy()
    for mode in MODES:
        minutes, where = nearest(matrix, mode, targets)
        frame[f"minutes_{mode}"] = minutes
        frame[f"nearest_{mode}"] = [matrix.place_ids[w] if w >= 0 else "" for w in where]
    return frame


def municipality_table(by_place: pd.DataFrame, thresholds: Iterable[int] = THRESHOLDS) -> pd.DataFrame:
    """Per municipality: population, weighted mean minutes and people/share within each threshold."""
    frame = by_place[by_place["population"] > 0]
    rows = []
    for code, group in frame.groupby("municipality_code", sort=True):
        people = group["population"].to_numpy()
        total = int(people.sum())
        row: dict[str, object] = {"municipality_code": code, "population": total}
        for mode in MODES:
            minutes = group[f"minutes_{mode}"].to_numpy()
            finite = np.isfinite(minutes)
            row[f"mean_{mode}"] = float(np.average(minutes[finite], weights=people[finite])) if finite.any() else np.inf
            for limit in thresholds:
                covered = int(people[minutes <= limit].sum())
                row[f"people_{mode}_{limit}"] = covered
                row[f"share_{mode}_{limit}"] = covered / total if total else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def overall(by_municipality: pd.DataFrame, thresholds: Iterable[int] = THRESHOLDS) -> dict[str, float]:
    """The area's shares within each threshold (people covered / population)."""
    total = by_municipality["population"].sum()
    return {
        f"share_{mode}_{limit}": float(by_municipality[f"people_{mode}_{limit}"].sum() / total) if total else np.nan
        for mode in MODES for limit in thresholds
    }


def centre_places(centres: pd.DataFrame, kinds: Iterable[str]) -> list[str]:
    """Places with at least one learning centre of the given kinds."""
    kinds = set(kinds)
    return sorted(set(centres.loc[centres["kind"].isin(kinds) & (centres["place_id"] != ""), "place_id"]))


def offer_places(offers: pd.DataFrame, competence: str) -> list[str]:
    """Places where a non-distance offer of ``competence`` is held."""
    held = offers[(offers["competence"] == competence) & offers["place_id"].fillna("").ne("") & (offers["form"] != "distance")]
    return sorted(set(held["place_id"]))


def home_places(municipalities: pd.DataFrame, places: pd.DataFrame) -> dict[str, str]:
    """Each municipality's central locality (as named in the municipalities table) as a place id."""
    key = dict(zip(zip(places["municipality_code"], places["name"]), places["place_id"]))
    return {code: key[(code, name)] for code, name in zip(municipalities["code"], municipalities["central_locality"])
            if (code, name) in key}


def reachable_places(matrix: Matrix, mode: str, limit: float, homes: dict[str, str]) -> dict[str, set[str]]:
    """Per municipality, the places within ``limit`` minutes of its central locality."""
    idx = matrix.index()
    minutes = matrix.minutes(mode)
    ids = np.array(matrix.place_ids)
    return {code: set(ids[minutes[idx[home]] <= limit]) for code, home in homes.items() if home in idx}
