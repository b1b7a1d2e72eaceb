"""The briefing as an A4 PDF that a screen reader can read: tagged PDF/UA-1, written by WeasyPrint from HTML and CSS.

reportlab, which wrote it before, cannot tag a PDF. WeasyPrint (``pdf_variant="pdf/ua-1"``) gives the document a
structure tree in reading order (a heading ``H1``/``H2`` per section, ``Table`` with ``TH`` column headers, ``L``
lists, a ``Figure`` with alternative text for each chart and the map), its language (``/Lang``) and its title shown
in the viewer's window. No network: the only files it may read are the fonts (Bitstream Vera, shipped inside
reportlab, so the look and the embedded Swedish characters stay as they were); every other address is refused.
Every text is escaped (``html.escape``): a name from data is shown as typed, never read as markup. Charts and the
map are drawn as inline SVG (vectors). All figures come from ``core.briefing.text``, i.e. already protected.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import reportlab

from core.analysis.classes import colour_of, mark_of
from core.briefing import text
from core.briefing.content import Briefing, map_figures, mark_point
from core.common import formatting
from core.common.i18n import t
from core.records.dataset import holds_example_data

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
BLUE, GREY = "#0072B2", "#555555"
MM = 72 / 25.4  # points per millimetre
WIDTH = (210 - 36) * MM  # the text column, in points

CSS = """
@font-face { font-family: Vera; src: url("{font}/Vera.ttf"); }
@font-face { font-family: Vera; font-weight: bold; src: url("{font}/VeraBd.ttf"); }
@page { size: A4; margin: 16mm 18mm; }
body { font-family: Vera; font-size: 9.5pt; line-height: 12.5pt; color: #000; margin: 0; }
h1 { font-size: 20pt; line-height: 24pt; margin: 0; }
h2 { font-size: 13pt; line-height: 16pt; margin: 10pt 0 4pt; break-after: avoid; }
.subtitle { font-size: 11pt; line-height: 13pt; color: #555; margin: 2pt 0 4pt; }
.demo { font-weight: bold; color: #8a1c00; background: #fde9c9; padding: 4pt; margin: 4pt 0 6pt; }
.small { font-size: 7.5pt; line-height: 9.5pt; color: #555; margin: 2pt 0; }
p { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; line-height: 10.5pt; margin: 0 0 2pt; }
th { background: #f2f2f2; text-align: left; font-weight: normal; border-bottom: 0.6pt solid #000; }
th, td { padding: 3pt 6pt 3pt 6pt; vertical-align: top; }
td { border-bottom: 0.25pt solid #ccc; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure { margin: 2pt 0; break-inside: avoid; }
.keep { break-inside: avoid; }
ul { list-style: none; padding: 0; margin: 0; }
li::before { content: "• "; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)  # data never becomes markup


def _table(rows: list[list[str]], header: list[str], widths: list[float]) -> str:
    cols = "".join(f'<col style="width:{w:.1f}mm">' for w in widths)
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _svg(width: float, height: float, alt: str, body: str) -> str:
    """An SVG image whose <title> is its alternative text (the Figure's /Alt in the PDF)."""
    return (f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.1f}pt" height="{height:.1f}pt" '
            f'viewBox="0 0 {width:.1f} {height:.1f}"><title>{_e(alt)}</title>{body}</svg></figure>')


def _bars(items: list[tuple[str, float]], lang: str, title: str) -> str:
    """Horizontal bars, largest first, each with its value at its end (the figures are in the alternative text too)."""
    left, right, row = 150.0, 40.0, 18.0
    height = 8 + row * len(items)
    top = max(v for _, v in items) or 1
    scale = (WIDTH - left - right) / top
    body = []
    for i, (name, value) in enumerate(items):
        y = 4 + i * row
        length = value * scale
        body.append(f'<text x="{left - 4:.1f}" y="{y + 11:.1f}" font-family="Vera" font-size="8" text-anchor="end">{_e(name)}</text>'
                    f'<rect x="{left:.1f}" y="{y + 2:.1f}" width="{length:.1f}" height="{row - 4:.1f}" fill="{BLUE}" stroke="#000" '
                    f'stroke-width="0.4"/><text x="{left + length + 4:.1f}" y="{y + 11:.1f}" font-family="Vera" '
                    f'font-size="7">{_e(formatting.integer(int(value), lang))}</text>')
    body.append(f'<line x1="{left:.1f}" y1="2" x2="{left:.1f}" y2="{height - 2:.1f}" stroke="#000" stroke-width="0.5"/>')
    alt = f"{title}: " + "; ".join(f"{name} {formatting.integer(int(value), lang)}" for name, value in items) + "."
    return _svg(WIDTH, height, alt, "".join(body))


def _map(b: Briefing, names: text.Names, lang: str, outlines: dict[str, list], population: dict[str, int],
         size: float = 70 * MM) -> str:
    """Persons per 1,000 inhabitants per municipality; hidden figures grey; the area outlined; the class's mark on
    each municipality (not by colour alone). Its alternative text names each municipality with its figure and class."""
    xs = [x for rings in outlines.values() for ring in rings for x, _ in ring]
    ys = [y for rings in outlines.values() for ring in rings for _, y in ring]
    scale = size / max(max(xs) - min(xs), max(ys) - min(ys))
    values, cls, classes = map_figures(b, outlines, population)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x - min(xs)) * scale, (max(ys) - y) * scale

    body, marks, described = [], [], []
    for code, rings in outlines.items():
        fill = colour_of(int(cls[code]), classes)
        chosen = code in b.area_codes and len(b.area_codes) == 1
        for ring in rings:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in (at(x, y) for x, y in ring))
            body.append(f'<polygon points="{points}" fill="{fill}" stroke="#000" stroke-width="{1.6 if chosen else 0.4}"/>')
        x, y = at(*mark_point(rings))
        marks.append(f'<circle cx="{x:.1f}" cy="{y - 2.4:.1f}" r="4.2" fill="#fff"/>'
                     f'<text x="{x:.1f}" y="{y:.1f}" font-family="Vera" font-size="7" text-anchor="middle">{_e(mark_of(int(cls[code])))}</text>')
        figure = text.HIDDEN if values[code] != values[code] else formatting.metric("per_1000", values[code], lang)
        described.append(f"{names.municipality.get(code, code)} {figure} ({t(lang, 'chart.class').lower()} {mark_of(int(cls[code]))})")
    alt = f"{t(lang, 'brief.map_title')}: " + "; ".join(described) + "."
    return _svg(size, size, alt, "".join(body + marks))


def html(b: Briefing, names: text.Names, lang: str, meta: dict[str, str], population: dict[str, int],
         outlines: dict[str, list], generated: dt.date) -> str:
    """The brief as an HTML document, in reading order: what WeasyPrint tags."""
    def p(value: str, cls: str = "") -> str:
        return f'<p class="{cls}">{_e(value)}</p>' if cls else f"<p>{_e(value)}</p>"

    def h2(key: str, **values) -> str:
        return f"<h2>{_e(t(lang, key, **values))}</h2>"

    figure_cols = [t(lang, "brief.col_figure"), t(lang, "brief.col_value"), t(lang, "brief.col_meaning")]
    title = text.title(b, lang, names)
    parts = [f"<h1>{_e(title)}</h1>", p(text.subtitle(b, lang, generated), "subtitle")]
    if holds_example_data(meta):
        parts.append(p(t(lang, "brief.demo_banner", seed=meta.get("seed", "?")), "demo"))
    area_population = sum(population.get(c, 0) for c in b.area_codes) or None
    lines = text.headline(b, lang, area_population)
    parts += [h2("brief.headline_title"), _table([[ln.label, ln.value, ln.explanation] for ln in lines], figure_cols, [45, 25, 104]),
              p(t(lang, "brief.figure_source", source=t(lang, "brief.src_register"), date=_date(b)), "small")]
    kinds = text.need_types(b, lang)
    parts += [h2("brief.need_types_title"), _table([[ln.label, ln.value, ln.explanation] for ln in kinds], figure_cols, [45, 25, 104])]
    top = text.top(b, lang, names)
    top_title = t(lang, "brief.top_title", n=len(top))
    parts.append(f"<h2>{_e(top_title)}</h2>")
    parts.append(_bars(top, lang, top_title) if top else p(t(lang, "brief.top_none")))
    if text.hidden_top_note(b, lang):
        parts.append(p(text.hidden_top_note(b, lang), "small"))
    parts.append(p(t(lang, "brief.explain_top"), "small"))
    parts.append(f'<div class="keep">{h2("brief.map_title")}{_map(b, names, lang, outlines, population)}'
                 f'{p(t(lang, "brief.explain_map"), "small")}</div>')
    gaps = text.gaps(b, lang, names)
    parts += [h2("brief.gaps_title"),
              _table(gaps, [t(lang, f"brief.gap_{k}") for k in ("competence", "demand", "seats", "gap", "distance")], [55, 25, 30, 25, 39])
              if gaps else p(t(lang, "brief.gaps_none")), p(t(lang, "brief.explain_gaps"), "small")]
    rows = text.outlook(b, lang, names)
    parts += [h2("brief.outlook_title"),
              _table(rows, [t(lang, f"brief.outlook_{k}") for k in ("competence", "situation", "prognosis")], [60, 55, 59])
              if rows else p(t(lang, "brief.outlook_none")),
              p(t(lang, "brief.explain_outlook", round=b.outlook_round) + " " + text.outlook_source(b, lang), "small")]
    parts += [h2("brief.cohorts_title"), p(t(lang, "brief.cohorts_elsewhere"))]  # no cohort named in public (issue 37)
    parts += [h2("brief.access_title"),
              _table(text.access(b, lang, names), [t(lang, f"brief.access_{k}") for k in ("municipality", "car", "pt", "mean")],
                     [50, 35, 45, 44]),
              p(t(lang, "brief.explain_access"), "small")]
    sources = "".join(f'<li class="small">{_e(line)}</li>' for line in text.sources(b, lang, meta, generated))
    parts += [f'<div style="height:6pt"></div>{h2("brief.sources_title")}<ul>{sources}</ul>']
    css = CSS.replace("{font}", FONT_DIR.as_uri())
    return (f'<!DOCTYPE html><html lang="{_language(lang)}"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="author" content="Kompetenskartan"><style>{css}</style></head><body>{"".join(parts)}</body></html>')


def _language(lang: str) -> str:
    return "sv-SE" if lang == "sv" else "en-GB"


def _fonts_only():
    """WeasyPrint's only way out: the two font files. Any other address (a remote one above all) is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = {(FONT_DIR / name).as_uri(): FONT_DIR / name for name in ("Vera.ttf", "VeraBd.ttf")}

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"the brief reads no file but its fonts: {url[:80]}")
            return URLFetcherResponse(url, allowed[url].read_bytes(), {"Content-Type": "font/ttf"})

    return FontsOnly(allowed_protocols={"file"})


def render(b: Briefing, names: text.Names, lang: str, meta: dict[str, str], population: dict[str, int],
           outlines: dict[str, list], generated: dt.date | None = None) -> bytes:
    from weasyprint import HTML  # imported when a PDF is made: it loads Pango, which a page view never needs

    document = html(b, names, lang, meta, population, outlines, generated or dt.date.today())
    return HTML(string=document, url_fetcher=_fonts_only()).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


def _date(b: Briefing) -> str:
    return b.newest.isoformat() if b.newest else "–"
