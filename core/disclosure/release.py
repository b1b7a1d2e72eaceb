"""The public release: every figure a visitor who is not signed in (or a viewer) can see, protected as one.

Why a fixed release. A figure computed for any filter and any month range can be subtracted from
another (all periods minus three years, the last 12 months minus a calendar year, one industry
minus another) and give away a single company. So the public does not query the register; it reads
cells of one set of linked tables, published per **calendar year** (years do not overlap, and no
sum over years is published), and ``core.disclosure.protection`` hides primary cells and their complements
over all of those tables at once, verified by the same interval attack a visitor could run.

Per year, for each of the 14 municipalities and Fyrbodal (``REGION``):
- ``total``: persons in need; companies with needs (``companies``); needs (``needs``)
- persons by ``need_type``, ``competence``, ``industry_group`` and ``quarter`` (each a full partition
  of the total, so persons = the sum over competences, over industries, over quarters, over types)
Relations: each breakdown adds up to its total, for every row; every column adds up over the
municipalities to Fyrbodal's figure. Companies and needs add up over the municipalities.

Nothing else about companies is public: no names, notes, brokers, rows, and no ranks that bound a
hidden cell (lists show only shown cells, ordered among themselves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from core.common.models import NeedType
from core.disclosure.protection import PROTECTION, Cell, Insider, Relation, is_sensitive, protect

REGION = "region"
DIMENSIONS = ("need_type", "competence", "industry_group", "quarter")
MEASURES = ("persons", "companies", "needs")
OTHER = "other"  # the industry group of a company whose SNI code is in no group of the catalogue
# every value a breakdown lists, zeros included (``Listed``): the catalogue's competences and industry groups. A row
# listed only when Fyrbodal has needs of it would tell a reader that its hidden Fyrbodal figure is at least 1 (a bound
# the protection's ``x >= 0`` does not model: issue 37's red team narrowed 81 figures so)
Listed = Mapping[str, Sequence[str]]


def key(year: int, measure: str, dim: str, where: str, value: str = "") -> str:
    return f"{year}|{measure}|{dim}|{where}|{value}"


def years_of(needs: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in needs["collected_on"].dt.year.unique()}) if len(needs) else []


def _column(frame: pd.DataFrame, dim: str) -> pd.Series:
    if dim == "quarter":
        return "Q" + frame["collected_on"].dt.quarter.astype(str)
    if dim == "total":
        return pd.Series("", index=frame.index)
    if dim == "industry_group":  # a company in no group of the catalogue: "other" (an import names it so, the workspace "")
        return frame[dim].astype(str).replace({"": OTHER, "nan": OTHER, "None": OTHER})
    return frame[dim].astype(str)


def _cells(frame: pd.DataFrame, year: int, dim: str, codes: list[str], quarters: int = 4,
           listed: Listed | None = None) -> tuple[list[Cell], list[str]]:
    """Persons per municipality (and Fyrbodal) and value of ``dim``, with companies and the two
    largest companies' contributions, zeros included."""
    work = pd.DataFrame({"m": frame["municipality_code"].astype(str), "v": _column(frame, dim),
                         "c": frame["company_id"].to_numpy(), "p": frame["persons"].to_numpy()})
    values = _values(frame, dim, quarters, listed)
    # each cell's contributions (persons per company), looked up in dicts: a MultiIndex lookup per cell (xs) was most
    # of a release's time outside the linear programmes
    parts = {key_: group.to_numpy() for key_, group in work.groupby(["m", "v", "c"], observed=True)["p"].sum().groupby(level=[0, 1])}
    region = {v: group.to_numpy() for v, group in work.groupby(["v", "c"], observed=True)["p"].sum().groupby(level=0)}
    empty = np.zeros(0)
    cells = []
    for where in [*codes, REGION]:
        for v in values:
            part = region.get(v, empty) if where == REGION else parts.get((where, v), empty)
            top = np.sort(part)[::-1]
            cells.append(Cell(key(year, "persons", dim, where, v), float(part.sum()), int(len(part)),
                              (float(top[0]) if len(top) else 0.0, float(top[1]) if len(top) > 1 else 0.0)))
    return cells, values


def _values(frame: pd.DataFrame, dim: str, quarters: int = 4, listed: Listed | None = None) -> list[str]:
    """The values of ``dim`` a year's tables have: every need type and every published quarter, and every value
    ``listed`` (the catalogue), zeros included, with any other the year's needs hold."""
    if dim == "quarter":
        return [f"Q{q}" for q in range(1, quarters + 1)]
    if dim == "total":
        return [""]
    if dim == "need_type":
        return [t.value for t in NeedType]
    return sorted(set(_column(frame, dim).unique()) | set((listed or {}).get(dim, ())))


def listed_in(cells: Iterable[str]) -> dict[str, list[str]]:
    """The values each breakdown of a stored release lists, from its cells' keys (a release made before the
    catalogue was listed whole lists only the values it had needs of)."""
    found: dict[str, set[str]] = {}
    for k in cells:
        _, _, dim, _, value = k.split("|")
        if dim in ("competence", "industry_group"):
            found.setdefault(dim, set()).add(value)
    return {dim: sorted(values) for dim, values in found.items()}


def _counts(frame: pd.DataFrame, year: int, codes: list[str]) -> list[Cell]:
    """Companies and needs per municipality and for Fyrbodal (a count's contributors: its companies)."""
    cells = []
    m = frame["municipality_code"].astype(str)
    for where in [*codes, REGION]:
        part = frame if where == REGION else frame[m == where]
        companies = int(part["company_id"].nunique())
        per_company = part.groupby("company_id").size().sort_values(ascending=False).to_numpy()
        top = (float(per_company[0]) if len(per_company) else 0.0, float(per_company[1]) if len(per_company) > 1 else 0.0)
        cells.append(Cell(key(year, "companies", "total", where), float(companies), companies, (1.0, 1.0) if companies else (0, 0)))
        cells.append(Cell(key(year, "needs", "total", where), float(len(part)), companies, top))
    return cells


def tables(needs: pd.DataFrame, codes: list[str], through: str = "", with_cells: bool = True,
           listed: Listed | None = None) -> tuple[list[Cell], list[Relation]]:
    """Every cell of the release and the relations a visitor knows between them (``through``: the last month
    published, "2026-09"; its year has the quarters up to it, "" every quarter; ``with_cells`` False: the
    relations only, no cells, for an earlier release whose cells are stored; ``listed``: the values every year's
    breakdowns list, zeros included)."""
    cells: list[Cell] = []
    relations: list[Relation] = []
    for year in years_of(needs):
        quarters = (int(through[5:7]) + 2) // 3 if through and int(through[:4]) == year else 4
        frame = needs[(needs["collected_on"].dt.year == year) & needs["municipality_code"].astype(str).isin(codes)]
        if with_cells:
            cells += _cells(frame, year, "total", codes)[0] + _counts(frame, year, codes)
        for measure in ("persons", "companies", "needs"):
            relations.append((key(year, measure, "total", REGION), [key(year, measure, "total", m) for m in codes]))
        for dim in DIMENSIONS:
            part, values = (_cells(frame, year, dim, codes, quarters, listed) if with_cells
                            else ([], _values(frame, dim, quarters, listed)))
            cells += part
            for where in [*codes, REGION]:
                relations.append((key(year, "persons", "total", where), [key(year, "persons", dim, where, v) for v in values]))
            for v in values:
                relations.append((key(year, "persons", dim, REGION, v), [key(year, "persons", dim, m, v) for m in codes]))
    return cells, relations


@dataclass(frozen=True)
class PublicView:
    """What a protected page shows: one year, Fyrbodal or one municipality, at most one focus
    (an industry group or a competence: one breakdown at a time, as the release publishes them)."""

    year: int
    codes: tuple[str, ...]  # the area's municipalities (all 14 for Fyrbodal)
    dim: str = ""  # "" | "industry_group" | "competence"
    value: str = ""

    @property
    def where(self) -> str:
        return self.codes[0] if len(self.codes) == 1 else REGION


@dataclass(frozen=True)
class Release:
    """The protected cells; ``None`` for a hidden one. Lookups never reach the register."""

    cells: dict[str, Cell]
    years: tuple[int, ...]
    codes: tuple[str, ...]
    start: str = ""  # the first month the register covers ("2023-10"): what a change can compare
    through: str = ""  # the last month published ("2026-09"); "" for a release of everything (tests, benchmarks)
    needs: pd.DataFrame | None = field(default=None, compare=False, repr=False)  # the rows it was made from (codes only)
    id: int = 0  # a stored release's number (``core.disclosure.history``), 0 if not stored
    published: str = ""  # the day it was published (ISO date)
    revision: str = ""  # the register revision it was made from
    scopes: tuple[tuple[str, ...], ...] = ()  # the insiders it is protected against (``insider_scopes``)
    _rows: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # breakdowns asked before

    def value(self, year: int, measure: str, dim: str, where: str, v: str = "") -> float | None:
        if year not in self.years:
            return None
        cell = self.cells.get(key(year, measure, dim, where, v))
        return 0.0 if cell is None else cell.shown

    def breakdown(self, year: int, dim: str, where: str) -> pd.DataFrame:
        """Shown cells of one row (``value``, ``persons``), largest first, and how many are hidden."""
        prefix = key(year, "persons", dim, where)
        if prefix not in self._rows:  # a release is shared by every session: each breakdown is made once
            rows = [(k[len(prefix):], c.shown) for k, c in self.cells.items() if k.startswith(prefix)]
            rows.sort(key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))
            self._rows[prefix] = pd.DataFrame(rows, columns=["value", "persons"])
        return self._rows[prefix].copy(deep=False)  # copy-on-write: a caller's change stays its own

    def compared(self, view: PublicView, quarters: tuple[int, ...], where: str | None = None) -> tuple[Cell, Cell]:
        """Persons of the view's year and of the year before over the same ``quarters`` (``compared_quarters``), as
        two cells, hidden when any published figure they add up is hidden or not published (a focus has no quarters:
        only whole years compare there)."""
        w = where or view.where
        out = []
        for year in (view.year, view.year - 1):
            if not quarters or year not in self.years:
                out.append(Cell(f"{year}|compared|{w}", 0.0, 0, suppressed=True))
                continue
            if quarters == (1, 2, 3, 4):
                figures = [self.persons(view, year=year, where=w)]
            elif view.dim:
                figures = [None]
            else:
                figures = [self.value(year, "persons", "quarter", w, f"Q{q}") for q in quarters]
            known = [f for f in figures if f is not None]
            hidden = len(known) < len(figures)
            out.append(Cell(f"{year}|compared|{w}", 0.0 if hidden else float(sum(known)), 0, suppressed=hidden))
        return out[0], out[1]

    def persons(self, view: PublicView, year: int | None = None, where: str | None = None) -> float | None:
        """Persons of the view's focus (or all) in its area, or another year/place; None when hidden."""
        y, w = year or view.year, where or view.where
        if view.dim:
            return self.value(y, "persons", view.dim, w, view.value)
        return self.value(y, "persons", "total", w)



def _hide_together(cells: dict[str, Cell]) -> None:
    """A place's persons, companies and needs are hidden together: each need has at least one person
    and one company, so a shown count would bound a hidden total (hiding more never narrows an interval)."""
    for k, c in list(cells.items()):
        year, measure, dim, where, _ = k.split("|")
        if dim == "total" and c.suppressed:
            for other in MEASURES:
                twin = key(int(year), other, "total", where)
                if twin in cells and not cells[twin].suppressed:
                    cells[twin] = replace(cells[twin], suppressed=True)


def _hide_zeros(cells: dict[str, Cell], relations: Sequence[Relation]) -> None:
    """A zero is hidden wherever it adds up with a hidden figure that is not zero (in a breakdown of a place, or in a
    column over the municipalities), in place. A zero has no company, so it is never sensitive: were every zero shown,
    every hidden figure would be at least 1 to a reader, a bound the protection's ``x >= 0`` does not model (issue 37's
    red team narrowed about 150 figures per reader so, among them every hidden figure of 1). So a hidden figure may be
    0, as the protection assumes. Hiding more never narrows an interval."""
    hidden = {k for k, c in cells.items() if c.suppressed and c.value != 0}
    for total, members in relations:
        if total in hidden or any(m in hidden for m in members):
            for k in (total, *members):
                c = cells.get(k)
                if c is not None and not c.suppressed and c.value == 0:
                    cells[k] = replace(c, suppressed=True)


def hide_alongside(cells: dict[str, Cell], relations: Sequence[Relation]) -> None:
    """What a protected release hides besides what the protection chose, in place: a place's persons, companies and
    needs together, then the zeros beside hidden figures (a total hidden with its place counts as hidden), then the
    companies and needs of a zero total so hidden."""
    _hide_together(cells)
    _hide_zeros(cells, relations)
    _hide_together(cells)


def cost(cell_key: str) -> float:
    """What hiding a cell costs a reader: Fyrbodal's total most, then every total and Fyrbodal-wide figure."""
    _, _, dim, where, _ = cell_key.split("|")
    if where == REGION and dim == "total":
        return 1000.0
    return 20.0 if where == REGION or dim == "total" else 1.0


def insider_scopes(codes: list[str], user_scopes: Iterable[Iterable[str]] = ()) -> list[tuple[str, ...]]:
    """What a broker may know exactly: each municipality alone, and every set of municipalities a user of the
    register holds (within ``codes``; one who holds all of them reads every row anyway)."""
    scopes: set[tuple[str, ...]] = {(c,) for c in codes}
    for scope in user_scopes:
        inside = tuple(sorted(set(scope) & set(codes)))
        if inside and len(inside) < len(codes):
            scopes.add(inside)
    return sorted(scopes, key=lambda s: (len(s), s))


def contributions(needs: pd.DataFrame) -> pd.Series:
    """Each company's contribution to each cell of ``tables`` (index: cell key, company)."""
    parts = []
    for year in years_of(needs):
        frame = needs[needs["collected_on"].dt.year == year]
        company = frame["company_id"].to_numpy()
        persons = frame["persons"].to_numpy(dtype=float)
        ones = np.ones(len(frame))
        for where in (frame["municipality_code"].astype(str), pd.Series(REGION, index=frame.index)):
            for dim in ("total", *DIMENSIONS):
                keys = f"{year}|persons|{dim}|" + where + "|" + _column(frame, dim)
                parts.append(pd.DataFrame({"key": keys.to_numpy(), "c": company, "x": persons}))
            parts.append(pd.DataFrame({"key": (f"{year}|needs|total|" + where + "|").to_numpy(), "c": company, "x": ones}))
            parts.append(pd.DataFrame({"key": (f"{year}|companies|total|" + where + "|").to_numpy(), "c": company, "x": ones}))
    if not parts:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_arrays([[], []], names=["key", "c"]))
    summed = pd.concat(parts).groupby(["key", "c"])["x"].sum()
    companies = summed.index.get_level_values("key").str.contains(r"\|companies\|", regex=True)
    return summed.where(~companies, 1.0)  # a company counts once


def stats(part: pd.DataFrame) -> dict[str, tuple[float, int, tuple[float, float]]]:
    """Per key of ``part`` (columns ``key``, ``x``: one row per company): its sum, its contributors (companies whose
    contribution is not 0) and the two largest contributions (by size)."""
    part = part[part["x"].abs() > 1e-9].assign(size=lambda f: f["x"].abs()).sort_values(["key", "size"], ascending=[True, False])
    if not len(part):
        return {}
    grouped = part.groupby("key", sort=False)
    total, count, rank = grouped["x"].sum(), grouped["x"].size(), grouped.cumcount()
    first = part[rank == 0].set_index("key")["size"]
    second = part[rank == 1].set_index("key")["size"]
    return {str(k): (float(total[k]), int(count[k]), (float(first[k]), float(second.get(k, 0.0)))) for k in total.index}


def others(contrib: pd.Series, municipality_of: pd.Series, scopes: Sequence[tuple[str, ...]],
           role: Callable[[str], str] = lambda k: k) -> dict[tuple[str, ...], dict[str, Cell]]:
    """Per insider scope: each Fyrbodal cell's part from companies outside the scope (a broker who knows their own
    municipalities exactly subtracts their part from a Fyrbodal figure and reads the rest), as a cell (``role``:
    its key as the system names it). ``contrib``: ``contributions`` (or a change of them); ``municipality_of``:
    company to municipality."""
    keys = contrib.index.get_level_values("key")
    region = contrib[keys.str.contains(f"|{REGION}|", regex=False)].reset_index()
    region.columns = ["key", "c", "x"]
    region["m"] = region["c"].map(municipality_of).astype(str)
    region = region[region["x"].abs() > 1e-9].assign(size=lambda f: f["x"].abs())
    region = region.sort_values(["key", "size"], ascending=[True, False], kind="stable")  # once, not per scope
    names, x, size, m = (region[c].to_numpy() for c in ("key", "x", "size", "m"))
    out = {}
    for scope in scopes:
        keep = ~np.isin(m, list(scope))
        found = _sorted_stats(names[keep], x[keep].astype(float), size[keep].astype(float))
        out[tuple(scope)] = {role(k): Cell(role(k), v, n, top) for k, (v, n, top) in found.items()}
    return out


def _sorted_stats(names: np.ndarray, x: np.ndarray, size: np.ndarray) -> dict[str, tuple[float, int, tuple[float, float]]]:
    """``stats`` of rows sorted by key and, within a key, by size, largest first (non-zero contributions only)."""
    if not len(names):
        return {}
    starts = np.flatnonzero(np.r_[True, names[1:] != names[:-1]])
    counts = np.diff(np.r_[starts, len(names)])
    totals = np.add.reduceat(x, starts)
    second = np.where(counts > 1, size[np.minimum(starts + 1, len(size) - 1)], 0.0)
    return {str(names[s]): (float(t), int(n), (float(size[s]), float(b)))
            for s, t, n, b in zip(starts, totals, counts, second)}


def municipality_of(*frames: pd.DataFrame | None) -> pd.Series:
    """Company to municipality (a company belongs to one), from every frame given."""
    rows = pd.concat([f[["company_id", "municipality_code"]] for f in frames if f is not None and len(f)])
    return rows.drop_duplicates("company_id").set_index("company_id")["municipality_code"].astype(str)


def insiders(part: Sequence[Cell], scopes: Sequence[tuple[str, ...]],
             residual: dict[tuple[str, ...], dict[str, Cell]]) -> tuple[list[Insider], frozenset[str]]:
    """Per scope: the cells of its municipalities (known exactly) and the cells it attacks: every other sensitive
    cell at ±50 %, and every Fyrbodal cell whose part from other municipalities' companies (``residual``) is
    sensitive, at ±50 % of that part (the insider subtracts their own part from it). And the Fyrbodal cells that
    are sensitive only so (hidden as primary)."""
    out: list[Insider] = []
    primary: set[str] = set()
    for scope in scopes:
        inside, own = set(scope), residual.get(tuple(scope), {})
        known = frozenset(c.key for c in part if c.key.split("|")[3] in inside)
        attacked = {}
        for c in part:
            if c.key in known:
                continue
            if c.key.split("|")[3] == REGION:
                rest = own.get(c.key)
                if rest is not None and rest.value != 0 and is_sensitive(rest.companies, abs(rest.value), rest.top):
                    attacked[c.key] = PROTECTION * abs(rest.value)
                    primary.add(c.key)
            elif c.value != 0 and is_sensitive(c.companies, abs(c.value), c.top):
                attacked[c.key] = PROTECTION * abs(c.value)
        out.append((known, attacked))
    return out, frozenset(primary)


def build(needs: pd.DataFrame, codes: list[str], scopes: Sequence[tuple[str, ...]] | None = None,
          through: str = "", listed: Listed | None = None) -> Release:
    """``needs``: the register's needs (``municipality_code``, ``company_id``, ``persons``, ``collected_on``,
    ``need_type``, ``competence``, ``industry_group``); ``codes``: the municipalities published (Fyrbodal's 14).
    ``scopes``: the insiders protected against (``insider_scopes``; default each municipality alone; ``()``:
    outsiders only); ``through``: the last month published ("2026-09"; "" every need); ``listed``: the values the
    breakdowns list every year, zeros included (the catalogue; None: only those with needs, in tests).

    Years and measures share no relation, so each (year, measure) is protected on its own."""
    scopes = insider_scopes(codes) if scopes is None else scopes
    published = cut(needs, codes, through)
    cells, relations = tables(published, codes, through, listed=listed)
    residual = others(contributions(published), municipality_of(published), scopes) if scopes and len(published) else {}
    protected: dict[str, Cell] = {}
    for group in groups(cells):
        part, tied = in_group(cells, relations, group)
        attackers, primary = insiders(part, scopes, residual)
        protected |= protect(part, tied, cost, attackers, primary=primary)
    hide_alongside(protected, relations)
    return made(protected, published, codes, through, scopes)


def cut(needs: pd.DataFrame, codes: Sequence[str], through: str = "") -> pd.DataFrame:
    """The needs a release publishes: of ``codes``, collected by the end of month ``through`` ("" every one)."""
    inside = needs[needs["municipality_code"].astype(str).isin(codes)]
    if through:
        inside = inside[inside["collected_on"] <= pd.Period(through, "M").end_time]
    return inside


def groups(cells: Iterable[Cell]) -> list[str]:
    """The (year, measure) groups, "2026|persons": no relation ties two of them."""
    return sorted({"|".join(c.key.split("|", 2)[:2]) for c in cells})


def in_group(cells: Sequence[Cell], relations: Sequence[Relation], group: str) -> tuple[list[Cell], list[Relation]]:
    return [c for c in cells if c.key.startswith(group + "|")], [r for r in relations if r[0].startswith(group + "|")]


def made(protected: dict[str, Cell], published: pd.DataFrame, codes: Sequence[str], through: str,
         scopes: Sequence[tuple[str, ...]]) -> Release:
    start = str(published["collected_on"].min().to_period("M")) if len(published) else ""
    return Release(protected, tuple(years_of(published)), tuple(codes), start, through, published,
                   scopes=tuple(tuple(s) for s in scopes))


def closed_through(today: dt.date) -> str:
    """The last month of the last quarter closed by ``today`` ("2026-09" on 2026-12-03)."""
    q = (today.month - 1) // 3
    return f"{today.year - 1}-12" if q == 0 else f"{today.year}-{3 * q:02d}"


@lru_cache(maxsize=256)
def after(through: str) -> dt.date:
    """The first day after month ``through``: the day a release of it could first be made (kept: a page asks it
    several times a run, and pandas' Period made it ~1 % of a burst's CPU, issue 35)."""
    return (pd.Period(through, "M") + 1).start_time.date()


def release_quarters(published: Release, year: int, today: dt.date) -> tuple[int, ...]:
    """``compared_quarters`` of a release: the quarters closed by the day after the months it covers (or ``today``)."""
    closed = min(after(published.through), today) if published.through else today
    return compared_quarters(year, published.start, closed)


@lru_cache(maxsize=256)
def compared_quarters(year: int, start: str, today: dt.date) -> tuple[int, ...]:
    """The quarters of ``year`` a change compares with the same quarters of the year before: those complete by
    ``today`` (all four of a closed year) that the register (from month ``start``) covers whole in the year before."""
    complete = 4 if year < today.year else (today.month - 1) // 3 if year == today.year else 0
    if not start:
        return ()
    first = pd.Period(start, "M")
    return tuple(q for q in range(1, complete + 1) if pd.Period(f"{year - 1}-{3 * q - 2:02d}", "M") >= first)
