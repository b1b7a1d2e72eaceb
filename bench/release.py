"""Benchmark: building and protecting the public release (the figures every protected page reads).

Prints figures; asserts nothing. With and without the insider scopes (each municipality alone and each demo
user's municipalities: what a broker knows exactly). Run with ``.venv/bin/python bench/release.py`` (``make bench``).
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
from data.seed import load_demo, release_scopes  # noqa: E402


def measure(scale: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        load_demo(Register(url), scale)
        needs = Register(url).needs_frame()
        codes = reference.fyrbodal_codes()
        start = time.perf_counter()
        cells, relations = release.tables(needs, codes)
        tables = time.perf_counter() - start
        print(f"{scale}: {len(needs):,} needs; {len(cells):,} cells, {len(relations):,} relations (tables {tables:.2f} s)")
        scopes = release_scopes(Register(url))
        for label, chosen in (("outsiders only", ()), (f"+ {len(scopes)} insider scopes", scopes)):
            start = time.perf_counter()
            built = release.build(needs, codes, chosen)
            total = time.perf_counter() - start
            hidden = sum(c.suppressed for c in built.cells.values())
            primary = sum(c.primary for c in built.cells.values())
            shown_nonzero = sum(1 for c in built.cells.values() if not c.suppressed and c.value > 0)
            region = [built.value(y, "persons", "total", release.REGION) for y in built.years]
            print(f"  {label}: build + protect {total:.2f} s; {primary} primary + {hidden - primary} complementary hidden, "
                  f"{shown_nonzero} non-zero figures shown; Fyrbodal's persons per year shown: {region}")


def main() -> None:
    print(f"protection: fewer than {protection.MIN_COMPANIES} companies or p% rule ({protection.P_RULE:.0%}); "
          f"every hidden sensitive figure kept at least ±{protection.PROTECTION:.0%} wide")
    for scale in ("fyrbodal", "national"):
        measure(scale)


if __name__ == "__main__":
    main()
