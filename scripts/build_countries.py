"""Rebuild geodata/countries.geojson, disputed.geojson and borders-10m.json from Natural Earth.

Usage: python scripts/build_countries.py [--input TOPOJSON] [--detail-input TOPOJSON]
[--areas JSON] [--output-dir DIR]. The defaults read node_modules/world-atlas/countries-50m.json
and countries-10m.json (installed by `npm ci`) and geodata/sources/disputed-areas.json, and
write into geodata/. The output is deterministic: a rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, the repository root is not on sys.path; the core lives in corridors/.
sys.path.insert(0, str(ROOT))

from corridors import naturalearth, registry  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build both files, write them and print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / naturalearth.SOURCE_FILE)
    parser.add_argument("--detail-input", type=Path, default=ROOT / naturalearth.DETAIL_SOURCE_FILE)
    parser.add_argument("--areas", type=Path, default=ROOT / naturalearth.AREAS_FILE)
    parser.add_argument("--output-dir", type=Path, default=ROOT / "geodata")
    args = parser.parse_args(argv)
    for source in (args.input, args.detail_input):
        if not source.is_file():
            parser.error(f"{source} not found; run `npm ci` (or `make setup-dev`) first")
    written = naturalearth.write(naturalearth.build(args.input, args.areas), args.output_dir)
    detail = args.output_dir / registry.DETAIL_FILE
    detail.write_text(naturalearth.build_detail(args.detail_input, args.areas), encoding="utf-8")
    for path in (*written, detail):
        print(f"wrote {path} ({path.stat().st_size / 1000:.1f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
