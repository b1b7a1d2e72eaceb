"""Only real supply on a real register (issue 33, point 3): every register shows the shipped real supply (MYH 2022-2024
within reach) and the offers an admin entered; only a register holding example data (the demo) shows its generated
example offers, marked as such; every offer says where it comes from."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from core.analysis import supply as supply_analysis
from core.records.audience import Audience, User
from data import demo_offers, yh_supply
from services import supply
from services.admin import Admin, start_register
from services.register.store import Register
from services.seed import known_codes, load_demo
from tests.unit.test_yh_supply import SKOLVERKET, _complete_sample

TODAY = dt.date(2026, 12, 5)
ADMIN = User("anna@region.example", Audience.ADMIN, (), "Anna")


@pytest.fixture
def real(tmp_path) -> Register:
    register = Register(f"sqlite:///{tmp_path / 'real.sqlite'}")
    start_register(register, ADMIN)
    return register


@pytest.fixture
def demo(tmp_path) -> Register:
    register = Register(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    load_demo(register)
    return register


def test_a_real_register_starts_with_the_shipped_real_supply_and_its_sources(real):
    offers = supply.offers(real, TODAY)
    assert len(offers) > 100 and set(offers["origin"]) == {"myh"} and offers["is_real"].all()
    assert offers["offer_id"].is_unique and "myh-2024-3281" in set(offers["offer_id"])
    assert not offers["title"].str.startswith("Exempel").any() and not offers["provider"].str.startswith("Exempel").any()
    for row in offers.itertuples():  # MYH's round and diarienummer, the file, the sheet and the row
        assert row.source.startswith(f"{row.round_label}, {row.diarienummer} (resultat-") and " row " in row.source
    assert offers.set_index("offer_id").loc["myh-2024-3281", "place_id"] == "gn2667303"  # Trollhättan


def test_a_programme_is_one_offer_with_one_intakes_seats_and_a_finished_one_is_left_out(real):
    offers = supply.offers(real, TODAY)
    shipped = yh_supply.programmes()
    several = shipped[shipped["several_municipalities"]]["diarienummer"]
    ids = set(offers["diarienummer"])
    assert ids & set(several), "programmes in several municipalities are offered once"
    ended = shipped[shipped["last_intake_year"] < TODAY.year]["diarienummer"]
    assert not ids & set(ended)
    row = offers.set_index("offer_id").loc["myh-2024-3281"]
    assert (row["seats"], row["intake_years"], row["form"]) == (28, "2025;2026;2027", "on_site")


def test_a_real_register_never_shows_a_generated_example_offer_even_one_stored(real):
    Admin(real, ADMIN).replace_offers(demo_offers.offers(7), known_codes())  # e.g. restored from the demo's table
    offers = supply.offers(real, TODAY)
    assert "example" not in set(offers["origin"]) and not offers["title"].str.startswith("Exempel").any()


def test_an_offer_an_admin_entered_says_so(real):
    entered = demo_offers.example_offers(7).head(1).assign(offer_id="komvux-1", title="Svetsning grund", provider="Komvux Uddevalla",
                                                           is_real=True, source="Komvux Uddevalla, kurskatalog 2027")
    Admin(real, ADMIN).replace_offers(entered, known_codes())
    offers = supply.offers(real, TODAY).set_index("offer_id")
    assert offers.loc["komvux-1", "origin"] == "admin" and offers.loc["komvux-1", "source"] == "Komvux Uddevalla, kurskatalog 2027"


def test_the_demo_keeps_its_example_offers_marked_beside_the_real_supply(demo):
    offers = supply.offers(demo, TODAY)
    example = offers[offers["origin"] == "example"]
    assert len(example) > 20 and example["source"].str.startswith("Exempeldata").all() and not example["is_real"].any()
    assert offers["offer_id"].is_unique  # the demo's own 2024 programmes give way to the shipped rows, which hold them
    assert set(offers.loc[offers["offer_id"].str.startswith("myh-"), "origin"]) == {"myh"}
    assert set(demo_offers.real_offers()["offer_id"]) <= supply.offer_ids(demo)


@pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")
def test_an_imported_skolverket_round_adds_its_events_within_reach(real):
    parsed = supply.read(json.dumps(_complete_sample()).encode(), "planerade.json", today=TODAY)
    supply.Supply(real, ADMIN).store(parsed)
    offers = supply.offers(real, TODAY)
    mine = offers[offers["origin"] == "skolverket"]
    reach = yh_supply.yh_reach().set_index("code")["within_reach"]
    assert mine["municipality_code"].map(reach).all()
    kept = parsed.rows[parsed.rows["municipality_code"].map(reach)]
    started = pd.to_datetime(kept["start"].replace("", None)) < pd.Timestamp(TODAY)
    assert len(mine) == kept.loc[~started, "event_id"].nunique()
    assert mine["source"].str.startswith("Skolverket, planerad vuxenutbildning, ").all()


# --- where real supply is missing (point 4) ---

def _offer(**values) -> dict:
    return {"offer_id": "x", "competence": "welding", "origin": "myh", "form": "on_site", "place_id": "p1", "seats": 20,
            "start": pd.NaT, "intake_years": ""} | values


@pytest.mark.parametrize(("offer", "white"), [
    (_offer(intake_years="2027"), False),                         # an intake (dated 1 September) in the window
    (_offer(intake_years="2025;2026"), True),                     # its intakes are over
    (_offer(intake_years="2027", place_id="p9"), True),           # beyond the travel time
    (_offer(intake_years="2027", form="distance", place_id=""), False),  # by distance: within everyone's reach
    (_offer(origin="example"), True),                             # an example offer never fills a need
    (_offer(origin="skolverket", start=pd.Timestamp("2027-01-10")), False),
    (_offer(origin="skolverket", start=pd.Timestamp("2028-01-10")), True),
    (_offer(origin="skolverket"), False),                         # continuous intake
    (_offer(origin="admin"), False),                              # an admin's offer, start not given
    (_offer(competence="cnc", intake_years="2027"), True),         # another competence
], ids=["intake", "over", "far", "distance", "example", "start-in", "start-out", "continuous", "admin", "other"])
def test_a_white_spot_is_a_need_without_a_real_offer_within_reach_and_12_months(offer, white):
    demand = pd.Series({"welding": 12.0, "cnc": float("nan")})  # cnc: protected in the release, left out
    table = supply_analysis.white_spots(demand, pd.DataFrame([offer]), {"p1"}, TODAY, TODAY + dt.timedelta(days=365))
    assert table["competence"].tolist() == ["welding"]
    assert bool(table["white_spot"].iloc[0]) is white
    if not white:
        assert table[["offers_near", "offers_distance"]].sum(axis=1).iloc[0] == 1


def test_three_white_spots_on_the_demo_register(demo):
    from data import reference
    from geo import access
    from geo import matrix as mx

    needs = demo.needs_frame()
    homes = access.home_places(reference.municipalities(), reference.places())
    places = supply_analysis.places_in_reach(access.reachable_places(mx.model(), "car", 45, homes), reference.fyrbodal_codes())
    table = supply_analysis.white_spots(needs.groupby("competence", observed=True)["persons"].sum(), supply.offers(demo, TODAY),
                                        places, TODAY, TODAY + dt.timedelta(days=365))
    spots = table[table["white_spot"]]
    assert {"digital_skills", "leadership", "maintenance"} <= set(spots["competence"].head(4))
    assert not table.loc[~table["white_spot"], ["offers_near", "offers_distance"]].sum(axis=1).eq(0).any()
