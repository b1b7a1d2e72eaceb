"""A round of Arbetsförmedlingen's Yrkesbarometer as the agency publishes it (``prognoser/yrkesbarometer.json``:
a JSON list with one flat object per occupation and area), read and checked whole before anything is stored.

Pure: bytes in, a frame of the rows the app keeps (Västra Götalands län, ``14``, and Sweden, ``00``) out, or
``BarometerProblems`` that say where and why. ``changes`` compares two rounds per occupation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from core.analysis.outlook import PROGNOSES, SITUATIONS
from core.common.text import has_unsafe

KEPT_AREAS = ("14", "00")  # Västra Götalands län, Sweden as a whole
COLUMNS = ("lan", "yb_concept_id", "yb_yrke", "yrkesomrade", "ssyk", "antal_ssyk", "jobbmojligheter", "rekryteringssituation",
           "prognos", "hogsta_bedomningsniva", "delvis_helt", "omgang", "taxonomi_version")
LEFT_OUT = ("del_av_ssyk", "ssyk_text", "yb_beskrivning", "paradox", "text_jobbmojligheter", "text_rekryteringssituation")
FIELDS = frozenset(COLUMNS + LEFT_OUT)
REQUIRED = frozenset(("lan", "yb_concept_id", "yb_yrke", "ssyk", "rekryteringssituation", "prognos", "omgang"))
ALLOWED = {  # None (JSON null) is allowed for each: the occupation was not assessed in that area
    "jobbmojligheter": ("små", "medelstora", "stora"),
    "rekryteringssituation": SITUATIONS,
    "prognos": PROGNOSES,
    "hogsta_bedomningsniva": ("län", "nuts2", "nuts1", "nationellt"),
    "delvis_helt": ("helt", "delvis"),
}
ROUND = re.compile(r"^20\d\d-[12]$")
AREA = re.compile(r"^\d\d$")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    where: str  # "record 17 (Svetsare, län 14), field 'prognos'", "line 3, column 9", "the file"
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}"


class BarometerProblems(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))


def round_order(name: str) -> tuple[int, int]:
    """``2025-2`` → (2025, 2): rounds sort by year, then the spring (1) or autumn (2) round."""
    year, half = name.split("-")
    return int(year), int(half)


def newest(rounds: list[str]) -> str:
    return max(rounds, key=round_order)


def read(raw: bytes) -> pd.DataFrame:
    """The rows of areas 14 and 00 as a frame with ``COLUMNS`` (strings; ``""`` for null), or ``BarometerProblems``."""
    try:
        records = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BarometerProblems([Problem(f"byte {error.start}", "the file is not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise BarometerProblems([Problem(f"line {error.lineno}, column {error.colno}", f"not JSON: {error.msg}")]) from None
    except RecursionError:
        raise BarometerProblems([Problem("the file", "not JSON the barometer publishes: nested too deep")]) from None
    if not isinstance(records, list) or not records:
        raise BarometerProblems([Problem("the file", "expected a list of occupation records ([{...}, ...]), as "
                                                     "Arbetsförmedlingen publishes yrkesbarometer.json")])
    problems: list[Problem] = []
    kept, seen, rounds = [], set(), set()
    for number, record in enumerate(records, start=1):
        found = _check(number, record, problems)
        if found is None:
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        rounds.add(found["omgang"])
        key = (found["yb_concept_id"], found["lan"])
        if key in seen:
            problems.append(Problem(_where(number, record), "a second record for this occupation and area"))
        seen.add(key)
        if found["lan"] in KEPT_AREAS:
            kept.append(found)
    if not problems:
        if len(rounds) > 1:
            problems.append(Problem("field 'omgang'", f"one round per file; this one mixes {', '.join(sorted(rounds))}"))
        for area in KEPT_AREAS:
            if not any(r["lan"] == area for r in kept):
                name = "Västra Götalands län" if area == "14" else "Sweden as a whole"
                problems.append(Problem("the file", f"no record for area {area} ({name}): the app keeps 14 and 00"))
    if problems:
        raise BarometerProblems(problems)
    return pd.DataFrame(kept, columns=list(COLUMNS)).sort_values(["lan", "yb_yrke", "yb_concept_id"], ignore_index=True)


def _where(number: int, record: dict, field: str = "") -> str:
    name, area = record.get("yb_yrke"), record.get("lan")
    name = name if isinstance(name, str) else "?"
    area = area if isinstance(area, str) else "?"
    return f"record {number} ({name[:60]}, län {area[:4]})" + (f", field '{field}'" if field else "")


def _check(number: int, record: object, problems: list[Problem]) -> dict[str, str] | None:
    if not isinstance(record, dict):
        problems.append(Problem(f"record {number}", "not an object with the barometer's fields"))
        return None
    start = len(problems)
    for field in sorted(set(record) - FIELDS):
        problems.append(Problem(_where(number, record, str(field)[:40]), "not a field of the Yrkesbarometer "
                                f"(known: {', '.join(COLUMNS)}, ...)"))
    for field in sorted(REQUIRED - set(record)):
        problems.append(Problem(_where(number, record, field), "missing"))
    out: dict[str, str] = {}
    for field in COLUMNS:
        value = record.get(field)
        if field in ("antal_ssyk", "taxonomi_version"):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 1000):
                problems.append(Problem(_where(number, record, field), f"{value!r} is not a whole number"))
            out[field] = "" if value is None else str(value)
            continue
        if value is not None and not isinstance(value, str):
            problems.append(Problem(_where(number, record, field), f"{json.dumps(value)[:40]} is not text"))
            continue
        text = (value or "").strip()
        if field in ALLOWED and text and text not in ALLOWED[field]:
            problems.append(Problem(_where(number, record, field), f"{text[:40]!r} is not one of {', '.join(ALLOWED[field])}"))
        if len(text) > 200 or has_unsafe(text):
            problems.append(Problem(_where(number, record, field), "longer than 200 characters or holds control characters"))
        out[field] = text
    if "lan" in record and not AREA.match(out.get("lan", "")):
        problems.append(Problem(_where(number, record, "lan"), "an area code is two digits (00 = Sweden, 14 = Västra Götaland)"))
    if "omgang" in record and not ROUND.match(out.get("omgang", "")):
        problems.append(Problem(_where(number, record, "omgang"), "a round is written YYYY-1 or YYYY-2, e.g. 2025-2"))
    if "yb_concept_id" in record and not out.get("yb_concept_id"):
        problems.append(Problem(_where(number, record, "yb_concept_id"), "empty"))
    return out if len(problems) == start else None


ASSESSED = ("jobbmojligheter", "rekryteringssituation", "prognos")


def changes(old: pd.DataFrame, new: pd.DataFrame, area: str = "14") -> pd.DataFrame:
    """Per occupation of ``area`` whose assessment moved between two rounds: its name and, for each assessed field,
    ``before`` and ``after`` (``""`` when unassessed; a whole row of ``""`` before: new in this round)."""
    key = ["yb_concept_id"]
    a = old[old["lan"] == area].set_index(key)
    b = new[new["lan"] == area].set_index(key)
    joined = a[["yb_yrke", *ASSESSED]].merge(b[["yb_yrke", *ASSESSED]], how="outer", left_index=True, right_index=True,
                                              suffixes=("_before", "_after"))
    joined = joined.fillna("")
    moved = pd.Series(False, index=joined.index)
    for field in ASSESSED:
        moved |= joined[f"{field}_before"] != joined[f"{field}_after"]
    out = joined[moved].copy()
    out["yb_yrke"] = out["yb_yrke_after"].where(out["yb_yrke_after"] != "", out["yb_yrke_before"])
    columns = ["yb_yrke"] + [f"{f}_{side}" for f in ASSESSED for side in ("before", "after")]
    return out.reset_index()[["yb_concept_id", *columns]].sort_values("yb_yrke", ignore_index=True)
