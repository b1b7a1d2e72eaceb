from __future__ import annotations

import shutil

import pytest

from cli import main
from core.store import Register


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
