"""The demo register as the tests start from it, built once per test run and copied to each test that asks.

Building it costs little (under a second); publishing its first release costs 15-30 s on this 2-core machine (the
protection's linear programmes). A dozen fixtures used to do both for themselves, and with pytest-xdist every worker
would do it again. Here the first process that asks builds each kind once, under a file lock in the run's shared
temporary folder, and every other asker (any worker, any module) gets its own copy made with SQLite's backup API, so
no test can change another's register.
"""

from __future__ import annotations

import fcntl
import sqlite3
from pathlib import Path

import pytest

from services import publishing
from services.register.store import Register
from services.seed import load_demo


def _shared_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder every xdist worker of this run can see (a worker's base temp is ``…/popen-gwN``)."""
    base = factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base


def _built(factory: pytest.TempPathFactory, published: bool) -> Path:
    """The path of the run's demo register (``published``: with the release due today, as cron would make it)."""
    folder = _shared_folder(factory)
    built = folder / ("demo-published.sqlite" if published else "demo.sqlite")
    ready = folder / f"{built.name}.ready"
    with open(folder / f"{built.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not ready.exists():
            for leftover in folder.glob(f"{built.name}*"):  # a build that failed half-way
                if leftover.suffix != ".lock":
                    leftover.unlink()
            register = Register(f"sqlite:///{built}")
            load_demo(register)
            if published:
                publishing.publish(register)
            register.engine.dispose()
            register.writer.dispose()
            ready.touch()
    return built


def demo_file(factory: pytest.TempPathFactory, published: bool = True) -> Path:
    """The run's demo register itself (for a process that copies it, as a benchmark's smoke run does): never write to it."""
    return _built(factory, published)


def demo_register(factory: pytest.TempPathFactory, name: str = "demo", published: bool = True) -> str:
    """A URL of a new SQLite register of this test's own, holding the demo register (and its first release)."""
    target = factory.mktemp(name) / f"{name}.sqlite"
    with sqlite3.connect(_built(factory, published)) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"
