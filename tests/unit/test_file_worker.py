"""Issue 32: a file from outside is read in a worker process with a memory and time limit, so a reader that aborts,
loops or runs out of memory costs a refusal that names the limits, never the process that asked; and the cell
references and the real inflated bytes are checked before any reader allocates."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from core.common import config
from core.common.i18n import t
from core.exchange import cfb, extent, spreadsheet
from core.exchange.spreadsheet import Refused
from services import reading
from tests import office_files

GENEROUS = reading.Limits(512, 120)  # limits no test file comes near unless it is meant to


# --- what a worker is handed to do in these tests (module:function targets, run in the worker process) ---

def spin(_data: bytes) -> None:
    while True:
        pass


def abort(_data: bytes) -> None:
    os.abort()


def hoard(_data: bytes) -> None:
    kept = []
    while True:
        kept.append(bytearray(64 * 1024 * 1024))


def unchecked_calamine(data: bytes) -> None:
    """The reader as the import called it before issue 32: no check of the cells' reach first."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    book.get_sheet_by_name(book.sheet_names[0]).to_python()


# --- the worker ---

def test_the_dense_range_workbook_aborts_a_reader_in_the_worker_not_here():
    """Issue 32's 1.5 KB workbook given straight to the reader: in this process it would abort the test run (signal 6).
    In the worker it ends the worker, and this process gets a refusal that names the limits and why."""
    with pytest.raises(reading.OverLimit) as over:
        reading.run(f"{__name__}:unchecked_calamine", office_files.dense_range(), GENEROUS)
    assert over.value.limits == GENEROUS
    assert over.value.cause == "out of memory", over.value.cause
    assert "could not be read within 512 MB / 120 s" in str(over.value)


@pytest.mark.parametrize(("target", "limits", "cause"), [
    ("spin", reading.Limits(256, 2), "still reading after 2 s"),
    ("abort", GENEROUS, "the reader stopped with signal 6 (SIGABRT)"),
    ("hoard", reading.Limits(256, 120), "out of memory"),
])
def test_a_reader_that_loops_aborts_or_hoards_ends_in_a_refusal(target, limits, cause):
    with pytest.raises(reading.OverLimit) as over:
        reading.run(f"{__name__}:{target}", b"", limits)
    assert over.value.cause == cause


def test_over_the_limits_a_needs_file_is_refused_with_the_limits_as_its_value(monkeypatch):
    monkeypatch.setattr(reading, "SPREADSHEET", f"{__name__}:abort")  # a reader that stops on whatever it is given
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(b"Kommun;Antal\r\nSotenas;3\r\n", reading.Limits(2048, 120))
    assert (refused.value.code, refused.value.value) == ("limits", "2 GB / 120 s")
    assert "could not be read within 2 GB / 120 s (the reader stopped with signal 6" in str(refused.value)


def test_the_limits_are_settings_with_defaults(monkeypatch):
    monkeypatch.delenv("KOMPETENSKARTAN_FILE_MEMORY_MB", raising=False)
    monkeypatch.delenv("KOMPETENSKARTAN_FILE_SECONDS", raising=False)
    assert config.file_limits() == (1024, 60)
    assert str(reading.Limits.configured()) == "1 GB / 60 s"
    monkeypatch.setenv("KOMPETENSKARTAN_FILE_MEMORY_MB", "2048")
    monkeypatch.setenv("KOMPETENSKARTAN_FILE_SECONDS", "45")
    assert str(reading.Limits.configured()) == "2 GB / 45 s"
    monkeypatch.setenv("KOMPETENSKARTAN_FILE_MEMORY_MB", "12")  # below the least a worker needs: the default holds
    monkeypatch.setenv("KOMPETENSKARTAN_FILE_SECONDS", "soon")
    assert config.file_limits() == (1024, 60)


def test_the_refusal_over_the_limits_reads_in_both_languages():
    assert t("sv", "import.refused_limits", value="1 GB / 60 s").startswith("filen kunde inte läsas inom 1 GB / 60 s")
    assert t("en", "import.refused_limits", value="1 GB / 60 s").startswith("the file could not be read within 1 GB / 60 s")


def test_the_worker_answers_the_sheets_as_plain_data():
    data = office_files.ods({"Behov": [["Kommun", "Antal"], ["Sotenäs", 3]]})
    assert reading.spreadsheet(data, GENEROUS) == spreadsheet.read(data)
    assert reading.spreadsheet(data, GENEROUS)[0].rows == [["Kommun", "Antal"], ["Sotenäs", "3"]]


def test_a_refusal_made_in_the_worker_arrives_whole():
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(office_files.encrypted_xlsx(), GENEROUS)
    assert refused.value.code == "encrypted" and "password" in str(refused.value)


# --- the checks before the reader ---

@pytest.mark.parametrize(("name", "data", "reach"), [
    ("A1 + XFD200000 under <dimension ref=A1/>", office_files.dense_range(), "Behov!XFD200000"),
    ("A1 + CV200000 (0.8 GB in the reader)", office_files.dense_range("CV200000"), "Behov!CV200000"),
    ("16,383 unreferenced cells, then one", office_files.unreferenced_far_cell(), "Behov!XFD200000"),
    ("an .xls cell at IV65536", office_files.xls({"Behov": [["a"]]}, {"Behov": [(65535, 255, "x")]}), "Behov!IV65536"),
    ("an .ods row of 100 cells repeated 100,000 times", office_files.ods({"Behov": [["a"]]}, tail=(
        '<table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="100" '
        'office:value-type="float" office:value="1"/></table:table-row>')), "Behov!CV100001"),
])
def test_a_sheet_whose_cells_reach_too_far_is_refused_before_the_reader(name, data, reach):
    with pytest.raises(Refused) as refused:  # in the worker: should the check ever miss, the test fails, the run lives
        reading.spreadsheet(data, GENEROUS)
    assert refused.value.code == "range" and refused.value.value == reach, name


def test_the_reach_is_measured_from_the_cells_not_the_declared_dimension():
    cells = f'<row r="1">{office_files.text_cell("A1", "a")}</row><row r="40">{office_files.text_cell("F40", "b")}</row>'
    found = _xlsx_extents(office_files.xlsx_sheet(cells, dimension="A1:XFD1048576"))
    assert found == [extent.Extent("Behov", 40, 6)]
    assert spreadsheet.read(office_files.xlsx_sheet(cells, dimension="A1:XFD1048576"))[0].rows[39][5] == "b"


@pytest.mark.parametrize(("cells", "reach"), [
    ('<row r="3"><c r="C3"><v>1</v></c></row>', (3, 3)),  # as Excel writes
    ('<row r="3"><c s="1" r="C3"><v>1</v></c></row>', (3, 3)),  # r not first
    ('<row r="3"><c><v>1</v></c><c><v>1</v></c></row><row><c><v>1</v></c></row>', (4, 2)),  # positions only
    ("<x:row r=\"2\"><x:c r='AA2'><x:v>1</x:v></x:c></x:row>", (2, 27)),  # a prefix, single quotes
    ('<row r="1"><c a=\' r="A1"\' r="XFD9"><v>1</v></c></row>', (9, 16384)),  # a fake r inside another value
    ('<row r="1"><c r="A1"/><c r="B1" s="2"/></row>', (1, 2)),  # formatted, empty: counted as Excel's Ctrl+End does
])
def test_cell_references_are_read_every_way_they_can_be_written(cells, reach):
    [found] = _xlsx_extents(office_files.xlsx_sheet(cells))
    assert (found.rows, found.columns) == reach


def test_libreoffices_padding_of_empty_repeated_rows_reaches_nothing():
    [found] = extent.ods_extents(iter([zipfile.ZipFile(io.BytesIO(office_files.ods({"T": [["a", "b"], ["c"]]}))).read("content.xml")]))
    assert (found.sheet, found.rows, found.columns) == ("T", 2, 2)


def test_a_zip_member_is_inflated_and_counted_not_believed():
    """Headers that say 2,000 bytes over a sheet of 64 MB: only inflating it shows the bomb (the old check added the
    declared sizes and let it through); a member that unpacks to other bytes than it says is refused as such."""
    bomb = office_files.declared_size_lies(real=64 * 1024 * 1024, declared=2000)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < 10_000
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(bomb, GENEROUS)
    assert refused.value.code == "zip_bomb"
    with pytest.raises(Refused) as refused:
        spreadsheet.read(office_files.declared_size_lies(real=5000, declared=2000))
    assert refused.value.code == "zip_sizes" and "says 2,000" in str(refused.value)


# --- formats ---

def test_xls_ods_xlsx_and_csv_read_alike():
    rows = [["Kommun", "Företag", "Antal"], ["Sotenäs", "Åkeriet Östra Ängön AB", 3], ["Tanum", "B & co", 12]]
    text = [[str(v) for v in row] for row in rows]
    csv = "\r\n".join(";".join(row) for row in text).encode("cp1252")
    read = {kind: spreadsheet.read(data)[0].rows for kind, data in (
        ("xls", office_files.xls({"Behov": rows})), ("ods", office_files.ods({"Behov": rows})),
        ("xlsx", office_files.xlsx_sheet("".join(
            f'<row r="{r}">' + "".join(office_files.text_cell(f"{'ABC'[c]}{r}", v) for c, v in enumerate(row)) + "</row>"
            for r, row in enumerate(text, start=1)))),
        ("csv", csv), ("csv with BOM", b"\xef\xbb\xbf" + "\n".join(",".join(row) for row in text).encode()))}
    assert all(found == text for found in read.values()), read


def test_an_encrypted_workbook_says_so_and_how_to_save_it_without_a_password():
    for data in (office_files.encrypted_xlsx(), office_files.xls({"Behov": [["a"]]}, password=True)):
        with pytest.raises(Refused) as refused:
            spreadsheet.read(data)
        assert refused.value.code == "encrypted"
    assert "Encrypt with Password" in t("en", "import.refused_encrypted")
    assert "Kryptera med lösenord" in t("sv", "import.refused_encrypted")


def test_a_compound_file_that_lies_about_a_stream_is_refused():
    good = bytearray(office_files.compound({"Workbook": b"x" * 5000}))
    directory = 512 + 512  # the header, one FAT sector, then the directory (its second entry: the stream)
    good[directory + 128 + 120:directory + 128 + 128] = (10**9).to_bytes(8, "little")  # the stream says 1 GB
    with pytest.raises(cfb.Damaged, match="says it holds 1,000,000,000 bytes"):
        cfb.Compound(bytes(good)).stream("Workbook")
    with pytest.raises(Refused) as refused:
        spreadsheet.read(bytes(good))
    assert refused.value.code == "unreadable"


def _xlsx_extents(data: bytes) -> list[extent.Extent]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    return [extent.xlsx_extent("Behov", extent.inflate(data, info, lambda n: None))]


def test_the_worker_hands_back_plain_data_only():
    """Sheets of text or a table's rows, as JSON: an object of any other kind is not carried back (no pickle)."""
    answer = reading.run(reading.SPREADSHEET, b"a;b\r\n1;2\r\n", GENEROUS)
    assert answer["sheets"] == [["CSV", [["a", "b"], ["1", "2"]], "utf-8", ";"]]
    with pytest.raises(reading.ReaderFailed, match="not bytearray"):
        reading.run("builtins:bytearray", b"x", GENEROUS)


# --- every file from outside: the needs import, the travel matrix, the Yrkesbarometer round ---

def test_the_command_line_refuses_the_dense_range_workbook_and_lives(tmp_path, capsys):
    from cli import main
    from core.records.audience import Audience, User
    from services.admin import start_register
    from services.register.store import Register

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    admin = start_register(Register(url), User("admin@region.example", Audience.ADMIN, (), "Admin"))
    path = tmp_path / "behov.xlsx"
    path.write_bytes(office_files.dense_range())
    assert main(["import", str(path), "--dry-run", "--as", admin.email, "--database", url]) == 2
    assert "has cells out to XFD200000" in capsys.readouterr().err


def test_a_barometer_round_over_the_limits_is_an_error_not_a_crash(monkeypatch, tmp_path, capsys):
    from cli import main

    monkeypatch.setattr(reading, "BAROMETER", f"{__name__}:abort")
    monkeypatch.setenv("KOMPETENSKARTAN_FILE_MEMORY_MB", "768")
    path = tmp_path / "yrkesbarometer.json"
    path.write_text("[]", encoding="utf-8")
    assert main(["yrkesbarometer", "--import", str(path), "--database", f"sqlite:///{tmp_path / 'r.sqlite'}"]) == 2
    assert "could not be read within 768 MB / 60 s" in capsys.readouterr().err


def test_a_travel_matrix_from_swedish_excel_or_libreoffice_reads_like_the_csv():
    from data import reference
    from geo import matrix as mx

    names = dict(zip(reference.places()["place_id"], reference.places()["name"]))
    header = ["from_id", "from_name", "to_id", "to_name", "km_road", "minutes_car", "minutes_pt"]
    row = ["gn2698697", "Kungshamn", "gn2667303", "Trollhättan", "88,5", "70", "115"]
    files = {"csv": ",".join(header).encode() + b"\n" + ",".join([*row[:4], "88.5", *row[5:]]).encode(),
             "csv (semikolon, Windows-1252)": (";".join(header) + "\r\n" + ";".join(row)).encode("cp1252"),
             "ods": office_files.ods({"Restider": [header, [*row[:4], 88.5, 70, 115]]}),
             "xls": office_files.xls({"Restider": [header, [*row[:4], 88.5, 70, 115]]})}
    for kind, data in files.items():
        pairs = mx.validated(mx.from_sheets(reading.spreadsheet(data, GENEROUS)), names)
        assert pairs[["to_name", "km_road", "minutes_pt"]].values.tolist() == [["Trollhättan", 88.5, 115.0]], kind
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(office_files.dense_range(), GENEROUS)
    assert refused.value.code == "range"


def test_every_part_a_reader_could_take_is_measured():
    """A sheet part not named .xml (the workbook's relations may point anywhere), and an .xls holding a second
    workbook stream under another case: each is measured, not only the one a reader is expected to take."""
    data = office_files.dense_range()
    source = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as renamed:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.dat")
            renamed.writestr(info.filename.replace("sheet1.xml", "sheet1.dat"), body)
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(buf.getvalue(), GENEROUS)
    assert refused.value.code == "range"
    benign = office_files.xls({"Behov": [["a"]]})
    far = office_files.xls({"Behov": [["a"]]}, {"Behov": [(65535, 255, "x")]})
    two = office_files.compound({"WORKBOOK": cfb.Compound(benign).stream("Workbook") or b"",
                                 "Workbook": cfb.Compound(far).stream("Workbook") or b""})
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(two, GENEROUS)
    assert refused.value.code == "range"


# --- what the worker may hand back: the server's own memory is bounded (red team, finding 1) ---

def test_one_long_shared_string_in_many_cells_is_refused_in_the_worker_at_its_cell():
    """A few KB of file, 100 million characters once read (the red team's 3,000 cells cost the server 588 MB: it
    loaded the worker's whole answer). The worker holds them within its own limits, the server gets the refusal."""
    data = office_files.shared_string_cells(100_000, 1_000)
    assert len(data) < 20_000
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(data, GENEROUS)
    assert (refused.value.code, refused.value.value) == ("cell_too_long", "Behov!A1")
    assert "32,767" in str(refused.value)
    assert "Behov!A1" in t("sv", "import.refused_cell_too_long", value="Behov!A1")


def test_more_text_than_the_cap_in_all_cells_is_refused_before_the_answer_is_built():
    data = office_files.shared_string_cells(spreadsheet.MAX_CELL_TEXT, 2_100)  # 68.8 million characters, each cell allowed
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(data, GENEROUS)
    assert refused.value.code == "too_much_text" and refused.value.value.startswith("Behov!A")
    assert str(refused.value).startswith("the cells hold more text than 67,108,864 characters")


def test_the_server_refuses_an_answer_larger_than_the_cap_before_loading_it(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ANSWER", 100)
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(office_files.ods({"Behov": [["Kommun", "Antal"], ["Sotenäs", 3]] * 10}), GENEROUS)
    assert refused.value.code == "limits" and "more than 100" in str(refused.value)


def test_a_workbook_of_too_many_sheets_is_refused():
    data = office_files.ods({f"Blad{n}": [["a"]] for n in range(spreadsheet.MAX_SHEETS + 1)})
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(data, GENEROUS)
    assert (refused.value.code, refused.value.value) == ("too_many_sheets", str(spreadsheet.MAX_SHEETS + 1))


def test_at_most_n_workers_read_at_once_and_the_next_is_refused_as_busy_after_a_bounded_wait(monkeypatch):
    import threading
    import time

    monkeypatch.setattr(reading, "_slots", threading.BoundedSemaphore(1))
    monkeypatch.setattr(reading, "WAIT", 0.3)
    assert reading._slots.acquire(timeout=0)  # one upload is being read
    started = time.monotonic()
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(b"Kommun;Antal\r\nSotenas;3\r\n", GENEROUS)
    assert refused.value.code == "busy" and str(refused.value).startswith("busy, try again")
    assert 0.3 <= time.monotonic() - started < 5
    reading._slots.release()  # that upload is done: the next one is read
    assert reading.spreadsheet(b"Kommun;Antal\r\nSotenas;3\r\n", GENEROUS)[0].rows[1] == ["Sotenas", "3"]
    assert t("en", "import.refused_busy", value=2).startswith("busy, try again")


# --- .ods repeats read as the reader reads them, nested tables (red team finding 2) ---

def _ods_row(cells: str, rows: str = "") -> str:
    return f'<table:table-row{rows}><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>{cells}</table:table-row>'


def _ods_cell(repeat: str) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"><text:p>x</text:p>'
            "</table:table-cell>")


NESTED = ('<table:table-cell office:value-type="string"><table:table table:name="in"><table:table-row><table:table-cell '
          'office:value-type="string"><text:p>i</text:p></table:table-cell></table:table-row></table:table></table:table-cell>')


@pytest.mark.parametrize(("name", "tail", "code"), [
    ("a leading +", _ods_row(_ods_cell("+16000")), "range"),
    ("leading zeros", _ods_row(_ods_cell("000016000")), "range"),
    ("spaces around", _ods_row(_ods_cell(" 16000 ")), "range"),
    ("rows with a leading +", _ods_row(_ods_cell("60"), ' table:number-rows-repeated="+3000000"'), "too_many_rows"),
    ("a table nested in a cell after the far cells", _ods_row(_ods_cell("16000") + NESTED), "range"),
    ("a table nested in a cell after far rows", _ods_row(_ods_cell("60"), ' table:number-rows-repeated="3000000"')
     + _ods_row(NESTED), "too_many_rows"),
    ("a repeat that is no number", _ods_row(_ods_cell("\u00b2")), "unreadable"),
])
def test_an_ods_repeat_is_read_as_the_reader_reads_it(name, tail, code):
    with pytest.raises(Refused) as refused:  # in the worker: a check that misses costs the test, not the run
        reading.spreadsheet(office_files.ods({"Behov": [["Kommun"]]}, tail=tail), GENEROUS)
    assert refused.value.code == code, (name, str(refused.value))
    assert code == "unreadable" or "has cells " in str(refused.value), "refused before the reader, not after"


def test_the_columns_read_are_checked_after_reading_too(monkeypatch):
    monkeypatch.setattr(spreadsheet, "_check_extents", lambda _extents: None)  # a check before the reader that missed
    with pytest.raises(Refused) as refused:
        spreadsheet.read(office_files.ods({"Behov": [["a"] * (spreadsheet.MAX_COLUMNS + 1)]}))
    assert refused.value.code == "range" and refused.value.value == "Behov!CC1"


# --- .xls sheets found as the reader finds them: by each BOUNDSHEET's offset (red team finding 3) ---

@pytest.mark.parametrize(("name", "options"), [
    ("a sheet whose BOF says chart", {"sheet_type": 0x0020}),
    ("a sheet inside another record, found only by its offset", {"hidden": True}),
    ("a sheet whose BOF says macro sheet, hidden", {"sheet_type": 0x0040, "hidden": True}),
])
def test_every_xls_sheet_a_boundsheet_points_at_is_measured(name, options):
    data = office_files.xls({"Behov": [["a"]]}, {"Behov": [(30000, 255, "x")]}, **options)
    with pytest.raises(Refused) as refused:  # in the worker: a check that misses costs the test, not the run
        reading.spreadsheet(data, GENEROUS)
    assert (refused.value.code, refused.value.value) == ("range", "Behov!IV30001"), (name, str(refused.value))
    assert reading.spreadsheet(office_files.xls({"Behov": [["a", "b"]]}, **options), GENEROUS)[0].rows == [["a", "b"]]


def test_an_xls_of_too_many_sheets_is_refused_before_they_are_measured():
    data = office_files.xls({f"Blad{n}": [["a"]] for n in range(spreadsheet.MAX_SHEETS + 1)})
    assert extent.biff_extents(cfb.Compound(data).stream("Workbook"), spreadsheet.MAX_SHEETS).extents == []
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(data, GENEROUS)
    assert refused.value.code == "too_many_sheets"


def test_a_cell_without_reference_just_after_a_4_mib_chunk_goes_on_from_the_cell_before():
    """Red team finding 7: cells up to BZ1, then 80 cells without reference starting right at a chunk's edge reach
    column 158; the column was not carried across the chunk and the sheet was counted 80 wide."""
    head = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<dimension ref="A1"/><sheetData>')
    pad = '<c r="BZ1"><v>1</v></c>'
    body = '<row r="1"><c r="A1"><v>1</v></c>' + pad * ((extent.CHUNK - 2000) // len(pad))
    fill = extent.CHUNK - 2 - len(head) - len(body) - len('<c r="BZ1"><v></v></c>')  # the next "<c" starts 2 bytes before the edge
    body += '<c r="BZ1"><v>' + "1" * fill + "</v></c>"
    data = office_files.xlsx_sheet(body + "<c><v>2</v></c>" * 80 + "</row>")
    assert _xlsx_extents(data) == [extent.Extent("Behov", 1, 158)]
    with pytest.raises(Refused) as refused:  # (the file itself unpacks 4 MB from a few KB: refused as a zip bomb first)
        spreadsheet._check_extents(_xlsx_extents(data))
    assert (refused.value.code, refused.value.value) == ("range", "Behov!FB1")


# --- the checks stop early, per part, and refuse entities (red team findings 6 and 8) ---

def _rebuilt(data: bytes, parts: dict[str, tuple[bytes, int]]) -> bytes:
    """The workbook with ``parts`` (name -> bytes, compression) put after its own parts, in that order."""
    buf = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(buf, "w") as z:
        for info in source.infolist():
            if info.filename not in parts:
                z.writestr(info.filename, source.read(info.filename), zipfile.ZIP_DEFLATED)
        for name, (body, method) in parts.items():
            z.writestr(name, body, method)
    return buf.getvalue()


def test_a_part_that_unpacks_far_beyond_its_own_size_is_a_zip_bomb_whatever_the_other_parts():
    stored = os.urandom(2 * 1024 * 1024)  # 2 MB that do not pack: the whole file's ratio stays below 200
    data = _rebuilt(office_files.xlsx_sheet(f'<row r="1">{office_files.text_cell("A1", "a")}</row>'),
                    {"docProps/pad.bin": (stored, zipfile.ZIP_STORED), "xl/media/blank.xml": (b" " * 3_000_000, zipfile.ZIP_DEFLATED)})
    with pytest.raises(Refused) as refused:
        spreadsheet.read(data)
    assert refused.value.code == "zip_bomb" and "xl/media/blank.xml" in str(refused.value)


def test_a_sheet_too_far_out_is_refused_before_the_next_part_is_inflated():
    data = _rebuilt(office_files.dense_range(), {"xl/z.xml": (b" " * 10_000_000, zipfile.ZIP_DEFLATED)})
    with pytest.raises(Refused) as refused:
        spreadsheet.read(data)
    assert refused.value.code == "range"  # not the part after it, a zip bomb


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/workbook.xml"])
def test_a_workbook_whose_xml_declares_entities_is_refused_as_such(part):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>')
    data = _rebuilt(office_files.xlsx_sheet(f'<row r="1">{office_files.text_cell("A1", "a")}</row>'), {part: (laughs, zipfile.ZIP_DEFLATED)})
    with pytest.raises(Refused) as refused:
        reading.spreadsheet(data, GENEROUS)
    assert (refused.value.code, refused.value.value) == ("entities", part)
    assert str(refused.value).startswith("the workbook's XML uses entities (not allowed)")


def test_a_barometer_round_with_a_lone_surrogate_is_a_bad_file_not_over_the_limits():
    from core.analysis.barometer import BarometerProblems

    with pytest.raises(BarometerProblems) as problems:
        reading.barometer_round(b'[{"\\ud800": 1}]', GENEROUS)
    assert "lone surrogate" in problems.value.problems[0].why


def test_the_scan_stops_at_the_chunk_where_a_sheet_passes_a_limit():
    """Not the whole 400 MB first: the first chunk of this sheet already reaches row 200,002."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 200_003))
    data = office_files.xlsx_sheet(rows + "<x/>" * (10 * extent.CHUNK // 4))  # 9 MB of rows, then 40 MB
    seen = []

    def inflated(size: int) -> None:
        seen.append(size)

    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    with pytest.raises(Refused) as refused:
        extent.xlsx_extent("Behov", extent.inflate(data, info, inflated), spreadsheet._check_one)
    assert refused.value.code == "too_many_rows"
    assert sum(seen) <= 4 * extent.CHUNK < 10 * extent.CHUNK < info.file_size
