"""Class breaks and colours for a choropleth, with "no data" and zero kept apart from the classes.

Counts and rates are classified by natural breaks (Fisher–Jenks, via ``jenkspy``: a C
implementation, well under a millisecond for 290 values where mapclassify's pure-Python
Fisher–Jenks takes about 125 ms without numba) or by quantiles. Shares and changes have fixed,
symmetric breaks, so the same colour means the same thing on every map. Palettes are
ColorBrewer's colour-blind-safe schemes (YlGnBu, BrBG) and an orange–blue scheme matching the
need-type colours of the charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import jenkspy
import numpy as np
import pandas as pd

from core.common import formatting
from core.common.i18n import t

NO_DATA = -1
ZERO = -2
METHODS = ("jenks", "quantiles")
INTEGER_METRICS = ("persons", "companies")

SEQUENTIAL = {  # ColorBrewer YlGnBu, by number of classes
    1: ("#41b6c4",),
    2: ("#a1dab4", "#2c7fb8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
}
FIXED: dict[str, tuple[tuple[float, ...], tuple[str, ...]]] = {
    # recruitment-dominated (orange) to upskilling-dominated (blue), as in the charts
    "upskilling_share": ((0.0, 0.2, 0.4, 0.6, 0.8, 1.0), ("#e66101", "#fdb863", "#f7f7f7", "#92c5de", "#0571b0")),
    # ColorBrewer BrBG: fewer persons than the previous period (brown) to more (teal)
    "change": ((-np.inf, -0.5, -0.1, 0.1, 0.5, np.inf), ("#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571")),
}
ZERO_COLOUR = "#ffffff"
NO_DATA_COLOUR = "#bdbdbd"


@dataclass(frozen=True)
class Classes:
    """``bounds`` has one more entry than ``colours``: class i holds values in (bounds[i], bounds[i+1]]
    (the first class includes its lower bound)."""

    metric: str
    method: str  # "jenks" | "quantiles" | "fixed"
    bounds: tuple[float, ...]
    colours: tuple[str, ...]
    has_zero: bool  # a "0" entry in the legend (counts and rates only)
    has_no_data: bool

    @property
    def is_integer(self) -> bool:
        return self.metric in INTEGER_METRICS and self.method != "fixed"


def _breaks(values: np.ndarray, method: str, integer: bool) -> tuple[float, ...]:
    distinct = np.unique(values)
    k = min(5, len(distinct))
    if k <= 1:
        return (float(distinct[0]), float(distinct[0])) if k else ()
    if method == "jenks":
        edges = np.asarray(jenkspy.jenks_breaks(values, n_classes=k), dtype=float)
    elif method == "quantiles":
        edges = np.quantile(values, np.linspace(0, 1, k + 1))
        if integer:
            edges[1:-1] = np.floor(edges[1:-1])
    else:
        raise ValueError(f"unknown classification method {method!r}")
    return tuple(float(e) for e in np.unique(edges))


def classify(values: pd.Series, metric: str, method: str = "jenks") -> tuple[pd.Series, Classes]:
    """The class of each value (0 … k-1, ``ZERO`` or ``NO_DATA``) and the classes' description."""
    known = values.notna()
    if metric in FIXED:
        bounds, colours = FIXED[metric]
        inner = np.asarray(bounds[1:-1])
        cls = pd.Series(np.searchsorted(inner, values.fillna(0).to_numpy(), side="left"), index=values.index)
        cls[~known] = NO_DATA
        return cls.astype(int), Classes(metric, "fixed", bounds, colours, False, bool((~known).any()))
    positive = known & (values > 0)
    bounds = _breaks(values[positive].to_numpy(dtype=float), method, metric in INTEGER_METRICS)
    colours = SEQUENTIAL.get(max(len(bounds) - 1, 1), ()) if bounds else ()
    inner = np.asarray(bounds[1:-1]) if len(bounds) > 2 else np.asarray([])
    cls = pd.Series(np.searchsorted(inner, values.fillna(0).to_numpy(), side="left"), index=values.index)
    cls[known & (values <= 0)] = ZERO
    cls[~known] = NO_DATA
    return cls.astype(int), Classes(
        metric, method, bounds, colours, bool((known & (values <= 0)).any()), bool((~known).any()),
    )


def mark_of(cls: int) -> str:
    """The class as a short label beside its colour (on the map's names, in the legend's swatches, in the map's
    table), so a reader who cannot tell the colours apart reads the class: 1 … k from low to high, 0 for zero,
    "–" for no data (or protected)."""
    if cls == NO_DATA:
        return "–"
    if cls == ZERO:
        return "0"
    return str(cls + 1)


def legend_marks(classes: Classes) -> list[str]:
    """The marks of ``legend_entries``' rows, in their order."""
    marks = [mark_of(i) for i in range(max(len(classes.bounds) - 1, 0))][: len(classes.colours)]
    return marks + (["0"] if classes.has_zero else []) + (["–"] if classes.has_no_data else [])


def colour_of(cls: int, classes: Classes) -> str:
    if cls == NO_DATA:
        return NO_DATA_COLOUR
    if cls == ZERO:
        return ZERO_COLOUR
    return classes.colours[cls]


def legend_entries(classes: Classes, lang: str) -> list[tuple[str, str]]:
    """(colour, label) per legend row: the classes from low to high, then zero and no data."""
    rows: list[tuple[str, str]] = []
    bounds = classes.bounds
    for i, colour in enumerate(classes.colours[: max(len(bounds) - 1, 0)]):
        low, high = bounds[i], bounds[i + 1]
        if classes.is_integer and i > 0:
            low = np.floor(low) + 1
        if low == -np.inf:
            label = t(lang, "legend.below", value=formatting.metric(classes.metric, high, lang))
        elif high == np.inf:
            label = t(lang, "legend.above", value=formatting.metric(classes.metric, low, lang))
        elif low == high:
            label = formatting.metric(classes.metric, low, lang)
        else:
            label = t(lang, "legend.range", low=formatting.metric(classes.metric, low, lang), high=formatting.metric(classes.metric, high, lang))
        rows.append((colour, label))
    if classes.has_zero:
        rows.append((ZERO_COLOUR, t(lang, "legend.zero")))
    if classes.has_no_data:
        rows.append((NO_DATA_COLOUR, t(lang, "legend.no_data")))
    return rows
