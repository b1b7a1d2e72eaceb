"""A register where one competence comes from a single company: the briefing page, its PDF and its
deck never show it, for the municipality or for Fyrbodal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.public import briefing as briefing_view
from core.briefing import content as briefing
from data import demo
from services import briefing_inputs
from services.register.store import Register
from services.seed import known_codes
from tests.app.conftest import new_app
from tests.app.helpers import open_page, open_tables

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SECRET, NAME = "composites", "Kompositteknik"


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    """The demo register without composites, plus one company in Sotenäs needing 9 in composites."""
    generated = demo.generate()
    companies, needs = generated.companies.copy(), generated.needs[generated.needs["competence"] != SECRET].copy()
    company = int(companies["id"].max()) + 1
    companies.loc[len(companies)] = [company, "1427", "boatbuilding", "30.12", "10-49", "Hemliga Varvet AB"]
    secret = needs.iloc[[0]].assign(id=int(needs["id"].max()) + 1, company_id=company, municipality_code="1427",
                                    industry_group="boatbuilding", competence=SECRET, persons=9,
                                    collected_on=dt.date(2026, 6, 1))
    url = f"sqlite:///{tmp_path_factory.mktemp('secret') / 'r.sqlite'}"
    Register(url).replace(companies, pd.concat([needs, secret], ignore_index=True), generated.meta, known_codes(), generated.offers)
    return url


def page_text(at: AppTest) -> str:
    """Everything the page's main area shows: element texts, the tables' cells and the charts' data
    (decoded: the protos hold tables as Arrow bytes and charts as escaped JSON). The sidebar is left
    out: its competence filter lists the whole catalogue, whatever the register holds. Every table opened first."""
    open_tables(at)
    parts = [str(node.proto) for node in _walk(at.main) if getattr(node, "proto", None) is not None]
    parts += [table.value.to_csv() for table in at.table]
    for chart in at.get("plotly_chart"):
        parts.append(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False))
    return "\n".join(parts)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.mark.parametrize("area", ["1427", "fyrbodal"])
def test_the_page_never_shows_the_one_company_figure(url, monkeypatch, area):
    monkeypatch.setenv("DATABASE_URL", url)
    at = new_app()
    at.user = {"is_logged_in": False}
    at = open_page(at, "pages/briefing.py", omrade=area)
    text = page_text(at)
    assert "Politisk brief" in text and "Personer i behov" in text, "the walk sees the page"
    inputs = briefing_inputs.prepare(Register(url))
    shown = briefing_inputs.make(inputs, briefing_inputs.area_codes(area), next(iter(briefing.periods(inputs.months).values())))
    names = briefing_inputs.names("sv", briefing_inputs.area_codes(area)).competence
    assert all(names[row.code] in text for row in shown.top + shown.gaps), "and the competences it does show (charts, tables)"
    assert NAME not in text and "Hemliga Varvet" not in text


@pytest.mark.parametrize("kind", ["pdf", "pptx"])
def test_the_documents_from_the_page_never_show_it(url, kind):
    inputs = briefing_inputs.prepare(Register(url))
    period = next(iter(briefing.periods(inputs.months).values()))
    for area in (("1427",), tuple(briefing_inputs.area_codes("fyrbodal"))):
        data = briefing_view.document.__wrapped__(url, Register(url).revision(), area, period, "sv", kind, dt.date(2026, 11, 23))
        text = _pdf_text(data) if kind == "pdf" else _deck_text(data)
        assert "Politisk brief" in text
        assert NAME not in text and "Hemliga Varvet" not in text


def _pdf_text(data: bytes) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")


def _deck_text(data: bytes) -> str:
    import io

    from pptx import Presentation

    slides = Presentation(io.BytesIO(data)).slides
    parts = [s.text_frame.text for slide in slides for s in slide.shapes if s.has_text_frame]
    parts += [c.text for slide in slides for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
    parts += [str(c) for slide in slides for s in slide.shapes if s.has_chart for c in s.chart.plots[0].categories]
    return "\n".join(parts)
