"""Kompetenskartan: page config, language, the shared filter bar, navigation. Nothing else."""

import streamlit as st

from components import context, state
from core.i18n import t

st.set_page_config(page_title="Kompetenskartan", page_icon="static/icon.png", layout="wide")

lang = context.language_switch()
st.session_state[state.CONTEXT] = context.build(lang)

pages = [
    st.Page("pages/overview.py", title=t(lang, "nav.overview"), icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("pages/about.py", title=t(lang, "nav.about"), icon=":material/info:", url_path="om-data"),
]
st.navigation(pages).run()
