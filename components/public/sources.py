"""The sections of the data page: each reference table with its source column shown."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import loaders
from components.charts import Words
from components.memo import shared
from components.public import outlook as outlook_view
from components.state import Context
from core.analysis import barometer, outlook
from core.common.i18n import t
from core.records.audience import Audience
from data import reference


def register(ctx: Context) -> None:
    st.subheader(ctx.t("about.register"))
    if ctx.protected:  # no rows are loaded for the public; say what the register is, not its counts
        st.markdown(ctx.t("about.register_demo_public" if ctx.is_demo else "about.register_real_public",
                          seed=ctx.meta.get("seed", "?"), start=ctx.meta.get("period_start", "?"),
                          end=ctx.meta.get("period_end", "?"), version=ctx.meta.get("generator_version", "?")))
        return
    companies = int(ctx.needs["company_id"].nunique())
    if ctx.is_demo:
        st.markdown(ctx.t(
            "about.register_demo", companies=companies, needs=len(ctx.needs), seed=ctx.meta.get("seed", "?"),
            start=ctx.meta.get("period_start", "?"), end=ctx.meta.get("period_end", "?"),
            version=ctx.meta.get("generator_version", "?"),
        ))
    else:
        st.markdown(ctx.t("about.register_real", companies=companies, needs=len(ctx.needs)))


def definitions(ctx: Context) -> None:
    st.subheader(ctx.t("about.definitions"))
    for key in ("def_need", "def_recruitment", "def_upskilling", "def_horizon", "def_persons"):
        st.markdown(f"- {ctx.t('about.' + key)}")


REFERENCE_TABLES = {  # table -> (title, text, its rows, the columns shown); the name column in the reader's language
    "municipalities": ("about.municipalities", "about.municipalities_text", reference.municipalities,
                       ["code", "name", "central_locality", "population_2023", "population_2023_source", "fa_code", "fa_name"]),
    "places": ("about.places", "about.places_text", reference.places,
               ["name", "municipality_code", "kind", "population", "lat", "lon", "coord_source"]),
    "centres": ("about.centres", "about.centres_text", reference.learning_centres,
                ["name", "kind", "municipality_text", "town", "operator", "status", "source", "source_year"]),
    "competences": ("about.competences", None, reference.competences,
                    ["code", "{name}", "ssyk_group", "training_form", "min_class_size", "max_class_size"]),
    "industry_groups": ("about.industry_groups", None, reference.industry_groups, ["code", "{name}", "sni_sections", "sni_codes"]),
    "classifications": ("about.classifications", "about.classifications_text", reference.sni_sections,
                        ["section", "name_sv", "divisions", "source", "status"]),
}


def reference_tables(ctx: Context) -> None:
    for which, (title, text, _, _) in REFERENCE_TABLES.items():
        st.subheader(ctx.t(title))
        if text:
            st.markdown(ctx.t(text))
        st.dataframe(_reference_table(which, ctx.lang), hide_index=True, width="stretch")


@shared()
def _reference_table(which: str, lang: str) -> pa.Table:
    """A reference table as shown, made once per language (the tables ship with the app) and sent as this Arrow table."""
    _, _, rows, columns = REFERENCE_TABLES[which]
    columns = [c.format(name="name_en" if lang == "en" else "name_sv") for c in columns]
    shown = rows()[columns].rename(columns={c: t(lang, f"refcol.{c}") for c in columns})
    return pa.Table.from_pandas(shown, preserve_index=False)


def travel_model(ctx: Context) -> None:
    """The travel model's method and its error on every sourced figure."""
    st.subheader(ctx.t("about.travel"))
    st.markdown(ctx.t("about.travel_text"))
    shown, summary = _travel_table(ctx.lang)
    st.dataframe(shown, hide_index=True, width="stretch", height=38 + 35 * shown.num_rows)
    st.caption(summary)


@shared()
def _travel_table(lang: str) -> tuple[pa.Table, str]:
    """The travel model's checks as shown and their summary, made once per language (the checks ship with the app)."""
    checked = loaders.travel_checks()
    shown = pd.DataFrame({
        t(lang, "about.travel_from"): checked["from_name"], t(lang, "about.travel_to"): checked["to_name"],
        t(lang, "about.travel_measure"): checked["measure"].map(lambda m: t(lang, f"about.measure_{m}")),
        t(lang, "about.travel_source_value"): checked["value"], t(lang, "about.travel_model"): checked["model"],
        t(lang, "about.travel_error"): (checked["error"] * 100).round(1),
        t(lang, "about.travel_tolerance"): (checked["tolerance"] * 100).round(0),
        t(lang, "about.travel_within"): checked["within"],
        t(lang, "refcol.source"): checked["source"], t(lang, "refcol.status"): checked["status"],
    })
    errors = checked["error"].abs() * 100
    summary = t(lang, "about.travel_summary", n=len(checked), median=f"{errors.median():.0f}", worst=f"{errors.max():.0f}")
    return pa.Table.from_pandas(shown, preserve_index=False), summary


def yrkesbarometer(ctx: Context) -> None:
    """Arbetsförmedlingen's Yrkesbarometer: its source, how the catalogue is linked to it, and every link."""
    st.subheader(ctx.t("about.yb"))
    current = loaders.barometer(ctx.url, ctx.revision)
    covered = loaders.outlook_coverage(ctx.url, ctx.revision)
    st.markdown(ctx.t("about.yb_text", round=current.name, **covered))
    shown = _barometer_table(ctx.url, ctx.revision, Words.of(ctx))
    st.dataframe(shown, hide_index=True, width="stretch", height=38 + 35 * min(shown.num_rows, 15))
    st.caption(outlook_view.source_line(ctx) + " " + (ctx.t("about.yb_imported") if current.imported else
                                                      ctx.t("about.yb_source", source=reference.yrkesbarometer()["source"].iloc[0])))


@shared(max_entries=16)
def _barometer_table(url: str, rev: str, words: Words) -> pa.Table:
    """Every link of a competence to an occupation, with the county's picture of it in the register's current round:
    made once per (register revision, words) and sent as this Arrow table."""
    county = loaders.barometer(url, rev).rows
    county = county[county["lan"] == outlook.COUNTY].set_index("yb_concept_id")
    links = reference.competence_occupations()
    competences = words.names["competence"]

    def assessed(concept: str, column: str, key) -> str:
        if not concept:
            return ""
        value = county[column].get(concept, "")
        return words.t(f"outlook.{key(value)}")

    return pa.Table.from_pandas(pd.DataFrame({
        words.t("column.competence"): [competences.get(c, c) for c in links["competence"]],
        words.t("about.yb_occupation"): links["occupation"].replace("", "–"),
        "SSYK": [county["ssyk"].get(i, "") if i else "" for i in links["yb_concept_id"]],
        words.t("outlook.col_situation"): [assessed(i, "rekryteringssituation", outlook.situation_key) for i in links["yb_concept_id"]],
        words.t("outlook.col_prognosis"): [assessed(i, "prognos", outlook.prognosis_key) for i in links["yb_concept_id"]],
        words.t("about.yb_reason"): links["reason"],
    }), preserve_index=False)


def barometer_changes(ctx: Context) -> None:
    """For an admin: what moved per occupation (Västra Götaland) between two rounds at hand."""
    if ctx.user is None or ctx.user.role != Audience.ADMIN:
        return
    rounds = loaders.barometer_rounds(ctx.url, ctx.revision)
    with st.expander(ctx.t("about.yb_changes_title"), icon=":material/compare_arrows:"):
        names = list(rounds)
        if len(names) < 2:
            st.info(ctx.t("about.yb_one_round", round=names[0]), icon=":material/info:")
            return
        left, right = st.columns(2)
        old = left.selectbox(ctx.t("about.yb_from"), names[:-1], index=len(names) - 2, key="yb_changes_from")
        new = right.selectbox(ctx.t("about.yb_to"), [n for n in names if barometer.round_order(n) > barometer.round_order(old)],
                              key="yb_changes_to")
        changed = barometer.changes(rounds[old], rounds[new])
        if changed.empty:
            st.info(ctx.t("about.yb_no_changes", old=old, new=new), icon=":material/check:")
            return

        def word(field: str, value: str) -> str:
            key = {"rekryteringssituation": outlook.situation_key, "prognos": outlook.prognosis_key,
                   "jobbmojligheter": outlook.jobs_key}[field]
            return ctx.t(f"outlook.{key(value)}")

        shown = pd.DataFrame({ctx.t("about.yb_occupation"): changed["yb_yrke"]})
        for field, label in (("rekryteringssituation", "outlook.col_situation"), ("prognos", "outlook.col_prognosis"),
                             ("jobbmojligheter", "about.yb_jobs")):
            shown[ctx.t(label)] = [word(field, a) + (" → " + word(field, b) if a != b else "")
                                   for a, b in zip(changed[f"{field}_before"], changed[f"{field}_after"])]
        st.caption(ctx.t("about.yb_changes_caption", n=len(changed), old=old, new=new))
        st.dataframe(shown, hide_index=True, width="stretch", key="yb_changes")
