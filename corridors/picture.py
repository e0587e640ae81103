"""A picture of the view for slides: a PNG drawn on the server with matplotlib from the same rows
(`corridors.inventory`) and styles (`corridors.registry`, `corridors.layers`) as the map, with
a title, a legend, the date and a source line. No tiles and no browser: land and sea are drawn
as the map draws them without a basemap.

Coordinates are projected to spherical Mercator, as the map shows them, after moving what lies
west of `corridors.encoding.WEST_EDGE` a turn east, so Chukotka sits beside the rest of Russia.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
from collections.abc import Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from corridors import registry
from corridors.dates import format_day
from corridors.encoding import shift_east
from corridors.layers import Catalogue, overlap_labels, stacked
from corridors.status import status_on

# 20 × 11.25 inches at 110 dpi: 2,200 × 1,237 px, a 16:9 slide.
SIZE_IN: Final = (20.0, 11.25)
DPI: Final = 110
MAX_LAT: Final = 85.0  # Mercator's edge, as on the map
# Points per pixel of the live map: its 4 px lines are drawn 3 pt wide.
PX: Final = 0.75


def _mercator(coords: np.ndarray) -> np.ndarray:
    lon, lat = coords[:, 0], np.clip(coords[:, 1], -MAX_LAT, MAX_LAT)
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
    return np.column_stack([lon, y])


# A pixel of the picture is about 0.1° across the corridors' extent: finer detail is not seen,
# and dropping it halves the drawing time.
DETAIL_DEG: Final = 0.05


def _projected(geometries: Sequence[Any]) -> gpd.GeoSeries:
    moved = [shapely.simplify(shift_east(g), DETAIL_DEG) for g in geometries]
    return gpd.GeoSeries([shapely.transform(g, _mercator) for g in moved])


def _cased(width: float) -> list[patheffects.AbstractPathEffect]:
    """A line ``width`` points wide on the map's white casing, as the live map draws it: solid,
    under a dashed line too."""
    casing = patheffects.Stroke(
        linewidth=width + registry.CASING_WIDTH,
        foreground=registry.CASING_COLOUR,
        dashes={"dash_offset": 0, "dash_list": None},
    )
    return [casing, patheffects.Normal()]


def _dashes(dash: str | None) -> tuple[float, tuple[float, ...]]:
    # The map's SVG dash lengths are in pixels of a 4 px line; matplotlib's scale with the width.
    return (0.0, ()) if dash is None else (0.0, tuple(float(x) / 2 for x in dash.split()))


def png(fig: Figure) -> bytes:
    """The figure (`draw`) as PNG bytes."""
    out = io.BytesIO()
    # zlib level 3 instead of 6: measured a fifth faster to draw and write, a tenth larger.
    fig.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return out.getvalue()


def draw(
    rows: gpd.GeoDataFrame,
    data: Any,
    catalogue: Catalogue,
    day: dt.date,
    link: str,
    selected: str | None = None,
) -> Figure:
    """The figure of a view: ``rows`` (`corridors.inventory.view_frame`) over the land of
    ``data`` (the loaded `Dataset`), the ``selected`` corridor in the map's selection colour,
    with a title, the legend of what is drawn, the date, the sources and ``link`` back to the
    view. A `Figure` of its own, never pyplot's global state,
    which the page's sessions, each in its thread, would share."""
    fig = Figure(figsize=SIZE_IN, dpi=DPI)
    ax = fig.subplots()
    ax.set_facecolor(registry.SEA_COLOUR)
    land = registry.LAND_STYLE
    _projected(list(data.countries.geometry)).plot(
        ax=ax, color=land["fillColor"], edgecolor=land["color"], linewidth=0.4
    )
    handles: list[Any] = []
    by_name = {layer.name: layer for layer in catalogue.layers}
    blocs = {b.id: b for b in registry.BLOCS}
    # The blocs as the map draws them: bottom first, each tint at its opacity, then its outline
    # (on its casing where the bloc is cased); the legend in the layers' order.
    swatches: dict[str, Patch] = {}
    members: dict[str, set[str]] = {}
    for bloc in stacked(blocs.values()):
        name = catalogue[bloc.id].name
        shown = rows[rows["layer"] == name]
        if shown.empty:
            continue
        members[bloc.id] = set(shown["name"])
        shapes = _projected(list(shown.geometry))
        tint = float(bloc.style["fillOpacity"])
        width = float(bloc.style["weight"]) * PX
        shapes.plot(ax=ax, color=bloc.fill_colour, alpha=tint, linewidth=0)
        shapes.plot(ax=ax, facecolor="none", edgecolor=bloc.colour, linewidth=width,
                    path_effects=_cased(width) if bloc.cased else None)  # fmt: skip
        swatches[bloc.id] = Patch(facecolor=to_rgba(bloc.fill_colour, tint),
                                  edgecolor=bloc.colour, linewidth=width, label=name)  # fmt: skip
    handles.extend(swatches[layer.id] for layer in catalogue.layers if layer.id in swatches)
    # Countries in both of two blocs shown: their stacked swatch, as the map's legend has it.
    overlaps: dict[int, str] = {}  # index in handles -> label
    for lower, upper in itertools.combinations(stacked(blocs.values()), 2):
        if members.get(lower.id, set()) & members.get(upper.id, set()):
            some, every = overlap_labels(lower, upper)
            overlaps[len(handles)] = every if members[upper.id] <= members[lower.id] else some
            handles.append((swatches[lower.id], swatches[upper.id]))
    chosen = rows[(rows["corridor"] == selected) & (rows["corridor"] != "")]
    if not chosen.empty:
        halo = _projected(list(chosen.geometry))
        if chosen.iloc[0].geometry.geom_type == "Point":
            halo.plot(ax=ax, color=registry.SELECTION_COLOUR, markersize=400, zorder=4)
        else:
            halo.plot(ax=ax, color=registry.SELECTION_COLOUR, linewidth=14, alpha=0.9, zorder=4)
        handles.append(Line2D([], [], color=registry.SELECTION_COLOUR, linewidth=8,
                              label=f"Selected: {chosen.iloc[0]['name']}"))  # fmt: skip
    statuses: set[str] = set()
    corridors = data.corridors
    for _, row in rows[rows["corridor"] != ""].iterrows():
        layer = by_name[row["layer"]]
        first = corridors[corridors["corridor"] == row["corridor"]].iloc[0]
        entry = status_on(first["status"], day)
        status = registry.status(entry["status"] if entry else "operational")
        shape = _projected([row.geometry])
        if row.geometry.geom_type == "Point":
            filled = status.id == "operational"
            shape.plot(ax=ax, color=layer.colour if filled else "white", edgecolor=layer.colour,
                       markersize=60, linewidth=1.5, zorder=6,
                       path_effects=_cased(1.5))  # fmt: skip
        else:
            statuses.add(status.id)
            shape.plot(ax=ax, color=layer.colour, linewidth=3, linestyle=_dashes(status.dash),
                       zorder=5, path_effects=_cased(3))  # fmt: skip
    for layer in catalogue.layers:
        if layer.id not in blocs and (rows["layer"] == layer.name).any():
            marker = layer.group == "places"
            handles.append(Line2D([], [], color=layer.colour, linewidth=0 if marker else 3,
                                  marker="o" if marker else None, label=layer.name))  # fmt: skip
    for status in registry.STATUSES:
        if status.id in statuses:
            handles.append(Line2D([], [], color="#333333", linewidth=2.5,
                                  linestyle=_dashes(status.dash),
                                  label=status.label))  # fmt: skip
    routes = rows[rows["kind"] == "computed sea route"]
    for declared in registry.SEA_ROUTES:
        mine = routes[routes["name"].str.startswith(declared.label + ",")]
        if not mine.empty:
            width = 9 if declared.id == "suez" else 5
            _projected(list(mine.geometry)).plot(
                ax=ax, color=declared.colour, linewidth=width, zorder=3, path_effects=_cased(width)
            )
            # "Via Suez, Shanghai → Rotterdam": the row's name says which ports.
            handles.append(Line2D([], [], color=declared.colour, linewidth=5,
                                  label=f"Sea route {mine.iloc[0]['name']}"))  # fmt: skip
    _frame(ax, rows)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(
        f"Eurasian corridors in the news, as on {format_day(day)}",
        loc="left", fontsize=22, fontweight="bold", pad=14,
    )  # fmt: skip
    if handles:
        labels = [overlaps.get(i) or h.get_label() for i, h in enumerate(handles)]
        ax.legend(handles, labels, loc="lower right", fontsize=12, framealpha=0.92)
    fig.text(
        0.01, 0.012,
        "Sources: each line's own (in the app's table and downloads); borders Natural Earth "
        "1:50m; BRI Green Finance & Development Center (May 2025); EAEU treaty and Commission; "
        f"sea routes computed with searoute 1.6. Lines are approximate.\nLive view: {link}",
        fontsize=14, color="#222222", wrap=True,
    )  # fmt: skip
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def _frame(ax: Any, rows: gpd.GeoDataFrame) -> None:
    """Fit the axes to the corridors, places and routes the view draws (as the map fits them;
    the blocs' members reach from Chile to Fiji), else to what it draws, at the figure's
    aspect, with a margin."""
    lines = rows[~rows["kind"].isin(("member country", "disputed area"))]
    chosen = lines if not lines.empty else rows
    shapes = _projected(list(chosen.geometry)) if not chosen.empty else gpd.GeoSeries()
    x0, y0, x1, y1 = shapes.total_bounds if len(shapes) else (-10.0, 0.0, 190.0, 80.0)
    pad_x, pad_y = (x1 - x0) * 0.05 + 1, (y1 - y0) * 0.05 + 1
    x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
    aspect = SIZE_IN[0] / SIZE_IN[1]
    if (x1 - x0) / (y1 - y0) < aspect:
        grow = ((y1 - y0) * aspect - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / aspect - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    limit = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(MAX_LAT) / 2)))
    ax.set_xlim(x0, x1)
    ax.set_ylim(max(y0, -limit), min(y1, limit))
    ax.set_aspect("auto")
