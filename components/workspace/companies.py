"""The workspace's companies: the list, a new company, and one company's card, visits, needs and feedback."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import state
from components.state import Context
from components.tables import as_typed
from components.workspace import forms, view
from core.common.text import literal
from core.exchange import feedback
from services.workspace import Workspace

PICK = state.key("ws_company", __name__)
SHOW_WITHDRAWN = state.key("ws_company_withdrawn", __name__)
SEARCH = state.key("ws_company_search", __name__)
LIMIT = 500


def company_fields(ctx: Context, new: bool) -> list[forms.Field]:
    opts = view.options(ctx)
    select = lambda name, **kw: forms.Field(name, "select", *opts[name], **kw)  # noqa: E731
    return [
        forms.Field("name", required=True), forms.Field("org_nr", required=new, help=ctx.t("ws.help_org_nr")),
        forms.Field("sni_code", required=True, help=ctx.t("ws.help_sni")), select("municipality_code", required=True),
        select("industry_group", help=ctx.t("ws.help_industry")), select("size_class", required=True),
        forms.Field("contact_name", help=ctx.t("ws.help_contact")), forms.Field("contact_role"),
        forms.Field("contact_email"), forms.Field("contact_until", "date", help=ctx.t("ws.help_contact_until")),
    ]


def visit_fields(ctx: Context) -> list[forms.Field]:
    opts = view.options(ctx)
    return [forms.Field("visited_on", "date", required=True), forms.Field("method", "select", *opts["method"], required=True),
            forms.Field("note", "area")]


def need_fields(ctx: Context, visits: pd.DataFrame) -> list[forms.Field]:
    opts = view.options(ctx)
    visit_ids = tuple(int(i) for i in visits["id"])
    labels = {int(r["id"]): f"{r['visited_on']} {ctx.t('source.' + r['method'])}" for r in visits.to_dict("records")}
    select = lambda name, **kw: forms.Field(name, "select", *opts[name], **kw)  # noqa: E731
    return [
        forms.Field("visit_id", "select", visit_ids, lambda i: labels.get(i, str(i)), help=ctx.t("ws.help_visit")),
        select("competence", required=True), select("need_type", required=True),
        forms.Field("persons", "number", required=True), select("horizon", required=True),
        select("form", required=True), select("level", required=True),
        forms.Field("collected_on", "date", help=ctx.t("ws.help_collected_on")),
        forms.Field("follow_up_on", "date", help=ctx.t("ws.help_follow_up")), forms.Field("note", "area"),
    ]


def section(ctx: Context, ws: Workspace) -> None:
    companies = ws.frame("companies", withdrawn=st.session_state.get(SHOW_WITHDRAWN, False))
    _new_company(ctx, ws, expanded=companies.empty)
    if companies.empty:
        st.info(ctx.t("ws.no_companies"), icon=":material/domain_disabled:")
        return
    search = st.text_input(ctx.t("ws.search_company"), key=SEARCH, placeholder=ctx.t("ws.search_placeholder"))
    if search.strip():
        text = search.strip().lower()
        companies = companies[companies["name"].str.lower().str.contains(text, regex=False)
                              | companies["org_nr"].str.replace("-", "").str.contains(text.replace("-", ""), regex=False)]
        if companies.empty:
            st.info(ctx.say("ws.search_none", text=search), icon=":material/search_off:")
            return
    if len(companies) > LIMIT:
        st.caption(ctx.t("ws.limited", n=LIMIT, total=len(companies)))
        companies = companies.head(LIMIT)
    rows = {int(r["id"]): r for r in companies.to_dict("records")}
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    if st.session_state.get(PICK) not in rows:
        st.session_state[PICK] = next(iter(rows))
    picked = left.selectbox(ctx.t("ws.pick_company", n=len(rows)), list(rows), key=PICK,
                            format_func=lambda i: view.company_label(ctx, rows[i]))
    right.toggle(ctx.t("ws.show_withdrawn"), key=SHOW_WITHDRAWN)
    card(ctx, ws, rows[picked])


def _new_company(ctx: Context, ws: Workspace, expanded: bool) -> None:
    fields = company_fields(ctx, new=True)
    with st.expander(ctx.t("ws.new_company"), expanded=expanded or forms._outcome("company_new") is not None,
                     icon=":material/add_business:"):
        saved = forms.report(ctx, "company_new")
        with st.form("ws_company_new", clear_on_submit=False):
            forms.render(ctx, "company_new", fields, None)
            st.form_submit_button(ctx.t("ws.save_company"), type="primary", icon=":material/save:",
                                  on_click=_add_company, args=(ctx, ws, fields))
        if saved:
            st.session_state[PICK] = saved["id"]


def _add_company(ctx: Context, ws: Workspace, fields) -> None:
    def action():
        record = ws.add_company(forms.values("company_new", fields, None))
        st.session_state[PICK] = record["id"]
        return record
    forms.submit("company_new", action, ctx.t("ws.saved_company"))


def card(ctx: Context, ws: Workspace, company: dict) -> None:
    facts = [ctx.t("ws.field.org_nr") + ": " + (company["org_nr"] or ctx.t("ws.not_recorded")),
             "SNI " + company["sni_code"], ctx.names["industry_group"].get(company["industry_group"], company["industry_group"]),
             ctx.t("ws.size", size=company["size_class"]), ctx.t("ws.version", version=company["version"])]
    st.markdown(f"#### {literal(company['name'])}")
    st.caption(" · ".join(literal(f) for f in facts))
    if company["withdrawn"]:
        st.warning(ctx.t("ws.is_withdrawn"), icon=":material/delete:")
    details, visits_tab, needs_tab, feedback_tab = st.tabs([ctx.t("ws.tab_details"), ctx.t("ws.tab_visits"),
                                                            ctx.t("ws.tab_needs"), ctx.t("ws.tab_feedback")])
    visits = ws.frame("visits")
    visits = visits[visits["company_id"] == company["id"]].sort_values("visited_on", ascending=False)
    needs = ws.frame("needs", withdrawn=True)
    needs = needs[needs["company_id"] == company["id"]]
    with details:
        _edit_company(ctx, ws, company)
        view.withdraw_button(ctx, ws, "companies", company, PICK)
        view.history(ctx, ws, "companies", company["id"])
    with visits_tab:
        _visits(ctx, ws, company, visits)
    with needs_tab:
        _needs(ctx, ws, company, visits, needs)
    with feedback_tab:
        _feedback(ctx, company, needs[~needs["withdrawn"]])


def _edit_company(ctx: Context, ws: Workspace, company: dict) -> None:
    fields = company_fields(ctx, new=False)
    form = f"company_{company['id']}"
    forms.report(ctx, form)
    with st.form(f"ws_{form}_{company['version']}"):
        st.caption(ctx.t("ws.contact_note"))
        forms.render(ctx, form, fields, company)
        st.form_submit_button(ctx.t("ws.save_changes"), icon=":material/save:", on_click=forms.submit,
                              args=(form, lambda: ws.edit_company(company["id"], company["version"],
                                                                  forms.values(form, fields, company)), ctx.t("ws.saved_changes"), PICK))


def _visits(ctx: Context, ws: Workspace, company: dict, visits: pd.DataFrame) -> None:
    if visits.empty:
        st.caption(ctx.t("ws.no_visits"))
    else:
        st.dataframe(as_typed(pd.DataFrame({
            ctx.t("ws.field.visited_on"): visits["visited_on"], ctx.t("ws.field.method"): [ctx.t("source." + m) for m in visits["method"]],
            ctx.t("ws.field.broker"): visits["broker"], ctx.t("ws.field.note"): visits["note"]})), hide_index=True, width="stretch")
    fields = visit_fields(ctx)
    form = f"visit_new_{company['id']}"
    st.markdown(f"**{ctx.t('ws.new_visit')}**")
    forms.report(ctx, form)
    with st.form(f"ws_{form}"):
        forms.render(ctx, form, fields, None, {"visited_on": dt.date.today(), "method": "company_visit"}, columns=2)
        st.form_submit_button(ctx.t("ws.save_visit"), type="primary", icon=":material/event_available:", on_click=forms.submit,
                              args=(form, lambda: ws.add_visit(forms.values(form, fields, None) | {"company_id": company["id"]}),
                                    ctx.t("ws.saved_visit")))


def _needs(ctx: Context, ws: Workspace, company: dict, visits: pd.DataFrame, needs: pd.DataFrame) -> None:
    if needs.empty:
        st.caption(ctx.t("ws.no_needs"))
    else:
        st.dataframe(as_typed(need_table(ctx, needs)), hide_index=True, width="stretch")
    fields = need_fields(ctx, visits)
    latest = int(visits["id"].iloc[0]) if not visits.empty else None
    form = f"need_new_{company['id']}_{latest}"  # a new visit makes a new form, defaulting to it
    st.markdown(f"**{ctx.t('ws.new_need')}**")
    forms.report(ctx, form)
    with st.form(f"ws_{form}", clear_on_submit=False):
        forms.render(ctx, form, fields, None, {"visit_id": latest, "persons": 1, "need_type": "upskilling", "horizon": "0-6",
                                               "form": "blended", "level": "upper_secondary"})
        st.form_submit_button(ctx.t("ws.save_need"), type="primary", icon=":material/add_task:", on_click=forms.submit,
                              args=(form, lambda: ws.add_need(_need_values(form, fields, company)), ctx.t("ws.saved_need")))


def _need_values(form: str, fields, company: dict) -> dict:
    values = forms.values(form, fields, None) | {"company_id": company["id"]}
    if values.get("collected_on") is None and values.get("visit_id") is None:
        values["collected_on"] = dt.date.today()
    if values.get("collected_on") is None:
        values.pop("collected_on")  # the visit's date
    return values


def need_table(ctx: Context, needs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        ctx.t("column.id"): needs["id"], ctx.t("column.competence"): [ctx.names["competence"].get(c, c) for c in needs["competence"]],
        ctx.t("column.need_type"): [ctx.t("need_type." + v) for v in needs["need_type"]], ctx.t("column.persons"): needs["persons"],
        ctx.t("column.horizon"): [ctx.t("horizon." + v) for v in needs["horizon"]],
        ctx.t("column.status"): [ctx.t("status." + v) + (f" ({ctx.t('ws.withdrawn')})" if w else "") for v, w in zip(needs["status"], needs["withdrawn"])],
        ctx.t("ws.field.follow_up_on"): needs["follow_up_on"], ctx.t("column.note"): needs["note"],
    })


def _feedback(ctx: Context, company: dict, needs: pd.DataFrame) -> None:
    st.caption(ctx.t("ws.feedback_intro"))
    texts = {k: ctx.t(f"ws.feedback_{k}") for k in ("title", "date", "broker", "footer", "none", "match")}
    texts["intro"] = ctx.t("ws.feedback_letter")
    texts |= {c: ctx.t(f"column.{c}") for c in ("competence", "need_type", "persons", "horizon", "status")}
    texts |= {"follow_up_on": ctx.t("ws.field.follow_up_on"), "lang": ctx.lang}

    def label(column, value):
        if column == "match":
            return value
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "–"
        return {"competence": lambda v: ctx.names["competence"].get(v, v), "need_type": lambda v: ctx.t("need_type." + v),
                "horizon": lambda v: ctx.t("horizon." + v), "status": lambda v: ctx.t("status." + v),
                "follow_up_on": lambda v: pd.Timestamp(v).date().isoformat()}.get(column, str)(value)

    rows = needs.assign(match=[_match(ctx, r) for r in needs.to_dict("records")])
    html = feedback.summary_html(company, rows, texts, label, _broker(ctx), dt.date.today())
    st.download_button(ctx.t("ws.feedback_download"), html.encode("utf-8"), f"aterkoppling-{company['id']}.html", "text/html",
                       icon=":material/print:", key=f"ws_feedback_{company['id']}")


def _match(ctx: Context, need: dict) -> str:
    if need.get("effort_id") and pd.notna(need["effort_id"]):
        return ctx.t("ws.match_effort", id=int(need["effort_id"]))
    if need.get("offer_id"):
        return ctx.t("ws.match_offer", id=need["offer_id"])
    return "–"


def _broker(ctx: Context) -> str:
    return f"{ctx.user.name} <{ctx.user.email}>" if ctx.user.name else ctx.user.email
