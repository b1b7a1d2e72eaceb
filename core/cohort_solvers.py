"""Solvers for one competence's cohorts: exact (MILP with HiGHS) and a greedy heuristic.

Both take the competence's *slots* (``core.cohorts.pairs``: one row per need x (host, window)
it may join, with its persons and minutes) and the class size bounds, and return the chosen
cohorts as ``{(host, window): [need ids]}``. The objective, in order: most persons placed, then
the shortest longest journey, then the fewest person-minutes of travel.

The MILP (``scipy.optimize.milp``, which is HiGHS's branch and cut, shipped with scipy) solves
the three objectives in turn, each stage keeping the previous optimum as a constraint. Both are
deterministic for the same input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

Chosen = dict[tuple[str, str], list[int]]


@dataclass(frozen=True)
class Solution:
    chosen: Chosen
    status: str  # "optimal" | "time_limit" | "heuristic"
    gap: float


def prune(slots: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Drop cohort slots whose compatible persons cannot reach the minimum (they can never open)."""
    _, slot = np.unique(_slot_keys(slots), return_inverse=True)
    totals = np.bincount(slot, weights=slots["persons"].to_numpy(float))
    kept = slots[totals[slot] >= minimum]
    return kept.sort_values(["host", "window", "need_id"], kind="stable").reset_index(drop=True)


def _slot_keys(slots: pd.DataFrame) -> np.ndarray:
    return np.char.add(np.char.add(slots["host"].to_numpy(str), "|"), slots["window"].to_numpy(str))


def milp_solve(slots: pd.DataFrame, minimum: int, maximum: int, time_limit: float = 10.0) -> Solution:
    slots = prune(slots, minimum)
    if slots.empty:
        return Solution({}, "optimal", 0.0)
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
    options = {"time_limit": time_limit, "disp": False}

    placed = np.r_[persons, np.zeros(n_cohorts + 1)]
    first = milp(-placed, constraints=constraints, integrality=integrality, bounds=bounds, options=options)
    if first.x is None:
        return Solution({}, "time_limit", float("nan"))
    status = "optimal" if first.status == 0 else "time_limit"
    gap = float(getattr(first, "mip_gap", 0.0) or 0.0)
    keep = [*constraints, LinearConstraint(placed.reshape(1, -1), round(-first.fun) - 0.5, np.inf),
            LinearConstraint(block(j, j, minutes, n_pairs) + block(j, np.full(n_pairs, n_vars - 1), -np.ones(n_pairs), n_pairs),
                             -np.inf, 0)]
    result = first
    second = milp(np.r_[np.zeros(n_pairs + n_cohorts), 1.0], constraints=keep, integrality=integrality, bounds=bounds,
                  options=options)
    if second.x is not None:
        result = second
        capped = Bounds(np.zeros(n_vars), np.r_[np.ones(n_pairs + n_cohorts), float(second.x[-1]) + 1e-6])
        third = milp(np.r_[persons * minutes, np.zeros(n_cohorts + 1)], constraints=keep, integrality=integrality,
                     bounds=capped, options=options)
        result = third if third.x is not None else second
        if second.status != 0 or third.status != 0:
            status = "time_limit"
    return Solution(_chosen(slots, result.x[:n_pairs] > 0.5), status, gap)


def _chosen(slots: pd.DataFrame, picked: np.ndarray) -> Chosen:
    out: Chosen = {}
    for need_id, host, window in zip(slots["need_id"].to_numpy()[picked], slots["host"].to_numpy(str)[picked],
                                     slots["window"].to_numpy(str)[picked]):
        out.setdefault((host, window), []).append(int(need_id))
    return out


def greedy_solve(slots: pd.DataFrame, minimum: int, maximum: int) -> Solution:
    """Open the slot that places the most persons (nearest members first), remove them, repeat."""
    slots = prune(slots, minimum)
    left = set(slots["need_id"])
    chosen: Chosen = {}
    groups = {key: g.sort_values(["minutes", "persons", "need_id"], ascending=[True, False, True], kind="stable")
              for key, g in slots.groupby(["host", "window"], sort=True)}
    while True:
        best = None
        for key, group in groups.items():
            members, total, longest, travel = [], 0, 0.0, 0.0
            for row in group.itertuples(index=False):
                if row.need_id in left and total + row.persons <= maximum:
                    members.append(int(row.need_id))
                    total += int(row.persons)
                    longest, travel = max(longest, row.minutes), travel + row.minutes * row.persons
            if total >= minimum and (best is None or (total, -longest, -travel) > best[0]):
                best = ((total, -longest, -travel), key, members)
        if best is None:
            return Solution(chosen, "heuristic", float("nan"))
        chosen[best[1]] = best[2]
        left -= set(best[2])
