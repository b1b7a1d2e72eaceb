"""The travel model against every sourced figure, and the fit of its free parameters.

``checks(routes)`` puts each sourced road km, car, public-transport and rail figure beside the
model's value with the relative error and the tolerance (15 % for the seed document's two
Kungshamn pairs, 25 % for the rest). ``python -m geo.calibration`` fits the detour factors, the
bus factor, the rail figures and the transfer time by coordinate descent, minimising the worst
error relative to its tolerance and then the sum of squared errors, and prints the result; the
values chosen are written by hand into ``data/travel_model.toml``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from data import reference
from geo import travel
from geo.network import Network, Parameters, default_network, default_parameters

MEASURES = {  # measure -> the Routes matrix it is compared with
    "road_km": "km_road",
    "car_minutes": "minutes_car",
    "pt_minutes": "minutes_pt",
    "rail_km": "km_rail",
    "rail_minutes": "minutes_rail",
}


def _node(net: Network, name: str) -> int:
    names = dict(zip(net.nodes["name"], net.nodes.index)) | dict(zip(net.nodes["node_id"], net.nodes.index))
    return int(names[name])


def checks(net: Network, routes: travel.Routes, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per sourced figure: model value, relative error, within tolerance."""
    table = reference.travel_checks() if table is None else table
    model = [
        float(getattr(routes, MEASURES[m])[_node(net, a), _node(net, b)])
        for a, b, m in zip(table["from_name"], table["to_name"], table["measure"])
    ]
    out = table.assign(model=np.round(model, 1))
    out["error"] = (out["model"] - out["value"]) / out["value"]
    out["within"] = out["error"].abs() <= out["tolerance"]
    out["to_name"] = [net.nodes.at[_node(net, n), "name"] for n in out["to_name"]]
    return out


def score(net: Network, params: Parameters) -> tuple[float, float]:
    result = checks(net, travel.routes(net, params))
    ratio = (result["error"].abs() / result["tolerance"]).to_numpy()
    return float(ratio.max()), float((result["error"] ** 2).sum())


FREE = {  # parameter path -> candidate values
    ("circuity", "motorway"): np.arange(1.02, 1.21, 0.02),
    ("circuity", "trunk"): np.arange(1.04, 1.31, 0.02),
    ("circuity", "regional"): np.arange(1.10, 1.51, 0.05),
    ("circuity", "local"): np.arange(1.10, 1.61, 0.05),
    ("bus_factor",): np.arange(0.50, 0.91, 0.05),
    ("transfer_minutes",): np.arange(5.0, 20.1, 2.5),
    ("rail_circuity",): np.arange(1.05, 1.31, 0.025),
    ("rail_speed_kmh",): np.arange(65.0, 100.1, 2.5),
}


def _with(params: Parameters, path: tuple[str, ...], value: float) -> Parameters:
    changed: dict[str, Any] = {path[0]: dict(getattr(params, path[0])) | {path[1]: float(value)} if len(path) == 2 else float(value)}
    return dataclasses.replace(params, **changed)


def fit(net: Network, params: Parameters, sweeps: int = 4) -> Parameters:
    best = score(net, params)
    for _ in range(sweeps):
        for path, values in FREE.items():
            for value in values:
                trial = _with(params, path, round(float(value), 3))
                s = score(net, trial)
                if s < best:
                    best, params = s, trial
    return params


if __name__ == "__main__":
    network = default_network()
    fitted = fit(network, default_parameters())
    print(fitted)
    pd.set_option("display.width", 200)
    print(checks(network, travel.routes(network, fitted))[["from_name", "to_name", "measure", "value", "model", "error", "within"]])
    print("worst error / tolerance, sum of squares:", score(network, fitted))
