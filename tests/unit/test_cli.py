from __future__ import annotations

import shutil

import pytest

from cli import main
from services.register.store import Register


def test_demo_command_builds_a_register(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["demo", "--database", url, "--seed", "5"]) == 0
    register = Register(url)
    assert register.meta()["seed"] == "5"
    assert "example data" in capsys.readouterr().out
    assert len(register.needs_frame()) > 500


def test_travel_matrix_export_and_import_round_trip(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    out = tmp_path / "matrix.csv"
    assert main(["travel-matrix", "--out", str(out), "--database", url]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "from_id,from_name,to_id,to_name,km_road,minutes_car,minutes_pt"
    assert ",Kungshamn," in text and ",Göteborg," in text
    assert main(["travel-matrix", "--import", str(out), "--database", url]) == 0
    assert "992 measured pairs stored" in capsys.readouterr().out
    again = tmp_path / "again.csv"
    assert main(["travel-matrix", "--out", str(again), "--database", url]) == 0
    assert again.read_text(encoding="utf-8") == text


def test_travel_matrix_import_of_a_bad_file_fails_and_stores_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    bad = tmp_path / "bad.csv"
    bad.write_text("from_id,from_name,to_id,to_name,km_road,minutes_car,minutes_pt\n"
                   "gn2698697,Kungshamn,gn2667303,Trollhättan,88,70,115\n"
                   "gn0,Atlantis,gn2667303,Trollhättan,1,1,1\n", encoding="utf-8")
    assert main(["travel-matrix", "--import", str(bad), "--database", url]) == 2
    assert "unknown place 'gn0'" in capsys.readouterr().err
    assert Register(url).travel_matrix_frame().empty


def test_cohorts_command_writes_proposals_and_non_viable_needs(tmp_path, capsys):
    import json

    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    assert main(["demo", "--database", url]) == 0
    out = tmp_path / "cohorts.json"
    assert main(["cohorts", "--out", str(out), "--database", url, "--max-car-minutes", "50", "--min-size", "6",
                 "--as", "admin@demo.invalid"]) == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["example_data"] is True and body["settings"]["car_minutes"] == 50
    assert body["proposals"], "the demo register has cross-municipal cohorts"
    for proposal in body["proposals"]:
        assert proposal["min_size"] == 6 <= proposal["total_persons"] <= proposal["max_size"]
        assert len({m["municipality_code"] for m in proposal["members"]}) >= 2
        assert {"municipality_code", "persons", "minutes_to_host"} <= set(proposal["members"][0])
    assert all(n["reason"] and n["explanation"] for n in body["non_viable"])
    assert "cohorts" in capsys.readouterr().out


def test_the_cohorts_command_needs_a_broker_or_admin_and_keeps_a_broker_to_their_municipalities(tmp_path, capsys):
    import json

    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    assert main(["demo", "--database", url]) == 0
    out = tmp_path / "cohorts.json"
    assert main(["cohorts", "--out", str(out), "--database", url]) == 2
    assert "--as EMAIL" in capsys.readouterr().err and not out.exists()
    assert main(["cohorts", "--out", str(out), "--database", url, "--as", "politiker@demo.invalid"]) == 2
    assert "not a broker or admin" in capsys.readouterr().err and not out.exists()
    assert main(["cohorts", "--out", str(out), "--database", url, "--as", "maklare.sotenas@demo.invalid", "--min-size", "4"]) == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    seen = {m["municipality_code"] for p in body["proposals"] for m in p["members"]}
    seen |= {n["municipality_code"] for n in body["non_viable"]}
    assert seen and seen <= {"1427", "1435"}, seen


def test_users_command_adds_lists_and_removes_with_clear_errors(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    Register(url)
    assert main(["users", "add", "Anna@Kommun.se", "--role", "broker", "--municipality", "1427", "--database", url]) == 0
    assert main(["users", "list", "--database", url]) == 0
    assert "anna@kommun.se\tbroker\t1427" in capsys.readouterr().out
    for bad, message in ((["users", "add", "x@y.se", "--role", "king"], "unknown role"),
                         (["users", "add", "x@y.se", "--role", "broker"], "at least one municipality"),
                         (["users", "add", "x@y.se", "--role", "broker", "--municipality", "9999"], "unknown municipality"),
                         (["users", "add", "not-an-address", "--role", "viewer"], "not an e-mail"),
                         (["users", "remove", "nobody@y.se"], "no user")):
        assert main([*bad, "--database", url]) == 2
        assert message in capsys.readouterr().err
    assert [u.email for u in Register(url).users()] == ["anna@kommun.se"], "nothing written by a refused call"
    assert main(["users", "remove", "anna@kommun.se", "--database", url]) == 0
    assert Register(url).users() == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_briefing_command_writes_a_pdf_and_a_deck_without_company_names(tmp_path):
    import io
    import subprocess

    from pptx import Presentation

    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    assert main(["demo", "--database", url]) == 0
    companies = Register(url).companies_frame()["name"].tolist()
    pdf, deck = tmp_path / "brief.pdf", tmp_path / "brief.pptx"
    assert main(["briefing", "--area", "1427", "--out", str(pdf), "--database", url]) == 0
    assert main(["briefing", "--area", "fyrbodal", "--out", str(deck), "--format", "pptx", "--database", url]) == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    assert "Politisk brief: Sotenäs" in text and "Exempeldata" in text
    slides = Presentation(io.BytesIO(deck.read_bytes())).slides
    deck_text = "\n".join(s.text_frame.text for slide in slides for s in slide.shapes if s.has_text_frame)
    deck_text += "\n".join(c.text for slide in slides for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells)
    assert "Politisk brief: Fyrbodal" in deck_text
    for name in companies:
        assert name not in text and name not in deck_text
    assert main(["briefing", "--area", "9999", "--out", str(pdf), "--database", url]) == 2


def test_db_upgrade_upgrades_a_register_made_before_migrations_in_place(tmp_path, capsys):
    import sqlite3
    from pathlib import Path

    from services.register import migrate

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript((Path(__file__).parents[1] / "data" / "registers" / "before_migrations.sql").read_text(encoding="utf-8"))
    url = f"sqlite:///{path}"
    assert main(["db", "current", "--database", url]) == 0
    assert "revision none" in capsys.readouterr().out
    assert main(["db", "upgrade", "--database", url]) == 0
    assert f"upgraded from 0001 (stamped: made before migrations) to revision {migrate.head()}" in capsys.readouterr().out
    assert main(["db", "upgrade", "--database", url]) == 0
    assert f"already at revision {migrate.head()}" in capsys.readouterr().out
    assert len(Register(url).needs_frame()) == 138


def test_audit_export_needs_a_broker_or_admin_and_holds_the_log(tmp_path, capsys):
    import datetime as dt

    from services.seed import load_demo, workspace

    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    register = Register(url)
    load_demo(register)
    admin = register.user("admin@demo.invalid")
    need = register.needs_frame().iloc[0]
    workspace(register, admin, dt.date(2026, 11, 1)).edit_need(int(need["id"]), 1, {"note": "=HYPERLINK(\"x\")"})
    out = tmp_path / "log.csv"
    assert main(["audit", "--out", str(out), "--database", url]) == 2
    assert "--as EMAIL" in capsys.readouterr().err
    assert main(["audit", "--out", str(out), "--database", url, "--as", "politiker@demo.invalid"]) == 2
    assert main(["audit", "--out", str(out), "--database", url, "--as", "admin@demo.invalid"]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("at;actor;action;table;record_id")
    assert "replace" in text and ";edit;needs;" in text
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    assert any("=HYPERLINK" in c for c in cells) and not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_expired_contacts_are_erased_and_logged(tmp_path):
    import datetime as dt

    from services.privacy import erase_expired_contacts
    from services.seed import DEMO_USERS, workspace

    register = Register(f"sqlite:///{tmp_path / 'c.sqlite'}")
    admin = DEMO_USERS[0]
    space = workspace(register, admin, dt.date(2026, 1, 1))
    company = space.add_company({"name": "Kontakt AB", "org_nr": "556036-0793", "sni_code": "43", "municipality_code": "1427",
                                 "size_class": "1-9", "contact_name": "Kim", "contact_role": "VD",
                                 "contact_email": "kim@example.invalid", "contact_until": dt.date(2026, 6, 30)})
    assert erase_expired_contacts(register, dt.date(2026, 6, 30)) == 0  # kept through its date
    assert erase_expired_contacts(register, dt.date(2026, 7, 1)) == 1
    stored = space.record("companies", company["id"])
    assert (stored["contact_name"], stored["contact_email"], stored["contact_until"]) == ("", "", None)
    assert stored["name"] == "Kontakt AB"
    assert space.history("companies", company["id"])["actor"].iloc[-1] == "system (retention)"


def test_import_and_export_from_the_command_line(tmp_path, capsys):
    from pathlib import Path

    corpus = Path(__file__).parents[1] / "data" / "import"
    url = f"sqlite:///{tmp_path / 'i.sqlite'}"
    register = Register(url)
    from core.records.audience import Audience, User
    from services.admin import start_register

    start_register(register, User("admin@region.example", Audience.ADMIN, (), "Admin"))  # a region's own register
    before = register.revision()
    assert main(["import", str(corpus / "org_nr_check_digit.csv"), "--as", "admin@region.example", "--database", url]) == 2
    err = capsys.readouterr().err
    assert "CSV, row 2, column 'Organisationsnummer'" in err and "nothing was stored" in err
    assert main(["import", str(corpus / "zip_bomb.xlsx"), "--as", "admin@region.example", "--database", url]) == 2
    assert "zip bomb" in capsys.readouterr().err
    assert main(["import", str(corpus / "good_sv_utf8.csv"), "--dry-run", "--as", "admin@region.example", "--database", url]) == 0
    assert "3 new, 0 changed" in capsys.readouterr().out and Register(url).revision() == before
    assert main(["import", str(corpus / "good_sv_utf8.csv"), "--as", "admin@region.example", "--database", url]) == 0
    assert "stored" in capsys.readouterr().out and len(Register(url).needs_frame()) == 3
    out = tmp_path / "behov.csv"
    assert main(["export", "--out", str(out), "--as", "admin@region.example", "--database", url]) == 0
    assert main(["import", str(out), "--dry-run", "--as", "admin@region.example", "--database", url]) == 0
    assert "0 new, 0 changed, 3 unchanged" in capsys.readouterr().out
    template = tmp_path / "mall.xlsx"
    assert main(["export", "--template", "--out", str(template)]) == 0
    assert template.read_bytes()[:2] == b"PK"
