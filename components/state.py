"""Session-state keys, owned here so no page invents its own, and the per-run context.

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

LANG = "lang"
AREA = "f_area"
INDUSTRY = "f_industry"
COMPETENCE = "f_competence"
NEED_TYPE = "f_need_type"
HORIZON = "f_horizon"
PERIOD = "f_period"
URL_LOADED = "_url_loaded"
DEMO_USER = "demo_user"  # the demo sign-in's select box
# the demo sign-in's choice, kept apart from its widget: a widget's state is dropped when the navigation's pages
# change (signing in adds pages), which signed the user out again at the next page switch
DEMO_CHOICE = "demo_choice"

# The protected (public) selection: an area, a calendar year and at most one focus
P_YEAR = "p_year"
P_FOCUS = "p_focus"
CONTEXT = "_context"

# The needs map's own view (also in the URL, under the names in PAGE_PARAMS)
MAP_METRIC = "map_metric"
MAP_METHOD = "map_method"
MAP_SELECTED = "map_selected"
MEETING = "map_meeting"

# Demand/supply and access pages (also in the URL)
TRAVEL_MODE = "travel_mode"
TRAVEL_LIMIT = "travel_limit"
SUPPLY_DRILL = "supply_drill"
ACCESS_COMPETENCE = "access_competence"
ACCESS_WHAT_IF = "access_what_if"
ACCESS_KINDS = "access_kinds"
ACCESS_LIMIT = "access_limit"

FILTER_PARAMS = ("area", "industry", "competence", "type", "horizon", "from", "to", "lang")
PAGE_PARAMS = {  # url_path -> its own query parameters
    "behovskarta": ("metric", "classes", "kommun", "meeting"),
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
