"""The public release: the right cells, adding up, with every small one hidden."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.disclosure import release
from core.disclosure.protection import is_sensitive
from data import reference
from services.register.store import Register

FYRBODAL = reference.fyrbodal_codes()


@pytest.fixture(scope="module")
def needs(demo_url) -> pd.DataFrame:
    frame = Register(demo_url).needs_frame()
    planted = frame.iloc[[0]].assign(id=10**6, company_id=10**6, municipality_code="1427", competence="boatbuilding",
                                     persons=7, collected_on=pd.Timestamp(dt.date(2025, 5, 5)))
    return pd.concat([frame, planted], ignore_index=True)


@pytest.fixture(scope="module")
def published(needs) -> release.Release:
    return release.build(needs, FYRBODAL)


def test_every_relation_holds_on_the_true_values(needs):
    cells, relations = release.tables(needs, FYRBODAL)
    value = {c.key: c.value for c in cells}
    assert len(relations) > 400
    for total, members in relations:
        assert value[total] == pytest.approx(sum(value[m] for m in members)), total


def test_the_cells_are_what_the_register_says(needs, published):
    year = needs[needs["collected_on"].dt.year == 2025]
    tanum = year[year["municipality_code"] == "1435"]
    cells = {c.key: c for c in release.tables(needs, FYRBODAL)[0]}
    assert cells[release.key(2025, "persons", "total", "1435")].value == tanum["persons"].sum()
    assert cells[release.key(2025, "companies", "total", "1435")].value == tanum["company_id"].nunique()
    assert cells[release.key(2025, "needs", "total", "region")].value == len(year[year["municipality_code"].isin(FYRBODAL)])
    q2 = tanum[tanum["collected_on"].dt.quarter == 2]
    assert cells[release.key(2025, "persons", "quarter", "1435", "Q2")].value == q2["persons"].sum()


def test_no_shown_figure_is_sensitive_and_the_planted_need_is_hidden(needs, published):
    raw = {c.key: c for c in release.tables(needs, FYRBODAL)[0]}
    for k, c in published.cells.items():
        if is_sensitive(raw[k].companies, raw[k].value, raw[k].top):
            assert c.suppressed, k
    assert published.value(2025, "persons", "competence", "1427", "boatbuilding") is None


def test_the_headline_figures_of_fyrbodal_stay_visible(published):
    for year in published.years:
        assert published.value(year, "persons", "total", release.REGION) is not None, year


def test_lookups_outside_the_release(published):
    assert published.value(1999, "persons", "total", release.REGION) is None, "a year the register does not cover"
    assert published.value(2025, "persons", "competence", "1427", "no_such_competence") == 0.0
    view = release.PublicView(2025, ("1427",), "competence", "boatbuilding")
    assert published.persons(view) is None and view.where == "1427"
    assert release.PublicView(2025, tuple(FYRBODAL)).where == release.REGION


def test_breakdown_ranks_only_shown_cells(published):
    frame = published.breakdown(2025, "competence", "1488")  # Sotenäs: every figure hidden (zeros beside hidden ones too)
    hidden = frame["persons"].isna().to_numpy()
    assert hidden.any() and not hidden.all()
    assert list(frame["persons"][~hidden]) == sorted(frame["persons"][~hidden], reverse=True)
    first_hidden = int(hidden.argmax())
    assert hidden[first_hidden:].all(), "hidden cells after every shown one"
    assert list(frame["value"][hidden]) == sorted(frame["value"][hidden]), "and in name order, which says nothing of their size"


def test_a_breakdown_is_shared_but_a_callers_change_stays_its_own(published):
    first = published.breakdown(2025, "industry_group", release.REGION)
    expected = first.copy(deep=True)
    first.loc[0, "persons"] = -1.0
    first["value"] = "changed"
    again = published.breakdown(2025, "industry_group", release.REGION)
    pd.testing.assert_frame_equal(again, expected)
    shown = again.dropna()
    ties = shown[shown.duplicated("persons", keep=False)]
    for _, group in ties.groupby("persons"):
        assert list(group["value"]) == sorted(group["value"]), "equal figures in name order"
