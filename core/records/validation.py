"""Checks on tables before they reach the register: every problem with its row and column.

A check returns a list of problems rather than raising at the first, so a user sees all that
is wrong with a file at once; a writer refuses the whole table if the list is not empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set
from dataclasses import dataclass

import pandas as pd

from core.common.models import NEED_ENUMS, Form, Outcome, ProviderType, SizeClass, Source, Status
from core.common.text import EARLIEST, has_unsafe, unsafe_characters

NEED_COLUMNS = [
    "id", "company_id", "municipality_code", "industry_group", "competence", "need_type", "persons",
    "horizon", "form", "level", "source", "collected_on", "broker", "status", "note",
]
OFFER_COLUMNS = [
    "offer_id", "title", "provider", "provider_type", "competence", "place_id", "centre_id", "form", "seats",
    "start", "weeks", "pace_pct", "is_real", "source",
]
COMPANY_COLUMNS = ["id", "name", "municipality_code", "sni_code", "industry_group", "size_class"]


@dataclass(frozen=True)
class Problem:
    row: int | None  # 1-based data row, None for the whole table
    column: str | None
    message: str
    code: str = ""  # for a record's field: the catalogue key problem.<code>, in the user's language
    value: str = ""

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"rad {self.row}" if self.row else "", self.column or "") if p)
        return f"{where}: {self.message}" if where else self.message


class InvalidTable(ValueError):
    def __init__(self, table: str, problems: list[Problem]):
        self.table = table
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (+{len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{table}: {len(problems)} problem(s): {shown}{more}")


def missing_columns(frame: pd.DataFrame, required: list[str]) -> list[Problem]:
    return [Problem(None, col, "column is missing") for col in required if col not in frame.columns]


def check_needs(needs: pd.DataFrame, known: dict[str, set[str]]) -> list[Problem]:
    """Problems in a needs table; ``known`` maps a column to its allowed codes."""
    problems = missing_columns(needs, NEED_COLUMNS)
    if problems:
        return problems
    allowed = {col: {e.value for e in enum} for col, enum in NEED_ENUMS.items()}
    allowed |= {col: values for col, values in known.items() if col in NEED_COLUMNS}
    for col, values in allowed.items():
        bad = ~needs[col].astype(str).isin(values)
        problems += [Problem(i + 1, col, f"unknown value {v!r}") for i, v in zip(bad[bad].index, needs.loc[bad, col])]
    persons = pd.to_numeric(needs["persons"], errors="coerce")
    bad = persons.isna() | (persons < 1)
    problems += [Problem(i + 1, "persons", "must be a whole number of at least 1") for i in bad[bad].index]
    dates = pd.to_datetime(needs["collected_on"], errors="coerce")
    problems += [Problem(i + 1, "collected_on", "not a date") for i in dates[dates.isna()].index]
    return problems


def check_offers(offers: pd.DataFrame, known: dict[str, set[str]]) -> list[Problem]:
    """Problems in an offers table (competence may be empty: a programme outside the catalogue)."""
    problems = missing_columns(offers, OFFER_COLUMNS)
    if problems:
        return problems
    allowed = {
        "provider_type": {p.value for p in ProviderType},
        "form": {f.value for f in Form},
        "competence": known.get("competence", set()) | {""},
    }
    if "place_id" in known:
        allowed["place_id"] = known["place_id"] | {""}
    for col, values in allowed.items():
        bad = ~offers[col].fillna("").astype(str).isin(values)
        problems += [Problem(i + 1, col, f"unknown value {v!r}") for i, v in zip(bad[bad].index, offers.loc[bad, col])]
    seats = pd.to_numeric(offers["seats"], errors="coerce")
    problems += [Problem(i + 1, "seats", "must be a whole number of at least 1") for i in seats[~(seats >= 1)].index]
    on_site = offers["form"] != "distance"
    homeless = on_site & offers["place_id"].fillna("").eq("")
    problems += [Problem(i + 1, "place_id", "an on-site or blended offer needs a place") for i in homeless[homeless].index]
    dupes = offers["offer_id"].duplicated()
    problems += [Problem(i + 1, "offer_id", "appears twice") for i in dupes[dupes].index]
    return problems


# --- single records entered by a broker (the workspace's forms and services) ---

ORG_NR = re.compile(r"^(\d{6})-?(\d{4})$")
SNI = re.compile(r"^(\d{2})(?:\.?(\d{1,3}))?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def org_number(text: str) -> str:
    """An organisation number as NNNNNN-NNNN, or ``ValueError`` (wrong form or check digit)."""
    match = ORG_NR.match(str(text).strip().replace(" ", ""))
    if not match:
        raise ValueError("org_nr_form")
    digits = match[1] + match[2]
    if not luhn_ok(digits):
        raise ValueError("org_nr_check")
    return f"{match[1]}-{match[2]}"


def sni_code(text: str, divisions: Set[int]) -> str:
    """An SNI 2007 code as DD or DD.D–DD.DDD, or ``ValueError``: ``divisions`` are the valid divisions."""
    match = SNI.match(str(text).strip())
    if not match or int(match[1]) not in divisions:
        raise ValueError("sni_unknown")
    return match[1] + (f".{match[2]}" if match[2] else "")


def _problem(problems: list[Problem], field: str, code: str, value: object = "") -> None:
    problems.append(Problem(None, field, code, code, str(value)))


def _date(values: dict, field: str, problems: list[Problem], *, required: bool, not_after: dt.date | None = None,
          not_before: dt.date | None = None) -> None:
    value = values.get(field)
    if value in (None, ""):
        if required:
            _problem(problems, field, "required")
        return
    if not isinstance(value, dt.date):
        _problem(problems, field, "not_a_date", value)
    elif value < EARLIEST:
        _problem(problems, field, "date_too_early", value)
    elif not_after is not None and value > not_after:
        _problem(problems, field, "date_in_future", value)
    elif not_before is not None and value < not_before:
        _problem(problems, field, "date_in_past", value)


def _text(values: dict, field: str, problems: list[Problem], *, required: bool, limit: int) -> None:
    value = str(values.get(field) or "")
    if required and not value.strip():
        _problem(problems, field, "required")
    elif len(value) > limit or "\x00" in value:
        _problem(problems, field, "too_long" if len(value) > limit else "bad_text", len(value))
    elif has_unsafe(value):
        _problem(problems, field, "control_character", ", ".join(unsafe_characters(value)))


def _choice(values: dict, field: str, allowed: set[str], problems: list[Problem]) -> None:
    if str(values.get(field) or "") not in allowed:
        _problem(problems, field, "unknown_value", values.get(field))


def check_company(values: dict, known: dict[str, set[str]], today: dt.date, divisions: set[int]) -> list[Problem]:
    """Problems of a company as entered: every field is checked, not only the first wrong one."""
    problems: list[Problem] = []
    _text(values, "name", problems, required=True, limit=200)
    if values.get("org_nr") or values.get("_org_nr_required"):
        try:
            org_number(values.get("org_nr", ""))
        except ValueError as err:
            _problem(problems, "org_nr", str(err), values.get("org_nr", ""))
    try:
        sni_code(values.get("sni_code", ""), divisions)
    except ValueError as err:
        _problem(problems, "sni_code", str(err), values.get("sni_code", ""))
    _choice(values, "municipality_code", known.get("municipality_code", set()), problems)
    if values.get("industry_group") or not any(p.column == "sni_code" for p in problems):  # else it follows the SNI code
        _choice(values, "industry_group", known.get("industry_group", set()), problems)
    _choice(values, "size_class", {s.value for s in SizeClass}, problems)
    _text(values, "contact_name", problems, required=False, limit=200)
    _text(values, "contact_role", problems, required=False, limit=100)
    email = str(values.get("contact_email") or "")
    if email and not EMAIL.match(email):
        _problem(problems, "contact_email", "email_form", email)
    has_contact = any(values.get(f) for f in ("contact_name", "contact_role", "contact_email"))
    if values.get("contact_role") and not (values.get("contact_name") or values.get("contact_email")):
        _problem(problems, "contact_role", "role_without_contact", str(values.get("contact_role")))  # retention follows names and addresses
    _date(values, "contact_until", problems, required=has_contact, not_before=today + dt.timedelta(days=1))
    return problems


def check_visit(values: dict, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    _date(values, "visited_on", problems, required=True, not_after=today)
    _choice(values, "method", {s.value for s in Source}, problems)
    _text(values, "note", problems, required=False, limit=4000)
    return problems


def check_need(values: dict, known: dict[str, set[str]], today: dt.date) -> list[Problem]:
    """Problems of one need as entered (its company's municipality and industry are the service's to set)."""
    problems: list[Problem] = []
    _choice(values, "competence", known.get("competence", set()), problems)
    for col, enum in NEED_ENUMS.items():
        if col in values or col != "source":  # the source comes from the visit unless given
            _choice(values, col, {e.value for e in enum}, problems)
    persons = values.get("persons")
    if not isinstance(persons, int) or isinstance(persons, bool) or not 1 <= persons <= 10_000:
        _problem(problems, "persons", "persons_range", persons)
    _date(values, "collected_on", problems, required=True, not_after=today)
    _date(values, "follow_up_on", problems, required=False)
    _text(values, "note", problems, required=False, limit=4000)
    if values.get("status") == Status.CLOSED:
        _choice(values, "outcome", {o.value for o in Outcome}, problems)
    elif values.get("outcome"):
        _problem(problems, "outcome", "outcome_only_when_closed", values.get("outcome"))
    return problems


def check_effort(values: dict) -> list[Problem]:
    problems: list[Problem] = []
    _text(values, "title", problems, required=True, limit=200)
    _text(values, "provider", problems, required=True, limit=200)
    seats = values.get("seats")
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 10_000:
        _problem(problems, "seats", "seats_range", seats)
    _date(values, "start", problems, required=False)
    _text(values, "note", problems, required=False, limit=4000)
    return problems
