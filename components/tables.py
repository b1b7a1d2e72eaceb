"""The needs table and its download (CSV that opens cleanly in Swedish Excel)."""

from __future__ import annotations

import streamlit as st

from components.state import Context
from core.export import excel_csv
from core.labels import label_needs

MAX_ROWS_SHOWN = 2000


def _labelled(ctx: Context, frame):
    table = label_needs(frame.sort_values("collected_on", ascending=False), ctx.lang, ctx.names)
    if ctx.is_demo:
        table.insert(0, ctx.t("column.dataset"), ctx.t("demo.label"))
    return table


def needs_table(ctx: Context) -> None:
    total = len(ctx.selected)
    shown = _labelled(ctx, ctx.selected.nlargest(MAX_ROWS_SHOWN, "collected_on"))
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(ctx.t("overview.rows", shown=min(total, MAX_ROWS_SHOWN), total=total))
    name = "kompetensbehov-exempeldata.csv" if ctx.is_demo else "kompetensbehov.csv"
    st.download_button(
        ctx.t("overview.download"),
        data=lambda: excel_csv(_labelled(ctx, ctx.selected)),
        file_name=name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
