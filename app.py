"""Kompetenskartan: page config, language, the shared filter bar, navigation. Nothing else."""

import streamlit as st

from components import context, state
from core.i18n import t

# the needs map's meeting mode and the briefing's presentation mode start with the sidebar closed
meeting = st.query_params.get("meeting") == "1" or st.query_params.get("presentation") == "1"
st.set_page_config(page_title="Kompetenskartan", page_icon="static/icon.png", layout="wide",
                   initial_sidebar_state="collapsed" if meeting else "auto")

lang = context.language_switch()
pages = [
    st.Page("pages/overview.py", title=t(lang, "nav.overview"), icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("pages/needs_map.py", title=t(lang, "nav.needs_map"), icon=":material/map:", url_path="behovskarta"),
    st.Page("pages/supply.py", title=t(lang, "nav.supply"), icon=":material/balance:", url_path="utbud"),
    st.Page("pages/access.py", title=t(lang, "nav.access"), icon=":material/commute:", url_path="pendling"),
    st.Page("pages/cohorts.py", title=t(lang, "nav.cohorts"), icon=":material/groups:", url_path="kohorter"),
    st.Page("pages/briefing.py", title=t(lang, "nav.briefing"), icon=":material/summarize:", url_path="brief"),
    st.Page("pages/about.py", title=t(lang, "nav.about"), icon=":material/info:", url_path="om-data"),
]
page = st.navigation(pages)
st.session_state[state.CONTEXT] = context.build(lang, state.PAGE_PARAMS.get(page.url_path, ()))
page.run()
