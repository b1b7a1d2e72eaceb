"""The training supply as the agencies publish it, in one tidy shape: MYH's decisions on vocational-college (YH)
programmes and courses (``core.exchange.myh``) and Skolverket's planned adult education (``core.exchange.skolverket``).

Pure: the readers take text cells or bytes and a table of municipality names, and give one row per programme or
course and study municipality (``COLUMNS``), or raise ``SupplyProblems`` listing every problem found with where
(sheet, row, column; record, field) and why. Nothing here knows the register, the travel model or the catalogue.

Names to codes. The agencies write municipalities as names; the app keys them by SCB code. The readers are handed a
``Municipalities`` lookup (all 290 of Sweden, and the few localities MYH writes in their place, e.g. "Mölnlycke" for
Härryda): a name that is in neither is refused, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from core.common.text import has_unsafe

# One row per programme or course and study municipality. Seats are the whole programme's (MYH does not split them
# by municipality from 2023 on): never sum them over the rows of one programme.
COLUMNS = (
    "source",                 # "MYH" or "Skolverket"
    "kind",                   # "program", "course" (MYH); Skolverket: "yh", "vux" (gymnasial vuxenutbildning)
    "round",                  # MYH: the application year N (programmes' intakes start N+1); Skolverket: ""
    "diarienummer",           # MYH's diarienummer, "MYH 2024/3281"; Skolverket: ""
    "event_id",               # Skolverket's educationEventId, "e.myh.27538"; MYH: ""
    "title", "provider",
    "education_area",         # MYH's utbildningsområde; Skolverket: its typeOfSchool text
    "sun5_code", "sun5_name",  # SUN5 inriktning (MYH 2023 on); "" where the file has none
    "municipality_code", "municipality_name",  # SCB code; the name as written in the file
    "several_municipalities",  # "yes": one of several study municipalities (the seats are shared); "no"
    "municipalities",         # how many study municipalities the programme has
    "yh_points", "credits_text",  # YH points (MYH; Skolverket when creditsSystem is yh); other credits as "1400 gy"
    "study_form",             # "bunden" (on site) or "distans"
    "pace_pct",               # study pace, per cent of full time; "" unknown
    "intakes",                # intakes granted (MYH); "" for Skolverket
    "first_intake_year",      # the year of intake 1: N+1 for a programme granted in round N, N for a course
    "seats_per_intake",       # the most seats of any intake (the files of 2022-2024 grant every intake the same)
    *(f"seats_intake_{k}" for k in range(1, 6)),  # intake k starts in first_intake_year + k - 1
    "seats_total",
    "start",                  # Skolverket: semesterStartFrom (YYYY-MM-DD); "" for continuous intake or MYH
    "continuous_intake",      # Skolverket: "yes" when semesterStartFrom is null; MYH: ""
    "source_file", "source_sheet", "source_row",  # where the row was read (the row of the programme's own line)
)
INTEGER_COLUMNS = ("round", "municipalities", "yh_points", "pace_pct", "intakes", "first_intake_year", "seats_per_intake",
                   *(f"seats_intake_{k}" for k in range(1, 6)), "seats_total", "source_row")
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    where: str  # "sheet 'Tabell 3', row 17, column 'Kommun'", "record 3 (e.myh.1), field 'titleSv'", "the workbook"
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}"


class SupplyProblems(ValueError):
    """A supply file refused whole: every problem found (up to ``MAX_PROBLEMS``), each with where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        super().__init__(shown + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))


def name_key(name: str) -> str:
    """How names are compared: NFC, case-folded, inner whitespace as one space, outer trimmed."""
    return " ".join(unicodedata.normalize("NFC", str(name)).casefold().split())


@dataclass(frozen=True)
class Municipalities:
    """Sweden's municipalities by name and code, and the other names the files use for some of them."""

    names: Mapping[str, str]    # SCB code -> the municipality's name
    aliases: Mapping[str, str]  # a locality's name as MYH writes it -> the SCB code of its municipality

    @classmethod
    def from_frames(cls, municipalities: pd.DataFrame, aliases: pd.DataFrame | None = None) -> Municipalities:
        """From a frame with ``code`` and ``name`` and, optionally, one with ``alias`` and ``municipality_code``."""
        extra = {} if aliases is None else dict(zip(aliases["alias"], aliases["municipality_code"]))
        return cls(dict(zip(municipalities["code"], municipalities["name"])), extra)

    @cached_property
    def _by_key(self) -> dict[str, str]:
        return {name_key(a): c for a, c in self.aliases.items()} | {name_key(n): c for c, n in self.names.items()}

    def code(self, name: str) -> str | None:
        """The SCB code of a municipality's name (or of a locality MYH writes in its place), or None."""
        return self._by_key.get(name_key(name))


def frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as the tidy frame: every column of ``COLUMNS`` as text ("" for none), sorted by source, round, id and
    municipality so that the same file always gives the same frame."""
    out = pd.DataFrame(rows, columns=list(COLUMNS)).fillna("")
    out = out.astype(str)
    order = out.assign(_row=pd.to_numeric(out["source_row"], errors="coerce"))
    order = order.sort_values(["source", "kind", "round", "diarienummer", "event_id", "municipality_code", "_row"],
                              kind="stable")
    return order.drop(columns="_row").reset_index(drop=True)


def whole(text: str) -> int | None:
    """A whole number written as text ("25", "25.0", " 25 "), or None."""
    text = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    return None


def number(text: str) -> float | None:
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


def plain(text: object, limit: int = 300) -> str | None:
    """A text cell trimmed, or None when it is too long or holds control characters that change how text shows."""
    value = "" if text is None else str(text).strip()
    return None if len(value) > limit or has_unsafe(value) else value


# --- what changed between two rounds of one source ---

COMPARED = ("title", "provider", "study_form", "pace_pct", "yh_points", "intakes", "seats_per_intake", "seats_total",
            "start", "continuous_intake", "sun5_code")


def row_key(rows: pd.DataFrame) -> pd.Series:
    """A row's identity across rounds: its diarienummer or event id, and its study municipality."""
    ident = rows["diarienummer"].where(rows["diarienummer"] != "", rows["event_id"])
    return ident + " @ " + rows["municipality_code"]


def changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Rows ``added``, ``removed`` or ``changed`` (with ``fields``: "seats_total 25 -> 30; ...") from ``old`` to
    ``new``, keyed by ``row_key``; columns ``change``, ``key``, ``title``, ``municipality_code``, ``fields``."""
    a = old.assign(key=row_key(old)).set_index("key")
    b = new.assign(key=row_key(new)).set_index("key")
    out: list[dict[str, str]] = []
    for key in sorted(set(b.index) - set(a.index)):
        out.append({"change": "added", "key": key, "title": b.at[key, "title"],
                    "municipality_code": b.at[key, "municipality_code"], "fields": ""})
    for key in sorted(set(a.index) - set(b.index)):
        out.append({"change": "removed", "key": key, "title": a.at[key, "title"],
                    "municipality_code": a.at[key, "municipality_code"], "fields": ""})
    for key in sorted(set(a.index) & set(b.index)):
        moved = [f"{c} {a.at[key, c] or '—'} -> {b.at[key, c] or '—'}" for c in COMPARED
                 if c in a.columns and c in b.columns and str(a.at[key, c]) != str(b.at[key, c])]
        if moved:
            out.append({"change": "changed", "key": key, "title": b.at[key, "title"],
                        "municipality_code": b.at[key, "municipality_code"], "fields": "; ".join(moved)})
    return pd.DataFrame(out, columns=["change", "key", "title", "municipality_code", "fields"])
