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


def _dockerignored(path: str, rules: list[str]) -> bool:
    """As Docker reads .dockerignore (moby's patternmatcher): a pattern from the context's root, ``*`` within one
    segment, ``**/`` any number of directories (none included); a match on a directory leaves out all below it."""
    import re

    def regex(pattern: str) -> re.Pattern[str]:
        out, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                out, i = out + "(.*/)?", i + 3
            elif pattern.startswith("**", i):
                out, i = out + ".*", i + 2
            elif pattern[i] == "*":
                out, i = out + "[^/]*", i + 1
            elif pattern[i] == "?":
                out, i = out + "[^/]", i + 1
            else:
                out, i = out + re.escape(pattern[i]), i + 1
        return re.compile(out + r"\Z")

    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(regex(rule.strip("/")).match(prefix) for rule in rules for prefix in prefixes)


LEFT_OUT = ["var/kompetenskartan.sqlite", "backups/kk-2026-12-01.dump", ".streamlit/secrets.toml", "deploy/secrets.toml",
            "nightly.backup", "old/kk.sqlite", "deploy/nightly/kk.dump", "kk.sqlite-wal",
            "static/open-data/kompetenskartan-senaste.csv", "static/geo/municipalities-0123.json",
            "services/__pycache__/seed.cpython-311.pyc", "components/maps/__pycache__/needs.cpython-311.pyc", "__pycache__/x.pyc",
            ".git/HEAD", ".venv/bin/python", "artifacts/report.html", "tests/.pytest_cache/v/x"]
KEPT = ["app.py", "static/icon.png", "services/register/backup.py", "core/common/locales/sv.toml", "deploy/nginx.conf",
        "data/reference/municipalities.csv"]


def test_the_image_leaves_out_registers_backups_secrets_and_generated_figures_at_any_depth():
    """Issue 36: patterns that matched only at the root missed static/open-data/ (a checkout that ran ``make run``
    baked demo figures into the image) and nested caches."""
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert [p for p in LEFT_OUT if not _dockerignored(p, rules)] == []
    assert [p for p in KEPT if _dockerignored(p, rules)] == []


def test_tables_offer_no_built_in_csv_download_that_would_keep_a_typed_formula():
    """Streamlit's own "Download as CSV" of a table writes a typed cell (=HYPERLINK(...)) as it is: a formula Excel runs
    (red team). The app's config turns it off; the pages' own exports neutralise formulas."""
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
