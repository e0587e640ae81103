"""Eurasian transport corridors: data loading, validation and measures (no Streamlit here)."""
