"""Small-number suppression, the rule of official statistics, with secondary suppression.

No figure built from fewer than ``MIN_COMPANIES`` companies is shown. A table whose cells add up
to a shown total could give a suppressed cell away by subtraction, so in every such group with
exactly one suppressed cell a second one is suppressed too (the smallest other cell, zeros last:
a hidden zero still hides), and a hidden total never has all its cells shown. Groups may overlap (rows and columns of a cross table, a map's
municipalities and the area's total); the rule runs until no group has a lone suppressed cell.

Everything a briefing shows goes through ``protect`` first: the page, the PDF, the deck and
every export read the same protected cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_COMPANIES = 3


@dataclass(frozen=True)
class Cell:
    key: str
    value: float
    companies: int
    suppressed: bool = False
    primary: bool = False  # suppressed because it has too few companies (not only to protect another cell)

    @property
    def shown(self) -> float | None:
        return None if self.suppressed else self.value


def is_small(companies: int) -> bool:
    """A figure from 1 or 2 companies is too small to show (0 companies: nothing to hide)."""
    return 0 < companies < MIN_COMPANIES


def protect(cells: Iterable[Cell], groups: Iterable[tuple[str, list[str]]] = ()) -> dict[str, Cell]:
    """Primary and secondary suppression. ``groups``: (key of a shown total, keys of the cells that add up to it).

    A total is itself a cell (give it with its own companies); if it is suppressed, nothing in its
    group can be recovered from it and the group needs no complement."""
    out = {c.key: Cell(c.key, c.value, c.companies, is_small(c.companies), is_small(c.companies)) for c in cells}
    groups = [(total, [k for k in members if k in out]) for total, members in groups]
    totals = {total for total, _ in groups}
    changed = True
    while changed:
        changed = False
        for total, members in groups:
            hidden = [k for k in members if out[k].suppressed]
            if total in out and out[total].suppressed:
                if members and not hidden:  # a hidden total must not be the sum of shown cells
                    smallest = min((out[k] for k in members), key=lambda c: (c.key in totals, c.value == 0, c.value, c.key))
                    out[smallest.key] = Cell(smallest.key, smallest.value, smallest.companies, True, False)
                    changed = True
                continue
            if len(hidden) != 1:
                continue
            others = [out[k] for k in members if not out[k].suppressed]
            if not others:
                continue
            # never a total as the complement: its own members would add up to it again
            complement = min(others, key=lambda c: (c.key in totals, c.value == 0, c.value, c.key))
            out[complement.key] = Cell(complement.key, complement.value, complement.companies, True, False)
            changed = True
    return out


def recoverable(cells: dict[str, Cell], groups: Iterable[tuple[str, list[str]]]) -> list[str]:
    """Suppressed cells an attacker can compute (should be none): a shown total minus the shown others,
    or a hidden total as the sum of its shown members."""
    found = []
    for total, members in groups:
        present = [k for k in members if k in cells]
        hidden = [k for k in present if cells[k].suppressed]
        if total in cells and not cells[total].suppressed and len(hidden) == 1:
            found.append(hidden[0])
        if total in cells and cells[total].suppressed and present and not hidden:
            found.append(total)
    return found
