"""Kompetenskartan: page config, language, who is signed in, the shared filter bar, navigation. Nothing else."""

import streamlit as st

from components import auth, context, loaders, state
from core.common.config import database_url
from core.common.i18n import t
from core.records import audience

# the needs map's meeting mode and the briefing's presentation mode start with the sidebar closed
meeting = st.query_params.get("meeting") == "1" or st.query_params.get("presentation") == "1"
st.set_page_config(page_title="Kompetenskartan", page_icon="static/icon.png", layout="wide",
                   initial_sidebar_state="collapsed" if meeting else "auto")

lang = context.language_switch()
auth.refuse_demo_login_on_real(lang, database_url())
loaders.retention(database_url())  # once a day per server: contact persons kept past their date are erased
user, unknown = auth.current_user(database_url())
auth.sign_in_panel(lang, user, unknown, database_url())
PAGES = {  # url path -> (file, title key, icon); core.records.audience decides who gets which
    "kom-igang": ("pages/start.py", "nav.start", ":material/flag:"),  # only while the register has no needs
    "oversikt": ("pages/overview.py", "nav.overview", ":material/dashboard:"),
    "behovskarta": ("pages/needs_map.py", "nav.needs_map", ":material/map:"),
    "utbud": ("pages/supply.py", "nav.supply", ":material/balance:"),
    "pendling": ("pages/access.py", "nav.access", ":material/commute:"),
    "arbetsyta": ("pages/workspace.py", "nav.workspace", ":material/work:"),
    "kohorter": ("pages/cohorts.py", "nav.cohorts", ":material/groups:"),
    "brief": ("pages/briefing.py", "nav.briefing", ":material/summarize:"),
    "om-data": ("pages/about.py", "nav.about", ":material/info:"),
    "anvandare": ("pages/users.py", "nav.users", ":material/manage_accounts:"),
}
allowed = audience.pages_for(user, context.register_state())
pages = [st.Page(f, title=t(lang, title), icon=icon, url_path=path, default=path == allowed[0])
         for path, (f, title, icon) in PAGES.items() if path in allowed]
page = st.navigation(pages)
st.session_state[state.CONTEXT] = context.build(lang, state.PAGE_PARAMS.get(page.url_path, ()), user)
page.run()
