"""Objects made once and shared (issue 35): ``components.memo.shared`` gives the same object for the same plain keys,
computed once, as ``st.cache_resource``; a ``components.charts.SharedFigure`` makes its dict once."""

from __future__ import annotations

from dataclasses import dataclass

from components.memo import shared


@dataclass(frozen=True)
class View:
    year: int
    codes: tuple[str, ...]


def counting():
    made: list[tuple] = []

    @shared(max_entries=2)
    def make(url: str, view: View, top: object, _big: object = None) -> list:
        made.append((url, view, top))
        return [url, view, top]

    return make, made


def test_the_same_keys_give_the_same_object_computed_once():
    make, made = counting()
    first = make("u", View(2026, ("1401",)), 15, object())
    assert make("u", View(2026, ("1401",)), 15, object()) is first  # an underscore argument is not part of the key
    assert made == [("u", View(2026, ("1401",)), 15)]


def test_keys_equal_to_python_but_not_to_streamlit_are_apart():
    make, made = counting()
    assert make("u", View(2026, ()), 1) is not make("u", View(2026, ()), 1.0)
    assert [type(top) for _, _, top in made] == [int, float]


def test_unhashable_and_keyword_arguments_go_to_streamlits_cache():
    make, made = counting()
    assert make("u", View(2026, ()), [1, 2]) == make("u", View(2026, ()), [1, 2])
    assert make("u", view=View(2026, ()), top=3) == ["u", View(2026, ()), 3]
    assert len(made) == 2


def test_at_most_max_entries_are_kept_in_front_and_clear_empties_both():
    make, made = counting()
    for top in (1, 2, 3):
        make("u", View(2026, ()), top)
    assert len(make._front) == 2  # noqa: SLF001
    make.clear()
    make("u", View(2026, ()), 3)
    assert len(made) == 4


def test_a_shared_figure_hands_out_its_dict_made_once_as_plotly_makes_it():
    import plotly.graph_objects as go

    from components.charts import Words, bar_figure

    args = (Words("sv", True), [{"type": "bar", "x": [3, 1], "y": ["a", "b"], "orientation": "h"}], 200,
            {"title": {"text": "x"}}, {"autorange": "reversed"})
    shared, plain = bar_figure(*args, shared=True), bar_figure(*args)
    assert type(plain) is go.Figure
    assert shared.to_dict() is shared.to_dict()
    assert shared.to_dict() == plain.to_dict()
