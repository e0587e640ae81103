"""The committed benchmark report is complete and renders; the load client speaks the protocol."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.Slider_pb2 import Slider

from benchmarks import profile, replicas
from benchmarks.measure import OTHER_THREAD_GROUP, THREAD_GROUPS
from benchmarks.report import BUDGETS, markdown, ratios, time_to_map_met
from benchmarks.session import Widget, drawn_widget, widget_state

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
    for budget in ("≤ 50 ms", "≤ 30 KB", "≤ 150 KB raw", "≤ 3 MB", "p95 ≤ 1 s"):
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
    # Issue 16: time to map against both floors, the table's budgets, where a load goes.
    for budget in ("≤ 1.2 × layout floor", "≤ 1.4 × floor", "≤ 50 ms / ≤ 30 KB / no"):
        assert budget in text
    for name in ("floor", "layout_floor", "real"):
        assert "drawn_ms" in report["variants"][name]["map_timings"]
    # The browser's main thread by what it ran, where a missed time to map says where it went.
    for name in ("layout_floor", "real"):
        assert set(report["variants"][name]["main_thread_ms"]) == {
            *THREAD_GROUPS,
            OTHER_THREAD_GROUP,
        }
    if not time_to_map_met(report):
        assert "| main thread, ms | layout floor | real | added |" in text
    real = report["variants"]["real"]
    assert set(real["load"]["by_kind"]) == {"layer", "date", "route", "on an article"}
    for kind in ("layer clicks", "date clicks", "route clicks", "on a reader's article"):
        assert f"| load: {kind}" in text
    assert "| load: CPU, in cores" in text
    # The scale rows, from the compose deployment, or the reason it could not run.
    scale = real["scale"]
    assert set(scale) in ({"1", "2", "4"}, {"not_run"})
    assert "## Scale: the same load on the compose deployment" in text
    if "not_run" not in scale:
        assert "| 4 |" in text and "Growth: from 1 to 2 replicas" in text
    assert len(BUDGETS) == 23
    # The README quotes the same run.
    readme = (REPORT.parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"{report['variants']['real']['payload']['raw_kb']:.0f} KB" in readme


@pytest.mark.parametrize("count", [1, 2, 4])
def test_replicas_follow_the_compose_files_rule(count: int) -> None:
    compose = (REPORT.parents[1] / "deploy" / "compose.yml").read_text(encoding="utf-8")
    conf = (REPORT.parents[1] / "deploy" / "nginx" / "replicas.conf").read_text(encoding="utf-8")
    compose, conf = replicas.with_replicas(compose, conf, count)
    services = yaml.safe_load(compose)["services"]
    apps = [f"app-{n}" for n in range(1, count + 1)]
    assert sorted(s for s in services if s.startswith("app-")) == apps
    for n, app in enumerate(apps):
        assert services[app]["environment"]["STREAMLIT_SERVER_PORT"] == str(8501 + n)
        assert services[app]["image"] == replicas.IMAGE
        assert f"server 127.0.0.1:{8501 + n} max_fails=3 fail_timeout=10s;" in conf
    assert conf.count("server 127.0.0.1:") == count
    assert services["proxy"]["depends_on"] == apps


def test_a_session_sends_each_widget_in_the_field_its_type_reads() -> None:
    box, select, stops, day = Element(), Element(), Element(), Element()
    box.checkbox.id, box.checkbox.label, box.checkbox.default = "$$ID-a-layer:bri", "BRI", True
    select.selectbox.id = "$$ID-b-route-to"
    select.selectbox.options[:] = ["Rotterdam (NLRTM)", "Hamburg (DEHAM)"]
    select.selectbox.default = 1
    stops.slider.id, stops.slider.type = "$$ID-c-date-step", Slider.Type.SELECT_SLIDER
    stops.slider.options[:], stops.slider.default[:] = ["1 Jan 2020", "1 Feb 2020"], [1]
    day.date_input.id, day.date_input.value[:] = "$$ID-d-date", ["2020-02-01"]
    day.date_input.set_value = True
    widgets = [drawn_widget(e) for e in (box, select, stops, day)]
    assert [w[1] for w in widgets if w] == [False, False, False, True]
    sent = [widget_state(w[0]) for w in widgets if w]
    assert [s.WhichOneof("value") for s in sent if s] == [
        "bool_value", "string_value", "string_array_value", "string_array_value",
    ]  # fmt: skip
    assert sent[1] is not None and sent[1].string_value == "Hamburg (DEHAM)"
    assert sent[2] is not None and list(sent[2].string_array_value.data) == ["1 Feb 2020"]
    # A select box with nothing chosen sends nothing, as the frontend does.
    assert widget_state(Widget("$$ID-e-route-from", "selectbox", "From", (), None)) is None


def test_a_profile_groups_own_and_total_time(tmp_path: Path) -> None:
    samples = tmp_path / "profile.txt"
    samples.write_text(
        "run (streamlit/runtime/scriptrunner/script_runner.py:1);<module> (app.py:3);"
        "map_for (corridors/page.py:9) 3\n"
        "run (streamlit/runtime/scriptrunner/script_runner.py:1);"
        "enqueue (streamlit/runtime/forward_msg_queue.py:5) 1\n",
        encoding="utf-8",
    )
    summary = profile.summary(samples)
    groups = summary["groups"]
    assert summary["samples"] == 4
    assert groups["the page (app.py, corridors/)"] == {"own": 0.75, "total": 0.75}
    assert groups["Streamlit's script runner and session state"] == {"own": 0.0, "total": 1.0}
    assert summary["own"][0] == ["map_for (corridors/page.py)", 0.75]
    # The page's parts: its functions, not the script's module nor Streamlit's runner.
    assert summary["page"] == [["map_for (corridors/page.py)", 0.75]]
