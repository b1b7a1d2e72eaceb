"""Writes the malformed-file corpus beside it, and expected.csv: what each file must produce.

Run once (``python tests/data/import/make_corpus.py``); the files are committed, so the tests read the
same bytes on every machine. Each malformed file is a good file with one thing wrong.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2]))  # the project, for tests.office_files (.xls, .ods and hostile workbooks)

from tests import office_files  # noqa: E402

SV = ["Behovsreferens", "Organisationsnummer", "Företag", "SNI-kod", "Kommun", "Storleksklass", "Kompetens", "Typ",
      "Antal personer", "Horisont", "Form", "Nivå", "Metod", "Insamlat", "Status", "Uppföljning", "Utfall", "Anteckning"]
EN = ["Need reference", "Organisation number", "Company", "SNI code", "Municipality", "Size class", "Competence", "Type",
      "Persons", "Horizon", "Form", "Level", "Method", "Collected", "Status", "Follow-up", "Outcome", "Note"]
ROWS = [
    ["B-1", "556036-0793", "Testvarvet AB", "30.12", "Sotenäs", "10-49", "Svetsning", "Kompetensutveckling (bristkompetens)",
     "3", "0–6 månader", "Flexibelt (blended)", "Gymnasial", "Workshop", "2026-03-01", "Ny", "", "", "Certifikat"],
    ["B-2", "5560360793", "Testvarvet AB", "30.12", "Sotenäs", "10-49", "cnc", "recruitment",
     "2", "6-12", "on_site", "upper_secondary", "company_visit", "1/3/2026", "analysed", "2026-12-01", "", ""],
    ["B-3", "556036-0793", "Testvarvet AB", "30.12", "1427", "10-49", "Undersköterska", "Rekrytering (bristyrke)",
     "1", "12-36", "På plats", "Gymnasial", "Enkät", "1 mars 2026", "Avslutad", "", "Utbildade", ""],
]
GOOD = {"good_sv_utf8.csv", "good_sv_bom_semicolon.csv", "good_cp1252.csv", "good_en_comma.csv", "good.xlsx",
        "good_renamed_xlsx.csv", "good_decimal_comma.csv", "good.xls", "good.ods", "good_renamed_ods.xlsx"}


def table(header=SV, rows=ROWS, delimiter=";") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def change(row: int, column: str, value: str, header=SV) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    rows[row][header.index(column)] = value
    return rows


def xlsx(header=SV, rows=ROWS) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Behov"
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<" + "a" * (300 * 1024 * 1024) + ">")
    return buf.getvalue()


def huge_dimension() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet><dimension ref="A1:R1000001"/>'
                   + "<sheetData/></worksheet>")
    return buf.getvalue()


def files() -> dict[str, tuple[bytes, str, str, str, str]]:
    """name -> (bytes, outcome, code, row, column): outcome "ok", "refused" or "problem"."""
    out: dict[str, tuple[bytes, str, str, str, str]] = {}

    def text(name, body, outcome, code="", row="", column="", encoding="utf-8"):
        out[name] = (body.encode(encoding), outcome, code, str(row), column)

    text("good_sv_utf8.csv", table(), "ok")
    out["good_sv_bom_semicolon.csv"] = (b"\xef\xbb\xbf" + table().encode(), "ok", "", "", "")
    text("good_cp1252.csv", table(), "ok", encoding="cp1252")
    text("good_en_comma.csv", table(EN, delimiter=","), "ok")
    text("good_decimal_comma.csv", table(rows=change(0, "Antal personer", "3,0")), "ok")
    out["good.xlsx"] = (xlsx(), "ok", "", "", "")
    out["good_renamed_xlsx.csv"] = (xlsx(), "ok", "", "", "")
    out["good.xls"] = (office_files.xls({"Behov": [SV, *ROWS]}), "ok", "", "", "")  # Excel 97-2003
    out["good.ods"] = (office_files.ods({"Behov": [SV, *ROWS]}), "ok", "", "", "")  # LibreOffice, with its padding
    out["good_renamed_ods.xlsx"] = (office_files.ods({"Behov": [SV, *ROWS]}), "ok", "", "", "")
    # refused whole
    out["empty.csv"] = (b"", "refused", "empty", "", "")
    out["only_whitespace.csv"] = (b"\xef\xbb\xbf \r\n \r\n", "refused", "empty", "", "")
    out["old_excel.xls"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "refused", "unreadable", "", "")  # a damaged one
    out["zip_not_workbook.xlsx"] = (_zip({"hello.txt": "hi"}), "refused", "not_spreadsheet", "", "")
    out["damaged_zip.xlsx"] = (b"PK\x03\x04" + b"garbage" * 50, "refused", "not_spreadsheet", "", "")
    out["zip_bomb.xlsx"] = (zip_bomb(), "refused", "zip_bomb", "", "")
    out["million_rows_declared.xlsx"] = (huge_dimension(), "refused", "unreadable", "", "")  # no sheet; no cell either
    out["nul_bytes.csv"] = (table().encode()[:40] + b"\x00\x00" + table().encode()[40:], "refused", "nul", "", "")
    out["utf16.csv"] = (table().encode("utf-16"), "refused", "nul", "", "")
    out["png_image.csv"] = (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "refused", "nul", "", "")
    out["many_lines.csv"] = ((SV[0] + "\n" + "x\n" * 200_005).encode(), "refused", "too_many_rows", "", "")
    out["too_many_columns.csv"] = ((";".join(f"c{i}" for i in range(100)) + "\n").encode(), "refused", "too_many_columns", "", "")
    # sheet-level problems
    text("header_only.csv", table(rows=[]), "problem", "no_rows")
    for column in ("Behovsreferens", "Organisationsnummer", "Kompetens", "Antal personer", "Insamlat", "Kommun", "Företag"):
        i = SV.index(column)
        header = SV[:i] + SV[i + 1:]
        rows = [r[:i] + r[i + 1:] for r in ROWS]
        text(f"missing_{_slug(column)}.csv", table(header, rows), "problem", "missing_column", 1, column)
    text("duplicated_column.csv", table(SV + ["Kompetens"], [r + ["cnc"] for r in ROWS]), "problem", "duplicate_column", 1, "Kompetens")
    text("wrong_delimiter_pipe.csv", table(delimiter="|"), "problem", "missing_column", 1, "Behovsreferens")
    text("blank_lines_only_after_header.csv", table(rows=[]) + "\r\n;;;\r\n", "problem", "no_rows")
    # row problems: (row index in ROWS, column, value, code); file row = index + 2
    cases = [
        ("org_nr_check_digit", 0, "Organisationsnummer", "556036-0794", "org_nr_check"),
        ("org_nr_too_short", 1, "Organisationsnummer", "55603607", "org_nr_form"),
        ("org_nr_letters", 2, "Organisationsnummer", "ABCDEF-1234", "org_nr_form"),
        ("org_nr_empty", 0, "Organisationsnummer", "", "required"),
        ("sni_unknown_division", 0, "SNI-kod", "04.1", "sni_unknown"),
        ("sni_text", 1, "SNI-kod", "varv", "sni_unknown"),
        ("municipality_unknown_name", 0, "Kommun", "Atlantis", "unknown_value"),
        ("municipality_unknown_code", 1, "Kommun", "9999", "unknown_value"),
        ("municipality_outside_region", 2, "Kommun", "Stockholm", "unknown_value"),
        ("competence_unknown", 0, "Kompetens", "Jonglering", "unknown_value"),
        ("type_unknown", 1, "Typ", "ibland", "unknown_value"),
        ("persons_zero", 0, "Antal personer", "0", "persons_range"),
        ("persons_negative", 1, "Antal personer", "-2", "persons_range"),
        ("persons_fraction", 2, "Antal personer", "2,5", "persons_range"),
        ("persons_text", 0, "Antal personer", "några", "persons_range"),
        ("persons_huge", 1, "Antal personer", "100000", "persons_range"),
        ("horizon_unknown", 0, "Horisont", "snart", "unknown_value"),
        ("form_unknown", 1, "Form", "hybrid-ish", "unknown_value"),
        ("level_unknown", 2, "Nivå", "doktor", "unknown_value"),
        ("method_unknown", 0, "Metod", "telepati", "unknown_value"),
        ("status_unknown", 1, "Status", "kanske", "unknown_value"),
        ("outcome_unknown", 2, "Utfall", "lyckat", "unknown_value"),
        ("date_not_a_date", 0, "Insamlat", "igår", "not_a_date"),
        ("date_impossible", 1, "Insamlat", "2026-02-30", "not_a_date"),
        ("date_in_future", 2, "Insamlat", "2999-01-01", "date_in_future"),
        ("date_us_order_impossible", 0, "Insamlat", "12/31/2026", "not_a_date"),
        ("follow_up_not_a_date", 1, "Uppföljning", "nästa vecka", "not_a_date"),
        ("size_unknown", 0, "Storleksklass", "jättestor", "unknown_value"),
        ("company_empty", 1, "Företag", "", "required"),
        ("ref_empty", 0, "Behovsreferens", "", "required"),
        ("ref_too_long", 1, "Behovsreferens", "R" * 61, "too_long"),
        ("note_too_long", 2, "Anteckning", "x" * 4001, "too_long"),
        ("company_name_too_long", 0, "Företag", "F" * 201, "too_long"),
        ("closed_without_outcome", 2, "Utfall", "", "required"),
        ("duplicated_key", 1, "Behovsreferens", "B-1", "duplicate_key"),
        ("company_differs", 1, "Företag", "Annat namn AB", "company_differs"),
        ("company_sni_differs", 2, "SNI-kod", "33.15", "company_differs"),
    ]
    for name, index, column, value, code in cases:
        shown = "Företag" if code == "company_differs" else column
        text(f"{name}.csv", table(rows=change(index, column, value)), "problem", code, index + 2, shown)
    # the same in English headers and with a comma
    for name, index, column, value, code in cases[:6]:
        col = EN[SV.index(column)]
        text(f"en_{name}.csv", table(EN, change(index, column, value), ","), "problem", code, index + 2, col)
    # XLSX with row problems
    out["xlsx_persons_zero.xlsx"] = (xlsx(rows=change(0, "Antal personer", "0")), "problem", "persons_range", "2", "Antal personer")
    out["xlsx_missing_column.xlsx"] = (xlsx([h for h in SV if h != "Kompetens"], [r[:6] + r[7:] for r in ROWS]), "problem",
                                       "missing_column", "1", "Kompetens")
    # text that must be kept as text, not refused: formulas and HTML (they are checked on their own columns)
    text("formula_in_note.csv", table(rows=change(0, "Anteckning", "=HYPERLINK(\"http://x\")")), "ok")
    text("html_in_company.csv", table(rows=[[*r[:2], "<b>Varv</b> & <script>x</script>", *r[3:]] for r in ROWS]), "ok")
    text("formula_in_ref.csv", table(rows=change(0, "Behovsreferens", "+B1")), "ok")
    # files that once ended in a traceback, and more of their kind: each a located refusal or problem now
    text("csv_cell_over_field_limit.csv", table(rows=change(1, "Anteckning", "x" * 140_000)), "refused", "bad_csv")
    out["xlsx_doctype_entities.xlsx"] = (_patched(xlsx(), "xl/worksheets/sheet1.xml", lambda x: x.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><worksheet', 1).replace(
        "<t>Testvarvet AB</t>", "<t>&b;</t>")), "refused", "entities", "", "")
    out["xlsx_sheet_relation_to_nothing.xlsx"] = (_patched(xlsx(), "xl/_rels/workbook.xml.rels", lambda x: x.replace(
        "worksheets/sheet1.xml", "worksheets/nowhere.xml")), "refused", "unreadable", "", "")
    out["xlsx_broken_xml.xlsx"] = (_patched(xlsx(), "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2]),
                                   "refused", "unreadable", "", "")
    out["xlsx_shared_string_missing.xlsx"] = (_patched(xlsx(), "xl/worksheets/sheet1.xml", lambda x: x.replace(
        't="inlineStr"><is><t>Testvarvet AB</t></is>', 't="s"><v>7</v>', 1)), "refused", "unreadable", "", "")
    # issue 32: files as offices and attackers make them
    out["encrypted.xlsx"] = (office_files.encrypted_xlsx(), "refused", "encrypted", "", "")
    out["encrypted.xls"] = (office_files.xls({"Behov": [SV, *ROWS]}, password=True), "refused", "encrypted", "", "")
    out["dense_range.xlsx"] = (office_files.dense_range(), "refused", "range", "", "")
    out["dense_range_100_columns.xlsx"] = (office_files.dense_range("CV200000"), "refused", "range", "", "")
    out["far_cell_without_reference.xlsx"] = (office_files.unreferenced_far_cell(), "refused", "range", "", "")
    out["far_row.xlsx"] = (office_files.dense_range("B200002"), "refused", "too_many_rows", "", "")
    out["far_cell.xls"] = (office_files.xls({"Behov": [SV, *ROWS]}, {"Behov": [(65535, 255, "x")]}), "refused", "range", "", "")
    out["repeated_cells.ods"] = (office_files.ods({"Behov": [SV, *ROWS]}, tail=(
        '<table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="100" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>')), "refused", "range", "", "")
    out["declared_size_smaller.xlsx"] = (office_files.declared_size_lies(real=5000, declared=2000), "refused", "zip_sizes", "", "")
    out["declared_size_bomb.xlsx"] = (office_files.declared_size_lies(real=64 * 1024 * 1024, declared=2000), "refused", "zip_bomb",
                                      "", "")
    out["binary_workbook.xlsb"] = (_zip({"xl/workbook.bin": "x", "[Content_Types].xml": "<Types/>"}), "refused", "xlsb", "", "")
    out["excel_date_number.xlsx"] = (xlsx(rows=change(0, "Insamlat", 46082)), "problem", "excel_date_number", "2", "Insamlat")
    out["excel_date_number.xls"] = (office_files.xls({"Behov": [SV, *change(1, "Uppföljning", 46388)]}), "problem",
                                    "excel_date_number", "3", "Uppföljning")
    text("excel_date_number.csv", table(rows=change(2, "Insamlat", "46082,5")), "problem", "excel_date_number", 4, "Insamlat")
    text("date_1899.csv", table(rows=change(0, "Insamlat", "1899-12-31")), "problem", "date_too_early", 2, "Insamlat")
    text("follow_up_1970.csv", table(rows=change(1, "Uppföljning", "1/1/1970")), "problem", "date_too_early", 3, "Uppföljning")
    text("bidi_override_in_company.csv", table(rows=[[*r[:2], "Varv\u202eBA nevrat", *r[3:]] for r in ROWS]), "problem",
         "control_character", 2, "Företag")
    text("zero_width_in_note.csv", table(rows=change(2, "Anteckning", "Svets\u200bcertifikat")), "problem", "control_character",
         4, "Anteckning")
    text("bell_in_ref.csv", table(rows=change(1, "Behovsreferens", "B-\x072")), "problem", "control_character", 3, "Behovsreferens")
    text("markdown_image_in_company.csv", table(rows=[[*r[:2], "Varv ![x](http://198.51.100.7/p.png) AB", *r[3:]] for r in ROWS]),
         "ok")
    return out


def _patched(workbook: bytes, member: str, change) -> bytes:
    """``workbook`` with one member's text changed (the rest copied as it is)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            body = source.read(info.filename)
            z.writestr(info.filename, change(body.decode("utf-8")).encode("utf-8") if info.filename == member else body)
    return buf.getvalue()


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def _slug(text: str) -> str:
    return text.lower().replace(" ", "_").replace("ö", "o").replace("å", "a").replace("ä", "a").replace("-", "_")


if __name__ == "__main__":
    import sys

    made = files()
    every = "--all" in sys.argv  # by default only files not yet in the corpus (a workbook's bytes change with the clock)
    with open(HERE / "expected.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "outcome", "code", "row", "column"])
        for name, (body, outcome, code, row, column) in sorted(made.items()):
            if every or not (HERE / name).exists():
                (HERE / name).write_bytes(body)
            writer.writerow([name, outcome, code, row, column])
    print(f"{len(made)} files ({sum(1 for v in made.values() if v[1] != 'ok')} malformed) written to {HERE}")
