"""Read geodata/ into GeoDataFrames, enforcing the schema in corridors.schema on every feature."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from corridors import references
from corridors.errors import DataError, Problems
from corridors.geodesy import length_km
from corridors.reading import check_fields, read_utf8
from corridors.schema import CORRIDORS, POINT_KINDS, WGS84_NAMES, LayerSchema

CRS = "EPSG:4326"


def _parse(path: Path) -> Any:
    text = read_utf8(path)
    if not text.strip():
        raise DataError(path.name, "the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            path.name, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def _check_crs(data: Mapping[str, Any], file: str) -> None:
    crs = data.get("crs")
    if crs is None:
        raise DataError(
            file, f"no CRS declared: add a 'crs' member naming one of {sorted(WGS84_NAMES)}"
        )
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name not in WGS84_NAMES:
        raise DataError(file, f"CRS {name!r} is not WGS84 longitude/latitude (CRS84)")


def _geometry(raw: Any, schema: LayerSchema) -> tuple[BaseGeometry, str | None]:
    """The feature's geometry, and why it was repaired (None if it was valid as written)."""
    if not isinstance(raw, dict) or raw.get("type") not in schema.geometry_types:
        kind = raw.get("type") if isinstance(raw, dict) else raw
        raise ValueError(f"geometry type {kind!r} is not one of {sorted(schema.geometry_types)}")
    try:
        # NaN coordinates are reported just below, in words; numpy's own warning adds nothing.
        with np.errstate(invalid="ignore"):
            geom = shape(raw)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, GEOSException) as exc:
        raise ValueError(f"geometry cannot be read: {exc}") from exc
    if geom.is_empty:
        raise ValueError("geometry is empty")
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise ValueError("geometry has NaN coordinates")
    if (abs(coords[:, 0]) > 180).any() or (abs(coords[:, 1]) > 90).any():
        raise ValueError("coordinates are not longitude/latitude degrees (outside ±180/±90)")
    if geom.is_valid:
        return geom, None
    reason = shapely.is_valid_reason(geom)
    # "structure" rebuilds polygons from their rings (a bow-tie becomes two triangles) and drops
    # parts that collapse to lines or points, so the result is of the kind the file declared.
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    if fixed.is_empty or not fixed.is_valid or fixed.geom_type not in schema.geometry_types:
        raise ValueError(f"invalid geometry that cannot be repaired: {reason}")
    return fixed, reason


def _empty(schema: LayerSchema) -> gpd.GeoDataFrame:
    columns = [f.name for f in schema.fields]
    return gpd.GeoDataFrame(pd.DataFrame([], columns=columns, dtype=object), geometry=[], crs=CRS)


def read_layer(
    path: Path, schema: LayerSchema, problems: Problems | None = None
) -> gpd.GeoDataFrame:
    """Read a GeoJSON file in geodata/ and check it against ``schema``; one row per feature.

    Strict by default: the first problem raises `DataError`. With a lenient ``problems``, a
    broken feature is left out and a broken file gives an empty frame, each recorded there.
    Invalid geometry is repaired with ``make_valid`` and the repair recorded.
    """
    problems = problems if problems is not None else Problems()
    file = path.name
    try:
        data = _parse(path)
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            raise DataError(file, "not a GeoJSON FeatureCollection")
        _check_crs(data, file)
        features = data.get("features")
        if not isinstance(features, list):
            raise DataError(file, "'features' is missing or not a list")
    except DataError as exc:
        problems.failed(exc)
        return _empty(schema)
    records: list[dict[str, Any]] = []
    geometries: list[BaseGeometry] = []
    seen: set[str] = set()
    for position, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        label = (
            str(props.get(schema.id_field))
            if isinstance(props, dict) and props.get(schema.id_field)
            else f"#{position}"
        )
        try:
            if not isinstance(props, dict):
                raise ValueError("feature has no properties object")
            check_fields(props, schema.fields)
            for extra in schema.extra_checks:
                if problem := extra(props):
                    raise ValueError(problem)
            geometry, repaired = _geometry(feature.get("geometry"), schema)
            if label in seen:
                raise ValueError(f"duplicate {schema.id_field} {label!r}")
        except ValueError as exc:
            problems.report(file, str(exc), feature=label)
            continue
        if repaired is not None:
            problems.repaired(file, f"invalid geometry ({repaired}) repaired", feature=label)
        seen.add(label)
        records.append(props)
        geometries.append(geometry)
    columns = [f.name for f in schema.fields]
    # object dtype keeps absent properties as None and lists as lists (pandas would make NaN).
    table = pd.DataFrame(
        [{c: r.get(c) for c in columns} for r in records], columns=columns, dtype=object
    )
    return gpd.GeoDataFrame(table, geometry=geometries, crs=CRS)


def with_lengths(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``length_km``: the geodesic length of each feature on the WGS84 ellipsoid."""
    out = frame.copy()
    out["length_km"] = [length_km(g) for g in out.geometry]
    return out


def check_consistent(
    frame: gpd.GeoDataFrame, file: str, group: str, same: Iterable[str], problems: Problems
) -> gpd.GeoDataFrame:
    """Segments of one corridor must agree on the corridor-level properties ``same``.

    A segment that disagrees with its corridor's first segment is reported and left out.
    """
    keep = []
    for key, rows in frame.groupby(group, sort=False):
        first = rows.iloc[0]
        keep.append(rows.index[0])
        for index, row in rows.iloc[1:].iterrows():
            differs = [prop for prop in same if row[prop] != first[prop]]
            if differs:
                problems.report(
                    file,
                    f"{differs[0]!r} differs from segment {first['id']!r} of corridor {key!r}",
                    feature=str(row["id"]),
                )
            else:
                keep.append(index)
    return frame.loc[sorted(keep)]


# Properties that describe the corridor as a whole and so must read the same on every segment.
CORRIDOR_LEVEL = ("name", "kind", "status", "geometry_quality")


def load_corridors(path: Path, problems: Problems | None = None) -> gpd.GeoDataFrame:
    """The corridors file, schema-checked, with geodesic ``length_km`` per feature."""
    problems = problems if problems is not None else Problems()
    frame = read_layer(path, CORRIDORS, problems)
    keep = []
    for index, row in frame.iterrows():
        is_point = row.geometry.geom_type == "Point"
        if is_point != (row["kind"] in POINT_KINDS):
            problems.report(
                path.name,
                f"a {row['kind']!r} must be drawn as a {'point' if not is_point else 'line'}",
                feature=str(row["id"]),
            )
        else:
            keep.append(index)
    # References first: a segment whose id names another corridor must not become the first
    # segment its corridor's other features are compared with.
    frame = references.within_corridors(frame.loc[keep], problems)
    frame = check_consistent(frame, path.name, "corridor", CORRIDOR_LEVEL, problems)
    return with_lengths(frame.reset_index(drop=True))
