"""The needs table and its download (CSV that opens cleanly in Swedish Excel)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import loaders
from components.state import Context
from core.analysis.labels import label_needs
from core.common.i18n import t
from core.common.text import INVISIBLE_PATTERN, visible
from core.exchange.export import excel_csv

MAX_ROWS_SHOWN = 2000


def as_typed(frame: pd.DataFrame) -> pd.DataFrame:
    """A table to show: text cells with a control character that would reorder or hide text (stored before such
    characters were refused) show it as its code instead (``core.common.text.visible``); others are left as they are."""
    text = [c for c in frame.columns if frame[c].dtype == object]
    hit = [c for c in text if frame[c].astype(str).str.contains(INVISIBLE_PATTERN, regex=True).any()]
    return frame.assign(**{c: frame[c].map(visible) for c in hit}) if hit else frame


def labelled(frame: pd.DataFrame, lang: str, is_demo: bool, newest: int | None = None) -> pd.DataFrame:
    """The needs as people read them, newest first (only the ``newest`` rows when given)."""
    rows = frame.nlargest(newest, "collected_on") if newest else frame
    table = label_needs(rows.sort_values("collected_on", ascending=False), lang, loaders.names(lang))
    if is_demo:
        table.insert(0, t(lang, "column.dataset"), t(lang, "demo.label"))
    return table


def _shown(frame: pd.DataFrame, lang: str, is_demo: bool, newest: int) -> pa.Table:
    """The newest rows as the table shows them, as Arrow (immutable: shared by the sessions with the selection)."""
    return pa.Table.from_pandas(as_typed(labelled(frame, lang, is_demo, newest)), preserve_index=False)


def needs_table(ctx: Context) -> None:
    total = len(ctx.selected)
    # the same for every rerun of the selection: made and turned into Arrow (what st.dataframe sends) once
    st.dataframe(ctx.selection.derive(_shown, ctx.lang, ctx.is_demo, MAX_ROWS_SHOWN), hide_index=True, width="stretch")
    st.caption(ctx.t("overview.rows", shown=min(total, MAX_ROWS_SHOWN), total=total))
    name = "kompetensbehov-exempeldata.csv" if ctx.is_demo else "kompetensbehov.csv"
    st.download_button(
        ctx.t("overview.download"),
        data=lambda: excel_csv(labelled(ctx.selected, ctx.lang, ctx.is_demo)),
        file_name=name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
