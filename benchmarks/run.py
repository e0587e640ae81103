"""Measure the real page beside a naive build and a floor; write benchmarks/report.{json,md}.

Usage: ``python -m benchmarks.run [--runs N] [--sessions N] [--out DIR]`` (``make bench``), or
``--render REPORT`` to rewrite report.json and REPORT.md from a saved report without measuring.
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
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks.measure import (
    border_bytes,
    border_error,
    cache_clear,
    first_view,
    load,
    memory,
    one_click,
    payload,
    reader_articles,
    sea_routes,
    takeaway,
    time_to_map,
)
from benchmarks.report import markdown, ratios
from benchmarks.serve import FLOOR, LAYOUT_FLOOR, NAIVE, REAL, behind_nginx, serve
from harness.chromium import launch_chromium


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
                with serve(variant) as server:
                    result["load"] = load(server, sessions, clicks)
                    result["cache_clear"] = cache_clear(server)
                    result["first_view"] = first_view(server)
                if variant is REAL:
                    print("real: load on two replicas behind nginx", flush=True)
                    with serve(variant) as a, serve(variant) as b, behind_nginx([a, b]) as proxy:
                        result["load_two_replicas"] = load(proxy, sessions, clicks)
            report["variants"][variant.name] = result
            if out is not None:  # keep what is measured so far, should a later step fail
                (out / "report.partial.json").write_text(json.dumps(report, indent=2))
        browser.close()
    return report


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
    args = parser.parse_args(argv)
    # Before measuring: run() keeps a partial report there as it goes.
    args.out.mkdir(parents=True, exist_ok=True)
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
