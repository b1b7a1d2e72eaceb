"""The admin's answer to a contact person's request: see everything stored about them, or erase it (GDPR 15, 17)."""

from __future__ import annotations

import streamlit as st

from components import loaders, state
from components.state import Context
from core.common.text import literal
from core.records.audience import UserProblem
from services import privacy
from services.admin import Admin
from services.workspace import Refused

WHO = state.key("privacy_who", __name__)
SHOWN = state.key("privacy_shown", __name__)  # the code of the listing the last run showed: the erasure writes only that


def panel(ctx: Context) -> None:
    st.subheader(ctx.t("privacy.title"), divider="gray")
    st.caption(ctx.t("privacy.intro"))
    who = st.text_input(ctx.t("privacy.who"), key=WHO, placeholder="kim@foretag.se")
    if not who.strip():
        return
    register = loaders.register(ctx.url)
    found = privacy.person_record(register, who)
    shown, st.session_state[SHOWN] = st.session_state.get(SHOWN, ""), found.digest
    left, middle, right = st.columns(3)
    left.metric(ctx.t("privacy.companies"), len(found.companies))
    middle.metric(ctx.t("privacy.notes"), len(found.notes))
    right.metric(ctx.t("privacy.entries"), len(found.entries))
    if found.empty:
        st.info(ctx.t("privacy.nothing"), icon=":material/search_off:")
        return
    if found.notes:  # what an erasure would change, before it is made
        st.caption(ctx.t("privacy.would_change"))
        st.dataframe([{ctx.t("privacy.col_record"): f"{n['table']} {n['id']}", ctx.t("privacy.col_now"): n["note"],
                       ctx.t("privacy.col_after"): n["after"]} for n in found.notes], hide_index=True)
    if found.near:  # a longer name that contains this one: someone else, kept
        st.caption(ctx.t("privacy.near"))
        st.dataframe([{ctx.t("privacy.col_record"): f"companies {c['id']} ({c['municipality_code']})",
                       ctx.t("privacy.col_contact"): c["contact_name"], ctx.t("privacy.col_email"): c["contact_email"]}
                      for c in found.near], hide_index=True)
    if found.weak:
        st.warning(ctx.t("privacy.weak", terms=literal(", ".join(found.weak))), icon=":material/warning:")
    elif found.confirm:  # other companies' text, or a longer name kept: the admin looks first
        st.warning(ctx.t("privacy.look_first"), icon=":material/warning:")
    admin = Admin(register, ctx.user)
    st.download_button(ctx.t("privacy.export"), lambda: admin.person_export(who).encode("utf-8"), file_name="personuppgifter.json",
                       mime="application/json", icon=":material/download:", key="privacy_export",
                       on_click="ignore")
    with st.form("privacy_erase"):
        asked = st.text_input(ctx.t("privacy.requested_by"), help=ctx.t("privacy.requested_by_help"))
        sure = st.checkbox(ctx.t("privacy.sure"))
        checked = st.checkbox(ctx.t("privacy.confirm_short")) if found.confirm else False
        if st.form_submit_button(ctx.t("privacy.erase"), icon=":material/delete_forever:", type="primary"):
            if not sure:
                st.error(ctx.t("privacy.not_sure"), icon=":material/error:")
                return
            try:
                counts = admin.erase_person(who, asked, confirmed=shown if checked or not found.confirm else "")
            except privacy.Unconfirmed:
                st.error(ctx.t("privacy.not_confirmed"), icon=":material/error:")
            except privacy.ChangedSinceShown:
                st.error(ctx.t("privacy.changed_since_shown"), icon=":material/error:")
            except UserProblem:
                st.error(ctx.t("privacy.need_requested_by"), icon=":material/error:")
            except Refused:
                st.error(ctx.t("users.problem_not_admin"), icon=":material/error:")
            else:
                st.success(ctx.t("privacy.erased", **counts), icon=":material/check:")
                if counts.get("old_pages"):
                    st.warning(ctx.t("privacy.old_pages"), icon=":material/warning:")
