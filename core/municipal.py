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

from core.models import NeedType

METRICS = ("persons", "per_1000", "companies", "upskilling_share", "change")
COLUMNS = ["persons", "needs", "companies", "upskilling", "per_1000", "upskilling_share", "previous", "change"]


def previous_period(period: tuple[str, str], months: tuple[str, ...]) -> tuple[str, str] | None:
    """The period of the same length just before ``period``; None when the register does not cover it."""
    start, end = pd.Period(period[0], "M"), pd.Period(period[1], "M")
    length = (end - start).n + 1
    before = (start - length, start - 1)
    if not months or before[0] < pd.Period(months[0], "M"):
        return None
    return str(before[0]), str(before[1])


def table(
    selected: pd.DataFrame,
    codes: list[str],
    population: Mapping[str, int],
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per municipality code in ``codes`` (zero where no need matches), every metric."""
    upskilling = selected["persons"].where(selected["need_type"] == NeedType.UPSKILLING.value, 0)
    grouped = (
        selected.assign(upskilling=upskilling, code=selected["municipality_code"].astype(str))
        .groupby("code", observed=True)
        .agg(persons=("persons", "sum"), needs=("persons", "size"), companies=("company_id", "nunique"),
             upskilling=("upskilling", "sum"))
    )
    frame = grouped.reindex(pd.Index(codes, name="code"), fill_value=0).astype("int64")
    pop = pd.Series(population, dtype="float64").reindex(frame.index)
    frame["per_1000"] = frame["persons"] / pop * 1000
    frame["upskilling_share"] = frame["upskilling"] / frame["persons"].where(frame["persons"] > 0)
    if previous is None:
        frame["previous"] = np.nan
    else:
        prev = previous.groupby(previous["municipality_code"].astype(str), observed=True)["persons"].sum()
        frame["previous"] = prev.reindex(frame.index, fill_value=0).astype("float64")
    frame["change"] = (frame["persons"] - frame["previous"]) / frame["previous"].where(frame["previous"] > 0)
    return frame[COLUMNS]


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
