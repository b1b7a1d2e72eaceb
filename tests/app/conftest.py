from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.seed import DEMO_USERS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN = next(u.email for u in DEMO_USERS if u.role == "admin")


def signed_in(at: AppTest, email: str) -> AppTest:
    """As after a completed OpenID Connect sign-in: ``st.user`` carries the provider's e-mail."""
    at.user = {"is_logged_in": True, "email": email, "name": email}
    return at


def app_as(email: str | None) -> AppTest:
    """The app (not yet run) as ``email`` signed in, or as a visitor who is not (``None``)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if email:
        return signed_in(at, email)
    at.user = {"is_logged_in": False}
    return at


@pytest.fixture
def app(demo_url, monkeypatch) -> AppTest:
    """The real app.py on the session's seeded demo register, signed in as the demo register's admin
    (the page tests check what the pages compute; ``public_app`` checks what the public sees)."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return signed_in(AppTest.from_file(APP, default_timeout=120), ADMIN)


@pytest.fixture
def public_app(demo_url, monkeypatch) -> AppTest:
    """The real app.py for a visitor who is not signed in."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = {"is_logged_in": False}
    return at
