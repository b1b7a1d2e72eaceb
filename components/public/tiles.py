"""KPI tiles: the headline figures of a selection."""

from __future__ import annotations

import streamlit as st

from components.public import view as public_view
from components.state import Context
from core.analysis import overview as analysis
from core.common import formatting


def kpi_row(ctx: Context) -> None:
    k = ctx.selection.derive(analysis.kpis)
    lang = ctx.lang
    tiles = [
        ("kpi.needs", formatting.integer(k.needs, lang)),
        ("kpi.persons", formatting.integer(k.persons, lang)),
        ("kpi.companies", formatting.integer(k.companies, lang)),
        ("kpi.upskilling_share", formatting.percent(k.upskilling_share, lang)),
        ("kpi.newest", formatting.date(k.newest)),
        ("kpi.oldest", formatting.date(k.oldest)),
    ]
    for row in (tiles[:3], tiles[3:]):
        for column, (key, value) in zip(st.columns(len(row)), row):
            column.metric(ctx.t(key), value, help=ctx.t(f"{key}_help"), border=True)


def map_headline(ctx: Context, per_1000: float) -> None:
    """The area's figures above the map (four large tiles, readable from the back of a room)."""
    lang = ctx.lang
    if ctx.protected:
        h = public_view.headline(ctx)
        share = h["upskilling_share"]
        shown = [public_view.number(ctx, h["persons"]), "–" if ctx.view.dim else public_view.number(ctx, h["companies"])]
    else:
        k = ctx.selection.derive(analysis.kpis)
        share = k.upskilling_share
        shown = [formatting.integer(k.persons, lang), formatting.integer(k.companies, lang)]
    tiles = [
        ("kpi.persons", shown[0], ctx.t("kpi.persons_help")),
        ("kpi.companies", shown[1], ctx.t("kpi.companies_help")),
        ("map.headline_area", formatting.decimal(per_1000, lang), ctx.t("map.population_note")),
        ("kpi.upskilling_share", formatting.percent(share, lang) if share is not None or not ctx.protected
         else "–" if ctx.view.dim else ctx.t("public.protected"), ctx.t("kpi.upskilling_share_help")),
    ]
    for column, (key, value, help_text) in zip(st.columns(len(tiles)), tiles):
        column.metric(ctx.t(key), value, help=help_text, border=True)
