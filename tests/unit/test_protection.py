"""Protection of linked tables: sensitive cells hidden, and no interval attack narrows them.

The attack here is written out independently of ``core.disclosure.protection``: a table's structure is known
to the test, the LP is built from it directly with ``scipy.optimize.linprog``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from core.disclosure.protection import PROTECTION, Cell, Interval, is_sensitive, protect


@pytest.mark.parametrize(("companies", "value", "top", "sensitive"), [
    (0, 0.0, (0, 0), False),  # empty: nothing to hide
    (1, 7.0, (7, 0), True),
    (2, 9.0, (5, 4), True),
    (3, 30.0, (10, 10), False),
    (3, 30.0, (28, 1), True),  # the others hold 1 < 10 % of 28: the second could estimate the first
    (5, 100.0, (60, 31), False),  # 9 >= 6
    (5, 100.0, (80, 15), True),  # 5 < 8
])
def test_primary_rules(companies, value, top, sensitive):
    assert is_sensitive(companies, value, top) is sensitive


def table(rng: np.random.Generator, rows: int, cols: int):
    """A rows x cols table with row totals, column totals and a grand total; about a third of the
    interior cells come from one or two companies."""
    values = rng.integers(0, 30, size=(rows, cols)).astype(float)
    companies = rng.integers(3, 9, size=(rows, cols))
    small = rng.random((rows, cols)) < 0.33
    companies[small] = rng.integers(1, 3, size=small.sum())
    values[values == 0] = 0
    companies[values == 0] = 0
    cells = [Cell(f"{i},{j}", values[i, j], int(companies[i, j]), (values[i, j], 0.0) if companies[i, j] == 1 else (values[i, j] / 2, values[i, j] / 2))
             for i in range(rows) for j in range(cols)]
    cells += [Cell(f"{i},T", values[i].sum(), 20, (1, 1)) for i in range(rows)]
    cells += [Cell(f"T,{j}", values[:, j].sum(), 20, (1, 1)) for j in range(cols)]
    cells.append(Cell("T,T", values.sum(), 99, (1, 1)))
    relations = [(f"{i},T", [f"{i},{j}" for j in range(cols)]) for i in range(rows)]
    relations += [(f"T,{j}", [f"{i},{j}" for i in range(rows)]) for j in range(cols)]
    relations += [("T,T", [f"{i},T" for i in range(rows)]), ("T,T", [f"T,{j}" for j in range(cols)])]
    return cells, relations, values


def attack(out: dict[str, Cell], rows: int, cols: int, known_row: int | None = None) -> dict[str, tuple[float, float]]:
    """Min and max of every hidden interior cell given what is shown (the test's own LP); ``known_row``: an
    insider who also knows that row's cells exactly (a broker's own municipality)."""
    keys = [f"{i},{j}" for i in range(rows) for j in range(cols)]
    idx = {k: n for n, k in enumerate(keys)}
    a_eq, b_eq = [], []

    def equation(members: list[str], total: float) -> None:
        row = np.zeros(len(keys))
        for k in members:
            row[idx[k]] = 1
        a_eq.append(row)
        b_eq.append(total)

    for k in keys:  # shown interior cells are known, and an insider's row
        if not out[k].suppressed or known_row is not None and k.split(",")[0] == str(known_row):
            equation([k], out[k].value)
    for i in range(rows):
        if not out[f"{i},T"].suppressed:
            equation([f"{i},{j}" for j in range(cols)], out[f"{i},T"].value)
    for j in range(cols):
        if not out[f"T,{j}"].suppressed:
            equation([f"{i},{j}" for i in range(rows)], out[f"T,{j}"].value)
    if not out["T,T"].suppressed:
        equation(keys, out["T,T"].value)
    found = {}
    for k in keys:
        if not out[k].suppressed:
            continue
        c = np.zeros(len(keys))
        c[idx[k]] = 1
        low = linprog(c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
        found[k] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return found


@pytest.mark.parametrize(("seed", "rows", "cols"), list(itertools.product(range(8), [3, 5], [4, 7])))
def test_no_sensitive_cell_is_shown_or_narrowed_below_half_its_value(seed, rows, cols):
    cells, relations, _ = table(np.random.default_rng(seed), rows, cols)
    out = protect(cells, relations)
    sensitive = [c for c in cells if is_sensitive(c.companies, c.value, c.top)]
    assert sensitive, "the generated table has small cells"
    assert all(out[c.key].suppressed for c in sensitive)
    bounds = attack(out, rows, cols)
    for c in sensitive:
        if c.value == 0 or "T" in c.key:
            continue
        low, high = bounds[c.key]
        assert low <= c.value * (1 - PROTECTION) + 1e-6 and high >= c.value * (1 + PROTECTION) - 1e-6, (c, low, high)


def test_hiding_a_lone_small_cell_needs_complements_with_enough_mass():
    """One cell of 10 from one company beside a 1 in its row: hiding the 1 as well would let an
    attacker bound the 10 to [10, 11]. The complements found must carry at least half its value."""
    cells = [Cell("a", 10, 1, (10, 0)), Cell("b", 1, 4, (0.3, 0.3)), Cell("c", 40, 9, (5, 5)), Cell("row", 51, 12, (10, 5))]
    out = protect(cells, [("row", ["a", "b", "c"])])
    hidden = [k for k, c in out.items() if c.suppressed]
    assert "a" in hidden and "c" in hidden, hidden


def test_the_cheaper_cell_is_hidden_and_totals_last():
    cells = [Cell("a", 8, 1, (8, 0)), Cell("b", 30, 5, (8, 8)), Cell("c", 30, 5, (8, 8)), Cell("total", 68, 11, (8, 8))]
    out = protect(cells, [("total", ["a", "b", "c"])], cost=lambda k: 100.0 if k == "total" else (1.0 if k == "c" else 2.0))
    assert out["c"].suppressed and not out["b"].suppressed and not out["total"].suppressed


def test_more_suppression_never_narrows_an_interval():
    cells, relations, _ = table(np.random.default_rng(3), 4, 5)
    out = protect(cells, relations)
    before = attack(out, 4, 5)
    extra = next(k for k, c in out.items() if not c.suppressed and "T" not in k)
    more = dict(out) | {extra: Cell(extra, out[extra].value, out[extra].companies, suppressed=True)}
    after = attack(more, 4, 5)
    for k, (low, high) in before.items():
        assert after[k][0] <= low + 1e-6 and after[k][1] >= high - 1e-6


def insider_of(row: int, cells: list[Cell], cols: int) -> tuple[frozenset, frozenset]:
    value = {c.key: c.value for c in cells}
    known = frozenset(k for k in value if k.split(",")[0] == str(row))
    own = frozenset([f"T,{j}" for j in range(cols) if value[f"{row},{j}"] > 0] + ["T,T"])
    return known, own


def narrowed_by_insiders(out: dict[str, Cell], cells: list[Cell], rows: int, cols: int) -> list[str]:
    """Sensitive interior cells an insider of another row narrows below ±50 %."""
    found = []
    sensitive = [c for c in cells if is_sensitive(c.companies, c.value, c.top) and c.value > 0 and "T" not in c.key]
    for row in range(rows):
        bounds = attack(out, rows, cols, known_row=row)
        for c in sensitive:
            if c.key.split(",")[0] == str(row):
                continue
            low, high = bounds[c.key]
            if not (low <= c.value * (1 - PROTECTION) + 1e-6 and high >= c.value * (1 + PROTECTION) - 1e-6):
                found.append(f"row {row} narrows {c.key}: {c.value:g} in [{low:g}, {high:g}]")
    return found


CASES = list(itertools.product(range(8), [3, 5], [4, 7]))


@pytest.mark.parametrize(("seed", "rows", "cols"), CASES)
def test_an_insider_who_knows_a_row_narrows_nothing_in_the_others(seed, rows, cols):
    cells, relations, _ = table(np.random.default_rng(seed), rows, cols)
    out = protect(cells, relations, insiders=[insider_of(r, cells, cols) for r in range(rows)])
    assert narrowed_by_insiders(out, cells, rows, cols) == []
    assert all(out[c.key].suppressed for c in cells if is_sensitive(c.companies, c.value, c.top))


def _bitten_without_insider_protection(seed: int, rows: int, cols: int) -> bool:
    cells, relations, _ = table(np.random.default_rng(seed), rows, cols)
    return bool(narrowed_by_insiders(protect(cells, relations), cells, rows, cols))


def test_the_insider_attack_bites_without_insider_protection():
    """The cases in order until one bites: that the attack bites is what counts, not how often."""
    assert any(_bitten_without_insider_protection(*case) for case in CASES), \
        "an outsider's protection alone leaves an insider something to narrow"


def test_a_target_one_reader_hides_is_attacked_by_the_readers_checked_before():
    """The red team's case (issue 37): the second reader hides its shown target ``b`` (as primary) and needs no
    complement for itself; the first reader, checked before, knows ``a`` and ``c`` and so reads ``b`` = T - a - c
    exactly unless it is attacked again. Hiding a target counts as a change, so it is (it was read as [10, 10])."""
    cells = [Cell("a", 2.0, 1), Cell("b", 10.0, 5), Cell("c", 8.0, 4), Cell("T", 20.0, 10)]
    relations = [("T", ["a", "b", "c"])]
    knows_a_and_c = (frozenset({"a", "c"}), frozenset({"a"}))  # the older form: its own cells are {"a"}
    attacks_b = (frozenset(), {"b": 5.0})
    out = protect(cells, relations, lambda k: {"b": 5.0, "T": 20.0}.get(k, 1.0), [knows_a_and_c, attacks_b])
    assert out["b"].suppressed and out["b"].primary
    view = {k: (Cell(k, c.value, c.companies) if k in {"a", "c"} else c) for k, c in out.items()}
    low, high = Interval(view, relations).bounds("b")
    assert low <= 10.0 * (1 - PROTECTION) and high >= 10.0 * (1 + PROTECTION), (low, high)
