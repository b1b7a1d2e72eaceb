"""The evidence for the next programme: the choice, the sections as tables, and the PDF and Excel downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import loaders, state
from components.tables import as_typed
from core.briefing import evidence_files
from core.briefing.evidence import DEFAULT_LIMIT, LIMITS, Choice, Evidence
from core.common import clock
from core.common.text import literal
from data import reference
from services import evidence as evidence_service
from services.workspace import Refused

COMPETENCE = state.key("evidence_competence", __name__)
PLACE = state.key("evidence_place", __name__)
START = state.key("evidence_start", __name__)
LIMIT = state.key("evidence_limit", __name__)
VERSION = state.key("evidence_version", __name__)
VERSIONS = ("protected", "exact")
MONTHS = 36  # starts offered: the months from next month on


def starts(today: dt.date) -> list[dt.date]:
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return [(pd.Timestamp(first) + pd.DateOffset(months=k)).date() for k in range(MONTHS)]


def _default_start(options: list[dt.date]) -> dt.date:
    """The first August at least six months ahead (a YH programme usually starts in the autumn)."""
    return next((d for d in options[6:] if d.month == 8), options[0])


def _default_competence(ctx: state.Context, codes: list[str]) -> str:
    persons = ctx.needs.groupby("competence", observed=True)["persons"].sum() if len(ctx.needs) else pd.Series(dtype=int)
    return str(persons.idxmax()) if len(persons) and persons.max() > 0 else codes[0]


def study_places(ctx: state.Context) -> list[str]:
    return evidence_service.study_places(loaders.travel_matrix(ctx.url, ctx.revision))


def choice(ctx: state.Context, places: list[str]) -> Choice:
    codes = reference.competences()["code"].tolist()
    names = loaders.place_names()
    options = starts(clock.today())
    st.session_state.setdefault(COMPETENCE, _default_competence(ctx, codes))
    st.session_state.setdefault(START, _default_start(options))
    st.session_state.setdefault(LIMIT, DEFAULT_LIMIT)
    st.session_state.setdefault(VERSION, VERSIONS[0])
    left, middle, right = st.columns(3)
    competence = left.selectbox(ctx.t("evidence.pick_competence"), codes, key=COMPETENCE,
                                format_func=lambda c: ctx.names["competence"].get(c, c))
    place = middle.selectbox(ctx.t("evidence.pick_place"), places, key=PLACE, format_func=lambda p: names.get(p, p))
    start = right.selectbox(ctx.t("evidence.pick_start"), options, key=START, format_func=lambda d: f"{d:%Y-%m}")
    left, right = st.columns(2)
    limit = left.select_slider(ctx.t("evidence.pick_limit"), LIMITS, key=LIMIT, format_func=lambda m: f"{m} min",
                               help=ctx.t("evidence.pick_limit_help"))
    version = right.radio(ctx.t("evidence.pick_version"), VERSIONS, key=VERSION, horizontal=True,
                          format_func=lambda v: ctx.t(f"evidence.version_{v}"), help=ctx.t("evidence.pick_version_help"))
    return Choice(str(competence), str(place), start, int(limit), version == "protected")


def make(ctx: state.Context, chosen: Choice) -> Evidence | None:
    try:
        return evidence_service.make(
            loaders.register(ctx.url), ctx.user, chosen, ctx.lang, offers=loaders.offers(ctx.url, ctx.revision),
            matrix=loaders.travel_matrix(ctx.url, ctx.revision), published=loaders.public_release(ctx.url, ctx.revision),
            barometer=loaders.barometer(ctx.url, ctx.revision),
            names={**ctx.names, "place": loaders.place_names()}, today=clock.today())
    except Refused as refused:
        st.error(ctx.t("evidence.refused") if refused.code == "role" else str(refused), icon=":material/block:")
        return None


def show(ctx: state.Context, found: Evidence, chosen: Choice) -> None:
    """The evidence as the document has it: its title, the choice, each section's table (every cell plain text) with
    its notes, and the sources."""
    st.subheader(literal(found.title))
    if found.demo:
        st.warning(literal(found.demo), icon=":material/science:")
    if not chosen.protected:
        st.warning(ctx.t("evidence.exact_warning"), icon=":material/lock:")
    st.dataframe(pd.DataFrame(list(found.facts), columns=[ctx.t("evidence.col_fact"), ctx.t("evidence.col_value")]), hide_index=True, width="stretch")
    downloads(ctx, found, chosen)
    for section in found.sections:
        st.markdown(f"#### {literal(section.title)}")
        if section.rows:
            st.dataframe(as_typed(pd.DataFrame(list(section.rows), columns=list(section.header))), hide_index=True,
                         width="stretch")
        for note in section.notes:
            st.caption(literal(note))
    st.markdown(f"#### {literal(ctx.t('evidence.sources_title'))}")
    for line in found.sources:
        st.caption(literal(line))


def file_name(ctx: state.Context, chosen: Choice, suffix: str) -> str:
    kind = "skyddad" if chosen.protected else "exakt"
    demo = "-exempeldata" if ctx.is_demo else ""
    return f"underlag-{chosen.competence}-{chosen.place_id}-{chosen.start:%Y-%m}-{kind}{demo}.{suffix}"


def downloads(ctx: state.Context, found: Evidence, chosen: Choice) -> None:
    left, right = st.columns(2)
    left.download_button(ctx.t("evidence.download_pdf"), data=lambda: evidence_files.to_pdf(found),
                         file_name=file_name(ctx, chosen, "pdf"), mime="application/pdf", icon=":material/picture_as_pdf:",
                         on_click="ignore")
    right.download_button(ctx.t("evidence.download_xlsx"), data=lambda: evidence_files.to_xlsx(found),
                          file_name=file_name(ctx, chosen, "xlsx"), icon=":material/table_view:", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
