"""Every concept the map names, declared once: blocs, statuses, border views, basemaps, colours,
data files and units.

Everything else derives from these declarations: the schema's allowed values, the layer
catalogue, the map's styles and panes (sent to the map's script in its data document and
config), the link's vocabulary and the page's labels. Adding a bloc, a basemap or a status is a
change to one declaration here plus its data. Readers look them up as ``registry.BLOCS`` at the
time they need them, never copied at import, so a declaration added here (or by a test) reaches
all of them.

This module imports nothing heavier than the standard library: the link codec and the page's
widgets depend on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

# --- Data files in geodata/ -----------------------------------------------------------------

# The committed data folder (the page reads another copy if CORRIDORS_GEODATA names one).
GEODATA: Final = Path(__file__).resolve().parent.parent / "geodata"
CORRIDORS_FILE: Final = "corridors.geojson"
COUNTRIES_FILE: Final = "countries.geojson"
DISPUTED_FILE: Final = "disputed.geojson"
# Natural Earth 1:10m borders cut into tiles, drawn from DETAIL_ZOOM up (corridors.borders).
DETAIL_FILE: Final = "borders-10m.json"
# From this zoom up a 1:50m border simplified for continents is visibly off (0.05° is two
# pixels at zoom 6), so the map draws DETAIL_FILE's instead.
DETAIL_ZOOM: Final = 6
# Places are named on the map from this zoom up: below it the crossings on the Amur and on the
# Kazakh–Chinese border lie a few pixels apart, and a name beside one of a cluster of points
# would not say which.
PLACE_LABEL_ZOOM: Final = 3
MEMBERSHIPS_FILE: Final = "memberships.csv"
GAZETTEER_FILE: Final = "gazetteer.csv"
# Second sources' lists of bloc members, one <id>.json each, that memberships.csv is checked by.
CHECKLISTS_DIR: Final = "sources/checklists"
# Built articles (<id>.json) beside their raw captures (.raw.txt) and sidecars (.meta.json).
ARTICLES_DIR: Final = "articles"
# Published sea distances between ports and the caveats of each sea route (corridors.routedata).
SEA_ROUTES_FILE: Final = "sea-routes.json"

# --- Units ----------------------------------------------------------------------------------

# Length units a published figure may use, in kilometres (the international nautical mile).
LENGTH_KM: Final[Mapping[str, float]] = {"km": 1.0, "m": 0.001, "nmi": 1.852}
# Capacity units, shown as published and never converted.
CAPACITY_UNITS: Final = ("Mt/yr", "bcm/yr")


# --- Statuses and their line styles ----------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A corridor's state of operation, and how a line in that state is drawn.

    ``dash`` is an SVG stroke-dasharray (None: solid). Operating lines are solid; anything not
    carrying traffic is broken up, each state in its own pattern, so status never relies on
    colour. Every state is drawn opaque: a faded line would fall under 3:1 against its casing.
    A ``seasonal`` state carries traffic only part of the year: each status entry in that state
    must say when (its ``season``), and readers see it with its label wherever the status shows.
    """

    id: str
    dash: str | None
    name: str | None = None
    seasonal: bool = False

    @property
    def label(self) -> str:
        """The status as readers see it: "under construction"."""
        return self.name or self.id.replace("-", " ")


STATUSES: tuple[Status, ...] = (
    Status("operational", None),
    # Long dashes with clear gaps (22 on, 8 off: 4 px of gap shows between round caps at
    # LINE_WEIGHT), unlike under construction's short ones: open, but not all year round.
    Status("seasonal", "22 8", name="operational in season", seasonal=True),
    Status("under-construction", "10 6"),
    Status("proposed", "2 6"),
    Status("suspended", "12 4 2 4 2 4"),  # dash-dot-dot: expected to resume
    Status("stopped", "8 4 2 4"),  # dash-dot
    Status("damaged", "2 8"),  # sparse dots
)

# --- How finely lengths are quoted -------------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    """How finely a length measured on a line of some quality is quoted, and its difference from
    a published figure: to the nearest ``step`` of its unit, the difference to ``places``
    decimals of a percent; ``about`` marks the figure as approximate ("≈ 5,960 km").

    The length is always measured in full (geodesic, WGS84); only what readers are given to
    quote is rounded, so a figure never claims more than the line it was measured on.
    """

    step: float
    places: int
    about: bool

    def rounded(self, value: float) -> float:
        """``value`` to the nearest ``step`` (halves away from zero)."""
        steps = abs(value) / self.step
        whole = float(int(steps + 0.5)) * self.step
        return whole if value >= 0 else -whole

    def length(self, value: float, unit: str = "km") -> str:
        """ "≈ 5,960 km": the rounded length, marked where approximate."""
        decimals = 0 if self.step >= 1 else len(f"{self.step:g}".split(".")[1])
        text = f"{self.rounded(value):,.{decimals}f} {unit}"
        return f"≈ {text}" if self.about else text

    def change(self, measured: float, published: float) -> str:
        """ "−7%": how far ``measured`` lies from ``published`` (`percent`)."""
        return self.percent(100 * (measured - published) / published)

    def percent(self, value: float) -> str:
        """A signed percentage to ``places`` decimals, with a true minus sign; one that rounds
        to nothing is "0%", not "−0%"."""
        text = f"{value:+.{self.places}f}%"
        if float(text[1:-1]) == 0:
            return text[1:]
        return text.replace("-", "\u2212")


# A line's geometry quality (its `geometry_quality` in the data) and the precision its lengths
# are quoted to; the schema takes its allowed qualities from here.
#  - approximate: drawn through estimated points (the reference facts give them to 0.1°, about
#    10 km) or as a schematic track; such lines come out 2–21% off the published lengths, so the
#    kilometre is noise: the nearest 10 km, whole percents, marked "≈".
#  - surveyed: from a published alignment, good to about a kilometre: the nearest 1 km, and
#    differences to 0.1%.
GEOMETRY_PRECISION: Final[Mapping[str, Precision]] = {
    "approximate": Precision(step=10, places=0, about=True),
    "surveyed": Precision(step=1, places=1, about=False),
}
# A sea route computed on searoute's network: the network's lanes are as schematic as an
# approximate drawing, and its distances come out 0.1–2.5% from the published ones (up to about
# 250 nm), so they are quoted as an approximate line's are: the nearest 10 nm or 10 km, whole
# percents, marked "≈".
ROUTE_PRECISION: Final = GEOMETRY_PRECISION["approximate"]


def precision(quality: str) -> Precision:
    """The precision of lengths measured on a line of geometry ``quality``; KeyError if none."""
    return GEOMETRY_PRECISION[quality]


# --- Colours ----------------------------------------------------------------------------------

# Okabe, M. & Ito, K. (2008), "Color Universal Design": eight colours told apart with protanopia,
# deuteranopia and tritanopia. Its yellow marks the selection, so no layer may use it.
SELECTION_COLOUR: Final = "#F0E442"
# Corridors known to the app get a fixed colour, so a colour means the same thing in every
# screenshot; a corridor added later takes the next spare one (Paul Tol's indigo, wine and green
# after Okabe–Ito's grey, none of them yellow). Every line colour stands out 3:1 or more from its
# white casing (CASING_COLOUR; WCAG 2.1, 1.4.11 non-text contrast; tested): three Okabe–Ito hues
# are darkened for it, keeping their hue.
CORRIDOR_COLOURS: Final[Mapping[str, str]] = {
    "cku-railway": "#C45600",  # vermillion (Okabe–Ito #D55E00, darkened)
    "northern-sea-route": "#0072B2",  # blue
    "nord-stream-1": "#008A64",  # bluish green (#009E73, darkened)
    "power-of-siberia": "#BE548F",  # reddish purple (#CC79A7, darkened)
    "suez-canal": "#555555",  # neutral grey: the route the sea route is compared with
}
SPARE_COLOURS: Final = ("#332288", "#882255", "#117733", "#6F6F6F")
# What is left when the spares run out: grey, which still differs from every fixed colour.
FALLBACK_COLOUR: Final = "#6F6F6F"

# --- Sea routes compared between two ports (corridors.routes) ---------------------------------


@dataclass(frozen=True)
class SeaRoute:
    """One way between two ports that the comparison computes: its id is used in the data file,
    the command line's JSON and the map's class ``layer-route-<id>``."""

    id: str
    label: str
    colour: str


@dataclass(frozen=True)
class Speeds:
    """The ship speeds a comparison takes, in knots: a slow-steaming bulk carrier makes about
    10, a fast container ship about 25; ``low`` and ``high`` bound them with room to spare and
    keep days at sea finite. ``default`` is a common container-ship service speed."""

    low: float
    high: float
    default: float


SHIP_SPEED_KN: Final = Speeds(1.0, 40.0, 14.0)

# Paul Tol's muted scheme, apart from the corridors' Okabe–Ito colours: a computed route that
# runs along a corridor (the NSR route on the NSR's track) must not look like the corridor.
# Olive and teal are darkened to 3:1 against their casing, as the corridors' colours are.
SEA_ROUTES: tuple[SeaRoute, ...] = (
    SeaRoute("suez", "Via Suez", "#7E7E2A"),  # olive (Tol #999933, darkened)
    SeaRoute("cape", "Via the Cape of Good Hope", "#882255"),  # wine
    SeaRoute("nsr", "Via the Northern Sea Route", "#358678"),  # teal (Tol #44AA99, darkened)
)


# --- Layers that are not corridors -------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """The one layer for every point feature (ports, crossings, venues) the article names."""

    id: str
    label: str
    description: str
    colour: str


PLACES: Final = Places(
    id="places",
    label="Ports, crossings and venues",
    description="Ports, border crossings and venues the article names",
    colour="#000000",
)


@dataclass(frozen=True)
class Bloc:
    """A group of countries drawn as one layer: ids in ``memberships.csv`` and in links.

    ``short`` starts a membership line in a tooltip ("EAEU: member since …"); ``nouns`` are
    what a text calls it once named ("the union"), for the article linker. ``colour`` is the
    members' outline, ``fill`` the tint inside it (None: the outline's colour), and ``style``
    holds the other Leaflet polygon options; ``pane`` is the z-index of the bloc's own map pane,
    so a bloc drawn as an outline sits over one drawn as a fill; a bloc whose outline tells its
    members is ``cased``: drawn on a white casing (`CASING_COLOUR`), so it stands out on
    terrain's relief as the lines do. ``founded`` (YYYY-MM-DD, with its source) is the first
    day the bloc existed: a membership no source dates is drawn from then, never before the
    bloc itself; ``founded_source`` names the source of that date and ``founded_url`` is its
    address, if any.
    """

    id: str
    label: str
    short: str
    description: str
    colour: str
    style: Mapping[str, float]
    pane: int
    nouns: tuple[str, ...] = ()
    founded: str | None = None
    founded_source: str | None = None
    founded_url: str | None = None
    cased: bool = False
    fill: str | None = None

    @property
    def fill_colour(self) -> str:
        """The colour inside the members' outline."""
        return self.fill or self.colour


# How the blocs tell their members apart from the sea, from other land and from each other
# (WCAG 2.1, 1.4.11: 3:1 for non-text graphics against what lies next to them; tested against
# each basemap's published grounds in tests/test_contrast_fills.py). A tint dark enough to carry
# 3:1 by itself would have to be darker than mid-grey over some 150 countries, and the
# corridors' lines and the blocs' outlines would drown in it; so each bloc's *outline* carries
# the contrast, the boundary WCAG allows to do so, and the tints stay light and only say which
# bloc, by hue. The BRI's tint is rose, not the sky blue it was: a light blue area on a map
# reads as water, and on the map's own sea (SEA_COLOUR) Crimea looked like a bay. Its outline
# is the rose darkened to 4.6:1 or more against land, sea and every tint; the EAEU's orange is
# darkened to 3.4:1 or more against the same, the BRI's tint under it included, and is also
# cased. Where a country is in both blocs, the orange tint over the rose comes out peach: the
# legend has an entry for it.
BLOCS: tuple[Bloc, ...] = (
    Bloc(
        id="eaeu",
        label="EAEU members",
        short="EAEU",
        description="Eurasian Economic Union member states",
        # Okabe–Ito orange (#E69F00) as a light tint, its outline the orange darkened: 3:1 or
        # more against land, sea and the BRI's tint beside or under it (tested).
        colour="#8C6100",
        fill="#E69F00",
        # A strong outline over the BRI's tint: every EAEU member is on GFDC's BRI list (from
        # early 2016, when Armenia's memorandum took effect), so the EAEU is mostly seen as the
        # orange outline and the peach of the two tints stacked ("In both" in the legend).
        style={"weight": 2.5, "fillOpacity": 0.15},
        pane=345,
        cased=True,
        nouns=("union", "bloc"),
        founded="2015-01-01",
        founded_source="Treaty on the Eurasian Economic Union (Astana, 29 May 2014), in force "
        "1 January 2015 (commonspace.eu, 2 Jan 2015; memberships.csv)",
    ),
    Bloc(
        id="bri",
        label="Belt and Road signatories",
        short="BRI",
        description="Countries that signed a Belt and Road MoU with China",
        # Paul Tol's rose (#CC6677) as a light tint, its outline the rose darkened; 1.5 px, so
        # the outline keeps its contrast through anti-aliasing.
        colour="#953A50",
        fill="#CC6677",
        style={"weight": 1.5, "fillOpacity": 0.25},
        pane=340,
        # Cased as the EAEU is: on terrain's dark forest the rose outline alone falls under 3:1.
        cased=True,
        nouns=("initiative",),
        # First proposed as the Silk Road Economic Belt in Xi Jinping's speech at Nazarbayev
        # University, Astana, on 7 September 2013.
        founded="2013-09-07",
        founded_source="US-China Institute, University of Southern California, “Xi Jinping, "
        "Speech in Astana, Kazakhstan, on Building a Silk Road Economic Belt with Central Asian "
        "Nations, September 7, 2013”",
        founded_url="https://china.usc.edu/xi-jinping-speech-astana-kazakhstan-"
        "building-silk-road-economic-belt-central-asian-nations-september",
    ),
)

# Map panes (z-index) for what is not a bloc: land under the blocs, the selection halo above
# them, compared sea routes under the corridors' lines (Leaflet's overlay pane, 400), so a
# corridor a route runs along stays visible and hoverable on it, points above every line, and
# the corridors' and places' names above all of those (under Leaflet's tooltips, 650).
PANES: Final[Mapping[str, int]] = {
    "land": 300,
    "halo": 390,
    "routes": 395,
    "casings": 398,
    "places": 450,
    "labels": 460,
}

# --- Border views -------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """Whose borders the map draws: ``owner_column`` in disputed.geojson names each area's state.

    A ``dated`` view's owner holds an area from its ``since`` (the start of control) only;
    before that the area is drawn with its UN-recognised owner.
    """

    id: str
    label: str
    owner_column: str
    dated: bool = False


VIEWS: tuple[View, ...] = (
    # UN General Assembly resolution 68/262 for Crimea; see disputed.geojson for each area.
    View("un", "UN-recognised", "un_iso_a3"),
    View("de-facto", "De facto (who controls)", "de_facto_iso_a3", dated=True),
)
# The view a dated view falls back to before an area's start of control.
UN_VIEW: Final = "un"
DEFAULT_VIEW: Final = UN_VIEW

# --- Basemaps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basemap:
    """A background the reader may choose; ``url`` None draws countries as land, with no tiles.

    ``attribution`` is the tile provider's required HTML, shown by Leaflet as given.
    """

    id: str
    label: str
    url: str | None = None
    attribution: str = ""
    max_zoom: int = 0
    subdomains: str = ""
    # Its land and water colours, in that order, where its style publishes them: what an outline
    # drawn without a casing must stand out from.
    grounds: tuple[str, ...] = ()


BASEMAPS: tuple[Basemap, ...] = (
    Basemap(
        id="light",
        label="Light (CARTO)",
        url="https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        attribution=(
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
            'contributors &copy; <a href="https://carto.com/attributions">CARTO</a>'
        ),
        max_zoom=20,
        # CARTO's Positron style (github.com/CartoDB/basemap-styles, cartocss/web-styles/
        # positron.tm2/style.mss): @landmass_fill and @water.
        grounds=("#FAFAF8", "#D4DADC"),
        subdomains="abcd",
    ),
    Basemap(
        id="terrain",
        label="Terrain (OpenTopoMap)",
        url="https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
        attribution=(
            'Map data &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
            'contributors, SRTM | Map style &copy; <a href="https://opentopomap.org">OpenTopoMap</a>'
            " (CC-BY-SA)"
        ),
        max_zoom=17,
        subdomains="abc",
    ),
    # The land and sea the map draws itself (LAND_STYLE, SEA_COLOUR).
    Basemap(id="none", label="None (no tiles; works offline)", grounds=("#F2EFE9", "#D6E6EF")),
)
DEFAULT_BASEMAP: Final = "light"

# Drawn when the basemap has no tiles, so the map stays readable with no tile server.
LAND_STYLE: Final[Mapping[str, object]] = {
    "color": "#B9B9B9",
    "weight": 0.6,
    "fillColor": "#F2EFE9",
    "fillOpacity": 1.0,
}
SEA_COLOUR: Final = "#D6E6EF"
DISPUTED_DASH: Final = "3 3"
LINE_WEIGHT: Final = 4
POINT_RADIUS: Final = 5
# Every corridor line, compared route and place is drawn on an opaque white casing this many
# pixels wider, so what lies next to it is the casing whatever the tiles show: a terrain map's
# relief runs from dark green through white snow to dark red, and no colour stands out 3:1
# from all of them (WCAG 2.1, 1.4.11; tested against the casing).
CASING_COLOUR: Final = "#FFFFFF"
CASING_WIDTH: Final = 3


class _Declared(Protocol):
    @property
    def id(self) -> str: ...


def ids(declarations: Iterable[_Declared]) -> tuple[str, ...]:
    """The ids of ``declarations``, in declaration order."""
    return tuple(d.id for d in declarations)


def status(status_id: str) -> Status:
    """The declared status ``status_id``; KeyError if none is declared."""
    for declared in STATUSES:
        if declared.id == status_id:
            return declared
    raise KeyError(status_id)


def view(view_id: str) -> View:
    """The declared border view ``view_id``; KeyError if none is declared."""
    for declared in VIEWS:
        if declared.id == view_id:
            return declared
    raise KeyError(view_id)
