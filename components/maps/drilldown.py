"""The needs map's side panel: one municipality against its area and its most similar neighbours,
or, with none selected, the municipalities ranked by the map's measure."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from components import charts, loaders
from components.maps.needs import MapData, format_value
from components.public import outlook as outlook_view
from components.state import Context
from core.analysis import municipal

COMPARED = ("persons", "per_1000", "companies", "upskilling_share", "change")


def missing_label(ctx: Context) -> str | None:
    return ctx.t("public.legend_protected") if ctx.protected else None


def ranking(ctx: Context, data: MapData, metric: str) -> None:
    st.info(ctx.t("map.click_hint"), icon=":material/touch_app:")
    st.markdown(f"**{ctx.t('map.ranking', metric=ctx.t(f'metric.{metric}').lower())}**")
    table = data.once(("ranking", metric, ctx.lang, missing_label(ctx)), lambda: _ranking(ctx, data.frame, metric))
    st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 520))


def _ranking(ctx: Context, frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The municipalities, highest first, in the visitor's words (made once per map data, metric and language)."""
    ordered = frame.sort_values([metric, "persons"], ascending=False, na_position="last")
    names = ctx.names["municipality"]
    return pd.DataFrame({
        ctx.t("map.municipality"): [names.get(c, c) for c in ordered.index],
        ctx.t(f"metric.{metric}"): [format_value(metric, v, ctx.lang, missing_label(ctx)) for v in ordered[metric]],
    })


def _comparison_table(ctx: Context, frame: pd.DataFrame, code: str, similar: list[str], summary: pd.Series) -> pd.DataFrame:
    names = ctx.names["municipality"]
    columns = {names.get(code, code): frame.loc[code], ctx.t("map.area_average", area=ctx.area_label): summary}
    columns |= {names.get(c, c): frame.loc[c] for c in similar}
    rows = {ctx.t(f"metric.{m}"): [format_value(m, col[m], ctx.lang) for col in columns.values()] for m in COMPARED}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(columns)).rename_axis(ctx.t("map.compare")).reset_index()


def comparison(ctx: Context, frame: pd.DataFrame, code: str, summary: pd.Series) -> None:
    """The municipality beside the area's average and its three most similar municipalities."""
    mix = loaders.company_mix(ctx.url, ctx.revision)
    sizes = municipal.sizes(list(frame.index), loaders.population(), mix)
    similar = municipal.similar(code, list(frame.index), mix, sizes)
    st.dataframe(_comparison_table(ctx, frame, code, similar, summary), hide_index=True, width="stretch")
    st.caption(ctx.t("map.similar_caption"))


def panel(ctx: Context, code: str) -> None:
    """What the municipality's companies need: competences, industries, over time."""
    name = ctx.names["municipality"].get(code, code)
    st.subheader(name)
    local = replace(ctx, selection=ctx.selection.part("municipality_code", code))
    if local.selected.empty:
        st.info(ctx.t("map.panel_empty", name=name), icon=":material/filter_alt_off:")
        return
    competence, industry, time = st.tabs([ctx.t("map.tab_competence"), ctx.t("map.tab_industry"), ctx.t("map.tab_time")])
    with competence:
        charts.show(local, charts.persons_by(local, "competence", 5, "chart.competence"), "map_competence")
        outlook_view.top_table(local, outlook_view.largest_selected(local, 5), "map_outlook")
    with industry:
        charts.show(local, charts.persons_by(local, "industry_group", None, "chart.industry"), "map_industry")
    with time:
        charts.show(local, charts.over_time(local), "map_time")
