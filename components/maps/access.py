"""The access map: places coloured by minutes to their nearest learning centre, with a line to it.

Municipality polygons come from the same static GeoJSON file as the needs map (``Regions``),
drawn light as a background; the places, lines and centres travel as JSON and every text is
put into the page with ``textContent`` (see ``components.maps.elements``). Each place and centre, and each
municipality with figures, is a Tab stop named with its figures (``kkFocusable``), so what its tooltip says reaches the keyboard too.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

from components import loaders
from components.maps.elements import Regions, Restyle, css
from components.maps.offline import offline_map
from core.common.config import basemap_url

# ColorBrewer RdBu (colour-blind safe): blue within the limit, red beyond it
CLASS_COLOURS = ["#2166ac", "#67a9cf", "#ef8a62", "#b2182b"]
UNREACHABLE = "#7f7f7f"
BACKGROUND = "#f2f2f2"


def class_of(minutes: float, limit: int) -> int:
    """0: within half the limit, 1: within it, 2: within 1.5 x, 3: beyond (or unreachable)."""
    if not np.isfinite(minutes):
        return 3
    return int(np.searchsorted([limit / 2, limit, limit * 1.5], minutes, side="left"))


def class_labels(limit: int) -> list[str]:
    half, more = round(limit / 2), round(limit * 1.5)
    return [f"≤ {half}", f"{half}–{limit}", f"{limit}–{more}", f"> {more}"]


class AccessLayer(MacroElement):
    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  if (!map.getPane("kkTop")) { map.createPane("kkTop").style.zIndex = 450; }  // above the polygons, whatever their order
  var lines = L.layerGroup().addTo(map), places = L.layerGroup().addTo(map), centres = L.layerGroup().addTo(map);
  {{ this.lines|tojson }}.forEach(function (l) {
    L.polyline([[l[0], l[1]], [l[2], l[3]]], {color: l[4], weight: 2.5, opacity: 0.9, dashArray: "4 4", interactive: false, pane: "kkTop"}).addTo(lines);
  });
  {{ this.places|tojson }}.forEach(function (p) {
    var box = kkEl("div", null, "kk-popup");
    box.appendChild(kkEl("strong", p.name));
    p.lines.forEach(function (line) { box.appendChild(kkEl("div", line)); });
    var m = L.circleMarker([p.lat, p.lon], {radius: p.radius, color: "#1a1a1a", weight: 1, fillColor: p.colour, fillOpacity: 0.95, pane: "kkTop"})
      .bindTooltip(box).addTo(places);
    var el = m.getElement(); if (el) { el.setAttribute("data-kk-place", p.name); el.setAttribute("data-kk-fill", p.colour); }
    kkFocusable(el, [p.name].concat(p.lines));  // a Tab stop named with its figures, as the needs map's areas
  });
  {{ this.centres|tojson }}.forEach(function (c) {
    var box = kkEl("div", null, "kk-popup");
    box.appendChild(kkEl("strong", c.name));
    c.lines.forEach(function (line) { box.appendChild(kkEl("div", line)); });
    var icon = L.divIcon({className: c.added ? "kk-centre kk-added" : "kk-centre", iconSize: [11, 11]});
    var m = L.marker([c.lat, c.lon], {icon: icon, keyboard: false}).bindTooltip(box).addTo(centres);
    var el = m.getElement(); if (el) { el.setAttribute("data-kk-centre", c.name); }
    kkFocusable(el, [c.name].concat(c.lines));
  });
  map.fitBounds({{ this.bounds|tojson }}, {padding: [8, 8]});
})();
{% endmacro %}
""")

    def __init__(self, places: list[dict], lines: list[list], centres: list[dict], bounds: list[list[float]]):
        super().__init__()
        self._name = "AccessLayer"
        self.places, self.lines, self.centres, self.bounds = places, lines, centres, bounds


CENTRE_CSS = """<style>
.kk-centre { background: #000; border: 2px solid #fff; box-shadow: 0 0 0 1px #000; }
.kk-added { background: #E69F00; transform: rotate(45deg); }
.kk-centre:focus-visible { outline: 3px solid #b0202c; outline-offset: 2px; }
</style>"""


def build(codes: list[str], by_place: pd.DataFrame, mode: str, limit: int, centres: list[dict],
          tips: dict[str, list[str]], place_lines, font_px: int = 14) -> folium.Map:
    """``by_place``: geo.access.places_table rows of the area's places (with ``minutes_<mode>``, ``nearest_<mode>``)."""
    fmap = offline_map((58.6, 11.9), 8, tiles_url=basemap_url(), zoom_control=True, zoomSnap=0.25)
    fmap.get_root().header.add_child(folium.Element(css(font_px) + CENTRE_CSS), name="kk_css")
    key = ",".join(codes)
    Regions(loaders.region_geojson_url(key)).add_to(fmap)
    Restyle({c: [BACKGROUND, False, False] for c in codes}, tips, "access").add_to(fmap)
    positions = by_place.set_index("place_id")[["lat", "lon"]]
    points, lines = [], []
    top = max(1, by_place["population"].max())
    for row in by_place.itertuples():
        minutes = getattr(row, f"minutes_{mode}")
        colour = CLASS_COLOURS[class_of(minutes, limit)] if np.isfinite(minutes) else UNREACHABLE
        points.append({"name": row.name, "lat": row.lat, "lon": row.lon, "colour": colour,
                       "radius": 5 + 11 * float(np.sqrt(row.population / top)), "lines": place_lines(row)})
        target = getattr(row, f"nearest_{mode}")
        if target and target != row.place_id and target in positions.index:
            lines.append([row.lat, row.lon, *positions.loc[target].tolist(), colour])
    AccessLayer(points, lines, centres, loaders.map_bounds(key)).add_to(fmap)
    return fmap


MAP_KEY = "access_map"
HEIGHT = 560


def show(fmap: folium.Map, height: int = HEIGHT) -> None:
    st_folium(fmap, height=height, use_container_width=True, returned_objects=[], key=MAP_KEY)
