"""Where the register lives: ``DATABASE_URL`` if set, else an SQLite file in ``var/``.

``KOMPETENSKARTAN_DB`` changes only the SQLite file's path. The other settings read here (each documented where it
is read) are the map's tiles, the demo sign-in, the open-data publisher and the limits for reading a file.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # core/common/config.py -> the project
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "kompetenskartan.sqlite"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    path = Path(os.environ.get("KOMPETENSKARTAN_DB", DEFAULT_SQLITE_PATH))
    return f"sqlite:///{path}"


def default_demo_url() -> str:
    """The one register seeded with the demo on first use: ``make run``'s default SQLite file."""
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def basemap_url() -> str | None:
    """An optional tile URL for maps; None keeps every map free of outside requests."""
    return os.environ.get("KOMPETENSKARTAN_TILES") or None


def demo_login_enabled() -> bool:
    """The local demo sign-in (choose a demo user without an identity provider): only when
    ``KOMPETENSKARTAN_DEMO_LOGIN=1`` is set where the server starts; never from a URL."""
    return os.environ.get("KOMPETENSKARTAN_DEMO_LOGIN", "").strip() == "1"


FILE_MEMORY_MB = 1024  # a file from outside is read in a worker process with at most this much memory ...
FILE_SECONDS = 60  # ... and this much time (wall clock): the largest file allowed, 200,000 rows, took 23 s on a busy 2-core machine


def file_limits() -> tuple[int, float]:
    """The memory (MB) and time (seconds) a worker process has to read one file from outside (``services.reading``):
    ``KOMPETENSKARTAN_FILE_MEMORY_MB`` (default 1024, at least 256) and ``KOMPETENSKARTAN_FILE_SECONDS`` (default 60).
    A value that is not a number, or below the least, is ignored: the default holds."""
    def setting(name: str, default: float, least: float) -> float:
        try:
            value = float(os.environ.get(name, "").strip())
        except ValueError:
            return default
        return value if value >= least and value == value and value != float("inf") else default

    return int(setting("KOMPETENSKARTAN_FILE_MEMORY_MB", FILE_MEMORY_MB, 256)), setting("KOMPETENSKARTAN_FILE_SECONDS", FILE_SECONDS, 1)


CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


def open_data_settings() -> dict[str, str]:
    """Who publishes the open-data files and under which licence: chosen by the region where the server starts
    (``KOMPETENSKARTAN_PUBLISHER``, ``_PUBLISHER_URL``, ``_CONTACT``, ``_LICENCE``: a licence URL, CC0 1.0 unless set;
    ``_PUBLIC_URL``: the app's address, for download links that work outside it)."""
    env = os.environ.get
    return {
        "title": "Kompetensbehov i Fyrbodal (Kompetenskartan)",
        "title_en": "Competence needs in Fyrbodal (Kompetenskartan)",
        "publisher": env("KOMPETENSKARTAN_PUBLISHER", "").strip() or "Fyrbodals kommunalförbund",
        "publisher_url": env("KOMPETENSKARTAN_PUBLISHER_URL", "").strip(),
        "contact": env("KOMPETENSKARTAN_CONTACT", "").strip(),
        "licence": env("KOMPETENSKARTAN_LICENCE", "").strip() or CC0,
        "public_url": env("KOMPETENSKARTAN_PUBLIC_URL", "").strip().rstrip("/"),
    }
