"""Issue 36, points 4-8: no side door from a broker's municipalities into another's rows."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from services.register.schema import NeedRow
from services.register.store import Register
from services.seed import DEMO_USERS, export_file, workspace
from services.workspace import Refused
from tests.unit.test_register_import import good, plan

ADMIN, SOTENAS, TROLLHATTAN = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[2]
TODAY = dt.date(2026, 11, 20)
NEED = {"competence": "welding", "need_type": "upskilling", "persons": 2, "horizon": "0-6", "form": "blended",
        "level": "upper_secondary", "collected_on": TODAY}
GOOGLE = "https://accounts.google.com/.well-known/openid-configuration"
ENTRA = "https://login.microsoftonline.com/tenant-guid/v2.0"
SITE = {"org_nr": "556036-0793", "sni_code": "30.12", "size_class": "10-49"}  # one company, two sites


@pytest.fixture
def register(register_url):
    return Register(register_url)


def two_sites(register) -> tuple[dict, dict, dict, dict]:
    """A Sotenäs and a Trollhättan site of one company (one organisation number), a need at each."""
    sotenas = workspace(register, SOTENAS, TODAY).add_company(SITE | {"name": "Testvarvet AB", "municipality_code": "1427"})
    trollhattan = workspace(register, TROLLHATTAN, TODAY).add_company(SITE | {"name": "Testvarvet Väst", "municipality_code": "1488"})
    own = workspace(register, SOTENAS, TODAY).add_need(NEED | {"company_id": sotenas["id"]})
    other = workspace(register, TROLLHATTAN, TODAY).add_need(NEED | {"company_id": trollhattan["id"], "competence": "cnc",
                                                                      "note": "Trollhättans hemliga behov"})
    return sotenas, trollhattan, own, other


def test_the_import_preview_shows_a_broker_no_other_municipalitys_needs(register):
    """Point 4: a file with a multi-site company's organisation number."""
    _, _, own, other = two_sites(register)
    preview = plan(register, SOTENAS, good())
    shown = set(preview.missing["id"]) | {r.need_id for r in preview.rows}
    assert other["id"] not in shown and set(preview.missing["municipality_code"]) <= {"1427", "1435"}
    assert own["id"] in shown, "the broker's own need of that company is shown (so the check above can fail)"
    assert other["id"] in set(plan(register, ADMIN, good()).missing["id"]), "an admin sees every site"


def test_the_export_s_efforts_sheet_lists_only_the_brokers_needs(register):
    """Point 5: a shared effort serves a Sotenäs and a Trollhättan need."""
    _, _, own, other = two_sites(register)
    workspace(register, ADMIN, TODAY).add_effort({"title": "Svets", "provider": "Komvux", "seats": 8}, [own["id"], other["id"]])
    data, _, efforts = export_file(register, SOTENAS, "sv", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Insatser"]
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert efforts == 1 and f"KK-{own['id']}" in cells
    assert f"KK-{other['id']}" not in cells, "another municipality's need behind a shared effort"


def test_a_need_is_linked_only_to_an_effort_the_broker_may_read(register):
    """Point 5: ``add_need``/``edit_need`` check the effort in the service, not only the page."""
    _, _, own, other = two_sites(register)
    theirs = workspace(register, TROLLHATTAN, TODAY).add_effort({"title": "Hemlig kurs", "provider": "Komvux", "seats": 8,
                                                                 "note": "bara för Trollhättan"}, [other["id"]])
    space = workspace(register, SOTENAS, TODAY)
    with pytest.raises(Refused):
        space.edit_need(own["id"], own["version"], {"effort_id": theirs["id"]})
    with pytest.raises(Refused):
        space.add_need(NEED | {"company_id": own["company_id"], "effort_id": theirs["id"]})
    assert workspace(register, ADMIN).record("needs", own["id"])["effort_id"] is None
    mine = space.add_effort({"title": "Min kurs", "provider": "Komvux", "seats": 8})
    assert space.edit_need(own["id"], own["version"], {"effort_id": mine["id"]})["effort_id"] == mine["id"]


def test_a_write_uses_the_users_rights_at_the_moment_it_runs(register_url):
    """Point 7: a workspace made before an admin changed the user (as a page's button callback is) writes nothing
    under the old rights."""
    from core.records.audience import User
    from services.admin import Admin
    from services.seed import load_demo

    register = Register(register_url)
    load_demo(register)
    space = workspace(register, SOTENAS, TODAY)  # the last render's user: Sotenäs and Tanum
    company = space.add_company(SITE | {"name": "Testvarvet AB", "municipality_code": "1427"})
    Admin(register, ADMIN).save_user(User(SOTENAS.email, SOTENAS.role, ("1435",), SOTENAS.name), {"1427", "1435"},
                                       register.user_version(SOTENAS.email))
    with pytest.raises(Refused):
        space.add_need(NEED | {"company_id": company["id"]})
    with pytest.raises(Refused):
        space.edit_company(company["id"], company["version"], {"name": "Nytt namn AB"})
    with pytest.raises(Refused):
        space.add_company(SITE | {"name": "Nytt AB", "municipality_code": "1427"})
    tanum = space.add_company(SITE | {"name": "Tanumvarvet AB", "municipality_code": "1435"})
    Admin(register, ADMIN).remove_user(SOTENAS.email)
    with pytest.raises(Refused):
        space.edit_company(tanum["id"], tanum["version"], {"name": "Nytt namn AB"})
    assert workspace(register, ADMIN).record("companies", company["id"])["name"] == "Testvarvet AB"
    assert len(workspace(register, ADMIN).frame("needs").query(f"company_id == {company['id']}")) == 0


def test_a_brokers_filter_choices_come_from_the_rows_they_may_read():
    """Point 6: competences, months and areas offered to a broker say nothing about other municipalities."""
    import pandas as pd

    from core.analysis.filters import ALL, choices_for

    needs = pd.DataFrame({
        "municipality_code": ["1427", "1435", "1488", "1488"],
        "competence": ["welding", "welding", "cnc", "nursing"],
        "collected_on": pd.to_datetime(["2025-03-02", "2025-05-20", "2024-01-10", "2026-08-01"]),
    })
    munis = pd.DataFrame({"code": ["1427", "1435", "1488"], "fa_code": ["16", "16", "15"]})
    broker = choices_for(needs, munis, ["ig:retail"], ["1427", "1435", "1488"], scope=("1427", "1435"))
    assert broker.competences == ("welding",), "Trollhättan's competences are not offered"
    assert broker.months == ("2025-03", "2025-04", "2025-05"), "nor its months"
    assert broker.areas == (ALL, "m:1427", "m:1435")
    alone = choices_for(needs, munis, ["ig:retail"], ["1427", "1435", "1488"], scope=("1427",))
    assert (alone.areas, alone.competences, alone.months) == (("m:1427",), ("welding",), ("2025-03",))
    nothing = choices_for(needs, munis, ["ig:retail"], ["1427", "1435", "1488"], scope=())
    assert (nothing.areas, nothing.competences, nothing.months) == ((), (), ())
    admin = choices_for(needs, munis, ["ig:retail"], ["1427", "1435", "1488"], scope=None)
    assert admin.competences == ("cnc", "nursing", "welding") and admin.months[0] == "2024-01"
    assert {"fyrbodal", "fa:15", "fa:16", "m:1488"} <= set(admin.areas)


@pytest.mark.parametrize(
    ("claims", "auth", "provider", "refused"),
    [
        ({"iss": "https://accounts.google.com", "email_verified": True}, {"server_metadata_url": GOOGLE}, "default", None),
        ({"iss": "https://accounts.google.com/", "email_verified": "true"}, {"server_metadata_url": GOOGLE}, None, None),
        ({"iss": "https://accounts.google.com", "email_verified": False}, {"server_metadata_url": GOOGLE}, "default", "unverified"),
        ({"iss": "https://accounts.google.com", "email_verified": "false"}, {"server_metadata_url": GOOGLE}, "default", "unverified"),
        ({"iss": ENTRA}, {"server_metadata_url": f"{ENTRA}/.well-known/openid-configuration"}, "default", None),  # no claim
        ({"iss": "https://login.microsoftonline.com/other-tenant/v2.0"},
         {"server_metadata_url": f"{ENTRA}/.well-known/openid-configuration"}, "default", "issuer"),
        ({"email_verified": True}, {"server_metadata_url": GOOGLE}, "default", "issuer"),  # no iss at all
        ({"iss": "https://idp.example.org"}, {"server_metadata_url": "https://idp.example.org/meta", "issuer": "https://idp.example.org"},
         "default", None),  # the region names the issuer
        ({"iss": "https://idp.example.org"}, {"server_metadata_url": "https://idp.example.org/meta"}, "default", "issuer_unknown"),
        ({"iss": "https://accounts.google.com"}, {"google": {"server_metadata_url": GOOGLE}}, "google", None),
        ({"iss": "https://accounts.google.com"}, {"google": {"server_metadata_url": GOOGLE}}, "microsoft", "issuer_unknown"),
        ({"iss": "https://accounts.google.com"}, {}, "default", "issuer_unknown"),
    ],
)
def test_an_identity_needs_a_verified_email_from_the_configured_issuer(claims, auth, provider, refused):
    """Point 8: ``email_verified`` false (where sent) and another or unknown issuer are refused."""
    from core.records import identity

    assert identity.refusal(claims | {"email": "anna@kommun.se"}, identity.configured_issuer(auth, provider)) == refused



def test_the_example_users_go_in_the_write_that_turns_the_demo_register_real(register):
    """Point 8: no ``admin@demo.invalid`` left on a real register, nor anyone whose rights an example user gave; a real
    admin the command line added on the demo stays."""
    from core.records.audience import Audience, User
    from services.admin import Admin, operator
    from services.register import audit
    from services.register.schema import UserRow
    from services.register.store import REAL, user_row
    from services.seed import load_demo

    load_demo(register)
    assert {u.email for u in register.users()} == {u.email for u in DEMO_USERS}
    given = User("eve@gmail.com", Audience.ADMIN, (), "Eve")  # a register from before the refusal: an example admin gave it
    with register.writer.begin() as conn:
        conn.execute(audit.AuditRow.__table__.insert(), [audit.entry(ADMIN.email, "add", "users", given.email, 1, None,
                                                                     user_row(given) | {"version": 1})])
        conn.execute(UserRow.__table__.insert(), [user_row(given) | {"version": 1}])
    assert register.is_demo()
    anna = User("anna@region.se", Audience.ADMIN, (), "Anna")
    Admin(register, operator()).save_user(anna, set(), None)  # the command line: the first write by a person
    assert register.meta()["dataset"] == REAL
    assert [u.email for u in register.users()] == ["anna@region.se"], \
        "every .invalid example user removed, and the user an example admin gave rights to"
    with register.engine.connect() as conn:
        removed = audit.frame(conn, "users").query("action == 'remove'")
    assert set(removed["record_id"]) == {u.email for u in DEMO_USERS} | {given.email}
    assert set(removed["actor"]) == {operator().email}


def test_the_demo_sign_in_manages_only_example_users(register):
    """Anyone can act as the demo's admin, so it gives no rights to a real address, nor changes or removes one."""
    from core.records.audience import Audience, User, UserProblem
    from services.admin import Admin
    from services.register.schema import UserRow
    from services.register.store import user_row
    from services.seed import load_demo

    load_demo(register)
    eve = User("eve@gmail.com", Audience.ADMIN, (), "Eve")
    with pytest.raises(UserProblem) as refused:
        Admin(register, ADMIN).save_user(eve, set(), None)
    assert refused.value.code == "example_admin" and eve.email not in {u.email for u in register.users()}
    anna = User("anna@region.se", Audience.VIEWER, (), "Anna")  # a real user on the demo (from before the refusal)
    with register.writer.begin() as conn:
        conn.execute(UserRow.__table__.insert(), [user_row(anna) | {"version": 1}])
    for attempt in (lambda: Admin(register, ADMIN).save_user(User("anna@region.se", Audience.ADMIN, (), "A"), set(),
                                                             register.user_version("anna@region.se")),
                    lambda: Admin(register, ADMIN).remove_user("anna@region.se")):
        with pytest.raises(UserProblem):
            attempt()
    assert {u.email: u.role for u in register.users()}["anna@region.se"] == Audience.VIEWER
    helper = User("hjalp@demo.invalid", Audience.BROKER, ("1427",), "Exempel")
    assert Admin(register, ADMIN).save_user(helper, {"1427"}, None).email == helper.email, "example users it may add"


def test_a_tab_left_open_on_the_demo_writes_nothing_once_the_register_is_real(register):
    """The register turned real and its example users went (so it holds no users yet): a page's callback still carrying
    the demo sign-in's broker or admin is refused, by the workspace, the admin's writes and the import."""
    from core.records.audience import Audience, User
    from services.admin import Admin
    from services.register.store import ExampleUserRefused
    from services.seed import load_demo

    load_demo(register)
    stale_space, stale_admin = workspace(register, SOTENAS, TODAY), Admin(register, ADMIN)
    with register.writer.begin() as conn:  # the first real write, by the command line (an import, say)
        register.written(conn, "operator@region.se")
    assert not register.is_demo() and register.users() == []
    revision = register.revision()
    with pytest.raises(Refused):
        stale_space.add_company(SITE | {"name": "Spöke AB", "municipality_code": "1427"})
    with pytest.raises(Refused):
        stale_admin.save_user(User("x@demo.invalid", Audience.ADMIN, (), ""), set(), None)
    with pytest.raises(ExampleUserRefused), register.writer.begin() as conn:  # the backstop under every write
        register.written(conn, ADMIN.email)
    assert register.revision() == revision and register.users() == []


def test_a_removed_admin_s_page_can_no_longer_act(register):
    """An ``Admin`` made when a page was drawn (the privacy panel's download, a form's callback) acts at a later click:
    it re-reads the admin in the register first."""
    from core.records.audience import Audience, User
    from services.admin import Admin, operator

    anna, bo = User("anna@region.se", Audience.ADMIN, (), "Anna"), User("bo@region.se", Audience.ADMIN, (), "Bo")
    for user in (anna, bo):
        Admin(register, operator()).save_user(user, set(), None)
    drawn = Admin(register, bo)
    Admin(register, anna).save_user(User("bo@region.se", Audience.VIEWER, (), "Bo"), set(), register.user_version(bo.email))
    for attempt in (lambda: drawn.person_export("kim@foretag.se"), lambda: drawn.erase_person("kim@foretag.se", "Kim"),
                    lambda: drawn.save_user(User("eve@region.se", Audience.ADMIN, (), ""), set(), None),
                    lambda: drawn.remove_user("anna@region.se")):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "not_admin"
    assert {u.email: u.role for u in register.users()} == {"anna@region.se": Audience.ADMIN, "bo@region.se": Audience.VIEWER}


def test_writes_through_the_demo_sign_in_keep_the_demo_from_being_rebuilt(register):
    """A region that tried the demo with its own file: what was written through the demo sign-in is not replaced by the
    generator without ``--force`` (it may be a region's data), nor rebuilt when the generator changes."""
    from services import seed
    from services.register.store import EXAMPLE_WRITES, MetaRow, RealRegister

    seed.load_demo(register)
    seed.load_demo(register)  # an untouched demo is rebuilt freely
    company = workspace(register, SOTENAS, TODAY).add_company(SITE | {"name": "Vår riktiga kund AB", "municipality_code": "1427"})
    assert register.is_demo() and register.meta()[EXAMPLE_WRITES] == "1"
    with pytest.raises(RealRegister):
        seed.load_demo(register)
    with register.writer.begin() as conn:  # as if an older generator had made it
        conn.execute(MetaRow.__table__.update().where(MetaRow.key == "generator_version").values(value="0"))
    seed.open_register(register.url)
    assert workspace(register, ADMIN).record("companies", company["id"])["name"] == "Vår riktiga kund AB"
    seed.load_demo(register, force=True)
    assert EXAMPLE_WRITES not in register.meta()


def test_a_failed_first_write_keeps_the_demo_and_its_users(register):
    """Point 8: the removal is in the write's own transaction: rolled back with it."""
    from services.seed import load_demo

    load_demo(register)
    with pytest.raises(RuntimeError), register.writer.begin() as conn:
        register.written(conn, "anna@region.se")
        raise RuntimeError("the write fails after it")
    assert register.is_demo() and {u.email for u in register.users()} == {u.email for u in DEMO_USERS}


def test_an_import_refusal_says_nothing_of_another_municipalitys_rows(register):
    """A file naming a company registered in Trollhättan, or linking an effort to a Trollhättan need: refused, without
    telling where the company is or that the need exists (the same words as for a need that does not exist)."""
    from tests.unit.test_register_import import _workbook, effort_plan

    trollhattan = workspace(register, TROLLHATTAN, TODAY).add_company(SITE | {"name": "Testvarvet Väst", "municipality_code": "1488"})
    other = workspace(register, TROLLHATTAN, TODAY).add_need(NEED | {"company_id": trollhattan["id"], "ref": "T-1"})
    preview = plan(register, SOTENAS, good())
    codes = {(p.code, p.value) for p in preview.problems}
    assert ("company_elsewhere", "556036-0793") in codes and preview.rows == []
    assert not any("1488" in f"{p.value} {p.message}" for p in preview.problems), "where the company is, not told"
    with register.writer.begin() as conn:  # the company goes: only the effort's link is left to try
        conn.execute(NeedRow.__table__.update().where(NeedRow.id == other["id"]).values(ref="T-1"))
    data = _workbook([], [["E-9", "Svets", "Komvux", "", "", "8", "556036-0793/T-1; 556036-0793/finns-inte", ""]])
    problems = effort_plan(register, SOTENAS, data).problems
    linked = [(p.code, p.value) for p in problems if p.value in ("556036-0793/T-1", "556036-0793/finns-inte")]
    assert linked == [("unknown_need", "556036-0793/T-1"), ("unknown_need", "556036-0793/finns-inte")]
    assert effort_plan(register, ADMIN, data).problems[0].value == "556036-0793/finns-inte", "the admin's file links it"


def test_a_company_edit_changes_no_need_outside_the_editors_municipalities(register):
    """A multi-site company's need in Trollhättan (from an import) is not the Sotenäs broker's: an edit that would change
    it (the industry) is refused whole; a move changes only the needs in the company's old municipality."""
    space = workspace(register, SOTENAS, TODAY)
    company = space.add_company(SITE | {"name": "Testvarvet AB", "municipality_code": "1427"})
    own = space.add_need(NEED | {"company_id": company["id"]})
    elsewhere = space.add_need(NEED | {"company_id": company["id"], "competence": "cnc"})
    with register.writer.begin() as conn:  # as an import stores a site's need: in the row's own municipality
        conn.execute(NeedRow.__table__.update().where(NeedRow.id == elsewhere["id"]).values(municipality_code="1488"))
    with pytest.raises(Refused):
        space.edit_company(company["id"], company["version"], {"sni_code": "10.20", "industry_group": "marine_food"})
    admin = workspace(register, ADMIN, TODAY)
    assert admin.record("companies", company["id"])["sni_code"] == "30.12"
    assert admin.record("needs", elsewhere["id"])["version"] == 1
    moved = admin.edit_company(company["id"], company["version"], {"municipality_code": "1435"})
    assert moved["municipality_code"] == "1435"
    assert admin.record("needs", own["id"])["municipality_code"] == "1435"
    assert admin.record("needs", elsewhere["id"])["municipality_code"] == "1488", "a site elsewhere stays where it is"


def test_an_effort_is_edited_only_while_it_serves_one_of_the_brokers_municipalities(register):
    """Its creator too: a broker who lost Sotenäs no longer edits the effort serving only Sotenäs' need."""
    from core.records.audience import User
    from services.admin import Admin

    space = workspace(register, SOTENAS, TODAY)
    company = space.add_company(SITE | {"name": "Testvarvet AB", "municipality_code": "1427"})
    need = space.add_need(NEED | {"company_id": company["id"]})
    effort = space.add_effort({"title": "Svets", "provider": "Komvux", "seats": 8}, [need["id"]])
    empty = space.add_effort({"title": "Ännu tom", "provider": "Komvux", "seats": 8})
    Admin(register, ADMIN).save_user(User(SOTENAS.email, SOTENAS.role, ("1435",), SOTENAS.name), {"1427", "1435"}, None)
    with pytest.raises(Refused):
        space.edit_effort(effort["id"], effort["version"], {"title": "Ändrad"})
    assert workspace(register, ADMIN).record("efforts", effort["id"])["title"] == "Svets"
    assert space.edit_effort(empty["id"], empty["version"], {"seats": 10})["seats"] == 10, "their own, serving no need"


@pytest.mark.parametrize("verified", [None, "", "null", 0, "no"])
def test_an_email_verified_claim_that_is_not_true_is_refused(verified):
    from core.records import identity

    claims = {"iss": "https://accounts.google.com", "email": "anna@kommun.se", "email_verified": verified}
    assert identity.refusal(claims, identity.configured_issuer({"server_metadata_url": GOOGLE}, "default")) == "unverified"
