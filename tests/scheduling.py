"""How ``make test`` shares the tests between its two xdist workers (one per core).

A module's tests stay together on one worker (its module fixtures, a register or a server, are built once). The
browser tests (``tests/e2e/``) form two units, one for each worker, each run a module after another, and both start
first: they are the longest pieces of work, and most of their time is spent waiting on a server and Chromium (a
quiet run with them all on one worker kept the machine's two cores half idle and took 10 minutes). So at any time at
most two browser modules run, one per worker, and the unit and AppTest modules fill the rest. The modules that share
the demo server (``demo_server`` in ``tests/e2e/conftest.py``) are one unit, so that server starts once.

A scheduler of our own (``pytest_xdist_make_scheduler``, xdist's hook for this) and not ``--dist loadgroup`` with
``xdist_group`` marks: xdist 3.8 renames a grouped test through ``item._nodeid``, which pytest 9.2 no longer reads
(``Node.nodeid`` comes from ``_id``), so its groups silently fall apart into single tests.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/e2e/"
ON_THE_DEMO_SERVER = {f"{BROWSER}test_{name}.py" for name in ("accessibility", "broker_day", "browser", "hostile_file")}


class ModulesBrowserApart(LoadScopeScheduling):
    """Work units: the browser tests in two (those on the shared demo server, the others), every other module on its
    own; in the order collected (the browser tests first)."""

    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False  # xdist would put the units with most tests first; ours go in collection order

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        if module.startswith(BROWSER):
            return f"{BROWSER} demo server" if module in ON_THE_DEMO_SERVER else f"{BROWSER} own servers"
        return module


# the longest of the other modules (seconds in a full run, 2026-12-06), handed out first after the browser tests: a
# long module taken last keeps one worker busy while the other has nothing left (longest first fills both to the end)
LONGEST = ("tests/unit/test_release_history.py", "tests/unit/test_supply_rounds.py", "tests/unit/test_bench_smoke.py",
           "tests/app/test_workspace_page.py", "tests/app/test_disclosure_audit.py", "tests/unit/test_protection.py",
           "tests/unit/test_register_import.py", "tests/unit/test_yh_supply.py", "tests/unit/test_file_worker.py",
           "tests/unit/test_concurrency.py", "tests/app/test_sign_in.py")


def first_the_browser(items: list) -> None:
    """Collection order with the browser tests first, then the longest other modules (``LONGEST``), then the rest (a
    stable sort: each module's own order is kept)."""
    def rank(item) -> tuple[bool, int]:
        module = item.nodeid.split("::", 1)[0]
        return not module.startswith(BROWSER), LONGEST.index(module) if module in LONGEST else len(LONGEST)

    items.sort(key=rank)
