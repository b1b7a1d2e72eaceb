"""The workspace's needs: my follow-ups, the list with bulk edits (``st.data_editor``), one need's editor."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import loaders, state
from components.public import supply as supply_view
from components.state import Context
from components.tables import as_typed
from components.workspace import forms, view
from core.common.models import Status
from core.records import pipeline
from data import reference
from services.workspace import Conflict, Invalid, NotFound, Refused, Workspace

PICK = state.key("ws_need", __name__)
STATUS_FILTER = state.key("ws_need_status", __name__)
BULK = state.key("ws_bulk", __name__)
BULK_RESULT = state.key("ws_bulk_result", __name__)
LIMIT = 500
JUMP = state.key("ws_need_jump", __name__)


def _companies(ws: Workspace, ids: pd.Series | None = None) -> dict[int, str]:
    """Company names by id (``ids``: only these companies' names are read)."""
    companies = ws.frame("companies", withdrawn=True, ids=None if ids is None else set(ids.dropna().astype(int)))
    return dict(zip(companies["id"].astype(int), companies["name"]))


def follow_ups(ctx: Context, ws: Workspace) -> None:
    mine = ws.follow_ups()
    st.subheader(ctx.t("ws.follow_ups_title", n=len(mine)))
    if mine.empty:
        st.info(ctx.t("ws.follow_ups_none"), icon=":material/event_busy:")
        return
    names = _companies(ws, mine["company_id"])
    today = pd.Timestamp(dt.date.today())
    st.dataframe(pd.DataFrame({
        ctx.t("ws.field.follow_up_on"): mine["follow_up_on"].dt.date,
        ctx.t("ws.overdue_col"): ["⚠ " + ctx.t("ws.overdue") if d < today else "" for d in mine["follow_up_on"]],
        ctx.t("column.company"): [names.get(int(c), "?") for c in mine["company_id"]],
        ctx.t("column.competence"): [ctx.names["competence"].get(c, c) for c in mine["competence"]],
        ctx.t("column.persons"): mine["persons"], ctx.t("column.status"): [ctx.t("status." + s) for s in mine["status"]],
        ctx.t("column.id"): mine["id"]}), hide_index=True, width="stretch")
    _open(ctx, ws, mine, names)


def section(ctx: Context, ws: Workspace) -> None:
    needs = ws.frame("needs", withdrawn=True)
    if needs.empty:
        st.info(ctx.t("ws.no_needs_at_all"), icon=":material/playlist_remove:")
        return
    names = _companies(ws)
    chosen = st.multiselect(ctx.t("ws.filter_status"), [s.value for s in Status], key=STATUS_FILTER,
                            format_func=lambda s: ctx.t("status." + s), placeholder=ctx.t("ws.all_statuses"))
    picked = needs[needs["status"].isin(chosen)] if chosen else needs
    if len(picked) > LIMIT:
        st.caption(ctx.t("ws.limited", n=LIMIT, total=len(picked)))
        picked = picked.head(LIMIT)  # the newest: a table of 100,000 editable rows helps nobody
    _bulk(ctx, ws, picked[~picked["withdrawn"]], names)
    st.number_input(ctx.t("ws.jump"), min_value=1, value=None, step=1, key=JUMP, on_change=_jump, placeholder="#",
                    help=ctx.t("ws.jump_help"))
    _open(ctx, ws, picked, names, needs)


def _bulk(ctx: Context, ws: Workspace, needs: pd.DataFrame, names: dict[int, str]) -> None:
    """Status, persons and follow-up date of many needs at once; each row saved as its own checked edit."""
    st.caption(ctx.t("ws.bulk_help", n=len(needs)))
    frame = pd.DataFrame({
        "id": needs["id"].astype(int), "version": needs["version"].astype(int),
        "company": [names.get(int(c), "?") for c in needs["company_id"]],
        "competence": [ctx.names["competence"].get(c, c) for c in needs["competence"]],
        "persons": needs["persons"].astype(int), "status": needs["status"].astype(str),
        "follow_up_on": pd.to_datetime(needs["follow_up_on"]),
    }).reset_index(drop=True)
    statuses = [s.value for s in Status]
    frame = as_typed(frame)
    edited = st.data_editor(frame, key=f"{BULK}_{loaders.revision(ctx.url)}", hide_index=True, width="stretch", placeholder="",
                            disabled=["id", "version", "company", "competence"], num_rows="fixed",
                            column_config={
                                "id": st.column_config.NumberColumn(ctx.t("column.id"), format="%d"),
                                "version": None,
                                "company": ctx.t("column.company"), "competence": ctx.t("column.competence"),
                                "persons": st.column_config.NumberColumn(ctx.t("column.persons"), min_value=1, max_value=10_000, step=1),
                                "status": st.column_config.SelectboxColumn(ctx.t("column.status"), options=statuses, required=True,
                                                                           format_func=lambda s: ctx.t("status." + s)),
                                "follow_up_on": st.column_config.DateColumn(ctx.t("ws.field.follow_up_on"), format="YYYY-MM-DD"),
                            })
    changed = _changed_rows(frame, edited)
    result = st.session_state.pop(BULK_RESULT, None)
    if result:
        _bulk_report(ctx, result)
    if st.button(ctx.t("ws.bulk_save", n=len(changed)), disabled=not changed, icon=":material/save:", key="ws_bulk_save"):
        st.session_state[BULK_RESULT] = save_rows(ws, changed)
        st.rerun()


def _changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    out = []
    for old, new in zip(before.to_dict("records"), after.to_dict("records")):
        changes = {k: new[k] for k in ("persons", "status", "follow_up_on") if not _same(old[k], new[k])}
        if changes:
            out.append({"id": old["id"], "version": old["version"], "changes": changes})
    return out


def _same(a, b) -> bool:
    if (a is None or (not isinstance(a, str) and pd.isna(a))) and (b is None or (not isinstance(b, str) and pd.isna(b))):
        return True
    return a == b


def save_rows(ws: Workspace, rows: list[dict]) -> list[tuple[int, str, object]]:
    """Each row as its own edit: (need id, "saved" / "invalid" / "conflict" / "refused", detail)."""
    out = []
    for row in rows:
        changes = dict(row["changes"])
        if "persons" in changes and changes["persons"] is not None:
            changes["persons"] = int(changes["persons"])
        if isinstance(changes.get("follow_up_on"), pd.Timestamp):
            changes["follow_up_on"] = changes["follow_up_on"].date()
        try:
            ws.edit_need(row["id"], row["version"], changes)
        except Invalid as err:
            out.append((row["id"], "invalid", err.problems))
        except Conflict as err:
            out.append((row["id"], "conflict", err))
        except (Refused, NotFound):
            out.append((row["id"], "refused", None))
        else:
            out.append((row["id"], "saved", None))
    return out


def _bulk_report(ctx: Context, result) -> None:
    saved = [i for i, kind, _ in result if kind == "saved"]
    if saved:
        st.success(ctx.t("ws.bulk_saved", n=len(saved)), icon=":material/check:")
    for need_id, kind, detail in result:
        if kind == "invalid":
            text = "; ".join(f"{ctx.t('ws.field.' + p.column)}: {forms.problem_text(ctx, p)}" for p in detail)
            st.error(ctx.t("ws.bulk_row_invalid", id=need_id, reason=text), icon=":material/error:")
        elif kind == "conflict":
            st.error(ctx.t("ws.bulk_row_conflict", id=need_id), icon=":material/sync_problem:")
        elif kind == "refused":
            st.error(ctx.t("ws.bulk_row_refused", id=need_id), icon=":material/block:")


def _jump() -> None:
    if st.session_state.get(JUMP):
        st.session_state[PICK] = int(st.session_state[JUMP])


def _open(ctx: Context, ws: Workspace, needs: pd.DataFrame, names: dict[int, str], everything: pd.DataFrame | None = None) -> None:
    rows = {int(r["id"]): r for r in needs.to_dict("records")}
    wanted = st.session_state.get(PICK)
    if everything is not None and wanted not in rows and wanted in set(everything["id"].astype(int)):
        rows = {wanted: everything[everything["id"] == wanted].iloc[0].to_dict(), **rows}  # opened by number
    if not rows:
        return
    if st.session_state.get(PICK) not in rows:
        st.session_state[PICK] = next(iter(rows))
    picked = st.selectbox(ctx.t("ws.pick_need", n=len(rows)), list(rows), key=PICK,
                          format_func=lambda i: view.need_label(ctx, rows[i], names))
    editor(ctx, ws, ws.record("needs", picked), names)


def edit_fields(ctx: Context, ws: Workspace, need: dict) -> list[forms.Field]:
    opts = view.options(ctx)
    titles = supply_view.offer_names(ctx, loaders.revision(ctx.url))
    efforts = ws.frame("efforts")
    effort_titles = dict(zip(efforts["id"].astype(int), efforts["title"] + " – " + efforts["provider"]))
    steps = tuple(s.value for s in pipeline.allowed_next(need["status"]))
    select = lambda name, **kw: forms.Field(name, "select", *opts[name], **kw)  # noqa: E731
    return [
        forms.Field("status", "select", steps, lambda s: ctx.t("status." + s), required=True, help=ctx.t("ws.help_status")),
        forms.Field("follow_up_on", "date", help=ctx.t("ws.help_follow_up")),
        forms.Field("offer_id", "select", ("", *titles), lambda o: titles.get(o, ctx.t("ws.none_chosen")), help=ctx.t("ws.help_offer")),
        forms.Field("effort_id", "select", (None, *effort_titles), lambda e: effort_titles.get(e, ctx.t("ws.none_chosen"))),
        forms.Field("outcome", "select", ("", *opts["outcome"][0]), lambda o: ctx.t(f"outcome.{o}") if o else ctx.t("ws.none_chosen"),
                    help=ctx.t("ws.help_outcome")),
        select("competence", required=True), select("need_type", required=True), forms.Field("persons", "number", required=True),
        select("horizon", required=True), select("form", required=True), select("level", required=True),
        forms.Field("collected_on", "date", required=True), forms.Field("note", "area"),
    ]


def editor(ctx: Context, ws: Workspace, need: dict, names: dict[int, str]) -> None:
    st.markdown(f"#### {ctx.say('ws.need_title', id=need['id'], company=names.get(need['company_id'], '?'))}")
    st.caption(ctx.say("ws.need_facts", broker=need["broker"], source=ctx.t("source." + need["source"]), version=need["version"],
                     ssyk=_ssyk(need["competence"])))
    st.progress((pipeline.ORDER.index(Status(need["status"])) + 1) / len(pipeline.ORDER),
                text=" → ".join(("**" + ctx.t("status." + s) + "**") if s == need["status"] else ctx.t("status." + s) for s in pipeline.ORDER))
    if need["withdrawn"]:
        st.warning(ctx.t("ws.is_withdrawn"), icon=":material/delete:")
    fields = edit_fields(ctx, ws, need)
    form = f"needs_{need['id']}"
    forms.report(ctx, form)
    with st.form(f"ws_{form}_{need['version']}"):
        forms.render(ctx, form, fields, need)
        st.form_submit_button(ctx.t("ws.save_changes"), type="primary", icon=":material/save:", on_click=forms.submit,
                              args=(form, lambda: ws.edit_need(need["id"], need["version"], _edit_values(form, fields, need)),
                                    ctx.t("ws.saved_changes"), PICK))
    view.withdraw_button(ctx, ws, "needs", need, PICK)
    view.history(ctx, ws, "needs", need["id"])


def _ssyk(competence: str) -> str:
    """The SSYK 2012 group a competence belongs to (the catalogue's link), with its name."""
    catalogue = reference.competences().set_index("code")
    if competence not in catalogue.index:
        return "–"
    code = str(catalogue.loc[competence, "ssyk_group"])
    groups = reference.ssyk_groups().astype({"code": str}).set_index("code")
    return f"{code} {groups.loc[code, 'name_sv']}" if code in groups.index else code


def _edit_values(form: str, fields, need: dict) -> dict:
    values = forms.values(form, fields, need)
    values["offer_id"] = values.get("offer_id") or ""
    values["outcome"] = values.get("outcome") or ""
    return values
