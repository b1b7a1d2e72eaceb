"""The public reads a frozen release: its figures do not move after a new need, every page names the release, the
open-data files hold exactly what the pages show, and an admin sees the next release's protection report."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pandas as pd
import pytest

from components.maps import offline as offline_map
from core.disclosure import release
from services import publishing
from services.register.store import Register
from services.seed import DEMO_USERS, load_demo, workspace
from tests.app.conftest import ADMIN, app_as
from tests.app.helpers import frame_with, open_page
from tests.app.test_briefing_suppression import _deck_text, _pdf_text


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('rel') / 'r.sqlite'}"
    load_demo(Register(url))
    publishing.publish(Register(url))
    return url


def _public(url: str, monkeypatch, page: str = "pages/overview.py", **params: str):
    monkeypatch.setenv("DATABASE_URL", url)
    return open_page(app_as(None), page, **params)


def _figures(at) -> tuple[list, list]:
    metrics = [(m.label, m.value) for m in at.metric]
    tables = [d.value.to_dict("split") for d in at.dataframe]
    return metrics, tables


def test_public_figures_do_not_move_after_a_new_need_until_the_next_release(url, monkeypatch):
    before = _figures(_public(url, monkeypatch, year="2026"))
    register = Register(url)
    ws = workspace(register, DEMO_USERS[1])
    company = int(ws.frame("companies")["id"].iloc[0])
    ws.add_need({"company_id": company, "competence": "boatbuilding", "need_type": "upskilling", "persons": 3,
                 "horizon": "0-6", "form": "blended", "level": "upper_secondary", "note": "",
                 "collected_on": dt.date(2026, 3, 1)})
    at = _public(url, monkeypatch, year="2026")
    assert _figures(at) == before
    assert len(publishing.stored(register)) == 1  # no release is due until the next quarter closes


def test_every_public_page_names_its_release(url, monkeypatch):
    latest = publishing.latest(Register(url))
    for page in ("pages/overview.py", "pages/needs_map.py", "pages/supply.py", "pages/briefing.py"):
        at = _public(url, monkeypatch, page)
        words = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
        assert f"avser t.o.m. {latest.through}" in words, page
        assert f"Publicering {latest.id}" in words or f"Publicerad {latest.published}" in words, page
    at = _public(url, monkeypatch)
    table = frame_with(at, "Publicering", "Värde")
    assert set(table["Publicering"]) == {f"Publicerad {latest.published}, avser t.o.m. {latest.through} ({latest.id})"}


def _static(address: str) -> bytes:
    return (offline_map.STATIC_DIR / address.removeprefix(offline_map.STATIC_URL + "/")).read_bytes()


def test_the_open_data_files_equal_what_the_pages_show(url, monkeypatch):
    at = _public(url, monkeypatch, "pages/about.py")
    [links] = [m.value for m in at.markdown if "Öppna data för publicering" in m.value]
    addresses = dict(zip(("csv", "json", "metadata"), re.findall(r"\]\(([^)\s]+)\)", links)[:3]))
    raw = _static(addresses["csv"])
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    csv = pd.read_csv(io.BytesIO(raw), sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(csv.columns[:4]) == ["Publicering", "Publicerad", "Avser t.o.m.", "År"]
    latest = publishing.latest(Register(url))
    assert len(csv) == len(latest.cells)
    assert (csv["Värde"] == "..").sum() == sum(c.suppressed for c in latest.cells.values()) > 0
    records = json.loads(_static(addresses["json"]))
    assert [r["Värde"] for r in records] == [None if v == ".." else int(v) for v in csv["Värde"]]

    # the overview's figures for Fyrbodal 2026 are the files' figures
    year = max(latest.years)
    page = _public(url, monkeypatch, year=str(year))
    [persons] = [m.value for m in page.metric if m.label == "Personer"]
    row = csv[(csv["År"] == str(year)) & (csv["Mått"] == "Personer") & (csv["Indelning"] == "Totalt") & (csv["Områdeskod"] == "Fyrbodal")]
    assert persons.replace("\u00a0", "").replace(" ", "") == row["Värde"].item()
    shown = frame_with(page, "Uppdelning", "Värde")
    competences = shown[shown["Uppdelning"] == "Kompetens"]
    in_file = csv[(csv["År"] == str(year)) & (csv["Indelning"] == "Kompetens") & (csv["Områdeskod"] == "Fyrbodal")]
    by_name = dict(zip(in_file["Benämning"], in_file["Värde"]))
    assert len(competences) > 5
    for name, value in zip(competences["Värde"], competences["Personer"]):
        expected = ".." if value == "skyddad" else str(value).replace("\u00a0", "").replace(" ", "")
        assert by_name[name] == expected, name

    about = json.loads(_static(addresses["metadata"]))
    assert about["dcterms:issued"] == latest.published and about["dcterms:temporal"]["dcat:endDate"].startswith(latest.through)
    assert about["dcat:distribution"][0]["dcterms:license"].startswith("http")
    assert "±50 %" in about["kompetenskartan:protection"]["sv"]


def test_an_admin_sees_the_next_release_protection_report(url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(app_as(ADMIN), "pages/about.py")
    [button] = [b for b in at.button if b.label == "Gör skyddsrapporten"]
    button.click().run()  # one protection of the next release: up to a minute on a busy machine (PATIENCE)
    assert not at.exception
    report = frame_with(at, "År", "Mått", "Dolda: färre än 3 företag", "Dolda: skyddar andra tal")
    assert report["Tal"].sum() > 1000 and report["Dolda: färre än 3 företag"].sum() > 0
    assert any("Jämfört med senaste publiceringen" in m.value for m in at.markdown)
    assert len(publishing.stored(Register(url))) == 1  # a preview publishes nothing


def test_the_visitor_sees_no_admin_report(url, monkeypatch):
    at = _public(url, monkeypatch, "pages/about.py")
    assert not [b for b in at.button if b.label == "Gör skyddsrapporten"]
    assert release.closed_through(dt.date(2026, 12, 3)) == "2026-09"


def test_the_brief_its_pdf_and_deck_name_the_release(url):
    from core.briefing import content as briefing
    from core.briefing import deck as report_pptx
    from core.briefing import pdf as report_pdf
    from core.briefing import text as briefing_text
    from services import briefing_inputs

    register = Register(url)
    latest = publishing.latest(register)
    inputs = briefing_inputs.prepare(register)
    assert inputs.release.id == latest.id and inputs.needs["collected_on"].max() <= pd.Period(latest.through, "M").end_time
    period = briefing.periods(inputs.months)[str(max(latest.years))]
    brief = briefing_inputs.make(inputs, briefing_inputs.area_codes("fyrbodal"), period)
    named = f"Publicerad {latest.published}, avser t.o.m. {latest.through}"
    assert named in briefing_text.subtitle(brief, "sv", dt.date(2026, 12, 3))
    assert any(f"Publicering {latest.id}" in line for line in briefing_text.sources(brief, "sv", inputs.meta, dt.date(2026, 12, 3)))
    pdf = report_pdf.render(brief, briefing_inputs.names("sv", briefing_inputs.area_codes("fyrbodal")), "sv", inputs.meta,
                            inputs.population, inputs.outlines, dt.date(2026, 12, 3))
    deck = report_pptx.render(brief, briefing_inputs.names("sv", briefing_inputs.area_codes("fyrbodal")), "sv", inputs.meta,
                              inputs.population, inputs.outlines, dt.date(2026, 12, 3))
    for text in (_pdf_text(pdf), _deck_text(deck)):
        assert f"avser t.o.m. {latest.through}" in " ".join(text.split())
