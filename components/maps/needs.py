"""The needs map: a choropleth of the municipalities, built from cached parts and recoloured cheaply.

The base map (polygons, names, learning centres, FA outlines) depends only on the area, the
language and the text size, so its script is the same from one filter change to the next and
streamlit-folium keeps the map in the browser; the colours, tooltips and legend travel in a
small ``Restyle`` script (see ``components.maps.elements``).

Neither is rendered through folium's templates on every run (a fifth of a map rerun, issue 35): the base map's
component arguments are made once per (area, language, text size, basemap) (``drawn``) and the colours' script once per
colouring (its token); ``show_drawn`` sends them as ``st_folium`` would (``components.maps.offline.send``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import folium
import pandas as pd
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from components import charts, context, loaders, state
from components.maps.elements import Overlays, Regions, Restyle, css
from components.maps.offline import component_args, offline_map, send
from components.memo import shared
from components.public import view as public_view
from core.analysis import municipal
from core.analysis.classes import NO_DATA, Classes, classify, colour_of, legend_entries, legend_marks, mark_of
from core.analysis.selection import Selection
from core.common import clock, formatting
from core.common.config import basemap_url
from core.common.i18n import t
from core.disclosure.release import PublicView
from data import reference

T = TypeVar("T")

MAP_KEY = state.key("needs_map", __name__)
CENTRE_COLOURS = {  # Okabe–Ito, apart from the polygons' yellow–green–blue
    "komvux": "#D55E00",
    "learning_centre": "#CC79A7",
    "university": "#E69F00",
    "other": "#FFFFFF",
}


def _centres(lang: str) -> list[dict]:
    table = reference.learning_centres().dropna(subset=["lat", "lon"])
    return [
        {
            "name": row.name, "lat": float(row.lat), "lon": float(row.lon),
            "colour": CENTRE_COLOURS.get(row.kind, "#FFFFFF"),
            "lines": [
                t(lang, f"centre_kind.{row.kind}"),
                t(lang, "map.operator", value=row.operator),
                t(lang, "map.offers", value=row.type_text),
                t(lang, "map.status", value=row.status),
            ],
        }
        for row in table.itertuples()
    ]


def base_map(codes: tuple[str, ...], lang: str, font_px: int) -> folium.Map:
    """The parts that do not change with the filters (rebuilt cheaply from cached strings)."""
    fmap = offline_map((58.6, 11.9), 8, tiles_url=basemap_url(), zoom_control=True, zoomSnap=0.25)
    fmap.get_root().header.add_child(folium.Element(css(font_px)), name="kk_css")
    key = ",".join(codes)  # one string hashes in microseconds; a tuple of 290 codes does not
    Regions(loaders.region_geojson_url(key)).add_to(fmap)
    labels = loaders.label_points(key) if len(codes) <= 40 else []
    Overlays(
        labels, _centres(lang), loaders.fa_geojson_url(key),
        {"labels": t(lang, "map.layer_names"), "centres": t(lang, "map.layer_centres"), "fa": t(lang, "map.layer_fa")},
        loaders.map_bounds(key),
    ).add_to(fmap)
    return fmap


def format_value(metric: str, value: float, lang: str, missing: str | None = None) -> str:
    """``missing``: the words for NaN (the protected pages say "protected or missing")."""
    if value != value:  # NaN
        return missing or t(lang, "legend.no_data")
    return formatting.metric(metric, value, lang)


def _tips(frame: pd.DataFrame, metric: str, lang: str, missing: str | None) -> dict[str, list[str]]:
    """Tooltip lines per municipality (built column-wise: a loop over rows costs ~10x at 290 rows)."""
    label, persons_label = t(lang, f"metric.{metric}"), t(lang, "metric.persons")
    lines = [[f"{label}: {format_value(metric, v, lang, missing)}"] for v in frame[metric].tolist()]
    if metric != "persons":
        for row, v in zip(lines, frame["persons"].tolist()):
            row.append(f"{persons_label}: {format_value('persons', v, lang, missing)}")
    if metric == "change":
        for row, v in zip(lines, frame["previous"].tolist()):
            if v == v:
                row.append(t(lang, "map.previous", value=formatting.integer(int(v), lang)))
    return dict(zip(frame.index.astype(str), lines))


def restyle(frame: pd.DataFrame, metric: str, cls: pd.Series, classes: Classes, selected: str,
            lang: str, missing: str | None = None) -> folium.FeatureGroup:
    return colours(frame, metric, cls, classes, selected, lang, missing)[0]


def colours(frame: pd.DataFrame, metric: str, cls: pd.Series, classes: Classes, selected: str,
            lang: str, missing: str | None = None) -> tuple[folium.FeatureGroup, str]:
    """The colour group and its token (a hash of its colours and tooltips: the same token, the same script)."""
    styles = {str(code): [colour_of(c, classes), bool(c == NO_DATA), str(code) == selected, mark_of(c)]
              for code, c in cls.items()}
    tips = _tips(frame, metric, lang, missing)
    token = hashlib.sha1(json.dumps([styles, tips], sort_keys=True).encode()).hexdigest()[:12]
    group = folium.FeatureGroup(name="kk_colours", control=False)
    Restyle(styles, tips, token, pick=True).add_to(group)
    return group, token


def map_colours(data: MapData, metric: str, selected: str, lang: str, missing: str | None) -> tuple[folium.FeatureGroup, str]:
    """``colours`` of the map's figures, made once per (data, metric, selected municipality, language)."""
    return data.once(("colours", metric, selected, lang, missing),
                     lambda: colours(data.frame, metric, data.cls, data.classes, selected, lang, missing))


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG's relative luminance; the better of the two is
    always at least 4.58:1)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def _swatch(colour: str, label: str, dashed: bool = False, round_: bool = False, mark: str = "") -> str:
    """A colour's box (with the class's mark in it, the same as on the map's names) and its label."""
    border = "dashed" if dashed else "solid"
    shape = "border-radius:50%;width:14px;height:14px" if round_ else "width:26px;height:18px"
    return (f'<span class="kk-item"><span style="display:inline-block;{shape};background:{colour};'
            f"border:1.5px {border} #4d4d4d;vertical-align:middle;text-align:center;font:700 12px/18px sans-serif;"
            f'color:{_ink(colour)}">{html.escape(mark)}</span> {html.escape(label)}</span>')


def _entries(ctx: state.Context, classes: Classes) -> tuple[list[tuple[str, str]], str]:
    """The legend's (colour, label) rows and the words for no data: on the protected pages a hidden figure is
    protected, not missing."""
    no_data = ctx.t("public.legend_protected") if ctx.protected else ctx.t("legend.no_data")
    return [(c, no_data if label == ctx.t("legend.no_data") else label) for c, label in legend_entries(classes, ctx.lang)], no_data


def legend(ctx: state.Context, classes: Classes, font_px: int) -> None:
    """The legend under the map, drawn here (branca's legends load d3 from a CDN). Every label is escaped."""
    entries, no_data = _entries(ctx, classes)
    rows = "".join(_swatch(c, label, dashed=label == no_data, mark=mark)
                   for (c, label), mark in zip(entries, legend_marks(classes)))
    centres = "".join(_swatch(c, ctx.t(f"centre_kind.{kind}"), round_=True) for kind, c in CENTRE_COLOURS.items())
    note = ctx.t(f"map.note_{classes.method}") + (f" · {ctx.t('demo.label')}" if ctx.is_demo else "")
    st.html(
        f'<div class="kk-legend" style="font-size:{font_px}px;line-height:1.9">'
        f"<style>.kk-item{{margin-right:14px;white-space:nowrap;display:inline-block}}</style>"
        f"<strong>{html.escape(ctx.t(f'metric.{classes.metric}_legend'))}:</strong> {rows}<br>"
        f"<strong>{html.escape(ctx.t('map.layer_centres'))}:</strong> {centres}<br>"
        f'<span style="color:#555;font-size:{font_px - 2}px">{html.escape(note)}</span></div>'
    )


def as_table(ctx: state.Context, data: MapData, metric: str, missing: str) -> None:
    """The map as a table (its text alternative): each municipality's figure and its class, the mark its name carries
    on the map, with the class's range. Made only while its expander is open (``charts.as_table``)."""
    charts.as_table(ctx.lang, lambda: _table(ctx, data, metric, missing), "chart.map_as_table", key=TABLE_KEY)


TABLE_KEY = "needs_map" + charts.TABLE_SUFFIX


def _table(ctx: state.Context, data: MapData, metric: str, missing: str) -> pd.DataFrame:
    entries, _ = _entries(ctx, data.classes)
    ranges = dict(zip(legend_marks(data.classes), (label for _, label in entries)))
    names = ctx.names["municipality"]
    ordered = data.frame.sort_values(metric, ascending=False, na_position="last")  # the map's ranking, highest first
    rows = [[names.get(code, code), format_value(metric, value, ctx.lang, missing), f"{mark_of(int(c))}: {ranges.get(mark_of(int(c)), '')}"]
            for code, value, c in zip(ordered.index, ordered[metric], data.cls.reindex(ordered.index))]
    return pd.DataFrame(rows, columns=[ctx.t("map.municipality"), ctx.t(f"metric.{metric}"), ctx.t("chart.class")])


def show(base: folium.Map, colours: folium.FeatureGroup, height: int, on_click: Callable[[], None]) -> None:
    """The map as ``st_folium`` draws it, rendering ``base`` on every call (``drawn``/``show_drawn`` reuse it)."""
    st_folium(
        base, key=MAP_KEY, height=height, use_container_width=True,
        feature_group_to_add=colours, returned_objects=["last_active_drawing"], on_change=on_click,
    )


RETURNED = ["last_active_drawing"]


@dataclass(frozen=True)
class Drawn:
    """The base map as streamlit-folium sends it (``st_folium``'s own steps), made once per (area, language, text size,
    basemap) and shared by every session: rendering it through folium's Jinja templates was a fifth of a map rerun."""

    key: tuple  # what it was made of (``_drawn``'s arguments)
    fmap: folium.Map  # the map the colour groups are rendered against (its name only); never rendered again
    args: dict  # what st_folium hands its component, but the colours and the caller's own options


def drawn(codes: tuple[str, ...], lang: str, font_px: int) -> Drawn:
    return _drawn(codes, lang, font_px, basemap_url())


@shared(max_entries=32)
def _drawn(codes: tuple[str, ...], lang: str, font_px: int, basemap: str | None) -> Drawn:
    """``basemap``: the configured basemap URL (a part of the map's script), so a changed setting draws it anew."""
    fmap = base_map(codes, lang, font_px)
    return Drawn((codes, lang, font_px, basemap), fmap, component_args(fmap, MAP_KEY, RETURNED))


@shared(max_entries=256)
def _colour_script(key: tuple, token: str, _base: Drawn, _colours: folium.FeatureGroup) -> str:
    """The colour group's script for the base map drawn of ``key``, made once per ``token`` (a hash of its colours and
    tooltips, which is all the group holds)."""
    with _RENDERING:  # streamlit-folium adds the group to the map to render it: one group, one map at a time (a
        # colour group is shared by every session of its figures, MapData.once, and may be rendered for two base maps)
        return streamlit_folium._get_feature_group_string(_colours, map=_base.fmap, idx=0)


_RENDERING = threading.Lock()


def show_drawn(base: Drawn, colours: folium.FeatureGroup, token: str, height: int, on_click: Callable[[], None]) -> None:
    """The map as ``show`` sends it, from the parts made once (``drawn``) and the colours made once per ``token``."""
    send(base.args, MAP_KEY, height, RETURNED, _colour_script(base.key, token, base, colours), on_click)


def code_of(returned: dict | None) -> str | None:
    """The municipality code in what st_folium returned (None for a centre, a label or nothing)."""
    feature = (returned or {}).get("last_active_drawing") or {}
    code = (feature.get("properties") or {}).get("code")
    return str(code) if code else None


def clicked_code() -> str | None:
    return code_of(st.session_state.get(MAP_KEY))


@dataclass(frozen=True)
class MapData:
    """The map's figures for one view (public) or selection (signed in): made once and shared by every rerun and session
    that shows them (``map_data``), so nobody changes its frames; what is made of them for the page is kept in it too
    (``once``)."""

    frame: pd.DataFrame  # one row per municipality of the area, every metric (core.analysis.municipal.table)
    classes: Classes
    cls: pd.Series  # class per municipality code
    previous_period: tuple[str, str] | None
    summary: pd.Series  # the area as one row (core.analysis.municipal.area_summary)
    made: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, made on the first call with ``key`` only (``key`` says everything ``make`` uses beside this data:
        a metric, a language, the selected municipality). Two sessions asking at once may both make it; one is kept."""
        try:
            return self.made[key]
        except KeyError:
            return self.made.setdefault(key, make())


def area_codes(ctx: state.Context) -> list[str]:
    """The municipalities the map shows: the area's, or every one in the register."""
    if ctx.codes is not None:
        return list(ctx.codes)
    return [a.partition(":")[2] for a in ctx.choices.areas if a.startswith("m:")]


def map_data(ctx: state.Context, codes: list[str], metric: str, method: str, with_previous: bool) -> MapData:
    """The map's figures, made once per (register revision, view, area, metric, classing, day) for the public and once
    per selection for a signed-in user, and shared: a public rerun made them again, ~9 % of a burst's CPU (issue 35)."""
    if ctx.protected:  # the public release's cells, never rows
        return _published(ctx.url, ctx.revision, ctx.view, tuple(codes), metric, method, clock.today(), ctx)
    months = ctx.choices.months
    period = ctx.filters.period or ((months[0], months[-1]) if months else None)
    before = municipal.previous_period(period, months) if period and with_previous else None
    previous = context.selection_of(ctx, replace(ctx.filters, period=before)) if before else None
    return ctx.selection.derive(_figures, tuple(codes), previous, metric, method, before)


@shared(max_entries=512)
def _published(url: str, revision: str, view: PublicView, codes: tuple[str, ...], metric: str, method: str,
               today: dt.date, _ctx: state.Context) -> MapData:
    """``_ctx``: a visitor's context of this register revision and view (its release, which those keys decide);
    ``today`` decides the quarters a change compares."""
    frame = public_view.per_municipality(_ctx, list(codes), loaders.population())
    cls, classes = classify(frame[metric], metric, method)
    year, compared = view.year - 1, public_view.quarters(_ctx)
    before = (f"{year}-{3 * compared[0] - 2:02d}", f"{year}-{3 * compared[-1]:02d}") if compared and year in _ctx.release.years else None
    return MapData(frame, classes, cls, before, public_view.area_summary(_ctx))


def _figures(selected: pd.DataFrame, codes: tuple[str, ...], previous: Selection | None, metric: str,
             method: str, before: tuple[str, str] | None) -> MapData:
    """The map's figures of a selection (made once per selection)."""
    frame = municipal.table(selected, list(codes), loaders.population(), None if previous is None else previous.frame)
    cls, classes = classify(frame[metric], metric, method)
    return MapData(frame, classes, cls, before, municipal.area_summary(frame, loaders.population()))


def _set_last_12(months: tuple[str, ...]) -> None:
    st.session_state[state.PERIOD] = (months[-12], months[-1])


def change_spans(ctx: state.Context, before: tuple[str, str]) -> None:
    """Which spans the change compares, in words under the map's headline."""
    if ctx.protected:
        st.caption(public_view.change_help(ctx))
        return
    months = ctx.choices.months
    now = municipal.compared_span(ctx.filters.period or (months[0], months[-1]), months)
    st.caption(ctx.t("map.change_spans", now=f"{now[0]} – {now[1]}", before=f"{before[0]} – {before[1]}"))


def no_previous_period(ctx: state.Context) -> None:
    if ctx.protected:
        st.warning(ctx.t("public.no_previous", year=ctx.view.year - 1), icon=":material/history:")
        return
    months = ctx.choices.months
    st.warning(ctx.t("map.no_previous", first=months[0] if months else "–"), icon=":material/history:")
    if len(months) >= 24:
        st.button(ctx.t("map.last_12"), on_click=_set_last_12, args=(months,), icon=":material/date_range:")


def captions(ctx: state.Context, classes: Classes) -> None:
    if classes.metric == "per_1000":
        st.caption(ctx.t("map.population_note"))
    if basemap_url():
        st.caption(ctx.t("map.basemap", url=basemap_url()))


swatch = _swatch  # the white-spot layer's legend (components.maps.white_spots) draws its rows the same way
ink = _ink
