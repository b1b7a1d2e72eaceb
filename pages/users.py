"""Användare: who may sign in, with which role and (for brokers) which municipalities. Admins only."""

import streamlit as st

from components import state
from components.admin import privacy as privacy_view
from components.admin import users as users_view

ctx = state.context()
users_view.admins_only(ctx)
st.title(ctx.t("users.title"))
st.caption(ctx.t("users.intro"))
users_view.table(ctx)
users_view.form(ctx)
users_view.remove(ctx)
privacy_view.panel(ctx)
