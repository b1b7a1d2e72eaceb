"""Issue 36, the second independent attack on erasure, retention and the side doors (each test one finding): a name
that only contains the name asked for is someone else; the erasure writes only the listing the admin saw; an import's
file name is searched for the companion name only in the imports of that company; an effort's note at its companies'
dates; another municipality's effort is not told apart from none; a broker with no rows yet gets an empty page."""

from __future__ import annotations

import datetime as dt

import pytest

from cli import main
from core.records.audience import Audience, User
from core.records.persons import Person
from services import privacy, register_import
from services.admin import Admin
from services.seed import export_file, workspace
from services.workspace import Refused
from tests.unit.test_erasure import ADMIN, NEED, SOTENAS, TODAY, TROLLHATTAN, company, note_need, others
from tests.unit.test_register_import import _workbook, effort_plan

DAY = dt.timedelta(days=1)


@pytest.fixture
def register(demo_register_url):
    from services.register.store import Register

    return Register(demo_register_url)


def test_a_longer_name_that_contains_the_name_asked_for_is_someone_else(register):
    """F1: erasing "Maria Karlsson" leaves "Anna Maria Karlsson" (her contact, her address in a note) as it was; she
    is listed apart, as kept."""
    mine = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Maria Karlsson",
                   contact_email="maria@fisk.example", contact_until=TODAY + 30 * DAY)
    theirs = company(register, TROLLHATTAN, "Verkstad AB", "1488", "556016-0680", contact_name="Anna Maria Karlsson",
                     contact_role="VD", contact_email="annamaria@verkstad.example", contact_until=TODAY + 30 * DAY)
    company(register, TROLLHATTAN, "Bygg AB", "1488", "556000-1009", contact_name="Åsa Öberg Lind",
            contact_email="asa.lind@bygg.example", contact_until=TODAY + 30 * DAY)
    note_need(register, TROLLHATTAN, theirs["id"], "Skicka offert till annamaria@verkstad.example")
    before = others(register)
    listing = privacy.person_record(register, "Maria Karlsson")
    assert [c["id"] for c in listing.companies] == [mine["id"]] and listing.notes == []
    assert [c["contact_name"] for c in listing.near] == ["Anna Maria Karlsson"]
    assert listing.confirm, "a longer name is kept: the admin looks first"
    privacy.erase_person(register, "Maria Karlsson", ADMIN.email, "e-post", TODAY, confirmed=listing.digest)
    assert privacy.person_record(register, "Åsa Öberg").companies == []
    assert others(register) == before, "nothing of Trollhättan's changed"
    role = company(register, SOTENAS, "Varv AB", "1427", "556000-1017", contact_name="Kim Kontaktsson (VD)",
                   contact_until=TODAY + 30 * DAY)
    assert [c["id"] for c in privacy.person_record(register, "Kim Kontaktsson").companies] == [role["id"]], \
        "a role written after the name is still the person"


def test_the_erasure_writes_only_the_listing_the_admin_saw(register, capsys):
    """F3: a note naming another Per written after the listing: the erasure by the listing's code writes nothing."""
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Per", contact_until=TODAY + 30 * DAY)
    listing = privacy.person_record(register, "Per")
    assert listing.notes == [] and listing.digest
    other = company(register, TROLLHATTAN, "Lager AB", "1488", "556016-0680")
    late = note_need(register, TROLLHATTAN, other["id"], "Per på lagret vill gå kursen")
    with pytest.raises(privacy.ChangedSinceShown):
        privacy.erase_person(register, "Per", ADMIN.email, "e-post", TODAY, confirmed=listing.digest)
    assert workspace(register, ADMIN).record("needs", late["id"])["note"] == "Per på lagret vill gå kursen"
    assert workspace(register, ADMIN).record("companies", varvet["id"])["contact_name"] == "Per", "nothing erased"
    args = ["person", "erase", "Varvet AB:s Kim Kontakt", "--requested-by", "e-post", "--database", register.url]
    company(register, SOTENAS, "Kontakt AB", "1427", "556000-1017", contact_name="Varvet AB:s Kim Kontakt",
            contact_until=TODAY + 30 * DAY)
    assert main([*args, "--dry-run"]) == 0
    code = capsys.readouterr().out.split("code of this list: ")[1].split()[0]
    note_need(register, SOTENAS, varvet["id"], "Ring Varvet AB:s Kim Kontakt")
    assert main([*args, "--yes", code]) == 2 and "changed after the listing" in capsys.readouterr().err


def test_an_import_file_name_is_searched_for_the_companion_name_only_in_that_companys_imports(register):
    """F4: erasing one Anna Karlsson by address leaves another municipality's "Besök Anna Karlsson …csv" as it was."""
    company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Anna Karlsson",
            contact_email="anna@fisk.example", contact_until=TODAY + 30 * DAY)
    register_import.commit(register, TROLLHATTAN, _imported(register, "Besök Anna Karlsson 2026-11.csv"))
    found = privacy.person_record(register, "anna@fisk.example")
    assert not [e for e in found.entries if e["action"] == "import"]
    privacy.erase_person(register, "anna@fisk.example", ADMIN.email, "e-post", TODAY)
    with register.engine.connect() as conn:
        from services.register import audit
        imports = audit.frame(conn).query("action == 'import'")
    assert list(imports["record_id"]) == ["Besök Anna Karlsson 2026-11.csv"]


def _imported(register, name: str):
    """A Trollhättan import named ``name`` (a company of its own)."""
    from tests.unit.test_register_import import plan

    data = ("Behovsreferens;Organisationsnummer;Företag;SNI-kod;Kommun;Storleksklass;Kompetens;Typ;Antal personer;"
            "Horisont;Form;Nivå;Metod;Insamlat;Status\nT-1;556016-0680;Verkstad AB;30.12;Trollhättan;10-49;Svetsning;"
            "Kompetensutveckling (bristkompetens);2;0–6 månader;Flexibelt (blended);Gymnasial;Workshop;2026-03-01;Ny\n")
    return plan(register, TROLLHATTAN, data.encode("utf-8"), name)


def test_retention_erases_an_expired_contact_in_the_notes_of_the_efforts_serving_the_company(register):
    """F6: an effort belongs to no company: its note is searched at the dates of the companies whose needs it serves."""
    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793", contact_name="Örjan Ågren",
                     contact_email="orjan@varvet.example", contact_until=TODAY + 10 * DAY)
    need = note_need(register, SOTENAS, varvet["id"], "vill ha kursen")
    effort = workspace(register, SOTENAS, TODAY).add_effort(
        {"title": "Svets", "provider": "Komvux", "seats": 8, "note": "Samordnas med Örjan Ågren (orjan@varvet.example)"},
        [need["id"]])
    privacy.erase_expired_contacts(register, TODAY + 11 * DAY)
    note = workspace(register, ADMIN).record("efforts", effort["id"])["note"]
    assert "Örjan" not in note and "orjan@" not in note and note.startswith("Samordnas med [erased ")
    with register.engine.connect() as conn:
        from services.register import audit
        log = audit.frame(conn)
    assert not log["before"].str.contains("Örjan", na=False).any() and not log["after"].str.contains("orjan@", na=False).any()


def test_a_one_word_name_is_found_in_the_genitive():
    assert Person(("Per",)).mentions("Pers bil") and Person(("Per",)).mentions("Per:s bil")
    assert not Person(("Per",)).mentions("Persson ringde") and not Person(("Per",)).mentions("persiska")


def test_a_broker_who_lost_the_municipality_no_longer_reads_their_effort(register):
    """F2: the effort serves only a Sotenäs need; its creator, moved to Tanum, neither lists, exports nor reads its log."""
    bo = User("bo@demo.invalid", Audience.BROKER, ("1427",), "Bo")
    Admin(register, ADMIN).save_user(bo, {"1427", "1435"}, None)
    varvet = company(register, bo, "Varvet AB", "1427", "556036-0793")
    need = workspace(register, bo, TODAY).add_need(NEED | {"company_id": varvet["id"], "collected_on": TODAY})
    effort = workspace(register, bo, TODAY).add_effort({"title": "Svets", "provider": "Komvux", "seats": 8,
                                                        "note": "Fisk AB:s VD vill ha 3 platser till"}, [need["id"]])
    own = workspace(register, bo, TODAY).add_effort({"title": "Ännu tom", "provider": "Komvux", "seats": 8})
    moved = User(bo.email, Audience.BROKER, ("1435",), "Bo")
    Admin(register, ADMIN).save_user(moved, {"1427", "1435"}, register.user_version(bo.email))
    space = workspace(register, moved, TODAY)
    assert list(space.frame("efforts")["id"]) == [own["id"]], "their own effort serving no need stays theirs"
    assert str(effort["id"]) not in set(space.audit_log().query("table_name == 'efforts'")["record_id"])
    with pytest.raises(Refused):
        space.record("efforts", effort["id"])
    data, _, efforts = export_file(register, moved, "sv", "xlsx")
    assert efforts == 1 and b"Fisk AB:s VD" not in data


def test_another_municipalitys_effort_reference_is_not_told_apart_from_none(register):
    """F5: Sotenäs probing a Trollhättan effort's reference gets what it gets for a reference nobody used."""
    other = company(register, TROLLHATTAN, "Verkstad AB", "1488", "556016-0680")
    need = note_need(register, TROLLHATTAN, other["id"], "")
    workspace(register, TROLLHATTAN, TODAY).add_effort({"title": "Hemlig", "provider": "Komvux", "seats": 8}, [need["id"]])
    with register.writer.begin() as conn:
        from services.register.schema import EffortRow
        conn.execute(EffortRow.__table__.update().values(ref="Volvo-uppsägningar-2027"))
    kinds = {}
    for ref in ("Volvo-uppsägningar-2027", "Saab-uppsägningar-2027"):
        preview = effort_plan(register, SOTENAS, _workbook([], [[ref, "Svets", "Komvux", "", "", "8", "", ""]]))
        kinds[ref] = ([p.code for p in preview.problems], [e.kind for e in preview.efforts])
    assert kinds["Volvo-uppsägningar-2027"] == kinds["Saab-uppsägningar-2027"] == ([], ["new"])
    probe = effort_plan(register, SOTENAS, _workbook([], [["KI-1", "Svets", "Komvux", "", "", "8", "", ""]]))
    assert [p.code for p in probe.problems] == ["unknown_effort"], "the register's own key of an effort not among yours"


def test_a_broker_whose_municipalities_have_no_rows_yet_gets_an_empty_page(monkeypatch, tmp_path):
    """A new Tanum broker on a register with Sotenäs' needs only: the first page renders, no error."""
    from services.admin import start_register
    from services.register.store import Register
    from tests.app.conftest import app_as

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    register = Register(url)
    admin = start_register(register, User("anna@region.example", Audience.ADMIN, (), "Anna"))
    bo, tove = (User("bo@region.example", Audience.BROKER, ("1427",), "Bo"),
                User("tove@region.example", Audience.BROKER, ("1435",), "Tove"))
    for user in (bo, tove):
        Admin(register, admin).save_user(user, {"1427", "1435"}, None)
    varvet = company(register, bo, "Varvet AB", "1427", "556036-0793")
    workspace(register, bo, TODAY).add_need(NEED | {"company_id": varvet["id"], "collected_on": TODAY})
    monkeypatch.setenv("DATABASE_URL", url)
    at = app_as(tove.email)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


# --- the third attack ---------------------------------------------------------------------------------------------

def test_an_import_changes_no_need_outside_the_brokers_municipalities(register):
    """A Sotenäs company with a site's need in Trollhättan: a file row changing its industry is refused in the preview
    (and at commit), and the Trollhättan need stays where it is, as the workspace's company edit does."""
    from services.register.schema import NeedRow

    varvet = company(register, SOTENAS, "Varvet AB", "1427", "556036-0793")
    site = note_need(register, SOTENAS, varvet["id"], "Trollhättans behov")
    with register.writer.begin() as conn:
        conn.execute(NeedRow.__table__.update().where(NeedRow.id == site["id"]).values(municipality_code="1488"))
    data = ("Behovsreferens;Organisationsnummer;Företag;SNI-kod;Kommun;Storleksklass;Kompetens;Typ;Antal personer;"
            "Horisont;Form;Nivå;Metod;Insamlat;Status\nB-9;556036-0793;Varvet AB;10.20;Sotenäs;10-49;Svetsning;"
            "Kompetensutveckling (bristkompetens);2;0–6 månader;Flexibelt (blended);Gymnasial;Workshop;2026-03-01;Ny\n")
    from tests.unit.test_register_import import plan

    preview = plan(register, SOTENAS, data.encode("utf-8"))
    assert [p.code for p in preview.problems] == ["company_needs_elsewhere"] and preview.rows == []
    clean = plan(register, ADMIN, data.encode("utf-8"))  # an admin's preview, committed under the broker's name
    with pytest.raises(Refused):
        register_import.commit(register, SOTENAS, clean)
    need = workspace(register, ADMIN).record("needs", site["id"])
    assert (need["municipality_code"], need["industry_group"], need["version"]) == ("1488", "boatbuilding", 1)


def test_a_longer_name_in_another_companys_note_is_kept_and_the_admin_looks_first(register):
    """"Anna Maria Karlsson vill ha kursen": erasing "Maria Karlsson" leaves it whole (a contact of that longer name is
    kept), and an erasure that changes another company's text waits for the listing's code."""
    company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Maria Karlsson",
            contact_email="maria@fisk.example", contact_until=TODAY + 30 * DAY)
    theirs = company(register, TROLLHATTAN, "Verkstad AB", "1488", "556016-0680", contact_name="Anna Maria Karlsson",
                     contact_until=TODAY + 30 * DAY)
    note = note_need(register, TROLLHATTAN, theirs["id"], "Anna Maria Karlsson vill ha kursen")
    other = company(register, TROLLHATTAN, "Lager AB", "1488", "556000-1009")
    mention = note_need(register, TROLLHATTAN, other["id"], "Ring Maria Karlsson på Fisk AB")
    listing = privacy.person_record(register, "Maria Karlsson")
    assert [(n["id"], n["after"]) for n in listing.notes] == [(mention["id"], "Ring […] på Fisk AB")] and listing.confirm
    with pytest.raises(privacy.Unconfirmed):
        privacy.erase_person(register, "Maria Karlsson", ADMIN.email, "e-post", TODAY)
    privacy.erase_person(register, "Maria Karlsson", ADMIN.email, "e-post", TODAY, confirmed=listing.digest)
    assert workspace(register, ADMIN).record("needs", note["id"])["note"] == "Anna Maria Karlsson vill ha kursen"


def test_the_listings_code_covers_what_each_note_would_read(register):
    """Linking Kim's need to an effort after the listing changes what the erasure would write in the effort's note (the
    name found with the address goes only where the effort serves Kim's company), though the effort's own version does
    not move: the code no longer matches, and nothing is erased."""
    fisk = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Kim Kontaktsson",
                   contact_email="kim@fisk.example", contact_until=TODAY + 30 * DAY)
    need = note_need(register, SOTENAS, fisk["id"], "")
    effort = workspace(register, SOTENAS, TODAY).add_effort(
        {"title": "Svets", "provider": "Komvux", "seats": 8, "note": "Kontakt: kim@fisk.example eller Kim Kontaktsson"})
    listing = privacy.person_record(register, "kim@fisk.example")
    assert [n["after"] for n in listing.notes if n["table"] == "efforts"] == ["Kontakt: […] eller Kim Kontaktsson"]
    current = workspace(register, SOTENAS).record("needs", need["id"])
    workspace(register, SOTENAS, TODAY).edit_need(need["id"], current["version"], {"effort_id": effort["id"]})
    with pytest.raises(privacy.ChangedSinceShown):
        privacy.erase_person(register, "kim@fisk.example", ADMIN.email, "e-post", TODAY, confirmed=listing.digest)
    assert workspace(register, ADMIN).record("efforts", effort["id"])["note"].startswith("Kontakt: kim@fisk.example")
    again = privacy.person_record(register, "kim@fisk.example")
    assert [n["after"] for n in again.notes if n["table"] == "efforts"] == ["Kontakt: […] eller […]"]


def test_retention_keeps_a_name_another_served_company_still_keeps(register):
    """Two Anna Karlssons, one kept until day+10, the other until day+400, and one effort serving both: at day+11 the
    effort's note about the second keeps her name."""
    fisk = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Anna Karlsson",
                   contact_email="anna@fisk.example", contact_until=TODAY + 10 * DAY)
    verkstad = company(register, TROLLHATTAN, "Verkstad AB", "1488", "556016-0680", contact_name="Anna Karlsson",
                       contact_email="anna.k@verkstad.example", contact_until=TODAY + 400 * DAY)
    needs = [note_need(register, SOTENAS, fisk["id"], "")["id"], note_need(register, TROLLHATTAN, verkstad["id"], "")["id"]]
    effort = workspace(register, ADMIN, TODAY).add_effort(
        {"title": "Svets", "provider": "Komvux", "seats": 8, "note": "Anna Karlsson på Verkstad AB samordnar; anna@fisk.example"},
        needs)
    privacy.erase_expired_contacts(register, TODAY + 11 * DAY)
    note = workspace(register, ADMIN).record("efforts", effort["id"])["note"]
    assert note.startswith("Anna Karlsson på Verkstad AB samordnar; [erased "), note


def test_a_role_needs_a_name_or_an_address(register):
    """A contact held in the role alone could not be found when its date comes: refused."""
    from services.workspace import Invalid

    with pytest.raises(Invalid) as refused:
        company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_role="Kim Kontaktsson, VD, 0701234567",
                contact_until=TODAY + 10 * DAY)
    assert [p.code for p in refused.value.problems] == ["role_without_contact"]


def test_a_contact_of_two_people_is_not_one_persons_role(register):
    """"Anna Karlsson / Maria Lind": erasing Anna Karlsson does not take Maria's address as Anna's."""
    fisk = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Anna Karlsson / Maria Lind",
                   contact_email="maria.lind@fisk.example", contact_until=TODAY + 30 * DAY)
    note = note_need(register, SOTENAS, fisk["id"], "Offert skickad till maria.lind@fisk.example")
    listing = privacy.person_record(register, "Anna Karlsson")
    assert listing.companies == [] and listing.near == [] and listing.confirm
    assert [(n["field"], n["after"]) for n in listing.notes] == [("contact_name", "[…] / Maria Lind")], \
        "Anna's name goes from the shared contact; Maria's name and address stay"
    privacy.erase_person(register, "Anna Karlsson", ADMIN.email, "e-post", TODAY, confirmed=listing.digest)
    now = workspace(register, ADMIN).record("companies", fisk["id"])
    assert now["contact_name"].endswith("] / Maria Lind") and now["contact_email"] == "maria.lind@fisk.example"
    assert workspace(register, ADMIN).record("needs", note["id"])["note"] == "Offert skickad till maria.lind@fisk.example"
    maria = privacy.person_record(register, "Maria Lind")
    assert [(n["field"], n["after"]) for n in maria.notes] == [("contact_name", now["contact_name"].replace("Maria Lind", "[…]"))]


def test_a_rebuild_keeps_no_user_of_the_old_register(register, capsys):
    """`demo --force` replaces the users: their addresses and names leave the log too (snapshots, record ids, actors),
    and so does who asked for an erasure."""
    from sqlalchemy import select

    from services.register.schema import AuditRow

    assert main(["users", "add", "anna.andersson@kommun.example", "--role", "admin", "--name", "Anna Andersson",
                 "--database", register.url]) == 0
    anna = User("anna.andersson@kommun.example", Audience.ADMIN, (), "Anna Andersson")
    varvet = company(register, anna, "Varvet AB", "1427", "556036-0793", contact_name="Kim Kontaktsson",
                     contact_until=TODAY + 30 * DAY)
    workspace(register, anna, TODAY).add_need(NEED | {"company_id": varvet["id"], "collected_on": TODAY})  # its broker
    listing = privacy.person_record(register, "Kim Kontaktsson")
    privacy.erase_person(register, "Kim Kontaktsson", anna.email, "Kim själv, brev från Bertil Bengtsson", TODAY,
                         confirmed=listing.digest)
    assert varvet["id"]
    assert main(["demo", "--force", "--database", register.url]) == 0
    capsys.readouterr()
    with register.engine.connect() as conn:
        log = " ".join(" ".join(str(v) for v in row) for row in conn.execute(select(AuditRow.__table__)).all())
    for trace in ("anna.andersson@", "Anna Andersson", "Bertil Bengtsson"):
        assert trace not in log, trace


# --- the fourth attack --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stored", ["Kim Kontaktsson (Inköpschef Väst)", "VD Kim Kontaktsson", "Dr. Kim Kontaktsson",
                                    "Kim Kontaktsson, Inköpschef Varvet"])
def test_a_name_with_a_title_around_it_is_found_and_its_mention_erased(register, stored):
    """Not taken whole (there may be more than one person in it), not kept as someone else's either: the name goes from
    the contact and the notes, after the admin has looked."""
    fisk = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name=stored,
                   contact_email="kim.k@varvet.example", contact_until=TODAY + 30 * DAY)
    note = note_need(register, SOTENAS, fisk["id"], f"{stored} ringde om svets")
    listing = privacy.person_record(register, "Kim Kontaktsson")
    assert not listing.empty and listing.near == [] and listing.confirm
    privacy.erase_person(register, "Kim Kontaktsson", ADMIN.email, "e-post", TODAY, confirmed=listing.digest)
    assert "Kontaktsson" not in workspace(register, ADMIN).record("companies", fisk["id"])["contact_name"]
    assert "Kontaktsson" not in workspace(register, ADMIN).record("needs", note["id"])["note"]
    assert privacy.person_record(register, "Kim Kontaktsson").empty


def test_a_longer_name_alone_is_still_listed(register):
    """The only contact holding the name is a longer name (someone else): the listing is not "nothing stored"."""
    company(register, TROLLHATTAN, "Verkstad AB", "1488", "556016-0680", contact_name="Anna Maria Karlsson",
            contact_until=TODAY + 30 * DAY)
    listing = privacy.person_record(register, "Maria Karlsson")
    assert not listing.empty and [c["contact_name"] for c in listing.near] == ["Anna Maria Karlsson"]


def test_retention_finds_a_name_stored_with_its_role(register):
    """"Kim Kontaktsson (VD)" past its date: "Kim Kontaktsson" goes from the company's notes too."""
    fisk = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Kim Kontaktsson (VD)",
                   contact_until=TODAY + 10 * DAY)
    note = note_need(register, SOTENAS, fisk["id"], "Kim Kontaktsson vill ha svetskurs")
    privacy.erase_expired_contacts(register, TODAY + 11 * DAY)
    assert workspace(register, ADMIN).record("needs", note["id"])["note"].startswith("[erased ")


def test_retention_searches_an_effort_that_once_served_the_company(register):
    """The need was unlinked from the effort: its note still named the company's contact, and goes at the date."""
    fisk = company(register, SOTENAS, "Fisk AB", "1427", "556036-0793", contact_name="Åsa Öberg",
                   contact_until=TODAY + 10 * DAY)
    need = note_need(register, SOTENAS, fisk["id"], "")
    effort = workspace(register, SOTENAS, TODAY).add_effort({"title": "Svets", "provider": "Komvux", "seats": 8,
                                                             "note": "Åsa Öberg samordnar"}, [need["id"]])
    current = workspace(register, SOTENAS).record("needs", need["id"])
    workspace(register, SOTENAS, TODAY).edit_need(need["id"], current["version"], {"effort_id": None, "status": "analysed"})
    privacy.erase_expired_contacts(register, TODAY + 11 * DAY)
    assert workspace(register, ADMIN).record("efforts", effort["id"])["note"].startswith("[erased ")

