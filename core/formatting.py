"""Numbers and dates as a Swedish or English reader expects them."""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"


def integer(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", NBSP) if lang == "sv" else text


def percent(share: float | None, lang: str) -> str:
    if share is None:
        return "–"
    value = round(share * 100)
    return f"{value}{NBSP}%" if lang == "sv" else f"{value}%"


def date(value: dt.date | None) -> str:
    return value.isoformat() if value else "–"
