"""Build the per-run context: language, the shared filter bar, the selection."""

from __future__ import annotations

import streamlit as st

from components import filter_bar, loaders, state
from components.public import filters as public_filters
from core.analysis.filters import ALL, FYRBODAL, Choices, Filters, area_codes
from core.analysis.labels import area_label
from core.analysis.selection import Selection
from core.common.config import database_url
from core.common.i18n import LANGUAGES, t
from core.records import audience
from core.records.audience import User
from data import reference

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def language_switch() -> str:
    state.init_language_from_url()
    st.sidebar.radio(
        t(state.language(), "app.language"), LANGUAGES, key=state.LANG,
        format_func=LANGUAGE_NAMES.get, horizontal=True,
    )
    return state.language()


def register_state() -> str:
    """``ready``, ``empty`` (no needs yet) or ``unset`` (not made by init nor demo): which pages there are."""
    url = database_url()
    return loaders.register_state(url, loaders.revision(url))


def build(lang: str, page_params: tuple[str, ...] = (), user: User | None = None) -> state.Context:
    rev = loaders.revision(database_url())  # once per rerun: every register cache below is keyed by it
    source = loaders.source(rev)
    names = loaders.names(lang)
    if loaders.register_state(source.url, rev) != "ready":  # no figures to select from: the start page's context
        return _start(lang, user, source, rev, names)
    if loaders.release_checked(source.url, rev):  # a cache hit: every rerun but the first of a revision and day
        loaders.scheduled_release(source.url, rev)
    else:
        with st.spinner(t(lang, "release.publishing")):
            loaders.scheduled_release(source.url, rev)
    if not audience.sees_companies(user):
        return _protected(lang, page_params, user, source, rev, names)
    # rows, cut to the user's municipalities on the server before any page sees them
    allowed = audience.scope(user)
    needs = loaders.rows(source.url, rev, allowed)
    choices = loaders.choices(source.url, rev, allowed)  # from the rows the user may read, never the whole register
    mine = None
    if allowed is not None:  # a broker: their municipalities together (when more than one) or one at a time
        mine = t(lang, "filters.area_mine", names=", ".join(names["municipality"].get(c, c) for c in sorted(allowed)))
    present = loaders.municipalities_present(source.url, rev, allowed)
    munis = loaders.municipalities()
    fa_names, sections = loaders.fa_names(), loaders.section_names()
    filters = filter_bar.render(choices, lang, names, fa_names, sections, present, mine)
    codes = area_codes(filters.area, munis, reference.fyrbodal_codes())
    filter_bar.write_url(filters, lang, keep=page_params)
    return state.Context(
        lang=lang,
        filters=filters,
        choices=choices,
        codes=codes,
        area_label=mine if mine and filters.area == ALL else area_label(lang, filters.area, names["municipality"], fa_names,
                                                                       present),
        needs=needs,
        selection=_selection(source.url, rev, allowed, filters, codes),
        names=names,
        is_demo=source.is_demo,
        meta=source.meta,
        url=source.url,
        revision=rev,
        user=user,
    )


def _selection(url: str, rev: str, scope: tuple[str, ...] | None, filters: Filters, codes: list[str] | None) -> Selection:
    return loaders.selection(url, rev, scope, filters.without_ignored(), None if codes is None else tuple(codes))


def selection_of(ctx: state.Context, filters: Filters) -> Selection:
    """Another selection of the context's rows and area (the needs map's previous period, say), shared as its own is."""
    return _selection(ctx.url, ctx.revision, audience.scope(ctx.user), filters, ctx.codes)


def _protected(lang: str, page_params: tuple[str, ...], user: User | None, source: loaders.Source, rev: str,
               names: dict[str, dict[str, str]]) -> state.Context:
    """The public's and viewers' context: the protected release and no row of the register."""
    fyrbodal = reference.fyrbodal_codes()
    published = loaders.public_release(source.url, rev)
    if published is None:  # needs, but none from a closed quarter yet
        st.info(t(lang, "release.none"), icon=":material/schedule:")
        st.stop()
    view = public_filters.render(published, lang, names, fyrbodal)
    area = st.session_state.get(state.AREA, FYRBODAL)
    if view is not None:
        public_filters.write_url(view, area, lang, keep=page_params)
    empty = loaders.rows(source.url, rev, audience.scope(user))  # no row (scope ()): the register's columns only
    choices = Choices(areas=(FYRBODAL, *[f"m:{c}" for c in fyrbodal]), industries=(), competences=(), months=())
    label = area_label(lang, area, names["municipality"], {}, len(fyrbodal))
    year = (f"{view.year}-01", f"{view.year}-12") if view is not None else None
    focus = Filters(area=area, period=year)
    if view is not None and view.dim == "industry_group":
        focus = Filters(area=area, industry=f"ig:{view.value}", period=year)
    elif view is not None and view.dim == "competence":
        focus = Filters(area=area, competences=(view.value,), period=year)
    return state.Context(
        lang=lang, filters=focus, choices=choices, codes=list(view.codes) if view else list(fyrbodal),
        area_label=label, needs=empty, selection=Selection(empty), names=names, is_demo=source.is_demo, meta=source.meta,
        url=source.url, revision=rev, user=user, release=published, view=view,
    )


def _start(lang: str, user: User | None, source: loaders.Source, rev: str, names: dict[str, dict[str, str]]) -> state.Context:
    """The context of a register with no needs yet: no filter bar and no release (nothing to publish)."""
    empty = loaders.rows(source.url, rev, ())
    choices = Choices(areas=(FYRBODAL,), industries=(), competences=(), months=())
    return state.Context(
        lang=lang, filters=Filters(area=FYRBODAL), choices=choices, codes=list(reference.fyrbodal_codes()),
        area_label=area_label(lang, FYRBODAL, names["municipality"], {}, 14), needs=empty, selection=Selection(empty),
        names=names, is_demo=source.is_demo, meta=source.meta, url=source.url, revision=rev, user=user,
    )
