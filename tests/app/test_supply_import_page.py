"""The supply import on Om data (issue 33, point 2): an admin uploads MYH's or Skolverket's file, sees what it changes
against the previous round before storing it, or every problem with where and why (nothing stored); nobody else
sees the panel."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest

from components import state
from core.common import clock
from data import reference, yh_supply
from services import supply
from services.register.store import Register
from tests.app.conftest import ADMIN, new_app, signed_in
from tests.app.helpers import frame_with, open_page
from tests.unit.test_yh_supply import SKOLVERKET, _complete_sample

TITLE = "Utbildningsutbud: importera nästa omgång (administratör)"
needs_sample = pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")


@pytest.fixture
def copy_url(demo_url, tmp_path, monkeypatch):
    path = tmp_path / "register.sqlite"
    with sqlite3.connect(demo_url.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as target:
        source.backup(target)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _upload(at, name: str, data: bytes):
    at.file_uploader(key="supply_upload").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


@needs_sample
def test_an_admin_sees_the_changes_then_stores_the_round(copy_url):
    at = open_page(signed_in(new_app(), ADMIN), "pages/about.py")
    assert [e for e in at.expander if e.label == TITLE]
    assert any("Ingen omgång är importerad ännu" in i.value for i in at.info)
    _upload(at, "planerade.json", json.dumps(_complete_sample()).encode())
    assert any("Den första omgången av sitt slag" in s.value for s in at.success)
    [changes] = [d.value for d in at.dataframe if "Ändring" in d.value.columns]
    assert set(changes["Ändring"]) == {"ny"} and changes["Kommun"].str.len().gt(0).all()
    assert supply.rounds(Register(copy_url)).empty  # nothing stored by a preview
    at.button(key="supply_save").click().run()
    assert not at.exception, at.exception
    stored = supply.rounds(Register(copy_url))
    assert stored["label"].str.startswith("Skolverket ").tolist() == [True]
    assert stored["imported_by"].tolist() == [ADMIN]
    [listed] = [d.value for d in at.dataframe if "Omgång" in d.value.columns]
    assert listed["Fil"].tolist() == ["planerade.json"]
    assert any("redan sparad" in i.value for i in at.info)  # the same file still in the uploader: not again


@needs_sample
def test_a_broken_file_is_refused_with_where_and_why_and_nothing_is_stored(copy_url):
    raw = _complete_sample()
    raw["body"]["_embedded"]["listedAdultEducationEvents"][0]["geographicalAreaCode"] = "9999"
    at = open_page(signed_in(new_app(), ADMIN), "pages/about.py")
    _upload(at, "trasig.json", json.dumps(raw).encode())
    assert any("trasig.json sparades inte" in e.value for e in at.error)
    [problems] = [d.value for d in at.dataframe if "Varför" in d.value.columns]
    assert any("'9999' is not a Swedish municipality's code" in why for why in problems["Varför"])
    assert not [b for b in at.button if b.key == "supply_save"]
    _upload(at, "inte-en-fil.xlsx", b"PK\x03\x04 not a workbook")
    assert any("inte-en-fil.xlsx sparades inte" in e.value for e in at.error)
    assert supply.rounds(Register(copy_url)).empty


@pytest.mark.parametrize("who", [None, "maklare.sotenas@demo.invalid", "politiker@demo.invalid"])
def test_nobody_but_an_admin_sees_the_import(demo_url, monkeypatch, who):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = new_app()
    at = signed_in(at, who) if who else at
    if who is None:
        at.user = {"is_logged_in": False}
    at = open_page(at, "pages/about.py")
    assert not [e for e in at.expander if e.label == TITLE]


def _drill_offers(at, competence: str) -> pd.DataFrame:
    at.selectbox(key=state.SUPPLY_DRILL).set_value(competence).run()
    assert not at.exception, at.exception
    return frame_with(at, "Utbildning", "Uppgift", "Källa")


def _mixed_competence(url: str) -> str:
    """A competence with example offers and real MYH programmes in Fyrbodal's towns (within 45 min of its own)."""
    offers = supply.offers(Register(url), clock.today())
    fyrbodal = set(yh_supply.study_places().get(c) for c in reference.fyrbodal_codes())
    held = offers[offers["place_id"].isin(fyrbodal) | offers["form"].eq("distance")]
    both = held.groupby("competence")["origin"].agg(set)
    return next(c for c, origins in both.items() if c and {"example", "myh"} <= origins)


def test_on_the_demo_every_offer_shown_says_its_source_and_examples_are_marked(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    competence = _mixed_competence(demo_url)
    at = open_page(signed_in(new_app(), ADMIN), "pages/supply.py")
    shown = _drill_offers(at, competence)
    examples = shown[shown["Utbildning"].str.startswith("Exempelkurs")]
    assert len(examples) and (examples["Uppgift"] == "Exempeldata").all()
    real = shown[~shown["Utbildning"].str.startswith("Exempelkurs")]
    assert len(real) and real["Uppgift"].str.match(r"^MYH (program|kurser) 20\d\d, MYH 20\d\d/\d+$").all()
    assert real["Källa"].str.contains("resultat-").all()


def test_a_real_register_shows_no_example_offer(copy_url, monkeypatch):
    competence = _mixed_competence(copy_url)
    with sqlite3.connect(copy_url.removeprefix("sqlite:///")) as conn:  # a region's register that holds example rows
        conn.execute("UPDATE meta SET value = 'real' WHERE key = 'dataset'")
        conn.execute("DELETE FROM meta WHERE key = 'example_data'")
    at = open_page(signed_in(new_app(), ADMIN), "pages/supply.py")
    shown = _drill_offers(at, competence)
    assert len(shown) and not shown["Utbildning"].str.startswith("Exempel").any()
    assert "Exempeldata" not in set(shown["Uppgift"])

