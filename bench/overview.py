"""Benchmark: reference and register load, and the overview's rerun at Fyrbodal and national scale.

Prints figures; asserts nothing. Run with ``make bench`` (or ``.venv/bin/python bench/overview.py``).
Rerun times are server-side ``AppTest.run()`` wall times after a warm-up run, median of N, each
run a real filter change (the area toggles between two values), beside a trivial page (one
``st.write``) rerun in the same process as the baseline of Streamlit's own overhead. ``--smoke``: the Fyrbodal
register only, one change (the same code in seconds; ``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import registers  # noqa: E402  (bench/registers.py: this script's folder is on the path)
from streamlit.testing.v1 import AppTest  # noqa: E402

from components import state  # noqa: E402
from data import reference  # noqa: E402
from geo import boundaries  # noqa: E402
from services.register.store import Register  # noqa: E402

RUNS = 7
SMOKE_RUNS = 1  # --smoke: one filter change after the warm-up, on the Fyrbodal register only (tests/unit/test_bench_smoke.py)


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def load_reference() -> None:
    for loader in (reference.municipalities, reference.places, reference.learning_centres, reference.competences,
                   reference.industry_groups, reference.sni_sections, reference.demo_profiles):
        loader.cache_clear()
        loader()
    boundaries.municipalities.cache_clear()
    boundaries.fa_regions.cache_clear()
    boundaries.municipalities()


def rerun_median(at: AppTest, key: str, values: tuple[str, str], runs: int = RUNS) -> float:
    """Median rerun time after a warm-up run, each run a real change of the selectbox ``key`` between ``values``, which
    the page must offer (a bench that measures a choice the page no longer has stops and says so)."""
    at.run()
    box = at.selectbox(key=key)
    assert box.options, f"the selectbox {key} offers nothing"
    shown = {box.format_func(v) for v in values}  # the page offers labels: a value is offered if its label is
    if not shown <= set(box.options):
        missing = [v for v in values if box.format_func(v) not in box.options]
        raise SystemExit(f"the page does not offer {missing} in {key} (it offers {list(box.options)})")
    times = []
    for i in range(runs):
        at.selectbox(key=key).set_value(values[i % 2])
        times.append(timed(at.run))
        assert not at.exception, at.exception
    return statistics.median(times)


def trivial_median(runs: int = RUNS) -> float:
    at = AppTest.from_string("import streamlit as st\nst.write('trivial')")
    at.run()
    return statistics.median(timed(at.run) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="the same runs on the Fyrbodal register only, once each: seconds")
    args = parser.parse_args()
    runs = SMOKE_RUNS if args.smoke else RUNS
    scales = (("fyrbodal", ("m:1427", "fyrbodal")), ("national", ("m:1427", "fyrbodal")))  # what a visitor is offered
    print(f"reference data load (CSV tables + 290 boundaries with FA overlay): {timed(load_reference) * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        for scale, areas in scales[:1] if args.smoke else scales:
            url = f"sqlite:///{Path(tmp) / scale}.sqlite"
            start = time.perf_counter()
            how = registers.demo(url, scale)
            build = time.perf_counter() - start
            register = Register(url)
            load = timed(register.needs_frame)
            n = len(register.needs_frame())
            os.environ["DATABASE_URL"] = url
            overview = rerun_median(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), state.AREA, areas, runs)
            trivial = trivial_median(runs)
            print(f"{scale:9s} register: {n:>7,} needs | {how:7s} {build:6.2f} s | load {load * 1000:6.0f} ms | "
                  f"overview rerun (filter change) median {overview * 1000:6.0f} ms | trivial page {trivial * 1000:4.0f} ms")


if __name__ == "__main__":
    main()
