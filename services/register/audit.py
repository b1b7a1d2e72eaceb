"""The append-only audit log: every write to the register (and every refused edit) in the same
transaction as the write itself, with the record before and after as JSON. Nothing updates or
deletes a row of it; ``replay`` rebuilds the records from it (the completeness test)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from services.register.schema import AuditRow


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
