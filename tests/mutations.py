"""Ways to break geodata/, written once for the loader, broken-data, hostile-text and page tests.

Tests break a copy (`copy_geodata`, or the ``geodata_copy`` fixture in conftest.py), never the
committed files. A `Mutation` changes a parsed JSON file in place; `edit_json` applies one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

Mutation = Callable[[Any], None]

ARTICLE: Final = "articles/2024-04-25-russia-warming-to-bri.json"
# A memberships.csv row for a country no file has.
UNKNOWN_COUNTRY_ROW: Final = "ZZZ,eaeu,member,confirmed,2015-01-01,,Test source,,,single-source\n"


def copy_geodata(source: Path, target: Path) -> Path:
    """A copy of the folder ``source`` (geodata/) at ``target``, which must not exist yet."""
    shutil.copytree(source, target)
    return target


def edit_json(root: Path, name: str, change: Mutation) -> Path:
    """Apply ``change`` to the JSON file ``root / name`` in place; returns its path."""
    path = root / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def append_line(root: Path, name: str, line: str) -> None:
    """Add ``line`` at the end of the text file ``root / name``."""
    with (root / name).open("a", encoding="utf-8") as out:
        out.write(line)


def feature(data: dict[str, Any], feature_id: str) -> dict[str, Any]:
    """The feature of a corridors.geojson collection with this ``id``."""
    return next(f for f in data["features"] if f["properties"]["id"] == feature_id)


# --- any GeoJSON file -------------------------------------------------------------------------


def no_crs(d: dict[str, Any]) -> None:
    del d["crs"]


def web_mercator(d: dict[str, Any]) -> None:
    d["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::3857"


# --- corridors.geojson: each breaks one feature -----------------------------------------------


def drop_sources(d: dict[str, Any]) -> None:
    del feature(d, "nord-stream-1")["properties"]["sources"]


def metres(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"][0] = [3595000.0, 3667000.0]


def nan(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"][1] = [float("nan"), 31.0]


def one_point_line(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"] = [[32.3, 31.2]]


def polygon(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[32, 30], [33, 30], [33, 31], [32, 30]]],
    }


def unknown_type(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["type"] = "Curve"


def no_name(d: dict[str, Any]) -> None:
    del feature(d, "suez-canal")["properties"]["name"]


def duplicate(d: dict[str, Any]) -> None:
    d["features"].append(json.loads(json.dumps(feature(d, "suez-canal"))))


def wrong_type(d: dict[str, Any]) -> None:
    feature(d, "cku-railway/china")["properties"]["gauge_mm"] = "1435"


def unknown_property(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["lenght_km"] = 193


def dangling_source(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["figures"][0]["source"] = "nobody"


def bad_status(d: dict[str, Any]) -> None:
    feature(d, "nord-stream-1")["properties"]["status"][0]["status"] = "fine"


def status_out_of_order(d: dict[str, Any]) -> None:
    feature(d, "nord-stream-1")["properties"]["status"].reverse()


def season_missing(d: dict[str, Any]) -> None:
    del feature(d, "northern-sea-route/legal-extent")["properties"]["status"][0]["season"]


def season_not_seasonal(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["status"][0]["season"] = "all year"


def bad_date(d: dict[str, Any]) -> None:
    feature(d, "nord-stream-1")["properties"]["status"][0]["since"] = "8 Nov 2011"


def javascript_url(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["sources"][0]["url"] = "javascript:alert(1)"


def point_for_rail(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"] = {"type": "Point", "coordinates": [32.3, 30.5]}


def segments_disagree(d: dict[str, Any]) -> None:
    feature(d, "cku-railway/uzbekistan")["properties"]["kind"] = "pipeline"


# --- countries.geojson and the article --------------------------------------------------------


def bowtie_kyrgyzstan(d: dict[str, Any]) -> None:
    """Kyrgyzstan as a self-intersecting ring, which the loader repairs (into two triangles)."""
    country = next(f for f in d["features"] if f["properties"]["iso_a3"] == "KGZ")
    country["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[70, 40], [80, 43], [80, 40], [70, 43], [70, 40]]],
    }


def unknown_corridor_link(a: dict[str, Any]) -> None:
    """Paragraph p9 (which also links CHN) links a corridor no file has."""
    a["paragraphs"][8]["corridors"] = ["atlantis-tunnel"]
