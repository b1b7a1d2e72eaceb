"""Samverkanskohorter: parameters, the run with progress, the result kept until its inputs change."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import loaders, state
from components.public import supply as supply_view
from components.workspace import forms as workspace_forms
from components.workspace import view as workspace_view
from core.cohorts import finder as cohorts
from core.common import formatting
from core.exchange import cohort_sheet as cohort_export
from core.exchange.export import excel_csv
from data import reference
from services import cohort_instance

RESULT = state.key("cohort_result", __name__)
FORM = state.key("cohort_form", __name__)


@dataclass(frozen=True)
class Result:
    key: str
    plan: cohorts.Plan
    settings: cohorts.Settings
    competences: tuple[str, ...]
    reader: str = ""  # who it was made for, with their rights then (``reader``): shown to no one else


def reader(ctx: state.Context) -> str:
    """The signed-in reader and the rows they may read: a result made under other rights is dropped, not shown."""
    user = ctx.user
    return json.dumps([user.email, str(user.role), sorted(user.municipalities)] if user else None)


def stored(ctx: state.Context) -> Result | None:
    """The result of this session's last run, if it was made for the reader as they are now (an admin may have taken a
    municipality from them since: its members and needs are then not theirs to see)."""
    result = st.session_state.get(RESULT)
    if result is not None and result.reader != reader(ctx):
        st.session_state.pop(RESULT, None)
        return None
    return result


def parameters(ctx: state.Context, available: list[str]) -> tuple[cohorts.Settings, tuple[str, ...], bool]:
    """The form; returns the settings, the competences and whether the run button was pressed."""
    with st.form(FORM, border=True):
        chosen = st.multiselect(ctx.t("cohort.competences"), available, default=[], key="cohort_competences",
                                format_func=lambda c: ctx.names["competence"].get(c, c), placeholder=ctx.t("cohort.all_competences"))
        a, b, c = st.columns(3)
        car = a.slider(ctx.t("cohort.car_limit"), 15, 120, 45, 5, key="cohort_car", format="%d min")
        pt = b.slider(ctx.t("cohort.pt_limit"), 15, 150, 60, 5, key="cohort_pt", format="%d min")
        method = c.radio(ctx.t("cohort.method"), ["milp", "greedy"], key="cohort_method", horizontal=True,
                         format_func=lambda m: ctx.t(f"cohort.method_{m}"), help=ctx.t("cohort.method_help"))
        d, e, f = st.columns(3)
        own = d.toggle(ctx.t("cohort.own_sizes"), key="cohort_own_sizes", help=ctx.t("cohort.own_sizes_help"))
        low = e.number_input(ctx.t("cohort.min_size"), 2, 60, 8, key="cohort_min", disabled=not own)
        high = f.number_input(ctx.t("cohort.max_size"), 2, 120, 20, key="cohort_max", disabled=not own)
        early = st.toggle(ctx.t("cohort.next_window"), value=True, key="cohort_next", help=ctx.t("cohort.next_window_help"))
        pressed = st.form_submit_button(ctx.t("cohort.run"), type="primary", icon=":material/play_arrow:")
    settings = cohorts.Settings(car_minutes=float(car), pt_minutes=float(pt), min_size=int(low) if own else None,
                                max_size=int(max(high, low)) if own else None, next_window=bool(early), method=method)
    return settings, tuple(sorted(chosen)), pressed


def inputs_key(ctx: state.Context, settings: cohorts.Settings, competences: tuple[str, ...]) -> str:
    """A hash of everything the result depends on: the register, the selection, the travel matrix, the settings."""
    body = json.dumps([ctx.url, ctx.revision, ctx.user.email if ctx.user else "", dataclasses.asdict(ctx.filters), ctx.codes,
                       dataclasses.asdict(settings), competences], default=str, sort_keys=True)
    return hashlib.sha1(body.encode()).hexdigest()


def instance(ctx: state.Context, codes: list[str], competences: tuple[str, ...]) -> cohorts.Instance:
    needs = ctx.selected
    if competences:
        needs = needs[needs["competence"].astype(str).isin(competences)]
    return cohort_instance.for_register(needs, loaders.offers(ctx.url, ctx.revision), loaders.travel_matrix(ctx.url, ctx.revision), codes,
                                        cohort_instance.reference_date(ctx.meta))


def run(ctx: state.Context, codes: list[str], settings: cohorts.Settings, competences: tuple[str, ...], key: str) -> Result:
    with st.status(ctx.t("cohort.running"), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(done: int, total: int, competence: str) -> None:
            name = ctx.names["competence"].get(competence, competence)
            bar.progress(done / total if total else 1.0, text=ctx.t("cohort.progress", done=done, total=total, name=name))

        plan = cohorts.plan(instance(ctx, codes, competences), settings, progress)
        status.update(label=ctx.t("cohort.done", seconds=formatting.decimal(plan.seconds, ctx.lang)), state="complete",
                      expanded=False)
    result = Result(key, plan, settings, competences, reader(ctx))
    st.session_state[RESULT] = result
    return result


def tables(ctx: state.Context, result: Result, labels: cohort_export.Labels) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The plan as the page shows it: proposals, their members, the needs no class reaches, and those routed to an offer."""
    plan = result.plan
    return (cohort_export.proposals(plan, labels, ctx.lang), cohort_export.members(plan, labels, ctx.lang),
            cohort_export.non_viable(plan, result.settings, labels, ctx.lang),
            cohort_export.routed(plan, offer_titles(ctx), labels))


def labels(ctx: state.Context) -> cohort_export.Labels:
    return cohort_instance.labels(ctx.lang, ctx.names["municipality"])


def headline(ctx: state.Context, plan: cohorts.Plan) -> None:
    lang = ctx.lang
    summary = cohorts.summary(plan)
    status = ctx.t(f"cohort.status_{plan.status}", gap=formatting.percent(plan.gap, lang) if plan.gap == plan.gap else "–")
    tiles = [
        (ctx.t("cohort.kpi_cohorts"), formatting.integer(len(plan.cohorts), lang), ctx.t("cohort.kpi_cohorts_help")),
        (ctx.t("cohort.kpi_placed"), formatting.integer(plan.persons_placed, lang), ctx.t("cohort.kpi_placed_help")),
        (ctx.t("cohort.kpi_routed"), formatting.integer(int(summary["routed_persons"]), lang), ctx.t("cohort.kpi_routed_help")),
        (ctx.t("cohort.kpi_non_viable"), formatting.integer(int(summary["non_viable_persons"]), lang), ctx.t("cohort.kpi_non_viable_help")),
    ]
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles):
        column.metric(label, value, help=help_text, border=True)
    st.caption(ctx.t("cohort.solve_note", method=ctx.t(f"cohort.method_{plan.method}"), status=status,
                     seconds=formatting.decimal(plan.seconds, lang), local=plan.local))


def downloads(ctx: state.Context, result: Result, tables: dict[str, pd.DataFrame]) -> None:
    """The proposals as Excel, CSV and JSON, each file made when its button is clicked (not on every run)."""
    suffix = "-exempeldata" if ctx.is_demo else ""
    names = labels(ctx)
    a, b, c = st.columns(3)
    a.download_button(ctx.t("cohort.download_excel"), lambda: cohort_export.to_excel(tables), file_name=f"samverkanskohorter{suffix}.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:",
                      key="cohort_xlsx", on_click="ignore")
    members = tables[ctx.t("cohort.sheet_members")]
    b.download_button(ctx.t("cohort.download_csv"), lambda: excel_csv(members), file_name=f"samverkanskohorter{suffix}.csv",
                      mime="text/csv", icon=":material/download:", key="cohort_csv", on_click="ignore")
    c.download_button(ctx.t("cohort.download_json"),
                      lambda: cohort_export.to_json(result.plan, result.settings, names, ctx.lang, ctx.is_demo).encode("utf-8"),
                      file_name=f"samverkanskohorter{suffix}.json", mime="application/json", icon=":material/data_object:",
                      key="cohort_json", on_click="ignore")


def offer_titles(ctx: state.Context) -> dict[str, str]:
    return supply_view.offer_names(ctx)


def competences_in(ctx: state.Context) -> list[str]:
    present = set(ctx.selected["competence"].astype(str))
    return [c for c in reference.competences()["code"] if c in present]


def _renamed(ctx: state.Context, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].rename(columns={c: ctx.t(f"cohort.col_{c}") for c in columns})


def proposal_table(ctx: state.Context, proposals: pd.DataFrame) -> None:
    columns = ["cohort", "competence", "host", "form", "window", "municipalities", "persons", "min_size", "max_size",
               "regional_vux", "longest_minutes_car"]
    st.dataframe(_renamed(ctx, proposals, columns), hide_index=True, width="stretch",
                 height=min(400, 38 + 35 * len(proposals)))
    st.caption(ctx.t("cohort.vux_note"))


def proposal_label(ctx: state.Context, proposals: pd.DataFrame, i: int) -> str:
    row = proposals[proposals["cohort"] == i].iloc[0]
    return ctx.t("cohort.pick_label", i=i, competence=row["competence"], host=row["host"], persons=row["persons"],
                 n=row["n_municipalities"])


def member_tips(ctx: state.Context, cohort: cohorts.Cohort) -> dict[str, list[str]]:
    tips: dict[str, list[str]] = {}
    for m in cohort.members:
        tips.setdefault(m.municipality_code, []).append(
            ctx.t("cohort.tip_member", persons=m.persons, car=formatting.decimal(m.minutes_car, ctx.lang),
                  pt=formatting.decimal(m.minutes_pt, ctx.lang)))
    return tips


def cohort_card(ctx: state.Context, cohort: cohorts.Cohort, names: cohort_export.Labels) -> None:
    st.markdown(f"**{ctx.names['competence'].get(cohort.competence, cohort.competence)}**")
    st.markdown(ctx.t("cohort.card", host=names.host(cohort.host, ctx.lang), window=ctx.t(f"horizon.{cohort.window}"),
                      total=cohort.total, low=cohort.min_size, high=cohort.max_size, n=len(cohort.municipalities)))
    if cohort.regional_vux:
        st.success(ctx.t("cohort.vux_flag"), icon=":material/handshake:")
    frame = pd.DataFrame({
        ctx.t("column.municipality"): [ctx.names["municipality"].get(m.municipality_code, m.municipality_code) for m in cohort.members],
        ctx.t("column.persons"): [m.persons for m in cohort.members],
        ctx.t("column.horizon"): [ctx.t(f"horizon.{m.horizon}") for m in cohort.members],
        ctx.t("cohort.col_minutes_car"): [round(m.minutes_car) for m in cohort.members],
        ctx.t("cohort.col_minutes_pt"): [round(m.minutes_pt) for m in cohort.members],
    })
    st.dataframe(frame, hide_index=True, width="stretch")


def pooled_table(ctx: state.Context, members: pd.DataFrame) -> None:
    pooled = members[members["pooled_only"]]
    if pooled.empty:
        st.info(ctx.t("cohort.none_pooled"), icon=":material/info:")
        return
    by = pooled.groupby(["competence", "municipality"], as_index=False).agg(persons=("persons", "sum"), needs=("need_id", "count"),
                                                                             cohort=("cohort", "first"))
    by = by.sort_values(["competence", "municipality"])
    shown = by.rename(columns={"competence": ctx.t("column.competence"), "municipality": ctx.t("column.municipality"),
                               "persons": ctx.t("column.persons"), "needs": ctx.t("cohort.col_needs"),
                               "cohort": ctx.t("cohort.col_cohort")})
    highlight = f"background-color: {'#fde9c9'}"  # the map's member orange, lightened: the same meaning
    st.dataframe(shown.style.map(lambda _: highlight, subset=[ctx.t("column.persons")]), hide_index=True, width="stretch",
                 height=min(360, 38 + 35 * len(shown)))


def non_viable_table(ctx: state.Context, frame: pd.DataFrame) -> None:
    if frame.empty:
        st.success(ctx.t("cohort.all_viable"), icon=":material/check_circle:")
        return
    st.dataframe(_renamed(ctx, frame, ["competence", "municipality", "persons", "horizon", "why", "alternative"]),
                 hide_index=True, width="stretch", height=min(360, 38 + 35 * len(frame)))


def routed_table(ctx: state.Context, frame: pd.DataFrame) -> None:
    st.caption(ctx.t("cohort.routed_caption"))
    st.dataframe(_renamed(ctx, frame, ["competence", "municipality", "persons", "offer", "minutes_car"]),
                 hide_index=True, width="stretch", height=min(300, 38 + 35 * len(frame)))


def to_effort(ctx: state.Context, cohort: cohorts.Cohort, number: int, result_key: str, host: str) -> None:
    """Turn the proposal into a training effort in one step: its needs are matched to it (services.workspace)."""
    form = f"cohort_effort_{result_key[:8]}_{number}"
    workspace_forms.report(ctx, form)
    title = f"{ctx.names['competence'].get(cohort.competence, cohort.competence)}, {host}"
    ws = workspace_view.space(ctx)
    st.button(ctx.t("cohort.to_effort"), key=f"ws_{form}", icon=":material/school:", help=ctx.t("cohort.to_effort_help"),
              on_click=workspace_forms.submit,
              args=(form, lambda: ws.effort_from_cohort(title, ctx.t("cohort.effort_provider"), cohort.max_size,
                                                        [m.need_id for m in cohort.members], f"{result_key[:8]}#{number}"),
                    ctx.t("cohort.effort_made")))
