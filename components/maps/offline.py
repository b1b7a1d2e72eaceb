"""Folium maps that load nothing from the internet.

folium points every map at CDNs (Leaflet, jQuery, Bootstrap, Font Awesome) and streamlit-folium
passes those links on, so without network a map is silently blank. Here a map carries only
Leaflet, copied from the installed ``xstatic-leaflet`` package into ``static/vendor/leaflet``
and served by Streamlit's static serving (``enableStaticServing`` in ``.streamlit/config.toml``);
no tiles unless a basemap URL is configured. Legends are drawn as HTML and markers are
``CircleMarker``s, because branca legends and ``Icon`` markers pull d3 and Font Awesome.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import folium
import streamlit_folium
import xstatic.pkg.leaflet as xleaflet
from branca.element import Element

from core.common.config import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
STATIC_URL = "/app/static"
LEAFLET_URL = f"{STATIC_URL}/vendor/leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")


def ensure_leaflet_assets(target: Path = LEAFLET_DIR) -> Path:
    """Copy Leaflet's files from the installed package once (again when its version changes)."""
    stamp = target / "VERSION"
    if stamp.exists() and stamp.read_text() == xleaflet.VERSION:
        return target
    source = Path(xleaflet.BASE_DIR)
    target.mkdir(parents=True, exist_ok=True)
    for name in LEAFLET_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source / name, target / name)
    stamp.write_text(xleaflet.VERSION)
    return target


class ZoomableMap(folium.Map):
    """folium's map without its ``maximum-scale=1.0, user-scalable=no`` viewport: a visitor on a phone may zoom the page
    (WCAG 2.1, 1.4.4 Resize text; axe-core's ``meta-viewport`` rule)."""

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        header = self.get_root().header
        name = self.get_name()
        if name in header._children:
            html = self._template.module.header(self, {})
            header._children[name] = Element(re.sub(r",\s*maximum-scale=1\.0,\s*user-scalable=no", "", str(html)))


def offline_map(location: tuple[float, float], zoom_start: int, tiles_url: str | None = None,
                tiles_attribution: str = "", **kwargs) -> folium.Map:
    """A folium map whose only scripts and styles are the local Leaflet files (copied here if missing,
    so every map page works on a fresh install, whichever a visitor opens first)."""
    ensure_leaflet_assets()
    fmap = ZoomableMap(location=location, zoom_start=zoom_start, tiles=None, control_scale=True, **kwargs)
    fmap.default_js = [("leaflet", f"{LEAFLET_URL}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{LEAFLET_URL}/leaflet.css")]
    if tiles_url:  # opt-in only: a configured basemap is the one outside request a map may make
        folium.TileLayer(tiles=tiles_url, attr=tiles_attribution or tiles_url).add_to(fmap)
    return fmap


def asset_links(fmap: folium.Map) -> list[str]:
    """Every script and style link streamlit-folium will load for ``fmap`` (as it collects them)."""
    links: list[str] = []
    stack = [fmap]
    while stack:
        element = stack.pop()
        links += [url for _, url in getattr(element, "default_js", [])]
        links += [url for _, url in getattr(element, "default_css", [])]
        stack += list(getattr(element, "_children", {}).values())
    return links


def component_args(fmap: folium.Map, key: str, returned_objects: list[str]) -> dict:
    """What ``st_folium`` hands its component for ``fmap`` (its own steps, in its order), but the colours and the
    caller's options: rendered once, to be sent again on every run (``send``) instead of rendered on each."""
    fmap.get_root().render()
    fmap.render()
    html, header = streamlit_folium._get_html(fmap), streamlit_folium._get_header(fmap)
    script = streamlit_folium._get_map_string(fmap)
    css = list(dict.fromkeys(href for el in _walk(fmap) for _, href in getattr(el, "default_css", [])))
    js = list(dict.fromkeys(src for el in _walk(fmap) for _, src in getattr(el, "default_js", [])))
    return {"script": script, "header": header, "html": html, "id": streamlit_folium.get_full_id(fmap),
            "key": streamlit_folium.generate_js_hash(script, key, False),
            "default": {name: None for name in returned_objects}, "css_links": css, "js_links": js}


def _walk(element) -> list:
    """The map and every element under it (where streamlit-folium collects the scripts and styles to load)."""
    found, stack = [], [element]
    while stack:
        found.append(stack.pop())
        stack += list(getattr(found[-1], "_children", {}).values())
    return found


def send(args: dict, key: str, height: int, returned_objects: list[str], feature_group: str | None = None,
         on_change=None) -> None:
    """The map as ``st_folium(..., key=key, use_container_width=True)`` sends it, from ``component_args``."""
    import streamlit as st

    ensure_leaflet_assets()  # the files the map loads, there also if the static folder was emptied since it was drawn

    def changed() -> None:
        st.session_state[key] = st.session_state.get(args["key"], {})
        if on_change is not None:
            on_change()

    streamlit_folium._component_func(
        **args, height=height, width=None, returned_objects=returned_objects, zoom=None, center=None,
        feature_group=feature_group, return_on_hover=False, layer_control=None, pixelated=False,
        on_change=changed, wrap_longitude=False,
    )
