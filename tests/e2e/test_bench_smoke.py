"""The benchmarks that start a real server run in smoke mode and print their figures (``tests/bench_scripts.py``), with
the browser tests (one server at a time)."""

from __future__ import annotations

import pytest

from tests.bench_scripts import BENCHES, BROWSER, SERVER, runs_and_prints_its_figures
from tests.e2e.helpers import CHROMIUM
from tests.registers import demo_file

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("name", [n for n in BENCHES if n in SERVER])
def test_each_server_benchmark_runs_in_smoke_mode_and_prints_its_figures(name, tmp_path_factory):
    if name in BROWSER and CHROMIUM is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    if name in BROWSER:
        pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    runs_and_prints_its_figures(name, demo_file(tmp_path_factory))
