"""AppTest for Utbud och efterfrågan and Pendling och lärcentra, and the access map's HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from components import loaders, state
from components.maps import access as access_map
from components.maps.offline import LEAFLET_URL, asset_links
from core.analysis import supply
from core.common import clock, formatting
from data import reference
from geo import access
from geo import matrix as mx
from services import supply as supply_service
from services.register.store import Register
from tests.app.conftest import ADMIN, new_app, signed_in
from tests.app.helpers import frame_with, open_page

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SUPPLY, ACCESS = "pages/supply.py", "pages/access.py"
FYRBODAL = reference.fyrbodal_codes()
HOSTILE = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>'


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_balance(url: str, mode: str, limit: int, codes=FYRBODAL) -> pd.DataFrame:
    register = Register(url)
    needs = register.needs_frame()
    needs = needs[needs["municipality_code"].astype(str).isin(codes)]
    homes = access.home_places(reference.municipalities(), reference.places())
    reach = access.reachable_places(mx.model(), mode, limit, homes)
    return supply.balance(needs, supply_service.offers(register, clock.today()), reach, codes)


def test_supply_page_shows_demand_against_reachable_seats(app, demo_url):
    at = open_page(app, SUPPLY)
    table = expected_balance(demo_url, "car", 45)
    shown = metrics(at)
    assert shown["Personer i behov"] == formatting.integer(int(table["demand"].sum()), "sv")
    assert shown["Platser inom räckhåll"] == formatting.integer(int(table["seats_reachable"].sum()), "sv")
    assert shown["Platser på distans"] == formatting.integer(int(table["seats_distance"].sum()), "sv")
    assert any("Exempeldata" in i.value for i in at.info)
    gaps = at.dataframe[0].value
    top = reference.competences().set_index("code").loc[table["competence"].iloc[0], "name_sv"]
    assert gaps.iloc[0, 0] == top, "the largest gap is ranked first"
    assert at.selectbox(key=state.SUPPLY_DRILL).value == table["competence"].iloc[0], "the drill-down starts at the top gap"


def test_a_shorter_travel_time_never_reaches_more_seats(app, demo_url):
    at = open_page(app, SUPPLY)
    seats = []
    for limit in ("90", "45", "15"):
        at.select_slider(key=state.TRAVEL_LIMIT).set_value(limit).run()
        assert "minuter=" + limit in "&".join(f"{k}={v}" for k, v in at.query_params.items()) or limit == "45"
        seats.append(int(metrics(at)["Platser inom räckhåll"].replace("\xa0", "")))
    assert seats[0] >= seats[1] >= seats[2]
    assert seats[2] == expected_balance(demo_url, "car", 15)["seats_reachable"].sum()


def test_the_url_sets_mode_and_limit_and_bad_values_are_reported(app, demo_url):
    at = open_page(app, SUPPLY, mode="pt", minuter="90")
    assert at.radio(key=state.TRAVEL_MODE).value == "pt"
    expected = expected_balance(demo_url, "pt", 90)["seats_reachable"].sum()
    assert metrics(at)["Platser inom räckhåll"] == formatting.integer(int(expected), "sv")
    bad = open_page(new_app(), SUPPLY, minuter="7")
    assert any("minuter=7" in w.value for w in bad.warning)


def test_one_municipality_and_the_drill_down(app, demo_url):
    at = open_page(app, SUPPLY, area="m:1427")
    table = expected_balance(demo_url, "car", 45, ["1427"])
    assert metrics(at)["Personer i behov"] == formatting.integer(int(table["demand"].sum()), "sv")
    at.selectbox(key=state.SUPPLY_DRILL).set_value("fish_processing").run()
    needs = frame_with(at, "Kommun", "Personer")
    assert set(needs["Kommun"]) <= {"Sotenäs"}
    assert needs["Personer"].sum() == table.set_index("competence").loc["fish_processing", "demand"]
    assert not at.exception


def test_supply_page_in_english(app):
    at = open_page(app, SUPPLY, lang="en")
    assert at.title[0].value == "Supply and demand"
    assert "Seats within reach" in metrics(at)


def test_access_page_headline_matches_the_access_metrics(app, demo_url):
    at = open_page(app, ACCESS)
    targets = access.centre_places(reference.learning_centres(), ["komvux", "learning_centre"])
    by_place = access.places_table(mx.model(), reference.places(), loaders.place_people.__wrapped__(), targets)
    by_place = by_place[by_place["municipality_code"].isin(FYRBODAL)]
    shares = access.overall(access.municipality_table(by_place))
    shown = metrics(at)
    assert shown["Inom 30 min med bil"] == formatting.percent(shares["share_car_30"], "sv")
    assert shown["Inom 30 min med kollektivtrafik"] == formatting.percent(shares["share_pt_30"], "sv")
    table = at.dataframe[0].value
    assert len(table) == 14 and table["Folkmängd 2023"].sum() == reference.municipalities()["population_2023"].sum()


def test_a_new_centre_shows_its_gain(app):
    at = open_page(app, ACCESS, mode="pt")
    before = at.metric[1].value
    at.selectbox(key=state.ACCESS_WHAT_IF).set_value("gn2715351").run()  # Färgelanda
    assert not at.exception
    assert "nytt=gn2715351" in "&".join(f"{k}={v}" for k, v in at.query_params.items())
    assert at.metric[1].value == before, "the headline keeps today's figure"
    assert at.metric[1].delta and "+" in at.metric[1].delta, "and shows the gain beside it"
    assert len(at.get("plotly_chart")) == 1


def test_a_competence_measures_to_the_places_offering_it(app, demo_url):
    at = open_page(app, ACCESS, kompetens="welding")
    places = access.offer_places(Register(demo_url).offers_frame(), "welding")
    assert places, "the demo register has welding courses"
    assert at.selectbox(key=state.ACCESS_COMPETENCE).value == "welding"
    assert any("Exempeldata" in i.value for i in at.info), "offers are partly example data: the label shows"


def test_access_page_reports_unknown_url_values(app):
    at = open_page(app, ACCESS, nytt="atlantis", minuter="20")
    warnings = " ".join(w.value for w in at.warning)
    assert "nytt=atlantis" in warnings and "minuter=20" in warnings


def test_about_page_lists_the_travel_model_errors(app):
    at = open_page(app, "pages/about.py")
    tables = [d.value for d in at.dataframe]
    checks = next(t for t in tables if "Inom tolerans" in t.columns)
    assert len(checks) == len(reference.travel_checks())
    assert checks["Inom tolerans"].all()


def _access_map(places: pd.DataFrame):
    codes = list(FYRBODAL)
    by_place = access.places_table(mx.model(), places, access.place_population(places, {}), ["gn2667303"])
    return access_map.build(codes, by_place[by_place["municipality_code"].isin(codes)], "car", 30,
                            [{"name": HOSTILE, "lat": 58.3, "lon": 12.3, "added": False, "lines": [HOSTILE]}],
                            {}, lambda row: [row.name])


def test_access_map_loads_only_local_assets_and_escapes_names():
    places = reference.places().copy()
    places.loc[places["name"] == "Smögen", "name"] = HOSTILE
    fmap = _access_map(places)
    links = asset_links(fmap)
    assert links and all(link.startswith(LEAFLET_URL + "/") for link in links), links
    html = fmap.get_root().render()
    assert [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if u.startswith(("http:", "https:", "//"))] == []
    assert "<img" not in html and html.count("</script>") == html.count("<script")
    assert "\\u003cimg src=x onerror" in html


def test_every_map_page_copies_leaflet_itself(app, demo_url, monkeypatch):
    """A fresh install whose first visitor opens Pendling (or Samverkanskohorter) before Behovskarta
    still gets Leaflet: each map page puts it into the static folder, not only the needs map."""
    import shutil

    from components.maps.offline import LEAFLET_DIR
    from tests.app.helpers import open_page as open_any

    for page, run in ((ACCESS, False), ("pages/cohorts.py", True)):
        shutil.rmtree(LEAFLET_DIR, ignore_errors=True)
        at = open_any(signed_in(new_app(), ADMIN), page)
        if run:
            at.button(key="FormSubmitter:cohort_form-Sök kohorter").click().run()
        assert (LEAFLET_DIR / "leaflet.js").exists(), page


def test_the_access_map_is_drawn_once_per_view(app, monkeypatch):
    """Issue 35: the access map is rendered once per (register revision, area, view, language) and sent again from then
    on; another view (a longer limit) draws its own."""
    from components.planning import access as access_view

    access_view._map_args.clear()
    drawn = []
    build = access_map.build
    monkeypatch.setattr(access_map, "build", lambda *a, **k: drawn.append(a[3]) or build(*a, **k))
    at = open_page(app, ACCESS)
    at.run()
    assert len(drawn) == 1, "the same view twice: drawn once"
    at.session_state[state.ACCESS_LIMIT] = 60 if drawn[0] != 60 else 45
    at.run()
    assert not at.exception and len(drawn) == 2 and drawn[1] != drawn[0]


def test_the_supply_figures_are_made_once_per_selection_and_reach(app, monkeypatch):
    """Issue 35: a signed-in Utbud's table, figures, white spots and drill-down are made once per (selection, travel
    reach, area, day), not on every rerun, and made again for another reach."""
    from components.public import supply as supply_view

    loaders.selection.clear()  # fresh selections: nothing derived from them yet
    tables, spots = [], []
    balance, white = supply_view.balance, supply_view._white_spots
    monkeypatch.setattr(supply_view, "balance", lambda *a: tables.append(1) or balance(*a))
    monkeypatch.setattr(supply_view, "_white_spots", lambda *a: spots.append(1) or white(*a))
    at = open_page(app, SUPPLY, area="m:1427")
    assert not at.exception and (len(tables), len(spots)) == (1, 1)
    shown = frame_with(at, "Kommun", "Personer")
    at.run()
    assert not at.exception and (len(tables), len(spots)) == (1, 1), "the same selection and reach again: nothing made"
    assert frame_with(at, "Kommun", "Personer").equals(shown)
    at.select_slider(key=state.TRAVEL_LIMIT).set_value("60").run()
    assert not at.exception and (len(tables), len(spots)) == (2, 2), "another reach: made for it"


def test_the_public_supply_page_is_made_once_per_view_and_reach(public_app, monkeypatch):
    """Issue 35: the public's Utbud (from the release) is made once per (register revision, view, reach, area, day,
    language) and shared by every visitor of it."""
    from components.public import supply as supply_view

    supply_view._published.clear()
    made = []
    balance = supply_view.balance_published
    monkeypatch.setattr(supply_view, "balance_published", lambda *a: made.append(1) or balance(*a))
    at = open_page(public_app, SUPPLY, year="2025")
    at.run()
    assert not at.exception and len(made) == 1, "the same view twice: made once"
    again = new_app()
    again.user = {"is_logged_in": False}
    open_page(again, SUPPLY, year="2025")
    assert not again.exception and len(made) == 1, "another visitor of the same view: shared"
    at.radio(key=state.TRAVEL_MODE).set_value("pt").run()
    assert not at.exception and len(made) == 2, "another travel mode: made for it"
