"""White spots on the needs map (issue 33, point 4): municipalities whose needs of a competence (or of any) have no real
training with an intake in the next 12 months within the chosen travel time of their central locality, nor by distance.

The marking is derived from **shown figures and the supply side only**: on the protected pages a municipality's need of
a competence is the release's cell; a hidden cell is marked "protected" whatever its value and whatever the supply there
(``core.analysis.supply.white_spot_cells``), so the map tells no more about it than the release does. The offers are
public. The base map is the needs map's (same polygons, names, centres, offline); the colours, tooltips and the legend
travel in the small restyle group, the legend drawn by ``MapLegend`` with ``textContent`` (no branca, no CDN) and again
under the map, with the map as a table for screen readers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from dataclasses import dataclass

import folium
import pandas as pd
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template

from components import charts, loaders, page_params, state
from components.maps.elements import Restyle
from components.maps.needs import ink, swatch
from components.public import supply as supply_view
from components.public import view as public_view
from core.analysis import supply
from core.analysis.classes import NO_DATA_COLOUR
from core.common import clock, formatting

LAYERS = ("behov", "vita")
LIMITS = ("15", "30", "45", "60", "90")
LAYER = state.key("map_layer", __name__)
COMPETENCE = state.key("map_white_competence", __name__)
MODE = state.key("map_white_mode", __name__)
LIMIT = state.key("map_white_limit", __name__)
STATE_STYLE = {  # Okabe–Ito vermillion and sky blue; a mark beside the colour so the state is read without it
    "white": ("#D55E00", "!"), "offered": ("#56B4E9", "✓"), "none": ("#f0f0f0", "0"), "protected": (NO_DATA_COLOUR, "–"),
}
COUNT_COLOURS = ("#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f")  # ColorBrewer OrRd, by WHITE_COUNT_BOUNDS
COUNT_LABELS = ("0", "1", "2–3", "≥ 4")


@dataclass(frozen=True)
class WhiteView:
    competence: str  # "" for all competences
    mode: str
    limit: int


@dataclass(frozen=True)
class WhiteData:
    view: WhiteView
    cells: pd.DataFrame  # core.analysis.supply.white_spot_cells
    frame: pd.DataFrame  # core.analysis.supply.white_spot_map, one row per municipality


def layer(ctx: state.Context) -> str:
    """The map's layer: the needs (the choropleth) or the white spots; kept in the URL (``?lager=vita``)."""
    page_params.load(LAYER, "lager", LAYERS, "behov")
    st.segmented_control(ctx.t("white_map.layer"), LAYERS, key=LAYER, format_func=lambda v: ctx.t(f"white_map.layer_{v}"),
                         help=ctx.t("white_map.layer_help"))
    chosen = st.session_state.get(LAYER) or "behov"
    page_params.write({"lager": (chosen, "behov")})
    return chosen


def demand(ctx: state.Context, codes: list[str]) -> pd.DataFrame:
    """Persons per competence (rows) and municipality (columns): the release's cells on the protected pages (NaN: hidden;
    0: no need), else the selection's rows."""
    if ctx.protected:
        columns = {code: public_view.demand_by_competence(ctx, code) for code in codes}
        keys = sorted(set().union(*(c.index for c in columns.values()))) if columns else []
        return pd.DataFrame({code: c.reindex(keys, fill_value=0.0) for code, c in columns.items()}, index=keys)
    rows = ctx.selected[ctx.selected["municipality_code"].astype(str).isin(codes)]
    table = rows.pivot_table(index="competence", columns="municipality_code", values="persons", aggfunc="sum",
                             observed=True, fill_value=0)
    table.columns = table.columns.astype(str)
    return table.reindex(columns=codes, fill_value=0).astype(float)


def controls(ctx: state.Context, competences: list[str]) -> WhiteView:
    page_params.load(COMPETENCE, "vitkompetens", ("", *competences), "")
    page_params.load(MODE, "mode", supply.TRAVEL_MODES, "pt")
    page_params.load(LIMIT, "minuter", LIMITS, "45")
    page_params.warn_ignored(lambda p, v: ctx.t("map.url_ignored", param=p, value=v))
    if st.session_state.get(COMPETENCE) not in ("", *competences):
        st.session_state[COMPETENCE] = ""
    pick, mode, limit = st.columns([2, 2, 2], vertical_alignment="bottom")
    names = ctx.names["competence"]
    pick.selectbox(ctx.t("white_map.competence"), ("", *competences), key=COMPETENCE,
                   format_func=lambda c: names.get(c, c) if c else ctx.t("white_map.all"))
    mode.radio(ctx.t("travel.mode"), supply.TRAVEL_MODES, key=MODE, horizontal=True,
               format_func=lambda m: ctx.t(f"travel.mode_{m}"))
    limit.select_slider(ctx.t("supply.limit"), LIMITS, key=LIMIT, format_func=lambda m: f"{m} min",
                        help=ctx.t("supply.limit_help"))
    view = WhiteView(st.session_state[COMPETENCE], st.session_state[MODE], int(st.session_state[LIMIT]))
    page_params.write({"vitkompetens": (view.competence, ""), "mode": (view.mode, "pt"), "minuter": (str(view.limit), "45")})
    return view


def data(ctx: state.Context, codes: list[str], view: WhiteView, persons: pd.DataFrame) -> WhiteData:
    today = clock.today()
    reach = supply_view.reach_of(ctx, supply_view.Reach(view.mode, view.limit))
    cells = supply.white_spot_cells(persons, loaders.offers(ctx.url, ctx.revision), reach, today,
                                    today + dt.timedelta(days=365))
    return WhiteData(view, cells, supply.white_spot_map(cells, codes, view.competence or None))


def _number(ctx: state.Context, value: float) -> str:
    return public_view.number(ctx, value) if ctx.protected else formatting.integer(int(value), ctx.lang)


def _lines(ctx: state.Context, data: WhiteData) -> dict[str, list[str]]:
    """Tooltip lines per municipality (also the map's text alternative and each area's keyboard label)."""
    names, out = ctx.names["competence"], {}
    for code, row in data.frame.iterrows():
        if data.view.competence:
            lines = [ctx.t(f"white_map.state_{row['state']}"),
                     ctx.t("white_map.persons", value=_number(ctx, row["demand"]))]
            if row["state"] in ("white", "offered"):
                lines.append(ctx.t("white_map.offers", value=formatting.integer(int(row["offers"]), ctx.lang)))
        else:
            listed = ", ".join(names.get(c, c) for c in row["names"][:5]) + (" …" if len(row["names"]) > 5 else "")
            lines = [ctx.t("white_map.count", value=int(row["white"])) + (f": {listed}" if listed else ""),
                     ctx.t("white_map.count_persons", value=formatting.integer(int(row["persons"]), ctx.lang))]
            if row["protected"]:
                lines.append(ctx.t("white_map.count_protected", value=int(row["protected"])))
        out[str(code)] = lines
    return out


def styles(data: WhiteData, selected: str) -> dict[str, list]:
    """Per municipality: fill colour, dashed (protected), selected, the mark beside its name."""
    out = {}
    for code, row in data.frame.iterrows():
        if data.view.competence:
            colour, mark = STATE_STYLE[row["state"]]
            out[str(code)] = [colour, row["state"] == "protected", str(code) == selected, mark]
        else:
            out[str(code)] = [COUNT_COLOURS[int(row["cls"])], False, str(code) == selected, str(int(row["white"]))]
    return out


def entries(ctx: state.Context, data: WhiteData) -> list[tuple[str, str, str, bool]]:
    """The legend's rows: colour, mark, label, dashed."""
    if data.view.competence:
        return [(colour, mark, ctx.t(f"white_map.state_{name}"), name == "protected")
                for name, (colour, mark) in STATE_STYLE.items()]
    return [(colour, label, ctx.t("white_map.count_class", value=label), False)
            for colour, label in zip(COUNT_COLOURS, COUNT_LABELS)]


def title(ctx: state.Context, view: WhiteView) -> str:
    what = ctx.names["competence"].get(view.competence, view.competence) if view.competence else ctx.t("white_map.all")
    return ctx.t("white_map.legend_title", what=what, limit=view.limit, mode=ctx.t(f"travel.mode_{view.mode}").lower())


class MapLegend(MacroElement):
    """The legend inside the map (bottom left), drawn with ``textContent``: no branca, no d3, nothing fetched. Replaced,
    not added again, when the restyle group runs anew."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = window.kkMap;
  if (!map) { return; }
  if (window.kkLegend) { window.kkLegend.remove(); }
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var box = kkEl("div", null, "kk-map-legend");
    box.setAttribute("data-kk-legend", {{ this.token|tojson }});
    box.style.cssText = "background:#fff;padding:6px 8px;border:1px solid #4d4d4d;font:12px/1.45 sans-serif;max-width:230px;opacity:0.95";
    box.appendChild(kkEl("strong", {{ this.title|tojson }}));
    {{ this.rows|tojson }}.forEach(function (r) {
      var line = kkEl("div"), chip = kkEl("span", r[1]);
      chip.style.cssText = "display:inline-block;width:26px;height:16px;margin-right:6px;text-align:center;vertical-align:middle;" +
        "font:700 11px/16px sans-serif;border:1.5px " + (r[3] ? "dashed" : "solid") + " #4d4d4d;background:" + r[0] + ";color:" + r[4];
      line.appendChild(chip);
      line.appendChild(document.createTextNode(r[2]));
      box.appendChild(line);
    });
    return box;
  };
  window.kkLegend = legend.addTo(map);
})();
{% endmacro %}
""")

    def __init__(self, title: str, rows: list[list], token: str):
        super().__init__()
        self._name = "MapLegend"
        self.title, self.rows, self.token = title, rows, token


def restyle(ctx: state.Context, data: WhiteData, selected: str) -> folium.FeatureGroup:
    """The colours, tooltips and in-map legend of the white spots (``pick``: chosen by click or keyboard)."""
    colours, tips = styles(data, selected), _lines(ctx, data)
    rows = [[c, mark, label, dashed, ink(c)] for c, mark, label, dashed in entries(ctx, data)]
    token = "white-" + hashlib.sha1(json.dumps([colours, tips, rows], sort_keys=True).encode()).hexdigest()[:12]
    group = folium.FeatureGroup(name="kk_colours", control=False)
    Restyle(colours, tips, token, pick=True).add_to(group)
    MapLegend(title(ctx, data.view), rows, token).add_to(group)
    return group


def legend(ctx: state.Context, data: WhiteData, font_px: int) -> None:
    """The same legend under the map (large text in meeting mode), every label escaped."""
    rows = "".join(swatch(c, label, dashed=dashed, mark=mark) for c, mark, label, dashed in entries(ctx, data))
    note = ctx.t("white_map.note") + (f" · {ctx.t('demo.label')}" if ctx.is_demo else "")
    st.html(
        f'<div class="kk-legend" style="font-size:{font_px}px;line-height:1.9">'
        f"<style>.kk-item{{margin-right:14px;white-space:nowrap;display:inline-block}}</style>"
        f"<strong>{html.escape(title(ctx, data.view))}:</strong> {rows}<br>"
        f'<span style="color:#555;font-size:{font_px - 2}px">{html.escape(note)}</span></div>'
    )


def captions(ctx: state.Context) -> None:
    today = clock.today()
    st.caption(ctx.t("white_map.caption", first=today.isoformat(), last=(today + dt.timedelta(days=365)).isoformat()))
    st.caption(ctx.t("supply.white_travel_note"))
    if ctx.protected:
        st.caption(ctx.t("white_map.protected_note"))


def as_table(ctx: state.Context, data: WhiteData) -> None:
    """The map as a table (its text alternative): each municipality's mark and what its tooltip says."""
    names, tips, marks = ctx.names["municipality"], _lines(ctx, data), styles(data, "")
    rows = [[names.get(code, code), marks[code][3], " · ".join(tips[code])] for code in map(str, data.frame.index)]
    charts.as_table(ctx.lang, pd.DataFrame(rows, columns=[ctx.t("map.municipality"), ctx.t("chart.class"),
                                                          ctx.t("white_map.col_what")]), "chart.map_as_table")


def panel(ctx: state.Context, data: WhiteData, code: str) -> None:
    """Beside the map: the chosen municipality's competences with needs and whether each is a white spot; without one,
    the municipalities with the most white spots."""
    municipalities, competences = ctx.names["municipality"], ctx.names["competence"]
    if not code:
        st.subheader(ctx.t("white_map.ranking"))
        frame = data.cells[data.cells["state"] == "white"]
        if data.view.competence:
            frame = frame[frame["competence"] == data.view.competence]
        counts = frame.groupby("code").agg(white=("competence", "size"), persons=("demand", "sum"))
        counts = counts.sort_values(["white", "persons"], ascending=False)
        st.dataframe(pd.DataFrame({
            ctx.t("map.municipality"): [municipalities.get(c, c) for c in counts.index],
            ctx.t("white_map.col_white"): counts["white"].to_numpy(),
            ctx.t("white_map.col_persons"): counts["persons"].astype(int).to_numpy(),
        }), hide_index=True, width="stretch", key="white_ranking")
        return
    st.subheader(municipalities.get(code, code))
    mine = data.cells[(data.cells["code"] == code) & (data.cells["state"] != "none")]
    mine = mine.assign(order=mine["state"].map({s: i for i, s in enumerate(supply.SPOT_STATES)}))
    mine = mine.sort_values(["order", "demand", "competence"], ascending=[True, False, True])
    st.dataframe(pd.DataFrame({
        ctx.t("column.competence"): [competences.get(c, c) for c in mine["competence"]],
        ctx.t("white_map.col_persons"): [_number(ctx, v) for v in mine["demand"]],
        ctx.t("white_map.col_state"): [ctx.t(f"white_map.state_{s}") for s in mine["state"]],
    }), hide_index=True, width="stretch", key="white_panel")
