"""The real YH supply: the MYH and Skolverket readers (the shipped files, and copies broken one way at a time), the
shipped data rebuilt from ``../shared/reference/myh`` and its loader."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.exchange import myh, skolverket, spreadsheet
from core.exchange.supply import COLUMNS, SupplyProblems, changes
from data import build_yh_supply, reference, yh_supply

MYH = build_yh_supply.MYH
SKOLVERKET = MYH.parent / "skolverket" / "planned_educations_adult_events_sample.json"
shipped_files = pytest.mark.skipif(not MYH.is_dir(), reason=f"{MYH} (the MYH workbooks) is not beside the checkout")


def names():
    return yh_supply.municipality_lookup()


def _workbook(sheets: dict[str, list[list[object]]]) -> list[spreadsheet.Sheet]:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return spreadsheet.read(buffer.getvalue())


TITLE = [["Yrkeshögskolan"], [], ["Ansökningar om att få bedriva yrkeshögskoleutbildning - program"], ["Avser ..."], []]
HEADER_2023 = list(myh.PROGRAMME_2023[:1]) + ["SUN5 inriktning", "SUN5 inriktning namn", "Utbildningsnamn", "Beslut",
                                              "Diarienummer", "Flera kommuner", "Antal kommuner", "Län", "Kommun",
                                              "YH-poäng", "Studieform", "Studietakt %", "Utbildningsanordnare administrativ enhet",
                                              "Beviljade utbildningsomgångar", *myh.SEATS, "Beviljade platser totalt"]


def _programme(dnr, kommun, several="Nej", count=1, decision="Beviljad", title="Svetsingenjör"):
    return ["Teknik och tillverkning", "521ca", "Utbildningar till CNC-tekniker", title, decision, dnr, several, count,
            "Västra Götaland", kommun, 400, "Bunden", 100, "Exempel YH AB", 3, 25, 25, 25, 0, 0, 75]


def _layout_2023(rows=None, listing=None, header=None):
    rows = rows if rows is not None else [
        _programme("MYH 2024/1", "Trollhättan"),
        _programme("MYH 2024/2", "Flera kommuner", several="Ja", count=2),
        _programme("MYH 2024/3", "Göteborg", decision="Avslag"),
    ]
    listing = listing if listing is not None else [
        ["Utbildningsområde", "SUN5 inriktning", "SUN5 inriktning namn", "Utbildningsnamn", "Beslut", "Diarienummer",
         "Län", "Kommun", "Antal kommuner"],
        ["Teknik", "521ca", "x", "Svetsingenjör", "Beviljad", "MYH 2024/2", "Västra Götaland", "Uddevalla", 2],
        ["Teknik", "521ca", "x", "Svetsingenjör", "Beviljad", "MYH 2024/2", "Värmland", "Karlstad", 2],
    ]
    return {"Tabell 3": [*TITLE, header or HEADER_2023, *rows], "Tabell 4": [*TITLE, *listing]}


def _problems(sheets) -> list[str]:
    with pytest.raises(SupplyProblems) as refused:
        myh.read(_workbook(sheets), "copy.xlsx", names())
    return [str(p) for p in refused.value.problems]


def test_a_2023_layout_workbook_gives_one_row_per_programme_and_study_municipality():
    rows = myh.read(_workbook(_layout_2023()), "ok.xlsx", names())
    assert list(rows.columns) == list(COLUMNS)
    assert rows[["diarienummer", "municipality_code", "several_municipalities"]].values.tolist() == [
        ["MYH 2024/1", "1488", "no"], ["MYH 2024/2", "1485", "yes"], ["MYH 2024/2", "1780", "yes"]]
    first = rows.iloc[0]
    assert (first["round"], first["first_intake_year"], first["intakes"], first["seats_per_intake"], first["seats_total"]) == (
        "2024", "2025", "3", "25", "75")
    assert (first["study_form"], first["pace_pct"], first["yh_points"], first["sun5_code"]) == ("bunden", "100", "400", "521ca")
    assert (first["source_sheet"], first["source_row"]) == ("Tabell 3", "7")


@pytest.mark.parametrize("case, expected", [
    ("missing sheet", "the workbook: no sheet 'Tabell 4'"),
    ("renamed column", "sheet 'Tabell 3', row 6: column(s) 'Studieform' missing"),
    ("unknown municipality", "sheet 'Tabell 3', row 7, column 'Kommun': 'Atlantis' is not a Swedish municipality"),
    ("unknown municipality in the list", "sheet 'Tabell 4', row 7, column 'Kommun': 'Gotham' is not a Swedish municipality"),
    ("duplicate diarienummer", "sheet 'Tabell 3', row 8, column 'Diarienummer': MYH 2024/1 appears twice (rows 7 and 8)"),
    ("not a number", "sheet 'Tabell 3', row 7, column 'YH-poäng': 'fyrahundra' is not a whole number"),
    ("list incomplete", "sheet 'Tabell 3', row 8, column 'Antal kommuner': MYH 2024/2: 2 municipalities, but sheet 'Tabell 4' lists 1"),
    ("empty title", "sheet 'Tabell 3', row 7, column 'Utbildningsnamn': empty: every programme and course has a title"),
    ("numeric title", "sheet 'Tabell 3', row 7, column 'Utbildningsnamn': '1e308' is a number, not a title"),
    ("no seats", "sheet 'Tabell 3', row 7, column 'Beviljade platser utbildningsomgång 1': MYH 2024/1 is granted with 0 seats"),
])
def test_a_broken_workbook_is_refused_with_where_and_why(case, expected):
    sheets = _layout_2023()
    body = sheets["Tabell 3"]
    if case == "missing sheet":
        del sheets["Tabell 4"]
    elif case == "renamed column":
        body[5] = ["Studieform (ny)" if c == "Studieform" else c for c in body[5]]
    elif case == "unknown municipality":
        body[6][9] = "Atlantis"
    elif case == "unknown municipality in the list":
        sheets["Tabell 4"][6][7] = "Gotham"
    elif case == "duplicate diarienummer":
        body[7] = _programme("MYH 2024/1", "Uddevalla")
    elif case == "not a number":
        body[6][10] = "fyrahundra"
    elif case == "list incomplete":
        del sheets["Tabell 4"][-1]
    elif case == "empty title":
        body[6][3] = ""
    elif case == "numeric title":
        body[6][3] = "1e308"
    elif case == "no seats":
        body[6][15:21] = [0, 0, 0, 0, 0, 0]
    found = _problems(sheets)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_listed_not_only_the_first():
    sheets = _layout_2023()
    sheets["Tabell 3"][6][9] = "Atlantis"
    sheets["Tabell 3"][8] = _programme("MYH 2024/2", "Uddevalla")
    found = _problems(sheets)
    assert len(found) >= 2 and any("Atlantis" in p for p in found) and any("appears twice" in p for p in found)


def test_not_an_myh_workbook_is_refused():
    found = _problems({"Behov": [["Organisationsnummer"], ["556677-8899"]]})
    assert found[0].startswith("the workbook: not an MYH results workbook")


def test_the_2022_layout_sums_a_programmes_seats_over_its_municipalities():
    header = ["Utbildningsområde", "Utbildningsnamn", "Beslut", "Diarienummer", "Län", "Kommun", "Flera kommuner",
              "Antal kommuner", "YH-poäng", "Studieform", "Studietakt %", "Typ av examen",
              "Utbildningsanordnare administrativ enhet", "Huvudmannatyp", "Sökta utbildningsomgångar",
              "Beviljade utbildningsomgångar"]
    seats = ["Utbildningsområde", "Beslut", "Diarienummer", "Kommun", *myh.SEATS, "Beviljade platser totalt"]
    sheets = {
        "Tabell 3": [header, ["Data/IT", "Java", "Beviljad", "MYH 2022/7", "Flera kommuner", "Flera kommuner", "Ja", 2, 400,
                              "Distans", 50, "Yrkeshögskoleexamen", "Exempel AB", "Privat", 3, 2]],
        "Tabell 4": [seats, ["Data/IT", "Beviljad", "MYH 2022/7", "Lysekil", 17.5, 17.5, 0, 0, 0, 35],
                     ["Data/IT", "Beviljad", "MYH 2022/7", "Mölnlycke", 12.5, 12.5, 0, 0, 0, 25]],
    }
    rows = myh.read(_workbook(sheets), "2022.xlsx", names())
    assert rows["municipality_code"].tolist() == ["1401", "1484"]  # Mölnlycke is Härryda's locality (an alias)
    assert rows[["seats_intake_1", "seats_intake_2", "seats_total", "intakes", "first_intake_year", "pace_pct",
                 "study_form", "sun5_code"]].iloc[0].tolist() == ["30", "30", "60", "2", "2023", "50", "distans", ""]


def test_a_course_workbook_counts_seats_per_start_year():
    header = ["Diarienummer", "Beslut", "Anordnare namn", "Utbildningsnamn", "Utbildningsområde",
              "Antal beviljade platser start 2024", "Antal beviljade platser start och slut 2024",
              "Antal beviljade platser start 2025", "Totalt antal beviljade platser", "YH-poäng", "Kommun", "Län",
              "FA-region", "Antal kommuner"]
    sheets = {"Beviljade ansökningar": [header, ["MYH 2024/900", "Beviljad", "Exempel AB", "Svets", "Teknik", 20, 5, 25,
                                                 50, 40, "Uddevalla", "Västra Götaland", "Trollhättan", 1]],
              "Lista flera kommuner": [["Diarienummer", "Utbildningsnamn", "Kommun"]]}
    row = myh.read(_workbook(sheets), "kurser.xlsx", names()).iloc[0]
    assert (row["kind"], row["first_intake_year"], row["seats_intake_1"], row["seats_intake_2"], row["intakes"]) == (
        "course", "2024", "25", "25", "2")
    sheets["Beviljade ansökningar"][1][8] = 49
    with pytest.raises(SupplyProblems, match="49 is not the sum"):
        myh.read(_workbook(sheets), "kurser.xlsx", names())


# --- the shipped files ---

@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return build_yh_supply.read_files()


@shipped_files
def test_the_shipped_workbooks_are_read_whole(shipped):
    granted = shipped.groupby(["kind", "round"])["diarienummer"].nunique().to_dict()
    assert granted == {("course", "2024"): 451, ("program", "2022"): 420, ("program", "2023"): 477, ("program", "2024"): 344}
    one = shipped[shipped["diarienummer"] == "MYH 2024/3281"].iloc[0]
    assert (one["municipality_code"], one["intakes"], one["yh_points"], one["seats_per_intake"]) == ("1488", "3", "400", "28")


@shipped_files
def test_a_copy_of_a_shipped_workbook_broken_in_two_places_lists_both(tmp_path):
    book = openpyxl.load_workbook(MYH / "resultat-ansokningsomgang-2024.xlsx")
    sheet = book["Tabell 3"]
    header = [c.value for c in sheet[6]]
    granted = [r for r in range(7, sheet.max_row + 1) if sheet.cell(r, header.index("Beslut") + 1).value == "Beviljad"]
    sheet.cell(granted[0], header.index("Kommun") + 1).value = "Ankeborg"
    sheet.cell(granted[1], header.index("Diarienummer") + 1).value = sheet.cell(granted[2], header.index("Diarienummer") + 1).value
    book.save(tmp_path / "broken.xlsx")
    with pytest.raises(SupplyProblems) as refused:
        myh.read(spreadsheet.read((tmp_path / "broken.xlsx").read_bytes()), "broken.xlsx", names())
    found = " | ".join(str(p) for p in refused.value.problems)
    assert f"sheet 'Tabell 3', row {granted[0]}, column 'Kommun': 'Ankeborg' is not a Swedish municipality" in found
    assert f"sheet 'Tabell 3', row {granted[2]}, column 'Diarienummer'" in found and "appears twice" in found


@shipped_files
def test_rebuilding_reproduces_the_shipped_csvs(tmp_path):
    from geo import reach

    study = set(build_yh_supply.read_files()["municipality_code"])
    assert reach.reach(study).to_csv(index=False) == (reference.HERE / "yh_reach.csv").read_text(encoding="utf-8")
    assert build_yh_supply.build().to_csv(index=False) == (reference.HERE / "yh_supply.csv").read_text(encoding="utf-8")
    assert build_yh_supply.build_municipalities().to_csv(index=False) == (
        reference.HERE / "swedish_municipalities.csv").read_text(encoding="utf-8")


# --- Skolverket ---

def _complete_sample() -> dict:
    raw = json.loads(SKOLVERKET.read_text(encoding="utf-8"))
    raw["body"]["page"].update(totalElements=len(raw["body"]["_embedded"]["listedAdultEducationEvents"]), totalPages=1)
    return raw


@pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")
def test_skolverket_events_are_kept_by_kind_with_cdata_titles_and_continuous_intake():
    rows = skolverket.read(json.dumps(_complete_sample()).encode(), "sample.json", names())
    assert sorted(rows["kind"].unique()) == ["vux", "yh"]  # university and basic adult education are left out
    engelska = rows[rows["event_id"] == "e.IST.518107VUXFLEXENG05"].iloc[0]
    assert (engelska["title"], engelska["continuous_intake"], engelska["start"], engelska["pace_pct"]) == ("Engelska 5", "yes", "", "")
    dotnet = rows[rows["event_id"] == "e.myh.27538"].iloc[0]
    assert (dotnet["municipality_code"], dotnet["yh_points"], dotnet["first_intake_year"]) == ("1480", "400", "2025")


@pytest.mark.skipif(not SKOLVERKET.is_file(), reason="Skolverket's sample is not beside the checkout")
@pytest.mark.parametrize("case, expected", [
    ("cut short", "page(s) 1 of 2 missing"),
    ("unknown code", "field 'geographicalAreaCode': '9999' is not a Swedish municipality's code"),
    ("name and code disagree", "field 'municipality': 'Uppsala' is not the municipality of code 1480"),
    ("duplicate", "appears twice"),
    ("a page number beyond the pages", "page number 7 of 1 pages"),  # the red team's lying pages (issue 33)
    ("a negative page number", "page number -1 of 1 pages"),
    ("points no programme has", "is not a number of YH points"),
    ("a pace over 100 %", "is not a pace in per cent"),
    ("a day that does not exist", "'2025-13-45' is not a date"),
    ("an empty CDATA title", "field 'titleSv': empty"),
])
def test_a_broken_skolverket_answer_is_refused(case, expected):
    raw = _complete_sample()
    events = raw["body"]["_embedded"]["listedAdultEducationEvents"]
    if case == "cut short":
        raw["body"]["page"]["totalPages"] = 2
    elif case == "unknown code":
        events[0]["geographicalAreaCode"] = "9999"
    elif case == "name and code disagree":
        events[0]["municipality"] = "Uppsala"
    elif case == "duplicate":
        events.append(dict(events[0]))
        raw["body"]["page"]["totalElements"] += 1
    elif case == "a page number beyond the pages":
        raw["body"]["page"]["number"] = 7
    elif case == "a negative page number":
        raw["body"]["page"]["number"] = -1
    elif case == "points no programme has":
        yh = next(e for e in events if e.get("creditsSystem") == "yh")
        yh["credits"] = "99999999999999999999"
    elif case == "a pace over 100 %":
        events[0]["paceOfStudy"] = "999"
    elif case == "a day that does not exist":
        events[0]["semesterStartFrom"] = "2025-13-45"
    elif case == "an empty CDATA title":
        events[0]["titleSv"] = "<![CDATA[   ]]>"
    with pytest.raises(SupplyProblems) as refused:
        skolverket.read(json.dumps(raw).encode(), "sample.json", names())
    assert any(expected in str(p) for p in refused.value.problems), refused.value.problems


# --- the shipped data and its loader ---

def test_the_loader_gives_typed_columns_and_every_link_is_in_the_catalogue():
    frame = yh_supply.yh_supply()
    assert frame["municipality_code"].str.fullmatch(r"\d{4}").all()
    assert frame["diarienummer"].str.fullmatch(r"MYH \d{4}/\d+").all()
    assert str(frame["seats_total"].dtype) == "Int64" and frame["in_fyrbodal"].dtype == bool
    linked = frame[frame["competence"] != ""]
    assert set(linked["competence"]) <= set(reference.competences()["code"])
    assert (frame.loc[frame["competence"] == "", "competence_reason"].str.startswith("outside the catalogue")).all()
    assert (linked["competence_reason"] != "").all()
    within = set(yh_supply.yh_reach().query("within_reach")["code"])
    assert set(frame["municipality_code"]) <= within
    assert (frame["minutes_pt"] <= 90).all()


def test_programmes_count_a_programme_once_and_seats_by_year_follow_the_intakes():
    each = yh_supply.programmes()
    assert each["diarienummer"].is_unique
    years = yh_supply.seats_by_year(each[each["diarienummer"] == "MYH 2024/3281"])
    assert years[["year", "seats"]].values.tolist() == [[2025, 28], [2026, 28], [2027, 28]]


def test_changes_between_two_rounds():
    rows = myh.read(_workbook(_layout_2023()), "a.xlsx", names())
    later = rows.copy()
    later.loc[0, "seats_total"] = "90"
    later = later.drop(index=2)
    found = changes(rows, later)
    assert found[["change", "key"]].values.tolist() == [["removed", "MYH 2024/2 @ 1780"], ["changed", "MYH 2024/1 @ 1488"]]
    assert found.iloc[1]["fields"] == "seats_total 75 -> 90"


def test_every_name_the_lookup_knows_is_a_swedish_municipality():
    municipalities = yh_supply.swedish_municipalities()
    assert len(municipalities) == 290 and municipalities["code"].is_unique
    aliases = yh_supply.municipality_aliases()
    assert set(aliases["municipality_code"]) <= set(municipalities["code"])
    assert not set(aliases["alias"]) & set(municipalities["name"])
    assert names().code("GÖTEBORG") == "1480" and names().code("Atlantis") is None
    assert Path(reference.HERE / "yh_supply.csv").is_file()


def test_a_round_myh_has_not_decided_yet_is_refused():
    """A round dated 9999 was stored and then broke every page's intake dates (red team, issue 33)."""
    problems = _problems(_layout_2023(rows=[_programme("MYH 9999/1", "Trollhättan")], listing=[
        ["Utbildningsområde", "SUN5 inriktning", "SUN5 inriktning namn", "Utbildningsnamn", "Beslut", "Diarienummer",
         "Län", "Kommun", "Antal kommuner"]]))
    assert any("round 9999 is not a round MYH has decided" in p for p in problems), problems


def test_two_sheets_named_alike_are_refused():
    """"Tabell 3" and "Tabell 3 ": which one MYH meant cannot be told (the last one used to win)."""
    sheets = _layout_2023()
    sheets["Tabell 3 "] = sheets["Tabell 3"]
    assert _problems(sheets) == ["the workbook: two sheets are named 'Tabell 3' (apart from spaces)"]


def test_a_long_skolverket_event_id_keeps_its_own_offer():
    """Two ids alike in their first 37 characters were one offer once cut to 40."""
    from data.yh_supply import _event_offer_id

    a, b = "e.IST." + "x" * 40 + "A", "e.IST." + "x" * 40 + "B"
    assert _event_offer_id(a) != _event_offer_id(b) and len(_event_offer_id(a)) <= 40
    assert _event_offer_id("e.myh.27538") == "sv-e.myh.27538"

