"""The shared caches hand out ``copy(deep=False)`` frames: safe only with pandas' copy-on-write (always on from
pandas 3, which pyproject.toml requires). Under pandas 2.2 without it, a caller's ``.loc`` write would reach the
frame every other session reads; these tests fail there."""

from __future__ import annotations

import pandas as pd

from core.analysis.filters import Filters, apply
from core.disclosure.protection import Cell
from core.disclosure.release import Release, key

NEEDS = pd.DataFrame({
    "municipality_code": ["1427", "1435"],
    "competence": ["welding", "cnc"],
    "need_type": ["recruitment", "upskilling"],
    "horizon": ["0-6", "6-12"],
    "persons": [3, 5],
    "collected_on": pd.to_datetime(["2026-01-10", "2026-02-10"]),
})


def test_pandas_copies_on_write():
    assert int(pd.__version__.split(".")[0]) >= 3


def test_a_caller_writing_to_the_unfiltered_needs_leaves_the_shared_frame_alone():
    shared = NEEDS.copy()
    mine = apply(shared, Filters(), None)
    mine.loc[0, "persons"] = 999
    assert shared["persons"].tolist() == [3, 5]


def test_a_caller_writing_to_a_release_breakdown_leaves_the_release_alone():
    release = Release({key(2026, "persons", "competence", "1427", "welding"): Cell("a", 7.0, 3),
                       key(2026, "persons", "competence", "1427", "cnc"): Cell("b", 4.0, 3)}, (2026,), ("1427",))
    mine = release.breakdown(2026, "competence", "1427")
    mine.loc[0, "persons"] = 999
    assert release.breakdown(2026, "competence", "1427")["persons"].tolist() == [7.0, 4.0]
