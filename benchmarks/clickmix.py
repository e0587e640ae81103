"""The load: many websocket sessions (session.py) clicking a second apart through a mix of what
readers do — a layer toggled, the date changed (the slider's next stop, or any day typed into
*Or any day*), a sea route compared on a cached port pair — some of them on a reader's article
opened by its ``?article=`` link. Each click is checked against what the server drew back (the
map's view holds the layer, the day, the route; the article is the one beside the map): a
click the server ignored is counted, not timed as a measure.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import statistics
import threading
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from benchmarks import profile
from benchmarks.cpu import CpuWatch
from benchmarks.session import Session
from harness.loopback import answers_health

T = TypeVar("T")

THINK_S = 1.0  # a reader's pause between clicks
# A session's clicks, in turn (each session starts at its own place in the list): two layer
# toggles, two date changes and one route comparison in five.
MIX = ("layer", "date", "route", "layer", "date")
KINDS = ("layer", "date", "route")
# Every fifth session opens a reader's stored article by its link instead of the page.
ARTICLE_EVERY = 5
LAYER_KEY, LAYER_ID = "layer:nord-stream-1", "nord-stream-1"
# The route compared: from Shanghai, to one of two destinations in turn, each pair computed once
# per server before the load (cached pairs, as issue 16 asks).
ROUTE_ORIGIN = "CNSHA"
ROUTE_DESTINATIONS = ("NLRTM", "DEHAM")
MAP_APPLY = "corridorsMap.apply("


class Target(Protocol):
    """What the load runs against: one server, or replicas behind a proxy."""

    @property
    def url(self) -> str: ...

    def script_times(self) -> list[float]: ...


def map_view(session: Session) -> dict[str, Any]:
    """The view the server last gave the map (`corridors.webmap.view_payload`): its day,
    layers and route."""
    args = json.loads(session.map_args() or "{}")
    group = str(args.get("feature_group", ""))
    at = group.find(MAP_APPLY)
    if at < 0:
        return {}
    view, _ = json.JSONDecoder().raw_decode(group[at + len(MAP_APPLY) :])
    return dict(view)


def option_for(session: Session, key: str, code: str) -> str:
    """The option of the port picker ``key`` that names the port ``code``, as a reader picks it
    (the code itself, typed, if the list has none)."""
    return next((o for o in session.widgets[key].options if o.endswith(f"({code})")), code)


@dataclass
class Reader:
    """One session's clicks: each one's kind, seconds, and whether the page changed as asked."""

    number: int
    rng: random.Random
    clicks: list[tuple[str, float, bool]] = field(default_factory=list)
    opened_s: float = 0.0
    article_shown: bool | None = None

    async def click(self, session: Session, kind: str) -> None:
        """One click of ``kind``, timed and checked."""
        done = sum(1 for k, _, _ in self.clicks if k == kind)
        before = map_view(session)
        if kind == "layer":
            ticked = not session.widgets[LAYER_KEY].value
            took = await session.set(LAYER_KEY, ticked)
            changed = (LAYER_ID in map_view(session).get("layers", ())) == ticked
        elif kind == "date" and done % 2 == 0:  # the slider's next stop back
            slider = session.widgets["date-step"]
            assert isinstance(slider.value, tuple)
            at = slider.options.index(slider.value[0])
            stop = slider.options[at - 1 if at > 0 else at + 1]
            took = await session.set("date-step", (stop,))
            changed = map_view(session).get("dateLabel") == stop != before.get("dateLabel")
        elif kind == "date":  # any day typed into the date input, between its limits
            first, last = (dt.date.fromisoformat(d) for d in session.widgets["date"].limits)
            span = (last - first).days
            day = (first + dt.timedelta(days=self.rng.randrange(span))).isoformat()
            took = await session.set("date", (day,))
            changed = map_view(session).get("date") == day != before.get("date")
        else:  # a route: the other destination from the same origin
            code = ROUTE_DESTINATIONS[done % len(ROUTE_DESTINATIONS)]
            took = await session.set("route-to", option_for(session, "route-to", code))
            route = map_view(session).get("route")
            changed = bool(route) and route != before.get("route")
        self.clicks.append((kind, took, changed))


async def choose_origin(session: Session) -> None:
    """Pick the route's origin, as a reader does before comparing destinations."""
    await session.set("route-from", option_for(session, "route-from", ROUTE_ORIGIN))


async def warm_routes(url: str) -> None:
    """Compute each compared pair once on the server at ``url`` (so the load's are cached)."""
    session = await Session.open(url)
    try:
        await choose_origin(session)
        for code in ROUTE_DESTINATIONS:
            await session.set("route-to", option_for(session, "route-to", code))
    finally:
        await session.close()


def in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion in its own thread and event loop (Playwright's sync API
    keeps one running in this thread)."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(make()))
        except BaseException as exc:  # re-raised in the caller's thread
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def _percentiles(seconds: Sequence[float]) -> dict[str, float | None]:
    ordered = sorted(seconds)
    if not ordered:
        return {"p50_s": None, "p95_s": None}
    return {"p50_s": statistics.median(ordered),
            "p95_s": ordered[int(0.95 * (len(ordered) - 1))]}  # fmt: skip


def load(
    target: Target,
    sessions: int,
    clicks: int,
    *,
    articles: Sequence[str] = (),
    warm: Sequence[str] = (),
    cpu: Mapping[str, Sequence[int]] | None = None,
    profile_pid: int | None = None,
    profile_out: Path | None = None,
    mix: Sequence[str] = MIX,
    limit_s: float = 300,
) -> dict[str, Any]:
    """``sessions`` concurrent sessions each clicking up to ``clicks`` times through ``mix``, a
    second apart, within ``limit_s``, every `ARTICLE_EVERY`-th on one of ``articles`` (stored
    article ids); the health endpoint polled every 0.2 s throughout. ``warm``: each server's
    own URL, where the route pairs are computed first; ``cpu``: groups of processes whose CPU
    use is measured during the load; ``profile_pid``: a server process sampled with py-spy
    into ``profile_out``. A session that errors (or waits over 60 s for one click) is lost;
    one that runs out of time stops clicking."""
    for url in (warm or [target.url]) if "route" in mix else ():
        in_thread(lambda url=url: warm_routes(url))
    health = {"asked": 0, "answered": 0}
    stop = threading.Event()

    def poll_health() -> None:
        while not stop.is_set():
            health["asked"] += 1
            health["answered"] += answers_health(target.url, timeout_s=2)
            stop.wait(0.2)

    deadline = time.monotonic() + limit_s
    # Seeded per session: the same run of days and start offsets each time.
    readers = [Reader(n, random.Random(n)) for n in range(sessions)]  # noqa: S311

    async def user(reader: Reader) -> None:
        on_article = bool(articles) and reader.number % ARTICLE_EVERY == ARTICLE_EVERY - 1
        query = f"article={articles[reader.number % len(articles)]}" if on_article else ""
        started = time.perf_counter()
        session = await Session.open(target.url, query)
        reader.opened_s = time.perf_counter() - started
        if on_article:
            shown = session.widgets["article"].value
            reader.article_shown = isinstance(shown, str) and shown.startswith("“Reader article")
        try:
            if "route" in mix:
                await choose_origin(session)
            # Readers do not click in step: each starts at its own moment within a pause.
            await asyncio.sleep(reader.rng.uniform(0, THINK_S))
            for n in range(clicks):
                if time.monotonic() > deadline:
                    break
                await reader.click(session, mix[(reader.number + n) % len(mix)])
                await asyncio.sleep(THINK_S)
        finally:
            await session.close()

    async def crowd() -> list[BaseException | None]:
        return await asyncio.gather(*(user(r) for r in readers), return_exceptions=True)

    poller = threading.Thread(target=poll_health)
    runs_before = len(target.script_times())
    gc_before = getattr(target, "gc_ms", lambda: 0.0)()
    watch = CpuWatch(cpu or {})
    with ExitStack() as stack:
        if profile_pid is not None and profile_out is not None:
            stack.enter_context(profile.recording(profile_pid, profile_out))
        poller.start()
        watch.start()
        started = time.perf_counter()
        try:
            outcomes = in_thread(crowd)
        finally:
            stop.set()
            poller.join()
        wall = time.perf_counter() - started
        used = watch.stop()
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    done = [c for r in readers for c in r.clicks]
    article_readers = [r for r in readers if r.article_shown is not None]
    by_kind = {
        kind: {"clicks": len(rows), "ignored": sum(not ok for _, _, ok in rows),
               **_percentiles([s for _, s, _ in rows])}
        for kind in KINDS if (rows := [c for c in done if c[0] == kind])
    }  # fmt: skip
    if article_readers:
        rows = [c for r in article_readers for c in r.clicks]
        by_kind["on an article"] = {
            "clicks": len(rows), "ignored": sum(not ok for _, _, ok in rows),
            "sessions": len(article_readers),
            "article_not_shown": sum(not r.article_shown for r in article_readers),
            **_percentiles([s for _, s, _ in rows]),
        }  # fmt: skip
    script_times = target.script_times()[runs_before:]
    return {
        "sessions": sessions, "clicks_each": clicks, "think_s": THINK_S, "mix": list(mix),
        "article_every": ARTICLE_EVERY if articles else None,
        "clicks_done": len(done), "ignored": sum(not ok for _, _, ok in done),
        "lost_sessions": len(errors), "errors": sorted({repr(e)[:200] for e in errors})[:3],
        "wall_s": wall, "throughput_clicks_per_s": len(done) / wall,
        **_percentiles([s for _, s, _ in done]),
        "by_kind": by_kind,
        "open": _percentiles([r.opened_s for r in readers if r.opened_s]),
        "health_answered": health["answered"] / max(health["asked"], 1),
        "script_ms_under_load": statistics.median(script_times) if script_times else None,
        "gc_ms_under_load": getattr(target, "gc_ms", lambda: 0.0)() - gc_before
        if script_times else None,
        "cpu": used,
    }  # fmt: skip
