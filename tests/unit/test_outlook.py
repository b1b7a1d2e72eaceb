"""Arbetsförmedlingen's Yrkesbarometer beside the brokers' needs (issue 20): the data with its source, the
catalogue's links to its occupations, and the signal per competence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.analysis import outlook
from core.common.i18n import t
from data import reference

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference" / "yrkesbarometer_2025_2.csv"


def test_the_barometer_holds_county_14_and_sweden_with_its_source():
    barometer = reference.yrkesbarometer()
    assert barometer["lan"].value_counts().to_dict() == {"14": 219, "00": 219}
    assert barometer.groupby("lan")["yb_concept_id"].nunique().to_dict() == {"14": 219, "00": 219}
    assert barometer["source"].str.contains("Arbetsförmedlingen, Yrkesbarometer round 2025-2").all()
    county = barometer[barometer["lan"] == "14"]
    assert set(county["rekryteringssituation"]) <= {*outlook.SITUATIONS, ""}
    assert county["rekryteringssituation"].value_counts().to_dict() == {"balans": 71, "": 60, "brist": 34, "överskott": 31,
                                                                       "paradox": 23}


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/reference is not beside this checkout")
def test_the_barometer_equals_the_shared_reference_file():
    shared = pd.read_csv(SHARED, dtype=str, keep_default_na=False)
    ours = reference.yrkesbarometer().drop(columns="source")
    assert ours.reset_index(drop=True).equals(shared[shared["lan"].isin(["14", "00"])].reset_index(drop=True))


def test_every_competence_is_linked_or_says_why_not():
    links = reference.competence_occupations()
    barometer = reference.yrkesbarometer()
    names = dict(zip(barometer["yb_concept_id"], barometer["yb_yrke"]))
    assert set(links["competence"]) == set(reference.competences()["code"])
    assert links["reason"].str.len().gt(10).all(), "every link and every missing link has a reason"
    linked = links[links["yb_concept_id"] != ""]
    assert linked["yb_concept_id"].isin(set(names)).all()
    assert (linked["occupation"] == linked["yb_concept_id"].map(names)).all(), "the occupation's name as the barometer spells it"
    assert not linked.duplicated(["competence", "yb_concept_id"]).any()
    unlinked = links[links["yb_concept_id"] == ""]
    assert set(unlinked["competence"]) == {"digital_skills", "leadership", "project_management", "swedish_workplace",
                                           "aquaculture", "work_safety"}
    assert not (set(unlinked["competence"]) & set(linked["competence"])), "a competence is linked, or says why not"
    assert linked.groupby("yb_concept_id")["competence"].nunique().max() > 1, "an occupation may serve several competences"


def barometer(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"lan": "14", "yb_concept_id": i, "rekryteringssituation": s, "prognos": p, "omgang": "2025-2"}
                         for i, s, p in rows])


LINKS = pd.DataFrame({"competence": ["a", "a", "a", "b", "c", "d"], "yb_concept_id": ["x", "y", "z", "z", "", "w"],
                      "occupation": "", "reason": "r"})


@pytest.mark.parametrize(("rows", "competence", "expected"), [
    # the most pressing situation, and how many of the assessed share it; the most common outlook
    ((("x", "balans", "öka"), ("y", "brist", "öka"), ("z", "", "")), "a", ("brist", 1, "öka", 2, 2, 3)),
    ((("x", "paradox", "vara oförändrad"), ("y", "paradox", "öka"), ("z", "överskott", "öka")), "a",
     ("paradox", 2, "öka", 2, 3, 3)),
    ((("z", "", ""),), "b", ("", 0, "", 0, 0, 1)),  # linked, not assessed
    ((("x", "brist", "öka"),), "c", ("", 0, "", 0, 0, 0)),  # transversal: no occupation
    ((("x", "brist", "öka"),), "d", ("", 0, "", 0, 0, 1)),  # an occupation the round does not hold
])
def test_one_signal_per_competence(rows, competence, expected):
    found = outlook.signals(LINKS, barometer(*rows))[competence]
    assert (found.situation, found.situation_count, found.prognosis, found.prognosis_count, found.assessed,
            found.occupations) == expected


def test_the_marker_says_it_in_few_words_in_both_languages():
    found = outlook.signals(LINKS, barometer(("x", "balans", "öka"), ("y", "brist", "öka"), ("z", "", "")))
    assert outlook.marker(found["a"], lambda k, **v: t("sv", k, **v)) == ("Brist (1 av 2)", "Öka (2 av 2)")
    assert outlook.marker(found["a"], lambda k, **v: t("en", k, **v)) == ("Shortage (1 of 2)", "Increase (2 of 2)")
    assert outlook.marker(found["b"], lambda k, **v: t("sv", k, **v)) == ("Ej bedömt", "Ej bedömt")
    assert outlook.marker(found["c"], lambda k, **v: t("en", k, **v)) == ("Transversal", "Transversal")


def test_coverage_of_the_catalogue():
    covered = outlook.coverage(reference.competence_occupations(), reference.yrkesbarometer(),
                               list(reference.competences()["code"]))
    assert covered == {"competences": 50, "linked": 44, "unlinked": 6, "assessed": 42, "occupations": 63,
                       "barometer_occupations": 219, "barometer_assessed": 159}


def test_shortages_with_few_recorded_needs_are_asked_about_and_protected_figures_left_out():
    sig = {
        "a": outlook.Signal(2, 2, "brist", 1, "öka", 2),
        "b": outlook.Signal(1, 1, "paradox", 1, "öka", 1),
        "c": outlook.Signal(1, 1, "brist", 1, "öka", 1),
        "d": outlook.Signal(1, 1, "balans", 1, "öka", 1),
        "e": outlook.Signal(1, 1, "brist", 1, "öka", 1),
        "f": outlook.Signal(0, 0, "", 0, "", 0),
    }
    persons = pd.Series({"a": 3.0, "b": 0.0, "c": float("nan"), "d": 1.0, "e": 6.0, "f": 0.0})
    found = outlook.unseen_shortages(persons, sig, ["a", "b", "c", "d", "e", "f", "g"])
    assert [(d.competence, d.persons) for d in found] == [("a", 3), ("b", 0)], \
        "shortage before paradox; a protected figure (c), balance (d), more than five (e), transversal (f) left out"


def test_many_needs_where_the_county_has_a_surplus_and_no_shortage():
    sig = {
        "big": outlook.Signal(2, 2, "balans", 1, "öka", 2, surplus=1),
        "short": outlook.Signal(2, 2, "brist", 1, "öka", 2, surplus=1),
        "none": outlook.Signal(1, 1, "balans", 1, "öka", 1),
        "small": outlook.Signal(1, 1, "överskott", 1, "öka", 1, surplus=1),
    }
    persons = pd.Series({"big": 40.0, "short": 50.0, "none": 60.0, "small": 9.0, "hidden": float("nan")})
    assert [(d.competence, d.persons) for d in outlook.local_niches(persons, sig)] == [("big", 40)]


def test_signals_count_the_occupations_in_surplus():
    found = outlook.signals(reference.competence_occupations(), reference.yrkesbarometer())
    assert found["forklift"].surplus == found["forklift"].assessed == 2  # Truckkort: both occupations in surplus
    assert found["welding"].surplus == 0
