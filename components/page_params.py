"""A page's own widgets kept in the URL: loaded from it once per session, written back every run.

``load(key, param, allowed, default)`` fills ``st.session_state[key]`` from ``?param=`` the
first time a page runs in a session (an unknown value is dropped and reported once); ``write``
puts the current values back, leaving defaults out so links stay short.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import state
from core.common.text import literal

IGNORED = state.key("_page_url_ignored", __name__)


def load(key: str, param: str, allowed: Sequence[str], default: str) -> None:
    if key in st.session_state:
        return
    value = st.query_params.get(param, "")
    if value and value not in allowed:
        st.session_state.setdefault(IGNORED, []).append((param, value))
        value = ""
    st.session_state[key] = value or default


def write(values: dict[str, tuple[str, str]]) -> None:
    """``values``: param -> (current value, default)."""
    for param, (value, default) in values.items():
        if value and value != default and st.query_params.get(param) != value:
            st.query_params[param] = value
        elif (not value or value == default) and param in st.query_params:
            del st.query_params[param]


def warn_ignored(message) -> None:
    """Show each dropped URL value once (``message(param, value)`` gives the text)."""
    for param, value in st.session_state.pop(IGNORED, []):
        st.warning(message(literal(param), literal(value)), icon=":material/link_off:")
