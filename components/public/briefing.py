"""Politisk brief: controls (in the URL), the one-screen view and the PDF/PowerPoint downloads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import loaders, page_params, state
from components.charts import FONT_SIZE, SharedFigure
from components.memo import shared
from core.analysis.classes import colour_of, legend_entries, legend_marks, mark_of
from core.briefing import content as briefing
from core.briefing import deck as report_pptx
from core.briefing import pdf as report_pdf
from core.briefing import text as briefing_text
from core.common import clock, formatting
from data import reference
from services import briefing_inputs
from services.briefing_inputs import make as make  # the brief of an area and period (the page lays it out)


def names(lang: str, area: list[str]) -> briefing_text.Names:
    """The brief's names in ``lang`` (``briefing_inputs.names``), made once per (language, area): read-only."""
    return _names(lang, tuple(area))


@shared(max_entries=64)
def _names(lang: str, area: tuple[str, ...]) -> briefing_text.Names:
    return briefing_inputs.names(lang, list(area))

text = briefing_text  # the brief's words, in the page's language
periods = briefing.periods  # the periods a brief can cover, newest first

AREA, PERIOD, PRESENTATION = (state.key(k, __name__) for k in ("brief_area", "brief_period", "brief_presentation"))


def inputs(ctx: state.Context) -> briefing_inputs.Inputs:
    return loaders.briefing_inputs(ctx.url, ctx.revision)


def brief(ctx: state.Context, area: list[str], period: tuple[str, str]) -> briefing.Briefing:
    """The brief of an area and period (``make`` on the revision's inputs), made once per register revision, area,
    period and day and shared read-only by the sessions that show it (a third of the page's rerun)."""
    return _brief(ctx.url, ctx.revision, tuple(area), period, clock.today())


@st.cache_resource(show_spinner=False, max_entries=64)
def _brief(url: str, rev: str, area: tuple[str, ...], period: tuple[str, str], today: dt.date) -> briefing.Briefing:
    """``today``: the quarters a change compares are those closed by the day (``release_quarters``); without it a
    brief first made before the release's months had ended kept their older quarters until the next write (red team)."""
    return make(loaders.briefing_inputs(url, rev), list(area), period)


def period_label(ctx: state.Context, key: str) -> str:
    if key.isdigit():
        return ctx.t("brief.period_year", year=key)
    return ctx.t(f"brief.period_{key}")


def controls(ctx: state.Context, periods: dict[str, tuple[str, str]]) -> tuple[list[str], str, bool]:
    codes = ["fyrbodal", *reference.fyrbodal_codes()]
    page_params.load(AREA, "omrade", codes, "fyrbodal")
    default = next(iter(periods), "")  # the newest year
    page_params.load(PERIOD, "period", list(periods), default)
    page_params.load(PRESENTATION, "presentation", ("1",), "")
    page_params.warn_ignored(lambda p, v: ctx.t("map.url_ignored", param=p, value=v))
    if st.session_state[PRESENTATION] in ("1", "0", ""):
        st.session_state[PRESENTATION] = st.session_state[PRESENTATION] == "1"
    presenting = bool(st.session_state[PRESENTATION])
    if not presenting:
        a, b, c = st.columns([2, 2, 1], vertical_alignment="bottom")
        a.selectbox(ctx.t("brief.area"), codes, key=AREA,
                    format_func=lambda x: reference.FYRBODAL_NAME if x == "fyrbodal" else ctx.names["municipality"].get(x, x))
        b.selectbox(ctx.t("brief.period"), list(periods), key=PERIOD, format_func=lambda k: period_label(ctx, k))
        c.toggle(ctx.t("brief.presentation"), key=PRESENTATION, help=ctx.t("brief.presentation_help"))
    area, period = st.session_state[AREA], st.session_state[PERIOD]
    page_params.write({"omrade": (area, "fyrbodal"), "period": (period, default),
                       "presentation": ("1" if st.session_state[PRESENTATION] else "", "")})
    return briefing_inputs.area_codes(area), period, bool(st.session_state[PRESENTATION])


def headline(ctx: state.Context, b: briefing.Briefing, population: int | None) -> None:
    lines = briefing_text.headline(b, ctx.lang, population)
    for column, line in zip(st.columns(len(lines)), lines):
        with column:
            st.metric(line.label, line.value, border=True)
            st.caption(line.explanation)


def top_chart(ctx: state.Context, b: briefing.Briefing, names: briefing_text.Names) -> go.Figure:
    items = briefing_text.top(b, ctx.lang, names)[::-1]
    fig = go.Figure(go.Bar(x=[v for _, v in items], y=[n for n, _ in items], orientation="h", marker_color="#0072B2",
                           name=ctx.t("chart.persons"),
                           text=[int(v) for _, v in items], textposition="outside", cliponaxis=False),  # the largest's figure whole
                    layout={"height": 90 + 44 * max(len(items), 1), "font": {"size": FONT_SIZE + 1},
                            "margin": {"l": 10, "r": 50, "t": 10, "b": 10}, "xaxis": {"visible": False}})
    return fig


def top_table(ctx: state.Context, b: briefing.Briefing, names: briefing_text.Names) -> pd.DataFrame:
    """The top competences' chart as a table, largest first."""
    return pd.DataFrame(briefing_text.top(b, ctx.lang, names), columns=[ctx.t("chart.competence"), ctx.t("chart.persons")])


def need_type_chart(ctx: state.Context, b: briefing.Briefing) -> go.Figure | None:
    lines = briefing_text.need_types(b, ctx.lang)
    values = [b.headline[k].shown for k in ("recruitment", "upskilling")]
    if any(v is None for v in values):
        return None
    colours = ["#E69F00", "#0072B2"]
    traces = [go.Bar(x=[v], y=[""], orientation="h", name=ln.label, marker_color=c, text=[ln.value], textposition="inside")
              for v, ln, c in zip(values, lines, colours)]
    return go.Figure(traces, layout={"barmode": "stack", "height": 140, "font": {"size": FONT_SIZE + 1},
                                     "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "xaxis": {"visible": False},
                                     "legend": {"orientation": "h", "y": -0.2}})


@dataclass(frozen=True)
class Figures:
    """The brief's charts, made once per (register revision, area, period, language) and shown by every session
    (``SharedFigure``s, never changed): plotly's figures were a third of the page's rerun (issue 35)."""

    top: go.Figure | None  # the largest competences (None when none is shown)
    need_types: go.Figure | None  # recruitment against upskilling (None when one of them is protected)
    map: go.Figure  # the thumbnail map


def figures(ctx: state.Context, area: list[str], period: tuple[str, str]) -> Figures:
    return _figures(ctx.url, ctx.revision, tuple(area), period, ctx.lang, clock.today(), ctx)


@shared(max_entries=64)
def _figures(url: str, rev: str, area: tuple[str, ...], period: tuple[str, str], lang: str, today: dt.date,
             _ctx: state.Context) -> Figures:
    """``_ctx``: a context in ``lang`` (its words and names, which the language decides)."""
    b, data = _brief(url, rev, area, period, today), loaders.briefing_inputs(url, rev)
    top = top_chart(_ctx, b, names(lang, list(area))) if b.top else None
    types = need_type_chart(_ctx, b)
    return Figures(None if top is None else SharedFigure(top), None if types is None else SharedFigure(types),
                   SharedFigure(map_figure(_ctx, b, data.outlines, data.population)))


def map_table(ctx: state.Context, b: briefing.Briefing, outlines: dict[str, list], population: dict[str, int]) -> pd.DataFrame:
    """The thumbnail map as a table: each municipality's figure and its class (the mark its name carries)."""
    values, cls, classes = briefing.map_figures(b, outlines, population)
    ranges = dict(zip(legend_marks(classes), (label for _, label in legend_entries(classes, ctx.lang))))
    rows = [[ctx.names["municipality"].get(code, code),
             briefing_text.HIDDEN if np.isnan(values[code]) else formatting.metric("per_1000", values[code], ctx.lang),
             f"{mark_of(int(cls[code]))}: {ranges.get(mark_of(int(cls[code])), '')}"] for code in values.index]
    return pd.DataFrame(sorted(rows), columns=[ctx.t("map.municipality"), ctx.t("metric.per_1000"), ctx.t("chart.class")])


def map_figure(ctx: state.Context, b: briefing.Briefing, outlines: dict[str, list], population: dict[str, int]) -> go.Figure:
    """The thumbnail as filled polygons on plain axes (no geo chart: plotly's would fetch map data from a CDN)."""
    values, cls, classes = briefing.map_figures(b, outlines, population)
    traces, marks = [], []
    for code, rings in outlines.items():
        chosen = code in b.area_codes and len(b.area_codes) == 1
        x, y = briefing.mark_point(rings)  # the class's mark on the municipality: not by colour alone
        marks.append({"x": x, "y": y, "text": f"<b>{mark_of(int(cls[code]))}</b>", "showarrow": False, "font": {"size": 13, "color": "#000"},
                      "bgcolor": "rgba(255,255,255,0.8)"})
        value = values[code]
        tip = f"{ctx.names['municipality'].get(code, code)}: " + (briefing_text.HIDDEN if np.isnan(value)
                                                                  else formatting.metric("per_1000", value, ctx.lang))
        for ring in rings:
            xs, ys = zip(*ring)
            traces.append(go.Scatter(x=xs, y=ys, fill="toself", mode="lines", fillcolor=colour_of(int(cls[code]), classes),
                                     line={"color": "#000", "width": 3 if chosen else 0.6}, hoverinfo="text", text=tip,
                                     hoveron="fills", showlegend=False))
    return go.Figure(traces, layout={"height": 420, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                                     "xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x"},
                                     "plot_bgcolor": "#ffffff", "annotations": marks})


def table(rows: list[list[str]], header: list[str]) -> None:
    st.table(pd.DataFrame(rows, columns=header), border="horizontal")


@st.cache_data(show_spinner=False, max_entries=64)
def document(url: str, rev: str, area: tuple[str, ...], period: tuple[str, str], lang: str, kind: str, today: dt.date) -> bytes:
    data = loaders.briefing_inputs(url, rev)
    brief = briefing_inputs.make(data, list(area), period)
    renderer = report_pptx if kind == "pptx" else report_pdf
    return renderer.render(brief, briefing_inputs.names(lang, list(area)), lang, data.meta, data.population, data.outlines, today)
