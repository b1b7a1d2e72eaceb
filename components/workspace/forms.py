"""Forms of the brokers' workspace: fields rendered from a plain description, submitted through a
callback that calls ``services.workspace`` before the page reruns, so each field's problem shows under
the field, a conflict shows both versions, and a saved record shows its new version at once.

A form's widgets are keyed by the record and the version it was read at: after a save the form
reads the new version; after a conflict the user's input stays in place beside the stored record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import state
from components.state import Context
from core.common.text import literal
from services.workspace import Conflict, Invalid, NotFound, Refused

OUTCOME = state.key("ws_outcome", __name__)  # form -> (kind, payload): the last submission's result


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, area, number, date, select
    options: tuple = ()
    label: Callable[[object], str] | None = None  # an option's label
    required: bool = False
    help: str = ""


def key(form: str, record: dict | None, name: str) -> str:
    rid, version = (record["id"], record["version"]) if record else ("new", 0)
    return f"ws:{form}:{rid}:{version}:{name}"


def _default(record: dict | None, field: Field, defaults: dict):
    value = (record or {}).get(field.name, defaults.get(field.name))
    if field.kind == "date" and value is not None and not isinstance(value, dt.date):
        value = pd.Timestamp(value).date() if pd.notna(value) else None
    return value


def render(ctx: Context, form: str, fields: list[Field], record: dict | None, defaults: dict | None = None,
           columns: int = 2) -> None:
    """The widgets of one form (inside ``st.form``), each with its problem from the last submission under it."""
    problems = _problems(ctx, form)
    cols = st.columns(columns)
    for i, field in enumerate(fields):
        with cols[i % columns] if field.kind != "area" else st.container():
            _widget(ctx, field, key(form, record, field.name), _default(record, field, defaults or {}))
            if field.name in problems:
                st.markdown(f":red[{problems[field.name]}]")


def _label(ctx: Context, field: Field) -> str:
    text = ctx.t(f"ws.field.{field.name}")
    return f"{text} *" if field.required else text


def _widget(ctx: Context, field: Field, wkey: str, value) -> None:
    label, helptext = _label(ctx, field), field.help or None
    if field.kind == "select":
        options = list(field.options)
        index = options.index(value) if value in options else None
        st.selectbox(label, options, index=index, key=wkey, format_func=field.label or str, help=helptext,
                     placeholder=ctx.t("ws.choose"))
    elif field.kind == "number":
        st.number_input(label, min_value=0, max_value=10_000, value=int(value) if value is not None and pd.notna(value) else None,
                        step=1, key=wkey, help=helptext, placeholder=ctx.t("ws.number"))
    elif field.kind == "date":
        st.date_input(label, value=value, key=wkey, help=helptext, format="YYYY-MM-DD",
                      min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
    elif field.kind == "area":
        st.text_area(label, value=value or "", key=wkey, help=helptext, max_chars=4000, height=80)
    else:
        st.text_input(label, value=value or "", key=wkey, help=helptext)


def values(form: str, fields: list[Field], record: dict | None) -> dict:
    out = {}
    for field in fields:
        value = st.session_state.get(key(form, record, field.name))
        if field.kind == "number" and value is not None:
            value = int(value)
        out[field.name] = value
    return out


def submit(form: str, action: Callable[[], dict], saved_text: str, keep: str | None = None) -> None:
    """Run ``action`` (a workspace write) and keep what happened for the rerun; never raises.

    ``keep``: the session key of the picker showing the record; it is set to the record again, as its
    label (status, name) may have changed and a picker whose label changed would jump to another."""
    try:
        record = action()
    except Invalid as err:
        st.session_state[OUTCOME] = {form: ("invalid", err.problems)}
    except Conflict as err:
        st.session_state[OUTCOME] = {form: ("conflict", err)}
    except Refused as err:
        st.session_state[OUTCOME] = {form: ("refused", err.code)}
    except NotFound:
        st.session_state[OUTCOME] = {form: ("refused", "missing")}
    else:
        st.session_state[OUTCOME] = {form: ("saved", (saved_text, record))}
        if keep:
            st.session_state[keep] = record["id"]


def _outcome(form: str):
    return st.session_state.get(OUTCOME, {}).get(form)


def _problems(ctx: Context, form: str) -> dict[str, str]:
    outcome = _outcome(form)
    if not outcome or outcome[0] != "invalid":
        return {}
    return {p.column: problem_text(ctx, p) for p in outcome[1]}


def problem_text(ctx: Context, problem) -> str:
    return ctx.say(f"problem.{problem.code}", value=problem.value) if problem.code else literal(problem.message)


def report(ctx: Context, form: str) -> dict | None:
    """Show the last submission's result above or below its form; returns the saved record, if any."""
    outcome = _outcome(form)
    if not outcome:
        return None
    kind, payload = outcome
    if kind == "saved":
        text, record = payload
        st.success(text.format(**{k: literal(v) if isinstance(v, str) else v for k, v in record.items() if isinstance(v, str | int)}),
                   icon=":material/check:")
        return record
    if kind == "invalid":
        lines = "\n".join(f"- **{ctx.t(f'ws.field.{p.column}')}**: {problem_text(ctx, p)}" for p in payload)
        st.error(ctx.t("ws.invalid", n=len(payload)) + "\n\n" + lines, icon=":material/error:")
    elif kind == "refused":
        st.error(ctx.t(f"ws.refused_{payload}"), icon=":material/block:")
    elif kind == "conflict":
        conflict_panel(ctx, payload)
    return None


def conflict_panel(ctx: Context, conflict: Conflict) -> None:
    st.error(ctx.t("ws.conflict", version=conflict.current["version"], based_on=conflict.based_on), icon=":material/sync_problem:")
    rows = [{ctx.t("ws.conflict_field"): ctx.t(f"ws.field.{name}"), ctx.t("ws.conflict_yours"): _show(mine),
             ctx.t("ws.conflict_stored"): _show(stored)} for name, mine, stored in conflict.differences()
            if name != "withdrawn" or mine != stored]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(ctx.t("ws.conflict_help"))


def _show(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return str(value)


def clear(form: str) -> None:
    st.session_state.get(OUTCOME, {}).pop(form, None)
