"""A selection derives each figure once and hands it out so that no caller can change another's."""

from __future__ import annotations

import pandas as pd

from core.analysis.selection import Selection

NEEDS = pd.DataFrame({
    "municipality_code": ["1427", "1427", "1435"],
    "competence": ["welding", "cnc", "welding"],
    "need_type": ["recruitment", "upskilling", "recruitment"],
    "persons": [3, 5, 2],
})

calls: list[tuple] = []


def counted_totals(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    calls.append((column,))
    return frame.groupby(column, as_index=False)["persons"].sum()


def test_a_figure_is_computed_once_per_arguments():
    calls.clear()
    selection = Selection(NEEDS)
    first = selection.derive(counted_totals, "competence")
    again = selection.derive(counted_totals, "competence")
    other = selection.derive(counted_totals, "municipality_code")
    assert calls == [("competence",), ("municipality_code",)]
    assert first.equals(again)
    assert dict(zip(first["competence"], first["persons"])) == {"cnc": 5, "welding": 5}
    assert dict(zip(other["municipality_code"], other["persons"])) == {"1427": 8, "1435": 2}


def test_a_callers_change_stays_its_own():
    selection = Selection(NEEDS)
    mine = selection.derive(counted_totals, "competence")
    mine.loc[0, "persons"] = 999
    mine["extra"] = 1
    theirs = selection.derive(counted_totals, "competence")
    assert theirs["persons"].tolist() == [5, 5]
    assert "extra" not in theirs.columns


def pair(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    return frame[["persons"]], len(frame)


def test_frames_inside_a_tuple_are_copies_too():
    selection = Selection(NEEDS)
    frame, count = selection.derive(pair)
    frame.loc[0, "persons"] = 999
    assert selection.derive(pair)[0]["persons"].tolist() == [3, 5, 2]
    assert count == 3


def test_a_part_is_the_rows_of_one_value_and_made_once():
    selection = Selection(NEEDS)
    part = selection.part("municipality_code", "1427")
    assert part.frame["persons"].tolist() == [3, 5]
    assert selection.part("municipality_code", "1427") is part
    assert selection.part("municipality_code", "9999").empty
    assert part.derive(counted_totals, "competence")["persons"].tolist() == [5, 3]
    assert len(selection) == 3 and len(part) == 2


def later_ones(frame: pd.DataFrame, earlier: Selection) -> int:
    return int(frame["persons"].sum() - earlier.frame["persons"].sum())


def test_a_selection_among_the_arguments_counts_by_its_key():
    calls.clear()
    now = Selection(NEEDS)
    before = Selection(NEEDS.iloc[:1], key=("rev 1", "2024-01"))
    same_again = Selection(NEEDS.iloc[:1], key=("rev 1", "2024-01"))  # made anew after its cache entry went
    other = Selection(NEEDS.iloc[:2], key=("rev 1", "2023-12"))
    assert now.derive(later_ones, before) == 7
    assert now.derive(later_ones, same_again) == 7
    assert now.derive(later_ones, other) == 2
    assert len(now._made) == 2
    assert Selection(NEEDS).key != Selection(NEEDS).key  # unkeyed selections never stand for each other
