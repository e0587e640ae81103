"""`python -m corridors.check`: validate geodata/ and print what the map measures against sources.

Exit status 1 with the loader's message (file, feature, problem) if any file is broken.
"""

from __future__ import annotations

import datetime as dt
import sys

from corridors.boundaries import VIEWS, countries_in_view
from corridors.dataset import Dataset, load_dataset
from corridors.errors import DataError
from corridors.geodesy import area_km2
from corridors.measure import length_between
from corridors.memberships import members_on
from corridors.status import current_status

NMI_KM = 1.852


def lines(data: Dataset) -> list[str]:
    """The report, one line per measurement, published figures beside measured ones."""
    out = ["Corridors: measured geodesic length vs published figures"]
    for corridor, rows in data.corridors.groupby("corridor", sort=False):
        measured = float(rows["length_km"].sum())
        status = current_status(rows["status"].iloc[0]) or {}
        out.append(
            f"  {corridor}: {measured:,.1f} km measured; status {status.get('status')} "
            f"since {status.get('since') or 'unknown'}; geometry {rows['geometry_quality'].iloc[0]}"
        )
        waypoints = {w["name"]: w for wps in rows["waypoints"].dropna() for w in wps}
        seen = set()
        for figures in rows["figures"]:
            for fig in figures:
                key = (fig["quantity"], fig["value"], fig["unit"], fig["source"], fig["scope"])
                if fig["quantity"] != "length" or fig["scope"] != "corridor" or key in seen:
                    continue
                seen.add(key)
                km = fig["value"] * (NMI_KM if fig["unit"] == "nmi" else 1)
                between = fig.get("between")
                drawn = (
                    length_between(list(rows.geometry), waypoints, *between)
                    if between
                    else measured
                )
                span = " – ".join(between or []) or "whole corridor"
                note = f"; {fig['note']}" if fig.get("note") else ""
                compared = (
                    f", drawn {drawn:,.1f} km ({100 * (drawn - km) / km:+.1f}%)"
                    if fig.get("compare", True)
                    else ", not compared: it covers more than is drawn"
                )
                out.append(
                    f"      {span}: published {fig['value']:,} {fig['unit']}"
                    f" ({fig['source']}{note}){compared}"
                )
    out.append("Countries: Russia's geodesic area by boundary view")
    for view in VIEWS:
        merged = countries_in_view(data.countries, data.disputed, view).set_index("iso_a3")
        out.append(f"  {view}: {area_km2(merged.geometry['RUS']) / 1e6:.3f} million km²")
    today = dt.date.today()
    out.append(f"Memberships in force on {today.isoformat()}")
    for bloc in ("eaeu", "bri"):
        members = members_on(data.memberships, bloc, today)
        out.append(
            f"  {bloc}: {len(members)} countries"
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
    print("\n".join(lines(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
