"""The training efforts sheet: one row per utbildningsinsats with the needs it serves, read into checked
records like the needs sheet (``core.exchange.needs_sheet``): every problem at its sheet, row and column."""

from __future__ import annotations

import re
from typing import Any

from core.common.text import EARLIEST, has_unsafe, unsafe_characters
from core.exchange.needs_sheet import FORMULA_START, Located, Parsed, data_rows, date_problem, header_of, parse_date
from core.exchange.spreadsheet import Sheet

# field -> (Swedish header, English header, required)
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "ref": ("Insatsreferens", "Effort reference", True),
    "title": ("Benämning", "Title", True),
    "provider": ("Anordnare", "Provider", True),
    "offer_id": ("Utbud", "Offer", False),
    "start": ("Start", "Start", False),
    "seats": ("Platser", "Seats", True),
    "needs": ("Behov", "Needs", False),  # need keys "organisation number/need reference", separated by ; or new lines
    "note": ("Anteckning", "Note", False),
}
LIMITS = {"ref": 60, "title": 200, "provider": 200, "offer_id": 40, "needs": 20_000, "note": 4000}
KEY = re.compile(r"^\s*(\d{6}-?\d{4})\s*/\s*(.+?)\s*$")


def need_keys(text: str) -> list[tuple[str, str]] | None:
    """``556036-0793/B-1; 5560360793/B-2`` -> [(org-nr, ref), ...] with the hyphen; None if a part is malformed."""
    out = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = KEY.match(part)
        if not match:
            return None
        digits = match[1].replace("-", "")
        out.append((f"{digits[:6]}-{digits[6:]}", match[2]))
    return out


def is_efforts(sheet: Sheet) -> bool:
    """Whether the sheet's header names the efforts' key column."""
    probe = Parsed()
    found = header_of(sheet, {"ref": COLUMNS["ref"]}, probe)
    return found is not None and not probe.problems


def parse(sheet: Sheet, offers: set[str]) -> Parsed:
    out = Parsed()
    found = header_of(sheet, COLUMNS, out)
    if found is None or out.problems:
        return out
    header_at, header, columns = found
    seen: dict[str, int] = {}
    for number, row in data_rows(sheet, header_at, out):
        cell = {name: (str(row[i]).strip() if i < len(row) else "") for name, i in columns.items()}
        problems: list[Located] = []
        record: dict[str, Any] = {"_row": number}

        def bad(name, code, message, problems=problems, number=number, cell=cell):
            problems.append(Located(sheet.name, number, header[columns[name]], cell.get(name, ""), code, message))

        for name, (_sv, _en, required) in COLUMNS.items():
            value = cell.get(name, "")
            if value[:1] == "'" and value[1:2] in FORMULA_START:
                value = value[1:]
            if not value:
                if required:
                    bad(name, "required", "the cell is empty")
                record[name] = None if name == "start" else ([] if name == "needs" else "")
                continue
            if len(value) > LIMITS.get(name, 200):
                bad(name, "too_long", "the text is too long")
            elif has_unsafe(value):
                bad(name, "control_character", f"a control character ({', '.join(unsafe_characters(value))}): remove it")
            elif name == "seats":
                match = re.fullmatch(r"(\d+)(?:[.,]0+)?", value.replace(" ", ""))
                if not match or not 1 <= int(match[1]) <= 10_000:
                    bad(name, "seats_range", "a whole number from 1 to 10,000")
                else:
                    record[name] = int(match[1])
            elif name == "start":
                record[name] = start = parse_date(value)
                if start is None:
                    bad(name, *date_problem(value))
                elif start < EARLIEST:
                    bad(name, "date_too_early", f"the date is before {EARLIEST.isoformat()}")
            elif name == "offer_id":
                if value not in offers:
                    bad(name, "unknown_value", "no such offer in the register")
                record[name] = value
            elif name == "needs":
                keys = need_keys(value)
                if keys is None:
                    bad(name, "need_keys", "write each need as organisation number/need reference, separated by ;")
                record[name] = keys or []
            else:
                record[name] = value
        if not problems and record["ref"] in seen:
            bad("ref", "duplicate_key", f"the effort reference appears twice (also row {seen[record['ref']]})")
        out.problems += problems
        if not problems:
            seen[record["ref"]] = number
            out.records.append(record)
    return out
