"""Arbetsförmedlingen's picture on the pages (issue 20): beside each competence's needs and seats on Utbud och
efterfrågan (for the public too), and the links with their coverage on Om data."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.conftest import ADMIN, new_app, signed_in
from tests.app.helpers import open_page


def gap_table(at):
    [table] = [d.value for d in at.dataframe if "AF: efterfrågan om 5 år" in d.value.columns
               and "Personer" not in d.value.columns]
    return table


@pytest.mark.parametrize("who", ["app", "public_app"])
def test_supply_shows_the_countys_recruitment_situation_beside_each_competence(who, request):
    at = open_page(request.getfixturevalue(who), "pages/supply.py")
    table = gap_table(at).set_index("Kompetens")
    assert table.loc["Processoperatör", "AF: rekryteringsläge i länet"] == "Balans (2 av 2)"
    assert table.loc["Processoperatör", "AF: efterfrågan om 5 år"] == "Oförändrad (2 av 2)"
    if "Svenska för arbetsplatsen" in table.index:
        assert table.loc["Svenska för arbetsplatsen", "AF: rekryteringsläge i länet"] == "Tvärgående"
    assert set(table["AF: rekryteringsläge i länet"].str.split(" ").str[0]) <= {
        "Brist", "Paradox", "Balans", "Överskott", "Ej", "Tvärgående"}
    assert any("Yrkesbarometer, omgång 2025-2, Västra Götalands län" in c.value for c in at.caption)


def test_about_gives_the_links_their_reasons_and_the_coverage(public_app):
    at = open_page(public_app, "pages/about.py")
    text = " ".join(m.value for m in at.markdown)
    assert "44 av 50 kompetenser är kopplade till 63 av barometerns 219 yrken" in text
    [links] = [d.value for d in at.dataframe if "Varför kopplingen" in d.value.columns]
    assert len(links) == 89 and (links["Varför kopplingen"].str.len() > 10).all()
    assert any("CC0" in c.value for c in at.caption)


def outlook_top(at):
    [table] = [d.value for d in at.dataframe if "AF: efterfrågan om 5 år" in d.value.columns
               and "Personer" in d.value.columns]
    return table


@pytest.mark.parametrize("who", ["app", "public_app"])
def test_overview_gives_the_largest_competences_their_county_signal(who, request):
    at = open_page(request.getfixturevalue(who), "pages/overview.py")
    table = outlook_top(at)
    assert len(table) == 8
    persons = table["Personer"].str.replace("\u00a0", "").str.replace(" ", "").astype(int)
    assert persons.is_monotonic_decreasing and (persons > 0).all()
    assert table["AF: rekryteringsläge i länet"].str.len().gt(0).all()
    assert any("Källa: Arbetsförmedlingen, Yrkesbarometern 2025-2, CC0 (hämtad 2026-12-02)" in c.value for c in at.caption)


@pytest.mark.parametrize("who", ["app", "public_app"])
def test_the_map_panel_gives_a_municipalitys_top_competences_their_signal(who, request):
    at = open_page(request.getfixturevalue(who), "pages/needs_map.py", kommun="1427")
    table = outlook_top(at)
    assert 1 <= len(table) <= 5


@pytest.fixture
def next_round_url(demo_url, tmp_path):
    """A copy of the demo register into which an admin imported round 2026-1 (two occupations moved)."""
    import sqlite3

    from core.analysis import barometer
    from data import reference
    from services.admin import Admin
    from services.register.store import Register
    from services.seed import DEMO_USERS
    from tests.unit.test_barometer import MOVED, published, raw

    path = tmp_path / "register.sqlite"
    with sqlite3.connect(demo_url.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as target:
        source.backup(target)  # with what the write-ahead log holds (a file copy would miss it)
    url = f"sqlite:///{path}"
    rows = barometer.read(raw(published(reference.yrkesbarometer(), "2026-1", MOVED)))
    # by the demo register's admin: the command line's operator would make it a real register, without its demo users
    Admin(Register(url), next(u for u in DEMO_USERS if u.email == ADMIN)).import_barometer(rows, "yrkesbarometer.json")
    return url


def test_the_pages_show_the_newest_round_and_name_it(next_round_url, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("DATABASE_URL", next_round_url)
    at = new_app()
    at.user = {"is_logged_in": False}
    at = open_page(at, "pages/supply.py")
    table = gap_table(at).set_index("Kompetens")
    assert table.loc["Svetsning", "AF: rekryteringsläge i länet"].startswith("Brist")
    today = dt.date.today().isoformat()
    assert any(f"Yrkesbarometern 2026-1, CC0 (importerad {today})" in c.value for c in at.caption)
    at = open_page(at, "pages/about.py")
    assert not [e for e in at.expander if "Vad ändrades" in e.label], "the public sees no admin view"


def test_an_admin_sees_what_changed_between_rounds(next_round_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", next_round_url)
    at = open_page(signed_in(new_app(), ADMIN), "pages/about.py")
    [changes] = [d.value for d in at.dataframe if "Jobbmöjligheter" in d.value.columns]
    assert list(changes["Yrke i barometern"]) == ["Administrativa assistenter", "Svetsare och gasskärare"]
    svetsare = changes.set_index("Yrke i barometern").loc["Svetsare och gasskärare"]
    assert svetsare["AF: rekryteringsläge i länet"] == "Paradox → Brist"
    assert svetsare["Jobbmöjligheter"] == "Stora"
    assert any("2 yrken i Västra Götalands län fick en annan bedömning mellan 2025-2 och 2026-1" in c.value for c in at.caption)


def test_an_admin_is_told_how_to_import_the_next_round(app):
    at = open_page(app, "pages/about.py")
    assert any("kompetenskartan yrkesbarometer --import" in i.value for i in at.info)


def listing(at, title):
    """The table under a disagreement heading (the markdown title precedes its table in the column)."""
    tables = [d.value for d in at.dataframe if "AF: rekryteringsläge i länet" in d.value.columns
              and "Personer" in d.value.columns and "I överskott" in d.value.columns]
    return tables


def test_where_the_signals_disagree_public_from_the_release_only(public_app, demo_url):
    from core.analysis import outlook
    from core.disclosure.release import REGION
    from data import reference
    from services import publishing
    from services.register.store import Register

    at = open_page(public_app, "pages/supply.py")
    assert any(s.value == "Där signalerna skiljer sig" for s in at.subheader)
    latest = publishing.latest(Register(demo_url))
    year = max(latest.years)
    frame = latest.breakdown(year, "competence", REGION)
    published = pd.Series(frame["persons"].to_numpy(float), index=frame["value"].to_numpy())
    signals = outlook.signals(reference.competence_occupations(), reference.yrkesbarometer())
    names = dict(zip(reference.competences()["code"], reference.competences()["name_sv"]))
    expected_niche = [names[d.competence] for d in outlook.local_niches(published, signals)]
    expected_unseen = [names[d.competence] for d in outlook.unseen_shortages(published, signals, list(names))]
    assert expected_niche, "the demo register has a local niche in the open year"
    [niche] = listing(at, "niche")
    assert list(niche["Kompetens"]) == expected_niche
    unseen = [d.value for d in at.dataframe if list(d.value.columns) == ["Kompetens", "Personer", "AF: rekryteringsläge i länet"]]
    assert [list(u["Kompetens"]) for u in unseen] == ([expected_unseen] if expected_unseen else [])
    hidden = set(published[published.isna()].index)
    assert not {names[c] for c in hidden} & set(expected_unseen + expected_niche), "a protected figure is never listed"


def test_where_the_signals_disagree_for_a_signed_in_admin(app, demo_url):
    from core.analysis import outlook
    from data import reference
    from services.register.store import Register

    at = open_page(app, "pages/supply.py")
    needs = Register(demo_url).needs_frame()
    persons = needs.groupby("competence", observed=True)["persons"].sum()
    signals = outlook.signals(reference.competence_occupations(), reference.yrkesbarometer())
    names = dict(zip(reference.competences()["code"], reference.competences()["name_sv"]))
    [niche] = listing(at, "niche")
    assert list(niche["Kompetens"]) == [names[d.competence] for d in outlook.local_niches(persons, signals)]
    assert len(niche) >= 1 and any("matchningsproblem" in c.value for c in at.caption)
