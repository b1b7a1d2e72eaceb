"""The workspace page (AppTest): each form with good and bad input, both versions on a conflict, the
log, and figures on other pages that change after a write. Every test writes to its own copy."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.register import audit
from services.register.store import Register
from services.seed import DEMO_USERS
from tests.app.conftest import app_as, new_app, signed_in
from tests.app.helpers import open_page

ADMIN, SOTENAS, TROLLHATTAN, VIEWER = (u.email for u in DEMO_USERS)
TODAY = dt.date.today()


@pytest.fixture
def fresh_url(demo_url, tmp_path, monkeypatch) -> str:
    """A copy of the seeded demo register for one test that writes."""
    target = tmp_path / "copy.sqlite"
    with sqlite3.connect(demo_url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def workspace(email: str, view: str = "companies") -> AppTest:
    at = signed_in(new_app(), email)
    open_page(at, "pages/workspace.py")
    at.segmented_control(key="ws_view").set_value(view).run()
    assert not at.exception, at.exception
    return at


def field(at: AppTest, form: str, name: str, record: str = "new:0"):
    key = f"ws:{form}:{record}:{name}"
    for kind in (at.text_input, at.selectbox, at.date_input, at.number_input, at.text_area):
        found = [w for w in kind if w.key == key]
        if found:
            return found[0]
    raise KeyError(key)


def press(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, at.exception
    return at


def kpi_value(at: AppTest, label: str) -> int:
    [value] = [m.value for m in at.metric if m.label == label]
    return int("".join(ch for ch in value if ch.isdigit()))


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error) + " " + " ".join(m.value for m in at.markdown if m.value.startswith(":red["))


def fill_company(at: AppTest, **values) -> None:
    defaults = {"name": "Test & <b>Varv</b> AB", "org_nr": "556036-0793", "sni_code": "30.12", "municipality_code": "1427",
                "size_class": "10-49"}
    for name, value in (defaults | values).items():
        widget = field(at, "company_new", name)
        widget.select(value) if hasattr(widget, "select") else widget.input(value) if hasattr(widget, "input") else widget.set_value(value)


def test_the_company_form_saves_a_good_company_and_opens_it(fresh_url):
    at = workspace(SOTENAS)
    fill_company(at)
    press(at, "Spara företaget")
    assert any("sparat" in s.value for s in at.success)
    [company] = [c for c in Register(fresh_url).companies_frame().to_dict("records") if c["name"] == "Test & <b>Varv</b> AB"]
    assert company["org_nr"] == "556036-0793" and company["industry_group"] == "boatbuilding"
    assert at.selectbox(key="ws_company").value == company["id"]
    assert any(m.value == "#### Test & \\<b\\>Varv\\</b\\> AB" for m in at.markdown)  # shown as text, never as markup


@pytest.mark.parametrize(("values", "message"), [
    ({"org_nr": "556036-0794"}, "Kontrollsiffran stämmer inte"),
    ({"org_nr": "12345"}, "är inget organisationsnummer"),
    ({"sni_code": "04.1"}, "är ingen SNI 2007-kod"),
    ({"name": ""}, "Måste fyllas i"),
])
def test_a_bad_company_is_refused_with_the_field_named(fresh_url, values, message):
    before = len(Register(fresh_url).companies_frame())
    revision = Register(fresh_url).revision()
    at = workspace(SOTENAS)
    fill_company(at, **values)
    press(at, "Spara företaget")
    assert message in errors(at) and "Sparades inte" in errors(at)
    assert len(Register(fresh_url).companies_frame()) == before and Register(fresh_url).revision() == revision
    assert field(at, "company_new", "name").value == values.get("name", "Test & <b>Varv</b> AB")  # the input is kept


def need_form(at: AppTest, company: int) -> str:
    """The company's new-need form (its name carries the latest visit, the form's default)."""
    [form] = {w.key.split(":")[1] for w in at.selectbox if w.key and w.key.startswith(f"ws:need_new_{company}_")}
    return form


def _first_company(at: AppTest) -> int:
    return at.selectbox(key="ws_company").value


def test_the_visit_form_saves_a_visit_and_refuses_a_date_in_the_future(fresh_url):
    at = workspace(SOTENAS)
    company = _first_company(at)
    form = f"visit_new_{company}"
    field(at, form, "visited_on").set_value(TODAY + dt.timedelta(days=3))
    press(at, "Spara besöket")
    assert "ligger i framtiden" in errors(at)
    field(at, form, "visited_on").set_value(TODAY)
    field(at, form, "method").select("workshop")
    press(at, "Spara besöket")
    assert any("Besöket sparat" in s.value for s in at.success)
    register = Register(fresh_url)
    with register.engine.connect() as conn:
        log = audit.frame(conn, "visits")
    assert list(log["action"]) == ["add"] and log["actor"].iloc[0] == SOTENAS


def test_the_need_form_saves_a_need_and_refuses_zero_persons_or_an_unknown_date(fresh_url):
    at = workspace(SOTENAS)
    company = _first_company(at)
    form = need_form(at, company)
    before = len(Register(fresh_url).needs_frame())
    field(at, form, "competence").select("welding")
    field(at, form, "persons").set_value(0)
    press(at, "Spara behovet")
    assert "Antal personer måste vara ett heltal från 1" in errors(at)
    field(at, form, "persons").set_value(4)
    field(at, form, "collected_on").set_value(TODAY + dt.timedelta(days=1))
    press(at, "Spara behovet")
    assert "ligger i framtiden" in errors(at)
    assert len(Register(fresh_url).needs_frame()) == before
    field(at, form, "collected_on").set_value(TODAY)
    press(at, "Spara behovet")
    assert any("sparat" in s.value for s in at.success)
    needs = Register(fresh_url).needs_frame()
    assert len(needs) == before + 1 and needs.iloc[-1]["persons"] == 4 and needs.iloc[-1]["broker"] == SOTENAS


def _open_need(at: AppTest, need_id: int) -> None:
    at.number_input(key="ws_need_jump").set_value(need_id).run()  # by its number: the list shows the newest 500
    assert at.selectbox(key="ws_need").value == need_id
    assert not at.exception, at.exception


def test_a_need_is_matched_to_an_offer_and_closed_with_an_outcome(fresh_url):
    register = Register(fresh_url)
    need = register.needs_frame().query("municipality_code == '1427' and status == 'new'").iloc[0]
    need_id, offer = int(need["id"]), register.offers_frame()["offer_id"].iloc[0]
    at = workspace(SOTENAS, "needs")
    _open_need(at, need_id)
    form = f"needs_{need_id}"
    field(at, form, "status", f"{need_id}:1").select("matched")
    press(at, "Spara ändringar")
    assert "kräver ett utbud eller en utbildningsinsats" in errors(at)
    field(at, form, "status", f"{need_id}:1").select("matched")
    field(at, form, "offer_id", f"{need_id}:1").select(offer)
    press(at, "Spara ändringar")
    assert any("version 2" in s.value for s in at.success)
    field(at, form, "status", f"{need_id}:2").select("closed")
    press(at, "Spara ändringar")
    assert "Utfall" in errors(at)
    field(at, form, "status", f"{need_id}:2").select("closed")
    field(at, form, "outcome", f"{need_id}:2").select("trained")
    press(at, "Spara ändringar")
    stored = Register(fresh_url).needs_frame().set_index("id").loc[need_id]
    assert (stored["status"], stored["outcome"], stored["offer_id"], stored["version"]) == ("closed", "trained", offer, 3)


def test_two_sessions_edit_one_need_the_second_is_refused_and_sees_both_versions(fresh_url):
    need_id = int(Register(fresh_url).needs_frame().query("municipality_code == '1427'").iloc[0]["id"])
    first, second = workspace(SOTENAS, "needs"), workspace(ADMIN, "needs")
    for at in (first, second):
        _open_need(at, need_id)
    field(first, f"needs_{need_id}", "persons", f"{need_id}:1").set_value(11)
    press(first, "Spara ändringar")
    field(second, f"needs_{need_id}", "persons", f"{need_id}:1").set_value(22)
    press(second, "Spara ändringar")
    assert "någon annan ändrade posten" in errors(second)
    [table] = [d for d in second.dataframe if "Din version" in d.value.columns]
    row = table.value.set_index("Fält").loc["Antal personer"]
    assert (row["Din version"], row["Sparad version"]) == ("22", "11")
    assert int(Register(fresh_url).needs_frame().set_index("id").loc[need_id, "persons"]) == 11
    with Register(fresh_url).engine.connect() as conn:
        log = audit.frame(conn, "needs", need_id)
    assert list(log["action"]) == ["edit", "refused"] and list(log["actor"]) == [SOTENAS, ADMIN]


def test_withdraw_and_restore_a_need(fresh_url):
    register = Register(fresh_url)
    need = register.needs_frame().query("municipality_code == '1427'").iloc[0]
    at = workspace(SOTENAS, "needs")
    _open_need(at, int(need["id"]))
    press(at, "Återkalla")
    assert int(need["id"]) not in set(Register(fresh_url).needs_frame()["id"])
    assert any("återkallad" in w.value.lower() for w in at.warning)
    press(at, "Återställ")
    assert int(need["id"]) in set(Register(fresh_url).needs_frame()["id"])


def test_an_effort_is_made_with_needs_and_the_log_shows_it(fresh_url):
    register = Register(fresh_url)
    needs = register.needs_frame().query("municipality_code == '1435' and status == 'new'").head(2)
    at = workspace(SOTENAS, "efforts")
    field(at, "effort_new", "title").input("Svetskurs Tanum")
    field(at, "effort_new", "provider").input("Exempel Komvux")
    press(at, "Spara insatsen")
    assert "Platser" in errors(at)
    field(at, "effort_new", "seats").set_value(12)
    at.multiselect(key="ws_effort_new_needs").set_value([int(i) for i in needs["id"]])
    press(at, "Spara insatsen")
    frame = Register(fresh_url).needs_frame().set_index("id").loc[needs["id"]]
    assert frame["status"].eq("matched").all() and frame["effort_id"].notna().all()
    at.segmented_control(key="ws_view").set_value("log").run()
    [log] = [d for d in at.dataframe if "Händelse" in d.value.columns]
    assert list(log.value["Händelse"].head(3)) == ["Ändrad", "Ändrad", "Ny"]
    assert any(b.label == "Ladda ner loggen (CSV)" for b in at.get("download_button"))


def test_a_broker_sees_only_their_municipalities(fresh_url):
    at = workspace(TROLLHATTAN)
    names = at.selectbox(key="ws_company").options
    assert names and all("Trollhättan" in n for n in names)
    assert at.selectbox(key="ws:company_new:new:0:municipality_code").options == ["Trollhättan"]


@pytest.mark.parametrize("email", [VIEWER, None])
def test_the_workspace_is_no_page_for_a_viewer_or_the_public(fresh_url, email):
    at = app_as(email)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered for them at all
        at.switch_page("pages/workspace.py")


def test_a_new_need_changes_the_overview_and_map_but_not_the_published_brief(fresh_url):
    """A write shows on every signed-in page that reads rows on the next rerun (revision-keyed caches); the brief
    is the published release's, frozen until the next one (issue 19), so it does not move."""
    pages = {}
    for page in ("pages/overview.py", "pages/needs_map.py", "pages/briefing.py"):
        pages[page] = open_page(signed_in(new_app(), ADMIN), page)
    before = {page: [m.value for m in at.metric] for page, at in pages.items()}
    at = workspace(ADMIN)
    company = _first_company(at)
    form = need_form(at, company)
    field(at, form, "competence").select("welding")
    field(at, form, "persons").set_value(37)
    field(at, form, "collected_on").set_value(dt.date(2026, 9, 1))  # in the newest published year
    press(at, "Spara behovet")
    for other in pages.values():
        other.run()
        assert not other.exception, other.exception
    assert kpi_value(pages["pages/overview.py"], "Personer") == _number(before["pages/overview.py"][_index(pages["pages/overview.py"], "Personer")]) + 37
    assert kpi_value(pages["pages/needs_map.py"], "Personer") == _number(before["pages/needs_map.py"][_index(pages["pages/needs_map.py"], "Personer")]) + 37
    brief = pages["pages/briefing.py"]
    assert _number(brief.metric[0].value) == _number(before["pages/briefing.py"][0])  # Fyrbodal's persons: as published


def _number(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def _index(at: AppTest, label: str) -> int:
    return [m.label for m in at.metric].index(label)


def test_a_cohort_proposal_becomes_an_effort_from_the_cohort_page(fresh_url):
    at = signed_in(new_app(), ADMIN)
    open_page(at, "pages/cohorts.py")
    at.button(key="FormSubmitter:cohort_form-Sök kohorter").click().run()
    pick = at.selectbox(key="cohort_pick").value
    [button] = [b for b in at.button if b.key and b.key.startswith("ws_cohort_effort_") and b.key.endswith(f"_{pick}")]
    button.click().run()
    assert not at.exception, at.exception
    assert any("Utbildningsinsats #" in s.value for s in at.success), [e.value for e in at.error]
    register = Register(fresh_url)
    with register.engine.connect() as conn:
        log = audit.frame(conn, "efforts")
    effort_id = int(log["record_id"].iloc[-1])
    needs = register.needs_frame()
    served = needs[needs["effort_id"] == effort_id]
    assert len(served) >= 2 and served["status"].isin(["matched", "in_training"]).all()
    assert served["municipality_code"].nunique() >= 2  # a pooled class: more than one municipality


def test_the_workspace_in_english_with_an_english_field_error(fresh_url):
    at = workspace(SOTENAS)
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Workspace"
    fill_company(at, org_nr="556036-0794")
    press(at, "Save the company")
    assert "The check digit of 556036-0794 does not match" in errors(at) and "Not saved" in errors(at)


def test_the_company_search_narrows_the_list_and_says_when_nothing_matches(fresh_url):
    at = workspace(SOTENAS)
    everyone = at.selectbox(key="ws_company").options
    at.text_input(key="ws_company_search").input("havsfisk").run()
    narrowed = at.selectbox(key="ws_company").options
    assert narrowed and len(narrowed) < len(everyone) and all("havsfisk" in n.lower() for n in narrowed)
    at.text_input(key="ws_company_search").input("finns inte").run()
    assert any("Inget företag matchar" in i.value for i in at.info)


CORPUS = Path(__file__).parents[1] / "data" / "import"


def upload(at: AppTest, name: str) -> AppTest:
    at.file_uploader(key="ws_import_file").set_value((name, (CORPUS / name).read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_an_import_with_errors_is_located_and_stores_nothing(fresh_url):
    revision = Register(fresh_url).revision()
    at = upload(workspace(SOTENAS, "import"), "org_nr_check_digit.csv")
    assert any("sparades inte: 1 problem" in e.value for e in at.error)
    [table] = [d.value for d in at.dataframe if "Orsak" in d.value.columns]
    assert (table["Rad"].iloc[0], table["Kolumn"].iloc[0], table["Värde"].iloc[0]) == (2, "Organisationsnummer", "556036-0794")
    assert "Kontrollsiffran" in table["Orsak"].iloc[0]
    assert any(b.label == "Ladda ner filen med en felkolumn (CSV)" for b in at.get("download_button"))
    assert Register(fresh_url).revision() == revision


def test_a_refused_file_says_why(fresh_url):
    at = upload(workspace(SOTENAS, "import"), "zip_bomb.xlsx")
    assert any("lästes inte" in e.value and "packas upp" in e.value for e in at.error)


@pytest.mark.parametrize(("name", "said"), [("dense_range.xlsx", "XFD200000"), ("encrypted.xlsx", "Kryptera med lösenord"),
                                          ("declared_size_bomb.xlsx", "packas upp")])
def test_a_hostile_or_encrypted_workbook_is_refused_with_its_reason(fresh_url, name, said):
    """Issue 32: the two-cell workbook that aborted the reader (and the server with it) is refused in the page."""
    at = upload(workspace(SOTENAS, "import"), name)
    assert any("lästes inte" in e.value and said in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize("name", ["good.ods", "good.xls"])
def test_an_ods_or_xls_file_is_previewed_like_the_csv(fresh_url, name):
    at = upload(workspace(SOTENAS, "import"), name)
    assert {m.label: m.value for m in at.metric}["Nya"] == "3"


def test_an_import_is_previewed_then_stored_on_confirmation(fresh_url):
    before = len(Register(fresh_url).needs_frame())
    at = upload(workspace(SOTENAS, "import"), "good_sv_utf8.csv")
    assert {"Mall (XLSX)", "Mall (CSV)", "Exportera behoven (XLSX)", "Exportera behoven (CSV)"} <= {
        b.label for b in at.get("download_button")}
    assert {m.label: m.value for m in at.metric}["Nya"] == "3"
    assert len(Register(fresh_url).needs_frame()) == before  # the preview stores nothing
    press(at, "Spara 3 nya och ändrade rader")
    assert any("Sparat: 3 nya" in s.value for s in at.success)
    assert len(Register(fresh_url).needs_frame()) == before + 3
    with Register(fresh_url).engine.connect() as conn:
        assert "import" in set(audit.frame(conn)["action"])


def test_an_import_with_an_efforts_sheet(fresh_url):
    from tests.unit.test_register_import import _needs_rows, _workbook

    data = _workbook(_needs_rows(), [["E-1", "Svets i Sotenäs", "Exempel Komvux", "", "", "12", "556036-0793/B-1", ""]])
    at = workspace(SOTENAS, "import")
    at.file_uploader(key="ws_import_file").set_value(("behov.xlsx", data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert any("**Utbildningsinsatser**: 1 nya" in m.value for m in at.markdown)
    press(at, "Spara 4 nya och ändrade rader")
    assert any("Utbildningsinsatser: 1 nya" in s.value for s in at.success)
    needs = Register(fresh_url).needs_frame()
    assert needs.loc[needs["ref"] == "B-1", "status"].iloc[0] == "matched"


def test_an_import_with_a_duplicated_header_is_refused_with_the_cells_named(fresh_url):
    """Red team finding 4: two header cells alike (here unknown ones) crashed the page in pandas."""
    at = workspace(SOTENAS, "import")
    at.file_uploader(key="ws_import_file").set_value(("dupcol.csv", b"Kommentar;Kommentar\nx;y\n", "text/csv")).run()
    assert not at.exception, at.exception
    text = " ".join(e.value for e in at.error) + " ".join(str(d.value) for d in at.dataframe)
    assert "Kommentar" in text and "A1" in text and "B1" in text, text


def test_an_import_preview_says_which_encoding_a_csv_was_read_in(fresh_url):
    at = upload(workspace(SOTENAS, "import"), "good_sv_utf8.csv")
    assert any(c.value.startswith("Läst som UTF-8") for c in at.caption), [c.value for c in at.caption]
