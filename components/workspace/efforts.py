"""The workspace's training efforts (utbildningsinsatser) and the audit log with its export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders, state
from components.public import supply as supply_view
from components.state import Context
from components.tables import as_typed
from components.workspace import forms, view
from core.common.models import Status
from core.common.text import visible
from core.exchange.export import excel_csv
from services.workspace import Workspace

PICK = state.key("ws_effort", __name__)


def effort_fields(ctx: Context) -> list[forms.Field]:
    titles = supply_view.offer_names(ctx, loaders.revision(ctx.url))
    return [forms.Field("title", required=True), forms.Field("provider", required=True),
            forms.Field("offer_id", "select", ("", *titles), lambda o: titles.get(o, ctx.t("ws.none_chosen")), help=ctx.t("ws.help_effort_offer")),
            forms.Field("start", "date"), forms.Field("seats", "number", required=True), forms.Field("note", "area")]


def section(ctx: Context, ws: Workspace) -> None:
    efforts = ws.frame("efforts", withdrawn=True)
    needs = ws.frame("needs")
    _new_effort(ctx, ws, needs, expanded=efforts.empty)
    if efforts.empty:
        st.info(ctx.t("ws.no_efforts"), icon=":material/school:")
        return
    served = needs.groupby("effort_id")["persons"].agg(["count", "sum"])
    st.dataframe(as_typed(pd.DataFrame({
        ctx.t("column.id"): efforts["id"], ctx.t("ws.field.title"): efforts["title"], ctx.t("ws.field.provider"): efforts["provider"],
        ctx.t("ws.field.start"): efforts["start"], ctx.t("ws.field.seats"): efforts["seats"],
        ctx.t("ws.served_needs"): [int(served["count"].get(i, 0)) for i in efforts["id"]],
        ctx.t("ws.served_persons"): [int(served["sum"].get(i, 0)) for i in efforts["id"]],
        ctx.t("ws.field.cohort_ref"): efforts["cohort_ref"],
        ctx.t("ws.withdrawn"): efforts["withdrawn"]})), hide_index=True, width="stretch")
    rows = {int(r["id"]): r for r in efforts.to_dict("records")}
    if st.session_state.get(PICK) not in rows:
        st.session_state[PICK] = next(iter(rows))
    picked = st.selectbox(ctx.t("ws.pick_effort", n=len(rows)), list(rows), key=PICK,
                          format_func=lambda i: f"#{i} {visible(rows[i]['title'])}")
    effort = rows[picked]
    fields = effort_fields(ctx)
    form = f"efforts_{effort['id']}"
    forms.report(ctx, form)
    with st.form(f"ws_{form}_{effort['version']}"):
        forms.render(ctx, form, fields, effort)
        st.form_submit_button(ctx.t("ws.save_changes"), icon=":material/save:", on_click=forms.submit,
                              args=(form, lambda: ws.edit_effort(effort["id"], effort["version"], forms.values(form, fields, effort)),
                                    ctx.t("ws.saved_changes"), PICK))
    view.withdraw_button(ctx, ws, "efforts", effort, PICK)
    view.history(ctx, ws, "efforts", effort["id"])


def _new_effort(ctx: Context, ws: Workspace, needs: pd.DataFrame, expanded: bool) -> None:
    fields = effort_fields(ctx)
    open_needs = needs[needs["status"].isin([Status.NEW, Status.ANALYSED, Status.MATCHED])]
    companies = ws.frame("companies", withdrawn=True)
    names = dict(zip(companies["id"].astype(int), companies["name"]))
    labels = {int(r["id"]): view.need_label(ctx, r, names) for r in open_needs.to_dict("records")}
    with st.expander(ctx.t("ws.new_effort"), expanded=expanded or forms._outcome("effort_new") is not None, icon=":material/school:"):
        forms.report(ctx, "effort_new")
        with st.form("ws_effort_new"):
            forms.render(ctx, "effort_new", fields, None)
            st.multiselect(ctx.t("ws.effort_needs"), list(labels), key="ws_effort_new_needs", format_func=labels.get,
                           placeholder=ctx.t("ws.choose"), help=ctx.t("ws.effort_needs_help"))
            st.form_submit_button(ctx.t("ws.save_effort"), type="primary", icon=":material/save:", on_click=forms.submit,
                                  args=("effort_new", lambda: ws.add_effort(forms.values("effort_new", fields, None),
                                                                            st.session_state.get("ws_effort_new_needs", [])),
                                        ctx.t("ws.saved_effort")))


def log(ctx: Context, ws: Workspace) -> None:
    entries = ws.audit_log()
    st.subheader(ctx.t("ws.log_title", n=len(entries)))
    st.caption(ctx.t("ws.log_intro"))
    if entries.empty:
        st.info(ctx.t("ws.log_none"), icon=":material/history_toggle_off:")
        return
    table = view.log_table(ctx, entries.iloc[::-1].head(500))
    st.dataframe(as_typed(table), hide_index=True, width="stretch")
    export = entries.drop(columns=["id"]).rename(columns={"table_name": "table"})
    st.download_button(ctx.t("ws.log_download"), excel_csv(export), "granskningslogg.csv", "text/csv",
                       icon=":material/download:", key="ws_log_csv")
