"""Kompetenskartan: page config, language, who is signed in, the shared filter bar, navigation. Nothing else."""

import streamlit as st

from components import auth, context, loaders, navigation, state, turns
from components.navigation import database_url

with turns.RUNS.turn():  # one run at a time, first come first served, none long behind a slow one (components/turns.py)
    # the needs map's meeting mode and the briefing's presentation mode start with the sidebar closed
    meeting = st.query_params.get("meeting") == "1" or st.query_params.get("presentation") == "1"
    # the icon as the address ./static is served at (a file path was read, hashed and stored anew on every run)
    st.set_page_config(page_title="Kompetenskartan", page_icon="/app/static/icon.png", layout="wide",
                       initial_sidebar_state="collapsed" if meeting else "auto")

    navigation.focus_ring()
    lang = context.language_switch()
    navigation.page_language(lang)
    auth.refuse_demo_login_on_real(lang, database_url())
    loaders.retention(database_url())  # once a day per server: contact persons kept past their date are erased
    user, unknown = auth.current_user(database_url())
    auth.sign_in_panel(lang, user, unknown, database_url())
    pages = navigation.pages(lang, user, context.register_state())
    page = st.navigation(pages)
    st.set_page_config(page_title=navigation.tab_title(page))  # each page names itself in the tab and browser history
    navigation.statement_link(lang, pages)
    st.session_state[state.CONTEXT] = context.build(lang, state.PAGE_PARAMS.get(page.url_path, ()), user)
    page.run()
