"""How ``make test`` shares the tests between its two xdist workers (one per core).

A module's tests stay together on one worker (its module fixtures, a register or a server, are built once), and the
browser tests (``tests/e2e/``) form one unit, run by one worker one module after another: each starts its own server
and Chromium, and two of them at once on two cores starve each other's waits. The other worker takes the rest, a module
at a time. The browser unit goes first: it is the longest single piece of work.

A scheduler of our own (``pytest_xdist_make_scheduler``, xdist's hook for this) and not ``--dist loadgroup`` with
``xdist_group`` marks: xdist 3.8 renames a grouped test through ``item._nodeid``, which pytest 9.2 no longer reads
(``Node.nodeid`` comes from ``_id``), so its groups silently fall apart into single tests.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/e2e/"


class ModulesBrowserApart(LoadScopeScheduling):
    """Work units: the browser tests together, every other module on its own; in the order collected (browser first)."""

    def _split_scope(self, nodeid: str) -> str:
        return BROWSER if nodeid.startswith(BROWSER) else nodeid.split("::", 1)[0]


def first_the_browser(items: list) -> None:
    """Collection order with the browser tests first (a stable sort: each module's own order is kept)."""
    items.sort(key=lambda item: not item.nodeid.startswith(BROWSER))
