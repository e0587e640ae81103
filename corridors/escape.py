"""Untrusted text made inert for the place it lands: Streamlit Markdown, or a link target.

Text from a data file, an article or a URL parameter may hold Markdown (a link or image that
Streamlit would render from a plain string), Streamlit's own directives (``:red[…]``,
``:material/…:``, ``$…$`` maths) or HTML. `markdown_text` backslash-escapes every ASCII
punctuation character, which CommonMark guarantees to read literally, so the reader sees the
text exactly as written. Text that reaches the map never goes through here: the map's script
builds its DOM with ``textContent``, which cannot run or render anything.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from typing import Final
from urllib.parse import quote

from corridors.schema import HTTP_URL

_PUNCTUATION: Final = re.compile("([" + re.escape(string.punctuation) + "])")
# Control, format (bidi overrides, zero-width joiners), surrogate, private-use and unassigned
# characters can reorder or hide the text around them; line and paragraph separators would break
# a Markdown line. The page drops them (visible_text); link notices mark them (share.echo).
INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def visible_text(text: str) -> str:
    """``text`` without control, format or separator characters; line breaks become spaces."""
    return "".join(
        " " if c in "\n\r\t" else c
        for c in text
        if c in "\n\r\t" or unicodedata.category(c) not in INVISIBLE_CATEGORIES
    )


# Every rerun of every session escapes the same article and names again: remembered, that
# costs a lookup (it was 5% of the server's time under load, a character at a time).
@functools.lru_cache(maxsize=4096)
def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders literally: no link, image, emphasis, HTML or directive."""
    return _PUNCTUATION.sub(r"\\\1", visible_text(text))


def safe_url(url: object) -> str | None:
    """``url`` if it is a plain ``http``/``https`` address, percent-encoding what Markdown would
    misread; None for anything else (``javascript:``, ``data:``, relative, or not text)."""
    if not isinstance(url, str) or not HTTP_URL.match(url) or len(url) > 2_000:
        return None
    # Parentheses and backslashes would end or escape a Markdown link target early.
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~")


def markdown_link(text: str, url: object) -> str:
    """A Markdown link to ``url`` labelled ``text``; just the escaped text if the URL is unsafe."""
    target = safe_url(url)
    label = markdown_text(text)
    return f"[{label}]({target})" if target else label
