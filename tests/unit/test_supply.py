"""Demand against supply on hand-made registers, and the demo register's offers."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis import supply
from core.records.validation import InvalidTable
from data import demo_offers, reference
from services.admin import Admin, operator
from services.register.store import Register
from services.seed import known_codes


def _needs(rows):
    return pd.DataFrame(rows, columns=["municipality_code", "competence", "need_type", "horizon", "persons"])


def _offers(rows):
    return pd.DataFrame(rows, columns=["competence", "place_id", "form", "seats"])


NEEDS = _needs([
    ("1427", "welding", "recruitment", "0-6", 3),
    ("1427", "welding", "upskilling", "6-12", 4),
    ("1488", "welding", "recruitment", "12-36", 5),
    ("1488", "cnc", "upskilling", "0-6", 2),
])
OFFERS = _offers([
    ("welding", "P_TH", "on_site", 8),
    ("welding", "P_FAR", "blended", 10),
    ("welding", "", "distance", 12),
    ("nurse", "P_TH", "on_site", 20),
])
REACH = {"1427": {"P_KH"}, "1488": {"P_TH"}}


def test_balance_splits_demand_and_counts_only_reachable_seats():
    table = supply.balance(NEEDS, OFFERS, REACH, ["1427", "1488"]).set_index("competence")
    welding = table.loc["welding"]
    assert (welding["recruitment"], welding["upskilling"], welding["demand"]) == (8, 4, 12)
    assert (welding["h_0-6"], welding["h_6-12"], welding["h_12-36"]) == (3, 4, 5)
    assert welding["seats_reachable"] == 8 and welding["seats_distance"] == 12 and welding["gap"] == 4
    assert table.loc["nurse", "gap"] == -20  # supply without demand is listed too
    assert list(table.index[:2]) == ["welding", "cnc"]  # ranked by gap


def test_balance_for_one_municipality_does_not_see_the_other_ones_reach():
    table = supply.balance(NEEDS[NEEDS["municipality_code"] == "1427"], OFFERS, REACH, ["1427"]).set_index("competence")
    assert table.loc["welding", "seats_reachable"] == 0
    assert table.loc["welding", "gap"] == 7


def test_gap_matrix_per_municipality():
    gaps = supply.gap_matrix(NEEDS, OFFERS, REACH, ["1427", "1488"], ["welding", "cnc"])
    assert gaps.loc["welding"].tolist() == [7, 5 - 8]
    assert gaps.loc["cnc"].tolist() == [0, 2]


def test_drill_lists_the_needs_and_the_offers_behind_a_bar():
    needs, offers = supply.drill(NEEDS, OFFERS, "welding", {"P_TH"})
    assert needs["persons"].sum() == 12
    assert sorted(offers["form"]) == ["distance", "on_site"]


def test_demo_offers_include_every_real_yh_programme_marked_real():
    offers = demo_offers.offers(1421)
    real = offers[offers["is_real"]]
    assert len(real) == 8
    assert real["source"].str.contains("MYH").all()
    assert not offers.loc[~offers["is_real"], "provider"].str.startswith("Exempel").eq(False).any()
    assert offers["offer_id"].is_unique
    assert offers.equals(demo_offers.offers(1421))  # seeded
    catalogue = reference.competences().set_index("code")
    fake = offers[~offers["is_real"]]
    assert (fake["seats"] >= catalogue.loc[fake["competence"], "min_class_size"].to_numpy()).all()


def test_an_offer_table_with_problems_is_refused_whole(tmp_path):
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    offers = demo_offers.offers(1421)
    admin = Admin(register, operator())
    admin.replace_offers(offers, known_codes())
    bad = offers.copy()
    bad.loc[3, "competence"] = "juggling"
    bad.loc[9, "seats"] = 0
    bad.loc[10, "place_id"] = ""
    with pytest.raises(InvalidTable) as err:
        admin.replace_offers(bad, known_codes())
    assert {(p.row, p.column) for p in err.value.problems} == {(4, "competence"), (10, "seats"), (11, "place_id")}
    assert len(register.offers_frame()) == len(offers)
