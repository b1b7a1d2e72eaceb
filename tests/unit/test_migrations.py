"""Migrations: a register made by the schema before migrations upgrades in place with every row kept,
and the migrated schema is exactly the one the code declares (on SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from services.register import migrate
from services.register.schema import Base
from services.register.store import Register

BEFORE = Path(__file__).parents[1] / "data" / "registers" / "before_migrations.sql"
TABLES = ("companies", "needs", "offers", "travel_matrix", "users", "meta")


def _old_register(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        conn.executescript(BEFORE.read_text(encoding="utf-8"))
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def test_a_register_made_before_migrations_upgrades_with_every_row_kept(tmp_path):
    path = tmp_path / "old.sqlite"
    rows = _old_register(path)
    assert len(rows["companies"]) == 40 and len(rows["needs"]) == 138 and rows["travel_matrix"] and rows["users"]
    register = Register(f"sqlite:///{path}")  # opening it upgrades it
    with register.engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        for table, old in rows.items():
            width = len(old[0])
            new = [tuple(r[:width]) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()]
            assert new == old, table  # every row, every old column, unchanged
        versions = conn.execute(text("SELECT DISTINCT version, withdrawn FROM needs")).all()
        user_versions = conn.execute(text("SELECT DISTINCT version FROM users")).all()
    assert versions == [(1, 0)]
    assert user_versions == [(1,)], "every existing user gets version 1 (issue 36: two admins editing one user)"
    assert {v for _user, v in register.versioned_users()} == {1} and len(register.users()) == len(rows["users"])
    assert len(register.needs_frame()) == 138 and register.meta()["dataset"] == "register"


def test_upgrading_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    Register(url)
    engine = create_engine(url)
    before, after = migrate.upgrade(engine)
    assert before == after == migrate.head()


def test_the_migrated_schema_is_the_declared_one(register_url):
    Register(register_url)
    engine = create_engine(register_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_the_upgrade_keeps_foreign_keys_to_visits_and_efforts(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_register(path)
    Register(f"sqlite:///{path}")
    keys = {(fk["referred_table"], tuple(fk["constrained_columns"])) for fk in inspect(create_engine(f"sqlite:///{path}")).get_foreign_keys("needs")}
    assert keys == {("companies", ("company_id",)), ("visits", ("visit_id",)), ("efforts", ("effort_id",))}
