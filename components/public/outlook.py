"""Arbetsförmedlingen's picture beside the brokers' needs: a compact table of the largest competences with the
county's recruitment situation and five-year outlook of their occupations (``core.analysis.outlook``)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import loaders
from components.charts import Words
from components.memo import shared
from components.state import Context
from core.analysis import outlook
from core.common import formatting


def largest(persons: pd.Series, top: int) -> tuple[tuple[str, float], ...]:
    """The ``top`` largest of ``persons`` by competence code (hidden figures as NaN), largest first: the competences
    ``top_table`` shows (hidden ones and zeros left out)."""
    persons = persons.dropna()
    persons = persons[persons > 0].sort_values(ascending=False).head(top)
    return tuple(zip(persons.index, persons.tolist()))


def largest_selected(ctx: Context, top: int) -> tuple[tuple[str, float], ...]:
    """``largest`` of the selection's persons by competence: made once per selection (``Selection.derive``), shared by
    the sessions that show it (the rows were grouped on every run)."""
    return ctx.selection.derive(_largest_of_rows, top)


def _largest_of_rows(selected: pd.DataFrame, top: int) -> tuple[tuple[str, float], ...]:
    return largest(persons_of_rows(selected), top)


def selected_persons(ctx: Context) -> pd.Series:
    """The selection's persons by competence, made once per selection (``Selection.derive``)."""
    return ctx.selection.derive(persons_of_rows)


def persons_of_rows(selected: pd.DataFrame) -> pd.Series:
    """Rows' persons by competence."""
    return selected.groupby("competence", observed=True)["persons"].sum()


def top_table(ctx: Context, persons: tuple[tuple[str, float], ...], key: str) -> None:
    """The table of the competences ``largest`` chose, with the barometer's picture of them (nothing when there are none)."""
    if not persons:
        return
    st.markdown(f"**{ctx.t('outlook.top_title')}**")
    table = _top(ctx.url, ctx.revision, persons, Words.of(ctx))
    st.dataframe(table, hide_index=True, width="stretch", key=key)
    st.caption(ctx.t("outlook.short_caption") + " " + source_line(ctx))


@shared(max_entries=256)
def _top(url: str, rev: str, persons: tuple[tuple[str, float], ...], words: Words) -> pa.Table:
    """The table of the largest competences and the barometer's picture of them, made once per (register revision,
    figures, words) and sent as this Arrow table (immutable, shared)."""
    signals = loaders.outlook_signals(url, rev)
    markers = [outlook.marker(signals.get(c), words.t) for c, _ in persons]
    return pa.Table.from_pandas(pd.DataFrame({
        words.t("column.competence"): [words.names["competence"].get(c, c) for c, _ in persons],
        words.t("column.persons"): [formatting.integer(int(v), words.lang) for _, v in persons],
        words.t("outlook.col_situation"): [m[0] for m in markers],
        words.t("outlook.col_prognosis"): [m[1] for m in markers],
    }), preserve_index=False)


def source_line(ctx: Context) -> str:
    """The source line under every barometer value: "Källa: Arbetsförmedlingen, Yrkesbarometern 2025-2, CC0 …"."""
    current = loaders.barometer(ctx.url, ctx.revision)
    return ctx.t("outlook.source", round=current.name, date=current.date,
                 how=ctx.t("outlook.imported" if current.imported else "outlook.retrieved"))


def disagreements(ctx: Context, persons: pd.Series) -> None:
    """Where the brokers' needs and Arbetsförmedlingen's picture disagree (``persons`` by competence: the area's
    recorded persons; NaN for a protected figure, which is left out)."""
    signals = loaders.outlook_signals(ctx.url, ctx.revision)
    competences = list(ctx.names["competence"])
    st.subheader(ctx.t("outlook.disagree_title"))
    st.caption(ctx.t("outlook.disagree_intro", area=ctx.area_label, few=outlook.FEW_PERSONS, top=outlook.MANY_TOP,
                     many=outlook.MANY_MIN))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ctx.t('outlook.unseen_title')}**")
        _listing(ctx, outlook.unseen_shortages(persons, signals, competences), "unseen", "outlook_unseen")
    with right:
        st.markdown(f"**{ctx.t('outlook.niche_title')}**")
        _listing(ctx, outlook.local_niches(persons, signals), "niche", "outlook_niche")
    st.caption(source_line(ctx))


def _listing(ctx: Context, found: list[outlook.Disagreement], kind: str, key: str) -> None:
    if not found:
        st.info(ctx.t(f"outlook.{kind}_none"), icon=":material/check_circle:")
        return
    st.caption(ctx.t(f"outlook.{kind}_question"))
    frame = pd.DataFrame({
        ctx.t("column.competence"): [ctx.names["competence"].get(d.competence, d.competence) for d in found],
        ctx.t("column.persons"): [formatting.integer(d.persons, ctx.lang) for d in found],
        ctx.t("outlook.col_situation"): [outlook.marker(d.signal, ctx.t)[0] for d in found],
    })
    if kind == "niche":  # how much of the county's picture is surplus
        frame[ctx.t("outlook.col_surplus")] = [ctx.t("outlook.surplus_of", n=d.signal.surplus, of=d.signal.assessed) for d in found]
    st.dataframe(frame, hide_index=True, width="stretch", key=key)
