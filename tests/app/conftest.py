from __future__ import annotations

import faulthandler
import functools
import sys
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest, local_script_runner

from services.seed import DEMO_USERS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN = next(u.email for u in DEMO_USERS if u.role == "admin")
# How long one run of a page may take before AppTest calls it hung: a guard against a hang, never a timing (a run
# takes 1-3 s here; the slowest, the next release's protection report, up to a minute on a busy machine).
PATIENCE = 300


def new_app(script: str = APP) -> AppTest:
    """``script`` (app.py unless given) in AppTest, not yet run."""
    return AppTest.from_file(script, default_timeout=PATIENCE)


@pytest.fixture(autouse=True, scope="session")
def stacks_when_a_run_hangs():
    """A run that has not finished one second before its timeout prints where every thread is, before AppTest
    stops it: "timed out after 120 s" alone (1 of 2081 in CI, 1.2 s here) says nothing of why."""
    original = local_script_runner.require_widgets_deltas

    def waiting(runner, timeout: float = 3) -> None:
        faulthandler.dump_traceback_later(max(timeout - 1, 1), file=sys.stderr)
        try:
            thread = runner._script_thread  # noqa: SLF001 (the run's own thread: it ends when the run has)
            if thread is not None:  # waits on the thread's end, where Streamlit polls every millisecond (a GIL switch each)
                thread.join(timeout)
                if thread.is_alive():  # as Streamlit's own wait ends
                    runner.request_stop()
                    runner.join()
                    raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")
            original(runner, timeout)  # returns at once: the run has ended
        finally:
            faulthandler.cancel_dump_traceback_later()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(local_script_runner, "require_widgets_deltas", waiting)
        yield


@pytest.fixture(autouse=True, scope="session")
def installed_components_scanned_once():
    """Every new AppTest reads the metadata of each installed package for Streamlit components (0.7 s here,
    hundreds of times a run); the packages do not change during the tests, so once is enough."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", functools.cache(manifest_scanner.scan_component_manifests))
        yield


ISSUER = "https://login.example.org/tenant/v2.0"  # the configured provider of the AppTest runs (never contacted)


def signed_in(at: AppTest, email: str, **claims: object) -> AppTest:
    """As after a completed OpenID Connect sign-in with the configured provider: ``st.user`` carries the ID token's
    claims (``iss``, the e-mail; ``claims`` add or replace some) and Streamlit's ``provider``."""
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test", "client_id": "x",
                          "client_secret": "x", "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": email, "name": email, "iss": ISSUER, "provider": "default"} | claims
    return at


def app_as(email: str | None) -> AppTest:
    """The app (not yet run) as ``email`` signed in, or as a visitor who is not (``None``)."""
    at = new_app()
    if email:
        return signed_in(at, email)
    at.user = {"is_logged_in": False}
    return at


@pytest.fixture
def app(demo_url, monkeypatch) -> AppTest:
    """The real app.py on the session's seeded demo register, signed in as the demo register's admin
    (the page tests check what the pages compute; ``public_app`` checks what the public sees)."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return signed_in(new_app(), ADMIN)


@pytest.fixture
def public_app(demo_url, monkeypatch) -> AppTest:
    """The real app.py for a visitor who is not signed in."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = new_app()
    at.user = {"is_logged_in": False}
    return at
