"""Small-number suppression: primary, secondary, and nothing recoverable by subtraction."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.suppression import Cell, protect, recoverable


def test_fewer_than_three_companies_is_suppressed_and_zero_is_not():
    out = protect([Cell("a", 5, 2), Cell("b", 9, 3), Cell("c", 0, 0), Cell("d", 4, 1)])
    assert [out[k].suppressed for k in "abcd"] == [True, False, False, True]
    assert out["a"].shown is None and out["b"].shown == 9 and out["c"].shown == 0


def test_a_lone_suppressed_cell_in_a_total_gets_a_complement():
    cells = [Cell("total", 30, 9), Cell("recruitment", 4, 2), Cell("upskilling", 26, 7)]
    groups = [("total", ["recruitment", "upskilling"])]
    out = protect(cells, groups)
    assert out["recruitment"].primary and out["upskilling"].suppressed and not out["upskilling"].primary
    assert not out["total"].suppressed
    assert recoverable(out, groups) == []


def test_the_complement_is_the_smallest_non_zero_cell():
    cells = [Cell("t", 40, 12), Cell("a", 3, 1), Cell("b", 0, 0), Cell("c", 7, 4), Cell("d", 30, 7)]
    out = protect(cells, [("t", ["a", "b", "c", "d"])])
    assert {k for k, c in out.items() if c.suppressed} == {"a", "c"}


def test_a_total_is_not_chosen_as_a_complement():
    """Municipalities add up to the area; the area is also split by need type."""
    cells = [Cell("area", 50, 12), Cell("m1", 2, 1), Cell("m2", 48, 11), Cell("rec", 20, 6), Cell("up", 30, 8)]
    groups = [("area", ["m1", "m2"]), ("area", ["rec", "up"])]
    out = protect(cells, groups)
    assert out["m1"].suppressed and out["m2"].suppressed and not out["area"].suppressed
    assert recoverable(out, groups) == []


@pytest.mark.parametrize("seed", range(40))
def test_cross_tables_never_leak(seed):
    """Random cross tables with row, column and grand totals: no suppressed cell can be computed."""
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    companies = rng.choice([0, 1, 2, 3, 5, 8], size=(rows, cols), p=[0.15, 0.2, 0.15, 0.2, 0.15, 0.15])
    values = np.where(companies > 0, companies * rng.integers(1, 4, size=(rows, cols)), 0)
    cells = [Cell(f"{i},{j}", values[i, j], companies[i, j]) for i, j in itertools.product(range(rows), range(cols))]
    cells += [Cell(f"r{i}", values[i].sum(), companies[i].sum()) for i in range(rows)]
    cells += [Cell(f"c{j}", values[:, j].sum(), companies[:, j].sum()) for j in range(cols)]
    cells.append(Cell("all", values.sum(), companies.sum()))
    groups = [(f"r{i}", [f"{i},{j}" for j in range(cols)]) for i in range(rows)]
    groups += [(f"c{j}", [f"{i},{j}" for i in range(rows)]) for j in range(cols)]
    groups += [("all", [f"r{i}" for i in range(rows)]), ("all", [f"c{j}" for j in range(cols)])]
    out = protect(cells, groups)
    assert recoverable(out, groups) == []
    for cell in cells:
        if 0 < cell.companies < 3:
            assert out[cell.key].suppressed
