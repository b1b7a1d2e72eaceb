"""The Compound File (OLE2, "CFB") container that holds an old Excel workbook (.xls) and, in the same wrapping, an
encrypted .xlsx (streams ``EncryptionInfo`` and ``EncryptedPackage``). Read here only as far as the import needs:
the names of the streams, and one stream's bytes. Every number in the file is checked against the file itself
before it is used: a sector outside the file, a chain that loops, or a stream that says it is longer than its
chain is refused (``Damaged``), so a crafted header cannot make anyone allocate what the file does not hold.

Pure: bytes in, bytes out; nothing else is opened.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE, END_OF_CHAIN, FAT_SECTOR, DIFAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NO_STREAM = 0xFFFFFFFF
STREAM, ROOT = 2, 5


class Damaged(ValueError):
    """The container contradicts itself: not read further."""


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class Compound:
    """A parsed Compound File: ``names()`` of its entries, ``stream(name)`` one stream's bytes."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(SIGNATURE):
            raise Damaged("not a Compound File")
        self.data = data
        major, = struct.unpack_from("<H", data, 0x1A)
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise Damaged(f"unknown sector sizes (version {major}, 2^{shift})")
        self.sector = 1 << shift
        self.sectors = (len(data) - self.sector) // self.sector  # sectors after the header
        if self.sectors < 1:
            raise Damaged("no sectors after the header")
        fat_count, self.first_dir = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, first_minifat, minifat_count, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)
        if fat_count > self.sectors:
            raise Damaged(f"{fat_count} FAT sectors declared in a file of {self.sectors} sectors")
        fat_sectors = self._difat(fat_count, first_difat, difat_count)
        self.fat = self._table(fat_sectors)
        self.entries = self._directory()
        root = next((e for e in self.entries if e.kind == ROOT), None)
        if root is None:
            raise Damaged("no root entry")
        self.mini_stream = self._chain_bytes(root.start, root.size) if root.size else b""
        self.minifat = self._table(self._chain(first_minifat)) if minifat_count and first_minifat != END_OF_CHAIN else []

    def names(self) -> set[str]:
        return {e.name for e in self.entries}

    def stream(self, name: str) -> bytes | None:
        """The named stream's bytes (the first entry of that name, case-insensitively), or None."""
        found = self.streams(name, first=True)
        return found[0] if found else None

    def streams(self, name: str, first: bool = False) -> list[bytes]:
        """The bytes of every stream of that name, case-insensitively (a file may hold two: a reader could take either)."""
        wanted = name.casefold()
        out = []
        for entry in self.entries:
            if entry.kind == STREAM and entry.name.casefold() == wanted:
                out.append(self._mini_bytes(entry.start, entry.size) if entry.size < self.cutoff
                           else self._chain_bytes(entry.start, entry.size))
                if first:
                    break
        return out

    # --- the allocation tables ---

    def _at(self, sector: int) -> bytes:
        if sector >= self.sectors:
            raise Damaged(f"sector {sector} lies outside the file ({self.sectors} sectors)")
        offset = (sector + 1) * self.sector
        return self.data[offset:offset + self.sector]

    def _difat(self, count: int, first: int, difat_count: int) -> list[int]:
        ids = list(struct.unpack_from("<109I", self.data, 0x4C))
        sector, seen = first, set[int]()
        per = self.sector // 4 - 1
        while sector not in (END_OF_CHAIN, FREE) and len(seen) <= difat_count:
            if sector in seen:
                raise Damaged("the DIFAT chain loops")
            seen.add(sector)
            values = struct.unpack(f"<{per + 1}I", self._at(sector))
            ids.extend(values[:per])
            sector = values[per]
        fat = [s for s in ids if s not in (FREE, END_OF_CHAIN)][:count]
        if len(fat) < count:
            raise Damaged(f"{count} FAT sectors declared, {len(fat)} listed")
        return fat

    def _table(self, sectors: list[int]) -> list[int]:
        table: list[int] = []
        for sector in sectors:
            table.extend(struct.unpack(f"<{self.sector // 4}I", self._at(sector)))
        return table

    def _chain(self, start: int, table: list[int] | None = None, limit: int | None = None) -> list[int]:
        table = self.fat if table is None else table
        limit = len(table) if limit is None else limit
        chain: list[int] = []
        seen, sector = set[int](), start
        while sector != END_OF_CHAIN:
            if sector >= len(table) or sector in (FREE, FAT_SECTOR, DIFAT_SECTOR):
                raise Damaged(f"a chain points at sector {sector:#x}, which is not one")
            if sector in seen or len(chain) >= limit:
                raise Damaged("a chain loops")
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int, size: int) -> bytes:
        chain = self._chain(start)
        if size > len(chain) * self.sector:
            raise Damaged(f"a stream says it holds {size:,} bytes; its sectors hold {len(chain) * self.sector:,}")
        return b"".join(self._at(s) for s in chain)[:size]

    def _mini_bytes(self, start: int, size: int) -> bytes:
        if size == 0:
            return b""
        chain = self._chain(start, self.minifat)
        if size > len(chain) * 64 or any((s + 1) * 64 > len(self.mini_stream) for s in chain):
            raise Damaged(f"a small stream says it holds {size:,} bytes; the mini stream does not")
        return b"".join(self.mini_stream[s * 64:(s + 1) * 64] for s in chain)[:size]

    def _directory(self) -> list[Entry]:
        entries = []
        for sector in self._chain(self.first_dir):
            block = self._at(sector)
            for at in range(0, self.sector, 128):
                raw = block[at:at + 128]
                length, kind = struct.unpack_from("<HB", raw, 64)
                if kind == 0:
                    continue
                start, size = struct.unpack_from("<IQ", raw, 116)
                if self.sector == 512:
                    size &= 0xFFFFFFFF  # version 3 files keep junk in the high half
                name = raw[:max(min(length, 64) - 2, 0)].decode("utf-16-le", "replace")
                entries.append(Entry(name, kind, start, size))
        return entries


def is_compound(data: bytes) -> bool:
    return data.startswith(SIGNATURE)
