"""Behovskarta: where are the needs, and of what kind? A choropleth by municipality with drill-down."""

import streamlit as st

from components import banners, meeting, state
from components.maps import controls as map_controls
from components.maps import drilldown
from components.maps import needs as needs_map
from components.maps import white_spots as white_map
from components.public import tiles
from components.public import view as public_view

ctx = state.context()
codes = needs_map.area_codes(ctx)
head = st.container()
white = white_map.layer(ctx) == "vita"
view = map_controls.render(ctx, codes, white)
with head:
    if view.meeting:
        meeting.apply()
        st.title(f"{ctx.t('map.title')}: {ctx.area_label}")
        banners.selection_line(ctx)
    else:
        st.title(ctx.t("map.title"))
        st.caption(ctx.t("map.intro", area=ctx.area_label))
    banners.demo_label(ctx)

data = needs_map.map_data(ctx, codes, view.metric, view.method, view.metric == "change" or bool(view.selected))
tiles.map_headline(ctx, data.summary["per_1000"])
if ctx.protected:
    st.caption(ctx.t("public.map_note", year=ctx.view.year))
elif ctx.selected.empty:
    st.info(ctx.t("map.empty"), icon=":material/filter_alt_off:")
if view.metric == "change" and data.previous_period is None:
    needs_map.no_previous_period(ctx)
elif view.metric == "change":
    needs_map.change_spans(ctx, data.previous_period)

if white:  # white spots: from the shown figures and the public supply only (components.maps.white_spots)
    persons = white_map.demand(ctx, codes)
    spots = white_map.data(ctx, codes, white_map.controls(ctx, persons.index.tolist()), persons)
    white_map.captions(ctx)
    map_col, side_col = st.columns([3, 2])
    with map_col:
        base = needs_map.base_map(tuple(codes), ctx.lang, meeting.LABEL_PX[view.meeting])
        needs_map.show(base, white_map.restyle(ctx, spots, view.selected), meeting.MAP_HEIGHT[view.meeting],
                       lambda: map_controls.select_clicked(codes))
        white_map.legend(ctx, spots, meeting.LABEL_PX[view.meeting] + 1)
        white_map.as_table(ctx, spots)
    with side_col:
        white_map.panel(ctx, spots, view.selected)
    st.stop()

map_col, side_col = st.columns([3, 2])
with map_col:
    base = needs_map.drawn(tuple(codes), ctx.lang, meeting.LABEL_PX[view.meeting])
    colours, token = needs_map.map_colours(data, view.metric, view.selected, ctx.lang, drilldown.missing_label(ctx))
    needs_map.show_drawn(base, colours, token, meeting.MAP_HEIGHT[view.meeting], lambda: map_controls.select_clicked(codes))
    needs_map.legend(ctx, data.classes, meeting.LABEL_PX[view.meeting] + 1)
    needs_map.captions(ctx, data.classes)
    needs_map.as_table(ctx, data, view.metric, drilldown.missing_label(ctx))
with side_col:
    if view.selected and ctx.protected:
        public_view.municipality_panel(ctx, view.selected)
    elif view.selected:
        drilldown.panel(ctx, view.selected)
    else:
        drilldown.ranking(ctx, data, view.metric)
if view.selected and not ctx.protected:  # similarity uses each company's industry: not for the public
    drilldown.comparison(ctx, data.frame, view.selected, data.summary)
