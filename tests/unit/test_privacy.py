"""Contact persons' data (issue 24): retention that also empties the log's earlier snapshots, a person's data on
request (export, erase), and nothing of them left in an export, the log or a backup afterwards."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli import main
from core.exchange.export import excel_csv
from core.records.audience import Audience, User
from services import privacy
from services.admin import Admin, operator
from services.register.backup import backup
from services.register.store import Register
from services.seed import DEMO_USERS, workspace

ADMIN, SOTENAS = DEMO_USERS[0], DEMO_USERS[1]
KIM = {"contact_name": "Kim Kontaktsson", "contact_role": "VD", "contact_email": "kim.k@varvet.example",
       "contact_until": dt.date(2027, 6, 30)}
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def register(demo_register_url):
    return Register(demo_register_url)


def with_kim(register: Register) -> tuple[dict, dict]:
    """A company with Kim as its contact, edited once (the log then holds Kim in two snapshots), a visit whose
    note names Kim, and a need whose note gives Kim's e-mail."""
    space = workspace(register, SOTENAS, TODAY)
    company = space.add_company({"name": "Varvet AB", "org_nr": "556036-0793", "sni_code": "30.12", "municipality_code": "1427",
                                 "size_class": "10-49"} | KIM)
    company = space.edit_company(company["id"], company["version"], {"contact_role": "Vd och ägare"})
    visit = space.add_visit({"company_id": company["id"], "visited_on": dt.date(2026, 11, 1), "method": "workshop",
                             "note": "Träffade kim kontaktsson om svetsning"})
    space.add_need({"company_id": company["id"], "visit_id": visit["id"], "competence": "welding", "need_type": "upskilling",
                    "persons": 2, "horizon": "0-6", "form": "blended", "level": "upper_secondary",
                    "note": "Frågor till KIM.K@varvet.example"})
    return company, visit


def log_text(register: Register) -> str:
    return excel_csv(workspace(register, ADMIN).audit_log()).decode("utf-8-sig")


def traces(text: str) -> list[str]:
    return [t for t in ("Kim Kontaktsson", "kim.k@varvet.example") if t.lower() in text.lower()]


def test_retention_erases_on_its_date_and_from_the_logs_earlier_snapshots(register, tmp_path):
    company, _visit = with_kim(register)
    assert traces(log_text(register)), "the log holds Kim before the date"
    assert privacy.erase_expired_contacts(register, dt.date(2027, 6, 30)) == 0, "kept through its date"
    assert privacy.erase_expired_contacts(register, dt.date(2027, 7, 1)) == 1
    stored = workspace(register, ADMIN).record("companies", company["id"])
    assert (stored["contact_name"], stored["contact_email"], stored["contact_until"]) == ("", "", None)
    history = workspace(register, ADMIN).history("companies", company["id"])
    assert not traces(" ".join(history["before"].tolist() + history["after"].tolist() + history["detail"].tolist()))
    assert "[erased 2027-07-01: contact person kept until 2027-06-30]" in history["before"].iloc[0] + history["after"].iloc[0]
    assert history["actor"].iloc[-1] == "system (retention)"
    # the company's own log is clean (the notes naming Kim: tests/unit/test_erasure.py)
    if register.engine.dialect.name == "sqlite":
        out = tmp_path / "after.backup"
        backup(register.url, out)
        data = out.read_bytes()
        assert b"Kim Kontaktsson" not in data and b"kim.k@varvet.example" not in data.lower(), "not in the backup"
        from pathlib import Path

        path = Path(register.url.removeprefix("sqlite:///"))
        for file in (path, path.with_name(path.name + "-wal")):
            on_disk = file.read_bytes() if file.exists() else b""
            assert b"Kim Kontaktsson" not in on_disk and b"kim.k@varvet.example" not in on_disk.lower(), f"not in {file.name}"


def test_a_person_sees_everything_stored_about_them_then_has_it_erased(register):
    company, visit = with_kim(register)
    found = privacy.person_record(register, "KIM.K@varvet.example")
    assert [c["id"] for c in found.companies] == [company["id"]]
    assert {(n["table"], n["id"]) for n in found.notes} >= {("visits", visit["id"])} and len(found.notes) == 2
    assert len(found.entries) >= 4  # the company's add and edit, the visit's and the need's add
    exported = json.loads(privacy.export_text(found, dt.datetime(2026, 11, 20, 10, 0)))
    assert exported["companies_where_contact_person"][0]["contact_name"] == "Kim Kontaktsson"
    assert len(exported["audit_log_entries"]) == len(found.entries)

    counts = Admin(register, ADMIN).erase_person("Kim Kontaktsson", "personen själv, e-post 2026-11-19")
    assert counts["companies"] == 1 and counts["notes"] == 2 and counts["entries"] >= 4
    assert privacy.person_record(register, "kim.k@varvet.example").empty
    assert privacy.person_record(register, "Kim Kontaktsson").empty
    assert not traces(log_text(register)), "no log entry holds the name or e-mail"
    frames = [register.needs_frame()["note"], register.companies_frame()[["contact_name", "contact_email"]].stack()]
    assert not any(traces(str(v)) for f in frames for v in f)
    erasure = workspace(register, ADMIN).audit_log().query("action == 'person_erase'").iloc[-1]
    assert erasure["actor"] == ADMIN.email and "personen själv, e-post 2026-11-19" in erasure["detail"]
    assert "1 contact person record(s), 2 note(s)" in erasure["detail"]


def test_the_erasure_never_writes_the_person_into_the_log_as_the_one_who_asked(register):
    with_kim(register)
    Admin(register, ADMIN).erase_person("kim.k@varvet.example", "Kim Kontaktsson själv")
    assert not traces(log_text(register))


def test_only_an_admin_answers_a_request_and_says_who_asked(register):
    from core.records.audience import UserProblem
    from services.workspace import Refused

    with_kim(register)
    with pytest.raises(Refused):
        Admin(register, SOTENAS).erase_person("Kim Kontaktsson", "x")
    with pytest.raises(UserProblem):
        Admin(register, ADMIN).erase_person("Kim Kontaktsson", "  ")
    assert not privacy.person_record(register, "Kim Kontaktsson").empty, "nothing erased"


def test_the_command_line_exports_and_erases_a_person(register, tmp_path, capsys):
    with_kim(register)
    out = tmp_path / "kim.json"
    assert main(["person", "export", "kim.k@varvet.example", "--out", str(out), "--database", register.url]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["companies_where_contact_person"][0]["contact_role"] == "Vd och ägare"
    assert main(["person", "erase", "kim.k@varvet.example", "--database", register.url]) == 2, "who asked is required"
    assert main(["person", "erase", "kim.k@varvet.example", "--requested-by", "e-post 2026-11-19",
                 "--database", register.url]) == 0
    assert "erased: 1 contact person record(s), 2 note(s)" in capsys.readouterr().out
    assert main(["person", "export", "kim.k@varvet.example", "--out", str(out), "--database", register.url]) == 0
    after = json.loads(out.read_text(encoding="utf-8"))
    assert after["companies_where_contact_person"] == [] and after["audit_log_entries"] == []
    audit_csv = tmp_path / "log.csv"
    # the command line's erasure made the demo register real, and its example users went with it: the region's own
    # admin reads the log
    auditor = User("revisor@region.example", Audience.ADMIN, (), "Revisor")
    Admin(register, operator()).save_user(auditor, set(), None)
    assert main(["audit", "--out", str(audit_csv), "--as", auditor.email, "--database", register.url]) == 0
    assert not traces(audit_csv.read_text(encoding="utf-8-sig"))
    assert "person_export" in audit_csv.read_text(encoding="utf-8-sig"), "looking is audited too"


def test_the_retention_command_takes_a_clock(register, capsys):
    with_kim(register)
    assert main(["retention", "--today", "2027-07-01", "--database", register.url]) == 0
    assert "1 contact person(s)" in capsys.readouterr().out
