"""AppTest: the real app.py with its navigation, on a seeded temporary register."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import state
from core.analysis import overview as analysis
from core.analysis.filters import Filters, apply, area_codes
from core.common import formatting
from data import reference
from geo import boundaries
from services.register.store import Register
from tests.app.helpers import as_read, open_page

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_needs(url: str, filters: Filters) -> int:
    needs = analysis.prepare(Register(url).needs_frame(), reference.sni_section_of)
    munis = boundaries.municipalities()
    return len(apply(needs, filters, area_codes(filters.area, munis, reference.fyrbodal_codes())))


def test_overview_renders_without_exception(app, demo_url):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Översikt: vad behöver företagen?"
    shown = metrics(app)
    assert shown["Behov"] == formatting.integer(expected_needs(demo_url, Filters()), "sv")
    assert any("Exempeldata" in i.value for i in app.info), "the demo label is shown"


@pytest.mark.parametrize(
    ("key", "value", "filters"),
    [
        (state.AREA, "m:1427", Filters(area="m:1427")),
        (state.INDUSTRY, "ig:health_care", Filters(industry="ig:health_care")),
        (state.COMPETENCE, ["welding", "cnc"], Filters(competences=("welding", "cnc"))),
        (state.NEED_TYPE, ["upskilling"], Filters(need_types=("upskilling",))),
        (state.HORIZON, ["0-6"], Filters(horizons=("0-6",))),
    ],
)
def test_filter_change_changes_the_kpis(app, demo_url, key, value, filters):
    app.run()
    before = metrics(app)
    widget = app.multiselect(key=key) if isinstance(value, list) else app.selectbox(key=key)
    widget.set_value(value).run()
    after = metrics(app)
    assert not app.exception
    assert after["Behov"] != before["Behov"]
    assert after["Behov"] == formatting.integer(expected_needs(demo_url, filters), "sv")
    for param, wanted in filters.to_query().items():
        assert app.query_params[param] == [wanted] or app.query_params[param] == wanted


def test_url_reproduces_the_view(app, demo_url):
    wanted = Filters(area="fa:28", industry="ig:retail", need_types=("recruitment",), period=("2024-01", "2025-12"))
    for param, value in wanted.to_query().items():
        app.query_params[param] = value
    app.run()
    assert not app.exception
    assert app.selectbox(key=state.AREA).value == "fa:28"
    assert app.select_slider(key=state.PERIOD).value == ("2024-01", "2025-12")
    assert metrics(app)["Behov"] == formatting.integer(expected_needs(demo_url, wanted), "sv")


def test_unknown_url_value_is_reported_not_used(app):
    app.query_params["area"] = "m:9999"
    app.run()
    assert not app.exception
    assert app.selectbox(key=state.AREA).value == "fyrbodal"
    assert any("m:9999" in as_read(w.value) for w in app.warning)


def test_english_switch(app):
    app.run()
    app.radio(key=state.LANG).set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Overview: what do our companies need?"
    assert "Needs" in metrics(app)
    assert app.query_params["lang"] in ("en", ["en"])


def test_language_from_url(app):
    app.query_params["lang"] = "en"
    app.run()
    assert app.title[0].value.startswith("Overview")


def test_empty_selection_shows_an_empty_state(app):
    app.run()
    app.selectbox(key=state.AREA).set_value("m:1438").run()  # Dals-Ed ...
    app.selectbox(key=state.INDUSTRY).set_value("ig:boatbuilding").run()  # ... has no boatbuilding
    assert not app.exception
    assert not app.metric
    assert any("Inga behov matchar urvalet" in i.value for i in app.info)


def test_reset_restores_the_defaults(app):
    app.run()
    full = metrics(app)["Behov"]
    app.selectbox(key=state.AREA).set_value("m:1488").run()
    assert metrics(app)["Behov"] != full
    next(b for b in app.button if b.label == "Återställ filter").click().run()
    assert metrics(app)["Behov"] == full


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_about_page(app, lang):
    app.query_params["lang"] = lang
    app.run()
    app.switch_page("pages/about.py").run()
    assert not app.exception
    assert app.title[0].value == ("Om data" if lang == "sv" else "About the data")
    texts = " ".join(m.value for m in app.markdown)
    assert "1421" in texts  # the seed is stated
    assert len(app.dataframe) >= 5


def test_the_overviews_charts_are_made_once_per_selection(app, monkeypatch):
    """Issue 35: a signed-in user's charts are made once per selection and words (``Selection.derive``) and shared,
    not on every run; another selection makes its own."""
    from components import charts

    made = []
    persons_by = charts._persons_by
    monkeypatch.setattr(charts, "_persons_by", lambda *a: made.append(a[1]) or persons_by(*a))
    at = open_page(app, "pages/overview.py", area="m:1427")
    first = len(made)
    at.run()
    assert len(made) == first, "the same selection again: nothing made"
    at.selectbox(key=state.AREA).set_value("m:1435").run()
    assert not at.exception and len(made) == first + 2, "another selection: its two charts"
