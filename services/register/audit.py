"""The append-only audit log: every write to the register (and every refused edit) in the same
transaction as the write itself, with the record before and after as JSON. Nothing updates or
deletes a row of it; ``replay`` rebuilds the records from it (the completeness test)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from services.register.schema import AuditRow, UserRow

# the fields of a record's snapshot that may hold personal data of someone who is not a user: a company's contact
# person, and the free text of notes. Everything else in a snapshot is a code, a number, a date or a record's name.
CONTACT = ("contact_name", "contact_role", "contact_email")
PERSONAL: dict[str, tuple[str, ...]] = {"companies": CONTACT, "visits": ("note",), "needs": ("note",), "efforts": ("note",)}
FREE_TEXT: dict[str, tuple[str, ...]] = {"visits": ("note",), "needs": ("note",), "efforts": ("note",)}
NOT_KEPT = "[not kept: a refused edit]"  # a refused attempt's personal value that differs from the stored record
IMPORT = ("register", "import")  # (table_name, action) of an import's entry: its record_id and detail hold the file name


def _iso(value: Any) -> str:
    """Dates and times as ISO text; json asks only for the values it cannot write itself."""
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not kept in the audit log")


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_iso)  # one encoder: the import writes 200,000 snapshots


def snapshot(row: dict | None) -> str:
    return "" if row is None else _ENCODER.encode(row)


def entry(actor: str, action: str, table: str, record_id: object, version: int | None,
          before: dict | None = None, after: dict | None = None, detail: str = "") -> dict:
    """One row of the log (for a bulk insert of many; ``record`` writes one)."""
    return {"at": dt.datetime.now(dt.UTC), "actor": actor, "action": action, "table_name": table,
            "record_id": str(record_id), "version": version, "before": snapshot(before), "after": snapshot(after),
            "detail": detail}


def record(conn: Connection, actor: str, action: str, table: str, record_id: object, version: int | None,
           before: dict | None = None, after: dict | None = None, detail: str = "") -> None:
    conn.execute(insert(AuditRow), [entry(actor, action, table, record_id, version, before, after, detail)])


def frame(conn: Connection, table: str | None = None, record_id: object = None) -> pd.DataFrame:
    """The log, oldest first; for one table or one record if given."""
    query = select(AuditRow.__table__).order_by(AuditRow.id)
    if table is not None:
        query = query.where(AuditRow.table_name == table)
    if record_id is not None:
        query = query.where(AuditRow.record_id == str(record_id))
    return pd.read_sql(query, conn)


def changes(before: str, after: str) -> dict[str, tuple[Any, Any]]:
    """Field by field, what an entry changed: {field: (before, after)}."""
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    return {k: (old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
            if old.get(k) != new.get(k) and k != "version"}


def replay(log: pd.DataFrame) -> dict[str, dict[str, dict]]:
    """The records as the log says they are: {table: {record id: last written row}} (refused edits skipped)."""
    state: dict[str, dict[str, dict]] = {}
    for action, table, record_id, after in log[["action", "table_name", "record_id", "after"]].itertuples(index=False):
        if action in ("add", "edit", "withdraw", "restore") and after:
            state.setdefault(table, {})[record_id] = json.loads(after)
    return state


def forget_personal(conn: Connection, why: str, short: str) -> int:
    """Replace every personal value (``PERSONAL``) in every snapshot of the log, and the file names of imports (in
    ``record_id`` and ``detail``), with ``why`` (``short`` in ``record_id``, which holds 40 characters). For a rebuild
    of the register: the records the log was about are gone, so nothing in it may keep the people they named.
    Returns how many entries changed."""
    changed = 0
    rows = conn.execute(select(AuditRow.id, AuditRow.table_name, AuditRow.action, AuditRow.record_id, AuditRow.before,
                               AuditRow.after, AuditRow.detail)
                        .where(AuditRow.table_name.in_([*PERSONAL, IMPORT[0]]))).all()
    for row in rows:
        new: dict[str, str] = {}
        for column in ("before", "after"):
            text = getattr(row, column)
            if text and row.table_name in PERSONAL:
                value = json.loads(text)
                fields = [f for f in PERSONAL[row.table_name] if value.get(f) and value[f] != why]
                if fields:
                    new[column] = snapshot(value | {f: why for f in fields})
        if (row.table_name, row.action) == IMPORT:
            new |= {"record_id": short, "detail": why}
        if new:
            conn.execute(update(AuditRow).where(AuditRow.id == row.id).values(**new))
            changed += 1
    return changed


def scopes_held(conn: Connection) -> list[tuple[str, ...]]:
    """The municipalities of every user as stored, and every set the log says a user held (``municipalities_held``):
    the insiders every release is protected against (``services.seed.release_scopes``, and the check in the storing
    transaction, ``services.publishing``)."""
    held = [tuple(c for c in m.split(",") if c) for m in conn.execute(select(UserRow.municipalities)).scalars()]
    return held + municipalities_held(conn)


def municipalities_held(conn: Connection) -> list[tuple[str, ...]]:
    """Every set of municipalities a user was ever given, as the log holds it (removed users too: they still know what
    they read), and per address the union of all it held (a user moved to other municipalities knows both); the sets
    of an erased address (its record id no longer an address) one by one."""
    per: dict[str, set[tuple[str, ...]]] = {}
    for record_id, before, after in conn.execute(select(AuditRow.record_id, AuditRow.before, AuditRow.after).where(
            AuditRow.table_name == "users", AuditRow.action != "refused")):
        for text in (before, after):
            value = json.loads(text) if text else None
            if isinstance(value, dict) and value.get("municipalities"):
                held = tuple(sorted({m for m in str(value["municipalities"]).split(",") if m}))
                per.setdefault(str(record_id).strip().lower(), set()).add(held)
    out: list[tuple[str, ...]] = []
    for address, sets in per.items():
        out += sorted(sets)
        if "@" in address and len(sets) > 1:
            out.append(tuple(sorted(set().union(*sets))))
    return out


def forget_users(conn: Connection, why: str, short: str, keep: set[str]) -> int:
    """For a rebuild that replaces the users too: the old users (every address the log holds as an actor or a user's
    record id, but ``keep``, the new users) leave the log: their e-mail wherever a snapshot holds it (a need's broker,
    a user's own), a user's name, the users' record ids, the actors, and who asked for an erasure (``person_erase``'s
    detail) become ``why``/``short``. Returns how many entries changed."""
    changed = 0
    rows = conn.execute(select(AuditRow.id, AuditRow.actor, AuditRow.table_name, AuditRow.action, AuditRow.record_id,
                               AuditRow.before, AuditRow.after, AuditRow.detail)).all()
    old = {r.actor.strip().lower() for r in rows if "@" in r.actor} | {r.record_id.strip().lower() for r in rows
                                                                        if r.table_name == "users" and "@" in r.record_id}
    old -= keep

    def gone(value: object) -> bool:
        return isinstance(value, str) and value.strip().lower() in old

    for row in rows:
        new: dict[str, str] = {}
        if gone(row.actor):
            new["actor"] = short
        for column in ("before", "after"):  # a user's address in any snapshot (a need's broker, an effort's …)
            text = getattr(row, column)
            if text:
                value = json.loads(text)
                fields = [f for f, v in value.items() if gone(v)]
                if row.table_name == "users":
                    fields += [f for f in ("email", "name") if value.get(f) and value[f] != why and f not in fields]
                if fields:
                    new[column] = snapshot(value | {f: why for f in fields})
        if row.table_name == "users" and row.record_id != short:
            new["record_id"] = short
        if row.action == "person_erase" and row.detail and row.detail != why:
            new["detail"] = why
        if new:
            conn.execute(update(AuditRow).where(AuditRow.id == row.id).values(**new))
            changed += 1
    return changed

