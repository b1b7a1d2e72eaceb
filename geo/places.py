"""Places (localities) as points: the 14 municipalities' towns and the destinations beyond."""

from __future__ import annotations

import geopandas as gpd

from data import reference


def places() -> gpd.GeoDataFrame:
    frame = reference.places()
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)


def learning_centres(with_position_only: bool = True) -> gpd.GeoDataFrame:
    frame = reference.learning_centres()
    if with_position_only:
        frame = frame.dropna(subset=["lat", "lon"])
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
