"""References between the data files, declared once and checked in one pass after loading; and
each corridor feature's references to its own sources and waypoints (`within_corridors`).

A disputed area names its owners, a membership row its country, a corridor the countries it
crosses, an article paragraph the corridors, countries and blocs it links. Each such reference
is a `Reference` record in `declared()`; `resolve` checks them all against what loaded.

The quiet rule: an id the target file had but lost to a reported problem (a broken feature) is
not reported a second time, since the first report says why; what refers to it is still treated
as broken. A target file that failed as a whole (nothing loaded) is reported once, as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, cast

import pandas as pd

from corridors import registry
from corridors.errors import Problems
from corridors.measure import length_between

if TYPE_CHECKING:
    import geopandas as gpd

    from corridors.article import Article
    from corridors.dataset import Dataset

Target = Literal["corridor", "country", "bloc"]
OnBroken = Literal["drop", "keep", "unlink"]


@dataclass(frozen=True)
class Reference:
    """The values of ``fields`` in the records of ``table`` (a `Dataset` field) are ``target`` ids.

    ``on_broken`` says what becomes of a record naming an id the target does not have: ``drop``
    leaves the record out and reports its first such id; ``keep`` keeps it and reports each;
    ``unlink`` keeps it without those ids and reports each. ``problem`` is the report, with
    ``{id}`` and ``{file}`` (the target's file); ``label`` is the field that names the record.
    """

    table: str
    fields: tuple[str, ...]
    target: Target
    on_broken: OnBroken
    problem: str
    label: str = "id"


# A paragraph's link fields and the kind of id each holds.
_ARTICLE_LINKS: tuple[tuple[str, Target], ...] = (
    ("corridors", "corridor"),
    ("countries", "country"),
    ("blocs", "bloc"),
)


def declared() -> tuple[Reference, ...]:
    """Every reference between the files, in the order they are checked and reported."""
    owners = tuple(view.owner_column for view in registry.VIEWS)
    in_countries = "country {id!r} is not in {file}"
    return (
        Reference("disputed", owners, "country", "drop", "owner {id!r} is not in {file}"),
        Reference("memberships", ("iso_a3",), "country", "drop", in_countries, label="iso_a3"),
        # Kept: which country a segment lies in is context, not what is drawn.
        Reference("corridors", ("country", "countries"), "country", "keep", in_countries),
        *(
            Reference("articles", (field,), target, "unlink", f"links unknown {target} {{id!r}}")
            for field, target in _ARTICLE_LINKS
        ),
    )


@dataclass(frozen=True)
class Targets:
    """The ids each target kind has, and those its file lost to a reported problem.

    ``ids`` is None for a kind whose file failed as a whole (nothing of it loaded).
    """

    ids: Mapping[Target, frozenset[str] | None]
    left_out: Mapping[Target, frozenset[str]]

    def named(self, kind: Target) -> frozenset[str]:
        """Every id of ``kind`` the data names, loaded or left out."""
        return (self.ids[kind] or frozenset()) | self.left_out[kind]


def _target_files() -> dict[Target, str]:
    return {"corridor": registry.CORRIDORS_FILE, "country": registry.COUNTRIES_FILE}


def _left_out(problems: Problems, file: str) -> frozenset[str]:
    """Ids of the features ``file`` lost to a reported problem; a segment counts as its corridor."""
    return frozenset(
        p.feature.split("/")[0]
        for p in problems.items
        if p.file == file and p.feature is not None and not p.repaired
    )


def targets(
    corridors: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, problems: Problems
) -> Targets:
    """What references may point to, once the corridors and countries files are loaded."""
    files = _target_files()
    return Targets(
        ids={
            "corridor": frozenset(corridors["corridor"]) if len(corridors) else None,
            "country": frozenset(countries["iso_a3"]) if len(countries) else None,
            "bloc": frozenset(registry.ids(registry.BLOCS)),
        },
        left_out={
            "corridor": _left_out(problems, files["corridor"]),
            "country": _left_out(problems, files["country"]),
            "bloc": frozenset(),
        },
    )


def _values(value: Any) -> list[str]:
    """The ids a field holds: none, one, or a list of them."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _check(
    record: Mapping[str, Any],
    file: str,
    references: Iterable[Reference],
    known: Targets,
    problems: Problems,
) -> dict[str, tuple[str, ...]] | None:
    """None if ``record`` is dropped, else the fields it keeps with fewer ids (unlinked)."""
    unlinked: dict[str, tuple[str, ...]] = {}
    dropped = False
    for ref in references:
        ids = known.ids[ref.target]
        if ids is None:
            # The target is already reported as failed. A link into it would lead nowhere, so it
            # goes; whether a row's reference holds cannot be told, so the row stays.
            if ref.on_broken == "unlink":
                unlinked.update({field: () for field in ref.fields})
            continue
        values = [v for field in ref.fields for v in _values(record[field])]
        broken = [v for v in values if v not in ids]
        reported = [v for v in broken if v not in known.left_out[ref.target]]
        target_file = _target_files().get(ref.target, "")
        for value in reported[:1] if ref.on_broken == "drop" else reported:
            problems.report(
                file, ref.problem.format(id=value, file=target_file), str(record[ref.label])
            )
        if broken and ref.on_broken == "drop":
            dropped = True
        elif broken and ref.on_broken == "unlink":
            unlinked.update(
                {f: tuple(v for v in _values(record[f]) if v in ids) for f in ref.fields}
            )
    return None if dropped else unlinked


def _frame(
    frame: pd.DataFrame,
    file: str,
    references: Sequence[Reference],
    known: Targets,
    problems: Problems,
) -> pd.DataFrame:
    records = cast(list[dict[str, Any]], frame.to_dict("records"))
    keep = [
        index
        for index, record in zip(frame.index, records, strict=True)
        if _check(record, file, references, known, problems) is not None
    ]
    return frame if len(keep) == len(frame) else frame.loc[keep].reset_index(drop=True)


def _article(
    article: Article, references: Sequence[Reference], known: Targets, problems: Problems
) -> Article:
    file = f"{article.id}.json"
    paragraphs = []
    for paragraph in article.paragraphs:
        record = {"id": paragraph.id} | {
            field: getattr(paragraph, field) for ref in references for field in ref.fields
        }
        unlinked: dict[str, Any] = _check(record, file, references, known, problems) or {}
        paragraphs.append(replace(paragraph, **unlinked))
    return replace(article, paragraphs=tuple(paragraphs))


def resolve(dataset: Dataset, known: Targets, problems: Problems) -> Dataset:
    """``dataset`` with every `declared` reference checked: broken ones reported and handled."""
    by_table: dict[str, list[Reference]] = {}
    for ref in declared():
        by_table.setdefault(ref.table, []).append(ref)
    files = {
        "disputed": registry.DISPUTED_FILE,
        "memberships": registry.MEMBERSHIPS_FILE,
        "corridors": registry.CORRIDORS_FILE,
    }
    changed: dict[str, Any] = {}
    for table, refs in by_table.items():
        if table == "articles":
            changed[table] = tuple(_article(a, refs, known, problems) for a in dataset.articles)
        else:
            changed[table] = _frame(getattr(dataset, table), files[table], refs, known, problems)
    return replace(dataset, **changed)


# --- Within corridors.geojson ------------------------------------------------------------------


def _figure_problem(
    figure: Mapping[str, Any],
    sources: frozenset[str],
    geometries: Sequence[Any],
    waypoints: Mapping[str, Any],
) -> str | None:
    """Why ``figure`` cannot be shown (an unknown source or waypoint), or None."""
    if figure["source"] not in sources:
        return f"figures entry cites source {figure['source']!r}, not in its sources"
    between = figure.get("between") or []
    for name in between:
        if name not in waypoints:
            return f"figure between {' and '.join(map(repr, between))}: no waypoint {name!r}"
    if between:
        try:
            length_between(geometries, waypoints, between[0], between[-1])
        except ValueError as exc:
            return f"figure between {' and '.join(map(repr, between))}: {exc}"
    return None


def within_corridors(frame: gpd.GeoDataFrame, problems: Problems) -> gpd.GeoDataFrame:
    """The corridors with each feature's own references checked, leaving out only what a broken
    one spoils: a figure or event citing a source the feature does not list, or a figure
    measured between waypoints its corridor does not have, is left out (the feature stays); a
    status entry citing
    an unknown source is reported and kept (the status is still true, its citation is not); a
    segment whose id names another corridor is left out."""
    file = registry.CORRIDORS_FILE
    by_corridor = {
        corridor: (
            list(rows.geometry),
            {w["name"]: w for wps in rows["waypoints"] if isinstance(wps, list) for w in wps},
        )
        for corridor, rows in frame.groupby("corridor", sort=False)
    }
    keep: list[Any] = []
    figures: list[list[Mapping[str, Any]]] = []
    kept_events: list[list[Mapping[str, Any]]] = []
    for index, row in frame.iterrows():
        feature = str(row["id"])
        if feature.split("/")[0] != row["corridor"]:
            problems.report(file, f"id names a corridor other than {row['corridor']!r}", feature)
            continue
        sources = frozenset(str(s.get("id")) for s in row["sources"] if s.get("id"))
        for entry in row["status"]:
            if entry["source"] not in sources:
                problems.report(
                    file, f"status entry cites source {entry['source']!r}, not in its sources",
                    feature,
                )  # fmt: skip
        events = row["events"] if isinstance(row["events"], list) else []
        for event in events:
            if event["source"] not in sources:
                problems.report(
                    file, f"event cites source {event['source']!r}, not in its sources", feature
                )
        kept_events.append([e for e in events if e["source"] in sources])
        geometries, waypoints = by_corridor[row["corridor"]]
        kept = []
        for figure in row["figures"]:
            problem = _figure_problem(figure, sources, geometries, waypoints)
            if problem is None:
                kept.append(figure)
            else:
                problems.report(file, problem, feature)
        keep.append(index)
        figures.append(kept)
    out = frame.loc[keep].copy()
    out["figures"] = pd.Series(figures, index=out.index, dtype=object)
    out["events"] = pd.Series(kept_events, index=out.index, dtype=object)
    return out
