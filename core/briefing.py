"""The politicians' briefing: one area, one period, every figure protected before anyone sees it.

``build`` returns a ``Briefing`` of plain values; the page, the PDF, the deck and their exports
all render this object and nothing else, so small-number suppression (``core.suppression``)
is applied once and holds everywhere. No company name or company-level row ever enters it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core import supply
from core.cohorts import DISTANCE, Plan
from core.models import NeedType
from core.suppression import Cell, protect

TOP = 5
FYRBODAL_TOTAL = "region"


@dataclass(frozen=True)
class Row:
    """A ranked line: a label code and its protected cells, plus public numbers beside them."""

    code: str
    cells: dict[str, Cell]
    public: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CohortLine:
    competence: str
    host: str
    municipalities: tuple[str, ...]
    total: Cell
    here: Cell  # the area's own participants
    regional_vux: bool


@dataclass(frozen=True)
class Briefing:
    area_codes: tuple[str, ...]
    period: tuple[str, str]
    previous: tuple[str, str] | None
    headline: dict[str, Cell]  # persons, companies, needs, recruitment, upskilling (+ prev_persons)
    top: list[Row]  # competences, largest first, shown ones only
    hidden_top: int  # competences left out of the top list because they are suppressed
    map: dict[str, Cell]  # persons per Fyrbodal municipality
    gaps: list[Row]  # competence: demand cell; public: seats within reach
    cohorts: list[CohortLine]
    access: pd.DataFrame  # per municipality of the area: population and shares (public data)
    newest: dt.date | None
    oldest: dt.date | None
    suppressed: int  # how many figures are hidden, for the note

    @property
    def change(self) -> float | None:
        now, before = self.headline["persons"].shown, self.headline.get("prev_persons")
        if now is None or before is None or before.shown in (None, 0):
            return None
        return (now - before.shown) / before.shown

    @property
    def upskilling_share(self) -> float | None:
        up, total = self.headline["upskilling"].shown, self.headline["persons"].shown
        return None if up is None or not total else up / total


def _cell(key: str, needs: pd.DataFrame) -> Cell:
    return Cell(key, float(needs["persons"].sum()), int(needs["company_id"].nunique()))


def in_period(needs: pd.DataFrame, period: tuple[str, str] | None) -> pd.DataFrame:
    if period is None:
        return needs.iloc[0:0]
    start, end = pd.Period(period[0], "M").start_time, pd.Period(period[1], "M").end_time
    return needs[(needs["collected_on"] >= start) & (needs["collected_on"] <= end)]


def _sums(frame: pd.DataFrame, by: str, keys: list[str], codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Persons and distinct companies per municipality (rows, in ``codes`` order, plus the region last) and ``by`` value."""
    rows = frame["municipality_code"].astype(str)
    cols = frame[by].astype(str) if by else pd.Series("", index=frame.index)
    persons = supply.crosstab(rows, cols, frame["persons"], codes, keys)
    firms_frame = pd.DataFrame({"m": rows, "c": cols, "f": frame["company_id"]}).drop_duplicates()
    firms = supply.crosstab(firms_frame["m"], firms_frame["c"], pd.Series(1, index=firms_frame.index), codes, keys)
    region = pd.DataFrame({"c": cols, "f": frame["company_id"]}).drop_duplicates()
    region_firms = np.bincount(pd.Index(keys).get_indexer(region["c"]), minlength=len(keys)) if len(region) else np.zeros(len(keys), int)
    return np.vstack([persons, persons.sum(axis=0)]), np.vstack([firms, region_firms])


def publication(now: pd.DataFrame, before: pd.DataFrame, fyrbodal: list[str]) -> dict[str, Cell]:
    cells, groups = publication_cells(now, before, fyrbodal)
    return protect(cells, groups)


def publication_cells(now: pd.DataFrame, before: pd.DataFrame, fyrbodal: list[str]) -> tuple[list[Cell], list[tuple[str, list[str]]]]:
    """Every figure any briefing of this period can show, for Fyrbodal and each municipality, protected
    together: what one briefing hides, no other briefing of the same period (or their sum) gives away.

    Keys: ``P:<where>`` persons, ``K:`` companies, ``N:`` needs, ``B:`` persons in the previous period,
    ``T:<where>:<need type>``, ``C:<where>:<competence>``; ``<where>`` is a municipality code or ``region``."""
    wheres = [*fyrbodal, FYRBODAL_TOTAL]
    competences = sorted(now["competence"].astype(str).unique())
    types = [t.value for t in NeedType]
    cells: list[Cell] = []
    for prefix, (persons, firms), keys in (
        ("P", _sums(now, "", [""], fyrbodal), [""]), ("B", _sums(before, "", [""], fyrbodal), [""]),
        ("T", _sums(now, "need_type", types, fyrbodal), types), ("C", _sums(now, "competence", competences, fyrbodal), competences),
    ):
        for i, where in enumerate(wheres):
            for j, key in enumerate(keys):
                name = f"{prefix}:{where}" + (f":{key}" if key else "")
                cells.append(Cell(name, float(persons[i, j]), int(firms[i, j])))
    needs_count = np.bincount(pd.Index(fyrbodal).get_indexer(now["municipality_code"].astype(str)), minlength=len(fyrbodal))
    _, firms = _sums(now, "", [""], fyrbodal)
    for i, where in enumerate(wheres):
        count = int(firms[i, 0])
        cells += [Cell(f"K:{where}", float(count), count),
                  Cell(f"N:{where}", float(needs_count.sum() if where == FYRBODAL_TOTAL else needs_count[i]), count)]
    groups = [(f"P:{w}", [f"T:{w}:{t}" for t in types]) for w in wheres]
    groups += [(f"{p}:{FYRBODAL_TOTAL}", [f"{p}:{c}" for c in fyrbodal]) for p in ("P", "K", "N", "B")]
    groups += [(f"T:{FYRBODAL_TOTAL}:{t}", [f"T:{c}:{t}" for c in fyrbodal]) for t in types]
    groups += [(f"C:{FYRBODAL_TOTAL}:{k}", [f"C:{c}:{k}" for c in fyrbodal]) for k in competences]
    return cells, groups


def build(needs: pd.DataFrame, area: list[str], fyrbodal: list[str], period: tuple[str, str], previous: tuple[str, str] | None,
          offers: pd.DataFrame, reach: dict[str, set[str]], plan: Plan | None, access: pd.DataFrame) -> Briefing:
    """``needs``: the whole register (with ``company_id``); ``area``: Fyrbodal's codes or one municipality's."""
    regional = needs[needs["municipality_code"].astype(str).isin(fyrbodal)]
    now_all = in_period(regional, period)
    cells = publication(now_all, in_period(regional, previous), fyrbodal)
    where = FYRBODAL_TOTAL if len(area) > 1 else area[0]
    now = now_all[now_all["municipality_code"].astype(str).isin(area)]

    prefix = f"C:{where}:"
    mine = {k[len(prefix):]: c for k, c in cells.items() if k.startswith(prefix) and c.value > 0}
    ranked = sorted(mine, key=lambda c: (-mine[c].value, c))
    shown = [c for c in ranked if not mine[c].suppressed]
    top = [Row(c, {"persons": mine[c]}) for c in shown[:TOP]]
    # hidden competences that would have been on the list: all of them while it is not full
    cutoff = ranked.index(shown[TOP - 1]) + 1 if len(shown) >= TOP else len(ranked)
    hidden_top = sum(1 for c in ranked[:cutoff] if mine[c].suppressed)

    gaps = []
    for row in supply.balance(now, offers, reach, area).itertuples(index=False):
        cell = mine.get(row.competence)
        if cell is None or cell.suppressed or row.gap <= 0:
            continue
        gaps.append(Row(row.competence, {"demand": cell}, {"seats": float(row.seats_reachable), "gap": float(row.gap),
                                                           "distance": float(row.seats_distance)}))
        if len(gaps) == TOP:
            break

    headline = {"persons": cells[f"P:{where}"], "companies": cells[f"K:{where}"], "needs": cells[f"N:{where}"],
                "prev_persons": cells[f"B:{where}"]} | {t.value: cells[f"T:{where}:{t.value}"] for t in NeedType}
    return Briefing(
        area_codes=tuple(area), period=period, previous=previous, headline=headline, top=top, hidden_top=hidden_top,
        map={c: cells[f"P:{c}"] for c in fyrbodal}, gaps=gaps, cohorts=_cohorts(plan, needs, area), access=access,
        newest=now["collected_on"].max().date() if len(now) else None,
        oldest=now["collected_on"].min().date() if len(now) else None,
        suppressed=sum(1 for k, c in cells.items() if c.suppressed and (k.split(":")[1] == where or k.startswith("P:"))),
    )


def _cohorts(plan: Plan | None, needs: pd.DataFrame, area: list[str]) -> list[CohortLine]:
    """The proposed cohorts with members in the area. Each cohort's total and its municipalities'
    parts are protected together, the same way in every briefing."""
    if plan is None:
        return []
    company = dict(zip(needs["id"].astype(int), needs["company_id"].astype(int)))
    lines = []
    for c in plan.cohorts:
        if not any(m.municipality_code in area for m in c.members):
            continue
        parts = []
        for code in c.municipalities:
            members = [m for m in c.members if m.municipality_code == code]
            parts.append(Cell(code, float(sum(m.persons for m in members)), len({company.get(m.need_id) for m in members})))
        total = Cell("total", float(c.total), len({company.get(m.need_id) for m in c.members}))
        cells = protect([total, *parts], [("total", [p.key for p in parts])])
        # a briefing is for Fyrbodal (the area holds the whole cohort) or for one municipality
        mine = cells["total"] if len(area) > 1 else cells[area[0]]
        lines.append(CohortLine(c.competence, c.host, tuple(c.municipalities), cells["total"], mine, c.regional_vux))
    lines.sort(key=lambda x: (x.host == DISTANCE, -(x.total.shown or 0), x.competence))
    return lines[:TOP]


def periods(months: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """The periods a briefing offers: the last 12 and 6 months of the register, each calendar year, all of it."""
    if not months:
        return {}
    last = pd.Period(months[-1], "M")
    first = pd.Period(months[0], "M")
    out = {"last12": (str(max(first, last - 11)), str(last)), "last6": (str(max(first, last - 5)), str(last))}
    for year in sorted({int(m[:4]) for m in months}, reverse=True):
        out[str(year)] = (str(max(first, pd.Period(f"{year}-01", "M"))), str(min(last, pd.Period(f"{year}-12", "M"))))
    out["all"] = (str(first), str(last))
    return out
