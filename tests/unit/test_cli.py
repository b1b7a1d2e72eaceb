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
