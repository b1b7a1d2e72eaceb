"""Files from outside, read where a failure costs nothing: every file a user hands the app or the command line (a
needs file, a travel matrix, a Yrkesbarometer round) is parsed in a worker process of its own, under a memory limit
(``RLIMIT_AS``, set by the worker on itself before it reads a byte) and a time limit (the wall clock, watched from
here; ``RLIMIT_CPU`` as well, so a worker whose parent is gone still ends). A reader that aborts (a signal), loops
or runs out of memory ends the worker, never the server: the caller gets a refusal that names the limit, "the file
could not be read within 1 GB / 60 s". The limits are settings (``core.common.config.file_limits``).

A fresh process per file (``python -m services.reading``, started with ``subprocess``: no fork of the threaded
server, nothing of the server's memory shared) reads the file from a temporary file on its standard input and
writes its answer as JSON to another: plain data (sheets of text cells, or a table's rows), never a pickle, so a
reader gone wrong in the worker cannot hand the server anything but data. The worker imports only what its reader
needs (the spreadsheet reader: no pandas), so it starts in a fraction of a second.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.common.config import PROJECT_ROOT, file_limits
from core.exchange.spreadsheet import MAX_BYTES, MAX_CELLS, MAX_TEXT, Refused, Sheet

SPREADSHEET = "core.exchange.spreadsheet:read"
BAROMETER = "core.analysis.barometer:read"
SUPPLY = {"myh": "data.yh_supply:read_myh", "skolverket": "data.yh_supply:read_skolverket"}
# The worker's answer (RLIMIT_FSIZE on the worker, checked again here before a byte of it is loaded): the reader
# refuses more than MAX_TEXT characters and MAX_CELLS cells, which JSON writes in at most 6 bytes a character (an
# escaped control character) and 4 a cell ("", ). So the server never loads more than this from one file.
MAX_ANSWER = 6 * MAX_TEXT + 4 * MAX_CELLS + 1024 * 1024
WORKERS = 2  # workers reading at once in one server process (this is a 2-core machine); more uploads wait
WAIT = 30.0  # seconds an upload waits for a free worker before it is refused as busy
_slots = threading.BoundedSemaphore(WORKERS)


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    seconds: float

    @classmethod
    def configured(cls) -> Limits:
        return cls(*file_limits())

    def __str__(self) -> str:
        memory = f"{self.memory_mb / 1024:g} GB" if self.memory_mb % 1024 == 0 else f"{self.memory_mb} MB"
        return f"{memory} / {self.seconds:g} s"


class OverLimit(ValueError):
    """The worker did not read the file within its limits: ``cause`` says which (memory, time, a signal, ...)."""

    def __init__(self, limits: Limits, cause: str):
        super().__init__(f"the file could not be read within {limits} ({cause})")
        self.limits, self.cause = limits, cause


class Busy(ValueError):
    """``WORKERS`` workers were reading other files for ``WAIT`` seconds: try again."""


class ReaderFailed(ValueError):
    """The reader raised something it should have turned into a refusal: a bug, reported, never a dead server."""


def spreadsheet(data: bytes, limits: Limits | None = None) -> list[Sheet]:
    """``core.exchange.spreadsheet.read`` in a worker: the sheets, or ``Refused`` (also for a worker over its limits:
    code ``limits``, with the limits as its value)."""
    if len(data) > MAX_BYTES:
        raise Refused("too_large", f"the file is {len(data):,} bytes; at most {MAX_BYTES:,} are read", len(data))
    try:
        answer = run(SPREADSHEET, data, limits)
    except OverLimit as over:
        raise Refused("limits", str(over), str(over.limits)) from over
    except Busy as busy:
        raise Refused("busy", str(busy), WORKERS) from busy
    except ReaderFailed as failed:
        raise Refused("unreadable", f"the file cannot be read ({failed})", str(failed)[:200]) from failed
    return [Sheet(name, rows, encoding, delimiter) for name, rows, encoding, delimiter in answer["sheets"]]


def barometer_round(data: bytes, limits: Limits | None = None):
    """``core.analysis.barometer.read`` in a worker: the round's rows, or ``BarometerProblems`` (``OverLimit`` for a
    worker over its limits)."""
    import pandas as pd

    from core.analysis.barometer import BarometerProblems, Problem

    if len(data) > MAX_BYTES:
        raise BarometerProblems([Problem("the file", f"{len(data):,} bytes; at most {MAX_BYTES:,} are read")])
    try:
        answer = run(BAROMETER, data, limits)
    except ReaderFailed as failed:
        raise BarometerProblems([Problem("the file", f"cannot be read ({failed})")]) from failed
    except Busy as busy:
        raise BarometerProblems([Problem("the file", str(busy))]) from busy
    return pd.DataFrame(answer["frame"]["data"], columns=answer["frame"]["columns"], dtype=object)


def supply_file(data: bytes, source: str, limits: Limits | None = None):
    """A supply file read whole in a worker (``source``: ``myh``, an MYH results workbook, or ``skolverket``, the
    planned adult education's JSON): the tidy supply frame (``core.exchange.supply.COLUMNS``, text), or
    ``SupplyProblems`` for every problem, a file that is no spreadsheet and a worker over its limits included."""
    import pandas as pd

    from core.exchange.supply import Problem, SupplyProblems

    if len(data) > MAX_BYTES:
        raise SupplyProblems([Problem("the file", f"{len(data):,} bytes; at most {MAX_BYTES:,} are read")])
    try:
        answer = run(SUPPLY[source], data, limits)
    except Refused as refused:  # not a spreadsheet, encrypted, a zip bomb, ...
        raise SupplyProblems([Problem("the file", str(refused))]) from refused
    except (OverLimit, ReaderFailed, Busy) as failed:
        raise SupplyProblems([Problem("the file", str(failed))]) from failed
    return pd.DataFrame(answer["frame"]["data"], columns=answer["frame"]["columns"], dtype=object).astype(str)


def file_bytes(path: Path) -> bytes:
    """A file named on the command line, read no further than one byte past ``MAX_BYTES`` (enough to refuse it)."""
    with open(path, "rb") as fh:
        return fh.read(MAX_BYTES + 1)


def run(target: str, data: bytes, limits: Limits | None = None) -> dict[str, Any]:
    """Call ``target`` ("module:function", bytes in) on ``data`` in a worker; its answer, or the error it raised
    (``Refused``, ``BarometerProblems``, ``SupplyProblems``), or ``OverLimit``/``ReaderFailed``; ``Busy`` when ``WORKERS`` workers are
    reading already and none is free within ``WAIT`` seconds."""
    if not _slots.acquire(timeout=WAIT):
        raise Busy(f"busy, try again: the server is reading {WORKERS} other files (waited {WAIT:g} s)")
    try:
        return _run(target, data, limits or Limits.configured())
    finally:
        _slots.release()


def _run(target: str, data: bytes, limits: Limits) -> dict[str, Any]:
    command = [sys.executable, "-m", "services.reading", target, str(limits.memory_mb), str(limits.seconds)]
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as answer, tempfile.TemporaryFile() as said:
        given.write(data)
        given.seek(0)
        worker = subprocess.Popen(command, stdin=given, stdout=answer, stderr=said, cwd=PROJECT_ROOT, env=_environment())
        try:
            code = worker.wait(timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            raise OverLimit(limits, f"still reading after {limits.seconds:g} s") from None
        said.seek(0)
        stderr = said.read()[-4000:].decode("utf-8", "replace")
        if code != 0:
            raise OverLimit(limits, _cause(code, stderr))
        size = answer.seek(0, os.SEEK_END)
        if size > MAX_ANSWER:
            raise OverLimit(limits, f"an answer of {size:,} bytes, more than {MAX_ANSWER:,}")
        answer.seek(0)
        try:
            found = json.loads(answer.read())
        except ValueError as err:
            raise OverLimit(limits, "the worker's answer was cut short") from err
    return _answer(found, limits)


def _cause(code: int, stderr: str) -> str:
    if "MemoryError" in stderr or "memory allocation" in stderr:
        return "out of memory"
    if code < 0:
        import signal

        name = {int(signal.SIGXCPU): "the time limit", int(signal.SIGXFSZ): "an answer too large"}.get(-code)
        if name:
            return f"stopped by {name}"
        known = {int(s): s.name for s in signal.Signals}
        return f"the reader stopped with signal {-code} ({known.get(-code, 'unknown')})"
    last = stderr.strip().splitlines()[-1][:200] if stderr.strip() else ""
    return f"the worker ended with exit code {code}" + (f": {last}" if last else "")


def _answer(found: dict[str, Any], limits: Limits) -> dict[str, Any]:
    if "over" in found:
        raise OverLimit(limits, found["over"])
    if "refused" in found:
        code, message, value = found["refused"]
        raise Refused(code, message, value)
    if "barometer" in found:
        from core.analysis.barometer import BarometerProblems, Problem

        raise BarometerProblems([Problem(where, why) for where, why in found["barometer"]])
    if "supply" in found:
        from core.exchange.supply import Problem as SupplyProblem
        from core.exchange.supply import SupplyProblems

        raise SupplyProblems([SupplyProblem(where, why) for where, why in found["supply"]])
    if "failed" in found:
        raise ReaderFailed(found["failed"])
    return found


# --- the worker ---

def _encode(value: object) -> dict[str, Any]:
    if isinstance(value, list) and all(isinstance(s, Sheet) for s in value):
        return {"sheets": [[s.name, s.rows, s.encoding, s.delimiter] for s in value]}
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a DataFrame of text
        split = value.to_dict("split")
        return {"frame": {"columns": [str(c) for c in split["columns"]], "data": split["data"]}}
    raise TypeError(f"a worker answers sheets or a table, not {type(value).__name__}")


def _error(error: Exception) -> dict[str, Any]:
    if isinstance(error, Refused):
        return {"refused": [error.code, str(error), error.value]}
    if type(error).__name__ == "SupplyProblems":
        return {"supply": [[p.where, p.why] for p in error.problems]}  # type: ignore[attr-defined]
    if type(error).__name__ == "BarometerProblems":
        return {"barometer": [[p.where, p.why] for p in error.problems]}  # type: ignore[attr-defined]
    return {"failed": f"{type(error).__name__}: {str(error)[:300]}"}


def _limit_self(memory_mb: int, seconds: float) -> None:
    """The worker's own limits, set before it reads: address space, CPU seconds (a backstop to the parent's clock),
    the answer's size, and no core file when a reader aborts."""
    import resource

    def lower(kind: int, value: int) -> None:
        _soft, hard = resource.getrlimit(kind)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value if kind != resource.RLIMIT_CPU else hard))

    lower(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    lower(resource.RLIMIT_CPU, int(seconds) + 2)
    lower(resource.RLIMIT_FSIZE, MAX_ANSWER)
    lower(resource.RLIMIT_CORE, 0)


def _worker(target: str, memory_mb: int, seconds: float) -> int:
    _limit_self(memory_mb, seconds)
    data = sys.stdin.buffer.read()
    module, name = target.split(":")
    try:
        answer: dict[str, Any] = {"value": True} | _encode(getattr(importlib.import_module(module), name)(data))
    except MemoryError:
        answer = {"over": "out of memory"}
    except Exception as error:  # noqa: BLE001 - whatever the reader raised is the answer
        answer = _error(error)
    try:
        text = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    except MemoryError:
        text = json.dumps({"over": "out of memory"}).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (JSON's "\ud800"): no text, and never handed on as if it were
        text = json.dumps({"failed": "the file holds a character that is not Unicode text (a lone surrogate, "
                                     "written \\ud800 in JSON)"}).encode("utf-8")
    sys.stdout.buffer.write(text)
    sys.stdout.buffer.flush()
    return 0


def _environment() -> dict[str, str]:
    """The server's environment, with one thread for numerical libraries (each reserves address space) and short
    Rust panics."""
    return os.environ | {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "RUST_BACKTRACE": "0"}


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
