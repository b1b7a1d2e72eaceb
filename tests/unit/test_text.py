"""core.common.text: what may be typed, and how typed text is shown where markdown is rendered."""

from __future__ import annotations

import pytest

from core.common.text import WORD_JOINER, has_unsafe, literal, visible

J = WORD_JOINER


@pytest.mark.parametrize(("typed", "sent"), [
    ("Varv AB", "Varv AB"),
    ("556036-0794", "556036-0794"),  # mid-line hyphens and dots are text already
    ("![x](http://198.51.100.7/p.png)", f"\\!\\[x\\]\\(http{J}\\://198.51.100.7/p.png\\)"),
    ("<img src=x>", "\\<img src=x\\>"),
    ("**fet** _kursiv_ `kod` ~~bort~~", "\\*\\*fet\\*\\* \\_kursiv\\_ \\`kod\\` \\~\\~bort\\~\\~"),
    (":red[röd] :material/home:", "\\:red\\[röd\\] \\:material/home\\:"),
    ("$x^2$", "\\$x^2\\$"),
    ("# rubrik", "\\# rubrik"),
    ("- punkt\n1. ett\n  2) två", "\\- punkt  \n1\\. ett  \n  2\\) två"),
    ("www.example.se", f"www{J}.example.se"),
    ("anna.berg@demo.invalid", f"anna.berg{J}@demo.invalid"),  # an e-mail stays text (a link was faint in a caption)
    ("@ett och två @ tre", "@ett och två @ tre"),
    ("HTTPS://x.se", f"HTTPS{J}\\://x.se"),
    ("a \u202eb", "a ⟨U+202E⟩b"),
    ("a\\b", "a\\\\b"),
])
def test_literal_escapes_what_markdown_would_act_on(typed, sent):
    assert literal(typed) == sent


@pytest.mark.parametrize(("typed", "shown"), [("Bidi \u202eBA", "Bidi ⟨U+202E⟩BA"), ("noll\u200bbredd", "noll⟨U+200B⟩bredd"),
                                             ("![x](y) <b>", "![x](y) <b>")])
def test_visible_names_hidden_characters_and_leaves_the_rest(typed, shown):
    assert visible(typed) == shown


def test_what_literal_adds_is_never_refused_as_input_by_accident():
    assert not has_unsafe("Åmål, Dals-Ed & Co. ![x](y)") and has_unsafe("x\u2066y")
