"""The start page of a register with no needs yet: what to do first, by role; or how to set a register up."""

from __future__ import annotations

import streamlit as st

from components import loaders
from components.state import Context
from core.records import audience
from core.records.audience import Audience

# The commands are shown without syntax colours (language=None): Streamlit's bash colours drew an option such as
# --admin in #00a4d4 on the code block's #fcfcfb, 2.8:1 (WCAG 2.1 AA asks 4.5:1); plain, they are the text's colour.

def unset(ctx: Context) -> None:
    """Neither ``kompetenskartan init`` nor ``kompetenskartan demo`` has made this register."""
    st.warning(ctx.t("start.unset"), icon=":material/database_off:")
    st.code("kompetenskartan init --admin anna@region.se", language=None)
    st.caption(ctx.t("start.unset_demo"))
    st.code("kompetenskartan demo", language=None)


def empty(ctx: Context) -> None:
    """A region's own register without needs: the admin's first steps, a broker's, and the public's notice."""
    who = audience.audience(ctx.user)
    if who == Audience.ADMIN:
        _admin(ctx)
    elif who == Audience.BROKER:
        st.info(ctx.t("start.broker"), icon=":material/edit_note:")
        st.page_link("pages/workspace.py", label=ctx.t("nav.workspace"), icon=":material/work:")
    else:
        st.info(ctx.t("start.public"), icon=":material/hourglass_empty:")
        st.page_link("pages/about.py", label=ctx.t("nav.about"), icon=":material/info:")


def _admin(ctx: Context) -> None:
    st.markdown(ctx.t("start.admin_intro"))
    users = loaders.register(ctx.url).users()
    st.subheader(ctx.t("start.step_users"), divider="gray")
    st.markdown(ctx.t("start.users_text", n=len(users)))
    st.page_link("pages/users.py", label=ctx.t("nav.users"), icon=":material/manage_accounts:")
    st.code("kompetenskartan users add anna@kommun.se --role broker --municipality 1427", language=None)
    st.subheader(ctx.t("start.step_import"), divider="gray")
    st.markdown(ctx.t("start.import_text"))
    st.download_button(ctx.t("start.template"), loaders.template_file(ctx.lang, "xlsx"), file_name="importmall.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="start_template")
    st.page_link("pages/workspace.py", label=ctx.t("nav.workspace"), icon=":material/work:")
    st.subheader(ctx.t("start.step_backup"), divider="gray")
    st.markdown(ctx.t("start.backup_text"))
    st.code("kompetenskartan backup --out backups/kompetenskartan-$(date +%F).backup", language=None)
    st.subheader(ctx.t("start.step_docs"), divider="gray")
    st.markdown(ctx.t("start.docs_text"))
