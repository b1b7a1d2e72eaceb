"""The politicians' briefing: one area, one period, every figure protected before anyone sees it.

``build`` returns a ``Briefing`` of plain values; the page, the PDF, the deck and their exports
all render this object and nothing else, so small-number protection (``core.disclosure.release``, ``core.disclosure.protection``)
is applied once and holds everywhere. No company name or company-level row ever enters it, and no statement about
a hidden figure: no proposed cohort either (it names, for a competence, the municipalities whose open needs are each too
small for a class alone, a bound on figures the release may hide; brokers see cohorts in the cohort finder).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from core.analysis import supply
from core.analysis.classes import Classes, classify
from core.analysis.outlook import Signal
from core.common import clock
from core.common.models import NeedType
from core.disclosure.protection import Cell
from core.disclosure.release import PublicView, Release, release_quarters
from core.disclosure.release import key as rkey

TOP = 5
FYRBODAL_TOTAL = "region"


@dataclass(frozen=True)
class Row:
    """A ranked line: a label code and its protected cells, plus public numbers beside them."""

    code: str
    cells: dict[str, Cell]
    public: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Briefing:
    area_codes: tuple[str, ...]
    period: tuple[str, str]
    previous: tuple[str, str] | None
    headline: dict[str, Cell]  # persons, companies, needs, recruitment, upskilling (+ prev_persons)
    top: list[Row]  # competences, largest first, shown ones only
    map: dict[str, Cell]  # persons per Fyrbodal municipality
    gaps: list[Row]  # competence: demand cell; public: seats within reach
    access: pd.DataFrame  # per municipality of the area: population and shares (public data)
    newest: dt.date | None
    oldest: dt.date | None
    suppressed: int  # how many figures are hidden, for the note
    # Arbetsförmedlingen's Yrkesbarometer for the top competences (public data, county level): {code: Signal}
    outlook: dict[str, Signal] = field(default_factory=dict)
    outlook_round: str = ""  # "2025-2"
    outlook_date: str = ""  # when that round entered the app (ISO date)
    outlook_imported: bool = False  # imported by an admin (else: the round the app ships)
    compared: tuple[int, ...] = ()  # the quarters the change compares with the same quarters of the year before
    release_id: int = 0  # the published release the figures are from (0: not a stored release)
    released: str = ""  # the day it was published (ISO date)
    through: str = ""  # the last month it covers ("2026-09")

    @property
    def change(self) -> float | None:
        """Like with like: the same quarters of the year and of the year before (``compared``)."""
        now, before = self.headline.get("cmp_persons"), self.headline.get("prev_persons")
        if now is None or before is None or now.shown is None or before.shown in (None, 0):
            return None
        return (now.shown - before.shown) / before.shown

    @property
    def upskilling_share(self) -> float | None:
        up, total = self.headline["upskilling"].shown, self.headline["persons"].shown
        return None if up is None or not total else up / total


def in_period(needs: pd.DataFrame, period: tuple[str, str] | None) -> pd.DataFrame:
    if period is None:
        return needs.iloc[0:0]
    start, end = pd.Period(period[0], "M").start_time, pd.Period(period[1], "M").end_time
    return needs[(needs["collected_on"] >= start) & (needs["collected_on"] <= end)]


def publication(release: Release, year: int, fyrbodal: list[str]) -> dict[str, Cell]:
    """The year's cells of the public release under the briefing's keys. Every briefing, page and
    export of the year reads the same protected cells (``core.disclosure.release``), so what one hides no other
    gives away, and the previous year is that year's own published figure.

    Keys: ``P:<where>`` persons, ``K:`` companies, ``N:`` needs, ``B:`` persons in the previous year,
    ``T:<where>:<need type>``, ``C:<where>:<competence>``; ``<where>`` is a municipality code or ``region``."""
    cells: dict[str, Cell] = {}

    def take(name: str, y: int, measure: str, dim: str, where: str, v: str = "") -> None:
        cell = release.cells.get(rkey(y, measure, dim, where, v))
        cells[name] = cell if cell is not None else Cell(name, 0.0, 0)

    for where in [*fyrbodal, FYRBODAL_TOTAL]:
        take(f"P:{where}", year, "persons", "total", where)
        take(f"K:{where}", year, "companies", "total", where)
        take(f"N:{where}", year, "needs", "total", where)
        take(f"B:{where}", year - 1, "persons", "total", where)
        for t in NeedType:
            take(f"T:{where}:{t.value}", year, "persons", "need_type", where, t.value)
        prefix = rkey(year, "persons", "competence", where)
        for k, c in release.cells.items():
            if k.startswith(prefix):
                cells[f"C:{where}:{k[len(prefix):]}"] = c
    return cells


def build(needs: pd.DataFrame, area: list[str], fyrbodal: list[str], period: tuple[str, str], previous: tuple[str, str] | None,
          offers: pd.DataFrame, reach: dict[str, set[str]], access: pd.DataFrame, release: Release,
          today: dt.date | None = None) -> Briefing:
    """``needs``: the whole register (with ``company_id``); ``area``: Fyrbodal's codes or one municipality's;
    ``period``: a calendar year (``periods``); ``release``: the protected public release; ``today``: what decides
    which quarters have closed (the change compares the same closed quarters of the year before)."""
    regional = needs[needs["municipality_code"].astype(str).isin(fyrbodal)]
    now_all = in_period(regional, period)
    cells = publication(release, int(period[0][:4]), fyrbodal)
    where = FYRBODAL_TOTAL if len(area) > 1 else area[0]
    now = now_all[now_all["municipality_code"].astype(str).isin(area)]

    prefix = f"C:{where}:"
    mine = {k[len(prefix):]: c for k, c in cells.items() if k.startswith(prefix) and c.value > 0}
    # shown cells ranked among themselves only: where a hidden one would stand is a bound on it
    shown = sorted((c for c in mine if not mine[c].suppressed), key=lambda c: (-mine[c].value, c))
    top = [Row(c, {"persons": mine[c]}) for c in shown[:TOP]]

    gaps = []
    for row in supply.balance(now, offers, reach, area).itertuples(index=False):
        cell = mine.get(row.competence)
        if cell is None or cell.suppressed or row.gap <= 0:
            continue
        gaps.append(Row(row.competence, {"demand": cell}, {"seats": float(row.seats_reachable), "gap": float(row.gap),
                                                           "distance": float(row.seats_distance)}))
        if len(gaps) == TOP:
            break

    year = int(period[0][:4])
    compared = release_quarters(release, year, today or clock.today())
    now_cmp, before_cmp = release.compared(PublicView(year, tuple(area)), compared, where)
    headline = {"persons": cells[f"P:{where}"], "companies": cells[f"K:{where}"], "needs": cells[f"N:{where}"],
                "cmp_persons": now_cmp, "prev_persons": before_cmp} | {t.value: cells[f"T:{where}:{t.value}"] for t in NeedType}
    return Briefing(
        area_codes=tuple(area), period=period, previous=previous, headline=headline, top=top,
        map={c: cells[f"P:{c}"] for c in fyrbodal}, gaps=gaps, access=access,
        # the months the brief covers, never the dates of its rows: a first or last need's day is one company's
        # and bounds the quarters around it (issue 37, red team); and for every area alike, with needs or none: a
        # blank where an area has none told a hidden total's 0 from 1 (red team, issue 35)
        newest=_month_end(period[-1]),
        oldest=dt.date.fromisoformat(f"{period[0][:7]}-01"),
        suppressed=sum(1 for k, c in cells.items() if c.suppressed and (k.split(":")[1] == where or k.startswith("P:"))),
        compared=compared, release_id=release.id, released=release.published, through=release.through,
    )


def periods(months: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """The periods a briefing offers: the calendar years of the register, newest first (the months it covers).

    Only years: they do not overlap, so no briefing can be subtracted from another (the last 12 months
    minus a year, or everything minus the years, would give away what a year's protection hides)."""
    if not months:
        return {}
    first, last = pd.Period(months[0], "M"), pd.Period(months[-1], "M")
    out = {}
    for year in sorted({int(m[:4]) for m in months}, reverse=True):
        out[str(year)] = (str(max(first, pd.Period(f"{year}-01", "M"))), str(min(last, pd.Period(f"{year}-12", "M"))))
    return out


def previous_year(period: tuple[str, str], months: tuple[str, ...]) -> tuple[str, str] | None:
    """The year before ``period``'s, as the register covers it; None before the register starts."""
    return periods(months).get(str(int(period[0][:4]) - 1))


def map_figures(b: Briefing, outlines: dict[str, list], population: dict[str, int]) -> tuple[pd.Series, pd.Series, Classes]:
    """The brief's map (page, PDF, deck): persons in need per 1,000 inhabitants per municipality (NaN: hidden or no
    data), each municipality's class and the classes (quantiles)."""
    values = pd.Series({c: (shown / population[c] * 1000 if (shown := b.map[c].shown) is not None and population.get(c) else None)
                        for c in outlines}, dtype=float)
    cls, classes = classify(values, "per_1000", "quantiles")
    return values, cls, classes


def mark_point(rings: list) -> tuple[float, float]:
    """Where a municipality's class mark is written: the middle of its largest ring's points."""
    widest = max(rings, key=len)
    return sum(x for x, _ in widest) / len(widest), sum(y for _, y in widest) / len(widest)


def _month_end(month: str) -> dt.date:
    """The last day of ``month`` ("2026-09")."""
    first = dt.date.fromisoformat(f"{month[:7]}-01")
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)

