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


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_register_url(request, tmp_path_factory) -> str:
    """A register holding the Fyrbodal demo register (no release yet), as ``load_demo(Register(url))`` leaves a new one,
    on SQLite and on PostgreSQL: a copy of one built once (per run on SQLite, ``tests/registers.py``; per worker's
    server on PostgreSQL, a template database), since building it anew was a third of these tests' time."""
    if request.param == "sqlite":
        return demo_register(tmp_path_factory, "demo-unpublished", published=False)
    server = request.getfixturevalue("postgres")
    if not getattr(server, "demo_template", None):
        from services.register.store import Register
        from services.seed import load_demo

        url = server.database()
        register = Register(url)
        load_demo(register)
        register.engine.dispose()  # a template is copied only while nobody is connected to it
        register.writer.dispose()
        server.demo_template = url.rsplit("/", 1)[1]
    return server.database(template=server.demo_template)


def pytest_xdist_make_scheduler(config, log):
    """Two workers, modules kept whole and the browser tests in two units (``tests/scheduling.py``)."""
    return scheduling.ModulesBrowserApart(config, log)


def pytest_collection_modifyitems(config, items):
    scheduling.first_the_browser(items)
