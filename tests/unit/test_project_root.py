"""Files the app writes and serves are found from the project's root, wherever the module that names them lives
(after core/ was split into subpackages, a root found one level too shallow put Leaflet and the open-data files
in core/static, where Streamlit serves nothing)."""

from __future__ import annotations

from pathlib import Path

from components.maps import offline
from core.common.config import DEFAULT_SQLITE_PATH, PROJECT_ROOT

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_root_is_the_folder_of_app_py():
    assert PROJECT_ROOT == ROOT and (PROJECT_ROOT / "app.py").is_file()


def test_static_files_and_the_default_register_live_under_the_root():
    assert offline.STATIC_DIR == ROOT / "static"  # what Streamlit serves under /app/static
    assert DEFAULT_SQLITE_PATH == ROOT / "var" / "kompetenskartan.sqlite"
