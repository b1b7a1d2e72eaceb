"""Build the per-run context: language, the shared filter bar, the selection."""

from __future__ import annotations

import streamlit as st

from components import filter_bar, loaders, state
from core.filters import apply, area_codes
from core.i18n import LANGUAGES, t
from core.labels import area_label, catalogue_names
from data import reference

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def language_switch() -> str:
    state.init_language_from_url()
    st.sidebar.radio(
        t(state.language(), "app.language"), LANGUAGES, key=state.LANG,
        format_func=LANGUAGE_NAMES.get, horizontal=True,
    )
    return state.language()


def build(lang: str, page_params: tuple[str, ...] = ()) -> state.Context:
    source = loaders.source()
    needs = loaders.needs(source.url)
    choices = loaders.choices(source.url)
    munis = loaders.municipalities()
    present = set(needs["municipality_code"].astype(str).unique())
    names = {
        "municipality": dict(zip(munis["code"], munis["name"])),
        "competence": catalogue_names(reference.competences(), lang),
        "industry_group": catalogue_names(reference.industry_groups(), lang),
    }
    fa_names = dict(zip(munis["fa_code"], munis["fa_name"]))
    sections = dict(zip(reference.sni_sections()["section"], reference.sni_sections()["name_sv"]))
    filters = filter_bar.render(choices, lang, names, fa_names, sections, len(present))
    codes = area_codes(filters.area, munis, reference.fyrbodal_codes())
    filter_bar.write_url(filters, lang, keep=page_params)
    return state.Context(
        lang=lang,
        filters=filters,
        choices=choices,
        codes=codes,
        area_label=area_label(lang, filters.area, names["municipality"], fa_names, len(present)),
        needs=needs,
        selected=apply(needs, filters, codes),
        names=names,
        is_demo=source.is_demo,
        meta=source.meta,
        url=source.url,
    )
