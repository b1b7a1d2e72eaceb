"""Today's date, in one place, so that tests can move the clock (retention, date checks) without patching datetime."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()
