"""The travel model: the sourced pairs, the shape of the network, and what it must never do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import reference
from geo import calibration, travel
from geo.network import build, default_network, default_parameters, haversine_km


@pytest.fixture(scope="module")
def net():
    return default_network()


@pytest.fixture(scope="module")
def routes(net):
    return travel.routes(net, default_parameters())


@pytest.fixture(scope="module")
def checked(net, routes):
    return calibration.checks(net, routes)


def test_every_sourced_figure_is_checked(checked):
    assert len(checked) == len(reference.travel_checks()) == 20
    assert checked["source"].str.len().gt(10).all()


@pytest.mark.parametrize(("a", "b", "measure"), [
    ("Kungshamn", "Trollhättan", "road_km"), ("Kungshamn", "Trollhättan", "pt_minutes"),
    ("Kungshamn", "Göteborg", "road_km"), ("Kungshamn", "Göteborg", "pt_minutes"),
])
def test_the_seed_pairs_are_within_15_percent(checked, a, b, measure):
    row = checked[(checked["from_name"] == a) & (checked["to_name"] == b) & (checked["measure"] == measure)]
    assert len(row) == 1
    assert abs(row["error"].iloc[0]) <= 0.15


def test_every_other_sourced_figure_is_within_25_percent(checked):
    worst = checked.loc[checked["error"].abs().idxmax()]
    assert checked["within"].all(), worst.to_dict()
    assert (checked["error"].abs() <= 0.25).all()


def test_the_coast_is_roundabout(net, routes):
    """Kungshamn-Trollhättan: the road is much longer than the crow flies (the seed's point)."""
    pos = {n: i for i, n in enumerate(net.nodes["name"])}
    i, j = pos["Kungshamn"], pos["Trollhättan"]
    straight = haversine_km(*net.nodes.loc[i, ["lat", "lon"]], *net.nodes.loc[j, ["lat", "lon"]])
    assert routes.km_road[i, j] / straight > 1.35


def test_matrices_are_symmetric_finite_and_zero_on_the_diagonal(net, routes):
    places = np.flatnonzero(net.nodes["is_place"])
    for m in (routes.km_road, routes.minutes_car, routes.minutes_pt):
        sub = m[np.ix_(places, places)]
        assert np.isfinite(sub).all()
        assert np.allclose(np.diag(sub), 0)
        assert np.allclose(sub, sub.T, atol=0.01)
        assert (sub[~np.eye(len(places), dtype=bool)] > 0).all()


def test_times_obey_the_triangle_inequality(net, routes):
    car = routes.minutes_car - 2 * default_parameters().terminal_minutes  # terminal time counts once per trip
    np.fill_diagonal(car, 0)
    via = (car[:, :, None] + car[None, :, :]).min(axis=1)
    assert (car <= via + 1e-6).all()


def test_norwegian_destinations_are_reachable_from_the_border_municipalities(net, routes):
    pos = {n: i for i, n in enumerate(net.nodes["name"])}
    for origin in ("Strömstad", "Tanumshede", "Ed"):
        assert routes.minutes_car[pos[origin], pos["Halden"]] < 90
        assert np.isfinite(routes.minutes_pt[pos[origin], pos["Fredrikstad"]])


def test_a_transfer_costs_time(net):
    slow = travel.public_transport(net, _with_transfer(20.0))
    fast = travel.public_transport(net, _with_transfer(5.0))
    pos = {n: i for i, n in enumerate(net.nodes["name"])}
    i, j = pos["Kungshamn"], pos["Göteborg"]  # bus, then train: at least one change
    assert slow[i, j] >= fast[i, j] + 15 - 1e-6


def _with_transfer(minutes):
    import dataclasses
    return dataclasses.replace(default_parameters(), transfer_minutes=minutes)


def test_a_place_no_link_mentions_is_connected_to_its_nearest_node():
    places = pd.DataFrame({"place_id": ["a", "b", "c"], "name": ["A", "B", "C"],
                           "lat": [58.0, 58.1, 58.101], "lon": [11.0, 11.0, 11.001]})
    links = pd.DataFrame([{"from": "A", "to": "B", "mode": "road", "road_class": "regional", "road": "r",
                           "bus_line": "x", "rail_line": "", "ferry_minutes": ""}])
    net = build(places, pd.DataFrame(columns=["node_id", "name", "lat", "lon"]), links)
    assert len(net.links) == 2
    r = travel.routes(net, default_parameters())
    assert np.isfinite(r.minutes_car[0, 2])


def test_an_unknown_name_in_the_links_is_reported():
    places = pd.DataFrame({"place_id": ["a"], "name": ["A"], "lat": [58.0], "lon": [11.0]})
    links = pd.DataFrame([{"from": "A", "to": "Atlantis", "mode": "road", "road_class": "local", "road": "",
                           "bus_line": "", "rail_line": "", "ferry_minutes": ""}])
    with pytest.raises(KeyError, match="Atlantis"):
        build(places, pd.DataFrame(columns=["node_id", "name", "lat", "lon"]), links)
