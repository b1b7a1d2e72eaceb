"""Reading the spreadsheets people really send: Excel (.xlsx, and .xls from Excel 97-2003), OpenDocument (.ods,
LibreOffice) or CSV (UTF-8 with or without BOM, Windows-1252, ``;`` or ``,`` or tab), every cell kept as text,
recognised by content (not by the file's name). A file that is not a table is refused whole with a reason
before anything large is read: too many bytes, a zip whose parts unpack to more than they may (inflated and
counted, not taken from the sizes it declares) or to other sizes than it says, an encrypted workbook, a sheet
whose cells reach beyond ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns or ``MAX_CELLS`` cells (measured from the
cells themselves, ``core.exchange.extent``), NUL bytes in a text file. Only then is the workbook handed to the
reader (python-calamine), which never evaluates a formula: a formula stays text.

This runs on a file from outside, so the app and the command line call it in a worker process with a memory
and time limit (``services.reading``): whatever a reader does with a file, it costs a refusal, not the server.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from core.exchange import cfb, extent

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 80
MAX_CELLS = 8_000_000  # a sheet's block from A1 to its last cell: 200,000 rows of 40 columns (the template has 18)
MAX_SHEETS = 32  # sheets a workbook may have (the import reads one or two)
MAX_CELL_TEXT = 32_767  # characters in one cell: Excel's own limit
MAX_TEXT = 64 * 1024 * 1024  # characters in all cells together: ~5 times the largest file the import takes (200,000 rows)
MAX_UNZIPPED = 400 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed: a real workbook stays far below
ZIP = b"PK\x03\x04"
ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
FORMATS = ("xlsx", "xls", "ods", "csv")  # what an upload may be called; what it is, is read from its bytes


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
    """The sheets of a workbook or the one table of a CSV, recognised by content (not by the file's name)."""
    if len(data) > MAX_BYTES:
        raise Refused("too_large", f"the file is {len(data):,} bytes; at most {MAX_BYTES:,} are read", len(data))
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        raise Refused("empty", "the file is empty")
    if cfb.is_compound(data):
        return _compound(data)
    if data.startswith(ZIP):
        return _zipped(data)
    return [_csv(data)]


def _compound(data: bytes) -> list[Sheet]:
    """An old Excel workbook (.xls), or an encrypted .xlsx (Office wraps those in the same container)."""
    try:
        book = cfb.Compound(data)
        names = {n.casefold() for n in book.names()}
        if "encryptedpackage" in names or "encryptioninfo" in names:
            raise Refused("encrypted", "the workbook is encrypted (saved with a password): save it without one")
        streams = book.streams("workbook") + book.streams("book")  # each one a reader might take, measured
    except cfb.Damaged as err:
        raise Refused("unreadable", f"the workbook cannot be read (a damaged Office file: {err})", str(err)[:200]) from err
    if not streams:
        raise Refused("not_spreadsheet", "an Office file that holds no workbook (a Word or PowerPoint file?)")
    for stream in streams:
        biff = extent.biff_extents(stream, MAX_SHEETS)
        if biff.encrypted:
            raise Refused("encrypted", "the workbook is encrypted (saved with a password): save it without one")
        if biff.sheets > MAX_SHEETS:
            raise Refused("too_many_sheets", f"the workbook has {biff.sheets:,} sheets; at most {MAX_SHEETS} are read",
                          biff.sheets)
        _check_extents(biff.extents)
    return _calamine(data, "the .xls workbook")


def _zipped(data: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:  # OSError, ValueError: a directory that points nowhere
        raise Refused("not_spreadsheet", f"a damaged zip file, not a workbook ({err})") from err
    names = {m.filename for m in members}
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "content.xml" in names and (_small(archive, "mimetype")[:100].strip() == ODS_TYPE if "mimetype" in names else True):
        kind = "ods"
    elif "xl/workbook.bin" in names:
        raise Refused("xlsb", "an Excel binary workbook (.xlsb): save it as .xlsx (Excel workbook)")
    else:
        raise Refused("not_spreadsheet", "a zip file that is neither an Excel workbook (xl/workbook.xml) nor an "
                                         "OpenDocument spreadsheet (content.xml)")
    if any(m.flag_bits & 0x1 for m in members) or (kind == "ods" and b"encryption-data" in _small(archive, "META-INF/manifest.xml")):
        raise Refused("encrypted", "the workbook is encrypted (saved with a password): save it without one")
    packed = max(sum(m.compress_size for m in members), 1)
    unzipped = 0

    def budget(size: int) -> None:
        nonlocal unzipped
        unzipped += size
        if unzipped > MAX_UNZIPPED or unzipped > MAX_RATIO * packed and unzipped > 1024 * 1024:
            raise Refused("zip_bomb", f"the workbook unpacks to more than {unzipped:,} bytes from {packed:,} (a zip bomb?): "
                                      "refused", unzipped)

    extents: list[extent.Extent] = []
    sheet_names = _xlsx_sheet_names(archive, names) if kind == "xlsx" else {}
    try:
        for member in members:  # every part inflated and counted; the sheets' cells measured on the way
            raw = extent.inflate(data, member, _per_member(member, budget))
            chunks = _no_entities(member.filename, raw) if member.filename.endswith((".xml", ".rels")) else raw
            try:
                if kind == "xlsx":  # every part: the reader follows the workbook's relations to a sheet of any name
                    extents.append(extent.xlsx_extent(sheet_names.get(member.filename, member.filename), chunks, _check_one))
                elif kind == "ods" and member.filename == "content.xml":
                    extents.extend(extent.ods_extents(chunks, _check_one))
                else:
                    _drain(chunks)
            finally:  # the rest of a part its scan refused is still counted: a zip bomb is called one
                _drain(raw)
            _check_extents(extents)  # a sheet too far out stops the scan here, before the next part is inflated
    except extent.Unreadable as err:
        raise Refused("zip_sizes" if "says" in str(err) else "unreadable",
                      f"the workbook cannot be read: {err}", str(err)[:200]) from err
    _check_extents(extents)
    return _calamine(data, "the workbook")


def _per_member(member: zipfile.ZipInfo, budget):
    """The workbook's budget, and each part's own ratio: a part may not unpack to more than ``MAX_RATIO`` times its
    packed bytes (beyond 1 MB), whatever the other parts hold (random bytes in a stored part lower the whole's ratio)."""
    packed, unpacked = max(member.compress_size, 1), 0

    def count(size: int) -> None:
        nonlocal unpacked
        unpacked += size
        if unpacked > MAX_RATIO * packed and unpacked > 1024 * 1024:
            raise Refused("zip_bomb", f"the part {member.filename} unpacks to more than {unpacked:,} bytes from {packed:,} "
                                      "(a zip bomb?): refused", unpacked)
        budget(size)

    return count


def _no_entities(name: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """An XML part's chunks, refused at a document type declaration: no spreadsheet's XML has one, and it is how
    entities are declared (billion laughs, an external entity reaching for a file)."""
    tail = b""
    for chunk in chunks:
        if b"<!DOCTYPE" in tail + chunk[:16] or b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
            raise Refused("entities", f"the workbook's XML uses entities (not allowed): {name} declares a document type", name)
        tail = chunk[-16:]
        yield chunk


def _drain(chunks: Iterator[bytes]) -> None:
    for _chunk in chunks:
        pass


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A small part's first 1 MB (the manifest, the workbook's sheet list): never more, whatever it declares."""
    try:
        with archive.open(name) as fh:
            return fh.read(1024 * 1024)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError):
        return b""


def _xlsx_sheet_names(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Each worksheet part's sheet name, for the messages (best effort: the part's own name where it fails)."""
    book, rels = _small(archive, "xl/workbook.xml"), _small(archive, "xl/_rels/workbook.xml.rels")
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(rb'\bId="([^"]*)"', tag), re.search(rb'\bTarget="([^"]*)"', tag)
        if rid and target:
            path = target[1].decode("utf-8", "replace")
            targets[rid[1]] = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    out = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        name, rid = re.search(rb'\bname="([^"]*)"', tag), re.search(rb'\b(?:\w+:)?id="([^"]*)"', tag)
        if name and rid and rid[1] in targets:
            out[targets[rid[1]]] = name[1].decode("utf-8", "replace")
    return {path: name for path, name in out.items() if path in names}


def _check_one(found: extent.Extent) -> None:
    """One sheet's reach so far, while its part is scanned: refused as soon as it is too far."""
    _check_extents([found])


def _check_extents(extents: list[extent.Extent]) -> None:
    """Refuse a sheet whose cells reach too far before any reader makes a block of them."""
    for found in extents:
        if found.rows > MAX_ROWS + 1:
            raise Refused("too_many_rows", f"sheet {found.sheet!r} has cells down to row {found.rows:,} ({found.last_cell}); "
                                           f"at most {MAX_ROWS:,} rows are read", f"{found.rows:,}")
        if found.columns > MAX_COLUMNS or found.cells > MAX_CELLS:
            raise Refused("range", f"sheet {found.sheet!r} has cells out to {found.last_cell} ({found.rows:,} rows x "
                                   f"{found.columns:,} columns); at most {MAX_COLUMNS} columns and {MAX_CELLS:,} cells are read",
                          f"{found.sheet}!{found.last_cell}")
    total = sum(found.cells for found in extents)
    if total > MAX_CELLS:
        raise Refused("range", f"the sheets together reach {total:,} cells; at most {MAX_CELLS:,} are read",
                      ", ".join(f"{f.sheet}!{f.last_cell}" for f in extents if f.cells)[:200])


def _calamine(data: bytes, what: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, PasswordError

    sheets, name, measure = [], "", Measure()
    try:  # calamine's errors are many (XML it rejects, a sheet the workbook names but lacks, ...): each one refuses
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if len(book.sheet_names) > MAX_SHEETS:
            raise Refused("too_many_sheets", f"the workbook has {len(book.sheet_names):,} sheets; at most {MAX_SHEETS} are read",
                          len(book.sheet_names))
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if len(rows) > MAX_ROWS + 1:
                raise Refused("too_many_rows", f"sheet {name!r} has {len(rows):,} rows; at most {MAX_ROWS:,} are read", len(rows))
            if max(map(len, rows), default=0) > MAX_COLUMNS:
                raise Refused("range", f"sheet {name!r} has {max(map(len, rows)):,} columns; at most {MAX_COLUMNS} are read",
                              f"{name}!{extent.column_name(max(map(len, rows)))}{len(rows)}")
            text = []
            for number, row in enumerate(rows, 1):
                cells = [_text(v) for v in row]
                measure.row(str(name), number, cells)
                text.append(cells)
            del rows
            sheets.append(Sheet(str(name), text))
    except Refused:
        raise
    except PasswordError as err:
        raise Refused("encrypted", "the workbook is encrypted (saved with a password): save it without one") from err
    except Exception as err:  # noqa: BLE001
        where = f"sheet {name!r}: " if name else ""
        raise Refused("unreadable", f"{what} cannot be read ({where}{type(err).__name__}: {str(err)[:300]})",
                      f"{where}{str(err)[:200]}") from err
    if not sheets:
        raise Refused("not_spreadsheet", "the workbook has no sheets")
    return sheets


class Measure:
    """What the cells hand back, counted row by row before the answer is built: no cell longer than ``MAX_CELL_TEXT``
    characters, no more than ``MAX_TEXT`` characters and ``MAX_CELLS`` cells in all sheets together. The answer
    crosses to the server, whose memory has no limit of its own: this bounds it (one long shared string in many
    cells costs a few bytes in the file and its length times the cells in the answer)."""

    def __init__(self) -> None:
        self.text = self.cells = 0

    def row(self, sheet: str, number: int, cells: list[str]) -> None:
        lengths = list(map(len, cells))
        longest = max(lengths, default=0)
        if longest > MAX_CELL_TEXT:
            where = f"{sheet}!{extent.column_name(lengths.index(longest) + 1)}{number}"
            raise Refused("cell_too_long", f"cell {where} holds {longest:,} characters; at most {MAX_CELL_TEXT:,} are read "
                                           "(Excel's own limit)", where)
        self.text += sum(lengths)
        self.cells += len(cells)
        if self.text > MAX_TEXT:
            raise Refused("too_much_text", f"the cells hold more text than {MAX_TEXT:,} characters (passed at {sheet}!A{number}); "
                                           "a needs file holds far less: split it", f"{sheet}!A{number}")
        if self.cells > MAX_CELLS:
            raise Refused("range", f"the sheets together have more than {MAX_CELLS:,} cells (passed at {sheet}!A{number})",
                          f"{sheet}!A{number}")


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
    lines = max(data.count(b"\n"), data.count(b"\r"))  # a line ends in CRLF, LF or CR alone (an old Mac's CSV)
    if lines > MAX_ROWS + 1:
        raise Refused("too_many_rows", f"the file has {lines:,} lines; at most {MAX_ROWS:,} are read", lines)
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as err:  # a cell longer than the csv module's field limit (131,072 characters), a stray quote
        raise Refused("bad_csv", f"line {reader.line_num}: {err}", reader.line_num) from err
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COLUMNS:
        raise Refused("too_many_columns", f"a row has more than {MAX_COLUMNS} columns: is the delimiter right?", delimiter)
    _check_extents([extent.Extent("CSV", len(rows), width)])
    measure = Measure()
    for number, row in enumerate(rows, 1):
        measure.row("CSV", number, row)
    return Sheet("CSV", rows, encoding, delimiter)


ENCODINGS = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}  # what a preview says it read
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                           rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                           rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")  # one well-formed multi-byte UTF-8 character


def _line(data: bytes, at: int) -> int:
    """The line (from 1) of byte ``at``: lines end in LF, CRLF or CR alone."""
    before = data[:at]
    return max(before.count(b"\n"), before.count(b"\r")) + 1


def _decode(data: bytes) -> tuple[str, str]:
    """The text, decoded strictly: never a replacement character in a stored value. A BOM says UTF-8, so the rest
    must be UTF-8; without one, UTF-8 if the bytes are UTF-8, else Windows-1252 (Excel's "CSV" on a Swedish Windows)
    only if no character in the file is UTF-8: a file of both (lines pasted from two programs) is refused at its
    first byte that is not UTF-8, whichever way it was meant."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            line = _line(data, err.start + 3)
            raise Refused("not_utf8", f"line {line}: bytes that are not UTF-8 in a file marked as UTF-8 (it starts with a "
                                      'BOM): save it as "CSV UTF-8" and import again', line) from err
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first = err.start
    if UTF8_SEQUENCE.search(data):
        line = _line(data, first)
        raise Refused("mixed_encoding", f"line {line}: bytes that are not UTF-8 in a file whose other characters are "
                                        'UTF-8 (two encodings mixed): save it as "CSV UTF-8" and import again', line)
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as err:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: no character in Windows-1252 either
        line = _line(data, err.start)
        raise Refused("mixed_encoding", f"line {line}: a byte that is neither UTF-8 nor Windows-1252: save it as "
                                        '"CSV UTF-8" and import again', line) from err


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ; , and tab outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
