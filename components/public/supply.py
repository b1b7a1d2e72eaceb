"""Demand against supply: controls, headline, ranked gaps, heatmap and the drill-down behind a bar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from components import loaders, page_params, state
from components.charts import FONT_SIZE, NEED_TYPE_COLOURS, SharedFigure, Words
from components.memo import shared
from components.public import outlook as outlook_view
from components.public import view as public_view
from core.analysis import outlook, supply
from core.analysis.supply import balance as balance  # the page's figures, made by core
from core.analysis.supply import balance_published as balance_published
from core.analysis.supply import gap_matrix as gap_matrix
from core.analysis.supply import places_in_reach as places_in_reach
from core.common import clock, formatting
from core.common.models import Horizon, NeedType
from core.disclosure.release import PublicView
from core.exchange.export import excel_csv
from core.records import audience
from geo import access

MODES = ("car", "pt")
LIMITS = ("15", "30", "45", "60", "90")
TOP = 15
SEATS_COLOUR = "#009E73"  # Okabe–Ito green, apart from the need types' orange and blue


@dataclass(frozen=True)
class Reach:
    mode: str
    limit: int


def controls(ctx: state.Context) -> Reach:
    page_params.load(state.TRAVEL_MODE, "mode", MODES, "car")
    page_params.load(state.TRAVEL_LIMIT, "minuter", LIMITS, "45")
    page_params.warn_ignored(lambda p, v: ctx.t("map.url_ignored", param=p, value=v))
    left, right = st.columns(2)
    left.radio(ctx.t("travel.mode"), MODES, key=state.TRAVEL_MODE, horizontal=True, format_func=lambda m: ctx.t(f"travel.mode_{m}"))
    right.select_slider(ctx.t("supply.limit"), LIMITS, key=state.TRAVEL_LIMIT, format_func=lambda m: f"{m} min",
                        help=ctx.t("supply.limit_help"))
    reach = Reach(st.session_state[state.TRAVEL_MODE], int(st.session_state[state.TRAVEL_LIMIT]))
    page_params.write({"mode": (reach.mode, "car"), "minuter": (str(reach.limit), "45")})
    return reach


def reach_of(ctx: state.Context, reach: Reach) -> dict[str, set[str]]:
    """Per municipality, the places within the chosen minutes of its central locality."""
    return _reach(ctx.url, ctx.revision, reach)


@shared(max_entries=32)
def _reach(url: str, rev: str, reach: Reach) -> dict[str, set[str]]:
    """``reach_of``, made once per (register revision, reach): the travel matrix of the revision decides it (read-only)."""
    return access.reachable_places(loaders.travel_matrix(url, rev), reach.mode, reach.limit, loaders.home_places())


def area_codes(ctx: state.Context) -> list[str]:
    """The area's municipalities with a central locality; with no area chosen, those the reader's rows come from."""
    homes = loaders.home_places()
    return [c for c in (ctx.codes or loaders.municipality_codes(ctx.url, ctx.revision, audience.scope(ctx.user)))
            if c in homes]


def headline(ctx: state.Context, table: pd.DataFrame) -> None:
    lang = ctx.lang
    tiles = [
        ("supply.kpi_demand", formatting.integer(int(table["demand"].sum()), lang)),
        ("supply.kpi_seats", formatting.integer(int(table["seats_reachable"].sum()), lang)),
        ("supply.kpi_distance", formatting.integer(int(table["seats_distance"].sum()), lang)),
        ("supply.kpi_gaps", formatting.integer(int(((table["gap"] > 0) & (table["demand"] > 0)).sum()), lang)),
    ]
    for column, (key, value) in zip(st.columns(len(tiles)), tiles):
        column.metric(ctx.t(key), value, help=ctx.t(f"{key}_help"), border=True)


def gap_chart(ctx: state.Context, table: pd.DataFrame) -> go.Figure:
    """Demand (stacked by need type) beside reachable seats, for the largest gaps; click a bar to drill down."""
    top = table[table["demand"] > 0].head(TOP).iloc[::-1]
    names = [ctx.names["competence"].get(c, c) for c in top["competence"]]
    traces = [
        go.Bar(y=names, x=top[t.value], name=ctx.t(f"need_type.{t.value}"), orientation="h", offsetgroup="demand",
               marker_color=NEED_TYPE_COLOURS[t.value], customdata=top["competence"])
        for t in NeedType
    ]
    traces.append(go.Bar(y=names, x=top["seats_reachable"], name=ctx.t("supply.seats_bar"), orientation="h",
                         offsetgroup="seats", marker_color=SEATS_COLOUR, customdata=top["competence"]))
    fig = go.Figure(traces, layout={
        "barmode": "relative", "height": 120 + 32 * len(top), "font": {"size": FONT_SIZE},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 60}, "bargap": 0.25,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "xaxis": {"title": {"text": ctx.t("supply.axis_persons")}},
    })
    if ctx.is_demo:
        fig.add_annotation(text=ctx.t("demo.label"), xref="paper", yref="paper", x=1, y=0, yanchor="top", yshift=-40,
                           showarrow=False, font={"size": 12, "color": "#555"}, xanchor="right")
    return fig


def clicked_competence(event) -> str | None:
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else getattr(
        getattr(event, "selection", None), "points", [])
    for point in points or []:
        data = point.get("customdata")
        if data:
            return data if isinstance(data, str) else data[0]
    return None


def heatmap(ctx: state.Context, gaps: pd.DataFrame) -> go.Figure:
    """Competence x municipality: persons in need minus seats within reach (blue: short of seats)."""
    rows = [ctx.names["competence"].get(c, c) for c in gaps.index]
    cols = [ctx.names["municipality"].get(c, c) for c in gaps.columns]
    values = gaps.to_numpy(dtype=float)
    limit = max(1, int(np.nanmax(np.abs(values)))) if np.isfinite(values).any() else 1
    text = [[formatting.integer(int(v), ctx.lang) if v and v == v else "" for v in row] for row in values]  # NaN: protected
    fig = go.Figure(go.Heatmap(
        z=gaps.to_numpy(), x=cols, y=rows, text=text, texttemplate="%{text}", zmin=-limit, zmax=limit, zmid=0,
        colorscale=[[0, "#b35806"], [0.5, "#f7f7f7"], [1, "#2166ac"]],  # ColorBrewer PuOr ends: seats to spare ← → short
        colorbar={"title": {"text": ctx.t("supply.heat_scale")}},
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
    ), layout={"height": 140 + 30 * len(rows), "font": {"size": FONT_SIZE - 2}, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
               "yaxis": {"autorange": "reversed"}, "xaxis": {"side": "top"}})
    return fig


@dataclass(frozen=True)
class Published:
    """The public's supply page for one (register revision, view, travel mode and limit, area, day, language): made
    once and shown by every visitor of it (its tables and figures were three quarters of a public rerun, py-spy,
    issue 35). Nobody changes it: the figures are ``SharedFigure``s, the frames read only."""

    table: pd.DataFrame  # ``balance_published``: per competence, the release's persons beside the seats
    chart: go.Figure | None  # the largest gaps (None when every figure of them is protected)
    shown: pd.DataFrame  # the gap table as shown (its CSV is made of it on a click)
    heat: go.Figure | None  # competence x municipality (None when no competence has a shown demand)


def published(ctx: state.Context, reach: Reach, codes: list[str], offers: pd.DataFrame,
              reach_by_code: dict[str, set[str]]) -> Published:
    """``offers`` and ``reach_by_code``: the register's offers today and the places in ``reach`` (which the keys decide)."""
    return _published(ctx.url, ctx.revision, ctx.view, reach.mode, reach.limit, tuple(codes), clock.today(), ctx.lang,
                      ctx, offers, reach_by_code)


@shared(max_entries=128)
def _published(url: str, rev: str, view: PublicView, mode: str, limit: int, codes: tuple[str, ...], today: dt.date,
               lang: str, _ctx: state.Context, _offers: pd.DataFrame, _reach: dict[str, set[str]]) -> Published:
    table = balance_published(public_view.demand_by_competence(_ctx), _offers, _reach, list(codes))
    chart = public_view.gap_chart(_ctx, table, TOP)
    top = table[table["demand"].notna() & (table["demand"] > 0)]["competence"].head(TOP).tolist()
    heat = heatmap(_ctx, public_view.gap_matrix(_ctx, _offers, _reach, list(codes), top)) if top else None
    return Published(table, None if chart is None else SharedFigure(chart), gap_shown(_ctx, public_view.gap_rows(_ctx, table)),
                     None if heat is None else SharedFigure(heat))


@dataclass(frozen=True)
class SupplyWords(Words):
    """A context's words and register, without its rows: what the signed-in page's tables and figures say (a key of
    ``Selection.derive``, which the selection's own key completes)."""

    url: str = ""
    revision: str = ""

    @classmethod
    def of(cls, ctx: state.Context) -> SupplyWords:
        return cls(ctx.lang, ctx.is_demo, ctx.url, ctx.revision)


def selected(ctx: state.Context, reach: Reach, codes: list[str]) -> Published:
    """The signed-in page's table and figures of the selection, made once per (selection, travel reach, area, day,
    words) and shared by the reruns and sessions that show that selection (``Selection.derive``; a selection is never
    shared across scopes)."""
    return ctx.selection.derive(_selected, SupplyWords.of(ctx), reach, tuple(codes), clock.today(), ctx.filters.competences)


def _selected_offers(words: SupplyWords, competences: tuple[str, ...]) -> pd.DataFrame:
    offers = loaders.offers(words.url, words.revision)
    return offers[offers["competence"].isin(competences)] if competences else offers


def _selected(needs: pd.DataFrame, words: SupplyWords, reach: Reach, codes: tuple[str, ...], today: dt.date,
              competences: tuple[str, ...]) -> Published:
    """``today``: the day's offers (``loaders.offers``); ``competences``: the filter's, the offers shown."""
    offers, places = _selected_offers(words, competences), _reach(words.url, words.revision, reach)
    table = balance(needs, offers, places, list(codes))
    top = table[table["demand"] > 0]["competence"].head(TOP).tolist()
    heat = heatmap(words, gap_matrix(needs, offers, places, list(codes), top)) if top else None
    return Published(table, SharedFigure(gap_chart(words, table)), gap_shown(words, table),
                     None if heat is None else SharedFigure(heat))


def selected_white_spots(ctx: state.Context, reach: Reach, codes: list[str]) -> tuple[pd.DataFrame, pa.Table]:
    """The white spots of the selection's demand (``white_spots``) and their table as shown, made once per (selection,
    travel limit, area, day, words)."""
    return ctx.selection.derive(_selected_white_spots, SupplyWords.of(ctx), reach.limit, tuple(codes), clock.today(),
                                ctx.filters.competences)


def _selected_white_spots(needs: pd.DataFrame, words: SupplyWords, limit: int, codes: tuple[str, ...], today: dt.date,
                          competences: tuple[str, ...]) -> tuple[pd.DataFrame, pa.Table]:
    table = _white_spots(words.url, words.revision, codes, limit, today, outlook_view.persons_of_rows(needs),
                         _selected_offers(words, competences))
    return table, pa.Table.from_pandas(white_table(words, table, limit), preserve_index=False)


def gap_shown(ctx: state.Context, table: pd.DataFrame) -> pd.DataFrame:
    """The gap table in the reader's words, with the barometer's picture of each competence."""
    labels = {
        "competence": ctx.t("column.competence"), "recruitment": ctx.t("need_type.recruitment"),
        "upskilling": ctx.t("need_type.upskilling"), "demand": ctx.t("supply.col_demand"),
        "seats_reachable": ctx.t("supply.col_seats"), "offers_reachable": ctx.t("supply.col_offers"),
        "seats_distance": ctx.t("supply.col_distance"), "gap": ctx.t("supply.col_gap"),
    } | {f"h_{h.value}": ctx.t(f"horizon.{h.value}") for h in Horizon}
    signals = loaders.outlook_signals(ctx.url, ctx.revision)
    markers = [outlook.marker(signals.get(c), ctx.t) for c in table["competence"]]
    shown = table.assign(competence=table["competence"].map(lambda c: ctx.names["competence"].get(c, c)))
    shown.insert(1, "af_situation", [m[0] for m in markers])
    shown.insert(2, "af_prognosis", [m[1] for m in markers])
    labels |= {"af_situation": ctx.t("outlook.col_situation"), "af_prognosis": ctx.t("outlook.col_prognosis")}
    return shown.rename(columns=labels)


def show_gap_table(ctx: state.Context, shown: pd.DataFrame) -> None:
    st.dataframe(shown, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(shown)))
    st.caption(ctx.t("outlook.caption", round=loaders.outlook_round(ctx.url, ctx.revision)) + " " + outlook_view.source_line(ctx))
    name = "utbud-och-efterfragan-exempeldata.csv" if ctx.is_demo else "utbud-och-efterfragan.csv"
    st.download_button(ctx.t("supply.download"), lambda: excel_csv(shown), file_name=name, mime="text/csv",  # on a click
                       icon=":material/download:", key="supply_download", on_click="ignore")


def origin(ctx: state.Context, offer: dict) -> str:
    """Where an offer comes from, in words: "MYH program 2024, MYH 2024/3281", "Skolverket", "Inlagd av
    administratör", "Exempeldata"."""
    kind = offer.get("origin") or ("admin" if offer.get("is_real") else "example")
    if kind == "myh":
        return f"{offer.get('round_label', '')}, {offer.get('diarienummer', '')}".strip(", ")
    return ctx.t(f"supply.origin_{kind}")


def place_of(ctx: state.Context, offer: dict, names: dict[str, str]) -> str:
    """The study place: the municipality MYH or Skolverket names (also for a distance programme, whose provider is
    there), else the app's place, else "Distans"."""
    code = offer.get("municipality_code") or ""
    if code:
        return loaders.municipality_names_sweden().get(code, code)
    place = offer.get("place_id") or ""
    return names.get(place, ctx.t("form.distance")) if place else ctx.t("form.distance")


def start_of(ctx: state.Context, offer: dict) -> str:
    """A start date, or the years of a YH programme's intakes to come (MYH publishes years, not dates)."""
    start = offer.get("start")
    if start is not None and pd.notna(start):
        return pd.Timestamp(start).date().isoformat()
    years = [y for y in str(offer.get("intake_years") or "").split(";") if y and int(y) >= clock.today().year]
    return ctx.t("supply.intakes", years=", ".join(years)) if years else ctx.t("supply.start_unknown")


def offer_names(ctx: state.Context, rev: str | None = None) -> dict[str, str]:
    """Each offer's name where one is chosen (a need's match, an effort's offer, a cohort's route): title, provider
    and its origin, so an example offer never passes for a real one. Of the register's offers today at ``rev`` (the
    context's revision unless given), made once per (register revision, day, language): read-only."""
    return _offer_names(ctx.url, rev or ctx.revision, clock.today(), Words.of(ctx))


@shared(max_entries=16)
def _offer_names(url: str, rev: str, today: dt.date, words: Words) -> dict[str, str]:
    """``today``: the day's offers (``loaders.offers``)."""
    return {r["offer_id"]: f"{r['title']} – {r['provider']} ({origin(words, r)})"
            for r in loaders.offers(url, rev).to_dict("records")}


def white_spots(ctx: state.Context, demand: pd.Series, offers: pd.DataFrame, reach: Reach, codes: list[str]) -> None:
    """Per competence with needs: the real offers with an intake in the next 12 months within the chosen travel time of
    the area's central localities by public transport and by car side by side (and by distance), the nearest one's
    modelled minutes, and the white spots, needs with none. ``demand``: the register's persons (signed in) or the
    release's (protected: a hidden figure is left out, and counted). The register holds no locality per company: the
    journey starts at each municipality's central locality, and the caption says so."""
    today = clock.today()
    last = today + dt.timedelta(days=365)
    if ctx.protected:  # the release's demand: the same for every visitor of this view, so made once and shared
        table, shown = _published_white(ctx.url, ctx.revision, ctx.view, tuple(codes), reach.limit, today, Words.of(ctx),
                                        demand, offers)
    else:  # the selection's demand and the filter's offers (what the page passed): made once per selection
        table, shown = selected_white_spots(ctx, reach, codes)
    st.subheader(ctx.t("supply.white_title"))
    st.caption(ctx.t("supply.white_caption", limit=reach.limit, first=today.isoformat(), last=last.isoformat()))
    st.caption(ctx.t("supply.white_travel_note"))
    tiles = [(ctx.t(f"supply.white_kpi_{m}"), formatting.integer(int(table[f"white_{m}"].sum()), ctx.lang),
              ctx.t("supply.white_kpi_help")) for m in supply.TRAVEL_MODES]
    persons = " / ".join(formatting.integer(int(table.loc[table[f"white_{m}"], "demand"].sum()), ctx.lang)
                         for m in supply.TRAVEL_MODES)
    tiles.append((ctx.t("supply.white_persons"), persons, ctx.t("supply.white_persons_help")))
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles):
        column.metric(label, value, help=help_text, border=True)
    hidden = int(demand.isna().sum())
    if hidden:
        st.caption(ctx.t("supply.white_hidden", n=hidden))
    st.dataframe(shown, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(table)), key="white_spots")


def _white_spots(url: str, revision: str, codes: list[str] | tuple[str, ...], limit: int, today: dt.date, demand: pd.Series,
                 offers: pd.DataFrame) -> pd.DataFrame:
    last = today + dt.timedelta(days=365)
    matrix, homes = loaders.travel_matrix(url, revision), loaders.home_places()
    origins = [homes[c] for c in codes if c in homes]
    times = {mode: access.minutes_from(matrix, mode, origins) for mode in supply.TRAVEL_MODES}
    return supply.white_spots_by_mode(demand, offers, times, limit, today, last)


@shared(max_entries=256)
def _published_white(url: str, revision: str, view: PublicView, codes: tuple[str, ...], limit: int, today: dt.date,
                     words: Words, _demand: pd.Series, _offers: pd.DataFrame) -> tuple[pd.DataFrame, pa.Table]:
    """The white spots of the public's view and their table in ``words`` (as Arrow, what the page sends): made once per
    (register revision, view, area, travel limit, day, words) and shared by every visitor (half of a public Utbud
    rerun's time was making them again, py-spy, issue 35). ``_demand`` and ``_offers``: the release's persons per
    competence for ``view`` and the offers of ``url`` at ``revision``, which those keys decide. Nobody changes the
    frame returned (``white_table`` makes a new one)."""
    table = _white_spots(url, revision, codes, limit, today, _demand, _offers)
    return table, pa.Table.from_pandas(white_table(words, table, limit), preserve_index=False)


def white_table(ctx: state.Context, table: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The white-spot table in words: both modes side by side, the nearest offer's minutes (modelled; a measured pair
    is named in its own column, shown only when there is one)."""
    shown = pd.DataFrame({ctx.t("column.competence"): table["competence"].map(lambda c: ctx.names["competence"].get(c, c)),
                          ctx.t("supply.col_demand"): table["demand"].astype(int)})
    for mode in supply.TRAVEL_MODES:
        words = ctx.t(f"travel.mode_{mode}").lower()
        shown[ctx.t("supply.white_near_mode", limit=limit, mode=words)] = table[f"offers_near_{mode}"]
        shown[ctx.t("supply.white_seats_mode", limit=limit, mode=words)] = table[f"seats_near_{mode}"]
        shown[ctx.t("supply.white_nearest_mode", mode=words)] = table[f"nearest_{mode}"].round().astype("Int64")
    shown[ctx.t("supply.white_distance")] = table["offers_distance"]
    shown[ctx.t("supply.col_distance")] = table["seats_distance"]
    if table[[f"measured_{m}" for m in supply.TRAVEL_MODES]].to_numpy().any():
        shown[ctx.t("supply.white_measured")] = [", ".join(ctx.t(f"travel.mode_{m}") for m in supply.TRAVEL_MODES
                                                           if row[f"measured_{m}"]) for _, row in table.iterrows()]
    verdict = {(True, True): ctx.t("supply.white_both"), (True, False): ctx.t("supply.white_only_pt"),
               (False, True): ctx.t("supply.white_only_car"), (False, False): ""}
    shown[ctx.t("supply.white_spot")] = [verdict[(bool(p), bool(c))] for p, c in zip(table["white_pt"], table["white_car"])]
    return shown


def drill(ctx: state.Context, reach: Reach, codes: list[str], competence: str) -> None:
    """The needs behind a competence and the offers within reach of the area, made once per (selection, competence,
    reach, area, day, words): ``Selection.derive``."""
    n_behind, behind, offered = ctx.selection.derive(_drill, SupplyWords.of(ctx), competence, reach, tuple(codes), clock.today(),
                                                     ctx.filters.competences)
    with st.container():
        st.markdown(f"**{ctx.t('supply.drill_needs', n=n_behind)}**")
        st.dataframe(behind, hide_index=True, width="stretch", height=min(320, 38 + 35 * behind.num_rows))
    with st.container():
        st.markdown(f"**{ctx.t('supply.drill_offers', n=0 if offered is None else offered.num_rows)}**")
        if offered is None:
            st.info(ctx.t("supply.no_offers"), icon=":material/school:")
            return
        st.dataframe(offered, hide_index=True, width="stretch")


def _drill(needs: pd.DataFrame, words: SupplyWords, competence: str, reach: Reach, codes: tuple[str, ...], today: dt.date,
           competences: tuple[str, ...]) -> tuple[int, pa.Table, pa.Table | None]:
    ctx = words  # what the tables say: the words of a context (``SupplyWords``)
    columns = ["competence", "municipality_code", "need_type", "horizon", "persons", "status"]
    places = places_in_reach(_reach(words.url, words.revision, reach), list(codes))
    behind, offered = supply.drill(needs[columns], _selected_offers(words, competences), competence, places)
    names = loaders.place_names()
    municipalities = loaders.names(words.lang)["municipality"]
    needs_shown = pd.DataFrame({
        ctx.t("column.municipality"): behind["municipality_code"].astype(str).map(municipalities),
        ctx.t("column.need_type"): behind["need_type"].astype(str).map(lambda v: ctx.t(f"need_type.{v}")),
        ctx.t("column.horizon"): behind["horizon"].astype(str).map(lambda v: ctx.t(f"horizon.{v}")),
        ctx.t("column.persons"): behind["persons"].to_numpy(),
        ctx.t("column.status"): behind["status"].astype(str).map(lambda v: ctx.t(f"status.{v}")),
    })
    if offered.empty:
        return len(behind), pa.Table.from_pandas(needs_shown, preserve_index=False), None
    records = offered.to_dict("records")
    offers_shown = pd.DataFrame({
        ctx.t("supply.col_title"): offered["title"].to_numpy(),
        ctx.t("supply.col_provider"): offered["provider"].to_numpy(),
        ctx.t("supply.col_place"): [place_of(ctx, r, names) for r in records],
        ctx.t("column.form"): offered["form"].map(lambda v: ctx.t(f"form.{v}")).to_numpy(),
        ctx.t("supply.col_seats_one"): offered["seats"].to_numpy(),
        ctx.t("supply.col_start"): [start_of(ctx, r) for r in records],
        ctx.t("supply.col_origin"): [origin(ctx, r) for r in records],
        ctx.t("supply.col_source"): offered["source"].to_numpy(),
    })
    return len(behind), pa.Table.from_pandas(needs_shown, preserve_index=False), pa.Table.from_pandas(offers_shown, preserve_index=False)