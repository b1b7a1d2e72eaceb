"""The evidence for the next programme (issue 33, point 5): the pure assembly, its PDF and workbook, and the service's
roles on the demo register."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pandas as pd
import pytest

from core.briefing import evidence
from core.briefing.evidence import Choice, Inputs
from core.briefing.evidence_files import html, to_pdf, to_xlsx
from core.cohorts.finder import Cohort, Member
from core.disclosure.protection import Cell
from core.disclosure.release import Release, key
from data import reference
from services import evidence as evidence_service
from services import publishing, seed, supply
from services.register.store import Register
from services.workspace import Refused

UDDEVALLA, TROLLHATTAN, VANERSBORG, STROMSTAD = "1485", "1488", "1487", "1486"
HOSTILE_MD, HOSTILE_HTML, FORMULA = "![x](http://e.invalid)", "<b>x</b>", "=HYPERLINK(\"http://e.invalid\",\"x\")"
TODAY = dt.date(2026, 12, 5)
NAMES = {"competence": {"welding": "Svetsning"},
         "municipality": dict(zip(reference.municipalities()["code"], reference.municipalities()["name"])),
         "place": {"p-udd": "Uddevalla", "p-thn": "Trollhättan", "p-str": "Strömstad", "p-gbg": "Göteborg"}}
MINUTES_TO = {UDDEVALLA: 0.0, VANERSBORG: 23.0, TROLLHATTAN: 37.0, STROMSTAD: 95.0}
PLACE_MINUTES = {"p-udd": 0.0, "p-thn": 37.0, "p-str": 95.0, "p-gbg": 70.0}


def needs() -> pd.DataFrame:
    rows = [  # company, municipality, need type, persons, horizon, status
        (1, UDDEVALLA, "recruitment", 3, "0-6", "new"), (2, UDDEVALLA, "upskilling", 2, "0-6", "new"),
        (3, TROLLHATTAN, "recruitment", 4, "0-6", "analysed"), (4, VANERSBORG, "upskilling", 3, "6-12", "new"),
        (5, STROMSTAD, "recruitment", 9, "0-6", "new"),
    ]
    return pd.DataFrame([{"id": i, "company_id": c, "municipality_code": m, "competence": "welding", "need_type": k,
                          "persons": p, "horizon": h, "form": "on_site", "status": s,
                          "collected_on": pd.Timestamp("2026-05-01")} for i, (c, m, k, p, h, s) in enumerate(rows, 1)])


def release() -> Release:
    cells = {key(2026, "persons", "competence", UDDEVALLA, "welding"): Cell("u", 5.0, 2, suppressed=True),
             key(2026, "persons", "competence", TROLLHATTAN, "welding"): Cell("t", 4.0, 3)}
    return Release(cells, (2025, 2026), tuple(reference.fyrbodal_codes()), through="2026-09", id=3, published="2026-10-02")


def offers() -> pd.DataFrame:
    base = {"competence": "welding", "seats": 12, "start": pd.NaT, "intake_years": "2027;2028", "origin": "myh",
            "round_label": "MYH program 2025", "source": "MYH program 2025, MYH 2025/1 (file, row 7)", "provider": "Anordnare AB"}
    rows = [
        {**base, "offer_id": "a", "title": HOSTILE_MD, "place_id": "p-udd", "form": "on_site", "provider": HOSTILE_HTML},
        {**base, "offer_id": "b", "title": FORMULA, "place_id": "p-thn", "form": "on_site",
         "provider": "Gammal\x01rad \u202ebaklänges"},  # stored before control characters were refused (red team)
        {**base, "offer_id": "c", "title": "Långt bort", "place_id": "p-str", "form": "on_site"},  # beyond 60 min
        {**base, "offer_id": "d", "title": "Distans i Göteborg", "place_id": "p-gbg", "form": "distance", "seats": 30},
        {**base, "offer_id": "e", "title": "Exempelkurs", "place_id": "p-udd", "form": "on_site", "origin": "example"},
        {**base, "offer_id": "f", "title": "Gammalt", "place_id": "p-udd", "form": "on_site", "intake_years": "2022"},
        {**base, "offer_id": "g", "title": "Annan kompetens", "place_id": "p-udd", "form": "on_site", "competence": "cnc"},
    ]
    return pd.DataFrame(rows)


def inputs(protected: bool = True, readable: tuple[str, ...] | None = None, limit: int = 60,
           meta: dict | None = None, cohorts: tuple | None = None) -> Inputs:
    frame = needs()
    if readable is not None:
        frame = frame[frame["municipality_code"].isin(readable)]
    return Inputs(
        choice=Choice("welding", "p-udd", dt.date(2027, 8, 1), limit, protected), names=NAMES, minutes_to=MINUTES_TO,
        place_minutes=PLACE_MINUTES, rows=None if protected else frame, readable=readable,
        period=(dt.date(2025, 10, 1), dt.date(2026, 9, 30)), release=release(), offers=offers(),
        barometer=reference.yrkesbarometer(), links=reference.competence_occupations(), barometer_round="2025-2",
        barometer_date="2026-12-02", cohorts=cohorts if not protected else None,
        meta=meta if meta is not None else {"dataset": "demo", "seed": "1421"}, generated=TODAY)


def column(section: evidence.Section, name: str) -> list[str]:
    i = section.header.index(name)
    return [row[i] for row in section.rows]


@pytest.mark.parametrize(("limit", "within"), [
    (15, [UDDEVALLA]), (30, [UDDEVALLA, VANERSBORG]), (60, [UDDEVALLA, VANERSBORG, TROLLHATTAN]),
    (90, [UDDEVALLA, VANERSBORG, TROLLHATTAN]), (120, [UDDEVALLA, VANERSBORG, TROLLHATTAN, STROMSTAD]),
])
def test_needs_within_reach_are_the_municipalities_within_the_modelled_minutes_nearest_first(limit, within):
    section = evidence.assemble(inputs(protected=False, limit=limit), "sv").section("needs")
    assert column(section, "Kommun")[:-1] == [NAMES["municipality"][c] for c in within]
    persons = {UDDEVALLA: 5, VANERSBORG: 3, TROLLHATTAN: 4, STROMSTAD: 9}
    assert column(section, "Personer i behov")[:-1] == [str(persons[c]) for c in within]
    assert section.rows[-1][0] == "Summa" and section.rows[-1][2] == str(sum(persons[c] for c in within))


def test_the_exact_version_counts_need_types_and_companies_with_the_register_as_source():
    section = evidence.assemble(inputs(protected=False), "sv").section("needs")
    uddevalla = section.rows[0]
    assert uddevalla[2:6] == ("5", "3", "2", "2")  # persons, recruitment, upskilling, companies
    assert uddevalla[6] == "Kompetenskartans behovsregister, behov registrerade 2025-10-01 – 2026-09-30"
    assert uddevalla[7] == TODAY.isoformat()


def test_the_protected_version_shows_only_the_releases_figures_and_no_cohort():
    found = evidence.assemble(inputs(protected=True), "sv")
    section = found.section("needs")
    figures = dict(zip(column(section, "Kommun"), column(section, "Personer i behov")))
    assert figures == {"Uddevalla": "skyddad", "Vänersborg": "0", "Trollhättan": "4",
                       "Summa av de visade siffrorna (skyddade inte medräknade)": "4"}
    assert set(column(section, "Företag")[:-1]) == {"–"}, "companies are not published per competence"
    assert all(s.startswith("Kompetenskartans publicering 3") for s in column(section, "Källa")[:-1])
    assert set(column(section, "Datum")[:-1]) == {"2026-10-02"}
    assert "5" not in column(section, "Personer i behov"), "the hidden figure is not shown"
    assert found.section("cohorts").rows == () and "inte i den skyddade versionen" in found.section("cohorts").notes[0]


def test_a_broker_reads_exact_figures_of_their_own_municipalities_and_the_release_elsewhere():
    section = evidence.assemble(inputs(protected=False, readable=(TROLLHATTAN,)), "sv").section("needs")
    rows = {r[0]: r for r in section.rows}
    assert rows["Trollhättan"][2:6] == ("4", "4", "0", "1") and "behovsregister" in rows["Trollhättan"][6]
    assert rows["Uddevalla"][2] == "skyddad" and "publicering 3" in rows["Uddevalla"][6]
    assert rows["Vänersborg"][2] == "0" and "publicering 3" in rows["Vänersborg"][6]
    assert any("skyddad" in n for n in section.notes)


def test_existing_supply_is_real_within_reach_or_distance_with_an_intake_near_the_start():
    section = evidence.assemble(inputs(), "sv").section("supply")
    assert column(section, "Utbildning") == [HOSTILE_MD, FORMULA, "Distans i Göteborg"]
    assert column(section, "Restid kollektivtrafik, min (modellerad)") == ["0", "37", "–"]
    assert column(section, "Källa") == ["MYH program 2025, MYH 2025/1 (file, row 7)"] * 3
    assert section.notes[0] == "Platser per intag: 24 på orter inom 60 min från studieorten, 30 på distans."


def test_the_barometer_rows_are_the_linked_occupations_of_county_14_with_round_and_date():
    section = evidence.assemble(inputs(), "sv").section("outlook")
    links = reference.competence_occupations()
    assert column(section, "Yrke") == links.loc[links["competence"] == "welding", "occupation"].tolist()
    assert set(column(section, "Källa")) == {"Arbetsförmedlingen, Yrkesbarometern 2025-2, Västra Götalands län (CC0)"}
    assert set(column(section, "Datum")) == {"2026-12-02"}
    assert all(v in ("Brist", "Paradox", "Balans", "Överskott", "Ej bedömt") for v in column(section, "Rekryteringsläge"))


@pytest.mark.parametrize("protected", [True, False])
def test_every_row_of_every_section_carries_a_source_and_a_date(protected):
    cohort = Cohort("welding", "p-udd", "6-12", (Member(1, UDDEVALLA, 5, "0-6", 0, 0), Member(4, VANERSBORG, 3, "6-12", 20, 23)), 8, 16)
    found = evidence.assemble(inputs(protected=protected, cohorts=(cohort,)), "en")
    assert {s.key for s in found.sections} == {"needs", "outlook", "supply", "cohorts"}
    for section in found.sections:
        assert section.header[-2:] == ("Source", "Date")
        for row in section.rows:
            assert len(row) == len(section.header) and row[-2] and row[-1] not in ("",), (section.key, row)
    assert len(found.section("cohorts").rows) == (0 if protected else 1)


@pytest.mark.parametrize(("meta", "labelled"), [({"dataset": "demo", "seed": "7"}, True), ({"dataset": "real"}, False), ({}, False),
                                               ({"dataset": "real", "example_data": "1"}, True)])  # the demo after a first write
def test_demo_figures_are_labelled_as_example_data(meta, labelled):
    found = evidence.assemble(inputs(meta=meta), "sv")
    assert bool(found.demo) == labelled
    assert ("Exempeldata" in html(found)) == labelled


def test_the_cohort_finder_with_the_study_place_as_only_host_pools_small_needs_that_reach_it():
    frame = needs()
    choice = Choice("welding", "p-udd", dt.date(2027, 3, 1), 60, False)
    found = evidence.absorbed(frame, choice, MINUTES_TO, (8, 16), pd.DataFrame(columns=evidence_service.OFFER_COLUMNS), "0-6")
    assert len(found) == 1
    [cohort] = found
    assert cohort.host == "p-udd" and cohort.window == "0-6"
    assert set(cohort.municipalities) <= {UDDEVALLA, VANERSBORG, TROLLHATTAN}, "Strömstad is 95 min away"
    assert 8 <= cohort.total <= 16
    closer = evidence.absorbed(frame, Choice("welding", "p-udd", dt.date(2027, 3, 1), 15, False), MINUTES_TO, (8, 16),
                               pd.DataFrame(columns=evidence_service.OFFER_COLUMNS), "0-6")
    assert closer == (), "within 15 min only Uddevalla's 5 persons: no class of 8"


def _pdf_text(data: bytes, page: int | None = None) -> str:
    only = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(["pdftotext", *only, "-", "-"], input=data, capture_output=True, check=True, timeout=60).stdout
    return re.sub(r"\s+", "", text.decode("utf-8"))


def _pdf_pages(data: bytes) -> int:
    import pikepdf

    return len(pikepdf.open(io.BytesIO(data)).pages)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_shows_typed_text_as_typed_with_sources_dates_and_the_example_label():
    pikepdf = pytest.importorskip("pikepdf", reason="pikepdf is not installed (the test extra)")
    found = evidence.assemble(inputs(protected=False), "sv")
    data = to_pdf(found)
    text = _pdf_text(data)
    for literal in (HOSTILE_MD, HOSTILE_HTML, FORMULA, "Exempeldata", "MYHprogram2025,MYH2025/1(file,row7)",
                    "Arbetsförmedlingen,Yrkesbarometern2025-2", "modellerad", "Källa", "Datum", "2026-12-05"):
        assert re.sub(r"\s+", "", literal) in text, literal
    doc = pikepdf.open(io.BytesIO(data))
    links = [a for page in doc.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert links == [], "no text became a link"
    assert str(doc.Root.Lang) == "sv-SE" and "/StructTreeRoot" in doc.Root, "a tagged PDF"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_exact_version_says_on_every_page_and_sheet_that_it_is_internal_and_the_protected_does_not():
    """Red team: the exact version holds figures from single companies; an MYH application is a public document, so its
    files say "internal, do not hand out" on the title, every PDF page and every sheet, and never the MYH subtitle."""
    from openpyxl import load_workbook

    exact = evidence.assemble(inputs(protected=False), "sv")
    assert exact.title.startswith("INTERNT – lämna inte ut: ")
    data = to_pdf(exact)
    pages = [_pdf_text(data, page) for page in range(1, _pdf_pages(data) + 1)]
    assert len(pages) >= 2 and all("INTERNTlämnainteut" in p.replace("–", "") for p in pages), pages
    assert "UnderlagföransökantillMyndighetenföryrkeshögskolan" not in "".join(pages)
    protected = evidence.assemble(inputs(protected=True), "sv")
    assert "INTERNT" not in _pdf_text(to_pdf(protected)) and not protected.internal
    assert all("INTERNT" not in str(sheet["A1"].value) for sheet in load_workbook(io.BytesIO(to_xlsx(protected))).worksheets)


def test_the_workbook_holds_every_section_with_text_as_typed_and_never_a_formula():
    from openpyxl import load_workbook

    found = evidence.assemble(inputs(protected=False), "sv")
    book = load_workbook(io.BytesIO(to_xlsx(found)))
    assert book.sheetnames == ["Om underlaget", "Behov inom räckhåll", "Yrkesbarometern", "Befintligt utbud", "Kohorter"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == "INTERNT – lämna inte ut", f"{sheet.title}: the exact version's mark first"
        assert sheet["A3"].value == found.demo, f"{sheet.title}: the example-data label at the top"
    cells = [c for row in book["Befintligt utbud"].iter_rows() for c in row if c.value is not None]
    values = [c.value for c in cells]
    assert HOSTILE_MD in values and HOSTILE_HTML in values and FORMULA in values
    assert "Gammal⟨U+0001⟩rad ⟨U+202E⟩baklänges" in values, "a control character as its code (openpyxl refuses C0)"
    assert all(c.data_type == "s" for c in cells), "every cell is text, the formula too"
    needs_sheet = [tuple(c.value for c in row) for row in book["Behov inom räckhåll"].iter_rows()]
    assert ("Uddevalla", "0", "5", "3", "2", "2", "Kompetenskartans behovsregister, behov registrerade 2025-10-01 – 2026-09-30",
            "2026-12-05") in needs_sheet


# --- the service on the demo register ---

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.registers import demo_register

    return Register(demo_register(tmp_path_factory, "evidence"))


def _make(register: Register, user, protected: bool):
    from geo import matrix as mx

    place = next(p for p in mx.model().place_ids if NAMES["place"].get(p) == "Uddevalla" or
                 reference.places().set_index("place_id").at[p, "name"] == "Uddevalla")
    names = {**NAMES, "place": dict(zip(reference.places()["place_id"], reference.places()["name"])),
             "competence": dict(zip(reference.competences()["code"], reference.competences()["name_sv"]))}
    return evidence_service.make(register, user, Choice("assistant_nurse", place, dt.date(2027, 8, 1), 60, protected), "sv",
                                 offers=supply.offers(register, TODAY), matrix=mx.model(), published=publishing.latest(register),
                                 barometer=seed.current_barometer(register), names=names, today=TODAY)


@pytest.mark.parametrize("who", [None, "politiker@demo.invalid"])
def test_the_public_and_viewers_are_refused(demo, who):
    user = next((u for u in seed.DEMO_USERS if u.email == who), None)
    with pytest.raises(Refused):
        _make(demo, user, True)


def test_a_broker_never_reads_another_municipalitys_rows(demo):
    broker = next(u for u in seed.DEMO_USERS if u.email == "maklare.sotenas@demo.invalid")  # Sotenäs and Tanum
    admin = next(u for u in seed.DEMO_USERS if u.role == "admin")
    theirs = _make(demo, broker, False).section("needs")
    everything = _make(demo, admin, False).section("needs")
    assert column(theirs, "Kommun")[:-1] == column(everything, "Kommun")[:-1]
    own = {NAMES["municipality"][c] for c in broker.municipalities}
    assert own & set(column(theirs, "Kommun")), "one of theirs is within reach (Tanum, 53 min)"
    for row in theirs.rows[:-1]:
        if row[0] in own:
            assert "behovsregister" in row[6] and row[5] != "–", row
        else:
            assert "publicering" in row[6] and row[3:6] == ("–", "–", "–"), row
    assert any("behovsregister" in row[6] and row[5] != "–" for row in everything.rows[:-1])
    assert _make(demo, broker, False).section("cohorts").rows == _make(demo, broker, True).section("cohorts").rows == ()
