"""Free text is text, in a real browser (issue 24): a register whose company names, notes, effort and a broker's
name hold markdown images and links, HTML and a bidi override (``tests/app/hostile.py``); a broker and an admin
sign in (a local OpenID provider) and open every page they have. No request leaves the machine, no image or link
to the outside address is in any page, and the text shows as typed."""

from __future__ import annotations

import pytest

from core.common.text import WORD_JOINER
from tests.app import hostile
from tests.e2e.helpers import ARTIFACTS, CHROMIUM, oidc_serving, outside_requests, settled, sign_in

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed (the test extra)")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")]

PAGES = {  # url path -> its heading
    "oversikt": "Översikt: vad behöver företagen?", "behovskarta": "Behovskarta", "utbud": "Utbud och efterfrågan",
    "pendling": "Pendling och lärcentra", "arbetsyta": "Arbetsyta", "kohorter": "Samverkanskohorter",
    "brief": "Politisk brief", "om-data": "Om data", "underlag": "Underlag för nästa utbildning",
}


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'hostile.sqlite'}"
    ids = hostile.build(url)
    with oidc_serving(provider, url, folder) as address:
        yield address, ids


def visit(page, path: str, heading: str) -> None:
    """The page at ``path`` by its link in the sidebar's navigation (the page is drawn anew, in the same session, as a
    visitor moves between pages: no new load of the app each time). The navigation's first page, the default, is linked
    by the app's bare address."""
    nav = page.get_by_test_id("stSidebarNav")
    (nav.get_by_role("link").first if path == "oversikt" else nav.locator(f'a[href$="/{path}"]')).click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    settled(page)


def read(text: str) -> str:
    """The text as a person reads it: without the invisible word joiners that keep a bare URL from becoming a link."""
    return text.replace(WORD_JOINER, "")


def no_outside_element(page) -> None:
    for selector in (f'img[src*="{hostile.OUTSIDE}"]', f'a[href*="{hostile.OUTSIDE}"]', "script:not([src])[id=hostile]", "b", "i"):
        for frame in page.frames:
            found = [e for e in frame.locator(selector).all() if hostile.OUTSIDE in (e.get_attribute("src") or "")
                     + (e.get_attribute("href") or "") or e.inner_text().strip() in ("fet", "x")]
            assert not found, (selector, frame.url, [e.evaluate("e => e.outerHTML.slice(0, 400)") for e in found],
                               [e.evaluate("e => e.parentElement.parentElement.outerHTML.slice(0, 600)") for e in found])


@pytest.mark.parametrize("who", [hostile.BROKER.email, hostile.ADMIN.email])
def test_every_page_shows_typed_text_literally_and_sends_nothing_out(app, browser, who):
    app, ids = app
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    outside = outside_requests(page)
    page.goto(app)
    page.get_by_role("heading", name=PAGES["oversikt"]).wait_for(timeout=90_000)
    settled(page)
    assert outside == [], outside
    sign_in(page, who)
    outside.clear()  # the local provider's own sign-in page asks a CDN for its style sheet: not the app's request
    if who == hostile.BROKER.email:  # the broker's own name, in the sidebar, as typed
        who_line = page.get_by_test_id("stSidebar").get_by_text("Inloggad som", exact=False).first.inner_text()
        assert f"Inloggad som {hostile.BROKER_NAME}" in read(who_line), who_line
    page.goto(app)  # a whole load of the app by a signed-in user, watched from its first request
    page.get_by_role("heading", name=PAGES["oversikt"]).wait_for(timeout=90_000)
    settled(page)
    pages = {**PAGES, **({"anvandare": "Användare och roller"} if who == hostile.ADMIN.email else {})}
    ARTIFACTS.mkdir(exist_ok=True)
    for path, heading in pages.items():
        visit(page, path, heading)
        no_outside_element(page)
        page.screenshot(path=str(ARTIFACTS / f"hostile-{path}-{who.split('@')[0]}.png"))
    # the workspace's needs: the hostile need's title holds the company's name, shown as the characters typed
    visit(page, "arbetsyta", "Arbetsyta")
    page.get_by_role("radio", name="Behov", exact=True).click()
    settled(page)
    page.get_by_role("spinbutton", name="Öppna behov nummer").fill(str(ids["need"]))
    page.keyboard.press("Enter")
    settled(page)
    title = page.get_by_role("heading", name=f"Behov #{ids['need']}:", exact=False).first
    title.wait_for(timeout=60_000)
    assert hostile.COMPANY in read(title.inner_text()), title.inner_text()
    no_outside_element(page)
    page.screenshot(path=str(ARTIFACTS / f"hostile-need-{who.split('@')[0]}.png"), full_page=True)
    assert outside == [], outside
    context.close()
