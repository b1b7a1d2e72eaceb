"""The travel-matrix exchange format: export, import, validation, nothing half-loaded."""

from __future__ import annotations

import numpy as np
import pytest

from core.records.validation import InvalidTable
from data import reference
from geo import matrix as mx
from services.admin import Admin, operator
from services.register.store import Register

NAMES = dict(zip(reference.places()["place_id"], reference.places()["name"]))
HEADER = ",".join(mx.COLUMNS)
KH, TH = "gn2698697", "gn2667303"  # Kungshamn, Trollhättan


@pytest.fixture(scope="module")
def model():
    return mx.model()


def test_export_has_every_ordered_pair_with_names(model):
    frame = mx.to_frame(model, NAMES)
    n = len(NAMES)
    assert list(frame.columns) == mx.COLUMNS
    assert len(frame) == n * (n - 1)
    row = frame[(frame["from_name"] == "Kungshamn") & (frame["to_name"] == "Göteborg")]
    assert len(row) == 1 and row["from_id"].iloc[0] == KH


def test_round_trip_reproduces_the_matrix(model):
    back = mx.overlay(model, mx.validated(mx.read_csv(mx.to_csv(model, NAMES).encode()), NAMES))
    off = ~np.eye(len(NAMES), dtype=bool)
    for col in mx.VALUES:
        assert np.abs(getattr(back, col) - getattr(model, col))[off].max() <= 0.05 + 1e-9
    assert back.measured[off].all()
    assert mx.to_csv(back, NAMES) == mx.to_csv(model, NAMES)


@pytest.mark.parametrize(("line", "column", "words"), [
    (f"gn0000000,Atlantis,{TH},Trollhättan,10,10,10", "from_id", "unknown place"),
    (f"{KH},Kungshamn,{TH},Trollhättan,,10,10", "km_road", "missing"),
    (f"{KH},Kungshamn,{TH},Trollhättan,90,-5,10", "minutes_car", "negative"),
    (f"{KH},Kungshamn,{TH},Trollhättan,90,60,abc", "minutes_pt", "not a number"),
    (f"{KH},Smögen,{TH},Trollhättan,90,60,120", "from_name", "is not the name"),
    (f"{KH},Kungshamn,{KH},Kungshamn,0,0,0", "to_id", "itself"),
])
def test_bad_rows_are_reported_with_row_and_column(line, column, words):
    good = f"{TH},Trollhättan,{KH},Kungshamn,88,70,115"
    with pytest.raises(InvalidTable) as err:
        mx.validated(mx.read_csv(f"{HEADER}\n{good}\n{line}\n"), NAMES)
    problems = err.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, column)]
    assert words in problems[0].message


def test_a_missing_column_and_a_repeated_pair_are_reported():
    with pytest.raises(InvalidTable, match="minutes_pt"):
        mx.validated(mx.read_csv("from_id,from_name,to_id,to_name,km_road,minutes_car\n"), NAMES)
    line = f"{KH},Kungshamn,{TH},Trollhättan,88,70,115"
    with pytest.raises(InvalidTable, match="twice"):
        mx.validated(mx.read_csv(f"{HEADER}\n{line}\n{line}\n"), NAMES)


def test_an_unreadable_file_is_an_invalid_table():
    with pytest.raises(InvalidTable, match="readable"):
        mx.read_csv(b"")


def test_a_partial_import_replaces_only_its_pairs(model):
    measured = mx.validated(mx.read_csv(f"{HEADER}\n{KH},Kungshamn,{TH},Trollhättan,88,70,115\n"), NAMES)
    merged = mx.overlay(model, measured)
    i, j = model.index()[KH], model.index()[TH]
    assert merged.minutes_pt[i, j] == 115 and merged.measured.sum() == 1
    assert merged.minutes_pt[j, i] == model.minutes_pt[j, i]


def test_the_register_keeps_the_old_matrix_when_an_import_fails(tmp_path):
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    good = mx.validated(mx.read_csv(f"{HEADER}\n{KH},Kungshamn,{TH},Trollhättan,88,70,115\n"), NAMES)
    admin = Admin(register, operator())
    admin.replace_travel_matrix(good)
    with pytest.raises(InvalidTable):
        admin.replace_travel_matrix(mx.validated(mx.read_csv(f"{HEADER}\n{KH},Kungshamn,{TH},x,1,1,-1\n"), NAMES))
    stored = register.travel_matrix_frame()
    assert stored[mx.COLUMNS].astype(str).values.tolist() == [[KH, "Kungshamn", TH, "Trollhättan", "88.0", "70.0", "115.0"]]
