"""Reading data files as text and checking a record against its declared fields.

Kept apart from the GeoJSON loader so that the CSV and article readers need no geospatial stack.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from corridors.errors import DataError
from corridors.schema import Field


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


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; `DataError` (naming the file) if it is not valid JSON or not
    an object."""
    try:
        data = json.loads(read_utf8(path))
    except json.JSONDecodeError as exc:
        raise DataError(path.name, f"not valid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise DataError(path.name, "expected a JSON object")
    return data


def split_unfinished_line(text: str) -> tuple[str, int | None]:
    """``text`` up to its last line break, and the number of a last line cut off without one.

    Every tool that writes these files ends them with a line break; a CSV cut short mid-row
    still parses, so a missing final line break is the one sign that it was truncated.
    """
    if not text or text.endswith(("\n", "\r")):
        return text, None
    head = text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
    return head, head.count("\n") + 1
