"""Audit completeness: for any sequence of workspace writes (good, bad, stale and refused ones), the
log replays to exactly the records in the register."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from services import privacy
from services.register import audit
from services.register.store import Register
from services.seed import DEMO_USERS, workspace
from services.workspace import TABLES, Conflict, Invalid, NotFound, Refused

TODAY = dt.date(2026, 11, 20)
ADMIN, SOTENAS = DEMO_USERS[0], DEMO_USERS[1]
COMPANY = {"name": "Replay AB", "org_nr": "556036-0793", "sni_code": "43", "municipality_code": "1427", "size_class": "1-9"}
NEED = {"competence": "welding", "need_type": "recruitment", "persons": 1, "horizon": "6-12", "form": "on_site",
        "level": "upper_secondary", "collected_on": TODAY}

PEOPLE = ["Åsa Öberg", "Per", "ÖRJAN.AGREN@EXAMPLE.SE"]

operation = st.one_of(
    st.tuples(st.just("company"), st.sampled_from(["1427", "1435", "1488"]), st.booleans()),
    st.tuples(st.just("need"), st.integers(0, 5), st.integers(-1, 12)),
    st.tuples(st.just("edit_need"), st.integers(0, 5), st.integers(-1, 12), st.booleans()),
    st.tuples(st.just("edit_company"), st.integers(0, 5), st.sampled_from(["1427", "1435"]), st.booleans()),
    st.tuples(st.just("withdraw"), st.sampled_from(["needs", "companies"]), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("restore"), st.sampled_from(["needs", "companies"]), st.integers(0, 5)),
    # contact persons and notes that name them, then retention and erasure (issue 36: the log still replays after)
    st.tuples(st.just("contact"), st.integers(0, 5), st.sampled_from(PEOPLE), st.integers(1, 30)),
    st.tuples(st.just("note"), st.integers(0, 5), st.sampled_from(PEOPLE)),
    st.tuples(st.just("retention"), st.integers(0, 40)),
    st.tuples(st.just("erase"), st.sampled_from(PEOPLE)),
)


def _apply(register: Register, op: tuple) -> None:
    kind = op[0]
    admin, broker = workspace(register, ADMIN, TODAY), workspace(register, SOTENAS, TODAY)
    space = admin if len(op) > 2 and op[-1] is True else broker
    ids = {t: sorted(int(i) for i in admin.frame(t, withdrawn=True)["id"]) for t in TABLES}
    pick = lambda table, i: ids[table][i % len(ids[table])] if ids[table] else 10_000  # noqa: E731
    if kind == "company":
        space.add_company(COMPANY | {"municipality_code": op[1]})
    elif kind == "need":
        space.add_need(NEED | {"company_id": pick("companies", op[1]), "persons": op[2]})
    elif kind == "edit_need":
        record = admin.record("needs", pick("needs", op[1]))
        stale = record["version"] - (1 if op[2] % 3 == 0 else 0)  # a third of the edits are based on an old version
        space.edit_need(record["id"], stale, {"persons": op[2], "note": f"<b>{op[2]}</b>"})
    elif kind == "edit_company":
        record = admin.record("companies", pick("companies", op[1]))
        space.edit_company(record["id"], record["version"], {"municipality_code": op[2]})
    elif kind == "contact":
        record = admin.record("companies", pick("companies", op[1]))
        field = "contact_email" if "@" in op[2] else "contact_name"
        broker.edit_company(record["id"], record["version"], {field: op[2], "contact_until": TODAY + dt.timedelta(days=op[3])})
    elif kind == "note":
        record = admin.record("needs", pick("needs", op[1]))
        broker.edit_need(record["id"], record["version"], {"note": f"Träffade {op[2].lower()}; upper_secondary, expert"})
    elif kind == "retention":
        privacy.erase_expired_contacts(register, TODAY + dt.timedelta(days=op[1]))
    elif kind == "erase":
        privacy.erase_person(register, op[1], ADMIN.email, "test", TODAY, confirmed=privacy.person_record(register, op[1]).digest)
    else:
        record = admin.record(op[1], pick(op[1], op[2]))
        getattr(space, kind)(op[1], record["id"], record["version"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_any_sequence_of_writes_replays_from_the_log(operations):
    with tempfile.TemporaryDirectory() as tmp:
        register = Register(f"sqlite:///{Path(tmp) / 'r.sqlite'}")
        for op in operations:
            with contextlib.suppress(Invalid, Refused, Conflict, NotFound):  # refused writes must keep them agreeing too
                _apply(register, op)
        with register.engine.connect() as conn:
            log = audit.frame(conn)
            replayed = audit.replay(log)
            for table, model in TABLES.items():
                rows = {str(r["id"]): json.loads(audit.snapshot(dict(r))) for r in conn.execute(select(model.__table__)).mappings()}
                assert replayed.get(table, {}) == rows, table
        assert log["id"].is_monotonic_increasing
        register.engine.dispose()
        register.writer.dispose()
