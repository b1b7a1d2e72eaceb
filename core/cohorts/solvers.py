"""Solvers for one competence's cohorts: exact (MILP with HiGHS) and a greedy heuristic.

Both take the competence's *slots* (``core.cohorts.finder.pairs``: one row per need x (host, window)
it may join, with its persons and minutes) and the class size bounds, and return the chosen
cohorts as ``{(host, window): [need ids]}``. The objective, in order: most persons placed, then
the shortest longest journey, then the fewest person-minutes of travel.

The MILP (``scipy.optimize.milp``, which is HiGHS's branch and cut, shipped with scipy) solves
the three objectives in turn, each stage keeping the previous optimum as a constraint. The
problem falls apart into independent pieces (needs and slots that share no slot or need): each is
solved on its own, with a share of the time limit in proportion to its size; where a piece runs
out of time, the better of the MILP's incumbent and the greedy answer is kept and the MILP's
bound gives the gap. Both methods are deterministic for the same input.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

Chosen = dict[tuple[str, str], list[int]]


@dataclass(frozen=True)
class Solution:
    chosen: Chosen
    status: str  # "optimal" | "time_limit" | "heuristic"
    placed: int
    bound: float  # most persons any solution could place (the MILP's dual bound); nan for greedy

    @property
    def gap(self) -> float:
        return (self.bound - self.placed) / self.bound if self.bound and self.bound == self.bound else 0.0 if self.bound == 0 else float("nan")


def prune(slots: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Drop cohort slots whose compatible persons cannot reach the minimum (they can never open)."""
    _, slot = np.unique(_slot_keys(slots), return_inverse=True)
    totals = np.bincount(slot, weights=slots["persons"].to_numpy(float))
    kept = slots[totals[slot] >= minimum]
    return kept.sort_values(["host", "window", "need_id"], kind="stable").reset_index(drop=True)


def _slot_keys(slots: pd.DataFrame) -> np.ndarray:
    return np.char.add(np.char.add(slots["host"].to_numpy(str), "|"), slots["window"].to_numpy(str))


def pieces(slots: pd.DataFrame) -> list[np.ndarray]:
    """Row indices of the independent pieces: needs and slots joined by the pairs between them."""
    if slots.empty:
        return []
    _, slot = np.unique(_slot_keys(slots), return_inverse=True)
    _, need = np.unique(slots["need_id"].to_numpy(), return_inverse=True)
    n_need = int(need.max()) + 1
    size = n_need + int(slot.max()) + 1
    graph = coo_matrix((np.ones(len(slots)), (need, n_need + slot)), shape=(size, size))
    _, label = connected_components(graph, directed=False)
    rows = label[need]
    order = np.argsort(rows, kind="stable")
    return [order[b:e] for b, e in zip(*_bounds(rows[order]))]


def _bounds(sorted_labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    return starts, np.r_[starts[1:], len(sorted_labels)]


def exact(slots: pd.DataFrame, minimum: int, maximum: int, time_limit: float = 60.0) -> Solution:
    """The MILP, piece by piece, within ``time_limit`` seconds in all."""
    slots = prune(slots, minimum)
    parts = sorted(pieces(slots), key=len)
    chosen: Chosen = {}
    placed, bound, optimal = 0, 0.0, True
    budget, left = float(time_limit), len(slots)
    for rows in parts:
        share = max(0.05, budget * len(rows) / max(left, 1))
        start = time.perf_counter()
        part = slots.iloc[rows].reset_index(drop=True)
        solution = _milp(part, minimum, maximum, share)
        if solution.status != "optimal":
            optimal = False
            fallback = greedy(part, minimum, maximum)
            if fallback.placed > solution.placed:
                solution = Solution(fallback.chosen, "time_limit", fallback.placed, solution.bound)
        chosen.update(solution.chosen)
        placed, bound = placed + solution.placed, bound + solution.bound
        budget, left = max(0.0, budget - (time.perf_counter() - start)), left - len(rows)
    return Solution(chosen, "optimal" if optimal else "time_limit", placed, bound)


def _milp(slots: pd.DataFrame, minimum: int, maximum: int, time_limit: float) -> Solution:
    n_pairs = len(slots)
    _, cohort = np.unique(_slot_keys(slots), return_inverse=True)
    need_ids, need = np.unique(slots["need_id"].to_numpy(), return_inverse=True)
    n_cohorts = int(cohort.max()) + 1
    n_vars = n_pairs + n_cohorts + 1  # x pairs, y cohorts, T (the longest journey)
    persons = slots["persons"].to_numpy(float)
    minutes = slots["minutes"].to_numpy(float)
    j = np.arange(n_pairs)
    y_cols = n_pairs + np.arange(n_cohorts)

    def block(rows, cols, vals, n_rows):
        return csr_matrix(coo_matrix((vals, (rows, cols)), shape=(n_rows, n_vars)))

    fill = block(cohort, j, persons, n_cohorts)
    constraints = [
        LinearConstraint(block(need, j, np.ones(n_pairs), len(need_ids)), -np.inf, 1),  # a need in one cohort at most
        LinearConstraint(fill + block(np.arange(n_cohorts), y_cols, np.full(n_cohorts, -float(maximum)), n_cohorts), -np.inf, 0),
        LinearConstraint(fill + block(np.arange(n_cohorts), y_cols, np.full(n_cohorts, -float(minimum)), n_cohorts), 0, np.inf),
    ]
    integrality = np.r_[np.ones(n_pairs + n_cohorts), 0]
    bounds = Bounds(np.zeros(n_vars), np.r_[np.ones(n_pairs + n_cohorts), np.inf])

    def options(share: float) -> dict:
        return {"time_limit": max(0.02, time_limit * share), "disp": False}

    placed = np.r_[persons, np.zeros(n_cohorts + 1)]
    first = milp(-placed, constraints=constraints, integrality=integrality, bounds=bounds, options=options(0.6))
    if first.x is None:
        return Solution({}, "time_limit", 0, float(persons.sum()))
    best = int(round(-first.fun))
    bound = float(-first.mip_dual_bound) if getattr(first, "mip_dual_bound", None) is not None else float(best)
    if first.status != 0:  # out of time: keep the incumbent, skip the travel stages
        return Solution(_chosen(slots, first.x[:n_pairs] > 0.5), "time_limit", best, max(bound, best))
    keep = [*constraints, LinearConstraint(placed.reshape(1, -1), best - 0.5, np.inf),
            LinearConstraint(block(j, j, minutes, n_pairs) + block(j, np.full(n_pairs, n_vars - 1), -np.ones(n_pairs), n_pairs),
                             -np.inf, 0)]
    result, status = first, "optimal"
    second = milp(np.r_[np.zeros(n_pairs + n_cohorts), 1.0], constraints=keep, integrality=integrality, bounds=bounds,
                  options=options(0.2))
    if second.x is not None:
        result = second
        capped = Bounds(np.zeros(n_vars), np.r_[np.ones(n_pairs + n_cohorts), float(second.x[-1]) + 1e-6])
        third = milp(np.r_[persons * minutes, np.zeros(n_cohorts + 1)], constraints=keep, integrality=integrality,
                     bounds=capped, options=options(0.2))
        result = third if third.x is not None else second
    return Solution(_chosen(slots, result.x[:n_pairs] > 0.5), status, best, float(best))


def _chosen(slots: pd.DataFrame, picked: np.ndarray) -> Chosen:
    out: Chosen = {}
    for need_id, host, window in zip(slots["need_id"].to_numpy()[picked], slots["host"].to_numpy(str)[picked],
                                     slots["window"].to_numpy(str)[picked]):
        out.setdefault((host, window), []).append(int(need_id))
    return out


def greedy(slots: pd.DataFrame, minimum: int, maximum: int) -> Solution:
    """Open the slot that places the most persons (its nearest available members first, up to the
    maximum), remove them, repeat until no slot reaches the minimum. Vectorised over all slots."""
    slots = prune(slots, minimum)
    if slots.empty:
        return Solution({}, "heuristic", 0, float("nan"))
    slots = slots.sort_values(["host", "window", "minutes", "persons", "need_id"], ascending=[True, True, True, False, True],
                              kind="stable").reset_index(drop=True)
    keys, slot = np.unique(_slot_keys(slots), return_inverse=True)
    starts, _ = _bounds(slot)
    need_ids, need = np.unique(slots["need_id"].to_numpy(), return_inverse=True)
    persons, minutes = slots["persons"].to_numpy(float), slots["minutes"].to_numpy(float)
    free = np.ones(len(need_ids), dtype=bool)
    chosen: Chosen = {}
    placed = 0
    while True:
        p = persons * free[need]
        cum = np.cumsum(p)
        before = np.repeat(cum[starts] - p[starts], np.diff(np.r_[starts, len(p)]))
        take = (p > 0) & (cum - before <= maximum)
        total = np.bincount(slot, weights=p * take, minlength=len(keys))
        longest = np.maximum.reduceat(minutes * take, starts)
        travel = np.bincount(slot, weights=p * minutes * take, minlength=len(keys))
        ok = np.flatnonzero(total >= minimum)
        if not len(ok):
            return Solution(chosen, "heuristic", placed, float("nan"))
        best = ok[np.lexsort((ok, travel[ok], longest[ok], -total[ok]))[0]]
        rows = np.flatnonzero((slot == best) & take)
        host, window = keys[best].split("|", 1)
        chosen[(host, window)] = sorted(int(i) for i in need_ids[need[rows]])
        free[need[rows]] = False
        placed += int(total[best])
