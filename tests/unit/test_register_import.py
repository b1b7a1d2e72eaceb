"""Import preview and commit, and the export -> import round trip (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from core.exchange import needs_sheet, spreadsheet
from core.records.audience import Audience, User
from data import reference
from services import register_export, register_import
from services.register import audit
from services.register.schema import CompanyRow, NeedRow, VisitRow
from services.register.store import Register
from services.seed import DEMO_USERS, workspace
from tests.unit.test_import_reading import words

CORPUS = Path(__file__).parents[1] / "data" / "import"
TODAY = dt.date(2026, 11, 20)
ADMIN, SOTENAS, TROLLHATTAN = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[2]
REGION_ADMIN = User("admin@region.example", Audience.ADMIN, (), "Regionens admin")  # a region's own register's


def names() -> dict[str, dict[str, str]]:
    munis = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    comps = dict(zip(reference.competences()["code"], reference.competences()["name_sv"]))
    return {"municipality": {c: munis[c] for c in reference.fyrbodal_codes()}, "competence": comps}


def plan(register, user, data: bytes, name: str = "file.csv") -> register_import.Preview:
    sheet = needs_sheet.pick(spreadsheet.read(data, name))
    parsed = needs_sheet.parse(sheet, words(), set(reference.sni_divisions()), TODAY)
    return register_import.preview(register, user, parsed, data, name, sheet.name)


def good() -> bytes:
    return (CORPUS / "good_sv_utf8.csv").read_bytes()


@pytest.fixture
def register(register_url):
    return Register(register_url)


def counts(register) -> tuple[int, int, int, int]:
    with register.engine.connect() as conn:
        return tuple(len(conn.execute(select(t.id)).all()) for t in (CompanyRow, VisitRow, NeedRow, audit.AuditRow))


def test_a_new_file_is_previewed_then_committed_in_one_step(register):
    preview = plan(register, SOTENAS, good())
    assert (preview.count("new"), preview.count("changed"), preview.problems) == (3, 0, [])
    assert counts(register) == (0, 0, 0, 0)  # a preview writes nothing
    assert register_import.commit(register, SOTENAS, preview) == {"new": 3, "changed": 0, "unchanged": 0}
    needs = register.needs_frame().sort_values("ref")
    assert list(needs["ref"]) == ["B-1", "B-2", "B-3"] and list(needs["persons"]) == [3, 2, 1]
    assert needs["company"].eq("Testvarvet AB").all() and needs["broker"].eq(SOTENAS.email).all()
    assert counts(register)[:3] == (1, 3, 3)  # one company, a visit per date and method, three needs
    with register.engine.connect() as conn:
        log = audit.frame(conn)
    entry = log[log["action"] == "import"].iloc[0]
    company_id = int(register.needs_frame()["company_id"].iloc[0])
    assert json.loads(entry["detail"]) == {"file": "file.csv", "sha256": preview.sha256, "new": 3, "changed": 0, "unchanged": 0,
                                           "companies": [company_id]}, "the companies it wrote: an erasure's reach"
    assert entry["actor"] == SOTENAS.email


def test_the_same_file_again_is_unchanged_and_a_change_is_shown_field_by_field(register):
    register_import.commit(register, SOTENAS, plan(register, SOTENAS, good()))
    again = plan(register, SOTENAS, good())
    assert (again.count("new"), again.count("changed"), again.count("unchanged")) == (0, 0, 3)
    changed = good().replace(b"Svetsning;Kompetensutveckling (bristkompetens);3;", b"Svetsning;Kompetensutveckling (bristkompetens);5;")
    preview = plan(register, SOTENAS, changed)
    [row] = [r for r in preview.rows if r.kind == "changed"]
    assert (row.ref, row.changes) == ("B-1", {"persons": (3, 5)})
    register_import.commit(register, SOTENAS, preview)
    stored = register.needs_frame().set_index("ref").loc["B-1"]
    assert (stored["persons"], stored["version"]) == (5, 2)


def test_rows_the_file_no_longer_holds_are_shown_as_missing_and_kept(register):
    register_import.commit(register, SOTENAS, plan(register, SOTENAS, good()))
    shorter = b"\r\n".join(good().split(b"\r\n")[:3]) + b"\r\n"
    preview = plan(register, SOTENAS, shorter)
    assert list(preview.missing["ref"]) == ["B-3"]
    register_import.commit(register, SOTENAS, preview)
    assert len(register.needs_frame()) == 3


def test_a_file_with_any_problem_stores_nothing(register):
    preview = plan(register, SOTENAS, (CORPUS / "persons_zero.csv").read_bytes())
    assert preview.problems and preview.rows == []
    with pytest.raises(ValueError):
        register_import.commit(register, SOTENAS, preview)
    assert counts(register) == (0, 0, 0, 0)


def test_a_broker_imports_only_their_municipalities(register):
    preview = plan(register, TROLLHATTAN, good())
    assert {p.code for p in preview.problems} == {"not_your_municipality"} and len(preview.problems) == 3
    assert preview.problems[0].row == 2 and preview.problems[0].column == "Kommun"


def test_a_preview_made_before_another_write_is_refused_at_commit(register):
    register_import.commit(register, ADMIN, plan(register, ADMIN, good()))
    preview = plan(register, ADMIN, good().replace(b";3;", b";4;", 1))
    need = register.needs_frame().iloc[0]
    workspace(register, ADMIN, TODAY).edit_need(int(need["id"]), int(need["version"]), {"note": "meanwhile"})
    before = counts(register)
    with pytest.raises(register_import.Stale):
        register_import.commit(register, ADMIN, preview)
    assert counts(register) == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_is_the_identity(register, kind):
    register_import.commit(register, ADMIN, plan(register, ADMIN, (CORPUS / "formula_in_note.csv").read_bytes()))
    table = register_export.frame(register, ADMIN, names())
    data = register_export.to_csv(table) if kind == "csv" else register_export.to_xlsx(table, names(), ["x"])
    preview = plan(register, ADMIN, data, f"export.{kind}")
    assert preview.problems == [] and preview.count("unchanged") == len(table) == 3, [str(p) for p in preview.problems]
    before = counts(register)
    register_import.commit(register, ADMIN, preview)
    assert counts(register)[:3] == before[:3]
    again = register_export.frame(register, ADMIN, names())
    assert again.equals(table)
    if kind == "csv":
        assert register_export.to_csv(again) == data
        assert b"'=HYPERLINK" in data  # a formula-like note is quoted in the CSV...
    assert register.needs_frame().set_index("ref").loc["B-1", "note"] == '=HYPERLINK("http://x")'  # ...and stored as it was


def test_the_template_has_drop_downs_and_instructions():
    import io

    import pandas as pd
    from openpyxl import load_workbook

    header = [sv for sv, _, _ in needs_sheet.COLUMNS.values()]
    book = load_workbook(io.BytesIO(register_export.to_xlsx(pd.DataFrame(columns=header), names(), ["Fyll i en rad per behov."])))
    assert book.sheetnames == ["Instruktioner", "Behov", "Koder"]
    sheet = book["Behov"]
    assert [c.value for c in sheet[1]] == header
    ranges = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(r.startswith("H2") for r in ranges) and any(r.startswith("E2") for r in ranges)  # Typ and Kommun
    assert book["Instruktioner"]["A1"].value == "Fyll i en rad per behov."


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    register = Register(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'r.sqlite'}")
    register_import.commit(register, ADMIN, plan(register, ADMIN, good()))
    return register


MALFORMED = [line.split(",")[0] for line in (CORPUS / "expected.csv").read_text(encoding="utf-8").splitlines()[1:]
             if line.split(",")[1] != "ok"]


@pytest.mark.parametrize("name", MALFORMED)
def test_no_malformed_file_changes_the_register_or_the_log(seeded, name):
    before = (seeded.revision(), counts(seeded))
    data = (CORPUS / name).read_bytes()
    try:
        preview = plan(seeded, ADMIN, data, name)
    except spreadsheet.Refused:
        preview = None
    if preview is not None:
        assert preview.problems and preview.rows == []
        with pytest.raises(ValueError):
            register_import.commit(seeded, ADMIN, preview)
    assert (seeded.revision(), counts(seeded)) == before


def _workbook(needs_rows: list[list[str]], efforts_rows: list[list[str]]) -> bytes:
    import io

    from openpyxl import Workbook

    from core.exchange.efforts_sheet import COLUMNS as EFFORT_COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.title = "Behov"
    sheet.append([sv for sv, _, _ in needs_sheet.COLUMNS.values()])
    for row in needs_rows:
        sheet.append(row)
    efforts = book.create_sheet("Insatser")
    efforts.append([sv for sv, _, _ in EFFORT_COLUMNS.values()])
    for row in efforts_rows:
        efforts.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _needs_rows() -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(good().decode()), delimiter=";"))[1:]


def effort_plan(register, user, data):
    from services.seed import import_preview

    return import_preview(register, user, data, "insatser.xlsx", TODAY)[0]


def test_an_efforts_sheet_makes_efforts_and_matches_the_file_s_needs(register):
    data = _workbook(_needs_rows(), [["E-1", "Svets i Sotenäs", "Exempel Komvux", "", "2027-01-10", "12",
                                      "556036-0793/B-1; 5560360793/B-2", ""]])
    preview = effort_plan(register, SOTENAS, data)
    assert preview.problems == [] and preview.count("new") == 3 and preview.count_efforts("new") == 1
    assert preview.efforts[0].link == [("556036-0793", "B-1"), ("556036-0793", "B-2")]
    counts_ = register_import.commit(register, SOTENAS, preview)
    assert counts_["efforts_new"] == 1
    needs = register.needs_frame().set_index("ref")
    assert needs.loc[["B-1", "B-2"], "status"].eq("matched").all() and needs.loc["B-3", "effort_id"] != needs.loc["B-1", "effort_id"]
    again = effort_plan(register, SOTENAS, data)  # the file still says "new": its two matched needs differ in status
    assert again.count_efforts("unchanged") == 1 and again.count("unchanged") == 1
    assert sorted(r.changes["status"] for r in again.rows if r.kind == "changed") == [("matched", "analysed"), ("matched", "new")]


def test_efforts_export_then_import_is_unchanged(register):
    register_import.commit(register, ADMIN, effort_plan(register, ADMIN, _workbook(
        _needs_rows(), [["E-1", "Svets", "Exempel Komvux", "", "", "8", "556036-0793/B-1", "<b>x</b>"]])))
    visible = set(int(i) for i in workspace(register, ADMIN, TODAY).frame("efforts")["id"])
    data = register_export.to_xlsx(register_export.frame(register, ADMIN, names()), names(), ["x"],
                                   efforts=register_export.efforts_frame(register, visible))
    preview = effort_plan(register, ADMIN, data)
    assert preview.problems == [] and preview.writes == 0 and preview.count_efforts("unchanged") == 1


@pytest.mark.parametrize(("row", "code", "column"), [
    (["E-1", "Svets", "Komvux", "", "", "0", "", ""], "seats_range", "Platser"),
    (["E-1", "", "Komvux", "", "", "5", "", ""], "required", "Benämning"),
    (["E-1", "Svets", "Komvux", "finns-inte", "", "5", "", ""], "unknown_value", "Utbud"),
    (["E-1", "Svets", "Komvux", "", "snart", "5", "", ""], "not_a_date", "Start"),
    (["E-1", "Svets", "Komvux", "", "", "5", "B-1", ""], "need_keys", "Behov"),
    (["E-1", "Svets", "Komvux", "", "", "5", "556036-0793/B-9", ""], "unknown_need", "Behov"),
])
def test_a_bad_effort_row_is_located_and_nothing_is_stored(register, row, code, column):
    preview = effort_plan(register, SOTENAS, _workbook(_needs_rows(), [row]))
    assert [(p.sheet, p.row, p.column, p.code) for p in preview.problems] == [("Insatser", 2, column, code)]
    with pytest.raises(ValueError):
        register_import.commit(register, SOTENAS, preview)
    assert counts(register) == (0, 0, 0, 0)


def test_an_effort_may_not_take_another_brokers_need(register):
    register_import.commit(register, ADMIN, plan(register, ADMIN, good()))
    preview = effort_plan(register, TROLLHATTAN, _workbook([], [["E-2", "Svets", "Komvux", "", "", "5", "556036-0793/B-1", ""]]))
    assert [p.code for p in preview.problems] == ["unknown_need"], "told as a need that does not exist (issue 36)"


def _cli(url: str, path: Path, *more: str) -> int:
    from cli import main

    return main(["import", str(path), "--as", REGION_ADMIN.email, "--database", url, *more])


def test_a_duplicated_header_is_a_located_problem_for_the_page_and_the_command_line(register, tmp_path, capsys):
    """Red team finding 4: two header cells alike (unknown ones too) are refused in the shared checks, cells named."""
    from services.admin import start_register

    sheet = spreadsheet.read(b"Kommentar;Kommentar\nx;y\n")[0]
    parsed = needs_sheet.parse(sheet, words(), set(reference.sni_divisions()), TODAY)
    [problem] = [p for p in parsed.problems if p.code == "duplicate_column"]
    assert (problem.row, problem.column, problem.value) == (1, "Kommentar", "Kommentar (A1, B1)")
    start_register(register, REGION_ADMIN)
    path = tmp_path / "dupcol.csv"
    path.write_bytes(b"Kommentar;Kommentar\nx;y\n")
    assert _cli(register.url, path, "--dry-run") == 2
    assert "the header 'Kommentar' appears in more than one column (A1, B1)" in capsys.readouterr().err


def test_an_import_that_loses_to_another_at_once_is_told_so_and_exits_2(register, tmp_path, capsys, monkeypatch):
    """Red team finding 9: the loser of two imports at once got a Stale traceback and exit 1."""
    from services.admin import start_register

    start_register(register, REGION_ADMIN)
    path = tmp_path / "behov.csv"
    path.write_bytes(good())
    commit = register_import.commit

    def after_another(reg, user, preview):  # the other import is stored between this one's preview and commit
        commit(reg, user, plan(reg, user, good().replace(b";3;", b";4;", 1)))
        return commit(reg, user, preview)

    monkeypatch.setattr(register_import, "commit", after_another)
    before = len(register.needs_frame())
    assert _cli(register.url, path) == 2
    err = capsys.readouterr().err
    assert "was not stored" in err and "run the import again" in err and "Traceback" not in err
    assert len(register.needs_frame()) == before + 3  # the other import's rows, none of this one's


def test_the_command_line_preview_says_how_a_csv_was_read(register, tmp_path, capsys):
    from services.admin import start_register

    start_register(register, REGION_ADMIN)
    path = tmp_path / "behov.csv"
    path.write_bytes(good())
    assert _cli(register.url, path, "--dry-run") == 0
    assert "read as UTF-8" in capsys.readouterr().out
