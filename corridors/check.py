"""`python -m corridors.check`: validate geodata/ and print what the map measures against sources.

The lengths are the ones the map's panel shows (`corridors.details`), so the report and the page
can never disagree. Exit status 1 with the loader's message (file, feature, problem) if any file
is broken.
"""

from __future__ import annotations

import datetime as dt
import sys

from corridors import registry
from corridors.boundaries import countries_in_view
from corridors.dataset import Dataset, load_dataset
from corridors.details import corridor_details
from corridors.errors import DataError
from corridors.geodesy import area_km2
from corridors.memberships import members_on

# The panel's facts that compare the drawn line with published figures.
_MEASURED = ("Status", "Drawn", "Published", "Geometry")


def lines(data: Dataset, when: dt.date) -> list[str]:
    """The report as of ``when``, one line per measurement, published figures beside drawn ones."""
    out = ["Corridors: drawn geodesic length vs published figures"]
    for corridor, rows in data.corridors.groupby("corridor", sort=False):
        if rows.geometry.iloc[0].geom_type == "Point":
            continue
        out.append(f"  {corridor}:")
        for fact in corridor_details(rows, when, countries=data.countries).facts:
            if fact.label in _MEASURED or fact.label.startswith("In "):
                out.append(f"      {fact.label}: {fact.text}")
    out.append("Countries: Russia's geodesic area by boundary view")
    for view in registry.VIEWS:
        merged = countries_in_view(data.countries, data.disputed, view.id).set_index("iso_a3")
        out.append(f"  {view.id}: {area_km2(merged.geometry['RUS']) / 1e6:.3f} million km²")
    out.append(f"Memberships in force on {when.isoformat()}")
    for bloc in registry.BLOCS:
        members = members_on(data.memberships, bloc.id, when)
        out.append(
            f"  {bloc.id}: {len(members)} countries"
            + (f" {sorted(members)}" if len(members) < 10 else "")
        )
    return out


def main() -> int:
    """Load, report, and turn a data problem into a one-line message and exit status 1."""
    try:
        data = load_dataset()
    except DataError as exc:
        print(f"geodata check failed: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines(data, dt.date.today())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
