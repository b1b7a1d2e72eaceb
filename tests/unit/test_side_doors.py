"""Issue 36, points 4-8: no side door from a broker's municipalities into another's rows."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

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
    """Point 8: no ``admin@demo.invalid`` left on a real register; a real admin added on the demo stays."""
    from core.records.audience import Audience, User
    from services.admin import Admin
    from services.register import audit
    from services.register.store import REAL
    from services.seed import load_demo

    load_demo(register)
    assert {u.email for u in register.users()} == {u.email for u in DEMO_USERS}
    anna = User("anna@region.se", Audience.ADMIN, (), "Anna")
    Admin(register, ADMIN).save_user(anna, set(), None)  # the demo's admin (anyone, through the demo sign-in) adds a real one
    assert register.is_demo(), "a write by an example user is example data: still the demo"
    Admin(register, anna).save_user(User("bo@kommun.se", Audience.BROKER, ("1427",), "Bo"), {"1427"}, None)  # a person's
    assert register.meta()["dataset"] == REAL
    assert [u.email for u in register.users()] == ["anna@region.se", "bo@kommun.se"], "every .invalid example user removed"
    with register.engine.connect() as conn:
        removed = audit.frame(conn, "users").query("action == 'remove'")
    assert set(removed["record_id"]) == {u.email for u in DEMO_USERS} and set(removed["actor"]) == {anna.email}


def test_a_failed_first_write_keeps_the_demo_and_its_users(register):
    """Point 8: the removal is in the write's own transaction: rolled back with it."""
    from services.seed import load_demo

    load_demo(register)
    with pytest.raises(RuntimeError), register.writer.begin() as conn:
        register.written(conn, "anna@region.se")
        raise RuntimeError("the write fails after it")
    assert register.is_demo() and {u.email for u in register.users()} == {u.email for u in DEMO_USERS}
