"""Benchmark: the first visit after a server start, cold (``streamlit run app.py``) against warm (the app's own
server, ``python -m components.server``, as ``make run`` and the image start it, measured after its READY line).

For each server, freshly started on a demo register nobody has opened (no release published yet), headless Chromium
opens the plain address and three deep links in turn, each in a new browser context (a new visitor); printed per
address: seconds from the request to the page's heading, and to the end of the page's run (the app's
``notRunning`` signal), whether the sidebar ever showed Streamlit's file-name navigation, and whether the
"Page not found" box appeared. Also the warm-up's own time (server start to READY).

Prints figures; asserts nothing. Target (issue 22): the first page a visitor opens shows its title and navigation
within 3 s on this machine.

    .venv/bin/python bench/first_visit.py

``--smoke``: the warm server only (the app's own, whose warm-up also runs the cold path: a first run of every page),
and one visit, to the plain address: the same code in the fewest seconds (``make bench-smoke`` and the tests run it;
the tests name their demo register, whose release is published already, and it is copied: ``bench/registers.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import registers  # noqa: E402  (bench/registers.py: this script's folder is on the path)

from tests.e2e.helpers import CHROMIUM, serving, settled  # noqa: E402
from tests.e2e.test_first_visit import FIRST_VISITS, RECORD  # noqa: E402

FILE_NAMES = {"about", "access", "app", "briefing", "needs_map", "overview", "supply"}


def visits(browser, url: str, addresses: list[tuple[str, str, str]]) -> None:
    for address, heading, _title in addresses:
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        page = context.new_page()
        page.add_init_script(RECORD)
        start = time.perf_counter()
        page.goto(url + address)
        page.get_by_role("heading", name=heading, level=1).wait_for(timeout=180_000)
        shown = time.perf_counter() - start
        settled(page, timeout=180_000)
        done = time.perf_counter() - start
        names = {name for drawn in page.evaluate("window.kkNavigations") for name in drawn.split()}
        print(f"    {address:<24} heading {shown:5.2f} s, run finished {done:5.2f} s; "
              f"file-name navigation {'SHOWN' if names & FILE_NAMES else 'never'}; "
              f"'Page not found' {'SHOWN' if page.evaluate('window.kkNotFound') else 'never'}")
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="the warm server and one visit only: seconds")
    smoke = parser.parse_args().smoke
    servers, addresses = ((True,), FIRST_VISITS[:1]) if smoke else ((False, True), FIRST_VISITS)
    if CHROMIUM is None:
        sys.exit("no Chromium on this machine (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for warm in servers:
            db = f"sqlite:///{Path(folder) / f'first-{warm}.sqlite'}"
            registers.demo(db)
            start = time.perf_counter()
            with serving(os.environ | {"DATABASE_URL": db}, warm=warm) as url:
                up = time.perf_counter() - start
                print(f"{'warm (python -m components.server)' if warm else 'cold (streamlit run app.py)'}: "
                      f"{'READY' if warm else 'answering'} {up:.1f} s after the start; first visits (target: 3 s):")
                visits(browser, url, addresses)
        browser.close()


if __name__ == "__main__":
    main()
