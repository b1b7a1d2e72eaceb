"""Importing next year's supply (issue 33, point 2): MYH's results workbooks and Skolverket's planned adult education,
read whole in a worker process, stored as a round beside the others (whole or nothing, audited, refused twice),
listed newest first, with what changed against the previous round of the same series. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from cli import main
from core.exchange.supply import COLUMNS, SupplyProblems
from core.records.audience import Audience, User
from services import supply
from services.admin import Admin, operator, start_register
from services.register import audit
from services.register.store import Register
from services.workspace import Refused
from tests.unit.test_yh_supply import MYH, SKOLVERKET, _complete_sample

PROGRAMMES_2024 = MYH / "resultat-ansokningsomgang-2024.xlsx"
COURSES_2024 = MYH / "resultat-2024-for-kurser-inom-yh.xlsx"
shipped_files = pytest.mark.skipif(not MYH.is_dir(), reason=f"{MYH} (the MYH workbooks) is not beside the checkout")
ADMIN = User("anna@region.example", Audience.ADMIN, (), "Anna")


@pytest.fixture
def register(register_url):
    found = Register(register_url)
    start_register(found, ADMIN)
    return found


@pytest.fixture
def sqlite_register(tmp_path):
    """For a refusal made while the file is read, before any database is opened: the store's own tests run on both."""
    found = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    start_register(found, ADMIN)
    return found


@pytest.fixture(scope="module")
def programmes_2024():
    """MYH's 2024 programme round, read once for the module (reading the workbook is most of a test's time)."""
    return supply.read(PROGRAMMES_2024.read_bytes(), PROGRAMMES_2024.name)


def _stored(register) -> int:
    return len(supply.rounds(register))


def _changed_copy(path, sheet: str, edit) -> bytes:
    """A copy of a shipped workbook with one sheet edited (``edit(worksheet)``)."""
    book = openpyxl.load_workbook(path)
    edit(book[sheet])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_cell(sheet, name: str):
    return next(c for row in sheet.iter_rows(max_row=15) for c in row if c.value == name)


def _granted_kommun(sheet, name: str) -> None:
    """Write ``name`` as the municipality of the first granted programme run in one municipality."""
    header = {c.value: c.column - 1 for c in sheet[_header_cell(sheet, "Kommun").row]}
    for row in sheet.iter_rows(min_row=_header_cell(sheet, "Kommun").row + 1):
        if row[header["Beslut"]].value == "Beviljad" and row[header["Flera kommuner"]].value == "Nej":
            row[header["Kommun"]].value = name
            return


@shipped_files
def test_the_shipped_workbooks_are_stored_as_rounds_listed_newest_first_and_audited(register, capsys):
    before = register.revision()
    assert main(["supply", "--import", str(PROGRAMMES_2024), "--database", register.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("round 1 stored: MYH program 2024: 465 rows; the first of its kind: 465 added")
    assert main(["supply", "--import", str(COURSES_2024), "--source", "myh", "--database", register.url]) == 0
    capsys.readouterr()
    stored = supply.rounds(register)
    assert stored["label"].tolist() == ["MYH kurser 2024", "MYH program 2024"]  # newest first
    assert stored["source_kind"].tolist() == ["myh", "myh"] and stored["imported_by"].str.startswith("command line").all()
    assert stored["file_name"].tolist() == [COURSES_2024.name, PROGRAMMES_2024.name]
    rows = supply.round_rows(register, int(stored["round_id"].iloc[1]))
    assert list(rows.columns) == list(COLUMNS) and len(rows) == 465
    assert (rows["source_file"] == PROGRAMMES_2024.name).all() and rows["diarienummer"].str.startswith("MYH 2024/").all()
    assert register.revision() != before
    with register.engine.connect() as conn:
        entries = audit.frame(conn, "supply")
    assert sorted(entries["record_id"]) == ["1", "2"] and (entries["action"] == "add").all()
    assert "MYH program 2024: 465 rows" in " ".join(entries["detail"])
    assert main(["supply", "--list", "--database", register.url]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("2: MYH kurser 2024") and listed[1].startswith("1: MYH program 2024, 465 rows")


@shipped_files
def test_a_round_already_stored_is_refused_and_nothing_changes(register, programmes_2024):
    parsed = programmes_2024
    supply.Supply(register, operator()).store(parsed)
    revision = register.revision()
    with pytest.raises(Refused, match="already stored"):
        supply.Supply(register, operator()).store(parsed)
    resaved = _changed_copy(PROGRAMMES_2024, "Tabell 3", lambda sheet: None)  # other bytes, the same MYH round
    with pytest.raises(Refused, match="MYH program 2024 is already stored"):
        supply.Supply(register, operator()).store(supply.read(resaved, "resaved.xlsx"))
    assert _stored(register) == 1 and register.revision() == revision


READ_REFUSALS = [
    ("Tabell 3", lambda s: setattr(_header_cell(s, "Kommun"), "value", "Kommunnamn"), "sheet 'Tabell 3', row", "'Kommun'"),
    ("Tabell 3", lambda s: _granted_kommun(s, "Atlantis"), "column 'Kommun'", "'Atlantis' is not a Swedish municipality"),
    ("Tabell 3", lambda s: s.append([c.value for c in s[_header_cell(s, "Diarienummer").row + 1]]), "column 'Diarienummer'",
     "appears twice"),
    ("Tabell 4", lambda s: setattr(s, "title", "Tabell 4 (ny)"), "the workbook", "no sheet 'Tabell 4'"),
]
# the red team's: it matched Lilla Edet, and PostgreSQL refused it mid-write (so on both databases)
TOO_LONG = ("Tabell 3", lambda s: _granted_kommun(s, "Lilla\u2028" + "\u3000" * 400 + "Edet"), "column 'municipality_name'",
            "longer than 300 characters")


def _refused_whole(register, capsys, tmp_path, sheet, edit, where, why) -> None:
    path = tmp_path / "resultat.xlsx"
    path.write_bytes(_changed_copy(PROGRAMMES_2024, sheet, edit))
    revision = register.revision()
    assert main(["supply", "--import", str(path), "--database", register.url]) == 2
    err = capsys.readouterr().err
    assert "resultat.xlsx was not stored" in err and "nothing written" in err
    assert any(where in line and why in line for line in err.splitlines()), err
    assert _stored(register) == 0 and register.revision() == revision
    with register.engine.connect() as conn:
        assert audit.frame(conn, "supply").empty


@shipped_files
@pytest.mark.parametrize(("sheet", "edit", "where", "why"), READ_REFUSALS,
                         ids=["renamed-column", "unknown-municipality", "duplicate", "missing-sheet"])
def test_a_malformed_copy_of_a_shipped_workbook_stores_nothing(sqlite_register, capsys, tmp_path, sheet, edit, where, why):
    _refused_whole(sqlite_register, capsys, tmp_path, sheet, edit, where, why)


@shipped_files
def test_a_value_longer_than_its_column_is_refused_before_the_write(register, capsys, tmp_path):
    _refused_whole(register, capsys, tmp_path, *TOO_LONG)


@pytest.mark.parametrize("data", [b"not a workbook at all", b"PK\x03\x04broken zip", b"{\"body\": ", b"[1, 2"],
                         ids=["text", "broken-zip", "cut-json", "cut-list"])
def test_a_file_that_is_no_supply_file_is_refused_from_the_worker(register, data):
    with pytest.raises(SupplyProblems) as refused:
        supply.read(data, "x.bin")
    assert refused.value.problems and _stored(register) == 0


@pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")
def test_skolverket_rounds_show_what_changed_since_the_previous_one(register, tmp_path, capsys):
    first = _complete_sample()
    path = tmp_path / "planerade.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    assert main(["supply", "--import", str(path), "--database", register.url]) == 0  # recognised as JSON
    events = first["body"]["_embedded"]["listedAdultEducationEvents"]
    kept = supply.round_rows(register, 1)
    moved = kept["event_id"].iloc[0]
    next(e for e in events if e["educationEventId"] == moved)["semesterStartFrom"] = "2027-08-20"
    path.write_text(json.dumps(first), encoding="utf-8")
    assert main(["supply", "--import", str(path), "--dry-run", "--database", register.url]) == 0
    assert "against Skolverket" in capsys.readouterr().out and _stored(register) == 1  # a dry run stores nothing
    parsed = supply.read(path.read_bytes(), path.name)
    assert parsed.source == "skolverket" and parsed.series == "Skolverket"
    previous, changed = supply.changes(register, parsed.rows, parsed.series)
    assert previous is not None and previous["round_id"] == 1
    assert changed["change"].tolist() == ["changed"] and "start" in changed["fields"].iloc[0]
    round_id = supply.Supply(register, ADMIN).store(parsed)
    assert supply.rounds(register)["round_id"].tolist() == [round_id, 1]
    assert supply.changes_of(register, round_id)[1]["change"].tolist() == ["changed"]


@pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")
def test_only_an_admin_stores_a_round_and_the_role_is_checked_again_inside_the_write(register):
    parsed = supply.read(json.dumps(_complete_sample()).encode(), "x.json")
    for who in (None, User("bo@kommun.example", Audience.BROKER, ("1427",), ""), User("v@x.example", Audience.VIEWER, (), "")):
        with pytest.raises(Refused):
            supply.Supply(register, who)
    second = User("eva@region.example", Audience.ADMIN, (), "Eva")
    Admin(register, ADMIN).save_user(second, set(), None)
    drawn = supply.Supply(register, second)  # a page drawn while Eva was an admin
    Admin(register, ADMIN).remove_user(second.email)
    with pytest.raises(Refused, match="no longer (an admin|a user)"):
        drawn.store(parsed)
    assert _stored(register) == 0


@pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")
def test_the_same_skolverket_rows_in_another_file_are_not_a_new_round(register, tmp_path, capsys):
    """Re-indented, the same answer has another SHA-256: still nothing new to store (red team, issue 33)."""
    path = tmp_path / "planerade.json"
    path.write_text(json.dumps(_complete_sample()), encoding="utf-8")
    assert main(["supply", "--import", str(path), "--database", register.url]) == 0
    path.write_text(json.dumps(_complete_sample(), indent=4), encoding="utf-8")
    assert main(["supply", "--import", str(path), "--database", register.url]) == 2
    assert "nothing new to store" in capsys.readouterr().err and _stored(register) == 1

