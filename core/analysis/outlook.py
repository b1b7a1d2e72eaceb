"""Arbetsförmedlingen's picture beside the brokers' own: the Yrkesbarometer's assessments of the occupations a
competence is linked to, summed up in one compact signal per competence.

Pure: takes the barometer's rows and the catalogue's links (``data.reference``) as frames. County level only:
every Fyrbodal municipality shares county 14's assessment.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SITUATIONS = ("brist", "paradox", "balans", "överskott")  # the recruitment situation, most pressing first
PROGNOSES = ("öka", "vara oförändrad", "minska")  # demand in five years
COUNTY = "14"


@dataclass(frozen=True)
class Signal:
    """What the barometer says of one competence's occupations in one area."""

    occupations: int  # linked occupations (0: a transversal competence, no occupation fits)
    assessed: int  # of which the barometer assessed
    situation: str  # the most pressing recruitment situation among them ("" if none assessed)
    situation_count: int  # how many of the assessed share it
    prognosis: str  # the most common five-year outlook among them ("" if none assessed)
    prognosis_count: int
    round: str = ""
    surplus: int = 0  # of the assessed, how many are in surplus (överskott)

    @property
    def linked(self) -> bool:
        return self.occupations > 0


def signals(links: pd.DataFrame, barometer: pd.DataFrame, area: str = COUNTY) -> dict[str, Signal]:
    """{competence: Signal} for every competence in ``links``."""
    rows = barometer[barometer["lan"] == area].set_index("yb_concept_id")
    out = {}
    for competence, group in links.groupby("competence", sort=False):
        ids = [i for i in group["yb_concept_id"] if i]
        found = rows.loc[[i for i in ids if i in rows.index]]
        assessed = found[found["rekryteringssituation"].isin(SITUATIONS)]
        situation = next((s for s in SITUATIONS if (assessed["rekryteringssituation"] == s).any()), "")
        counts = assessed["prognos"].value_counts()
        prognosis = max((p for p in PROGNOSES if p in counts), key=lambda p: (counts[p], -PROGNOSES.index(p)), default="")
        out[competence] = Signal(len(ids), len(assessed), situation, int((assessed["rekryteringssituation"] == situation).sum())
                                 if situation else 0, prognosis, int(counts.get(prognosis, 0)) if prognosis else 0,
                                 str(found["omgang"].iloc[0]) if len(found) else "",
                                 int((assessed["rekryteringssituation"] == "överskott").sum()))
    return out


def occupations_of(competence: str, links: pd.DataFrame, barometer: pd.DataFrame, area: str = COUNTY) -> pd.DataFrame:
    """The competence's linked occupations with their assessment in ``area`` (and the link's reason)."""
    linked = links[(links["competence"] == competence) & (links["yb_concept_id"] != "")]
    rows = barometer[barometer["lan"] == area]
    return linked.merge(rows, on="yb_concept_id", how="left")[
        ["yb_concept_id", "occupation", "ssyk", "rekryteringssituation", "prognos", "jobbmojligheter", "reason"]]


def coverage(links: pd.DataFrame, barometer: pd.DataFrame, competences: list[str], area: str = COUNTY) -> dict[str, int]:
    """How the catalogue meets the barometer: competences linked, transversal, with an assessed occupation."""
    found = signals(links, barometer, area)
    linked = [c for c in competences if c in found and found[c].linked]
    return {"competences": len(competences), "linked": len(linked), "unlinked": len(competences) - len(linked),
            "assessed": sum(found[c].assessed > 0 for c in linked),
            "occupations": int(links.loc[links["yb_concept_id"] != "", "yb_concept_id"].nunique()),
            "barometer_occupations": int((barometer["lan"] == area).sum()),
            "barometer_assessed": int(((barometer["lan"] == area) & barometer["rekryteringssituation"].isin(SITUATIONS)).sum())}


_SITUATION_KEYS = {"brist": "shortage", "paradox": "paradox", "balans": "balance", "överskott": "surplus"}
_PROGNOSIS_KEYS = {"öka": "increase", "vara oförändrad": "unchanged", "minska": "decrease"}


def situation_key(value: str) -> str:
    """The catalogue key (``outlook.<key>``) of a recruitment situation as the barometer spells it."""
    return _SITUATION_KEYS.get(value, "unassessed")


def prognosis_key(value: str) -> str:
    return _PROGNOSIS_KEYS.get(value, "unassessed")


_JOBS_KEYS = {"små": "jobs_small", "medelstora": "jobs_medium", "stora": "jobs_large"}


def jobs_key(value: str) -> str:
    """Job opportunities for job seekers (``jobbmojligheter``)."""
    return _JOBS_KEYS.get(value, "unassessed")


def marker(signal: Signal | None, t) -> tuple[str, str]:
    """Two short texts for a table cell: the recruitment situation and the five-year outlook, each with how many of
    the assessed occupations share it (``t(key, **values)`` gives the catalogue's words)."""
    if signal is None or not signal.linked:
        return t("outlook.transversal"), t("outlook.transversal")
    if not signal.assessed:
        return t("outlook.unassessed"), t("outlook.unassessed")
    return (t("outlook.marker", word=t(f"outlook.{situation_key(signal.situation)}"), n=signal.situation_count, of=signal.assessed),
            t("outlook.marker", word=t(f"outlook.{prognosis_key(signal.prognosis)}"), n=signal.prognosis_count, of=signal.assessed))


FEW_PERSONS = 5  # "no or few recorded needs": at most this many persons in the area
MANY_TOP = 10  # "many recorded needs": among the area's ten largest competences ...
MANY_MIN = 10  # ... with at least this many persons


@dataclass(frozen=True)
class Disagreement:
    competence: str
    persons: int  # recorded in the area (a published figure on public pages)
    signal: Signal


def unseen_shortages(persons: pd.Series, found: dict[str, Signal], competences: list[str]) -> list[Disagreement]:
    """Competences whose occupations the county reports in shortage (brist) or paradox while the area has recorded
    no or few needs (at most ``FEW_PERSONS``). ``persons`` by competence; NaN (a protected figure) is left out, so a
    public list says nothing a protected figure hides. Shortage first, then the fewest recorded."""
    out = []
    for code in competences:
        signal, value = found.get(code), persons.get(code, 0)
        if signal is None or signal.situation not in ("brist", "paradox") or pd.isna(value) or value > FEW_PERSONS:
            continue
        out.append(Disagreement(code, int(value), signal))
    return sorted(out, key=lambda d: (SITUATIONS.index(d.signal.situation), d.persons, -d.signal.situation_count, d.competence))


def local_niches(persons: pd.Series, found: dict[str, Signal]) -> list[Disagreement]:
    """Competences among the area's largest (``MANY_TOP``, at least ``MANY_MIN`` persons) where the county reports
    at least one of their occupations in surplus (överskott) and none in shortage (brist): a local niche, or a
    matching problem. Largest first."""
    largest = persons.dropna()
    largest = largest[largest >= MANY_MIN].sort_values(ascending=False).head(MANY_TOP)
    return [Disagreement(code, int(value), found[code]) for code, value in largest.items()
            if code in found and found[code].surplus and found[code].situation != "brist"]
