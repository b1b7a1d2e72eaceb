"""Who is signed in: ``st.login``/``st.user`` (OpenID Connect) or, only where a setting allows it,
a local demo sign-in. The role comes from the register's users (``services.register.store``), never from the
identity provider or the URL; ``core.records.audience`` decides what the role may see.
"""

from __future__ import annotations

import streamlit as st

from components import loaders, state
from core.common.config import demo_login_enabled
from core.common.i18n import t
from core.common.text import literal
from core.records import identity
from core.records.audience import User
from services.register import store

PUBLIC_CHOICE = ""


OIDC_EMAIL = state.key("_oidc_email", __name__)  # this run's signed-in e-mail, read from st.user once
OIDC_REFUSED = state.key("_oidc_refused", __name__)  # why this run's provider sign-in is not taken (identity.refusal)


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all  # noqa: BLE001
        return False


def _oidc_email() -> str | None:
    """The signed-in e-mail: ``st.user`` is filled only by a completed sign-in (a signed cookie).

    Read once per run (``current_user`` stores it): every access to ``st.user`` looks for the
    secrets file again, which was a quarter of a public rerun's time under load (bench/load.py)."""
    return st.session_state.get(OIDC_EMAIL)


def _auth_settings() -> dict:
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets.toml at all  # noqa: BLE001
        return {}
    return section.to_dict() if hasattr(section, "to_dict") else dict(section or {})


def _read_oidc() -> tuple[str | None, str | None]:
    """The provider's signed-in e-mail and, if it may not be taken as a user, why (``core.records.identity``):
    checked on every run, from the ID token's claims that ``st.user`` carries."""
    info = st.user.to_dict()
    if not info.get("is_logged_in"):
        return None, None
    email = str(info.get("email") or "").strip().lower() or None
    issuer = identity.configured_issuer(_auth_settings(), str(info.get("provider") or identity.DEFAULT_PROVIDER))
    return email, identity.refusal(info, issuer)


def current_user(url: str) -> tuple[User | None, str | None]:
    """The user and, when someone is signed in without a role in the register, their e-mail.

    A provider's sign-in whose e-mail is unverified or that comes from another issuer is nobody (the panel says
    why); the demo sign-in acts only as the example users, and only while the register is the demo, checked on
    every run (a register turns real at its first write)."""
    email, problem = _read_oidc()
    st.session_state[OIDC_EMAIL] = email
    st.session_state[OIDC_REFUSED] = problem if email is not None else None
    if problem is not None:
        return None, None
    if email is None and demo_login_enabled() and loaders.demo_login_refused(url) is None:
        email = st.session_state.get(state.DEMO_CHOICE) or None
        if email is not None and not is_example_user(email):
            email = None  # the demo sign-in acts only as the example users
    if email is None:
        return None, None
    user = loaders.user(url, loaders.revision(url), email)  # the users of this revision: a change of a user raises it
    return user, (None if user else email)


def _remember_demo_choice(key: str) -> None:
    st.session_state[state.DEMO_CHOICE] = st.session_state.get(key) or PUBLIC_CHOICE


def is_example_user(email: str) -> bool:
    """An example user of the demo register: ``.invalid`` addresses (RFC 2606), which no provider can issue."""
    return store.is_example_user(email)


def refuse_demo_login_on_real(lang: str, url: str) -> None:
    """Started with the demo sign-in on a register that is not the demo: refused, with the reason, before anything."""
    if demo_login_enabled():
        dataset = loaders.demo_login_refused(url)
        if dataset:
            st.error(t(lang, "auth.demo_refused", dataset=dataset), icon=":material/block:")
            st.stop()


def sign_in_panel(lang: str, user: User | None, unknown: str | None, url: str) -> None:
    """The sidebar's sign-in block: who you are, and how to sign in or out."""
    with st.sidebar:
        if user is not None:
            who = user.name or user.email
            st.caption(t(lang, "auth.signed_in", who=literal(who), role=t(lang, f"role.{user.role.value}")))
        elif st.session_state.get(OIDC_REFUSED):
            st.warning(t(lang, f"auth.refused_{st.session_state[OIDC_REFUSED]}", email=literal(_oidc_email() or "")),
                       icon=":material/gpp_bad:")
        elif unknown:
            st.warning(t(lang, "auth.no_role", email=literal(unknown)), icon=":material/person_off:")
        else:
            st.caption(t(lang, "auth.public"))
        signed_in = _oidc_email()
        if signed_in:
            st.button(t(lang, "auth.sign_out"), on_click=st.logout, icon=":material/logout:", key="auth_logout")
        elif oidc_configured():
            st.button(t(lang, "auth.sign_in"), on_click=st.login, icon=":material/login:", key="auth_login")
        if demo_login_enabled() and not signed_in and loaders.demo_login_refused(url) is None:
            users = [u for u in loaders.users(url, loaders.revision(url)).values() if is_example_user(u.email)]
            options = [PUBLIC_CHOICE, *[u.email for u in users]]
            chosen = st.session_state.get(state.DEMO_CHOICE, PUBLIC_CHOICE)
            # one select box per language: its label and options change with the language, and a box whose words
            # changed under the same key reported "not signed in" at the next page switch (signed an English user out)
            key = f"{state.DEMO_USER}.{lang}"
            st.selectbox(
                t(lang, "auth.demo"), options, key=key, index=options.index(chosen) if chosen in options else 0,
                on_change=_remember_demo_choice, args=(key,),
                format_func=lambda e: t(lang, "auth.demo_public") if not e else
                f"{e} ({t(lang, 'role.' + next(u.role.value for u in users if u.email == e))})",
                help=t(lang, "auth.demo_help"),
            )

