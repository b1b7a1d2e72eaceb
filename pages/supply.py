"""Utbud och efterfrågan: for each competence, the persons in need beside the seats within reach."""

import streamlit as st

from components import banners, charts, loaders, state
from components.public import outlook as outlook_view
from components.public import supply as supply_view
from components.public import view as public_view

ctx = state.context()
st.title(ctx.t("supply.title"))
st.caption(ctx.t("supply.intro", area=ctx.area_label))
banners.demo_label(ctx)

reach = supply_view.controls(ctx)
codes = supply_view.area_codes(ctx)
if not codes:
    st.info(ctx.t("supply.no_area"), icon=":material/location_off:")
    st.stop()
offers = loaders.offers(ctx.url, ctx.revision)
if ctx.protected:  # the release's persons per competence beside the seats; no rows, no drill-down
    reach_by_code = supply_view.reach_of(ctx, reach)
    shown = supply_view.published(ctx, reach, codes, offers, reach_by_code)
    st.caption(ctx.t("supply.model_note", mode=ctx.t(f"travel.mode_{reach.mode}"), limit=reach.limit))
    public_view.supply_headline(ctx, shown.table)
    st.subheader(ctx.t("supply.chart_title", n=supply_view.TOP))
    if shown.chart is None:
        st.info(ctx.t("public.all_protected"), icon=":material/visibility_off:")
    else:
        charts.show(ctx, shown.chart, "supply_chart")
    st.subheader(ctx.t("supply.table_title"))
    public_view.protection_note(ctx)
    supply_view.show_gap_table(ctx, shown.shown)
    outlook_view.disagreements(ctx, public_view.demand_by_competence(ctx))
    st.subheader(ctx.t("supply.heat_title"))
    st.caption(ctx.t("supply.heat_caption") + " " + ctx.t("public.heat_protected"))
    if shown.heat is not None:
        charts.show(ctx, shown.heat, "supply_heat")
    else:
        st.info(ctx.t("public.all_protected"), icon=":material/visibility_off:")
    supply_view.white_spots(ctx, public_view.demand_by_competence(ctx), offers, reach, codes)
    st.stop()
shown = supply_view.selected(ctx, reach, codes)
table = shown.table
st.caption(ctx.t("supply.model_note", mode=ctx.t(f"travel.mode_{reach.mode}"), limit=reach.limit))
if ctx.selected.empty:
    banners.empty_selection(ctx)
supply_view.headline(ctx, table)

st.subheader(ctx.t("supply.chart_title", n=supply_view.TOP))
event = charts.show(ctx, shown.chart, "supply_chart", on_select="rerun", selection_mode="points")
clicked = supply_view.clicked_competence(event)
if clicked:
    st.session_state[state.SUPPLY_DRILL] = clicked

st.subheader(ctx.t("supply.table_title"))
supply_view.show_gap_table(ctx, shown.shown)
outlook_view.disagreements(ctx, outlook_view.selected_persons(ctx))

st.subheader(ctx.t("supply.heat_title"))
st.caption(ctx.t("supply.heat_caption"))
if shown.heat is not None:
    charts.show(ctx, shown.heat, "supply_heat")

supply_view.white_spots(ctx, outlook_view.selected_persons(ctx), offers, reach, codes)

st.subheader(ctx.t("supply.drill_title"))
options = table["competence"].tolist()
if options:
    if st.session_state.get(state.SUPPLY_DRILL) not in options:
        st.session_state[state.SUPPLY_DRILL] = options[0]
    competence = st.selectbox(ctx.t("supply.drill_pick"), options, key=state.SUPPLY_DRILL,
                              format_func=lambda c: ctx.names["competence"].get(c, c), help=ctx.t("supply.drill_help"))
    supply_view.drill(ctx, reach, codes, competence)
