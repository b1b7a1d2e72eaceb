"""The app's runs take turns (components/turns.py): first come first served, and none held for good by a slow run.

Each test waits on the turns' own state (who holds it, how many wait) with a bound, never a fixed sleep."""

from __future__ import annotations

import threading
import time

import pytest

from components.turns import Turns

BOUND = 30.0  # seconds: a guard against a hang, never a timing


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
    turns, served, first_done = Turns(patience=BOUND), [], threading.Event()
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
    turns, served = Turns(patience=BOUND), []
    with pytest.raises(RuntimeError), turns.turn():
        raise RuntimeError("the page raised (or Streamlit stopped the run)")
    run(turns, "next", served).join(BOUND)
    assert served == ["next"]


def test_a_slow_run_does_not_hold_the_line():
    """The run next in line starts beside a run that holds the turn past the patience, and the rest of the line follows
    the new holder: the slow run, once it ends, takes nobody's turn. The turns' clock moves only when the test says."""
    now = [0.0]
    turns, served, slow_done, second_done = Turns(patience=0.01, clock=lambda: now[0]), [], threading.Event(), threading.Event()
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
