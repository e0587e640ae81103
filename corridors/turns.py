"""Reruns take turns: in each server process, one session's rerun builds its page at a time.

Every session's rerun runs in a thread of its own, and every element it makes wakes the server's
event loop thread, so concurrent reruns pass the interpreter's lock back and forth hundreds of
times each. Measured with 30 sessions clicking once a second (benchmarks/clickmix.py): run side
by side, reruns left a third of a core idle and the p95 of a click was 1.47 s at 12.3 clicks/s;
taking turns, the server used 0.93 cores and the p95 was 0.75 s at 16.7 clicks/s. A rerun's own
work is CPU-bound Python, which never ran in parallel anyway.

A rerun that waits on the network or a database (fetching a reader's link, opening a stored
article) steps aside for the wait (`stepping_aside`), so one slow site never holds up the
others. Work that is CPU-bound keeps its turn (a cold sea-route comparison, about 0.1 s): it
would hold the interpreter's lock anyway. Widget callbacks (saving an article among them) run
before the rerun takes its turn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_TURN = threading.Lock()
_HOLDER = threading.local()


@contextmanager
def taking_turns() -> Iterator[None]:
    """Run the block when no other rerun of this process is building its page."""
    with _TURN:
        _HOLDER.turn = True
        try:
            yield
        finally:
            _HOLDER.turn = False


@contextmanager
def stepping_aside() -> Iterator[None]:
    """Let other reruns take their turn while this one waits; a no-op outside a turn."""
    if not getattr(_HOLDER, "turn", False):
        yield
        return
    _HOLDER.turn = False
    _TURN.release()
    try:
        yield
    finally:
        _TURN.acquire()
        _HOLDER.turn = True
