"""Plotly figures for the pages: readable on a projector, colour-blind-safe, labelled in the UI language.

Plain plotly charts need nothing from the internet (Streamlit bundles plotly.js).
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go

from components.state import Context
from core import analysis
from core.models import NeedType

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
NEED_TYPE_COLOURS = {NeedType.RECRUITMENT.value: "#E69F00", NeedType.UPSKILLING.value: "#0072B2"}
FONT_SIZE = 15


def _need_type_colours(ctx: Context) -> dict[str, str]:
    return {ctx.t(f"need_type.{code}"): colour for code, colour in NEED_TYPE_COLOURS.items()}


def _finish(fig: go.Figure, ctx: Context, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"size": FONT_SIZE},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
    )
    if ctx.is_demo:  # below the x axis title, clear of the legend
        fig.add_annotation(
            text=ctx.t("demo.label"), xref="paper", yref="paper", x=1, y=0, yshift=-40,
            showarrow=False, font={"size": 12, "color": "#555"}, xanchor="right", yanchor="top",
        )
        fig.update_layout(margin={"b": 50})
    return fig


def persons_by(ctx: Context, column: str, top: int | None, axis_key: str) -> go.Figure:
    """Horizontal stacked bars of persons per competence or industry group, largest on top."""
    frame = analysis.persons_by(ctx.selected, column, top)
    labels = ctx.names[column]
    frame = frame.assign(
        label=frame[column].astype(str).map(labels),
        need_type=frame["need_type"].astype(str).map(lambda c: ctx.t(f"need_type.{c}")),
    )
    order = list(dict.fromkeys(frame["label"]))
    fig = px.bar(
        frame, x="persons", y="label", color="need_type", orientation="h",
        category_orders={"label": order}, color_discrete_map=_need_type_colours(ctx),
        labels={"persons": ctx.t("chart.persons"), "label": ctx.t(axis_key), "need_type": ctx.t("chart.need_type")},
    )
    return _finish(fig, ctx, height=120 + 28 * max(len(order), 3))


def over_time(ctx: Context) -> go.Figure:
    frame = analysis.persons_over_time(ctx.selected)
    frame = frame.assign(need_type=frame["need_type"].astype(str).map(lambda c: ctx.t(f"need_type.{c}")))
    fig = px.bar(
        frame, x="quarter", y="persons", color="need_type", color_discrete_map=_need_type_colours(ctx),
        labels={"persons": ctx.t("chart.persons"), "quarter": ctx.t("chart.quarter"), "need_type": ctx.t("chart.need_type")},
    )
    fig.update_xaxes(type="category")
    return _finish(fig, ctx, height=380)


