"""A cohort on the map: member municipalities shaded, the host marked, a line from each member's
central locality to the host (the access map's elements, see ``components.maps.access``)."""

from __future__ import annotations

import folium
from streamlit_folium import st_folium

from components import loaders
from components.maps.access import CENTRE_CSS, AccessLayer
from components.maps.elements import Regions, Restyle, css
from components.maps.offline import offline_map
from core.cohorts.finder import DISTANCE, Cohort
from core.common.config import basemap_url
from data import reference

MEMBER = "#E69F00"  # Okabe–Ito orange
OTHER = "#f2f2f2"
LINE = "#0072B2"


def build(codes: list[str], cohort: Cohort, names: dict[str, str], host_label: str, tips: dict[str, list[str]]) -> folium.Map:
    fmap = offline_map((58.6, 11.9), 8, tiles_url=basemap_url(), zoom_control=True, zoomSnap=0.25)
    fmap.get_root().header.add_child(folium.Element(css(14) + CENTRE_CSS), name="kk_css")
    key = ",".join(codes)
    Regions(loaders.region_geojson_url(key)).add_to(fmap)
    members = set(cohort.municipalities)
    Restyle({c: [MEMBER if c in members else OTHER, False, c in members] for c in codes}, tips, "cohort").add_to(fmap)
    places = reference.places().set_index("place_id")
    homes = loaders.home_places()
    points, lines, centres = [], [], []
    for code in cohort.municipalities:
        home = homes.get(code)
        if home is None:
            continue
        lat, lon = float(places.at[home, "lat"]), float(places.at[home, "lon"])
        persons = sum(m.persons for m in cohort.members if m.municipality_code == code)
        points.append({"name": names.get(code, code), "lat": lat, "lon": lon, "colour": LINE, "radius": 6 + persons,
                       "lines": tips.get(code, [])})
        if cohort.host != DISTANCE:
            lines.append([lat, lon, float(places.at[cohort.host, "lat"]), float(places.at[cohort.host, "lon"]), LINE])
    if cohort.host != DISTANCE:
        centres.append({"name": host_label, "lat": float(places.at[cohort.host, "lat"]), "lon": float(places.at[cohort.host, "lon"]),
                        "added": False, "lines": []})
    AccessLayer(points, lines, centres, loaders.map_bounds(key)).add_to(fmap)
    return fmap


def show(fmap: folium.Map) -> None:
    st_folium(fmap, height=480, use_container_width=True, returned_objects=[], key="cohort_map")
