"""Reading what people send (tests/data/import, made by make_corpus.py): every malformed file is refused
with its reason or reported at its sheet, row and column; the good ones read to the same records.
No file raises anything else (zero tracebacks)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from core.common.i18n import t
from core.exchange import needs_sheet, spreadsheet
from data import reference
from services import reading

CORPUS = Path(__file__).parents[1] / "data" / "import"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").read_text(encoding="utf-8").splitlines()))
TODAY = dt.date(2026, 11, 20)


def words():
    comps = reference.competences()
    names = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    fyrbodal = {c: names[c] for c in reference.fyrbodal_codes()}
    return needs_sheet.vocabulary({c: (sv, en) for c, sv, en in zip(comps["code"], comps["name_sv"], comps["name_en"])}, fyrbodal)


def read(name: str) -> needs_sheet.Parsed:
    sheet = needs_sheet.pick(spreadsheet.read((CORPUS / name).read_bytes(), name))
    return needs_sheet.parse(sheet, words(), set(reference.sni_divisions()), TODAY)


def test_the_corpus_has_at_least_sixty_malformed_files():
    assert sum(e["outcome"] != "ok" for e in EXPECTED) >= 60
    assert {e["file"] for e in EXPECTED} <= {p.name for p in CORPUS.iterdir()}


@pytest.mark.parametrize("case", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_each_file_gives_its_located_message(case):
    if case["outcome"] == "refused":  # in the worker, as the app reads it: a check that misses fails here, never aborts
        with pytest.raises(spreadsheet.Refused) as err:
            reading.spreadsheet((CORPUS / case["file"]).read_bytes())
        assert err.value.code == case["code"] and str(err.value)
        return
    parsed = read(case["file"])
    if case["outcome"] == "ok":
        assert parsed.problems == [] and len(parsed.records) == 3
        return
    assert parsed.problems, "a malformed file must report a problem"
    first = parsed.problems[0]
    assert first.code == case["code"], [str(p) for p in parsed.problems]
    assert str(first.row or "") == case["row"] and first.column == case["column"]
    assert str(first)  # a readable message for the command line


def test_the_good_files_read_to_the_same_records():
    records = {name: [{k: v for k, v in r.items() if k != "_row"} for r in read(name).records]
               for name in ("good_sv_utf8.csv", "good_cp1252.csv", "good_en_comma.csv", "good.xlsx", "good_renamed_xlsx.csv",
                            "good_sv_bom_semicolon.csv", "good_decimal_comma.csv", "good.xls", "good.ods", "good_renamed_ods.xlsx")}
    first = records["good_sv_utf8.csv"]
    assert all(r == first for r in records.values())
    assert [r["org_nr"] for r in first] == ["556036-0793"] * 3  # with and without hyphen
    assert [r["collected_on"] for r in first] == [dt.date(2026, 3, 1)] * 3  # ISO, 1/3/2026 and "1 mars 2026"
    assert [r["competence"] for r in first] == ["welding", "cnc", "assistant_nurse"]  # a name or a code
    assert [r["need_type"] for r in first] == ["upskilling", "recruitment", "recruitment"]
    assert first[0]["municipality_code"] == first[2]["municipality_code"] == "1427"  # a name or a code


def test_formulas_and_html_are_kept_as_text():
    assert read("formula_in_note.csv").records[0]["note"] == '=HYPERLINK("http://x")'
    assert read("formula_in_ref.csv").records[0]["ref"] == "+B1"
    assert read("html_in_company.csv").records[0]["company"] == "<b>Varv</b> & <script>x</script>"


@pytest.mark.parametrize(("text", "date"), [
    ("2026-03-01", dt.date(2026, 3, 1)), ("2026-03-01 00:00:00", dt.date(2026, 3, 1)), ("20260301", dt.date(2026, 3, 1)),
    ("1/3/2026", dt.date(2026, 3, 1)), ("01.03.2026", dt.date(2026, 3, 1)), ("1 mars 2026", dt.date(2026, 3, 1)),
    ("15 okt 2025", dt.date(2025, 10, 15)), ("2026-02-30", None), ("31/12/26", None), ("mars", None),
])
def test_swedish_dates(text, date):
    assert needs_sheet.parse_date(text) == date


def test_every_refusal_and_problem_of_the_corpus_has_its_text_in_both_languages():
    from core.common.i18n import catalogue

    keys = {f"import.refused_{e['code']}" for e in EXPECTED if e["outcome"] == "refused"} | {"import.refused_limits"}
    keys |= {f"problem.{e['code']}" for e in EXPECTED if e["outcome"] == "problem"}
    assert {"import.refused_encrypted", "import.refused_range", "import.refused_zip_sizes", "problem.excel_date_number"} <= keys
    for lang in ("sv", "en"):
        assert keys <= set(catalogue(lang)), keys - set(catalogue(lang))


# --- encodings decoded strictly (red team finding 5) and CR-only lines (finding 6) ---

SV_HEADER = "Kommun;Kommentar\r\n"


@pytest.mark.parametrize(("data", "code", "line"), [
    # a BOM says UTF-8: one Windows-1252 line in it is refused, not stored as "Ring �sa p� m�ndag"
    (b"\xef\xbb\xbf" + SV_HEADER.encode() + "Sotenäs;ok\r\n".encode() + "Tanum;Ring Åsa på måndag\r\n".encode("cp1252"),
     "not_utf8", 3),
    # no BOM, UTF-8 characters and one Windows-1252 line: not the whole file read as Windows-1252 (mojibake)
    (SV_HEADER.encode() + "Sotenäs;ok\r\n".encode() + "Tanum;Ring Åsa på måndag\r\n".encode("cp1252"), "mixed_encoding", 3),
    (SV_HEADER.encode() + "Tanum;Ring Åsa\r\n".encode("cp1252") + "Sotenäs;ok\r\n".encode(), "mixed_encoding", 2),
    (SV_HEADER.encode() + b"Tanum;\x81\r\n", "mixed_encoding", 2),  # no character in either
])
def test_a_csv_of_two_encodings_is_refused_at_the_line_of_the_first_odd_byte(data, code, line):
    with pytest.raises(spreadsheet.Refused) as refused:
        spreadsheet.read(data)
    assert (refused.value.code, refused.value.value) == (code, str(line))
    assert "CSV UTF-8" in str(refused.value)
    for lang in ("sv", "en"):
        assert f"{line}" in t(lang, f"import.refused_{code}", value=line) and "CSV UTF-8" in t(lang, f"import.refused_{code}", value=line)


@pytest.mark.parametrize(("data", "encoding"), [
    (b"\xef\xbb\xbf" + (SV_HEADER + "Sotenäs;Ring Åsa på måndag\r\n").encode(), "utf-8-sig"),
    ((SV_HEADER + "Sotenäs;Ring Åsa på måndag\r\n").encode(), "utf-8"),
    ((SV_HEADER + "Sotenäs;Ring Åsa på måndag – 5 €\r\n").encode("cp1252"), "cp1252"),
])
def test_a_csv_in_one_encoding_reads_exactly(data, encoding):
    [sheet] = spreadsheet.read(data)
    assert sheet.encoding == encoding and sheet.rows[1][1].startswith("Ring Åsa på måndag")
    assert spreadsheet.ENCODINGS[encoding]


def test_lines_ending_in_cr_alone_are_counted_as_lines():
    with pytest.raises(spreadsheet.Refused) as refused:
        spreadsheet.read(b"a;b\r" * (spreadsheet.MAX_ROWS + 5))
    assert str(refused.value) == "the file has 200,005 lines; at most 200,000 are read"  # counted before it is parsed
