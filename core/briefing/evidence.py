"""The evidence for the next programme (issue 33, point 5): for one competence, one study place and one start, the
recorded needs within reach, the Yrkesbarometer's situation for the linked occupations, the real supply already within
reach and the cohorts the programme would absorb, as a provider attaches it to an application to MYH ("arbetslivets
efterfrågan").

Pure: plain inputs (frames, the published release, the modelled minutes from the study place) in, an ``Evidence`` out,
whose every row carries its source and its date in its last two columns; the page, the PDF and the workbook
(``core.briefing.evidence_files``) show the same rows. What a user typed (an offer's title or provider) is kept as
typed here: each writer shows it as plain text.

Two versions. The **protected** one (the default, to hand to a provider) takes every figure of needs from the newest
published release: the same figures the public sees, none from fewer than 3 companies, and no cohort (cohorts are
made from company rows and are not published, as in the brief). The **exact** one, for the broker's or admin's own
work, counts the register's rows the reader may read (a broker's municipalities) and the release's figure elsewhere,
each row saying which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.analysis import outlook
from core.analysis.supply import REAL_ORIGINS, intake_within
from core.cohorts import finder
from core.common import formatting
from core.common.i18n import t
from core.common.models import NeedType
from core.disclosure.release import Release
from core.records.dataset import holds_example_data

NONE = "–"
LIMITS = (30, 45, 60, 90)
DEFAULT_LIMIT = 60
SUPPLY_YEARS = 1  # existing supply counts when it has an intake within this many years of the start


@dataclass(frozen=True)
class Choice:
    """What the broker or admin chose: a competence, a study place (a place of the travel model), the first month of
    the start, the most minutes by public transport (modelled) and the version."""

    competence: str
    place_id: str
    start: dt.date
    limit: int = DEFAULT_LIMIT
    protected: bool = True


@dataclass(frozen=True)
class Section:
    key: str  # needs | outlook | supply | cohorts
    title: str
    header: tuple[str, ...]  # the last two are the source and the date
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    lang: str
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value): what was chosen, the version, when it was made
    demo: str  # the example-data label ("" for a real register)
    sections: tuple[Section, ...]
    sources: tuple[str, ...]
    generated: dt.date
    internal: str = ""  # the exact version's mark ("INTERNT – lämna inte ut"): on its title, every page and every sheet

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


@dataclass(frozen=True)
class Inputs:
    """Everything the evidence is made of, read by ``services.evidence``."""

    choice: Choice
    names: Mapping[str, Mapping[str, str]]  # competence / municipality / place -> label
    minutes_to: Mapping[str, float]  # municipality code -> modelled minutes by public transport from the study place
    place_minutes: Mapping[str, float]  # place id -> modelled minutes by public transport from the study place
    rows: pd.DataFrame | None  # the register's needs of the competence the reader may read (exact version); None
    readable: tuple[str, ...] | None  # the municipalities whose rows the reader reads (None: all)
    period: tuple[dt.date, dt.date]  # the months of rows counted
    release: Release | None  # the newest published release
    offers: pd.DataFrame  # services.supply.offers
    barometer: pd.DataFrame  # the Yrkesbarometer's rows (county 14 among them)
    links: pd.DataFrame  # data/competence_occupations.csv
    barometer_round: str
    barometer_date: str
    cohorts: tuple[finder.Cohort, ...] | None  # None in the protected version
    meta: Mapping[str, str]
    generated: dt.date


def minutes_text(value: float, lang: str) -> str:
    return NONE if value != value or value == float("inf") else formatting.decimal(value, lang, 0)


def within(inputs: Inputs) -> list[str]:
    """The municipalities whose central locality is within the limit of the study place, nearest first."""
    found = [(m, c) for c, m in inputs.minutes_to.items() if m <= inputs.choice.limit]
    return [c for _, c in sorted(found)]


def _release_source(release: Release, lang: str) -> tuple[str, str]:
    return (t(lang, "evidence.src_release", id=release.id, through=release.through or NONE),
            release.published or NONE)


def release_year(release: Release | None) -> int | None:
    return max(release.years) if release is not None and release.years else None


def _release_row(inputs: Inputs, code: str, lang: str) -> tuple[float | None, tuple[str, ...]]:
    """The release's persons of the competence in ``code`` for its newest year (None: hidden or no release)."""
    release, c = inputs.release, inputs.choice
    year = release_year(release)
    if release is None or year is None:
        return None, (NONE,) * 4 + (t(lang, "evidence.src_no_release"), NONE)
    value = release.value(year, "persons", "competence", code, c.competence)
    shown = t(lang, "evidence.protected_mark") if value is None else formatting.integer(int(value), lang)
    source, date = _release_source(release, lang)
    return value, (shown, NONE, NONE, NONE, t(lang, "evidence.src_release_year", source=source, year=year), date)


def _exact_row(inputs: Inputs, code: str, lang: str) -> tuple[float | None, tuple[str, ...]]:
    """The register's rows of ``code`` the reader may read: persons, by need type, companies."""
    assert inputs.rows is not None
    mine = inputs.rows[inputs.rows["municipality_code"].astype(str) == code]
    by_type = mine.groupby("need_type")["persons"].sum()
    first, last = inputs.period
    persons = int(mine["persons"].sum())
    return float(persons), (formatting.integer(persons, lang),
                            formatting.integer(int(by_type.get(NeedType.RECRUITMENT.value, 0)), lang),
                            formatting.integer(int(by_type.get(NeedType.UPSKILLING.value, 0)), lang),
                            formatting.integer(int(mine["company_id"].nunique()), lang),
                            t(lang, "evidence.src_register", first=first.isoformat(), last=last.isoformat()),
                            inputs.generated.isoformat())


def needs_section(inputs: Inputs, lang: str) -> Section:
    """Per municipality within reach of the study place: its modelled minutes and its persons in need of the
    competence, exact (rows the reader may read, exact version) or as published (elsewhere, and the protected
    version); then their sum (of the shown figures only, where some are hidden)."""
    c = inputs.choice
    rows, total, hidden, exact_rows = [], 0, False, False
    for code in within(inputs):
        exact = not c.protected and inputs.rows is not None and (inputs.readable is None or code in inputs.readable)
        value, figures = _exact_row(inputs, code, lang) if exact else _release_row(inputs, code, lang)
        rows.append((inputs.names["municipality"].get(code, code), minutes_text(inputs.minutes_to[code], lang), *figures))
        total += int(value or 0)
        hidden |= value is None
        exact_rows |= exact
    notes = [t(lang, "evidence.needs_note", limit=c.limit)]
    if rows:
        label = t(lang, "evidence.total_shown" if hidden else "evidence.total")
        rows.append((label, "", formatting.integer(total, lang), "", "", "", t(lang, "evidence.src_sum"),
                     inputs.generated.isoformat()))
    else:
        notes.append(t(lang, "evidence.needs_none", limit=c.limit))
    if len(rows) > 1 and not (exact_rows and inputs.readable is None):
        notes.append(t(lang, "evidence.protected_note"))
    header = tuple(t(lang, f"evidence.col_{k}") for k in
                   ("municipality", "minutes", "persons", "recruitment", "upskilling", "companies", "source", "date"))
    return Section("needs", t(lang, "evidence.needs_title"), header, tuple(rows), tuple(notes))


def outlook_section(inputs: Inputs, lang: str) -> Section:
    found = outlook.occupations_of(inputs.choice.competence, inputs.links, inputs.barometer)
    source = t(lang, "evidence.src_barometer", round=inputs.barometer_round)
    rows = []
    for r in found.itertuples(index=False):
        def word(value: object, key) -> str:
            return t(lang, f"outlook.{key(str(value))}") if isinstance(value, str) and value else t(lang, "outlook.unassessed")
        rows.append((str(r.occupation), str(r.ssyk) if isinstance(r.ssyk, str) else NONE,
                     word(r.rekryteringssituation, outlook.situation_key), word(r.prognos, outlook.prognosis_key),
                     word(r.jobbmojligheter, outlook.jobs_key), source, inputs.barometer_date))
    notes = [t(lang, "evidence.outlook_note")] + ([] if rows else [t(lang, "evidence.outlook_none")])
    header = tuple(t(lang, f"evidence.col_{k}") for k in ("occupation", "ssyk", "situation", "prognosis", "jobs", "source", "date"))
    return Section("outlook", t(lang, "evidence.outlook_title"), header, tuple(rows), tuple(notes))


def supply_rows(inputs: Inputs) -> pd.DataFrame:
    """The real offers of the competence with an intake within ``SUPPLY_YEARS`` of the start, held within the limit
    of the study place (modelled) or by distance; nearest first, distance last."""
    c, offers = inputs.choice, inputs.offers
    mine = offers[offers["origin"].isin(REAL_ORIGINS) & (offers["competence"] == c.competence)]
    first = c.start.replace(year=c.start.year - SUPPLY_YEARS)
    last = c.start.replace(year=c.start.year + SUPPLY_YEARS)
    mine = mine[intake_within(mine, first, last)]
    minutes = mine["place_id"].map(lambda p: inputs.place_minutes.get(p, float("inf"))).astype(float)
    distance = mine["form"].eq("distance")
    keep = distance | (minutes <= c.limit)
    return mine.assign(minutes=minutes.where(~distance))[keep].sort_values(["form", "minutes", "title"],
                                                                           key=lambda s: s.eq("distance") if s.name == "form" else s)


def supply_section(inputs: Inputs, lang: str) -> Section:
    found = supply_rows(inputs)
    rows = []
    for r in found.itertuples(index=False):
        when = r.intake_years.replace(";", ", ") if r.intake_years else (
            pd.Timestamp(r.start).date().isoformat() if pd.notna(r.start) else NONE)
        place = inputs.names["place"].get(r.place_id, r.place_id) if r.place_id else NONE
        rows.append((str(r.title), str(r.provider), place, minutes_text(r.minutes, lang), t(lang, f"form.{r.form}"),
                     formatting.integer(int(r.seats), lang), when, str(r.source), str(r.round_label) or NONE))
    near = int(found.loc[found["form"].ne("distance"), "seats"].sum())
    far = int(found.loc[found["form"].eq("distance"), "seats"].sum())
    c = inputs.choice
    notes = [t(lang, "evidence.supply_total", near=formatting.integer(near, lang), far=formatting.integer(far, lang), limit=c.limit),
             t(lang, "evidence.supply_note", years=SUPPLY_YEARS)]
    if not rows:
        notes.insert(0, t(lang, "evidence.supply_none", limit=c.limit))
    header = tuple(t(lang, f"evidence.col_{k}") for k in
                   ("title", "provider", "place", "minutes", "form", "seats", "intakes", "source", "date"))
    return Section("supply", t(lang, "evidence.supply_title"), header, tuple(rows), tuple(notes))


def cohorts_section(inputs: Inputs, lang: str) -> Section:
    c = inputs.choice
    header = tuple(t(lang, f"evidence.col_{k}") for k in
                   ("cohort", "municipalities", "persons", "needs", "window", "longest", "source", "date"))
    if inputs.cohorts is None:
        return Section("cohorts", t(lang, "evidence.cohorts_title"), header, (), (t(lang, "evidence.cohorts_protected"),))
    rows = []
    source = t(lang, "evidence.src_cohorts", date=inputs.generated.isoformat())
    for i, cohort in enumerate(inputs.cohorts, start=1):
        places = ", ".join(inputs.names["municipality"].get(m, m) for m in cohort.municipalities)
        longest = max((m.minutes_pt for m in cohort.members), default=0.0)
        rows.append((str(i), places, formatting.integer(cohort.total, lang), formatting.integer(len(cohort.members), lang),
                     t(lang, f"horizon.{cohort.window}"), minutes_text(longest, lang), source, inputs.generated.isoformat()))
    notes = [t(lang, "evidence.cohorts_note", limit=c.limit)] + ([] if rows else [t(lang, "evidence.cohorts_none")])
    return Section("cohorts", t(lang, "evidence.cohorts_title"), header, tuple(rows), tuple(notes))


def sources(inputs: Inputs, lang: str) -> tuple[str, ...]:
    out = [t(lang, "evidence.source_travel")]
    if not inputs.choice.protected and inputs.rows is not None:
        first, last = inputs.period
        out.append(t(lang, "evidence.source_register", first=first.isoformat(), last=last.isoformat(),
                     date=inputs.generated.isoformat()))
    if inputs.release is not None:
        source, date = _release_source(inputs.release, lang)
        out.append(t(lang, "evidence.source_release", source=source, date=date, year=release_year(inputs.release) or NONE))
    out.append(t(lang, "evidence.source_barometer", round=inputs.barometer_round, date=inputs.barometer_date))
    out.append(t(lang, "evidence.source_supply"))
    return tuple(out)


def assemble(inputs: Inputs, lang: str) -> Evidence:
    c = inputs.choice
    competence = inputs.names["competence"].get(c.competence, c.competence)
    place = inputs.names["place"].get(c.place_id, c.place_id)
    start = f"{c.start:%Y-%m}"
    facts = (
        (t(lang, "evidence.fact_competence"), competence),
        (t(lang, "evidence.fact_place"), place),
        (t(lang, "evidence.fact_start"), start),
        (t(lang, "evidence.fact_reach"), t(lang, "evidence.reach_value", limit=c.limit)),
        (t(lang, "evidence.fact_version"), t(lang, "evidence.version_protected" if c.protected else "evidence.version_exact")),
        (t(lang, "evidence.fact_made"), inputs.generated.isoformat()),
    )
    demo = t(lang, "evidence.demo", seed=inputs.meta.get("seed", "?")) if holds_example_data(inputs.meta) else ""
    sections = (needs_section(inputs, lang), outlook_section(inputs, lang), supply_section(inputs, lang), cohorts_section(inputs, lang))
    title = t(lang, "evidence.doc_title", competence=competence, place=place, start=start)
    internal = "" if c.protected else t(lang, "evidence.internal")
    return Evidence(lang, f"{internal}: {title}" if internal else title, facts, demo, sections, sources(inputs, lang),
                    inputs.generated, internal)


def absorbed(needs: pd.DataFrame, choice: Choice, minutes_to: Mapping[str, float], sizes: tuple[int, int],
             offers: pd.DataFrame, window: str) -> tuple[finder.Cohort, ...]:
    """The cohort finder (``core.cohorts.finder``) with the study place as the only host: pooled groups of needs of the
    competence, each too small in its own municipality, that reach the study place within the limit by public
    transport (modelled) and start in the start's horizon window. Needs an existing offer at the study place (or by
    distance) can take are routed there first and are not counted. ``needs``: the register's rows (``id``,
    ``municipality_code``, ``competence``, ``persons``, ``horizon``, ``form``), those still waiting for training."""
    codes = [c for c in sorted(minutes_to) if minutes_to[c] == minutes_to[c]]
    mine = needs[(needs["competence"].astype(str) == choice.competence) & needs["form"].ne("distance")
                 & needs["municipality_code"].astype(str).isin(codes)]
    plain = pd.DataFrame({"need_id": mine["id"].astype(int), "municipality_code": mine["municipality_code"].astype(str),
                          "competence": mine["competence"].astype(str), "persons": mine["persons"].astype(int),
                          "horizon": mine["horizon"].astype(str), "form": mine["form"].astype(str)}).reset_index(drop=True)
    if plain.empty:
        return ()
    pt = pd.DataFrame({choice.place_id: [minutes_to[c] for c in codes]}, index=codes)
    there = offers[(offers["competence"] == choice.competence) & (offers["host"] == choice.place_id)] if len(offers) else offers
    instance = finder.Instance(plain, pt, pt, {choice.competence: sizes}, there)
    settings = finder.Settings(car_minutes=-1, pt_minutes=choice.limit, method="milp", time_limit=10.0)
    plan = finder.plan(instance, settings)
    return tuple(c for c in plan.cohorts if c.host == choice.place_id and c.window == window)
