"""Retention that runs in a server that never restarts, and an admin answering a person's request in the app."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.common import clock
from services import privacy
from services.register.store import Register
from services.seed import load_demo
from tests.app.conftest import ADMIN, new_app, signed_in
from tests.app.helpers import open_page, open_tables
from tests.unit.test_privacy import TODAY, traces, with_kim

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def everything_shown(at: AppTest) -> str:
    """The text of every element a page shows, tables' cells included (every table opened first)."""
    open_tables(at)
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "success", "warning", "error", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.label for e in at.metric] + [str(e.value) for e in at.metric]
    for frame in list(at.dataframe) + list(at.table):
        value = frame.value
        if isinstance(value, pd.DataFrame):
            parts.append(value.to_csv())
    return "\n".join(parts)


def test_a_contact_is_erased_the_day_after_its_date_without_a_restart(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    load_demo(Register(url))
    register = Register(url)
    company, _visit = with_kim(register)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 6, 30))
    at = signed_in(new_app(), ADMIN)
    at.run()
    assert register.companies_frame().set_index("id").loc[company["id"], "contact_name"] == "Kim Kontaktsson", "kept on its date"
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 7, 1))  # the same server, the next day
    at.run()
    assert register.companies_frame().set_index("id").loc[company["id"], "contact_name"] == ""
    assert privacy.person_record(register, "Kim Kontaktsson").empty


def test_an_admin_exports_then_erases_a_person_and_no_page_shows_them_after(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    load_demo(Register(url))
    register = Register(url)
    with_kim(register)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    before = workspace_views()
    assert traces(before), "the workspace shows Kim before the erasure (so the check below can fail)"
    at = open_page(signed_in(new_app(), ADMIN), "pages/users.py")
    at.text_input(key="privacy_who").input("kim.k@varvet.example").run()
    assert [m.value for m in at.metric][:2] == ["1", "2"], "one company, two notes"
    form_inputs = [t for t in at.text_input if t.key != "privacy_who" and t.label == "Vem begärde raderingen?"]
    form_inputs[0].input("personen själv, e-post 2026-11-19")
    at.button(key="FormSubmitter:privacy_erase-Radera personens uppgifter").click().run()
    assert any("Kryssa i" in e.value for e in at.error), "not without the tick"
    assert not privacy.person_record(register, "Kim Kontaktsson").empty
    at.checkbox[-1].check()
    at.button(key="FormSubmitter:privacy_erase-Radera personens uppgifter").click().run()
    assert any(s.value.startswith("Raderat: 1 kontaktuppgift") for s in at.success)
    assert privacy.person_record(register, "Kim Kontaktsson").empty
    for page in ("pages/overview.py", "pages/users.py"):
        shown = everything_shown(open_page(signed_in(new_app(), ADMIN), page))
        assert not traces(shown), page
    assert not traces(workspace_views())


def workspace_views() -> str:
    """What an admin's Arbetsyta shows: the company (found by its name), the needs list and the log."""
    at = open_page(signed_in(new_app(), ADMIN), "pages/workspace.py")
    shown = []
    for view in ("companies", "needs", "log"):
        at.session_state["ws_view"] = view
        if view == "companies":
            at.session_state["ws_company_search"] = "Varvet AB"
        at.run()
        assert not at.exception, at.exception
        shown.append(everything_shown(at))
    return "\n".join(shown)


def test_a_one_word_name_is_erased_only_after_the_admin_has_seen_what_would_change(tmp_path, monkeypatch):
    """Issue 36, point 1: a request by "Per" lists every note as it would read, and needs a second tick."""
    from services.seed import DEMO_USERS, workspace

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    load_demo(Register(url))
    register = Register(url)
    space = workspace(register, DEMO_USERS[1], TODAY)
    company = space.add_company({"name": "Varvet AB", "org_nr": "556036-0793", "sni_code": "30.12", "municipality_code": "1427",
                                 "size_class": "10-49", "contact_name": "Per", "contact_until": TODAY + dt.timedelta(days=30)})
    need = space.add_need({"company_id": company["id"], "competence": "welding", "need_type": "upskilling", "persons": 2,
                           "horizon": "0-6", "form": "blended", "level": "upper_secondary", "collected_on": TODAY,
                           "note": "Per ringer om en expert"})
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    at = open_page(signed_in(new_app(), ADMIN), "pages/users.py")
    at.text_input(key="privacy_who").input("Per").run()
    listing = at.dataframe[-1].value
    assert list(listing["Efter radering"]) == ["[…] ringer om en expert"] and list(listing["Nu"]) == ["Per ringer om en expert"]
    assert any("Per är ett ord eller kort" in w.value for w in at.warning)
    [asked] = [t for t in at.text_input if t.label == "Vem begärde raderingen?"]
    asked.input("personen själv")
    sure = [c for c in at.checkbox if c.label.startswith("Jag förstår")]
    sure[0].check()
    submit = "FormSubmitter:privacy_erase-Radera personens uppgifter"
    at.button(key=submit).click().run()
    assert any("Kryssa i att du har kontrollerat listan" in e.value for e in at.error)
    assert workspace(register, DEMO_USERS[0]).record("needs", need["id"])["note"] == "Per ringer om en expert", "nothing erased"
    [checked] = [c for c in at.checkbox if c.label.startswith("Jag har kontrollerat")]
    checked.check()
    at.button(key=submit).click().run()
    assert any(s.value.startswith("Raderat: 1 kontaktuppgift") for s in at.success)
    assert workspace(register, DEMO_USERS[0]).record("needs", need["id"])["note"].endswith(" ringer om en expert")
    assert not workspace(register, DEMO_USERS[0]).record("needs", need["id"])["note"].startswith("Per")
