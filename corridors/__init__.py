"""Eurasian transport corridors: data loading, validation and measures (no Streamlit here)."""

from corridors.boundaries import VIEWS, countries_in_view
from corridors.dataset import Dataset, load_dataset
from corridors.errors import DataError
from corridors.geodesy import area_km2, length_km
from corridors.measure import length_between
from corridors.memberships import members_on
from corridors.status import current_status, status_on

__all__ = [
    "VIEWS",
    "DataError",
    "Dataset",
    "area_km2",
    "countries_in_view",
    "current_status",
    "length_between",
    "length_km",
    "load_dataset",
    "members_on",
    "status_on",
]
