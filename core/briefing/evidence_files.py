"""The evidence for the next programme as files a provider attaches to an application to MYH: a tagged PDF (WeasyPrint,
as the brief: ``core.briefing.pdf``) and an Excel workbook (openpyxl), made from one ``Evidence``.

Every text is data, never markup or a formula: the PDF escapes each (``html.escape``), the workbook stores each as a
string cell (a title starting with "=" stays that text, it is not evaluated). The example-data label stands at the
top of the PDF and of every sheet whenever the register is the demo's.
"""

from __future__ import annotations

import io
from html import escape

from core.briefing import pdf as brief_pdf
from core.briefing.evidence import Evidence, Section
from core.common.i18n import t
from core.common.text import visible

CSS_EXTRA = """
@page { size: A4 landscape; margin: 14mm 14mm; }
table { font-size: 7.5pt; line-height: 9.5pt; }
.facts td, .facts th { border-bottom: 0.25pt solid #ccc; }
"""


def _e(value: object) -> str:
    return escape(visible(value), quote=True)  # data never becomes markup; a control character shows as its code


def _table(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(section: Section) -> str:
    notes = "".join(f'<p class="small">{_e(n)}</p>' for n in section.notes)
    table = _table(section.header, section.rows) if section.rows else ""
    return f"<h2>{_e(section.title)}</h2>{table}{notes}"


def html(evidence: Evidence) -> str:
    """The evidence as an HTML document, in reading order: what WeasyPrint tags."""
    lang = evidence.lang
    facts = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in evidence.facts)
    # the exact version is an internal working paper (figures from single companies): never the MYH subtitle, its
    # warning instead, and its mark on every page (a running header) and every sheet
    subtitle = t(lang, "evidence.exact_warning") if evidence.internal else t(lang, "evidence.subtitle")
    parts = [f"<h1>{_e(evidence.title)}</h1>", f'<p class="subtitle">{_e(subtitle)}</p>']
    if evidence.demo:
        parts.append(f'<p class="demo">{_e(evidence.demo)}</p>')
    parts.append(f'<table class="facts"><tbody>{facts}</tbody></table>')
    parts += [_section(s) for s in evidence.sections]
    sources = "".join(f'<li class="small">{_e(line)}</li>' for line in evidence.sources)
    parts.append(f'<h2>{_e(t(lang, "evidence.sources_title"))}</h2><ul>{sources}</ul>')
    css = brief_pdf.CSS.replace("{font}", brief_pdf.FONT_DIR.as_uri()) + CSS_EXTRA
    if evidence.internal:
        mark = evidence.internal.replace("\\", "\\\\").replace('"', '\\"')
        css += f'@page {{ @top-center {{ content: "{mark}"; color: #8a1c00; font-weight: bold; font-size: 9pt; }} }}'

    language = "sv-SE" if lang == "sv" else "en-GB"
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>{_e(evidence.title)}</title>'
            f'<meta name="author" content="Kompetenskartan"><style>{css}</style></head><body>{"".join(parts)}</body></html>')


def to_pdf(evidence: Evidence) -> bytes:
    """A tagged PDF (PDF/UA-1) that reads nothing but its two fonts."""
    from weasyprint import HTML  # loads Pango: only when a PDF is made

    document = HTML(string=html(evidence), url_fetcher=brief_pdf._fonts_only())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


def _sheet_rows(evidence: Evidence, section: Section | None) -> list[tuple[str, ...]]:
    lead: list[tuple[str, ...]] = [(evidence.internal,)] if evidence.internal else []
    lead.append((evidence.title,))
    if evidence.demo:
        lead.append((evidence.demo,))
    lead.append(())
    if section is None:
        return lead + list(evidence.facts) + [(), (t(evidence.lang, "evidence.sources_title"),)] + [(s,) for s in evidence.sources]
    return lead + [(section.title,), section.header, *section.rows, ()] + [(n,) for n in section.notes]


def to_xlsx(evidence: Evidence) -> bytes:
    """A workbook: the choice, the version and the sources first, then one sheet per section, each with its rows'
    sources and dates; every cell a string as shown in the PDF."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    sheets = [(t(evidence.lang, "evidence.sheet_about"), None)] + [(t(evidence.lang, f"evidence.sheet_{s.key}"), s) for s in evidence.sections]
    for name, section in sheets:
        sheet = book.create_sheet(_sheet_name(name))
        for row in _sheet_rows(evidence, section):
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                cell.value = visible(value)  # a control character as its code (openpyxl refuses C0 characters)
                cell.data_type = "s"  # as typed: never a formula, whatever it starts with
        first = 1 + bool(evidence.internal)
        if evidence.internal:
            sheet["A1"].font = Font(bold=True, size=13, color="8A1C00")
        sheet[f"A{first}"].font = Font(bold=True, size=13)
        if evidence.demo:
            sheet[f"A{first + 1}"].font = Font(bold=True, color="8A1C00")
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in column[3:]), default=10)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
