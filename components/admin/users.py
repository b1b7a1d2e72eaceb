"""The admin's users page: the list, a form to add or change a user, and removal."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders
from components.state import Context
from core.records import audience
from core.records.audience import ROLES, User, UserProblem
from data import reference
from services.admin import Admin


def admins_only(ctx: Context) -> None:
    """The page checks the role itself, not only the navigation (the writes check it again, in ``services.admin``)."""
    if not audience.may_write_reference(ctx.user):
        st.error(ctx.t("users.admins_only"), icon=":material/lock:")
        st.stop()


def table(ctx: Context) -> None:
    users = loaders.register(ctx.url).users()
    names = ctx.names["municipality"]
    frame = pd.DataFrame([{ctx.t("users.email"): u.email, ctx.t("users.name"): u.name,
                           ctx.t("users.role"): ctx.t(f"role.{u.role.value}"),
                           ctx.t("users.municipalities"): ", ".join(names.get(c, c) for c in u.municipalities)} for u in users])
    if frame.empty:
        st.info(ctx.t("users.none"), icon=":material/group_off:")
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


def form(ctx: Context) -> None:
    codes = reference.fyrbodal_codes()
    with st.form("user_form", clear_on_submit=False):
        st.subheader(ctx.t("users.add"))
        email = st.text_input(ctx.t("users.email"))
        name = st.text_input(ctx.t("users.name"))
        role = st.selectbox(ctx.t("users.role"), [r.value for r in ROLES], format_func=lambda r: ctx.t(f"role.{r}"))
        municipalities = st.multiselect(ctx.t("users.municipalities"), codes, format_func=lambda c: ctx.names["municipality"].get(c, c),
                                        help=ctx.t("users.municipalities_help"), placeholder=ctx.t("users.municipalities_placeholder"))
        if st.form_submit_button(ctx.t("users.save"), icon=":material/save:"):
            try:
                saved = Admin(loaders.register(ctx.url), ctx.user).save_user(
                    User(email, audience.parse_role(role), tuple(municipalities), name), set(codes))
            except UserProblem as problem:
                reason = ctx.say(f"users.problem_{problem.code}", value=problem.value)
                st.error(ctx.t("users.error", reason=reason), icon=":material/error:")
            else:
                st.success(ctx.say("users.saved", email=saved.email), icon=":material/check:")


def remove(ctx: Context) -> None:
    users = [u.email for u in loaders.register(ctx.url).users() if ctx.user is None or u.email != ctx.user.email]
    if not users:
        return
    st.subheader(ctx.t("users.remove"))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    email = left.selectbox(ctx.t("users.email"), users, key="users_remove_pick")
    if right.button(ctx.t("users.remove_button"), icon=":material/person_remove:"):
        try:
            Admin(loaders.register(ctx.url), ctx.user).remove_user(email)
        except UserProblem as problem:
            st.error(ctx.t("users.error", reason=ctx.say(f"users.problem_{problem.code}", value=problem.value)), icon=":material/error:")
        else:
            st.success(ctx.say("users.removed", email=email))
            st.rerun()
