"""Publish what the map serves from ``static/``: Leaflet, and the map's script and data files.

Usage: ``python scripts/install_assets.py [APP_DIR]`` (``make setup`` runs it for the repository
root, where app.py lives; the Docker build runs it too). Leaflet comes from its registry package;
the map's data file is built from ``geodata/``, which this validates on the way. The page makes
the same calls when it starts, so this step only moves the work to install time, for
deployments whose app folder is read-only at run time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

# Run as a plain script (`make setup`), so the repository root is not on sys.path by itself.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corridors.assets import OfflineAssetError, leaflet_version  # noqa: E402
from corridors.errors import DataError  # noqa: E402
from corridors.site import load_site  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Install the files; print where, or the reason it failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("app_dir", nargs="?", type=Path, default=ROOT, help="folder of the page")
    args = parser.parse_args(argv)
    try:
        site = load_site(args.app_dir, dt.date.today())
    except (OfflineAssetError, DataError) as exc:
        print(f"install_assets: {exc}", file=sys.stderr)
        return 1
    print(f"Leaflet {leaflet_version()} and {site.assets.data.rsplit('/', 1)[-1]} in static/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
