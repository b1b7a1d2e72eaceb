"""The cohort finder: invariants on generated instances, and the MILP against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from core.cohorts import finder as cohorts
from core.cohorts import solvers as cohort_solvers
from core.cohorts.finder import DISTANCE, Instance, Settings

HORIZONS = cohorts.WINDOWS


def generated(seed: int, n_needs: int = 30, n_munis: int = 6, n_hosts: int = 3, competences=("welding", "cnc")) -> Instance:
    """Municipalities and hosts on a plane; minutes grow with distance; public transport is slower."""
    rng = np.random.default_rng(seed)
    munis = [f"m{i}" for i in range(n_munis)]
    hosts = [f"h{i}" for i in range(n_hosts)]
    where_m, where_h = rng.uniform(0, 80, (n_munis, 2)), rng.uniform(0, 80, (n_hosts, 2))
    car = np.linalg.norm(where_m[:, None] - where_h[None], axis=2) * 1.1 + 3
    needs = pd.DataFrame({
        "need_id": np.arange(1, n_needs + 1),
        "municipality_code": rng.choice(munis, n_needs),
        "competence": rng.choice(list(competences), n_needs),
        "persons": rng.integers(1, 6, n_needs),
        "horizon": rng.choice(HORIZONS, n_needs),
        "form": rng.choice(["blended", "on_site", "distance"], n_needs, p=[0.5, 0.35, 0.15]),
    })
    offers = pd.DataFrame({
        "offer_id": ["o1", "o2"], "title": ["Kurs A", "Distanskurs B"], "competence": [competences[0], competences[-1]],
        "host": [hosts[0], DISTANCE], "form": ["on_site", "distance"], "seats": [4, 3], "window": ["", "0-6"],
    })
    return Instance(needs, pd.DataFrame(car, index=munis, columns=hosts), pd.DataFrame(car * 1.6 + 8, index=munis, columns=hosts),
                    {c: (8, 12) for c in competences}, offers)


def check_invariants(instance: Instance, settings: Settings, plan: cohorts.Plan) -> None:
    candidates, _ = cohorts.candidates(instance, settings)
    seen: list[int] = []
    for cohort in plan.cohorts:
        assert cohort.min_size <= cohort.total <= cohort.max_size
        assert len(cohort.municipalities) >= 2, "a pooled class spans municipalities"
        assert cohort.regional_vux == (len(cohort.municipalities) >= 3)
        for m in cohort.members:
            assert cohort.window in cohorts.windows_for(m.horizon, settings.next_window)
            if cohort.host != DISTANCE:
                car = instance.car.at[m.municipality_code, cohort.host]
                pt = instance.pt.at[m.municipality_code, cohort.host]
                assert car <= settings.car_minutes or pt <= settings.pt_minutes, "every member within the travel limit"
        seen += [m.need_id for m in cohort.members]
    seen += [r.need_id for r in plan.routed] + [n.need_id for n in plan.non_viable]
    assert len(seen) == len(set(seen)), "every need in at most one cohort (or routed, or listed as non-viable)"
    assert sorted(seen) == sorted(candidates["need_id"]), "every candidate is accounted for"


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("method", ["milp", "greedy"])
def test_invariants_hold_on_generated_instances(seed, method):
    instance = generated(seed)
    settings = Settings(method=method, car_minutes=40 + seed, pt_minutes=60)
    plan = cohorts.plan(instance, settings)
    check_invariants(instance, settings, plan)


@pytest.mark.parametrize("method", ["milp", "greedy"])
def test_same_input_same_output(method):
    instance = generated(7, n_needs=60)
    first = cohorts.plan(instance, Settings(method=method))
    second = cohorts.plan(instance, Settings(method=method))
    assert first.cohorts == second.cohorts and first.routed == second.routed and first.non_viable == second.non_viable


def score(slots: pd.DataFrame, chosen: dict) -> tuple[float, float, float]:
    by_key = {(r.need_id, r.host, r.window): r for r in slots.itertuples(index=False)}
    placed, longest, total = 0, 0.0, 0.0
    for (host, window), ids in chosen.items():
        for need_id in ids:
            row = by_key[(need_id, host, window)]
            placed += int(row.persons)
            longest = max(longest, float(row.minutes))
            total += float(row.minutes) * int(row.persons)
    return placed, -round(longest, 6), -round(total, 6)


def brute_force(slots: pd.DataFrame, minimum: int, maximum: int) -> tuple[float, float, float]:
    """Every assignment of every need to nothing or one of its slots; the best feasible score."""
    rows = list(slots.itertuples(index=False))
    options: dict[int, list] = {}
    for r in rows:
        options.setdefault(r.need_id, [None]).append((r.host, r.window, int(r.persons), float(r.minutes)))
    best = (0, 0.0, 0.0)
    for pick in itertools.product(*options.values()):
        sizes: dict = {}
        placed, longest, total = 0, 0.0, 0.0
        for slot in pick:
            if slot is not None:
                sizes[slot[:2]] = sizes.get(slot[:2], 0) + slot[2]
                placed, longest, total = placed + slot[2], max(longest, slot[3]), total + slot[2] * slot[3]
        if all(minimum <= s <= maximum for s in sizes.values()):
            best = max(best, (placed, -round(longest, 6), -round(total, 6)))
    return best


@pytest.mark.parametrize("seed", range(15))
def test_milp_equals_brute_force_on_small_instances(seed):
    rng = np.random.default_rng(100 + seed)
    instance = generated(100 + seed, n_needs=int(rng.integers(4, 7)), n_munis=4, n_hosts=2, competences=("welding",))
    settings = Settings(car_minutes=70, pt_minutes=90)
    needs = instance.needs.assign(form="blended")
    slots = cohorts.pairs(instance, settings, needs)
    minimum, maximum = 6, 9
    solution = cohort_solvers.exact(slots, minimum, maximum)
    assert solution.status == "optimal"
    assert score(slots, solution.chosen) == pytest.approx(brute_force(slots, minimum, maximum), abs=1e-4)
    greedy = cohort_solvers.greedy(slots, minimum, maximum)
    assert score(slots, greedy.chosen)[0] <= score(slots, solution.chosen)[0]


def test_a_need_routes_to_an_offer_with_room_before_any_cohort():
    instance = generated(3)
    settings = Settings()
    plan = cohorts.plan(instance, settings)
    room = dict(zip(instance.offers["offer_id"], instance.offers["seats"]))
    for r in plan.routed:
        room[r.offer_id] -= r.persons
    assert all(v >= 0 for v in room.values()), "no offer is overfilled"
    assert plan.routed, "the generated instance has needs that fit the offers"


def test_non_viable_needs_say_what_is_missing():
    instance = generated(5, n_needs=12)
    plan = cohorts.plan(instance, Settings(car_minutes=25, pt_minutes=30))
    assert plan.non_viable
    for item in plan.non_viable:
        assert item.reason in {"no_host", "too_few", "not_chosen"}
        if item.reason == "too_few":
            assert 0 < item.missing < 8
        assert item.alternative == "contract" or item.alternative.split(":")[0] in {"distance", "neighbour"}


@pytest.mark.parametrize("seed", range(4))
def test_a_larger_maximum_never_places_fewer_persons(seed):
    """Same minimum (so the same candidates and routing), looser upper bound: the optimum cannot drop."""
    instance = generated(20 + seed, n_needs=50)
    tight = cohorts.plan(instance, Settings(min_size=8, max_size=9))
    loose = cohorts.plan(instance, Settings(min_size=8, max_size=16))
    assert loose.persons_placed >= tight.persons_placed
