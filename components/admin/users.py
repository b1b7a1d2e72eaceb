"""The admin's users page: the list, a form to add or change a user, and removal.

A user carries a version (raised by every save). The form is keyed by the user chosen and the version it was read
at, and its save button's callback carries that version: if another admin saved or removed the user in between,
``Admin.save_user`` refuses (``ChangedUser``), nothing is written, and the page says so and shows what is stored.
Removal likewise carries the version of the user as the list was read.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders, state
from components.state import Context
from core.records import audience
from core.records.audience import ROLES, User, UserProblem
from data import reference
from services.admin import Admin
from services.workspace import Refused

PICK = state.key("users_pick", __name__)  # the user the form changes: an e-mail, or NEW
REMOVE_PICK = state.key("users_remove_pick", __name__)
OUTCOME = state.key("users_outcome", __name__)  # (section, kind, payload) of the last save or removal, shown once
NEW = ""


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


def _report(ctx: Context, section: str) -> None:
    """The last save's or removal's result, once, in its own section."""
    outcome = st.session_state.get(OUTCOME)
    if not outcome or outcome[0] != section:
        return
    del st.session_state[OUTCOME]
    _section, kind, payload = outcome
    if kind == "error":
        code, value = payload
        st.error(ctx.t("users.error", reason=ctx.say(f"users.problem_{code}", value=value)), icon=":material/error:")
    elif kind == "preview":
        _preview_report(ctx, payload)
    else:
        st.success(ctx.say(f"users.{kind}", email=payload), icon=":material/check:")


def form(ctx: Context) -> None:
    codes = reference.fyrbodal_codes()
    stored = {u.email: (u, v) for u, v in loaders.register(ctx.url).versioned_users()}
    st.subheader(ctx.t("users.add"))
    _report(ctx, "save")
    if st.session_state.get(PICK, NEW) not in (NEW, *stored):  # removed since it was chosen
        st.session_state[PICK] = NEW
    pick = st.selectbox(ctx.t("users.pick"), [NEW, *stored], key=PICK, help=ctx.t("users.pick_help"),
                        format_func=lambda e: ctx.t("users.new_user") if e == NEW else f"{e} ({ctx.t(f'role.{stored[e][0].role.value}')})")
    current, version = stored.get(pick, (None, None))
    prefix = f"users_form:{pick or 'new'}:{version or 0}"  # a save or another admin's change shows the stored user anew
    roles = [r.value for r in ROLES]
    with st.form(f"user_form:{pick or 'new'}:{version or 0}", clear_on_submit=False):
        st.text_input(ctx.t("users.email"), value=current.email if current else "", key=f"{prefix}:email", disabled=current is not None)
        st.text_input(ctx.t("users.name"), value=current.name if current else "", key=f"{prefix}:name")
        st.selectbox(ctx.t("users.role"), roles, index=roles.index(current.role.value) if current else 0, key=f"{prefix}:role",
                     format_func=lambda r: ctx.t(f"role.{r}"))
        st.multiselect(ctx.t("users.municipalities"), codes, default=[c for c in current.municipalities if c in codes] if current else [],
                       key=f"{prefix}:municipalities", format_func=lambda c: ctx.names["municipality"].get(c, c),
                       help=ctx.t("users.municipalities_help"), placeholder=ctx.t("users.municipalities_placeholder"))
        # the version the form was read at goes with the click: a change by another admin since is refused
        st.form_submit_button(ctx.t("users.save"), icon=":material/save:", on_click=_save, args=(ctx, pick, prefix, version, set(codes)))
        st.form_submit_button(ctx.t("users.preview"), icon=":material/shield:", on_click=_preview, args=(ctx, pick, prefix),
                              help=ctx.t("users.preview_help"))


def _names(ctx: Context, scopes) -> str:
    return "; ".join(" + ".join(ctx.names["municipality"].get(c, c) for c in s) for s in scopes)


def _preview(ctx: Context, pick: str, prefix: str) -> None:
    """Before saving: would the published releases be safe against the municipalities chosen (nothing written)."""
    values = st.session_state
    user = User(pick or values.get(f"{prefix}:email", ""), audience.parse_role(values.get(f"{prefix}:role", "broker")),
                tuple(values.get(f"{prefix}:municipalities") or ()), values.get(f"{prefix}:name") or "")
    try:
        check = Admin(loaders.register(ctx.url), ctx.user).scope_preview(user)
    except Refused:
        st.session_state[OUTCOME] = ("save", "error", ("not_admin", ""))
        return
    st.session_state[OUTCOME] = ("save", "preview", (user.municipalities, check))


def _preview_report(ctx: Context, payload) -> None:
    chosen, check = payload
    allowed = _names(ctx, check.allowed)
    if not check.releases:
        st.info(ctx.t("users.preview_none"), icon=":material/shield:")
    elif check.missing:
        st.warning(ctx.t("users.preview_unsafe", value=_names(ctx, check.missing),
                         releases=", ".join(str(i) for i in check.unsafe), allowed=allowed or "–"), icon=":material/gpp_bad:")
    else:
        st.success(ctx.t("users.preview_ok", value=_names(ctx, [chosen]) if chosen else "–", n=check.releases),
                   icon=":material/verified_user:")


def _save(ctx: Context, pick: str, prefix: str, version: int | None, codes: set[str]) -> None:
    values = st.session_state
    try:
        user = User(pick or values.get(f"{prefix}:email", ""), audience.parse_role(values.get(f"{prefix}:role", "")),
                    tuple(values.get(f"{prefix}:municipalities") or ()), values.get(f"{prefix}:name") or "")
        saved = Admin(loaders.register(ctx.url), ctx.user).save_user(user, codes, version)
    except UserProblem as problem:
        st.session_state[OUTCOME] = ("save", "error", (problem.code, problem.value))
    except Refused:
        st.session_state[OUTCOME] = ("save", "error", ("not_admin", ""))
    else:
        st.session_state[OUTCOME] = ("save", "saved", saved.email)
        st.session_state[PICK] = saved.email  # the form shows the user as saved, at the new version


def remove(ctx: Context) -> None:
    versions = {u.email: v for u, v in loaders.register(ctx.url).versioned_users() if ctx.user is None or u.email != ctx.user.email}
    if not versions and st.session_state.get(OUTCOME, ("",))[0] != "remove":
        return
    st.subheader(ctx.t("users.remove"))
    _report(ctx, "remove")
    if not versions:
        return
    if st.session_state.get(REMOVE_PICK) not in versions:  # removed since it was chosen
        st.session_state.pop(REMOVE_PICK, None)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(ctx.t("users.email"), list(versions), key=REMOVE_PICK)
    right.button(ctx.t("users.remove_button"), icon=":material/person_remove:", on_click=_remove, args=(ctx, versions))


def _remove(ctx: Context, versions: dict[str, int]) -> None:
    """Remove the chosen user, at the version the list showed (``versions``, read when the page was drawn)."""
    email = st.session_state.get(REMOVE_PICK)
    if email not in versions:
        return
    try:
        Admin(loaders.register(ctx.url), ctx.user).remove_user(email, versions[email])
    except UserProblem as problem:
        st.session_state[OUTCOME] = ("remove", "error", (problem.code, problem.value))
    except Refused:
        st.session_state[OUTCOME] = ("remove", "error", ("not_admin", ""))
    else:
        st.session_state[OUTCOME] = ("remove", "removed", email)
        st.session_state.pop(REMOVE_PICK, None)
