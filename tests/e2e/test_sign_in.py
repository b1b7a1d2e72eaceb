"""A real OpenID Connect sign-in in headless Chromium, against a local provider the test starts.

The provider is ``oidc-provider-mock`` on a free loopback port; the app runs with an ``[auth]``
section pointing at it (``--secrets.files``). A visitor starts public, signs in as the demo
register's Sotenäs/Tanum broker (the provider's form takes the e-mail as the subject), sees
company-level data of those two municipalities only, and signs out to the public view again.
"""

from __future__ import annotations

import pandas as pd
import pytest

from services.register.store import Register
from tests.e2e.helpers import CHROMIUM, oidc_serving, options_of, settled
from tests.registers import demo_register

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect
pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed (the test extra)")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")]

BROKER = "maklare.sotenas@demo.invalid"


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    url = demo_register(tmp_path_factory, "register")
    with oidc_serving(provider, url, folder) as app:
        yield app, url


def nav_links(page) -> list[str]:
    return [t.strip().splitlines()[-1] for t in page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()]  # text after the icon


def test_public_then_broker_via_oidc_then_public_again(signed_app, browser):
    app, url = signed_app
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(app)
    page.get_by_role("heading", name="Översikt: vad behöver företagen?").wait_for(timeout=90_000)
    settled(page)
    assert page.get_by_text("Du är inte inloggad").count() == 1
    assert "Samverkanskohorter" not in nav_links(page), "the public has no cohort finder"

    page.get_by_role("button", name="Logga in").click()
    page.locator("input[name=sub]").wait_for(timeout=60_000)  # the provider's own sign-in form
    assert page.url.startswith("http://127.0.0.1:") and "/oauth2/authorize" in page.url
    page.locator("input[name=sub]").fill(BROKER)
    page.get_by_role("button", name="Authorize").click()

    page.get_by_text("Inloggad som").wait_for(timeout=90_000)
    settled(page)
    assert "Exempel Mäklare Sotenäs/Tanum" in page.get_by_text("Inloggad som").inner_text()
    assert "Samverkanskohorter" in nav_links(page)
    needs = Register(url).needs_frame()
    own = needs[needs["municipality_code"].astype(str).isin(["1427", "1435"])]
    # the broker's "Behov" tile: retried until the page shows it (the public's tiles can still stand there a moment
    # after sign-in, even with the script finished); fails if it never says the needs of Sotenäs and Tanum
    needs_tile = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text("Behov", exact=True))
    expect(needs_tile.get_by_test_id("stMetricValue")).to_have_text(str(len(own)), timeout=60_000)
    settled(page)
    # the area's box by its label (the first box of the sidebar was once the industry's while the page redrew)
    area = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Område").first
    options = options_of(page, area)
    assert options == {"Mina kommuner (Sotenäs, Tanum)", "Sotenäs", "Tanum"}, options
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Ladda ned som CSV (Excel)").click()
    rows = pd.read_csv(download.value.path(), sep=";", encoding="utf-8-sig")
    assert set(rows["Kommun"]) <= {"Sotenäs", "Tanum"} and len(rows) == len(own)
    assert rows["Företag"].str.startswith("Exempel").all(), "company level for the broker"

    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("button", name="End session").click(timeout=60_000)  # the provider ends its session too
    page.get_by_text("Du är inte inloggad").wait_for(timeout=60_000)
    settled(page)
    assert "Samverkanskohorter" not in nav_links(page)
    page.close()
