"""A real ``streamlit run`` in headless Chromium: pages render, nothing leaves the machine.

Uses Debian's Chromium (``apt-get install chromium``) driven by Playwright; skipped with a
reason where neither is available. The server starts on a free port and is polled until it
answers, no fixed sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import ARTIFACTS, CHROMIUM, choose, outside_requests, settled

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(demo_server):
    """The shared demo server: the demo sign-in lets a test act as the demo register's admin; the public is the default."""
    return demo_server[0]


def sign_in_as_demo(page, option: str) -> None:
    """The demo sign-in in the sidebar (on only where KOMPETENSKARTAN_DEMO_LOGIN=1)."""
    choose(page, "Demoinloggning", option)
    page.get_by_text("Inloggad som").first.wait_for(timeout=60_000)
    settled(page)


def open_page(browser, url: str, heading: str, shot: str, ready: str = ".js-plotly-plot"):
    """Open ``url``, wait for ``heading`` and the ``ready`` selector; return the page and
    every non-local request it made."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    outside = outside_requests(page)
    page.goto(url)
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    page.locator(ready).first.wait_for(timeout=60_000)
    page.get_by_test_id("stSelectbox").first.wait_for(state="attached", timeout=60_000)
    settled(page)  # the script's run is over: the page has asked for what it shows
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))
    return page, outside


@pytest.mark.parametrize(
    ("query", "heading", "kpi"),
    [("", "Översikt: vad behöver företagen?", "Behov"), ("?lang=en", "Overview: what do our companies need?", "Needs")],
)
def test_overview_renders_offline(server, browser, query, heading, kpi):
    """The public view: protected figures of the newest year."""
    page, outside = open_page(browser, f"{server}/{query}", heading, f"overview{query.replace('?', '-') or '-sv'}.png")
    page.get_by_test_id("stMetric").first.wait_for()
    assert page.get_by_test_id("stMetric").count() == 5
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
    page, outside = open_page(browser, f"{server}/?area=m:1427&year=2025", "Översikt: vad behöver företagen?", "overview-sotenas.png")
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


# --- the needs map ------------------------------------------------------------------------------

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def map_frame(page):
    """The map's iframe once its polygons are coloured (the Restyle script has run)."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path[data-kk-fill]").first.wait_for(timeout=60_000)
    return frame


def fills(frame) -> dict[str, str]:
    paths = frame.locator("path[data-kk-code]")
    return {paths.nth(i).get_attribute("data-kk-code"): paths.nth(i).get_attribute("data-kk-fill") for i in range(paths.count())}


def test_needs_map_offline_recolours_and_drills_down(server, browser):
    page, outside = open_page(browser, f"{server}/behovskarta", "Behovskarta", "map.png", ready=MAP_FRAME)
    frame = map_frame(page)
    before = fills(frame)
    assert len(before) == 14, "14 coloured municipalities"
    assert frame.locator(".kk-label").count() == 14, "names on the map"
    assert frame.locator("path.leaflet-interactive").count() >= 14 + 15, "polygons and learning-centre markers"
    assert page.locator(".kk-legend").count() == 1 and "Personer i behov" in page.locator(".kk-legend").inner_text()

    for attempt in range(3):  # the app's run took the filter when it writes it into the URL (history, no navigation)
        choose(page, "Bransch", "Branschgrupp: Marin livsmedelsnäring")
        try:
            page.wait_for_function("() => decodeURIComponent(location.search).includes('industry=ig:marine_food')",
                                   timeout=15_000)  # a run takes a second or two; choosing again is harmless
            break
        except Exception:  # playwright's TimeoutError: the choice did not reach the app (a busy machine); once more
            if attempt == 2:
                page.screenshot(path=str(ARTIFACTS / "map-filter-not-taken.png"))
                raise
    settled(page)
    try:
        page.wait_for_function(
            """([sel, old]) => Array.from(document.querySelectorAll(sel)).some(f => {
                 const p = f.contentDocument ? f.contentDocument.querySelectorAll('path[data-kk-code]') : [];
                 return p.length === 14 && Array.from(p).some(x => x.getAttribute('data-kk-fill') !== old[x.getAttribute('data-kk-code')]); })""",
            arg=[MAP_FRAME, before], timeout=60_000,
        )
    except Exception as error:  # playwright's TimeoutError: say what the page showed, for the next one who reads it
        page.screenshot(path=str(ARTIFACTS / "map-not-recoloured.png"))
        raise AssertionError(f"the map was not recoloured: {page.locator(MAP_FRAME).count()} map frames, url {page.url}, "
                             f"fills {fills(frame)} (before {before})") from error
    assert fills(frame) != before, "the industry filter recoloured the map"

    frame.locator('path[data-kk-code="1427"]').dispatch_event("click")
    page.get_by_role("heading", name="Sotenäs").wait_for(timeout=120_000)
    assert "kommun=1427" in page.url
    settled(page)
    page.screenshot(path=str(ARTIFACTS / "map-sotenas.png"))
    assert page.get_by_test_id("stException").count() == 0
    assert outside == [], f"requests left the machine: {outside}"
    page.close()


def test_the_first_click_on_the_map_chooses_the_municipality(server, browser):
    """streamlit-folium binds its click handler to the layers present when it draws the map; the municipalities
    arrive later (fetched), so the first click after a page load went nowhere until something redrew the map."""
    page, _ = open_page(browser, f"{server}/behovskarta", "Behovskarta", "map-first-click.png", ready=MAP_FRAME)
    map_frame(page).locator('path[data-kk-code="1484"]').dispatch_event("click")
    page.get_by_role("heading", name="Lysekil").wait_for(timeout=60_000)
    assert "kommun=1484" in page.url
    page.close()


def test_meeting_mode_link_reproduces_the_view(server, browser):
    link = f"{server}/behovskarta?meeting=1&metric=per_1000&kommun=1488&industry=ig:manufacturing&lang=en"
    page, outside = open_page(browser, link, "Needs map: Fyrbodal (14 municipalities)", "map-meeting.png", ready=MAP_FRAME)
    map_frame(page)
    page.get_by_role("heading", name="Trollhättan").wait_for(timeout=120_000)
    assert not page.get_by_test_id("stSidebar").is_visible(), "no sidebar in meeting mode"
    assert "Persons per 1,000 inhabitants" in page.locator(".kk-legend").inner_text()
    assert page.get_by_text("Industry group: Manufacturing and engineering").count() >= 1
    assert page.get_by_test_id("stException").count() == 0
    assert outside == []
    page.close()


def test_html_in_names_is_shown_as_text(server, browser, tmp_path):
    """A learning centre named like an attack: the map shows the characters and runs nothing."""
    from unittest import mock

    import pandas as pd

    from components.maps import needs as needs_map
    from core.analysis import municipal
    from core.analysis.classes import classify
    from data import reference

    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    centres = reference.learning_centres().copy()
    centres.loc[0, "name"] = hostile
    codes = tuple(reference.fyrbodal_codes())
    frame = municipal.table(pd.DataFrame(columns=["municipality_code", "company_id", "need_type", "persons"]), list(codes), {})
    cls, classes = classify(frame["persons"], "persons")
    with mock.patch.object(reference, "learning_centres", lambda: centres):
        fmap = needs_map.base_map(codes, "sv", 14)
    needs_map.restyle(frame, "persons", cls, classes, "", "sv").add_to(fmap)
    html = fmap.get_root().render().replace("<head>", f'<head><base href="{server}/">', 1)
    page = browser.new_page()
    page.set_content(html, wait_until="load")
    page.locator("path.leaflet-interactive").nth(14).wait_for(state="attached")
    page.locator("path.leaflet-interactive").nth(14).dispatch_event("click")  # the first centre's marker
    page.locator(".kk-popup").wait_for()
    assert page.locator(".kk-popup strong").inner_text() == hostile
    assert page.evaluate("window.pwned") is None
    page.close()


# --- supply and demand, commuting and learning centres ------------------------------------------


def test_supply_page_renders_offline_in_both_languages(server, browser):
    for query, heading, label in (("", "Utbud och efterfrågan", "Platser inom räckhåll"),
                                  ("?lang=en&mode=pt", "Supply and demand", "Seats within reach")):
        page, outside = open_page(browser, f"{server}/utbud{query}", heading, f"supply{query.replace('?', '-').replace('&', '-')}.png")
        page.get_by_test_id("stMetric").first.wait_for()
        assert page.get_by_test_id("stMetricLabel").filter(has_text=label).count() == 1
        assert page.locator(".js-plotly-plot").count() == 2, "the gap chart and the heatmap"
        assert page.locator(".js-plotly-plot .heatmaplayer, .js-plotly-plot .hm").count() >= 1 or \
            page.locator(".js-plotly-plot").nth(1).locator("image").count() >= 1, "the heatmap is drawn"
        assert page.get_by_test_id("stException").count() == 0
        assert outside == [], f"requests left the machine: {outside}"
        page.close()


def test_access_page_renders_offline_with_a_what_if_centre(server, browser):
    link = f"{server}/pendling?mode=pt&nytt=gn2715351"
    page, outside = open_page(browser, link, "Pendling och lärcentra", "access.png", ready=MAP_FRAME)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("[data-kk-place]").first.wait_for(timeout=60_000)
    assert frame.locator("[data-kk-place]").count() == 28, "the 28 localities of the 14 municipalities"
    assert frame.locator(".kk-added").count() == 1, "the imagined centre is marked"
    assert frame.locator("path[data-kk-code]").count() == 14, "municipality polygons behind the places"
    assert page.get_by_text("med nytt lärcentrum").count() >= 1
    assert page.get_by_test_id("stException").count() == 0
    assert outside == [], f"requests left the machine: {outside}"
    page.close()


def test_travel_matrix_import_reports_bad_rows_then_stores_a_good_file(server, browser, tmp_path):
    page, outside = open_page(browser, f"{server}/pendling", "Pendling och lärcentra", "access-import.png", ready=MAP_FRAME)
    sign_in_as_demo(page, "admin@demo.invalid (administratör)")  # a measured matrix changes everyone's figures
    page.get_by_text("Restidsmatris: exportera eller importera").click()
    header = "from_id,from_name,to_id,to_name,km_road,minutes_car,minutes_pt\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "gn2698697,Kungshamn,gn2667303,Trollhättan,88,70,115\ngn0,Atlantis,gn2667303,Trollhättan,1,1,-1\n",
                   encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("kan inte importeras").wait_for(timeout=120_000)
    assert page.get_by_text("Inget har sparats").count() == 1
    upload = page.get_by_test_id("stExpander").filter(has_text="Restidsmatris: exportera eller importera")
    problems = upload.get_by_test_id("stTable").inner_text()  # the map and the chart have tables too
    assert "unknown place 'gn0'" in problems and "negative" in problems
    good = tmp_path / "good.csv"
    good.write_text(header + "gn2698697,Kungshamn,gn2667303,Trollhättan,88,70,115\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Spara 1 uppmätta par").click()
    page.get_by_text("1 par har uppmätta värden").wait_for(timeout=120_000)
    page.get_by_role("button", name="Ta bort importerade värden").click()
    page.get_by_text("1 par har uppmätta värden").wait_for(state="detached", timeout=120_000)
    assert page.get_by_test_id("stException").count() == 0
    assert outside == []
    page.close()


def test_cohort_finder_runs_offline_and_shows_a_cohort_on_the_map(server, browser):
    page, outside = open_page(browser, f"{server}/", "Översikt: vad behöver företagen?", "cohorts-signin.png")
    assert page.get_by_role("link", name="Samverkanskohorter").count() == 0, "not for the public"
    sign_in_as_demo(page, "admin@demo.invalid (administratör)")
    page.get_by_role("link", name="Samverkanskohorter").click()
    page.get_by_role("heading", name="Samverkanskohorter").wait_for(timeout=60_000)
    page.get_by_test_id("stForm").wait_for(timeout=60_000)
    page.get_by_role("button", name="Sök kohorter").click()
    page.get_by_role("heading", name="Förslag").wait_for(timeout=120_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path[data-kk-fill]").first.wait_for(timeout=60_000)
    # the shading is drawn after the map's first paths: wait for it (bounded), then count
    page.wait_for_function("""sel => Array.from(document.querySelectorAll(sel)).some(f => f.contentDocument &&
                               f.contentDocument.querySelectorAll('path[data-kk-fill="#E69F00"]').length >= 2)""",
                           arg=MAP_FRAME, timeout=60_000)
    shaded = frame.locator('path[data-kk-fill="#E69F00"]').count()
    assert shaded >= 2, "the members' municipalities are shaded"
    assert frame.locator(".kk-centre").count() == 1, "the host is marked"
    assert page.get_by_text("Behov som bara når en klass genom samverkan").count() == 1
    settled(page)
    page.screenshot(path=str(ARTIFACTS / "cohorts.png"), full_page=True)
    assert page.get_by_test_id("stException").count() == 0
    assert outside == [], f"requests left the machine: {outside}"
    page.close()


@pytest.mark.parametrize(("query", "heading"), [("?omrade=1427", "Politisk brief: Sotenäs"), ("?lang=en", "Briefing: Fyrbodal")])
def test_briefing_renders_offline_in_both_languages(server, browser, query, heading):
    page, outside = open_page(browser, f"{server}/brief{query}", heading, f"brief{query.replace('?', '-')}.png")
    page.get_by_test_id("stMetric").first.wait_for()
    assert page.get_by_test_id("stMetric").count() == 5
    assert page.locator(".js-plotly-plot").count() >= 2, "the top competences and the map thumbnail"
    assert page.get_by_test_id("stTable").count() >= 2
    assert page.get_by_test_id("stException").count() == 0
    assert outside == [], f"requests left the machine: {outside}"
    page.close()


def test_briefing_downloads_are_made_on_click(server, browser):
    """The PDF and the deck are generated when their button is pressed; both buttons work one after the other."""
    page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 2400})
    page.goto(f"{server}/brief?omrade=1427")
    for name, start in (("Ladda ner PDF", b"%PDF"), ("Ladda ner PowerPoint", b"PK")):
        button = page.get_by_role("button", name=name)
        button.wait_for(timeout=60_000)
        with page.expect_download(timeout=60_000) as download:
            button.click()
        assert Path(download.value.path()).read_bytes()[:len(start)] == start
    page.close()


def test_public_downloads_hold_no_company(server, browser):
    """What the public takes home: the overview's table of published figures and the gap table."""
    import pandas as pd

    from data import demo

    names = set(demo.generate().companies["name"])
    page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 2400})
    for path, button, heading in (("?year=2025&area=m:1427", "Ladda ned tabellen som CSV (Excel)", "Översikt: vad behöver företagen?"),
                                  ("utbud?year=2025", "Ladda ner tabellen (CSV för Excel)", "Utbud och efterfrågan")):
        page.goto(f"{server}/{path}")
        page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
        settled(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=button).click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert not [n for n in names if n in text] and "Kompetensmäklare" not in text
        rows = pd.read_csv(download.value.path(), sep=";", encoding="utf-8-sig", dtype=str)
        assert len(rows) > 5 and (rows == "skyddad").any().any(), f"{path}: protected cells are marked as such"
    page.close()
