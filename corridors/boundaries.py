"""Country boundaries under a point of view: which state each disputed area belongs to.

The committed files hold each piece of land once. ``countries.geojson`` has the countries
*without* the disputed areas; ``disputed.geojson`` has each disputed area with the state the UN
recognises as sovereign and the one (if any) that controls it. A point of view
(``registry.VIEWS``) decides which state each disputed area is drawn and measured with; the
default, ``"un"``, follows the United Nations (for Crimea, UN General Assembly resolution 68/262).
Both files are built from Natural Earth by `corridors.naturalearth`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import Point

from corridors import registry
from corridors.dates import Span, certain_start, holds_on, piecewise
from corridors.errors import DataError


def _view(view: str) -> registry.View:
    try:
        return registry.view(view)
    except KeyError:
        choices = ", ".join(registry.ids(registry.VIEWS))
        raise ValueError(f"unknown view {view!r}; choose one of {choices}") from None


def owner(area: Mapping[str, Any], view: str, when: dt.date | None = None) -> str | None:
    """The state ``view`` gives a disputed area (a disputed.geojson record) on ``when``.

    Before the area's ``since``, a dated view (de facto) gives it its UN-recognised owner:
    Crimea is Ukraine's in either view before 18 March 2014. ``when=None`` means now. None: no
    state (Siachen under "un", Northern Cyprus and Somaliland under "de-facto").
    """
    chosen = _view(view)
    since = area.get("since")
    started = not isinstance(since, str) or when is None or holds_on(since, None, when)
    if chosen.dated and not started:
        chosen = registry.view(registry.UN_VIEW)
    value = area.get(chosen.owner_column)
    # A missing owner reads back as None or NaN depending on the pandas string dtype.
    return value if isinstance(value, str) else None


def owner_spans(area: Mapping[str, Any], view: str) -> list[tuple[Span, str | None]]:
    """`owner` for every day at once: the state ``view`` gives the area over each span of days."""
    since = area.get("since")
    changes = [certain_start(since)] if isinstance(since, str) else []
    return piecewise(changes, lambda when: owner(area, view, when))


def countries_in_view(
    countries: gpd.GeoDataFrame,
    disputed: gpd.GeoDataFrame,
    view: str = registry.DEFAULT_VIEW,
    when: dt.date | None = None,
) -> gpd.GeoDataFrame:
    """One row per ``iso_a3`` with each disputed area merged into its owner under ``view`` on
    ``when`` (see `owner`); an area with no owner is merged into no country.
    """
    merged = countries.copy()
    for row in disputed.to_dict("records"):
        holder = owner(row, view, when)
        if holder is None:
            continue
        match = merged.index[merged["iso_a3"] == holder]
        if len(match) != 1:
            raise DataError(
                registry.DISPUTED_FILE,
                f"owner {holder} under view {view!r} is not a single country in "
                f"{registry.COUNTRIES_FILE}; rebuild both files with scripts/build_countries.py",
                str(row["id"]),
            )
        merged.loc[match[0], "geometry"] = shapely.union(merged.geometry[match[0]], row["geometry"])
    return merged.sort_values("iso_a3").reset_index(drop=True)


def country_at(
    countries: gpd.GeoDataFrame,
    disputed: gpd.GeoDataFrame,
    lon: float,
    lat: float,
    view: str = registry.DEFAULT_VIEW,
    when: dt.date | None = None,
) -> str | None:
    """The ``iso_a3`` of the country holding the point under ``view`` on ``when``, or None (sea,
    no owner)."""
    point = Point(lon, lat)
    for row in disputed.to_dict("records"):
        if row["geometry"].covers(point):
            return owner(row, view, when)
    hits = countries.loc[countries.geometry.covers(point), "iso_a3"]
    return str(sorted(hits)[0]) if len(hits) else None
