"""MYH's results workbooks (Myndigheten för yrkeshögskolan), read whole into the tidy supply frame
(``core.exchange.supply.COLUMNS``): the granted programmes of an application round and the granted courses.

Three layouts, recognised by their sheets and headers, not by the file's name:

- **programmes, 2022 layout**: ``Tabell 3`` (header on row 1) has one row per application, without SUN5 or seats;
  ``Tabell 4`` has one row per application and study municipality with the seats granted per intake (1-5), split
  over the municipalities as the application intended (MYH: not binding; a split can be fractional). The seats of a
  programme are the sum over its municipalities.
- **programmes, 2023/2024 layout**: ``Tabell 3`` (title rows, then the header) adds SUN5 and the seats per intake for
  the whole programme; ``Tabell 4`` lists the municipalities of programmes run in several ("Flera kommuner").
- **courses** (2024 on): ``Beviljade ansökningar`` (seats per start year: "start 2024", "start och slut 2024",
  "start 2025") and ``Lista flera kommuner``.

Only granted rows (``Beslut`` = Beviljad) are kept; the header is found as the first row (of the first 15) holding
``Diarienummer``. A programme granted in round N runs up to five intakes, one a year from N+1; a course granted in
round N starts in N or N+1. Every problem is collected (sheet, row, column, why) and the file refused whole with
``SupplyProblems``: a missing sheet or column, an unknown municipality name, a diarienummer twice, a number that is
not one, a programme in several municipalities without its list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from core.exchange import supply
from core.exchange.spreadsheet import Sheet
from core.exchange.supply import MAX_PROBLEMS, Municipalities, Problem, SupplyProblems, frame, plain, whole

DIARIENUMMER = re.compile(r"^MYH (\d{4})/\d{1,6}$")
GRANTED, REJECTED = "Beviljad", "Avslag"
SEATS = tuple(f"Beviljade platser utbildningsomgång {k}" for k in range(1, 6))
PROGRAMME_2022 = ("Utbildningsområde", "Utbildningsnamn", "Beslut", "Diarienummer", "Kommun", "Flera kommuner",
                  "Antal kommuner", "YH-poäng", "Studieform", "Studietakt %", "Utbildningsanordnare administrativ enhet",
                  "Beviljade utbildningsomgångar")
PROGRAMME_2023 = (*PROGRAMME_2022, "SUN5 inriktning", "SUN5 inriktning namn", *SEATS, "Beviljade platser totalt")
MUNICIPALITIES_2022 = ("Diarienummer", "Beslut", "Kommun", *SEATS, "Beviljade platser totalt")
MUNICIPALITIES_2023 = ("Diarienummer", "Beslut", "Kommun")
COURSES = ("Diarienummer", "Beslut", "Anordnare namn", "Utbildningsnamn", "Utbildningsområde", "Totalt antal beviljade platser",
           "YH-poäng", "Kommun", "Antal kommuner")
COURSE_MUNICIPALITIES = ("Diarienummer", "Kommun")
COURSE_START = re.compile(r"^Antal beviljade platser start (\d{4})$")
COURSE_START_END = re.compile(r"^Antal beviljade platser start och slut (\d{4})$")
STUDY_FORMS = {"Bunden": "bunden", "Distans": "distans"}
YES_NO = {"Ja": True, "Nej": False}
HEADER_SEARCH = 15


class _Table:
    """One sheet's rows under its header, with the problems found in it."""

    def __init__(self, sheet: Sheet, required: Sequence[str], problems: list[Problem]):
        self.name, self.problems = sheet.name, problems
        self.header_row = next((i for i, row in enumerate(sheet.rows[:HEADER_SEARCH]) if "Diarienummer" in
                                [c.strip() for c in row]), None)
        self.columns: dict[str, int] = {}
        self.rows: list[tuple[int, list[str]]] = []
        if self.header_row is None:
            problems.append(Problem(f"sheet '{sheet.name}'", f"no header row holding 'Diarienummer' in its first "
                                    f"{HEADER_SEARCH} rows: not the layout MYH publishes"))
            return
        header = [c.strip() for c in sheet.rows[self.header_row]]
        for i, name in enumerate(header):
            if name and name in self.columns:
                problems.append(Problem(f"sheet '{sheet.name}', row {self.header_row + 1}",
                                        f"column '{name}' appears twice (columns {self.columns[name] + 1} and {i + 1})"))
            self.columns.setdefault(name, i)
        missing = [c for c in required if c not in self.columns]
        if missing:
            found = ", ".join(f"'{c}'" for c in header if c)
            problems.append(Problem(f"sheet '{sheet.name}', row {self.header_row + 1}",
                                    f"column(s) {', '.join(repr(c) for c in missing)} missing (renamed or removed?); "
                                    f"the header holds {found}"))
        for i, row in enumerate(sheet.rows[self.header_row + 1:], start=self.header_row + 2):
            if any(c.strip() for c in row):
                self.rows.append((i, row))

    @property
    def usable(self) -> bool:
        return self.header_row is not None

    def cell(self, row: list[str], column: str) -> str:
        at = self.columns.get(column)
        return row[at].strip() if at is not None and at < len(row) else ""

    def problem(self, number: int, column: str, why: str) -> None:
        self.problems.append(Problem(f"sheet '{self.name}', row {number}, column '{column}'", why))


def read(sheets: list[Sheet], file_name: str, municipalities: Municipalities):
    """The granted programmes or courses of one MYH results workbook as the tidy supply frame, or
    ``SupplyProblems`` listing every problem (nothing is half read)."""
    by_name = {s.name.strip(): s for s in sheets}
    problems: list[Problem] = []
    alike = sorted({s.name.strip() for s in sheets if [t.name.strip() for t in sheets].count(s.name.strip()) > 1})
    if alike:  # "Tabell 3" and "Tabell 3 ": which one MYH meant cannot be told
        raise SupplyProblems([Problem("the workbook", f"two sheets are named {n!r} (apart from spaces)") for n in alike])
    if "Beviljade ansökningar" in by_name or "Lista flera kommuner" in by_name:
        rows = _courses(by_name, file_name, municipalities, problems)
    elif "Tabell 3" in by_name or "Tabell 4" in by_name:
        rows = _programmes(by_name, file_name, municipalities, problems)
    else:
        problems.append(Problem("the workbook", "not an MYH results workbook: expected the sheets 'Tabell 3' and 'Tabell 4' "
                                "(programmes) or 'Beviljade ansökningar' and 'Lista flera kommuner' (courses); it has "
                                + ", ".join(f"'{s.name}'" for s in sheets)))
        rows = []
    if problems:
        raise SupplyProblems(problems[:MAX_PROBLEMS])
    if not rows:
        raise SupplyProblems([Problem("the workbook", "no granted programme or course (Beslut 'Beviljad') in it")])
    return frame(rows)


def _sheet(by_name: dict[str, Sheet], name: str, problems: list[Problem]) -> Sheet | None:
    if name not in by_name:
        problems.append(Problem("the workbook", f"no sheet '{name}' (it has {', '.join(repr(n) for n in by_name)})"))
    return by_name.get(name)


def _round(table: _Table, number: int, value: str, rounds: dict[str, int]) -> str | None:
    found = DIARIENUMMER.match(value)
    if not found:
        table.problem(number, "Diarienummer", f"{value[:40]!r} is not a diarienummer as MYH writes it ('MYH 2024/3281')")
        return None
    if not 2000 <= int(found.group(1)) <= dt.date.today().year + 1:  # a round is decided the year after it is applied for
        table.problem(number, "Diarienummer", f"{value[:40]!r}: round {found.group(1)} is not a round MYH has decided "
                      f"(2000 to {dt.date.today().year + 1})")
        return None
    rounds.setdefault(found.group(1), number)
    return found.group(1)


def _applications(table: _Table, rounds: dict[str, int]):
    """Each application row once, with its diarienummer and whether it was granted; a row whose diarienummer is not
    MYH's, or repeats an earlier row's, is a problem and left out (``rounds``: each round seen, at its first row)."""
    seen: dict[str, int] = {}
    for number, row in table.rows:
        dnr = table.cell(row, "Diarienummer")
        if _round(table, number, dnr, rounds) is None:
            continue
        if dnr in seen:
            table.problem(number, "Diarienummer", f"{dnr} appears twice (rows {seen[dnr]} and {number}): one row per application")
            continue
        seen[dnr] = number
        yield number, row, dnr, _decision(table, number, row) == GRANTED


def _one_round(table: _Table, rounds: dict[str, int]) -> int | None:
    if len(rounds) > 1:
        table.problems.append(Problem(f"sheet '{table.name}', column 'Diarienummer'", "one application round per file; "
                                      f"this one mixes {', '.join(sorted(rounds))}"))
        return None
    return int(next(iter(rounds))) if rounds else None


def _decision(table: _Table, number: int, row: list[str]) -> str | None:
    decision = table.cell(row, "Beslut")
    if decision not in (GRANTED, REJECTED):
        table.problem(number, "Beslut", f"{decision[:40]!r} is neither '{GRANTED}' nor '{REJECTED}'")
        return None
    return decision


def _whole(table: _Table, number: int, row: list[str], column: str, low: int = 0, high: int = 100_000) -> int | None:
    value = whole(table.cell(row, column))
    if value is None or not low <= value <= high:
        table.problem(number, column, f"{table.cell(row, column)[:40]!r} is not a whole number from {low} to {high}")
        return None
    return value


def _text(table: _Table, number: int, row: list[str], column: str) -> str:
    value = plain(table.cell(row, column))
    if value is None:
        table.problem(number, column, "longer than 300 characters or holds control characters")
        return ""
    return value


def _title(table: _Table, number: int, row: list[str]) -> str:
    """A programme's or course's title: refused when empty, or when it is a number ('1e308', '42': a title and a
    figure column swapped, or a formula's value), with where and why."""
    value = _text(table, number, row, "Utbildningsnamn")
    if value == "" and plain(table.cell(row, "Utbildningsnamn")) is not None:
        table.problem(number, "Utbildningsnamn", "empty: every programme and course has a title")
    elif value and _is_number(value):
        table.problem(number, "Utbildningsnamn", f"{value[:20]!r} is a number, not a title (columns swapped?)")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return False
    return True


def _code(table: _Table, number: int, name: str, municipalities: Municipalities) -> str | None:
    code = municipalities.code(name)
    if code is None:
        table.problem(number, "Kommun", f"{name[:60]!r} is not a Swedish municipality (nor a locality MYH is known to "
                      "write in a municipality's place)")
    return code


def _programmes(by_name, file_name, municipalities, problems) -> list[dict]:
    programmes, places = _sheet(by_name, "Tabell 3", problems), _sheet(by_name, "Tabell 4", problems)
    if programmes is None or places is None:
        return []
    probe = _Table(programmes, (), [])
    layout_2023 = "SUN5 inriktning" in probe.columns
    table = _Table(programmes, PROGRAMME_2023 if layout_2023 else PROGRAMME_2022, problems)
    listing = _Table(places, MUNICIPALITIES_2023 if layout_2023 else MUNICIPALITIES_2022, problems)
    if problems:
        return []
    granted, decided, rounds = _granted_programmes(table, municipalities, layout_2023)
    found_round = _one_round(table, rounds)
    where = _listed(listing, granted, decided, municipalities)
    if problems or found_round is None:
        return []
    rows = []
    for dnr, programme in granted.items():
        places_of = where.get(dnr, [])
        seats = programme["seats"] if layout_2023 else _summed_seats(listing, places_of)
        if seats is None:
            continue
        if not any(seats):  # granted with no seat in any intake: a changed or cut file, not a programme
            table.problem(programme["row"], SEATS[0], f"{dnr} is granted with 0 seats in every intake")
            continue
        if programme["several"]:
            codes = [(name, code) for name, code, _, _ in places_of]
            if not codes:
                table.problem(programme["row"], "Flera kommuner", f"{dnr} is run in several municipalities, but sheet "
                              f"'{listing.name}' lists none of them")
                continue
            if len(codes) != programme["count"]:
                table.problem(programme["row"], "Antal kommuner", f"{dnr}: {programme['count']} municipalities, but sheet "
                              f"'{listing.name}' lists {len(codes)}")
        else:
            codes = [(programme["name"], programme["code"])]
            if not layout_2023 and not places_of:
                table.problem(programme["row"], "Diarienummer", f"{dnr} has no row of seats in sheet '{listing.name}'")
                continue
        intakes = programme["intakes"]
        sheet = f"{table.name} + {listing.name}" if (programme["several"] or not layout_2023) else table.name
        for name, code in codes:
            rows.append({
                "source": "MYH", "kind": "program", "round": found_round, "diarienummer": dnr, "event_id": "",
                "title": programme["title"], "provider": programme["provider"], "education_area": programme["area"],
                "sun5_code": programme["sun5_code"], "sun5_name": programme["sun5_name"],
                "municipality_code": code, "municipality_name": name,
                "several_municipalities": "yes" if len(codes) > 1 else "no", "municipalities": len(codes),
                "yh_points": programme["points"], "credits_text": "", "study_form": programme["form"],
                "pace_pct": programme["pace"], "intakes": intakes, "first_intake_year": found_round + 1,
                "seats_per_intake": max(seats), **{f"seats_intake_{k + 1}": s for k, s in enumerate(seats)},
                "seats_total": sum(seats), "start": "", "continuous_intake": "",
                "source_file": file_name, "source_sheet": sheet, "source_row": programme["row"],
            })
    return rows


def _granted_programmes(table: _Table, municipalities: Municipalities, layout_2023: bool):
    granted: dict[str, dict] = {}
    decided: set[str] = set()  # every granted diarienummer, also those whose row has a problem
    rounds: dict[str, int] = {}
    for number, row, dnr, was_granted in _applications(table, rounds):
        if not was_granted:
            continue
        decided.add(dnr)
        several = YES_NO.get(table.cell(row, "Flera kommuner"))
        if several is None:
            table.problem(number, "Flera kommuner", f"{table.cell(row, 'Flera kommuner')[:20]!r} is neither 'Ja' nor 'Nej'")
        name = table.cell(row, "Kommun")
        code = None if several is not False else _code(table, number, name, municipalities)
        form = STUDY_FORMS.get(table.cell(row, "Studieform"))
        if form is None:
            table.problem(number, "Studieform", f"{table.cell(row, 'Studieform')[:20]!r} is neither 'Bunden' nor 'Distans'")
        sun5 = table.cell(row, "SUN5 inriktning")
        if sun5 and not re.fullmatch(r"\d{3}[a-z]{0,2}", sun5):
            table.problem(number, "SUN5 inriktning", f"{sun5[:20]!r} is not a SUN5 code ('481ab')")
        found: dict[str, Any] = {
            "row": number, "several": bool(several), "name": name, "code": code, "form": form,
            "count": _whole(table, number, row, "Antal kommuner", 1, 290),
            "points": _whole(table, number, row, "YH-poäng", 1, 2000),
            "pace": _whole(table, number, row, "Studietakt %", 1, 100),
            "intakes": _whole(table, number, row, "Beviljade utbildningsomgångar", 1, 5),
            "title": _title(table, number, row),
            "provider": _text(table, number, row, "Utbildningsanordnare administrativ enhet"),
            "area": _text(table, number, row, "Utbildningsområde"),
            "sun5_code": sun5, "sun5_name": _text(table, number, row, "SUN5 inriktning namn") if layout_2023 else "",
            "seats": [_whole(table, number, row, c) for c in SEATS] if layout_2023 else [],
        }
        if layout_2023 and None not in found["seats"]:
            total = _whole(table, number, row, "Beviljade platser totalt")
            if total is not None and total != sum(found["seats"]):
                table.problem(number, "Beviljade platser totalt", f"{total} is not the sum of the intakes' seats ({sum(found['seats'])})")
        if None in (several, form, found["count"], found["points"], found["pace"], found["intakes"], *found["seats"]) or (
                several is False and code is None):
            continue
        granted[dnr] = found
    return granted, decided, rounds


def _listed(listing: _Table, granted: dict[str, dict], decided: set[str], municipalities: Municipalities):
    """Per granted diarienummer, its rows of the municipality sheet: (name, code, row number, row)."""
    where: dict[str, list[tuple[str, str, int, list[str]]]] = {}
    seen: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for number, row in listing.rows:
        dnr = listing.cell(row, "Diarienummer")
        if not DIARIENUMMER.match(dnr):
            listing.problem(number, "Diarienummer", f"{dnr[:40]!r} is not a diarienummer as MYH writes it ('MYH 2024/3281')")
            continue
        if _decision(listing, number, row) != GRANTED:
            continue
        if dnr not in decided:
            listing.problem(number, "Diarienummer", f"{dnr} is granted here but not a granted programme of the first sheet")
            continue
        if dnr not in granted:
            continue  # its own row has a problem, reported there
        name = listing.cell(row, "Kommun")
        if _repeated(listing, seen, dnr, name, number, row):
            continue
        code = _code(listing, number, name, municipalities)
        if code is not None:
            where.setdefault(dnr, []).append((name, code, number, row))
    return where


def _repeated(listing: _Table, seen: dict[tuple[str, str], tuple[int, list[str]]], dnr: str, name: str, number: int,
              row: list[str]) -> bool:
    """A programme's municipality listed again: the same line word for word is a repeat and skipped (MYH's own 2024
    course file lists Gävle twice for MYH 2024/842); a second line that differs is a problem."""
    if (dnr, name) not in seen:
        seen[(dnr, name)] = (number, row)
        return False
    first, first_row = seen[(dnr, name)]
    if [c.strip() for c in first_row] != [c.strip() for c in row]:
        listing.problem(number, "Kommun", f"{dnr} lists {name!r} twice, differently (rows {first} and {number})")
    return True


def _summed_seats(listing: _Table, places_of: list[tuple[str, str, int, list[str]]]) -> list[int] | None:
    """2022: a programme's seats per intake, summed over its municipalities' rows (a split may be fractional; the
    sum must be whole)."""
    totals = [0.0] * len(SEATS)
    for _, _, number, row in places_of:
        for k, column in enumerate(SEATS):
            value = _seats(listing, number, row, column)
            if value is None:
                return None
            totals[k] += value
    rounded = [round(t) for t in totals]
    if any(abs(t - r) > 1e-6 for t, r in zip(totals, rounded)):
        first = places_of[0][2] if places_of else 0
        listing.problem(first, SEATS[0], f"the seats over the municipalities do not add up to whole seats ({totals})")
        return None
    return rounded


def _seats(listing: _Table, row_number: int, row: list[str], column: str) -> float | None:
    value = supply.number(listing.cell(row, column))
    if value is None:
        listing.problem(row_number, column, f"{listing.cell(row, column)[:40]!r} is not a number of seats")
    return value


def _courses(by_name, file_name, municipalities, problems) -> list[dict]:
    courses, places = _sheet(by_name, "Beviljade ansökningar", problems), _sheet(by_name, "Lista flera kommuner", problems)
    if courses is None or places is None:
        return []
    table = _Table(courses, COURSES, problems)
    listing = _Table(places, COURSE_MUNICIPALITIES, problems)
    starts = {int(m.group(1)): c for c in table.columns if (m := COURSE_START.match(c))}
    ends = {int(m.group(1)): c for c in table.columns if (m := COURSE_START_END.match(c))}
    if table.usable and not starts:
        problems.append(Problem(f"sheet '{table.name}', row {(table.header_row or 0) + 1}", "no column 'Antal beviljade "
                                "platser start YYYY': the seats per start year are missing"))
    if problems:
        return []
    granted: dict[str, dict] = {}
    rounds: dict[str, int] = {}
    for number, row, dnr, was_granted in _applications(table, rounds):
        if not was_granted:
            continue
        count = _whole(table, number, row, "Antal kommuner", 1, 290)
        by_year = {year: (_whole(table, number, row, starts[year]) or 0) + (_whole(table, number, row, ends[year]) or 0
                                                                             if year in ends else 0) for year in starts}
        total = _whole(table, number, row, "Totalt antal beviljade platser")
        if total is not None and total != sum(by_year.values()):
            table.problem(number, "Totalt antal beviljade platser", f"{total} is not the sum of the seats per start year "
                          f"({sum(by_year.values())})")
        name = table.cell(row, "Kommun")
        code = _code(table, number, name, municipalities) if count == 1 else None
        found = {"row": number, "count": count, "name": name, "code": code, "by_year": by_year,
                 "points": _whole(table, number, row, "YH-poäng", 1, 2000),
                 "title": _title(table, number, row), "provider": _text(table, number, row, "Anordnare namn"),
                 "area": _text(table, number, row, "Utbildningsområde")}
        if None in (count, found["points"]) or (count == 1 and code is None):
            continue
        granted[dnr] = found
    found_round = _one_round(table, rounds)
    where = _course_places(listing, granted, municipalities)
    if problems or found_round is None:
        return []
    rows = []
    for dnr, course in granted.items():
        if course["count"] == 1:
            codes = [(course["name"], course["code"])]
        else:
            codes = [(name, code) for name, code in where.get(dnr, [])]
            if len(codes) != course["count"]:
                table.problem(course["row"], "Antal kommuner", f"{dnr}: {course['count']} municipalities, but sheet "
                              f"'{listing.name}' lists {len(codes)}")
                continue
        years = sorted(course["by_year"])
        seats = [course["by_year"].get(found_round + k, 0) for k in range(5)]
        if not any(seats):  # granted with no seat in any start year: a changed or cut file, not a course
            table.problem(course["row"], "Totalt antal beviljade platser", f"{dnr} is granted with 0 seats")
            continue
        if years and (years[0] < found_round or years[-1] > found_round + 4):
            table.problem(course["row"], starts[years[0]], f"start years {years} lie outside round {found_round}'s reach")
            continue
        for name, code in codes:
            rows.append({
                "source": "MYH", "kind": "course", "round": found_round, "diarienummer": dnr, "event_id": "",
                "title": course["title"], "provider": course["provider"], "education_area": course["area"],
                "sun5_code": "", "sun5_name": "", "municipality_code": code, "municipality_name": name,
                "several_municipalities": "yes" if len(codes) > 1 else "no", "municipalities": len(codes),
                "yh_points": course["points"], "credits_text": "", "study_form": "", "pace_pct": "",
                "intakes": sum(1 for s in seats if s), "first_intake_year": found_round,
                "seats_per_intake": max(seats), **{f"seats_intake_{k + 1}": s for k, s in enumerate(seats)},
                "seats_total": sum(seats), "start": "", "continuous_intake": "",
                "source_file": file_name, "source_sheet": table.name if len(codes) == 1 else f"{table.name} + {listing.name}",
                "source_row": course["row"],
            })
    return rows


def _course_places(listing: _Table, granted: dict[str, dict], municipalities: Municipalities):
    where: dict[str, list[tuple[str, str]]] = {}
    seen: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for number, row in listing.rows:
        dnr = listing.cell(row, "Diarienummer")
        if dnr not in granted:
            continue  # the listing holds the rejected applications' municipalities too
        name = listing.cell(row, "Kommun")
        if _repeated(listing, seen, dnr, name, number, row):
            continue
        code = _code(listing, number, name, municipalities)
        if code is not None:
            where.setdefault(dnr, []).append((name, code))
    return where
