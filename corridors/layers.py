"""The map's layers: which features each draws, in what colour and line style, and its legend.

A layer id is what a share link names (``layers=cku-railway,eaeu``) and what every drawn SVG
path carries as its CSS class ``layer-<id>``, so tests and stylesheets can find it. Line
corridors are one layer each, keyed by the data's corridor id; the ports, crossings and venue
the article names share the ``places`` layer; the two blocs are ``eaeu`` and ``bri``.

Colours are the Okabe–Ito palette, chosen to stay distinguishable with the common forms of
colour blindness; status is drawn as a dash pattern, so it does not depend on colour at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import geopandas as gpd

from corridors.schema import POINT_KINDS
from corridors.share import Vocabulary

Group = Literal["corridor", "places", "bloc"]

PLACES: Final = "places"
# The two blocs a link may name, with what their layer shows.
BLOC_LAYERS: Final[Mapping[str, tuple[str, str]]] = {
    "eaeu": ("EAEU members", "Eurasian Economic Union member states"),
    "bri": ("Belt and Road signatories", "Countries that signed a Belt and Road MoU with China"),
}

# Okabe, M. & Ito, K. (2008), "Color Universal Design": eight colours told apart with protanopia,
# deuteranopia and tritanopia. Corridors known to the app get a fixed colour, so a colour means
# the same thing in every screenshot; a corridor added later takes the next unused one.
_FIXED_COLOURS: Final[Mapping[str, str]] = {
    "cku-railway": "#D55E00",  # vermillion
    "northern-sea-route": "#0072B2",  # blue
    "nord-stream-1": "#009E73",  # bluish green
    "power-of-siberia": "#CC79A7",  # reddish purple
    "suez-canal": "#555555",  # neutral grey: the route the sea route is compared with
    PLACES: "#000000",
    "eaeu": "#E69F00",  # orange
    "bri": "#56B4E9",  # sky blue
}
_SPARE_COLOURS: Final = ("#F0E442", "#999999", "#8B4513", "#332288")
# The selection halo: Okabe–Ito yellow, used by no layer.
SELECTION_COLOUR: Final = "#F0E442"

# SVG stroke-dasharray per status (None: solid). Operating lines are solid; anything not carrying
# traffic is broken up, and the more final the stop, the sparser the line.
STATUS_DASH: Final[Mapping[str, str | None]] = {
    "operational": None,
    "under-construction": "10 6",
    "proposed": "2 6",
    "suspended": "8 4 2 4",
    "stopped": "8 4 2 4",
    "damaged": "2 8",
}
STATUS_OPACITY: Final[Mapping[str, float]] = {"stopped": 0.6, "damaged": 0.5}

LINE_WEIGHT: Final = 4
POINT_RADIUS: Final = 5


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

    def vocabulary(self, corridors: Sequence[str], paragraphs: Sequence[str]) -> Vocabulary:
        """The ids a share link may name; every layer is shown by default."""
        return Vocabulary(
            layers=self.ids,
            default_layers=self.ids,
            corridors=frozenset(corridors),
            paragraphs=frozenset(paragraphs),
        )


def build_catalogue(corridors: gpd.GeoDataFrame) -> Catalogue:
    """Layers for the corridors in the data (in file order), the places, then the blocs."""
    layers: list[Layer] = []
    places: list[str] = []
    spare = iter(_SPARE_COLOURS)
    for corridor, rows in corridors.groupby("corridor", sort=False):
        corridor = str(corridor)
        kind = str(rows["kind"].iloc[0])
        if kind in POINT_KINDS:
            places.append(corridor)
            continue
        if corridor in BLOC_LAYERS or corridor == PLACES:
            raise ValueError(f"corridor id {corridor!r} is reserved for a layer of its own")
        colour = _FIXED_COLOURS.get(corridor) or next(spare, "#999999")
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
        layers.append(
            Layer(
                id=PLACES,
                name="Ports, crossings and venues",
                group="places",
                colour=_FIXED_COLOURS[PLACES],
                description="Ports, border crossings and venues the article names",
                corridors=tuple(places),
            )
        )
    for bloc, (name, description) in BLOC_LAYERS.items():
        layers.append(
            Layer(
                id=bloc,
                name=name,
                group="bloc",
                colour=_FIXED_COLOURS[bloc],
                description=description,
            )
        )
    return Catalogue(tuple(layers))


def line_style(layer: Layer, status: str) -> dict[str, object]:
    """Leaflet path options for a corridor of ``layer`` with ``status``."""
    return {
        "color": layer.colour,
        "weight": LINE_WEIGHT,
        "opacity": STATUS_OPACITY.get(status, 0.9),
        "dashArray": STATUS_DASH[status],
        "lineCap": "round" if STATUS_DASH[status] else "butt",
    }


def point_style(layer: Layer, status: str) -> dict[str, object]:
    """Leaflet circle-marker options: filled when operating, hollow otherwise."""
    operating = status == "operational"
    return {
        "color": layer.colour,
        "weight": 2,
        "radius": POINT_RADIUS,
        "fillColor": layer.colour if operating else "#FFFFFF",
        "fillOpacity": 1.0,
        "dashArray": None if operating else "2 2",
    }


def bloc_style(layer: Layer) -> dict[str, object]:
    """Leaflet polygon options for a bloc's member countries."""
    if layer.id == "eaeu":
        # Drawn as a strong outline over the BRI fill: every EAEU member is also a BRI
        # signatory in GFDC's list, and two translucent fills would mix into a third colour.
        return {
            "color": layer.colour,
            "weight": 2.5,
            "fillColor": layer.colour,
            "fillOpacity": 0.12,
        }
    return {"color": layer.colour, "weight": 0.8, "fillColor": layer.colour, "fillOpacity": 0.3}


# Drawn when the basemap is "none", so the map stays readable with no tile server.
LAND_STYLE: Final[Mapping[str, object]] = {
    "color": "#B9B9B9",
    "weight": 0.6,
    "fillColor": "#F2EFE9",
    "fillOpacity": 1.0,
}
SEA_COLOUR: Final = "#D6E6EF"
DISPUTED_DASH: Final = "3 3"
