"""Notices every page shows the same way: the example-data label and empty states."""

from __future__ import annotations

import streamlit as st

from components.state import Context
from core.analysis.labels import selection_summary
from data import reference


def demo_label(ctx: Context) -> None:
    if ctx.is_demo:
        st.info(ctx.t("demo.banner", seed=ctx.meta.get("seed", "?")), icon=":material/science:")


def empty_selection(ctx: Context) -> None:
    st.info(ctx.t("overview.empty"), icon=":material/filter_alt_off:")


def selection_line(ctx: Context) -> None:
    sections = dict(zip(reference.sni_sections()["section"], reference.sni_sections()["name_sv"]))
    st.markdown(f"**{selection_summary(ctx.lang, ctx.filters, ctx.names, sections, ctx.choices.months)}**")
