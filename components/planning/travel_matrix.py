"""Export the travel matrix, or import a measured one (validated whole; nothing half-loaded)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders, state
from core.common.text import literal
from core.exchange.spreadsheet import FORMATS, Refused
from core.records import audience
from core.records.validation import InvalidTable
from geo import matrix as mx
from services import reading
from services.admin import Admin

UPLOAD = state.key("travel_upload", __name__)
SHOWN = 50


def panel(ctx: state.Context) -> None:
    matrix = loaders.travel_matrix(ctx.url, ctx.revision)
    names = loaders.place_names()
    measured = int(matrix.measured.sum())
    st.markdown(ctx.t("travel.io_text"))
    if measured:
        st.info(ctx.t("travel.io_measured", n=measured), icon=":material/straighten:")
    left, right = st.columns(2)
    left.download_button(ctx.t("travel.io_download"), lambda: mx.to_csv(matrix, names).encode("utf-8"),  # made on a click
                         file_name="restidsmatris.csv", mime="text/csv", icon=":material/download:", key="travel_download",
                         on_click="ignore")
    if not audience.may_write_reference(ctx.user):  # a measured matrix changes everyone's figures: admins only
        st.caption(ctx.t("travel.io_admin_only"))
        return
    if measured and right.button(ctx.t("travel.io_reset"), icon=":material/undo:", key="travel_reset"):
        Admin(loaders.register(ctx.url), ctx.user).replace_travel_matrix(pd.DataFrame(columns=mx.COLUMNS))
        st.rerun()
    upload = st.file_uploader(ctx.t("travel.io_upload"), type=list(FORMATS), key=UPLOAD, help=ctx.t("travel.io_upload_help"))
    if upload is None:
        return
    try:  # read in a worker process with a memory and time limit: a file that stops the reader costs a refusal
        pairs = mx.validated(mx.from_sheets(reading.spreadsheet(upload.getvalue())), names)
    except Refused as err:
        st.error(ctx.t("travel.io_refused", name=literal(upload.name), reason=ctx.t(f"import.refused_{err.code}", value=literal(err.value))),
                 icon=":material/block:")
        return
    except InvalidTable as exc:
        st.error(ctx.say("travel.io_invalid", name=upload.name, n=len(exc.problems)), icon=":material/error:")
        shown = exc.problems[:SHOWN]
        st.table(pd.DataFrame({  # a plain HTML table: readable, searchable, copyable
            ctx.t("travel.io_row"): [str(p.row or "") for p in shown],
            ctx.t("travel.io_column"): [literal(p.column or "") for p in shown],  # st.table's cells are markdown
            ctx.t("travel.io_problem"): [literal(p.message) for p in shown],
        }), border="horizontal")
        if len(exc.problems) > SHOWN:
            st.caption(ctx.t("travel.io_more", n=len(exc.problems) - SHOWN))
        return
    st.success(ctx.say("travel.io_valid", name=upload.name, n=len(pairs)), icon=":material/check_circle:")
    if st.button(ctx.t("travel.io_save", n=len(pairs)), type="primary", key="travel_save"):
        Admin(loaders.register(ctx.url), ctx.user).replace_travel_matrix(pairs)
        st.rerun()
