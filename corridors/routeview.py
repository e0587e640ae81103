"""A route comparison as the page shows it: the port pickers' choices, the results table, the
bar chart, the published figures and caveats with their sources, and the lines and tooltips the
map draws.

Everything here is built from a `corridors.routes.Comparison`, so the page, the map and the
command line show the same figures. Text that reaches Streamlit Markdown goes through
`corridors.escape`; the map's tooltips are plain strings its script sets as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import altair as alt
import pandas as pd

from corridors import registry
from corridors.assets import publish_route
from corridors.encoding import encode_lines, shift_east, to_json
from corridors.escape import markdown_link, markdown_text
from corridors.ports import ports as all_ports
from corridors.routedata import Source, sea_routes_data
from corridors.routes import (
    CACHED_PAIRS,
    Comparison,
    OncePerKey,
    RouteInputError,
    RouteRow,
    check_speed,
    compare,
    port,
)

# Map coordinates in 1/1000 degree (about 100 m): far finer than the network's kilometres.
ROUTE_SCALE: Final = 1000

METHOD: Final = (
    "How it is computed: on the maritime network of the searoute package (Eurostat's) with the "
    "project's Northern Sea Route track joined in, as the shortest path with the other "
    "passages closed, port to port, measured geodesically on WGS84. No ports of call, canal "
    "waits, weather or ice: days at sea are distance ÷ speed. Computed figures are estimates: "
    "for the port pairs with published figures in the data they come out between 0.1% under "
    "and 2.5% over them."
)


def picked_port(value: str | None) -> tuple[str | None, str | None]:
    """The UN/LOCODE a port picker's value names (a code of the list, or text a reader typed:
    a code, a label, a name or its start; `corridors.routes.port`), and a one-line notice if it
    names none."""
    if value is None or value in all_ports():
        return value, None
    try:
        return port(value).locode, None
    except RouteInputError as exc:
        return None, str(exc)


def speed_problem(value: object) -> str | None:
    """Why ``value`` is no speed a comparison takes (`corridors.routes.check_speed`), or None."""
    try:
        check_speed(value)
    except RouteInputError as exc:
        return str(exc)
    return None


def port_label(code: str) -> str:
    """ "Shanghai, China (CNSHA)" for a code of the port list; the code itself otherwise. The
    country tells apart ports that share a name (St Petersburg, Russia and Florida)."""
    found = all_ports().get(code)
    return f"{found.name}, {found.country} ({found.locode})" if found else code


def port_choices(chosen: Sequence[str | None]) -> list[str]:
    """The UN/LOCODEs a port picker offers, by name: the data's suggested ports and any
    ``chosen`` one outside them (a port typed or opened from a link)."""
    codes = set(sea_routes_data().ports) | {c for c in chosen if c}
    return sorted(codes, key=lambda c: (all_ports()[c].name if c in all_ports() else c, c))


@dataclass(frozen=True)
class Shown:
    """A comparison the page can show, or the one-line reason it cannot."""

    comparison: Comparison | None
    problem: str | None


def comparison_for(route: tuple[str, str], speed_kn: float) -> Shown:
    """`corridors.routes.compare` for the view's route, its input errors caught as a notice."""
    try:
        return Shown(compare(route[0], route[1], speed_kn), None)
    except RouteInputError as exc:
        return Shown(None, str(exc))


def applies(comparison: Comparison) -> bool:
    """Whether any of the routes applies between the pair (else there is nothing to draw)."""
    return any(outcome.computed for outcome in comparison.outcomes)


def heading(comparison: Comparison) -> str:
    """ "Shanghai, China (CNSHA) → Rotterdam, Netherlands (NLRTM) at 14 knots" """
    c = comparison
    origin, destination = port_label(c.origin.locode), port_label(c.destination.locode)
    return f"{origin} → {destination} at {c.speed_kn:g} knots"


# Computed distances are quoted to the precision the network supports (`registry.ROUTE_PRECISION`).
QUOTED: Final = registry.ROUTE_PRECISION


def summary(comparison: Comparison) -> list[str]:
    """One short line per route for beside the pickers: its distance and days, or why none."""
    lines = []
    for row in comparison.rows():
        if row.nm is None or row.days is None:
            lines.append(f"{row.route.label}: does not apply")
            continue
        vs = (
            ""
            if row.route.id == "suez" or row.vs_suez_pct is None
            else f", {QUOTED.percent(row.vs_suez_pct)}"
        )
        lines.append(f"{row.route.label}: {QUOTED.length(row.nm, 'nm')}, {row.days:.1f} days{vs}")
    return lines


def _signed(value: float, spec: str) -> str:
    """``value`` with its sign, and a true minus sign (−) as the table prints it."""
    return f"{value:+{spec}}".replace("-", "−")


def _nm_km(row: RouteRow) -> str:
    """ "≈ 10,590 nm (19,620 km)" """
    return f"{QUOTED.length(row.nm or 0.0, 'nm')} ({QUOTED.rounded(row.km or 0.0):,.0f} km)"


def _vs_suez(row: RouteRow) -> str:
    if row.route.id == "suez" or row.vs_suez_nm is None or row.vs_suez_pct is None:
        return "—"
    nm = _signed(QUOTED.rounded(row.vs_suez_nm), ",.0f")
    return f"{nm} nm ({QUOTED.percent(row.vs_suez_pct)})"


def table_rows(comparison: Comparison) -> list[dict[str, str]]:
    """The results table: one row per route, "Does not apply" where there is none. Plain text
    from the code's own labels and figures, for a table that renders cells as text."""
    rows = []
    for row in comparison.rows():
        if row.nm is None or row.days is None:
            rows.append({"Route": row.route.label, "Distance": "Does not apply",
                         "Days at sea": "—", "vs Suez": "—", "Passages": "—"})  # fmt: skip
            continue
        rows.append(
            {
                "Route": row.route.label,
                "Distance": _nm_km(row),
                "Days at sea": f"{row.days:.1f}",
                "vs Suez": _vs_suez(row),
                "Passages": ", ".join(row.passages) or "open sea",
            }
        )
    return rows


# What each rerun showing a comparison draws from it, built once per pair and speed: under load
# the comparison's panel and map part, rebuilt each rerun, were 14% of the server's time.
_TABLES = OncePerKey(CACHED_PAIRS)
_MAP_PARTS = OncePerKey(CACHED_PAIRS)


def _key(comparison: Comparison) -> tuple[str, str, float]:
    return comparison.origin.locode, comparison.destination.locode, comparison.speed_kn


def table(comparison: Comparison) -> pd.DataFrame:
    """`table_rows` as the panel's table, indexed by route (shared: never change it)."""
    return _TABLES.get(
        _key(comparison), lambda: pd.DataFrame(table_rows(comparison)).set_index("Route")
    )


def reasons(comparison: Comparison) -> list[str]:
    """Why each route that does not apply has no figure, as escaped Markdown."""
    return [
        f"**{markdown_text(row.route.label)}** does not apply: {markdown_text(row.reason or '')}"
        for row in comparison.rows()
        if row.nm is None
    ]


def _cite(source: Source) -> str:
    return f"{markdown_link(source.publisher, source.url)} ({markdown_text(source.date)})"


def published_markdown(comparison: Comparison) -> list[str]:
    """Each published figure for the pair beside the computed one, with its source."""
    out = []
    for row in comparison.rows():
        for check in row.published:
            f = check.figure
            if f.quantity == "distance":
                value = f"{f.value:,.0f} {'nm' if f.unit == 'nmi' else f.unit}"
                vs = (
                    f"computed {QUOTED.length(check.computed, 'nm')}, "
                    f"{QUOTED.percent(check.difference)}"
                    if check.computed is not None and check.difference is not None
                    else "not computed: the route does not apply"
                )
            else:
                value = f"{f.value:g}% shorter than via Suez"
                vs = (
                    f"computed {check.computed:.0f}%, {_signed(check.difference, '.0f')} points"
                    if check.computed is not None and check.difference is not None
                    else "not computed: the route does not apply"
                )
            note = f"; {markdown_text(f.note)}" if f.note else ""
            out.append(
                f"{markdown_text(row.route.label)}: **{markdown_text(value)}** "
                f"({markdown_text(vs)}{note}), {_cite(f.source)}"
            )
    return out


def caveats_markdown(comparison: Comparison) -> list[str]:
    """The caveats of each route that applies, each with its sources."""
    return [
        f"**{markdown_text(row.route.label)}**: {markdown_text(caveat.text)} "
        + "; ".join(_cite(s) for s in caveat.sources)
        for row in comparison.rows()
        if row.nm is not None
        for caveat in row.caveats
    ]


# Altair takes about 10 ms to build a chart: each is built once per pair and speed.
_CHARTS = OncePerKey(CACHED_PAIRS)


def bar_chart(comparison: Comparison) -> dict[str, Any]:
    """An Altair bar chart of the distances of the routes that apply, in their map colours."""
    # A copy of the top level: Streamlit's own first step, so the kept one is never changed.
    return dict(_CHARTS.get(_key(comparison), lambda: _bar_chart(comparison)))


def _bar_chart(comparison: Comparison) -> dict[str, Any]:
    rows = [row for row in comparison.rows() if row.nm is not None and row.days is not None]
    values = [
        {
            "route": row.route.label,
            "nm": QUOTED.rounded(row.nm or 0.0),
            "label": QUOTED.length(row.nm or 0.0, "nm"),
            "tip": f"{row.route.label}: {_nm_km(row)}, {row.days:.1f} days at "
            f"{comparison.speed_kn:g} knots",
        }
        for row in rows
    ]
    order = [row.route.label for row in rows]
    longest = max((QUOTED.rounded(row.nm or 0.0) for row in rows), default=0)
    # Room on the right for the longest bar's label.
    x = alt.X(
        "nm:Q",
        scale=alt.Scale(domain=[0, longest * 1.45 or 1], nice=False),
        axis=alt.Axis(title="Nautical miles (computed)", format=",.0f", tickCount=5),
    )
    y = alt.Y("route:N", sort=order, axis=alt.Axis(title=None, labelLimit=220))
    base = alt.Chart(alt.InlineData(values=values)).encode(x=x, y=y)
    bars = base.mark_bar().encode(
        color=alt.Color(
            "route:N",
            scale=alt.Scale(domain=order, range=[row.route.colour for row in rows]),
            legend=None,
        ),
        tooltip=alt.Tooltip("tip:N"),
        description=alt.Description("tip:N"),
    )
    labels = base.mark_text(align="left", dx=4).encode(text="label:N")
    chart = (bars + labels).properties(height=alt.Step(32), padding={"left": 12, "right": 4})
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


def map_tips(comparison: Comparison) -> dict[str, dict[str, Any]]:
    """The brief tooltip of each drawn route, as the map's script takes it: the figures of the
    table's row (passages, caveats and sources are in the panel)."""
    tips = {}
    for row in comparison.rows():
        if row.nm is None or row.days is None:
            continue
        facts = [
            ["Distance", _nm_km(row) + ", computed"],
            ["Days at sea", f"{row.days:.1f} at {comparison.speed_kn:g} knots"],
        ]
        if row.route.id != "suez":
            facts.append(["vs Suez", _vs_suez(row)])
        tips[row.route.id] = {
            "title": row.route.label,
            "subtitle": f"{comparison.origin.name} → {comparison.destination.name}",
            "facts": facts,
            "sources": [],
        }
    return tips


def map_document(comparison: Comparison) -> bytes:
    """The routes' lines as the map's script draws them: ``{"scale", "routes": [{"id",
    "lines"}]}``, longitudes unwrapped like every other line (`corridors.encoding`)."""
    routes = []
    for declared in registry.SEA_ROUTES:
        route = comparison.computed(declared.id)
        if route is not None:
            lines = encode_lines(shift_east(route.geometry), ROUTE_SCALE)
            routes.append({"id": declared.id, "lines": lines})
    return to_json({"scale": ROUTE_SCALE, "routes": routes})


def legend(comparison: Comparison) -> Mapping[str, Any]:
    """The map legend's part for the routes: the pair, and each drawn route's label and colour."""
    return {
        "title": f"Sea routes, {comparison.origin.name} → {comparison.destination.name}",
        "routes": [
            {"id": row.route.id, "label": row.route.label, "colour": row.route.colour}
            for row in comparison.rows()
            if row.nm is not None
        ],
    }


def map_route(comparison: Comparison, app_dir: Path) -> dict[str, Any]:
    """The view's ``route`` for the map (`corridors.webmap.view_payload`): the published URL of
    the lines (`map_document`), their tooltips and the legend's part."""
    c = comparison
    document, tips, legend_part = _MAP_PARTS.get(
        _key(c), lambda: (map_document(c), map_tips(c), legend(c))
    )
    # Published on every call: it puts back a file removed under the running server.
    return {"url": publish_route(app_dir, document), "tips": tips, "legend": legend_part}
