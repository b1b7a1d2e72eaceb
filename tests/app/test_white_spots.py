"""White spots on Utbud och efterfrågan (public transport and car side by side) and on the needs map (issue 33,
point 4): the figures the page shows are core's, the public sees published figures only, the map's HTML carries the
layer and a legend and stays offline."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.analysis import supply as supply_analysis
from core.common import clock
from data import reference
from geo import access
from geo import matrix as mx
from services import supply
from services.register.store import Register
from tests.app.helpers import frame_with, open_page

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
