"""Headline figures and groupings on small frames whose answers are known."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.analysis import overview as analysis


def frame(rows):
    cols = ["id", "company_id", "competence", "industry_group", "need_type", "persons", "collected_on"]
    out = pd.DataFrame(rows, columns=cols)
    out["collected_on"] = pd.to_datetime(out["collected_on"])
    return out


NEEDS = frame(
    [
        (1, 10, "welding", "manufacturing", "recruitment", 3, "2024-01-15"),
        (2, 10, "welding", "manufacturing", "upskilling", 5, "2024-02-01"),
        (3, 11, "cnc", "manufacturing", "recruitment", 2, "2024-07-01"),
        (4, 12, "assistant_nurse", "health_care", "upskilling", 10, "2024-08-30"),
    ]
)


def test_kpis():
    k = analysis.kpis(NEEDS)
    assert (k.needs, k.persons, k.companies) == (4, 20, 3)
    assert k.upskilling_share == 15 / 20
    assert (k.oldest, k.newest) == (dt.date(2024, 1, 15), dt.date(2024, 8, 30))


def test_kpis_of_nothing():
    k = analysis.kpis(NEEDS.iloc[0:0])
    assert (k.needs, k.persons, k.companies, k.upskilling_share, k.newest) == (0, 0, 0, None, None)


def test_persons_by_orders_largest_first_and_keeps_totals():
    by = analysis.persons_by(NEEDS, "competence")
    assert list(dict.fromkeys(by["competence"].astype(str))) == ["assistant_nurse", "welding", "cnc"]
    assert by["persons"].sum() == 20
    top = analysis.persons_by(NEEDS, "competence", top=1)
    assert set(top["competence"].astype(str)) == {"assistant_nurse"}


def test_persons_over_time_fills_empty_quarters_with_zero():
    over = analysis.persons_over_time(NEEDS)
    assert list(dict.fromkeys(over["quarter"])) == ["2024Q1", "2024Q2", "2024Q3"]
    q2 = over[over["quarter"] == "2024Q2"]
    assert q2["persons"].sum() == 0
    assert over["persons"].sum() == 20
