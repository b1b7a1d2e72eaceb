"""The public's pages: protected figures from the release, every view renders, nothing company-level."""

from __future__ import annotations

import pytest

from components import state
from core.analysis.municipal import METRICS
from core.disclosure import release
from tests.app.conftest import new_app
from tests.app.helpers import frame_with, open_page

FOCUSES = [{}, {"industry": "ig:manufacturing"}, {"competence": "welding"}]


_PUBLISHED: dict[str, release.Release] = {}


def published(demo_url) -> release.Release:
    """The release the app shows: the newest published (its insiders included)."""
    from services import publishing
    from services.register.store import Register

    if demo_url not in _PUBLISHED:
        _PUBLISHED[demo_url] = publishing.latest(Register(demo_url))
    return _PUBLISHED[demo_url]


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("focus", FOCUSES, ids=["all", "industry", "competence"])
def test_every_map_measure_renders_for_every_focus(public_app, metric, focus):
    at = open_page(public_app, "pages/needs_map.py", metric=metric, year="2025", **focus)
    assert not at.exception
    ranking = next(f.value for f in at.dataframe if "Kommun" in f.value.columns)
    assert len(ranking) == 14


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/supply.py", "pages/briefing.py", "pages/access.py", "pages/about.py"])
@pytest.mark.parametrize("focus", FOCUSES, ids=["all", "industry", "competence"])
def test_public_pages_render_for_every_focus(public_app, page, focus):
    at = open_page(public_app, page, year="2025", area="m:1427", **focus)
    assert not at.exception
    assert at.sidebar.caption[0].value.startswith("Du är inte inloggad")


def test_the_overview_shows_the_releases_figures(public_app, demo_url):
    at = open_page(public_app, "pages/overview.py", year="2025", area="m:1488")
    expected = published(demo_url).value(2025, "persons", "total", "1488")
    assert expected is not None
    assert at.metric[0].value == f"{int(expected):,}".replace(",", "\xa0")
    table = frame_with(at, "Uppdelning", "Personer")
    assert set(table["Område"]) == {"Trollhättan"} and set(table["År"]) == {2025}
    assert {"Behovstyp", "Kompetens", "Branschgrupp", "Kvartal"} == set(table["Uppdelning"])
    assert "skyddad" in set(table["Personer"]), "some cells are protected"
    assert not {"Företag", "Kompetensmäklare", "Anteckning"} & set(table.columns), "no company-level column"


def test_a_month_range_or_need_type_in_a_link_is_refused_with_a_notice(public_app):
    at = open_page(public_app, "pages/overview.py", type="upskilling", **{"from": "2025-01"})
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "type=upskilling" in warnings and "from=2025-01" in warnings


def test_public_navigation_has_no_company_level_pages(public_app):
    public_app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        public_app.switch_page("pages/cohorts.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        public_app.switch_page("pages/users.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        public_app.switch_page("pages/evidence.py")


def test_the_public_context_holds_no_row(public_app):
    """Defence in depth: for the public, the context's frames are empty, whatever a page would do with them."""
    from components import state

    at = open_page(public_app, "pages/overview.py")
    ctx = at.session_state[state.CONTEXT]
    assert ctx.protected and ctx.needs.empty and ctx.selected.empty


def test_a_broker_sees_rows_of_their_municipalities_only(app):
    from components import state
    from tests.app.conftest import signed_in

    at = open_page(signed_in(app, "maklare.sotenas@demo.invalid"), "pages/overview.py")
    ctx = at.session_state[state.CONTEXT]
    assert not ctx.protected
    assert set(ctx.needs["municipality_code"].astype(str)) == {"1427", "1435"}
    assert at.sidebar.selectbox(key=state.AREA).options == ["Mina kommuner (Sotenäs, Tanum)", "Sotenäs", "Tanum"]


def test_a_shared_selection_is_never_shared_across_scopes(app):
    """Selections are shared between sessions; an admin's (every row) must not reach a broker whose
    filters read the same: the scope is part of what a selection is."""
    from components import loaders, state
    from core.analysis.filters import ALL, Filters

    ctx = open_page(app, "pages/overview.py").session_state[state.CONTEXT]
    everything = loaders.selection(ctx.url, ctx.revision, None, Filters(area=ALL), None)
    broker = loaders.selection(ctx.url, ctx.revision, ("1427", "1435"), Filters(area=ALL), None)
    assert len(set(everything.frame["municipality_code"].astype(str))) == 14
    assert set(broker.frame["municipality_code"].astype(str)) == {"1427", "1435"}
    assert loaders.selection(ctx.url, ctx.revision, None, Filters(area=ALL), None) is everything


def test_the_data_page_describes_the_register_without_counting_rows_it_does_not_have(public_app):
    at = open_page(public_app, "pages/about.py")
    text = " ".join(m.value for m in at.markdown)
    assert "**exempeldata**" in text and "fröet 1421" in text
    assert "0 påhittade företag" not in text and "0 behov" not in text


def test_a_protected_municipality_reads_as_protected_on_the_map(public_app):
    at = open_page(public_app, "pages/needs_map.py", year="2025", competence="welding")
    ranking = next(f.value for f in at.dataframe if "Kommun" in f.value.columns)
    assert "Skyddad eller saknas" in set(ranking.iloc[:, 1])
    assert "Uppgift saknas" not in set(ranking.iloc[:, 1])


def test_the_change_compares_the_same_closed_quarters_and_says_which(public_app, demo_url):
    import datetime as dt

    from core.common import clock, formatting

    at = open_page(public_app, "pages/overview.py", year="2026")
    r = published(demo_url)
    quarters = release.compared_quarters(2026, r.start, clock.today())
    assert r.start == "2023-10" and (quarters == (1, 2, 3) or clock.today() >= dt.date(2027, 1, 1))
    now = sum(r.value(2026, "persons", "quarter", "region", f"Q{q}") for q in quarters)
    before = sum(r.value(2025, "persons", "quarter", "region", f"Q{q}") for q in quarters)
    [change] = [m for m in at.metric if m.label == "Förändring mot året före"]
    assert change.value == formatting.signed_percent((now - before) / before, "sv")
    words = (formatting.quarters_text(2026, quarters, "sv"), formatting.quarters_text(2025, quarters, "sv"))
    assert words[0] in change.proto.help and words[1] in change.proto.help, (words, change.proto.help)
    assert quarters != (1, 2, 3) or words == ("kv. 1–3 2026", "kv. 1–3 2025")
    whole = r.value(2025, "persons", "total", "region")
    assert formatting.signed_percent((r.value(2026, "persons", "total", "region") - whole) / whole, "sv") != change.value


def test_the_public_pages_never_read_the_registers_rows(tmp_path_factory, monkeypatch):
    """The public reads the release: its context's frame is the register's columns without a row, read as such (the
    public's first rerun after a release read every row of the register only to keep none of them: issue 35)."""
    from services.register.store import Register
    from tests.registers import demo_register

    url = demo_register(tmp_path_factory, "no_rows")
    monkeypatch.setenv("DATABASE_URL", url)
    reads = []
    original = Register.needs_frame
    monkeypatch.setattr(Register, "needs_frame", lambda self, columns_only=False: reads.append(columns_only) or original(self, columns_only))
    for page in ("pages/overview.py", "pages/needs_map.py"):
        at = new_app()
        at.user = {"is_logged_in": False}
        at = open_page(at, page)
        assert at.session_state[state.CONTEXT].protected and at.session_state[state.CONTEXT].needs.empty
    assert reads and all(reads), "the columns only, never the rows"


def test_the_public_charts_and_table_are_made_once_per_revision_and_view(tmp_path_factory, monkeypatch):
    """Issue 35: the public's figures come from the release, the same for every session: each chart and the table are
    made once per (register revision, view, words), not on every run, and made again once a write raises the revision."""
    from components.public import view as public_view
    from core.records.audience import Audience, User
    from services.admin import Admin
    from services.register.store import Register
    from tests.app.conftest import ADMIN
    from tests.registers import demo_register

    url = demo_register(tmp_path_factory, "public_once")
    monkeypatch.setenv("DATABASE_URL", url)
    charts, tables = [], []
    shown, table = public_view.shown, public_view.table
    monkeypatch.setattr(public_view, "shown", lambda *a: charts.append(a[2]) or shown(*a))
    monkeypatch.setattr(public_view, "table", lambda ctx: tables.append(1) or table(ctx))
    at = new_app()
    at.user = {"is_logged_in": False}
    at = open_page(at, "pages/overview.py")
    made = (len(charts), len(tables))
    assert made[0] >= 3 and made[1] == 1
    at.run()
    assert (len(charts), len(tables)) == made, "the same view again: nothing made"
    Admin(Register(url), User(ADMIN, Audience.ADMIN)).save_user(User("ny.politiker@demo.invalid", Audience.VIEWER), set(), None)
    at.run()
    assert not at.exception
    assert len(charts) == 2 * made[0] and len(tables) == 2, "a new revision: made again"


def test_the_public_map_figures_and_ranking_are_made_once_per_view_and_measure(public_app, monkeypatch):
    """Issue 35: the needs map's figures come from the release, the same for every session: made once per (register
    revision, view, measure) and its ranking once per measure and language, not on every rerun (~9 % of a burst's CPU)."""
    from components.maps import drilldown
    from components.maps import needs as needs_map
    from components.public import view as public_view

    needs_map._published.clear()
    figures, rankings = [], []
    per_municipality, ranking = public_view.per_municipality, drilldown._ranking
    monkeypatch.setattr(public_view, "per_municipality", lambda *a: figures.append(1) or per_municipality(*a))
    monkeypatch.setattr(drilldown, "_ranking", lambda *a: rankings.append(a[2]) or ranking(*a))
    at = open_page(public_app, "pages/needs_map.py", year="2025")
    shown = next(f.value for f in at.dataframe if "Kommun" in f.value.columns)
    at.run()
    assert not at.exception and (len(figures), rankings) == (1, ["persons"]), "the same view again: nothing made"
    assert next(f.value for f in at.dataframe if "Kommun" in f.value.columns).equals(shown)
    at.radio(key=state.MAP_METRIC).set_value("per_1000").run()
    assert not at.exception and (len(figures), rankings) == (2, ["persons", "per_1000"]), "another measure: made for it"
    again = new_app()
    again.user = {"is_logged_in": False}
    open_page(again, "pages/needs_map.py", year="2025")
    assert not again.exception and len(figures) == 2, "another session of the same view: shared"
