"""What a register holds: the seeded example register, or a region's own (meta ``dataset``)."""

from __future__ import annotations

from collections.abc import Mapping

DEMO, REAL = "demo", "real"  # meta "dataset": the seeded example register, or a region's own


def holds_example_data(meta: Mapping[str, str]) -> bool:
    """The demo register, or a register that was the demo until its first write (``example_data``): its generated
    rows are fictional, and every page, file and command that shows them says so."""
    return meta.get("dataset") == DEMO or meta.get("example_data") == "1"
