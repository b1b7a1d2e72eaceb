"""The first visit after a server start looks finished: the app's own server (``python -m components.server``, what
``make run`` and the image start) warms every public page before it says READY, so the first visitor, by the plain
address or by a deep link, gets the page's title and the app's navigation, never Streamlit's file-name navigation
(``app | about | access …``) nor its "Page not found" box. How long that first page takes is measured by
``bench/first_visit.py`` (a figure, not a test: the issue's target is 3 s on this machine)."""

from __future__ import annotations

import os

import pytest

from tests.e2e.helpers import CHROMIUM, serving, settled
from tests.registers import demo_register

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")]

# what the sidebar's navigation and the "Page not found" box show, recorded at every change from the first byte on
RECORD = """
window.kkNavigations = []; window.kkNotFound = false;
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid=stSidebarNav]');
  const names = nav ? Array.from(nav.querySelectorAll('[data-testid=stSidebarNavLink]'))
                        .map(a => a.getAttribute('href').split('/').pop().split('?')[0]).join(' ') : '';
  if (names && window.kkNavigations[window.kkNavigations.length - 1] !== names) window.kkNavigations.push(names);
  if (document.body && document.body.textContent.includes('Page not found')) window.kkNotFound = true;
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
NAVIGATION = " behovskarta utbud pendling brief om-data"  # the public pages' addresses, the default page's is ""
FIRST_VISITS = [  # address, the page's heading, the tab's title
    ("/", "Översikt: vad behöver företagen?", "Översikt · Kompetenskartan"),
    ("/behovskarta?meeting=1", "Behovskarta: Fyrbodal (14 kommuner)", "Behovskarta · Kompetenskartan"),
    ("/brief?presentation=1", "Politisk brief: Fyrbodal", "Politisk brief · Kompetenskartan"),
    ("/utbud?lang=en", "Supply and demand", "Supply and demand · Kompetenskartan"),
]


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """A server started on a demo register nobody has opened: no release published yet (the warm-up publishes it)."""
    db = demo_register(tmp_path_factory, "first", published=False)
    with serving(os.environ | {"DATABASE_URL": db}, warm=True) as url:
        yield url


@pytest.mark.parametrize(("address", "heading", "title"), FIRST_VISITS)
def test_first_visit_shows_the_page_and_its_navigation(fresh_server, browser, address, heading, title):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.add_init_script(RECORD)
    page.goto(fresh_server + address)
    page.get_by_role("heading", name=heading, level=1).wait_for(timeout=60_000)
    settled(page)
    assert page.title() == title
    assert page.evaluate("window.kkNavigations") == [NAVIGATION], "only the app's navigation, from its first drawing"
    assert page.evaluate("window.kkNotFound") is False
    assert page.get_by_test_id("stException").count() == 0
    context.close()
