"""Where a server process's time goes during a measure: py-spy (a sampling profiler that reads
the process from outside, so the server runs unchanged) records the Python stack of the thread
holding the GIL while the measure runs, and `summary` groups the samples.

Only the GIL's holder is sampled (``--gil``): one process runs every session's Python under one
GIL, so that thread is where the process's Python work goes, and a thread waiting for the GIL
would otherwise look busy where it waits (asyncio's ``_write_to_self`` on waking the event
loop, the polling watcher's sleep). Two shares per group, of all samples: *own* time, the
samples whose innermost frame is in the group (where the CPU was), and *total* time, the
samples with a frame of the group anywhere on the stack (what the group caused, callees
included).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Samples a second: enough for shares to a percent over a load of tens of seconds, and taken
# without pausing the server (--nonblocking), so the profile does not slow what it measures.
RATE_HZ = 50

# Groups by where a frame's code lives (its path as py-spy shortens it, from the package on),
# first match wins: the page's own code, the folium map it builds, Streamlit turning elements
# into protobuf messages, its script runner, the websocket server and event loop.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the page (app.py, corridors/)", ("app.py", "corridors/", "timed.py", "benchmarks/")),
    ("folium, branca, jinja2 (the map's HTML)", ("folium/", "branca/", "jinja2/")),
    ("pandas, numpy, shapely", ("pandas/", "numpy/", "shapely/")),
    ("JSON encoding (the map's and charts' arguments)", ("json/",)),
    ("elements into protobuf messages (building, hashing, serialising)",
     ("google/protobuf/", "streamlit/proto/", "streamlit/runtime/forward_msg",
      "streamlit/runtime/runtime_util", "streamlit/elements/", "streamlit/delta_generator")),
    ("Streamlit's script runner and session state",
     ("streamlit/runtime/scriptrunner", "streamlit/runtime/state/",
      "streamlit/runtime/caching/")),
    ("websocket and event loop (tornado, asyncio)",
     ("tornado/", "asyncio/", "selectors.py", "streamlit/web/", "streamlit/runtime/app_session",
      "streamlit/runtime/runtime.py", "streamlit/runtime/websocket")),
    ("threads and their queues (threading, concurrent)", ("threading.py", "futures/", "queue.py")),
    ("other Streamlit", ("streamlit/",)),
)  # fmt: skip
OTHER = "other"


def why_not() -> str | None:
    """Why py-spy cannot profile here, or None if it can."""
    if _py_spy() is None:
        return "py-spy is not installed (requirements-dev.txt)"
    return None


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


@contextmanager
def recording(pid: int, out: Path) -> Iterator[Path]:
    """Sample process ``pid`` with py-spy while the body runs; its collapsed stacks land in
    ``out`` (one ``frame;frame;… count`` line per distinct stack)."""
    command = _py_spy()
    if command is None:
        raise RuntimeError(why_not())
    process = subprocess.Popen(
        [command, "record", "--pid", str(pid), "--rate", str(RATE_HZ), "--nonblocking", "--gil",
         "--format", "raw", "--output", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield out
    finally:
        process.send_signal(signal.SIGINT)  # py-spy writes what it sampled, then exits
        output, _ = process.communicate(timeout=60)
        if not out.exists():
            raise RuntimeError(f"py-spy wrote no profile of process {pid}: {output.decode()}")


def group_of(frame: str) -> str:
    """The group of one frame, ``function (path:line)``."""
    path = _short(frame).rpartition(" (")[2].rstrip(")")
    for name, marks in GROUPS:
        if any(path.startswith(mark) or f"/{mark}" in path for mark in marks):
            return name
    return OTHER


def _in_page(short: str) -> bool:
    """Whether a `_short` frame is the page's own code: app.py or the corridors package."""
    where = short.rpartition(" (")[2]
    return where == "app.py)" or where.startswith("corridors/")


def _short(frame: str) -> str:
    """``function (path:line)`` as ``function (package/file.py)``: one entry per function."""
    function, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    parts = path.split("/")
    for root in ("site-packages", "python3.11"):
        if root in parts:
            parts = parts[parts.index(root) + 1 :]
            break
    return f"{function} ({'/'.join(parts)})"


def summary(collapsed: Path, top: int = 8) -> dict[str, Any]:
    """Own and total shares per group and for the top functions, from py-spy's raw output."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    own_fn: Counter[str] = Counter()
    total_fn: Counter[str] = Counter()
    samples = 0
    for line in collapsed.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if "(" in f]  # py-spy's thread label has none
        if not frames:
            continue
        samples += count
        own[group_of(frames[-1])] += count
        own_fn[_short(frames[-1])] += count
        for name in {group_of(f) for f in frames}:
            total[name] += count
        for name in {_short(f) for f in frames}:
            total_fn[name] += count
    if not samples:
        return {"samples": 0, "groups": {}, "own": [], "total": []}
    names = [n for n, _ in GROUPS] + [OTHER]
    return {
        "samples": samples,
        "rate_hz": RATE_HZ,
        "groups": {n: {"own": own[n] / samples, "total": total[n] / samples}
                   for n in names if total[n]},
        "own": [[f, c / samples] for f, c in own_fn.most_common(top)],
        "total": [[f, c / samples] for f, c in total_fn.most_common(top)],
        # The page's own parts (its functions in app.py and corridors/, the script's module
        # itself left out), which say which part of the page a change would make cheaper.
        "page": [[f, c / samples] for f, c in total_fn.most_common()
                 if _in_page(f) and not f.startswith("<module>")][:top],
    }  # fmt: skip
