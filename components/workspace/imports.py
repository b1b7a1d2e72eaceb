"""The workspace's import and export: the template, the export of the register, and an upload that
is checked whole and previewed before anything is stored (services.register_import)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from components import loaders, state
from components.state import Context
from core.common.text import literal
from core.exchange import needs_sheet
from core.exchange.export import excel_csv
from core.exchange.spreadsheet import ENCODINGS, FORMATS, MAX_BYTES, Refused
from services import reading, register_import, seed
from services.workspace import Refused as NotAllowed
from services.workspace import Workspace

PREVIEW = state.key("ws_import_preview", __name__)
RESULT = state.key("ws_import_result", __name__)


def section(ctx: Context, ws: Workspace) -> None:
    st.subheader(ctx.t("import.title"))
    st.caption(ctx.t("import.intro"))
    _downloads(ctx, ws)
    st.divider()
    st.markdown(f"**{ctx.t('import.upload_title')}**")
    upload = st.file_uploader(ctx.t("import.upload"), type=list(FORMATS), key="ws_import_file",
                              help=ctx.t("import.upload_help", mb=MAX_BYTES // (1024 * 1024), limits=reading.Limits.configured()))
    result = st.session_state.pop(RESULT, None)
    if result:
        (st.success if result[0] == "saved" else st.warning)(result[1], icon=":material/task_alt:" if result[0] == "saved" else ":material/history:")
    if upload is None:
        st.info(ctx.t("import.none"), icon=":material/upload_file:")
        return
    data = upload.getvalue()
    key = (hashlib.sha256(data).hexdigest(), loaders.revision(ctx.url), ctx.user.email)
    cached = st.session_state.get(PREVIEW)
    if not cached or cached[0] != key:
        with st.spinner(ctx.t("import.reading", name=upload.name)):
            try:
                cached = (key, *seed.import_preview(loaders.register(ctx.url), ctx.user, data, upload.name))
            except Refused as err:
                # the file's name and the refusal's value are what the file says: each shown as typed, once
                st.error(ctx.t("import.refused", name=literal(upload.name), reason=ctx.t(f"import.refused_{err.code}", value=literal(err.value))),
                         icon=":material/block:")
                return
        st.session_state[PREVIEW] = cached
    _key, preview, parsed, sheet = cached
    if sheet is not None and sheet.encoding:  # a CSV: how its bytes were read, so mojibake has a name
        st.caption(ctx.t("import.read_as", encoding=ENCODINGS.get(sheet.encoding, sheet.encoding),
                         delimiter={"\t": "tab"}.get(sheet.delimiter, f"{sheet.delimiter!r}")))
    if parsed.ignored_columns:
        st.warning(ctx.say("import.ignored", columns=", ".join(parsed.ignored_columns)), icon=":material/info:")
    if preview.problems:
        _problems(ctx, preview, sheet, upload.name)
    else:
        _preview(ctx, ws, preview)


def _downloads(ctx: Context, ws: Workspace) -> None:
    rev = loaders.revision(ctx.url)
    a, b, c, d = st.columns(4)
    a.download_button(ctx.t("import.template_xlsx"), loaders.template_file(ctx.lang, "xlsx"),
                      "kompetenskartan-mall.xlsx", key="ws_template_xlsx", icon=":material/table:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    b.download_button(ctx.t("import.template_csv"), loaders.template_file(ctx.lang, "csv"), "kompetenskartan-mall.csv", "text/csv",
                      key="ws_template_csv", icon=":material/description:")
    c.download_button(ctx.t("import.export_xlsx"), loaders.export_file(ctx.url, rev, ctx.user.email, ctx.lang, "xlsx"),
                      "kompetenskartan-behov.xlsx", key="ws_export_xlsx", icon=":material/download:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    d.download_button(ctx.t("import.export_csv"), loaders.export_file(ctx.url, rev, ctx.user.email, ctx.lang, "csv"),
                      "kompetenskartan-behov.csv", "text/csv", key="ws_export_csv", icon=":material/download:")
    if ctx.is_demo:
        st.caption(ctx.t("import.demo_note"))


def _problems(ctx: Context, preview, sheet, name: str) -> None:
    st.error(ctx.say("import.problems", n=len(preview.problems), name=name), icon=":material/error:")
    frame = pd.DataFrame({
        ctx.t("import.col_sheet"): [p.sheet for p in preview.problems],
        ctx.t("import.col_row"): [p.row for p in preview.problems],
        ctx.t("import.col_column"): [p.column for p in preview.problems],
        ctx.t("import.col_value"): [p.value[:200] for p in preview.problems],
        ctx.t("import.col_reason"): [ctx.t(f"problem.{p.code}", value=p.value[:60]) for p in preview.problems],
    })
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={ctx.t("import.col_reason"): st.column_config.TextColumn(width="large")})
    rows = needs_sheet.with_errors(sheet, preview.problems, ctx.t("import.error_column"))
    copy = pd.DataFrame(rows[1:], columns=_distinct(rows[0])) if rows else pd.DataFrame()
    st.download_button(ctx.t("import.error_copy"), excel_csv(copy), f"{name.rsplit('.', 1)[0]}-fel.csv", "text/csv",
                       key="ws_import_errors", icon=":material/download:")


def _distinct(header: list[str]) -> list[str]:
    """The header as column names a table can hold: an empty one named by its place, a repeated one numbered."""
    names: list[str] = []
    for i, cell in enumerate(header):
        name, n = f"{cell}" if cell else f"_{i}", 1
        while name in names:
            n += 1
            name = f"{cell or f'_{i}'} ({n})"
        names.append(name)
    return names


def _preview(ctx: Context, ws: Workspace, preview) -> None:
    a, b, c, d = st.columns(4)
    a.metric(ctx.t("import.new"), preview.count("new"))
    b.metric(ctx.t("import.changed"), preview.count("changed"))
    c.metric(ctx.t("import.unchanged"), preview.count("unchanged"))
    d.metric(ctx.t("import.missing"), len(preview.missing), help=ctx.t("import.missing_help"))
    shown = [r for r in preview.rows if r.kind != "unchanged"][:1000]
    if shown:
        st.dataframe(pd.DataFrame({
            ctx.t("import.col_row"): [r.row for r in shown], ctx.t("import.col_kind"): [ctx.t(f"import.kind_{r.kind}") for r in shown],
            ctx.t("ws.field.org_nr"): [r.org_nr for r in shown], ctx.t("import.col_ref"): [r.ref for r in shown],
            ctx.t("column.company"): [r.company for r in shown],
            ctx.t("import.col_changes"): ["; ".join(f"{ctx.t('ws.field.' + f) if f != 'company' else ctx.t('column.company')}: "
                                                    f"{_show(old)} → {_show(new)}" for f, (old, new) in r.changes.items())
                                          for r in shown],
        }), hide_index=True, width="stretch")
    if preview.efforts:
        st.markdown(ctx.t("import.efforts_line", new=preview.count_efforts("new"), changed=preview.count_efforts("changed"),
                          unchanged=preview.count_efforts("unchanged")))
        moved = [e for e in preview.efforts if e.kind != "unchanged"]
        if moved:
            st.dataframe(pd.DataFrame({
                ctx.t("import.col_row"): [e.row for e in moved], ctx.t("import.col_kind"): [ctx.t(f"import.kind_{e.kind}") for e in moved],
                ctx.t("import.col_effort_ref"): [e.ref for e in moved], ctx.t("ws.field.title"): [e.record["title"] for e in moved],
                ctx.t("import.col_changes"): ["; ".join(f"{ctx.t('ws.field.' + f)}: {_show(a)} → {_show(b)}" for f, (a, b) in e.changes.items())
                                              for e in moved],
                ctx.t("import.col_links"): [", ".join(f"{o}/{r}" for o, r in e.link) for e in moved],
            }), hide_index=True, width="stretch")
    if not preview.missing.empty:
        with st.expander(ctx.t("import.missing_list", n=len(preview.missing)), icon=":material/help:"):
            st.dataframe(pd.DataFrame({ctx.t("column.id"): preview.missing["id"],
                                       ctx.t("import.col_ref"): [register_import.need_key(r, i) for r, i in
                                                                 zip(preview.missing["ref"], preview.missing["id"])],
                                       ctx.t("column.competence"): [ctx.names["competence"].get(c, c) for c in preview.missing["competence"]],
                                       ctx.t("column.persons"): preview.missing["persons"]}), hide_index=True, width="stretch")
    if not preview.writes:
        st.info(ctx.t("import.nothing_to_do"), icon=":material/check_circle:")
        return
    st.button(ctx.t("import.commit", n=preview.writes), type="primary", icon=":material/save:", key="ws_import_commit",
              on_click=_commit, args=(ctx, preview))


def _commit(ctx: Context, preview) -> None:
    try:
        counts = register_import.commit(loaders.register(ctx.url), ctx.user, preview)
    except register_import.Stale:
        st.session_state[RESULT] = ("stale", ctx.t("import.stale"))
    except NotAllowed as err:
        st.session_state[RESULT] = ("stale", ctx.t(f"workspace.refused_{err.code}"))
    else:
        efforts = ctx.t("import.saved_efforts", new=counts.get("efforts_new", 0), changed=counts.get("efforts_changed", 0)) \
            if "efforts_new" in counts else ""
        st.session_state[RESULT] = ("saved", ctx.t("import.saved", new=counts["new"], changed=counts["changed"],
                                                   unchanged=counts["unchanged"]) + efforts)
    st.session_state.pop(PREVIEW, None)


def _show(value) -> str:
    return "–" if value in (None, "") else str(value)
