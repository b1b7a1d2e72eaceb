"""A region moves in (issue 23): an empty register of its own, never replaced by the demo, every admin write
audited and checked, an import safe against a concurrent one, and backups that restore. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from cli import main
from core.records.audience import Audience, User, UserProblem
from data import demo, reference
from services import register_import
from services.admin import Admin, operator, start_register
from services.register import audit
from services.register.backup import BackupProblem, backup, counts, restore
from services.register.schema import AuditRow
from services.register.store import DEMO, REAL, RealRegister, Register, state_of
from services.seed import DEMO_USERS, load_demo, open_register, workspace
from services.workspace import Refused
from tests.unit.test_register_import import good, plan

ANNA = User("anna@region.se", Audience.ADMIN, (), "Anna Admin")
BO = User("bo@kommun.se", Audience.BROKER, ("1427", "1435"), "Bo Mäklare")
FYRBODAL = set(reference.fyrbodal_codes())


@pytest.fixture
def register(register_url):
    return Register(register_url)


def log(register: Register) -> pd.DataFrame:
    with register.engine.connect() as conn:
        return audit.frame(conn)


def everything(register: Register) -> tuple:
    """Every need, company, user and audit entry, and the meta but the revision (a restore raises it past every earlier
    one), to compare before and after."""
    needs = register.needs_frame()[["id", "company", "competence", "persons", "version"]].astype(str).values.tolist()
    users = [(u.email, u.role.value, u.municipalities) for u in register.users()]
    entries = log(register)[["id", "actor", "action", "table_name", "record_id", "after"]].values.tolist()
    return needs, users, entries, {k: v for k, v in register.meta().items() if k != "revision"}


def a_company(register: Register, user: User = BO) -> dict:
    return workspace(register, user).add_company({
        "name": "Varvet i Kungshamn AB", "org_nr": "556036-0793", "sni_code": "30120", "municipality_code": "1427",
        "size_class": "10-49"})


def test_init_starts_an_empty_register_of_the_regions_own(register):
    first = start_register(register, ANNA)
    assert first == User("anna@region.se", Audience.ADMIN, (), "Anna Admin")
    assert register.meta()["dataset"] == REAL and register.need_count() == 0
    assert register.users() == [first], "no demo users"
    assert state_of(register.meta(), register.need_count()) == "empty"
    entries = log(register)
    assert list(entries["action"]) == ["add", "add"] and set(entries["table_name"]) == {"register", "users"}
    with pytest.raises(Refused, match="already holds data"):
        start_register(register, BO)


def test_init_refuses_a_demo_register_and_a_bad_address(register, register_url, tmp_path):
    load_demo(register)
    assert main(["init", "--admin", "anna@region.se", "--database", register_url]) == 2
    assert register.is_demo()
    fresh = Register(f"sqlite:///{tmp_path / 'n.sqlite'}")
    with pytest.raises(UserProblem):
        start_register(fresh, User("not an address", Audience.ADMIN))
    assert fresh.is_empty()


def test_a_real_register_survives_a_newer_generator_and_a_restart(register, register_url, monkeypatch):
    start_register(register, ANNA)
    Admin(register, ANNA).save_user(BO, FYRBODAL, None)
    company = a_company(register)
    workspace(register, BO).add_need({"company_id": company["id"], "competence": "welding", "need_type": "upskilling",
                                      "persons": 2, "horizon": "0-6", "form": "blended", "level": "upper_secondary",
                                      "collected_on": dt.date(2026, 3, 1)})
    before = everything(register)
    monkeypatch.setattr(demo, "GENERATOR_VERSION", demo.GENERATOR_VERSION + "-newer")
    reopened = open_register(register_url)  # the app's start
    assert everything(reopened) == before, "every row and log entry still there"
    assert main(["demo", "--database", register_url]) == 2
    assert everything(Register(register_url)) == before
    with pytest.raises(RealRegister):
        load_demo(reopened)


def test_the_first_write_turns_the_demo_register_real_and_it_is_then_kept(register, register_url, monkeypatch, capsys):
    load_demo(register)
    assert register.meta()["dataset"] == DEMO
    sotenas = DEMO_USERS[1]
    a_company(register, sotenas)
    assert register.is_demo(), "an example user's write (the demo sign-in: anyone) is example data"
    with pytest.raises(UserProblem):  # anyone can be the example admin: it gives no real address a role
        Admin(register, DEMO_USERS[0]).save_user(BO, FYRBODAL, None)
    assert register.is_demo()
    Admin(register, operator()).save_user(BO, FYRBODAL, None)  # the first write by a person: the command line's
    a_company(register, BO)
    meta = register.meta()
    assert meta["dataset"] == REAL and meta["example_data"] == "1", "still labelled as example data"
    turned = log(register).query("table_name == 'register' and record_id == 'dataset'")
    assert list(turned["actor"]) == [operator().email] and '"real"' in turned["after"].iloc[-1]
    before = everything(register)
    monkeypatch.setattr(demo, "GENERATOR_VERSION", demo.GENERATOR_VERSION + "-newer")
    assert everything(open_register(register_url)) == before
    assert main(["demo", "--database", register_url]) == 2
    assert "demo --force" in capsys.readouterr().err
    assert main(["demo", "--force", "--database", register_url]) == 0
    assert Register(register_url).is_demo() and Register(register_url).need_count() == len(demo.generate().needs)


def test_admin_writes_check_the_role_inside(register):
    load_demo(register)
    for user in (None, DEMO_USERS[1], DEMO_USERS[3]):  # the public, a broker, a viewer
        with pytest.raises(Refused):
            Admin(register, user)
    assert register.is_demo(), "nothing written"


def test_each_admin_write_is_audited_and_raises_the_revision(register):
    start_register(register, ANNA)
    admin = Admin(register, ANNA)
    steps = [
        ("users", lambda: admin.save_user(BO, FYRBODAL, None)),
        ("users", lambda: admin.save_user(User(BO.email, Audience.BROKER, ("1427",)), FYRBODAL, register.user_version(BO.email))),
        ("users", lambda: admin.remove_user(BO.email)),
        ("offers", lambda: admin.replace_offers(demo.generate().offers, {"competence": set(reference.competences()["code"]),
                                                                         "place_id": set(reference.places()["place_id"])})),
        ("travel_matrix", lambda: admin.replace_travel_matrix(register.travel_matrix_frame())),
    ]
    for table, step in steps:
        revision, entries = register.revision(), len(log(register))
        step()
        assert int(register.revision()) == int(revision) + 1
        added = log(register).iloc[entries:]
        assert list(added["table_name"]) == [table] and set(added["actor"]) == {ANNA.email}
    changed = log(register).query("table_name == 'users' and action == 'edit'").iloc[0]
    assert "1435" in changed["before"] and "1435" not in changed["after"], "before and after kept"
    with pytest.raises(UserProblem, match="at least one admin"):
        admin.remove_user(ANNA.email)


def test_a_broker_who_loses_a_municipality_gets_none_of_its_rows_from_any_cache(demo_url, tmp_path):
    from components import loaders

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    load_demo(Register(url))
    register = Register(url)
    broker = DEMO_USERS[1]  # Sotenäs and Tanum
    rev = loaders.revision(url)
    before = loaders.export_file(url, rev, broker.email, "sv", "csv").decode("utf-8-sig")
    assert "Tanum" in before
    Admin(register, DEMO_USERS[0]).save_user(User(broker.email, Audience.BROKER, ("1427",), broker.name), FYRBODAL,
                                             register.user_version(broker.email))
    after_rev = loaders.revision(url)
    assert after_rev != rev, "the users' write raised the revision: every cache is made anew"
    after = loaders.export_file(url, after_rev, broker.email, "sv", "csv").decode("utf-8-sig")
    assert "Tanum" not in after and "Sotenäs" in after


def test_two_imports_at_once_one_stores_the_other_is_refused(register):
    start_register(register, ANNA)
    first, second = plan(register, ANNA, good()), plan(register, ANNA, good())
    results: dict[int, object] = {}
    gate = threading.Barrier(2)

    def commit(i, preview):
        gate.wait()
        try:
            results[i] = register_import.commit(register, ANNA, preview)
        except register_import.Stale as err:
            results[i] = err

    threads = [threading.Thread(target=commit, args=(i, p)) for i, p in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    stored = [r for r in results.values() if isinstance(r, dict)]
    refused = [r for r in results.values() if isinstance(r, register_import.Stale)]
    assert len(stored) == 1 and len(refused) == 1, results
    assert "preview the file again" in str(refused[0])
    assert register.need_count() == 3, "the file's three needs, once"


def test_a_backup_restores_every_need_user_and_audit_entry(register, register_url, postgres_or_sqlite_target, tmp_path):
    load_demo(register)
    a_company(register, DEMO_USERS[1])  # a write (by an example user: the register stays the demo)
    before = everything(register)
    out = tmp_path / "register.backup"
    taken = backup(register_url, out)
    assert out.stat().st_size > 0 and taken == counts(register)
    with pytest.raises(BackupProblem, match="exists already"):
        backup(register_url, out)
    target = postgres_or_sqlite_target
    with Register(target).writer.begin() as conn:  # the empty register a server has run on for a while
        for _ in range(int(register.revision()) + 5):
            Register._bump(conn)
    seen = int(Register(target).revision())
    restored = restore(out, target)
    assert restored == taken
    assert everything(Register(target)) == before
    # past every revision the target had and the backup's: a server's caches keyed by a revision number never meet the
    # same number with other users (issue 35's red team)
    assert int(Register(target).revision()) > max(seen, int(register.revision()))
    assert open_register(target).need_count() == register.need_count(), "the app's open works on it"
    with pytest.raises(BackupProblem, match="not empty"):
        restore(out, target)
    with pytest.raises(BackupProblem, match="not empty"):
        restore(out, register_url)


@pytest.fixture
def postgres_or_sqlite_target(register_url, tmp_path, request):
    """An empty register of the same kind as ``register_url``."""
    if register_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite'}"
    return request.getfixturevalue("postgres").database()


def test_a_restore_refuses_what_is_no_backup(tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    target = f"sqlite:///{tmp_path / 't.sqlite'}"
    with pytest.raises(BackupProblem, match="not an SQLite backup|not a backup"):
        restore(junk, target)
    assert Register(target).is_empty()
    assert main(["restore", str(tmp_path / "missing.backup"), "--database", target]) == 2


def test_the_command_line_runs_a_regions_first_day(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'region.sqlite'}"
    assert main(["init", "--admin", "anna@region.se", "--database", url]) == 0
    assert main(["users", "add", "bo@kommun.se", "--role", "broker", "--municipality", "1427", "--database", url]) == 0
    corpus = Path(__file__).parents[1] / "data" / "import" / "good_sv_utf8.csv"
    assert main(["import", str(corpus), "--as", "anna@region.se", "--database", url]) == 0
    out = tmp_path / "nightly.backup"
    assert main(["backup", "--out", str(out), "--database", url]) == 0
    assert "3 needs, 2 users" in capsys.readouterr().out
    register = Register(url)
    actors = set(log(register)["actor"])
    assert "anna@region.se" in actors and any(a.startswith("command line (") for a in actors), "the users command audited"
    with register.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditRow)).scalar_one() == len(log(register))
    assert register.meta()["dataset"] == REAL and not register.is_demo()
    assert operator().role == Audience.ADMIN


def test_a_backup_is_owner_only_and_a_wrong_sqlite_path_is_refused(tmp_path, monkeypatch):
    """Issue 36, also from the review: 0600 whatever the umask; a mistyped path creates no new empty register."""
    import os
    import stat

    url = f"sqlite:///{tmp_path / 'kk.sqlite'}"
    load_demo(Register(url))
    old = os.umask(0o022)
    try:
        backup(url, tmp_path / "kk.backup")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "kk.backup").stat().st_mode) == 0o600
    wrong = tmp_path / "kk-typo.sqlite"
    with pytest.raises(BackupProblem, match="no register at"):
        backup(f"sqlite:///{wrong}", tmp_path / "other.backup")
    assert not wrong.exists() and not (tmp_path / "other.backup").exists()
    assert main(["backup", "--out", str(tmp_path / "third.backup"), "--database", f"sqlite:///{wrong}"]) == 2
    assert not wrong.exists()


def test_the_database_password_is_never_printed_nor_on_a_command_line(postgres, tmp_path, monkeypatch, capsys):
    """Issue 36: ``db upgrade`` (compose's migrate service) masks it; pg_dump/pg_restore get it in PGPASSWORD."""
    import stat
    import subprocess

    from services.register import backup as backups

    url = postgres.database().replace("://kk@", "://kk:s3cret-pw@")  # the test server trusts: the password is unused
    assert main(["db", "upgrade", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "s3cret-pw" not in out and "***" in out
    load_demo(Register(url))
    calls = []
    real_run = subprocess.run

    def run(args, **kwargs):
        calls.append((args, kwargs.get("env") or {}))
        return real_run(args, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", run)
    backup(url, tmp_path / "pg.backup")
    restore(tmp_path / "pg.backup", postgres.database().replace("://kk@", "://kk:s3cret-pw@"))
    assert [c for c in calls if any("s3cret-pw" in str(a) for a in c[0])] == [], "no password on a command line"
    assert len(calls) == 2 and all(env.get("PGPASSWORD") == "s3cret-pw" for _, env in calls)
    assert stat.S_IMODE((tmp_path / "pg.backup").stat().st_mode) == 0o600

