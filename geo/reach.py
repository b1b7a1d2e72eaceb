"""Which municipalities' study places are within reach of Fyrbodal: the travel model's public-transport minutes from
the nearest Fyrbodal locality to each municipality's town, and the reach the YH supply (``data/yh_supply.csv``) keeps.

The travel model (``geo.network``, ``geo.travel``, parameters ``data/travel_model.toml``) covers Fyrbodal and a few
towns beyond. For the supply's reach it is extended, here only, by the towns of the municipalities around Fyrbodal
and the lines that serve them (``data/reach_nodes.csv``, ``data/reach_links.csv``: authored like the model's own
links, approximate town points), and run unchanged: the same speeds, bus factor and transfer time. The app's own
network (the access page, the travel matrix) is not changed by it.

A municipality is **within reach** when it is one of the 14, or when a town of it (a place of the places table or a
``town`` node: junctions do not count, a study place is in a town) is at most ``REACH_MINUTES`` by public transport
from some Fyrbodal locality. A municipality with no town in the network is out of reach; where that is decided by the
model's speeds alone, it says so: the fastest the model moves is by train, ``rail_speed_kmh / rail_circuity`` in a
straight line (68 km/h), so a municipality whose whole area lies farther than that many km in ``REACH_MINUTES``
(102 km) from every Fyrbodal locality cannot be within reach. ``python -m geo.reach`` writes ``data/yh_reach.csv``;
it refuses to when a municipality inside that radius has a study place in the MYH files but no town in the network
(author one first), so no decision rests on a town left out.

Minutes are the model's: journey time from the first departure, no waiting for it; modelled, not measured.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from data import reference
from geo import boundaries, network, travel

REACH_MINUTES = 90.0
OUT = Path(reference.HERE) / "yh_reach.csv"


def _read(name: str) -> pd.DataFrame:
    frame = pd.read_csv(Path(reference.HERE) / name, dtype=str, keep_default_na=False)
    if "lat" in frame:
        frame[["lat", "lon"]] = frame[["lat", "lon"]].astype(float)
    return frame


@cache
def extended_network() -> network.Network:
    """The travel model's network with the towns and lines around Fyrbodal added (``data/reach_*.csv``)."""
    nodes = pd.concat([reference.network_nodes(), _read("reach_nodes.csv")], ignore_index=True)
    links = pd.concat([reference.network_links(), _read("reach_links.csv")], ignore_index=True)
    return network.build(reference.places(), nodes, links)


def straight_line_bound(params: network.Parameters, minutes: float = REACH_MINUTES) -> float:
    """The farthest (km, in a straight line) the model can carry anyone in ``minutes``: by train, its fastest mode
    (bus: road speed x bus factor / circuity is slower on every road class)."""
    fastest_rail = params.rail_speed_kmh / params.rail_circuity
    fastest_bus = max(params.road_speed_kmh[c] * params.bus_factor / params.circuity[c] for c in params.road_speed_kmh)
    return max(fastest_rail, fastest_bus) * minutes / 60


def towns(net: network.Network) -> pd.DataFrame:
    """The network's towns (places and ``town`` nodes) with the Swedish municipality each lies in (``""``: abroad)."""
    kinds = pd.concat([reference.places()[["place_id", "kind"]].rename(columns={"place_id": "node_id"}),
                       pd.concat([reference.network_nodes(), _read("reach_nodes.csv")])[["node_id", "kind"]]])
    frame = net.nodes.merge(kinds, on="node_id", how="left")
    frame = frame[frame["kind"].isin(["locality", "destination", "town"])].copy()
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
    kommun = boundaries.municipalities()[["code", "geometry"]]
    joined = gpd.sjoin_nearest(points.to_crs(boundaries.SWEREF99TM), kommun.to_crs(boundaries.SWEREF99TM),
                               max_distance=3000, how="left")
    joined = joined[~joined.index.duplicated()]
    own = dict(zip(reference.places()["place_id"], reference.places()["municipality_code"]))
    by_polygon = joined["code"].fillna("").astype(str)
    # a locality keeps the municipality of the places table (the simplified polygons put Myggenäs in Tjörn)
    frame["municipality_code"] = [own.get(n) or p for n, p in zip(frame["node_id"], by_polygon)]
    return frame.reset_index()[["index", "node_id", "name", "kind", "municipality_code"]].rename(columns={"index": "position"})


def reach(study_codes: set[str] | None = None) -> pd.DataFrame:
    """One row per Swedish municipality: ``code``, ``name``, ``in_fyrbodal``, ``town``, ``minutes_pt`` (the fewest
    modelled minutes from a Fyrbodal locality to a town of it; "" when none is in the network), ``from_place``,
    ``within_reach`` ("yes"/"no") and ``basis`` (why). ``study_codes``: municipalities with a study place in the
    files; one inside the straight-line radius without a town in the network raises ``ValueError``."""
    net, params = extended_network(), network.default_parameters()
    minutes = travel.public_transport(net, params)
    fyrbodal = set(reference.fyrbodal_codes())
    places = reference.places()
    origins = [net.position(pid) for pid in places.loc[places["kind"] == "locality", "place_id"]]
    found = towns(net)
    radius = straight_line_bound(params)
    kommun = boundaries.municipalities()[["code", "name", "geometry"]].to_crs(boundaries.SWEREF99TM)
    origin_points = gpd.GeoSeries(gpd.points_from_xy(places.loc[places["kind"] == "locality", "lon"],
                                                     places.loc[places["kind"] == "locality", "lat"]), crs=4326)
    origin_points = origin_points.to_crs(boundaries.SWEREF99TM)
    nearest_km = np.array([min(geom.distance(p) for p in origin_points) / 1000 for geom in kommun.geometry])
    rows, unmodelled = [], []
    for (code, name), km in zip(zip(kommun["code"], kommun["name"]), nearest_km):
        mine = found[found["municipality_code"] == code]
        row = {"code": code, "name": name, "in_fyrbodal": "yes" if code in fyrbodal else "no", "town": "",
               "minutes_pt": "", "from_place": "", "nearest_km": f"{km:.1f}"}
        best = None
        for town in mine.itertuples():
            times = minutes[origins, town.position]
            k = int(np.argmin(times))
            if best is None or times[k] < best[0]:
                best = (float(times[k]), town.name, net.nodes.at[origins[k], "name"])
        if best is not None and np.isfinite(best[0]):
            row.update(town=best[1], minutes_pt=f"{best[0]:.1f}", from_place=best[2])
        if code in fyrbodal:
            row.update(within_reach="yes", basis="one of the 14 Fyrbodal municipalities")
        elif row["minutes_pt"] != "":
            inside = best is not None and best[0] <= REACH_MINUTES
            row.update(within_reach="yes" if inside else "no",
                       basis=f"modelled: {row['minutes_pt']} min by public transport from {row['from_place']} to "
                             f"{row['town']} ({'≤' if inside else '>'} {REACH_MINUTES:.0f})")
        elif km > radius:
            row.update(within_reach="no", basis=f"farther than {radius:.0f} km in a straight line from every Fyrbodal "
                                                f"locality: beyond {REACH_MINUTES:.0f} min at the model's fastest speed")
        else:
            row.update(within_reach="no", basis="no town of it in the travel network (no study place in the MYH files)")
            if study_codes is not None and code in study_codes:
                unmodelled.append(f"{name} ({code})")
        rows.append(row)
    if unmodelled:
        raise ValueError(f"within {radius:.0f} km of Fyrbodal, with a study place, but no town in the network: "
                         f"{', '.join(unmodelled)}; add it to data/reach_nodes.csv and reach_links.csv")
    out = pd.DataFrame(rows)
    return out[["code", "name", "in_fyrbodal", "within_reach", "minutes_pt", "from_place", "town", "nearest_km", "basis"]]


def main() -> None:
    from data import build_yh_supply

    frame = reach(set(build_yh_supply.read_files()["municipality_code"]))
    frame.to_csv(OUT, index=False)
    inside = frame[frame["within_reach"] == "yes"]
    print(f"{len(inside)} municipalities within reach ({', '.join(inside.loc[inside['in_fyrbodal'] == 'no', 'name'])})")


if __name__ == "__main__":
    main()
