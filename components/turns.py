"""Runs of the app take turns: one at a time, first come first served, and none waits long behind a slow one.

Streamlit runs every session's script in a thread of its own, and Python runs one thread at a time (the GIL). When
fifty visitors click at once, fifty runs share the processor in 5 ms slices and each gives it up at every message it
sends (a socket write): every run finishes about when the last does, and the switching costs the server system time.
In turns, the first to ask is served first, so early clicks are answered early and the last no later than before.
Measured (issue 35, ``bench/load.py``'s burst of 50 sessions on the national register, alternated with the same code
side by side): p95 1.09-1.48 s side by side, 0.81-0.97 s in turns; the server's system time 3.2-6.7 -> 2.6-3.9 ms a run.

A run that takes longer than ``PATIENCE`` (a PDF, an import, a page reading a slow register) does not hold the others:
the run first in line then starts beside it, and the line goes on behind the new one. So no run waits more than
``PATIENCE`` for each run in front of it, and a slow run costs the runs behind it that long once.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PATIENCE = 0.2  # seconds a run waits for the run in front of it before it starts beside it


class Turns:
    """The line of runs (``turn``): one holds the turn, the others wait in the order they came."""

    def __init__(self, patience: float = PATIENCE, clock: Callable[[], float] = time.monotonic) -> None:
        self.patience = patience
        self._clock = clock  # seconds, never going back (a test moves its own)
        self._lock = threading.Lock()
        self._line: deque[threading.Event] = deque()  # runs waiting, first come first
        self._holder: threading.Event | None = None  # the run whose turn it is
        self._since = 0.0  # when the holder's turn began (``clock``)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this run's turn, and give it to the next when the run ends (however it ends)."""
        me = self._enter()
        try:
            yield
        finally:
            self._leave(me)

    def _enter(self) -> threading.Event:
        me = threading.Event()
        with self._lock:
            if self._holder is None:
                self._holder, self._since = me, self._clock()
                return me
            self._line.append(me)
        while True:
            with self._lock:
                if self._holder is me:  # handed over by the run before
                    return me
                wait = None  # not first in line: woken when it is
                if self._line[0] is me:
                    late = self._clock() - self._since
                    if late >= self.patience:  # the run holding the turn is slow: start beside it
                        self._line.popleft()
                        self._holder, self._since = me, self._clock()
                        if self._line:
                            self._line[0].set()  # the next in line times the new holder
                        return me
                    wait = self.patience - late
                me.clear()
            me.wait(wait)

    def _leave(self, me: threading.Event) -> None:
        with self._lock:
            if self._holder is not me:  # overtaken while slow: the turn is another run's already
                return
            if not self._line:
                self._holder = None
                return
            self._holder, self._since = self._line.popleft(), self._clock()
            self._holder.set()
            if self._line:
                self._line[0].set()  # first in line now: it times the new holder

    def waiting(self) -> int:
        """Runs in line now (for tests and diagnostics)."""
        with self._lock:
            return len(self._line)


RUNS = Turns()  # the app's runs in this server process (app.py takes a turn for each)
