"""Underlag för nästa utbildning: the evidence of demand a provider attaches to an application to MYH."""

import streamlit as st

from components import banners, state
from components.planning import evidence as evidence_view

ctx = state.context()
st.title(ctx.t("evidence.title"))
st.caption(ctx.t("evidence.intro"))
banners.demo_label(ctx)
places = evidence_view.study_places(ctx)
if not places:
    st.info(ctx.t("evidence.no_places"), icon=":material/location_off:")
    st.stop()
chosen = evidence_view.choice(ctx, places)
found = evidence_view.make(ctx, chosen)
if found is not None:
    evidence_view.show(ctx, found, chosen)
