"""The workspace page's shared parts: the user's workspace, the view picker, labels, record history."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from components import loaders, state
from components.state import Context
from components.tables import as_typed
from components.workspace import forms
from core.common.models import Form, Horizon, Level, NeedType, Outcome, SizeClass, Source
from core.common.text import visible
from core.records import audience
from data import reference
from services import seed
from services.register import audit
from services.workspace import Workspace

VIEW = state.key("ws_view", __name__)
VIEWS = ("follow_ups", "companies", "needs", "efforts", "import", "log")


def space(ctx: Context) -> Workspace:
    return seed.workspace(loaders.register(ctx.url), ctx.user)


def picker(ctx: Context) -> str:
    st.session_state.setdefault(VIEW, "follow_ups")
    view = st.segmented_control(ctx.t("ws.view"), VIEWS, key=VIEW, format_func=lambda v: ctx.t(f"ws.view_{v}"),
                                label_visibility="collapsed")
    return view or "follow_ups"


def my_municipalities(ctx: Context) -> list[str]:
    allowed = audience.scope(ctx.user)
    return [c for c in reference.fyrbodal_codes() if allowed is None or c in allowed]


def options(ctx: Context) -> dict[str, tuple[tuple, object]]:
    """Each coded field's codes and how to label one."""
    names = ctx.names
    return {
        "municipality_code": (tuple(my_municipalities(ctx)), lambda c: names["municipality"].get(c, c)),
        "industry_group": (tuple(reference.industry_groups()["code"]), lambda c: names["industry_group"].get(c, c)),
        "size_class": (tuple(s.value for s in SizeClass), str),
        "method": (tuple(s.value for s in Source), lambda c: ctx.t(f"source.{c}")),
        "competence": (tuple(sorted(names["competence"], key=names["competence"].get)), lambda c: names["competence"].get(c, c)),
        "need_type": (tuple(n.value for n in NeedType), lambda c: ctx.t(f"need_type.{c}")),
        "horizon": (tuple(h.value for h in Horizon), lambda c: ctx.t(f"horizon.{c}")),
        "form": (tuple(f.value for f in Form), lambda c: ctx.t(f"form.{c}")),
        "level": (tuple(v.value for v in Level), lambda c: ctx.t(f"level.{c}")),
        "outcome": (tuple(o.value for o in Outcome), lambda c: ctx.t(f"outcome.{c}")),
    }


def company_label(ctx: Context, row) -> str:
    org = f" ({row['org_nr']})" if row.get("org_nr") else ""
    gone = f" – {ctx.t('ws.withdrawn')}" if row.get("withdrawn") else ""
    return f"{visible(row['name'])}{org}, {ctx.names['municipality'].get(row['municipality_code'], row['municipality_code'])}{gone}"


def need_label(ctx: Context, row, companies: dict[int, str]) -> str:
    gone = f" – {ctx.t('ws.withdrawn')}" if row.get("withdrawn") else ""
    return (f"#{row['id']} {visible(companies.get(int(row['company_id']), '?'))}: {ctx.names['competence'].get(row['competence'], row['competence'])}"
            f" ({row['persons']}), {ctx.t('status.' + row['status'])}{gone}")


def history(ctx: Context, ws: Workspace, table: str, record_id: int) -> None:
    """The record's audit entries, newest first, with what each changed."""
    log = ws.history(table, record_id)
    with st.expander(ctx.t("ws.history", n=len(log)), icon=":material/history:"):
        if log.empty:
            st.caption(ctx.t("ws.history_none"))
            return
        st.dataframe(as_typed(log_table(ctx, log.iloc[::-1])), hide_index=True, width="stretch")


def log_table(ctx: Context, log: pd.DataFrame) -> pd.DataFrame:
    def changed(before: str, after: str, action: str) -> str:
        if action == "add":
            return ctx.t("ws.log_added")
        diff = audit.changes(before, after)
        return "; ".join(f"{field}: {_short(old)} → {_short(new)}" for field, (old, new) in diff.items())

    return pd.DataFrame({
        ctx.t("ws.log_at"): pd.to_datetime(log["at"], utc=True).dt.tz_convert("Europe/Stockholm").dt.strftime("%Y-%m-%d %H:%M:%S"),
        ctx.t("ws.log_actor"): log["actor"],
        ctx.t("ws.log_action"): [ctx.t(f"ws.action_{a}") for a in log["action"]],
        ctx.t("ws.log_record"): [f"{ctx.t('ws.table_' + t)} #{r}" for t, r in zip(log["table_name"], log["record_id"])],
        ctx.t("ws.log_version"): log["version"].astype("Int64"),
        ctx.t("ws.log_changes"): [changed(b, a, x) or d for b, a, x, d in zip(log["before"], log["after"], log["action"], log["detail"])],
    })


def _short(value) -> str:
    text = "–" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def record_json(row: dict) -> str:
    return audit.snapshot(row) if row else json.dumps({})


def withdraw_button(ctx: Context, ws: Workspace, table: str, record: dict, keep: str | None = None) -> None:
    form = f"{table}_{record['id']}"
    if record["withdrawn"]:
        st.button(ctx.t("ws.restore"), key=f"ws_restore_{table}_{record['id']}_{record['version']}", icon=":material/restore_from_trash:",
                  on_click=forms.submit, args=(form, lambda: ws.restore(table, record["id"], record["version"]), ctx.t("ws.restored"), keep))
    else:
        st.button(ctx.t("ws.withdraw"), key=f"ws_withdraw_{table}_{record['id']}_{record['version']}", icon=":material/delete:",
                  help=ctx.t("ws.withdraw_help"),
                  on_click=forms.submit, args=(form, lambda: ws.withdraw(table, record["id"], record["version"]), ctx.t("ws.withdrawn_done"), keep))
