"""The map's layers: which features each draws, in what colour and line style, and its legend.

A layer id is what a share link names (``layers=cku-railway,eaeu``) and what every drawn SVG
path carries as its CSS class ``layer-<id>``, so tests and stylesheets can find it. Line
corridors are one layer each, keyed by the data's corridor id; the ports, crossings and venue
the article names share the ``places`` layer; the two blocs are ``eaeu`` and ``bri``.

Colours, statuses and blocs are declared in `corridors.registry`; this module derives the
layers and their Leaflet styles from those declarations and the corridors in the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd

from corridors import registry
from corridors.schema import POINT_KINDS

Group = Literal["corridor", "places", "bloc"]


@dataclass(frozen=True)
class Layer:
    """One switchable layer: its id (also its CSS class suffix), label, colour and contents."""

    id: str
    name: str
    group: Group
    colour: str
    description: str
    # Corridor ids drawn by a corridor or places layer; empty for a bloc.
    corridors: tuple[str, ...] = ()

    @property
    def css_class(self) -> str:
        """The class every SVG path of this layer carries."""
        return f"layer-{self.id}"


@dataclass(frozen=True)
class Catalogue:
    """Every layer in display order (corridors, places, blocs), and which layer draws what."""

    layers: tuple[Layer, ...]

    def __getitem__(self, layer_id: str) -> Layer:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Layer ids in display order, which is also their order in a link."""
        return tuple(layer.id for layer in self.layers)

    def layer_of(self, corridor: str) -> Layer:
        """The layer that draws ``corridor``; KeyError if none does."""
        for layer in self.layers:
            if corridor in layer.corridors:
                return layer
        raise KeyError(corridor)


def build_catalogue(corridors: gpd.GeoDataFrame) -> Catalogue:
    """Layers for the corridors in the data (in file order), the places, then the blocs."""
    reserved = {registry.PLACES.id, *registry.ids(registry.BLOCS)}
    layers: list[Layer] = []
    places: list[str] = []
    spare = iter(registry.SPARE_COLOURS)
    for corridor, rows in corridors.groupby("corridor", sort=False):
        corridor = str(corridor)
        kind = str(rows["kind"].iloc[0])
        if kind in POINT_KINDS:
            places.append(corridor)
            continue
        if corridor in reserved:
            raise ValueError(f"corridor id {corridor!r} is reserved for a layer of its own")
        colour = registry.CORRIDOR_COLOURS.get(corridor) or next(spare, registry.FALLBACK_COLOUR)
        layers.append(
            Layer(
                id=corridor,
                name=str(rows["name"].iloc[0]),
                group="corridor",
                colour=colour,
                description=f"{kind.capitalize()}, as drawn from its sources",
                corridors=(corridor,),
            )
        )
    if places:
        p = registry.PLACES
        layers.append(Layer(p.id, p.label, "places", p.colour, p.description, tuple(places)))
    layers.extend(
        Layer(bloc.id, bloc.label, "bloc", bloc.colour, bloc.description) for bloc in registry.BLOCS
    )
    return Catalogue(tuple(layers))


def line_style(layer: Layer, status: str) -> dict[str, object]:
    """Leaflet path options for a corridor of ``layer`` with ``status``."""
    declared = registry.status(status)
    return {
        "color": layer.colour,
        "weight": registry.LINE_WEIGHT,
        "dashArray": declared.dash,
        "lineCap": "round" if declared.dash else "butt",
    }


def point_style(layer: Layer, status: str) -> dict[str, object]:
    """Leaflet circle-marker options: filled when operating, hollow otherwise."""
    operating = status == "operational"
    return {
        "color": layer.colour,
        "weight": 2,
        "radius": registry.POINT_RADIUS,
        "fillColor": layer.colour if operating else "#FFFFFF",
        "fillOpacity": 1.0,
        "dashArray": None if operating else "2 2",
    }


def bloc_style(bloc: registry.Bloc) -> dict[str, object]:
    """Leaflet polygon options for a bloc's member countries."""
    return {"color": bloc.colour, "fillColor": bloc.fill_colour, **bloc.style}


def stacked(blocs: Iterable[registry.Bloc]) -> list[registry.Bloc]:
    """``blocs`` in the order the map draws them, bottom first (by pane)."""
    return sorted(blocs, key=lambda bloc: bloc.pane)


def overlap_labels(lower: registry.Bloc, upper: registry.Bloc) -> tuple[str, str]:
    """The legend's words for the countries in both blocs: as they are, and for a date when
    every member of ``upper`` is in ``lower`` too (the EAEU's in the BRI, from 2016)."""
    return (
        f"In both {upper.short} and {lower.short}",
        f"In both (every {upper.short} member is in the {lower.short} too)",
    )
