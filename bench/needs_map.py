"""Benchmark of the needs map: server time of a filter change, and browser time to recoloured polygons.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/needs_map.py`` (``make bench``).

- Server: ``AppTest.run()`` wall time of the real map page after a warm-up, median of N runs,
  each a real filter change (the industry group toggles), beside a trivial page and beside
  ``bench/straightforward_map.py`` (join, classification and map rebuilt on every rerun).
- Browser: a real ``streamlit run`` and headless Chromium; time from choosing another industry
  group in the filter bar to the map's polygons carrying the new colours (the ``Restyle``
  script stamps the map with a token of the colours it applied), median of N changes.

``--smoke``: the Fyrbodal register only, each measured once (the same code, a server and Chromium included, in
seconds; ``make bench-smoke`` and the tests run it).
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
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import registers  # noqa: E402
from overview import RUNS, SMOKE_RUNS, rerun_median, trivial_median  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from components import state  # noqa: E402
from services.register.store import Register  # noqa: E402

INDUSTRIES = ("ig:manufacturing", "ig:health_care")
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def map_page_median(area: str, runs: int) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["area"] = area
    at.run()
    at.query_params["area"] = area
    at.switch_page("pages/needs_map.py")
    return rerun_median(at, state.P_FOCUS, INDUSTRIES, runs)


def straightforward_median(area: str, runs: int) -> float:
    at = AppTest.from_file(str(ROOT / "bench" / "straightforward_map.py"), default_timeout=180)
    at.query_params["area"] = area
    return rerun_median(at, "industry", INDUSTRIES, runs)


def browser_median(url: str, area: str, runs: int) -> tuple[float, int] | None:
    """Median seconds from an industry choice to recoloured polygons, and the number of polygons."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from tests.e2e.helpers import CHROMIUM, serving

    if CHROMIUM is None:
        return None
    with serving(os.environ | {"DATABASE_URL": url}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{base}/")
        page.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
        page.goto(f"{base}/behovskarta?area={area}")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path[data-kk-fill]").first.wait_for(timeout=120_000)
        polygons = frame.locator("path[data-kk-code]").count()
        labels = {"ig:manufacturing": "Branschgrupp: Tillverkning och verkstad", "ig:health_care": "Branschgrupp: Vård och omsorg"}
        times = []
        for i in range(runs):
            token = page.evaluate(f"() => document.querySelector('{MAP_FRAME}').contentDocument"
                                  ".querySelector('[data-kk-selection]').getAttribute('data-kk-selection')")
            page.get_by_test_id("stSelectbox").filter(has_text="Bransch").click()
            page.keyboard.type(labels[INDUSTRIES[i % 2]])  # the list draws only the options in view: typing brings it there
            option = page.get_by_role("option", name=labels[INDUSTRIES[i % 2]])
            option.wait_for()
            start = time.perf_counter()
            option.click()
            page.wait_for_function(
                """([sel, old]) => { const f = document.querySelector(sel);
                     const m = f && f.contentDocument && f.contentDocument.querySelector('[data-kk-selection]');
                     return m && m.getAttribute('data-kk-selection') !== old; }""",
                arg=[MAP_FRAME, token], timeout=60_000, polling="raf",
            )
            times.append(time.perf_counter() - start)
        browser.close()
    return statistics.median(times), polygons


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="the Fyrbodal register only, each measured once: seconds")
    smoke = parser.parse_args().smoke
    runs, scales = (SMOKE_RUNS, (("fyrbodal", "fyrbodal"),)) if smoke else (RUNS, (("fyrbodal", "fyrbodal"), ("national", "all")))
    with tempfile.TemporaryDirectory() as tmp:
        for scale, area in scales:
            url = f"sqlite:///{Path(tmp) / scale}.sqlite"
            registers.demo(url, scale)
            os.environ["DATABASE_URL"] = url
            n = len(Register(url).needs_frame())
            ours, naive, trivial = map_page_median(area, runs), straightforward_median(area, runs), trivial_median(runs)
            print(f"{scale:9s} {n:>7,} needs | map page filter change median {ours * 1000:5.0f} ms | straightforward "
                  f"{naive * 1000:5.0f} ms (x{naive / ours:.1f}) | trivial page {trivial * 1000:3.0f} ms")
            browser = browser_median(url, area, runs)
            if browser:
                print(f"{scale:9s} browser: filter change to recoloured polygons ({browser[1]} polygons), "
                      f"median of {runs}: {browser[0] * 1000:5.0f} ms")
            else:
                print(f"{scale:9s} browser: skipped (no Chromium/Playwright)")


if __name__ == "__main__":
    main()
