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
