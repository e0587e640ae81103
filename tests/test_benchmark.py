"""The committed benchmark report is complete and renders; the load client speaks the protocol."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.report import BUDGETS, markdown, ratios

REPORT = Path(__file__).resolve().parents[1] / "benchmarks" / "report.json"


def test_the_committed_report_has_every_measure_and_renders() -> None:
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    assert set(report["variants"]) == {"floor", "layout_floor", "real", "naive"}
    for name in ("real", "naive"):
        variant = report["variants"][name]
        assert {"time_to_map_s", "click", "payload", "memory", "load", "cache_clear"} <= set(
            variant
        )
    assert {"bytes_by_view", "error_by_zoom"} <= set(report["variants"]["real"]["borders"])
    assert ratios(report) == report["ratios"]
    text = markdown(report)
    for budget in ("≤ 50 ms", "≤ 30 KB", "≤ 150 KB raw", "≤ 3 MB", "p95 ≤ 1 s", "1.2 × floor"):
        assert budget in text
    # The date control's budgets, from the same run.
    assert "| change the date: over the wire |" in text and "timeline ≤ 30 KB" in text
    # The sea routes' budgets (issue 12), the table's and downloads' (issue 13), same run.
    for measure in (
        "compare two ports: cold (max) / cached",
        "pick a port, cached pair: script time",
        "first view with a route drawn: added (websocket + lines file)",
        "open the table: script time / over the wire / iframe rebuilt",
        "build the rows / GeoJSON / CSV / PNG / briefing (a view with a route)",
        "the briefing's size",
        # Readers' articles (issue 14), same run.
        "reader's article of 5,000 words: link and store, SQLite / PostgreSQL",
        "open an ?article= link: time to map (the seed article's, same server)",
        "toggle on a reader's article: script time / over the wire / iframe rebuilt",
        "memory per session, 100 stored articles, each session on one",
    ):
        assert f"| {measure} |" in text
    assert "| CKU railway, zoom 8 |" in text and "| 8 | 1:10m tiles |" in text
    assert len(BUDGETS) == 20
    # The README quotes the same run.
    readme = (REPORT.parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"{report['variants']['real']['payload']['raw_kb']:.0f} KB" in readme
