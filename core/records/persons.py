"""Finding one person in text: their whole name or e-mail address, with Unicode case folding, at word boundaries.

The register's erasure and retention (``services.privacy``) ask this module, never SQL: SQLite's ``lower()`` and
``LIKE`` fold ASCII only, PostgreSQL's depend on the database's locale, so both would miss "Åsa Öberg" written
"ÅSA ÖBERG". Here both sides are NFC-normalised, typographic variants written as ASCII (’ as ', the hyphens and
dashes U+2010-U+2014 as -, soft hyphens and zero-width spaces dropped, Turkish ı/İ as i) and folded with
``str.casefold`` (Å, Ä, Ö, É, ß … included), and a term matches only as a whole: "Per" is found in "Träffade Per i
dag", never in "expert", "upper_secondary", "Superbygg AB", "Per-Olof" or "per@foretag.se"; an e-mail address never
inside a longer address, but before a file's extension ("….csv"). A name ends before punctuation or a run-on
sentence ("Åsa Öberg.Hon"); a name of two words or more may follow "-" or "_" ("Besök-Åsa Öberg.csv") and also
matches in the Swedish genitive ("Åsa Öbergs", "Åsa Öberg:s"). Whitespace inside a name matches any whitespace.

A term of one word, or shorter than ``SHORT`` characters, is **weak**: it may well be someone else's word, so an
erasure by it needs the admin's confirmation after a listing of what would change, and retention never looks for
it in free text (it still clears the contact fields that held it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SHORT = 6  # a name shorter than this (after trimming) is weak even if it has two words ("Li Ek", "Bo Ek")


# typographic variants written as their ASCII form before matching (Word and phones write them for you): apostrophes,
# hyphens and dashes between a name's parts; a soft hyphen or a zero-width space is dropped; the Turkish dotless ı is i
_VARIANTS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                           "\u2013": "-", "\u2014": "-", "\u00ad": None, "\u200b": None, "\u0131": "i"})


def _fold_char(ch: str) -> str:
    # casefold "İ" is "i" + a combining dot: drop the dot, so İlker is ilker
    return ch.translate(_VARIANTS).casefold().replace("\u0307", "")


def fold(text: str) -> str:
    """The form two strings are compared in: NFC, typographic variants as ASCII, then Unicode case folding."""
    return "".join(_fold_char(ch) for ch in unicodedata.normalize("NFC", text))


def is_email(term: str) -> bool:
    return "@" in term and not any(ch.isspace() for ch in term.strip())


def is_weak(term: str) -> bool:
    """A one-word name or a short term: found in other people's text too easily to be replaced unseen."""
    term = " ".join(term.split())
    if is_email(term):
        return False
    return len(term) < SHORT or len(term.split(" ")) < 2


# a file's extension after a term ("Besök Åsa Öberg.xlsx", "asa@varvet.example.csv"): the term ends there
_EXTENSION = r"\.(?:csv|tsv|txt|xlsx|xlsm|xls|ods|docx|doc|odt|pdf|json|zip)(?![\w.-])"


def _term_pattern(term: str) -> str:
    words = fold(term).split()
    body = r"\s+".join(re.escape(w) for w in words)
    if is_email(term):  # never inside a longer address ("x.kim@…", "kim@foretag.se.example"), but before ".csv"
        return rf"(?<![\w.+@-]){body}(?![\w@-]|(?!{_EXTENSION})\.\w)"
    # the genitive ("Åsa Öbergs", "Pers bil"): a one-word term is weak, so what it would change is shown first
    genitive = r"(?:s|'s|:s|')?" if len(words) > 1 else r"(?:s|'s|:s)?"
    # a name ends before a space, punctuation, a file's extension or a sentence run on ("Åsa Öberg.Hon"), "_2026";
    # never before a letter or digit, "-" or "_" and a letter ("Per-Olof", "Örjan Ågren-Lind") or "@"/".x@" (an
    # e-mail address's local part: "per@…", "per.olsson@…")
    after = r"(?![^\W_]|[-_][^\W\d_]|@|\.[\w.+-]*@)"
    if len(words) > 1:  # a whole name may follow "-" or "_" ("Besök-Åsa Öberg.csv", "besok_Åsa Öberg")
        return rf"(?<![^\W_])(?<![@.]){body}{genitive}{after}"
    # one word: not inside a hyphenated name or an address either ("Per" in "Lars-Per", "kim.per@…")
    return rf"(?<![\w@-])(?<!\w\.){body}{genitive}{after}"


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` case-folded, and for each folded character the index of the original character it came from
    (folding may lengthen a character: ß -> ss)."""
    parts, where = [], []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        where.extend([i] * len(folded))
    return "".join(parts), where


_PARTS = str.maketrans("-_", "  ")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one, in order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


@dataclass(frozen=True)
class Person:
    """The terms that identify one person (their name(s) and e-mail address(es)), and how to find them."""

    terms: tuple[str, ...]
    _pattern: re.Pattern | None = field(init=False, repr=False, compare=False)
    _folded: frozenset[str] = field(init=False, repr=False, compare=False)
    _words: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms = tuple(sorted({" ".join(t.split()) for t in self.terms if t and t.strip()}, key=lambda t: (-len(t), t)))
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "_folded", frozenset(fold(t) for t in terms))
        # a cheap first test: the longest word of each term, folded (a word is never split by JSON escaping)
        object.__setattr__(self, "_words", tuple(max(fold(t).split(), key=len) for t in terms))
        pattern = re.compile("|".join(_term_pattern(t) for t in terms)) if terms else None
        object.__setattr__(self, "_pattern", pattern)

    @property
    def weak(self) -> tuple[str, ...]:
        return tuple(t for t in self.terms if is_weak(t))

    @property
    def strong(self) -> Person:
        """The same person by their terms that are not weak only."""
        return Person(tuple(t for t in self.terms if not is_weak(t)))

    def is_value(self, value: object) -> bool:
        """A whole field's value is one of the terms (a contact name or e-mail as stored)."""
        return isinstance(value, str) and bool(value.strip()) and fold(" ".join(value.split())) in self._folded

    def may_mention(self, text: str) -> bool:
        """A quick test that may say yes wrongly but never no wrongly (for raw JSON of many log rows)."""
        if not text or self._pattern is None:
            return False
        folded = fold(text)
        return any(w in folded for w in self._words)

    def spans(self, text: str, file_name: bool = False) -> list[tuple[int, int]]:
        """Where in ``unicodedata.normalize("NFC", text)`` the person is named. In a ``file_name`` "-" and "_" also
        part words ("behov-asa.oberg@varvet.example.csv", where an address could otherwise be a longer one)."""
        if not text or self._pattern is None or not self.may_mention(text):
            return []
        normal = unicodedata.normalize("NFC", text)
        found = self._spans(normal)
        if file_name:  # the same length: the spans are the original's
            found = _merge(found + self._spans(normal.translate(_PARTS)))
        return found

    def _spans(self, normal: str) -> list[tuple[int, int]]:
        assert self._pattern is not None
        folded, where = _folded_with_positions(normal)
        return [(where[m.start()], where[m.end() - 1] + 1) for m in self._pattern.finditer(folded)]

    def mentions(self, text: object, file_name: bool = False) -> bool:
        return isinstance(text, str) and bool(self.spans(text, file_name))

    def replace(self, text: str, marker: str, file_name: bool = False, keep: Person | None = None) -> str:
        """``text`` with each mention replaced by ``marker``; the very same string if it names no one. ``keep``: other
        people whose names contain this one's ("Anna Maria Karlsson" for "Maria Karlsson"): a mention inside one of
        theirs is theirs, and stays."""
        spans = self.spans(text, file_name)
        if spans and keep is not None and keep.terms:
            theirs = keep.spans(text, file_name)
            spans = [(a, b) for a, b in spans if not any(a < d and c < b for c, d in theirs)]
        if not spans:
            return text
        normal = unicodedata.normalize("NFC", text)
        out, last = [], 0
        for start, end in spans:
            out += [normal[last:start], marker]
            last = end
        return "".join(out) + normal[last:]
