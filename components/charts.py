"""Plotly figures for the pages: readable on a projector, colour-blind-safe, labelled in the UI language.

Built with ``graph_objects`` (one trace per need type) rather than ``plotly.express``, which
costs about ten times as much per figure on every rerun. Plain plotly charts need nothing from
the internet (Streamlit bundles plotly.js).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import loaders
from components.state import Context
from core.analysis import overview as analysis
from core.common import formatting
from core.common.i18n import t
from core.common.models import NeedType
from core.common.text import literal

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
NEED_TYPE_COLOURS = {NeedType.RECRUITMENT.value: "#E69F00", NeedType.UPSKILLING.value: "#0072B2"}
FONT_SIZE = 15


@dataclass(frozen=True)
class Words:
    """What a figure says and in which language: a context's words without its rows, so that a figure made once can
    be handed to every session that shows it (a cache key: ``persons_by``, ``over_time``,
    ``components.public.view.bar_chart``)."""

    lang: str
    is_demo: bool

    @classmethod
    def of(cls, ctx: Context) -> Words:
        return cls(ctx.lang, ctx.is_demo)

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    @property
    def names(self) -> dict[str, dict[str, str]]:
        return loaders.names(self.lang)


def _stacked(ctx: Context | Words, frame: pd.DataFrame, category: str, horizontal: bool) -> list[dict]:
    """One bar trace per need type over ``category``, in the frame's category order."""
    order = list(dict.fromkeys(frame[category]))
    traces = []
    for code, colour in NEED_TYPE_COLOURS.items():
        part = frame[frame["need_type"] == code].set_index(category)["persons"].reindex(order, fill_value=0).tolist()
        bar = {"x": part, "y": order, "orientation": "h"} if horizontal else {"x": order, "y": part}
        traces.append({"type": "bar", "name": ctx.t(f"need_type.{code}"), "marker": {"color": colour}, **bar})
    return traces


class SharedFigure(go.Figure):
    """A figure made once and shown by every session (the cached builders': ``persons_by``, ``over_time``,
    ``components.public.view.bar_chart``), never changed once made. ``st.plotly_chart`` asks a figure for its dict on
    every run, and plotly makes it by a deep copy of the whole figure (~0.5 ms a chart, three on Översikt: issue 35):
    here it is made once and the same dict handed out (read-only: Streamlit only turns it into JSON)."""

    def to_dict(self) -> dict:
        made = self.__dict__.get("_shared_dict")
        if made is None:
            made = self.__dict__["_shared_dict"] = super().to_dict()
        return made


def bar_figure(ctx: Context | Words, traces: list[dict], height: int, xaxis: dict, yaxis: dict,
               shared: bool = False) -> go.Figure:
    """The figure in one constructor call: plotly validates once instead of per update. ``shared``: a
    ``SharedFigure``, for a figure made once and shown by every session (not to be changed after)."""
    layout = {
        "barmode": "stack",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 50 if ctx.is_demo else 10},
        "font": {"size": FONT_SIZE},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        "xaxis": xaxis,
        "yaxis": yaxis,
    }
    if ctx.is_demo:  # below the x axis title, clear of the legend
        layout["annotations"] = [{
            "text": ctx.t("demo.label"), "xref": "paper", "yref": "paper", "x": 1, "y": 0, "yshift": -40,
            "showarrow": False, "font": {"size": 12, "color": "#555"}, "xanchor": "right", "yanchor": "top",
        }]
    return (SharedFigure if shared else go.Figure)({"data": traces, "layout": layout})


def persons_by(ctx: Context, column: str, top: int | None, axis_key: str) -> go.Figure:
    """Horizontal stacked bars of persons per competence or industry group, largest on top: made once per selection
    and words, shared by the sessions that show it (read-only: ``st.plotly_chart`` does not change a figure)."""
    return ctx.selection.derive(_persons_by, column, top, axis_key, Words.of(ctx))


def _persons_by(selected: pd.DataFrame, column: str, top: int | None, axis_key: str, ctx: Words) -> go.Figure:
    frame = analysis.persons_by(selected, column, top)
    frame = frame.assign(label=frame[column].astype(str).map(ctx.names[column]))
    rows = frame["label"].nunique()
    return bar_figure(
        ctx, _stacked(ctx, frame, "label", horizontal=True), 120 + 28 * max(rows, 3),
        {"title": {"text": ctx.t("chart.persons")}},
        {"title": {"text": ctx.t(axis_key)}, "autorange": "reversed"}, shared=True,
    )


def over_time(ctx: Context) -> go.Figure:
    """Stacked bars of persons per quarter (made once per selection and words, as ``persons_by``)."""
    return ctx.selection.derive(_over_time, Words.of(ctx))


def _over_time(selected: pd.DataFrame, ctx: Words) -> go.Figure:
    traces = _stacked(ctx, analysis.persons_over_time(selected), "quarter", horizontal=False)
    return bar_figure(
        ctx, traces, 380,
        {"title": {"text": ctx.t("chart.quarter")}, "type": "category"},
        {"title": {"text": ctx.t("chart.persons")}}, shared=True,
    )


def show(ctx: Context, fig: go.Figure, key: str, table: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
         **chart_options):
    """A chart, and under it its figures as a table behind an expander: the text alternative a screen reader (or a
    reader who cannot tell the colours apart) reaches. ``table`` (a frame, or what makes one): made from the figure's
    own traces unless given; made and sent only while its expander is open (``as_table``)."""
    event = st.plotly_chart(fig, key=key, **chart_options)
    as_table(ctx.lang, (lambda: figure_table(fig)) if table is None else table, key=f"{key}{TABLE_SUFFIX}")
    return event


TABLE_SUFFIX = "_as_table"  # a chart's table expander is keyed by the chart's key and this


def as_table(lang: str, table: pd.DataFrame | Callable[[], pd.DataFrame], label: str = "chart.as_table",
             key: str | None = None) -> None:
    """The figures of a chart or map as a plain HTML table (st.table: a screen reader reads it as a table; a data
    grid is drawn on a canvas) behind an expander. Its cells are markdown in st.table: text is escaped.

    The table is made (``table`` may be what makes it) and sent only while the reader has the expander open: it
    opens with a rerun (``on_change``), and a rerun with it closed pays nothing for it (every chart's table was built
    and turned into Arrow on every run, shown or not: issue 35). ``key``: the expander's (``label`` unless given)."""
    box = st.expander(t(lang, label), icon=":material/table_view:", key=key or f"{label}{TABLE_SUFFIX}", on_change="rerun")
    if box.open:
        frame = table() if callable(table) else table
        box.table(frame.map(lambda v: literal(as_written(v, lang))), border="horizontal", hide_index=True)


def as_written(value: object, lang: str) -> str:
    """A figure as the page writes it (40, 1 234, 4,5 in Swedish), text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return formatting.decimal(value, lang)
    return formatting.integer(int(value), lang)


def _number(value) -> object:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """A bar chart's figures as a table: a row per category (in the chart's order), a column per trace (its legend
    name), the category column named by the category axis's title. A heatmap: its rows and columns. Any other
    chart raises: give ``show`` its table."""
    traces = list(fig.data)
    if traces and all(tr.type == "heatmap" for tr in traces):
        heat = traces[0]
        return pd.DataFrame([[str(y), *(_number(v) for v in row)] for y, row in zip(heat.y, heat.z)],
                            columns=[" ", *(str(x) for x in heat.x)])
    if not traces or any(tr.type != "bar" for tr in traces):
        raise TypeError(f"no table for a chart of {sorted({tr.type for tr in traces})}: pass one to charts.show")
    horizontal = traces[0].orientation == "h"
    axis = fig.layout.yaxis if horizontal else fig.layout.xaxis
    heading = (axis.title.text if axis.title is not None else None) or " "
    columns: dict[str, dict] = {}
    order: list = []
    for number, trace in enumerate(traces):
        categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        order += [c for c in categories if c not in order]
        columns[trace.name or str(number + 1)] = dict(zip(categories, values))
    if horizontal and axis.autorange != "reversed":
        order = order[::-1]  # plotly draws a horizontal bar chart's first category at the bottom: the table reads top down
    rows = [[str(c), *(_number(col.get(c)) for col in columns.values())] for c in order]
    table = pd.DataFrame(rows, columns=[heading, *columns])
    return table.iloc[:, 1:] if all(str(c) == "" for c in order) else table  # one unnamed bar: its parts only
