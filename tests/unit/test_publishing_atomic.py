"""Publishing is atomic across processes and servers (issue 37, point 4): of two publishers at once, built on the same
release, one stores its release and the other stops with a message, on SQLite and PostgreSQL; the open-data files
are written each under a temporary name of its own.

The protection itself is replaced by a cheap one here (its cost is the bench's): what is tested is the storing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest

from core.disclosure import history as release_history
from core.disclosure import release
from services import atomic_files, publishing
from services.register.store import Register
from services.seed import load_demo

DAY = dt.date(2026, 10, 2)


def _cheap(needs, codes, scopes, through, previous, earlier=(), listed=None):  # the figures of one municipality, outsiders only: milliseconds
    made = release.build(release.cut(needs, codes[:1], through).head(40), codes, (), through, listed)
    return dataclasses.replace(made, scopes=tuple(scopes))  # named as built for the users (publish checks that)


def test_two_publishers_at_once_store_one_release(register_url, monkeypatch):
    register = Register(register_url)
    load_demo(register)
    both_built = threading.Barrier(2, timeout=60)

    def build(*args):
        made = _cheap(*args)
        both_built.wait()  # both have read the newest release (none) and built on it before either stores
        return made

    monkeypatch.setattr(release_history, "build", build)
    outcomes: list[object] = []

    def publisher() -> None:
        try:
            outcomes.append(publishing.publish(Register(register_url), DAY))
        except publishing.AnotherPublisher as stopped:
            outcomes.append(stopped)

    threads = [threading.Thread(target=publisher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    stored = register.releases()
    assert len(stored) == 1 and int(stored["based_on"].iloc[0]) == 0
    assert sorted(type(o).__name__ for o in outcomes) == ["AnotherPublisher", "Release"]
    assert "another publisher stored release 1 first" in str(next(o for o in outcomes if isinstance(o, Exception)))


def test_a_release_built_on_one_no_longer_the_newest_is_not_stored(tmp_path, monkeypatch):
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    load_demo(register)
    monkeypatch.setattr(release_history, "build", _cheap)
    first = publishing.publish(register, dt.date(2026, 7, 2))
    stale = publishing.next_release(register, DAY)[0]  # built on release 1 ...
    second = publishing.publish(register, DAY)  # ... which another publisher builds on first
    assert (first.id, second.id) == (1, 2)
    cells, rows = release_history.dump(stale)
    about = {"through": stale.through, "published_on": DAY, "revision": "x", "shown": 0, "hidden": 0, "scopes": "",
             "based_on": 1}
    with pytest.raises(Exception, match="(?i)unique"):
        register.add_release(about, cells, rows, "late")
    assert list(register.releases()["based_on"]) == [0, 1]


def test_a_release_of_months_another_publisher_stored_meanwhile_is_not_stored(tmp_path, monkeypatch):
    """``due`` and the newest release are read in separate queries: a publisher that finds the months due, then
    (after another publisher stored them) builds on the other's release, stores nothing: the check runs again in the
    storing transaction."""
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    load_demo(register)
    monkeypatch.setattr(release_history, "build", _cheap)
    real_due = publishing.due

    def due_then_another_publishes(reg, today=None):
        found = real_due(reg, today)
        monkeypatch.setattr(publishing, "due", real_due)
        with reg.writer.begin() as conn:  # a write before the other publisher reads the revision: theirs is newer
            Register._bump(conn)
        assert publishing.publish(reg, today).id == 1  # the other publisher, between this one's two queries
        return found

    monkeypatch.setattr(publishing, "due", due_then_another_publishes)
    with pytest.raises(publishing.AnotherPublisher, match="not due"):
        publishing.publish(register, DAY)
    assert list(register.releases()["id"]) == [1]
    assert publishing.due(register, DAY) is None


def test_each_file_is_written_under_a_temporary_name_of_its_own(tmp_path, monkeypatch):
    names: list[str] = []
    real = atomic_files.tempfile.mkstemp

    def recorded(**kw):
        handle, name = real(**kw)
        names.append(name)
        return handle, name

    monkeypatch.setattr(atomic_files.tempfile, "mkstemp", recorded)
    files = {"kompetenskartan-publicering-1.csv": b"csv;" * 1000, "kompetenskartan-publicering-1.json": b"[]" * 1000}
    threads = [threading.Thread(target=atomic_files.write_atomically, args=(tmp_path / n, d)) for n, d in files.items() for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(names)) == len(names) == 8  # never one name for two files (X.part for X.csv and X.json)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files  # no temporary left, each file its own bytes
    assert all(n.endswith(".part") and str(tmp_path) in n for n in names)


def test_a_release_is_not_stored_for_users_whose_municipalities_changed_while_it_was_built(tmp_path, monkeypatch):
    """An admin gives a broker a new set of municipalities while the (first) release is built: the admin's scope check
    passed (no release yet), so the release must hold the new set, or it would be public unprotected against it. It is
    built again for the users as they are when it is stored (red team, two processes at once)."""
    from core.records.audience import User
    from services.admin import Admin
    from services.seed import DEMO_USERS

    register = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    load_demo(register)
    builds: list[tuple] = []

    def build(*args):
        made = _cheap(*args)
        builds.append(made.scopes)
        if len(builds) == 1:  # the other admin's save lands while this release is built
            broker = DEMO_USERS[2]
            Admin(register, DEMO_USERS[0]).save_user(User(broker.email, broker.role, ("1487", "1488"), broker.name),
                                                     {"1487", "1488"}, register.user_version(broker.email))
        return made

    monkeypatch.setattr(release_history, "build", build)
    stored = publishing.publish(register, DAY)
    assert len(builds) == 2 and ("1487", "1488") not in builds[0] and ("1487", "1488") in builds[1]
    assert stored is not None and ("1487", "1488") in stored.scopes and len(register.releases()) == 1

