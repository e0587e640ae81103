"""Country boundaries: disputed areas, points of view, and the build of geodata/countries.geojson.

The committed files hold each piece of land once. ``countries.geojson`` has the countries
*without* the disputed areas; ``disputed.geojson`` has each disputed area with the state the UN
recognises as sovereign and the one (if any) that controls it. A point of view
(``registry.VIEWS``) decides which state each disputed area is drawn and measured with; the
default, ``"un"``, follows the United Nations (for Crimea, UN General Assembly resolution 68/262).

The build reads Natural Earth 4.1.0 1:50m as redistributed by npm ``world-atlas`` 2.0.2 and is
run by ``scripts/build_countries.py``. pycountry is needed by the build only, so it is
imported inside it and the runtime API (``countries_in_view``, ``country_at``) works without.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.antimeridian import polygons, split_at_antimeridian
from corridors.errors import DataError
from corridors.geodesy import area_km2

COUNTRIES_FILE: Final = registry.COUNTRIES_FILE
DISPUTED_FILE: Final = registry.DISPUTED_FILE
SOURCE_FILE: Final = Path("node_modules/world-atlas/countries-50m.json")

# Degrees, as shapely.coverage_simplify takes it (roughly the square root of the area of the
# triangles removed). 0.05° is about two screen pixels at zoom 6 and indistinguishable from
# the source there; 0.1° already shows angular borders in the Caucasus and Fergana Valley.
SIMPLIFY_TOLERANCE: Final = 0.05
# 0.001° is about 110 m, a twentieth of a pixel at zoom 6; more digits only add bytes.
COORDINATE_DECIMALS: Final = 3
# A guard on the tolerance: simplification may not change a large country's area by more.
_MAX_AREA_CHANGE: Final = 0.02
_AREA_GUARD_MIN_KM2: Final = 100_000.0

CRS84: Final[Mapping[str, Any]] = {
    "type": "name",
    "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"},
}


@dataclass(frozen=True)
class Source:
    """A document that states the status of a disputed area."""

    publisher: str
    title: str
    date: str
    url: str


@dataclass(frozen=True)
class DisputedArea:
    """An area whose UN-recognised sovereign differs from whoever controls it.

    ``None`` for an owner means no UN member state: no UN determination (Siachen) or a
    self-declared state the UN does not recognise (Northern Cyprus, Somaliland).
    """

    id: str
    name: str
    un_iso_a3: str | None
    de_facto_iso_a3: str | None
    since: str
    status: str
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class _Carve:
    """Where a disputed area sits in Natural Earth: a whole feature, or its parts inside a box."""

    natural_earth_name: str
    within: tuple[float, float, float, float] | None = None


DISPUTED_AREAS: Final[tuple[DisputedArea, ...]] = (
    DisputedArea(
        id="crimea",
        name="Crimea",
        un_iso_a3="UKR",
        de_facto_iso_a3="RUS",
        since="2014-03-18",
        status="occupied",
        note=(
            "Autonomous Republic of Crimea and the city of Sevastopol. Annexed by Russia on "
            "18 March 2014; UN General Assembly resolution 68/262 affirms Ukraine's territorial "
            "integrity within its internationally recognised borders and calls on states not "
            "to recognise the change of status; later resolutions call it temporarily occupied."
        ),
        sources=(
            Source(
                "UN General Assembly",
                "Resolution 68/262: Territorial integrity of Ukraine",
                "2014-03-27",
                "https://digitallibrary.un.org/record/767565",
            ),
            Source(
                "UN General Assembly",
                "Resolution 73/263: Situation of human rights in the Autonomous Republic of "
                "Crimea and the city of Sevastopol, Ukraine",
                "2018-12-22",
                "https://undocs.org/A/RES/73/263",
            ),
        ),
    ),
    DisputedArea(
        id="northern-cyprus",
        name="Northern Cyprus",
        un_iso_a3="CYP",
        de_facto_iso_a3=None,
        since="1974-08-16",
        status="breakaway",
        note=(
            "Outside the control of the Republic of Cyprus since the Turkish military "
            "intervention of July-August 1974 (line reached at the ceasefire of 16 August "
            "1974). Administered by the self-declared Turkish Republic of Northern Cyprus "
            "(declared 15 November 1983), which only Turkey recognises; UN Security Council "
            "resolution 541 (1983) considers the declaration legally invalid."
        ),
        sources=(
            Source(
                "UN Security Council",
                "Resolution 541 (1983) on Cyprus",
                "1983-11-18",
                "https://undocs.org/S/RES/541(1983)",
            ),
        ),
    ),
    DisputedArea(
        id="siachen-glacier",
        name="Siachen Glacier",
        un_iso_a3=None,
        de_facto_iso_a3="IND",
        since="1984-04-13",
        status="contested",
        note=(
            "Held by India since Operation Meghdoot (13 April 1984) and claimed by Pakistan. "
            "The 1949 Karachi ceasefire line, later the Line of Control, was not drawn beyond "
            "point NJ9842; the UN treats Jammu and Kashmir as a dispute whose final status is "
            "not settled, so no UN view assigns the glacier to either state."
        ),
        sources=(
            Source(
                "UN Security Council",
                "Resolution 47 (1948): The India-Pakistan question",
                "1948-04-21",
                "https://undocs.org/S/RES/47(1948)",
            ),
        ),
    ),
    DisputedArea(
        id="somaliland",
        name="Somaliland",
        un_iso_a3="SOM",
        de_facto_iso_a3=None,
        since="1991-05-18",
        status="breakaway",
        note=(
            "Self-declared Republic of Somaliland, which declared independence from Somalia on "
            "18 May 1991 and governs the area. The UN does not recognise it; Security Council "
            "resolutions on Somalia reaffirm the territorial integrity and unity of Somalia."
        ),
        sources=(
            Source(
                "UN Security Council",
                "Resolution 2705 (2023): The situation in Somalia",
                "2023-10-31",
                "https://undocs.org/S/RES/2705(2023)",
            ),
        ),
    ),
)

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

# Left out of countries.geojson, with the reason written into its metadata.
_EXCLUDED: Final[Mapping[str, str]] = {
    "010": (
        "Antarctica (ATA) is left out: as a polar cap its only valid outline spans all 360° of "
        "longitude, which breaks the rule that no drawn part spans the map, and it lies "
        "outside this project's area."
    ),
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
            f"{COUNTRIES_FILE} holds countries without the areas in {DISPUTED_FILE}; merge "
            "those in with corridors.boundaries.countries_in_view. Default view 'un' (UN "
            "General Assembly resolution 68/262 for Crimea); 'de-facto' follows control."
        ),
        "antimeridian": "Polygons crossing ±180° are split there (RFC 7946, section 3.1.9).",
    }
    if excluded:
        metadata["excluded"] = sorted(excluded)
    return metadata


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
            "update pycountry or add a treatment in corridors/boundaries.py",
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
    frame: gpd.GeoDataFrame,
) -> tuple[dict[str, Polygon | MultiPolygon], dict[str, BaseGeometry | None]]:
    """Disputed geometries by id, and what remains of each Natural Earth feature they came from.

    A remaining value of ``None`` means the whole feature was the disputed area.
    """
    by_name = dict(zip(frame["name"], frame.geometry, strict=True))
    disputed: dict[str, Polygon | MultiPolygon] = {}
    remaining: dict[str, BaseGeometry | None] = {}
    for area in DISPUTED_AREAS:
        carve = _CARVES[area.id]
        if carve.natural_earth_name not in by_name:
            raise DataError(
                SOURCE_FILE.name,
                f"no feature named {carve.natural_earth_name!r} to take {area.name} from; "
                "check the source version or update _CARVES",
                area.id,
            )
        source = remaining.get(carve.natural_earth_name, by_name[carve.natural_earth_name])
        if source is None:
            raise DataError(SOURCE_FILE.name, "feature already taken whole", area.id)
        if carve.within is None:
            disputed[area.id] = _polygonal(polygons(source))
            remaining[carve.natural_earth_name] = None
            continue
        zone = box(*carve.within)
        inside = [p for p in polygons(source) if zone.contains(p)]
        outside = [p for p in polygons(source) if not zone.contains(p)]
        if not inside or not outside:
            raise DataError(
                SOURCE_FILE.name,
                f"expected {area.name} as separate parts of {carve.natural_earth_name} inside "
                f"the box {carve.within}, found {len(inside)} of {len(inside) + len(outside)}",
                area.id,
            )
        disputed[area.id] = _polygonal(inside)
        remaining[carve.natural_earth_name] = _polygonal(outside)
    return disputed, remaining


_Add = Callable[[str, str | None, str, BaseGeometry], None]


def _countries(
    frame: gpd.GeoDataFrame, remaining: Mapping[str, BaseGeometry | None]
) -> dict[str, tuple[str | None, str, list[Polygon]]]:
    """Countries by alpha-3: ISO numeric code (or None), English name, polygon parts."""
    countries: dict[str, tuple[str | None, str, list[Polygon]]] = {}

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
        if isinstance(numeric, str):
            if numeric not in _EXCLUDED:
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
                "corridors/boundaries.py (country code, disputed area or split)",
                str(ne_name),
            )
    return countries


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
                COUNTRIES_FILE,
                f"simplified geometry is empty or invalid ({shapely.is_valid_reason(after)}); "
                "lower SIMPLIFY_TOLERANCE or raise COORDINATE_DECIMALS",
                str(index),
            )
        area = area_km2(before)
        if area >= _AREA_GUARD_MIN_KM2 and abs(area_km2(after) / area - 1) > _MAX_AREA_CHANGE:
            raise DataError(
                COUNTRIES_FILE,
                f"simplification changes the area by more than {_MAX_AREA_CHANGE:.0%}; "
                "lower SIMPLIFY_TOLERANCE",
                str(index),
            )
        result.append(after)
    if not shapely.coverage_is_valid(np.asarray(result, dtype=object)):
        raise DataError(
            COUNTRIES_FILE,
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


def build(source: Path) -> BuiltFiles:
    """Derive countries.geojson and disputed.geojson from the world-atlas TopoJSON."""
    frame = read_natural_earth(source)
    disputed, remaining = _carve_disputed(frame)
    countries = _countries(frame, remaining)
    codes = sorted(countries)
    areas = sorted(DISPUTED_AREAS, key=lambda a: a.id)
    geometries: list[BaseGeometry] = [_polygonal(countries[c][2]) for c in codes]
    geometries += [disputed[a.id] for a in areas]
    simplified = simplify_coverage(geometries)
    country_features = [
        ({"iso_a3": code, "iso_n3": countries[code][0], "name": countries[code][1]}, geometry)
        for code, geometry in zip(codes, simplified[: len(codes)], strict=True)
    ]
    disputed_features = [
        (asdict(area), geometry)
        for area, geometry in zip(areas, simplified[len(codes) :], strict=True)
    ]
    return BuiltFiles(
        countries=_feature_collection(country_features, _metadata(_EXCLUDED.values())),
        disputed=_feature_collection(disputed_features, _metadata()),
    )


def write(files: BuiltFiles, out_dir: Path) -> list[Path]:
    """Write both files into ``out_dir`` (created if missing); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in ((COUNTRIES_FILE, files.countries), (DISPUTED_FILE, files.disputed)):
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


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
                DISPUTED_FILE,
                f"owner {owner} under view {view!r} is not a single country in "
                f"{COUNTRIES_FILE}; rebuild both files with scripts/build_countries.py",
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
