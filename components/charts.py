"""Plotly figures for the pages: readable on a projector, colour-blind-safe, labelled in the UI language.

Built with ``graph_objects`` (one trace per need type) rather than ``plotly.express``, which
costs about ten times as much per figure on every rerun. Plain plotly charts need nothing from
the internet (Streamlit bundles plotly.js).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.state import Context
from core.analysis import overview as analysis
from core.common.models import NeedType

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
NEED_TYPE_COLOURS = {NeedType.RECRUITMENT.value: "#E69F00", NeedType.UPSKILLING.value: "#0072B2"}
FONT_SIZE = 15


def _stacked(ctx: Context, frame: pd.DataFrame, category: str, horizontal: bool) -> list[dict]:
    """One bar trace per need type over ``category``, in the frame's category order."""
    order = list(dict.fromkeys(frame[category]))
    traces = []
    for code, colour in NEED_TYPE_COLOURS.items():
        part = frame[frame["need_type"] == code].set_index(category)["persons"].reindex(order, fill_value=0).tolist()
        bar = {"x": part, "y": order, "orientation": "h"} if horizontal else {"x": order, "y": part}
        traces.append({"type": "bar", "name": ctx.t(f"need_type.{code}"), "marker": {"color": colour}, **bar})
    return traces


def bar_figure(ctx: Context, traces: list[dict], height: int, xaxis: dict, yaxis: dict) -> go.Figure:
    """The figure in one constructor call: plotly validates once instead of per update."""
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
    return go.Figure({"data": traces, "layout": layout})


def persons_by(ctx: Context, column: str, top: int | None, axis_key: str) -> go.Figure:
    """Horizontal stacked bars of persons per competence or industry group, largest on top."""
    frame = ctx.selection.derive(analysis.persons_by, column, top)
    frame = frame.assign(label=frame[column].astype(str).map(ctx.names[column]))
    rows = frame["label"].nunique()
    return bar_figure(
        ctx, _stacked(ctx, frame, "label", horizontal=True), 120 + 28 * max(rows, 3),
        {"title": {"text": ctx.t("chart.persons")}},
        {"title": {"text": ctx.t(axis_key)}, "autorange": "reversed"},
    )


def over_time(ctx: Context) -> go.Figure:
    traces = _stacked(ctx, ctx.selection.derive(analysis.persons_over_time), "quarter", horizontal=False)
    return bar_figure(
        ctx, traces, 380,
        {"title": {"text": ctx.t("chart.quarter")}, "type": "category"},
        {"title": {"text": ctx.t("chart.persons")}},
    )
