"""The published releases on the data page: open-data files for everyone, the next release's protection report
for an admin."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import loaders, state
from components.memo import shared
from components.state import Context
from core.common import clock
from core.common.i18n import t
from core.records.audience import Audience

PREVIEW = state.key("release_preview_asked", __name__)


def open_data(ctx: Context) -> None:
    st.subheader(ctx.t("release.title"))
    urls = loaders.open_data_urls(ctx.url, ctx.revision)
    published = loaders.public_release(ctx.url, ctx.revision)
    if published is None or not urls:
        st.info(ctx.t("release.none"), icon=":material/schedule:")
        return
    st.markdown(ctx.t("release.open_data", id=published.id, **urls))  # our own addresses, no user text
    st.caption(ctx.t("release.open_data_note"))
    st.dataframe(_releases_table(ctx.url, ctx.revision, ctx.lang), hide_index=True, width="stretch")


@shared(max_entries=8)
def _releases_table(url: str, rev: str, lang: str) -> pa.Table:
    """The releases, newest first, as shown: made once per (register revision, language), sent as this Arrow table."""
    table = loaders.releases(url, rev)
    shown = pd.DataFrame({
        t(lang, "release.col"): table["id"], t(lang, "release.col_published"): pd.to_datetime(table["published_on"]).dt.date.astype(str),
        t(lang, "release.col_through"): table["through"], t(lang, "release.col_shown"): table["shown"],
        t(lang, "release.col_hidden"): table["hidden"]})
    return pa.Table.from_pandas(shown.iloc[::-1], preserve_index=False)


def next_report(ctx: Context) -> None:
    """For an admin: what the next release will hide and why, before it is published."""
    if ctx.user is None or ctx.user.role != Audience.ADMIN:
        return
    with st.expander(ctx.t("release.preview_title"), icon=":material/preview:"):
        st.caption(ctx.t("release.preview_intro"))
        if st.button(ctx.t("release.preview_button"), icon=":material/shield:") or st.session_state.get(PREVIEW):
            st.session_state[PREVIEW] = True
            with st.spinner(ctx.t("release.preview_running")):
                report, through, why = loaders.release_preview(ctx.url, ctx.revision, clock.today().isoformat())
            st.markdown(ctx.t(f"release.preview_{why}", through=through))
            table = report.table.rename(columns={c: ctx.t(f"release.report_{c}") for c in report.table.columns})
            table[ctx.t("release.report_measure")] = [ctx.t(f"release.measure_{m}") for m in report.table["measure"]]
            st.dataframe(table, hide_index=True, width="stretch")
            shown, of = report.competences
            st.markdown(ctx.t("release.preview_cost", changed=report.changed, revealed=report.revealed, shown=shown, of=of))
