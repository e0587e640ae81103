"""`python -m corridors.check`: validate geodata/ and print what the map measures against sources.

The lengths are the ones the map's panel shows (`corridors.details`), so the report and the page
can never disagree. Exit status 1 with the loader's message (file, feature, problem) if any file
is broken, with every membership row whose ``verified`` cell the second sources do not bear
out (`corridors.checklists`), or with every threshold the gazetteer misses on the labelled set
(`corridors.evaluation`), after printing the report and the misses.
"""

from __future__ import annotations

import datetime as dt
import sys

from corridors import registry
from corridors.boundaries import countries_in_view
from corridors.checklists import read_check_lists, verification_problems, verification_summary
from corridors.dataset import GEODATA, Dataset, load_dataset
from corridors.details import corridor_details
from corridors.errors import DataError
from corridors.evaluation import (
    LINKING_SET,
    MIN_PRECISION,
    MIN_RECALL,
    Evaluation,
    evaluate_linking,
)
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
        merged = countries_in_view(data.countries, data.disputed, view.id, when)
        merged = merged.set_index("iso_a3")
        out.append(f"  {view.id}: {area_km2(merged.geometry['RUS']) / 1e6:.3f} million km²")
    out.append(f"Memberships in force on {when.isoformat()}")
    for bloc in registry.BLOCS:
        members = members_on(data.memberships, bloc.id, when)
        out.append(
            f"  {bloc.id}: {len(members)} countries"
            + (f" {sorted(members)}" if len(members) < 10 else "")
        )
    return out


def verification_lines(data: Dataset) -> list[str]:
    """How many membership rows each second source confirms; the countries of any other verdict."""
    out = [f"Memberships checked against second sources ({registry.CHECKLISTS_DIR}/)"]
    for (bloc, value), codes in verification_summary(data.memberships).items():
        rows = f"{len(codes)} row{'' if len(codes) == 1 else 's'}"
        out.append(f"  {bloc} {value}: {rows}" + (f" {codes}" if len(codes) < 10 else ""))
    return out


def linking_lines(evaluation: Evaluation) -> list[str]:
    """The gazetteer's precision and recall on the labelled set, per kind, then every miss."""
    out = [
        f"Linking scored on {LINKING_SET.relative_to(GEODATA.parent)} "
        f"({evaluation.paragraphs} paragraphs; "
        f"needs precision {MIN_PRECISION}, recall {MIN_RECALL} per kind)"
    ]
    for score in evaluation.scores:
        found = score.true_positives + score.false_positives
        labelled = score.true_positives + score.false_negatives
        out.append(
            f"  {score.kind}: precision {score.precision:.3f} ({score.true_positives}/{found}), "
            f"recall {score.recall:.3f} ({score.true_positives}/{labelled})"
        )
    out += [f"  miss: {miss}" for miss in evaluation.misses]
    return out


def main() -> int:
    """Load, report, and turn a data problem into a message and exit status 1."""
    try:
        data = load_dataset()
        problems = verification_problems(data.memberships, read_check_lists(GEODATA))
        evaluation = evaluate_linking(data)
    except DataError as exc:
        print(f"geodata check failed: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"geodata check failed: {problem}", file=sys.stderr)
    if problems:
        return 1
    report = [*lines(data, dt.date.today()), *verification_lines(data), *linking_lines(evaluation)]
    print("\n".join(report))
    failures = evaluation.failures()
    for failure in failures:
        print(f"geodata check failed: linking {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
