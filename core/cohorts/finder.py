"""The cohort finder: which needs reach a viable class only when pooled across municipalities.

A need is a **pooling candidate** when its competence's persons in its own municipality (all
horizons, on-site/blended and distance counted apart) fall short of the minimum class size. A
**cohort** is a set of candidate needs of one competence, from several municipalities, meeting at
a host place that every member reaches within the travel limits (car *or* public transport,
from the municipality's central locality), with between the minimum and the maximum persons.
Distance cohorts (needs that asked for distance training) have no host and no travel limit.

Horizons: a class starting in window *w* serves needs due in *w* and, if allowed, needs due in
the next window (they are trained early); never a need due before the class starts.

Before any cohort is proposed, candidates are routed to existing offers within reach that still
have seats (``route``). What is left is solved per competence by ``core.cohorts.solvers``: exact
(MILP, HiGHS) or greedy; this module builds the instance and explains the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.cohorts import solvers as cohort_solvers
from core.common.models import Horizon

WINDOWS = [h.value for h in Horizon]
DISTANCE = ""  # the host of a distance cohort
REGIONAL_VUX_MUNICIPALITIES = 3  # regional yrkesvux needs at least three municipalities


@dataclass(frozen=True)
class Settings:
    car_minutes: float = 45
    pt_minutes: float = 60
    min_size: int | None = None  # None: the competence catalogue's
    max_size: int | None = None
    next_window: bool = True
    method: str = "milp"  # or "greedy"
    time_limit: float = 60.0  # seconds for the whole MILP run, shared out by problem size


@dataclass(frozen=True)
class Instance:
    """Plain inputs, so the model runs on the Fyrbodal travel model or on a synthetic country."""

    needs: pd.DataFrame  # need_id, municipality_code, competence, persons, horizon, form
    car: pd.DataFrame  # minutes: index municipality code, columns host id
    pt: pd.DataFrame
    sizes: dict[str, tuple[int, int]]  # competence -> (min, max)
    offers: pd.DataFrame  # offer_id, title, competence, host ("" for distance), form, seats, window ("" unknown)
    host_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    need_id: int
    municipality_code: str
    persons: int
    horizon: str
    minutes_car: float
    minutes_pt: float


@dataclass(frozen=True)
class Cohort:
    competence: str
    host: str  # DISTANCE for a distance cohort
    window: str
    members: tuple[Member, ...]
    min_size: int
    max_size: int

    @property
    def total(self) -> int:
        return sum(m.persons for m in self.members)

    @property
    def municipalities(self) -> list[str]:
        return sorted({m.municipality_code for m in self.members})

    @property
    def regional_vux(self) -> bool:
        return len(self.municipalities) >= REGIONAL_VUX_MUNICIPALITIES

    @property
    def longest(self) -> float:
        return max((m.minutes_car for m in self.members), default=0.0)


@dataclass(frozen=True)
class Routed:
    need_id: int
    competence: str
    municipality_code: str
    persons: int
    offer_id: str
    minutes_car: float


@dataclass(frozen=True)
class NonViable:
    need_id: int
    competence: str
    municipality_code: str
    persons: int
    horizon: str
    reason: str  # "no_host" | "too_few" | "not_chosen"
    missing: int  # persons short of the minimum at the best host
    best_host: str
    alternative: str  # "distance:<offer title>" | "neighbour:<host>" | "contract"


@dataclass(frozen=True)
class Plan:
    cohorts: list[Cohort]
    routed: list[Routed]
    non_viable: list[NonViable]
    local: int  # needs viable within their own municipality (not candidates)
    method: str
    seconds: float
    gap: float  # (bound - placed) / bound over all competences: 0 for a proven optimum; nan for greedy
    status: str  # "optimal" | "time_limit" | "heuristic"

    @property
    def persons_placed(self) -> int:
        return sum(c.total for c in self.cohorts)


def size_of(instance: Instance, settings: Settings, competence: str) -> tuple[int, int]:
    low, high = instance.sizes.get(competence, (8, 20))
    low = settings.min_size or low
    high = max(settings.max_size or high, low)
    return low, high


def candidates(instance: Instance, settings: Settings) -> tuple[pd.DataFrame, int]:
    """Needs short of the minimum in their own municipality, and the count of locally viable needs."""
    needs = instance.needs.assign(distance=instance.needs["form"].eq("distance"))
    totals = needs.groupby(["competence", "municipality_code", "distance"], observed=True)["persons"].transform("sum")
    minimum = needs["competence"].map(lambda c: size_of(instance, settings, c)[0])
    short = totals < minimum
    return needs[short].sort_values("need_id").reset_index(drop=True), int((~short).sum())


def windows_for(horizon: str, next_window: bool) -> list[str]:
    """Cohort windows a need due in ``horizon`` may join."""
    i = WINDOWS.index(horizon)
    return [WINDOWS[i]] + ([WINDOWS[i - 1]] if next_window and i > 0 else [])


def reach_table(instance: Instance, settings: Settings) -> pd.DataFrame:
    """Every (municipality, host) within the travel limits, with the minutes by car and public transport."""
    car = instance.car.stack().rename("car")
    pt = instance.pt.stack().rename("pt")
    both = pd.concat([car, pt], axis=1).rename_axis(["municipality_code", "host"]).reset_index()
    return both[(both["car"] <= settings.car_minutes) | (both["pt"] <= settings.pt_minutes)]


def minutes(instance: Instance, municipality: str, host: str) -> tuple[float, float]:
    if host == DISTANCE:
        return 0.0, 0.0
    return float(instance.car.at[municipality, host]), float(instance.pt.at[municipality, host])


def pairs(instance: Instance, settings: Settings, needs: pd.DataFrame, reach: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every (need, cohort slot) a need may join: host within reach and a compatible window."""
    reach = reach_table(instance, settings) if reach is None else reach
    distance = needs["form"].eq("distance")
    local = needs[~distance].merge(reach[["municipality_code", "host", "car"]], on="municipality_code")
    far = needs[distance].assign(host=DISTANCE, car=0.0)
    both = pd.concat([local, far], ignore_index=True)
    both["window"] = [windows_for(h, settings.next_window) for h in both["horizon"]]
    both = both.explode("window")
    out = both.rename(columns={"car": "minutes"})[["need_id", "competence", "host", "window", "persons", "minutes"]]
    return out.astype({"need_id": int, "persons": int, "minutes": float}).sort_values(["need_id", "host", "window"]).reset_index(drop=True)


def route(instance: Instance, settings: Settings, needs: pd.DataFrame) -> tuple[list[Routed], pd.DataFrame]:
    """Send candidates to existing offers within reach that still have seats (nearest first, needs in id order)."""
    reach = reach_table(instance, settings)
    near = {(m, h): c for m, h, c in zip(reach["municipality_code"], reach["host"], reach["car"])}
    room = dict(zip(instance.offers["offer_id"], instance.offers["seats"].astype(int)))
    by_competence: dict[str, list] = {}
    for offer in instance.offers.sort_values("offer_id").itertuples(index=False):
        by_competence.setdefault(offer.competence, []).append(offer)
    routed, left = [], []
    for need in needs.itertuples(index=False):
        windows = windows_for(need.horizon, settings.next_window)
        best = None
        for offer in by_competence.get(need.competence, []):
            if (offer.form == "distance") != (need.form == "distance") or room[offer.offer_id] < need.persons:
                continue
            if offer.window not in ("", *windows):
                continue
            car = 0.0 if offer.host == DISTANCE else near.get((need.municipality_code, offer.host))
            if car is not None and (best is None or (car, offer.offer_id) < best[0]):
                best = ((car, offer.offer_id), offer)
        if best is None:
            left.append(need)
            continue
        room[best[1].offer_id] -= need.persons
        routed.append(Routed(int(need.need_id), need.competence, need.municipality_code, int(need.persons),
                             best[1].offer_id, float(best[0][0])))
    return routed, pd.DataFrame(left, columns=needs.columns)


def build_cohorts(instance: Instance, competence: str, chosen: dict[tuple[str, str], list[int]],
                  needs: pd.DataFrame, size: tuple[int, int]) -> list[Cohort]:
    by_id = {r.need_id: r for r in needs.itertuples(index=False)}
    out = []
    for (host, window), ids in sorted(chosen.items()):
        members = []
        for need_id in sorted(ids):
            row = by_id[need_id]
            car, pt = minutes(instance, row.municipality_code, host)
            members.append(Member(int(need_id), row.municipality_code, int(row.persons), row.horizon, car, pt))
        out.append(Cohort(competence, host, window, tuple(members), *size))
    return out


def explain(instance: Instance, settings: Settings, left: pd.DataFrame, slots: pd.DataFrame) -> list[NonViable]:
    """Why each remaining candidate found no cohort, and what could serve it instead.

    For each need: the slot (host, window) it may join where the other unplaced needs add up to
    the most persons; ``missing`` is what that slot lacks of the minimum. A slot with enough
    persons that still did not open has needs too large to fit between the bounds ("not_chosen")."""
    if left.empty:
        return []
    mine = slots[slots["need_id"].isin(left["need_id"])]
    slot = ["competence", "host", "window"]
    totals = mine.groupby(slot, as_index=False)["persons"].sum().rename(columns={"persons": "available"})
    best = mine.merge(totals, on=slot).sort_values(["need_id", "available", "minutes", "host"],
                                                                  ascending=[True, False, True, True], kind="stable")
    best = best.drop_duplicates("need_id").set_index("need_id")
    found = _alternatives(instance)
    alternatives = {c: found.get(c, "contract") for c in left["competence"].unique()}
    out = []
    for need in left.itertuples(index=False):
        minimum = size_of(instance, settings, need.competence)[0]
        if need.need_id not in best.index:
            reason, missing, host = "no_host", minimum - int(need.persons), ""
        else:
            row = best.loc[need.need_id]
            missing = max(0, minimum - int(row["available"]))
            reason, host = ("too_few" if missing else "not_chosen"), row["host"]
        out.append(NonViable(int(need.need_id), need.competence, need.municipality_code, int(need.persons), need.horizon,
                             reason, missing, host, alternatives[need.competence]))
    return out


def _alternatives(instance: Instance) -> dict[str, str]:
    """Per competence: a distance course if one exists, else an offer at a place out of reach, else contract training."""
    out: dict[str, str] = {}
    for offer in instance.offers.sort_values("offer_id").itertuples(index=False):
        if offer.form == "distance" and not out.get(offer.competence, "").startswith("distance:"):
            out[offer.competence] = "distance:" + str(offer.title)
        else:
            out.setdefault(offer.competence, "neighbour:" + str(offer.host))
    return out


def summary(plan: Plan) -> dict[str, float]:
    return {
        "cohorts": len(plan.cohorts),
        "persons_placed": plan.persons_placed,
        "routed_persons": sum(r.persons for r in plan.routed),
        "non_viable_persons": sum(n.persons for n in plan.non_viable),
        "longest_minutes": float(np.max([c.longest for c in plan.cohorts])) if plan.cohorts else 0.0,
    }


def plan(instance: Instance, settings: Settings, progress=None) -> Plan:
    """Route, then pool per competence; ``progress(done, total, competence)`` is called as it goes."""


    start = time.perf_counter()
    pool, local = candidates(instance, settings)
    routed, left = route(instance, settings, pool)
    reach = reach_table(instance, settings)
    every_slot = pairs(instance, settings, left, reach)
    slot_rows = every_slot.groupby("competence").indices if len(every_slot) else {}
    need_rows = left.groupby("competence").indices if len(left) else {}
    cohorts: list[Cohort] = []
    unplaced: list[pd.DataFrame] = []
    statuses: list[str] = []
    placed_total, bound_total = 0, 0.0
    budget, pairs_left = settings.time_limit, len(every_slot)
    competences = sorted(left["competence"].unique())
    for done, competence in enumerate(competences):
        if progress:
            progress(done, len(competences), competence)
        needs = left.iloc[need_rows[competence]]
        slots = every_slot.iloc[slot_rows.get(competence, [])]
        low, high = size_of(instance, settings, competence)
        if settings.method == "greedy":
            solution = cohort_solvers.greedy(slots, low, high)
        else:
            share = budget * len(slots) / max(pairs_left, 1)
            began = time.perf_counter()
            solution = cohort_solvers.exact(slots, low, high, share)
            budget, pairs_left = max(0.0, budget - (time.perf_counter() - began)), pairs_left - len(slots)
        statuses.append(solution.status)
        placed_total, bound_total = placed_total + solution.placed, bound_total + (solution.bound if solution.bound == solution.bound else 0)
        cohorts += build_cohorts(instance, competence, solution.chosen, needs, (low, high))
        placed = {i for ids in solution.chosen.values() for i in ids}
        unplaced.append(needs[~needs["need_id"].isin(placed)])
    if progress:
        progress(len(competences), len(competences), "")
    rest = pd.concat(unplaced, ignore_index=True) if unplaced else left.iloc[0:0]
    slots = every_slot
    status = "heuristic" if settings.method == "greedy" else ("optimal" if all(s == "optimal" for s in statuses) else "time_limit")
    gap = float("nan") if settings.method == "greedy" else (bound_total - placed_total) / bound_total if bound_total else 0.0
    cohorts.sort(key=lambda c: (c.host == DISTANCE, -len(c.municipalities), -c.total, c.competence, c.host, c.window))
    return Plan(cohorts, routed, explain(instance, settings, rest, slots), local, settings.method,
                time.perf_counter() - start, gap, status)
