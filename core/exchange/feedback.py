"""Feedback to a company: a printable summary of the needs a broker collected and where each one is
in the pipeline. Pure HTML with every value escaped (names and notes are free text)."""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

STYLE = ("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}"
         "th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}"
         "@media print{body{margin:0}}")


def summary_html(company: dict, needs: pd.DataFrame, texts: dict[str, str], labels, broker: str, today: dt.date) -> str:
    """``texts``: the page's headings in the reader's language; ``labels(column, value)`` a value's label."""
    columns = ["competence", "need_type", "persons", "horizon", "status", "match", "follow_up_on"]
    head = "".join(f"<th>{escape(texts[c])}</th>" for c in columns)
    rows = []
    for need in needs.to_dict("records"):
        cells = [labels(c, need.get(c)) for c in columns]
        rows.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in cells) + "</tr>")
    body = "".join(rows) or f'<tr><td colspan="{len(columns)}">{escape(texts["none"])}</td></tr>'
    org = f" ({escape(company['org_nr'])})" if company.get("org_nr") else ""
    return (f'<!doctype html><html lang="{escape(texts["lang"])}"><head><meta charset="utf-8">'
            f"<title>{escape(texts['title'])}: {escape(company['name'])}</title><style>{STYLE}</style></head><body>"
            f"<h1>{escape(texts['title'])}</h1><p><strong>{escape(company['name'])}</strong>{org}<br>"
            f"{escape(texts['date'])}: {today.isoformat()}<br>{escape(texts['broker'])}: {escape(broker)}</p>"
            f"<p>{escape(texts['intro'])}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p><small>{escape(texts['footer'])}</small></p></body></html>")
