"""The region's main transport links as a graph: places, junctions, road, ferry and rail links.

No road network can be downloaded here, so the links are authored (``data/network_links.csv``:
E6, E45, road 44, the coastal and regional roads, the Gullmarsleden and Svanesund ferries,
Bohusbanan and the Norway/Vänern line). A link's length is the great-circle distance between
its ends times a detour factor for its class; its speed comes from the class. Places are the
localities of ``data/places.csv``; a place no link mentions is joined to its nearest node by a
local road, so the places table can grow without touching the links.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from data import reference

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Parameters:
    road_speed_kmh: dict[str, float]
    circuity: dict[str, float]
    terminal_minutes: float
    bus_factor: float
    transfer_minutes: float
    rail_circuity: float
    rail_speed_kmh: float
    rail_dwell_minutes: float

    @classmethod
    def from_toml(cls, text: str) -> Parameters:
        raw = tomllib.loads(text)
        pt = raw["public_transport"]
        return cls(
            road_speed_kmh={k: float(v) for k, v in raw["road_speed_kmh"].items()},
            circuity={k: float(v) for k, v in raw["circuity"].items()},
            terminal_minutes=float(raw["car"]["terminal_minutes"]),
            bus_factor=float(pt["bus_factor"]),
            transfer_minutes=float(pt["transfer_minutes"]),
            rail_circuity=float(pt["rail_circuity"]),
            rail_speed_kmh=float(pt["rail_speed_kmh"]),
            rail_dwell_minutes=float(pt["rail_dwell_minutes"]),
        )


@cache
def default_parameters() -> Parameters:
    return Parameters.from_toml((reference.HERE / "travel_model.toml").read_text())


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


@dataclass(frozen=True)
class Network:
    nodes: pd.DataFrame  # node_id, name, lat, lon, is_place (places first, in the places table's order)
    links: pd.DataFrame  # a, b (node positions), mode, road_class, road, bus_line, rail_line, ferry_minutes, straight_km

    @property
    def size(self) -> int:
        return len(self.nodes)

    def position(self, node_id: str) -> int:
        return int(self._index()[node_id])

    def _index(self) -> pd.Series:
        return pd.Series(np.arange(self.size), index=self.nodes["node_id"])


def build(places: pd.DataFrame, junctions: pd.DataFrame, links: pd.DataFrame) -> Network:
    """The network over ``places`` (place_id, name, lat, lon) and the authored junctions and links.

    Links name places by their name and junctions by their id; an unknown name raises ``KeyError``."""
    place_nodes = places.assign(node_id=places["place_id"], is_place=True)[["node_id", "name", "lat", "lon", "is_place"]]
    junction_nodes = junctions.assign(is_place=False)[["node_id", "name", "lat", "lon", "is_place"]]
    nodes = pd.concat([place_nodes, junction_nodes], ignore_index=True)
    by_key = dict(zip(nodes["node_id"], nodes.index)) | dict(zip(place_nodes["name"], place_nodes.index))
    unknown = sorted(set(links["from"]).union(links["to"]) - by_key.keys())
    if unknown:
        raise KeyError(f"network links name unknown places or junctions: {', '.join(unknown)}")
    frame = links.assign(a=links["from"].map(by_key), b=links["to"].map(by_key))
    frame = pd.concat([frame, _connectors(nodes, set(frame["a"]) | set(frame["b"]))], ignore_index=True)
    lat, lon = nodes["lat"].to_numpy(), nodes["lon"].to_numpy()
    a, b = frame["a"].to_numpy(int), frame["b"].to_numpy(int)
    frame["straight_km"] = haversine_km(lat[a], lon[a], lat[b], lon[b])
    frame["ferry_minutes"] = pd.to_numeric(frame["ferry_minutes"], errors="coerce").fillna(0.0)
    keep = ["a", "b", "mode", "road_class", "road", "bus_line", "rail_line", "ferry_minutes", "straight_km"]
    return Network(nodes=nodes, links=frame[keep].astype({"a": int, "b": int}))


def _connectors(nodes: pd.DataFrame, linked: set[int]) -> pd.DataFrame:
    """A local road from every place no link mentions to the nearest linked node."""
    lonely = [i for i in nodes.index if i not in linked]
    if not lonely:
        return pd.DataFrame(columns=["a", "b", "mode", "road_class", "road", "bus_line", "rail_line", "ferry_minutes"])
    targets = np.array(sorted(linked))
    rows = []
    for i in lonely:
        d = haversine_km(nodes.at[i, "lat"], nodes.at[i, "lon"], nodes.loc[targets, "lat"], nodes.loc[targets, "lon"])
        rows.append({"a": i, "b": int(targets[np.argmin(d)]), "mode": "road", "road_class": "local",
                     "road": "connector", "bus_line": "", "rail_line": "", "ferry_minutes": ""})
    return pd.DataFrame(rows)


@cache
def default_network() -> Network:
    places = reference.places()
    return build(places, reference.network_nodes(), reference.network_links())
