"""The app's runs take turns (components/turns.py): first come first served, and none held for good by a slow run.

Each test waits on the turns' own state (who holds it, how many wait) with a bound, never a fixed sleep."""

from __future__ import annotations

import threading
import time

import pytest

from components.turns import Turns

BOUND = 30.0  # seconds: a guard against a hang, never a timing


def busy(*_: object) -> float:
    """A process that computes all the time (its processor seconds keep up with the clock): a run holding the turn
    always counts as computing, however long it waits itself."""
    return time.monotonic()


def until(condition, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"not within {BOUND:.0f} s: {what}"
        time.sleep(0.001)


def run(turns: Turns, name: str, served: list[str], done: threading.Event | None = None) -> threading.Thread:
    """A run that takes its turn, says it was served and holds the turn until ``done`` is set."""
    def body() -> None:
        with turns.turn():
            served.append(name)
            if done is not None:
                done.wait(BOUND)
    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread


def test_runs_are_served_in_the_order_they_came():
    turns, served, first_done = Turns(patience=BOUND, cpu=busy), [], threading.Event()
    first = run(turns, "first", served, first_done)
    until(lambda: served == ["first"], "the first run is served at once")
    later = []
    for n, name in enumerate(["second", "third", "fourth"], start=1):
        later.append(run(turns, name, served))
        until(lambda n=n: turns.waiting() == n, f"{name} waits in line")
    assert served == ["first"], "nobody starts while the first holds its turn"
    first_done.set()
    for thread in [first, *later]:
        thread.join(BOUND)
    assert served == ["first", "second", "third", "fourth"] and turns.waiting() == 0


def test_a_run_that_fails_or_stops_gives_the_turn_on():
    turns, served = Turns(patience=BOUND, cpu=busy), []
    with pytest.raises(RuntimeError), turns.turn():
        raise RuntimeError("the page raised (or Streamlit stopped the run)")
    run(turns, "next", served).join(BOUND)
    assert served == ["next"]


def test_a_slow_run_does_not_hold_the_line():
    """The run next in line starts beside a run that holds the turn past the patience, and the rest of the line follows
    the new holder: the slow run, once it ends, takes nobody's turn. The turns' clock moves only when the test says."""
    now = [0.0]
    turns = Turns(patience=0.01, grace=BOUND, clock=lambda: now[0], cpu=lambda: now[0])
    served, slow_done, second_done = [], threading.Event(), threading.Event()
    slow = run(turns, "slow", served, slow_done)
    until(lambda: served == ["slow"], "the slow run starts")
    second = run(turns, "second", served, second_done)
    until(lambda: turns.waiting() == 1, "the second waits")
    third = run(turns, "third", served)
    until(lambda: turns.waiting() == 2, "the third waits behind it")
    assert served == ["slow"], "within the patience, nobody starts beside the run holding the turn"
    now[0] = 1.0  # the slow run has held the turn past the patience
    until(lambda: served == ["slow", "second"], "the second starts beside the slow run")
    assert turns.waiting() == 1, "the third waits for the second, whose turn began just now"
    slow_done.set()
    slow.join(BOUND)
    assert turns.waiting() == 1 and served == ["slow", "second"], "the slow run's end gives nobody the turn: it is the second's"
    second_done.set()
    for thread in (second, third):
        thread.join(BOUND)
    assert served == ["slow", "second", "third"] and turns.waiting() == 0


def test_many_runs_at_once_all_end_and_none_twice():
    turns, served = Turns(patience=0.01), []
    threads = [run(turns, str(i), served) for i in range(64)]
    for thread in threads:
        thread.join(BOUND)
    assert sorted(served, key=int) == [str(i) for i in range(64)] and turns.waiting() == 0
    run(turns, "after", served).join(BOUND)
    assert served[-1] == "after", "the turn is free again"


def test_a_run_waiting_rather_than_computing_lets_the_next_start_beside_it():
    """While the process has used the processor for less than half of the holder's turn (the run waits on a database
    across a network, say, and nothing else computes), the first in line starts beside it once the grace has passed;
    while the process computes, the holder keeps the turn. Both clocks are the test's: they move only when it says."""
    now, used, asked = [0.0], [0.0], []

    def cpu() -> float:
        asked.append(1)
        return used[0]

    turns = Turns(patience=BOUND, grace=0.01, clock=lambda: now[0], cpu=cpu)
    served, holder_done, holder_ident = [], threading.Event(), []

    def holder() -> None:
        with turns.turn():
            holder_ident.append(threading.get_ident())
            served.append("holder")
            holder_done.wait(BOUND)

    first = threading.Thread(target=holder, daemon=True)
    first.start()
    until(lambda: served == ["holder"], "the holder starts")
    second = run(turns, "second", served)
    until(lambda: turns.waiting() == 1, "the second waits")
    now[0], used[0] = 1.0, 0.9  # a second held, the process computing 0.9 s of it: the holder keeps the turn
    looked = len(asked)
    until(lambda: len(asked) >= looked + 3, "the second looks at the holder's processor time, again and again")
    assert served == ["holder"] and turns.waiting() == 1, "a computing run keeps the turn"
    now[0] = 2.0  # another second held and the process idle through it: the holder waits, it does not compute
    until(lambda: served == ["holder", "second"], "the second starts beside a run that waits")
    holder_done.set()
    for thread in (first, second):
        thread.join(BOUND)
    assert turns.waiting() == 0


def test_a_run_leaving_the_line_by_an_exception_gives_its_place_on(monkeypatch):
    """A run that raises while in line (its first place included) is out of it, and the runs behind it go on."""
    turns, served, holder_done = Turns(patience=BOUND, cpu=busy), [], threading.Event()
    holder = run(turns, "holder", served, holder_done)
    until(lambda: served == ["holder"], "the holder starts")

    class Stop(Exception):
        pass

    wait = threading.Event.wait
    failing = []

    def raising(self, timeout=None):
        if threading.get_ident() in failing:
            raise Stop
        return wait(self, timeout)

    monkeypatch.setattr(threading.Event, "wait", raising)
    errors = []

    def doomed() -> None:
        failing.append(threading.get_ident())
        try:
            with turns.turn():
                served.append("doomed")
        except Stop:
            errors.append("left the line")
        finally:
            failing.clear()  # a later thread may be given the same ident

    dying = threading.Thread(target=doomed, daemon=True)
    dying.start()
    dying.join(BOUND)
    assert errors == ["left the line"] and turns.waiting() == 0, "out of the line, first place included"
    later = run(turns, "later", served)
    until(lambda: turns.waiting() == 1, "a later run waits for the holder")
    holder_done.set()
    for thread in (holder, later):
        thread.join(BOUND)
    assert served == ["holder", "later"] and turns.waiting() == 0


def test_a_run_handed_the_turn_but_overtaken_before_it_woke_runs_beside(monkeypatch):
    """The run before hands the turn to the first in line; if that run wakes only after the next in line has started
    beside it (its turn past the patience: the machine was busy), it runs beside too, and nobody hangs (red team)."""
    now = [0.0]
    turns = Turns(patience=0.01, grace=BOUND, clock=lambda: now[0], cpu=lambda: now[0])
    served, first_done, slow_to_wake, held_back = [], threading.Event(), threading.Event(), []
    wait = threading.Event.wait

    def waking_late(self, timeout=None):
        woken = wait(self, timeout)
        if woken and self is not slow_to_wake and threading.get_ident() in held_back:
            slow_to_wake.wait(BOUND)  # handed the turn, it wakes only when the test says
        return woken

    monkeypatch.setattr(threading.Event, "wait", waking_late)
    first = run(turns, "first", served, first_done)
    until(lambda: served == ["first"], "the first holds the turn")

    def handed() -> None:
        held_back.append(threading.get_ident())
        with turns.turn():
            served.append("handed")

    second = threading.Thread(target=handed, daemon=True)
    second.start()
    until(lambda: turns.waiting() == 1, "the second waits")
    third = run(turns, "third", served)
    until(lambda: turns.waiting() == 2, "the third waits behind it")
    first_done.set()
    first.join(BOUND)
    assert turns.waiting() == 1 and served == ["first"], "the turn handed to the second (not awake yet), the third first in line"
    now[0] = 1.0  # the second's turn is past the patience before it woke
    until(lambda: "third" in served, "the third starts beside the second, which has not woken")
    slow_to_wake.set()
    for thread in (second, third):
        thread.join(BOUND)
    assert not second.is_alive() and served == ["first", "third", "handed"], "the second ran beside, it did not hang"
    assert turns.waiting() == 0
    run(turns, "after", served).join(BOUND)
    assert served[-1] == "after", "the turn is free again"
