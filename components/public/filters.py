"""The filter bar of the protected pages: Fyrbodal or a municipality, a calendar year, and at most one
focus (an industry group or a competence) — exactly the cells the public release publishes.

The URL holds the view (``area``, ``year``, ``industry``, ``competence``); any other filter in a
shared link (months, several competences, need types) is dropped with a notice, never applied.
"""

from __future__ import annotations

import streamlit as st

from components import state
from core.analysis.filters import FYRBODAL
from core.common.i18n import t
from core.common.text import literal
from core.disclosure.release import PublicView, Release

IGNORED = state.key("_p_url_ignored", __name__)
LOADED = state.key("_p_url_loaded", __name__)
UNSUPPORTED = ("from", "to", "type", "horizon")


def _load_once(areas: list[str], years: list[int], focuses: list[str]) -> None:
    if st.session_state.get(LOADED):
        return
    q = st.query_params
    ignored = [(k, q[k]) for k in UNSUPPORTED if q.get(k)]
    area = q.get("area", FYRBODAL)
    if area not in areas:
        ignored.append(("area", area))
        area = FYRBODAL
    year = q.get("year", "")
    if year and (not year.isdigit() or int(year) not in years):
        ignored.append(("year", year))
        year = ""
    focus = ""
    industry, competence = q.get("industry", ""), q.get("competence", "")
    if industry:
        focus = industry if industry in focuses else ""
        ignored += [] if focus else [("industry", industry)]
    if competence:
        wanted = "c:" + competence
        if not focus and wanted in focuses:
            focus = wanted
        else:
            ignored.append(("competence", competence))
    st.session_state[state.AREA] = area
    st.session_state[state.P_YEAR] = int(year) if year else years[-1]
    st.session_state[state.P_FOCUS] = focus
    st.session_state[IGNORED] = ignored
    st.session_state[LOADED] = True


def render(release: Release, lang: str, names: dict[str, dict[str, str]], fyrbodal: list[str]) -> PublicView | None:
    areas = [FYRBODAL, *[f"m:{c}" for c in fyrbodal]]
    years = list(release.years)
    if not years:
        return None
    focuses = ["", *[f"ig:{c}" for c in sorted(names["industry_group"], key=names["industry_group"].get)],
               *[f"c:{c}" for c in sorted(names["competence"], key=names["competence"].get)]]
    _load_once(areas, years, focuses)
    if st.session_state.get(state.AREA) not in areas:
        st.session_state[state.AREA] = FYRBODAL
    if st.session_state.get(state.P_YEAR) not in years:
        st.session_state[state.P_YEAR] = years[-1]
    if st.session_state.get(state.P_FOCUS) not in focuses:
        st.session_state[state.P_FOCUS] = ""
    with st.sidebar:
        st.header(t(lang, "filters.header"))
        for param, value in st.session_state.get(IGNORED, ()):
            st.warning(t(lang, "public.ignored", param=literal(param), value=literal(value)), icon=":material/link_off:")
        st.selectbox(t(lang, "filters.area"), areas, key=state.AREA,
                     format_func=lambda a: "Fyrbodal" if a == FYRBODAL else names["municipality"].get(a[2:], a))
        st.selectbox(t(lang, "public.year"), years[::-1], key=state.P_YEAR)
        st.selectbox(t(lang, "public.focus"), focuses, key=state.P_FOCUS, format_func=lambda f: focus_label(lang, f, names))
        st.caption(t(lang, "public.protected_hint"))
        if release.through:
            st.caption(t(lang, "release.sidebar", id=release.id, published=release.published or "–", through=release.through))
    area, year, focus = st.session_state[state.AREA], st.session_state[state.P_YEAR], st.session_state[state.P_FOCUS]
    dim, _, value = focus.partition(":")
    view = PublicView(int(year), tuple(fyrbodal) if area == FYRBODAL else (area[2:],),
                      {"ig": "industry_group", "c": "competence"}.get(dim, ""), value)
    return view


def focus_label(lang: str, focus: str, names: dict[str, dict[str, str]]) -> str:
    if not focus:
        return t(lang, "public.focus_all")
    dim, _, value = focus.partition(":")
    if dim == "ig":
        return t(lang, "public.focus_industry", name=names["industry_group"].get(value, value))
    return t(lang, "public.focus_competence", name=names["competence"].get(value, value))


def write_url(view: PublicView, area: str, lang: str, keep: tuple[str, ...]) -> None:
    wanted = {"area": area if area != FYRBODAL else "", "year": str(view.year),
              "industry": f"ig:{view.value}" if view.dim == "industry_group" else "",
              "competence": view.value if view.dim == "competence" else "", "lang": lang if lang != "sv" else ""}
    wanted = {k: v for k, v in wanted.items() if v}
    current = {k: st.query_params[k] for k in st.query_params}
    kept = {k: v for k, v in current.items() if k in keep}
    if current != wanted | kept:
        st.query_params.from_dict(wanted | kept)
