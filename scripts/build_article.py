"""Build ``geodata/articles/<id>.json`` from a raw capture, its sidecar and the gazetteer.

Usage: ``python scripts/build_article.py`` rebuilds the committed article;
``--raw/--meta/--gazetteer/--out`` point elsewhere (tests rebuild into a tmp dir);
``--refresh-countries`` first adds pycountry's country names to the gazetteer (never removes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run as a plain script (`make data`), so the repository root is not on sys.path by itself.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corridors.article import article_id_for, article_to_json, build_from_files  # noqa: E402
from corridors.errors import DataError  # noqa: E402
from corridors.gazetteer import (  # noqa: E402
    format_gazetteer,
    iso_country_names,
    read_gazetteer,
    with_country_names,
)
from corridors.loader import load_corridors  # noqa: E402

ARTICLES = ROOT / "geodata" / "articles"
DEFAULT_RAW = ARTICLES / "2024-04-25-russia-warming-to-bri.raw.txt"
DEFAULT_GAZETTEER = ROOT / "geodata" / "gazetteer.csv"
DEFAULT_CORRIDORS = ROOT / "geodata" / "corridors.geojson"


def refresh_countries(path: Path) -> None:
    """Add every ISO 3166 country's name, common and official name to the gazetteer."""
    import pycountry  # data-build dependency only (requirements-dev.txt), not needed at run time

    names = iso_country_names(pycountry.countries)
    rows = with_country_names(read_gazetteer(path).rows, names)
    path.write_text(format_gazetteer(rows), encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> int:
    """Build one article; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="<id>.raw.txt capture")
    parser.add_argument("--meta", type=Path, help="sidecar (default: <id>.meta.json beside it)")
    parser.add_argument("--gazetteer", type=Path, default=DEFAULT_GAZETTEER)
    parser.add_argument(
        "--corridors", type=Path, default=DEFAULT_CORRIDORS, help="for the corridors' kinds"
    )
    parser.add_argument("--out", type=Path, help="output (default: <id>.json beside the raw)")
    parser.add_argument("--refresh-countries", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.refresh_countries:
            refresh_countries(args.gazetteer)
        corridors = load_corridors(args.corridors)
        kinds = dict(zip(corridors["corridor"], corridors["kind"], strict=True))
        article = build_from_files(args.raw, read_gazetteer(args.gazetteer), kinds, args.meta)
        out = args.out or args.raw.with_name(article_id_for(args.raw) + ".json")
        out.write_text(article_to_json(article), encoding="utf-8", newline="")
    except DataError as error:
        print(f"build_article: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(article.paragraphs)} paragraphs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
