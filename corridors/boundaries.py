"""Country boundaries under a point of view: which state each disputed area belongs to.

The committed files hold each piece of land once. ``countries.geojson`` has the countries
*without* the disputed areas; ``disputed.geojson`` has each disputed area with the state the UN
recognises as sovereign and the one (if any) that controls it. A point of view
(``registry.VIEWS``) decides which state each disputed area is drawn and measured with; the
default, ``"un"``, follows the United Nations (for Crimea, UN General Assembly resolution 68/262).
Both files are built from Natural Earth by `corridors.naturalearth`.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import Point

from corridors import registry
from corridors.errors import DataError


def _owner_column(view: str) -> str:
    try:
        return registry.view(view).owner_column
    except KeyError:
        choices = ", ".join(registry.ids(registry.VIEWS))
        raise ValueError(f"unknown view {view!r}; choose one of {choices}") from None


def countries_in_view(
    countries: gpd.GeoDataFrame, disputed: gpd.GeoDataFrame, view: str = registry.DEFAULT_VIEW
) -> gpd.GeoDataFrame:
    """One row per ``iso_a3`` with each disputed area merged into its owner under ``view``.

    An area with no owner under the view (Siachen under "un", Northern Cyprus and Somaliland
    under "de-facto") is merged into no country; draw it from the disputed layer.
    """
    owner_property = _owner_column(view)
    merged = countries.copy()
    for row in disputed.itertuples(index=False):
        owner = getattr(row, owner_property)
        # A missing owner reads back as None or NaN depending on the pandas string dtype.
        if not isinstance(owner, str):
            continue
        match = merged.index[merged["iso_a3"] == owner]
        if len(match) != 1:
            raise DataError(
                registry.DISPUTED_FILE,
                f"owner {owner} under view {view!r} is not a single country in "
                f"{registry.COUNTRIES_FILE}; rebuild both files with scripts/build_countries.py",
                str(row.id),
            )
        merged.loc[match[0], "geometry"] = shapely.union(merged.geometry[match[0]], row.geometry)
    return merged.sort_values("iso_a3").reset_index(drop=True)


def country_at(
    countries: gpd.GeoDataFrame,
    disputed: gpd.GeoDataFrame,
    lon: float,
    lat: float,
    view: str = registry.DEFAULT_VIEW,
) -> str | None:
    """The ``iso_a3`` of the country holding the point under ``view``, or None (sea, no owner)."""
    owner_property = _owner_column(view)
    point = Point(lon, lat)
    for row in disputed.itertuples(index=False):
        if row.geometry.covers(point):
            owner = getattr(row, owner_property)
            return owner if isinstance(owner, str) else None
    hits = countries.loc[countries.geometry.covers(point), "iso_a3"]
    return str(sorted(hits)[0]) if len(hits) else None
