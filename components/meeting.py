"""Meeting mode: the needs map for a projector (large type, no sidebar, no Streamlit chrome)."""

from __future__ import annotations

import streamlit as st

# Static CSS only (no data in it). Hides the sidebar and its toggle; the view comes from the URL.
MEETING_CSS = """<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"], button[data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none !important; }
.block-container, div[data-testid="stMainBlockContainer"] { padding-top: 1rem !important; max-width: 100% !important; }
div[data-testid="stMarkdownContainer"] p, label p { font-size: 1.25rem !important; }
div[data-testid="stMetric"] div[data-testid="stMetricValue"] div[data-testid="stMarkdownContainer"] p,
div[data-testid="stMetric"] div[data-testid="stMetricValue"] { font-size: 3rem !important; line-height: 1.2 !important; }
h1 { font-size: 2.6rem !important; }
</style>"""

MAP_HEIGHT = {False: 600, True: 760}
LABEL_PX = {False: 14, True: 19}


def apply() -> None:
    st.html(MEETING_CSS)
