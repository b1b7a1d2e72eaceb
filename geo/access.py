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
    ids = matrix.place_ids
    order = pd.Index(places["place_id"]).get_indexer(ids)
    counts = people.to_numpy()[pd.Index(people.index).get_indexer(ids)] if len(people) else np.zeros(len(ids))
    columns: dict[str, object] = {"place_id": ids}
    columns |= {col: places[col].to_numpy()[order] for col in ("name", "municipality_code", "lat", "lon")}
    columns["population"] = np.where(pd.isna(counts), 0, counts).astype(int)
    for mode in MODES:
        minutes, where = nearest(matrix, mode, targets)
        columns[f"minutes_{mode}"] = minutes
        columns[f"nearest_{mode}"] = np.where(where >= 0, np.array(ids)[np.maximum(where, 0)], "")
    return pd.DataFrame(columns)


def municipality_table(by_place: pd.DataFrame, thresholds: Iterable[int] = THRESHOLDS) -> pd.DataFrame:
    """Per municipality: population, weighted mean minutes and people/share within each threshold.

    Sums with numpy ``bincount``: this runs for every competence and threshold, and a pandas
    groupby costs ~15 ms a call even on 30 rows."""
    frame = by_place[by_place["population"] > 0]
    codes, group = np.unique(frame["municipality_code"].to_numpy(str), return_inverse=True)
    people = frame["population"].to_numpy(float)
    total = np.bincount(group, weights=people, minlength=len(codes))
    out: dict[str, object] = {"municipality_code": codes, "population": total.astype(int)}
    for mode in MODES:
        minutes = frame[f"minutes_{mode}"].to_numpy(float)
        finite = np.isfinite(minutes)
        weight = np.bincount(group, weights=people * finite, minlength=len(codes))
        summed = np.bincount(group, weights=np.where(finite, people * minutes, 0.0), minlength=len(codes))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"mean_{mode}"] = np.where(weight > 0, summed / weight, np.inf)
        for limit in thresholds:
            covered = np.bincount(group, weights=people * (minutes <= limit), minlength=len(codes))
            out[f"people_{mode}_{limit}"] = covered.round().astype(int)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[f"share_{mode}_{limit}"] = np.where(total > 0, covered / total, np.nan)
    return pd.DataFrame(out)


def mean_minutes(by_municipality: pd.DataFrame, mode: str) -> float:
    """The area's population-weighted mean minutes to the nearest target, over the municipalities that
    reach one; NaN ("no target within reach") when none does. Unreachable is never counted as 0 minutes."""
    minutes = by_municipality[f"mean_{mode}"].to_numpy(float)
    people = by_municipality["population"].to_numpy(float)
    finite = np.isfinite(minutes) & (people > 0)
    return float(np.average(minutes[finite], weights=people[finite])) if finite.any() else float("nan")


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
    return offer_places_by_competence(offers).get(competence, [])


def offer_places_by_competence(offers: pd.DataFrame) -> dict[str, list[str]]:
    held = offers[offers["place_id"].fillna("").ne("") & (offers["form"] != "distance")]
    out: dict[str, set[str]] = {}
    for competence, place in zip(held["competence"], held["place_id"]):
        out.setdefault(competence, set()).add(place)
    return {c: sorted(p) for c, p in out.items()}


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


def minutes_from(matrix: Matrix, mode: str, origins: Iterable[str]) -> pd.DataFrame:
    """Per place (index ``place_id``): the fewest ``minutes`` by ``mode`` from one of ``origins`` (inf: none of them in
    the matrix, or no route) and whether that pair is ``measured`` (imported) rather than the model's."""
    idx = matrix.index()
    rows = [idx[o] for o in origins if o in idx]
    n = len(matrix.place_ids)
    if not rows:
        return pd.DataFrame({"minutes": np.full(n, np.inf), "measured": np.zeros(n, dtype=bool)},
                            index=pd.Index(matrix.place_ids, name="place_id"))
    block = matrix.minutes(mode)[rows]
    best = np.argmin(block, axis=0)
    cols = np.arange(n)
    return pd.DataFrame({"minutes": block[best, cols], "measured": matrix.measured[rows][best, cols]},
                        index=pd.Index(matrix.place_ids, name="place_id"))
