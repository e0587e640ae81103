"""Ports from searoute's list, by UN/LOCODE: the list, a port looked up by code, name or label,
and the one-line errors for a port the comparison cannot use."""

from __future__ import annotations

import difflib
import json
import re
import threading
from collections.abc import Mapping
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


def find_port(text: str, ports_by_code: Mapping[str, Port] | None = None) -> Port:
    """The port named by ``text``: a UN/LOCODE ("CNSHA"), a name ("Shanghai", any case) or a
    label ("Shanghai (CNSHA)"). Raises `UnknownPort` or `AmbiguousPort` with a one-line message.
    """
    known = ports_by_code if ports_by_code is not None else ports()
    if not isinstance(text, str) or not text.strip():
        raise UnknownPort("no port given: name one by UN/LOCODE (CNSHA) or by name (Shanghai)")
    wanted = text.strip()
    labelled = _LABELLED.match(wanted)
    code = (labelled.group(1) if labelled else wanted).upper()
    if code in known:
        return known[code]
    if labelled:
        raise UnknownPort(f"no port has the UN/LOCODE {quoted(code)} in searoute's port list")
    named = [p for p in known.values() if p.name.casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        codes = ", ".join(sorted(p.locode for p in named))
        raise AmbiguousPort(f"{len(named)} ports are called {quoted(wanted)}: give one of {codes}")
    names = {p.name.casefold(): p for p in known.values()}
    close = difflib.get_close_matches(wanted.casefold()[:60], list(names), n=3, cutoff=0.8)
    hint = f"; close: {', '.join(names[c].label for c in close)}" if close else ""
    what = "UN/LOCODE or name" if LOCODE.match(code) else "name"
    raise UnknownPort(f"no port has the {what} {quoted(wanted)} in searoute's port list{hint}")
