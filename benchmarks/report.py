"""The benchmark's report: the budgets, the ratios that hold from run to run, the markdown table
(REPORT.md) and what each missed budget missed by."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The budgets of issue 5, for the report.
BUDGETS = {
    "time_to_map_warm_vs_floor": 1.2,
    "toggle_script_ms": 50,
    "toggle_wire_kb": 30,
    # A date change costs what a toggle does (issue 11).
    "date_script_ms": 50,
    "date_wire_kb": 30,
    "timeline_first_view_kb": 30,
    "map_data_raw_kb": 150,
    # Sea routes (issue 12): the network once per process, a comparison cold and cached, and
    # what a route adds to a page; picking a port costs what a toggle does.
    "network_mb": 30,
    "route_cold_s": 0.5,
    "route_cached_ms": 50,
    "route_page_added_kb": 60,
    "route_script_ms": 50,
    "route_wire_kb": 30,
    # Take it away (issue 13): opening the table, each download, the briefing's size.
    "table_script_ms": 100,
    "download_ms": 1000,
    "briefing_mb": 2,
    # Readers' articles (issue 14): linking and storing one of 5,000 words; opening its link
    # against the seed article's time to map (toggles and memory keep their own budgets).
    "article_link_store_ms": 1000,
    "article_time_to_map_vs_seed": 1.1,
    "memory_per_session_mb": 3,
    "load_p95_s": 1.0,
}


def ratios(report: dict[str, Any]) -> dict[str, float]:
    """The real page against the floors, and the naive build against the real page."""
    real, naive, floor = (report["variants"][k] for k in ("real", "naive", "floor"))
    layout = report["variants"]["layout_floor"]
    return {
        "warm_time_to_map_vs_floor": real["time_to_map_s"]["warm"] / floor["time_to_map_s"]["warm"],
        "warm_time_to_map_vs_layout_floor": real["time_to_map_s"]["warm"] / layout["time_to_map_s"]["warm"],  # noqa: E501
        "naive_warm_time_to_map_vs_real": naive["time_to_map_s"]["warm"] / real["time_to_map_s"]["warm"],  # noqa: E501
        "naive_toggle_script_vs_real": naive["click"]["toggle"]["script_ms"] / real["click"]["toggle"]["script_ms"],  # noqa: E501
        "naive_toggle_wire_vs_real": naive["click"]["toggle"]["wire_kb"] / real["click"]["toggle"]["wire_kb"],  # noqa: E501
        "naive_payload_vs_real": naive["payload"]["raw_kb"] / real["payload"]["raw_kb"],
        "naive_memory_per_session_vs_real": naive["memory"]["per_session_mb"] / max(real["memory"]["per_session_mb"], 0.01),  # noqa: E501
        "naive_load_p50_vs_real": (naive["load"]["p50_s"] or float("nan"))
        / (real["load"]["p50_s"] or float("nan")),
    }  # fmt: skip


def seconds(x: float | None) -> str:
    """Seconds to two decimals, or n/a for a figure the run could not measure."""
    return "n/a" if x is None else f"{x:.2f}"


def date_rows(real: dict[str, Any], row: Callable[..., str]) -> list[str]:
    """The date control's rows (the naive build has none; a report from before it, no rows)."""
    date, first = real["click"].get("date"), real.get("first_view")
    if date is None or first is None:
        return []
    return [
        row("first view: all / the timeline", f"{first['total_kb']:.1f} / "
            f"{first['timeline_kb']:.1f} KB", "", "timeline ≤ 30 KB",
            first["timeline_kb"] <= BUDGETS["timeline_first_view_kb"]),
        row("change the date: script time", f"{date['script_ms']:.0f} ms", "", "≤ 50 ms",
            date["script_ms"] <= BUDGETS["date_script_ms"]),
        row("change the date: over the wire", f"{date['wire_kb']:.1f} KB", "", "≤ 30 KB",
            date["wire_kb"] <= BUDGETS["date_wire_kb"]),
        row("change the date: map iframe rebuilt / view kept",
            f"{str(date['iframe_rebuilt']).lower()} / {str(date['view_kept']).lower()}", "",
            "no / yes", not date["iframe_rebuilt"] and date["view_kept"]),
    ]  # fmt: skip


def route_rows(real: dict[str, Any], row: Callable[..., str]) -> list[str]:
    """The sea routes' rows (a report from before them has none)."""
    sea, pick = real.get("sea_routes"), real["click"].get("route")
    if sea is None or pick is None:
        return []
    added = real["first_view"]["with_route_kb"] - real["first_view"]["total_kb"]
    return [
        row("sea routes: network load / memory (once per process)",
            f"{sea['network_load_s']:.2f} s / {sea['network_mb']:.0f} MB", "", "≤ 30 MB",
            sea["network_mb"] <= BUDGETS["network_mb"]),
        row("compare two ports: cold (max) / cached",
            f"{sea['cold_s']:.2f} s ({sea['cold_max_s']:.2f} s) / {sea['cached_ms']:.2f} ms", "",
            "≤ 0.5 s / ≤ 50 ms", sea["cold_max_s"] <= BUDGETS["route_cold_s"]
            and sea["cached_ms"] <= BUDGETS["route_cached_ms"]),
        row("first view with a route drawn: added (websocket + lines file)",
            f"{added + sea['lines_kb']:.1f} KB ({added:.1f} + {sea['lines_kb']:.1f})", "",
            "≤ 60 KB", added + sea["lines_kb"] <= BUDGETS["route_page_added_kb"]),
        row("pick a port, cached pair: script time", f"{pick['script_ms']:.0f} ms", "",
            "≤ 50 ms", pick["script_ms"] <= BUDGETS["route_script_ms"]),
        row("pick a port, cached pair: over the wire (websocket; lines file)",
            f"{pick['wire_kb']:.1f} KB; {pick['lines_kb']:.1f} KB", "", "≤ 30 KB",
            pick["wire_kb"] + pick["lines_kb"] <= BUDGETS["route_wire_kb"]),
        row("pick a port: map iframe rebuilt", str(pick["iframe_rebuilt"]).lower(), "", "no",
            not pick["iframe_rebuilt"]),
    ]  # fmt: skip


def takeaway_rows(real: dict[str, Any], row: Callable[..., str]) -> list[str]:
    """The table's and the downloads' rows (a report from before them has none)."""
    built, table = real.get("takeaway"), real["click"].get("table")
    if built is None or table is None:
        return []
    slowest = max(built[f"{k}_ms"] for k in ("geojson", "csv", "png", "briefing"))
    return [
        row("open the table: script time / over the wire / iframe rebuilt",
            f"{table['script_ms']:.0f} ms / {table['wire_kb']:.1f} KB / "
            f"{str(table['iframe_rebuilt']).lower()}", "", "≤ 100 ms / – / no",
            table["script_ms"] <= BUDGETS["table_script_ms"] and not table["iframe_rebuilt"]),
        row("build the rows / GeoJSON / CSV / PNG / briefing (a view with a route)",
            " / ".join(f"{built[f'{k}_ms']:.0f}" for k in
                       ("rows", "geojson", "csv", "png", "briefing")) + " ms", "",
            "each download ≤ 1 s", slowest <= BUDGETS["download_ms"]),
        row("the briefing's size", f"{built['briefing_mb']:.2f} MB", "", "≤ 2 MB",
            built["briefing_mb"] <= BUDGETS["briefing_mb"]),
    ]  # fmt: skip


def article_rows(real: dict[str, Any], row: Callable[..., str]) -> list[str]:
    """Readers' articles' rows (a report from before them has none)."""
    a = real.get("reader_articles")
    if a is None:
        return []
    link = max(a["link_store_sqlite_ms"], a["link_store_postgresql_ms"])
    ratio = a["time_to_map_article_s"] / a["time_to_map_seed_s"]
    toggle, memory = a["toggle"], a["memory"]
    return [
        row("reader's article of 5,000 words: link and store, SQLite / PostgreSQL",
            f"{a['link_store_sqlite_ms']:.0f} ms / {a['link_store_postgresql_ms']:.0f} ms", "",
            "≤ 1 s", link <= BUDGETS["article_link_store_ms"]),
        row("open an ?article= link: time to map (the seed article's, same server)",
            f"{a['time_to_map_article_s']:.2f} s ({a['time_to_map_seed_s']:.2f} s, ×{ratio:.2f})",
            "", "≤ seed + 10%", ratio <= BUDGETS["article_time_to_map_vs_seed"]),
        row("toggle on a reader's article: script time / over the wire / iframe rebuilt",
            f"{toggle['script_ms']:.0f} ms / {toggle['wire_kb']:.1f} KB / "
            f"{str(toggle['iframe_rebuilt']).lower()}", "", "≤ 50 ms / ≤ 30 KB / no",
            toggle["script_ms"] <= BUDGETS["toggle_script_ms"]
            and toggle["wire_kb"] <= BUDGETS["toggle_wire_kb"] and not toggle["iframe_rebuilt"]),
        row("memory per session, 100 stored articles, each session on one",
            f"{memory['per_session_mb']:.2f} MB", "", "≤ 3 MB",
            memory["per_session_mb"] <= BUDGETS["memory_per_session_mb"]),
    ]  # fmt: skip


def markdown(report: dict[str, Any]) -> str:
    """REPORT.md: one row a measure, real beside naive, with its budget and whether it was met."""
    v = report["variants"]
    real, naive, floor = v["real"], v["naive"], v["floor"]
    layout = v["layout_floor"]
    r = report["ratios"]

    def row(what: str, real_v: str, naive_v: str, budget: str, ok: bool | None) -> str:
        mark = "" if ok is None else ("met" if ok else "**missed**")
        return f"| {what} | {real_v} | {naive_v} | {budget} | {mark} |"

    rt, nt = real["click"]["toggle"], naive["click"]["toggle"]
    rs, ns = real["click"]["select"], naive["click"]["select"]
    lines = [
        f"# Benchmark report ({report['when']}, {report['machine']['cpus']} CPUs, "
        f"median of {report['runs']} runs)",
        "",
        "| measure | real page | naive build | budget | |",
        "|---|---|---|---|---|",
        row("time to map, warm: the floors (bare page; with the page's layout)",
            f"{floor['time_to_map_s']['warm']:.2f} s; {layout['time_to_map_s']['warm']:.2f} s",
            "", "", None),
        row("time to map, fresh server", f"{real['time_to_map_s']['fresh']:.2f} s",
            f"{naive['time_to_map_s']['fresh']:.2f} s", "", None),
        row("time to map, warm server", f"{real['time_to_map_s']['warm']:.2f} s",
            f"{naive['time_to_map_s']['warm']:.2f} s",
            f"≤ 1.2 × floor ({floor['time_to_map_s']['warm']:.2f} s) and < naive",
            r["warm_time_to_map_vs_floor"] <= BUDGETS["time_to_map_warm_vs_floor"]
            and real["time_to_map_s"]["warm"] < naive["time_to_map_s"]["warm"]),
        row("toggle: script time", f"{rt['script_ms']:.0f} ms", f"{nt['script_ms']:.0f} ms",
            "≤ 50 ms", rt["script_ms"] <= BUDGETS["toggle_script_ms"]),
        row("toggle: over the wire", f"{rt['wire_kb']:.1f} KB", f"{nt['wire_kb']:.1f} KB",
            "≤ 30 KB", rt["wire_kb"] <= BUDGETS["toggle_wire_kb"]),
        row("toggle: map iframe rebuilt", str(rt["iframe_rebuilt"]).lower(),
            str(nt["iframe_rebuilt"]).lower(), "no", not rt["iframe_rebuilt"]),
        row("select a corridor: script time", f"{rs['script_ms']:.0f} ms",
            f"{ns['script_ms']:.0f} ms", "", None),
        row("select a corridor: over the wire", f"{rs['wire_kb']:.1f} KB",
            f"{ns['wire_kb']:.1f} KB", "", None),
        row("select a corridor: iframe rebuilt", str(rs["iframe_rebuilt"]).lower(),
            str(ns["iframe_rebuilt"]).lower(), "no", not rs["iframe_rebuilt"]),
        *date_rows(real, row),
        *route_rows(real, row),
        *takeaway_rows(real, row),
        *article_rows(real, row),
        row("reruns caused by a pan / a zoom",
            f"{real['click']['pan_reruns']} / {real['click']['zoom_reruns']}",
            f"{naive['click']['pan_reruns']} / {naive['click']['zoom_reruns']}", "0 / 0",
            real["click"]["pan_reruns"] == 0 and real["click"]["zoom_reruns"] == 0),
        row("map data, default view (raw / gzip)",
            f"{real['payload']['raw_kb']:.0f} / {real['payload']['gzip_kb']:.0f} KB",
            f"{naive['payload']['raw_kb']:.0f} / {naive['payload']['gzip_kb']:.0f} KB",
            "≤ 150 KB raw", real["payload"]["raw_kb"] <= BUDGETS["map_data_raw_kb"]),
        row("server memory: idle / after first session",
            f"{real['memory']['idle_mb']:.0f} / {real['memory']['after_first_mb']:.0f} MB",
            f"{naive['memory']['idle_mb']:.0f} / {naive['memory']['after_first_mb']:.0f} MB",
            "", None),
        row("server memory per additional session",
            f"{real['memory']['per_session_mb']:.2f} MB",
            f"{naive['memory']['per_session_mb']:.2f} MB", "≤ 3 MB",
            real["memory"]["per_session_mb"] <= BUDGETS["memory_per_session_mb"]),
        row(f"{real['load']['sessions']} sessions × {real['load']['clicks_each']} clicks: "
            "p50 / p95",
            f"{seconds(real['load']['p50_s'])} / {seconds(real['load']['p95_s'])} s",
            f"{seconds(naive['load']['p50_s'])} / {seconds(naive['load']['p95_s'])} s "
            f"({naive['load']['clicks_done']} of {naive['load']['sessions'] * naive['load']['clicks_each']} clicks in the time limit)",  # noqa: E501
            "p95 ≤ 1 s",
            (real["load"]["p95_s"] or float("inf")) <= BUDGETS["load_p95_s"]),
        *([row("same load on two replicas behind nginx: p50 / p95",
               f"{seconds(real['load_two_replicas']['p50_s'])} / "
               f"{seconds(real['load_two_replicas']['p95_s'])} s "
               f"({real['load_two_replicas']['throughput_clicks_per_s']:.1f} clicks/s, health "
               f"{real['load_two_replicas']['health_answered']:.0%}, lost "
               f"{real['load_two_replicas']['lost_sessions']})", "", "p95 ≤ 1 s",
               (real["load_two_replicas"]["p95_s"] or float("inf")) <= BUDGETS["load_p95_s"])]
          if "load_two_replicas" in real else []),
        row("load: throughput", f"{real['load']['throughput_clicks_per_s']:.1f} clicks/s",
            f"{naive['load']['throughput_clicks_per_s']:.1f} clicks/s", "", None),
        row("load: health answered / sessions lost",
            f"{real['load']['health_answered']:.0%} / {real['load']['lost_sessions']}",
            f"{naive['load']['health_answered']:.0%} / {naive['load']['lost_sessions']}",
            "100% / 0", real["load"]["health_answered"] == 1
            and real["load"]["lost_sessions"] == 0),
        row("page load before / after a client's cache clear",
            f"{real['cache_clear']['load_s']:.2f} / {real['cache_clear']['load_after_clear_s']:.2f} s",  # noqa: E501
            f"{naive['cache_clear']['load_s']:.2f} / {naive['cache_clear']['load_after_clear_s']:.2f} s",  # noqa: E501
            "", None),
        "",
        "Ratios (naive ÷ real, or real ÷ floor): "
        + "; ".join(f"{k.replace('_', ' ')} {x:.2f}" for k, x in r.items()),
        "",
        *borders(real.get("borders")),
        *missed(report),
    ]  # fmt: skip
    return "\n".join(lines)


def borders(measured: dict[str, Any] | None) -> list[str]:
    """The borders' section: bytes each view fetches, and their error at each zoom."""
    if measured is None:
        return []
    out = [
        "## Borders: what each view fetches, and how far the drawn borders are from 1:10m",
        "",
        "| view | border tiles | tiles (raw) | map data and tiles (raw / wire) |",
        "|---|---|---|---|",
    ]
    for view, b in measured["bytes_by_view"].items():
        out.append(
            f"| {view} | {b['tiles']} | {b['tiles_raw_kb']:.0f} KB | "
            f"{b['total_raw_kb']:.0f} / {b['total_wire_kb']:.0f} KB |"
        )
    out += [
        "",
        "Error: distance from each vertex of Natural Earth 1:10m to the same country's drawn "
        "outline (an upper bound in km; pixels at 45° latitude). The world view leaves out "
        "islands under 300 km², so its tail is the distance from such an island to the nearest "
        "coast drawn.",
        "",
        "| zoom | drawn from | median | 90th percentile | 99th percentile |",
        "|---|---|---|---|---|",
    ]
    for zoom, e in measured["error_by_zoom"].items():
        out.append(
            f"| {zoom} | {e['drawn']} | {e['p50_km']:.2f} km | {e['p90_km']:.2f} km | "
            f"{e['p99_km']:.2f} km ({e['p99_px']:.1f} px) |"
        )
    return [*out, ""]


def missed(report: dict[str, Any]) -> list[str]:
    """What each missed budget missed by, and where the time went, from this run's figures."""
    v = report["variants"]
    real, floor, layout = v["real"], v["floor"], v["layout_floor"]
    out = []
    warm, bare = real["time_to_map_s"]["warm"], floor["time_to_map_s"]["warm"]
    laid = layout["time_to_map_s"]["warm"]
    if warm > BUDGETS["time_to_map_warm_vs_floor"] * bare:
        out += [
            "## Missed: time to map, warm server",
            "",
            f"{warm:.2f} s against a budget of {BUDGETS['time_to_map_warm_vs_floor']} × "
            f"{bare:.2f} s = {BUDGETS['time_to_map_warm_vs_floor'] * bare:.2f} s: over by "
            f"{warm - BUDGETS['time_to_map_warm_vs_floor'] * bare:.2f} s. The layout floor (the "
            f"bare floor plus the page's wide layout, sidebar and column-wide map, one line, no "
            f"data) takes {laid:.2f} s, so {laid - bare:.2f} s of the {warm - bare:.2f} s the "
            f"page adds is the layout, before any corridor or article; the map's script, data "
            f"file and layers add {warm - laid:.2f} s ({warm / laid:.2f} × the layout floor).",
            "",
        ]
    p95 = real["load"]["p95_s"]
    if p95 is None or p95 > BUDGETS["load_p95_s"] or real["load"]["lost_sessions"]:
        under = real["load"].get("script_ms_under_load")
        idle = real["click"]["toggle"]["script_ms"]
        out += [
            "## Missed: a click under load",
            "",
            f"p95 {seconds(p95)} s against {BUDGETS['load_p95_s']:.0f} s with "
            f"{real['load']['sessions']} sessions clicking a second apart; "
            f"{real['load']['throughput_clicks_per_s']:.1f} clicks/s served. One process runs "
            "every session's reruns under one GIL, so clicks queue: "
            + (f"the median script time rises from {idle:.0f} ms alone to {under:.0f} ms "
               "under load, " if under else "")
            + "and each rerun also costs the server the serialisation of every element on the "
            "page (about 90, most of them the article panel). More replicas behind the shipped "
            "nginx config divide the sessions; fewer elements per rerun (the article as one "
            "element) would cut the cost of each.",
            "",
        ]  # fmt: skip
    return out
