"""Fuzzing the import for longer than the tests do: any bytes, a good CSV with bytes written into it, and XLSX
built from random parts of a good one (the strategies of ``tests/unit/test_import_fuzz.py``), each through the
whole preview (read, parse, compare with a demo register). Prints the cases tried and how each ended; a
traceback is printed and counted, never hidden. ``.venv/bin/python bench/fuzz.py [--cases N]``; ``--smoke``: 2 cases
per strategy (the same code in seconds; ``make bench-smoke`` and the tests run it).

Issue 32's cases (``server_cases``) run in a stand-in for the app server, a process of its own that previews each
file as the import page does: cells reaching far (A1 + a far cell under ``<dimension ref="A1"/>``, in .xlsx, .xls
and .ods), zip members whose declared sizes lie, and every format (good .xlsx/.xls/.ods/CSV and each with bytes
written into it). Each death of that process is counted as a crash of the server; the target is 0. Every preview
now reads its file in a worker process (``services.reading``), so a case costs a process start (~0.1 s).
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

import registers  # noqa: E402  (bench/registers.py: this script's folder is on the path)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from services.register.store import Register  # noqa: E402
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


def server_cases(count: int, seed: int = 32) -> dict[str, list[tuple[str, bytes]]]:
    import random

    from core.exchange.extent import column_name
    from tests import office_files as files
    from tests.unit.test_import_fuzz import CORPUS

    rng = random.Random(seed)
    dense: list[tuple[str, bytes]] = []
    for i in range(count):
        kind = ("xlsx", "xls", "ods")[i % 3]
        if kind == "xlsx":
            dense.append(("behov.xlsx", files.dense_range(f"{column_name(rng.randint(2, 16384))}{rng.randint(2, 1_048_576)}")))
        elif kind == "xls":
            dense.append(("behov.xls", files.xls({"Behov": [["a"]]}, {"Behov": [(rng.randint(1, 65535), rng.randint(1, 255), "x")]})))
        else:
            rows, columns = rng.randint(2, 10**6), rng.randint(2, 16384)
            dense.append(("behov.ods", files.ods({"Behov": [["a"]]}, tail=(
                f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated='
                f'"{columns}" office:value-type="float" office:value="1"/></table:table-row>'))))
    sizes = [("behov.xlsx", files.declared_size_lies(real=rng.choice([5_000, 200_000, 4 << 20, 64 << 20]),
                                                     declared=rng.randint(100, 100_000))) for _ in range(max(count // 5, 4))]
    good = [p for p in sorted(CORPUS.iterdir()) if p.name.startswith("good") and p.suffix in (".xlsx", ".xls", ".ods", ".csv")]
    formats = [(f"behov{good[i % len(good)].suffix}",
                mutated(good[i % len(good)].read_bytes(), [(rng.randint(0, 10**6), rng.randbytes(rng.randint(0, 12)))
                                                           for _ in range(i % 4)])) for i in range(count)]
    formats += [("behov.xlsx", files.encrypted_xlsx()), ("behov.xls", files.xls({"Behov": [["a"]]}, password=True))]
    return {"cells far out (.xlsx, .xls, .ods)": dense, "declared sizes that lie": sizes, "formats": formats}


def _stand_in(url: str, cases: list[tuple[str, bytes]], start: int, told) -> None:
    """The app server's part in an import: preview each file from ``start`` on and tell how it ended."""
    register = Register(url)
    for index in range(start, len(cases)):
        name, data = cases[index]
        try:
            told.put((index, outcome(register, data, name)))
        except Exception:  # noqa: BLE001 - a traceback is counted, as above
            traceback.print_exc()
            told.put((index, "traceback"))


def run_in_server(url: str, label: str, cases: list[tuple[str, bytes]]) -> int:
    """``cases`` previewed in a stand-in server process; one that dies is counted and started again after the case."""
    import multiprocessing
    import queue

    context = multiprocessing.get_context("spawn")
    counts: collections.Counter = collections.Counter()
    begin, start = time.perf_counter(), 0
    while start < len(cases):
        told = context.Queue()
        server = context.Process(target=_stand_in, args=(url, cases, start, told))
        server.start()
        while start < len(cases):
            try:
                index, ended = told.get(timeout=1)
            except queue.Empty:
                if server.is_alive():
                    continue
                counts["server crash"] += 1  # it died on case ``start``: go on after it
                print(f"  the server process died on case {start} ({cases[start][0]}): exit {server.exitcode}")
                start += 1
                break
            counts[ended] += 1
            start = index + 1
        server.join()
    print(f"{label}: {len(cases)} cases in {time.perf_counter() - begin:.1f} s: {counts['refused']} refused whole, "
          f"{counts['preview']} previewed, {counts['traceback']} tracebacks, {counts['server crash']} crashes of the server process")
    return counts["server crash"] + counts["traceback"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=500, help="cases per strategy (default 500)")
    parser.add_argument("--smoke", action="store_true", help="2 cases per strategy, 3 of each server case: seconds")
    args = parser.parse_args()
    cases = 2 if args.smoke else args.cases
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'fuzz.sqlite'}"
        registers.demo(url)
        register = Register(url)
        csv_mutations = st.tuples(st.binary(max_size=400), st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=20)),
                                                                     max_size=4)).map(lambda t: mutated(GOOD_CSV + t[0], t[1]))
        failures = sum([
            run(register, "any bytes", st.binary(max_size=2000), "fil.csv", cases),
            run(register, "a good CSV with bytes written into it", csv_mutations, "behov.csv", cases),
            run(register, "XLSX from random parts", workbooks(), "behov.xlsx", cases),
        ])
        crashes = sum(run_in_server(url, label, files) for label, files in server_cases(3 if args.smoke else max(cases // 10, 12)).items())
    print(f"tracebacks in all: {failures}; tracebacks and crashes of the server process in issue 32's cases: {crashes}")


if __name__ == "__main__":
    main()
