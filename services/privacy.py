"""Personal data of contact persons: kept until their date, and a person's data on request (GDPR art. 15, 17).

A company's contact person (name, role, e-mail) is the register's personal data about people who are not its
users. Three things remove it, each in one transaction, audited:

- **retention** (``erase_expired_contacts``; the app runs it at the first rerun of each day, ``kompetenskartan
  retention`` from cron): every contact value that was ever stored for a company, read from the audit log's
  history and not only from the current record (a contact replaced by another, cleared, or tried in an edit that
  was refused), is erased from that company's record and snapshots when the date it was kept until has passed;
  when no company keeps the name or address any more, its mentions in free text go too (not for a weak term: a
  one-word or short name is left for an admin to erase on request after looking at what would change);
- **a request to erase** (``erase_person``): every company whose contact it is or was, and every mention of the
  name or e-mail in free text; a weak term only with the admin's confirmation;
- a **rebuild** of the register (``Register.replace``) empties every snapshot's personal fields (``audit.forget_personal``).

What is matched, and where (``core.records.persons``): the whole name or address, case-folded in Python (the same
on SQLite and PostgreSQL), at word boundaries; only in the contact fields and the free text (notes, the log's
details, an import's file name), never in codes or other records' names. The audit log's earlier snapshots lose
the person too: each value that held them is replaced by a marker that says erased, when and why, and the record's
own change is logged with the same marker, so the log still replays to the records. This is the one change ever
made to a written log entry: the log must not keep what the law says must go. The erasure's own entry names no one.

``person_record`` gathers everything stored about a person (records and log entries) for a request to see it, and
is the listing of what an erasure would change.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from core.records.audience import UserProblem
from core.records.persons import Person, fold, is_weak
from services.register import audit
from services.register.audit import CONTACT, FREE_TEXT, IMPORT
from services.register.schema import AuditRow, CompanyRow, EffortRow, NeedRow, VisitRow
from services.register.store import Register

NOTES: dict[str, type[VisitRow] | type[NeedRow] | type[EffortRow]] = {"visits": VisitRow, "needs": NeedRow, "efforts": EffortRow}
RETENTION_ACTOR = "system (retention)"
ERASED = "[erased "  # how every marker begins: a marker is never a person's value


def marker(on: dt.date, why: str) -> str:
    return f"{ERASED}{on.isoformat()}: {why}]"


def short_marker(on: dt.date) -> str:
    """A marker that fits an audit entry's ``record_id`` (40 characters)."""
    return f"{ERASED}{on.isoformat()}]"


@dataclass
class Found:
    """What the register holds about one person: the companies whose contact they are, notes that name them,
    and the log entries whose snapshots, detail or record id hold them. ``weak``: the terms that are one word or
    short (an erasure by them needs the admin's confirmation)."""

    who: str
    companies: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # {"table", "id", "note", "after"}
    entries: list[dict] = field(default_factory=list)
    weak: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.companies or self.notes or self.entries)


class Unconfirmed(UserProblem):
    """An erasure by a one-word or short term that the admin has not confirmed after seeing what would change."""

    def __init__(self, weak: tuple[str, ...]):
        super().__init__("confirm_short", "a one-word or short name may be someone else's word too: look at what would "
                                          "change (person erase --dry-run) and confirm (--yes)", ", ".join(weak))


# --- what a snapshot, a log entry or a record holds of a person ---

def _holds_contact(person: Person, value: dict, whole: bool = False) -> bool:
    """The snapshot's contact is the person's: its name or e-mail is one of their terms, or (unless ``whole``) names
    them by a term that is not weak ("Kim Kontaktsson (VD)"; never "Per Olsson" for "Per")."""
    fields = [value.get(f) for f in ("contact_name", "contact_email")]
    if any(person.is_value(v) for v in fields):
        return True
    return not whole and any(person.strong.mentions(v) for v in fields)


def _scrub_snapshot(table: str, value: dict, person: Person, why: str, free_text: bool) -> dict:
    """``value`` (a record's snapshot) without the person: a contact that is theirs becomes ``why`` whole (name, role
    and e-mail), and (``free_text``) each mention in a note. Every other field as it was. Without ``free_text``
    (retention of one company's contact values) only a contact whose whole name or e-mail is one of them."""
    out = dict(value)
    if table == "companies" and _holds_contact(person, value, whole=not free_text):
        out |= {f: why for f in CONTACT if value.get(f) and not str(value[f]).startswith(ERASED)}
    if free_text:
        for f in FREE_TEXT.get(table, ()):
            if isinstance(value.get(f), str):
                out[f] = person.replace(value[f], why)
    return out


def _scrub_entry(row, person: Person, why: str, short: str, free_text: bool = True) -> dict[str, str]:
    """The new values of one log entry's columns that hold the person (none if it holds nothing of them)."""
    new: dict[str, str] = {}
    for column in ("before", "after"):
        text = getattr(row, column) or ""
        if row.table_name in audit.PERSONAL and person.may_mention(text):
            value = json.loads(text)
            scrubbed = _scrub_snapshot(row.table_name, value, person, why, free_text)
            if scrubbed != value:
                new[column] = audit.snapshot(scrubbed)
    if free_text:
        if row.detail and person.mentions(row.detail):
            new["detail"] = person.replace(row.detail, why)
        if (row.table_name, row.action) == IMPORT and person.mentions(row.record_id):
            new["record_id"] = short  # the import's file name
    return new


def _log_rows(conn: Connection, where=None, lock: bool = False):
    query = select(AuditRow.id, AuditRow.at, AuditRow.actor, AuditRow.action, AuditRow.table_name, AuditRow.record_id,
                   AuditRow.version, AuditRow.before, AuditRow.after, AuditRow.detail).order_by(AuditRow.id)
    if where is not None:
        query = query.where(where)
    return conn.execute(query.with_for_update() if lock else query).all()


def _scrub_log(conn: Connection, person: Person, why: str, short: str, where=None, free_text: bool = True) -> int:
    """Replace the person in every log entry (matching ``where``); returns how many entries changed."""
    changed = 0
    for row in _log_rows(conn, where):
        new = _scrub_entry(row, person, why, short, free_text)
        if new:
            conn.execute(update(AuditRow).where(AuditRow.id == row.id).values(**new))
            changed += 1
    return changed


def _clear_contact(conn: Connection, before: dict, why: str, actor: str, detail: str) -> None:
    """A company's current contact person cleared, logged with the marker in place of the person."""
    changes = {"contact_name": "", "contact_role": "", "contact_email": "", "contact_until": None}
    conn.execute(update(CompanyRow).where(CompanyRow.id == before["id"]).values(**changes, version=before["version"] + 1))
    after = dict(conn.execute(select(CompanyRow.__table__).where(CompanyRow.id == before["id"])).mappings().one())
    audit.record(conn, actor, "edit", "companies", before["id"], after["version"], before | {f: why for f in CONTACT if before[f]},
                 after, detail)


def _scrub_notes(conn: Connection, person: Person, why: str, actor: str, detail: str) -> int:
    """Replace the person's mentions in every note (each change logged); returns how many notes changed."""
    notes = 0
    for table, model in NOTES.items():
        for row in conn.execute(select(model.__table__).where(model.note != "").with_for_update()).mappings().all():
            note = person.replace(row["note"], why)
            if note == row["note"]:
                continue
            conn.execute(update(model).where(model.id == row["id"]).values(note=note, version=row["version"] + 1))
            after = dict(conn.execute(select(model.__table__).where(model.id == row["id"])).mappings().one())
            audit.record(conn, actor, "edit", table, row["id"], after["version"], dict(row) | {"note": note}, after, detail)
            notes += 1
    return notes


# --- who a person is ---

def _identify(conn: Connection, who: str) -> tuple[Person, list[dict]]:
    """The person asked for (an e-mail or a full name) and the companies whose current contact they are. Their terms:
    what was asked for, and every name and e-mail ever stored with it as a company's contact (the log's snapshots
    included), so an erasure by e-mail also finds the name written in a note."""
    asked = Person((who,))
    terms = {who}
    companies = [dict(r) for r in conn.execute(select(CompanyRow.__table__)).mappings().all()
                 if any(asked.is_value(r[f]) for f in ("contact_name", "contact_email"))]
    for company in companies:
        terms |= {company["contact_name"], company["contact_email"]}
    for row in _log_rows(conn, AuditRow.table_name == "companies"):
        for text in (row.before, row.after):
            if text and asked.may_mention(text):
                value = json.loads(text)
                if any(asked.is_value(value.get(f)) for f in ("contact_name", "contact_email")):
                    terms |= {value.get("contact_name") or "", value.get("contact_email") or ""}
    return Person(tuple(t for t in terms if t and not t.startswith(ERASED))), companies


def person_record(register: Register, who: str) -> Found:
    """Everything stored about the contact person with this e-mail or name (whole name or address, case-folded), and
    what an erasure would change: each note as it is and as it would be."""
    who = " ".join(who.split())
    found = Found(who)
    if not who:
        return found
    with register.engine.connect() as conn:
        person, companies = _identify(conn, who)
        found.weak = person.weak
        found.companies = [_plain(c) for c in companies]
        for table, model in NOTES.items():
            for row in conn.execute(select(model.id, model.note).where(model.note != "")).all():
                if person.mentions(row.note):
                    found.notes.append({"table": table, "id": row.id, "note": row.note,
                                        "after": person.replace(row.note, "[…]")})
        found.entries = [_plain(dict(r._mapping)) for r in _log_rows(conn) if _scrub_entry(r, person, "[…]", "[…]")]
    return found


def _plain(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def export_text(found: Found, made_on: dt.datetime) -> str:
    """The answer to a request to see one's data: readable JSON, every record and log entry as stored."""
    return json.dumps({
        "request": "everything Kompetenskartan stores about a contact person (GDPR article 15)",
        "asked_for": found.who, "made_at": made_on.isoformat(timespec="seconds"),
        "companies_where_contact_person": found.companies,
        "notes_that_mention": [{k: n[k] for k in ("table", "id", "note")} for n in found.notes],
        "audit_log_entries": [e | {k: json.loads(e[k]) if e[k] else None for k in ("before", "after")} for e in found.entries],
    }, ensure_ascii=False, indent=2, default=str)


def log_export(register: Register, found: Found, actor: str) -> None:
    """A data-subject export is audited too (who looked, when, how much), without the person's name."""
    with register.writer.begin() as conn:
        audit.record(conn, actor, "person_export", "persons", "-", None,
                     detail=f"data subject access: {len(found.companies)} companies, {len(found.notes)} notes, "
                            f"{len(found.entries)} log entries")


def erase_person(register: Register, who: str, actor: str, requested_by: str, today: dt.date | None = None,
                 confirmed: bool = False) -> dict[str, int]:
    """Erase every trace of the contact person ``who`` (e-mail or name): contact fields (current and in the log),
    mentions in free text. A one-word or short term needs ``confirmed`` (``Unconfirmed`` otherwise, nothing
    written). Audited as one entry naming who asked and how much went, not the person. Returns the counts."""
    today = today or dt.date.today()
    who = " ".join(who.split())
    if not who:
        return {"companies": 0, "notes": 0, "entries": 0}
    with register.writer.begin() as conn:
        person, _ = _identify(conn, who)
        if person.weak and not confirmed:
            raise Unconfirmed(person.weak)
        companies = [dict(r) for r in conn.execute(select(CompanyRow.__table__).with_for_update()).mappings().all()
                     if _holds_contact(person, dict(r))]  # the whole name or address, or a longer one that holds it
        if person.mentions(requested_by):
            requested_by = "the person themselves"  # the log names who asked, never the person erased
        why = marker(today, f"erased on request ({requested_by})")
        entries = _scrub_log(conn, person, why, short_marker(today))
        for before in companies:
            _clear_contact(conn, before, why, actor, "contact person erased on request")
        notes = _scrub_notes(conn, person, why, actor, "a person's name or e-mail erased")
        counts = {"companies": len(companies), "notes": notes, "entries": entries}
        audit.record(conn, actor, "person_erase", "persons", "-", None,
                     detail=f"data subject erasure asked by {requested_by}: {counts['companies']} contact person record(s), "
                            f"{notes} note(s), {entries} log entries")
        register.written(conn, actor)
    register.forget_old_pages()
    return counts


# --- retention: every contact value ever stored, at its own date ---

@dataclass
class _Kept:
    """How long a company keeps one contact value (a folded name or e-mail): the date of the newest stored record
    that held it (an edit that shortened the date counts), or of a refused attempt if only that held it."""

    until: dt.date | None = None
    accepted: bool = False


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _values(block: dict) -> set[str]:
    """The contact values (folded name and e-mail) a snapshot or record holds; a marker is no one's."""
    values = {fold(" ".join(str(block.get(f) or "").split())) for f in ("contact_name", "contact_email")}
    return {v for v in values if v and not v.startswith(fold(ERASED))}


def _kept(conn: Connection) -> dict[int, dict[str, _Kept]]:
    """{company id: {value: how long it is kept}} from every snapshot in the log and every current record."""
    kept: dict[int, dict[str, _Kept]] = {}

    def see(company: int, block: dict, until: dt.date | None, accepted: bool) -> None:
        for value in _values(block):
            known = kept.setdefault(company, {}).setdefault(value, _Kept())
            if accepted:  # the newest accepted record decides (entries are read oldest first)
                known.until, known.accepted = until, True
            elif not known.accepted and (known.until is None or (until is not None and until > known.until)):
                known.until = until

    for row in _log_rows(conn, AuditRow.table_name == "companies"):
        if not row.record_id.isdigit():
            continue
        before = json.loads(row.before) if row.before else None
        after = json.loads(row.after) if row.after else None
        if before:
            see(int(row.record_id), before, _date(before.get("contact_until")), True)
        if after and row.action == "refused":  # an attempt never stored: its own date, else the record's
            see(int(row.record_id), after, _date(after.get("contact_until")) or _date((before or {}).get("contact_until")), False)
        elif after:
            see(int(row.record_id), after, _date(after.get("contact_until")), True)
    for company in conn.execute(select(CompanyRow.__table__)).mappings():
        see(company["id"], dict(company), company["contact_until"], True)
    return kept


def erase_expired_contacts(register: Register, today: dt.date | None = None) -> int:
    """Erase every contact value kept past its date: from the company's record and every snapshot of it in the log
    (the contact's name, role and e-mail), and, once no company keeps the name or address, its mentions in free
    text (not a weak term's). Returns how many companies' contacts were erased."""
    today = today or dt.date.today()
    with register.writer.begin() as conn:
        kept = _kept(conn)
        expired = {c: {v: k.until for v, k in values.items() if k.until is not None and k.until < today}
                   for c, values in kept.items()}
        expired = {c: values for c, values in expired.items() if values}
        if not expired:
            return 0
        for company_id, values in expired.items():
            until = max(d for d in values.values() if d is not None)
            why = marker(today, f"contact person kept until {until}")
            person = Person(tuple(values))
            _scrub_log(conn, person, why, short_marker(today), (AuditRow.table_name == "companies")
                       & (AuditRow.record_id == str(company_id)), free_text=False)
            current = dict(conn.execute(select(CompanyRow.__table__).where(CompanyRow.id == company_id).with_for_update())
                           .mappings().one())
            if _values(current) & set(values):
                _clear_contact(conn, current, why, RETENTION_ACTOR, f"contact person kept until {current['contact_until']}: erased")

        def passed(value: str) -> bool:  # every company's date for the value has passed: no one keeps it
            return all(k[value].until is not None and k[value].until < today for k in kept.values() if value in k)  # type: ignore[operator]

        gone = {v for values in expired.values() for v in values if passed(v)}
        safe = sorted(v for v in gone if not is_weak(v))
        notes = entries = 0
        if safe:
            why = marker(today, "contact person kept past their date")
            person = Person(tuple(safe))
            entries = _scrub_log(conn, person, why, short_marker(today))
            notes = _scrub_notes(conn, person, why, RETENTION_ACTOR, "a contact person kept past their date: name or e-mail erased")
        audit.record(conn, RETENTION_ACTOR, "retention", "persons", "-", None,
                     detail=f"contact persons kept past their date: {len(expired)} companies' contacts erased, {notes} note(s) "
                            f"and {entries} further log entries; {len(gone) - len(safe)} one-word or short name(s) not "
                            "looked for in free text (an admin may erase them on request)")
        register._bump(conn)
    register.forget_old_pages()
    return len(expired)
