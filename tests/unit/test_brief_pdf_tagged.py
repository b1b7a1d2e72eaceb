"""The brief's PDF is a tagged PDF (PDF/UA-1) a screen reader can follow, read back from its structure tree with pikepdf:
document language and title (shown in the viewer's window), headings in reading order, tables with column headers,
alternative text on every chart and the map (the map's names each municipality with its figure and class), and a
name from data shown as typed, never read as markup."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from core.briefing import pdf as report_pdf
from core.briefing import text as briefing_text
from data import reference
from geo import boundaries
from services import briefing_inputs
from tests.unit.test_briefing import FYRBODAL, POPULATION, brief, register

pikepdf = pytest.importorskip("pikepdf", reason="pikepdf is not installed (the test extra)")
pytest.importorskip("weasyprint", reason="weasyprint is not installed")

HOSTILE = '<b>Åsa & "Co"</b><img src="https://example.com/x.png">'


def structure(data: bytes) -> tuple[object, list[tuple[str, object]]]:
    """The document and its structure elements in reading order (depth first): (tag, element)."""
    doc = pikepdf.open(io.BytesIO(data))
    found: list[tuple[str, object]] = []

    def walk(node) -> None:
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append((str(node.S)[1:], node))
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid)

    walk(doc.Root.StructTreeRoot)
    return doc, found


@pytest.fixture(scope="module")
def tagged() -> tuple[bytes, object]:
    b = brief(register(), list(FYRBODAL))
    names = briefing_inputs.names("sv", list(FYRBODAL))
    names = briefing_text.Names(names.area, names.municipality, {**names.competence, "welding": HOSTILE}, names.place, names.centre)
    data = report_pdf.render(b, names, "sv", {"dataset": "demo", "seed": "1"}, POPULATION, boundaries.outlines(tuple(FYRBODAL)),
                             dt.date(2026, 11, 23))
    return data, b


def test_language_title_and_the_pdf_ua_mark(tagged):
    data, _ = tagged
    doc, _ = structure(data)
    assert str(doc.Root.Lang) == "sv-SE"
    assert bool(doc.Root.MarkInfo.Marked) and bool(doc.Root.ViewerPreferences.DisplayDocTitle)
    assert str(doc.docinfo.Title) == "Politisk brief: Fyrbodal"
    with doc.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1", "declared PDF/UA-1"
        assert meta.get("dc:title") == "Politisk brief: Fyrbodal"


def test_headings_in_reading_order_and_tables_with_headers(tagged):
    data, _ = tagged
    _, elements = structure(data)
    tags = [tag for tag, _ in elements]
    assert tags.count("H1") == 1 and tags.index("H1") < tags.index("H2"), "one title, before every section"
    assert tags.count("H2") == 9, "the nine sections: figures, need types, top, map, gaps, outlook, cohorts, access, sources"
    tables = [node for tag, node in elements if tag == "Table"]
    assert len(tables) >= 5
    headers = [node for tag, node in elements if tag == "TH"]
    ids = {str(node.ID) for node in headers}
    cells = [node for tag, node in elements if tag == "TD"]
    assert headers and cells and all(str(h) in ids for node in cells for h in node.A.Headers), \
        "every data cell names its column's header cell (/Headers)"
    assert "L" in tags and "LI" in tags, "the sources are a list"
    first_h2 = tags.index("H2")
    assert tags.index("Table") > first_h2, "the headline table follows its heading"


def test_every_chart_and_the_map_have_alternative_text(tagged):
    data, b = tagged
    _, elements = structure(data)
    figures = [str(node.get("/Alt", "")) for tag, node in elements if tag == "Figure"]
    assert len(figures) == 2, figures  # the top competences' bars and the map
    bars, municipalities = figures
    top = briefing_text.top(b, "sv", briefing_inputs.names("sv", list(FYRBODAL)))
    assert bars.startswith("De största kompetensbehoven") and all(f" {int(v)}" in bars for _, v in top), bars
    names = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    assert municipalities.startswith("Kartan: personer i behov per 1 000 invånare: ")
    assert all(names[c] in municipalities for c in FYRBODAL) and "klass" in municipalities


def test_a_name_from_data_is_shown_as_typed(tagged):
    """The hostile competence name, if among the top, reaches the PDF as its characters: no markup, no fetched image."""
    data, b = tagged
    _, elements = structure(data)
    figures = " ".join(str(node.get("/Alt", "")) for tag, node in elements if tag == "Figure")
    if any(r.code == "welding" for r in b.top):
        assert HOSTILE in figures
    assert b"example.com" not in data or HOSTILE.encode() not in data  # text is never an image fetched
    doc = pikepdf.open(io.BytesIO(data))
    assert not any("/XObject" in page.Resources and any(
        str(x.get("/Subtype")) == "/Image" for x in page.Resources.XObject.values()) for page in doc.pages), "no image fetched"
