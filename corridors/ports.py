"""Ports from searoute's list, by UN/LOCODE: the list, a port looked up by code, name or label,
and the one-line errors for a port the comparison cannot use."""

from __future__ import annotations

import difflib
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from corridors.schema import LOCODE

# --- Errors: one line each, saying what is wrong and what to do ---------------------------------


class RouteInputError(ValueError):
    """A port or speed the comparison cannot use; ``str()`` is a one-line message for a reader."""


class UnknownPort(RouteInputError):
    """No port in the list has that UN/LOCODE or name."""


class AmbiguousPort(RouteInputError):
    """Several ports have that name; the message lists their UN/LOCODEs."""


class SamePort(RouteInputError):
    """Origin and destination are the same port."""


class InlandPort(RouteInputError):
    """The port lies inland: the sea network does not reach it."""


def quoted(text: str, limit: int = 40) -> str:
    """User input quoted in a message, cut short so a 60 KB value cannot flood it."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- The port list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Port:
    """A port from searoute's list: its UN/LOCODE, name, country and position (WGS84)."""

    locode: str
    name: str
    country: str
    lon: float
    lat: float

    @property
    def label(self) -> str:
        """ "Shanghai (CNSHA)": how the port is named in tables and messages."""
        return f"{self.name} ({self.locode})"


def _country(raw: str) -> str:
    # searoute writes "South_korea", "United_states".
    return " ".join(w[:1].upper() + w[1:] for w in raw.replace("_", " ").split())


def read_ports() -> dict[str, Port]:
    """searoute's port list (its ``data/ports.geojson``) by UN/LOCODE."""
    import searoute

    path = Path(searoute.__file__).parent / "data" / "ports.geojson"
    by_code: dict[str, Port] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props, (lon, lat) = feature["properties"], feature["geometry"]["coordinates"]
        code = props.get("port")
        # 38 codes appear more than once (3,957 entries, 3,919 codes); the first one is kept.
        if isinstance(code, str) and LOCODE.match(code) and code not in by_code:
            by_code[code] = Port(code, props["name"], _country(props["cty"]), lon, lat)
    return by_code


_PORTS_LOCK = threading.Lock()
_PORTS: list[dict[str, Port]] = []


def ports() -> Mapping[str, Port]:
    """searoute's port list by UN/LOCODE, read once per process."""
    with _PORTS_LOCK:
        if not _PORTS:
            _PORTS.append(read_ports())
        return _PORTS[0]


# --- Looking up a port --------------------------------------------------------------------------

_LABELLED = re.compile(r"^.*\(\s*([A-Za-z]{2}[A-Za-z2-9]{3})\s*\)\s*$")
# "St Petersburg", "St. Petersburg" and "Saint Petersburg" are one name; so are "Ust-Luga" and
# "Ust Luga".
_SAINT = re.compile(r"^st\.?\s+")
_SEPARATORS = re.compile(r"[\s\-]+")


def _normal(name: str) -> str:
    return _SEPARATORS.sub(" ", _SAINT.sub("saint ", name.strip().casefold()))


def _listed(found: Sequence[Port]) -> str:
    return ", ".join(f"{p.locode} ({p.country})" for p in sorted(found, key=lambda p: p.locode))


def find_port(
    text: str,
    ports_by_code: Mapping[str, Port] | None = None,
    *,
    aliases: Mapping[str, str] | None = None,
    preferred: Sequence[str] = (),
) -> Port:
    """The port named by ``text``: a UN/LOCODE ("CNSHA"), a label ("Shanghai (CNSHA)"), another
    name for it in ``aliases`` ("Busan" for searoute's "Pusan"), its name (any case; "St" and
    "Saint" alike) or the start of a name only one port has ("Vladiv").

    Where several ports share a name or a start, the one among the ``preferred`` UN/LOCODEs (the
    ports a page offers) is meant if there is exactly one. Raises `UnknownPort` or
    `AmbiguousPort` with a one-line message.
    """
    known = ports_by_code if ports_by_code is not None else ports()
    if not isinstance(text, str) or not text.strip():
        raise UnknownPort("No port given: name one by UN/LOCODE (CNSHA) or by name (Shanghai)")
    wanted = text.strip()
    labelled = _LABELLED.match(wanted)
    code = (labelled.group(1) if labelled else wanted).upper()
    if code in known:
        return known[code]
    if labelled:
        raise UnknownPort(f"No port has the UN/LOCODE {quoted(code)} in searoute's port list")
    name = _normal(wanted)
    alias = {_normal(k): v for k, v in (aliases or {}).items()}.get(name)
    if alias is not None and alias in known:
        return known[alias]
    offered = [known[c] for c in preferred if c in known]
    matchers: list[tuple[Callable[[Port], bool], str]] = [
        (lambda p: _normal(p.name) == name, "are called"),
        (lambda p: len(name) >= 3 and _normal(p.name).startswith(name), "have names starting"),
    ]
    for matches, called in matchers:
        found = [p for p in known.values() if matches(p)]
        if len(found) == 1:
            return found[0]
        chosen = [p for p in offered if matches(p)]
        if len(chosen) == 1:
            return chosen[0]
        if found:
            more = "…" if len(found) > 8 else ""
            raise AmbiguousPort(
                f"{len(found)} ports {called} {quoted(wanted)}: give one of "
                f"{_listed(found[:8])}{more}"
            )
    names = {_normal(p.name): p for p in reversed([*known.values(), *offered])}
    close = difflib.get_close_matches(name[:60], list(names), n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(names[c].label for c in close)}?" if close else ""
    what = "UN/LOCODE or name" if LOCODE.match(code) else "name"
    raise UnknownPort(f"No port has the {what} {quoted(wanted)} in searoute's port list{hint}")
