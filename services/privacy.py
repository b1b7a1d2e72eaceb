"""Personal data of contact persons: kept until their date, and a person's data on request (GDPR art. 15, 17).

A company's contact person (name, role, e-mail) is the register's personal data about people who are not its
users. Three things remove it, each in one transaction, audited:

- **retention**: a contact kept past its ``contact_until`` date is erased (``erase_expired_contacts``; the app
  runs it at the first rerun of each day, ``kompetenskartan retention`` from cron);
- **a request to erase** (``erase_person``): every company whose contact it is, and every mention of the
  name or e-mail in notes;
- in both, the **audit log's earlier snapshots** lose the person too: each value that held them is replaced by
  a marker that says erased, when and why. This is the one change ever made to a written log entry: the log
  must not keep what the law says must go. The erasure's own entry names no one.

``person_record`` gathers everything stored about a person (records and log entries) for a request to see it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from services.register import audit
from services.register.schema import AuditRow, CompanyRow, EffortRow, NeedRow, VisitRow
from services.register.store import Register

CONTACT = ("contact_name", "contact_role", "contact_email")
NOTES: dict[str, type[VisitRow] | type[NeedRow] | type[EffortRow]] = {"visits": VisitRow, "needs": NeedRow, "efforts": EffortRow}
RETENTION_ACTOR = "system (retention)"


def marker(on: dt.date, why: str) -> str:
    return f"[erased {on.isoformat()}: {why}]"


@dataclass
class Found:
    """What the register holds about one person: the companies whose contact they are, notes that name them,
    and the log entries whose snapshots or detail hold them."""

    who: str
    companies: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # {"table", "id", "note"}
    entries: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.companies or self.notes or self.entries)


def _who(terms: list[str]) -> re.Pattern:
    """The pattern of a person's terms (``_terms``: they hold the name or e-mail asked for, so it is never empty)."""
    pattern = _pattern(terms)
    assert pattern is not None  # the person asked for is not blank
    return pattern


def _pattern(terms: list[str]) -> re.Pattern | None:
    terms = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None


def _scrub_value(value, pattern: re.Pattern, replacement: str):
    """``value`` (a snapshot's parsed JSON) with every match of ``pattern`` in its strings replaced."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {k: _scrub_value(v, pattern, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(v, pattern, replacement) for v in value]
    return value


def _scrub_log(conn: Connection, pattern: re.Pattern, replacement: str, candidates) -> int:
    """Replace every mention ``pattern`` finds in the log's snapshots and details; returns the entries changed."""
    changed = 0
    for row in conn.execute(select(AuditRow.id, AuditRow.before, AuditRow.after, AuditRow.detail).where(candidates)).all():
        new = {}
        for column in ("before", "after"):
            text = getattr(row, column) or ""
            if text and pattern.search(text):
                new[column] = audit.snapshot(_scrub_value(json.loads(text), pattern, replacement))
        if row.detail and pattern.search(row.detail):
            new["detail"] = pattern.sub(replacement, row.detail)
        if new:
            conn.execute(update(AuditRow).where(AuditRow.id == row.id).values(**new))
            changed += 1
    return changed


def _mentions(terms: list[str]):
    """A SQL condition: the log rows that may mention one of ``terms`` (case-insensitive, checked again in Python)."""
    return or_(*[func.lower(c).contains(t.lower()) for t in terms for c in (AuditRow.before, AuditRow.after, AuditRow.detail)])


def erase_expired_contacts(register: Register, today: dt.date | None = None) -> int:
    """Erase every contact person kept past their date: the company's contact fields, the notes that give their
    full name or e-mail, and every log snapshot that holds them. Returns how many contacts were erased."""
    today = today or dt.date.today()
    erased = 0
    with register.writer.begin() as conn:
        expired = conn.execute(select(CompanyRow.id).where(CompanyRow.contact_until < today)).scalars().all()
        for company_id in expired:
            before = dict(conn.execute(select(CompanyRow.__table__).where(CompanyRow.id == company_id).with_for_update())
                          .mappings().one())
            why = marker(today, f"contact person kept until {before['contact_until']}")
            _erase(conn, [before], [before[f] for f in ("contact_name", "contact_email") if before[f]], why, RETENTION_ACTOR,
                   f"contact person kept until {before['contact_until']}: erased")
            erased += 1
        if erased:
            register._bump(conn)
    if erased:
        register.forget_old_pages()
    return erased


def _erase(conn: Connection, companies: list[dict], terms: list[str], why: str, actor: str, detail: str) -> tuple[int, int]:
    """Clear the companies' contact persons, replace ``terms`` in notes and the log's snapshots with ``why``,
    and log each record's change with the marker in place of the person. Returns (notes, log entries) changed."""
    for before in companies:
        changes = {"contact_name": "", "contact_role": "", "contact_email": "", "contact_until": None}
        conn.execute(update(CompanyRow).where(CompanyRow.id == before["id"]).values(**changes, version=before["version"] + 1))
        after = dict(conn.execute(select(CompanyRow.__table__).where(CompanyRow.id == before["id"])).mappings().one())
        role = _pattern([before["contact_role"]]) if before["contact_role"] else None
        if role is not None:  # a role ("VD") says who the person was only beside their company: cleared there
            _scrub_log(conn, role, why, (AuditRow.table_name == "companies") & (AuditRow.record_id == str(before["id"])))
        audit.record(conn, actor, "edit", "companies", before["id"], after["version"],
                     before | {f: why for f in CONTACT if before[f]}, after, detail)
    pattern = _pattern(terms)
    if pattern is None:
        return 0, 0
    notes = 0
    for table, model in NOTES.items():
        for row in conn.execute(select(model.__table__).where(_like(model.note, terms)).with_for_update()).mappings().all():
            if not pattern.search(row["note"] or ""):
                continue
            values = {"note": pattern.sub(why, row["note"]), "version": row["version"] + 1}
            conn.execute(update(model).where(model.id == row["id"]).values(**values))
            after = dict(conn.execute(select(model.__table__).where(model.id == row["id"])).mappings().one())
            audit.record(conn, actor, "edit", table, row["id"], after["version"], dict(row) | {"note": values["note"]}, after,
                         "a person's name or e-mail erased")
            notes += 1
    return notes, _scrub_log(conn, pattern, why, _mentions(terms))


def person_record(register: Register, who: str) -> Found:
    """Everything stored about the contact person with this e-mail or name (case-insensitive, whole value)."""
    who = who.strip()
    found = Found(who)
    if not who:
        return found
    with register.engine.connect() as conn:
        found.companies = _companies_of(conn, who)
        terms = _terms(who, found.companies)
        pattern = _who(terms)
        for table, model in NOTES.items():
            for row in conn.execute(select(model.id, model.note).where(_like(model.note, terms))).all():
                if pattern.search(row.note or ""):
                    found.notes.append({"table": table, "id": row.id, "note": row.note})
        log = conn.execute(select(AuditRow.__table__).where(_mentions(terms)).order_by(AuditRow.id)).mappings().all()
        found.entries = [_plain(dict(r)) for r in log
                         if any(pattern.search(r[c] or "") for c in ("before", "after", "detail"))]
    return found


def _like(column, terms: list[str]):
    return or_(*[func.lower(column).contains(t.lower()) for t in terms])


def _is_contact(who: str):
    return or_(func.lower(CompanyRow.contact_email) == who.lower(), func.lower(CompanyRow.contact_name) == who.lower())


def _companies_of(conn: Connection, who: str) -> list[dict]:
    return [_plain(dict(r)) for r in conn.execute(select(CompanyRow.__table__).where(_is_contact(who))).mappings().all()]


def _terms(who: str, companies: list[dict]) -> list[str]:
    """The strings that identify the person: what was asked for, and the name and e-mail stored with it."""
    terms = {who}
    for company in companies:
        terms |= {company["contact_name"], company["contact_email"]} - {""}
    return sorted(terms)


def _plain(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def export_text(found: Found, made_on: dt.datetime) -> str:
    """The answer to a request to see one's data: readable JSON, every record and log entry as stored."""
    return json.dumps({
        "request": "everything Kompetenskartan stores about a contact person (GDPR article 15)",
        "asked_for": found.who, "made_at": made_on.isoformat(timespec="seconds"),
        "companies_where_contact_person": found.companies, "notes_that_mention": found.notes,
        "audit_log_entries": [e | {k: json.loads(e[k]) if e[k] else None for k in ("before", "after")} for e in found.entries],
    }, ensure_ascii=False, indent=2, default=str)


def log_export(register: Register, found: Found, actor: str) -> None:
    """A data-subject export is audited too (who looked, when, how much), without the person's name."""
    with register.writer.begin() as conn:
        audit.record(conn, actor, "person_export", "persons", "-", None,
                     detail=f"data subject access: {len(found.companies)} companies, {len(found.notes)} notes, "
                            f"{len(found.entries)} log entries")


def erase_person(register: Register, who: str, actor: str, requested_by: str, today: dt.date | None = None) -> dict[str, int]:
    """Erase every trace of the contact person ``who`` (e-mail or name): contact fields, mentions in notes and in
    the log. Audited as one entry naming who asked and how much went, not the person. Returns the counts."""
    today = today or dt.date.today()
    who = who.strip()
    if not who:
        return {"companies": 0, "notes": 0, "entries": 0}
    with register.writer.begin() as conn:
        companies = [dict(r) for r in conn.execute(select(CompanyRow.__table__).where(_is_contact(who)).with_for_update())
                     .mappings().all()]
        terms = _terms(who, companies)
        if _who(terms).search(requested_by):
            requested_by = "the person themselves"  # the log names who asked, never the person erased
        why = marker(today, f"erased on request ({requested_by})")
        notes, entries = _erase(conn, companies, terms, why, actor, "contact person erased on request")
        counts = {"companies": len(companies), "notes": notes, "entries": entries}
        audit.record(conn, actor, "person_erase", "persons", "-", None,
                     detail=f"data subject erasure asked by {requested_by}: {counts['companies']} contact person record(s), "
                            f"{notes} note(s), {entries} log entries")
        register.written(conn, actor)
    register.forget_old_pages()
    return counts
