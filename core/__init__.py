"""The domain of Kompetenskartan, in pure Python: no Streamlit, no folium."""
