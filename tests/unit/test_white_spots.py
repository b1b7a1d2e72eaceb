"""White spots (issue 33, point 4): public transport and car side by side, and per municipality for the needs map."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.analysis import supply
from geo import access
from geo.matrix import Matrix

TODAY = dt.date(2026, 12, 5)
LAST = TODAY + dt.timedelta(days=365)


def _offer(**values) -> dict:
    return {"offer_id": "x", "competence": "welding", "origin": "myh", "form": "on_site", "place_id": "far", "seats": 20,
            "start": pd.NaT, "intake_years": "2027"} | values


def _times(**minutes: float) -> pd.DataFrame:
    return pd.DataFrame({"minutes": list(minutes.values()), "measured": [False] * len(minutes)},
                        index=pd.Index(list(minutes), name="place_id"))


# home: the area's locality; near: 20 min by car, 40 by bus; far: 50 by car, 100 by bus
TIMES = {"car": _times(home=0, near=20, far=50), "pt": _times(home=0, near=40, far=100)}


@pytest.mark.parametrize(("offers", "limit", "white_pt", "white_car"), [
    ([_offer(place_id="near")], 30, True, False),       # 20 min by car is within 30, 40 by bus is not
    ([_offer(place_id="near")], 45, False, False),
    ([_offer(place_id="far")], 60, True, False),
    ([_offer(place_id="far")], 30, True, True),
    ([_offer(place_id="far"), _offer(offer_id="y", form="distance", place_id="")], 30, False, False),  # distance: everyone's
    ([_offer(place_id="near", origin="example")], 90, True, True),  # an example never fills a need
    ([_offer(place_id="near", intake_years="2025")], 90, True, True),  # its intakes are over
    ([], 90, True, True),
], ids=["car-only", "both", "far-car", "far-none", "distance", "example", "over", "nothing"])
def test_public_transport_and_car_side_by_side(offers, limit, white_pt, white_car):
    frame = pd.DataFrame(offers, columns=list(_offer()))
    table = supply.white_spots_by_mode(pd.Series({"welding": 12.0, "cnc": np.nan}), frame, TIMES, limit, TODAY, LAST)
    assert table["competence"].tolist() == ["welding"]  # a protected figure is left out
    row = table.iloc[0]
    assert (bool(row["white_pt"]), bool(row["white_car"])) == (white_pt, white_car)
    assert (row["offers_near_pt"] == 0) == (white_pt or bool(row["offers_distance"]))


def test_nearest_offer_in_minutes_by_each_mode_whatever_the_limit():
    frame = pd.DataFrame([_offer(place_id="far"), _offer(offer_id="y", place_id="near", seats=8),
                          _offer(offer_id="z", place_id="nowhere")])  # a place outside the matrix: no minutes
    times = {m: t.copy() for m, t in TIMES.items()}
    times["pt"].loc["near", "measured"] = True
    table = supply.white_spots_by_mode(pd.Series({"welding": 5.0}), frame, times, 15, TODAY, LAST).iloc[0]
    assert (table["nearest_car"], table["nearest_pt"]) == (20, 40)
    assert bool(table["measured_pt"]) and not bool(table["measured_car"])
    assert bool(table["white_pt"]) and bool(table["white_car"])  # the nearest is beyond 15 min either way
    assert table["seats_near_car"] == 0


def test_no_held_offer_leaves_the_nearest_empty():
    table = supply.white_spots_by_mode(pd.Series({"welding": 5.0}), pd.DataFrame([_offer(form="distance", place_id="")]),
                                       TIMES, 30, TODAY, LAST).iloc[0]
    assert np.isnan(table["nearest_pt"]) and np.isnan(table["nearest_car"]) and table["offers_distance"] == 1


def test_minutes_from_the_nearest_origin_and_whether_measured():
    minutes = np.array([[0, 10, 50], [10, 0, 30], [50, 30, 0]], dtype=float)
    measured = np.zeros((3, 3), dtype=bool)
    measured[1, 2] = True
    matrix = Matrix(["a", "b", "c"], minutes, minutes, minutes * 2, measured)
    out = access.minutes_from(matrix, "car", ["a", "b", "unknown"])
    assert out["minutes"].tolist() == [0, 0, 30] and out["measured"].tolist() == [False, False, True]
    assert access.minutes_from(matrix, "pt", ["a"])["minutes"].tolist() == [0, 20, 100]
    assert np.isinf(access.minutes_from(matrix, "pt", ["unknown"])["minutes"]).all()


# --- per municipality (the needs map) ---

DEMAND = pd.DataFrame({"A": [12.0, np.nan, 0.0], "B": [4.0, 7.0, 3.0]}, index=["welding", "cnc", "nursing"])


def test_each_cell_is_white_offered_none_or_protected():
    offers = pd.DataFrame([_offer(place_id="pa"), _offer(offer_id="y", competence="nursing", place_id="pb")])
    cells = supply.white_spot_cells(DEMAND, offers, {"A": {"pa"}, "B": {"pb"}}, TODAY, LAST).set_index(["code", "competence"])
    assert cells["state"].to_dict() == {
        ("A", "welding"): "offered", ("A", "cnc"): "protected", ("A", "nursing"): "none",
        ("B", "welding"): "white", ("B", "cnc"): "white", ("B", "nursing"): "offered",
    }
    assert np.isnan(cells.loc[("A", "cnc"), "demand"])  # a hidden figure stays hidden


def test_the_marking_of_a_protected_figure_does_not_depend_on_its_value():
    """Whatever a hidden figure is, the map marks the same: only shown figures and the offers decide."""
    offers = pd.DataFrame([_offer(place_id="pa")])
    maps = []
    for hidden in (1.0, 2.0, 500.0):
        cells = supply.white_spot_cells(DEMAND.assign(A=[12.0, hidden, 0.0]).mask(DEMAND.isna()), offers, {"A": {"pa"}},
                                        TODAY, LAST)
        maps.append((supply.white_spot_map(cells, ["A", "B"], None).drop(columns="names"),
                     supply.white_spot_map(cells, ["A", "B"], "cnc")))
    for every, one in maps[1:]:
        pd.testing.assert_frame_equal(every, maps[0][0])
        pd.testing.assert_frame_equal(one, maps[0][1])


def test_the_map_for_one_competence_and_for_all():
    cells = supply.white_spot_cells(DEMAND, pd.DataFrame([_offer(place_id="pa")]), {"A": {"pa"}}, TODAY, LAST)
    one = supply.white_spot_map(cells, ["A", "B", "C"], "welding")
    assert one["state"].tolist() == ["offered", "white", "none"] and one["demand"].tolist() == [12, 4, 0]
    hidden = supply.white_spot_map(cells, ["A", "B"], "cnc")
    assert hidden["state"].tolist() == ["protected", "white"] and np.isnan(hidden.loc["A", "demand"])
    every = supply.white_spot_map(cells, ["A", "B", "C"], None)
    assert every["white"].tolist() == [0, 3, 0] and every["persons"].tolist() == [0, 14, 0]
    assert every["protected"].tolist() == [1, 0, 0] and every["cls"].tolist() == [0, 2, 0]
    assert every.loc["B", "names"] == ["cnc", "welding", "nursing"]


@pytest.mark.parametrize(("white", "cls"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (9, 3)])
def test_classes_of_the_number_of_white_spots(white, cls):
    cells = pd.DataFrame({"code": ["A"] * white, "competence": [f"c{i}" for i in range(white)], "demand": [1.0] * white,
                          "offers": [0] * white, "state": ["white"] * white})
    assert supply.white_spot_map(cells, ["A"], None).loc["A", "cls"] == cls
