"""The app's pages: their addresses, titles and icons, and which of them a visitor gets (``core.records.audience``
decides; the first allowed page is the default)."""

from __future__ import annotations

import streamlit as st

from core.common.config import database_url as database_url  # the register this server opens (app.py passes it on)
from core.common.i18n import t
from core.records import audience
from core.records.audience import User

PAGES = {  # url path -> (file, title key, icon)
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


def pages(lang: str, user: User | None, register_state: str) -> list[st.Page]:
    allowed = audience.pages_for(user, register_state)
    return [st.Page(f, title=t(lang, title), icon=icon, url_path=path, default=path == allowed[0])
            for path, (f, title, icon) in PAGES.items() if path in allowed]


# A focus ring a keyboard user sees on every control (WCAG 2.4.7): Streamlit marks a focused page link or expander
# only by a pale grey background (1.1:1 against the sidebar). The theme's red, 5.9:1 on white.
FOCUS_RING = """<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role=tab]:focus-visible, [role=radio]:focus-visible,
label:has(input:focus-visible), [data-baseweb=select] > div:focus-within {
  outline: 3px solid #b0202c !important; outline-offset: 2px;
}
</style>"""


def focus_ring() -> None:
    st.html(FOCUS_RING)


def tab_title(page: st.Page) -> str:
    """The browser tab's title: the page, then the app (WCAG 2.4.2: a page's title says what it is)."""
    return f"{page.title} · Kompetenskartan"


def statement_link(lang: str, pages: list[st.Page]) -> None:
    """The accessibility statement (on *Om data*), linked from the sidebar of every page that has it."""
    about = next((p for p in pages if p.url_path == "om-data"), None)
    if about is not None:
        st.sidebar.page_link(about, label=t(lang, "a11y.title"), icon=":material/accessibility_new:")
