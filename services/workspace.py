"""The brokers' workspace: add, edit, withdraw and restore companies, visits, needs and training
efforts, one record at a time, for a signed-in broker (their municipalities) or admin.

Every write: checks the role (``core.records.audience``), validates every field (``core.records.validation``,
``core.records.pipeline``), refuses an edit based on an old version (``Conflict``, carrying both versions,
and the refused attempt is logged), writes the row, its audit entry (``services.register.audit``) and the
register's revision in one transaction. Nothing is half-written: any error rolls it all back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from core.common.models import Status
from core.records import audience, pipeline
from core.records.audience import Audience, User
from core.records.validation import Problem, check_company, check_effort, check_need, check_visit, org_number, sni_code
from services.register import audit
from services.register.schema import CompanyRow, EffortRow, NeedRow, UserRow, VisitRow
from services.register.store import DEMO, Register, is_example_user

TABLES: dict[str, type[CompanyRow] | type[VisitRow] | type[NeedRow] | type[EffortRow]] = {"companies": CompanyRow, "visits": VisitRow, "needs": NeedRow, "efforts": EffortRow}
FIELDS = {  # what a user may set on each record
    "companies": ("name", "org_nr", "sni_code", "municipality_code", "industry_group", "size_class",
                  "contact_name", "contact_role", "contact_email", "contact_until"),
    "visits": ("company_id", "visited_on", "method", "note"),
    "needs": ("competence", "need_type", "persons", "horizon", "form", "level", "collected_on", "note", "status",
              "follow_up_on", "outcome", "offer_id", "effort_id"),
    "efforts": ("title", "provider", "offer_id", "cohort_ref", "start", "seats", "note"),
}


class Refused(PermissionError):
    """The user may not do this (``code`` names the catalogue text ``workspace.refused_<code>``)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def current_user(conn: Connection, user: User) -> User:
    """``user`` as the register holds them now, read inside a write's own transaction: a page's callback carries the
    user of its last render, so an admin's removal of the user, of their role or of a municipality since then must
    hold for the next click too (issue 36). ``Refused`` for a user the register no longer holds, and for an example
    user (the demo sign-in, anyone) on a register that is no longer the demo: a tab left open on the demo must not
    write once the register holds a region's data, even when its users have not been added yet. A register
    without users (the command line's own, tests) keeps the caller as they are; so does the command line."""
    if is_example_user(user.email) and Register.meta_in(conn).get("dataset", DEMO) != DEMO:
        raise Refused("role", f"{user.email} is an example user of the demo register, which this register no longer is")
    row = conn.execute(select(UserRow.email, UserRow.role, UserRow.municipalities, UserRow.name)
                       .where(UserRow.email == user.email)).first()
    if row is None:
        if conn.execute(select(UserRow.email).limit(1)).first() is not None:
            raise Refused("role", f"{user.email} is no longer a user of the register")
        return user
    return User(row.email, Audience(row.role), tuple(c for c in row.municipalities.split(",") if c), row.name)


class Invalid(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.column}: {p.code or p.message} {p.value}".strip() for p in problems))
        self.problems = problems


class NotFound(LookupError):
    pass


@dataclass
class Conflict(Exception):
    """An edit based on ``based_on`` when the record is at ``current['version']``: nothing written."""

    table: str
    record_id: int
    based_on: int
    attempted: dict
    current: dict

    def __str__(self) -> str:
        return (f"{self.table} {self.record_id} was changed by someone else (now version {self.current['version']}, "
                f"the edit was based on version {self.based_on}): nothing was written")

    def differences(self) -> list[tuple[str, object, object]]:
        return [(k, self.attempted.get(k), self.current.get(k)) for k in self.current
                if k != "version" and self.attempted.get(k) != self.current.get(k)]


def _row(conn: Connection, table: str, record_id: int, lock: bool = False) -> dict | None:
    model = TABLES[table]
    query = select(model.__table__).where(model.id == record_id)
    found = conn.execute(query.with_for_update() if lock else query).mappings().first()
    return dict(found) if found else None


def _stored(conn: Connection, table: str, record_id: int) -> dict:
    """A row that must be there (just written, or referred to by one that is)."""
    row = _row(conn, table, record_id)
    if row is None:
        raise NotFound(f"{table} {record_id}")
    return row


class Workspace:
    """One signed-in user's writes and reads of the register's records."""

    def __init__(self, register: Register, user: User | None, known: dict[str, set[str]], divisions: set[int],
                 group_of=None, today: dt.date | None = None):
        if user is None or not audience.sees_companies(user):
            raise Refused("role", "the workspace is for brokers and admins")
        self.register, self.user, self.known, self.divisions = register, user, known, divisions
        self.group_of = group_of or (lambda _sni: None)
        self.today = today or dt.date.today()

    # --- writes ---

    def add_company(self, values: dict) -> dict:
        values = self._company_values(values, {}, new=True)
        return self._add("companies", values)

    def edit_company(self, record_id: int, version: int, values: dict) -> dict:
        def follow(conn, before, after):
            """Its needs carry its industry, and those in its municipality its municipality. A need of the company in a
            municipality the editor does not work in (a multi-site company's, from an import) is not theirs to change:
            such an edit is refused whole (issue 36)."""
            moved = before["municipality_code"] != after["municipality_code"]
            if not moved and before["industry_group"] == after["industry_group"]:
                return
            for need_id in conn.execute(select(NeedRow.id).where(NeedRow.company_id == record_id).order_by(NeedRow.id)).scalars():
                need = _row(conn, "needs", need_id, lock=True)
                if not audience.may_edit(self.user, need["municipality_code"]):
                    raise Refused("municipality", f"the company has needs in {need['municipality_code']}, not your municipality")
                changes = {"industry_group": after["industry_group"]}
                if moved and need["municipality_code"] == before["municipality_code"]:
                    changes["municipality_code"] = after["municipality_code"]
                self._write(conn, "needs", need, changes, "edit", "follows its company")
        return self._edit("companies", record_id, version, values, self._company_values, follow)

    def add_visit(self, values: dict) -> dict:
        return self._add("visits", self._visit_values(values, {}), scope_of=values.get("company_id"))

    def edit_visit(self, record_id: int, version: int, values: dict) -> dict:
        return self._edit("visits", record_id, version, values, self._visit_values)

    def add_need(self, values: dict) -> dict:
        with self.register.writer.begin() as conn:
            self._resolve(conn)
            company = self._company(conn, values.get("company_id"))
            visit = None
            if values.get("visit_id") not in (None, ""):
                visit = _row(conn, "visits", int(values["visit_id"]))
                if visit is None or visit["company_id"] != company["id"] or visit["withdrawn"]:
                    raise Invalid([Problem(None, "visit_id", "visit_other_company", "visit_other_company", str(values["visit_id"]))])
            fields = {"status": Status.NEW.value, "note": "", "outcome": "", "offer_id": "", "effort_id": None,
                      "follow_up_on": None, "collected_on": visit["visited_on"] if visit else None,
                      **{k: v for k, v in values.items() if k in FIELDS["needs"]},
                      "source": visit["method"] if visit else str(values.get("source") or "company_visit")}
            fields = self._need_values(conn, fields, {"status": Status.NEW.value})
            fields |= {"company_id": company["id"], "visit_id": visit["id"] if visit else None,
                       "municipality_code": company["municipality_code"], "industry_group": company["industry_group"],
                       "broker": self.user.email}
            return self._insert(conn, "needs", fields)

    def edit_need(self, record_id: int, version: int, values: dict) -> dict:
        return self._edit("needs", record_id, version, values, None)

    def add_effort(self, values: dict, need_ids: Sequence[int] = ()) -> dict:
        """A training effort and, in the same transaction, each listed need matched to it."""
        values = self._effort_values(values)
        with self.register.writer.begin() as conn:
            self._resolve(conn)
            effort = self._insert(conn, "efforts", values | {"broker": self.user.email})
            for need_id in need_ids:
                need = self._need_in_scope(conn, need_id)
                if need["status"] == Status.CLOSED:
                    raise Invalid([Problem(None, "need_ids", "need_closed", "need_closed", str(need_id))])
                status = need["status"] if need["status"] in (Status.MATCHED, Status.IN_TRAINING) else Status.MATCHED.value
                self._write(conn, "needs", need, {"effort_id": effort["id"], "status": status}, "edit",
                            f"matched to effort {effort['id']}")
            return effort

    def effort_from_cohort(self, title: str, provider: str, seats: int, need_ids: list[int], cohort_ref: str,
                           offer_id: str = "", start: dt.date | None = None) -> dict:
        """Turn a cohort proposal into a training effort in one step: its needs are matched to it."""
        return self.add_effort({"title": title, "provider": provider, "seats": seats, "cohort_ref": cohort_ref,
                                "offer_id": offer_id, "start": start, "note": ""}, need_ids)

    def edit_effort(self, record_id: int, version: int, values: dict) -> dict:
        return self._edit("efforts", record_id, version, values,
                          lambda v, cur: self._effort_values({k: cur[k] for k in FIELDS["efforts"]} | v))

    def withdraw(self, table: str, record_id: int, version: int) -> dict:
        return self._edit(table, record_id, version, {"withdrawn": True}, None, action="withdraw")

    def restore(self, table: str, record_id: int, version: int) -> dict:
        return self._edit(table, record_id, version, {"withdrawn": False}, None, action="restore")

    # --- reads ---

    def record(self, table: str, record_id: int) -> dict:
        with self.register.engine.connect() as conn:
            row = _row(conn, table, record_id)
            if row is None:
                raise NotFound(f"{table} {record_id}")
            self._check_scope(conn, table, row)
        return row

    def frame(self, table: str, withdrawn: bool = False, ids: Collection[int] | None = None) -> pd.DataFrame:
        """The records the user may read (withdrawn ones too if asked), newest first; ``ids``: only these (those of
        them the user may read). A company's or need's municipality is asked of the database, not read and dropped."""
        model = TABLES[table]
        query = select(model.__table__)
        if not withdrawn:
            query = query.where(model.withdrawn.is_(False))
        if ids is not None:
            query = query.where(model.id.in_([int(i) for i in ids]))
        allowed = audience.scope(self.user)
        if allowed is not None and table in ("companies", "needs"):
            query = query.where(model.__table__.c.municipality_code.in_(allowed))
        with self.register.engine.connect() as conn:
            rows = pd.read_sql(query.order_by(model.id.desc()), conn)
            if allowed is None:
                return rows
            if table in ("companies", "needs"):
                return rows[rows["municipality_code"].isin(allowed)]
            if table == "visits":  # a visit's municipality is its company's
                own = select(CompanyRow.id).where(CompanyRow.municipality_code.in_(allowed))
                return rows[rows["company_id"].isin(set(conn.execute(own).scalars()))]
            # as ``_check_scope``: an effort serving one of my municipalities, or my own that serves no need yet
            served = select(NeedRow.effort_id).where(NeedRow.effort_id.is_not(None), NeedRow.municipality_code.in_(allowed))
            mine = set(conn.execute(served).scalars())
            linked = set(conn.execute(select(NeedRow.effort_id).where(NeedRow.effort_id.is_not(None))).scalars())
        return rows[rows["id"].isin(mine) | (rows["broker"].eq(self.user.email) & ~rows["id"].isin(linked))]

    def follow_ups(self) -> pd.DataFrame:
        """My follow-ups: open needs I recorded with a follow-up date, soonest first (of the needs I may read, as
        ``frame``). Asked of the database as such: reading every need to keep mine took a second a run on the national
        register (bench/load.py)."""
        query = select(NeedRow.__table__).where(
            NeedRow.withdrawn.is_(False), NeedRow.broker == self.user.email, NeedRow.follow_up_on.is_not(None),
            NeedRow.status != Status.CLOSED.value)
        allowed = audience.scope(self.user)
        if allowed is not None:
            query = query.where(NeedRow.municipality_code.in_(allowed))
        with self.register.engine.connect() as conn:
            mine = pd.read_sql(query.order_by(NeedRow.id.desc()), conn)
        return mine.assign(follow_up_on=pd.to_datetime(mine["follow_up_on"])).sort_values(["follow_up_on", "id"])

    def history(self, table: str, record_id: int) -> pd.DataFrame:
        self.record(table, record_id)  # scope check
        with self.register.engine.connect() as conn:
            return audit.frame(conn, table, record_id)

    def audit_log(self) -> pd.DataFrame:
        """The whole log for an admin; for a broker, the entries about records they may read."""
        with self.register.engine.connect() as conn:
            log = audit.frame(conn)
        if audience.scope(self.user) is None:
            return log
        readable = {(t, str(i)) for t in TABLES for i in self.frame(t, withdrawn=True)["id"]}
        keep = [(t, r) in readable for t, r in zip(log["table_name"], log["record_id"])]
        return log[keep]

    # --- internals ---

    def _resolve(self, conn: Connection) -> None:
        """The user as the register holds them now, inside the write's own transaction (``current_user``)."""
        user = current_user(conn, self.user)
        if not audience.sees_companies(user):
            raise Refused("role", "the workspace is for brokers and admins")
        self.user = user

    def _company_values(self, values: dict, current: dict, new: bool = False) -> dict:
        merged = {**{k: current.get(k) for k in FIELDS["companies"]}, **{k: v for k, v in values.items() if k in FIELDS["companies"]}}
        merged = {k: (v.strip() if isinstance(v, str) else v) for k, v in merged.items()}
        if merged.get("sni_code") and not merged.get("industry_group"):
            merged["industry_group"] = self.group_of(merged["sni_code"]) or ""
        problems = check_company(merged | {"_org_nr_required": new}, self.known, self.today, self.divisions)
        if problems:
            raise Invalid(problems)
        merged["org_nr"] = org_number(merged["org_nr"]) if merged.get("org_nr") else ""
        merged["sni_code"] = sni_code(merged["sni_code"], self.divisions)
        for field in ("contact_name", "contact_role", "contact_email"):
            merged[field] = merged.get(field) or ""
        if not any(merged[f] for f in ("contact_name", "contact_role", "contact_email")):
            merged["contact_until"] = None
        if not audience.may_edit(self.user, merged["municipality_code"]):
            raise Refused("municipality", f"not your municipality: {merged['municipality_code']}")
        return merged

    def _visit_values(self, values: dict, current: dict, new: bool = False) -> dict:
        merged = {**{k: current.get(k) for k in FIELDS["visits"]}, **{k: v for k, v in values.items() if k in FIELDS["visits"]}}
        if current:
            merged["company_id"] = current["company_id"]  # a visit stays with its company
        problems = check_visit(merged, self.today)
        if problems:
            raise Invalid(problems)
        merged["note"] = merged.get("note") or ""
        return merged | ({"broker": self.user.email} if not current else {})

    def _effort_values(self, values: dict) -> dict:
        merged = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in FIELDS["efforts"]}
        problems = check_effort(merged)
        if merged.get("offer_id") and merged["offer_id"] not in self._offer_ids():
            problems.append(Problem(None, "offer_id", "unknown_value", "unknown_value", merged["offer_id"]))
        if problems:
            raise Invalid(problems)
        return {"start": None} | merged | {k: merged.get(k) or "" for k in ("offer_id", "cohort_ref", "note")}

    def _need_values(self, conn: Connection, merged: dict, current: dict) -> dict:
        merged = {k: (v.strip() if isinstance(v, str) else v) for k, v in merged.items()}
        if isinstance(merged.get("persons"), float) and merged["persons"].is_integer():
            merged["persons"] = int(merged["persons"])
        problems = check_need(merged, self.known, self.today)
        problems += pipeline.check_move(current.get("status", Status.NEW), merged)
        if merged.get("offer_id") and merged["offer_id"] != current.get("offer_id") and merged["offer_id"] not in self._offer_ids():
            problems.append(Problem(None, "offer_id", "unknown_value", "unknown_value", merged["offer_id"]))
        if merged.get("effort_id") not in (None, ""):
            effort = _row(conn, "efforts", int(merged["effort_id"]))
            if effort is None or effort["withdrawn"]:
                problems.append(Problem(None, "effort_id", "unknown_value", "unknown_value", str(merged["effort_id"])))
            elif effort["id"] != current.get("effort_id"):  # a new link: only to an effort the user may read (issue 36)
                self._check_scope(conn, "efforts", effort)
        if problems:
            raise Invalid(problems)
        if merged.get("status") != Status.CLOSED:
            merged["outcome"] = ""
        return merged | {k: merged.get(k) or "" for k in ("note", "offer_id", "outcome")}

    def _offer_ids(self) -> set[str]:
        from services import supply  # services.supply imports this module (Refused)

        return supply.offer_ids(self.register)

    def _company(self, conn: Connection, company_id) -> dict:
        company = _row(conn, "companies", int(company_id)) if str(company_id or "").isdigit() else None
        if company is None or company["withdrawn"]:
            raise Invalid([Problem(None, "company_id", "unknown_value", "unknown_value", str(company_id))])
        if not audience.may_edit(self.user, company["municipality_code"]):
            raise Refused("municipality", f"not your municipality: {company['municipality_code']}")
        return company

    def _need_in_scope(self, conn: Connection, need_id: int) -> dict:
        need = _row(conn, "needs", int(need_id), lock=True)
        if need is None or need["withdrawn"]:
            raise Invalid([Problem(None, "need_ids", "unknown_value", "unknown_value", str(need_id))])
        self._check_scope(conn, "needs", need)
        return need

    def _check_scope(self, conn: Connection, table: str, row: dict) -> None:
        if table in ("companies", "needs"):
            where = row["municipality_code"]
        elif table == "visits":
            where = _stored(conn, "companies", row["company_id"])["municipality_code"]
        else:
            if audience.scope(self.user) is None:
                return
            linked = conn.execute(select(NeedRow.municipality_code).where(NeedRow.effort_id == row["id"])).scalars().all()
            if any(audience.may_edit(self.user, c) for c in linked):
                return
            if not linked and row["broker"] == self.user.email:  # their own effort, not yet serving any need
                return
            raise Refused("municipality", "this training effort serves none of your municipalities")
        if not audience.may_edit(self.user, where):
            raise Refused("municipality", f"not your municipality: {where}")

    def _add(self, table: str, values: dict, scope_of=None) -> dict:
        with self.register.writer.begin() as conn:
            self._resolve(conn)
            if table == "companies" and not audience.may_edit(self.user, values["municipality_code"]):
                raise Refused("municipality", f"not your municipality: {values['municipality_code']}")
            if scope_of is not None:
                self._company(conn, scope_of)
            return self._insert(conn, table, values)

    def _insert(self, conn: Connection, table: str, values: dict) -> dict:
        model = TABLES[table]
        key = conn.execute(insert(model).values(**values, version=1, withdrawn=False)).inserted_primary_key
        assert key is not None  # an insert of one row always returns its key
        new_id = key[0]
        after = _stored(conn, table, new_id)
        audit.record(conn, self.user.email, "add", table, new_id, 1, None, after)
        self.register.written(conn, self.user.email)
        return after

    def _edit(self, table: str, record_id: int, version: int, values: dict, prepare, follow=None, action: str = "edit") -> dict:
        conflict = None
        with self.register.writer.begin() as conn:
            self._resolve(conn)
            current = _row(conn, table, record_id, lock=True)
            if current is None:
                raise NotFound(f"{table} {record_id}")
            self._check_scope(conn, table, current)
            changes = {k: v for k, v in values.items() if k in FIELDS[table] or k == "withdrawn"}
            if current["version"] != version:
                attempted = {**current, **changes, "version": version}
                # the attempt's contact and notes are never logged where they differ from what is stored: a form
                # opened before an erasure or a contact's date must not bring the person back into the log
                logged = attempted | {f: audit.NOT_KEPT for f in audit.PERSONAL.get(table, ())
                                      if attempted.get(f) and attempted.get(f) != current.get(f)}
                audit.record(conn, self.user.email, "refused", table, record_id, current["version"], current, logged,
                             f"based on version {version}, stored version {current['version']}")
                conflict = Conflict(table, record_id, version, attempted, current)
            else:
                if action == "edit":
                    if table == "needs":
                        merged = {k: current[k] for k in FIELDS["needs"]} | changes
                        changes = self._need_values(conn, merged, current)
                    elif prepare is not None:
                        changes = prepare(changes, current)
                after = self._write(conn, table, current, changes, action)
                if follow is not None:
                    follow(conn, current, after)
        if conflict is not None:
            raise conflict
        return after

    def _write(self, conn: Connection, table: str, current: dict, changes: dict, action: str, detail: str = "") -> dict:
        model = TABLES[table]
        written = conn.execute(update(model).where(model.id == current["id"], model.version == current["version"])
                               .values(**changes, version=current["version"] + 1))
        if written.rowcount != 1:  # only if the row lock was not honoured: refuse rather than overwrite
            raise Conflict(table, current["id"], current["version"], {**current, **changes}, _stored(conn, table, current["id"]))
        after = _stored(conn, table, current["id"])
        audit.record(conn, self.user.email, action, table, current["id"], after["version"], current, after, detail)
        self.register.written(conn, self.user.email)
        return after

