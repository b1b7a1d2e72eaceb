"""Om data: sources, the example-data label, definitions, releases and open data, the accessibility statement."""

import streamlit as st

from components import banners, state
from components.admin import supply_import
from components.public import accessibility, sources
from components.public import releases as release_view

ctx = state.context()
st.title(ctx.t("about.title"))
st.caption(ctx.t("about.intro"))
banners.demo_label(ctx)
sources.register(ctx)
sources.definitions(ctx)
release_view.open_data(ctx)
release_view.next_report(ctx)
sources.reference_tables(ctx)
sources.yrkesbarometer(ctx)
sources.barometer_changes(ctx)
supply_import.panel(ctx)
sources.travel_model(ctx)
accessibility.statement(ctx)
