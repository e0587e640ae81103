"""Rebuild geodata/countries.geojson and geodata/disputed.geojson from Natural Earth.

Usage: python scripts/build_countries.py [--input TOPOJSON] [--areas JSON] [--output-dir DIR]
The defaults read node_modules/world-atlas/countries-50m.json (installed by `npm ci`) and
geodata/sources/disputed-areas.json, and write into geodata/. The output is deterministic: a
rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, the repository root is not on sys.path; the core lives in corridors/.
sys.path.insert(0, str(ROOT))

from corridors import naturalearth  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build both files, write them and print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / naturalearth.SOURCE_FILE)
    parser.add_argument("--areas", type=Path, default=ROOT / naturalearth.AREAS_FILE)
    parser.add_argument("--output-dir", type=Path, default=ROOT / "geodata")
    args = parser.parse_args(argv)
    if not args.input.is_file():
        parser.error(f"{args.input} not found; run `npm ci` (or `make setup-dev`) first")
    for path in naturalearth.write(naturalearth.build(args.input, args.areas), args.output_dir):
        print(f"wrote {path} ({path.stat().st_size / 1000:.1f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
