"""What the production image and the repository keep out: a region's register, its backups and secrets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET_PATHS = ["var/kompetenskartan.sqlite", "backups/kk-2026-12-01.dump", "deploy/secrets.toml", ".streamlit/secrets.toml",
                "nightly.backup"]


@pytest.mark.parametrize("path", SECRET_PATHS)
def test_git_ignores_registers_backups_and_secrets(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT)
    assert done.returncode == 0, f"{path} is not ignored by git"


def test_the_image_leaves_out_registers_backups_and_secrets():
    rules = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert {"var/", "backups/", ".streamlit/secrets.toml", "deploy/secrets.toml", "*.sqlite"} <= rules
