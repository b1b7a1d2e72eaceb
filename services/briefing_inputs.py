"""Everything a briefing needs besides the needs: reach, access, names, map outlines.

Computed once per register (the cohort plan takes about a second) and shared by the page, the
command line and the benchmark; ``make`` then builds one area's briefing in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from core.analysis import outlook
from core.analysis.outlook import Signal
from core.briefing import content as briefing
from core.briefing.text import Names
from core.common import clock
from core.disclosure import release as release_module
from data import reference
from geo import access, boundaries
from geo import matrix as mx
from services import cohort_instance, publishing, supply
from services.register.store import Register
from services.seed import BarometerRound, current_barometer

REACH_MINUTES = 45
CENTRE_KINDS = ("komvux", "learning_centre")


@dataclass(frozen=True)
class Inputs:
    needs: pd.DataFrame
    offers: pd.DataFrame
    meta: dict[str, str]
    reach: dict[str, set[str]]
    access: pd.DataFrame  # per Fyrbodal municipality
    months: tuple[str, ...]
    population: dict[str, int]
    outlines: dict[str, list]
    release: release_module.Release
    barometer: BarometerRound  # the Yrkesbarometer round the pages show
    outlook: dict[str, Signal]  # that round's signal per competence (made once, not per briefing)


def prepare(register: Register, published: release_module.Release | None = None) -> Inputs:
    """``published``: the release the brief shows (default the newest published; ``ValueError`` if none is). The brief
    reads that release's own rows (frozen with it), so nothing in it moves until the next release."""
    published = published if published is not None else publishing.latest(register)
    if published is None:
        raise ValueError("no release published yet: the brief shows the public release (kompetenskartan release publish)")
    needs = published.needs if published.needs is not None else register.needs_frame()
    offers, meta = supply.offers(register, clock.today()), register.meta()
    fyrbodal = reference.fyrbodal_codes()
    matrix = mx.overlay(mx.model(), register.travel_matrix_frame())
    homes = access.home_places(reference.municipalities(), reference.places())
    table = reference.municipalities()
    population = dict(zip(table["code"], table["population_2023"].astype(int)))
    people = access.place_population(reference.places(), population)
    targets = access.centre_places(reference.learning_centres(), CENTRE_KINDS)
    by_municipality = access.municipality_table(access.places_table(matrix, reference.places(), people, targets))
    months = tuple(str(p) for p in pd.period_range(needs["collected_on"].min(), needs["collected_on"].max(), freq="M")) if len(needs) else ()
    return Inputs(needs, offers, meta, access.reachable_places(matrix, "car", REACH_MINUTES, homes),
                  by_municipality[by_municipality["municipality_code"].isin(fyrbodal)], months, population,
                  boundaries.outlines(tuple(fyrbodal)), published,
                  *_barometer(register))


def _barometer(register: Register) -> tuple[BarometerRound, dict[str, Signal]]:
    current = current_barometer(register)
    return current, outlook.signals(reference.competence_occupations(), current.rows)


def area_codes(area: str) -> list[str]:
    """``fyrbodal`` or one of the 14 SCB codes; anything else raises ``ValueError``."""
    fyrbodal = reference.fyrbodal_codes()
    if area.lower() == "fyrbodal":
        return fyrbodal
    if area in fyrbodal:
        return [area]
    raise ValueError(f"unknown area {area!r}: give 'fyrbodal' or one of the 14 SCB codes ({', '.join(fyrbodal)})")


def names(lang: str, area: list[str]) -> Names:
    table = reference.municipalities()
    municipality = dict(zip(table["code"], table["name"]))
    labels = cohort_instance.labels(lang, municipality)
    return Names(area=reference.FYRBODAL_NAME if len(area) > 1 else municipality[area[0]], municipality=municipality,
                 competence=labels.competence, place=labels.place, centre=labels.centre)


def make(inputs: Inputs, area: list[str], period: tuple[str, str]) -> briefing.Briefing:
    fyrbodal = reference.fyrbodal_codes()
    made = briefing.build(inputs.needs, area, fyrbodal, period, briefing.previous_year(period, inputs.months), inputs.offers,
                          inputs.reach, inputs.access[inputs.access["municipality_code"].isin(area)], inputs.release)
    current, signals = inputs.barometer, inputs.outlook
    return replace(made, outlook={r.code: signals[r.code] for r in made.top if r.code in signals}, outlook_round=current.name,
                   outlook_date=current.date, outlook_imported=current.imported)
