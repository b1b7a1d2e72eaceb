"""Benchmark: the travel model, all access metrics, and the supply/demand and access pages' reruns.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/access.py`` (``make bench``); ``--smoke``
measures each once (the same code in seconds; ``make bench-smoke`` and the tests run it).

- Travel model: building the road, rail and public-transport shortest paths for every node.
- All access metrics: for both modes, the nearest centre and the shares within 30/45/60 min per
  place and per municipality, for "any learning centre" and for each of the 50 competences.
- Page reruns: ``AppTest.run()`` wall time after a warm-up, median of N, each run a real change
  of the area in the filter bar, on the Fyrbodal demo register.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import registers  # noqa: E402
from overview import RUNS, SMOKE_RUNS, rerun_median, timed, trivial_median  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from components import state  # noqa: E402
from data import reference  # noqa: E402
from geo import access, travel  # noqa: E402
from geo import matrix as mx  # noqa: E402
from geo.network import default_network, default_parameters  # noqa: E402
from services.register.store import Register  # noqa: E402

AREAS = ("m:1427", "m:1488")


def all_access_metrics(matrix: mx.Matrix, offers, people) -> int:
    places = reference.places()
    target_sets = [access.centre_places(reference.learning_centres(), ["komvux", "learning_centre"])]
    held = access.offer_places_by_competence(offers)
    target_sets += [held.get(c, []) for c in reference.competences()["code"]]
    for targets in target_sets:
        access.municipality_table(access.places_table(matrix, places, people, targets))
    return len(target_sets)


def page_median(url: str, page: str, runs: int) -> float:
    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page(page)
    return rerun_median(at, state.AREA, AREAS, runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="each measured once: seconds")
    runs = SMOKE_RUNS if parser.parse_args().smoke else RUNS
    net, params = default_network(), default_parameters()
    model = statistics.median(timed(lambda: travel.routes(net, params)) for _ in range(runs))
    print(f"travel model, all shortest paths ({net.size} nodes, {len(net.links)} links): {model * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        registers.demo(url)
        offers = Register(url).offers_frame()
        table = reference.municipalities()
        people = access.place_population(reference.places(), dict(zip(table["code"], table["population_2023"])))
        matrix = mx.model()
        sets = all_access_metrics(matrix, offers, people)
        metrics = statistics.median(timed(lambda: all_access_metrics(matrix, offers, people)) for _ in range(runs))
        print(f"all access metrics ({sets} target sets x 2 modes x 3 thresholds, 32 places, 14 municipalities): "
              f"{metrics * 1000:.0f} ms")
        print(f"model + all access metrics from scratch: {(model + metrics) * 1000:.0f} ms")
        print(f"supply/demand page rerun (median of {runs} area changes): {page_median(url, 'pages/supply.py', runs) * 1000:.0f} ms")
        print(f"access page rerun (median of {runs} area changes): {page_median(url, 'pages/access.py', runs) * 1000:.0f} ms")
        print(f"trivial page rerun (baseline): {trivial_median(runs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
