"""Spreadsheet files as offices and attackers make them, written byte by byte so the tests need no writer library:
an Excel 97-2003 workbook (.xls: BIFF8 records in a Compound File), an OpenDocument spreadsheet (.ods), a
password-protected .xlsx (a Compound File holding ``EncryptionInfo`` and ``EncryptedPackage``), and the hostile
ones of issue 32: two cells, A1 and XFD200000, under ``<dimension ref="A1"/>``; a zip whose member declares a
smaller size than it inflates to. Each is small; ``make_corpus.py`` writes some of them into the corpus."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from core.exchange.extent import column_name

FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


# --- the Compound File (version 3, 512-byte sectors; every stream at least 4096 bytes, so no mini stream) ---

def compound(streams: dict[str, bytes]) -> bytes:
    bodies = [(name, body + b"\0" * max(4096 - len(body), 0)) for name, body in streams.items()]
    data_sectors = [-(-len(body) // 512) for _, body in bodies]
    entries = 1 + len(bodies)
    dir_sectors = -(-entries // 4)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + sum(data_sectors):
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [END]
    starts = []
    for count in data_sectors:
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [END]
    fat += [FREE] * (fat_sectors * 128 - len(fat))
    directory = _entry("Root Entry", 5, END, 0, child=1 if bodies else NO_STREAM)
    for i, ((name, body), start) in enumerate(zip(bodies, starts), start=1):
        directory += _entry(name, 2, start, len(body), right=i + 1 if i < len(bodies) else NO_STREAM)
    directory += b"\0" * (dir_sectors * 512 - len(directory))
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, END, 0, END, 0) + struct.pack("<109I", *difat))
    body = b"".join(b + b"\0" * (-len(b) % 512) for _, b in bodies)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + body


def _entry(name: str, kind: int, start: int, size: int, child: int = NO_STREAM, right: int = NO_STREAM) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return (raw + b"\0" * (64 - len(raw)) + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", NO_STREAM, right, child) + b"\0" * 36 + struct.pack("<IQ", start, size))


# --- Excel 97-2003 (BIFF8) ---

def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _wide(text: str, length_bytes: int = 2) -> bytes:
    return struct.pack("<H" if length_bytes == 2 else "<B", len(text)) + b"\x01" + text.encode("utf-16-le")


def xls(sheets: dict[str, list[list[object]]], cells: dict[str, list[tuple[int, int, object]]] | None = None,
        password: bool = False, sheet_type: int = 0x0010, hidden: bool = False) -> bytes:
    """A BIFF8 workbook: each sheet's rows (text, whole numbers and floats; a ``datetime.date`` as a date-formatted
    serial), plus optional cells at any (row, column) from 0. ``password``: a FILEPASS record, as encryption writes.
    ``sheet_type``: the type its sheets' BOF says (0x0010 a worksheet; the reader reads any); ``hidden``: each sheet
    inside the body of a record of an unknown kind, where only its BOUNDSHEET's offset finds it."""
    import datetime as dt

    cells = cells or {}
    strings: list[str] = []
    index: dict[str, int] = {}

    def sst(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def cell(r: int, c: int, value: object) -> bytes:
        if isinstance(value, dt.date):
            serial = (value - dt.date(1899, 12, 30)).days
            return _record(0x0203, struct.pack("<HHHd", r, c, 15, float(serial)))  # XF 15: the date format
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
        return _record(0x00FD, struct.pack("<HHHI", r, c, 0, sst(str(value))))

    bodies = []
    for name, rows in sheets.items():
        placed = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""] + cells.get(name, [])
        last_row = max((r for r, _, _ in placed), default=0) + 1
        last_col = max((c for _, c, _ in placed), default=0) + 1
        body = _record(0x0809, struct.pack("<HHHHII", 0x0600, sheet_type, 0x0DBB, 0x07CC, 0, 0x06))
        body += _record(0x0200, struct.pack("<IIHHH", 0, last_row, 0, last_col, 0))
        body += b"".join(cell(r, c, v) for r, c, v in placed) + _record(0x000A, b"")
        bodies.append((name, _record(0x1234, body) if hidden else body))
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    date_xf = struct.pack("<HHHBBBBIIH", 0, 14, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    head = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    if password:
        head += _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48)
    head += _record(0x0042, struct.pack("<H", 1200)) + _record(0x0022, struct.pack("<H", 0))
    head += _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _wide("Arial", 1))
    head += _record(0x00E0, xf) * 15 + _record(0x00E0, date_xf)
    sst_body = struct.pack("<II", len(strings) + 1000, len(strings)) + b"".join(_wide(s) for s in strings)
    assert len(sst_body) <= 8224, "the test's strings fit one SST record"
    tail = _record(0x00FC, sst_body) + _record(0x000A, b"")
    sheet_records = [_record(0x0085, b"\0\0\0\0" + b"\0\0" + _wide(name, 1)) for name, _ in bodies]
    offset = len(head) + sum(len(r) for r in sheet_records) + len(tail)
    pointers = b""
    for (name, body), _ in zip(bodies, sheet_records):
        pointers += _record(0x0085, struct.pack("<I", offset + (4 if hidden else 0)) + b"\0\0" + _wide(name, 1))
        offset += len(body)
    # the strings are collected while the sheets' cells are made, so the SST is made after them
    return compound({"Workbook": head + pointers + tail + b"".join(body for _, body in bodies)})


def encrypted_xlsx() -> bytes:
    """What Excel writes for File > Info > Protect Workbook > Encrypt with Password: no zip, a Compound File."""
    return compound({"EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + b"\0" * 200, "EncryptedPackage": b"\x10" * 600})


# --- OpenDocument (.ods) ---

ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')


def ods_cell(value: object) -> str:
    import datetime as dt
    from xml.sax.saxutils import escape

    if value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods(sheets: dict[str, list[list[object]]], tail: str = "") -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes it: each table's rows, then the padding of empty repeated
    rows and columns LibreOffice writes to the sheet's end. ``tail``: raw XML added to the last table."""
    from xml.sax.saxutils import quoteattr

    tables = ""
    for i, (name, rows) in enumerate(sheets.items()):
        body = "".join("<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
        padding = ('<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
                   'table:number-columns-repeated="1024"/></table:table-row>')
        tables += (f"<table:table table:name={quoteattr(name)}>{body}{tail if i == len(sheets) - 1 else ''}{padding}"
                   "</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
               'xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:'
               'tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
               f"{tables}</office:spreadsheet></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# --- Excel 2007+ (.xlsx), written by hand so its cells can be anywhere ---

XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                           '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                           'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                           '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                           'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                       'name="Behov" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                  'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                                  'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def xlsx_sheet(sheet_data: str, dimension: str = "A1") -> bytes:
    """A one-sheet workbook ("Behov") whose ``<sheetData>`` is ``sheet_data`` as given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in XLSX_PARTS.items():
            z.writestr(name, body)
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                   f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>')
    return buf.getvalue()


def text_cell(ref: str, text: str) -> str:
    from xml.sax.saxutils import escape

    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def dense_range(far: str = "XFD200000") -> bytes:
    """Issue 32's 1.5 KB workbook: two cells, A1 and ``far``, under ``<dimension ref="A1"/>``. A reader that makes a
    block from A1 to XFD200000 asks for 3.3 billion cells (100 GB) and aborts."""
    row = "".join(ch for ch in far if ch.isdigit())
    return xlsx_sheet(f'<row r="1">{text_cell("A1", "a")}</row><row r="{row}">{text_cell(far, "b")}</row>')


def unreferenced_far_cell() -> bytes:
    """The same reach without any reference on the cells: 16,383 empty cells, then one, in row 200,000."""
    return xlsx_sheet(f'<row r="1">{text_cell("A1", "a")}</row><row r="200000">' + "<c/>" * 16383
                      + '<c t="inlineStr"><is><t>b</t></is></c></row>')


def declared_size_lies(real: int = 300 * 1024 * 1024, declared: int = 2000) -> bytes:
    """A workbook whose sheet is a Deflate stream of ``real`` bytes while its headers say ``declared``: a check that
    believes the headers sees a tiny file; only inflating it shows what it holds."""
    sheet = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    body = sheet + b" " * (real - len(sheet) - len(b"</sheetData></worksheet>")) + b"</sheetData></worksheet>"
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = packer.compress(body) + packer.flush()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in XLSX_PARTS.items():
            z.writestr(name, part)
    parts = buf.getvalue()
    # one more member, written by hand: local header, data, and a central directory entry that both lie
    crc = zlib.crc32(body)
    name = b"xl/worksheets/sheet1.xml"
    source = zipfile.ZipFile(io.BytesIO(parts))
    local_end = parts.index(b"PK\x01\x02")
    central = parts[local_end:parts.index(b"PK\x05\x06")]
    offset = local_end
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed), declared, len(name), 0) + name
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(packed), declared, len(name),
                        0, 0, 0, 0, 0, offset) + name
    members = len(source.infolist()) + 1
    directory = central + entry
    start = offset + len(local) + len(packed)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, members, members, len(directory), start, 0)
    return parts[:local_end] + local + packed + directory + end


def shared_string_cells(length: int, cells: int, columns: int = 40) -> bytes:
    """One shared string of ``length`` characters referenced by ``cells`` cells (``columns`` a row): a few KB of file,
    ``length * cells`` characters once read (the red team's amplification: 100,000 x 3,000 cost the server 588 MB)."""
    rows, row = [], 0
    while row * columns < cells:
        row += 1
        count = min(columns, cells - (row - 1) * columns)
        rows.append(f'<row r="{row}">' + "".join(f'<c r="{column_name(c + 1)}{row}" t="s"><v>0</v></c>' for c in range(count))
                    + "</row>")
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(rows) + "</sheetData></worksheet>")
    strings = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
               f'uniqueCount="1"><si><t>{"a" * length}</t></si></sst>')
    rels = XLSX_PARTS["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>", '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in (XLSX_PARTS | {"xl/_rels/workbook.xml.rels": rels}).items():
            z.writestr(name, body)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", strings)
    return buf.getvalue()
