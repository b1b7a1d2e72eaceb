"""Politisk brief: one screen for politicians, and the same content as PDF and PowerPoint."""

import datetime as dt

import streamlit as st

from components import banners, charts, meeting, state
from components.public import briefing as briefing_view

ctx = state.context()
data = briefing_view.inputs(ctx)
periods = briefing_view.periods(data.months)
if not periods:
    st.title(ctx.t("brief.title"))
    banners.empty_selection(ctx)
    st.stop()
area, period_key, presenting = briefing_view.controls(ctx, periods)
if presenting:
    meeting.apply()
brief = briefing_view.brief(ctx, area, periods[period_key])
names = briefing_view.names(ctx.lang, area)
figures = briefing_view.figures(ctx, area, periods[period_key])
population = sum(data.population.get(c, 0) for c in area) or None

st.title(briefing_view.text.title(brief, ctx.lang, names))
st.caption(briefing_view.text.subtitle(brief, ctx.lang, dt.date.today()) + (" · " + ctx.t("brief.filters_note") if not presenting else ""))
banners.demo_label(ctx)
briefing_view.headline(ctx, brief, population)

left, right = st.columns([3, 2])
with left:
    st.subheader(ctx.t("brief.top_title", n=len(brief.top)))
    if figures.top is not None:
        charts.show(ctx, figures.top, "brief_top", lambda: briefing_view.top_table(ctx, brief, names))
    else:
        st.info(ctx.t("brief.top_none"), icon=":material/visibility_off:")
    st.caption(" ".join(x for x in (briefing_view.text.hidden_top_note(brief, ctx.lang), ctx.t("brief.explain_top")) if x))
    st.subheader(ctx.t("brief.need_types_title"))
    if figures.need_types is not None:
        charts.show(ctx, figures.need_types, "brief_types")
    else:
        st.info(ctx.t("brief.suppressed_note", n=3), icon=":material/visibility_off:")
    st.caption(" ".join(line.explanation for line in briefing_view.text.need_types(brief, ctx.lang)))
with right:
    st.subheader(ctx.t("brief.map_title"))
    charts.show(ctx, figures.map, "brief_map", lambda: briefing_view.map_table(ctx, brief, data.outlines, data.population))
    st.caption(ctx.t("brief.explain_map"))

st.subheader(ctx.t("brief.gaps_title"))
gaps = briefing_view.text.gaps(brief, ctx.lang, names)
if gaps:
    briefing_view.table(gaps, [ctx.t(f"brief.gap_{k}") for k in ("competence", "demand", "seats", "gap", "distance")])
else:
    st.info(ctx.t("brief.gaps_none"))
st.caption(ctx.t("brief.explain_gaps"))

st.subheader(ctx.t("brief.outlook_title"))
rows = briefing_view.text.outlook(brief, ctx.lang, names)
if rows:
    briefing_view.table(rows, [ctx.t(f"brief.outlook_{k}") for k in ("competence", "situation", "prognosis")])
else:
    st.info(ctx.t("brief.outlook_none"))
st.caption(ctx.t("brief.explain_outlook", round=brief.outlook_round) + " " + briefing_view.text.outlook_source(brief, ctx.lang))

st.subheader(ctx.t("brief.cohorts_title"))
st.info(ctx.t("brief.cohorts_elsewhere"), icon=":material/visibility_off:")

st.subheader(ctx.t("brief.access_title"))
briefing_view.table(briefing_view.text.access(brief, ctx.lang, names),
                    [ctx.t(f"brief.access_{k}") for k in ("municipality", "car", "pt", "mean")])
st.caption(ctx.t("brief.explain_access"))

st.subheader(ctx.t("brief.sources_title"))
st.markdown("\n".join(f"- {line}" for line in briefing_view.text.sources(brief, ctx.lang, data.meta, dt.date.today())))
if not presenting:
    key = (ctx.url, ctx.revision, tuple(area), periods[period_key], ctx.lang)
    suffix = ("-exempeldata" if ctx.is_demo else "") + f"-{area[0] if len(area) == 1 else 'fyrbodal'}"
    a, b = st.columns(2)
    # callables: the documents are made when a button is pressed, not on every view of the page;
    # no rerun on click, so the other button keeps its file
    a.download_button(ctx.t("brief.download_pdf"), lambda: briefing_view.document(*key, "pdf", dt.date.today()),
                      file_name=f"politisk-brief{suffix}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:", key="brief_pdf",
                      on_click="ignore")
    b.download_button(ctx.t("brief.download_pptx"), lambda: briefing_view.document(*key, "pptx", dt.date.today()),
                      file_name=f"politisk-brief{suffix}.pptx", icon=":material/slideshow:", key="brief_pptx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
