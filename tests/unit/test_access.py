"""Access to learning centres: consistent shares, and a new centre never lowers coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import reference
from geo import access
from geo import matrix as mx

KINDS = ("komvux", "learning_centre")


@pytest.fixture(scope="module")
def model():
    return mx.model()


@pytest.fixture(scope="module")
def people():
    table = reference.municipalities()
    return access.place_population(reference.places(), dict(zip(table["code"], table["population_2023"])))


def _by_municipality(model, people, targets):
    return access.municipality_table(access.places_table(model, reference.places(), people, targets))


def test_place_populations_add_up_to_the_municipalities(people):
    places = reference.places().set_index("place_id")
    sums = people.groupby(places.loc[people.index, "municipality_code"]).sum()
    expected = reference.municipalities().set_index("code")["population_2023"]
    assert sums.drop("", errors="ignore").sort_index().to_dict() == expected.sort_index().to_dict()
    assert (people[places.loc[people.index, "municipality_code"] == ""] == 0).all()


def test_shares_are_consistent(model, people):
    table = _by_municipality(model, people, access.centre_places(reference.learning_centres(), KINDS))
    assert table["population"].sum() == reference.municipalities()["population_2023"].sum()
    assert len(table) == 14
    for mode in access.MODES:
        covered = [table[f"people_{mode}_{t}"] for t in access.THRESHOLDS]
        assert (covered[0] <= covered[1]).all() and (covered[1] <= covered[2]).all()
        assert (covered[2] <= table["population"]).all()
        assert ((table[f"share_{mode}_45"] >= 0) & (table[f"share_{mode}_45"] <= 1)).all()


def test_the_nearest_centre_is_the_minimum(model):
    targets = access.centre_places(reference.learning_centres(), KINDS)
    minutes, where = access.nearest(model, "car", targets)
    cols = [model.index()[t] for t in targets]
    assert np.allclose(minutes, model.minutes_car[:, cols].min(axis=1))
    assert all(model.place_ids[w] in targets for w in where)


def test_no_target_means_no_access(model):
    minutes, where = access.nearest(model, "pt", [])
    assert np.isinf(minutes).all() and (where == -1).all()


@pytest.mark.parametrize("seed", range(25))
def test_adding_a_centre_never_lowers_coverage(model, people, seed):
    """Property: for random sets of centres and a random extra place, every share and every
    nearest time is at least as good with the extra centre."""
    rng = np.random.default_rng(seed)
    ids = np.array(model.place_ids)
    base = list(rng.choice(ids, size=int(rng.integers(0, 6)), replace=False))
    extra = str(rng.choice(ids))
    before = _by_municipality(model, people, base)
    after = _by_municipality(model, people, [*base, extra])
    for mode in access.MODES:
        for t in access.THRESHOLDS:
            assert (after[f"people_{mode}_{t}"].to_numpy() >= before[f"people_{mode}_{t}"].to_numpy()).all()
        assert (after[f"mean_{mode}"].to_numpy() <= before[f"mean_{mode}"].to_numpy() + 1e-9).all()
    # and the new centre's own place is covered at once
    assert access.nearest(model, "car", [*base, extra])[0][model.index()[extra]] == 0


def test_reachable_places_grow_with_the_limit(model):
    homes = access.home_places(reference.municipalities(), reference.places())
    assert len(homes) == 14
    short = access.reachable_places(model, "pt", 30, homes)
    long = access.reachable_places(model, "pt", 90, homes)
    assert all(short[c] <= long[c] for c in homes)
    assert all(homes[c] in short[c] for c in homes)  # a place reaches itself


def test_offer_places_skip_distance_offers():
    offers = pd.DataFrame({"competence": ["welding", "welding", "cnc"], "place_id": ["p1", "p2", "p3"],
                           "form": ["on_site", "distance", "blended"]})
    assert access.offer_places(offers, "welding") == ["p1"]


@pytest.mark.parametrize(("minutes", "people", "expected"), [
    ([10.0, 20.0], [100, 300], 17.5),
    ([10.0, np.inf], [100, 300], 10.0),  # a municipality that reaches nothing does not count as 0 minutes
    ([np.inf, np.inf], [100, 300], None),  # nothing within reach: no mean at all
    ([10.0, 30.0], [0, 0], None),
])
def test_mean_minutes_never_turns_unreachable_into_zero(minutes, people, expected):
    frame = pd.DataFrame({"mean_car": minutes, "population": people})
    got = access.mean_minutes(frame, "car")
    assert (got != got) if expected is None else got == pytest.approx(expected)
