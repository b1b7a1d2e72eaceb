"""Benchmark: building and protecting the public release (the figures every protected page reads).

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/release.py`` (``make bench``).
The release is computed once per register revision and cached by the app; this is what the first
public visitor after a write waits for.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import protection, release  # noqa: E402
from core.store import Register  # noqa: E402
from data import reference  # noqa: E402
from data.seed import load_demo  # noqa: E402


def measure(scale: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        load_demo(Register(url), scale)
        needs = Register(url).needs_frame()
        codes = reference.fyrbodal_codes()
        start = time.perf_counter()
        cells, relations = release.tables(needs, codes)
        tables = time.perf_counter() - start
        start = time.perf_counter()
        built = release.build(needs, codes)
        total = time.perf_counter() - start
        hidden = sum(c.suppressed for c in built.cells.values())
        primary = sum(c.primary for c in built.cells.values())
        shown_nonzero = sum(1 for c in built.cells.values() if not c.suppressed and c.value > 0)
        print(f"{scale}: {len(needs):,} needs; {len(cells):,} cells, {len(relations):,} relations over {len(built.years)} years "
              f"(tables {tables:.2f} s); build + protect {total:.2f} s; "
              f"{primary} primary + {hidden - primary} complementary hidden, {shown_nonzero} non-zero figures shown")


def main() -> None:
    print(f"protection: fewer than {protection.MIN_COMPANIES} companies or p% rule ({protection.P_RULE:.0%}); "
          f"every hidden sensitive figure kept at least ±{protection.PROTECTION:.0%} wide")
    for scale in ("fyrbodal", "national"):
        measure(scale)


if __name__ == "__main__":
    main()
