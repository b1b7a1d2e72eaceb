"""The travel model: km by road and minutes by car and by public transport between all nodes.

Car: the fastest path on the road and ferry links (scipy's Dijkstra), its km summed along that
path, plus a terminal time at each end. Public transport: buses run along road links that carry a
bus line, at the road speed times a bus factor, trains along rail links; the graph has one state
per (node, line), so every change of line costs a transfer. Minutes are a journey planner's
figure, first departure to arrival: waiting for the first departure is not included. Rail km and
minutes (trains only) exist so the model can be checked against the sourced rail figures.

Within one place the model says 0 minutes: it works at locality level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.network import Network, Parameters

TINY = 1e-9  # scipy drops explicit zeros from sparse graphs; free moves cost this instead


@dataclass(frozen=True)
class Routes:
    """Node x node matrices (the network's node order)."""

    km_road: np.ndarray
    minutes_car: np.ndarray
    minutes_pt: np.ndarray
    km_rail: np.ndarray
    minutes_rail: np.ndarray


def link_km(net: Network, params: Parameters) -> np.ndarray:
    links = net.links
    factor = np.where(
        links["mode"] == "rail", params.rail_circuity,
        links["road_class"].map(params.circuity).fillna(params.circuity["ferry"]).to_numpy(float),
    )
    return links["straight_km"].to_numpy() * factor


def _road_minutes(net: Network, params: Parameters, km: np.ndarray, bus: bool) -> np.ndarray:
    links = net.links
    speed = links["road_class"].map(params.road_speed_kmh).to_numpy(float) * (params.bus_factor if bus else 1.0)
    ferry = links["mode"].to_numpy() == "ferry"
    return np.where(ferry, links["ferry_minutes"].to_numpy(float), km / np.where(ferry, 1.0, speed) * 60)


def _graph(n: int, a, b, w, extra=None, both: bool = True) -> tuple[csr_matrix, csr_matrix | None]:
    """A sparse graph keeping the cheapest of parallel edges, and ``extra`` of the edges kept."""
    a, b, w = np.asarray(a, int), np.asarray(b, int), np.asarray(w, float)
    extra = np.zeros(len(w)) if extra is None else np.asarray(extra, float)
    if both:
        a, b, w, extra = (np.concatenate([x, y]) for x, y in ((a, b), (b, a), (w, w), (extra, extra)))
    best: dict[tuple[int, int], tuple[float, float]] = {}
    for i, j, x, e in zip(a.tolist(), b.tolist(), w.tolist(), extra.tolist()):
        if x < best.get((i, j), (np.inf, 0.0))[0]:
            best[(i, j)] = (max(x, TINY), max(e, TINY))
    if not best:
        return csr_matrix((n, n)), csr_matrix((n, n))
    rows, cols = zip(*best.keys())
    weights, extras = zip(*best.values())
    return (csr_matrix((weights, (rows, cols)), shape=(n, n)), csr_matrix((extras, (rows, cols)), shape=(n, n)))


def _along_path(dist: np.ndarray, pred: np.ndarray, step: csr_matrix) -> np.ndarray:
    """Sum ``step`` (an edge attribute) along each shortest path given by the predecessors."""
    out = np.full(dist.shape, np.inf)
    step = step.tolil()
    for s in range(dist.shape[0]):
        out[s, s] = 0.0
        for t in np.argsort(dist[s], kind="stable"):
            p = pred[s, t]
            if p >= 0:
                out[s, t] = out[s, p] + step[p, t]
    return out


def road(net: Network, params: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """(km, car minutes) between all nodes along the fastest road path."""
    roads = net.links[net.links["mode"] != "rail"]
    idx = roads.index.to_numpy()
    km_all = link_km(net, params)
    minutes = _road_minutes(net, params, km_all, bus=False)[idx]
    time_graph, km_graph = _graph(net.size, roads["a"], roads["b"], minutes, extra=km_all[idx])
    dist, pred = dijkstra(time_graph, return_predecessors=True)
    km_along = _along_path(dist, pred, km_graph)
    car = dist + 2 * params.terminal_minutes
    np.fill_diagonal(car, 0.0)
    return km_along, car


def rail(net: Network, params: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """(rail km, train minutes) between stations along the shortest rail path; inf where no rail."""
    rails = net.links[net.links["mode"] == "rail"]
    km = link_km(net, params)[rails.index.to_numpy()]
    graph, hops = _graph(net.size, rails["a"], rails["b"], km, extra=np.ones(len(rails)))
    dist, pred = dijkstra(graph, return_predecessors=True)
    stops = _along_path(dist, pred, hops)
    minutes = dist / params.rail_speed_kmh * 60 + np.maximum(stops - 1, 0) * params.rail_dwell_minutes
    return dist, minutes


def public_transport(net: Network, params: Parameters) -> np.ndarray:
    """Journey minutes between all nodes by bus and train, transfers included."""
    links = net.links
    km = link_km(net, params)
    bus_minutes = _road_minutes(net, params, km, bus=True)
    rail_minutes = km / params.rail_speed_kmh * 60 + params.rail_dwell_minutes
    line = np.where(links["mode"] == "rail", links["rail_line"].fillna(""), links["bus_line"].fillna(""))
    line = np.where(links["mode"] == "rail", np.char.add("rail:", line.astype(str)), line.astype(str))
    minutes = np.where(links["mode"] == "rail", rail_minutes, bus_minutes)
    served = np.array([bool(x) and x != "rail:" for x in line])
    states: dict[tuple[int, str], int] = {}
    n = net.size

    def state(node: int, name: str) -> int:
        return states.setdefault((node, name), 2 * n + len(states))

    a_list, b_list, w_list = [], [], []
    for i in np.flatnonzero(served):
        u, v = state(links.at[i, "a"], line[i]), state(links.at[i, "b"], line[i])
        a_list += [u, v]
        b_list += [v, u]
        w_list += [minutes[i], minutes[i]]
    by_node: dict[int, list[int]] = {}
    for (node, _), s in states.items():
        by_node.setdefault(node, []).append(s)
    for node, ss in by_node.items():
        for s in ss:
            a_list += [node, s]  # board: node -> state; alight: state -> n + node
            b_list += [s, n + node]
            w_list += [0.0, 0.0]
            for other in ss:
                if other != s:
                    a_list.append(s)
                    b_list.append(other)
                    w_list.append(params.transfer_minutes)
    size = 2 * n + len(states)
    graph, _ = _graph(size, a_list, b_list, w_list, both=False)
    dist = dijkstra(graph, indices=np.arange(n))[:, n:2 * n]
    dist = np.where(dist < 1e-6, 0.0, dist)
    np.fill_diagonal(dist, 0.0)
    return dist


def routes(net: Network, params: Parameters) -> Routes:
    km_road, car = road(net, params)
    km_rail, minutes_rail = rail(net, params)
    return Routes(km_road=km_road, minutes_car=car, minutes_pt=public_transport(net, params),
                  km_rail=km_rail, minutes_rail=minutes_rail)
