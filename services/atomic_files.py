"""Files written whole or not at all: each under a temporary name of its own in the same folder, then renamed.

A reader (a browser at the open-data address, a harvester of the data portal) never sees half a file, and two
writers at once (two sessions, two servers sharing a folder, the command line beside the app) never share a
temporary name: one named after the file only (``X.part`` for both ``X.csv`` and ``X.json``) let one writer rename
the other's bytes into place (the JSON served at the CSV's address).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` atomically (``os.replace`` of a unique temporary file in the same folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # as a file written plainly would be (mkstemp makes it private): a web server reads it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
