"""What pages/timed.py keeps in a server process from one run to the next: the milliseconds the
process has spent in Python's garbage collector, and the page's compiled code.

An import runs once per process, so the collector's callback is added once. The page is compiled
once, as Streamlit compiles its own main script once (its script cache): recompiling it on every
run, as ``runpy.run_path`` would, would add the compile to each run's measured time.
"""

from __future__ import annotations

import functools
import gc
import time
from pathlib import Path
from types import CodeType
from typing import Any

spent_ms = 0.0
_started = 0.0


def _count(phase: str, info: dict[str, Any]) -> None:
    global spent_ms, _started
    if phase == "start":
        _started = time.perf_counter()
    else:
        spent_ms += (time.perf_counter() - _started) * 1000


gc.callbacks.append(_count)


@functools.cache
def compiled(page: Path) -> CodeType:
    """The page's code, compiled on its first run in this process."""
    return compile(page.read_bytes(), str(page), "exec")


def run(page: Path) -> None:
    """Run the page as its own ``__main__``, as ``streamlit run`` does."""
    exec(compiled(page), {"__name__": "__main__", "__file__": str(page)})  # noqa: S102 (the page under test)
