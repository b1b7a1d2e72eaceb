"""Issue 36, points 1-3: erasure and retention find a person by their whole name or address (Unicode case folding, on
SQLite and PostgreSQL alike), only in contact fields and free text, and every contact value ever stored (replaced,
cleared, refused, an import's file name) at its own date; nobody else's record or log entry changes by a byte."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from cli import main
from core.records.persons import Person
from services import privacy, register_import
from services.register import audit
from services.register.schema import AuditRow, CompanyRow, NeedRow, VisitRow
from services.register.store import Register
from services.seed import DEMO_USERS, load_demo, workspace
from services.workspace import TABLES, Conflict
from tests.unit.test_register_import import good, plan

ADMIN, SOTENAS, TROLLHATTAN = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[2]
TODAY = dt.date(2026, 11, 20)
DAY = dt.timedelta(days=1)
NEED = {"competence": "welding", "need_type": "upskilling", "persons": 2, "horizon": "0-6", "form": "blended",
        "level": "upper_secondary"}


@pytest.fixture
def register(demo_register_url):
    return Register(demo_register_url)


def company(register, user, name: str, municipality: str, org_nr: str, **contact) -> dict:
    return workspace(register, user, TODAY).add_company({"name": name, "org_nr": org_nr, "sni_code": "30.12",
                                                         "municipality_code": municipality, "size_class": "10-49"} | contact)


def note_need(register, user, company_id: int, note: str) -> dict:
    return workspace(register, user, TODAY).add_need(NEED | {"company_id": company_id, "collected_on": TODAY, "note": note})


def others(register) -> dict:
    """Every row of Trollhättan's companies, visits and needs and every log entry about them, as stored."""
    with register.engine.connect() as conn:
        companies = conn.execute(select(CompanyRow.__table__).where(CompanyRow.municipality_code == "1488")
                                 .order_by(CompanyRow.id)).all()
        ids = [str(c.id) for c in companies]
        needs = conn.execute(select(NeedRow.__table__).where(NeedRow.municipality_code == "1488").order_by(NeedRow.id)).all()
        visits = conn.execute(select(VisitRow.__table__).where(VisitRow.company_id.in_([c.id for c in companies]))
                              .order_by(VisitRow.id)).all()
        keys = {("companies", i) for i in ids} | {("needs", str(n.id)) for n in needs} | {("visits", str(v.id)) for v in visits}
        log = [r for r in conn.execute(select(AuditRow.__table__).order_by(AuditRow.id)).all() if (r.table_name, r.record_id) in keys]
    return {"companies": companies, "needs": needs, "visits": visits, "log": log}


def replays(register) -> None:
    """The log still replays to exactly the records (the audit's completeness, tests/unit/test_audit_replay.py)."""
    with register.engine.connect() as conn:
        state = audit.replay(audit.frame(conn))
        for table, model in TABLES.items():
            logged = {str(r["id"]): json.loads(audit.snapshot(dict(r))) for r in conn.execute(select(model.__table__)).mappings()}
            assert {k: v for k, v in state.get(table, {}).items() if k in logged} == {
                k: v for k, v in logged.items() if k in state.get(table, {})}, table


def log_text(register) -> str:
    with register.engine.connect() as conn:
        rows = conn.execute(select(AuditRow.record_id, AuditRow.before, AuditRow.after, AuditRow.detail)).all()
    return "\n".join("\t".join(r) for r in rows)


def held(text: str, *terms: str) -> list[str]:
    return [t for t in terms if Person((t,)).mentions(text) or t.casefold() in text.casefold()]


def trollhattan_texts(register) -> tuple[dict, dict]:
    """Trollhättan's own text that holds "per", "ek", "åsa" and "örjan" as parts of other words, and a need note
    that names other people with the same first names."""
    superbygg = company(register, TROLLHATTAN, "Superbygg AB", "1488", "556677-8899", contact_name="Per-Olof Eklund",
                        contact_email="per-olof@superbygg.example", contact_until=TODAY + 400 * DAY)
    need = note_need(register, TROLLHATTAN, superbygg["id"], "Behöver en expert på upper_secondary-nivå, snarast. "
                     "Åsa-Lena och Örjans ekonomi; mejla per.olsson@superbygg.example")
    return superbygg, need


# --- point 1: a contact saved as "Per" ---

def test_a_one_word_contact_erases_nobody_elses_text(register):
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Per",
                     contact_until=TODAY + 10 * DAY)
    mention = note_need(register, SOTENAS, varvet["id"], "Träffade Per i går")
    trollhattan_texts(register)
    before = others(register)
    assert privacy.erase_expired_contacts(register, TODAY + 11 * DAY) == 1
    assert workspace(register, ADMIN).record("companies", varvet["id"])["contact_name"] == ""
    assert others(register) == before, "another municipality's records and log entries stay byte-identical"
    assert workspace(register, ADMIN).record("needs", mention["id"])["note"] == "Träffade Per i går", \
        "retention never replaces a one-word name in free text unseen"
    assert "Per" not in {json.loads(t).get("contact_name") for t in log_text(register).split("\t") if t.startswith("{")}
    replays(register)

    with pytest.raises(privacy.Unconfirmed):  # a request by one word: only after the admin has seen the list
        privacy.erase_person(register, "Per", ADMIN.email, "per e-post", TODAY + 11 * DAY)
    listing = privacy.person_record(register, "Per")
    assert listing.weak == ("Per",) and [(n["table"], n["id"]) for n in listing.notes] == [("needs", mention["id"])]
    assert listing.notes[0]["after"] == "Träffade […] i går"
    with pytest.raises(privacy.ChangedSinceShown):  # the code of another listing: nothing
        privacy.erase_person(register, "Per", ADMIN.email, "per e-post", TODAY + 11 * DAY, confirmed="0000000000")
    assert workspace(register, ADMIN).record("needs", mention["id"])["note"] == "Träffade Per i går"
    privacy.erase_person(register, "Per", ADMIN.email, "per e-post", TODAY + 11 * DAY, confirmed=listing.digest)
    assert workspace(register, ADMIN).record("needs", mention["id"])["note"].startswith("Träffade [erased ")
    assert others(register) == before
    replays(register)


def test_the_command_line_lists_a_one_word_erasure_and_needs_yes(register, capsys):
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Ek", contact_until=TODAY + 10 * DAY)
    mention = note_need(register, SOTENAS, varvet["id"], "Ek ringer; ekonomi och Ekdahl väntar")
    before = others(register)
    args = ["person", "erase", "Ek", "--requested-by", "e-post", "--database", register.url]
    assert main(args) == 2
    out = capsys.readouterr()
    assert "--yes" in out.err and "Ek ringer; ekonomi" in out.out and "'[…] ringer; ekonomi och Ekdahl väntar'" in out.out
    assert workspace(register, ADMIN).record("needs", mention["id"])["note"].startswith("Ek ringer"), "nothing erased"
    assert main([*args, "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert "would erase: 1 contact" in listed
    code = listed.split("code of this list: ")[1].split()[0]
    assert workspace(register, ADMIN).record("companies", varvet["id"])["contact_name"] == "Ek", "a dry run erases nothing"
    assert main([*args, "--yes", "ffffffffff"]) == 2 and "changed after the listing" in capsys.readouterr().err
    assert main([*args, "--yes", code]) == 0
    note = workspace(register, ADMIN).record("needs", mention["id"])["note"]
    assert note.startswith("[erased ") and note.endswith(" ringer; ekonomi och Ekdahl väntar")
    assert others(register) == before
    replays(register)


# --- point 2: Swedish names, upper-case addresses ---

def test_asa_oberg_is_found_exported_and_erased_by_name_or_address(register):
    trollhattan_texts(register)
    before = others(register)
    space = workspace(register, SOTENAS, TODAY)
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Åsa Öberg",
                     contact_email="ASA.OBERG@VARVET.EXAMPLE", contact_role="VD", contact_until=TODAY + 300 * DAY)
    visit = space.add_visit({"company_id": varvet["id"], "visited_on": TODAY - 3 * DAY, "method": "workshop",
                             "note": "Träffade ÅSA ÖBERG om svetsning"})
    need = note_need(register, SOTENAS, varvet["id"], "Åsa Öbergs kollega vill gå kursen")
    for who in ("åsa öberg", "Åsa  Öberg", "asa.oberg@varvet.example"):
        found = privacy.person_record(register, who)
        assert [c["id"] for c in found.companies] == [varvet["id"]], who
        assert {(n["table"], n["id"]) for n in found.notes} == {("visits", visit["id"]), ("needs", need["id"])}, who
        assert len(found.entries) == 3 and not found.weak, who  # the company's, the visit's and the need's add

    counts = privacy.erase_person(register, "asa.oberg@varvet.example", ADMIN.email, "brev 2026-11-19", TODAY)
    assert counts == {"companies": 1, "notes": 2, "entries": 3, "old_pages": 0}
    assert workspace(register, ADMIN).record("visits", visit["id"])["note"].endswith(" om svetsning")
    assert not held(log_text(register), "Åsa Öberg", "asa.oberg@varvet.example")
    assert privacy.person_record(register, "Åsa Öberg").empty
    assert others(register) == before
    replays(register)


def test_retention_of_orjan_agren_by_name_only(register):
    trollhattan_texts(register)
    before = others(register)
    space = workspace(register, SOTENAS, TODAY)
    tanum = company(register, SOTENAS, "Fisk i Tanum AB", "1435", "556036-0793", contact_name="Örjan Ågren",
                    contact_until=TODAY + 10 * DAY)
    tanum = space.edit_company(tanum["id"], tanum["version"], {"contact_role": "Ägare"})  # two snapshots hold him
    visit = space.add_visit({"company_id": tanum["id"], "visited_on": TODAY - DAY, "method": "company_visit",
                             "note": "Örjan Ågren visade verkstaden"})
    assert privacy.erase_expired_contacts(register, TODAY + 10 * DAY) == 0, "kept through its date"
    assert privacy.erase_expired_contacts(register, TODAY + 11 * DAY) == 1
    note = workspace(register, ADMIN).record("visits", visit["id"])["note"]
    assert note.startswith(f"[erased {TODAY + 11 * DAY}: ") and note.endswith("] visade verkstaden"), note
    assert not held(log_text(register), "Örjan Ågren", "Ägare")
    assert others(register) == before
    replays(register)


# --- point 3: replaced, cleared and refused contacts, file names, a rebuild ---

def test_every_contact_ever_stored_goes_at_its_own_date(register):
    space = workspace(register, SOTENAS, TODAY)
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Kim Kontaktsson",
                     contact_email="kim@varvet.example", contact_until=TODAY + 10 * DAY)
    stale = varvet["version"]
    varvet = space.edit_company(varvet["id"], varvet["version"], {"contact_role": "Inköp"})
    with pytest.raises(Conflict):  # a refused edit logs its attempt: Nils, never stored
        space.edit_company(varvet["id"], stale, {"contact_name": "Nils Nyman", "contact_email": "nils@varvet.example"})
    varvet = space.edit_company(varvet["id"], varvet["version"], {"contact_name": "Lo Lindqvist", "contact_email":
                                "lo@varvet.example", "contact_until": TODAY + 400 * DAY})
    cleared = company(register, SOTENAS, "Båtvarvet AB", "1427", "556036-0801", contact_name="Mia Mattsson",
                      contact_until=TODAY + 20 * DAY)
    space.edit_company(cleared["id"], cleared["version"], {"contact_name": "", "contact_until": None})
    trollhattan_texts(register)
    before = others(register)
    register_import.commit(register, SOTENAS, plan(register, SOTENAS, good(), "Kim Kontaktsson behov.csv"))
    assert held(log_text(register), "Kim Kontaktsson", "Nils Nyman", "Mia Mattsson") == ["Kim Kontaktsson", "Mia Mattsson"], \
        "a refused attempt's contact is never logged"

    assert privacy.erase_expired_contacts(register, TODAY + 11 * DAY) == 1
    text = log_text(register)
    assert not held(text, "Kim Kontaktsson", "kim@varvet.example", "Nils Nyman", "nils@varvet.example"), \
        "the replaced contact, the refused attempt and the import's file name are gone"
    assert held(text, "Lo Lindqvist", "Mia Mattsson") == ["Lo Lindqvist", "Mia Mattsson"], "each at its own date"
    assert workspace(register, ADMIN).record("companies", varvet["id"])["contact_name"] == "Lo Lindqvist"
    assert privacy.erase_expired_contacts(register, TODAY + 21 * DAY) == 1
    assert not held(log_text(register), "Mia Mattsson") and held(log_text(register), "Lo Lindqvist")
    assert others(register) == before
    replays(register)


def test_a_rebuild_keeps_nothing_of_the_old_registers_people(register):
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Kim Kontaktsson",
                     contact_email="kim@varvet.example", contact_until=TODAY + 100 * DAY)
    note_need(register, SOTENAS, varvet["id"], "Fråga Sture Svensson om schemat")
    register_import.commit(register, SOTENAS, plan(register, SOTENAS, good(), "Kim Kontaktsson behov.csv"))
    assert held(log_text(register), "Kim Kontaktsson", "Sture Svensson")
    load_demo(register, force=True)
    assert not held(log_text(register), "Kim Kontaktsson", "kim@varvet.example", "Sture Svensson")
