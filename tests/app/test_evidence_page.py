"""AppTest for Underlag för utbildning: the page shows the evidence the service makes, for the version chosen and the
reader's rights, with the example label, typed text as typed, and the two downloads."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.planning import evidence as evidence_view
from core.briefing.evidence import Choice
from core.common import clock
from data import reference
from geo import matrix as mx
from services import evidence as evidence_service
from services import publishing, seed, supply
from services.register.store import Register
from tests.app.conftest import ADMIN, new_app, signed_in
from tests.app.helpers import open_page
from tests.registers import demo_register

PAGE = "pages/evidence.py"
HOSTILE_MD, HOSTILE_HTML = "![x](http://e.invalid)", "<b>x</b>"
PLACES = reference.places()
TROLLHATTAN = PLACES.loc[(PLACES["name"] == "Trollhättan") & (PLACES["kind"] == "locality"), "place_id"].iloc[0]
BROKER = "maklare.sotenas@demo.invalid"  # Sotenäs and Tanum


@pytest.fixture
def url(tmp_path_factory) -> str:
    """A register of the test's own: the offers are cached per register (``components.loaders``), and some tests
    add one."""
    return demo_register(tmp_path_factory, "evidence_page")


@pytest.fixture
def hostile_offer(monkeypatch):
    """An offer an admin typed, with markdown and HTML in its title and provider, at Trollhättan."""
    real = supply.offers

    def offers(register, today):
        frame = real(register, today)
        typed = frame.iloc[[0]].assign(offer_id="admin-hostile", title=HOSTILE_MD, provider=HOSTILE_HTML,
                                       competence="assistant_nurse", place_id=TROLLHATTAN, form="on_site", origin="admin",
                                       seats=15, intake_years="", start=pd.Timestamp(evidence_view.starts(today)[0]),
                                       source="Inlagt av en administratör", round_label="")
        return pd.concat([frame, typed], ignore_index=True)

    monkeypatch.setattr(supply, "offers", offers)


def page(url: str, monkeypatch, email: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(signed_in(new_app(), email), PAGE)
    at.selectbox(key=evidence_view.COMPETENCE).set_value("assistant_nurse")
    at.selectbox(key=evidence_view.PLACE).set_value(TROLLHATTAN)
    at.selectbox(key=evidence_view.START).set_value(evidence_view.starts(clock.today())[0])
    at.run()
    assert not at.exception, at.exception
    return at


def expected(url: str, email: str, protected: bool):
    register = Register(url)
    user = next(u for u in seed.DEMO_USERS if u.email == email)
    names = {"competence": dict(zip(reference.competences()["code"], reference.competences()["name_sv"])),
             "municipality": dict(zip(reference.municipalities()["code"], reference.municipalities()["name"])),
             "place": dict(zip(PLACES["place_id"], PLACES["name"]))}
    choice = Choice("assistant_nurse", TROLLHATTAN, evidence_view.starts(clock.today())[0], 60, protected)
    return evidence_service.make(register, user, choice, "sv", offers=supply.offers(register, clock.today()), matrix=mx.model(),
                                 published=publishing.latest(register), barometer=seed.current_barometer(register),
                                 names=names, today=clock.today())


MARK = {"evidence_needs": "Kommun", "evidence_outlook": "Yrke", "evidence_supply": "Utbildning", "evidence_cohorts": "Kohort"}


def tables(at: AppTest, key: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if MARK[key] in d.value.columns]


def shown(at: AppTest, key: str) -> pd.DataFrame:
    [found] = tables(at, key)
    return found


def table_of(section) -> pd.DataFrame:
    return pd.DataFrame(list(section.rows), columns=list(section.header))


def test_the_protected_version_shows_the_releases_figures_with_sources_and_the_example_label(url, monkeypatch, hostile_offer):
    at = page(url, monkeypatch, ADMIN)
    made = expected(url, ADMIN, True)
    assert at.title[0].value == "Underlag för nästa utbildning"
    assert at.radio(key=evidence_view.VERSION).value == "protected", "the version to hand out is the default"
    for key in ("needs", "outlook", "supply"):
        pd.testing.assert_frame_equal(shown(at, f"evidence_{key}").reset_index(drop=True), table_of(made.section(key)))
    needs = shown(at, "evidence_needs")
    assert needs["Källa"].iloc[:-1].str.startswith("Kompetenskartans publicering").all()
    assert set(needs["Företag"].iloc[:-1]) == {"–"}, "no company count in the protected version"
    assert tables(at, "evidence_cohorts") == [], "no cohort in the protected version"
    assert any("Exempeldata" in w.value for w in at.warning), "the document's example-data label"
    assert {b.proto.label for b in at.get("download_button")} == {"Ladda ner PDF", "Ladda ner Excel"}


def test_typed_text_is_shown_as_typed(url, monkeypatch, hostile_offer):
    at = page(url, monkeypatch, ADMIN)
    offers = shown(at, "evidence_supply")
    row = offers[offers["Utbildning"] == HOSTILE_MD]
    assert len(row) == 1 and row["Anordnare"].iloc[0] == HOSTILE_HTML and row["Restid kollektivtrafik, min (modellerad)"].iloc[0] == "0"
    for element in [*at.markdown, *at.caption, *at.subheader]:
        assert "](http" not in element.value.replace("\\]", "") and "<b>" not in element.value, element.value


def test_the_exact_version_shows_the_register_and_the_cohorts_it_would_absorb(url, monkeypatch):
    at = page(url, monkeypatch, ADMIN)
    at.radio(key=evidence_view.VERSION).set_value("exact").run()
    assert not at.exception, at.exception
    made = expected(url, ADMIN, False)
    assert any("lämna inte ut" in w.value for w in at.warning), "the exact version says it stays internal"
    needs = shown(at, "evidence_needs")
    pd.testing.assert_frame_equal(needs.reset_index(drop=True), table_of(made.section("needs")))
    assert needs["Källa"].iloc[:-1].str.startswith("Kompetenskartans behovsregister").all()
    cohorts = made.section("cohorts")
    assert cohorts.rows, "the demo pools assistant nurses around Trollhättan for the first start"
    pd.testing.assert_frame_equal(shown(at, "evidence_cohorts").reset_index(drop=True), table_of(cohorts))


def test_needs_an_offer_at_the_study_place_can_take_are_no_cohort(url, monkeypatch, hostile_offer):
    """The admin's offer of 15 seats at Trollhättan for that start takes the pooled needs first (the finder's routing)."""
    at = page(url, monkeypatch, ADMIN)
    at.radio(key=evidence_view.VERSION).set_value("exact").run()
    assert not at.exception, at.exception
    assert tables(at, "evidence_cohorts") == []
    assert any("Ingen kohort" in c.value for c in at.caption)


def test_a_broker_gets_exact_rows_of_their_own_municipalities_only(url, monkeypatch, hostile_offer):
    at = page(url, monkeypatch, BROKER)
    at.radio(key=evidence_view.VERSION).set_value("exact").run()
    assert not at.exception, at.exception
    needs = shown(at, "evidence_needs").iloc[:-1]
    own = {"Sotenäs", "Tanum"}
    others = needs[~needs["Kommun"].isin(own)]
    assert len(others) and others["Källa"].str.startswith("Kompetenskartans publicering").all()
    assert set(others["Företag"]) == {"–"}
    pd.testing.assert_frame_equal(shown(at, "evidence_needs").reset_index(drop=True),
                                  table_of(expected(url, BROKER, False).section("needs")))
