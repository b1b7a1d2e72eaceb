"""Sign-in in the app: roles from the register, the demo sign-in only behind its setting, the users page."""

from __future__ import annotations

import sys

import pytest

from components import state
from core.records.audience import Audience, User
from services.admin import Admin
from services.register.store import Register
from tests.app.conftest import ADMIN, new_app, signed_in
from tests.app.helpers import as_read, open_page


def context(at):
    return at.session_state[state.CONTEXT]


def test_a_signed_in_address_without_a_role_sees_the_public_view(app):
    at = open_page(signed_in(app, "stranger@example.org"), "pages/overview.py")
    assert context(at).protected
    assert any("stranger@example.org" in as_read(w.value) and "ingen roll" in w.value for w in at.sidebar.warning)


def test_a_viewer_sees_the_protected_view(app):
    at = open_page(signed_in(app, "politiker@demo.invalid"), "pages/overview.py")
    assert context(at).protected and context(at).user.role == "viewer"
    assert at.sidebar.caption[0].value.startswith("Inloggad som Exempel Politiker")


def test_the_demo_sign_in_is_off_without_its_setting_even_with_the_state_or_a_url(public_app, monkeypatch):
    monkeypatch.delenv("KOMPETENSKARTAN_DEMO_LOGIN", raising=False)
    public_app.session_state[state.DEMO_USER] = "admin@demo.invalid"
    public_app.session_state[state.DEMO_CHOICE] = "admin@demo.invalid"
    at = open_page(public_app, "pages/overview.py", demo_user="admin@demo.invalid")
    assert context(at).protected and context(at).user is None
    assert not [s for s in at.sidebar.selectbox if (s.key or "").startswith(state.DEMO_USER)]


def test_the_demo_sign_in_with_its_setting(public_app, monkeypatch):
    monkeypatch.setenv("KOMPETENSKARTAN_DEMO_LOGIN", "1")
    at = open_page(public_app, "pages/overview.py")
    box = at.sidebar.selectbox(key=f"{state.DEMO_USER}.sv")
    assert "admin@demo.invalid (administratör)" in box.options
    box.set_value("maklare.trollhattan@demo.invalid").run()
    assert not context(at).protected
    assert set(context(at).needs["municipality_code"].astype(str)) == {"1488"}
    assert at.sidebar.selectbox(key=f"{state.DEMO_USER}.sv").value == "maklare.trollhattan@demo.invalid", "the box shows the choice"
    at.switch_page("pages/supply.py").run()
    assert context(at).user.email == "maklare.trollhattan@demo.invalid", "still signed in on the next page"
    at.sidebar.selectbox(key=f"{state.DEMO_USER}.sv").set_value("").run()
    assert context(at).user is None, "back to the public"


def test_the_users_page_adds_a_user_and_reports_a_bad_one(app, demo_url):
    at = open_page(app, "pages/users.py")
    assert not at.exception
    at.text_input[0].input("not an address")
    at.button[0].click().run()
    assert any("Sparades inte" in e.value and "ingen e-postadress" in e.value for e in at.error)
    role = next(s for s in at.main.selectbox if s.label == "Roll")
    role.set_value("broker")
    at.text_input[0].input("ny.maklare@kommun.se")
    at.button[0].click().run()
    assert any("minst en kommun" in e.value for e in at.error), "a broker needs municipalities"
    assert Register(demo_url).user("ny.maklare@kommun.se") is None, "nothing written"
    next(s for s in at.main.selectbox if s.label == "Roll").set_value("viewer")
    at.text_input[1].input("Ny Mäklare")
    at.button[0].click().run()
    assert any("bara exempelanvändare" in e.value for e in at.error), "the demo sign-in gives a real address no role"
    assert Register(demo_url).user("ny.maklare@kommun.se") is None, "nothing written"
    at.text_input[0].input("ny.maklare@exempel.invalid")
    at.button[0].click().run()
    assert any("ny.maklare@exempel.invalid sparad" in as_read(s.value) for s in at.success)
    assert Register(demo_url).user("ny.maklare@exempel.invalid").role == "viewer"
    Admin(Register(demo_url), User(ADMIN, Audience.ADMIN)).remove_user("ny.maklare@exempel.invalid")


@pytest.mark.parametrize("email", ["politiker@demo.invalid", "maklare.sotenas@demo.invalid"])
def test_only_admins_get_the_users_page(app, email):
    at = signed_in(app, email)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/users.py")


def test_a_write_shows_on_the_next_rerun_for_brokers_and_the_public(tmp_path, monkeypatch):
    """Caches are keyed by the register's revision: no page keeps figures from before a write."""
    from pathlib import Path

    from data import demo
    from services.seed import DEMO_USERS, known_codes

    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    generated = demo.generate()
    register = Register(url)
    register.replace(generated.companies, generated.needs, generated.meta, known_codes(), generated.offers, users=DEMO_USERS[:1])
    monkeypatch.setenv("DATABASE_URL", url)
    app_py = str(Path(__file__).resolve().parents[2] / "app.py")
    admin = open_page(signed_in(new_app(app_py), "admin@demo.invalid"), "pages/overview.py")
    public = new_app(app_py)
    public.user = {"is_logged_in": False}
    public = open_page(public, "pages/overview.py", year="2026")
    assert not admin.session_state[state.CONTEXT].protected and admin.metric[0].label == "Behov"
    before_admin, before_public = admin.metric[0].value, public.metric[0].value
    needs = generated.needs
    newest = needs[needs["collected_on"] == needs["collected_on"].max()].index[:1]
    register.replace(generated.companies, needs.drop(index=newest), generated.meta, known_codes(), generated.offers)
    admin.run()
    public.run()
    assert int(admin.metric[0].value.replace("\xa0", "")) == int(before_admin.replace("\xa0", "")) - 1
    assert public.metric[0].value != before_public, "the public release was rebuilt for the new revision"


def test_a_brokers_filter_bar_offers_only_their_own_competences_and_months(app):
    """Issue 36, point 6: the filter bar's lists come from the broker's rows, not the whole register."""
    at = open_page(signed_in(app, "maklare.sotenas@demo.invalid"), "pages/overview.py")
    ctx = context(at)
    own = set(ctx.needs["competence"].astype(str))
    offered = set(ctx.choices.competences)
    everything = set(Register(ctx.url).needs_frame()["competence"].astype(str))
    assert everything - own, "the register has competences the broker's municipalities lack (so this can fail)"
    assert offered == own
    months = ctx.needs["collected_on"]
    assert ctx.choices.months[0] == months.min().strftime("%Y-%m") and ctx.choices.months[-1] == months.max().strftime("%Y-%m")
    assert set(ctx.choices.areas) <= {"all", "m:1427", "m:1435"}


@pytest.mark.parametrize(("claims", "says"), [
    ({"email_verified": False}, "inte verifierat"),
    ({"iss": "https://evil.example.org"}, "inte från den identitetsleverantör"),
])
def test_an_unverified_or_foreign_identity_is_nobody(app, claims, says):
    """Issue 36, point 8: the admin's address, but unverified or from another issuer: the public view, and why."""
    at = open_page(signed_in(app, ADMIN, **claims), "pages/overview.py")
    assert context(at).protected and context(at).user is None
    assert any(says in w.value for w in at.sidebar.warning)
    at = open_page(signed_in(new_app(), ADMIN, email_verified=True), "pages/overview.py")
    assert not context(at).protected and context(at).user.email == ADMIN, "verified, from the issuer: signed in"


def test_the_demo_sign_in_ends_when_the_register_turns_real(tmp_path, monkeypatch):
    """Issue 36, point 8: checked on every run, not once per server: the first write ends it without a restart."""
    from services.admin import operator
    from services.seed import DEMO_USERS, load_demo, workspace

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    register = Register(url)
    load_demo(register)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KOMPETENSKARTAN_DEMO_LOGIN", "1")
    at = new_app()
    at.user = {"is_logged_in": False}
    at = open_page(at, "pages/overview.py")
    at.sidebar.selectbox(key=f"{state.DEMO_USER}.sv").set_value("maklare.trollhattan@demo.invalid").run()
    assert context(at).user.email == "maklare.trollhattan@demo.invalid"
    broker = next(u for u in DEMO_USERS if u.email == "maklare.trollhattan@demo.invalid")
    company = {"name": "Första AB", "org_nr": "556036-0793", "sni_code": "30.12", "size_class": "10-49",
               "municipality_code": "1488"}
    workspace(register, broker).add_company(company)  # an example user's write: example data, still the demo
    at.run()
    assert context(at).user.email == broker.email
    anna = User("anna@region.se", Audience.BROKER, ("1488",), "Anna")
    Admin(register, operator()).save_user(anna, {"1488"}, None)  # a person's first write (the command line's): real
    workspace(register, anna).add_company(company | {"name": "Andra AB"})
    at.run()
    assert any("Demoinloggningen vägras" in e.value for e in at.error)
    assert not at.metric and not [c for c in at.sidebar.caption if "Inloggad som" in c.value], "nothing shown as the broker"
    assert not [u for u in Register(url).users() if u.email.endswith(".invalid")]


def test_users_are_read_once_per_revision_and_a_removed_broker_loses_the_rows_at_the_next_run(tmp_path_factory, monkeypatch):
    """Who is signed in comes from the users of the register's revision (``components.loaders.users``), read once per
    revision for every session, not on every run; removing a user raises the revision, so the next run knows."""
    from tests.registers import demo_register

    url = demo_register(tmp_path_factory, "users_once")
    monkeypatch.setenv("DATABASE_URL", url)
    reads = []  # the revisions at which the pages read the users (the release's protection reads them too)
    original = Register.users

    def users(self, email=None):
        if sys._getframe(1).f_code.co_filename.endswith(("components/loaders.py", "components/auth.py")):
            reads.append(self.revision())
        return original(self, email)

    monkeypatch.setattr(Register, "users", users)
    broker = open_page(signed_in(new_app(), "maklare.sotenas@demo.invalid"), "pages/overview.py")
    broker.run()
    assert not context(broker).protected and context(broker).user.municipalities == ("1427", "1435")
    assert len(reads) == 1, "the users read once, for three runs"
    Admin(Register(url), User(ADMIN, Audience.ADMIN)).remove_user("maklare.sotenas@demo.invalid")
    broker.run()
    assert context(broker).protected and context(broker).user is None, "removed: the public view at the next run"
    assert len(reads) == 2 and reads[1] != reads[0], "read again for the new revision"
