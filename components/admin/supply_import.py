"""For an admin, on Om data beside the Yrkesbarometer: the training-supply rounds stored (newest first) and the import of
the next one (MYH's results workbook or Skolverket's planned adult education), read whole in a worker process, with
what it changes against the previous round of its series shown before anything is stored."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from components import loaders, state
from core.exchange.supply import SupplyProblems
from core.records.audience import Audience
from services import supply
from services.workspace import Refused

UPLOAD = state.key("supply_upload", __name__)
PARSED = state.key("supply_parsed", __name__)  # (sha256 of the upload, Parsed or SupplyProblems): read once per file
SHOWN = 50


def panel(ctx: state.Context) -> None:
    if ctx.user is None or ctx.user.role != Audience.ADMIN:
        return
    register = loaders.register(ctx.url)
    with st.expander(ctx.t("supply_import.title"), icon=":material/school:"):
        st.markdown(ctx.t("supply_import.text"))
        rounds(ctx, supply.rounds(register))
        upload = st.file_uploader(ctx.t("supply_import.upload"), type=["xlsx", "json"], key=UPLOAD,
                                  help=ctx.t("supply_import.upload_help"))
        if upload is None:
            return
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        kept = st.session_state.get(PARSED)
        if kept is None or kept[0] != digest:
            try:  # read whole in a worker process with a memory and time limit: a hostile file is a refusal
                kept = (digest, supply.read(data, upload.name))
            except SupplyProblems as problems:
                kept = (digest, problems)
            st.session_state[PARSED] = kept
        found = kept[1]
        if isinstance(found, SupplyProblems):
            refused(ctx, upload.name, found)
            return
        stored = supply.rounds(register)
        same = stored[stored["sha256"] == found.sha256]
        if not same.empty:
            st.info(ctx.say("supply_import.already", name=found.file_name, round=str(same["label"].iloc[0])),
                    icon=":material/check:")
            return
        preview(ctx, register, found)


def rounds(ctx: state.Context, stored: pd.DataFrame) -> None:
    if stored.empty:
        st.info(ctx.t("supply_import.none"), icon=":material/info:")
        return
    st.dataframe(pd.DataFrame({
        ctx.t("supply_import.col_round"): stored["label"],
        ctx.t("supply_import.col_file"): stored["file_name"],
        ctx.t("supply_import.col_rows"): stored["rows"],
        ctx.t("supply_import.col_imported"): [f"{at:%Y-%m-%d %H:%M}" for at in pd.to_datetime(stored["imported_at"])],
        ctx.t("supply_import.col_by"): stored["imported_by"],
        "SHA-256": stored["sha256"].str[:12],
    }), hide_index=True, width="stretch", key="supply_rounds")


def refused(ctx: state.Context, name: str, problems: SupplyProblems) -> None:
    st.error(ctx.say("supply_import.refused", name=name, n=len(problems.problems)), icon=":material/error:")
    shown = problems.problems[:SHOWN]
    st.dataframe(pd.DataFrame({  # st.dataframe shows text as it is: no markdown is rendered
        ctx.t("supply_import.col_where"): [p.where for p in shown],
        ctx.t("supply_import.col_why"): [p.why for p in shown],
    }), hide_index=True, width="stretch", key="supply_problems")


def preview(ctx: state.Context, register, parsed: supply.Parsed) -> None:
    before, changed = supply.changes(register, parsed.rows, parsed.series)
    counts = changed["change"].value_counts()
    numbers = {k: int(counts.get(k, 0)) for k in ("added", "removed", "changed")}
    if before is None:
        st.success(ctx.say("supply_import.first", name=parsed.file_name, round=parsed.label, rows=len(parsed.rows)),
                   icon=":material/check_circle:")
    else:
        st.success(ctx.say("supply_import.against", name=parsed.file_name, round=parsed.label, rows=len(parsed.rows),
                           previous=str(before["label"]), **numbers), icon=":material/check_circle:")
    if not changed.empty:
        names = loaders.municipality_names_sweden()
        st.dataframe(pd.DataFrame({
            ctx.t("supply_import.col_change"): changed["change"].map(lambda c: ctx.t(f"supply_import.change_{c}")),
            ctx.t("supply_import.col_id"): changed["key"].str.split(" @ ").str[0],
            ctx.t("supply.col_title"): changed["title"],
            ctx.t("column.municipality"): changed["municipality_code"].map(lambda c: names.get(c, c)),
            ctx.t("supply_import.col_fields"): changed["fields"],
        }), hide_index=True, width="stretch", height=min(420, 38 + 35 * len(changed)), key="supply_changes")
    if st.button(ctx.t("supply_import.save", round=parsed.label), type="primary", key="supply_save"):
        try:
            supply.Supply(register, ctx.user).store(parsed)
        except Refused as refusal:
            st.error(ctx.say("supply_import.not_stored", reason=str(refusal)), icon=":material/block:")
            return
        st.session_state.pop(PARSED, None)
        st.toast(ctx.t("supply_import.stored", round=parsed.label), icon=":material/check_circle:")
        st.rerun()
