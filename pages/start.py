"""Start: a register with no needs yet (first steps by role), or one that is not set up."""

import streamlit as st

from components import start_view, state

ctx = state.context()
st.title(ctx.t("start.title"))
if ctx.meta.get("dataset"):
    start_view.empty(ctx)
else:
    start_view.unset(ctx)
