"""Session-state keys, registered here (``key``: one owner each, a duplicate refused at import), and the per-run context.

``app.py`` builds a ``Context`` once per rerun (language, selection, filtered needs) and
stores it under ``CONTEXT``; pages read it with ``context()``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.analysis.filters import Choices, Filters
from core.analysis.selection import Selection
from core.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from core.common.text import literal
from core.disclosure.release import PublicView, Release
from core.records.audience import User


class DuplicateKey(ValueError):
    """Two components claimed the same session-state key (each would overwrite the other's state)."""


_OWNERS: dict[str, str] = {}  # every session-state key of the app -> the component that owns it


def key(name: str, owner: str) -> str:
    """Register a session-state key for the component that owns it (``__name__`` of its module) and return it.
    A key claimed by a second owner raises ``DuplicateKey`` when that module is imported, before any page runs."""
    known = _OWNERS.setdefault(name, owner)
    if known != owner:
        raise DuplicateKey(f"session-state key {name!r} belongs to {known}; {owner} asked for it too")
    return name


def owners() -> dict[str, str]:
    """Every registered key and its owner (the keys of the modules imported so far)."""
    return dict(_OWNERS)


# Keys read by more than one component, defined here for them to import; each registered for the one that writes it.
# The shared filter bar (also in the URL); the language switch
LANG = key("lang", "components.context")
AREA = key("f_area", "components.filter_bar")
INDUSTRY = key("f_industry", "components.filter_bar")
COMPETENCE = key("f_competence", "components.filter_bar")
NEED_TYPE = key("f_need_type", "components.filter_bar")
HORIZON = key("f_horizon", "components.filter_bar")
PERIOD = key("f_period", "components.filter_bar")
URL_LOADED = key("_url_loaded", "components.filter_bar")
DEMO_USER = key("demo_user", "components.auth")  # the demo sign-in's select box
# the demo sign-in's choice, kept apart from its widget: a widget's state is dropped when the navigation's pages
# change (signing in adds pages), which signed the user out again at the next page switch
DEMO_CHOICE = key("demo_choice", "components.auth")

# The protected (public) selection: an area, a calendar year and at most one focus
P_YEAR = key("p_year", "components.public.filters")
P_FOCUS = key("p_focus", "components.public.filters")
CONTEXT = key("_context", "components.context")

# The needs map's own view (also in the URL, under the names in PAGE_PARAMS)
MAP_METRIC = key("map_metric", "components.maps.controls")
MAP_METHOD = key("map_method", "components.maps.controls")
MAP_SELECTED = key("map_selected", "components.maps.controls")
MEETING = key("map_meeting", "components.maps.controls")

# Demand/supply and access pages (also in the URL)
TRAVEL_MODE = key("travel_mode", "components.public.supply")
TRAVEL_LIMIT = key("travel_limit", "components.public.supply")
SUPPLY_DRILL = key("supply_drill", "components.public.supply")
ACCESS_COMPETENCE = key("access_competence", "components.planning.access")
ACCESS_WHAT_IF = key("access_what_if", "components.planning.access")
ACCESS_KINDS = key("access_kinds", "components.planning.access")
ACCESS_LIMIT = key("access_limit", "components.planning.access")

FILTER_PARAMS = ("area", "industry", "competence", "type", "horizon", "from", "to", "lang")
PAGE_PARAMS = {  # url_path -> its own query parameters
    "behovskarta": ("metric", "classes", "kommun", "meeting", "lager", "vitkompetens", "mode", "minuter"),
    "utbud": ("mode", "minuter"),
    "pendling": ("mode", "minuter", "kompetens", "nytt"),
    "brief": ("omrade", "period", "presentation"),
    "anvandare": (),
    "arbetsyta": (),
}


@dataclass(frozen=True)
class Context:
    lang: str
    filters: Filters
    choices: Choices
    codes: list[str] | None  # municipalities of the area; None for the whole register
    area_label: str
    needs: pd.DataFrame  # the whole register, prepared
    selection: Selection  # the needs in the selection, with what the pages derive from them (shared)
    names: dict[str, dict[str, str]]  # municipality / competence / industry_group -> labels
    is_demo: bool
    meta: dict[str, str]
    url: str
    revision: str = ""
    user: User | None = None
    release: Release | None = None  # set for audiences that see only the protected release
    view: PublicView | None = None

    @property
    def selected(self) -> pd.DataFrame:
        """The needs in the selection (read-only: a frame shared by the sessions with this selection)."""
        return self.selection.frame

    @property
    def protected(self) -> bool:
        """True for the public and viewers: every figure comes from ``release``, no row is loaded."""
        return self.release is not None

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def say(self, key: str, **values: object) -> str:
        """The catalogue text with every value shown as typed (``core.common.text.literal``): for markdown and messages
        that carry what a user typed (a company's name, an e-mail, a file name, a URL's value)."""
        return t(self.lang, key, **{k: literal(v) if isinstance(v, str) else v for k, v in values.items()})


def language() -> str:
    return st.session_state.get(LANG, DEFAULT_LANGUAGE)


def init_language_from_url() -> None:
    if LANG not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANG] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def context() -> Context:
    return st.session_state[CONTEXT]
