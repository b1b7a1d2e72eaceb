from __future__ import annotations

import pytest

from tests.registers import demo_register


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """An SQLite register seeded with the Fyrbodal demo register, shared by the session."""
    return demo_register(tmp_path_factory, "db")  # with its first release, as the app's first visit or cron would make it


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL server (tests/postgres.py); skipped where there is none, never in CI."""
    from tests.postgres import start

    server = start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def register_url(request, tmp_path) -> str:
    """An empty register on SQLite and on PostgreSQL: the store's tests run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'r.sqlite'}"
    return request.getfixturevalue("postgres").database()


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(config, items):
    """How ``make test`` shares the tests between its two xdist workers (``--dist loadgroup``).

    The browser tests form one group, so one worker runs them one module at a time (each module starts its own server
    and Chromium; two at once on two cores starve each other's waits) while the other worker takes the rest, a module at
    a time (module fixtures are built once). The browser group goes first (``--no-loadscope-reorder`` keeps this order):
    it is the longest single piece of work."""
    for item in items:
        group = "browser" if item.get_closest_marker("e2e") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: not item.get_closest_marker("e2e"))
