"""How far a workbook's cells really reach, and how much its zip really unpacks to: measured from the file's own
bytes before a reader allocates anything, never taken from what the file declares.

A spreadsheet reader makes every sheet a dense block from A1 to the last cell, so two cells, A1 and XFD200000,
ask for 3.3 billion cells (100 GB) whatever ``<dimension ref="A1"/>`` says. The extent is therefore taken from
the cells themselves: every ``<c>`` of an Excel sheet (its ``r`` reference, or its place in its row when it has
none), every cell of an OpenDocument table with its repeats, every cell record of an old Excel workbook. Empty
but formatted cells count as far as they reach (as Excel's Ctrl+End does). A zip member is inflated as a stream
with a cap; what it declares about its size is compared with what it really holds.

Pure: bytes in, numbers out.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CHUNK = 4 * 1024 * 1024  # inflated bytes handed to a scanner at a time
LONGEST_TAG = 1024 * 1024  # a start tag longer than this is no spreadsheet's


class Unreadable(ValueError):
    """The bytes are not what their container says (sizes that lie, a method no spreadsheet uses, a tag without end)."""


class TooLarge(ValueError):
    """More inflated bytes than ``cap``: counted as they come, never trusted from the declared sizes."""

    def __init__(self, inflated: int, cap: int):
        super().__init__(f"more than {cap:,} bytes unpacked")
        self.inflated, self.cap = inflated, cap


@dataclass(frozen=True)
class Extent:
    sheet: str
    rows: int  # the last row a cell reaches (1-based), 0 for no cell
    columns: int  # the last column a cell reaches (1-based)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def last_cell(self) -> str:
        return f"{column_name(self.columns)}{self.rows}" if self.rows and self.columns else ""


def column_name(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA, 16384 -> XFD."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


# --- zip members: the real inflated bytes ---

def inflate(data: bytes, info: zipfile.ZipInfo, budget: Callable[[int], None]) -> Iterator[bytes]:
    """A member's real bytes in chunks, from its local header on (Deflate or stored; nothing else is a spreadsheet's).
    ``budget(n)`` is told each chunk's size first and raises to stop. At the end the real size must be the declared one."""
    if info.flag_bits & 0x1:
        raise Unreadable(f"{info.filename}: an encrypted zip member")
    offset = info.header_offset
    if offset + 30 > len(data) or data[offset:offset + 4] != b"PK\x03\x04":
        raise Unreadable(f"{info.filename}: no local header where the directory says")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    real = 0
    if info.compress_type == zipfile.ZIP_STORED:
        end = start + info.compress_size
        if end > len(data):
            raise Unreadable(f"{info.filename}: says it holds {info.compress_size:,} bytes; the file ends before")
        for at in range(start, end, CHUNK):
            piece = data[at:min(at + CHUNK, end)]
            budget(len(piece))
            real += len(piece)
            yield piece
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        at, feed = start, b""
        while not inflater.eof:
            if not feed:
                feed = data[at:at + CHUNK]
                at += len(feed)
                if not feed:
                    raise Unreadable(f"{info.filename}: the compressed data ends before its end")
            try:
                piece = inflater.decompress(feed, CHUNK)
            except zlib.error as err:
                raise Unreadable(f"{info.filename}: {err}") from err
            feed = inflater.unconsumed_tail
            if piece:
                budget(len(piece))
                real += len(piece)
                yield piece
    else:
        raise Unreadable(f"{info.filename}: compression method {info.compress_type}, which no spreadsheet uses")
    if real != info.file_size:
        raise Unreadable(f"{info.filename}: unpacks to {real:,} bytes but says {info.file_size:,}")


def _tags(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks cut before their last ``<``, so no tag is split between two (a ``>`` may stand inside an attribute's
    value, so only the next ``<`` shows where a tag ends); the rest is carried over to the next chunk."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        last = data.rfind(b"<")
        if last < 0:
            carry = b""
        else:
            data, carry = data[:last], data[last:]
            if len(carry) > LONGEST_TAG:
                raise Unreadable("a tag (and the text after it) longer than 1 MB")
        yield data
    yield carry


ATTRIBUTES = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""
ATTRIBUTE = re.compile(rb"""\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _values(attributes: bytes, name: bytes) -> list[bytes]:
    """Every value of the attribute ``name`` (any prefix) in a tag's attributes, read as XML reads them."""
    out = []
    for match in ATTRIBUTE.finditer(attributes):
        if match[1] == name or match[1].endswith(b":" + name):
            out.append(match[2] if match[2] is not None else match[3])
    return out


# --- Excel 2007+ (.xlsx): <row r="..."> and <c r="..."> ---

PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
PLAIN_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
OTHER_C_TAGS = (b"<co", b"<cf", b"<cu", b"<ce")  # a sheet's other tags that start with "<c"
PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
SPACED_R = re.compile(rb"r\s+=")
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])" + ATTRIBUTES)
CELL_REF = re.compile(rb"([A-Za-z]{0,3})([0-9]{0,7})")


def xlsx_extent(name: str, chunks: Iterator[bytes], check: Callable[[Extent], None] | None = None) -> Extent:
    """The last row and column any cell of one sheet's XML reaches. Where every cell is written as every writer writes
    it (``<c r="B7"``, its reference first and no other ``r``), two C-level searches read them all; anything else is
    read tag by tag, each attribute as XML reads it (a reader takes the last of two ``r``: here the farther counts)."""
    rows = columns = 0
    row = col = -1  # the position a cell without a reference takes: its row's, and one right of the cell before
    for data in _tags(chunks):
        if check is not None:  # the reach so far, told after each chunk: a check that raises stops the scan there
            check(Extent(name, rows, columns))
        plain = data.count(b'<c r="')
        others = sum(data.count(tag) for tag in OTHER_C_TAGS)  # <col>, <cfRule>, ...: every other tag that starts <c
        no_other_r = data.count(b"r=") == plain + data.count(b'<row r="') and not SPACED_R.search(data)
        prefixed = b":c" in data and PREFIXED_CELL.search(data)
        if data.count(b"<c") == plain + others and no_other_r and not prefixed:
            letters, numbers = PLAIN_CELL.findall(data), PLAIN_ROW.findall(data)
            # every cell's reference read, no cell missed; and the last tag that places the next cell is a cell's,
            # so a cell without reference in the next chunk goes on from it (its row, one column right)
            if len(letters) == plain == len(numbers) and numbers and data.rfind(b"<row") < data.rfind(b'<c r="'):
                rows = max(rows, max(map(int, set(numbers))))
                columns = max(columns, max(map(_column_number, set(letters))))
                row, col = int(numbers[-1]) - 1, _column_number(letters[-1]) - 1
                continue
        for match in TAG.finditer(data):  # the slow way: each row and cell in turn
            kind, values = match[1], _values(match[2], b"r")
            if kind == b"row":
                numbers = [int(v) if v.isdigit() and len(v) <= 7 else -1 for v in values]
                if -1 in numbers:
                    raise Unreadable(f"a row numbered {values[numbers.index(-1)][:20]!r}")
                row = max(numbers) - 1 if numbers else row + 1
                col = -1
                continue
            r, c = row, col + 1
            for value in values:
                parts = CELL_REF.fullmatch(value)
                if parts is None or not value:
                    raise Unreadable(f"a cell referenced as {value[:20]!r}")
                c = max(c, _column_number(parts[1]) - 1) if parts[1] else c
                r = max(r, int(parts[2]) - 1) if parts[2] else r
            col = c
            rows, columns = max(rows, r + 1), max(columns, c + 1)
    return Extent(name, rows, columns)


# --- OpenDocument (.ods): rows and cells with their repeats ---

ODS_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])" + ATTRIBUTES)


REPEAT = re.compile(rb"\s*\+?([0-9]+)\s*")


def _repeats(kind: bytes, attributes: bytes) -> int:
    """A row's or cell's repeat (the largest, if it says more than one); at least 1. Read as the reader reads it
    (a leading +, leading zeros, spaces around); anything else is no number and the file is refused."""
    numbers = [1]
    for value in _values(attributes, b"number-%s-repeated" % kind):
        match = REPEAT.fullmatch(value)
        if match is None:
            raise Unreadable(f"a {kind.decode()} repeat of {value[:20].decode('utf-8', 'replace')!r}, which is no number")
        digits = match[1].lstrip(b"0") or b"0"
        numbers.append(int(digits) if len(digits) <= 10 else 10**10)
    return max(numbers)


def ods_extents(chunks: Iterator[bytes], check: Callable[[Extent], None] | None = None) -> list[Extent]:
    """Each table's extent in ``content.xml``: rows and cells counted with their repeats; a cell that holds nothing
    (written ``<table:table-cell/>``, no value type) moves the position without reaching further. A table inside a
    cell is a table of its own: counted, and the table around it goes on where it was."""
    out: list[Extent] = []
    name, rows, columns, row, col = "", 0, 0, 0, 0
    repeat, row_reached = 1, False
    outer: list[tuple] = []  # the tables a nested table stands in, as they were
    depth, told = 0, 0
    for data in _tags(chunks):
        if check is not None:  # each table's reach so far, told after each chunk: a check that raises stops the scan
            for found in [*out[told:], Extent(name, rows, columns)]:
                check(found)
            told = len(out)
        for match in ODS_TAG.finditer(data):
            closing, kind, attributes, empty = match[1], match[2], match[3], bool(match[4])
            if kind == b"table":
                if closing:
                    out.append(Extent(name, rows, columns))
                    depth = max(depth - 1, 0)
                    if depth and outer:
                        name, rows, columns, row, col, repeat, row_reached = outer.pop()
                    else:
                        name, rows, columns, row = "", 0, 0, 0
                elif not empty:
                    if depth:  # inside a table: keep where it was
                        outer.append((name, rows, columns, row, col, repeat, row_reached))
                    depth += 1
                    names = _values(attributes, b"name")
                    name = names[0].decode("utf-8", "replace") if names else ""
                    rows, columns, row, col, repeat, row_reached = 0, 0, 0, 0, 1, False
            elif kind == b"table-row":
                if closing:
                    if row_reached:
                        rows = max(rows, row + repeat)
                    row += repeat
                elif empty:
                    row += _repeats(b"rows", attributes)
                else:
                    repeat, col, row_reached = _repeats(b"rows", attributes), 0, False
            elif not closing:  # a cell or a covered cell
                span = _repeats(b"columns", attributes)
                if not empty or _values(attributes, b"value-type"):
                    columns, row_reached = max(columns, col + span), True
                col += span
    return out


# --- Excel 97-2003 (.xls): BIFF records in the Workbook stream ---

CELL_RECORDS = {0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}  # FORMULA RSTRING LABELSST BLANK NUMBER LABEL BOOLERR RK
ROW_OF_CELLS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: one row, a run of columns
BOF, EOF, FILEPASS, BOUNDSHEET, CONTINUE = 0x0809, 0x000A, 0x002F, 0x0085, 0x003C


@dataclass(frozen=True)
class Biff:
    extents: list[Extent]
    encrypted: bool
    sheets: int = 0  # the BOUNDSHEET records: the sheets a reader reads (not measured when more than ``most``)


def _biff_records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """The records from ``at`` on as the reader reads them: a CONTINUE record's bytes joined to the record before."""
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        parts = [stream[at + 4:at + 4 + size]]
        at += 4 + size
        while at + 4 <= len(stream) and struct.unpack_from("<H", stream, at)[0] == CONTINUE:
            more, = struct.unpack_from("<H", stream, at + 2)
            parts.append(stream[at + 4:at + 4 + more])
            at += 4 + more
        yield kind, parts[0] if len(parts) == 1 else b"".join(parts)


def biff_extents(stream: bytes, most: int = 32) -> Biff:
    """Every sheet's extent from its cell records, and whether the workbook is encrypted (a FILEPASS record). The
    sheets are found as the reader finds them: each BOUNDSHEET of the workbook's globals points at its sheet's
    records (whatever the sheet's type, wherever in the stream, even inside another record), read from there to
    their EOF. More than ``most`` sheets are counted, not measured (the caller refuses them)."""
    sheets: list[tuple[int, str]] = []
    encrypted = False
    for kind, body in _biff_records(stream, 0):  # the globals, up to their EOF
        if kind == EOF:
            break
        if kind == FILEPASS:
            encrypted = True
            break
        if kind == BOUNDSHEET and len(body) >= 8:
            sheets.append((struct.unpack_from("<I", body)[0], _biff_name(body[6:])))
    if encrypted or len(sheets) > most:
        return Biff([], encrypted, len(sheets))
    measured: dict[int, tuple[int, int]] = {}
    out = []
    for number, (offset, name) in enumerate(sheets):
        if offset not in measured:
            measured[offset] = _biff_reach(stream, offset)
        rows, columns = measured[offset]
        out.append(Extent(name or f"#{number + 1}", rows, columns))
    return Biff(out, encrypted, len(sheets))


def _biff_reach(stream: bytes, offset: int) -> tuple[int, int]:
    """The rows and columns the cell records from ``offset`` reach, up to the EOF that ends the substream there (the
    first EOF is where the reader stops; a chart's substream inside is read through, which may only count more)."""
    rows = columns = depth = 0
    for kind, body in _biff_records(stream, offset):
        if kind == BOF:
            depth += 1
        elif kind == EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind in CELL_RECORDS and len(body) >= 4:
            r, c = struct.unpack_from("<HH", body)
            rows, columns = max(rows, r + 1), max(columns, c + 1)
        elif kind in ROW_OF_CELLS and len(body) >= 6:
            r, first = struct.unpack_from("<HH", body)
            last, = struct.unpack_from("<H", body, len(body) - 2)
            runs = (len(body) - 6) // (6 if kind == 0x00BD else 2)  # MULRK: 6 bytes a cell; MULBLANK: 2
            rows, columns = max(rows, r + 1), max(columns, last + 1, first + runs)
    return rows, columns


def _biff_name(raw: bytes) -> str:
    if len(raw) < 2:
        return ""
    length, wide = raw[0], raw[1] & 1
    text = raw[2:2 + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")
