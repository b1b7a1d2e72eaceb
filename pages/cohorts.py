"""Samverkanskohorter: which needs reach a viable class only when pooled across municipalities."""

import streamlit as st

from components import banners, state
from components.maps import cohorts as cohort_map
from components.planning import cohorts as cohort_view
from components.public import supply as supply_view

ctx = state.context()
st.title(ctx.t("cohort.title"))
st.caption(ctx.t("cohort.intro", area=ctx.area_label))
banners.demo_label(ctx)
codes = supply_view.area_codes(ctx)
if not codes:
    st.info(ctx.t("supply.no_area"), icon=":material/location_off:")
    st.stop()

settings, competences, pressed = cohort_view.parameters(ctx, cohort_view.competences_in(ctx))
key = cohort_view.inputs_key(ctx, settings, competences)
result = cohort_view.stored(ctx)
if pressed:
    result = cohort_view.run(ctx, codes, settings, competences, key)
if result is None:
    st.info(ctx.t("cohort.not_run"), icon=":material/groups:")
    st.stop()
if result.key != key:
    st.warning(ctx.t("cohort.stale"), icon=":material/history:")

plan, labels = result.plan, cohort_view.labels(ctx)
cohort_view.headline(ctx, plan)
proposals, members, non_viable, routed = cohort_view.tables(ctx, result, labels)

st.subheader(ctx.t("cohort.proposals", n=len(proposals)))
if proposals.empty:
    st.info(ctx.t("cohort.none_found"), icon=":material/search_off:")
else:
    shown = cohort_view.proposal_table(ctx, proposals)
    pick = st.selectbox(ctx.t("cohort.pick"), proposals["cohort"].tolist(), key="cohort_pick",
                        format_func=lambda i: cohort_view.proposal_label(ctx, proposals, i))
    cohort = plan.cohorts[pick - 1]
    left, right = st.columns([3, 2])
    with left:
        tips = cohort_view.member_tips(ctx, cohort)
        cohort_map.show(cohort_map.build(codes, cohort, ctx.names["municipality"], labels.host(cohort.host, ctx.lang), tips))
    with right:
        cohort_view.cohort_card(ctx, cohort, labels)
        cohort_view.to_effort(ctx, cohort, pick, result.key, labels.host(cohort.host, ctx.lang))

st.subheader(ctx.t("cohort.pooled_title", n=int(members["pooled_only"].sum())))
st.caption(ctx.t("cohort.pooled_caption"))
cohort_view.pooled_table(ctx, members)

st.subheader(ctx.t("cohort.non_viable_title", n=len(non_viable)))
cohort_view.non_viable_table(ctx, non_viable)
if not routed.empty:
    st.subheader(ctx.t("cohort.routed_title", n=len(routed)))
    cohort_view.routed_table(ctx, routed)

st.subheader(ctx.t("cohort.export"))
cohort_view.downloads(ctx, result, {
    ctx.t("cohort.sheet_proposals"): proposals, ctx.t("cohort.sheet_members"): members,
    ctx.t("cohort.sheet_non_viable"): non_viable, ctx.t("cohort.sheet_routed"): routed,
})
