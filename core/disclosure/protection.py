"""Protection of linked tables against the interval attack: primary rules, then secondary suppression
verified by linear programming.

A visitor who sees some cells of linked tables (totals = sums of their members) can compute, for a
hidden cell, the smallest and largest value it can take: two linear programmes over the hidden cells
with every relation and ``x >= 0``. Hiding a small cell is not enough when those bounds are tight; a
cell is *protected* only when its interval reaches at least ``PROTECTION`` (50 %) below and above its
value. ``protect`` hides primary cells, then adds complements until every sensitive cell is
protected, and checks each claim with HiGHS (``highspy``: one model per system, re-solved for each bound; the
complements with one model per ``protect`` call, re-solved for each) rather than by a rule of thumb, so the guarantee holds for any
pattern of overlapping groups.

Primary (sensitive) cells:
- fewer than ``MIN_COMPANIES`` companies (1 or 2; 0 is an empty cell with nothing to hide);
- the p %-rule for dominance: the others than the two largest contributors add up to less than
  ``P_RULE`` of the largest, so the second largest could estimate the largest within that margin.

Hiding more cells never narrows an interval (every earlier solution stays feasible), so a cell once
verified stays protected while complements are added for others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import highspy
import numpy as np
from scipy.sparse import coo_matrix

MIN_COMPANIES = 3
P_RULE = 0.10
PROTECTION = 0.5
MAX_ROUNDS = 400
JOINT_ROUNDS = 20  # LPs that push every open cell at once (while each settles some) before one LP per cell

Relation = tuple[str, Sequence[str]]  # (key of the total, keys of the members that add up to it)
# (cells a reader knows exactly, what they attack): either the cells they attack, each with the half width of the
# interval it must keep (a Fyrbodal figure minus the reader's own part is attacked with the others' part's width), or,
# the older form, the cells that hold their own contributions (left out; every other sensitive cell attacked at ±50 %)
Insider = tuple[frozenset[str], "Mapping[str, float] | frozenset[str]"]


@dataclass(frozen=True)
class Cell:
    key: str
    value: float
    companies: int
    top: tuple[float, float] = (0.0, 0.0)  # the two largest companies' contributions (dominance)
    suppressed: bool = False
    primary: bool = False

    @property
    def shown(self) -> float | None:
        return None if self.suppressed else self.value


def is_sensitive(companies: int, value: float = 0.0, top: tuple[float, float] = (0.0, 0.0)) -> bool:
    """1–2 companies, or dominated by its largest contributor (p %-rule)."""
    if companies <= 0:
        return False
    if companies < MIN_COMPANIES:
        return True
    largest, second = top
    return largest > 0 and value - largest - second < P_RULE * largest


class Interval:
    """Bounds of hidden cells given the shown ones: one sparse system, one LP per bound."""

    def __init__(self, cells: dict[str, Cell], relations: Sequence[Relation], signed: frozenset[str] = frozenset()):
        self.hidden = [k for k, c in cells.items() if c.suppressed]
        self.signed = signed
        # a box far beyond any figure instead of no limit: an LP that pushes many cells at once then has a solution
        # (an unbounded one has none), and a cell that reaches the box's side reaches its required bound too
        self.big = 100.0 * sum(abs(c.value) for c in cells.values()) + 1e6  # a change may be negative: -big to big
        self.index = {k: i for i, k in enumerate(self.hidden)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        rhs: list[float] = []
        for total, members in relations:
            terms = [(m, 1.0) for m in members] + [(total, -1.0)]
            known = sum(coef * cells[k].value for k, coef in terms if not cells[k].suppressed)
            unknown = [(self.index[k], coef) for k, coef in terms if cells[k].suppressed]
            if not unknown:
                continue
            r = len(rhs)
            for j, coef in unknown:
                rows.append(r)
                cols.append(j)
                vals.append(coef)
            rhs.append(-known)
        self.matrix = coo_matrix((vals, (rows, cols)), shape=(len(rhs), len(self.hidden))).tocsr()
        self.rhs = np.array(rhs)
        self._highs: Any = None  # highspy._Highs, untyped in highspy's stubs

    def extreme(self, weights: dict[str, float], sense: int) -> np.ndarray | None:
        """A solution maximising (``sense`` = 1) or minimising (-1) the weighted sum of hidden cells."""
        n = len(self.hidden)
        if not n:
            return np.zeros(0)
        c = np.zeros(n)
        for k, w in weights.items():
            c[self.index[k]] = -sense * w
        solver = self._solver()
        solver.changeColsCost(n, np.arange(n, dtype=np.int32), c)
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:  # a maximum without limit
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            return np.zeros(n)
        return np.array(solver.getSolution().col_value)

    def _solver(self) -> Any:
        """One HiGHS model of the system, made at the first LP: the later LPs change only the objective, so each
        starts from the basis the one before ended with (scipy's ``linprog`` built and presolved the model again for
        each of the ~2,000 LPs of a release: most of a release's time)."""
        if self._highs is None:
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = len(self.hidden), self.matrix.shape[0]
            lp.col_cost_ = np.zeros(lp.num_col_)
            lp.col_lower_ = np.array([-self.big if k in self.signed else 0.0 for k in self.hidden], dtype=np.float64)
            lp.col_upper_ = np.full(lp.num_col_, self.big)
            lp.row_lower_ = lp.row_upper_ = np.asarray(self.rhs, dtype=np.float64)
            columns = self.matrix.tocsc()
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = columns.indptr, columns.indices, columns.data
            # the plain solver: highspy.Highs adds a layer of Python callbacks that prints HiGHS's banner on stdout
            # when it is made (in the middle of a command's output) and costs time at every call
            self._highs = getattr(highspy, "_Highs")()  # noqa: B009 (not in highspy's type stubs)
            self._highs.setOptionValue("output_flag", False)
            self._highs.setOptionValue("simplex_strategy", 4)
            self._highs.passModel(lp)
        return self._highs

    def bounds(self, key: str) -> tuple[float, float]:
        return self.bound(key, "low"), self.bound(key, "high")

    def bound(self, key: str, side: str) -> float:
        """The smallest (``low``) or largest (``high``) value the hidden cell ``key`` can take."""
        x = self.extreme({key: 1.0}, 1 if side == "high" else -1)
        if x is None:
            return float("inf") if side == "high" else (float("-inf") if key in self.signed else 0.0)
        return float(x[self.index[key]])


class Complements:
    """The complements a failing cell needs, by one LP: every cell free (``x >= 0``; a change signed) under the
    relations, the cell held at its required bound, each shown cell's distance from its value charged at its cost;
    the shown cells that had to move are exactly the complements that open the interval (the solution proves it).

    One HiGHS model per ``protect`` call: a column per cell (``x``) and two for its distance (``up``, ``down``), a row
    per relation and one per cell (``x - up + down = value``). A call changes only costs (a hidden cell is free) and
    one column's bounds, so each LP starts from the basis the one before ended with (scipy's ``linprog`` built and
    presolved the model of the cell's component again for each: half of a joint release's time)."""

    def __init__(self, cells: Mapping[str, Cell], relations: Sequence[Relation], signed: frozenset[str] = frozenset(),
                 preset: frozenset[str] = frozenset()):
        self.keys = sorted(cells)
        self.index = {k: i for i, k in enumerate(self.keys)}
        n = len(self.keys)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        r = 0
        for total, members in relations:
            for k in members:
                rows.append(r); cols.append(self.index[k]); vals.append(1.0)  # noqa: E702
            rows.append(r); cols.append(self.index[total]); vals.append(-1.0)  # noqa: E702
            r += 1
        ident = list(range(n))
        rows += [r + i for i in ident] * 3
        cols += ident + [n + i for i in ident] + [2 * n + i for i in ident]
        vals += [1.0] * n + [-1.0] * n + [1.0] * n
        self.values = np.array([cells[k].value for k in self.keys], dtype=np.float64)
        rhs = np.concatenate([np.zeros(r), self.values])
        matrix = coo_matrix((vals, (rows, cols)), shape=(r + n, 3 * n)).tocsc()
        self.lower = np.array([-highspy.kHighsInf if k in signed else 0.0 for k in self.keys], dtype=np.float64)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 3 * n, r + n
        lp.col_cost_ = np.zeros(3 * n)
        # a shown cell of an earlier release never moves (``preset``): fixed at its value, no distance to charge
        still = np.array([k in preset and not cells[k].suppressed for k in self.keys])
        lp.col_lower_ = np.concatenate([np.where(still, self.values, self.lower), np.zeros(2 * n)])
        lp.col_upper_ = np.concatenate([np.where(still, self.values, highspy.kHighsInf),
                                        np.where(np.r_[still, still], 0.0, highspy.kHighsInf)])
        lp.row_lower_ = lp.row_upper_ = rhs
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
        self.highs: Any = getattr(highspy, "_Highs")()  # noqa: B009 (not in highspy's type stubs)
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.n = n

    def unpin(self, view: Mapping[str, Cell], key: str, side: str, cost: Callable[[str], float],
              width: float | None = None) -> list[str] | None:
        """The cheapest shown cells of ``view`` whose hiding lets ``key`` reach its required bound on ``side`` ([]
        when it already can; None if the LP fails). ``cost``: per unit of a shown cell's move."""
        n = self.n
        shown = np.array([not view[k].suppressed and k != key for k in self.keys])
        charge = np.array([cost(k) if s else 0.0 for k, s in zip(self.keys, shown)], dtype=np.float64)
        self.highs.changeColsCost(2 * n, np.arange(n, 3 * n, dtype=np.int32), np.concatenate([charge, charge]))
        low, high = required(view[key], width)
        j = self.index[key]
        target = high if side == "high" else low
        self.highs.changeColsBounds(1, np.array([j], dtype=np.int32), np.array([target]), np.array([target]))
        try:
            self.highs.run()
            if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
            x = np.array(self.highs.getSolution().col_value)
        finally:
            self.highs.changeColsBounds(1, np.array([j], dtype=np.int32), np.array([self.lower[j]]),
                                        np.array([highspy.kHighsInf]))
        moved = x[n:2 * n] + x[2 * n:]
        return [k for k, s, d in zip(self.keys, shown, moved) if s and d > 1e-7]


def required(cell: Cell, width: float | None = None) -> tuple[float, float]:
    """The interval a sensitive cell's bounds must reach: 50 % below and above its value (of its size, for a
    change between two releases that may be negative); ``width``: another half width (a Fyrbodal figure attacked
    by an insider: half the others' part, since the insider knows their own part exactly)."""
    half = PROTECTION * abs(cell.value) if width is None else width
    return cell.value - half, cell.value + half


def _unverified(cells: dict[str, Cell], relations: Sequence[Relation], todo: Mapping[str, float],
                signed: frozenset[str] = frozenset()) -> dict[str, str]:
    """The sensitive cells (of ``todo``: each with its half width) whose interval is too narrow, with the side that
    fails. A few LPs that push all of them at once settle most; the rest get one LP per bound."""
    system = Interval(cells, relations, signed)
    failing: dict[str, str] = {}
    for side, sense in (("high", 1), ("low", -1)):
        open_ = set(todo)
        for _ in range(JOINT_ROUNDS):
            if not open_:
                break
            x = system.extreme({k: 1.0 / max(abs(cells[k].value), 1.0) for k in open_}, sense)
            if x is None:  # unbounded above: every cell with a free direction is settled by its own LP below
                break
            done = {k for k in open_ if _reaches(cells[k], x[system.index[k]], side, todo[k])}
            if not done:
                break
            open_ -= done
        for k in sorted(open_):
            if not _reaches(cells[k], system.bound(k, side), side, todo[k]):
                failing.setdefault(k, side)
    return failing


def _reaches(cell: Cell, bound: float, side: str, width: float | None = None) -> bool:
    low, high = required(cell, width)
    return bound >= high - 1e-6 if side == "high" else bound <= low + 1e-6


def protect(cells: Iterable[Cell], relations: Sequence[Relation], cost: Callable[[str], float] = lambda k: 1.0,
            insiders: Sequence[Insider] = (), preset: frozenset[str] = frozenset(),
            signed: frozenset[str] = frozenset(), primary: frozenset[str] = frozenset(),
            widths: Mapping[str, float] | None = None) -> dict[str, Cell]:
    """Hide the sensitive cells and enough complements that none of them can be narrowed below
    ±50 % of its value from what is shown. ``cost``: what hiding a cell costs the reader (per unit);
    totals and headline figures cost more, so complements are found among the detail first.

    ``insiders``: readers who know some cells exactly although the release hides them (a broker's own
    municipalities), each as (the cells they know, the cells that hold their own contributions). Each is
    attacked too: every cell they attack must keep its interval when their cells are known, and complements are
    added (never from what they know) until it does.

    ``preset``: cells whose ``suppressed`` and ``primary`` are decided already and never changed (an earlier
    release's cells, shown or hidden as they were published; the changes since, never published); ``signed``:
    cells that may be negative (a change). Complements are found among the other cells only. ``primary``: cells hidden
    as sensitive although their own figures are not (a Fyrbodal figure whose part outside an insider's own
    municipalities is sensitive). ``widths``: the half width an outsider attacks a cell with, where it is not 50 % of
    its value (a figure an earlier release showed: 50 % of its growth since; 0: not a target)."""
    out, model = _protect_outsider(cells, relations, cost, preset, signed, primary, widths)
    relations = [(t, [m for m in ms if m in out]) for t, ms in relations if t in out]
    # each reader's hidden targets when its attack last failed on ``out``: hiding more never narrows an interval, so
    # its attack fails again until another reader hides a cell it attacks (a new target to check; checking the
    # readers again after every change took a third of a year's releases on the national register)
    checked: dict[int, frozenset[str]] = {}
    for _ in range(MAX_ROUNDS):
        changed = False
        for i, (known, attacked) in enumerate(insiders):
            targets = _targets(out, known, attacked)  # its attack adds no target: it marks primary only these
            if checked.get(i) == _hidden(out, targets):
                continue
            changed |= _complete(out, relations, cost, known, targets, preset, signed, model)
            checked[i] = _hidden(out, targets)
        if not changed:
            return out
    raise RuntimeError("insider protection did not converge")  # pragma: no cover


def outsider_targets(out: Mapping[str, Cell], widths: Mapping[str, float] | None = None) -> dict[str, float]:
    """What an outsider attacks: every hidden cell sensitive by its own figures, at ±50 % of its value (or at its
    half width in ``widths``; 0: not a target)."""
    found = {k: (widths or {}).get(k, PROTECTION * abs(c.value)) for k, c in out.items()
             if c.primary and c.value != 0 and is_sensitive(c.companies, abs(c.value), c.top)}
    return {k: w for k, w in found.items() if w > 0}


def _targets(out: Mapping[str, Cell], known: frozenset[str], attacked: Mapping[str, float] | frozenset[str]) -> dict[str, float]:
    if isinstance(attacked, Mapping):
        return {k: w for k, w in attacked.items() if k in out and k not in known and w > 0}
    return {k: PROTECTION * abs(c.value) for k, c in out.items()  # the older form: their own cells left out
            if c.primary and c.value != 0 and k not in known and k not in attacked}


def _hidden(out: Mapping[str, Cell], targets: Mapping[str, float]) -> frozenset[str]:
    return frozenset(k for k in targets if out[k].suppressed)


def _complete(out: dict[str, Cell], relations: Sequence[Relation], cost: Callable[[str], float],
              known: frozenset[str] = frozenset(), targets: Mapping[str, float] | None = None,
              preset: frozenset[str] = frozenset(), signed: frozenset[str] = frozenset(),
              model: Complements | None = None) -> bool:
    """One reader's attack on ``out``, complements added in place until it fails; whether it hid any cell (a target or
    a complement: another reader may attack either). The
    reader knows the cells ``known`` exactly (none: an outsider) and attacks ``targets`` (each with the half width
    of the interval it must keep; default: the outsider's). A target shown (a Fyrbodal figure whose others' part is
    sensitive to this reader) is hidden first, unless an earlier release published it (``preset``)."""
    targets = outsider_targets(out) if targets is None else targets
    changed = False
    for k in sorted(targets):
        if out[k].suppressed or k in preset:
            continue
        out[k] = replace(out[k], suppressed=True, primary=True)
        changed = True
    todo = {k: w for k, w in targets.items() if out[k].suppressed}
    if not todo:
        return changed
    fixed = known | preset
    for _ in range(MAX_ROUNDS):
        view = {k: (replace(c, suppressed=False) if k in known and c.suppressed else c) for k, c in out.items()}
        failing = _unverified(view, relations, todo, signed)
        if not failing:
            return changed
        todo = {k: todo[k] for k in failing}
        added = False
        for k, side in sorted(failing.items()):
            charge: Callable[[str], float] = lambda key: 1e6 if key in fixed else cost(key)  # noqa: E731
            if model is None:
                model = Complements(out, relations, signed, preset)
            extras = model.unpin(view, k, side, charge, todo[k])
            if extras is None or (extras and not any(e not in fixed and not out[e].suppressed for e in extras)):
                # cannot happen with every cell free; should it, hide the rest of the component
                extras = sorted({c for t, ms in _tied(relations, k) for c in (t, *ms) if not view[c].suppressed})
            for extra in extras:
                if extra not in fixed and not out[extra].suppressed:
                    out[extra] = replace(out[extra], suppressed=True)
                    view[extra] = out[extra]
                    changed = added = True
        if not added:
            raise RuntimeError(f"protection cannot hide enough for {sorted(failing)[:3]}")  # pragma: no cover
    raise RuntimeError("protection did not converge")  # pragma: no cover


def _protect_outsider(cells: Iterable[Cell], relations: Sequence[Relation], cost: Callable[[str], float],
                      preset: frozenset[str] = frozenset(), signed: frozenset[str] = frozenset(),
                      primary: frozenset[str] = frozenset(), widths: Mapping[str, float] | None = None
                      ) -> tuple[dict[str, Cell], Complements]:
    """The sensitive cells hidden (primary), then complements until no outsider narrows one; and the model of the
    complement LPs, for the insiders' attacks."""
    out: dict[str, Cell] = {}
    for c in cells:
        if c.key in preset:
            out[c.key] = c
            continue
        sensitive = is_sensitive(c.companies, c.value, c.top) or (c.key in primary and c.value != 0)
        out[c.key] = replace(c, suppressed=sensitive, primary=sensitive)
    relations = [(t, [m for m in ms if m in out]) for t, ms in relations if t in out]
    model = Complements(out, relations, signed, preset)
    _complete(out, relations, cost, targets=outsider_targets(out, widths), preset=preset, signed=signed, model=model)
    return out, model


def _tied(relations: Sequence[Relation], key: str) -> list[Relation]:
    """The relations connected to ``key`` through shared cells (its component of the linked tables)."""
    index: dict[str, list[int]] = {}
    for i, (total, members) in enumerate(relations):
        for k in (total, *members):
            index.setdefault(k, []).append(i)
    seen, frontier, picked = {key}, [key], set()
    while frontier:
        nxt = []
        for k in frontier:
            for i in index.get(k, ()):
                if i in picked:
                    continue
                picked.add(i)
                total, members = relations[i]
                for m in (total, *members):
                    if m not in seen:
                        seen.add(m)
                        nxt.append(m)
        frontier = nxt
    return [relations[i] for i in sorted(picked)]
