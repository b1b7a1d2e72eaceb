"""A throw-away PostgreSQL server for the tests: ``initdb`` in a temporary folder, ``pg_ctl`` on a free
loopback port, stopped at the end. Debian's ``postgresql`` package provides the binaries; as root
(CI) the server runs as the ``postgres`` user, which PostgreSQL requires.

Where PostgreSQL is missing the tests that need it are skipped with that reason, except under CI
(``CI=true``), where a missing server is an error: CI never skips them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], as_postgres: bool) -> None:
    command = ["runuser", "-u", "postgres", "--", *args] if as_postgres else args
    subprocess.run(command, check=True, capture_output=True, text=True)


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(reason)


class Server:
    """``folder`` must be reachable by the ``postgres`` user when running as root (pytest's own
    temporary folders are private to root, so ``start`` makes one with ``tempfile``)."""

    def __init__(self, folder: Path):
        bin_dir = binaries()
        if bin_dir is None:
            unavailable("PostgreSQL is not installed (apt-get install postgresql)")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            unavailable("psycopg is not installed (the test extra)")
        self.bin, self.data, self.port = bin_dir, folder / "pgdata", _free_port()
        self.as_postgres = os.geteuid() == 0
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(folder, "postgres", "postgres")
        _run([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "kk", "-E", "UTF8", "--no-sync"],
             self.as_postgres)
        options = f"-k {folder} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l", str(folder / "log"), "start"],
             self.as_postgres)
        self.databases = 0

    def database(self, template: str | None = None) -> str:
        """A fresh, empty database on the server (``template``: a copy of that database, which nobody may be connected
        to); its SQLAlchemy URL."""
        import psycopg

        self.databases += 1
        name = f"kk{self.databases}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=kk dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return f"postgresql+psycopg://kk@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        # immediate: a throw-away server needs no shutdown checkpoint ("fast" waited up to 18 s for it at the end of a
        # worker's session, on a busy machine)
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"], self.as_postgres)
        shutil.rmtree(self.data.parent, ignore_errors=True)


def start() -> Server:
    return Server(Path(tempfile.mkdtemp(prefix="kompetenskartan-postgres-")))
