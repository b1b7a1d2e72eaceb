"""Per-municipality figures, class breaks and legends for the needs map (core.analysis.municipal, core.analysis.classes)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.analysis import municipal
from core.analysis.classes import FIXED, NO_DATA, ZERO, classify, legend_entries


def needs(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """(municipality, company, need type, persons) rows as a needs frame."""
    return pd.DataFrame(rows, columns=["municipality_code", "company_id", "need_type", "persons"])


FRAME = needs([
    ("1427", "a", "upskilling", 3), ("1427", "a", "recruitment", 1), ("1427", "b", "upskilling", 4),
    ("1488", "c", "recruitment", 10),
])


def test_table_counts_and_rates():
    table = municipal.table(FRAME, ["1427", "1488", "1430"], {"1427": 9052, "1488": 59000})
    assert table.loc["1427", ["persons", "needs", "companies", "upskilling"]].tolist() == [8, 3, 2, 7]
    assert table.loc["1427", "per_1000"] == pytest.approx(8 / 9052 * 1000)
    assert table.loc["1427", "upskilling_share"] == pytest.approx(7 / 8)
    assert table.loc["1488", "upskilling_share"] == 0
    # a municipality with no needs is zero, but its share is undefined and it has no population here
    assert table.loc["1430", "persons"] == 0
    assert math.isnan(table.loc["1430", "upskilling_share"])
    assert math.isnan(table.loc["1430", "per_1000"])
    assert table["change"].isna().all(), "no previous period, no change"


def test_change_against_previous_period():
    previous = needs([("1427", "a", "upskilling", 4), ("1430", "z", "upskilling", 2)])
    table = municipal.table(FRAME, ["1427", "1488", "1430"], {}, previous)
    assert table.loc["1427", "change"] == pytest.approx(1.0)  # 4 -> 8
    assert math.isnan(table.loc["1488", "change"]), "0 before: no ratio"
    assert table.loc["1430", "change"] == pytest.approx(-1.0)  # 2 -> 0


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        (("2024-10", "2025-09"), ("2023-10", "2026-09"), ("2023-10", "2024-09")),
        (("2026-07", "2026-09"), ("2023-10", "2026-09"), ("2025-07", "2025-09")),  # the same months, not the quarter before
        (("2026-01", "2026-12"), ("2023-10", "2026-09"), ("2025-01", "2025-09")),  # the open year to date, like with like
        (("2023-10", "2026-09"), ("2023-10", "2026-09"), None),  # before the register starts
        (("2024-01", "2024-06"), ("2023-10", "2026-09"), None),  # only partly covered
        (("2026-10", "2026-12"), ("2023-10", "2026-09"), None),  # no data yet: nothing to compare
    ],
)
def test_previous_period(period, months, expected):
    first, last = months
    all_months = tuple(str(p) for p in pd.period_range(first, last, freq="M"))
    assert municipal.previous_period(period, all_months) == expected


def test_area_summary_means_counts_and_pools_rates():
    table = municipal.table(FRAME, ["1427", "1488"], {"1427": 1000, "1488": 3000})
    summary = municipal.area_summary(table, {"1427": 1000, "1488": 3000})
    assert summary["persons"] == 9  # (8 + 10) / 2
    assert summary["per_1000"] == pytest.approx(18 / 4000 * 1000)
    assert summary["upskilling_share"] == pytest.approx(7 / 18)
    no_pop = municipal.area_summary(table, {"1427": 1000})
    assert math.isnan(no_pop["per_1000"]), "a rate over a partly known population would mislead"


def test_similar_prefers_same_size_and_mix():
    mix = pd.DataFrame(
        {"fish": [8, 7, 0, 8], "manufacturing": [2, 3, 10, 2]}, index=["A", "B", "C", "D"],
    )
    size = {"A": 10_000, "B": 11_000, "C": 10_000, "D": 100_000}
    # B: mix differs by 0.1, size by log10(1.1); C: same size, mix differs by 0.8; D: same mix, 10x the size
    assert municipal.similar("A", list(mix.index), mix, size, n=3) == ["B", "C", "D"]
    assert municipal.similar("A", ["A"], mix, size) == []
    assert municipal.similar("X", list(mix.index), mix, size) == []


def test_sizes_fall_back_to_company_counts_for_all_alike():
    mix = pd.DataFrame({"g": [5, 50]}, index=["A", "B"])
    assert municipal.sizes(["A", "B"], {"A": 10, "B": 20}, mix) == {"A": 10.0, "B": 20.0}
    assert municipal.sizes(["A", "B"], {"A": 10}, mix) == {"A": 5.0, "B": 50.0}


@pytest.mark.parametrize("method", ["jenks", "quantiles"])
def test_classes_keep_zero_and_no_data_apart(method):
    values = pd.Series([0, 3, 5, 8, 40, 41, 90, np.nan], index=list("abcdefgh"), dtype="float64")
    cls, classes = classify(values, "persons", method)
    assert cls["a"] == ZERO and cls["h"] == NO_DATA
    positive = cls[list("bcdefg")]
    assert (positive >= 0).all() and positive.is_monotonic_increasing
    assert len(classes.colours) == len(classes.bounds) - 1 <= 5
    assert classes.bounds[0] == 3 and classes.bounds[-1] == 90
    colours = [c for c, _ in legend_entries(classes, "sv")]
    assert len(set(colours)) == len(colours), "zero, no data and every class look different"


def test_jenks_separates_clusters():
    values = pd.Series([1, 2, 2, 3, 50, 51, 52, 200, 210], dtype="float64")
    cls, _ = classify(values, "persons", "jenks")
    low, middle, high = cls.iloc[:4], cls.iloc[4:7], cls.iloc[7:]
    assert low.max() < middle.min() and middle.max() < high.min(), "no class mixes two clusters"


def test_few_distinct_values_make_few_classes():
    cls, classes = classify(pd.Series([4.0, 4.0, 4.0]), "persons", "jenks")
    assert (cls == 0).all() and len(classes.colours) == 1
    cls, classes = classify(pd.Series([0.0, 0.0]), "persons", "quantiles")
    assert (cls == ZERO).all() and classes.colours == ()


@pytest.mark.parametrize("metric", sorted(FIXED))
def test_fixed_classes_for_shares_and_change(metric):
    bounds, colours = FIXED[metric]
    values = pd.Series([bounds[1] - 0.01, bounds[2] + 0.01, np.nan])
    cls, classes = classify(values, metric)
    assert cls.tolist() == [0, 2, NO_DATA]
    assert classes.method == "fixed" and classes.colours == colours


def test_legend_labels_read_naturally():
    values = pd.Series([0, 1, 2, 10, 12, 30], dtype="float64")
    _, classes = classify(values, "persons", "jenks")
    labels = [label for _, label in legend_entries(classes, "sv")]
    assert labels[0].startswith("1") and labels[-1] == "0 (inga behov)"
    _, change = classify(pd.Series([-0.7, 0.0, 0.9]), "change")
    labels = [label for _, label in legend_entries(change, "en")]
    assert labels[0] == "below \u221250%" and labels[-1] == "above +50%"
    _, share = classify(pd.Series([0.1, np.nan]), "upskilling_share")
    labels = [label for _, label in legend_entries(share, "sv")]
    assert labels[0] == "0\u00a0% – 20\u00a0%" and labels[-1] == "Uppgift saknas"


def test_table_matches_a_plain_groupby_on_the_demo_register():
    from data import demo, reference

    register = demo.generate("fyrbodal")
    frame = register.needs.merge(register.companies[["company_id", "municipality_code"]], on="company_id", how="left",
                                 suffixes=("", "_company")) if "municipality_code" not in register.needs else register.needs
    frame = frame.assign(municipality_code=frame["municipality_code"].astype("category"))
    table = municipal.table(frame, reference.fyrbodal_codes(), {})
    plain = frame.groupby(frame["municipality_code"].astype(str)).agg(persons=("persons", "sum"), companies=("company_id", "nunique"))
    assert table["persons"].to_dict() == plain["persons"].to_dict()
    assert table["companies"].to_dict() == plain["companies"].to_dict()
