"""The build of geodata/countries.geojson and geodata/disputed.geojson from Natural Earth.

Reads Natural Earth 4.1.0 1:50m as redistributed by npm ``world-atlas`` 2.0.2, takes the areas
described in ``geodata/sources/disputed-areas.json`` out of the countries that Natural Earth
draws them in, and simplifies both as one coverage. Run by ``scripts/build_countries.py``;
pycountry is needed here only, so it is imported inside the build.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from corridors import borders, registry
from corridors.antimeridian import polygonal_parts, polygons, split_at_antimeridian
from corridors.errors import DataError
from corridors.geodesy import area_km2
from corridors.reading import check_fields, read_utf8
from corridors.schema import DISPUTED

SOURCE_FILE: Final = Path("node_modules/world-atlas/countries-50m.json")
# The detailed borders the map draws from registry.DETAIL_ZOOM up (corridors.borders).
DETAIL_SOURCE_FILE: Final = Path("node_modules/world-atlas/countries-10m.json")
AREAS_FILE: Final = Path("geodata/sources/disputed-areas.json")

# Degrees, as shapely.coverage_simplify takes it (roughly the square root of the area of the
# triangles removed). 0.05° is about two screen pixels at zoom 6 and indistinguishable from
# the source there; 0.1° already shows angular borders in the Caucasus and Fergana Valley.
SIMPLIFY_TOLERANCE: Final = 0.05
# 0.001° is about 110 m, a twentieth of a pixel at zoom 6; more digits only add bytes.
COORDINATE_DECIMALS: Final = 3
# coverage_simplify's tolerance for the detailed borders: measured against the 1:10m source,
# 99.9% of its vertices stay within 1 km (0.01° let 0.5% stray further, and 0.003° added
# a third more bytes).
DETAIL_TOLERANCE: Final = 0.005
# A guard on the tolerance: simplification may not change a large country's area by more.
_MAX_AREA_CHANGE: Final = 0.02
_AREA_GUARD_MIN_KM2: Final = 100_000.0

CRS84: Final[Mapping[str, Any]] = {
    "type": "name",
    "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"},
}


@dataclass(frozen=True)
class _Carve:
    """Where a disputed area sits in Natural Earth: a whole feature, or its parts inside a box."""

    natural_earth_name: str
    within: tuple[float, float, float, float] | None = None


# DisputedArea: one record of AREAS_FILE, the properties its feature in disputed.geojson carries.
DisputedArea = Mapping[str, Any]

# Natural Earth's de-facto drawing puts Crimea inside Russia, as a part of its own (the Kerch
# Strait separates it); the box holds the peninsula and nothing else of Russia's.
_CARVES: Final[Mapping[str, _Carve]] = {
    "crimea": _Carve("Russia", within=(32.4, 44.3, 36.7, 46.3)),
    "northern-cyprus": _Carve("N. Cyprus"),
    "siachen-glacier": _Carve("Siachen Glacier"),
    "somaliland": _Carve("Somaliland"),
}

# Features without an ISO 3166 numeric id that are countries in their own right.
_USER_ASSIGNED: Final[Mapping[str, tuple[str, str]]] = {
    # XK/XKX is the user-assigned code the EU, IMF and ISO-aware software use for Kosovo.
    "Kosovo": ("XKX", "Kosovo"),
}

# Natural Earth lumps Christmas Island and the Cocos (Keeling) Islands, which ISO 3166 lists
# separately (as it does Norfolk Island or Heard Island, which Natural Earth keeps apart).
_SPLIT_BY_BOX: Final[Mapping[str, Mapping[str, tuple[float, float, float, float]]]] = {
    "Indian Ocean Ter.": {
        "162": (105.4, -10.7, 105.9, -10.3),  # Christmas Island
        "166": (96.7, -12.3, 97.0, -11.7),  # Cocos (Keeling) Islands
    },
}

# Left out, by Natural Earth name, with the reason written into the files' metadata.
_EXCLUDED: Final[Mapping[str, str]] = {
    "Antarctica": (
        "Antarctica (ATA) is left out: as a polar cap its only valid outline spans all 360° of "
        "longitude, which breaks the rule that no drawn part spans the map, and it lies "
        "outside this project's area."
    ),
    # 1:10m only. Giving any of these to one claimant would take a side the data cannot.
    **{
        name: (
            f"{name} (1:10m only) is left out: reefs and islets claimed by several states, "
            "which this project does not give to any one of them."
        )
        for name in ("Bajo Nuevo Bank", "Scarborough Reef", "Serranilla Bank", "Spratly Is.")
    },
}

# 1:10m draws these apart from the ISO 3166 country whose territory they are (1:50m draws them
# inside it): each joins that country, by ISO numeric code.
_JOINED: Final[Mapping[str, str]] = {
    "Akrotiri": "826",  # UK Sovereign Base Area (Treaty of Establishment, 1960): no ISO code
    "Dhekelia": "826",
    "Baikonur": "398",  # Kazakh territory leased to Russia
    "USNB Guantanamo Bay": "192",  # Cuban territory leased to the United States
    "Cyprus U.N. Buffer Zone": "196",  # within the Republic of Cyprus, patrolled by UNFICYP
    "Clipperton I.": "250",  # French state private property, no ISO code of its own
    "Coral Sea Is.": "036",  # Australian external territory, no ISO code of its own
}

# pycountry's names read better than Natural Earth's abbreviations ("Bosnia and Herz.") except
# where pycountry's short name is a formal long form or qualified; these keep the usual form.
_NAME_OVERRIDES: Final[Mapping[str, str]] = {
    "RUS": "Russia",
    "BRN": "Brunei",
    "COD": "DR Congo",
    "MAF": "Saint Martin",
    "CCK": "Cocos (Keeling) Islands",
}


def _metadata(excluded: Iterable[str] = ()) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "source": (
            "Natural Earth 4.1.0, Admin 0 countries, 1:50m, as TopoJSON in npm world-atlas "
            "2.0.2 (countries-50m.json)"
        ),
        "licence": "Public domain (Natural Earth terms of use)",
        "generated_by": "scripts/build_countries.py (corridors.boundaries)",
        "simplification": {
            "method": "shapely.coverage_simplify over countries and disputed areas together",
            "tolerance_degrees": SIMPLIFY_TOLERANCE,
            "coordinate_decimals": COORDINATE_DECIMALS,
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
        },
        "views": (
            f"{registry.COUNTRIES_FILE} holds countries without the areas in "
            f"{registry.DISPUTED_FILE}; merge those in with "
            "corridors.boundaries.countries_in_view. Default view 'un' (UN General Assembly "
            "resolution 68/262 for Crimea); 'de-facto' follows control."
        ),
        "antimeridian": "Polygons crossing ±180° are split there (RFC 7946, section 3.1.9).",
    }
    if excluded:
        metadata["excluded"] = sorted(excluded)
    return metadata


def read_disputed_areas(path: Path) -> tuple[DisputedArea, ...]:
    """The disputed-area records, checked against disputed.geojson's schema, sorted by id.

    Each must have a carve in ``_CARVES`` and each carve a record: the two are kept in step.
    """
    try:
        records = json.loads(read_utf8(path))
    except json.JSONDecodeError as exc:
        raise DataError(path.name, f"not valid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError(path.name, "expected a list of objects, one per disputed area")
    for position, record in enumerate(records, start=1):
        label = str(record.get("id") or f"#{position}")
        try:
            check_fields(record, DISPUTED.fields)
        except ValueError as exc:
            raise DataError(path.name, str(exc), label) from exc
        if record["id"] not in _CARVES:
            raise DataError(
                path.name, "no carve says where Natural Earth draws it; add one to _CARVES", label
            )
    ids = [r["id"] for r in records]
    if sorted(ids) != sorted(_CARVES) or len(set(ids)) != len(ids):
        raise DataError(
            path.name, f"ids {sorted(ids)} do not match the carves in _CARVES {sorted(_CARVES)}"
        )
    return tuple(sorted(records, key=lambda r: str(r["id"])))


def read_natural_earth(path: Path) -> gpd.GeoDataFrame:
    """The world-atlas TopoJSON ``countries`` layer, CRS set and rings split at ±180°."""
    frame = gpd.read_file(path, layer="countries")
    if frame.crs is None:
        # TopoJSON declares no CRS; world-atlas documents longitude/latitude in degrees.
        frame = frame.set_crs("EPSG:4326")
    frame["geometry"] = [split_at_antimeridian(g) for g in frame.geometry]
    return frame


def _polygonal(parts: Sequence[Polygon]) -> Polygon | MultiPolygon:
    return parts[0] if len(parts) == 1 else MultiPolygon(list(parts))


def _english_name(numeric: str, natural_earth_name: str) -> tuple[str, str]:
    """Alpha-3 code and a short readable English name for an ISO 3166 numeric code."""
    import pycountry  # build-time only: not in requirements.txt

    record = pycountry.countries.get(numeric=numeric)
    if record is None:
        raise DataError(
            SOURCE_FILE.name,
            f"ISO 3166 numeric code {numeric} is unknown to pycountry; "
            "update pycountry or add a treatment in corridors/naturalearth.py",
            natural_earth_name,
        )
    alpha3 = str(record.alpha_3)
    common = getattr(record, "common_name", None)
    if alpha3 in _NAME_OVERRIDES:
        name = _NAME_OVERRIDES[alpha3]
    elif common:
        name = str(common)
    elif "," in record.name or "(" in record.name:
        # pycountry's sorting forms ("Congo, The Democratic Republic of the"); Natural Earth's
        # name, with its "Is." written out, reads better.
        name = natural_earth_name.replace(" Is.", " Islands")
    else:
        name = str(record.name)
    return alpha3, name


def _carve_disputed(
    frame: gpd.GeoDataFrame, areas: Iterable[DisputedArea]
) -> tuple[dict[str, Polygon | MultiPolygon], dict[str, BaseGeometry | None]]:
    """Disputed geometries by id, and what remains of each Natural Earth feature they came from.

    A remaining value of ``None`` means the whole feature was the disputed area.
    """
    by_name = dict(zip(frame["name"], frame.geometry, strict=True))
    disputed: dict[str, Polygon | MultiPolygon] = {}
    remaining: dict[str, BaseGeometry | None] = {}
    for area in areas:
        area_id, area_name = str(area["id"]), str(area["name"])
        carve = _CARVES[area_id]
        if carve.natural_earth_name not in by_name:
            raise DataError(
                SOURCE_FILE.name,
                f"no feature named {carve.natural_earth_name!r} to take {area_name} from; "
                "check the source version or update _CARVES",
                area_id,
            )
        source = remaining.get(carve.natural_earth_name, by_name[carve.natural_earth_name])
        if source is None:
            raise DataError(SOURCE_FILE.name, "feature already taken whole", area_id)
        if carve.within is None:
            disputed[area_id] = _polygonal(polygons(source))
            remaining[carve.natural_earth_name] = None
            continue
        zone = box(*carve.within)
        inside = [p for p in polygons(source) if zone.contains(p)]
        outside = [p for p in polygons(source) if not zone.contains(p)]
        if not inside or not outside:
            raise DataError(
                SOURCE_FILE.name,
                f"expected {area_name} as separate parts of {carve.natural_earth_name} inside "
                f"the box {carve.within}, found {len(inside)} of {len(inside) + len(outside)}",
                area_id,
            )
        disputed[area_id] = _polygonal(inside)
        remaining[carve.natural_earth_name] = _polygonal(outside)
    return disputed, remaining


_Add = Callable[[str, str | None, str, BaseGeometry], None]


def _countries(
    frame: gpd.GeoDataFrame, remaining: Mapping[str, BaseGeometry | None]
) -> tuple[dict[str, tuple[str | None, str, list[Polygon]]], list[str]]:
    """Countries by alpha-3 (ISO numeric code or None, English name, polygon parts), and the
    reason for each feature left out."""
    countries: dict[str, tuple[str | None, str, list[Polygon]]] = {}
    left_out: list[str] = []

    def add(alpha3: str, numeric: str | None, name: str, geometry: BaseGeometry) -> None:
        if alpha3 in countries:
            # Natural Earth draws some dependencies apart from their ISO country (Ashmore and
            # Cartier Islands carry Australia's code): they join that country.
            countries[alpha3][2].extend(polygons(geometry))
        else:
            countries[alpha3] = (numeric, name, polygons(geometry))

    for numeric, ne_name, geometry in zip(frame["id"], frame["name"], frame.geometry, strict=True):
        if ne_name in remaining:
            geometry = remaining[ne_name]
            if geometry is None:
                continue
        if ne_name in _EXCLUDED:
            left_out.append(_EXCLUDED[ne_name])
            continue
        if geometry.is_empty:
            left_out.append(f"{ne_name} is left out: the source's outline of it is empty.")
            continue
        numeric = _JOINED.get(ne_name, numeric)
        if isinstance(numeric, str):
            alpha3, name = _english_name(numeric, ne_name)
            add(alpha3, numeric, name, geometry)
        elif ne_name in _USER_ASSIGNED:
            alpha3, name = _USER_ASSIGNED[ne_name]
            add(alpha3, None, name, geometry)
        elif ne_name in _SPLIT_BY_BOX:
            _split_by_box(ne_name, geometry, add)
        else:
            raise DataError(
                SOURCE_FILE.name,
                "feature has no ISO 3166 numeric id and no treatment; add one to "
                "corridors/naturalearth.py (country code, disputed area or split)",
                str(ne_name),
            )
    return countries, left_out


def _split_by_box(ne_name: str, geometry: BaseGeometry, add: _Add) -> None:
    """Give each part of a feature lumping several ISO territories to the territory's box."""
    boxes = {numeric: box(*bounds) for numeric, bounds in _SPLIT_BY_BOX[ne_name].items()}
    parts = polygons(geometry)
    for part in parts:
        if sum(zone.contains(part) for zone in boxes.values()) != 1:
            raise DataError(
                SOURCE_FILE.name,
                f"a part at {part.representative_point().coords[0]} lies in no box or in "
                "several; adjust _SPLIT_BY_BOX",
                ne_name,
            )
    for numeric, zone in boxes.items():
        inside = [p for p in parts if zone.contains(p)]
        if not inside:
            raise DataError(SOURCE_FILE.name, f"no part inside the box for {numeric}", ne_name)
        alpha3, name = _english_name(numeric, ne_name)
        add(alpha3, numeric, name, _polygonal(inside))


def _round(geometry: BaseGeometry) -> BaseGeometry:
    # Pointwise rounding keeps vertex-for-vertex equality of shared edges, which snap-rounding
    # (set_precision's default) does not promise; validity is checked afterwards instead.
    grid = 10.0**-COORDINATE_DECIMALS
    rounded = shapely.set_precision(geometry, grid, mode="pointwise")
    # "+ 0.0" turns -0.0 into 0.0, so the text never depends on the sign of a zero.
    return shapely.transform(shapely.remove_repeated_points(rounded), lambda xy: xy + 0.0)


def simplify_coverage(geometries: Sequence[BaseGeometry]) -> list[Polygon | MultiPolygon]:
    """Simplify countries and disputed areas as one coverage, so shared borders stay shared.

    Raises ``DataError`` if the result is not a valid coverage, a geometry is invalid or empty,
    or a large country's area changes by more than the guard allows.
    """
    oriented = shapely.orient_polygons(np.asarray(geometries, dtype=object))
    simplified = shapely.coverage_simplify(oriented, SIMPLIFY_TOLERANCE)
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    result: list[Polygon | MultiPolygon] = []
    for index, (before, simple) in enumerate(zip(oriented, simplified, strict=True)):
        after = shapely.orient_polygons(shapely.normalize(_round(simple)), exterior_cw=False)
        if after.is_empty or not after.is_valid or not isinstance(after, Polygon | MultiPolygon):
            raise DataError(
                registry.COUNTRIES_FILE,
                f"simplified geometry is empty or invalid ({shapely.is_valid_reason(after)}); "
                "lower SIMPLIFY_TOLERANCE or raise COORDINATE_DECIMALS",
                str(index),
            )
        area = area_km2(before)
        if area >= _AREA_GUARD_MIN_KM2 and abs(area_km2(after) / area - 1) > _MAX_AREA_CHANGE:
            raise DataError(
                registry.COUNTRIES_FILE,
                f"simplification changes the area by more than {_MAX_AREA_CHANGE:.0%}; "
                "lower SIMPLIFY_TOLERANCE",
                str(index),
            )
        result.append(after)
    if not shapely.coverage_is_valid(np.asarray(result, dtype=object)):
        raise DataError(
            registry.COUNTRIES_FILE,
            "countries and disputed areas no longer form a valid coverage (gaps or overlaps "
            "along shared borders); lower SIMPLIFY_TOLERANCE or raise COORDINATE_DECIMALS",
        )
    return result


def _feature_collection(
    features: Iterable[tuple[Mapping[str, Any], BaseGeometry]], metadata: Mapping[str, Any]
) -> str:
    collection = {
        "type": "FeatureCollection",
        "crs": CRS84,
        "metadata": metadata,
        "features": [
            {"type": "Feature", "properties": dict(props), "geometry": mapping(geometry)}
            for props, geometry in features
        ],
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


@dataclass(frozen=True)
class BuiltFiles:
    """The text of both output files, ready to write."""

    countries: str
    disputed: str


def _coverage(
    source: Path, areas: Sequence[DisputedArea]
) -> tuple[list[str], dict[str, str], dict[str, str | None], list[BaseGeometry], list[str]]:
    """Countries then disputed areas from one Natural Earth file: ids, names, ISO numeric codes,
    geometries, and the reasons for what was left out."""
    frame = read_natural_earth(source)
    disputed, remaining = _carve_disputed(frame, areas)
    countries, left_out = _countries(frame, remaining)
    codes = sorted(countries)
    ids = [*codes, *(str(a["id"]) for a in areas)]
    names = {c: countries[c][1] for c in codes} | {str(a["id"]): str(a["name"]) for a in areas}
    numeric = {c: countries[c][0] for c in codes}
    geometries: list[BaseGeometry] = [_polygonal(countries[c][2]) for c in codes]
    geometries += [disputed[a["id"]] for a in areas]
    return ids, names, numeric, geometries, left_out


def reference_shapes(source: Path, areas_file: Path) -> dict[str, BaseGeometry]:
    """Each country and disputed area as ``source`` draws it, carved and treated as in `build`
    and made valid (a territory joined to its country fills the hole the source left for it),
    not simplified: what the drawn borders are measured against."""
    ids, _, _, geometries, _ = _coverage(source, read_disputed_areas(areas_file))
    return {i: _made_valid(g) for i, g in zip(ids, geometries, strict=True)}


def build(source: Path, areas_file: Path) -> BuiltFiles:
    """Derive countries.geojson and disputed.geojson from the world-atlas TopoJSON and the
    disputed-area records in ``areas_file``."""
    areas = read_disputed_areas(areas_file)
    ids, names, numeric, geometries, left_out = _coverage(source, areas)
    simplified = simplify_coverage(geometries)
    codes = ids[: len(numeric)]
    country_features = [
        ({"iso_a3": code, "iso_n3": numeric[code], "name": names[code]}, geometry)
        for code, geometry in zip(codes, simplified[: len(codes)], strict=True)
    ]
    disputed_features = [
        (area, geometry) for area, geometry in zip(areas, simplified[len(codes) :], strict=True)
    ]
    return BuiltFiles(
        countries=_feature_collection(country_features, _metadata(left_out)),
        disputed=_feature_collection(disputed_features, _metadata()),
    )


def _made_valid(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """``geometry`` with the source's ring defects repaired, keeping only its polygons."""
    return _polygonal(list(polygonal_parts(shapely.make_valid(geometry, method="structure"))))


def build_detail(source: Path, areas_file: Path) -> str:
    """The text of registry.DETAIL_FILE: the 1:10m countries and disputed areas, carved and
    treated as in `build`, repaired into a clean coverage, simplified and cut into tiles."""
    areas = read_disputed_areas(areas_file)
    ids, names, _, geometries, left_out = _coverage(source, areas)
    # 1:10m as quantised by world-atlas has rings that touch themselves and neighbours that
    # overlap by a few metres; make_valid and coverage_clean repair both. coverage_clean's own
    # snapping distance (about a metre at this extent) is kept: without snapping, GEOS 3.14
    # merges Ukraine, Georgia and Kazakhstan into Russia (tests/test_borders.py measures each
    # country against the source, which catches it).
    valid = [_made_valid(g) for g in geometries]
    clean = shapely.coverage_clean(  # type: ignore[attr-defined]  # new in shapely 2.2
        np.asarray(valid, dtype=object)
    )
    oriented = shapely.orient_polygons(clean)
    simplified = shapely.make_valid(shapely.coverage_simplify(oriented, DETAIL_TOLERANCE))
    metadata = {
        "source": (
            "Natural Earth 4.1.0, Admin 0 countries, 1:10m, as TopoJSON in npm world-atlas "
            "2.0.2 (countries-10m.json)"
        ),
        "licence": "Public domain (Natural Earth terms of use)",
        "generated_by": "scripts/build_countries.py (corridors.naturalearth, corridors.borders)",
        "simplification": {
            "method": (
                "shapely.make_valid and coverage_clean (its default snapping), then "
                "coverage_simplify "
                "over countries and disputed areas together"
            ),
            "tolerance_degrees": DETAIL_TOLERANCE,
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
        },
        "encoding": (
            "tiles[key] lists [id, polygons] clipped to the tile; a polygon is rings, a ring "
            "[lat0, lon0, dlat1, dlon1, …] in 1/scale degree; longitudes west of -30° are "
            "moved 360° east, as in the map's data document"
        ),
        "views": (
            "Disputed areas are their own ids (see disputed.geojson for owners under each view)"
        ),
        "excluded": sorted(left_out),
    }
    return borders.file_text(ids, names, list(simplified), metadata)


def write(files: BuiltFiles, out_dir: Path) -> list[Path]:
    """Write both files into ``out_dir`` (created if missing); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        (registry.COUNTRIES_FILE, files.countries),
        (registry.DISPUTED_FILE, files.disputed),
    ):
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
