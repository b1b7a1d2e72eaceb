"""The needs sheet: one row per need with its company, in Swedish or English headers, read into
checked records. Every problem is located (sheet, row, column, value, reason); nothing is guessed
silently. Codes or their Swedish/English labels are both accepted for every coded column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set
from dataclasses import dataclass, field
from functools import lru_cache

from core.common.i18n import catalogue
from core.common.models import NEED_ENUMS, Outcome, SizeClass
from core.common.text import EARLIEST, has_unsafe, unsafe_characters
from core.exchange.export import FORMULA_START
from core.exchange.extent import column_name
from core.exchange.spreadsheet import Sheet
from core.records.validation import org_number as _org_number
from core.records.validation import sni_code as _sni_code

org_number = lru_cache(maxsize=65536)(_org_number)  # a file repeats each company on many rows


@lru_cache(maxsize=4096)
def sni_code(text: str, divisions: frozenset[int]) -> str:
    return _sni_code(text, divisions)

# field -> (Swedish header, English header, required)
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "ref": ("Behovsreferens", "Need reference", True),
    "org_nr": ("Organisationsnummer", "Organisation number", True),
    "company": ("Företag", "Company", True),
    "sni_code": ("SNI-kod", "SNI code", True),
    "municipality_code": ("Kommun", "Municipality", True),
    "size_class": ("Storleksklass", "Size class", True),
    "competence": ("Kompetens", "Competence", True),
    "need_type": ("Typ", "Type", True),
    "persons": ("Antal personer", "Persons", True),
    "horizon": ("Horisont", "Horizon", True),
    "form": ("Form", "Form", True),
    "level": ("Nivå", "Level", True),
    "source": ("Metod", "Method", False),
    "collected_on": ("Insamlat", "Collected", True),
    "status": ("Status", "Status", False),
    "follow_up_on": ("Uppföljning", "Follow-up", False),
    "outcome": ("Utfall", "Outcome", False),
    "note": ("Anteckning", "Note", False),
}
TEXT_LIMITS = {"ref": 60, "company": 200, "note": 4000}
PERSONS = re.compile(r"(\d+)(?:[.,]0+)?")  # 12, 12,0 or 12.00
MONTHS = {m: i + 1 for i, m in enumerate(["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                          "september", "oktober", "november", "december"])}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())}


@dataclass(frozen=True)
class Located:
    sheet: str
    row: int | None  # the file's row (1 = the header), None for the whole sheet
    column: str  # the column's header as in the file (or the expected one when missing)
    value: str
    code: str  # catalogue key import.problem_<code>
    message: str  # in English, for logs and the command line

    def __str__(self) -> str:
        where = f"{self.sheet}" + (f", row {self.row}" if self.row else "") + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}" + (f" (value {self.value!r})" if self.value else "")


@dataclass
class Parsed:
    records: list[dict] = field(default_factory=list)  # one per need, with its file row under "_row"
    problems: list[Located] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    text = re.sub(r"\(.*?\)|\*", "", str(text)).replace("\u00a0", " ").replace("\ufeff", "")
    return " ".join(text.split()).casefold()


HEADERS = {_norm(h): f for f, (sv, en, _) in COLUMNS.items() for h in (sv, en, f)}


def _labels(kind: str, codes: list[str]) -> dict[str, str]:
    """Every way to write a code: the code itself and its Swedish and English labels."""
    out = {}
    for code in codes:
        out[_norm(code)] = code
        for lang in ("sv", "en"):
            label = catalogue(lang).get(f"{kind}.{code}")
            if label:
                out[_norm(label)] = code
    return out


def vocabulary(competences: dict[str, tuple[str, str]], municipalities: dict[str, str]) -> dict[str, dict[str, str]]:
    """What a coded cell may say: ``competences`` code -> (sv, en) names; ``municipalities`` code -> name."""
    words = {col: _labels(col, [e.value for e in enum]) for col, enum in NEED_ENUMS.items()}
    words["outcome"] = _labels("outcome", [o.value for o in Outcome])
    words["size_class"] = {s.value: s.value for s in SizeClass}
    words["competence"] = {_norm(c): c for c in competences} | {_norm(n): c for c, names in competences.items() for n in names}
    words["municipality_code"] = {c: c for c in municipalities} | {_norm(n): c for c, n in municipalities.items()}
    return words


@lru_cache(maxsize=65536)
def parse_date(text: str) -> dt.date | None:
    """ISO (2026-03-01, with or without a time), 20260301, Swedish 1/3/2026, 1.3.2026 or 1 mars 2026."""
    text = text.strip().casefold()
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", "ymd"), (r"(\d{4})(\d{2})(\d{2})", "ymd"),
                           (r"(\d{1,2})[./](\d{1,2})[./](\d{4})", "dmy")):
        match = re.fullmatch(pattern, text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            y, m, d = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return dt.date(y, m, d)
            except ValueError:
                return None
    match = re.fullmatch(r"(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})", text)
    if match and match[2] in MONTHS:
        try:
            return dt.date(int(match[3]), MONTHS[match[2]], int(match[1]))
        except ValueError:
            return None
    return None


SERIAL = re.compile(r"(\d{5})(?:[.,]\d+)?")  # 46082, or 46082.5 with a time of day


def excel_serial(text: str) -> dt.date | None:
    """The date an Excel date number stands for (46082 -> 2026-03-01: days since 1899-12-30), for the years 1970-2099
    that a need's dates can be; None for anything else. Such a number is what a date cell becomes when its column is
    formatted as a number or as text."""
    match = SERIAL.fullmatch(text.strip())
    if not match or not 25569 <= int(match[1]) <= 73050:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(match[1]))


def date_problem(value: str) -> tuple[str, str]:
    """The code and message for a cell that is not a date: an Excel date number is told apart."""
    serial = excel_serial(value)
    if serial is not None:
        return "excel_date_number", (f"an Excel date number ({value.strip()} = {serial.isoformat()}), not a date: format the "
                                     "column as a date and save again")
    return "not_a_date", "not a date (YYYY-MM-DD, D/M/YYYY or 1 mars 2026)"


def header_of(sheet: Sheet, spec: dict[str, tuple[str, str, bool]], out: Parsed):
    """Where the header is and which column holds which field (``spec``: field -> (sv, en, required)).

    Problems (an empty sheet, a duplicated or missing column) go to ``out``; None when there is no header."""
    headers = {_norm(h): f for f, (sv, en, _) in spec.items() for h in (sv, en, f)}
    header_at = next((i for i, r in enumerate(sheet.rows) if any(str(c).strip() for c in r)), None)
    if header_at is None:
        out.problems.append(Located(sheet.name, None, "", "", "empty", "the sheet is empty"))
        return None
    header = [str(c) for c in sheet.rows[header_at]]
    alike: dict[str, list[int]] = {}  # every header cell that appears twice, known or not: a table of it has two
    for i, title in enumerate(header):  # columns of one name, which nothing downstream can tell apart
        if title.strip():
            alike.setdefault(" ".join(title.split()).casefold(), []).append(i)
    for places in alike.values():
        if len(places) > 1:
            title = header[places[0]].strip()
            cells = ", ".join(f"{column_name(i + 1)}{header_at + 1}" for i in places)
            out.problems.append(Located(sheet.name, header_at + 1, title, f"{title} ({cells})", "duplicate_column",
                                        f"the header {title!r} appears in more than one column ({cells}): give each column "
                                        "its own header"))
    columns: dict[str, int] = {}
    for i, title in enumerate(header):
        if not title.strip():
            continue
        name = headers.get(_norm(title))
        if name is None:
            out.ignored_columns.append(title)
        elif name in columns:
            if len(alike[" ".join(title.split()).casefold()]) == 1:  # two headers of one field, written differently
                cells = f"{column_name(columns[name] + 1)}{header_at + 1}, {column_name(i + 1)}{header_at + 1}"
                out.problems.append(Located(sheet.name, header_at + 1, title, f"{title} ({cells})", "duplicate_column",
                                            f"the column appears twice ({cells})"))
        else:
            columns[name] = i
    for name, (sv, en, required) in spec.items():
        if required and name not in columns:
            out.problems.append(Located(sheet.name, header_at + 1, sv, "", "missing_column", f"the column {sv!r} ({en}) is missing"))
    return header_at, header, columns


def data_rows(sheet: Sheet, header_at: int, out: Parsed) -> list[tuple[int, list]]:
    rows = [(n + 1, r) for n, r in enumerate(sheet.rows) if n > header_at and "".join(map(str, r)).strip()]
    if not rows:
        out.problems.append(Located(sheet.name, None, "", "", "no_rows", "the sheet has a header but no data rows"))
    return rows


def parse(sheet: Sheet, words: dict[str, dict[str, str]], divisions: Set[int], today: dt.date) -> Parsed:
    out = Parsed()
    divisions = frozenset(divisions)
    found = header_of(sheet, COLUMNS, out)
    if found is None or out.problems:
        return out
    header_at, header, columns = found
    data = data_rows(sheet, header_at, out)
    if not data:
        return out
    seen: dict[tuple[str, str], int] = {}
    companies: dict[str, tuple[int, tuple]] = {}
    for number, row in data:
        cell = {name: (str(row[i]).strip() if i < len(row) else "") for name, i in columns.items()}
        record, problems = _record(sheet.name, number, cell, header, columns, words, divisions, today)
        out.problems += problems
        if problems:
            continue
        key = (record["org_nr"], record["ref"])
        if key in seen:
            out.problems.append(Located(sheet.name, number, header[columns["ref"]], record["ref"], "duplicate_key",
                                        f"the need reference appears twice for {record['org_nr']} (also row {seen[key]})"))
            continue
        seen[key] = number
        facts = (record["company"], record["sni_code"], record["municipality_code"], record["size_class"])
        first = companies.setdefault(record["org_nr"], (number, facts))
        if first[1] != facts:
            out.problems.append(Located(sheet.name, number, header[columns["company"]], record["company"], "company_differs",
                                        f"the company's name, SNI code, municipality or size differs from row {first[0]}"))
            continue
        out.records.append(record | {"_row": number})
    return out


def _record(sheet, number, cell, header, columns, words, divisions, today) -> tuple[dict, list[Located]]:
    problems: list[Located] = []

    def bad(name: str, code: str, message: str) -> None:
        problems.append(Located(sheet, number, header[columns[name]], cell.get(name, ""), code, message))

    record: dict = {}
    for name, (_sv, _en, required) in COLUMNS.items():
        value = cell.get(name, "")
        if value[:1] == "'" and value[1:2] in FORMULA_START:
            value = cell[name] = value[1:]  # the quote our CSV export puts before text that starts like a formula
        if not value:
            if required:
                bad(name, "required", "the cell is empty")
            continue
        if len(value) > TEXT_LIMITS.get(name, 200) or "\x00" in value:
            bad(name, "too_long" if "\x00" not in value else "bad_text", "the text is too long or holds a NUL byte")
            continue
        if has_unsafe(value):
            bad(name, "control_character", f"a control character ({', '.join(unsafe_characters(value))}): remove it")
            continue
        if name in words:
            code = words[name].get(_norm(value))
            if code is None:
                bad(name, "unknown_value", f"unknown {name.replace('_', ' ')}")
            record[name] = code
        elif name == "org_nr":
            try:
                record[name] = org_number(value)
            except ValueError as err:
                bad(name, str(err), "not an organisation number with a valid check digit")
        elif name == "sni_code":
            try:
                record[name] = sni_code(value, divisions)
            except ValueError as err:
                bad(name, str(err), "not an SNI 2007 code")
        elif name == "persons":
            match = PERSONS.fullmatch(value.replace(" ", ""))
            if not match or not 1 <= int(match[1]) <= 10_000:
                bad(name, "persons_range", "a whole number from 1 to 10,000")
            else:
                record[name] = int(match[1])
        elif name in ("collected_on", "follow_up_on"):
            date = parse_date(value)
            if date is None:
                bad(name, *date_problem(value))
            elif name == "collected_on" and date > today:
                bad(name, "date_in_future", "the date is in the future")
            elif date < EARLIEST:
                bad(name, "date_too_early", f"the date is before {EARLIEST.isoformat()}")
            record[name] = date
        else:
            record[name] = value
    record.setdefault("source", "company_visit")
    record.setdefault("status", "new")
    record.setdefault("note", "")
    record.setdefault("outcome", "")
    record.setdefault("follow_up_on", None)
    if not problems and record["status"] == "closed" and not record["outcome"]:
        problems.append(Located(sheet, number, COLUMNS["outcome"][0], "", "required", "a closed need needs an outcome"))
    return record, problems


def known_headers(sheet: Sheet) -> int:
    """How many of the needs sheet's columns the sheet's first non-empty row names."""
    first = next((r for r in sheet.rows if any(str(c).strip() for c in r)), [])
    return sum(_norm(c) in HEADERS for c in first)


def pick(sheets: list[Sheet]) -> Sheet:
    """The needs sheet of a workbook: the one whose first row names the most of the columns (the first on a tie)."""
    return max(sheets, key=known_headers)


def with_errors(sheet: Sheet, problems: list[Located], column: str = "Fel") -> list[list[str]]:
    """The sheet's rows with one more column holding each row's problems (the header row gets ``column``)."""
    by_row: dict[int, list[str]] = {}
    for p in problems:
        by_row.setdefault(p.row or 0, []).append(f"{p.column}: {p.message}" + (f" ({p.value})" if p.value else ""))
    header = next((i + 1 for i, r in enumerate(sheet.rows) if any(str(c).strip() for c in r)), 1)
    width = max((len(r) for r in sheet.rows), default=0)
    out = []
    for number, row in enumerate(sheet.rows, start=1):
        if number < header:
            continue
        cells = [str(c) for c in row] + [""] * (width - len(row))
        note = "; ".join(by_row.get(number, []) + (by_row.get(0, []) if number == header else []))
        out.append(cells + [column if number == header and not note else note])
    return out
