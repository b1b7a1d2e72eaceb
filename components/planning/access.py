"""Pendling och lärcentra: controls, the access computation for the page, charts and tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from components import loaders, page_params, state
from components.charts import FONT_SIZE, SharedFigure
from components.maps import access as access_map
from components.maps import offline
from components.memo import shared
from components.public import supply as supply_view
from core.common import clock, formatting
from core.exchange.export import excel_csv
from data import reference
from geo import access

MODES = ("car", "pt")
LIMITS = ("30", "45", "60")
DEFAULT_LIMIT = "30"  # at 45 min by car nearly everyone in Fyrbodal reaches some centre; 30 shows where it is thin
KINDS = ("komvux", "learning_centre", "university")
DEFAULT_KINDS = ["komvux", "learning_centre"]
ANY = ""


@dataclass(frozen=True)
class AccessView:
    mode: str
    limit: int
    competence: str  # "" for any learning centre
    kinds: tuple[str, ...]
    what_if: str  # place id of an added centre, or ""


def controls(ctx: state.Context, codes: list[str]) -> AccessView:
    places = _area_places(codes)
    competences = reference.competences()["code"].tolist()
    page_params.load(state.TRAVEL_MODE, "mode", MODES, "car")
    page_params.load(state.ACCESS_LIMIT, "minuter", LIMITS, DEFAULT_LIMIT)
    page_params.load(state.ACCESS_COMPETENCE, "kompetens", competences, ANY)
    page_params.load(state.ACCESS_WHAT_IF, "nytt", places["place_id"].tolist(), "")
    page_params.warn_ignored(lambda p, v: ctx.t("map.url_ignored", param=p, value=v))
    if st.session_state[state.ACCESS_WHAT_IF] not in ("", *places["place_id"]):
        st.session_state[state.ACCESS_WHAT_IF] = ""
    st.session_state.setdefault(state.ACCESS_KINDS, DEFAULT_KINDS)
    names = loaders.place_names()
    a, b, c = st.columns([1, 1, 2])
    a.radio(ctx.t("travel.mode"), MODES, key=state.TRAVEL_MODE, horizontal=True, format_func=lambda m: ctx.t(f"travel.mode_{m}"))
    b.radio(ctx.t("access.limit"), LIMITS, key=state.ACCESS_LIMIT, horizontal=True, format_func=lambda m: f"{m} min")
    c.selectbox(ctx.t("access.competence"), (ANY, *competences), key=state.ACCESS_COMPETENCE,
                format_func=lambda x: ctx.names["competence"].get(x, x) if x else ctx.t("access.any_centre"),
                help=ctx.t("access.competence_help"))
    d, e = st.columns([2, 2])
    d.multiselect(ctx.t("access.kinds"), KINDS, key=state.ACCESS_KINDS, format_func=lambda k: ctx.t(f"centre_kind.{k}"),
                  disabled=bool(st.session_state[state.ACCESS_COMPETENCE]), help=ctx.t("access.kinds_help"))
    e.selectbox(ctx.t("access.what_if"), ("", *places["place_id"]), key=state.ACCESS_WHAT_IF,
                format_func=lambda p: names.get(p, p) if p else ctx.t("access.what_if_none"), help=ctx.t("access.what_if_help"))
    view = AccessView(st.session_state[state.TRAVEL_MODE], int(st.session_state[state.ACCESS_LIMIT]),
                      st.session_state[state.ACCESS_COMPETENCE], tuple(st.session_state[state.ACCESS_KINDS]),
                      st.session_state[state.ACCESS_WHAT_IF])
    page_params.write({"mode": (view.mode, "car"), "minuter": (str(view.limit), DEFAULT_LIMIT),
                       "kompetens": (view.competence, ""), "nytt": (view.what_if, "")})
    return view


def _area_places(codes: list[str]) -> pd.DataFrame:
    places = reference.places()
    return places[places["municipality_code"].isin(codes)]


def targets(ctx: state.Context, view: AccessView) -> list[str]:
    """Places with a learning centre of the chosen kinds, or with an on-site offer of the chosen competence."""
    if view.competence:
        return access.offer_places(loaders.offers(ctx.url, ctx.revision), view.competence)
    return access.centre_places(reference.learning_centres(), view.kinds)


@dataclass(frozen=True)
class Result:
    by_place: pd.DataFrame
    by_municipality: pd.DataFrame


def compute(ctx: state.Context, view: AccessView, codes: list[str], extra: str = "") -> Result:
    """Each place's and municipality's times to the targets (with the ``extra`` place, a what-if centre): made once per
    (register revision, view, area, added place, day) and shared read-only (the travel model, the reference places and
    the register's offers decide it, never a session: it was a tenth of a rerun, issue 35)."""
    return _compute(ctx.url, ctx.revision, view, tuple(codes), extra, clock.today(), ctx)


@shared(max_entries=128)
def _compute(url: str, rev: str, view: AccessView, codes: tuple[str, ...], extra: str, today: dt.date,
             _ctx: state.Context) -> Result:
    """``today``: the offers a competence's targets come from are those of the day."""
    matrix = loaders.travel_matrix(url, rev)
    where = targets(_ctx, view) + ([extra] if extra else [])
    by_place = access.places_table(matrix, reference.places(), loaders.place_people(), where)
    by_place = by_place[by_place["municipality_code"].isin(codes)].reset_index(drop=True)
    return Result(by_place, access.municipality_table(by_place, (30, 45, 60)))


def headline(ctx: state.Context, view: AccessView, now: Result, then: Result | None) -> None:
    shares = access.overall(now.by_municipality)
    lang, limit = ctx.lang, view.limit
    tiles = []
    for mode in MODES:
        value = shares[f"share_{mode}_{limit}"]
        delta = None
        if then is not None:
            after = access.overall(then.by_municipality)[f"share_{mode}_{limit}"]
            delta = formatting.signed_percent(after - value, lang) if after != value else None
        tiles.append((ctx.t("access.kpi_share", by=ctx.t(f"travel.by_{mode}"), limit=limit),
                      formatting.percent(value, lang), delta))
    mean = access.mean_minutes(now.by_municipality, view.mode)
    shown = f"{formatting.decimal(mean, lang)} min" if mean == mean else ctx.t("access.unreachable")
    tiles.append((ctx.t("access.kpi_mean", by=ctx.t(f"travel.by_{view.mode}")), shown, None))
    for column, (label, value, delta) in zip(st.columns(len(tiles)), tiles):
        column.metric(label, value, delta=(ctx.t("access.with_new", delta=delta) if delta else None), border=True)


def place_lines(ctx: state.Context, view: AccessView):
    names = loaders.place_names()

    def lines(row) -> list[str]:
        out = [ctx.t("access.tip_people", n=formatting.integer(int(row.population), ctx.lang))]
        for mode in MODES:
            minutes = getattr(row, f"minutes_{mode}")
            target = names.get(getattr(row, f"nearest_{mode}"), "–")
            out.append(ctx.t("access.tip_minutes", mode=ctx.t(f"travel.mode_{mode}"), place=target,
                             minutes=formatting.decimal(minutes, ctx.lang) if np.isfinite(minutes) else "–"))
        return out

    return lines


def centre_markers(ctx: state.Context, view: AccessView) -> list[dict]:
    places = reference.places().set_index("place_id")
    names = loaders.place_names()
    out = []
    for pid in targets(ctx, view):
        out.append({"name": names[pid], "lat": float(places.at[pid, "lat"]), "lon": float(places.at[pid, "lon"]),
                    "added": False, "lines": [_centre_line(ctx, view, pid)]})
    if view.what_if:
        out.append({"name": names[view.what_if], "lat": float(places.at[view.what_if, "lat"]),
                    "lon": float(places.at[view.what_if, "lon"]), "added": True, "lines": [ctx.t("access.added_centre")]})
    return out


def _centre_line(ctx: state.Context, view: AccessView, place_id: str) -> str:
    if view.competence:
        offers = loaders.offers(ctx.url, ctx.revision)
        here = offers[offers["place_id"].eq(place_id) & offers["competence"].eq(view.competence) & offers["form"].ne("distance")]
        named = "; ".join(f"{r['title']} ({supply_view.origin(ctx, r)})" for r in here.head(4).to_dict("records"))
        more = f" (+{len(here) - 4})" if len(here) > 4 else ""  # the tooltip stays small: the rest on Utbud och efterfrågan
        return ctx.t("access.offers_here", competence=ctx.names["competence"].get(view.competence, view.competence)) + (
            f": {named}{more}" if named else "")
    centres = reference.learning_centres()
    here = centres[(centres["place_id"] == place_id) & centres["kind"].isin(view.kinds)]
    return "; ".join(here["name"])


def region_tips(ctx: state.Context, result: Result, view: AccessView) -> dict[str, list[str]]:
    tips = {}
    for row in result.by_municipality.itertuples():
        tips[row.municipality_code] = [
            ctx.t("access.tip_share", mode=ctx.t(f"travel.mode_{mode}"), limit=view.limit,
                  share=formatting.percent(getattr(row, f"share_{mode}_{view.limit}"), ctx.lang))
            for mode in MODES
        ]
    return tips


def legend(ctx: state.Context, view: AccessView) -> None:
    import html

    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:14px;height:14px;border-radius:50%;background:{c};border:1px solid #333;margin-right:6px"></span>'
        f"{html.escape(label)} min</span>"
        for c, label in zip(access_map.CLASS_COLOURS, access_map.class_labels(view.limit))
    )
    centre = (f'<span style="display:inline-flex;align-items:center"><span style="width:12px;height:12px;background:#000;'
              f'margin-right:6px"></span>{html.escape(ctx.t("access.legend_centre"))}</span>')
    title = html.escape(ctx.t("access.legend_title", mode=ctx.t(f"travel.mode_{view.mode}")))
    st.html(f'<div style="font-size:15px"><strong>{title}</strong><br>{items}{centre}</div>')


def coverage_chart(ctx: state.Context, view: AccessView, codes: list[str]) -> go.Figure:
    """``chart``, made once per (register revision, view, area, language, day) and shown by every session."""
    return _coverage_chart(ctx.url, ctx.revision, view, tuple(codes), ctx.lang, clock.today(), ctx)


@shared(max_entries=128)
def _coverage_chart(url: str, rev: str, view: AccessView, codes: tuple[str, ...], lang: str, today: dt.date,
                    _ctx: state.Context) -> go.Figure:
    now = _compute(url, rev, view, codes, "", today, _ctx)
    then = _compute(url, rev, view, codes, view.what_if, today, _ctx) if view.what_if else None
    return SharedFigure(chart(_ctx, view, now, then))


def chart(ctx: state.Context, view: AccessView, now: Result, then: Result | None) -> go.Figure:
    col = f"share_{view.mode}_{view.limit}"
    frame = now.by_municipality.sort_values(col)
    names = [ctx.names["municipality"].get(c, c) for c in frame["municipality_code"]]
    traces = [go.Bar(y=names, x=frame[col] * 100, orientation="h", name=ctx.t("access.now"), marker_color="#0072B2")]
    if then is not None:
        after = then.by_municipality.set_index("municipality_code").loc[frame["municipality_code"], col] * 100
        traces.append(go.Bar(y=names, x=after.to_numpy(), orientation="h", name=ctx.t("access.with_centre"),
                             marker_color="#E69F00"))
    return go.Figure(traces, layout={
        "barmode": "group", "height": 120 + (40 if then is not None else 26) * len(frame), "font": {"size": FONT_SIZE},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 50},
        "xaxis": {"title": {"text": ctx.t("access.axis_share", mode=ctx.t(f"travel.mode_{view.mode}"), limit=view.limit)},
                  "range": [0, 100], "ticksuffix": " %"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    })


def map_table(ctx: state.Context, view: AccessView, result: Result) -> pd.DataFrame:
    """The map as a table (its text alternative): each place with its inhabitants, its time to the nearest learning
    centre and that centre, and the time class its dot's colour shows, the longest times first."""
    names, minutes = loaders.place_names(), result.by_place[f"minutes_{view.mode}"]
    classes = access_map.class_labels(view.limit)
    frame = result.by_place.assign(_m=minutes.where(np.isfinite(minutes))).sort_values("_m", ascending=False, na_position="first")
    return pd.DataFrame({
        ctx.t("access.col_place"): frame["name"].astype(str),
        ctx.t("column.municipality"): frame["municipality_code"].map(ctx.names["municipality"]),
        ctx.t("access.col_people"): frame["population"].round(0).astype(int),
        ctx.t("access.col_minutes", mode=ctx.t(f"travel.mode_{view.mode}")):
            [formatting.decimal(m, ctx.lang) if np.isfinite(m) else "–" for m in frame[f"minutes_{view.mode}"]],
        ctx.t("access.col_nearest"): [names.get(p, "–") for p in frame[f"nearest_{view.mode}"]],
        ctx.t("access.col_class"): [classes[access_map.class_of(m, view.limit)] for m in frame[f"minutes_{view.mode}"]],
    })


def municipality_table(ctx: state.Context, view: AccessView, codes: list[str]) -> None:
    out, arrow = _municipality_table(ctx.url, ctx.revision, view, tuple(codes), ctx.lang, clock.today(), ctx)
    st.dataframe(arrow, hide_index=True, width="stretch")
    st.download_button(ctx.t("access.download"), lambda: excel_csv(out), file_name="tillganglighet-larcentra.csv",  # on a click
                       mime="text/csv", icon=":material/download:", key="access_download", on_click="ignore")


@shared(max_entries=128)
def _municipality_table(url: str, rev: str, view: AccessView, codes: tuple[str, ...], lang: str, today: dt.date,
                        _ctx: state.Context) -> tuple[pd.DataFrame, pa.Table]:
    """The municipalities' table as shown (and as Arrow, what the page sends), made once per its keys and shared."""
    ctx = _ctx
    frame = _compute(url, rev, view, codes, "", today, _ctx).by_municipality
    out = pd.DataFrame({ctx.t("column.municipality"): frame["municipality_code"].map(ctx.names["municipality"]),
                        ctx.t("access.col_population"): frame["population"]})
    for mode in MODES:
        label = ctx.t(f"travel.mode_{mode}")
        out[ctx.t("access.col_mean", mode=label)] = frame[f"mean_{mode}"].round(1)
        for limit in (30, 45, 60):
            out[ctx.t("access.col_share", mode=label, limit=limit)] = (frame[f"share_{mode}_{limit}"] * 100).round(0)
    return out, pa.Table.from_pandas(out, preserve_index=False)


def show_map(ctx: state.Context, view: AccessView, codes: list[str], shown: Result) -> None:
    """The access map of ``shown`` (the view's result, with its added centre if any), rendered once per (register
    revision, area, view, language) and sent again from then on (folium's templates were a quarter of a rerun)."""
    args = _map_args(ctx.url, ctx.revision, tuple(codes), view, ctx.lang, clock.today(), ctx, shown)
    offline.send(args, access_map.MAP_KEY, access_map.HEIGHT, [])


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_args(url: str, rev: str, codes: tuple[str, ...], view: AccessView, lang: str, today: dt.date, _ctx: state.Context,
              _shown: Result) -> dict:
    """``_ctx``, ``_shown``: a context and result of these keys (the offers of the day and travel matrix of ``url`` at
    ``rev``; the places, centres and words follow from the view and the language)."""
    fmap = access_map.build(list(codes), _shown.by_place, view.mode, view.limit, centre_markers(_ctx, view),
                            region_tips(_ctx, _shown, view), place_lines(_ctx, view))
    return offline.component_args(fmap, access_map.MAP_KEY, [])
