"""Reading the spreadsheets people really send: XLSX or CSV (UTF-8 with or without BOM, Windows-1252,
``;`` or ``,`` or tab), every cell kept as text. A file that is not a table is refused whole with a
reason before anything large is read: too many bytes, an old binary .xls, a zip bomb, a sheet that
declares too many rows, NUL bytes in a text file. Cells are never evaluated: a formula stays text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 80
MAX_UNZIPPED = 400 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed: a real workbook stays far below
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and other Office 97 files)


class Refused(ValueError):
    """The whole file is refused; ``code`` names the catalogue text ``import.refused_<code>``."""

    def __init__(self, code: str, message: str, value: object = ""):
        super().__init__(message)
        self.code, self.value = code, str(value)


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's name; "CSV" for a text file
    rows: list[list[str]]  # every row as text cells, as in the file (the first is row 1)
    encoding: str = ""
    delimiter: str = ""


def read(data: bytes, filename: str = "") -> list[Sheet]:
    """The sheets of an XLSX or the one table of a CSV, recognised by content (not by the file's name)."""
    if len(data) > MAX_BYTES:
        raise Refused("too_large", f"the file is {len(data):,} bytes; at most {MAX_BYTES:,} are read", len(data))
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        raise Refused("empty", "the file is empty")
    if data.startswith(OLE):
        raise Refused("xls", "an old binary Excel file (.xls): save it as .xlsx (Excel workbook) or CSV")
    if data.startswith(ZIP):
        return _xlsx(data)
    return [_csv(data)]


def _xlsx(data: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as err:
        raise Refused("not_spreadsheet", f"a damaged zip file, not a workbook ({err})") from err
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise Refused("not_spreadsheet", "a zip file without a workbook (xl/workbook.xml): not an Excel file")
    unzipped = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise Refused("zip_bomb", f"the workbook unpacks to {unzipped:,} bytes from {packed:,} (a zip bomb?): refused",
                      unzipped)
    for member in members:  # each sheet says its size in its first bytes: refuse a huge one before reading it
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            with archive.open(member) as fh:
                head = fh.read(4096).decode("utf-8", "replace")
            match = re.search(r'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
            if match and match[1] and int(match[1]) > MAX_ROWS + 1:
                raise Refused("too_many_rows", f"a sheet has {int(match[1]):,} rows; at most {MAX_ROWS:,} are read", match[1])
    from python_calamine import CalamineWorkbook

    sheets, name = [], ""
    try:  # calamine's errors are many (XML it rejects, a sheet the workbook names but lacks, ...): each one refuses
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if len(rows) > MAX_ROWS + 1:
                raise Refused("too_many_rows", f"sheet {name!r} has {len(rows):,} rows; at most {MAX_ROWS:,} are read", len(rows))
            sheets.append(Sheet(str(name), [[_text(v) for v in row] for row in rows]))
    except Refused:
        raise
    except Exception as err:  # noqa: BLE001
        where = f"sheet {name!r}: " if name else ""
        raise Refused("unreadable", f"the workbook cannot be read ({where}{type(err).__name__}: {str(err)[:300]})",
                      f"{where}{str(err)[:200]}") from err
    if not sheets:
        raise Refused("not_spreadsheet", "the workbook has no sheets")
    return sheets


def _text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD, nothing evaluated."""
    if type(value) is str:  # most cells: asked first (a 100,000-row sheet has two million)
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    return str(value)


def _csv(data: bytes) -> Sheet:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise Refused("nul", f"NUL bytes at line {line}: a binary file, or text saved as UTF-16; save as CSV (UTF-8)", line)
    lines = data.count(b"\n")
    if lines > MAX_ROWS + 1:
        raise Refused("too_many_rows", f"the file has {lines:,} lines; at most {MAX_ROWS:,} are read", lines)
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as err:  # a cell longer than the csv module's field limit (131,072 characters), a stray quote
        raise Refused("bad_csv", f"line {reader.line_num}: {err}", reader.line_num) from err
    if rows and max(len(r) for r in rows) > MAX_COLUMNS:
        raise Refused("too_many_columns", f"a row has more than {MAX_COLUMNS} columns: is the delimiter right?", delimiter)
    return Sheet("CSV", rows, encoding, delimiter)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "cp1252"  # Excel's "CSV" on a Swedish Windows


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ; , and tab outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
