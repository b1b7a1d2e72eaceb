"""Two app servers on one PostgreSQL register: a write through one shows on the other.

Each ``streamlit run`` process has its own caches; they are keyed by the register's revision, which
every write raises inside its transaction, so the second server rereads what changed.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from contextlib import ExitStack

import pytest

from services.register.store import Register
from services.seed import load_demo
from tests.e2e.helpers import CHROMIUM, ROOT, choose, free_port, settled, wait_until_up

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")]

HEADER = "from_id,from_name,to_id,to_name,km_road,minutes_car,minutes_pt\n"


def serve(url: str) -> tuple[str, subprocess.Popen]:
    """A server started (not yet up: both start at once, then ``wait_until_up`` each)."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": url, "KOMPETENSKARTAN_DEMO_LOGIN": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return f"http://127.0.0.1:{port}", proc


def as_admin_on_access_page(browser, server: str):
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.goto(server)  # the first visit to a fresh server on its main page (Streamlit #8860, see the README)
    page.get_by_role("heading", name="Översikt: vad behöver företagen?").wait_for(timeout=90_000)
    settled(page)
    page.goto(f"{server}/pendling")
    page.get_by_role("heading", name="Pendling och lärcentra").wait_for(timeout=90_000)
    settled(page)
    choose(page, "Demoinloggning", "admin@demo.invalid (administratör)")
    page.get_by_text("Inloggad som").first.wait_for(timeout=60_000)
    settled(page)
    page.get_by_text("Restidsmatris: exportera eller importera").click()
    return page


def test_a_write_through_one_server_shows_on_the_other(postgres, browser, tmp_path):
    url = postgres.database()
    load_demo(Register(url))
    with ExitStack() as stack:
        servers = []
        for _ in range(2):
            address, proc = serve(url)
            stack.callback(proc.wait, 20)
            stack.callback(proc.terminate)
            servers.append((address, proc))
        for address, proc in servers:
            wait_until_up(address, proc)
        first, second = (address for address, _ in servers)
        reader = as_admin_on_access_page(browser, second)
        assert reader.get_by_text("par har uppmätta värden").count() == 0, "no measured pairs yet"

        writer = as_admin_on_access_page(browser, first)
        good = tmp_path / "good.csv"
        good.write_text(HEADER + "gn2698697,Kungshamn,gn2667303,Trollhättan,88,70,115\n", encoding="utf-8")
        writer.locator("input[type=file]").set_input_files(str(good))
        writer.get_by_role("button", name="Spara 1 uppmätta par").click()
        writer.get_by_text("1 par har uppmätta värden").wait_for(timeout=60_000)

        # any rerun of the other server's session shows it, once that server has read the new revision (at most a
        # second old: Register.revision's max_age); the language switched back and forth, a rerun each, until it does
        seen, deadline = "", time.monotonic() + 60
        for lang, expected in itertools.cycle((("English", "1 pairs have measured values"), ("Svenska", "1 par har uppmätta värden"))):
            reader.get_by_test_id("stSidebar").get_by_text(lang, exact=True).click()
            settled(reader)
            if reader.get_by_text(expected).count() or time.monotonic() > deadline:
                seen = expected
                break
        reader.get_by_text(seen).wait_for(state="attached", timeout=10_000)  # in the (closed) expander
        assert Register(url).travel_matrix_frame().shape[0] == 1
        writer.close()
        reader.close()
