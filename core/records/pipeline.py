"""A need's way from survey to training: new → analysed → matched → in training → closed.

A need moves on any number of steps (a need matched straight from a survey skips the analysis), one
step back (a correction), or to closed (with an outcome: trained, recruited, withdrawn, no offer). Matched and in training need an offer or a training
effort to point at. Pure rules; ``services.workspace`` applies them when a need is edited.
"""

from __future__ import annotations

from core.common.models import Status
from core.records.validation import Problem

ORDER = [Status.NEW, Status.ANALYSED, Status.MATCHED, Status.IN_TRAINING, Status.CLOSED]


def allowed_next(status: str) -> list[Status]:
    """The statuses a need in ``status`` may be given (itself included), in pipeline order."""
    i = ORDER.index(Status(status))
    return ORDER[max(i - 1, 0):]


def check_move(before: str, values: dict) -> list[Problem]:
    """Problems of moving a need from status ``before`` to ``values['status']`` with ``values``' links.

    A need that comes to matched or in training must point at an offer or an effort (one that was
    already there before this rule, as in older registers, is left as it is until it moves)."""
    after = values.get("status", before)
    problems = []
    if Status(after) not in allowed_next(before):
        problems.append(Problem(None, "status", "status_step", "status_step", f"{before} → {after}"))
    if after != before and after in (Status.MATCHED, Status.IN_TRAINING) and not (values.get("offer_id") or values.get("effort_id")):
        problems.append(Problem(None, "offer_id", "match_needs_offer_or_effort", "match_needs_offer_or_effort"))
    return problems


def open_statuses() -> list[Status]:
    return ORDER[:-1]
