"""Skolverket's planned adult education (``api.skolverket.se/planned-educations/v4/adult-education-events``, HAL-JSON
fed by Susa-navet) read whole into the tidy supply frame (``core.exchange.supply.COLUMNS``).

The file is what the API answers: one page (``{"body": {"_embedded": {"listedAdultEducationEvents": [...]},
"page": {...}}}``) or a JSON list of such pages. The pages must be the whole answer: numbered 0 to ``totalPages - 1``,
each once, with ``totalElements`` events in all; a download cut short is refused. Only the kinds of school kept
(``KEPT``: vocational college and upper-secondary adult education, by ``typeOfSchool`` text) become rows; the others
are counted and left. Titles arrive wrapped in ``<![CDATA[…]]>`` (Komvux): the wrapper is taken off. An event whose
``semesterStartFrom`` is null has continuous intake. The municipality is ``geographicalAreaCode`` (an SCB code), which
must be one of Sweden's and agree with the ``municipality`` name. No seats: the API publishes none.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from core.exchange.supply import MAX_PROBLEMS, Municipalities, Problem, SupplyProblems, frame, plain, whole

KEPT = {"Yrkeshögskoleutbildning": "yh", "Gymnasial vuxenutbildning": "vux"}
EVENTS = "listedAdultEducationEvents"
CDATA = re.compile(r"^<!\[CDATA\[(.*)\]\]>$", re.DOTALL)
DATE = re.compile(r"^(\d{4})-\d\d-\d\d")
MAX_PAGES = 5_000  # the whole country's planned adult education is some hundreds of pages of 200
MAX_POINTS, MAX_PACE = 2_000, 100  # YH points of the longest programme; per cent of full time


def read(raw: bytes, file_name: str, municipalities: Municipalities):
    """The kept events as the tidy supply frame, or ``SupplyProblems`` (every problem, with record and field)."""
    try:
        found = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise SupplyProblems([Problem(f"byte {error.start}", "the file is not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise SupplyProblems([Problem(f"line {error.lineno}, column {error.colno}", f"not JSON: {error.msg}")]) from None
    except RecursionError:
        raise SupplyProblems([Problem("the file", "nested too deep for Skolverket's answer")]) from None
    pages = found if isinstance(found, list) else [found]
    problems: list[Problem] = []
    events = _events(pages, problems)
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for number, (page, event) in enumerate(events, start=1):
        row = _event(number, page, event, municipalities, problems)
        if row is None:
            continue
        if row["event_id"] in seen:
            problems.append(Problem(_where(number, event, "educationEventId"), f"{row['event_id']} appears twice "
                                    f"(records {seen[row['event_id']]} and {number})"))
            continue
        seen[row["event_id"]] = number
        if row["kind"]:
            rows.append(row | {"source_file": file_name, "source_sheet": f"page {page}", "source_row": number})
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise SupplyProblems(problems[:MAX_PROBLEMS])
    if not rows:
        raise SupplyProblems([Problem("the file", f"no event of the kinds kept ({', '.join(KEPT)})")])
    return frame(rows)


def _events(pages: list, problems: list[Problem]) -> list[tuple[int, dict]]:
    out: list[tuple[int, dict]] = []
    numbers: list[int] = []
    totals: set[tuple[int, int]] = set()
    for i, page in enumerate(pages, start=1):
        body = page.get("body") if isinstance(page, dict) else None
        listed = body.get("_embedded", {}).get(EVENTS) if isinstance(body, dict) and isinstance(body.get("_embedded"), dict) else None
        about = body.get("page") if isinstance(body, dict) else None
        if not isinstance(listed, list) or not isinstance(about, dict):
            problems.append(Problem(f"page {i} of the file", f"not an answer of adult-education-events: expected "
                                    f"body._embedded.{EVENTS} and body.page"))
            continue
        number, total, pages_ = (about.get(k) for k in ("number", "totalElements", "totalPages"))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (number, total, pages_)):
            problems.append(Problem(f"page {i} of the file, field 'page'", "number, totalElements and totalPages must be "
                                    "whole numbers"))
            continue
        if not (0 <= int(pages_) <= MAX_PAGES and 0 <= int(total) <= MAX_PAGES * 200  # type: ignore[arg-type]
                and 0 <= int(number) < max(int(pages_), 1)):  # type: ignore[arg-type]
            problems.append(Problem(f"page {i} of the file, field 'page'", f"page number {number} of {pages_} pages "
                                    f"({total} events) is not a page of one answer (pages 0 to totalPages - 1, at most "
                                    f"{MAX_PAGES} pages of at most 200)"))
            continue
        numbers.append(int(number))  # type: ignore[arg-type]
        totals.add((int(total), int(pages_)))  # type: ignore[arg-type]
        out += [(int(number), e) for e in listed]  # type: ignore[arg-type]
    if problems:
        return []
    if len(totals) > 1:
        problems.append(Problem("the file", "its pages come from different answers (totalElements/totalPages differ)"))
    elif totals:
        total, pages_ = next(iter(totals))
        missing = sorted(set(range(pages_)) - set(numbers))
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if missing or twice:
            shown = ", ".join(str(n) for n in missing[:10]) + (" …" if len(missing) > 10 else "")
            problems.append(Problem("the file", (f"page(s) {shown} of {pages_} missing (a download cut short?)" if missing
                                                 else "") + (f"; page(s) {twice} twice" if twice else "")))
        elif len(out) != total:
            problems.append(Problem("the file", f"{len(out)} events, but the answer says totalElements {total}"))
    return out if not problems else []


def _real_date(text: str) -> bool:
    try:
        return 2000 <= dt.date.fromisoformat(text).year <= 2100
    except ValueError:
        return False


def _where(number: int, event: object, field: str = "") -> str:
    ident = event.get("educationEventId") if isinstance(event, dict) else None
    return f"record {number} ({str(ident)[:40]})" + (f", field '{field}'" if field else "")


def _text(number: int, event: dict, field: str, problems: list[Problem], required: bool = False) -> str:
    value = event.get(field)
    if value is None or value == "null":
        if required:
            problems.append(Problem(_where(number, event, field), "missing"))
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        problems.append(Problem(_where(number, event, field), "not text"))
        return ""
    text = plain(value)
    if text is None:
        problems.append(Problem(_where(number, event, field), "longer than 300 characters or holds control characters"))
        return ""
    return text


def _event(number: int, page: int, event: object, municipalities: Municipalities, problems: list[Problem]) -> dict | None:
    if not isinstance(event, dict):
        problems.append(Problem(f"record {number}", "not an event object"))
        return None
    start = len(problems)
    ident = _text(number, event, "educationEventId", problems, required=True)
    school = _text(number, event, "typeOfSchool", problems, required=True)
    kind = KEPT.get(school, "")
    if not kind:
        return {"event_id": ident, "kind": ""} if len(problems) == start else None
    title = _text(number, event, "titleSv", problems, required=True)
    title = (CDATA.match(title).group(1) if CDATA.match(title) else title).strip()  # type: ignore[union-attr]
    if not title and "titleSv" in event:  # "<![CDATA[ ]]>": no title once the wrapper is off
        problems.append(Problem(_where(number, event, "titleSv"), "empty"))
    code = _text(number, event, "geographicalAreaCode", problems, required=True)
    name = _text(number, event, "municipality", problems)
    if code and code not in municipalities.names:
        problems.append(Problem(_where(number, event, "geographicalAreaCode"), f"{code!r} is not a Swedish municipality's code"))
    elif code and name and municipalities.code(name) != code:
        problems.append(Problem(_where(number, event, "municipality"), f"{name!r} is not the municipality of code {code} "
                                f"({municipalities.names[code]})"))
    credits, system = _text(number, event, "credits", problems), _text(number, event, "creditsSystem", problems)
    points = whole(credits) if system == "yh" else None
    if points is not None and not 0 < points <= MAX_POINTS:
        problems.append(Problem(_where(number, event, "credits"), f"{str(credits)[:24]!r} is not a number of YH points "
                                f"(1 to {MAX_POINTS})"))
    pace_text = _text(number, event, "paceOfStudy", problems)
    pace = round(float(pace_text)) if re.fullmatch(r"\d{1,3}(\.\d+)?", pace_text) else None
    if (pace_text and pace is None) or (pace is not None and not 0 < pace <= MAX_PACE):
        problems.append(Problem(_where(number, event, "paceOfStudy"), f"{pace_text[:20]!r} is not a pace in per cent "
                                f"(1 to {MAX_PACE})"))
    distance = event.get("distance")
    if distance is not None and not isinstance(distance, bool):
        problems.append(Problem(_where(number, event, "distance"), "neither true nor false"))
    start_text = _text(number, event, "semesterStartFrom", problems)
    year = DATE.match(start_text)
    if start_text and (not year or not _real_date(start_text[:10])):
        problems.append(Problem(_where(number, event, "semesterStartFrom"), f"{start_text[:20]!r} is not a date "
                                "(YYYY-MM-DD, a day that exists, 2000-2100)"))
    if len(problems) > start:
        return None
    return {
        "source": "Skolverket", "kind": kind, "round": "", "diarienummer": "", "event_id": ident, "title": title,
        "provider": _text(number, event, "providerName", problems), "education_area": school, "sun5_code": "",
        "sun5_name": "", "municipality_code": code, "municipality_name": name, "several_municipalities": "no",
        "municipalities": 1, "yh_points": "" if points is None else points,
        "credits_text": "" if system == "yh" or not credits else f"{credits} {system}".strip(),
        "study_form": "distans" if distance else "bunden", "pace_pct": "" if pace is None else pace,
        "intakes": "", "first_intake_year": year.group(1) if year else "", "seats_per_intake": "",
        **{f"seats_intake_{k}": "" for k in range(1, 6)}, "seats_total": "", "start": start_text[:10],
        "continuous_intake": "no" if start_text else "yes",
    }
