"""Read geodata/ into GeoDataFrames, enforcing the schema in corridors.schema on every feature."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from corridors.errors import DataError
from corridors.geodesy import length_km
from corridors.schema import CORRIDORS, POINT_KINDS, WGS84_NAMES, Field, LayerSchema

CRS = "EPSG:4326"


def _json_type(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "list"}.get(
        type(value), "object" if isinstance(value, dict) else type(value).__name__
    )


def check_fields(values: Mapping[str, Any], fields: Sequence[Field], context: str = "") -> None:
    """Raise ``ValueError`` with a readable problem if ``values`` breaks the declared ``fields``."""
    known = {f.name for f in fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{context}unknown propert{'y' if len(unknown) == 1 else 'ies'} {unknown}")
    for f in fields:
        if f.name not in values:
            if f.required:
                raise ValueError(f"{context}missing required property {f.name!r}")
            continue
        value = values[f.name]
        if value is None:
            if not f.nullable:
                raise ValueError(f"{context}{f.name!r} is null")
            continue
        # bool is an int in Python; a JSON true must not pass as a number.
        if not isinstance(value, f.types) or (isinstance(value, bool) and bool not in f.types):
            wanted = " or ".join(sorted({_json_type(t()) for t in f.types}))
            raise ValueError(f"{context}{f.name!r} should be a {wanted}, not {_json_type(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{context}{f.name!r} is not a finite number")
        if f.check is not None and (problem := f.check(value)):
            raise ValueError(f"{context}{f.name!r}: {problem}")
        if isinstance(value, list):
            if len(value) < f.min_items:
                raise ValueError(f"{context}{f.name!r} needs at least {f.min_items} entr(y/ies)")
            if f.items is not None:
                for i, item in enumerate(value):
                    where = f"{context}{f.name}[{i}]: "
                    if not isinstance(item, dict):
                        raise ValueError(f"{where}should be an object")
                    check_fields(item, f.items, where)


def read_utf8(path: Path) -> str:
    """A data file's text; a file in another encoding is a ``DataError`` naming it."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path.name, f"not UTF-8 text (byte {exc.start})") from exc


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


def _geometry(raw: Any, schema: LayerSchema) -> BaseGeometry:
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
    if not geom.is_valid:
        raise ValueError(f"invalid geometry: {shapely.is_valid_reason(geom)}")
    return geom


def read_layer(path: Path, schema: LayerSchema) -> gpd.GeoDataFrame:
    """Read a GeoJSON file in geodata/ and check it against ``schema``; one row per feature."""
    file = path.name
    data = _parse(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(file, "not a GeoJSON FeatureCollection")
    _check_crs(data, file)
    features = data.get("features")
    if not isinstance(features, list):
        raise DataError(file, "'features' is missing or not a list")
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
            geometries.append(_geometry(feature.get("geometry"), schema))
        except ValueError as exc:
            raise DataError(file, str(exc), feature=label) from exc
        if label in seen:
            raise DataError(file, f"duplicate {schema.id_field} {label!r}", feature=label)
        seen.add(label)
        records.append(props)
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


def check_consistent(frame: gpd.GeoDataFrame, file: str, group: str, same: Iterable[str]) -> None:
    """Segments of one corridor must agree on the corridor-level properties ``same``."""
    for key, rows in frame.groupby(group, sort=False):
        first = rows.iloc[0]
        for _, row in rows.iloc[1:].iterrows():
            for prop in same:
                if row[prop] != first[prop]:
                    raise DataError(
                        file,
                        f"{prop!r} differs from segment {first['id']!r} of corridor {key!r}",
                        feature=str(row["id"]),
                    )


# Properties that describe the corridor as a whole and so must read the same on every segment.
CORRIDOR_LEVEL = ("name", "kind", "status", "geometry_quality")


def load_corridors(path: Path) -> gpd.GeoDataFrame:
    """The corridors file, schema-checked, with geodesic ``length_km`` per feature."""
    frame = read_layer(path, CORRIDORS)
    for _, row in frame.iterrows():
        is_point = row.geometry.geom_type == "Point"
        if is_point != (row["kind"] in POINT_KINDS):
            raise DataError(
                path.name,
                f"a {row['kind']!r} must be drawn as a {'point' if not is_point else 'line'}",
                feature=str(row["id"]),
            )
    check_consistent(frame, path.name, "corridor", CORRIDOR_LEVEL)
    return with_lengths(frame)
