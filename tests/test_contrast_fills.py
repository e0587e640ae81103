"""Bloc members stand out 3:1 from the sea, from other land and from the other kinds of member
beside them (WCAG 2.1, 1.4.11), on each basemap whose land and water colours are published, in
the colours as drawn: each tint blended over the ground at its opacity, stacked in pane order
where a country is in both blocs.

Where two areas meet, the outline drawn along their border is that of the top-most bloc either
belongs to (a cased outline hides those under it). If that bloc is one only one side belongs
to, the outline tells them apart and must stand out 3:1 from both sides; otherwise only the
tints can, and they must differ 3:1 themselves. The registry's comment on `BLOCS` says why the
outlines carry the contrast.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import itertools
from collections.abc import Collection, Mapping
from typing import Final

import pytest

from corridors import registry
from corridors.dataset import Dataset, load_dataset
from corridors.memberships import member_spans
from tests.contrast import contrast, over

# An area is the set of blocs its countries belong to: the sea and non-member land belong to
# none. Names for the messages.
Kind = frozenset[str]
SEA, LAND = "sea", "non-member land"
KINDS: Final = {
    LAND: frozenset(),
    "BRI only": frozenset({"bri"}),
    "EAEU only": frozenset({"eaeu"}),
    "in both": frozenset({"eaeu", "bri"}),
}
# Where an EAEU member in the BRI borders one not yet in it, the EAEU's cased outline covers the
# BRI's, and only the tints tell them apart. That map exists only in 2015 (Kazakhstan until its
# BRI memorandum took effect in September, Armenia until January 2016): checked against the
# data below.
TINT_ONLY: Final = {frozenset({"EAEU only", "in both"})}


def _blocs() -> dict[str, registry.Bloc]:
    return {b.id: b for b in registry.BLOCS}


def drawn(kind: Kind, ground: str) -> str:
    """The colour of an area of ``kind`` over ``ground``: each bloc's tint over the last."""
    colour = ground
    for bloc in sorted((_blocs()[b] for b in kind), key=lambda b: b.pane):
        colour = over(bloc.fill_colour, float(bloc.style["fillOpacity"]), colour)
    return colour


def telling_outline(a: Kind, b: Kind) -> registry.Bloc | None:
    """The bloc whose outline lies on top where areas ``a`` and ``b`` meet, if only one of them
    belongs to it (None: no outline there tells them apart)."""
    along = [_blocs()[x] for x in a | b]
    if not along:
        return None
    top = max(along, key=lambda bloc: bloc.pane)
    return top if top.id in a ^ b else None


def low_pairs(
    grounds: tuple[str, ...], kinds: Mapping[str, Kind] = KINDS
) -> dict[frozenset[str], str]:
    """Each pair of neighbours on a basemap with these (land, water) ``grounds`` that falls under
    3:1 by the channel that tells them apart, with what it measured."""
    land, sea = grounds
    areas: dict[str, tuple[Kind, str]] = {SEA: (frozenset(), sea)}
    areas.update({name: (kind, drawn(kind, land)) for name, kind in kinds.items()})
    low = {}
    for (name_a, (a, colour_a)), (name_b, (b, colour_b)) in itertools.combinations(
        areas.items(), 2
    ):
        if not a | b:
            continue  # the basemap's own coast, between sea and land that no bloc draws on
        outline = telling_outline(a, b)
        if outline is None:
            ratio, channel = contrast(colour_a, colour_b), "tints"
        else:
            ratio = min(contrast(outline.colour, colour_a), contrast(outline.colour, colour_b))
            channel = f"{outline.id} outline {outline.colour}"
        if ratio < 3.0:
            low[frozenset({name_a, name_b})] = f"{channel}: {ratio:.2f}"
    return low


PUBLISHED = [b for b in registry.BASEMAPS if b.grounds]


def test_the_basemap_without_tiles_publishes_the_land_and_sea_the_map_draws() -> None:
    (untiled,) = [b for b in registry.BASEMAPS if b.url is None]
    assert untiled.grounds == (str(registry.LAND_STYLE["fillColor"]), registry.SEA_COLOUR)
    assert {b.id for b in PUBLISHED} == {"light", "none"}


@pytest.mark.parametrize("basemap", PUBLISHED, ids=lambda b: b.id)
def test_every_pair_of_neighbours_is_told_apart_3_to_1(basemap: registry.Basemap) -> None:
    low = low_pairs(basemap.grounds)
    assert set(low) <= TINT_ONLY, low


def test_the_check_fails_for_the_blue_tint_that_looked_like_water() -> None:
    # The BRI as it was: Okabe–Ito's sky blue at 0.3 and a 0.8 px outline of the same blue.
    old = registry.Bloc("bri", "BRI", "BRI", "", "#56B4E9", {"fillOpacity": 0.3}, pane=340)
    blocs = {**_blocs(), "bri": old}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "BLOCS", tuple(blocs.values()))
        low = low_pairs(registry.BASEMAPS[-1].grounds)
    assert frozenset({SEA, "BRI only"}) in low and frozenset({LAND, "BRI only"}) in low


def test_every_bloc_outline_on_its_casing_holds_where_grounds_are_not_published() -> None:
    # Terrain (OpenTopoMap) publishes no grounds: its relief runs from dark forest to white
    # snow. There each bloc's outline lies on its white casing, as the lines do, and stands out
    # 3:1 from that (the BRI's dark rose alone fell under 3:1 on the darkest forest).
    assert any(not b.grounds for b in registry.BASEMAPS)
    for bloc in registry.BLOCS:
        assert bloc.cased, bloc.id
        assert contrast(bloc.colour, registry.CASING_COLOUR) >= 3.0, bloc.id


def _hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


def test_no_bloc_tint_has_the_hue_of_water() -> None:
    # Contrast tells a member's edge; hue says what the area is. A light blue area reads as sea.
    for basemap in PUBLISHED:
        land, sea = basemap.grounds
        for name, kind in KINDS.items():
            if not kind:
                continue
            gap = abs(_hue(drawn(kind, land)) - _hue(sea)) % 360
            assert min(gap, 360 - gap) >= 90, (basemap.id, name)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset()


def _members(data: Dataset, bloc: str, day: dt.date) -> Collection[str]:
    return {iso for iso, days in member_spans(data.memberships, bloc) if days.holds_on(day)}


def test_eaeu_members_outside_the_bri_are_drawn_only_in_2015(data: Dataset) -> None:
    # TINT_ONLY's pair exists only on days when some EAEU member is not yet in the BRI.
    spans = [s for bloc in ("eaeu", "bri") for _, s in member_spans(data.memberships, bloc)]
    days = sorted({d for s in spans for d in (s.start, s.end) if d is not None})
    apart = [d for d in days if set(_members(data, "eaeu", d)) - set(_members(data, "bri", d))]
    assert apart and min(apart) >= dt.date(2015, 1, 1) and max(apart) < dt.date(2016, 1, 1)
    assert not set(_members(data, "eaeu", dt.date.today())) - set(
        _members(data, "bri", dt.date.today())
    )
