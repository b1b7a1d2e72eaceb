"""Fuzzing the import for longer than the tests do: any bytes, a good CSV with bytes written into it, and XLSX
built from random parts of a good one (the strategies of ``tests/unit/test_import_fuzz.py``), each through the
whole preview (read, parse, compare with a demo register). Prints the cases tried and how each ended; a
traceback is printed and counted, never hidden. ``.venv/bin/python bench/fuzz.py [--cases N]``; ``--smoke``: 20 cases
per strategy (the same code in seconds; ``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from services.register.store import Register  # noqa: E402
from services.seed import load_demo  # noqa: E402
from tests.unit.test_import_fuzz import GOOD_CSV, mutated, outcome, workbooks  # noqa: E402


def run(register: Register, label: str, strategy, name: str, cases: int) -> int:
    counts: collections.Counter = collections.Counter()

    @settings(max_examples=cases, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=strategy)
    def one(data):
        try:
            counts[outcome(register, data, name)] += 1
        except Exception:  # noqa: BLE001 - a traceback is what we count
            counts["traceback"] += 1
            traceback.print_exc()

    start = time.perf_counter()
    one()
    tried = sum(counts.values())
    print(f"{label}: {tried} cases in {time.perf_counter() - start:.1f} s: {counts['refused']} refused whole, "
          f"{counts['preview']} previewed (with or without located problems), {counts['traceback']} tracebacks")
    return counts["traceback"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000, help="cases per strategy (default 2000)")
    parser.add_argument("--smoke", action="store_true", help="20 cases per strategy: seconds")
    args = parser.parse_args()
    cases = 20 if args.smoke else args.cases
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'fuzz.sqlite'}"
        load_demo(Register(url))
        register = Register(url)
        csv_mutations = st.tuples(st.binary(max_size=400), st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=20)),
                                                                     max_size=4)).map(lambda t: mutated(GOOD_CSV + t[0], t[1]))
        failures = sum([
            run(register, "any bytes", st.binary(max_size=2000), "fil.csv", cases),
            run(register, "a good CSV with bytes written into it", csv_mutations, "behov.csv", cases),
            run(register, "XLSX from random parts", workbooks(), "behov.xlsx", cases),
        ])
    print(f"tracebacks in all: {failures}")


if __name__ == "__main__":
    main()
