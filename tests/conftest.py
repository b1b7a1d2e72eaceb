from __future__ import annotations

import pytest

from services import publishing
from services.register.store import Register
from services.seed import load_demo


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """An SQLite register seeded with the Fyrbodal demo register, shared by the session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'demo.sqlite'}"
    load_demo(Register(url))
    publishing.publish(Register(url))  # its first release, as the app's first visit or cron would make it
    return url


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
