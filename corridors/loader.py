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

from corridors.errors import DataError, Problems
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
    """A data file's text; a missing file or one in another encoding is a ``DataError``."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise DataError(path.name, "the file is missing") from exc
    except OSError as exc:
        raise DataError(path.name, f"the file cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DataError(path.name, f"not UTF-8 text (byte {exc.start})") from exc


def split_unfinished_line(text: str) -> tuple[str, int | None]:
    """``text`` up to its last line break, and the number of a last line cut off without one.

    Every tool that writes these files ends them with a line break; a CSV cut short mid-row
    still parses, so a missing final line break is the one sign that it was truncated.
    """
    if not text or text.endswith(("\n", "\r")):
        return text, None
    head = text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
    return head, head.count("\n") + 1


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
    frame = check_consistent(frame.loc[keep], path.name, "corridor", CORRIDOR_LEVEL, problems)
    return with_lengths(frame.reset_index(drop=True))
