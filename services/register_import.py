"""Importing a needs file: a preview (new, changed, unchanged and missing rows by a stable key: the
company's organisation number + the file's need reference), then, on confirmation, one transaction
that writes everything or nothing, with an audit entry per record and one for the import (who, the
file's name and SHA-256, the counts). A preview made against an older register is refused at commit.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, insert, select, update

from core.exchange.efforts_sheet import COLUMNS as EFFORT_COLUMNS
from core.exchange.needs_sheet import COLUMNS, Located, Parsed
from core.records import audience
from core.records.audience import User
from data import reference
from services.register import audit
from services.register.schema import CompanyRow, EffortRow, NeedRow, VisitRow
from services.register.store import Register
from services.workspace import Refused, current_user

NEED_FIELDS = ("competence", "need_type", "persons", "horizon", "form", "level", "source", "collected_on", "status",
               "follow_up_on", "outcome", "note")
COMPANY_FIELDS = {"company": "name", "sni_code": "sni_code", "municipality_code": "municipality_code", "size_class": "size_class"}


def need_key(ref: str, need_id: int) -> str:
    """A need's reference: the one it was imported with, else KK-<id> (as the export writes it)."""
    return ref or f"KK-{need_id}"


@dataclass
class Row:
    kind: str  # new, changed, unchanged
    row: int  # the file's row
    org_nr: str
    ref: str
    company: str
    need_id: int | None
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)  # need and company fields: (stored, file)
    record: dict = field(default_factory=dict)


@dataclass
class Preview:
    file_name: str
    sha256: str
    rows: list[Row]
    missing: pd.DataFrame  # the register's needs of the file's companies that the file does not hold
    problems: list[Located]
    revision: str  # the register's revision the preview was made against
    efforts: list = field(default_factory=list)  # EffortChange, from the efforts sheet if the file has one

    def count(self, kind: str) -> int:
        return sum(r.kind == kind for r in self.rows)

    def count_efforts(self, kind: str) -> int:
        return sum(e.kind == kind for e in self.efforts)

    @property
    def writes(self) -> int:
        return self.count("new") + self.count("changed") + self.count_efforts("new") + self.count_efforts("changed")


class Stale(RuntimeError):
    """The register changed after the preview: nothing was written; preview again."""


def _plain(value):
    if isinstance(value, pd.Timestamp):
        return value.date() if not pd.isna(value) else None
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def preview(register: Register, user: User, parsed: Parsed, data: bytes, file_name: str, sheet: str = "") -> Preview:
    revision = register.revision()
    with register.engine.connect() as conn:
        companies = pd.read_sql(select(CompanyRow.__table__).where(CompanyRow.org_nr != ""), conn)
        query = select(NeedRow.__table__).where(NeedRow.company_id.in_(companies["id"].tolist() or [-1]))
        allowed = audience.scope(user)
        if allowed is not None:  # a multi-site company's needs elsewhere are not the broker's to see (issue 36)
            query = query.where(NeedRow.municipality_code.in_(allowed))
        needs = pd.read_sql(query, conn)
        elsewhere: set[int] = set()  # companies with a need outside the user's municipalities (a site elsewhere)
        if allowed is not None:
            elsewhere = set(conn.execute(select(NeedRow.company_id).where(
                NeedRow.company_id.in_(companies["id"].tolist() or [-1]), NeedRow.municipality_code.not_in(allowed))).scalars())
    by_org = {r["org_nr"]: r for r in companies.to_dict("records")}
    needs["key"] = [need_key(r, i) for r, i in zip(needs["ref"], needs["id"])]
    stored = {(int(c), k): r for c, k, r in zip(needs["company_id"], needs["key"], needs.to_dict("records"))}
    problems = list(parsed.problems)
    rows: list[Row] = []
    for record in parsed.records:
        company = by_org.get(record["org_nr"])
        code = record["municipality_code"]
        if not audience.may_edit(user, code):  # the file's own value
            problems.append(Located(sheet, record["_row"], COLUMNS["municipality_code"][0], code, "not_your_municipality",
                                    f"municipality {code} is not one you work in"))
        elif company is not None and not audience.may_edit(user, company["municipality_code"]):
            # an organisation number is one company: it cannot be added twice, so the refusal says it is registered,
            # but not where, nor anything else about it (issue 36)
            problems.append(Located(sheet, record["_row"], COLUMNS["org_nr"][0], record["org_nr"], "company_elsewhere",
                                    "the company is registered in a municipality you do not work in"))
        changes: dict[str, tuple[Any, Any]] = {}
        if company is not None:
            changes |= {f: (company[c], record[f]) for f, c in COMPANY_FIELDS.items() if company[c] != record[f]}
            moves = (company["municipality_code"] != code
                     or company["industry_group"] != (reference.industry_group_of(record["sni_code"]) or "other"))
            if moves and int(company["id"]) in elsewhere:  # its needs elsewhere would follow: not the user's to change
                problems.append(Located(sheet, record["_row"], COLUMNS["org_nr"][0], record["org_nr"], "company_needs_elsewhere",
                                        "the company has needs in a municipality you do not work in: its municipality "
                                        "or industry is changed by an admin"))
        need = stored.get((int(company["id"]), record["ref"])) if company is not None else None
        if need is not None:
            changes |= {f: (_plain(need[f]), record.get(f)) for f in NEED_FIELDS if _plain(need[f]) != record.get(f)}
        kind = "new" if need is None else ("changed" if changes else "unchanged")
        rows.append(Row(kind, record["_row"], record["org_nr"], record["ref"], record["company"],
                        int(need["id"]) if need is not None else None, changes, record))
    in_file = {(r.org_nr, r.ref) for r in rows}
    org_of = dict(zip(companies["id"], companies["org_nr"]))
    touched = {r.org_nr for r in rows}
    gone = pd.Series([org_of[c] in touched and (org_of[c], k) not in in_file and not w
                      for c, k, w in zip(needs["company_id"], needs["key"], needs["withdrawn"])], index=needs.index, dtype=bool)
    missing = needs.loc[gone]
    digest = hashlib.sha256(data).hexdigest()
    return Preview(file_name, digest, rows if not problems else [], missing.drop(columns="key"), problems, revision)


def commit(register: Register, user: User, plan: Preview) -> dict[str, int]:
    """Write the preview's new and changed rows in one transaction; ``Stale`` if the register moved on."""
    if plan.problems:
        raise ValueError("a file with problems is never committed")
    actor = user.email
    counts = {"new": plan.count("new"), "changed": plan.count("changed"), "unchanged": plan.count("unchanged")}
    if plan.efforts:
        counts |= {f"efforts_{k}": plan.count_efforts(k) for k in ("new", "changed", "unchanged")}
    with register.writer.begin() as conn:
        if register._revision(conn) != plan.revision:
            raise Stale("the register changed after the preview: preview the file again")
        user = current_user(conn, user)  # as the register holds them now: the preview was made for the last render's
        if not audience.sees_companies(user) or any(not audience.may_edit(user, r.record["municipality_code"]) for r in plan.rows):
            raise Refused("municipality", f"{user.email} may no longer write every row of this file: preview it again")
        company_ids, groups = _companies(conn, user, plan.rows)
        visit_ids = _visits(conn, actor, plan.rows, company_ids)
        new_rows = [r for r in plan.rows if r.kind == "new"]
        values = [_need_values(r.record) | {"company_id": company_ids[r.org_nr], "ref": r.ref, "broker": actor,
                                            "visit_id": visit_ids[(r.org_nr, r.record["collected_on"], r.record["source"])],
                                            "municipality_code": r.record["municipality_code"],
                                            "industry_group": groups[r.org_nr]} for r in new_rows]
        added: dict[int, dict] = {}
        if values:  # one executemany (RETURNING would be a statement a row on SQLite), then the rows by their keys
            conn.execute(insert(NeedRow), values)
            keys = {(v["company_id"], v["ref"]) for v in values}
            found = conn.execute(select(NeedRow.__table__).where(NeedRow.company_id.in_({c for c, _ in keys}))).mappings()
            added = {r["id"]: dict(r) for r in found if (r["company_id"], r["ref"]) in keys}
        changed = [(r.need_id, r) for r in plan.rows  # a changed row is a stored need: it has its id
                   if r.kind == "changed" and r.need_id is not None and any(f in NEED_FIELDS for f in r.changes)]
        before = _rows(conn, [i for i, _ in changed])
        if changed:
            conn.execute(update(NeedRow).where(NeedRow.id == bindparam("b_id"), NeedRow.version == bindparam("b_version"))
                         .values(version=NeedRow.version + 1, **{f: bindparam(f"b_{f}") for f in NEED_FIELDS}),
                         [{"b_id": i, "b_version": before[i]["version"],
                           **{f"b_{f}": v for f, v in _need_values(r.record).items()}} for i, r in changed])
        after = _rows(conn, [i for i, _ in changed])
        moved = [i for i, _ in changed if after[i]["version"] != before[i]["version"] + 1]
        if moved:  # the write lock makes this impossible; if it ever happens, store nothing rather than overwrite
            raise Stale(f"{len(moved)} need(s) changed while the import was stored (e.g. {moved[0]}): preview the file again")
        entries = [_entry(actor, "add", i, None, added[i]) for i in sorted(added)]
        entries += [_entry(actor, "edit", i, before[i], after[i]) for i, _ in changed]
        if entries:
            conn.execute(insert(audit.AuditRow), entries)
        _commit_efforts(conn, actor, plan)
        audit.record(conn, actor, "import", "register", plan.file_name[:40], None,
                     detail=json.dumps({"file": plan.file_name, "sha256": plan.sha256, **counts,  # the companies it wrote:
                                        "companies": sorted(int(c) for c in company_ids.values())},  # an erasure's reach
                                       ensure_ascii=False))
        register.written(conn, actor)
    return counts


def _need_values(record: dict) -> dict:
    return {f: record.get(f) for f in NEED_FIELDS} | {"note": record.get("note") or "", "outcome": record.get("outcome") or ""}


def _entry(actor: str, action: str, record_id: int, before: dict | None, after: dict) -> dict:
    return audit.entry(actor, action, "needs", record_id, after["version"], before, after, "import")


def _rows(conn, ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        out |= {r["id"]: dict(r) for r in conn.execute(select(NeedRow.__table__).where(NeedRow.id.in_(chunk))).mappings()}
    return out


def _companies(conn, user: User, rows: list[Row]) -> tuple[dict[str, int], dict[str, str]]:
    """The company id and industry group of every organisation number in the file: new companies added,
    changed ones updated (and their needs, which carry the company's municipality and industry)."""
    actor = user.email
    wanted = {r.org_nr: r for r in rows}
    found = {r.org_nr: dict(r._mapping) for r in conn.execute(select(CompanyRow.__table__).where(CompanyRow.org_nr.in_(list(wanted))))}
    ids, groups, new = {}, {}, []
    for org, row in wanted.items():
        values = {c: row.record[f] for f, c in COMPANY_FIELDS.items()}
        values["industry_group"] = reference.industry_group_of(values["sni_code"]) or "other"
        groups[org] = values["industry_group"]
        current = found.get(org)
        if current is None:
            new.append(values | {"org_nr": org, "version": 1, "withdrawn": False})
            continue
        ids[org] = current["id"]
        if any(current[c] != v for c, v in values.items()):
            conn.execute(update(CompanyRow).where(CompanyRow.id == current["id"]).values(**values, version=current["version"] + 1))
            after = dict(conn.execute(select(CompanyRow.__table__).where(CompanyRow.id == current["id"])).mappings().one())
            audit.record(conn, actor, "edit", "companies", current["id"], after["version"], current, after, "import")
            if (current["municipality_code"], current["industry_group"]) != (values["municipality_code"], values["industry_group"]):
                _follow(conn, user, current, values["municipality_code"], values["industry_group"])
    ids |= _add_companies(conn, actor, new)
    return ids, groups


def _add_companies(conn, actor: str, values: list[dict]) -> dict[str, int]:
    """New companies in one executemany, their ids read back by organisation number (none had a row), one audit entry each."""
    if not values:
        return {}
    conn.execute(insert(CompanyRow), values)
    added: dict[str, dict] = {}
    for start in range(0, len(values), 5000):
        orgs = [v["org_nr"] for v in values[start:start + 5000]]
        added |= {r["org_nr"]: dict(r) for r in conn.execute(select(CompanyRow.__table__).where(CompanyRow.org_nr.in_(orgs))).mappings()}
    conn.execute(insert(audit.AuditRow), [audit.entry(actor, "add", "companies", r["id"], 1, None, r, "import") for r in added.values()])
    return {org: r["id"] for org, r in added.items()}


def _follow(conn, user: User, company: dict, municipality: str, group: str) -> None:
    """The company's needs take its industry, and those in its old municipality its new one (as the workspace's
    ``edit_company``). A need outside the user's municipalities (a site elsewhere) is not theirs to change: ``Refused``,
    and the whole import is rolled back (the preview says so first)."""
    company_id, actor = company["id"], user.email
    ids = list(conn.execute(select(NeedRow.id).where(NeedRow.company_id == company_id)).scalars())
    before = _rows(conn, ids)
    outside = sorted({n["municipality_code"] for n in before.values() if not audience.may_edit(user, n["municipality_code"])})
    if outside:
        raise Refused("municipality", f"the company has needs in {', '.join(outside)}, not your municipality")
    conn.execute(update(NeedRow).where(NeedRow.company_id == company_id)
                 .values(industry_group=group, version=NeedRow.version + 1))
    conn.execute(update(NeedRow).where(NeedRow.company_id == company_id, NeedRow.municipality_code == company["municipality_code"])
                 .values(municipality_code=municipality))
    after = _rows(conn, ids)
    if ids:
        conn.execute(insert(audit.AuditRow), [_entry(actor, "edit", i, before[i], after[i]) | {"detail": "follows its company"}
                                              for i in ids])


def _visits(conn, actor: str, rows: list[Row], company_ids: dict[str, int]) -> dict[tuple, int]:
    """One visit per company, date and method of the new needs: an existing one, else a new one."""
    wanted = {(r.org_nr, r.record["collected_on"], r.record["source"]) for r in rows if r.kind == "new"}
    existing = {(c, d, m): i for i, c, d, m in conn.execute(select(VisitRow.id, VisitRow.company_id, VisitRow.visited_on, VisitRow.method)
                                                              .where(VisitRow.company_id.in_(list(company_ids.values()) or [-1])))}
    out, new = {}, []
    for org, day, method in sorted(wanted, key=str):
        found = existing.get((company_ids[org], day, method))
        if found is not None:
            out[(org, day, method)] = found
        else:
            new.append((org, day, method))
    if new:
        conn.execute(insert(VisitRow), [{"company_id": company_ids[o], "visited_on": d, "method": m, "broker": actor, "note": "",
                                         "version": 1, "withdrawn": False} for o, d, m in new])
        org_of = {i: o for o, i in company_ids.items()}
        known = set(existing.values())
        rows_after = []
        for r in conn.execute(select(VisitRow.__table__).where(VisitRow.company_id.in_(list(company_ids.values())))).mappings():
            key = (org_of[r["company_id"]], r["visited_on"], r["method"])
            if r["id"] not in known and key in wanted:
                out[key] = r["id"]
                rows_after.append(dict(r))
        conn.execute(insert(audit.AuditRow), [audit.entry(actor, "add", "visits", r["id"], 1, None, r, "import")
                                              for r in sorted(rows_after, key=lambda r: r["id"])])
    return out


# --- training efforts (the efforts sheet) ---

EFFORT_FIELDS = ("title", "provider", "offer_id", "start", "seats", "note")


def effort_key(ref: str, effort_id: int) -> str:
    return ref or f"KI-{effort_id}"


AUTO_KEY = re.compile(r"KI-\d+")  # ``effort_key`` of an effort without a reference of its own


@dataclass
class EffortChange:
    kind: str  # new, changed, unchanged
    row: int
    ref: str
    effort_id: int | None
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    record: dict = field(default_factory=dict)
    link: list[tuple[str, str]] = field(default_factory=list)  # need keys to link that are not linked yet


def preview_efforts(register: Register, user: User, parsed: Parsed, plan: Preview, sheet: str, visible: set[int]) -> None:
    """Compare the efforts sheet with the register; add the rows to ``plan`` (problems too).

    A need an effort names must be in the register or among the file's own needs, and in the user's
    municipalities; an existing effort must be one the user may edit (``visible``)."""
    plan.problems += parsed.problems
    with register.engine.connect() as conn:
        efforts = pd.read_sql(select(EffortRow.__table__), conn)
        needs = pd.read_sql(select(NeedRow.id, NeedRow.ref, NeedRow.effort_id, NeedRow.municipality_code, NeedRow.status,
                                   CompanyRow.org_nr).join(CompanyRow, NeedRow.company_id == CompanyRow.id)
                            .where(CompanyRow.org_nr != "", NeedRow.withdrawn.is_(False)), conn)
    efforts = efforts[efforts["id"].isin(visible)]  # another municipality's effort is told apart from none by nothing
    stored = {effort_key(r, i): row for r, i, row in zip(efforts["ref"], efforts["id"], efforts.to_dict("records"))}
    by_key = {(o, need_key(r, i)): row for o, r, i, row in zip(needs["org_nr"], needs["ref"], needs["id"], needs.to_dict("records"))}
    in_file = {(r.org_nr, r.ref): r.record["municipality_code"] for r in plan.rows}
    column = EFFORT_COLUMNS["needs"][0]
    for record in parsed.records:
        current = stored.get(record["ref"])
        if current is None and AUTO_KEY.fullmatch(record["ref"]):  # the register's own key of an effort not among yours
            plan.problems.append(Located(sheet, record["_row"], EFFORT_COLUMNS["ref"][0], record["ref"], "unknown_effort",
                                         "no such effort among yours"))
            continue
        link = []
        for org, ref in record["needs"]:
            need = by_key.get((org, ref))
            where = need["municipality_code"] if need is not None else in_file.get((org, ref))
            if where is None or not audience.may_edit(user, where):  # another municipality's need is not told apart
                plan.problems.append(Located(sheet, record["_row"], column, f"{org}/{ref}", "unknown_need",
                                             "no such need among yours in the register or in the file"))
            elif need is not None and need["status"] == "closed":
                plan.problems.append(Located(sheet, record["_row"], column, f"{org}/{ref}", "need_closed", "the need is closed"))
            elif need is None or current is None or _plain(need["effort_id"]) != int(current["id"]):
                link.append((org, ref))
        changes = {} if current is None else {f: (_plain(current[f]), record.get(f)) for f in EFFORT_FIELDS
                                              if _plain(current[f]) != record.get(f)}
        kind = "new" if current is None else ("changed" if changes or link else "unchanged")
        plan.efforts.append(EffortChange(kind, record["_row"], record["ref"], int(current["id"]) if current is not None else None,
                                         changes, record, link))
    if plan.problems:
        plan.rows, plan.efforts = [], []


def _commit_efforts(conn, actor: str, plan: Preview) -> None:
    if not plan.efforts:
        return
    needs = {(o, need_key(r, i)): (i, s, e) for i, r, s, e, o in conn.execute(
        select(NeedRow.id, NeedRow.ref, NeedRow.status, NeedRow.effort_id, CompanyRow.org_nr)
        .join(CompanyRow, NeedRow.company_id == CompanyRow.id).where(CompanyRow.org_nr != ""))}
    for change in plan.efforts:
        values = {f: change.record.get(f) for f in EFFORT_FIELDS} | {"offer_id": change.record.get("offer_id") or "",
                                                                     "note": change.record.get("note") or ""}
        if change.kind == "new":
            effort_id = conn.execute(insert(EffortRow).values(**values, ref=change.ref, cohort_ref="", broker=actor, version=1,
                                                              withdrawn=False)).inserted_primary_key[0]
            after = dict(conn.execute(select(EffortRow.__table__).where(EffortRow.id == effort_id)).mappings().one())
            audit.record(conn, actor, "add", "efforts", effort_id, 1, None, after, "import")
        else:
            effort_id = change.effort_id
            if change.changes:
                before = dict(conn.execute(select(EffortRow.__table__).where(EffortRow.id == effort_id)).mappings().one())
                conn.execute(update(EffortRow).where(EffortRow.id == effort_id).values(**values, version=before["version"] + 1))
                after = dict(conn.execute(select(EffortRow.__table__).where(EffortRow.id == effort_id)).mappings().one())
                audit.record(conn, actor, "edit", "efforts", effort_id, after["version"], before, after, "import")
        for key in change.link:
            need_id, status, _effort = needs[key]
            before = _rows(conn, [need_id])[need_id]
            conn.execute(update(NeedRow).where(NeedRow.id == need_id).values(
                effort_id=effort_id, status="matched" if status in ("new", "analysed") else status, version=before["version"] + 1))
            after = _rows(conn, [need_id])[need_id]
            conn.execute(insert(audit.AuditRow), [_entry(actor, "edit", need_id, before, after) | {"detail": f"matched to effort {effort_id}"}])
