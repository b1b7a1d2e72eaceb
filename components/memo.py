"""``shared``: ``st.cache_resource`` for a function of plain keys, with the keys themselves looked up first.

Streamlit makes a cache key by hashing every argument on every call: ``inspect.signature`` of the function once per
positional argument, a frozen dataclass turned into a dict (a deep copy) and fed to its hasher piece by piece. That is
0.1-0.7 ms a call, and a public Översikt rerun made ~20 such calls: a fifth of its CPU (py-spy, issue 35). The
functions given to ``shared`` take plain keys (a register URL and revision, a view, words: hashable and compared by
value), so a dict finds the object from their values in a microsecond. A key not found there goes to the
``st.cache_resource`` function underneath (which computes each key once, however many sessions ask at the same time),
and the object it returns is kept in front, at most ``max_entries`` of them (the oldest goes first). Arguments named
with a leading underscore are left out of the key, as Streamlit leaves them out of its hash; an argument that cannot be
a dict key (a list) and keyword arguments go straight to Streamlit's cache.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

P = ParamSpec("P")
R = TypeVar("R")


class Shared(Generic[P, R]):
    """A function cached by ``shared``: called as the function, ``clear()`` empties both caches."""

    def __init__(self, func: Callable[P, R], max_entries: int | None) -> None:
        self._cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(func)
        names = list(inspect.signature(func).parameters)
        self._kept = tuple(i for i, name in enumerate(names) if not name.startswith("_"))
        self._max = max_entries
        self._front: dict[tuple, Any] = {}
        self._lock = threading.Lock()
        functools.update_wrapper(self, func)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs:
            return self._cached(*args, **kwargs)
        kept = tuple(args[i] for i in self._kept if i < len(args))
        key = (len(args), kept, tuple(map(type, kept)))  # 1, 1.0 and True are equal keys to a dict, not to Streamlit
        try:
            return self._front[key]
        except KeyError:
            pass
        except TypeError:  # an argument that cannot be a key
            return self._cached(*args)
        value = self._cached(*args)
        with self._lock:
            if self._max is not None and len(self._front) >= self._max:
                self._front.pop(next(iter(self._front)), None)
            self._front[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._front.clear()
        self._cached.clear()


def shared(max_entries: int | None = None) -> Callable[[Callable[P, R]], Shared[P, R]]:
    """``st.cache_resource(show_spinner=False, max_entries=max_entries)`` with a dict of the plain keys in front."""
    def decorate(func: Callable[P, R]) -> Shared[P, R]:
        return Shared(func, max_entries)
    return decorate
