"""Maps emit only local asset links (the groundwork of the needs map, issue 3)."""

from __future__ import annotations

import re

import folium

from components.maps.offline import LEAFLET_URL, asset_links, ensure_leaflet_assets, offline_map
from geo import boundaries

URL_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


def busy_map() -> folium.Map:
    """A map with the layers the needs map will use: polygons with tooltips, circle markers."""
    fmap = offline_map((58.6, 11.9), 8)
    shapes = boundaries.area_of(["1427", "1488"])[["code", "name", "geometry"]]
    folium.GeoJson(shapes.to_json(), tooltip=folium.GeoJsonTooltip(["name"])).add_to(fmap)
    folium.CircleMarker((58.36, 11.26), radius=6, popup=folium.Popup("<b>x</b>")).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap


def test_streamlit_folium_would_load_only_local_leaflet():
    links = asset_links(busy_map())
    assert links, "the map needs Leaflet"
    assert all(link.startswith(LEAFLET_URL + "/") for link in links), links


def test_rendered_html_has_no_outside_link():
    html = busy_map().get_root().render()
    outside = [u for u in URL_ATTR.findall(html) if u.startswith(("http:", "https:", "//"))]
    assert outside == []
    assert "tile.openstreetmap" not in html


def test_basemap_only_when_configured():
    fmap = offline_map((58.6, 11.9), 8, tiles_url="http://localhost:8080/{z}/{x}/{y}.png")
    assert "localhost:8080" in fmap.get_root().render()


def test_leaflet_assets_are_copied_with_their_images(tmp_path):
    target = ensure_leaflet_assets(tmp_path / "leaflet")
    assert (target / "leaflet.js").stat().st_size > 100_000
    css = (target / "leaflet.css").read_text()
    for ref in CSS_URL.findall(css):
        if not ref.startswith(("data:", "#")):  # "#default#VML" is an old IE behaviour, not a file
            assert (target / ref).exists(), ref
    assert ensure_leaflet_assets(target) == target  # idempotent
