from __future__ import annotations

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
    assert main(["cohorts", "--out", str(out), "--database", url, "--max-car-minutes", "50", "--min-size", "6"]) == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["example_data"] is True and body["settings"]["car_minutes"] == 50
    assert body["proposals"], "the demo register has cross-municipal cohorts"
    for proposal in body["proposals"]:
        assert proposal["min_size"] == 6 <= proposal["total_persons"] <= proposal["max_size"]
        assert len({m["municipality_code"] for m in proposal["members"]}) >= 2
        assert {"municipality_code", "persons", "minutes_to_host"} <= set(proposal["members"][0])
    assert all(n["reason"] and n["explanation"] for n in body["non_viable"])
    assert "cohorts" in capsys.readouterr().out
