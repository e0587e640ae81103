"""What a figure measured on an approximate line may look like wherever it is quoted: marked
"≈", a whole multiple of 10 km, and its difference from a published figure in whole percents.

Published figures are the sources' own and keep their precision ("532.53 km"); only what the
project measured is checked, found by the words the text puts beside it ("drawn", "Drawn").
"""

from __future__ import annotations

import re

_ABOUT = re.compile(r"≈ ([\d,.]+) (km|nm)")
_PERCENT = re.compile(r"[+−-]?\d+(?:\.\d+)?%")
# A measured figure written without the mark: "Drawn: 473.7 km", "drawn 270.8 km",
# "151.0 km drawn".
_UNMARKED = re.compile(
    r"Drawn: (?!≈)\S+|drawn (?!≈)[+−-]?[\d,]*\d(?:\.\d+)? (?:km|nm)"
    r"|(?<![\d,.])(?<!≈ )\d[\d,]*(?:\.\d+)? km drawn"
)


def problems(text: str) -> list[str]:
    """Why ``text`` (a fact as "Label: text") quotes a measured length more finely than an
    approximate line supports."""
    out = [f"{m.group(0)!r} is not to 10" for m in _ABOUT.finditer(text)
           if "." in m.group(1) or int(m.group(1).replace(",", "")) % 10]  # fmt: skip
    out += [f"{p!r} is not a whole percent" for p in _PERCENT.findall(text) if "." in p]
    out += [f"{m.group(0)!r} is not marked approximate" for m in _UNMARKED.finditer(text)]
    return out


def assert_quoted_as_approximate(texts: list[str]) -> None:
    """Every measured figure in ``texts`` is marked and rounded as an approximate line's."""
    found = [f"{text}: {problem}" for text in texts for problem in problems(text)]
    assert not found, "\n".join(found)
