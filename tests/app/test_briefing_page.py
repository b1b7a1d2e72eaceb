"""AppTest for Politisk brief: the page's figures are the protected briefing's, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.briefing import content as briefing
from core.briefing import text as briefing_text
from services import briefing_inputs
from services.register.store import Register
from tests.app.helpers import as_read, open_page, open_tables

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/briefing.py"


def open_brief(at: AppTest, **params: str) -> AppTest:
    return open_page(at, PAGE, **params)


def expected(url: str, area: list[str], lang: str = "sv") -> list[briefing_text.Line]:
    inputs = briefing_inputs.prepare(Register(url))
    b = briefing_inputs.make(inputs, area, next(iter(briefing.periods(inputs.months).values())))
    return briefing_text.headline(b, lang, sum(inputs.population[c] for c in area))


def test_fyrbodal_headline_is_the_briefing_headline(app, demo_url):
    at = open_brief(app)
    assert at.title[0].value == "Politisk brief: Fyrbodal"
    shown = [(m.label, m.value) for m in at.metric]
    assert shown == [(line.label, line.value) for line in expected(demo_url, briefing_inputs.area_codes("fyrbodal"))]
    assert any("Exempeldata" in i.value for i in at.info)
    assert {b.label for b in at.get("download_button")} == {"Ladda ner PDF", "Ladda ner PowerPoint"}


def test_one_municipality_from_the_url(app, demo_url):
    at = open_brief(app, omrade="1427")
    assert at.title[0].value == "Politisk brief: Sotenäs"
    assert [m.value for m in at.metric] == [line.value for line in expected(demo_url, ["1427"])]


@pytest.mark.parametrize(("lang", "column"), [("sv", "Personer per 1 000 invånare"), ("en", "Persons per 1,000 inhabitants")])
def test_the_maps_tooltips_say_what_its_table_says(app, lang, column):
    """Each municipality's tooltip on the brief's map gives its figure as the map's table writes it (4,5 in Swedish)."""
    at = open_brief(app, lang=lang)
    [spec] = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"hoveron":"fills"' in c.proto.spec.replace(" ", "")]
    tips = {trace["text"] for trace in spec["data"]}
    [table] = [t.value for t in open_tables(at).table if column in t.value.columns]
    assert tips == {as_read(f"{row.iloc[0]}: {row[column]}") for _, row in table.iterrows()}  # the cells are escaped markdown
    assert len(tips) == 14


def test_presentation_mode_has_no_controls(app):
    at = open_brief(app, presentation="1", omrade="1488")
    assert at.title[0].value == "Politisk brief: Trollhättan"
    assert not [s for s in at.selectbox if s.key == "brief_area"], "no controls in presentation mode"
    assert not at.get("download_button")


def test_english_and_a_bad_area_in_the_url(app, demo_url):
    at = open_brief(app, lang="en", omrade="9999")
    assert at.title[0].value == "Briefing: Fyrbodal"
    assert any("omrade=9999" in w.value for w in at.warning)
    assert [m.label for m in at.metric][0] == "Persons in need"


def test_the_brief_gives_arbetsformedlingens_picture_with_round_and_date(public_app):
    at = open_brief(public_app)
    [table] = [t.value for t in open_tables(at).table if "Rekryteringsläge det kommande året" in t.value.columns]
    assert len(table) >= 1 and table["Efterfrågan om fem år"].str.len().gt(0).all()
    assert any(s.value == "Arbetsförmedlingens bild för Västra Götaland" for s in at.subheader)
    assert any("Yrkesbarometern 2025-2, CC0 (hämtad 2026-12-02)" in c.value for c in at.caption)


def test_the_brief_names_no_cohort(public_app):
    """Issue 37, point 5: a proposed cohort names, for a competence, the municipalities whose open needs are each too
    small for a class alone: a bound on figures the release may hide, outside its tables. The public brief names none
    (brokers see them on Samverkanskohorter); it says so."""
    at = open_brief(public_app)
    assert not [t for t in open_tables(at).table if "Värd" in t.value.columns]
    assert any("Föreslagna samverkanskohorter visas inte" in i.value for i in at.info)


def test_the_brief_is_made_again_on_a_new_day(tmp_path_factory, monkeypatch):
    """The brief's change compares the quarters closed by the day: a brief made yesterday is not shown today, though the
    register has not changed (red team: one made before a release's months had ended kept their older quarters)."""
    import datetime as dt

    from components.public import briefing as briefing_view
    from core.common import clock
    from tests.app.conftest import new_app
    from tests.registers import demo_register

    monkeypatch.setenv("DATABASE_URL", demo_register(tmp_path_factory, "brief_day"))  # its own: a release is published
    made, make = [], briefing_view.make
    monkeypatch.setattr(briefing_view, "make", lambda *a: made.append(clock.today()) or make(*a))
    monkeypatch.setattr(clock, "today", lambda: dt.date(2031, 3, 2))  # the first run publishes the release that day is due
    at = new_app()
    at.user = {"is_logged_in": False}
    at = open_brief(at).run()  # the run after the release's publication reads its revision
    first = len(made)
    at.run()
    assert not at.exception and len(made) == first, "the same day again: nothing made"
    monkeypatch.setattr(clock, "today", lambda: dt.date(2031, 3, 3))  # the same quarter: no new release
    at.run()
    assert not at.exception and made[first:] == [dt.date(2031, 3, 3)], "a new day: made again, once"
