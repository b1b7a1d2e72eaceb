"""Bring a register's schema up to date with Alembic (``kompetenskartan db upgrade``; also on open).

A register made before migrations existed (its tables made by ``create_all``, no ``alembic_version``)
is stamped at the baseline revision first, then upgraded in place: every row is kept. Concurrent
servers starting on one new database queue on a lock (PostgreSQL: an advisory lock; SQLite: the
write transaction), and the second finds the work done.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

BASELINE = "0001"
_LOCK = 7_304_211  # any constant: the advisory lock's key on PostgreSQL


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config


@cache
def _scripts() -> ScriptDirectory:
    """The migrations, read once per process: Alembic executes every revision file to read its map, ~0.05 s, and a
    register is opened often (every server start, every ``Register``: 265 opens in a sixth of the unit tests, 30 s)."""
    return ScriptDirectory.from_config(_config())


def head() -> str:
    newest = _scripts().get_current_head()
    assert newest is not None  # the migrations have one head (0001 at least)
    return newest


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade to ``revision``; returns (revision before, revision after). Does nothing when up to date."""
    with engine.connect() as conn:
        before = current(conn)
    target = head() if revision == "head" else revision
    if before == target:
        return before, target
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        before = current(conn)  # again, under the lock: another server may have done it meanwhile
        if before == target:
            return before, target
        config = _config()
        config.attributes["connection"] = conn
        if before is None and inspect(conn).has_table("needs"):
            command.stamp(config, BASELINE)
            before = BASELINE + " (stamped: made before migrations)"
        _upgrade(config, revision)
    return before, target


def _upgrade(config: Config, revision: str) -> None:
    """``alembic.command.upgrade`` on the scripts read once (``_scripts``) instead of reading them again."""
    script = _scripts()

    def steps(rev, context):  # as alembic.command.upgrade does
        return script._upgrade_revs(revision, rev)  # noqa: SLF001

    with EnvironmentContext(config, script, fn=steps, as_sql=False, starting_rev=None, destination_rev=revision):
        script.run_env()
