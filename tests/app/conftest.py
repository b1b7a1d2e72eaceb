from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(demo_url, monkeypatch) -> AppTest:
    """The real app.py on the session's seeded demo register."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return AppTest.from_file(APP, default_timeout=120)
