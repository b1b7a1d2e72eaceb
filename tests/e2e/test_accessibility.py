"""Accessibility in headless Chromium: axe-core (Deque's rules for WCAG 2.1 A and AA, shipped inside
axe-playwright-python) on every page each audience gets, in Swedish and in English, inside the map iframes too,
in the needs map's meeting mode and the brief's presentation mode, on each view of the brokers' workspace with a
form's error messages shown, and on an admin's Användare and Samverkanskohorter after a run: no violation. The same
on a region's own register as it grows (not set up, empty after ``kompetenskartan init``, with one need), for the
public and its admin. On every page checked, each key figure's label is shown whole (never cut with "…"), at
1400 px and on a phone."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from urllib.parse import urlparse

import pytest

from core.records.audience import Audience, User
from services import publishing
from services.admin import start_register
from services.register.store import Register
from services.seed import workspace
from tests.e2e.helpers import ARTIFACTS, CHROMIUM, choose, oidc_serving, settled, sign_in

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
PlaywrightError = pytest.importorskip("playwright.sync_api").Error
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")]

# "iframes": False: each frame is checked on its own (``violations``), so axe in the page does not message the frames:
# a map's frame that had no axe yet made it fail with "Axe in frame timed out" (once in a quiet full run)
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"],
        "iframes": False}
AXE = axe_module.Axe()
# axe-core is already in a document the app has not replaced (a page switch in the sidebar keeps the document: only a
# new frame, a map drawn again, needs it again); its script is half a megabyte to parse
HAS_AXE = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"
HOME = "Översikt: vad behöver företagen?"
BROKER = "maklare.sotenas@demo.invalid (kompetensmäklare)"
ADMIN = "admin@demo.invalid (administratör)"
REGION_ADMIN = User("anna@region.se", Audience.ADMIN, (), "Anna")
START = "Kom igång"
# each key figure's label whose text is cut (wider than its box: Streamlit cuts a long label with "…")
CUT_LABELS = """() => Array.from(document.querySelectorAll('[data-testid=stMetricLabel]'))
  .filter(label => [label, ...label.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
  .map(label => label.innerText)"""
VIEWS = {"sv": ("Mina uppföljningar", "Företag och besök", "Behov", "Utbildningsinsatser", "Import/export", "Logg"),
         "en": ("My follow-ups", "Companies and visits", "Needs", "Training efforts", "Import/export", "Log")}


@pytest.fixture(scope="module")
def server(demo_server):
    """The shared demo server (with the release due today, as cron would make it before the first visitor)."""
    return demo_server[0]


def violations(page, where: str) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page and in each of its frames (the maps are iframes). A frame the
    app replaces while it is checked (a map drawn again) is checked again as the new one."""
    for _attempt in range(3):
        try:
            found = []
            for number, frame in enumerate(page.frames):
                if number and (frame.is_detached() or frame.url.startswith("about:blank")):
                    continue
                frame.wait_for_load_state("load")
                if not frame.evaluate(HAS_AXE):
                    frame.evaluate(AXE.axe_script)
                result = frame.evaluate(f"axe.run(document, {json.dumps(WCAG)})")
                found += [f"{where}{f' (frame {number})' if number else ''}: {v['id']} ({v['impact']}) at "
                          f"{v['nodes'][0]['target']}: {v['nodes'][0].get('failureSummary', '')[:160]}"
                          for v in result["violations"]]
            break
        except PlaywrightError as error:
            if "detached" not in str(error):
                raise
            settled(page)
    else:
        raise AssertionError(f"{where}: the frames kept changing while they were checked")
    if found:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"a11y-{where.replace('/', '-').replace(' ', '_')}.png"), full_page=True)
    return found


def cut_labels(page, where: str) -> list[str]:
    """The key figures' labels cut, once the page's fonts have loaded and its labels have had up to 5 s to be laid out
    whole (a label measured before then was once cut at 820 px in a full run with the Swedish "Förändring", and whole
    when checked again): a label that stays cut is reported."""
    with contextlib.suppress(PlaywrightError):  # still cut after the bound: said below
        page.wait_for_function(f"() => document.fonts.status === 'loaded' && ({CUT_LABELS})().length === 0", timeout=5_000)
    return [f"{where}: key figure label cut: {label!r}" for label in page.evaluate(CUT_LABELS)]


def ready(page) -> None:
    page.locator("h1").first.wait_for(timeout=120_000)
    settled(page)


def open_app(browser, path: str = "/", heading: str = HOME):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(path)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
    settled(page)
    return page


def to_english(page) -> None:
    """The sidebar's language switch, on the start page (Översikt, the navigation's first page)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link").first.click()
    page.get_by_role("heading", name=HOME).first.wait_for(timeout=120_000)
    settled(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Overview: what do our companies need?").wait_for(timeout=120_000)
    settled(page)


def signed_in(browser, url: str, who: str):
    """A new visitor signed in with the demo sign-in as ``who`` (in Swedish, the default)."""
    page = open_app(browser, url)
    choose(page, "Demoinloggning", who)
    page.get_by_text("Inloggad som").first.wait_for(timeout=60_000)
    settled(page)
    return page


def every_page(page, who: str, lang: str, least: int = 6) -> list[str]:
    """Each page of the sidebar's navigation, in its order (found by its address: a link's text carries its icon):
    axe-core's violations and the key figures' labels cut."""
    found = []
    nav = page.get_by_test_id("stSidebarNav")
    addresses = [link.get_attribute("href") for link in nav.get_by_role("link").all()]
    assert len(addresses) >= least, addresses
    for address in addresses:
        nav.locator(f'a[href="{address}"]').click()
        ready(page)
        where = f"{who}/{lang}/{urlparse(address).path.strip('/') or 'start'}"
        found += violations(page, where) + cut_labels(page, where)
    return found


def in_both_languages(page, check) -> list[str]:
    """``check(page, lang)`` in Swedish, then in English by the sidebar's switch in the same session (the way a visitor
    changes language; a new visitor starts in Swedish), so one visit or sign-in serves both; the page closed after."""
    found = check(page, "sv")
    to_english(page)
    found += check(page, "en")
    page.close()
    return found


def test_public_pages_and_the_meeting_and_presentation_modes(server, browser):
    found = in_both_languages(open_app(browser, server), lambda page, lang: every_page(page, "public", lang))
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    for lang in ("sv", "en"):
        for path in ("/behovskarta?meeting=1", "/brief?presentation=1"):
            page.goto(f"{server}{path}&lang={lang}")
            ready(page)
            found += violations(page, f"public/{lang}{path}")
    page.close()
    assert found == [], "\n".join(found)


def brokers_pages(page, lang: str) -> list[str]:
    """Every page, each view of the workspace, and the needs form's errors (a save with nothing filled in)."""
    found = every_page(page, "broker", lang)
    workspace = "Arbetsyta" if lang == "sv" else "Workspace"
    page.get_by_test_id("stSidebarNav").get_by_text(workspace, exact=True).click()
    ready(page)
    for view in VIEWS[lang]:
        page.get_by_role("radio", name=view, exact=True).click()
        settled(page)
        found += violations(page, f"broker/{lang}/{workspace}/{view}")
    page.get_by_role("radio", name=VIEWS[lang][1], exact=True).click()
    settled(page)
    page.get_by_role("tab", name="Behov" if lang == "sv" else "Needs").click()
    save = "Spara behovet" if lang == "sv" else "Save the need"
    page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=save)).locator("visible=true").first \
        .get_by_role("button", name=save).click()
    page.get_by_test_id("stAlertContentError").first.wait_for(timeout=60_000)
    settled(page)
    return found + violations(page, f"broker/{lang}/{workspace}/errors")


def test_a_brokers_pages_workspace_views_and_a_forms_errors(server, browser):
    found = in_both_languages(signed_in(browser, server, BROKER), brokers_pages)
    assert found == [], "\n".join(found)


def admins_pages(page, lang: str) -> list[str]:
    """Användare, and Samverkanskohorter after a run of the cohort finder."""
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("Användare" if lang == "sv" else "Users", exact=True).click()
    ready(page)
    found = violations(page, f"admin/{lang}/users")
    nav.get_by_text("Samverkanskohorter" if lang == "sv" else "Cross-municipal cohorts", exact=True).click()
    ready(page)
    page.get_by_role("button", name="Sök kohorter" if lang == "sv" else "Find cohorts").click()
    page.get_by_role("heading", name="Förslag" if lang == "sv" else "Proposals").first.wait_for(timeout=180_000)
    settled(page)
    return found + violations(page, f"admin/{lang}/cohorts")


def test_an_admins_users_and_cohorts_after_a_run(server, browser):
    found = in_both_languages(signed_in(browser, server, ADMIN), admins_pages)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width,height", [(390, 844), (820, 1180)])
def test_the_brief_overview_and_map_fit_a_phone_and_a_tablet(server, browser, width, height):
    """No horizontal scrolling of the page; the key figures inside the screen in readable type; the map drawn. Each
    page opened afresh (its own load at this width), in one browser context (the app's scripts cached once)."""
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500, has_touch=True)
    page = context.new_page()
    for path in ("/brief", "/oversikt", "/behovskarta", "/utbud", "/pendling"):
        page.goto(f"{server}{path}")
        ready(page)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{path} at {width}px scrolls sideways ({scroll}px wide)"
        tiles = page.get_by_test_id("stMetricValue")
        for number in range(tiles.count()):
            box = tiles.nth(number).bounding_box()
            size = tiles.nth(number).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner and size >= 20, (path, number, box, size)
        assert cut_labels(page, f"{path} at {width}px") == []
        if path == "/behovskarta":
            frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
            frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
            assert frame.locator("path.leaflet-interactive").count() >= 14
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"screen-{width}{path.replace('/', '-')}.png"))
    context.close()


@pytest.fixture(scope="module")
def region(provider, tmp_path_factory):
    """One server, with sign-in through the local provider, on a region's own register as it grows (each state made
    by the test, on the same server: the app reads the register's state on every run). Its address and register URL."""
    folder = tmp_path_factory.mktemp("region")
    url = f"sqlite:///{folder / 'region.sqlite'}"
    with oidc_serving(provider, url, folder) as app:
        yield app, url


def one_need(url: str) -> None:
    """The register's first company and need, written by its admin, and the release due today published."""
    register = Register(url)
    space = workspace(register, register.user(REGION_ADMIN.email))
    company = space.add_company({"name": "Varvet AB", "org_nr": "556036-0793", "sni_code": "30.12",
                                 "municipality_code": "1427", "size_class": "10-49"})
    space.add_need({"company_id": company["id"], "competence": "welding", "need_type": "upskilling", "persons": 2,
                    "horizon": "0-6", "form": "blended", "level": "upper_secondary", "note": "",
                    "collected_on": dt.date.today() - dt.timedelta(days=120)})
    publishing.publish(register)


def test_a_regions_own_register_not_set_up_empty_and_with_one_need(region, browser):
    """What a region sees first: the start page of a register nobody set up (the commands that set it up), of an
    empty one (the public's notice, the admin's first steps) and every page once it has one need."""
    app, url = region
    page = open_app(browser, app, heading=START)
    found = violations(page, "unset/start")  # the command block: kompetenskartan init --admin …
    page.close()
    start_register(Register(url), REGION_ADMIN)
    public = open_app(browser, app, heading=START)
    found += violations(public, "empty/public/start")
    admin = open_app(browser, app, heading=START)
    sign_in(admin, REGION_ADMIN.email)
    found += every_page(admin, "empty/admin", "sv", least=3)
    one_need(url)  # written by another process: a server sees it within a second (Register.revision's max_age)
    for page, who in ((public, "one-need/public"), (admin, "one-need/admin")):
        deadline = time.monotonic() + 60
        while True:  # the app's own signal: its navigation offers the pages of a register with needs
            page.goto(app)
            ready(page)
            if page.get_by_test_id("stSidebarNav").get_by_role("link").count() >= 6 or time.monotonic() > deadline:
                break
        found += every_page(page, who, "sv")
        page.close()
    assert found == [], "\n".join(found)
