"""The benchmarks that need no server run in smoke mode and print their figures (``tests/bench_scripts.py``)."""

from __future__ import annotations

import re

import pytest

from tests.bench_scripts import BENCHES, ROOT, SERVER, runs_and_prints_its_figures
from tests.registers import demo_file


@pytest.mark.parametrize("name", [n for n in BENCHES if n not in SERVER])
def test_each_benchmark_runs_in_smoke_mode_and_prints_its_figures(name, tmp_path_factory):
    runs_and_prints_its_figures(name, demo_file(tmp_path_factory))


def test_make_runs_every_benchmark():
    """``make bench`` and ``make bench-smoke`` run the list BENCHES of the Makefile: it names every script of bench/."""
    listed = re.search(r"^BENCHES := (.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert listed and sorted(listed.group(1).split()) == BENCHES
