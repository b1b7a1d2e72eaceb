"""The admin's answer to a contact person's request: see everything stored about them, or erase it (GDPR 15, 17)."""

from __future__ import annotations

import streamlit as st

from components import loaders, state
from components.state import Context
from core.records.audience import UserProblem
from services import privacy
from services.admin import Admin

WHO = state.key("privacy_who", __name__)


def panel(ctx: Context) -> None:
    st.subheader(ctx.t("privacy.title"), divider="gray")
    st.caption(ctx.t("privacy.intro"))
    who = st.text_input(ctx.t("privacy.who"), key=WHO, placeholder="kim@foretag.se")
    if not who.strip():
        return
    register = loaders.register(ctx.url)
    found = privacy.person_record(register, who)
    left, middle, right = st.columns(3)
    left.metric(ctx.t("privacy.companies"), len(found.companies))
    middle.metric(ctx.t("privacy.notes"), len(found.notes))
    right.metric(ctx.t("privacy.entries"), len(found.entries))
    if found.empty:
        st.info(ctx.t("privacy.nothing"), icon=":material/search_off:")
        return
    admin = Admin(register, ctx.user)
    st.download_button(ctx.t("privacy.export"), lambda: admin.person_export(who).encode("utf-8"), file_name="personuppgifter.json",
                       mime="application/json", icon=":material/download:", key="privacy_export",
                       on_click="ignore")
    with st.form("privacy_erase"):
        asked = st.text_input(ctx.t("privacy.requested_by"), help=ctx.t("privacy.requested_by_help"))
        sure = st.checkbox(ctx.t("privacy.sure"))
        if st.form_submit_button(ctx.t("privacy.erase"), icon=":material/delete_forever:", type="primary"):
            if not sure:
                st.error(ctx.t("privacy.not_sure"), icon=":material/error:")
                return
            try:
                counts = admin.erase_person(who, asked)
            except UserProblem:
                st.error(ctx.t("privacy.need_requested_by"), icon=":material/error:")
            else:
                st.success(ctx.t("privacy.erased", **counts), icon=":material/check:")
