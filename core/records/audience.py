"""Who sees what: the one place that decides, for every page, table, download and command.

Audiences:
- ``public``: not signed in. Only the protected public release (``core.disclosure.release``).
- ``viewer``: officials and politicians, signed in. The same protected release: being signed in
  is no reason to see a company.
- ``broker``: company level (rows, names, notes, exact figures, the cohort finder) for their own
  municipalities, filtered on the server before any page sees the data; the public release elsewhere.
- ``admin``: everything, and the users.

Pure Python: the Streamlit glue (``components.auth``) asks these functions and never decides itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd


class Audience(StrEnum):
    PUBLIC = "public"
    VIEWER = "viewer"
    BROKER = "broker"
    ADMIN = "admin"


ROLES = (Audience.VIEWER, Audience.BROKER, Audience.ADMIN)  # what a user in the register can be given

# Pages by their url path, and the audiences that may open each.
PROTECTED_PAGES = ("oversikt", "behovskarta", "utbud", "pendling", "brief", "om-data")
PAGES: dict[str, tuple[Audience, ...]] = {
    **{p: tuple(Audience) for p in PROTECTED_PAGES},
    "arbetsyta": (Audience.BROKER, Audience.ADMIN),
    "kohorter": (Audience.BROKER, Audience.ADMIN),
    "underlag": (Audience.BROKER, Audience.ADMIN),  # the evidence for a programme (services.evidence says why not public)
    "anvandare": (Audience.ADMIN,),
}


@dataclass(frozen=True)
class User:
    email: str
    role: Audience
    municipalities: tuple[str, ...] = ()  # a broker's; ignored for other roles
    name: str = ""



def audience(user: User | None) -> Audience:
    return Audience.PUBLIC if user is None else user.role


def sees_companies(user: User | None) -> bool:
    """Rows, company names, brokers, notes and exact figures: brokers (their municipalities) and admins."""
    return audience(user) in (Audience.BROKER, Audience.ADMIN)


def may_write_reference(user: User | None) -> bool:
    """Shared inputs every figure depends on (the measured travel matrix, users): admins only."""
    return audience(user) == Audience.ADMIN


def may_open(user: User | None, page: str) -> bool:
    return audience(user) in PAGES.get(page, ())


# A register without needs yet ("empty": its first steps) or not set up at all ("unset"): the start page first
START_PAGES = {"empty": ("kom-igang", "arbetsyta", "anvandare", "om-data"), "unset": ("kom-igang",)}


def pages_for(user: User | None, register_state: str = "ready") -> list[str]:
    """The pages the user may open, the default (first) page first."""
    pages = [p for p, allowed in PAGES.items() if audience(user) in allowed]
    if register_state in START_PAGES:
        return [p for p in START_PAGES[register_state] if p == "kom-igang" or p in pages]
    return pages


def scope(user: User | None) -> tuple[str, ...] | None:
    """The municipalities whose rows the user may read: all (None) for an admin, a broker's own, none otherwise."""
    who = audience(user)
    if who == Audience.ADMIN:
        return None
    if who == Audience.BROKER and user is not None:
        return tuple(user.municipalities)
    return ()


def rows_for(user: User | None, needs: pd.DataFrame) -> pd.DataFrame:
    """The rows a user may read, cut on the server: nothing for the public and viewers."""
    return rows_in(needs, scope(user))


def rows_in(needs: pd.DataFrame, allowed: tuple[str, ...] | None) -> pd.DataFrame:
    """The rows of the municipalities of a ``scope``: every row for None, none for ()."""
    if allowed is None:
        return needs
    return needs[needs["municipality_code"].astype(str).isin(allowed)]


class UserProblem(ValueError):
    """A user that cannot be saved; ``code`` names the catalogue text (``users.problem_<code>``)."""

    def __init__(self, code: str, message: str, value: str = ""):
        super().__init__(message)
        self.code, self.value = code, value


def parse_role(text: str) -> Audience:
    try:
        role = Audience(text.strip().lower())
    except ValueError:
        role = None
    if role not in ROLES:
        raise UserProblem("role", f"unknown role {text!r}: choose one of {', '.join(r.value for r in ROLES)}", text)
    return role


def may_edit(user: User | None, municipality_code: str) -> bool:
    """Write a company, visit or need in ``municipality_code``: an admin anywhere, a broker in their own."""
    who = audience(user)
    return who == Audience.ADMIN or (who == Audience.BROKER and user is not None and str(municipality_code) in user.municipalities)
