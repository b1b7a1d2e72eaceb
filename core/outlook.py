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
                                 str(found["omgang"].iloc[0]) if len(found) else "")
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
