"""The app's pages: their addresses, titles and icons, and which of them a visitor gets (``core.records.audience``
decides; the first allowed page is the default)."""

from __future__ import annotations

import streamlit as st

from components import state
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
    "underlag": ("pages/evidence.py", "nav.evidence", ":material/description:"),
    "brief": ("pages/briefing.py", "nav.briefing", ":material/summarize:"),
    "om-data": ("pages/about.py", "nav.about", ":material/info:"),
    "anvandare": ("pages/users.py", "nav.users", ":material/manage_accounts:"),
}


PAGE_OBJECTS = state.key("navigation_pages", __name__)


def pages(lang: str, user: User | None, register_state: str) -> list[st.Page]:
    """The visitor's pages, made once per (language, pages allowed) in the session: ``st.Page`` resolves its file's path
    on the disk each time it is made (~3 % of a rerun). Kept in the session, not shared: ``st.navigation`` marks the
    page it returns as the one that may run, and another session's run must not see that mark."""
    allowed = tuple(audience.pages_for(user, register_state))
    made = st.session_state.get(PAGE_OBJECTS)
    if made is None or made[0] != (lang, allowed):
        made = ((lang, allowed), [st.Page(f, title=t(lang, title), icon=icon, url_path=path, default=path == allowed[0])
                                  for path, (f, title, icon) in PAGES.items() if path in allowed])
        st.session_state[PAGE_OBJECTS] = made
    return made[1]


# A focus ring a keyboard user sees on every control (WCAG 2.4.7): Streamlit marks a focused page link or expander
# only by a pale grey background (1.1:1 against the sidebar). The theme's red, 5.9:1 on white.
FOCUS_RING = """<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role=tab]:focus-visible, [role=radio]:focus-visible,
label:has(input:focus-visible), [data-baseweb=select] > div:focus-within {
  outline: 3px solid #b0202c !important; outline-offset: 2px;
}
</style>"""


# A key figure's label is shown whole, on a second line where it must (WCAG 1.4.10 Reflow, 1.3.1): Streamlit cuts a label
# wider than its tile with "…" ("Andel kompetensutve…" on the brief at 1400 px), and what is cut no reader gets back
WHOLE_LABELS = """<style>
[data-testid=stMetricLabel], [data-testid=stMetricLabel] > div, [data-testid=stMetricLabel] .stMarkdownEllipsis,
[data-testid=stMetricLabel] p { white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; overflow-wrap: anywhere; }
</style>"""


def focus_ring() -> None:
    """The app's own styles for every page: the focus ring and key figures' labels shown whole."""
    st.html(FOCUS_RING + WHOLE_LABELS)


def page_language(lang: str) -> None:
    """The language of the page as shown (WCAG 3.1.1): Streamlit's page says ``lang="en"`` whatever it shows, so a
    screen reader would read Swedish with English rules. The only script of the app's own in the page."""
    code = "en" if lang == "en" else "sv"
    st.sidebar.html(f'<script>document.documentElement.lang = "{code}";</script>', unsafe_allow_javascript=True)


def tab_title(page: st.Page) -> str:
    """The browser tab's title: the page, then the app (WCAG 2.4.2: a page's title says what it is)."""
    return f"{page.title} · Kompetenskartan"


def statement_link(lang: str, pages: list[st.Page]) -> None:
    """The accessibility statement (on *Om data*), linked from the sidebar of every page that has it."""
    about = next((p for p in pages if p.url_path == "om-data"), None)
    if about is not None:
        st.sidebar.page_link(about, label=t(lang, "a11y.title"), icon=":material/accessibility_new:")
