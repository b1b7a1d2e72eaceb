"""Every benchmark still runs: each script of ``bench/`` with ``--smoke`` (the same code on a tiny register, in seconds).

A benchmark is run by hand, rarely, so a refactoring can break one unseen (issue 31: three did not run). Checked here:
its exit code and the line that carries its figures, never a timing (timings live in bench/, and differ by machine).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.helpers import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
PATIENCE = 300  # seconds: a guard against a hang, never a timing

# a benchmark is a script (bench/straightforward_map.py is a page one of them runs, not a script)
BENCHES = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if 'if __name__ == "__main__":' in p.read_text(encoding="utf-8"))

# what a line with each one's figures says (a new benchmark adds its own)
FIGURES = {
    "access": "access page rerun",
    "briefing": "PowerPoint for one municipality (Sotenäs):",
    "cohorts": "National, synthetic travel",
    "first_visit": "run finished",
    "fuzz": "tracebacks in all:",
    "import": "preview + commit:",
    "load": "reading (",
    "needs_map": "browser: filter change to recoloured polygons",
    "overview": "overview rerun (filter change) median",
    "release": "attack on the",
}
BROWSER = {"first_visit", "needs_map"}  # Chromium
SERVER = BROWSER | {"load"}  # a real streamlit run: grouped with the browser tests (-m e2e)


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.e2e] if n in SERVER else []) for n in BENCHES])
def test_each_benchmark_runs_in_smoke_mode_and_prints_its_figures(name):
    if name in BROWSER and CHROMIUM is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    if name in BROWSER:
        pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    assert name in FIGURES, f"bench/{name}.py: say in FIGURES what the line with its figures says"
    done = subprocess.run([sys.executable, f"bench/{name}.py", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                          timeout=PATIENCE)
    assert done.returncode == 0, f"bench/{name}.py --smoke exited with {done.returncode}:\n{done.stdout}\n{done.stderr[-4000:]}"
    assert FIGURES[name] in done.stdout, f"bench/{name}.py --smoke did not print its figures:\n{done.stdout}"


def test_make_runs_every_benchmark():
    """``make bench`` and ``make bench-smoke`` run the list BENCHES of the Makefile: it names every script of bench/."""
    listed = re.search(r"^BENCHES := (.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert listed and sorted(listed.group(1).split()) == BENCHES
