"""Översikt: what do our companies need, for the current selection?"""

import streamlit as st

from components import banners, charts, state, tables
from components.public import outlook as outlook_view
from components.public import tiles
from components.public import view as public_view

ctx = state.context()
st.title(ctx.t("overview.title"))
banners.demo_label(ctx)

if ctx.protected:
    if ctx.view is None:
        banners.empty_selection(ctx)
        st.stop()
    st.caption(ctx.t("public.intro", area=ctx.area_label, year=ctx.view.year))
    public_view.kpi_row(ctx)
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("overview.by_competence", n=15))
        public_view.chart(ctx, "competence", 15, "chart.competence", "chart_competence")
        outlook_view.top_table(ctx, public_view.largest_competences(ctx, 8), "outlook_top")
    with right:
        st.subheader(ctx.t("overview.by_industry"))
        public_view.chart(ctx, "industry_group", None, "chart.industry", "chart_industry")
    st.subheader(ctx.t("public.by_quarter", year=ctx.view.year))
    public_view.chart(ctx, "quarter", None, "chart.quarter", "chart_time")
    st.subheader(ctx.t("public.table"))
    public_view.protection_note(ctx)
    public_view.table_section(ctx)
    st.stop()

st.caption(ctx.t("overview.intro", area=ctx.area_label))
if ctx.selected.empty:
    banners.empty_selection(ctx)
    st.stop()

tiles.kpi_row(ctx)
left, right = st.columns(2)
with left:
    st.subheader(ctx.t("overview.by_competence", n=15))
    charts.show(ctx, charts.persons_by(ctx, "competence", 15, "chart.competence"), "chart_competence")
    outlook_view.top_table(ctx, outlook_view.largest_selected(ctx, 8), "outlook_top")
with right:
    st.subheader(ctx.t("overview.by_industry"))
    charts.show(ctx, charts.persons_by(ctx, "industry_group", None, "chart.industry"), "chart_industry")
st.subheader(ctx.t("overview.over_time"))
charts.show(ctx, charts.over_time(ctx), "chart_time")
st.subheader(ctx.t("overview.table"))
tables.needs_table(ctx)
