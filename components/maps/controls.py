"""The needs map's own controls (measure, classes, municipality, meeting mode), kept in the URL.

On the page's first run in a session the URL fills the widgets (``?metric=per_1000&kommun=1427
&meeting=1``); unknown values are dropped with a warning. On every run the widgets write the
URL back, beside the shared filters, so a link reproduces the whole view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components import state
from components.maps.needs import clicked_code
from core.analysis.classes import FIXED, METHODS
from core.analysis.municipal import METRICS

PARAM = {state.MAP_METRIC: "metric", state.MAP_METHOD: "classes", state.MAP_SELECTED: "kommun", state.MEETING: "meeting"}
DEFAULTS = {state.MAP_METRIC: METRICS[0], state.MAP_METHOD: METHODS[0], state.MAP_SELECTED: "", state.MEETING: False}
IGNORED = "_map_url_ignored"


@dataclass(frozen=True)
class MapView:
    metric: str
    method: str
    selected: str  # SCB code, or "" for none
    meeting: bool


def _load_once(codes: list[str]) -> None:
    if state.MAP_METRIC in st.session_state:
        return
    allowed = {state.MAP_METRIC: METRICS, state.MAP_METHOD: METHODS, state.MAP_SELECTED: codes, state.MEETING: ("1",)}
    ignored = []
    for key, param in PARAM.items():
        value = st.query_params.get(param, "")
        if value and value not in allowed[key]:
            ignored.append((param, value))
            value = ""
        st.session_state[key] = (value == "1") if key == state.MEETING else (value or DEFAULTS[key])
    st.session_state[IGNORED] = ignored


def select_clicked(codes: list[str]) -> None:
    """Map click callback: the clicked municipality becomes the selected one (runs before the widgets)."""
    code = clicked_code()
    if code in codes:
        st.session_state[state.MAP_SELECTED] = code


def render(ctx: state.Context, codes: list[str], white: bool = False) -> MapView:
    """``white``: the white-spot layer is shown, so the measure and its classes do not apply (shown, not used)."""
    _load_once(codes)
    if st.session_state.get(state.MAP_SELECTED) not in ("", *codes):
        st.session_state[state.MAP_SELECTED] = ""
    for param, value in st.session_state.get(IGNORED, ()):
        st.warning(ctx.say("map.url_ignored", param=param, value=value), icon=":material/link_off:")
    names = ctx.names["municipality"]
    metric = st.radio(ctx.t("map.metric"), METRICS, key=state.MAP_METRIC, horizontal=True,
                              format_func=lambda m: ctx.t(f"metric.{m}"), disabled=white)
    method_col, place_col, meeting_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    method_col.radio(ctx.t("map.method"), METHODS, key=state.MAP_METHOD, horizontal=True,
                     format_func=lambda m: ctx.t(f"map.method_{m}"), help=ctx.t("map.method_help"), disabled=white or metric in FIXED)
    place_col.selectbox(ctx.t("map.municipality"), ("", *codes), key=state.MAP_SELECTED,
                        format_func=lambda c: names.get(c, c) if c else ctx.t("map.municipality_none"))
    meeting_col.toggle(ctx.t("map.meeting"), key=state.MEETING, help=ctx.t("map.meeting_help"))
    view = MapView(metric, st.session_state[state.MAP_METHOD], st.session_state[state.MAP_SELECTED],
                   bool(st.session_state[state.MEETING]))
    _write_url(view)
    return view


def _write_url(view: MapView) -> None:
    values = {
        "metric": view.metric if view.metric != DEFAULTS[state.MAP_METRIC] else "",
        "classes": view.method if view.method != DEFAULTS[state.MAP_METHOD] else "",
        "kommun": view.selected,
        "meeting": "1" if view.meeting else "",
    }
    for param, value in values.items():
        if value and st.query_params.get(param) != value:
            st.query_params[param] = value
        elif not value and param in st.query_params:
            del st.query_params[param]
