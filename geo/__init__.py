"""Geography in pure Python: boundaries, places, (later) travel times and access. No Streamlit."""
