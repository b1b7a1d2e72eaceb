"""White spots on Utbud och efterfrågan (public transport and car side by side) and on the needs map (issue 33,
point 4): the figures the page shows are core's, the public sees published figures only, the map's HTML carries the
layer and a legend and stays offline."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from components import state
from core.analysis import supply as supply_analysis
from core.common import clock
from data import reference
from geo import access
from geo import matrix as mx
from services import supply
from services.register.store import Register
from tests.app.helpers import as_read, frame_with, open_page, open_tables

SPOT, DEMAND = "Vit fläck", "Behov (personer)"
NEAR_PT, NEAR_CAR = "Utbildningar inom 45 min, kollektivtrafik", "Utbildningar inom 45 min, bil"
NEAREST_PT = "Närmaste utbildning, kollektivtrafik (min, modellerad)"


def expected_table(url: str, demand: pd.Series, codes: list[str], limit: int = 45) -> pd.DataFrame:
    homes = access.home_places(reference.municipalities(), reference.places())
    times = {m: access.minutes_from(mx.model(), m, [homes[c] for c in codes]) for m in supply_analysis.TRAVEL_MODES}
    today = clock.today()
    return supply_analysis.white_spots_by_mode(demand, supply.offers(Register(url), today), times, limit, today,
                                               today + dt.timedelta(days=365))


def test_white_spots_by_public_transport_and_car_for_a_signed_in_admin(app, demo_url):
    at = open_page(app, "pages/supply.py")
    needs = Register(demo_url).needs_frame()
    expected = expected_table(demo_url, needs.groupby("competence", observed=True)["persons"].sum(),
                              reference.fyrbodal_codes())
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Vita fläckar, kollektivtrafik"] == str(int(expected["white_pt"].sum()))
    assert tiles["Vita fläckar, bil"] == str(int(expected["white_car"].sum()))
    shown = frame_with(at, SPOT, NEAR_PT, NEAR_CAR, NEAREST_PT)
    assert len(shown) == len(expected)
    assert (shown[SPOT] == "Kollektivtrafik och bil").sum() == (expected["white_pt"] & expected["white_car"]).sum()
    assert (shown[SPOT] == "Bara med kollektivtrafik").sum() == (expected["white_pt"] & ~expected["white_car"]).sum()
    assert shown[NEAR_PT].tolist() == expected["offers_near_pt"].tolist()
    assert shown[NEAREST_PT].dropna().astype(int).tolist() == expected["nearest_pt"].dropna().round().astype(int).tolist()
    captions = " ".join(c.value for c in at.caption)
    assert "modellerade" in captions and "registret har ingen ort per företag" in captions


def test_white_spots_follow_the_chosen_travel_time_and_the_modes_part(app, demo_url):
    """Within 60 min of Fyrbodal's localities a car reaches training for some needs that buses and trains do not."""
    at = open_page(app, "pages/supply.py", minuter="60")
    needs = Register(demo_url).needs_frame().groupby("competence", observed=True)["persons"].sum()
    expected = expected_table(demo_url, needs, reference.fyrbodal_codes(), limit=60)
    only_pt = expected.loc[expected["white_pt"] & ~expected["white_car"], "competence"]
    assert len(only_pt), "the demo register has needs that only the car reaches training for within 60 min"
    shown = frame_with(at, SPOT, "Utbildningar inom 60 min, kollektivtrafik", "Utbildningar inom 60 min, bil")
    names = dict(zip(reference.competences()["code"], reference.competences()["name_sv"]))
    marked = shown.loc[shown[SPOT] == "Bara med kollektivtrafik", "Kompetens"]
    assert set(marked) == {names.get(c, c) for c in only_pt}


def test_white_spots_for_the_public_show_only_published_figures(public_app, demo_url):
    at = open_page(public_app, "pages/supply.py")
    shown = frame_with(at, SPOT, NEAR_PT, NEAR_CAR)
    assert len(shown) and shown[DEMAND].notna().all()
    assert not [d for d in at.dataframe if "Status" in d.value.columns], "no rows for the public"
    assert any("skyddade tal" in c.value for c in at.caption)
    needs = Register(demo_url).needs_frame().groupby("competence", observed=True)["persons"].sum()
    assert len(shown) < (needs > 0).sum(), "protected competences are left out"


def test_english(app):
    at = open_page(app, "pages/supply.py", lang="en")
    shown = frame_with(at, "White spot", "Training within 45 min, public transport", "Training within 45 min, car")
    assert {"Public transport and car", ""} & set(shown["White spot"])


# --- the needs map's white-spot layer ---

MAP = "pages/needs_map.py"


def _map_table(at) -> pd.DataFrame:
    open_tables(at)  # the map's table is made only while its expander is open (issue 35)
    [table] = [t.value for t in at.table if "Vad kartan visar" in t.value.columns]
    return table.map(as_read)


def test_the_needs_map_marks_white_spots_of_one_competence(app, demo_url):
    at = open_page(app, MAP, lager="vita", vitkompetens="welding", mode="car", minuter="30")
    needs = Register(demo_url).needs_frame()
    homes = access.home_places(reference.municipalities(), reference.places())
    reach = access.reachable_places(mx.model(), "car", 30, homes)
    codes = reference.fyrbodal_codes()
    persons = needs[needs["competence"] == "welding"].groupby("municipality_code", observed=True)["persons"].sum()
    demand = pd.DataFrame({c: [float(persons.get(c, 0))] for c in codes}, index=["welding"])
    today = clock.today()
    cells = supply_analysis.white_spot_cells(demand, supply.offers(Register(demo_url), today), reach, today,
                                             today + dt.timedelta(days=365))
    white = set(cells.loc[cells["state"] == "white", "code"])
    assert white, "welding has white spots within 30 min by car on the demo register"
    names = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    table = _map_table(at)
    marked = set(table.loc[table.iloc[:, 1] == "!", table.columns[0]])
    assert marked == {names[c] for c in white}
    assert any("Vita fläckar – Svetsning, inom 30 min med bil" in h.body for h in at.get("html"))
    assert not at.exception


def test_the_white_spot_layer_for_all_competences_and_a_chosen_municipality(app):
    at = open_page(app, MAP, lager="vita", kommun="1427")
    panel = frame_with(at, "Kompetens", "Läge")
    assert len(panel) and set(panel["Läge"]) <= {"Vit fläck: behov utan verklig utbildning inom räckhåll",
                                                 "Behov med verklig utbildning inom räckhåll"}
    assert at.radio(key=state.MAP_METRIC).disabled, "the measure does not apply to the white-spot layer"
    table = _map_table(at)
    assert table["Klass"].str.fullmatch(r"\d+").all()  # all competences: each municipality's number of white spots
    sotenas = table.loc[table["Kommun"] == "Sotenäs"].iloc[0]
    assert int(sotenas["Klass"]) == (panel["Läge"] == "Vit fläck: behov utan verklig utbildning inom räckhåll").sum()


def test_the_public_white_spot_map_judges_only_shown_figures(public_app, demo_url):
    at = open_page(public_app, MAP, lager="vita")
    table = _map_table(at)
    assert len(table) == 14
    captions = " ".join(c.value for c in at.caption)
    assert "bygger bara på de tal som publiceringen visar" in captions
    assert "Skyddade tal, inte bedömda" in " ".join(table["Vad kartan visar"])


def test_a_protected_figure_is_marked_protected_on_the_public_map(public_app, demo_url):
    """A municipality whose figure of the competence the release hides is marked "–" (protected), never white or offered,
    and its figure is not shown; a shown figure decides its own mark."""
    from services import publishing

    at = open_page(public_app, MAP, lager="vita", vitkompetens="welding")
    release, year = publishing.latest(Register(demo_url)), at.selectbox(key=state.P_YEAR).value
    names = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    hidden, shown = set(), {}
    for code in reference.fyrbodal_codes():
        cells = release.breakdown(year, "competence", code).set_index("value")["persons"]
        if "welding" in cells.index and pd.isna(cells["welding"]):
            hidden.add(names[code])
        else:
            shown[names[code]] = float(cells.get("welding", 0.0))
    assert hidden and shown, "the demo's release hides welding in some municipalities and shows it in others"
    table = _map_table(at).set_index("Kommun")
    assert set(table.index[table["Klass"] == "–"]) == hidden
    assert table.loc[sorted(hidden), "Vad kartan visar"].str.startswith("Skyddat tal: inte bedömt · Behov: skyddad").all()
    for name, persons in shown.items():
        assert (table.loc[name, "Klass"] == "0") == (persons == 0)


def _white_map_html(competence: str, names: dict[str, str]) -> str:
    """The needs map with the white-spot layer's restyle group, rendered as streamlit-folium would receive it."""
    from types import SimpleNamespace

    from components.maps import needs as needs_map
    from components.maps import white_spots as white_map
    from core.common.i18n import t

    codes = ["1427", "1435", "1486"]
    demand = pd.DataFrame({"1427": [12.0, float("nan")], "1435": [0.0, 5.0], "1486": [3.0, 2.0]}, index=["welding", "cnc"])
    cells = supply_analysis.white_spot_cells(demand, pd.DataFrame(columns=["offer_id", "competence", "origin", "form",
                                                                           "place_id", "seats", "start", "intake_years"]),
                                             {}, clock.today(), clock.today() + dt.timedelta(days=365))
    view = white_map.WhiteView(competence, "pt", 45)
    data = white_map.WhiteData(view, cells, supply_analysis.white_spot_map(cells, codes, competence or None))
    ctx = SimpleNamespace(lang="sv", protected=True, names={"competence": names, "municipality": {}}, is_demo=True,
                          t=lambda key, **v: t("sv", key, **v))
    base = needs_map.base_map(tuple(codes), "sv", 14)
    white_map.restyle(ctx, data, "1427").add_to(base)  # type: ignore[arg-type]
    return base.get_root().render()


def test_the_map_html_holds_the_white_spot_layer_and_its_legend():
    import json

    html = _white_map_html("welding", {"welding": "Svetsning"})
    assert "kk-map-legend" in html and "window.kkLegend" in html
    assert json.dumps("Vita fläckar – Svetsning, inom 45 min med kollektivtrafik") in html  # the legend's title, as JSON
    assert json.dumps("Skyddat tal: inte bedömt") in html  # and its rows
    for colour in ("#D55E00", "#f0f0f0"):  # Sotenäs and Strömstad: white spots; Lysekil: no need of welding
        assert colour in html
    assert '"1427": ["#D55E00", false, true, "!"]' in html  # the chosen municipality, a white spot, its mark
    every = _white_map_html("", {})
    assert '"1435": ["#fdcc8a", false, false, "1"]' in every  # one white spot (cnc); welding: no need
    assert "Skyddade tal, inte bed" in every  # Sotenäs's cnc figure is hidden: said, not judged
    assert [u for u in re.findall(r"""(?:src|href)\\s*=\\s*["']([^"']+)["']""", every)
            if u.startswith(("http:", "https:", "//"))] == []


def test_a_competence_name_in_the_white_spot_legend_never_becomes_html():
    hostile = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    html = _white_map_html("welding", {"welding": hostile})
    assert "window.pwned" in html and "<img" not in html and html.count("</script>") == html.count("<script")
