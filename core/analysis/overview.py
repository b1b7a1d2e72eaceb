"""What the overview shows: headline figures and persons by competence, industry and time.

Functions take the filtered needs frame and return small frames or dataclasses; they never
know which chart or widget shows them. Everything is vectorised pandas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from core.common.models import NeedType


def prepare(needs: pd.DataFrame, sni_section_of: Callable[[str], str]) -> pd.DataFrame:
    """Add derived columns the filters need (``sni_section``), computed once per load."""
    codes = needs["sni_code"].astype(str)
    sections = {code: sni_section_of(code) for code in codes.unique()}
    return needs.assign(sni_section=codes.map(sections).astype("category"))


@dataclass(frozen=True)
class Kpis:
    needs: int
    persons: int
    companies: int
    upskilling_share: float | None  # of persons; None when there are none
    newest: dt.date | None
    oldest: dt.date | None


def kpis(needs: pd.DataFrame) -> Kpis:
    persons = int(needs["persons"].sum())
    upskilling = int(needs.loc[needs["need_type"] == NeedType.UPSKILLING.value, "persons"].sum())
    dates = needs["collected_on"]
    return Kpis(
        needs=len(needs),
        persons=persons,
        companies=int(needs["company_id"].nunique()),
        upskilling_share=upskilling / persons if persons else None,
        newest=dates.max().date() if len(needs) else None,
        oldest=dates.min().date() if len(needs) else None,
    )


def persons_by(needs: pd.DataFrame, column: str, top: int | None = None) -> pd.DataFrame:
    """Persons per value of ``column`` and need type, largest total first (long format)."""
    totals = needs.groupby(column, observed=True)["persons"].sum().sort_values(ascending=False)
    keep = totals.index[:top] if top else totals.index
    grouped = (
        needs[needs[column].isin(keep)]
        .groupby([column, "need_type"], observed=True)["persons"]
        .sum()
        .reset_index()
    )
    grouped[column] = pd.Categorical(grouped[column].astype(str), categories=[str(k) for k in keep], ordered=True)
    return grouped.sort_values([column, "need_type"]).reset_index(drop=True)


def persons_over_time(needs: pd.DataFrame) -> pd.DataFrame:
    """Persons per calendar quarter and need type; quarters with none are zero, not missing."""
    if needs.empty:
        return pd.DataFrame(columns=["quarter", "need_type", "persons"])
    quarter = needs["collected_on"].dt.to_period("Q")
    table = needs.groupby([quarter.rename("quarter"), "need_type"], observed=True)["persons"].sum().unstack(fill_value=0)
    full = pd.period_range(quarter.min(), quarter.max(), freq="Q")
    table = table.reindex(full, fill_value=0)
    table.index.name = "quarter"
    long = table.stack().rename("persons").reset_index()
    long["quarter"] = long["quarter"].astype(str)
    return long
