from __future__ import annotations

import pytest

from core.store import Register
from data.seed import load_demo


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """An SQLite register seeded with the Fyrbodal demo register, shared by the session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'demo.sqlite'}"
    load_demo(Register(url))
    return url
