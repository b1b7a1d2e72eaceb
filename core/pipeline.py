"""A need's way from survey to training: new → analysed → matched → in training → closed.

A need moves one step on, one step back (a correction), or straight to closed (with an outcome:
trained, recruited, withdrawn, no offer). Matched and in training need an offer or a training
effort to point at. Pure rules; ``core.workspace`` applies them when a need is edited.
"""

from __future__ import annotations

from core.models import Status
from core.validation import Problem

ORDER = [Status.NEW, Status.ANALYSED, Status.MATCHED, Status.IN_TRAINING, Status.CLOSED]


def allowed_next(status: str) -> list[Status]:
    """The statuses a need in ``status`` may be given (itself included), in pipeline order."""
    i = ORDER.index(Status(status))
    steps = {ORDER[i], ORDER[min(i + 1, len(ORDER) - 1)], ORDER[max(i - 1, 0)], Status.CLOSED}
    return [s for s in ORDER if s in steps]


def check_move(before: str, after: str) -> list[Problem]:
    if Status(after) in allowed_next(before):
        return []
    return [Problem(None, "status", "status_step", "status_step", f"{before} → {after}")]


def open_statuses() -> list[Status]:
    return ORDER[:-1]
