"""AppTest for the needs map (Behovskarta), and the map's HTML: local assets only, data never parsed as HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import state
from components.maps import needs as needs_map
from components.maps.offline import LEAFLET_URL, asset_links
from core.analysis import municipal
from core.analysis import overview as analysis
from core.analysis.classes import classify
from core.analysis.filters import Filters, apply, area_codes
from core.common import formatting
from data import reference
from geo import boundaries
from services.register.store import Register
from tests.app.helpers import frame_with, open_page

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/needs_map.py"
FYRBODAL = tuple(reference.fyrbodal_codes())


def open_map(at: AppTest, **params: str) -> AppTest:
    return open_page(at, PAGE, **params)


def selection(url: str, filters: Filters) -> pd.DataFrame:
    needs = analysis.prepare(Register(url).needs_frame(), reference.sni_section_of)
    return apply(needs, filters, area_codes(filters.area, boundaries.municipalities(), reference.fyrbodal_codes()))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def ranking(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def test_map_page_renders_with_headline_and_ranking(app, demo_url):
    open_map(app)
    assert app.title[0].value == "Behovskarta"
    expected = analysis.kpis(selection(demo_url, Filters()))
    assert metrics(app)["Personer"] == formatting.integer(expected.persons, "sv")
    table = ranking(app)
    assert len(table) == 14
    assert any("Exempeldata" in i.value for i in app.info)


@pytest.mark.parametrize("metric", ["per_1000", "companies", "upskilling_share"])
def test_metric_switch_ranks_by_that_metric(app, demo_url, metric):
    open_map(app)
    app.radio(key=state.MAP_METRIC).set_value(metric).run()
    assert not app.exception
    table = municipal.table(selection(demo_url, Filters()), list(FYRBODAL), dict(zip(
        reference.municipalities()["code"], reference.municipalities()["population_2023"])))
    top = table.sort_values([metric, "persons"], ascending=False).index[0]
    shown = ranking(app)
    assert shown.columns[1] == {"per_1000": "Personer per 1 000 invånare", "companies": "Företag med behov",
                                "upskilling_share": "Andel kompetensutveckling"}[metric]
    assert shown.iloc[0, 0] == reference.municipalities().set_index("code").loc[top, "name"]
    assert app.query_params["metric"] == metric


def test_industry_filter_changes_the_map_figures(app, demo_url):
    open_map(app)
    before = ranking(app)
    app.selectbox(key=state.INDUSTRY).set_value("ig:manufacturing").run()
    expected = analysis.kpis(selection(demo_url, Filters(industry="ig:manufacturing")))
    assert metrics(app)["Personer"] == formatting.integer(expected.persons, "sv")
    assert not ranking(app).equals(before)


def test_choosing_a_municipality_opens_its_panel(app):
    open_map(app)
    app.selectbox(key=state.MAP_SELECTED).set_value("1427").run()
    assert not app.exception
    assert app.subheader[0].value == "Sotenäs"
    comparison = frame_with(app, "Jämförelse")
    assert list(comparison.columns[:3]) == ["Jämförelse", "Sotenäs", "Fyrbodal (14 kommuner) (snitt)"]
    assert len(comparison.columns) == 6, "three similar municipalities"
    assert app.query_params["kommun"] == "1427"


@pytest.mark.parametrize(
    ("returned", "code"),
    [
        ({"last_active_drawing": {"type": "Feature", "id": "1488", "properties": {"code": "1488", "name": "Trollhättan"}}}, "1488"),
        ({"last_active_drawing": {"type": "Feature", "properties": {}, "geometry": {"type": "Point"}}}, None),  # a centre
        ({"last_active_drawing": None}, None),
        (None, None),
    ],
)
def test_what_a_map_click_selects(returned, code):
    assert needs_map.code_of(returned) == code


def test_shared_url_reproduces_the_view(app):
    open_map(app, metric="per_1000", kommun="1488", classes="quantiles", industry="ig:manufacturing")
    assert app.radio(key=state.MAP_METRIC).value == "per_1000"
    assert app.radio(key=state.MAP_METHOD).value == "quantiles"
    assert app.subheader[0].value == "Trollhättan"
    assert app.selectbox(key=state.INDUSTRY).value == "ig:manufacturing"


def test_meeting_mode_from_the_url(app):
    open_map(app, meeting="1", metric="companies")
    assert app.toggle(key=state.MEETING).value is True
    assert app.title[0].value == "Behovskarta: Fyrbodal (14 kommuner)"
    assert any("Alla branscher" in m.value for m in app.markdown), "the selection is spelt out without the sidebar"


def test_unknown_url_values_are_reported(app):
    open_map(app, metric="bogus", kommun="9999")
    warnings = " ".join(w.value for w in app.warning)
    assert "metric=bogus" in warnings and "kommun=9999" in warnings
    assert app.radio(key=state.MAP_METRIC).value == "persons"


def test_change_needs_a_previous_period_and_offers_one(app):
    open_map(app, metric="change")
    assert any("samma månader året före" in w.value for w in app.warning)
    assert set(ranking(app).iloc[:, 1]) == {"Uppgift saknas"}
    app.button[0].click().run()  # "Jämför senaste 12 månaderna"
    assert not any("samma månader året före" in w.value for w in app.warning)
    assert app.query_params["from"] == "2025-10"
    assert set(ranking(app).iloc[:, 1]) != {"Uppgift saknas"}
    assert any("Förändring: 2025-10 – 2026-09 jämfört med samma månader året före, 2024-10 – 2025-09." in c.value
               for c in app.caption)


def test_english(app):
    open_map(app, lang="en")
    assert app.title[0].value == "Needs map"
    assert "Persons" in metrics(app)


def test_empty_selection_keeps_the_map_and_says_so(app):
    open_map(app, competence="welding", area="m:1439", type="recruitment", horizon="0-6")
    if metrics(app)["Personer"] != "0":
        pytest.skip("the demo register happens to have such a need")
    assert any("Inga behov matchar" in i.value for i in app.info)
    assert set(ranking(app).iloc[:, 1]) == {"0"}


# --- the map's HTML -------------------------------------------------------------------------------

URL_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def built_map(lang: str = "sv"):
    frame = municipal.table(pd.DataFrame(columns=["municipality_code", "company_id", "need_type", "persons"]),
                            list(FYRBODAL), {})
    cls, classes = classify(frame["persons"], "persons")
    base = needs_map.base_map(FYRBODAL, lang, 14)
    colours = needs_map.restyle(frame, "persons", cls, classes, "1427", lang)
    return base, colours


def test_map_loads_only_local_assets():
    base, colours = built_map()
    colours.add_to(base)
    links = asset_links(base)
    assert links and all(link.startswith(LEAFLET_URL + "/") for link in links), links
    html = base.get_root().render()
    assert [u for u in URL_ATTR.findall(html) if u.startswith(("http:", "https:", "//"))] == []


def test_names_from_data_never_become_html(monkeypatch):
    centres = reference.learning_centres().copy()
    centres.loc[0, ["name", "operator", "type_text"]] = [HOSTILE, HOSTILE, HOSTILE]
    monkeypatch.setattr(reference, "learning_centres", lambda: centres)
    base, colours = built_map()
    colours.add_to(base)
    html = base.get_root().render()
    assert "window.pwned" in html, "the hostile name is on the map"
    assert "<img" not in html and html.count("</script>") == html.count("<script")
    assert "\\u003cimg src=x onerror" in html, "it travels as escaped JSON text"


def test_base_map_script_is_stable_between_reruns():
    """streamlit-folium keys the map by its script: an unchanged base keeps the map in the browser."""
    from streamlit_folium import _get_map_string

    scripts = []
    for _ in range(2):
        base, _ = built_map()
        base.get_root().render()
        scripts.append(_get_map_string(base))
    assert scripts[0] == scripts[1]


def test_the_maps_table_is_made_only_while_its_expander_is_open(app, monkeypatch):
    """Issue 35: a rerun pays for what it shows: the map's table (its text alternative) is built and sent only when a
    reader opens it, and then holds every municipality."""
    from components.maps import needs as needs_map
    from tests.app.helpers import open_tables

    made = []
    original = needs_map._table
    monkeypatch.setattr(needs_map, "_table", lambda *a: made.append(1) or original(*a))
    at = open_page(app, "pages/needs_map.py")
    at.run()
    assert made == [] and not at.table, "closed: not made"
    open_tables(at)
    assert len(made) == 1 and len(at.table) == 1 and len(at.table[0].value) == 14, "opened: made, every municipality"


def test_the_base_map_is_drawn_once_and_the_colours_once_per_selection(app, monkeypatch):
    """Issue 35: the base map's HTML and script are made once per (area, language, text size) for every rerun and every
    session; the colours' script once per colouring (its token), made again when the figures change."""
    import streamlit_folium

    needs_map._drawn.clear()
    needs_map._colour_script.clear()
    bases, scripts = [], []
    base_map, group_string = needs_map.base_map, streamlit_folium._get_feature_group_string
    monkeypatch.setattr(needs_map, "base_map", lambda *a: bases.append(a) or base_map(*a))
    monkeypatch.setattr(streamlit_folium, "_get_feature_group_string", lambda *a, **k: scripts.append(1) or group_string(*a, **k))
    at = open_page(app, "pages/needs_map.py")
    at.run()
    assert len(bases) == 1 and len(scripts) == 1, "the same view twice: drawn once"
    at.selectbox(key=state.INDUSTRY).set_value("ig:health_care").run()
    assert not at.exception
    assert len(bases) == 1 and len(scripts) == 2, "other figures: new colours on the same base map"


def test_the_drawn_map_sends_what_st_folium_sends(monkeypatch):
    """``show_drawn`` hands streamlit-folium's component what ``st_folium`` would for the same map (but the ids folium
    draws at random): a new streamlit-folium that changes its steps fails here, not in a browser."""
    import streamlit_folium

    from components.maps.elements import Restyle

    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))

    def group():
        made = needs_map.folium.FeatureGroup(name="kk_colours", control=False)
        Restyle({"1427": ["#ffffff", False, False, "1"]}, {"1427": ["<b>x</b>"]}, "t", pick=True).add_to(made)
        return made

    needs_map.show_drawn(needs_map._drawn.__wrapped__(FYRBODAL, "sv", 14, None), group(), "t", 500, lambda: None)
    needs_map.show(needs_map.base_map(FYRBODAL, "sv", 14), group(), 500, lambda: None)
    ours, theirs = ({k: re.sub(r"_[0-9a-f]{32}", "_ID", str(v)) for k, v in kw.items() if k != "on_change"} for kw in sent)
    assert ours == theirs
