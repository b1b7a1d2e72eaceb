"""What the protected pages show: figures read from the public release, never from rows.

A hidden cell is shown as "skyddad"/"protected", lists and charts rank only the shown cells, and
nothing says where a hidden one would stand (that would bound it).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from components import charts, loaders
from components.charts import Words, bar_figure
from components.memo import shared
from components.public import outlook as outlook_view
from components.state import Context
from core.analysis import supply
from core.common import clock, formatting
from core.common.models import NeedType
from core.disclosure.release import DIMENSIONS, PublicView, Release, release_quarters
from core.exchange.export import excel_csv

BAR = "#0072B2"


def number(ctx: Context, value: float | None) -> str:
    return ctx.t("public.protected") if value is None or value != value else formatting.integer(int(value), ctx.lang)


def headline(ctx: Context) -> dict[str, float | None]:
    r, v = ctx.release, ctx.view
    persons = r.persons(v)
    up = None if v.dim else r.value(v.year, "persons", "need_type", v.where, NeedType.UPSKILLING.value)
    now, before = r.compared(v, quarters(ctx))
    return {
        "persons": persons,
        "companies": None if v.dim else r.value(v.year, "companies", "total", v.where),
        "needs": None if v.dim else r.value(v.year, "needs", "total", v.where),
        "upskilling_share": up / persons if up is not None and persons else None,
        "change": (now.shown - before.shown) / before.shown if now.shown is not None and before.shown else None,
        "previous": before.shown,
    }


def quarters(ctx: Context) -> tuple[int, ...]:
    """The quarters a change compares (the same quarters of the year before, complete and covered)."""
    return release_quarters(ctx.release, ctx.view.year, clock.today())


def change_help(ctx: Context) -> str:
    """Which spans a change compares, in words."""
    q = quarters(ctx)
    if not q:
        return ctx.t("public.change_none", year=ctx.view.year)
    return ctx.t("public.change_help", now=formatting.quarters_text(ctx.view.year, q, ctx.lang),
                 before=formatting.quarters_text(ctx.view.year - 1, q, ctx.lang))


def kpi_row(ctx: Context) -> None:
    h = headline(ctx)
    lang = ctx.lang
    focus_note = ctx.t("public.focus_only_persons") if ctx.view.dim else None
    def counted(value: float | None) -> str:  # not published per focus: a dash, not "protected"
        return "–" if ctx.view.dim else number(ctx, value)

    share = h["upskilling_share"]
    tiles = [
        ("kpi.persons", number(ctx, h["persons"]), ctx.t("kpi.persons_help")),
        ("kpi.companies", counted(h["companies"]), focus_note or ctx.t("kpi.companies_help")),
        ("kpi.needs", counted(h["needs"]), focus_note or ctx.t("kpi.needs_help")),
        ("kpi.upskilling_share", formatting.percent(share, lang) if share is not None else counted(None),
         focus_note or ctx.t("kpi.upskilling_share_help")),
        ("public.change", formatting.signed_percent(h["change"], lang) if h["change"] is not None else "–",
         change_help(ctx)),
    ]
    for column, (key, value, help_text) in zip(st.columns(len(tiles)), tiles):
        column.metric(ctx.t(key), value, help=help_text, border=True)


def shown(release: Release, view: PublicView, dim: str) -> tuple[pd.DataFrame, int]:
    """The shown non-zero cells of one breakdown (largest first) and how many non-zero ones are hidden."""
    frame = release.breakdown(view.year, dim, view.where)
    hidden = int(frame["persons"].isna().sum())
    visible = frame[frame["persons"].notna() & (frame["persons"] > 0)]
    return visible.reset_index(drop=True), hidden


def label(ctx: Context | Words, dim: str, value: str, year: int | None = None) -> str:
    if dim == "need_type":
        return ctx.t(f"need_type.{value}")
    if dim == "quarter":
        return f"{year if year is not None else ctx.view.year} {value}"  # type: ignore[union-attr]  # a Context's
    return ctx.names[dim].get(value, value)


def bar_chart(ctx: Context, dim: str, top: int | None, axis_key: str) -> go.Figure | None:
    """One breakdown of the release as bars: made once per (register revision, view, breakdown, words) and shared by
    every session that shows it (the release is the register revision's, the same for every audience that reads it;
    read-only: ``st.plotly_chart`` does not change a figure)."""
    return _bar_chart(ctx.url, ctx.revision, ctx.view, dim, top, axis_key, Words.of(ctx), ctx.release)


@shared(max_entries=512)
def _bar_chart(url: str, rev: str, view: PublicView, dim: str, top: int | None, axis_key: str, ctx: Words,
               _release: Release) -> go.Figure | None:
    """``_release``: the release of ``url`` at ``rev`` (``loaders.public_release``), not hashed."""
    frame, _ = shown(_release, view, dim)
    if dim == "quarter":
        frame = frame.sort_values("value")
    frame = frame.head(top) if top else frame
    if frame.empty:
        return None
    labels = [label(ctx, dim, v, view.year) for v in frame["value"]]
    horizontal = dim != "quarter"
    values = frame["persons"].tolist()
    bar = {"x": values, "y": labels, "orientation": "h"} if horizontal else {"x": labels, "y": values}
    trace = {"type": "bar", "name": ctx.t("chart.persons"), "marker": {"color": BAR}, **bar}
    axes = ({"title": {"text": ctx.t("chart.persons")}}, {"title": {"text": ctx.t(axis_key)}, "autorange": "reversed"})
    if not horizontal:
        axes = ({"title": {"text": ctx.t(axis_key)}, "type": "category"}, {"title": {"text": ctx.t("chart.persons")}})
    height = 120 + 28 * max(len(labels), 3) if horizontal else 360
    return bar_figure(ctx, [trace], height, *axes, shared=True)


def chart(ctx: Context, dim: str, top: int | None, axis_key: str, key: str) -> None:
    fig = bar_chart(ctx, dim, top, axis_key)
    if fig is None:
        st.info(ctx.t("public.all_protected"), icon=":material/visibility_off:")
    else:
        charts.show(ctx, fig, key)


def table(ctx: Context) -> pd.DataFrame:
    """Every published cell of the view's area and year: breakdown, value, persons (or protected)."""
    rows = []
    for dim in DIMENSIONS:
        frame = ctx.release.breakdown(ctx.view.year, dim, ctx.view.where)
        for value, persons in zip(frame["value"], frame["persons"]):
            rows.append({ctx.t("public.col_year"): ctx.view.year, ctx.t("public.col_area"): ctx.area_label,
                         ctx.t("public.col_dimension"): ctx.t(f"public.dim_{dim}"), ctx.t("public.col_value"): label(ctx, dim, value),
                         ctx.t("chart.persons"): number(ctx, persons)})
    out = pd.DataFrame(rows)
    if ctx.release.through:
        out.insert(0, ctx.t("release.col"), ctx.t("release.named", published=ctx.release.published or "–",
                                                  through=ctx.release.through) + f" ({ctx.release.id})")
    if ctx.is_demo:
        out.insert(0, ctx.t("column.dataset"), ctx.t("demo.label"))
    return out


def table_section(ctx: Context) -> None:
    frame, arrow = _table(ctx.url, ctx.revision, ctx.view, ctx.area_label, Words.of(ctx), ctx)
    st.dataframe(arrow, hide_index=True, width="stretch", height=360)
    suffix = "-exempeldata" if ctx.is_demo else ""
    st.download_button(ctx.t("public.download"), data=lambda: excel_csv(frame), on_click="ignore",
                       file_name=f"kompetensbehov-skyddad-{ctx.view.year}-publicering-{ctx.release.id}{suffix}.csv", mime="text/csv",
                       icon=":material/download:")


@shared(max_entries=256)
def _table(url: str, rev: str, view: PublicView, area_label: str, words: Words, _ctx: Context) -> tuple[pd.DataFrame, pa.Table]:
    """``table`` made once per (register revision, view, area, words), with it as Arrow (what ``st.dataframe`` sends:
    turning the frame into Arrow on every run was most of the table's cost). ``_ctx``: any context of these keys."""
    frame = table(_ctx)
    return frame, pa.Table.from_pandas(frame, preserve_index=False)


def protection_note(ctx: Context) -> None:
    st.caption(ctx.t("public.method_note", year=ctx.view.year))
    if ctx.release.through:
        st.caption(ctx.t("release.source", id=ctx.release.id, published=ctx.release.published or "–",
                         through=ctx.release.through))


def per_municipality(ctx: Context, codes: list[str], population: dict[str, int]) -> pd.DataFrame:
    """The needs map's frame (``core.analysis.municipal.COLUMNS``) from the release: NaN where a figure is protected."""
    r, v = ctx.release, ctx.view
    compared = quarters(ctx)
    rows = {}
    for code in codes:
        persons = r.persons(v, where=code)
        now, before = (c.shown for c in r.compared(v, compared, where=code))
        up = None if v.dim else r.value(v.year, "persons", "need_type", code, NeedType.UPSKILLING.value)
        companies = None if v.dim else r.value(v.year, "companies", "total", code)
        pop = population.get(code)
        nan = float("nan")
        rows[code] = {
            "persons": nan if persons is None else persons,
            "needs": nan,
            "companies": nan if companies is None else companies,
            "upskilling": nan if up is None else up,
            "per_1000": nan if persons is None or not pop else persons / pop * 1000,
            "upskilling_share": up / persons if up is not None and persons else nan,
            "previous": nan if before is None else before,
            "change": (now - before) / before if now is not None and before else nan,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("code")


def area_summary(ctx: Context) -> pd.Series:
    h = headline(ctx)
    pop = sum(loaders.population().get(c, 0) for c in ctx.view.codes)
    per_1000 = h["persons"] / pop * 1000 if h["persons"] is not None and pop else float("nan")
    return pd.Series({"per_1000": per_1000, **{k: (float("nan") if v is None else v) for k, v in h.items()}})


def municipality_panel(ctx: Context, code: str) -> None:
    """One municipality's published breakdowns, for the map's side panel."""
    name = ctx.names["municipality"].get(code, code)
    st.subheader(name)
    local = replace(ctx, view=PublicView(ctx.view.year, (code,), ctx.view.dim, ctx.view.value))
    competence, industry, time = st.tabs([ctx.t("map.tab_competence"), ctx.t("map.tab_industry"), ctx.t("map.tab_time")])
    with competence:
        chart(local, "competence", 5, "chart.competence", "map_competence")
        outlook_view.top_table(local, largest_competences(local, 5), "map_outlook")
    with industry:
        chart(local, "industry_group", None, "chart.industry", "map_industry")
    with time:
        chart(local, "quarter", None, "chart.quarter", "map_time")
    protection_note(ctx)


def demand_by_competence(ctx: Context, where: str | None = None) -> pd.Series:
    return _demand(ctx.release, ctx.view, where)


def _demand(release: Release, view: PublicView, where: str | None = None) -> pd.Series:
    frame = release.breakdown(view.year, "competence", where or view.where)
    if view.dim == "competence":
        frame = frame[frame["value"] == view.value]
    return pd.Series(frame["persons"].to_numpy(float), index=frame["value"].to_numpy(), name="demand")


def largest_competences(ctx: Context, top: int) -> tuple[tuple[str, float], ...]:
    """The view's ``top`` largest shown competences (the outlook's table, ``outlook_view.largest``): made once per
    (register revision, view), not from the release's breakdown on every run."""
    return _largest(ctx.url, ctx.revision, ctx.view, top, ctx.release)


@shared(max_entries=512)
def _largest(url: str, rev: str, view: PublicView, top: int, _release: Release) -> tuple[tuple[str, float], ...]:
    """``_release``: the release of ``url`` at ``rev`` (``loaders.public_release``), not part of the key."""
    return outlook_view.largest(_demand(_release, view), top)


def supply_headline(ctx: Context, table: pd.DataFrame) -> None:
    h = headline(ctx)
    lang = ctx.lang
    tiles = [
        ("supply.kpi_demand", number(ctx, h["persons"])),
        ("supply.kpi_seats", formatting.integer(int(table["seats_reachable"].sum()), lang)),
        ("supply.kpi_distance", formatting.integer(int(table["seats_distance"].sum()), lang)),
        ("supply.kpi_gaps", formatting.integer(int((table["gap"] > 0).sum()), lang)),
    ]
    for column, (key, value) in zip(st.columns(len(tiles)), tiles):
        column.metric(ctx.t(key), value, help=ctx.t(f"{key}_help"), border=True)


def gap_chart(ctx: Context, table: pd.DataFrame, top: int) -> go.Figure | None:
    rows = table[table["demand"].notna() & (table["demand"] > 0)].head(top).iloc[::-1]
    if rows.empty:
        return None
    names = [ctx.names["competence"].get(c, c) for c in rows["competence"]]
    traces = [
        {"type": "bar", "y": names, "x": rows["demand"].tolist(), "name": ctx.t("supply.col_demand"), "orientation": "h",
         "marker": {"color": BAR}},
        {"type": "bar", "y": names, "x": rows["seats_reachable"].tolist(), "name": ctx.t("supply.seats_bar"),
         "orientation": "h", "marker": {"color": "#009E73"}},
    ]
    fig = bar_figure(ctx, traces, 120 + 32 * len(rows), {"title": {"text": ctx.t("supply.axis_persons")}}, {})
    fig.update_layout(barmode="group")
    return fig


def gap_matrix(ctx: Context, offers: pd.DataFrame, reach: dict[str, set[str]], codes: list[str], competences: list[str]) -> pd.DataFrame:
    """The heatmap's competence x municipality gaps from the release (NaN where the demand is protected)."""
    demand = pd.DataFrame({code: demand_by_competence(ctx, code).reindex(competences, fill_value=0.0) for code in codes})
    return demand - supply.seats_near(offers, reach, codes, competences)


def gap_rows(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """The gap table for the public: competences with demand (shown or protected) or seats, protected
    figures spelt out; need types and horizons per competence are not published."""
    keep = table["demand"].isna() | (table["demand"] > 0) | (table["seats_reachable"] > 0) | (table["seats_distance"] > 0)
    rows = table[keep].drop(columns=[c for c in table.columns if c.startswith("h_") or c in ("recruitment", "upskilling")])
    for column in ("demand", "gap"):
        rows[column] = [number(ctx, v) for v in rows[column]]
    return rows
