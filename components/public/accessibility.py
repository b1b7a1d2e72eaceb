"""The accessibility statement (Tillgänglighetsredogörelse), in the structure the Agency for Digital Government
(Digg) gives for one: how accessible the service is, what to do if a part cannot be used, how to report a problem
(the region's contact address, ``KOMPETENSKARTAN_CONTACT``), supervision, what is not accessible, how it was tested."""

from __future__ import annotations

import streamlit as st

from components.state import Context
from core.common.config import open_data_settings
from core.common.text import literal

MADE = "2026-12-03"
UPDATED = "2026-12-05"  # change UPDATED with the statement's content
GAPS = 0  # a11y.gap_1 ... a11y.gap_<GAPS>; none known (issue 34 closed the last two)


def statement(ctx: Context) -> None:
    """The statement under its own heading (the data page's last section; the sidebar links to it)."""
    settings = open_data_settings()
    publisher = literal(settings["publisher"])
    contact = literal(settings["contact"]) if settings["contact"] else ctx.t("a11y.no_contact", publisher=publisher)
    st.header(ctx.t("a11y.title"), anchor="tillganglighet")
    st.markdown(ctx.t("a11y.intro", publisher=publisher))
    st.subheader(ctx.t("a11y.how_title"))
    st.markdown(ctx.t("a11y.how_text"))
    st.subheader(ctx.t("a11y.cannot_title"))
    st.markdown(ctx.t("a11y.cannot_text", contact=contact))
    st.subheader(ctx.t("a11y.report_title"))
    st.markdown(ctx.t("a11y.report_text", contact=contact))
    st.subheader(ctx.t("a11y.supervision_title"))
    st.markdown(ctx.t("a11y.supervision_text"))
    st.subheader(ctx.t("a11y.gaps_title"))
    if GAPS:
        st.markdown("\n".join(f"- {ctx.t(f'a11y.gap_{n}')}" for n in range(1, GAPS + 1)))
    else:
        st.markdown(ctx.t("a11y.gaps_none"))
    st.subheader(ctx.t("a11y.test_title"))
    st.markdown(ctx.t("a11y.test_text"))
    st.caption(ctx.t("a11y.dates", made=MADE, updated=UPDATED))
