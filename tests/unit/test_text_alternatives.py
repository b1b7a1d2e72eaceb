"""Every chart and map has its figures as a table (WCAG 1.1.1), and a class is read by its mark, not its colour
alone (1.4.1): the table a chart's own traces make, and the marks of the map's classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from components.charts import as_written, figure_table
from core.analysis.classes import NO_DATA, ZERO, classify, legend_entries, legend_marks, mark_of


def test_a_stacked_bar_chart_is_a_row_per_category_and_a_column_per_trace():
    fig = go.Figure([go.Bar(y=["Svetsning", "CNC"], x=[3, 2], orientation="h", name="Rekrytering"),
                     go.Bar(y=["CNC", "Lager"], x=[5, 1], orientation="h", name="Kompetensutveckling")],
                    layout={"yaxis": {"title": {"text": "Kompetens"}, "autorange": "reversed"}})
    table = figure_table(fig)
    assert list(table.columns) == ["Kompetens", "Rekrytering", "Kompetensutveckling"]
    assert table.values.tolist() == [["Svetsning", 3, "–"], ["CNC", 2, 5], ["Lager", "–", 1]]


def test_a_horizontal_chart_drawn_bottom_up_reads_top_down():
    fig = go.Figure([go.Bar(y=["small", "large"], x=[1, 9], orientation="h", name="Personer")])
    assert figure_table(fig).iloc[:, 0].tolist() == ["large", "small"]


def test_a_heatmap_is_its_rows_and_columns():
    fig = go.Figure(go.Heatmap(z=[[1, np.nan], [3, 4]], x=["Orust", "Tanum"], y=["Svetsning", "CNC"]))
    table = figure_table(fig)
    assert list(table.columns) == [" ", "Orust", "Tanum"]
    assert table.values.tolist() == [["Svetsning", 1, "–"], ["CNC", 3, 4]]


def test_a_chart_without_a_known_table_says_so():
    with pytest.raises(TypeError, match="pass one to charts.show"):
        figure_table(go.Figure(go.Scatter(x=[0, 1], y=[0, 1], fill="toself")))


def test_classes_carry_a_mark_from_low_to_high_and_for_zero_and_missing():
    values = pd.Series({"a": 1.0, "b": 5.0, "c": 9.0, "d": 0.0, "e": np.nan, "f": 20.0})
    cls, classes = classify(values, "persons")
    marks = {code: mark_of(int(c)) for code, c in cls.items()}
    assert (marks["d"], marks["e"]) == ("0", "–")
    assert int(marks["a"]) < int(marks["c"]) <= int(marks["f"])
    assert len(legend_marks(classes)) == len(legend_entries(classes, "sv"))
    assert legend_marks(classes)[-2:] == ["0", "–"]
    assert (mark_of(ZERO), mark_of(NO_DATA), mark_of(0)) == ("0", "–", "1")


def test_one_unnamed_bar_of_parts_is_its_parts():
    fig = go.Figure([go.Bar(y=[""], x=[336], orientation="h", name="Rekrytering"),
                     go.Bar(y=[""], x=[447], orientation="h", name="Kompetensutveckling")])
    table = figure_table(fig)
    assert list(table.columns) == ["Rekrytering", "Kompetensutveckling"] and table.values.tolist() == [[336, 447]]


@pytest.mark.parametrize(("value", "lang", "shown"), [(40.0, "sv", "40"), (1234, "sv", "1\u00a0234"), (4.5, "sv", "4,5"),
                                                      (4.5, "en", "4.5"), ("–", "sv", "–"), ("Orust", "en", "Orust")])
def test_a_table_writes_figures_as_the_page_does(value, lang, shown):
    assert as_written(value, lang) == shown
