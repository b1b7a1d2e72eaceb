from __future__ import annotations

import os
import threading

import pytest

from tests.e2e.helpers import CHROMIUM, serving
from tests.registers import demo_register


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
        yield b
        b.close()


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
