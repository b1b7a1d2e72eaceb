"""Needs per municipality: the figures the needs map colours by, and the drill-down's comparisons.

Everything is one ``groupby`` over the filtered needs (vectorised), so a filter change costs
milliseconds even at national scale. A figure that cannot be computed is ``NaN`` ("no data"),
never zero: per 1,000 inhabitants without a population, a share without persons, a change
without a previous period.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.common.models import NeedType

METRICS = ("persons", "per_1000", "companies", "upskilling_share", "change")
COLUMNS = ["persons", "needs", "companies", "upskilling", "per_1000", "upskilling_share", "previous", "change"]


def previous_period(period: tuple[str, str], months: tuple[str, ...]) -> tuple[str, str] | None:
    """The same months a year earlier (like with like: seasons and all), of ``period`` as far as the register
    reaches (``compared_span``); None when the register does not cover them."""
    now = compared_span(period, months)
    if now is None:
        return None
    before = (pd.Period(now[0], "M") - 12, pd.Period(now[1], "M") - 12)
    if before[0] < pd.Period(months[0], "M"):
        return None
    return str(before[0]), str(before[1])


def compared_span(period: tuple[str, str], months: tuple[str, ...]) -> tuple[str, str] | None:
    """The part of ``period`` a change compares: up to the register's last month (months without data yet would
    be compared with months that have it)."""
    if not months:
        return None
    start, end = pd.Period(period[0], "M"), min(pd.Period(period[1], "M"), pd.Period(months[-1], "M"))
    return (str(start), str(end)) if start <= end else None


def _positions(municipality: pd.Series, codes: list[str]) -> np.ndarray:
    """Each row's position in ``codes`` (-1 when not there), through the categorical codes, so the
    work is per category rather than per row."""
    column = municipality if isinstance(municipality.dtype, pd.CategoricalDtype) else municipality.astype("category")
    lookup = pd.Index(codes).get_indexer(column.cat.categories.astype(str))
    return np.append(lookup, -1)[column.cat.codes.to_numpy()]  # code -1 (missing) maps to the appended -1


def _counts(needs: pd.DataFrame, codes: list[str]) -> tuple[np.ndarray, ...]:
    """Persons, needs, companies and upskilling persons per municipality of ``codes`` (numpy
    ``bincount``: pandas' groupby costs ~20 ms in overhead even on a hundred rows)."""
    n = len(codes)
    pos = _positions(needs["municipality_code"], codes)
    keep = pos >= 0
    pos = pos[keep]
    persons = needs["persons"].to_numpy()[keep].astype("float64")
    upskilling = persons * (needs["need_type"].to_numpy()[keep] == NeedType.UPSKILLING.value)
    company = pd.factorize(needs["company_id"].to_numpy()[keep])[0]
    pairs = np.unique(np.stack([pos, company]), axis=1) if len(pos) else np.empty((2, 0), "int64")
    return (
        np.bincount(pos, weights=persons, minlength=n),
        np.bincount(pos, minlength=n).astype("float64"),
        np.bincount(pairs[0].astype("int64"), minlength=n).astype("float64"),
        np.bincount(pos, weights=upskilling, minlength=n),
    )


def table(
    selected: pd.DataFrame,
    codes: list[str],
    population: Mapping[str, int],
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per municipality code in ``codes`` (zero where no need matches), every metric."""
    persons, needs, companies, upskilling = _counts(selected, codes)
    pop = np.array([population.get(c, np.nan) for c in codes], dtype="float64")
    previous_persons = _counts(previous, codes)[0] if previous is not None else np.full(len(codes), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns = {
            "persons": persons.astype("int64"),
            "needs": needs.astype("int64"),
            "companies": companies.astype("int64"),
            "upskilling": upskilling.astype("int64"),
            "per_1000": persons / pop * 1000,
            "upskilling_share": np.where(persons > 0, upskilling / persons, np.nan),
            "previous": previous_persons,
            "change": np.where(previous_persons > 0, (persons - previous_persons) / previous_persons, np.nan),
        }
    return pd.DataFrame(columns, index=pd.Index(codes, name="code"))[COLUMNS]


def area_summary(frame: pd.DataFrame, population: Mapping[str, int]) -> pd.Series:
    """The area as one row: counts as the mean per municipality, rates and shares over the whole area."""
    known = frame.index[frame.index.isin(list(population))]
    persons, previous = frame["persons"].sum(), frame["previous"].sum(min_count=1)
    pop_total = sum(population[c] for c in known)
    return pd.Series({
        "persons": frame["persons"].mean(),
        "needs": frame["needs"].mean(),
        "companies": frame["companies"].mean(),
        "upskilling": frame["upskilling"].mean(),
        "per_1000": frame.loc[known, "persons"].sum() / pop_total * 1000 if len(known) == len(frame) else np.nan,
        "upskilling_share": frame["upskilling"].sum() / persons if persons else np.nan,
        "previous": previous,
        "change": (persons - previous) / previous if previous and previous > 0 else np.nan,
    })


def company_mix(needs: pd.DataFrame) -> pd.DataFrame:
    """Companies with needs per municipality (rows) and industry group (columns), over the whole register."""
    companies = needs.drop_duplicates("company_id")
    return pd.crosstab(companies["municipality_code"].astype(str), companies["industry_group"].astype(str))


def sizes(codes: list[str], population: Mapping[str, int], mix: pd.DataFrame) -> dict[str, float]:
    """Inhabitants when every municipality's population is known; otherwise, for all alike, the
    number of companies in the register (a rough size where no population table is loaded)."""
    if all(c in population for c in codes):
        return {c: float(population[c]) for c in codes}
    counts = mix.sum(axis=1)
    return {c: float(counts.get(c, 0)) for c in codes}


def similar(code: str, candidates: list[str], mix: pd.DataFrame, size: Mapping[str, float], n: int = 3) -> list[str]:
    """The ``n`` candidates most like ``code`` (``mix`` as from ``company_mix``): difference in log10 size plus the industry mix's
    total-variation distance (half the sum of absolute share differences; 0 = same mix, 1 = disjoint).
    Ties are broken by code so the answer is deterministic."""
    others = [c for c in candidates if c != code and c in mix.index and c in size]
    if code not in mix.index or code not in size or not others:
        return []
    mix = mix.div(mix.sum(axis=1), axis=0)
    industry = (mix.loc[others] - mix.loc[code]).abs().sum(axis=1) / 2
    log_size = pd.Series({c: np.log10(max(size[c], 1)) for c in others})
    distance = industry + (log_size - np.log10(max(size[code], 1))).abs()
    ranked = pd.DataFrame({"code": others, "d": distance.reindex(others).to_numpy()}).sort_values(["d", "code"])
    return ranked["code"].head(n).tolist()
