"""Arbetsyta: the brokers' workspace. Companies, visits, needs and training efforts, my follow-ups and the log."""

import streamlit as st

from components import banners, state
from components.workspace import companies as workspace_companies
from components.workspace import efforts as workspace_efforts
from components.workspace import imports as workspace_import
from components.workspace import needs as workspace_needs
from components.workspace import view as workspace_view

ctx = state.context()
st.title(ctx.t("ws.title"))
st.caption(ctx.say("ws.intro", who=ctx.user.name or ctx.user.email, area=ctx.area_label))
banners.demo_label(ctx)
ws = workspace_view.space(ctx)
shown = workspace_view.picker(ctx)
if shown == "follow_ups":
    workspace_needs.follow_ups(ctx, ws)
elif shown == "companies":
    workspace_companies.section(ctx, ws)
elif shown == "needs":
    workspace_needs.section(ctx, ws)
elif shown == "efforts":
    workspace_efforts.section(ctx, ws)
elif shown == "import":
    workspace_import.section(ctx, ws)
else:
    workspace_efforts.log(ctx, ws)
