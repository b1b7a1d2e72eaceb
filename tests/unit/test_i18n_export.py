"""Catalogues complete in both languages; exports that Swedish Excel reads; formatting."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from core.common import formatting
from core.common.i18n import catalogue, t
from core.common.models import NEED_ENUMS
from core.exchange.export import excel_csv


def test_catalogues_have_the_same_keys():
    assert set(catalogue("sv")) == set(catalogue("en"))


@pytest.mark.parametrize("key", sorted(catalogue("sv")))
def test_placeholders_agree(key):
    fields = re.compile(r"\{(\w+)\}")
    assert set(fields.findall(catalogue("sv")[key])) == set(fields.findall(catalogue("en")[key]))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_enum_value_has_a_label(lang):
    for name, enum in NEED_ENUMS.items():
        for member in enum:
            assert f"{name}.{member.value}" in catalogue(lang)


def test_missing_key_falls_back_to_the_key():
    assert t("en", "no.such.key") == "no.such.key"
    assert t("xx", "nav.overview") == "Översikt"


def test_excel_csv_is_swedish_excel_friendly():
    data = pd.DataFrame({"Kommun": ["Åmål", "Strömstad"], "Andel": [0.5, 0.25], "Anteckning": ["=HYPERLINK(\"x\")", "vanlig"]})
    raw = excel_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    assert text.split("\r\n")[0] == "Kommun;Andel;Anteckning"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Åmål", "0,5", "'=HYPERLINK(\"x\")"]
    assert rows[2] == ["Strömstad", "0,25", "vanlig"]


@pytest.mark.parametrize(
    ("func", "args", "expected"),
    [
        (formatting.integer, (2534, "sv"), "2\u00a0534"),
        (formatting.integer, (2534, "en"), "2,534"),
        (formatting.percent, (0.634, "sv"), "63\u00a0%"),
        (formatting.percent, (0.634, "en"), "63%"),
        (formatting.percent, (None, "sv"), "–"),
    ],
)
def test_formatting(func, args, expected):
    assert func(*args) == expected
