"""The demo register: deterministic, plausible, plainly fictional."""

from __future__ import annotations

import pandas as pd
import pytest

from data import demo, reference


@pytest.fixture(scope="module")
def fyrbodal():
    return demo.generate("fyrbodal")


def test_same_seed_same_register(fyrbodal):
    demo._generated.cache_clear()  # generated anew, not the process's copy
    again = demo.generate("fyrbodal")
    pd.testing.assert_frame_equal(fyrbodal.needs, again.needs)
    pd.testing.assert_frame_equal(fyrbodal.companies, again.companies)


def test_other_seed_other_register(fyrbodal):
    other = demo.generate("fyrbodal", seed=7)
    assert not fyrbodal.needs["competence"].equals(other.needs["competence"])


def test_size_and_span(fyrbodal):
    assert len(fyrbodal.companies) == 250
    assert 650 <= len(fyrbodal.needs) <= 950
    dates = pd.to_datetime(pd.Series(fyrbodal.needs["collected_on"]))
    assert dates.min() >= pd.Timestamp(demo.PERIOD_START) and dates.max() <= pd.Timestamp(demo.PERIOD_END)
    assert (dates.max() - dates.min()).days > 3 * 365 - 60


def test_every_municipality_has_companies_and_both_need_types(fyrbodal):
    assert set(fyrbodal.companies["municipality_code"]) == set(reference.fyrbodal_codes())
    assert set(fyrbodal.needs["need_type"]) == {"recruitment", "upskilling"}


def test_names_are_plainly_fictional_and_unique(fyrbodal):
    names = fyrbodal.companies["name"]
    assert names.str.startswith("Exempel ").all()
    assert names.is_unique


@pytest.mark.parametrize(
    ("code", "group"),
    [("1427", "marine_food"), ("1484", "process_industry"), ("1488", "manufacturing"), ("1421", "boatbuilding"),
     ("1486", "retail"), ("1460", "forestry_wood")],
)
def test_industry_structure_is_plausible(fyrbodal, code, group):
    """The municipality's signature industry is among its two largest by companies."""
    companies = fyrbodal.companies[fyrbodal.companies["municipality_code"] == code]
    assert group in companies["industry_group"].value_counts().index[:2]


def test_needs_match_their_company(fyrbodal):
    merged = fyrbodal.needs.merge(fyrbodal.companies, left_on="company_id", right_on="id", suffixes=("", "_c"))
    assert len(merged) == len(fyrbodal.needs)
    assert (merged["municipality_code"] == merged["municipality_code_c"]).all()
    assert (merged["industry_group"] == merged["industry_group_c"]).all()


def test_meta_says_it_is_demo(fyrbodal):
    assert fyrbodal.meta["dataset"] == "demo"
    assert fyrbodal.meta["seed"] == str(demo.DEFAULT_SEED)


def test_national_variant_covers_290_municipalities_with_100k_needs():
    national = demo.generate("national")
    assert national.needs["municipality_code"].nunique() == 290
    assert len(national.needs) >= 100_000


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="unknown scale"):
        demo.generate("county")


def test_each_caller_gets_a_copy_of_its_own(fyrbodal):
    """The generation is kept per process: a caller that changes its frames changes nobody else's."""
    mine = demo.generate("fyrbodal")
    mine.needs.loc[:, "persons"] = 0
    mine.companies.loc[:, "name"] = "x"
    mine.meta["seed"] = "0"
    again = demo.generate("fyrbodal")
    assert again.needs["persons"].gt(0).all() and "x" not in set(again.companies["name"]) and again.meta["seed"] != "0"
