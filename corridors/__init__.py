"""Eurasian transport corridors: data loading, validation, measures and the page's model.

Plain Python, never Streamlit. The page (``app.py``) imports `corridors.page`; tools import the
module they need (``python -m corridors.check``).
"""
