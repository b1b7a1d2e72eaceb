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


def decimal(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", NBSP).replace(".", ",") if lang == "sv" else text


def signed_percent(share: float | None, lang: str) -> str:
    """A change as a signed percentage: "+12 %", "−5 %" (with a true minus sign)."""
    if share is None or share != share:
        return "–"
    value = round(share * 100)
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return f"{sign}{abs(value)}{NBSP}%" if lang == "sv" else f"{sign}{abs(value)}%"


def metric(name: str, value: float, lang: str) -> str:
    """A needs-map measure as its readers expect it: counts whole, shares and changes in per cent."""
    if name in ("persons", "companies"):
        return integer(int(round(value)), lang)
    if name == "upskilling_share":
        return percent(value, lang)
    if name == "change":
        return signed_percent(value, lang)
    return decimal(value, lang)


def quarters_text(year: int, quarters: tuple[int, ...], lang: str) -> str:
    """``(1, 2, 3)``, 2026 → "kv. 1–3 2026" / "Q1–Q3 2026"; all four → "hela 2026" / "all of 2026"."""
    if tuple(quarters) == (1, 2, 3, 4):
        return f"hela {year}" if lang == "sv" else f"all of {year}"
    q = list(quarters)
    if q == list(range(q[0], q[-1] + 1)) and len(q) > 1:
        span = f"{q[0]}–{q[-1]}" if lang == "sv" else f"Q{q[0]}–Q{q[-1]}"
    else:
        span = ", ".join(str(x) if lang == "sv" else f"Q{x}" for x in q)
    return f"kv. {span} {year}" if lang == "sv" else f"{span} {year}"
