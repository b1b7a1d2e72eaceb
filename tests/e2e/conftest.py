from __future__ import annotations

import json
import os
import threading

import pytest

from tests.e2e.helpers import CHROMIUM, serving
from tests.registers import demo_register


class Visitors:
    """The module's Chromium, whose ``new_page`` gives each new visitor a page in a browser context of its own: the
    context of an earlier visitor who has left (all its pages closed), emptied first (``set_storage_state``: no cookie,
    no local or session storage, no IndexedDB; permissions cleared), or a new one. Such a visitor is new to the app (a
    new session, signed out, no stored choice), but its browser has been here before, as most browsers have: the app's
    scripts come from its cache, already compiled by its renderer. Four pages loaded 3 times took 38-41 s of Chromium's
    CPU in a new context each, 25 s in reused ones (issue 31's note), and most of the browser tests' CPU is Chromium's.
    ``new_context`` gives a browser context that has never seen the app (the first visit, the checks for outside
    requests from the first byte ask for one).

    Every visitor's browser asks for reduced motion (``prefers-reduced-motion: reduce``, a setting many people use):
    the app's transitions between runs are then not animated frame by frame, which took a tenth of the browser tests'
    CPU (test_browser: 115 -> 102 CPU-s of the machine, the GPU process 14.3 -> 4.8 s; issue 31's note)."""

    MOTION = {"reduced_motion": "reduce"}

    def __init__(self, browser) -> None:
        self._browser = browser
        self._contexts: dict[str, list] = {}

    def new_context(self, **options):
        return self._browser.new_context(**(self.MOTION | options))

    def new_page(self, **options):
        options = self.MOTION | options
        kind = json.dumps(options, sort_keys=True, default=str)
        for context in self._contexts.setdefault(kind, []):
            if not context.pages:
                context.set_storage_state({"cookies": [], "origins": []})
                context.clear_permissions()
                return context.new_page()
        context = self._browser.new_context(**options)
        self._contexts[kind].append(context)
        return context.new_page()

    def leave(self) -> None:
        """Close every page a test left open (its visitors leave with it)."""
        for contexts in self._contexts.values():
            for context in contexts:
                for page in context.pages:
                    page.close()

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    _sync_playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").sync_playwright
    with _sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield Visitors(b)
        b.close()


@pytest.fixture(autouse=True)
def _visitors_leave(request):
    """A browser test's visitors leave when it ends, so the next test's visitor can reuse their browser context."""
    yield
    if "browser" in request.fixturenames:
        request.getfixturevalue("browser").leave()


@pytest.fixture(scope="module")
def provider():
    """A local OpenID provider (``oidc-provider-mock``) on a free loopback port: its form signs in any e-mail."""
    mock = pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed (the test extra)")
    import werkzeug.serving

    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on the loopback only
    server = werkzeug.serving.make_server("127.0.0.1", 0, mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """One server on a copy of the demo register with its first release and the demo sign-in, shared by the browser
    modules that need nothing else (they run one after another on one worker: tests/scheduling.py). A module's writes
    (the broker's day saves a need) stay for the next one, as on a real server; none of them reads a count that a
    write of another module changes. Started as ``make run`` starts the app (``components.server``): ready once its own
    warm-up session has opened every public page, so the caches are filled and no test's visit is the server's first
    session (Streamlit #8860, README: that session's first page switch may be lost); no module needs a visit of its
    own first. Its address and register URL."""
    db = demo_register(tmp_path_factory, "e2e")
    with serving(os.environ | {"DATABASE_URL": db, "KOMPETENSKARTAN_DEMO_LOGIN": "1"}, warm=True) as url:
        yield url, db
