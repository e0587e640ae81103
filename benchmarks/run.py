"""Measure the real page beside a naive build and a floor; write benchmarks/report.{json,md}.

Usage: ``python -m benchmarks.run [--runs N] [--sessions N] [--clicks N] [--out DIR]`` (``make
bench``); ``--only load|scale`` to measure one part alone; or ``--render REPORT`` to rewrite
report.json and REPORT.md from a saved report without measuring.
A benchmark, not a test: it reports numbers and ratios, never fails on a slow machine. Each
page is served by a real ``streamlit run`` on a free loopback port (serve.py), driven by
Debian's Chromium or by websocket sessions (measure.py), and reported by report.py, as
described in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks import profile, replicas
from benchmarks.clickmix import load
from benchmarks.cpu import process_tree
from benchmarks.measure import (
    border_bytes,
    border_error,
    cache_clear,
    first_view,
    main_thread,
    map_timings_median,
    memory,
    one_click,
    payload,
    reader_articles,
    sea_routes,
    stored_articles,
    takeaway,
    time_to_map,
)
from benchmarks.report import load_met, markdown, ratios
from benchmarks.serve import FLOOR, LAYOUT_FLOOR, NAIVE, REAL, Server, serve
from corridors import articles
from harness.chromium import launch_chromium

# Articles stored for the load's sessions on a reader's article.
LOAD_ARTICLES = 10
# Replica counts of the compose deployment the load runs on.
REPLICAS = (1, 2, 4)


def run(
    runs: int, sessions: int, clicks: int, memory_sessions: int, out: Path | None = None
) -> dict[str, Any]:
    """Every measure on every variant; with ``out``, what is measured so far is kept there."""
    report: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "runs": runs, "variants": {},
    }  # fmt: skip
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for variant in (FLOOR, LAYOUT_FLOOR, REAL, NAIVE):
            print(f"{variant.name}: time to map", flush=True)
            result: dict[str, Any] = {}
            fresh = []
            for _ in range(runs):
                with serve(variant) as server:
                    fresh.append(time_to_map(browser, server))
            with serve(variant) as server:
                time_to_map(browser, server)  # warm the server up
                warm = [time_to_map(browser, server) for _ in range(runs)]
                result["time_to_map_s"] = {"fresh": statistics.median(fresh),
                                           "warm": statistics.median(warm)}  # fmt: skip
                if variant is not NAIVE:  # where a warm load's time goes, beside the floors'
                    result["map_timings"] = map_timings_median(browser, server, runs)
                    result["main_thread_ms"] = main_thread(browser, server, runs)
                if variant in (REAL, NAIVE):
                    print(f"{variant.name}: clicks", flush=True)
                    result["click"] = one_click(browser, server, runs)
                if variant is REAL:
                    print("real: sea routes", flush=True)
                    result["sea_routes"] = sea_routes(runs)
                    print("real: table and downloads", flush=True)
                    result["takeaway"] = takeaway(runs)
                    print("real: readers' articles", flush=True)
                    result["reader_articles"] = reader_articles(browser, runs, memory_sessions)
                    print("real: borders", flush=True)
                    result["borders"] = {
                        "bytes_by_view": border_bytes(browser, server),
                        "error_by_zoom": border_error(),
                    }
            if variant in (REAL, NAIVE):
                result["payload"] = payload(variant)
                print(f"{variant.name}: memory, load, cache clear", flush=True)
                with serve(variant) as server:
                    result["memory"] = memory(server, memory_sessions)
                if variant is REAL:
                    result.update(single_server_load(sessions, clicks))
                else:  # the naive build has the layers' checkboxes, no date or route control
                    with serve(variant) as server:
                        result["load"] = load(server, sessions, clicks, mix=("layer",))
                with serve(variant) as server:
                    result["cache_clear"] = cache_clear(server)
                    result["first_view"] = first_view(server)
            report["variants"][variant.name] = result
            if out is not None:  # keep what is measured so far, should a later step fail
                (out / "report.partial.json").write_text(json.dumps(report, indent=2))
        browser.close()
    print("real: the load on the compose deployment", flush=True)
    report["variants"]["real"]["scale"] = replicas.scale(sessions, clicks, REPLICAS)
    return report


def _load_on(server: Server, sessions: int, clicks: int, ids: list[str], **more: Any) -> Any:
    pid = server.streamlit.process.pid
    cpu = {"server": process_tree(pid), "load client": [os.getpid()]}
    return load(server, sessions, clicks, articles=ids, cpu=cpu, **more)


def single_server_load(sessions: int, clicks: int) -> dict[str, Any]:
    """The click mix on one server with readers' articles stored (SQLite); if it misses its
    budget, the same load again with the server profiled (py-spy), to show where time goes."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        store = f"sqlite:///{folder}/articles.sqlite3"
        ids = stored_articles(store, LOAD_ARTICLES)
        with serve(REAL, env={articles.SETTING: store}) as server:
            result: dict[str, Any] = {"load": _load_on(server, sessions, clicks, ids)}
        if load_met(result["load"]):
            return result
        reason = profile.why_not()
        if reason is not None:
            result["load_profile"] = {"not_run": reason}
            return result
        print("real: the load again, profiled", flush=True)
        samples = Path(folder) / "profile.txt"
        with serve(REAL, env={articles.SETTING: store}) as server:
            again = _load_on(
                server,
                sessions,
                clicks,
                ids,
                profile_pid=server.streamlit.process.pid,
                profile_out=samples,
            )
        result["load_profile"] = {"load": again, "profile": profile.summary(samples)}  # fmt: skip
    return result


def only(part: str, sessions: int, clicks: int) -> dict[str, Any]:
    """One part of the run alone (a partial run: ``--only``), its figures as measured."""
    if part == "load":
        return single_server_load(sessions, clicks)
    return {"scale": replicas.scale(sessions, clicks, REPLICAS)}


def main(argv: list[str] | None = None) -> int:
    """Measure (or, with ``--render``, re-render a saved report) and write the report files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per median")
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions under load")
    parser.add_argument("--clicks", type=int, default=5, help="clicks per session under load")
    parser.add_argument("--memory-sessions", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument(
        "--render", type=Path, help="only rewrite report.json and REPORT.md from this report"
    )
    parser.add_argument(
        "--only", choices=("load", "scale"),
        help="measure only the load on one server, or on the compose deployment's replicas; "
        "its figures go to OUT/only-<part>.json (report.json is left as it is)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    # Before measuring: run() keeps a partial report there as it goes.
    args.out.mkdir(parents=True, exist_ok=True)
    if args.only:
        part = only(args.only, args.sessions, args.clicks)
        text = json.dumps(part, indent=2)
        (args.out / f"only-{args.only}.json").write_text(text + "\n", encoding="utf-8")
        print(text)
        return 0
    if args.render:
        report = json.loads(args.render.read_text(encoding="utf-8"))
    else:
        report = run(args.runs, args.sessions, args.clicks, args.memory_sessions, args.out)
    report["ratios"] = ratios(report)
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / "REPORT.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
