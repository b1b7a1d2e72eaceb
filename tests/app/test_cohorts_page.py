"""AppTest for Samverkanskohorter: the run, the result kept and marked stale, exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import state
from core.cohorts import finder as cohorts
from core.common import clock
from data import reference
from geo import matrix as mx
from services import cohort_instance, supply
from services.register.store import Register
from tests.app.conftest import ADMIN, new_app, signed_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/cohorts.py"


@pytest.fixture
def app(demo_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = signed_in(new_app(), ADMIN)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    return at


def expected_plan(url: str) -> cohorts.Plan:
    register = Register(url)
    instance = cohort_instance.for_register(register.needs_frame(), supply.offers(register, clock.today()), mx.model(),
                                            reference.fyrbodal_codes(), cohort_instance.reference_date(register.meta()))
    return cohorts.plan(instance, cohorts.Settings())


def run(at: AppTest) -> AppTest:
    at.button(key="FormSubmitter:cohort_form-Sök kohorter").click().run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_before_the_run_the_page_says_what_to_do(app):
    assert any("Sök kohorter" in i.value for i in app.info)
    assert not app.metric


def test_the_run_finds_the_cohorts_the_model_finds(app, demo_url):
    run(app)
    plan = expected_plan(demo_url)
    shown = metrics(app)
    assert shown["Föreslagna kohorter"] == str(len(plan.cohorts)) and len(plan.cohorts) > 5
    assert shown["Personer i kohorter"] == str(plan.persons_placed)
    proposals = app.dataframe[0].value
    assert len(proposals) == len(plan.cohorts)
    assert (proposals["Personer"] >= proposals["Minsta klass"]).all() and (proposals["Personer"] <= proposals["Största klass"]).all()
    assert any(s.value.startswith("Behov som bara når en klass genom samverkan") for s in app.subheader)


def test_the_result_is_kept_and_marked_stale_when_the_selection_changes(app):
    run(app)
    before = metrics(app)
    app.run()
    assert metrics(app) == before and not app.warning, "a rerun keeps the result"
    app.selectbox(key=state.AREA).set_value("fa:16").run()
    assert metrics(app) == before, "the old result stays visible"
    assert any("tidigare inställningar" in w.value for w in app.warning), "and is marked stale"
    run(app)
    assert not app.warning


def test_greedy_places_no_more_than_the_exact_method(app):
    run(app)
    exact = int(metrics(app)["Personer i kohorter"])
    app.radio(key="cohort_method").set_value("greedy")
    run(app)
    assert int(metrics(app)["Personer i kohorter"]) <= exact


def test_exports_hold_the_proposals(app):
    run(app)
    buttons = {b.label: b for b in app.get("download_button")}
    assert {"Ladda ner (Excel)", "Ladda ner deltagare (CSV)", "Ladda ner (JSON)"} <= set(buttons)


def test_export_builders_round_trip(demo_url):
    from core.exchange import cohort_sheet as cohort_export

    plan = expected_plan(demo_url)
    labels = cohort_instance.labels("sv", dict(zip(reference.municipalities()["code"], reference.municipalities()["name"])))
    members = cohort_export.members(plan, labels, "sv")
    data = cohort_export.to_excel({"Deltagare": members, "Förslag": cohort_export.proposals(plan, labels, "sv")})
    back = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert set(back) == {"Deltagare", "Förslag"} and len(back["Deltagare"]) == len(members)
    body = json.loads(cohort_export.to_json(plan, cohorts.Settings(), labels, "sv", True))
    assert body["example_data"] is True and len(body["proposals"]) == len(plan.cohorts)


def test_english(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = signed_in(new_app(), ADMIN)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(PAGE).run()
    at.button(key="FormSubmitter:cohort_form-Find cohorts").click().run()
    assert not at.exception
    assert at.title[0].value == "Cross-municipal cohorts"
    assert "Persons in cohorts" in metrics(at)


def test_a_result_made_before_the_broker_lost_a_municipality_is_dropped(tmp_path_factory, monkeypatch):
    """Rights at the moment of the read (issue 36): the Sotenäs/Tanum broker's result lists Sotenäs' needs; after an
    admin leaves them Tanum only, the next run shows no part of it (not a stale warning over the old tables)."""
    from core.records.audience import User
    from services.admin import Admin
    from services.seed import DEMO_USERS
    from tests.registers import demo_register

    admin, broker = DEMO_USERS[0], DEMO_USERS[1]
    demo_url = demo_register(tmp_path_factory, "cohort-rights")  # its own: the broker's rights change
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = signed_in(new_app(), broker.email)
    at.run()
    at.switch_page(PAGE)
    at.run()
    at.radio(key="cohort_method").set_value("greedy")
    at.button(key="FormSubmitter:cohort_form-Sök kohorter").click().run()
    assert not at.exception and at.session_state[state.key("cohort_result", "components.planning.cohorts")] is not None
    register = Register(demo_url)
    Admin(register, admin).save_user(User(broker.email, broker.role, ("1435",), broker.name), set(reference.fyrbodal_codes()),
                                     register.user_version(broker.email))
    at.run()
    assert not at.exception
    assert any("tryck på Sök kohorter" in i.value for i in at.info), "the page asks for a new run"
    assert not at.dataframe, "no table of the old result"
