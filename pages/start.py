"""Start: a register with no needs yet (first steps by role), or one that is not set up."""

import streamlit as st

from components import state
from components.public import start as start_view

ctx = state.context()
st.title(ctx.t("start.title"))
if ctx.meta.get("dataset"):
    start_view.empty(ctx)
else:
    start_view.unset(ctx)
