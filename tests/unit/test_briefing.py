"""The briefing: small cells never shown, never recoverable, in the data, the PDF, the deck and the exports."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from core.analysis.classes import mark_of
from core.briefing import content as briefing
from core.briefing import deck as report_pptx
from core.briefing import pdf as report_pdf
from core.briefing import text as briefing_text
from core.common import formatting
from core.disclosure import release
from data import reference
from geo import boundaries
from services import briefing_inputs

FYRBODAL = reference.fyrbodal_codes()
PERIOD = ("2026-01", "2026-06")
PREVIOUS = ("2025-07", "2025-12")
SECRET = "boatbuilding"  # in Sotenäs from one company only
POPULATION = dict(zip(reference.municipalities()["code"], reference.municipalities()["population_2023"].astype(int)))


def register(seed: int = 0) -> pd.DataFrame:
    """Needs of many companies per municipality, plus a competence in Sotenäs from one company and one
    in Lysekil from two: the cells a briefing must hide."""
    rng = np.random.default_rng(seed)
    rows = []
    company = 0
    for code in FYRBODAL:
        for _ in range(8):
            company += 1
            for _ in range(int(rng.integers(1, 4))):
                rows.append((company, code, str(rng.choice(["welding", "cnc", "assistant_nurse", "forklift"])),
                             str(rng.choice(["recruitment", "upskilling"])), int(rng.integers(1, 6))))
    rows.append((company + 1, "1427", SECRET, "upskilling", 7))
    rows += [(company + 2, "1484", "composites", "recruitment", 4), (company + 3, "1484", "composites", "recruitment", 5)]
    months = pd.to_datetime(rng.choice(pd.date_range("2025-07-01", "2026-06-30", freq="D"), size=len(rows)))
    frame = pd.DataFrame(rows, columns=["company_id", "municipality_code", "competence", "need_type", "persons"])
    frame["collected_on"] = months
    frame.loc[frame["competence"].isin([SECRET, "composites"]), "collected_on"] = pd.Timestamp("2026-03-01")
    frame["id"] = np.arange(1, len(frame) + 1)
    frame["horizon"] = "0-6"
    frame["industry_group"] = "manufacturing"
    frame["form"] = "blended"
    return frame


def brief(needs: pd.DataFrame, area: list[str]) -> briefing.Briefing:
    return briefing.build(needs, area, FYRBODAL, PERIOD, PREVIOUS, pd.DataFrame(
        {"competence": [], "place_id": [], "form": [], "seats": []}), {}, pd.DataFrame(
        columns=["municipality_code", "share_car_45", "share_pt_60", "mean_car"]), published(needs))


_RELEASES: dict[int, release.Release] = {}


def published(needs: pd.DataFrame) -> release.Release:
    key = hash(pd.util.hash_pandas_object(needs[["company_id", "persons"]]).sum())
    if key not in _RELEASES:
        _RELEASES[key] = release.build(needs, FYRBODAL)
    return _RELEASES[key]


def shown_cells(b: briefing.Briefing) -> list:
    cells = list(b.headline.values()) + list(b.map.values()) + [r.cells["persons"] for r in b.top]
    cells += [r.cells["demand"] for r in b.gaps]
    return [c for c in cells if not c.suppressed]


@pytest.mark.parametrize("seed", range(6))
def test_no_shown_figure_comes_from_fewer_than_three_companies(seed):
    needs = register(seed)
    for area in [FYRBODAL, *([c] for c in FYRBODAL)]:
        for cell in shown_cells(brief(needs, area)):
            assert not 0 < cell.companies < 3, cell


@pytest.mark.parametrize("seed", range(6))
def test_the_small_cells_are_hidden_in_the_release_every_briefing_reads(seed):
    needs = register(seed)
    cells = briefing.publication(published(needs), 2026, FYRBODAL)
    assert cells[f"C:1427:{SECRET}"].suppressed and cells["C:1484:composites"].suppressed
    assert cells["P:region"].shown is not None, "Fyrbodal's total stays visible"


def test_the_secret_competence_appears_in_no_briefing_of_its_municipality():
    needs = register()
    sotenas = brief(needs, ["1427"])
    assert SECRET not in [r.code for r in sotenas.top] + [r.code for r in sotenas.gaps]
    assert briefing_text.hidden_top_note(sotenas, "sv") == briefing_text.hidden_top_note(brief(needs, ["1484"]), "sv"), \
        "the note is the same whatever is hidden: a count near the top would bound the hidden cells"


def names(area):
    return briefing_inputs.names("sv", area)


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def deck_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                parts += [str(c) for c in shape.chart.plots[0].categories]
            parts += shape._element.xpath("./*[1]/p:cNvPr/@descr")  # alternative texts are read out too
    return "\n".join(parts)


def render(kind, b, area, meta=None):
    module = report_pdf if kind == "pdf" else report_pptx
    return module.render(b, names(area), "sv", meta or {"dataset": "demo", "seed": "1"}, POPULATION,
                         boundaries.outlines(tuple(FYRBODAL)), dt.date(2026, 11, 23))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", ["pdf", "pptx"])
def test_the_demo_after_its_first_write_is_still_labelled_example_data(kind):
    """A write by someone other than the example users turns the demo "real", but its generated rows are still
    fictional (``example_data``): the brief's files say so, as the pages do (red team)."""
    b = brief(register(), ["1427"])
    meta = {"dataset": "real", "example_data": "1", "seed": "1"}
    data = render(kind, b, ["1427"], meta)
    assert "Exempeldata" in (pdf_text(data) if kind == "pdf" else deck_text(data))
    plain = render(kind, b, ["1427"], {"dataset": "real"})
    assert "Exempeldata" not in (pdf_text(plain) if kind == "pdf" else deck_text(plain))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_holds_the_area_and_the_page_figures_with_swedish_characters():
    needs = register()
    b = brief(needs, ["1427"])
    text = pdf_text(render("pdf", b, ["1427"]))
    assert "Politisk brief: Sotenäs" in text
    assert "Förändring" in text and "Rekrytering och kompetensutveckling" in text
    for line in briefing_text.headline(b, "sv", POPULATION["1427"]):
        assert line.label.split()[0] in text and line.value.replace("\xa0", " ") in text.replace("\xa0", " "), line
    assert "Exempeldata" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", ["pdf", "pptx"])
def test_documents_never_show_the_secret_or_a_company(kind):
    needs = register()
    for area in (["1427"], ["1484"], FYRBODAL):
        b = brief(needs, area)
        data = render(kind, b, area)
        text = pdf_text(data) if kind == "pdf" else deck_text(data)
        assert "Båtbyggeri" not in text, "the one-company competence is named nowhere (it is small in Fyrbodal too)"
        assert "Kompositteknik" not in text, "nor the two-company one"


def test_the_deck_has_the_same_headline_figures():
    needs = register()
    b = brief(needs, FYRBODAL)
    text = deck_text(render("pptx", b, FYRBODAL))
    assert "Politisk brief: Fyrbodal" in text
    for line in briefing_text.headline(b, "sv", sum(POPULATION.values())):
        assert line.value.replace("\xa0", " ") in text.replace("\xa0", " ")


def test_the_deck_s_map_names_each_municipality_with_its_figure_and_class():
    """Alternative text on every municipality's shape (a screen reader's way into the map), its class's mark on it."""
    b = brief(register(), FYRBODAL)
    deck = Presentation(io.BytesIO(render("pptx", b, FYRBODAL)))
    [slide] = [s for s in deck.slides if s.shapes.title.text.startswith("Kartan")]
    described = {d for shape in slide.shapes for d in shape._element.xpath("./*[1]/p:cNvPr/@descr")}
    values, cls, _ = briefing.map_figures(b, boundaries.outlines(tuple(FYRBODAL)), POPULATION)
    for code, name in names(FYRBODAL).municipality.items():
        if code in values.index:
            figure = "–" if np.isnan(values[code]) else formatting.metric("per_1000", values[code], "sv")
            assert f"{name}: {figure} (klass {mark_of(int(cls[code]))})" in described
    boxes = [shape.text_frame.text for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.TEXT_BOX]
    marks = [text for text in boxes if len(text) == 1]  # the other box is the note under the map
    assert sorted(marks) == sorted(mark_of(int(c)) for c in cls)


def test_periods_are_the_calendar_years_and_never_overlap():
    months = tuple(str(p) for p in pd.period_range("2023-10", "2026-09", freq="M"))
    periods = briefing.periods(months)
    assert list(periods) == ["2026", "2025", "2024", "2023"]
    assert periods["2024"] == ("2024-01", "2024-12") and periods["2023"] == ("2023-10", "2023-12")
    covered = [m for first, last in periods.values() for m in pd.period_range(first, last, freq="M")]
    assert len(covered) == len(set(covered)) == len(months), "each month in exactly one period"
    assert briefing.previous_year(periods["2025"], months) == periods["2024"]
    assert briefing.previous_year(periods["2023"], months) is None


def with_outlook(b: briefing.Briefing) -> briefing.Briefing:
    from dataclasses import replace

    from core.analysis import outlook
    from data import reference

    signals = outlook.signals(reference.competence_occupations(), reference.yrkesbarometer())
    return replace(b, outlook={r.code: signals[r.code] for r in b.top}, outlook_round="2025-2", outlook_date="2026-12-02")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", ["pdf", "pptx"])
def test_documents_give_arbetsformedlingens_picture_for_the_top_competences_with_its_source(kind):
    b = with_outlook(brief(register(), FYRBODAL))
    data = render(kind, b, FYRBODAL)
    text = " ".join((pdf_text(data) if kind == "pdf" else deck_text(data)).split())
    assert "Arbetsförmedlingens bild för Västra Götaland" in text
    assert "Källa: Arbetsförmedlingen, Yrkesbarometern 2025-2, CC0 (hämtad 2026-12-02)" in text
    rows = briefing_text.outlook(b, "sv", names(FYRBODAL))
    assert len(rows) == len(b.top) > 0
    for competence, situation, prognosis in rows:
        assert f"{competence} {situation} {prognosis}" in text or {competence, situation, prognosis} <= set(
            deck_text(data).split("\n")), (competence, situation)


def shorter_year_before() -> pd.DataFrame:
    """A register from July 2025 to September 2026: the year before the open year has six months, not twelve."""
    rng = np.random.default_rng(7)
    days = pd.date_range("2025-07-01", "2026-09-30", freq="D")
    rows = [(int(c), str(rng.choice(FYRBODAL)), "welding", str(rng.choice(["recruitment", "upskilling"])), int(rng.integers(1, 6)),
             pd.Timestamp(rng.choice(days))) for c in rng.integers(1, 400, size=1500)]
    frame = pd.DataFrame(rows, columns=["company_id", "municipality_code", "competence", "need_type", "persons", "collected_on"])
    return frame.assign(id=np.arange(1, len(frame) + 1), horizon="0-6", industry_group="manufacturing", form="blended")


def test_the_change_compares_the_same_closed_quarters_when_the_year_before_is_shorter():
    needs = shorter_year_before()
    published = release.build(needs, FYRBODAL, scopes=())
    b = briefing.build(needs, FYRBODAL, FYRBODAL, ("2026-01", "2026-09"), ("2025-07", "2025-12"), pd.DataFrame(
        {"competence": [], "place_id": [], "form": [], "seats": []}), {}, pd.DataFrame(
        columns=["municipality_code", "share_car_45", "share_pt_60", "mean_car"]), published, today=dt.date(2026, 12, 3))
    assert b.compared == (3,), "Q1 and Q2 of 2025 are not in the register; Q4 of 2026 has not closed"
    year, quarter = needs["collected_on"].dt.year, needs["collected_on"].dt.quarter
    q3 = {y: needs.loc[(year == y) & (quarter == 3), "persons"].sum() for y in (2025, 2026)}
    assert (b.headline["cmp_persons"].shown, b.headline["prev_persons"].shown) == (q3[2026], q3[2025])
    assert b.change == pytest.approx(q3[2026] / q3[2025] - 1)
    whole = needs.loc[year == 2025, "persons"].sum()
    assert abs(b.change - (needs.loc[year == 2026, "persons"].sum() / whole - 1)) > 0.2, "the old comparison said otherwise"
    change = briefing_text.headline(b, "sv", None)[-1]
    assert "kv. 3 2026" in change.explanation and "kv. 3 2025" in change.explanation, change.explanation
    early = briefing.build(needs, FYRBODAL, FYRBODAL, ("2026-01", "2026-09"), None, pd.DataFrame(
        {"competence": [], "place_id": [], "form": [], "seats": []}), {}, pd.DataFrame(
        columns=["municipality_code", "share_car_45", "share_pt_60", "mean_car"]), published, today=dt.date(2026, 3, 1))
    assert early.compared == () and early.change is None, "no quarter of 2026 closed yet: no change at all"


@pytest.mark.parametrize(("year", "start", "today", "expected"), [
    (2025, "2023-10", dt.date(2026, 12, 3), (1, 2, 3, 4)),  # a closed year against a whole year
    (2026, "2023-10", dt.date(2026, 12, 3), (1, 2, 3)),  # the open year: its closed quarters
    (2026, "2025-07", dt.date(2026, 12, 3), (3,)),  # the year before starts in July
    (2026, "2025-08", dt.date(2026, 12, 3), ()),  # ... in August: Q3 2025 only partly covered
    (2024, "2023-10", dt.date(2026, 12, 3), (4,)),  # 2023 holds Q4 only: Q4 against Q4
    (2026, "2023-10", dt.date(2026, 2, 1), ()),  # no quarter of the year has closed
])
def test_which_quarters_a_change_compares(year, start, today, expected):
    assert release.compared_quarters(year, start, today) == expected


def test_an_area_without_needs_names_the_same_months_as_one_with_needs():
    """The brief's sources name the months it covers for every area: a blank where an area had no needs told a hidden
    total's 0 from 1, and, across two releases, pinned a hidden quarter to one company (red team)."""
    needs = register()
    empty = needs[needs["municipality_code"] != "1430"]  # Munkedal without a single need
    with_needs, without = brief(needs, ["1430"]), brief(empty, ["1430"])
    assert without.headline["persons"].suppressed or without.headline["persons"].value == 0
    assert (without.oldest, without.newest) == (with_needs.oldest, with_needs.newest) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    lines = [briefing_text.sources(b, "sv", {}, dt.date(2026, 7, 1))[0] for b in (with_needs, without)]
    assert lines[0] == lines[1] and "2026-01-01 – 2026-06-30" in lines[0]
