"""Every function with the keyboard alone (WCAG 2.1.1), with a visible focus (2.4.7): in headless Chromium, nothing
but Tab, Shift+Tab, arrows, typing, Enter and Space. A visitor chooses a municipality on the needs map (on the map
itself, and in the selector beside it), reads a place's figures on the commuting map and downloads the brief's PDF; a
broker signs in and saves a need; an admin runs the cohort finder and reads a member's figures on its map. At every control reached, the focus must show: the control (or the box around it) is drawn
differently focused than when the focus has moved on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.register.store import Register
from tests.e2e.helpers import CHROMIUM, serving, settled
from tests.registers import demo_register

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")]

HOME = "Översikt: vad behöver företagen?"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MOST_TABS = 400  # a page has fewer focusable things than this; reaching none of them in as many is a failure

# how the focused element and the three boxes around it are drawn (outline, shadow, border, background, underline,
# a map area's edge), compared focused and not: read once the page's style transitions have finished (an input's
# border fades in 200 ms; read mid-fade on a busy machine, focused and not were the same half-drawn colour). The
# wait has a bound (a script's evaluation has none, and a transition that never ends would hang the run): past it,
# the styles are read as they are, and a half-drawn focus fails the test rather than hanging it
DRAWN = """async el => {
  const ended = Promise.all(el.ownerDocument.getAnimations().filter(a => a instanceof CSSTransition)
                              .map(a => a.finished.catch(() => null)));
  await Promise.race([ended, new Promise(bound => setTimeout(bound, 30000))]);
  const out = []; let node = el;
  for (let i = 0; node && i < 4; i++, node = node.parentElement) {
    const s = getComputedStyle(node);
    out.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor,
              s.textDecorationLine, s.stroke, s.strokeWidth].join(' '));
  }
  return out.join(' | '); }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = demo_register(tmp_path_factory, "keys")
    with serving(os.environ | {"DATABASE_URL": db, "KOMPETENSKARTAN_DEMO_LOGIN": "1"}, warm=True) as url:
        yield url, db


def tab_to(page, target, within: str = "el") -> None:
    """Press Tab until ``target`` (a locator) holds the focus, then check that the focus shows there. ``within``: a
    script expression for the element the focus must reach from ``el``, the target (a group the arrows then move in)."""
    handle = target.element_handle(timeout=60_000)
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if handle.evaluate(f"el => {{ const box = {within}; return box.contains(document.activeElement); }}"):
            break
    else:
        raise AssertionError(f"{target} was not reached with Tab in {MOST_TABS} presses")
    focused = handle.evaluate_handle("el => el.ownerDocument.activeElement")  # the map's frame has its own
    drawn = focused.evaluate(DRAWN)
    page.keyboard.press("Tab")
    moved_on = focused.evaluate(DRAWN)
    page.keyboard.press("Shift+Tab")
    assert focused.evaluate("el => el === document.activeElement"), "Shift+Tab came back"
    assert drawn != moved_on, f"no visible focus on {target}: drawn the same focused and not ({drawn})"


def arrow_to(page, target) -> None:
    """A choice in a group whose choices share one Tab stop (radios, tabs): Tab into the group, arrows to the choice."""
    tab_to(page, target, within="el.closest('[role=radiogroup], [role=tablist]')")
    for _ in range(20):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"{target} was not reached with the arrow keys")


def choose(page, box_label: str, typed: str, scope=None) -> None:
    """A select box by keyboard: Tab to it, type to narrow its list, Enter takes the first match."""
    box = (scope or page).get_by_test_id("stSelectbox").filter(has_text=box_label).first.locator("input")
    tab_to(page, box)
    page.keyboard.type(typed)
    page.get_by_role("option").filter(has_text=typed).first.wait_for(timeout=60_000)
    page.keyboard.press("Enter")
    settled(page)


def press_button(page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name))
    page.keyboard.press("Enter")


def follow_link(page, name: str, heading: str) -> None:
    tab_to(page, page.get_by_role("link", name=name))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    settled(page)


def start(browser, url: str, address: str = "/", heading: str = HOME):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(url + address)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    settled(page)
    return page


def sign_in(page, who: str) -> None:
    choose(page, "Demoinloggning", who)
    page.get_by_text("Inloggad som").first.wait_for(timeout=60_000)
    settled(page)


def test_choose_a_municipality_on_the_needs_map(server, browser):
    url, _ = server
    page = start(browser, url)
    follow_link(page, "Behovskarta", "Behovskarta")
    orust = page.frame_locator(MAP_FRAME).locator('path[data-kk-code="1421"]')
    tab_to(page, orust)  # the map's own areas are in the Tab order, named with their figures
    assert orust.get_attribute("aria-label").startswith("Orust. ")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Orust").first.wait_for(timeout=60_000)
    settled(page)
    assert "1421" in page.url, "the municipality chosen on the map is in the shareable address"
    choose(page, "Kommun", "Sotenäs")  # the selector beside the map does the same
    page.get_by_role("heading", name="Sotenäs").first.wait_for(timeout=60_000)
    assert "1427" in page.url, "the chosen municipality is in the shareable address"
    map_table = page.get_by_test_id("stExpander").filter(has_text="Visa kartan som tabell").first
    tab_to(page, map_table.locator("summary"))
    page.keyboard.press("Enter")
    map_table.get_by_test_id("stTable").wait_for(timeout=60_000)  # made when opened (a rerun: charts.as_table)
    assert map_table.get_by_test_id("stTable").get_by_text("Sotenäs").count() == 1, "the map's table opens by keyboard"
    page.close()


def read_a_place(page, place: str, starts: str) -> str:
    """Tab to a place on the page's map: it is a Tab stop, its focus drawn, named with its name and its figures, and
    its tooltip shows them on focus as on a pointer's hover. Its name."""
    spot = page.frame_locator(MAP_FRAME).locator(place).first
    tab_to(page, spot)
    name = spot.get_attribute("aria-label")
    assert name.startswith(starts) and len(name.split(". ")) >= 2, f"named with its figures: {name}"
    assert spot.get_attribute("role") == "img"
    tip = page.frame_locator(MAP_FRAME).locator(f"#{spot.get_attribute('aria-describedby')}")  # Leaflet links the two
    tip.wait_for(timeout=10_000)
    assert tip.inner_text().replace("\n", ". ").strip() == name, "the tooltip shows on focus what the name says"
    return name


def test_read_a_place_on_the_commuting_map(server, browser):
    url, _ = server
    page = start(browser, url)
    follow_link(page, "Pendling", "Pendling och lärcentra")
    name = read_a_place(page, 'path[data-kk-place="Uddevalla"]', "Uddevalla. Invånare (fördelade): ")
    assert " min till " in name, name
    centre = page.frame_locator(MAP_FRAME).locator("[data-kk-centre]").first  # a learning centre is one too
    tab_to(page, centre)
    assert centre.get_attribute("aria-label").startswith(centre.get_attribute("data-kk-centre"))
    page.close()


def test_download_the_brief_as_pdf(server, browser):
    url, _ = server
    page = start(browser, url, "/brief", "Politisk brief: Fyrbodal")
    with page.expect_download(timeout=120_000) as download:
        press_button(page, "Ladda ner PDF")
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
    page.close()


def test_a_broker_saves_a_need(server, browser):
    url, db = server
    before = len(Register(db).needs_frame())
    page = start(browser, url)
    sign_in(page, "maklare.sotenas@demo.invalid")
    follow_link(page, "Arbetsyta", "Arbetsyta")
    arrow_to(page, page.get_by_role("radio", name="Företag och besök"))
    page.keyboard.press("Space")
    tab = page.get_by_role("tab", name="Behov")
    tab.wait_for(timeout=60_000)
    settled(page)
    arrow_to(page, tab)
    page.keyboard.press("Enter")
    need = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Spara behovet")).locator("visible=true").first
    need.wait_for(timeout=60_000)
    choose(page, "Kompetens", "Svetsning", scope=need)
    tab_to(page, need.get_by_label("Antal personer"))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("4")
    press_button(page, "Spara behovet")
    page.get_by_text("sparat.").first.wait_for(timeout=60_000)
    settled(page)
    needs = Register(db).needs_frame()
    assert len(needs) == before + 1
    saved = needs.sort_values("id").iloc[-1]
    assert (saved["competence"], int(saved["persons"])) == ("welding", 4)
    page.close()


def test_an_admin_runs_the_cohort_finder(server, browser):
    url, _ = server
    page = start(browser, url)
    sign_in(page, "admin@demo.invalid")
    follow_link(page, "Samverkanskohorter", "Samverkanskohorter")
    press_button(page, "Sök kohorter")
    page.get_by_role("heading", name="Förslag").first.wait_for(timeout=180_000)
    settled(page)
    assert page.get_by_test_id("stException").count() == 0
    name = read_a_place(page, "path[data-kk-place]", "")  # a member on the cohort's map, with its persons and minutes
    assert " personer · bil " in name, name
    page.close()
