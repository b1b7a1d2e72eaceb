"""The demo register a benchmark measures: built by the demo generator, or (a smoke run in the tests) a copy of a ready one.

A smoke run checks that a benchmark's code runs and prints its figures (``tests/bench_scripts.py``). The test run has
already built the Fyrbodal demo register and published its first release once (``tests/registers.py``), so it names
that file in ``KOMPETENSKARTAN_BENCH_DEMO`` and each smoke run copies it (SQLite's backup API) instead of building and
publishing its own: the same code is measured, seconds sooner. Without the variable (``make bench``, ``make
bench-smoke``) every benchmark builds its register as before.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from services.register.store import Register
from services.seed import load_demo

READY = "KOMPETENSKARTAN_BENCH_DEMO"


def ready(scale: str = "fyrbodal") -> Path | None:
    """The ready demo register a smoke run may copy, if the tests named one (of the Fyrbodal scale only)."""
    named = os.environ.get(READY)
    return Path(named) if named and scale == "fyrbodal" and Path(named).is_file() else None


def demo(url: str, scale: str = "fyrbodal") -> str:
    """Fill the new SQLite register at ``url`` with the demo register of ``scale``; says how: "built" or "copied"."""
    copied = ready(scale)
    if copied is not None and url.startswith("sqlite:///"):
        with sqlite3.connect(copied) as source, sqlite3.connect(url.removeprefix("sqlite:///")) as copy:
            source.backup(copy)
        return "copied"
    load_demo(Register(url), scale)
    return "built"
