"""One selection of needs and what the pages derive from it, each made once.

The signed-in pages show figures of a selection (area, industry, competences, ... of the filter bar):
KPIs, persons by competence, the needs table. Every rerun of every session with the same selection
asks for the same figures, so a ``Selection`` keeps what was derived from its rows and hands it out
again (``components.loaders.selection`` shares one per register revision, readable scope and
filters between the sessions, as the public release's breakdowns are shared).

Derived values are read-only: frames and series (also inside a tuple) are handed out as copy-on-write
copies (a caller's change stays its own); other values (dataclasses, numbers) must not be changed by the caller.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")


_unshared = itertools.count()


class Selection:
    def __init__(self, frame: pd.DataFrame, key: Hashable = None):
        """``key``: what the selection is (register revision, scope, filters, area), so that a selection
        made again after its cache entry was dropped stands for the same rows in another's ``derive``."""
        self.frame = frame
        self.key = key if key is not None else ("unshared", next(_unshared))
        self._made: dict[tuple[Any, ...], Any] = {}

    def derive(self, fn: Callable[..., T], *args: Hashable) -> T:
        """``fn(self.frame, *args)``, computed on the first call with these arguments only.

        ``fn`` must be a pure function of the rows and ``args`` (a module-level function, so that
        it names the same computation on every rerun); a ``Selection`` among ``args`` counts by its
        ``key`` (its rows are not kept alive by this one). Two sessions asking at the same instant may
        both compute it; the results are equal, and one is kept."""
        key = (fn, tuple(a.key if isinstance(a, Selection) else a for a in args))
        try:
            value = self._made[key]
        except KeyError:
            value = self._made.setdefault(key, fn(self.frame, *args))
        if isinstance(value, tuple):
            return tuple(_own(v) for v in value)  # type: ignore[return-value]  # T is that tuple
        return _own(value)

    def part(self, column: str, value: Hashable) -> Selection:
        """The rows whose ``column`` equals ``value`` (a municipality's needs, say), as a selection of its own."""
        return self.derive(_part, column, value)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def empty(self) -> bool:
        return self.frame.empty


def _own(value: Any) -> Any:
    """A frame or series as a copy-on-write copy (cheap: no data is copied until the caller changes it)."""
    return value.copy(deep=False) if isinstance(value, pd.DataFrame | pd.Series) else value


def _part(frame: pd.DataFrame, column: str, value: Hashable) -> Selection:
    return Selection(frame[frame[column] == value])
