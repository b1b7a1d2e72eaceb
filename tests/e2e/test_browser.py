"""A real ``streamlit run`` in headless Chromium: pages render, nothing leaves the machine.

Uses Debian's Chromium (``apt-get install chromium``) driven by Playwright; skipped with a
reason where neither is available. The server starts on a free port and is polled until it
answers, no fixed sleeps.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


def open_page(browser, url: str, heading: str, shot: str, ready: str = ".js-plotly-plot"):
    """Open ``url``, wait for ``heading`` and the ``ready`` selector; return the page and
    every non-local request it made."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    outside: list[str] = []

    def record(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            outside.append(request.url)

    page.on("request", record)
    page.goto(url)
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    page.locator(ready).first.wait_for(timeout=60_000)
    page.get_by_test_id("stSelectbox").first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))
    return page, outside


@pytest.mark.parametrize(
    ("query", "heading", "kpi"),
    [("", "Översikt: vad behöver företagen?", "Behov"), ("?lang=en", "Overview: what do our companies need?", "Needs")],
)
def test_overview_renders_offline(server, browser, query, heading, kpi):
    page, outside = open_page(browser, f"{server}/{query}", heading, f"overview{query.replace('?', '-') or '-sv'}.png")
    page.get_by_test_id("stMetric").first.wait_for()
    assert page.get_by_test_id("stMetric").count() == 6
    assert page.get_by_test_id("stMetricLabel").filter(has_text=kpi).count() == 1
    assert page.locator(".js-plotly-plot").count() >= 3, "the three charts are drawn"
    assert page.get_by_test_id("stException").count() == 0
    assert outside == [], f"requests left the machine: {outside}"
    page.close()


def test_shared_link_reproduces_a_narrower_view(server, browser):
    everything, _ = open_page(browser, f"{server}/", "Översikt: vad behöver företagen?", "overview-all.png")
    everything.get_by_test_id("stMetric").first.wait_for()
    total = everything.get_by_test_id("stMetricValue").first.inner_text()
    everything.close()
    page, outside = open_page(browser, f"{server}/?area=m:1427&type=upskilling", "Översikt: vad behöver företagen?", "overview-sotenas.png")
    page.get_by_text("Sotenäs").first.wait_for()
    assert page.get_by_test_id("stMetricValue").first.inner_text() != total
    assert outside == []
    page.close()


def test_about_page_renders_offline(server, browser):
    page, outside = open_page(browser, f"{server}/om-data", "Om data", "about.png", ready="[data-testid=stDataFrame]")
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("CC BY 4.0").count() >= 1
    assert outside == []
    page.close()
