"""The briefing as a PowerPoint deck (python-pptx): the same content as the PDF, charts editable.

Charts are native PowerPoint charts (a council can restyle them); the map is drawn with freeform
shapes. Every figure comes from ``core.briefing.text`` (already protected).
"""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Cm, Pt

from core.analysis.classes import colour_of, mark_of
from core.briefing import text
from core.briefing.content import Briefing, map_figures, mark_point
from core.common import formatting
from core.common.i18n import t
from core.records.dataset import holds_example_data

BLUE = RGBColor(0x00, 0x72, 0xB2)


def _slide(deck, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(30)
    return slide


def _note(slide, value: str, top: float = 17.2) -> None:
    box = slide.shapes.add_textbox(Cm(1.5), Cm(top), Cm(30), Cm(1.5)).text_frame
    box.word_wrap = True
    box.text = value
    for p in box.paragraphs:
        p.font.size = Pt(11)


def _table(slide, header: list[str], rows: list[list[str]], top: float = 4.0, widths: list[float] | None = None) -> None:
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Cm(1.5), Cm(top), Cm(30.8), Cm(1.0 * (len(rows) + 1)))
    table = shape.table
    for j, value in enumerate(header):
        table.cell(0, j).text = value
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    for cell in (table.cell(i, j) for i in range(len(rows) + 1) for j in range(len(header))):
        for p in cell.text_frame.paragraphs:
            p.font.size = Pt(14)
    if widths:
        for j, w in enumerate(widths):
            table.columns[j].width = Cm(w)


def _map(slide, b: Briefing, outlines: dict[str, list], population: dict[str, int], names: dict[str, str], lang: str) -> None:
    """Each municipality a shape in its class's colour with its name and figure as alternative text, and the class's
    mark written on it (not by colour alone)."""
    xs = [x for rings in outlines.values() for ring in rings for x, _ in ring]
    ys = [y for rings in outlines.values() for ring in rings for _, y in ring]
    size = Cm(12)
    scale = size / max(max(xs) - min(xs), max(ys) - min(ys))
    values, cls, classes = map_figures(b, outlines, population)
    left, top = Cm(10), Cm(4)
    for code, rings in outlines.items():
        colour = RGBColor.from_string(colour_of(int(cls[code]), classes).lstrip("#"))
        figure = text.HIDDEN if values[code] != values[code] else formatting.metric("per_1000", values[code], lang)
        described = f"{names.get(code, code)}: {figure} ({t(lang, 'chart.class').lower()} {mark_of(int(cls[code]))})"
        for ring in rings:
            points = [(left + int((x - min(xs)) * scale), top + int((max(ys) - y) * scale)) for x, y in ring]
            builder = slide.shapes.build_freeform(*points[0], scale=1.0)
            builder.add_line_segments(points[1:], close=True)
            shape = builder.convert_to_shape()
            shape.fill.solid()
            shape.fill.fore_color.rgb = colour
            shape.line.color.rgb = RGBColor(0, 0, 0)
            shape.line.width = Pt(2.5 if code in b.area_codes and len(b.area_codes) == 1 else 0.5)
            shape._element.nvSpPr.cNvPr.set("descr", described)  # alternative text: python-pptx has no property
        x, y = mark_point(rings)
        mark = slide.shapes.add_textbox(left + int((x - min(xs)) * scale) - Cm(0.5), top + int((max(ys) - y) * scale) - Cm(0.4),
                                        Cm(1), Cm(0.8))
        mark.text_frame.text = mark_of(int(cls[code]))
        paragraph = mark.text_frame.paragraphs[0]
        paragraph.alignment, paragraph.font.size, paragraph.font.bold = PP_ALIGN.CENTER, Pt(12), True


def render(b: Briefing, names: text.Names, lang: str, meta: dict[str, str], population: dict[str, int],
           outlines: dict[str, list], generated: dt.date | None = None) -> bytes:
    generated = generated or dt.date.today()
    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = text.title(b, lang, names)
    subtitle = text.subtitle(b, lang, generated)
    if holds_example_data(meta):
        subtitle += "\n" + t(lang, "brief.demo_banner", seed=meta.get("seed", "?"))
    first.placeholders[1].text = subtitle

    area_population = sum(population.get(c, 0) for c in b.area_codes) or None
    slide = _slide(deck, t(lang, "brief.headline_title"))
    lines = text.headline(b, lang, area_population) + text.need_types(b, lang)
    _table(slide, [t(lang, "brief.col_figure"), t(lang, "brief.col_value"), t(lang, "brief.col_meaning")],
           [[ln.label, ln.value, ln.explanation] for ln in lines], widths=[7.5, 4, 19.3])

    slide = _slide(deck, t(lang, "brief.top_title", n=len(b.top)))
    top = text.top(b, lang, names)
    if top:
        data = CategoryChartData()
        data.categories = [name for name, _ in top][::-1]
        data.add_series(t(lang, "brief.persons"), [v for _, v in top][::-1])
        chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Cm(1.5), Cm(4), Cm(30), Cm(12), data).chart
        chart.has_legend = False
        chart.plots[0].series[0].format.fill.solid()
        chart.plots[0].series[0].format.fill.fore_color.rgb = BLUE
        chart.plots[0].has_data_labels = True
    _note(slide, " ".join(x for x in (text.hidden_top_note(b, lang), t(lang, "brief.explain_top")) if x) if top else t(lang, "brief.top_none"))

    slide = _slide(deck, t(lang, "brief.map_title"))
    _map(slide, b, outlines, population, names.municipality, lang)
    _note(slide, t(lang, "brief.explain_map"))

    slide = _slide(deck, t(lang, "brief.gaps_title"))
    gaps = text.gaps(b, lang, names)
    if gaps:
        _table(slide, [t(lang, f"brief.gap_{k}") for k in ("competence", "demand", "seats", "gap", "distance")], gaps)
    _note(slide, t(lang, "brief.explain_gaps") if gaps else t(lang, "brief.gaps_none"))

    slide = _slide(deck, t(lang, "brief.outlook_title"))
    rows = text.outlook(b, lang, names)
    if rows:
        _table(slide, [t(lang, f"brief.outlook_{k}") for k in ("competence", "situation", "prognosis")], rows, widths=[11, 10, 9.8])
    _note(slide, t(lang, "brief.explain_outlook", round=b.outlook_round) + " " + text.outlook_source(b, lang) if rows
          else t(lang, "brief.outlook_none"))

    slide = _slide(deck, t(lang, "brief.cohorts_title"))
    _note(slide, t(lang, "brief.cohorts_elsewhere"))

    slide = _slide(deck, t(lang, "brief.access_title"))
    _table(slide, [t(lang, f"brief.access_{k}") for k in ("municipality", "car", "pt", "mean")], text.access(b, lang, names))
    _note(slide, t(lang, "brief.explain_access"))

    slide = _slide(deck, t(lang, "brief.sources_title"))
    box = slide.shapes.add_textbox(Cm(1.5), Cm(4), Cm(30.8), Cm(13)).text_frame
    box.word_wrap = True
    for i, line in enumerate(text.sources(b, lang, meta, generated)):
        paragraph = box.paragraphs[0] if i == 0 else box.add_paragraph()
        paragraph.text = "• " + line
        paragraph.font.size = Pt(14)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
