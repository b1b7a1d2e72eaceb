"""A region's own register in the app (issue 23): a start page, never the demo; the demo sign-in refused on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.records.audience import Audience, User
from services.admin import Admin, start_register
from services.register.store import Register
from tests.app.conftest import app_as, new_app
from tests.app.helpers import open_page

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ANNA = User("anna@region.se", Audience.ADMIN, (), "Anna")
BO = User("bo@kommun.se", Audience.BROKER, ("1427",), "Bo")


@pytest.fixture
def region(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'region.sqlite'}"
    register = Register(url)
    start_register(register, ANNA)
    Admin(register, ANNA).save_user(BO, {"1427"}, None)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("KOMPETENSKARTAN_DEMO_LOGIN", raising=False)
    return url


def run_as(email: str | None) -> AppTest:
    at = app_as(email)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_admin_of_an_empty_register_gets_the_first_steps_not_the_demo(region):
    at = run_as(ANNA.email)
    assert [t.value for t in at.title] == ["Kom igång"]
    text = " ".join(m.value for m in at.markdown)
    assert "Registret har 2 användare" in text and "importmallen" in text and "kompetenskartan backup" in " ".join(
        c.value for c in at.code)
    assert not any("Exempeldata" in i.value for i in at.info), "no demo label: nothing of the demo is here"
    assert Register(region).need_count() == 0, "and no demo rows were written"
    open_page(at, "pages/users.py")  # the admin's pages are there
    open_page(at, "pages/workspace.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/overview.py")  # no dashboard without needs


@pytest.mark.parametrize(("email", "says"), [(BO.email, "Registrera företag"), (None, "när registret har behov")])
def test_a_broker_and_the_public_are_told_what_comes(region, email, says):
    at = run_as(email)
    assert [t.value for t in at.title] == ["Kom igång"]
    assert any(says in i.value for i in at.info)


def test_a_database_no_one_set_up_says_how(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite'}")
    at = run_as(None)
    assert any("inte upprättat" in w.value for w in at.warning)
    assert "kompetenskartan init --admin anna@region.se" in [c.value for c in at.code]
    assert Register(f"sqlite:///{tmp_path / 'new.sqlite'}").need_count() == 0, "never the demo"


def test_the_demo_sign_in_is_refused_on_a_real_register(region, monkeypatch):
    monkeypatch.setenv("KOMPETENSKARTAN_DEMO_LOGIN", "1")
    at = new_app()
    at.user = {"is_logged_in": False}
    at.run()
    assert any("Demoinloggningen vägras" in e.value and "dataset: real" in e.value for e in at.error)
    assert not at.title, "nothing else runs"


def test_the_demo_sign_in_offers_only_example_users(demo_url, monkeypatch):
    from components import auth

    assert auth.is_example_user("admin@demo.invalid") and not auth.is_example_user("anna@region.se")
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("KOMPETENSKARTAN_DEMO_LOGIN", "1")
    at = run_as(None)
    from components import state

    options = at.sidebar.selectbox(key=f"{state.DEMO_USER}.sv").options
    assert len(options) == 5 and all(o.endswith(")") and ".invalid" in o for o in options[1:])


def test_the_users_page_checks_the_role_itself(region):
    """Run directly (not through the navigation, which hides it), the users page still refuses a broker."""
    from components import state

    at = run_as(BO.email)
    ctx = at.session_state[state.CONTEXT]
    assert ctx.user == Register(region).user(BO.email)
    page = new_app(str(Path(APP).parent / "pages" / "users.py"))
    page.session_state[state.CONTEXT] = ctx
    page.run()
    assert any("Bara administratörer" in e.value for e in page.error)
    assert not page.title and not page.text_input, "no list, no form"
