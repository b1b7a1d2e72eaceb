"""Issue 32 in a real browser: a broker uploads the 1.5 KB two-cell workbook (A1 and XFD200000 under
``<dimension ref="A1"/>``) that made the spreadsheet reader abort, and with it the server and every session on it.
Now the file is measured and read in a worker process: the broker's session shows the refusal, a second session
goes on using the app, and the broker's session goes on too (it then imports an .ods)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from tests import office_files
from tests.e2e.helpers import CHROMIUM, choose, settled

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")]
OVERVIEW = "Översikt: vad behöver företagen?"
CORPUS = Path(__file__).parents[1] / "data" / "import"


@pytest.fixture(scope="module")
def server(demo_server):
    """The shared demo server: the bomb must cost it nothing, so the modules after this one use it too."""
    return demo_server[0]


def overview(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.goto(url)
    page.get_by_role("heading", name=OVERVIEW).wait_for(timeout=90_000)
    settled(page)
    return page


def test_the_two_cell_workbook_costs_a_refusal_and_no_session(server, browser, tmp_path):
    broker = overview(browser, server)
    choose(broker, "Demoinloggning", "maklare.sotenas@demo.invalid (kompetensmäklare)")
    broker.get_by_text("Inloggad som").first.wait_for(timeout=60_000)
    settled(broker)
    broker.get_by_test_id("stSidebarNav").get_by_text("Arbetsyta").click()
    broker.get_by_role("heading", name="Arbetsyta").wait_for(timeout=60_000)
    settled(broker)
    broker.get_by_role("radio", name="Import/export").click()
    broker.locator("input[type=file]").wait_for(state="attached", timeout=60_000)
    settled(broker)

    bomb = tmp_path / "behov.xlsx"
    bomb.write_bytes(office_files.dense_range())
    broker.locator("input[type=file]").set_input_files(str(bomb))
    refusal = broker.get_by_test_id("stAlert").filter(has_text="behov.xlsx lästes inte")
    refusal.wait_for(timeout=120_000)
    settled(broker)
    assert "XFD200000" in refusal.inner_text()

    other = overview(browser, server)  # a second session uses the app after the upload
    other.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    other.get_by_role("heading", name="Overview: what do our companies need?").wait_for(timeout=90_000)
    settled(other)
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=30) as answer:
        assert answer.status == 200

    good = tmp_path / "behov.ods"  # and the broker's own session is alive: the next file is read and previewed
    good.write_bytes((CORPUS / "good.ods").read_bytes())
    broker.locator("input[type=file]").set_input_files(str(good))
    broker.get_by_role("button", name="Spara 3 nya och ändrade rader").wait_for(timeout=120_000)
    settled(broker)
    assert broker.get_by_test_id("stException").count() == 0 and other.get_by_test_id("stException").count() == 0
    broker.close()
    other.close()
