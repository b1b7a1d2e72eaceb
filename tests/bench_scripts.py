"""Every benchmark still runs: each script of ``bench/`` with ``--smoke`` (the same code on a tiny register, in seconds).

A benchmark is run by hand, rarely, so a refactoring can break one unseen (issue 31: three did not run). Checked by
``tests/unit/test_bench_smoke.py`` (the benchmarks that need no server) and ``tests/e2e/test_bench_smoke.py`` (those
that start a real server, with the browser tests): the exit code and the line that carries the figures, never a timing
(timings live in bench/, and differ by machine).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
SERVER = BROWSER | {"load"}  # a real streamlit run: tests/e2e/test_bench_smoke.py


def runs_and_prints_its_figures(name: str, demo: Path | None = None) -> None:
    """``demo``: the test run's ready demo register, which the benchmark copies instead of building and publishing its own
    (``bench/registers.py``)."""
    assert name in FIGURES, f"bench/{name}.py: say in FIGURES what the line with its figures says"
    env = os.environ | ({"KOMPETENSKARTAN_BENCH_DEMO": str(demo)} if demo else {})
    done = subprocess.run([sys.executable, f"bench/{name}.py", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                          timeout=PATIENCE, env=env)
    assert done.returncode == 0, f"bench/{name}.py --smoke exited with {done.returncode}:\n{done.stdout}\n{done.stderr[-4000:]}"
    assert FIGURES[name] in done.stdout, f"bench/{name}.py --smoke did not print its figures:\n{done.stdout}"
