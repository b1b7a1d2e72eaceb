"""The briefing as an A4 PDF (reportlab): no network, no browser, fonts embedded.

Text is set in Bitstream Vera, which ships inside reportlab, so Swedish characters are embedded
and extract intact. Charts and the map thumbnail are drawn as vectors with reportlab's own
graphics. All figures come from ``core.briefing.text``, i.e. already protected.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.analysis.classes import colour_of, mark_of
from core.briefing import text
from core.briefing.content import Briefing, map_figures, mark_point
from core.common.i18n import t

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
BLUE, ORANGE, GREY = colors.HexColor("#0072B2"), colors.HexColor("#E69F00"), colors.HexColor("#555555")
WIDTH = A4[0] - 36 * mm


def _fonts() -> None:
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(FONT_DIR / "VeraBd.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Vera", fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", base, fontName="VeraBd", fontSize=20, leading=24),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, textColor=GREY, spaceAfter=4),
        "h2": ParagraphStyle("h2", base, fontName="VeraBd", fontSize=13, leading=16, spaceBefore=10, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=GREY),
        "demo": ParagraphStyle("demo", base, fontName="VeraBd", textColor=colors.HexColor("#8a1c00"),
                               backColor=colors.HexColor("#fde9c9"), borderPadding=4, spaceAfter=6),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
    }


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)  # data never becomes markup


def _table(rows: list[list[str]], header: list[str], widths: list[float], styles) -> Table:
    data = [[_p(h, styles["cell"]) for h in header]] + [[_p(v, styles["cell"]) for v in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), "Vera"), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
    ]))
    return table


def _bars(items: list[tuple[str, float]], colour, width: float = WIDTH, unit: str = "") -> Drawing:
    height = 22 + 18 * len(items)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 10, width - 190, height - 20
    chart.data = [[v for _, v in items][::-1]]
    chart.categoryAxis.categoryNames = [name for name, _ in items][::-1]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "Vera"
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colour
    chart.barLabelFormat = "%d" + unit
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.nudge = "Vera", 7, 8
    drawing.add(chart)
    return drawing


def _map(b: Briefing, outlines: dict[str, list], population: dict[str, int], area: tuple[str, ...], size: float = 70 * mm) -> Drawing:
    """Persons per 1,000 inhabitants per municipality; hidden figures grey; the area outlined."""
    xs = [x for rings in outlines.values() for ring in rings for x, _ in ring]
    ys = [y for rings in outlines.values() for ring in rings for _, y in ring]
    scale = size / max(max(xs) - min(xs), max(ys) - min(ys))
    _values, cls, classes = map_figures(b, outlines, population)
    drawing = Drawing(size, size)
    for code, rings in outlines.items():
        fill = colors.HexColor(colour_of(int(cls[code]), classes))
        chosen = code in area and len(area) == 1
        for ring in rings:
            points = [v for x, y in ring for v in ((x - min(xs)) * scale, (y - min(ys)) * scale)]
            drawing.add(Polygon(points, fillColor=fill, strokeColor=colors.black, strokeWidth=1.6 if chosen else 0.4))
    for code, rings in outlines.items():  # the class's mark on each municipality: not by colour alone
        x, y = mark_point(rings)
        x, y = (x - min(xs)) * scale, (y - min(ys)) * scale
        drawing.add(Circle(x, y + 2.4, 4.2, fillColor=colors.white, strokeColor=None))
        drawing.add(String(x, y, mark_of(int(cls[code])), fontName="Vera", fontSize=7, textAnchor="middle"))
    return drawing


def render(b: Briefing, names: text.Names, lang: str, meta: dict[str, str], population: dict[str, int],
           outlines: dict[str, list], generated: dt.date | None = None) -> bytes:
    _fonts()
    styles = _styles()
    generated = generated or dt.date.today()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                            title=text.title(b, lang, names), author="Kompetenskartan", lang="sv-SE" if lang == "sv" else "en-GB")
    story = [_p(text.title(b, lang, names), styles["title"]), _p(text.subtitle(b, lang, generated), styles["subtitle"])]
    if meta.get("dataset") == "demo":
        story.append(_p(t(lang, "brief.demo_banner", seed=meta.get("seed", "?")), styles["demo"]))
    area_population = sum(population.get(c, 0) for c in b.area_codes) or None
    lines = text.headline(b, lang, area_population)
    story += [_p(t(lang, "brief.headline_title"), styles["h2"]),
              _table([[ln.label, ln.value, ln.explanation] for ln in lines], [t(lang, "brief.col_figure"), t(lang, "brief.col_value"),
                     t(lang, "brief.col_meaning")], [45 * mm, 25 * mm, WIDTH - 70 * mm], styles),
              _p(t(lang, "brief.figure_source", source=t(lang, "brief.src_register"), date=_date(b)), styles["small"])]
    kinds = text.need_types(b, lang)
    story += [_p(t(lang, "brief.need_types_title"), styles["h2"]),
              _table([[ln.label, ln.value, ln.explanation] for ln in kinds], [t(lang, "brief.col_figure"), t(lang, "brief.col_value"),
                     t(lang, "brief.col_meaning")], [45 * mm, 25 * mm, WIDTH - 70 * mm], styles)]
    top = text.top(b, lang, names)
    story.append(_p(t(lang, "brief.top_title", n=len(top)), styles["h2"]))
    story.append(_bars(top, BLUE) if top else _p(t(lang, "brief.top_none"), styles["body"]))
    if text.hidden_top_note(b, lang):
        story.append(_p(text.hidden_top_note(b, lang), styles["small"]))
    story.append(_p(t(lang, "brief.explain_top"), styles["small"]))
    story.append(KeepTogether([_p(t(lang, "brief.map_title"), styles["h2"]), _map(b, outlines, population, b.area_codes),
                               _p(t(lang, "brief.explain_map"), styles["small"])]))
    story.append(_p(t(lang, "brief.gaps_title"), styles["h2"]))
    gaps = text.gaps(b, lang, names)
    story.append(_table(gaps, [t(lang, f"brief.gap_{k}") for k in ("competence", "demand", "seats", "gap", "distance")],
                        [55 * mm, 25 * mm, 30 * mm, 25 * mm, WIDTH - 135 * mm], styles) if gaps else _p(t(lang, "brief.gaps_none"), styles["body"]))
    story.append(_p(t(lang, "brief.explain_gaps"), styles["small"]))
    story.append(_p(t(lang, "brief.outlook_title"), styles["h2"]))
    rows = text.outlook(b, lang, names)
    story.append(_table(rows, [t(lang, f"brief.outlook_{k}") for k in ("competence", "situation", "prognosis")],
                        [60 * mm, 55 * mm, WIDTH - 115 * mm], styles) if rows else _p(t(lang, "brief.outlook_none"), styles["body"]))
    story.append(_p(t(lang, "brief.explain_outlook", round=b.outlook_round) + " " + text.outlook_source(b, lang), styles["small"]))
    story.append(_p(t(lang, "brief.cohorts_title"), styles["h2"]))
    story.append(_p(t(lang, "brief.cohorts_elsewhere"), styles["body"]))
    story.append(_p(t(lang, "brief.access_title"), styles["h2"]))
    story.append(_table(text.access(b, lang, names), [t(lang, f"brief.access_{k}") for k in ("municipality", "car", "pt", "mean")],
                        [50 * mm, 35 * mm, 45 * mm, WIDTH - 130 * mm], styles))
    story.append(_p(t(lang, "brief.explain_access"), styles["small"]))
    story += [Spacer(1, 6), _p(t(lang, "brief.sources_title"), styles["h2"])]
    story += [_p("• " + line, styles["small"]) for line in text.sources(b, lang, meta, generated)]
    doc.build(story)
    return buffer.getvalue()


def _date(b: Briefing) -> str:
    return b.newest.isoformat() if b.newest else "–"
