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


WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=\\?[:.])")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=[\w-])")  # GitHub-flavoured markdown links a bare name@domain
_MARKDOWN = set("\\`*_{}[]()!|<>~$:")  # acted on anywhere in a line
_LINE_START = re.compile(r"^(\s*)([#+\-=])|^(\s*\d+)([.)])")  # a heading, a list item, a setext underline; "1." or "1)"
INVISIBLE_PATTERN = "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_INVISIBLE = re.compile(INVISIBLE_PATTERN)


def literal(text: object) -> str:
    """What a user typed, for a place that renders markdown (Streamlit's markdown, captions, messages, labels):
    every character markdown or HTML would act on is escaped, so ``![x](http://…)`` shows as those characters and
    loads nothing; control characters that would reorder or hide text are shown as their code (``⟨U+202E⟩``)."""
    shown = _INVISIBLE.sub(lambda m: f"⟨U+{ord(m[0]):04X}⟩", str(text))
    lines = ["".join("\\" + ch if ch in _MARKDOWN else ch for ch in line) for line in shown.split("\n")]
    escaped = "  \n".join(_LINE_START.sub(_escape_marker, line) for line in lines)
    # GitHub-flavoured markdown turns a bare http://…, www.… or name@domain into a link after escapes are undone: a
    # word joiner (invisible, U+2060) after the scheme or "www", or before the "@", keeps it text
    return _EMAIL_AT.sub(WORD_JOINER + "@", _AUTOLINK.sub(lambda m: m[1] + WORD_JOINER, escaped))


def _escape_marker(match: re.Match) -> str:
    before, marker = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
    return before + "\\" + marker


def visible(text: object) -> str:
    """What a user typed, for a place that shows plain text (a table cell, a PDF, a file): only control characters
    that would reorder or hide text are shown as their code."""
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m[0]):04X}⟩", str(text))
