"""The app's palettes stay apart for the common colour-vision deficiencies: each palette is seen as a person with
protanopia, deuteranopia or tritanopia sees it (Machado, Oliveira & Fernandes 2009, full severity, in linear sRGB;
``colour-science``), and every two colours a reader must tell apart (neighbouring classes of a scale, any two of a
set of kinds) differ by a CIEDE2000 colour difference of at least 10 (about 5 is "clearly different" side by side).
Measured lowest: 10.2 (the five-class scale, protanopia), 10.9 (the learning-centre kinds, tritanopia)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from components.charts import NEED_TYPE_COLOURS
from components.maps.access import CLASS_COLOURS, UNREACHABLE
from components.maps.needs import CENTRE_COLOURS
from core.analysis.classes import FIXED, SEQUENTIAL

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science says matplotlib is missing: not needed here
    colour = pytest.importorskip("colour", reason="colour-science is not installed (the test extra)")

SEEN_AS = ("normal", "Protanomaly", "Deuteranomaly", "Tritanomaly")
LEAST = 10.0
SCALES = {f"needs map, {n} classes": SEQUENTIAL[n] for n in (2, 3, 4, 5)} | {
    "upskilling share": FIXED["upskilling_share"][1], "change": FIXED["change"][1]}
KINDS = {"need types": tuple(NEED_TYPE_COLOURS.values()), "travel-time classes": (*CLASS_COLOURS, UNREACHABLE),
         "learning-centre kinds": tuple(CENTRE_COLOURS.values())}


def seen(hexes, deficiency: str) -> np.ndarray:
    """CIE Lab of the colours as seen with ``deficiency`` (normal: as they are)."""
    space = colour.RGB_COLOURSPACES["sRGB"]
    linear = colour.cctf_decoding(np.array([[int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)] for h in hexes]), function="sRGB")
    if deficiency != "normal":
        linear = np.clip(linear @ colour.matrix_cvd_Machado2009(deficiency, 1.0).T, 0, 1)
    return colour.XYZ_to_Lab(colour.RGB_to_XYZ(linear, space, illuminant=space.whitepoint), space.whitepoint)


def least_difference(hexes, deficiency: str, pairs) -> float:
    lab = seen(hexes, deficiency)
    return min(float(colour.delta_E(lab[i], lab[j], method="CIE 2000")) for i, j in pairs)


@pytest.mark.parametrize("deficiency", SEEN_AS)
@pytest.mark.parametrize("name", SCALES)
def test_neighbouring_classes_stay_apart(name, deficiency):
    scale = SCALES[name]
    assert least_difference(scale, deficiency, zip(range(len(scale) - 1), range(1, len(scale)))) >= LEAST


@pytest.mark.parametrize("deficiency", SEEN_AS)
@pytest.mark.parametrize("name", KINDS)
def test_every_two_kinds_stay_apart(name, deficiency):
    kinds = KINDS[name]
    assert least_difference(kinds, deficiency, itertools.combinations(range(len(kinds)), 2)) >= LEAST


def test_the_measure_tells_a_red_green_pair_apart_only_for_normal_vision():
    """The check can fail: ColorBrewer's red and green, far apart for normal vision, merge for deuteranopia."""
    red_green = ("#d7191c", "#1a9641")
    assert least_difference(red_green, "normal", [(0, 1)]) >= LEAST
    assert least_difference(red_green, "Deuteranomaly", [(0, 1)]) < LEAST
