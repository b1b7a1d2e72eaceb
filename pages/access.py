"""Pendling och lärcentra: how far people live from a learning centre, and what a new one would change."""

import streamlit as st

from components import banners, charts, state
from components.planning import access as access_view
from components.planning import travel_matrix as travel_matrix_io
from components.public import supply as supply_view

ctx = state.context()
st.title(ctx.t("access.title"))
st.caption(ctx.t("access.intro", area=ctx.area_label))
codes = supply_view.area_codes(ctx)
if not codes:
    st.info(ctx.t("supply.no_area"), icon=":material/location_off:")
    st.stop()
view = access_view.controls(ctx, codes)
st.caption(ctx.t("access.model_note"))

now = access_view.compute(ctx, view, codes)
then = access_view.compute(ctx, view, codes, extra=view.what_if) if view.what_if else None
if not access_view.targets(ctx, view) and not view.what_if:
    st.warning(ctx.t("access.no_targets"), icon=":material/school:")
if view.competence:
    banners.demo_label(ctx)  # the offers behind a competence are partly example data
access_view.headline(ctx, view, now, then)

map_col, chart_col = st.columns([3, 2])
with map_col:
    shown = then or now
    access_view.show_map(ctx, view, codes, shown)
    access_view.legend(ctx, view)
    charts.as_table(ctx.lang, lambda: access_view.map_table(ctx, view, shown), "chart.map_as_table")
    if then is not None:
        st.caption(ctx.t("access.map_with_new"))
with chart_col:
    st.subheader(ctx.t("access.chart_title", mode=ctx.t(f"travel.mode_{view.mode}"), limit=view.limit))
    charts.show(ctx, access_view.coverage_chart(ctx, view, codes), "access_chart")

st.subheader(ctx.t("access.table_title"))
access_view.municipality_table(ctx, view, codes)
with st.expander(ctx.t("travel.io_title"), icon=":material/swap_vert:"):
    travel_matrix_io.panel(ctx)
