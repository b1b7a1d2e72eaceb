"""What a person may type into a name or a note, and how far back a date may go.

Control characters that change how text is shown rather than what it says are refused where text comes in
(the import, the workspace's forms): the bidirectional overrides and isolates (a name that reads backwards
on screen, U+202A-U+202E, U+2066-U+2069), zero-width characters (two names that look the same, U+200B-U+200F,
U+2060-U+2064, U+FEFF) and the C0/C1 control codes other than tab and line breaks.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

EARLIEST = dt.date(2000, 1, 1)  # no need, visit, follow-up or course of this register is dated before it


def unsafe_characters(text: str) -> list[str]:
    """The control characters in ``text``, each named as U+XXXX and its Unicode name (none: [])."""
    found = dict.fromkeys(_UNSAFE.findall(text))
    return [f"U+{ord(ch):04X} {unicodedata.name(ch, 'CONTROL')}" for ch in found]


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None
