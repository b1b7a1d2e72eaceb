"""The needs map's Leaflet elements, written for speed, privacy and safety.

- ``Regions`` draws the municipality polygons from a GeoJSON file written once per area and
  served by Streamlit's static serving (fetched from this server, cached by the browser).
- ``Overlays`` adds names, learning centres and FA-region outlines, with a layer switch.
- ``Restyle`` colours the polygons and fills their tooltips. It goes to
  ``st_folium`` as ``feature_group_to_add``: while the base map's script is unchanged the
  browser keeps the map and only runs this small script, so a filter change recolours the map
  without sending or redrawing any geometry.

No text from data is ever parsed as HTML: it travels as JSON (``tojson`` escapes ``<``, ``>``
and ``&``) and is put into the page with ``textContent``, so a name like ``<img onerror=…>``
shows as those characters. Nothing here loads a file: no jQuery, no icon fonts, no d3.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

HELPERS = """
window.kkRestyle = function (regions, style) {
  regions.eachLayer(function (layer) {
    var code = layer.feature.properties.code, s = style.styles[code] || ["#bdbdbd", true, false];
    layer.setStyle({fillColor: s[0], fillOpacity: 0.85, dashArray: s[1] ? "4 4" : null,
                    color: s[2] ? "#000000" : "#4d4d4d", weight: s[2] ? 4 : 1});
    if (s[2]) { layer.bringToFront(); }
    var box = kkEl("div");
    box.appendChild(kkEl("strong", layer.feature.properties.name));
    (style.tips[code] || []).forEach(function (line) { box.appendChild(kkEl("div", line)); });
    layer.setTooltipContent(box);
    var label = (window.kkLabels || {})[code];  // the class's mark after the name: not by colour alone
    if (label) { label.span.textContent = label.name + " (" + s[3] + ")"; }
    var path = layer.getElement();
    if (path) { path.setAttribute("data-kk-code", code); path.setAttribute("data-kk-fill", s[0]); }
    var lines = [layer.feature.properties.name].concat(style.tips[code] || []);
    if (path && style.pick) { kkKeyboard(layer, path, lines); }
    else if (path && lines.length > 1) { kkFocusable(path, lines); }  // figures shown, nothing to choose: read, not pressed
  });
  window.kkMap.getContainer().setAttribute("data-kk-selection", style.token);
};
// a municipality chosen with the keyboard as with the mouse: Tab reaches it (its name and figures read out, its
// tooltip shown), Enter or Space clicks it (the click travels to streamlit-folium as a mouse click does)
window.kkKeyboard = function (layer, path, lines) {
  kkFocusable(path, lines);
  path.setAttribute("role", "button");
  if (path.kkKeys) { return; }
  path.kkKeys = true;
  path.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      layer.fire("click", {latlng: layer.getCenter(), originalEvent: event}, true);
    }
  });
  path.addEventListener("focus", function () { layer.openTooltip(layer.getCenter()); });
  path.addEventListener("blur", function () { layer.closeTooltip(); });
};
// a place or area whose figures a tooltip shows, reached by the keyboard too: a Tab stop named with its name and
// figures (a screen reader reads them; Leaflet opens a bound tooltip when its element takes the focus)
window.kkFocusable = function (el, lines) {
  if (!el) { return; }
  el.setAttribute("tabindex", "0");
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", lines.join(". "));
};
window.kkEl = function (tag, text, cls) {
  var el = document.createElement(tag);
  if (text !== undefined && text !== null) { el.textContent = String(text); }
  if (cls) { el.className = cls; }
  return el;
};
"""


class Regions(MacroElement):
    """Municipality polygons, fetched from ``url`` (a static GeoJSON file on this server).

    The fetch is asynchronous, so colours wait in ``window.kkStyle`` until the polygons exist:
    ``kkApply`` runs when either side arrives last."""

    _template = Template("""
{% macro script(this, kwargs) %}
""" + HELPERS + """
window.kkMap = {{ this._parent.get_name() }};
window.kkRegions = null;
window.kkApply = function () {
  var regions = window.kkRegions, style = window.kkStyle;
  if (regions && style) { kkRestyle(regions, style); }
  if (regions && style && style.pick && window.kkClick && !regions.kkClickBound) {
    regions.on("click", window.kkClick);  // the first click on a municipality after the map has loaded counts too
    regions.kkClickBound = true;
  }
};
fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(function (data) {
  window.kkRegions = L.geoJson(data, {
    style: function () { return {color: "#4d4d4d", weight: 1, fillColor: "#bdbdbd", fillOpacity: 0.85}; },
    onEachFeature: function (feature, layer) { layer.bindTooltip(kkEl("strong", feature.properties.name), {sticky: true}); }
  }).addTo(window.kkMap);
  window.kkRegions.bringToBack();
  window.kkApply();
});
{% endmacro %}
""")

    def __init__(self, url: str):
        super().__init__()
        self._name = "Regions"
        self.url = url


class Overlays(MacroElement):
    """Names, learning centres and FA outlines, each a layer the user can switch off."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var names = {{ this.layer_names|tojson }};
  var labels = L.layerGroup();
  window.kkLabels = {};
  {{ this.labels|tojson }}.forEach(function (p) {
    var span = kkEl("span", p.name);
    window.kkLabels[p.code] = {span: span, name: p.name};
    var icon = L.divIcon({className: "kk-label", html: span, iconSize: null});
    L.marker([p.lat, p.lon], {icon: icon, interactive: false, keyboard: false}).addTo(labels);
  });
  var centres = L.layerGroup();
  {{ this.centres|tojson }}.forEach(function (c) {
    var box = kkEl("div", null, "kk-popup");
    box.appendChild(kkEl("strong", c.name));
    c.lines.forEach(function (line) { box.appendChild(kkEl("div", line)); });
    L.circleMarker([c.lat, c.lon], {radius: 7, color: "#1a1a1a", weight: 1.5, fillColor: c.colour, fillOpacity: 1})
      .bindPopup(box).bindTooltip(kkEl("span", c.name)).addTo(centres);
  });
  var fa = L.geoJson(null, {interactive: false, style: {color: "#1a1a1a", weight: 3, dashArray: "10 6", fill: false}});
  fetch({{ this.fa_url|tojson }}).then(function (r) { return r.json(); }).then(function (data) { fa.addData(data); });
  var overlays = {};
  overlays[names.labels] = labels.addTo(map);
  overlays[names.centres] = centres.addTo(map);
  overlays[names.fa] = {{ 'fa.addTo(map)' if this.show_fa else 'fa' }};
  L.control.layers(null, overlays, {collapsed: true, position: "topright"}).addTo(map);
  map.fitBounds({{ this.bounds|tojson }}, {padding: [8, 8]});
})();
{% endmacro %}
""")

    def __init__(self, labels: list[dict], centres: list[dict], fa_url: str, layer_names: dict[str, str],
                 bounds: list[list[float]], show_fa: bool = False):
        super().__init__()
        self._name = "Overlays"
        self.labels, self.centres, self.fa_url = labels, centres, fa_url
        self.layer_names, self.bounds, self.show_fa = layer_names, bounds, show_fa


class Restyle(MacroElement):
    """Colours and tooltips for one selection (small: no geometry)."""

    _template = Template("""
{% macro script(this, kwargs) %}
window.kkStyle = {styles: {{ this.styles|tojson }}, tips: {{ this.tips|tojson }}, token: {{ this.token|tojson }},
                 pick: {{ this.pick|tojson }}};
// streamlit-folium evaluates this script inside its own code, where its click handler lives; it binds that handler
// only to the layers present when it runs, and the polygons arrive later (fetched): kkApply binds it to them
if (typeof onLayerClick === "function") { window.kkClick = onLayerClick; }
if (window.kkApply) { window.kkApply(); }
{% endmacro %}
""")

    def __init__(self, styles: dict, tips: dict, token: str, pick: bool = False):
        """``pick``: the municipalities are chosen by clicking them (the needs map), so the keyboard can too."""
        super().__init__()
        self._name = "Restyle"
        self.styles, self.tips, self.token, self.pick = styles, tips, token, pick


def css(font_px: int) -> str:
    """Styles for names and popups (inline: no stylesheet to fetch)."""
    return f"""<style>
.kk-label span {{ position: absolute; transform: translate(-50%, -50%); white-space: nowrap; font: 600 {font_px}px/1.1 sans-serif;
  color: #111; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.kk-popup {{ font: 13px/1.4 sans-serif; max-width: 280px; }}
.leaflet-tooltip {{ font-size: {font_px - 1}px; }}
path.leaflet-interactive:focus-visible {{ outline: none; stroke: #b0202c; stroke-width: 5px; stroke-dasharray: none; }}
</style>"""
