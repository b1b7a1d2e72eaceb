"""The register: round trip, and a bad table changes nothing."""

from __future__ import annotations

import pytest

from core.records.audience import Audience, User
from core.records.validation import InvalidTable
from data import demo
from services.admin import Admin, operator
from services.register.store import Register
from services.seed import known_codes, load_demo, open_register


@pytest.fixture
def register(register_url):
    """On SQLite and on PostgreSQL (``tests/conftest.py``)."""
    return Register(register_url)


def test_only_the_default_register_is_seeded_with_the_demo_on_first_open(tmp_path, monkeypatch):
    from core.common import config

    monkeypatch.setattr(config, "DEFAULT_SQLITE_PATH", tmp_path / "sub" / "new.sqlite")
    url = config.default_demo_url()
    register = open_register(url)
    assert register.is_demo()
    assert len(register.needs_frame()) == len(demo.generate().needs)
    # a second open finds it seeded and leaves it as it is
    assert open_register(url).meta() == register.meta()
    other = open_register(f"sqlite:///{tmp_path / 'other.sqlite'}")  # a DATABASE_URL: stays empty until init or demo
    assert other.is_empty() and other.users() == [] and other.need_count() == 0


def test_round_trip_keeps_every_need(register):
    generated = load_demo(register)
    frame = register.needs_frame()
    assert len(frame) == len(generated.needs)
    assert int(frame["persons"].sum()) == int(generated.needs["persons"].sum())
    assert frame["company"].str.startswith("Exempel").all()
    assert set(frame["municipality_code"].astype(str)) == set(generated.needs["municipality_code"])


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (lambda n: n.assign(municipality_code=n["municipality_code"].mask(n.index == 3, "9999")), "municipality_code"),
        (lambda n: n.assign(persons=n["persons"].mask(n.index == 5, 0)), "persons"),
        (lambda n: n.assign(need_type=n["need_type"].mask(n.index == 7, "hiring")), "need_type"),
        (lambda n: n.assign(collected_on=n["collected_on"].astype(object).mask(n.index == 2, "not a date")), "collected_on"),
        (lambda n: n.drop(columns="competence"), "competence"),
        (lambda n: n.assign(company_id=n["company_id"].mask(n.index == 4, 10_000)), "company_id"),
    ],
)
def test_bad_table_is_reported_and_nothing_is_written(register, change, column):
    load_demo(register)
    before = register.needs_frame()
    generated = demo.generate(seed=99)
    with pytest.raises(InvalidTable) as info:
        register.replace(generated.companies, change(generated.needs), generated.meta, known_codes(list(demo.reference.fyrbodal_codes())))
    assert any(p.column == column for p in info.value.problems)
    assert column in str(info.value)
    assert register.needs_frame()["id"].tolist() == before["id"].tolist()
    assert register.needs_frame()["competence"].astype(str).tolist() == before["competence"].astype(str).tolist()


def test_problem_names_the_row(register):
    generated = demo.generate()
    needs = generated.needs.assign(persons=generated.needs["persons"].mask(generated.needs.index == 9, -2))
    with pytest.raises(InvalidTable) as info:
        register.replace(generated.companies, needs, generated.meta, known_codes())
    assert [(p.row, p.column) for p in info.value.problems] == [(10, "persons")]
    assert register.is_empty()


def test_concurrent_writers_lose_nothing_and_never_see_a_locked_database(register):
    """8 writers at once, each saving 25 users and raising the revision: every write lands, none fails."""
    from concurrent.futures import ThreadPoolExecutor

    from core.records.audience import Audience, User

    load_demo(register)
    start = int(register.revision())

    def writer(w: int) -> int:
        other = Register(register.url)  # its own engine and connections, as another app server would have
        for i in range(25):
            admin = Admin(other, operator())
            admin.save_user(User(f"w{w}.u{i}@kommun.se", Audience.VIEWER), set(), None)
            admin.replace_travel_matrix(other.travel_matrix_frame())  # another write that raises the revision
        return w

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(writer, range(8))) == list(range(8))
    emails = {u.email for u in register.users()}
    assert {f"w{w}.u{i}@kommun.se" for w in range(8) for i in range(25)} <= emails
    assert int(register.revision()) == start + 8 * 25 * 2, "no raise of the revision was lost"


def test_a_register_with_only_a_revision_is_still_unset(register_url):
    from services.register.store import state_of

    register = Register(register_url)
    Admin(register, operator()).replace_travel_matrix(register.travel_matrix_frame())  # a write before anything else
    assert register.is_empty()
    assert state_of(register.meta(), register.need_count()) == "unset"


def _reads_of_the_revision(register: Register) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(register.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, params, _ctx, _many: seen.append(statement) if "meta" in statement else None)
    return seen


def test_a_read_revision_is_taken_again_for_a_second_only_until_this_process_writes(tmp_path):
    """``max_age`` (the pages' reads): the revision is asked of the database once a second at most, a write through any
    Register of this process on the same register is seen at once, and a read with no ``max_age`` always asks."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'rev.sqlite'}"
    register = Register(url)
    reads = _reads_of_the_revision(register)
    first = register.revision(max_age=60)
    assert register.revision(max_age=60) == first and len(reads) == 1, "taken again, not read"
    assert register.revision() == first and len(reads) == 2, "no max_age: read"
    Admin(Register(url), operator()).save_user(User("ny@region.se", Audience.ADMIN), set(), None)  # another Register, this process
    raised = register.revision(max_age=60)
    assert raised != first and len(reads) == 3, "a write of this process is seen at once"
    with sqlite3.connect(tmp_path / "rev.sqlite") as conn:  # another process (a server, the command line) writes
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'revision'")
    assert register.revision(max_age=60) == raised, "another process's write: seen within max_age"
    assert register.revision() == "999", "read fresh without it"
    assert register.revision(max_age=0.01) == "999"
