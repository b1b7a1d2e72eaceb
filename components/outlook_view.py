"""Arbetsförmedlingen's picture beside the brokers' needs: a compact table of the largest competences with the
county's recruitment situation and five-year outlook of their occupations (``core.outlook``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders
from components.state import Context
from core import formatting, outlook


def top_table(ctx: Context, persons: pd.Series, top: int, key: str) -> None:
    """``persons`` by competence code (hidden figures as NaN, shown as protected); the ``top`` largest shown."""
    persons = persons.dropna()
    persons = persons[persons > 0].sort_values(ascending=False).head(top)
    if persons.empty:
        return
    signals = loaders.outlook_signals(ctx.url, ctx.revision)
    markers = [outlook.marker(signals.get(c), ctx.t) for c in persons.index]
    frame = pd.DataFrame({
        ctx.t("column.competence"): [ctx.names["competence"].get(c, c) for c in persons.index],
        ctx.t("column.persons"): [formatting.integer(int(v), ctx.lang) for v in persons],
        ctx.t("outlook.col_situation"): [m[0] for m in markers],
        ctx.t("outlook.col_prognosis"): [m[1] for m in markers],
    })
    st.markdown(f"**{ctx.t('outlook.top_title')}**")
    st.dataframe(frame, hide_index=True, width="stretch", key=key)
    st.caption(ctx.t("outlook.short_caption") + " " + source_line(ctx))


def source_line(ctx: Context) -> str:
    """"Källa: Arbetsförmedlingen, Yrkesbarometern 2025-2, CC0 …": under every barometer value."""
    current = loaders.barometer(ctx.url, ctx.revision)
    return ctx.t("outlook.source", round=current.name, date=current.date,
                 how=ctx.t("outlook.imported" if current.imported else "outlook.retrieved"))
