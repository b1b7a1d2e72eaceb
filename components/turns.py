"""Runs of the app take turns: one at a time, first come first served, and none waits long behind a slow one.

Streamlit runs every session's script in a thread of its own, and Python runs one thread at a time (the GIL). When
fifty visitors click at once, fifty runs share the processor in 5 ms slices and each gives it up at every message it
sends (a socket write): every run finishes about when the last does, and the switching costs the server system time.
In turns, the first to ask is served first, so early clicks are answered early and the last no later than before.
Measured (issue 35, ``bench/load.py``'s burst of 50 sessions on the national register, alternated with the same code
side by side): p95 1.09-1.48 s side by side, 0.81-0.97 s in turns; the server's system time 3.2-6.7 -> 2.6-3.9 ms a run.

The turn is for computing. The run first in line starts beside the run holding the turn

- when that run has held it ``PATIENCE`` (a PDF, an import: a slow run costs the runs behind it that long, once), or
- sooner, when this server process has used the processor for less than half of that run's turn once ``GRACE`` has
  passed: the run is waiting (for a database across a network, a file) and nothing else computes, so the processor is
  free for another run meanwhile. (The process, not the run's own thread: a run waiting for Python's lock while
  another thread computes would look idle by its own clock, and starting more runs beside it would only share the
  same lock further; red team, issue 35.)

The line goes on behind the new holder. A run that leaves the line by an exception gives its place on.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PATIENCE = 0.2  # seconds a run waits for the run holding the turn, at most
GRACE = 0.02  # seconds a run holds the turn before the first in line may find it waiting rather than computing


class Turns:
    """The line of runs (``turn``): one holds the turn, the others wait in the order they came. ``clock`` (seconds)
    and ``cpu`` (the processor seconds this process has used, all its threads) are the system's unless a test gives
    its own."""

    def __init__(self, patience: float = PATIENCE, grace: float = GRACE, clock: Callable[[], float] = time.monotonic,
                 cpu: Callable[[], float] = time.process_time) -> None:
        self.patience, self.grace = patience, grace
        self._clock, self._cpu = clock, cpu
        self._lock = threading.Lock()
        self._line: deque[threading.Event] = deque()  # runs waiting, first come first
        self._holder: threading.Event | None = None  # the run whose turn it is
        self._since = 0.0  # when the holder's turn began (``clock``)
        self._cpu_since = 0.0  # the process's processor seconds then

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this run's turn, and give it to the next when the run ends (however it ends)."""
        me = self._enter()
        try:
            yield
        finally:
            self._leave(me)

    def _take(self, me: threading.Event) -> None:
        """``me`` holds the turn from now (called with the lock held, from the thread that will hold it)."""
        self._holder, self._since, self._cpu_since = me, self._clock(), self._cpu()

    def _hand_on(self) -> None:
        """The first in line holds the turn from now (lock held); it is woken, and so is the next, to time it."""
        nxt = self._line.popleft()
        self._holder, self._since, self._cpu_since = nxt, self._clock(), self._cpu()  # its own thread sets them again
        nxt.set()
        if self._line:
            self._line[0].set()

    def _idle(self, held: float) -> bool:
        """Whether the process has used the processor for less than half of the holder's ``held`` seconds (lock held)."""
        return self._cpu() - self._cpu_since < held / 2

    def _enter(self) -> threading.Event:
        me = threading.Event()
        with self._lock:
            if self._holder is None:
                self._take(me)
                return me
            self._line.append(me)
        try:
            while True:
                with self._lock:
                    if self._holder is me:  # handed over by the run before
                        self._take(me)
                        return me
                    if me not in self._line:  # handed over, then overtaken before it woke: it runs beside the holder
                        return me
                    wait = None  # not first in line: woken when it is
                    if self._line[0] is me:
                        held = self._clock() - self._since
                        if held >= self.patience or (held >= self.grace and self._idle(held)):  # start beside it
                            self._line.popleft()
                            self._take(me)
                            if self._line:
                                self._line[0].set()  # the next in line times the new holder
                            return me
                        wait = min(self.patience - held, self.grace - held if held < self.grace else self.grace)
                    me.clear()
                me.wait(wait)
        except BaseException:  # leaving the line without a turn: its place goes on
            with self._lock:
                if self._holder is me:
                    self._holder = None
                    if self._line:
                        self._hand_on()
                elif me in self._line:
                    first = self._line[0] is me
                    self._line.remove(me)
                    if first and self._line:
                        self._line[0].set()
            raise

    def _leave(self, me: threading.Event) -> None:
        with self._lock:
            if self._holder is not me:  # overtaken while slow: the turn is another run's already
                return
            if self._line:
                self._hand_on()
            else:
                self._holder = None

    def waiting(self) -> int:
        """Runs in line now (for tests and diagnostics)."""
        with self._lock:
            return len(self._line)


RUNS = Turns()  # the app's runs in this server process (app.py takes a turn for each)
