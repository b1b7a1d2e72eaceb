"""The only Streamlit and folium glue: loaders, state, filter bar, charts, tiles, tables."""
