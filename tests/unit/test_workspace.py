"""The brokers' workspace services: role and scope, per-field validation, the pipeline, soft delete,
optimistic concurrency and the audit log (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from core.records.audience import Audience, User, may_edit
from services.register import audit
from services.register.store import Register
from services.seed import DEMO_USERS, workspace
from services.workspace import Conflict, Invalid, Refused

TODAY = dt.date(2026, 11, 20)
ADMIN, SOTENAS, TROLLHATTAN, VIEWER = DEMO_USERS
COMPANY = {"name": "Testvarvet AB", "org_nr": "556036-0793", "sni_code": "30.12", "municipality_code": "1427",
           "size_class": "10-49", "contact_name": "Kim", "contact_role": "VD", "contact_email": "kim@example.invalid",
           "contact_until": dt.date(2027, 6, 30)}
NEED = {"competence": "welding", "need_type": "upskilling", "persons": 3, "horizon": "0-6", "form": "blended",
        "level": "upper_secondary", "note": "Svetscertifikat"}


@pytest.fixture
def register(demo_register_url):
    return Register(demo_register_url)


def ws(register, user=SOTENAS):
    return workspace(register, user, TODAY)


def _codes(err: Invalid) -> dict[str, str]:
    return {p.column: p.code for p in err.problems}


def test_only_brokers_and_admins_get_a_workspace(register):
    for user in (None, VIEWER):
        with pytest.raises(Refused):
            ws(register, user)


def test_a_broker_records_a_company_a_visit_and_two_needs(register):
    space = ws(register)
    before = len(register.needs_frame())
    company = space.add_company(COMPANY)
    assert company["org_nr"] == "556036-0793" and company["industry_group"] == "boatbuilding" and company["version"] == 1
    visit = space.add_visit({"company_id": company["id"], "visited_on": dt.date(2026, 11, 18), "method": "workshop"})
    first = space.add_need(NEED | {"company_id": company["id"], "visit_id": visit["id"]})
    space.add_need(NEED | {"company_id": company["id"], "visit_id": visit["id"], "competence": "cnc", "persons": 2})
    assert first["municipality_code"] == "1427" and first["source"] == "workshop" and first["collected_on"] == dt.date(2026, 11, 18)
    assert first["broker"] == SOTENAS.email and first["status"] == "new"
    assert len(register.needs_frame()) == before + 2


@pytest.mark.parametrize(("field", "value", "code"), [
    ("org_nr", "556036-0794", "org_nr_check"),
    ("org_nr", "55603607", "org_nr_form"),
    ("sni_code", "04.1", "sni_unknown"),
    ("sni_code", "banan", "sni_unknown"),
    ("municipality_code", "9999", "unknown_value"),
    ("size_class", "huge", "unknown_value"),
    ("contact_email", "not-an-address", "email_form"),
    ("contact_until", dt.date(2026, 1, 1), "date_in_past"),
    ("name", "  ", "required"),
    ("name", "Varv\u202eBA nevrat", "control_character"),  # reads backwards on screen
    ("name", "Test\u200bvarvet AB", "control_character"),  # looks the same as another name
    ("contact_name", "Kim\u2066", "control_character"),
])
def test_a_bad_company_field_is_named_and_nothing_is_written(register, field, value, code):
    revision = register.revision()
    with pytest.raises(Invalid) as err:
        ws(register).add_company(COMPANY | {field: value})
    assert _codes(err.value)[field] == code
    assert register.revision() == revision


def test_every_bad_field_is_reported_at_once(register):
    with pytest.raises(Invalid) as err:
        ws(register).add_company(COMPANY | {"org_nr": "1", "sni_code": "04", "size_class": "x"})
    assert set(_codes(err.value)) == {"org_nr", "sni_code", "size_class"}


@pytest.mark.parametrize(("field", "value", "code"), [
    ("persons", 0, "persons_range"),
    ("persons", -2, "persons_range"),
    ("competence", "juggling", "unknown_value"),
    ("collected_on", dt.date(2026, 12, 24), "date_in_future"),
    ("horizon", "forever", "unknown_value"),
    ("collected_on", dt.date(1899, 12, 31), "date_too_early"),
    ("follow_up_on", dt.date(1970, 1, 1), "date_too_early"),
    ("note", "Svets\x07certifikat", "control_character"),
])
def test_a_bad_need_is_refused(register, field, value, code):
    space = ws(register)
    company = space.add_company(COMPANY)
    with pytest.raises(Invalid) as err:
        space.add_need(NEED | {"company_id": company["id"], "collected_on": dt.date(2026, 11, 1), field: value})
    assert _codes(err.value)[field] == code


def test_a_visit_in_the_future_is_refused(register):
    space = ws(register)
    company = space.add_company(COMPANY)
    with pytest.raises(Invalid) as err:
        space.add_visit({"company_id": company["id"], "visited_on": TODAY + dt.timedelta(days=1), "method": "survey"})
    assert _codes(err.value) == {"visited_on": "date_in_future"}


def test_a_broker_cannot_write_outside_their_municipalities(register):
    with pytest.raises(Refused):
        ws(register).add_company(COMPANY | {"municipality_code": "1488"})
    other = register.needs_frame().query("municipality_code == '1488'").iloc[0]
    with pytest.raises(Refused):
        ws(register).edit_need(int(other["id"]), 1, {"persons": 5})
    with pytest.raises(Refused):
        ws(register).record("needs", int(other["id"]))
    assert set(ws(register).frame("needs")["municipality_code"]) <= {"1427", "1435"}


def test_the_pipeline_from_new_to_closed(register):
    space = ws(register)
    company = space.add_company(COMPANY)
    need = space.add_need(NEED | {"company_id": company["id"], "collected_on": dt.date(2026, 11, 1)})
    need = space.edit_need(need["id"], 1, {"status": "analysed", "follow_up_on": dt.date(2026, 12, 5)})
    with pytest.raises(Invalid) as err:  # matched to nothing
        space.edit_need(need["id"], 2, {"status": "matched"})
    assert _codes(err.value) == {"offer_id": "match_needs_offer_or_effort"}
    offer = register.offers_frame()["offer_id"].iloc[0]
    need = space.edit_need(need["id"], 2, {"status": "matched", "offer_id": offer})
    with pytest.raises(Invalid) as err:  # two steps back
        space.edit_need(need["id"], 3, {"status": "new"})
    assert _codes(err.value) == {"status": "status_step"}
    with pytest.raises(Invalid) as err:  # closed without an outcome
        space.edit_need(need["id"], 3, {"status": "closed"})
    assert _codes(err.value) == {"outcome": "unknown_value"}
    need = space.edit_need(need["id"], 3, {"status": "closed", "outcome": "trained"})
    assert (need["status"], need["outcome"], need["version"]) == ("closed", "trained", 4)
    assert [a for a in space.history("needs", need["id"])["action"]] == ["add", "edit", "edit", "edit"]


def test_my_follow_ups_are_mine_open_and_soonest_first(register):
    space = ws(register)
    company = space.add_company(COMPANY)
    late = space.add_need(NEED | {"company_id": company["id"], "collected_on": TODAY, "follow_up_on": dt.date(2027, 1, 10)})
    soon = space.add_need(NEED | {"company_id": company["id"], "collected_on": TODAY, "follow_up_on": dt.date(2026, 12, 1)})
    space.add_need(NEED | {"company_id": company["id"], "collected_on": TODAY})  # no date: not a follow-up
    mine = space.follow_ups()
    assert list(mine[mine["company_id"] == company["id"]]["id"]) == [soon["id"], late["id"]]
    assert mine["broker"].eq(SOTENAS.email).all() and mine["status"].ne("closed").all()
    assert mine["follow_up_on"].is_monotonic_increasing
    assert ws(register, ADMIN).follow_ups().empty  # the admin recorded none
    closed = space.edit_need(soon["id"], soon["version"], {"status": "closed", "outcome": "trained"})
    assert closed["id"] not in set(space.follow_ups()["id"]), "closed: no follow-up"
    narrowed = replace(SOTENAS, municipalities=("1435",))  # no longer Sotenäs: its needs are not theirs to read
    assert late["id"] not in set(ws(register, narrowed).follow_ups()["id"])


def test_withdraw_hides_from_every_figure_and_restore_brings_it_back(register):
    space = ws(register)
    need = register.needs_frame().query("municipality_code == '1427'").iloc[0]
    total = int(register.needs_frame()["persons"].sum())
    withdrawn = space.withdraw("needs", int(need["id"]), int(need["version"]))
    assert withdrawn["withdrawn"] and int(register.needs_frame()["persons"].sum()) == total - int(need["persons"])
    assert int(need["id"]) in set(space.frame("needs", withdrawn=True)["id"])
    space.restore("needs", int(need["id"]), withdrawn["version"])
    assert int(register.needs_frame()["persons"].sum()) == total


def test_an_edit_based_on_an_old_version_is_refused_with_both_versions(register):
    need = int(register.needs_frame().query("municipality_code == '1427'").iloc[0]["id"])
    first, second = ws(register), ws(register, ADMIN)  # two sessions read version 1
    first.edit_need(need, 1, {"persons": 7})
    with pytest.raises(Conflict) as err:
        second.edit_need(need, 1, {"persons": 9, "note": "andra"})
    assert err.value.current["persons"] == 7 and err.value.attempted["persons"] == 9
    assert ("persons", 9, 7) in err.value.differences()
    stored = first.record("needs", need)
    assert (stored["persons"], stored["version"]) == (7, 2)  # nothing overwritten
    history = first.history("needs", need)
    assert list(history["action"]) == ["edit", "refused"]
    assert json.loads(history["after"].iloc[1])["persons"] == 9 and history["actor"].iloc[1] == ADMIN.email


def test_a_company_move_takes_its_needs_along(register):
    space = ws(register, ADMIN)
    company = space.add_company(COMPANY)
    need = space.add_need(NEED | {"company_id": company["id"], "collected_on": TODAY})
    space.edit_company(company["id"], 1, {"municipality_code": "1435"})
    assert space.record("needs", need["id"])["municipality_code"] == "1435"


def test_a_cohort_proposal_becomes_an_effort_in_one_step(register):
    space = ws(register)
    needs = register.needs_frame().query("municipality_code in ['1427', '1435'] and status == 'new'").head(3)
    effort = space.effort_from_cohort("Svets i Sotenäs", "Exempel Komvux", 12, [int(i) for i in needs["id"]], "K1")
    assert effort["cohort_ref"] == "K1" and effort["broker"] == SOTENAS.email
    for need_id in needs["id"]:
        row = space.record("needs", int(need_id))
        assert (row["effort_id"], row["status"]) == (effort["id"], "matched")
    assert effort["id"] in set(space.frame("efforts")["id"])
    assert effort["id"] not in set(ws(register, TROLLHATTAN).frame("efforts")["id"])


def test_the_log_replays_to_the_current_records(register):
    space = ws(register)
    company = space.add_company(COMPANY)
    need = space.add_need(NEED | {"company_id": company["id"], "collected_on": TODAY})
    need = space.edit_need(need["id"], 1, {"persons": 4})
    space.withdraw("needs", need["id"], need["version"])
    with register.engine.connect() as conn:
        state = audit.replay(audit.frame(conn))
    stored = space.record("needs", need["id"])
    assert state["needs"][str(need["id"])] == json.loads(audit.snapshot(stored))


def test_an_unknown_user_role_in_scope_rules():
    nobody = User("x@example.invalid", Audience.BROKER, ())
    assert not may_edit(nobody, "1427")


def test_bulk_edits_save_each_row_as_its_own_checked_edit(register):
    from components.workspace.needs import save_rows

    space = ws(register)
    ids = [int(i) for i in register.needs_frame().query("municipality_code == '1427'")["id"].head(3)]
    space.edit_need(ids[2], 1, {"note": "someone else"})  # the third row was read at version 1 and has moved on
    result = save_rows(space, [
        {"id": ids[0], "version": 1, "changes": {"persons": 6.0, "follow_up_on": dt.date(2026, 12, 1)}},
        {"id": ids[1], "version": 1, "changes": {"persons": 0}},
        {"id": ids[2], "version": 1, "changes": {"persons": 5}},
    ])
    assert [kind for _, kind, _ in result] == ["saved", "invalid", "conflict"]
    stored = register.needs_frame().set_index("id")
    assert stored.loc[ids[0], "persons"] == 6 and stored.loc[ids[2], "persons"] != 5
    assert stored.loc[ids[1], "version"] == 1  # the bad row changed nothing


def test_markup_and_plain_unicode_are_text_not_control_characters():
    from core.common.text import has_unsafe, unsafe_characters

    for fine in ("Varv ![x](http://198.51.100.7/p.png) AB", "<b>Varv</b>", "Åmål Ölands Ärr", "عربي", "rad 1\nrad 2\tslut"):
        assert not has_unsafe(fine)
    assert unsafe_characters("a\u202eb\u202ec\u200b") == ["U+202E RIGHT-TO-LEFT OVERRIDE", "U+200B ZERO WIDTH SPACE"]
