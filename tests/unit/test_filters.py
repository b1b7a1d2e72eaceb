"""The selection and its URL form."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis import overview as analysis
from core.analysis.filters import ALL, FYRBODAL, Choices, Filters, apply, area_codes, choices_for
from data import reference
from data.demo import generate
from geo import boundaries


@pytest.fixture(scope="module")
def needs():
    generated = generate()
    frame = generated.needs.merge(generated.companies[["id", "sni_code"]], left_on="company_id", right_on="id", suffixes=("", "_c"))
    frame["collected_on"] = pd.to_datetime(frame["collected_on"])
    return analysis.prepare(frame, reference.sni_section_of)


@pytest.fixture(scope="module")
def munis():
    return pd.DataFrame(boundaries.municipalities().drop(columns="geometry"))


@pytest.fixture(scope="module")
def choices(needs, munis):
    industries = ["ig:" + c for c in reference.industry_groups()["code"]] + ["sni:" + s for s in reference.sni_sections()["section"]]
    return choices_for(needs, munis, industries, reference.fyrbodal_codes(), scope=None)


def test_choices_for_the_fyrbodal_register(choices):
    assert choices.areas[0] == FYRBODAL and ALL not in choices.areas
    assert {"fa:15", "fa:16", "fa:27", "fa:28", "m:1427"} <= set(choices.areas)
    assert choices.months[0] == "2023-10" and choices.months[-1] == "2026-09"


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(area="m:1427"),
        Filters(area="fa:28", industry="ig:retail", need_types=("upskilling",)),
        Filters(industry="sni:C", competences=("welding", "cnc"), horizons=("0-6", "12-36")),
        Filters(period=("2024-03", "2025-11")),
    ],
)
def test_url_round_trip(filters, choices):
    assert Filters.from_query(filters.to_query(), choices) == filters


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"area": "m:0180"}, [("area", "m:0180")]),
        ({"competence": "welding,juggling"}, [("competence", "juggling")]),
        ({"type": "<script>"}, [("type", "<script>")]),
        ({"from": "1999-01"}, [("from", "1999-01")]),
    ],
)
def test_unknown_url_values_are_dropped_and_reported(params, ignored, choices):
    parsed = Filters.from_query(params, choices)
    assert list(parsed.ignored) == ignored
    assert "<script>" not in parsed.to_query().values()


def test_reversed_period_is_put_in_order(choices):
    assert Filters.from_query({"from": "2025-06", "to": "2024-02"}, choices).period == ("2024-02", "2025-06")


@pytest.mark.parametrize(
    ("area", "expected"),
    [("m:1427", {"1427"}), ("fa:27", {"1492", "1780"}), ("fa:15", {"1421", "1480"}), ("fyrbodal", {"1421", "1492"})],
)
def test_area_codes(area, expected, munis):
    """An FA region spans municipalities outside Fyrbodal too (Åmål with Karlstad, Orust with Göteborg)."""
    assert expected <= set(area_codes(area, munis, reference.fyrbodal_codes()))


def test_whole_register_has_no_code_list(munis):
    assert area_codes(ALL, munis, reference.fyrbodal_codes()) is None


def test_apply_matches_a_plain_pandas_query(needs, munis):
    f = Filters(area="fa:16", industry="sni:C", need_types=("recruitment",), period=("2024-01", "2024-12"))
    codes = area_codes(f.area, munis, reference.fyrbodal_codes())
    got = apply(needs, f, codes)
    expected = needs[
        needs["municipality_code"].isin(codes)
        & (needs["sni_section"] == "C")
        & (needs["need_type"] == "recruitment")
        & (needs["collected_on"].dt.year == 2024)
    ]
    assert got["id"].tolist() == expected["id"].tolist()
    assert 0 < len(got) < len(needs)


def test_each_filter_narrows_the_selection(needs, munis):
    everything = apply(needs, Filters(), reference.fyrbodal_codes())
    for f in (Filters(area="m:1488"), Filters(industry="ig:health_care"), Filters(competences=("welding",)), Filters(horizons=("0-6",))):
        narrowed = apply(needs, f, area_codes(f.area, munis, reference.fyrbodal_codes()))
        assert 0 < len(narrowed) < len(everything), f


def test_empty_choices_parse_to_defaults():
    empty = Choices(areas=(FYRBODAL,), industries=(), competences=(), months=())
    assert Filters.from_query({"area": "m:1427", "from": "2024-01"}, empty).period is None


def test_a_selection_of_everything_is_still_the_callers_own():
    needs = pd.DataFrame({"municipality_code": ["1427", "1435"], "persons": [1, 2]})
    everything = apply(needs, Filters(area=ALL), None)
    everything.loc[0, "persons"] = 99
    everything["extra"] = 1
    assert needs["persons"].tolist() == [1, 2] and "extra" not in needs.columns
