"""Checks on tables before they reach the register: every problem with its row and column.

A check returns a list of problems rather than raising at the first, so a user sees all that
is wrong with a file at once; a writer refuses the whole table if the list is not empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.models import NEED_ENUMS, Form, ProviderType

NEED_COLUMNS = [
    "id", "company_id", "municipality_code", "industry_group", "competence", "need_type", "persons",
    "horizon", "form", "level", "source", "collected_on", "broker", "status", "note",
]
OFFER_COLUMNS = [
    "offer_id", "title", "provider", "provider_type", "competence", "place_id", "centre_id", "form", "seats",
    "start", "weeks", "pace_pct", "is_real", "source",
]
COMPANY_COLUMNS = ["id", "name", "municipality_code", "sni_code", "industry_group", "size_class"]


@dataclass(frozen=True)
class Problem:
    row: int | None  # 1-based data row, None for the whole table
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"rad {self.row}" if self.row else "", self.column or "") if p)
        return f"{where}: {self.message}" if where else self.message


class InvalidTable(ValueError):
    def __init__(self, table: str, problems: list[Problem]):
        self.table = table
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (+{len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{table}: {len(problems)} problem(s): {shown}{more}")


def missing_columns(frame: pd.DataFrame, required: list[str]) -> list[Problem]:
    return [Problem(None, col, "column is missing") for col in required if col not in frame.columns]


def check_needs(needs: pd.DataFrame, known: dict[str, set[str]]) -> list[Problem]:
    """Problems in a needs table; ``known`` maps a column to its allowed codes."""
    problems = missing_columns(needs, NEED_COLUMNS)
    if problems:
        return problems
    allowed = {col: {e.value for e in enum} for col, enum in NEED_ENUMS.items()}
    allowed |= {col: values for col, values in known.items() if col in NEED_COLUMNS}
    for col, values in allowed.items():
        bad = ~needs[col].astype(str).isin(values)
        problems += [Problem(i + 1, col, f"unknown value {v!r}") for i, v in zip(bad[bad].index, needs.loc[bad, col])]
    persons = pd.to_numeric(needs["persons"], errors="coerce")
    bad = persons.isna() | (persons < 1)
    problems += [Problem(i + 1, "persons", "must be a whole number of at least 1") for i in bad[bad].index]
    dates = pd.to_datetime(needs["collected_on"], errors="coerce")
    problems += [Problem(i + 1, "collected_on", "not a date") for i in dates[dates.isna()].index]
    return problems


def check_offers(offers: pd.DataFrame, known: dict[str, set[str]]) -> list[Problem]:
    """Problems in an offers table (competence may be empty: a programme outside the catalogue)."""
    problems = missing_columns(offers, OFFER_COLUMNS)
    if problems:
        return problems
    allowed = {
        "provider_type": {p.value for p in ProviderType},
        "form": {f.value for f in Form},
        "competence": known.get("competence", set()) | {""},
    }
    if "place_id" in known:
        allowed["place_id"] = known["place_id"] | {""}
    for col, values in allowed.items():
        bad = ~offers[col].fillna("").astype(str).isin(values)
        problems += [Problem(i + 1, col, f"unknown value {v!r}") for i, v in zip(bad[bad].index, offers.loc[bad, col])]
    seats = pd.to_numeric(offers["seats"], errors="coerce")
    problems += [Problem(i + 1, "seats", "must be a whole number of at least 1") for i in seats[~(seats >= 1)].index]
    on_site = offers["form"] != "distance"
    homeless = on_site & offers["place_id"].fillna("").eq("")
    problems += [Problem(i + 1, "place_id", "an on-site or blended offer needs a place") for i in homeless[homeless].index]
    dupes = offers["offer_id"].duplicated()
    problems += [Problem(i + 1, "offer_id", "appears twice") for i in dupes[dupes].index]
    return problems
