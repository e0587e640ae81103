"""geodata/sea-routes.json, read and checked: published distances between ports by route, and
each route's caveats, every one citing its sources (schema: `SEA_ROUTES_FIELDS`).

What the comparison (`corridors.routes`) shows beside the routes it computes; nothing here is an
input to the routing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridors import registry
from corridors.errors import DataError
from corridors.reading import check_fields, read_json_object
from corridors.registry import GEODATA
from corridors.schema import LOCODE, SEA_ROUTES_FIELDS


@dataclass(frozen=True)
class Source:
    """A publication cited by a figure or a caveat."""

    id: str
    publisher: str
    title: str
    date: str
    url: str
    note: str | None = None


@dataclass(frozen=True)
class Published:
    """A published figure for a port pair and route: a ``distance`` or a ``saving`` against
    Suez in per cent."""

    origin: str
    destination: str
    route: str
    quantity: str
    value: float
    unit: str
    source: Source
    note: str | None = None

    def between(self, a: str, b: str) -> bool:
        """True if the figure is for ports ``a`` and ``b``, in either order."""
        return {self.origin, self.destination} == {a, b}

    @property
    def nm(self) -> float | None:
        """The distance in nautical miles (None for a saving)."""
        if self.quantity != "distance":
            return None
        return self.value * registry.LENGTH_KM[self.unit] / registry.LENGTH_KM["nmi"]


@dataclass(frozen=True)
class Caveat:
    """Something the distance does not say about a route, with its sources."""

    route: str
    id: str
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SeaRoutesData:
    """geodata/sea-routes.json, checked."""

    # UN/LOCODEs the page's port pickers offer before a reader types any other: the ports of
    # the published figures and of the map, and the main ports of the trade it is about.
    ports: tuple[str, ...]
    # Names readers use that searoute's list spells otherwise ("Busan" for its "Pusan").
    aliases: Mapping[str, str]
    sources: Mapping[str, Source]
    published: tuple[Published, ...]
    caveats: tuple[Caveat, ...]


def read_sea_routes(path: Path) -> SeaRoutesData:
    """Read and check the sea-routes file; any problem raises `DataError` (file, entry, problem)."""
    file = path.name
    raw = read_json_object(path)
    try:
        check_fields(raw, SEA_ROUTES_FIELDS)
    except ValueError as exc:
        raise DataError(file, str(exc)) from exc
    suggested = raw["ports"]
    for i, code in enumerate(suggested):
        if not isinstance(code, str) or not LOCODE.match(code):
            raise DataError(file, f"{code!r} is not a UN/LOCODE", f"ports[{i}]")
        if code in suggested[:i]:
            raise DataError(file, f"{code} is listed twice", f"ports[{i}]")
    for alias, code in raw["aliases"].items():
        if not isinstance(code, str) or not LOCODE.match(code):
            raise DataError(file, f"{code!r} is not a UN/LOCODE", f"aliases[{alias!r}]")
    sources: dict[str, Source] = {}
    for entry in raw["sources"]:
        if entry["id"] in sources:
            raise DataError(file, "source id is used twice", feature=entry["id"])
        sources[entry["id"]] = Source(**entry)

    def cited(source_id: Any, where: str) -> Source:
        if not isinstance(source_id, str) or source_id not in sources:
            raise DataError(file, f"cites {source_id!r}, which no source has as id", where)
        return sources[source_id]

    published = []
    for i, entry in enumerate(raw["published"]):
        where = f"published[{i}]"
        if entry["from"] == entry["to"]:
            raise DataError(file, "'from' and 'to' are the same port", where)
        percent = entry["unit"] == "%"
        if percent != (entry["quantity"] == "saving"):
            raise DataError(file, "a saving is given in %, a distance in nmi, km or m", where)
        if entry["quantity"] == "saving" and entry["route"] == "suez":
            raise DataError(file, "a saving is measured against Suez, so not for Suez", where)
        if entry["value"] <= 0:
            raise DataError(file, "'value' must be positive", where)
        published.append(
            Published(
                entry["from"],
                entry["to"],
                entry["route"],
                entry["quantity"],
                float(entry["value"]),
                entry["unit"],
                cited(entry["source"], where),
                entry.get("note"),
            )
        )
    caveats = []
    seen: set[tuple[str, str]] = set()
    for entry in raw["caveats"]:
        key = (entry["route"], entry["id"])
        where = f"caveat {entry['route']}/{entry['id']}"
        if key in seen:
            raise DataError(file, "caveat is listed twice", where)
        seen.add(key)
        caveats.append(
            Caveat(
                entry["route"],
                entry["id"],
                entry["text"],
                tuple(cited(s, where) for s in entry["sources"]),
            )
        )
    return SeaRoutesData(
        tuple(suggested), dict(raw["aliases"]), sources, tuple(published), tuple(caveats)
    )


_DATA_LOCK = threading.Lock()
_DATA: list[SeaRoutesData] = []


def sea_routes_data() -> SeaRoutesData:
    """geodata/sea-routes.json, read once per process."""
    with _DATA_LOCK:
        if not _DATA:
            _DATA.append(read_sea_routes(GEODATA / registry.SEA_ROUTES_FILE))
        return _DATA[0]
