"""The next Yrkesbarometer round without code (issue 20): Arbetsförmedlingen's JSON read and checked whole, stored
beside the old round (audited), the newest shown, and what changed per occupation. SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cli import main
from core.analysis import barometer, outlook
from data import reference
from services.admin import Admin, operator
from services.register import audit
from services.register.store import Register
from services.seed import barometer_rounds, current_barometer
from services.workspace import Refused

MOVED = {"Svetsare och gasskärare": ("brist", "öka"), "Administrativa assistenter": ("överskott", "minska")}


def published(rows: pd.DataFrame, round_name: str = "2026-1", moved: dict | None = None, extra_area: bool = True) -> list[dict]:
    """Records as Arbetsförmedlingen publishes them (one flat object per occupation and area, nulls for unassessed,
    the long texts too), made from the shipped round's rows."""
    records = []
    for row in rows.to_dict("records"):
        record = {k: (row[k] or None) for k in barometer.COLUMNS}
        record |= {"antal_ssyk": int(row["antal_ssyk"]), "taxonomi_version": int(row["taxonomi_version"]), "omgang": round_name,
                   "del_av_ssyk": 0, "ssyk_text": "…", "yb_beskrivning": None, "paradox": [],
                   "text_jobbmojligheter": "…", "text_rekryteringssituation": "…"}
        if moved and row["lan"] == "14" and row["yb_yrke"] in moved:
            record["rekryteringssituation"], record["prognos"] = moved[row["yb_yrke"]]
        records.append(record)
    if extra_area:  # another county: read, checked and left out
        records.append(records[0] | {"lan": "01"})
    return records


def raw(records) -> bytes:
    return json.dumps(records, ensure_ascii=False, indent=1).encode()


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return reference.yrkesbarometer()


def test_a_published_file_is_read_to_the_rows_the_app_keeps(shipped):
    rows = barometer.read(raw(published(shipped, "2025-2")))
    assert len(rows) == 438 and set(rows["lan"]) == {"14", "00"}
    mine = shipped[list(barometer.COLUMNS)].sort_values(["lan", "yb_yrke", "yb_concept_id"], ignore_index=True)
    pd.testing.assert_frame_equal(rows, mine)


def break_(records, index, **changes):
    records = [dict(r) for r in records]
    for key, value in changes.items():
        if value is ...:
            del records[index][key]
        else:
            records[index][key] = value
    return records


@pytest.mark.parametrize(("change", "where", "why"), [
    (lambda r: b"[{\"lan\": \"14\",,}]", "line 1, column 15", "not JSON"),
    (lambda r: b"\xff\xfe[", "byte 0", "not UTF-8"),
    (lambda r: raw({"records": r}), "the file", "expected a list"),
    (lambda r: raw([]), "the file", "expected a list"),
    (lambda r: raw(break_(r, 3, prognos="växa")), "record 4 (", "'växa' is not one of öka, vara oförändrad, minska"),
    (lambda r: raw(break_(r, 5, rekryteringssituation="Brist")), "field 'rekryteringssituation'", "is not one of brist"),
    (lambda r: raw(break_(r, 7, lönenivå="hög")), "field 'lönenivå'", "not a field of the Yrkesbarometer"),
    (lambda r: raw(break_(r, 9, yb_concept_id=...)), "record 10 (", "missing"),
    (lambda r: raw(break_(r, 2, antal_ssyk="1")), "field 'antal_ssyk'", "not a whole number"),
    (lambda r: raw(break_(r, 2, yb_yrke=["Svetsare"])), "field 'yb_yrke'", "is not text"),
    (lambda r: raw(break_(r, 2, omgang="2026-3")), "field 'omgang'", "YYYY-1 or YYYY-2"),
    (lambda r: raw(break_(r, 2, omgang="2025-1")), "field 'omgang'", "one round per file"),
    (lambda r: raw(break_(r, 2, lan="X4")), "field 'lan'", "two digits"),
    (lambda r: raw(r + [r[4]]), "record 440 (", "a second record for this occupation and area"),
    (lambda r: raw([x for x in r if x["lan"] != "00"]), "the file", "no record for area 00"),
    (lambda r: raw([x for x in r if x["lan"] != "14"]), "the file", "no record for area 14"),
    (lambda r: raw(break_(r, 1, yb_yrke="Svets\u202eare")), "field 'yb_yrke'", "control characters"),
    (lambda r: raw(["Svetsare"] + r), "record 1", "not an object"),
], ids=["syntax", "encoding", "object", "empty", "value", "case", "unknown-field", "missing-field", "type", "list",
        "round-format", "mixed-rounds", "area", "duplicate", "no-sweden", "no-county", "bidi", "not-object"])
def test_a_malformed_file_is_refused_with_where_and_why(shipped, change, where, why):
    with pytest.raises(barometer.BarometerProblems) as refused:
        barometer.read(change(published(shipped)))
    assert any(where in p.where and why in p.why for p in refused.value.problems), refused.value.problems


@pytest.fixture
def register(register_url):
    return Register(register_url)


def test_a_new_round_is_stored_beside_the_old_audited_and_shown(register, shipped, tmp_path, capsys):
    before = register.revision()
    path = tmp_path / "yrkesbarometer.json"
    path.write_bytes(raw(published(shipped, "2026-1", MOVED)))
    assert current_barometer(register).name == "2025-2" and not current_barometer(register).imported
    assert main(["yrkesbarometer", "--import", str(path), "--database", register.url]) == 0
    assert "round 2026-1 stored: 219 occupations" in capsys.readouterr().out
    current = current_barometer(register)
    assert (current.name, current.imported) == ("2026-1", True) and len(current.rows) == 438
    assert list(barometer_rounds(register)) == ["2025-2", "2026-1"]
    assert register.revision() != before
    with register.engine.connect() as conn:
        [entry] = audit.frame(conn, "barometer").to_dict("records")
    assert entry["action"] == "add" and entry["record_id"] == "2026-1" and entry["actor"].startswith("command line")
    signals = outlook.signals(reference.competence_occupations(), current.rows)
    assert signals["welding"].situation == "brist"  # Svetsare och gasskärare moved from paradox
    # a stored round is never changed
    assert main(["yrkesbarometer", "--import", str(path), "--database", register.url]) == 2
    assert "already stored" in capsys.readouterr().err
    assert main(["yrkesbarometer", "--database", register.url]) == 0
    assert capsys.readouterr().out.splitlines() == ["2025-2: 219 occupations, shipped with the app",
                                                    "2026-1: 219 occupations, imported into the register (shown)"]


def test_a_malformed_file_stores_nothing(register, shipped, tmp_path, capsys):
    path = tmp_path / "yrkesbarometer.json"
    path.write_bytes(raw(break_(published(shipped), 12, prognos="växa")))
    before = register.revision()
    assert main(["yrkesbarometer", "--import", str(path), "--database", register.url]) == 2
    err = capsys.readouterr().err
    assert "nothing written" in err and "record 13" in err and "'växa'" in err
    assert register.barometer_rounds().empty and register.revision() == before
    with register.engine.connect() as conn:
        assert audit.frame(conn, "barometer").empty


def test_only_an_admin_imports_a_round(register, shipped):
    rows = barometer.read(raw(published(shipped)))
    with pytest.raises(Refused):
        Admin(register, None).import_barometer(rows, "x.json")
    assert Admin(register, operator()).import_barometer(rows, "x.json") == "2026-1"


def test_what_changed_between_rounds_per_occupation(shipped):
    new = barometer.read(raw(published(shipped, "2026-1", MOVED)))
    changed = barometer.changes(shipped, new)
    assert list(changed["yb_yrke"]) == sorted(MOVED)
    svetsare = changed.set_index("yb_yrke").loc["Svetsare och gasskärare"]
    assert (svetsare["rekryteringssituation_before"], svetsare["rekryteringssituation_after"]) == ("paradox", "brist")
    assert barometer.changes(shipped, shipped).empty


def test_rounds_sort_by_year_then_half():
    assert barometer.newest(["2025-2", "2026-1", "2024-2"]) == "2026-1"
    assert barometer.newest(["2025-1", "2025-2"]) == "2025-2"
