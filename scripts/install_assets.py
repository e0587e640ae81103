"""Copy Leaflet from its installed registry package into ``static/vendor/leaflet/`` (gitignored).

Usage: ``python scripts/install_assets.py [APP_DIR]`` (``make setup`` runs it for the repository
root, where app.py lives). The page makes the same call when it starts, so this step only moves
the copy to install time, for deployments whose app folder is read-only at run time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run as a plain script (`make setup`), so the repository root is not on sys.path by itself.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corridors.assets import OfflineAssetError, ensure_leaflet, leaflet_version  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Install the vendor files; print where, or the reason it failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("app_dir", nargs="?", type=Path, default=ROOT, help="folder of the page")
    args = parser.parse_args(argv)
    try:
        target = ensure_leaflet(args.app_dir)
    except OfflineAssetError as exc:
        print(f"install_assets: {exc}", file=sys.stderr)
        return 1
    print(f"Leaflet {leaflet_version()} in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
