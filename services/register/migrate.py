"""Bring a register's schema up to date with Alembic (``kompetenskartan db upgrade``; also on open).

A register made before migrations existed (its tables made by ``create_all``, no ``alembic_version``)
is stamped at the baseline revision first, then upgraded in place: every row is kept. Concurrent
servers starting on one new database queue on a lock (PostgreSQL: an advisory lock; SQLite: the
write transaction), and the second finds the work done.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
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


def head() -> str:
    newest = ScriptDirectory.from_config(_config()).get_current_head()
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
        command.upgrade(config, revision)
    return before, target
