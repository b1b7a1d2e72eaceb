"""The shared filter bar in the sidebar, kept in step with the URL's query parameters.

On a session's first run the URL fills the widgets (unknown values are dropped and reported);
on every run the widgets write the URL back, so the address bar always reproduces the view.
"""

from __future__ import annotations

import streamlit as st

from components import state
from core.analysis.filters import FYRBODAL, Choices, Filters
from core.analysis.labels import area_label, industry_label
from core.common.i18n import t
from core.common.text import literal

IGNORED = state.key("_url_ignored", __name__)


def _widget_values(f: Filters, choices: Choices) -> dict[str, object]:
    return {
        state.AREA: f.area,
        state.INDUSTRY: f.industry,
        state.COMPETENCE: list(f.competences),
        state.NEED_TYPE: list(f.need_types),
        state.HORIZON: list(f.horizons),
        state.PERIOD: f.period or ((choices.months[0], choices.months[-1]) if choices.months else None),
    }


def _load_once(choices: Choices) -> None:
    if st.session_state.get(state.URL_LOADED):
        return
    parsed = Filters.from_query(dict(st.query_params), choices)
    st.session_state.update(_widget_values(parsed, choices))
    st.session_state[IGNORED] = parsed.ignored
    st.session_state[state.URL_LOADED] = True


def _drop_stale(choices: Choices) -> None:
    """Values from another register (a different database) fall back to the defaults."""
    if st.session_state.get(state.AREA) not in choices.areas:
        st.session_state[state.AREA] = choices.areas[0] if choices.areas else FYRBODAL
    for key, allowed in (
        (state.COMPETENCE, choices.competences),
        (state.NEED_TYPE, choices.need_types),
        (state.HORIZON, choices.horizons),
    ):
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in allowed]
    period = st.session_state.get(state.PERIOD)
    if choices.months and (not period or any(m not in choices.months for m in period)):
        st.session_state[state.PERIOD] = (choices.months[0], choices.months[-1])


def reset(choices: Choices) -> None:
    st.session_state.update(_widget_values(Filters(area=choices.areas[0] if choices.areas else FYRBODAL), choices))


def render(
    choices: Choices, lang: str, names: dict[str, dict[str, str]], fa_names: dict[str, str], sections: dict[str, str],
    municipality_count: int, all_label: str | None = None,
) -> Filters:
    """``all_label``: how to name the whole (readable) register, e.g. a broker's own municipalities."""
    _load_once(choices)
    _drop_stale(choices)
    with st.sidebar:
        st.header(t(lang, "filters.header"))
        for param, value in st.session_state.get(IGNORED, ()):
            st.warning(t(lang, "filters.ignored", param=literal(param), value=literal(value)), icon=":material/link_off:")
        st.selectbox(
            t(lang, "filters.area"), choices.areas, key=state.AREA,
            format_func=lambda a: all_label if a == "all" and all_label else area_label(lang, a, names["municipality"], fa_names,
                                                                                     municipality_count),
        )
        st.selectbox(
            t(lang, "filters.industry"), ("",) + choices.industries, key=state.INDUSTRY,
            format_func=lambda i: industry_label(lang, i, names["industry_group"], sections),
        )
        st.multiselect(
            t(lang, "filters.competence"), choices.competences, key=state.COMPETENCE,
            format_func=lambda c: names["competence"].get(c, c), placeholder=t(lang, "filters.competence_placeholder"),
        )
        st.multiselect(
            t(lang, "filters.need_type"), choices.need_types, key=state.NEED_TYPE,
            format_func=lambda v: t(lang, f"need_type.{v}"), placeholder=t(lang, "filters.all"),
        )
        st.multiselect(
            t(lang, "filters.horizon"), choices.horizons, key=state.HORIZON,
            format_func=lambda v: t(lang, f"horizon.{v}"), placeholder=t(lang, "filters.all"),
        )
        if len(choices.months) > 1:
            st.select_slider(t(lang, "filters.period"), options=choices.months, key=state.PERIOD)
        st.button(t(lang, "filters.reset"), on_click=reset, args=(choices,), icon=":material/restart_alt:")
        st.caption(t(lang, "filters.share_hint"))
    period = st.session_state.get(state.PERIOD)
    full = choices.months and tuple(period or ()) == (choices.months[0], choices.months[-1])
    return Filters(
        area=st.session_state.get(state.AREA) or FYRBODAL,  # no area to offer (no rows): never None
        industry=st.session_state[state.INDUSTRY],
        competences=tuple(st.session_state[state.COMPETENCE]),
        need_types=tuple(st.session_state[state.NEED_TYPE]),
        horizons=tuple(st.session_state[state.HORIZON]),
        period=None if full or not period else tuple(period),
    )


def write_url(filters: Filters, lang: str, keep: tuple[str, ...] = ()) -> None:
    """Write the selection to the URL; ``keep`` names the current page's own parameters, which
    the page writes itself. Anything else (another page's leftovers) is removed."""
    wanted = filters.to_query() | ({"lang": lang} if lang != "sv" else {})
    current = {k: st.query_params[k] for k in st.query_params}
    kept = {k: v for k, v in current.items() if k in keep}
    if current != wanted | kept:
        st.query_params.from_dict(wanted | kept)
