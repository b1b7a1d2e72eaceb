"""Personal data of contact persons: kept until their date, and a person's data on request (GDPR art. 15, 17).

A company's contact person (name, role, e-mail) is the register's personal data about people who are not its
users. Three things remove it, each in one transaction, audited:

- **retention** (``erase_expired_contacts``; the app runs it at the first rerun of each day, ``kompetenskartan
  retention`` from cron): every contact value that was ever stored for a company, read from the audit log's
  history and not only from the current record (a contact replaced by another or cleared), is erased from that
  company's record and snapshots when the date it was kept until has passed, with its mentions in that company's
  own free text (never another company's: "Vet ej" is other people's words too; not a weak term's); a contact
  within its date is never touched;
- **a request to erase** (``erase_person``): the person's contacts and the mentions of what was asked for in all
  free text; the name or address stored with it only in that company (``_select``); a weak term only with the
  admin's confirmation; each value becomes ``[erased DATE: log entry N]``, N the erasure's own entry;
- a **rebuild** of the register (``Register.replace``) empties every snapshot's personal fields (``audit.forget_personal``).

A refused (stale) edit is logged without the attempt's contact fields and notes where they differ from the record
(``audit.NOT_KEPT``), so it cannot bring an erased person back.

What is matched, and where (``core.records.persons``): the whole name or address, case-folded in Python (the same
on SQLite and PostgreSQL), at word boundaries; only in the contact fields and the free text (notes, contact roles,
the log's details, an import's file name), never in codes or other records' names. The audit log's earlier
snapshots lose the person too, so the log still replays to the records. This is the one change ever made to a
written log entry: the log must not keep what the law says must go. The erasure's own entry names no one.

``person_record`` gathers everything stored about a person (records and log entries) for a request to see it, and
is the listing of what an erasure would change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass, field, replace

from sqlalchemy import insert, select, update
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
    near: list[dict] = field(default_factory=list)  # other contacts whose name contains the name: not erased
    confirm: bool = False  # an erasure needs the listing's code: a weak term, others' text, or a longer name kept
    digest: str = ""  # of what an erasure would change now: ``erase_person(confirmed=digest)`` writes only that

    @property
    def empty(self) -> bool:
        return not (self.companies or self.notes or self.entries or self.near)


class Unconfirmed(UserProblem):
    """An erasure by a one-word or short term that the admin has not confirmed after seeing what would change."""

    def __init__(self, weak: tuple[str, ...], who: str = ""):
        why = ("a one-word or short name may be someone else's word too" if weak else
               "the erasure changes text outside the person's own companies, or a longer name that contains theirs is kept")
        super().__init__("confirm_short", f"{why}: look at what would change (person erase --dry-run) and confirm with "
                                          "its code (--yes CODE)", ", ".join(weak) or who)


class ChangedSinceShown(UserProblem):
    """What an erasure would change is no longer what the admin was shown (someone wrote in between): nothing erased."""

    def __init__(self, shown: str, now: str):
        super().__init__("changed_since_shown", f"the register changed after the listing (code {shown}, now {now}): "
                                                "nothing was erased; look at the listing again", now)


# --- the selection: which contacts are the person's, and where their terms are looked for ---

_ROLE_AFTER = re.compile(r"\s*(?:\((?P<p>[^()]*)\)|,\s*(?P<s>[^,()]*))\s*$")  # "Kim Kontaktsson (VD)", "…, inköp"
_MORE_PEOPLE = re.compile(r"[/&+;|]|\s(?:och|and|eller|or)\s", re.IGNORECASE)


def _title_words(text: str) -> int:
    """How many words of ``text`` are written as a name is (a capital, then small letters: "Maria", "Väst")."""
    return sum(1 for w in re.findall(r"[^\W\d_]+", text) if w[:1].isupper() and w[1:].islower() and len(w) > 1)


def _without_role(name: str) -> str:
    """The name without a role written after it: in parentheses or after a comma, at the end ("Kim Kontaktsson (VD)",
    "Kim Kontaktsson, inköpschef"). Unchanged when what follows could hold another person ("Anna Karlsson / Maria
    Lind", "…, VD / Maria Lind", "(och Maria Lind)", "…, Inköpschef Väst": two words written as names): such a
    contact is not taken whole as one person's."""
    found = _ROLE_AFTER.search(name)
    if found is None:
        return name
    head, after = name[:found.start()], (found.group("p") or found.group("s") or "").strip()
    if not after or _MORE_PEOPLE.search(head) or _MORE_PEOPLE.search(after) or _title_words(after) >= 2:
        return name
    return head


def _holds_contact(person: Person, value: dict) -> bool:
    """The snapshot's contact is ``person``: its name or e-mail is one of their terms as a whole, or its name is one with
    a role written after it (``_without_role``). A name that holds theirs with more around it ("VD Kim Kontaktsson",
    "Anna Karlsson / Maria Lind") is not taken whole: the mention is replaced in it, after the admin has looked
    (``_Plan.outside``); a longer name that contains theirs is someone else's (``_longer_name``) and kept."""
    name, email = value.get("contact_name"), value.get("contact_email")
    if person.is_value(name) or person.is_value(email):
        return True
    return isinstance(name, str) and person.is_value(_without_role(name))


_NAME_WORD = r"[^\W\d_][^\W\d_'’]*"


def _longer_name(person: Person, name: object) -> bool:
    """``name`` holds the person's name as part of a longer name: a word written as a name right before or after it
    ("Anna Maria Karlsson" for "Maria Karlsson", "Åsa Öberg Lind" for "Åsa Öberg"): someone else."""
    if not isinstance(name, str):
        return False
    text = unicodedata.normalize("NFC", name)
    for start, end in person.strong.spans(text):
        before = re.search(rf"({_NAME_WORD})[\s-]+$", text[:start])
        after = re.match(rf"[\s-]+({_NAME_WORD})", text[end:])
        if any(m and _title_words(m.group(1)) == 1 for m in (before, after)):
            return True
    return False


def _near_contact(person: Person, value: dict) -> bool:
    """A contact whose name holds the person's name inside a longer name (``_longer_name``): someone else, kept."""
    return not _holds_contact(person, value) and _longer_name(person, value.get("contact_name"))


def _contact_values(block: dict) -> list[str]:
    """A contact's name and e-mail as stored (a marker is no one's)."""
    return [v for v in (" ".join(str(block.get(f) or "").split()) for f in ("contact_name", "contact_email"))
            if v and not is_marker(v)]


def is_marker(value: str) -> bool:
    return value.startswith(ERASED) or value == audit.NOT_KEPT


@dataclass(frozen=True)
class Selection:
    """Which contacts are the person's and where their terms are looked for: the one selection that a listing (the
    dry run), an export and an erasure all use, and retention too.

    A contact (a company's name, role and e-mail as stored together in one record or snapshot) is the person's if
    its name or e-mail is ``asked`` (or names it by a strong term), or is one of ``any_of[company]`` (retention: the
    company's values kept past their date), or if every name and e-mail it holds is one of ``all_of[company]`` (the
    name and address stored together with the asked one in that company: Kim's old snapshot, not Lovisa's with the
    same shared address). Free text (a company's contact role, its visits' and needs' notes) is searched for
    ``text[company]``, else for ``asked``; an effort's note and the log's details of other records for ``asked``; the
    file names of imports for ``files``."""

    asked: Person = field(default_factory=lambda: Person(()))
    any_of: dict[int, Person] = field(default_factory=dict)
    all_of: dict[int, Person] = field(default_factory=dict)
    text: dict[int, Person] = field(default_factory=dict)
    files: Person = field(default_factory=lambda: Person(()))
    why: str = "[…]"
    why_of: dict[int, str] = field(default_factory=dict)
    files_why: str = ""
    files_of: dict[int, Person] = field(default_factory=dict)  # the companion names, in the imports of that company
    served: dict[int, frozenset[int]] = field(default_factory=dict)  # an effort's companies (of the needs it serves)
    held: dict[int, frozenset[str]] = field(default_factory=dict)  # retention: values a company's contacts still keep
    keep: Person = field(default_factory=lambda: Person(()))  # longer names that contain the asked one: someone else's

    def __post_init__(self) -> None:
        terms = {*self.asked.terms, *self.files.terms}
        for people in (self.any_of, self.all_of, self.text, self.files_of):
            terms |= {t for p in people.values() for t in p.terms}
        object.__setattr__(self, "_any", Person(tuple(terms)))

    @property
    def weak(self) -> tuple[str, ...]:
        """The terms looked for in free text that are one word or short."""
        return tuple(sorted({*self.asked.weak, *(t for p in self.text.values() for t in p.weak)}))

    def may_mention(self, text: str) -> bool:
        return self._any.may_mention(text)  # type: ignore[attr-defined]

    def theirs(self, company: int | None, block: dict) -> bool:
        """The contact stored in ``block`` (of ``company``) is the person's."""
        if _holds_contact(self.asked, block):
            return True
        values = _contact_values(block)
        if company in self.any_of and any(self.any_of[company].is_value(v) for v in values):
            return True
        return company in self.all_of and bool(values) and all(self.all_of[company].is_value(v) for v in values)

    def in_text(self, company: int | None) -> Person:
        return self.text.get(company, self.asked) if company is not None else self.asked

    def in_effort(self, effort: object) -> tuple[Person, str]:
        """An effort's note belongs to no company: it is searched for what is looked for in the text of every company
        whose needs it serves (retention's expired values too), with the first one's marker."""
        companies = sorted(self.served.get(effort, ())) if isinstance(effort, int) else []
        if not companies:
            return self.asked, self.why
        held = {v for c in companies for v in self.held.get(c, ())}  # another company still keeps it: never touched
        terms = {*self.asked.terms, *(t for c in companies for t in self.in_text(c).terms if fold(t) not in held)}
        return Person(tuple(terms)), self.marker(companies[0])

    def own(self, company: int | None) -> bool:
        """A company whose contact is the person's (or, for retention, whose values expired)."""
        return company is not None and (company in self.all_of or company in self.any_of)

    def in_file(self, companies: list[int]) -> Person:
        """An import's file name: the terms asked for, and the companion names of the companies it wrote."""
        return Person((*self.files.terms, *(t for c in companies if c in self.files_of for t in self.files_of[c].terms)))

    def marker(self, company: int | None) -> str:
        return self.why_of.get(company, self.why) if company is not None else self.why


def _company_of(table: str, value: dict) -> int | None:
    company = value.get("id") if table == "companies" else value.get("company_id")
    return company if isinstance(company, int) else None


# --- what a snapshot, a log entry or a record holds of a person ---

def _scrub_snapshot(table: str, value: dict, sel: Selection) -> dict:
    """``value`` (a record's snapshot) without the person: a contact that is theirs becomes the marker whole (name,
    role and e-mail); each mention in free text (another contact's role, a note) is replaced. Every other field as
    it was."""
    out = dict(value)
    company = _company_of(table, value)
    why = sel.marker(company)
    if table == "companies" and sel.theirs(company, value):
        return out | {f: why for f in CONTACT if value.get(f) and not is_marker(str(value[f]))}
    person = sel.in_text(company)
    if table == "efforts":
        person, why = sel.in_effort(value.get("id"))
    for f in ("contact_name", "contact_role") if table == "companies" else FREE_TEXT.get(table, ()):
        if isinstance(value.get(f), str):
            out[f] = person.replace(value[f], why, keep=sel.keep)
    return out


def _scrub_entry(row, sel: Selection, short: str) -> dict[str, str]:
    """The new values of one log entry's columns that hold the person (none if it holds nothing of them)."""
    new: dict[str, str] = {}
    company = None
    for column in ("before", "after"):
        text = getattr(row, column) or ""
        if row.table_name in audit.PERSONAL and text:
            value = json.loads(text)
            company = _company_of(row.table_name, value) if company is None else company
            if not sel.may_mention(text):
                continue
            scrubbed = _scrub_snapshot(row.table_name, value, sel)
            if scrubbed != value:
                new[column] = audit.snapshot(scrubbed)
    if (row.table_name, row.action) == IMPORT:  # the file's name, whole in the detail and cut to 40 in record_id
        files = sel.in_file(_import_companies(row.detail))
        if files.mentions(row.detail, file_name=True) or files.mentions(row.record_id, file_name=True):
            new |= {"record_id": short, "detail": files.replace(row.detail or "", sel.files_why or sel.why, file_name=True)}
    elif row.detail:
        person, why = sel.in_effort(_int(row.record_id)) if row.table_name == "efforts" else (sel.in_text(company), sel.marker(company))
        detail = person.replace(row.detail, why, keep=sel.keep)
        if detail != row.detail:
            new["detail"] = detail
    return new


def _import_companies(detail: str | None) -> list[int]:
    """The companies an import wrote (its log entry's detail names them since issue 36; none in older entries)."""
    try:
        named = json.loads(detail or "{}").get("companies", [])
    except (ValueError, AttributeError):
        return []
    return [c for c in named if isinstance(c, int)] if isinstance(named, list) else []


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _served(conn: Connection) -> dict[int, frozenset[int]]:
    """Each effort's companies: those whose needs it serves or ever served (a need unlinked since, as its snapshots in
    the log say: the effort's note may still name that company's contact)."""
    served: dict[int, set[int]] = {}
    for effort, company in conn.execute(select(NeedRow.effort_id, NeedRow.company_id).where(NeedRow.effort_id.is_not(None))):
        if effort is not None:
            served.setdefault(effort, set()).add(company)
    for row in _log_rows(conn, (AuditRow.table_name == "needs") & (AuditRow.before.contains('"effort_id": ')
                                                                   | AuditRow.after.contains('"effort_id": '))):
        for text in (row.before, row.after):
            value = json.loads(text) if text else {}
            if isinstance(value.get("effort_id"), int) and isinstance(value.get("company_id"), int):
                served.setdefault(value["effort_id"], set()).add(value["company_id"])
    return {e: frozenset(c) for e, c in served.items()}


def _log_rows(conn: Connection, where=None, lock: bool = False):
    query = select(AuditRow.id, AuditRow.at, AuditRow.actor, AuditRow.action, AuditRow.table_name, AuditRow.record_id,
                   AuditRow.version, AuditRow.before, AuditRow.after, AuditRow.detail).order_by(AuditRow.id)
    if where is not None:
        query = query.where(where)
    return conn.execute(query.with_for_update() if lock else query).all()


@dataclass
class _Plan:
    """Everything an erasure changes, found before anything is written: the listing shows it, the erasure writes it."""

    companies: list[dict] = field(default_factory=list)  # current records whose contact is the person's
    near: list[dict] = field(default_factory=list)  # current records whose contact only contains the name: kept
    outside: bool = False  # it changes text of a company not the person's (or an effort serving one): look first
    texts: list[tuple[str, dict, str, str]] = field(default_factory=list)  # (table, current row, field, new text)
    entries: list[tuple[object, dict[str, str]]] = field(default_factory=list)  # (log row, new column values)


def _plan(conn: Connection, sel: Selection, short: str = "[…]", lock: bool = False) -> tuple[_Plan, Selection]:
    """What an erasure by ``sel`` changes, and the selection as used (with each effort's companies)."""
    plan = _Plan()
    rows = {table: [dict(r) for r in conn.execute(select(model.__table__).with_for_update() if lock else select(model.__table__))
                    .mappings().all()] for table, model in {"companies": CompanyRow, **NOTES}.items()}
    plan.near = [r for r in rows["companies"] if not sel.theirs(r["id"], r) and _near_contact(sel.asked, r)]
    sel = replace(sel, served=_served(conn), keep=Person(tuple(r["contact_name"] for r in plan.near)))
    for table, found in rows.items():
        for row in found:
            company = _company_of(table, row)
            if table == "companies" and sel.theirs(company, row):
                plan.companies.append(row)
                continue
            person, why = sel.in_effort(row["id"]) if table == "efforts" else (sel.in_text(company), sel.marker(company))
            for name in ("contact_name", "contact_role") if table == "companies" else ("note",):
                text = row[name] or ""
                new = person.replace(text, why, keep=sel.keep) if text else text
                if new != text:
                    plan.texts.append((table, row, name, new))
                    companies = sel.served.get(row["id"], frozenset()) if table == "efforts" else {company}
                    plan.outside |= not companies or not all(sel.own(c) for c in companies)
    for row in _log_rows(conn):
        columns = _scrub_entry(row, sel, short)
        if columns:
            plan.entries.append((row, columns))
            if (row.table_name, row.action) == IMPORT:  # a file name: the person's own companies' imports only
                wrote = _import_companies(row.detail)
                plan.outside |= not wrote or not all(sel.own(c) for c in wrote)
            elif row.table_name in audit.PERSONAL and (row.before or row.after):
                snapshot = json.loads(row.after or row.before)
                company = _company_of(row.table_name, snapshot)
                if row.table_name == "efforts":
                    served = sel.served.get(snapshot.get("id"), frozenset())
                    plan.outside |= not served or not all(sel.own(c) for c in served)
                else:
                    plan.outside |= not sel.own(company)
    return plan, sel


def _digest(who: str, plan: _Plan, markers: tuple[str, ...] = ()) -> str:
    """A short code of what an erasure would change now: the records (at their versions), each field and log entry as
    it reads now and as it would read (``markers``, the erasure's own, written as the listing's "[…]"). The listing
    shows it; the erasure recomputes it in its transaction and writes only if it is the same."""
    def plain(text: str) -> str:
        for m in markers:
            text = text.replace(m, "[…]")
        return text

    parts = [who, *(f"c{c['id']}.{c['version']}" for c in plan.companies),
             *(f"{t}{r['id']}.{r['version']}.{n}={plain(new)}" for t, r, n, new in plan.texts),
             *(f"l{r.id}.{hashlib.sha256(repr(tuple(r)).encode()).hexdigest()[:16]}."  # type: ignore[attr-defined,arg-type]
               f"{sorted((k, plain(v)) for k, v in c.items())}" for r, c in plan.entries)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:10]


def _apply(conn: Connection, plan: _Plan, sel: Selection, actor: str, detail: str, swap: tuple[str, str] = ("", "")) -> None:
    """Write ``plan``: the log's entries first, then the records' changes (each logged with the marker)."""
    def final(text: str) -> str:
        return text.replace(*swap) if swap[0] else text

    for row, columns in plan.entries:
        conn.execute(update(AuditRow).where(AuditRow.id == row.id).values(**{k: final(v) for k, v in columns.items()}))  # type: ignore[attr-defined]
    for before in plan.companies:
        _clear_contact(conn, before, final(sel.marker(before["id"])), actor, detail)
    for table, row, name, new in plan.texts:  # a record may change in two fields (a contact's name and role): as it is now
        model = CompanyRow if table == "companies" else NOTES[table]
        now = dict(conn.execute(select(model.__table__).where(model.id == row["id"])).mappings().one())
        conn.execute(update(model).where(model.id == row["id"]).values(**{name: final(new)}, version=now["version"] + 1))
        after = dict(conn.execute(select(model.__table__).where(model.id == row["id"])).mappings().one())
        audit.record(conn, actor, "edit", table, row["id"], after["version"], now | {name: final(new)}, after, detail)


def _clear_contact(conn: Connection, before: dict, why: str, actor: str, detail: str) -> None:
    """A company's current contact person cleared, logged with the marker in place of the person."""
    changes = {"contact_name": "", "contact_role": "", "contact_email": "", "contact_until": None}
    conn.execute(update(CompanyRow).where(CompanyRow.id == before["id"]).values(**changes, version=before["version"] + 1))
    after = dict(conn.execute(select(CompanyRow.__table__).where(CompanyRow.id == before["id"])).mappings().one())
    audit.record(conn, actor, "edit", "companies", before["id"], after["version"], before | {f: why for f in CONTACT if before[f]},
                 after, detail)


# --- who a person is ---

def _blocks(conn: Connection, ids: set[int] | None = None, quick: Person | None = None) -> dict[int, list[dict]]:
    """Every contact stored per company (of ``ids``, else all): the current records' and every log snapshot's
    (refused attempts included); with ``quick``, only the snapshots that may mention it."""
    blocks: dict[int, list[dict]] = {}
    where = AuditRow.table_name == "companies"
    if ids is not None:
        where = where & AuditRow.record_id.in_([str(i) for i in ids])
    for row in _log_rows(conn, where):
        for text in (row.before, row.after):
            if text and row.record_id.isdigit() and (quick is None or quick.may_mention(text)):
                blocks.setdefault(int(row.record_id), []).append(json.loads(text))
    query = select(CompanyRow.__table__)
    if ids is not None:
        query = query.where(CompanyRow.id.in_(ids))
    for company in conn.execute(query).mappings():
        blocks.setdefault(company["id"], []).append(dict(company))
    return blocks


def _select(conn: Connection, who: str, why: str = "[…]") -> Selection:
    """The person asked for (an e-mail or a full name): their contacts are those that hold what was asked for; the
    other name or address stored together with it in one such contact is theirs too, but only in that company (its
    other snapshots that hold nothing else, its free text), and a value that another person's contact in that
    company also holds (a shared "kontakt@" address) is not looked for in its free text. A same-named person with
    another address in another company is not the person asked for by address."""
    asked = Person((who,))
    sel = Selection(asked=asked)
    own = {c for c, blocks in _blocks(conn, quick=asked).items() if any(sel.theirs(c, b) for b in blocks)}
    if not own:
        return Selection(asked=asked, files=asked, why=why)
    every = _blocks(conn, own)
    all_of, text = {}, {}
    for company in own:
        blocks = every.get(company, [])
        terms = {who} | {t for b in blocks if sel.theirs(company, b) for v in _contact_values(b) for t in (v, _without_role(v))}
        all_of[company] = Person(tuple(terms))
        mine = Selection(asked=asked, all_of={company: all_of[company]})
        others = {fold(v) for b in blocks if not mine.theirs(company, b) for v in _contact_values(b)}
        text[company] = Person(tuple(t for t in terms if t == who or fold(t) not in others))
    # a file name is searched for the terms asked for; the name found with an address only in the imports that wrote
    # that company (another municipality's "Besök Anna Karlsson.csv" is about another Anna Karlsson)
    files_of = {c: Person(tuple(t for t in p.strong.terms if t != who)) for c, p in text.items()}
    return Selection(asked=asked, all_of=all_of, text=text, files=asked, files_of=files_of, why=why)


def person_record(register: Register, who: str) -> Found:
    """Everything stored about the contact person with this e-mail or name (whole name or address, case-folded), and
    what an erasure would change: each note (and another contact's role) as it is and as it would be. The very
    selection ``erase_person`` writes."""
    who = " ".join(who.split())
    found = Found(who)
    if not who:
        return found
    with register.engine.connect() as conn:
        plan, sel = _plan(conn, _select(conn, who))
    found.weak = sel.weak
    found.confirm = bool(sel.weak or plan.outside or plan.near)
    found.digest = _digest(who, plan)
    found.near = [_plain(c) for c in plan.near]
    found.companies = [_plain(c) for c in plan.companies]
    found.notes = [{"table": table, "id": row["id"], "field": name, "note": row[name], "after": new}
                   for table, row, name, new in plan.texts]
    found.entries = [_plain(dict(r._mapping)) for r, _ in plan.entries]  # type: ignore[attr-defined]
    return found


def _plain(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def export_text(found: Found, made_on: dt.datetime) -> str:
    """The answer to a request to see one's data: readable JSON, every record and log entry as stored."""
    return json.dumps({
        "request": "everything Kompetenskartan stores about a contact person (GDPR article 15)",
        "asked_for": found.who, "made_at": made_on.isoformat(timespec="seconds"),
        "companies_where_contact_person": found.companies,
        "notes_that_mention": [{k: n[k] for k in ("table", "id", "field", "note")} for n in found.notes],
        "audit_log_entries": [e | {k: json.loads(e[k]) if e[k] else None for k in ("before", "after")} for e in found.entries],
    }, ensure_ascii=False, indent=2, default=str)


def log_export(register: Register, found: Found, actor: str) -> None:
    """A data-subject export is audited too (who looked, when, how much), without the person's name."""
    with register.writer.begin() as conn:
        audit.record(conn, actor, "person_export", "persons", "-", None,
                     detail=f"data subject access: {len(found.companies)} companies, {len(found.notes)} notes, "
                            f"{len(found.entries)} log entries")


def erase_person(register: Register, who: str, actor: str, requested_by: str, today: dt.date | None = None,
                 confirmed: str = "", check=None) -> dict[str, int]:
    """Erase every trace of the contact person ``who`` (e-mail or name): the selection ``person_record`` lists, no
    more. ``confirmed``: the code (``Found.digest``) of the listing the admin saw; the erasure recomputes it in its
    own transaction and writes nothing if it differs (``ChangedSinceShown``: someone wrote in between). A one-word or
    short term needs it (``Unconfirmed`` otherwise, nothing written); a full name or address may go without. Each value
    erased becomes ``[erased DATE: log entry N]``, N the erasure's own entry, which alone says who asked and how much
    went (never the person). Returns the counts, and ``old_pages`` 1 if SQLite's write-ahead log could not be emptied
    now (a reader kept it: it is tried again at the next retention run)."""
    today = today or dt.date.today()
    who = " ".join(who.split())
    if not who:
        return {"companies": 0, "notes": 0, "entries": 0, "old_pages": 0}
    token = f"[erased {today.isoformat()}: {secrets.token_hex(12)}]"  # swapped for the marker once its entry exists
    with register.writer.begin() as conn:
        if check is not None:  # the admin's rights, read in this very transaction
            check(conn)
        plan, sel = _plan(conn, _select(conn, who, token), short_marker(today), lock=True)
        if (sel.weak or plan.outside or plan.near) and not confirmed:
            raise Unconfirmed(sel.weak, who)
        now = _digest(who, plan, (token, short_marker(today)))
        if confirmed and confirmed != now:
            raise ChangedSinceShown(confirmed, now)
        if any(sel.asked.mentions(requested_by) or p.mentions(requested_by) for p in sel.text.values()):
            requested_by = "the person themselves"  # the log names who asked, never the person erased
        counts = {"companies": len(plan.companies), "notes": len(plan.texts), "entries": len(plan.entries)}
        key = conn.execute(insert(AuditRow).values(audit.entry(
            actor, "person_erase", "persons", "-", None,
            detail=f"data subject erasure asked by {requested_by}: {counts['companies']} contact person record(s), "
                   f"{counts['notes']} note(s) or role(s), {counts['entries']} log entries"))).inserted_primary_key
        assert key is not None
        _apply(conn, plan, sel, actor, "a contact person erased on request",
               (token, f"{ERASED}{today.isoformat()}: log entry {key[0]}]"))
        register.written(conn, actor)
    return counts | {"old_pages": int(not register.forget_old_pages())}


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
    return {v for v in values if v and not v.startswith(fold(ERASED)) and v != fold(audit.NOT_KEPT)}


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
        if after and row.action == "refused":  # an attempt never stored: its own date, else the day it was refused
            see(int(row.record_id), after, min(d for d in (_date(after.get("contact_until")), _date(row.at)) if d), False)
        elif after:
            see(int(row.record_id), after, _date(after.get("contact_until")), True)
    for company in conn.execute(select(CompanyRow.__table__)).mappings():
        see(company["id"], dict(company), company["contact_until"], True)
    return kept


def erase_expired_contacts(register: Register, today: dt.date | None = None) -> int:
    """Erase every contact value kept past its date: from the company's record and every snapshot of it in the log
    (the contact's name, role and e-mail), its mentions in that company's own free text (its contact role, its
    visits' and needs' notes and their snapshots; not a weak term's, nor one a contact still kept there names), and
    in imports' file names once no company keeps it. Never another company's record or log entry: a placeholder
    such as "Vet ej" is someone else's words. Returns how many companies' contacts were erased."""
    today = today or dt.date.today()
    with register.writer.begin() as conn:
        kept = _kept(conn)
        expired = {c: {v: k.until for v, k in values.items() if k.until is not None and k.until < today}
                   for c, values in kept.items()}
        expired = {c: values for c, values in expired.items() if values}
        if not expired:
            register.forget_old_pages(tries=1)  # old pages a reader kept in the write-ahead log: try once more
            return 0
        any_of, text, why_of = {}, {}, {}
        for company, values in expired.items():
            until = max(d for d in values.values() if d is not None)
            why_of[company] = marker(today, f"contact person kept until {until}")
            any_of[company] = Person(tuple(values))
            still = [v for v in kept[company] if v not in values]  # values of contacts kept there: never touched
            names = {t for v in values for t in (v, _without_role(v))}  # "Kim Kontaktsson (VD)" is named without the role
            text[company] = Person(tuple(v for v in names if not is_weak(v) and not Person((v,)).mentions(" | ".join(still))))

        def passed(value: str) -> bool:  # every company's date for the value has passed: no one keeps it
            return all(k[value].until is not None and k[value].until < today for k in kept.values() if value in k)  # type: ignore[operator]

        gone = {v for values in expired.values() for v in values if passed(v)}
        files = Person(tuple(v for v in gone if not is_weak(v)))
        held = {c: frozenset(v for v, k in values.items() if v not in expired.get(c, {})) for c, values in kept.items()}
        sel = Selection(any_of=any_of, text=text, files=files, why_of=why_of, held=held,
                        files_why=marker(today, "contact person kept past their date"))
        plan, sel = _plan(conn, sel, short_marker(today), lock=True)
        _apply(conn, plan, sel, RETENTION_ACTOR, "a contact person kept past their date: erased")
        weak = len({v for values in expired.values() for v in values if is_weak(v)})
        audit.record(conn, RETENTION_ACTOR, "retention", "persons", "-", None,
                     detail=f"contact persons kept past their date: {len(expired)} companies' contacts erased, "
                            f"{len(plan.texts)} note(s) or role(s) of those companies and {len(plan.entries)} log entries; "
                            f"{weak} one-word or short name(s) not looked for in free text (an admin may erase them on request)")
        register._bump(conn)
    register.forget_old_pages()
    return len(expired)
