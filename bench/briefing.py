"""Benchmark: building the briefing PDF (and deck) for one municipality and for all 14.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/briefing.py`` (``make bench``).
The shared inputs (reach, the cohort plan, access, outlines) are prepared once per register and
reported apart; each document then costs the briefing's protection plus the rendering.

``--smoke``: the register's first release (published on 2024-01-02: one quarter, protected in seconds, not twenty),
each document once and two municipalities: the same code in seconds (``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.briefing import content as briefing
from core.briefing import deck as report_pptx  # noqa: E402
from core.briefing import pdf as report_pdf
from data import reference  # noqa: E402
from services import briefing_inputs, publishing  # noqa: E402
from services.register.store import Register  # noqa: E402
from services.seed import load_demo  # noqa: E402

RUNS = 5
SMOKE_DAY = dt.date(2024, 1, 2)  # the demo's first quarter (2023-10 to 2023-12) has closed: its first release is due


def document(inputs, area, period, renderer) -> int:
    b = briefing_inputs.make(inputs, area, period)
    return len(renderer.render(b, briefing_inputs.names("sv", area), "sv", inputs.meta, inputs.population, inputs.outlines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="the first release, each document once, two municipalities: seconds")
    smoke = parser.parse_args().smoke
    runs, codes = (1, reference.fyrbodal_codes()[:2]) if smoke else (RUNS, reference.fyrbodal_codes())
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        load_demo(Register(url))
        start = time.perf_counter()
        # the brief reads the published release, as the app's first visit or cron makes it
        published = publishing.publish(Register(url), SMOKE_DAY if smoke else None)
        print(f"release published (through {published.through if published else '?'}): {time.perf_counter() - start:.1f} s, "
              "not part of the briefing's time")
        start = time.perf_counter()
        inputs = briefing_inputs.prepare(Register(url))
        print(f"shared inputs (reach, cohort plan, access, outlines, the protected release): {time.perf_counter() - start:.2f} s, once per register")
        period = next(iter(briefing.periods(inputs.months).values()))  # the newest year
        for renderer, kind in ((report_pdf, "PDF"), (report_pptx, "PowerPoint")):
            one = []
            for _ in range(runs):
                began = time.perf_counter()
                size = document(inputs, ["1427"], period, renderer)
                one.append(time.perf_counter() - began)
            print(f"{kind} for one municipality (Sotenäs): {statistics.median(one) * 1000:.0f} ms ({size // 1024} kB), median of {runs}")
            began = time.perf_counter()
            for code in codes:
                document(inputs, [code], period, renderer)
            print(f"{kind} for {len(codes)} municipalities one by one: {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
