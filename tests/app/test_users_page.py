"""The users page when two admins edit one user at once (issue 36): the save carries the version the page was drawn
at, so a change by another admin in between is refused with a clear message, not silently overwritten."""

from __future__ import annotations

import pytest

from components.admin.users import PICK, REMOVE_PICK
from core.records.audience import Audience, User
from services.admin import Admin, start_register
from services.register.store import Register
from tests.app.conftest import new_app, signed_in
from tests.app.helpers import as_read, open_page

ANNA = User("anna@region.se", Audience.ADMIN, (), "Anna")
CARL = User("carl@region.se", Audience.ADMIN, (), "Carl")  # the other admin, on another app server
BO = User("bo@kommun.se", Audience.BROKER, ("1427",), "Bo")
CODES = {"1427", "1435", "1488"}


@pytest.fixture
def region(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'region.sqlite'}"
    register = Register(url)
    start_register(register, ANNA)
    for user in (CARL, BO):
        Admin(register, ANNA).save_user(user, CODES, None)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("KOMPETENSKARTAN_DEMO_LOGIN", raising=False)
    return url


def _field(at, label: str):
    return next(w for w in at.main.text_input if w.label == label)


def _save(at):
    next(b for b in at.main.button if b.label == "Spara").click().run()
    assert not at.exception, at.exception


def test_a_user_changed_by_another_admin_after_the_page_was_drawn_is_refused_and_the_page_says_so(region):
    at = open_page(signed_in(new_app(), ANNA.email), "pages/users.py")
    at.selectbox(key=PICK).set_value(BO.email).run()
    assert _field(at, "Namn").value == "Bo" and _field(at, "E-post").value == BO.email
    register = Register(region)
    carls = User(BO.email, Audience.BROKER, ("1427", "1435"), "Bo Berg")
    Admin(register, CARL).save_user(carls, CODES, register.user_version(BO.email))  # between the render and the click
    _field(at, "Namn").input("Bo Andersson")
    _save(at)
    errors = as_read(" ".join(e.value for e in at.error))
    assert "Sparades inte" in errors and "ändrades eller togs bort av någon annan medan du redigerade" in errors
    assert "läs om sidan och försök igen" in errors
    assert Register(region).versioned_users(BO.email) == [(carls, 2)], "the other admin's save is kept"
    assert _field(at, "Namn").value == "Bo Berg", "the form now shows what is stored"
    _field(at, "Namn").input("Bo Andersson")
    _save(at)
    assert not at.error and any(f"{BO.email} sparad" in as_read(s.value) for s in at.success)
    assert Register(region).versioned_users(BO.email) == [(User(BO.email, Audience.BROKER, ("1427", "1435"), "Bo Andersson"), 3)]


def test_a_new_user_another_admin_added_meanwhile_is_not_overwritten(region):
    at = open_page(signed_in(new_app(), ANNA.email), "pages/users.py")
    assert at.selectbox(key=PICK).value == ""  # a new user
    _field(at, "E-post").input("ny@kommun.se")
    register = Register(region)
    Admin(register, CARL).save_user(User("ny@kommun.se", Audience.ADMIN, (), "Carls"), CODES, None)
    _save(at)
    assert any("det finns redan en användare ny@kommun.se" in as_read(e.value) for e in at.error)
    assert Register(region).user("ny@kommun.se") == User("ny@kommun.se", Audience.ADMIN, (), "Carls")


def test_a_removal_of_a_user_changed_meanwhile_is_refused(region):
    at = open_page(signed_in(new_app(), ANNA.email), "pages/users.py")
    at.selectbox(key=REMOVE_PICK).set_value(BO.email).run()
    register = Register(region)
    Admin(register, CARL).save_user(User(BO.email, Audience.ADMIN, (), "Bo"), CODES, register.user_version(BO.email))
    next(b for b in at.main.button if b.label == "Ta bort").click().run()
    assert any("ändrades eller togs bort av någon annan" in as_read(e.value) for e in at.error)
    assert Register(region).user(BO.email).role == Audience.ADMIN, "not removed"
    next(b for b in at.main.button if b.label == "Ta bort").click().run()
    assert any(f"{BO.email} borttagen" in as_read(s.value) for s in at.success)
    assert Register(region).user(BO.email) is None


def _published_against(url: str, scopes: str) -> None:
    """A release stored as published, protected against each Fyrbodal municipality alone and ``scopes`` ("1427,1435")."""
    import datetime as dt

    from core.disclosure import history as release_history
    from core.disclosure.release import Release
    from data import reference

    cells, rows = release_history.dump(Release({}, (), tuple(sorted(CODES)), through="2026-09"))
    Register(url).add_release({"through": "2026-09", "published_on": dt.date(2026, 10, 1), "revision": "1", "shown": 0,
                               "hidden": 0, "scopes": ";".join([*reference.fyrbodal_codes(), scopes]), "based_on": 0}, cells, rows, "system")


def test_the_admin_previews_what_a_scope_does_to_the_published_statistics_before_it_is_refused(region):
    """Issue 37, point 3: a set of municipalities the published releases were not protected against is shown to the
    admin first (which release would be unsafe, and what can be given), and then refused; a protected one is saved."""
    _published_against(region, "1427,1435")
    at = open_page(signed_in(new_app(), ANNA.email), "pages/users.py")
    at.selectbox(key=PICK).set_value(BO.email).run()
    chosen = at.multiselect(key=f"users_form:{BO.email}:1:municipalities")

    def press(label: str) -> None:
        next(b for b in at.main.button if b.label == label).click().run()
        assert not at.exception, at.exception

    chosen.set_value(["1427", "1488"])
    press("Förhandsgranska skyddet")
    warning = as_read(" ".join(w.value for w in at.warning))
    assert "Kan inte sparas: publicering 1 skyddades inte mot en mäklare som känner exakt Sotenäs + Trollhättan" in warning
    assert "alla 14, eller Sotenäs + Tanum" in warning
    assert Register(region).user(BO.email) == BO, "a preview writes nothing"
    at.multiselect(key=f"users_form:{BO.email}:1:municipalities").set_value(["1427", "1488"])
    _save(at)
    assert "skyddades inte mot en mäklare som känner exakt kommunerna 1427,1488" in as_read(" ".join(e.value for e in at.error))
    assert Register(region).user(BO.email) == BO, "refused: nothing written"
    at.multiselect(key=f"users_form:{BO.email}:1:municipalities").set_value(["1427", "1435"])
    press("Förhandsgranska skyddet")
    assert any("Kan sparas: alla 1 publiceringar skyddades mot en mäklare som känner Sotenäs + Tanum exakt" in as_read(s.value)
               for s in at.success)
    _save(at)
    assert Register(region).user(BO.email).municipalities == ("1427", "1435")
