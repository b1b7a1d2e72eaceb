from __future__ import annotations

import pytest

from tests import scheduling
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


def pytest_xdist_make_scheduler(config, log):
    """Two workers, modules kept whole and the browser tests in two units (``tests/scheduling.py``)."""
    return scheduling.ModulesBrowserApart(config, log)


def pytest_collection_modifyitems(config, items):
    scheduling.first_the_browser(items)
