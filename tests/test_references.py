"""corridors.references: the declared table of references between data files."""

from __future__ import annotations

import dataclasses

from corridors import references
from corridors.article import Paragraph
from corridors.dataset import Dataset
from corridors.errors import Problems
from corridors.schema import CORRIDORS, DISPUTED, MEMBERSHIP_COLUMNS


def test_every_reference_names_fields_its_table_declares() -> None:
    declared_fields = {
        "corridors": {f.name for f in CORRIDORS.fields},
        "disputed": {f.name for f in DISPUTED.fields},
        "memberships": set(MEMBERSHIP_COLUMNS),
        "articles": {f.name for f in dataclasses.fields(Paragraph)},
    }
    tables = {f.name for f in dataclasses.fields(Dataset)}
    for ref in references.declared():
        assert ref.table in tables
        assert {*ref.fields, ref.label} <= declared_fields[ref.table], ref


def test_every_owner_column_is_checked() -> None:
    (disputed,) = [r for r in references.declared() if r.table == "disputed"]
    assert set(disputed.fields) == {f.name for f in DISPUTED.fields if f.name.endswith("_iso_a3")}


def test_left_out_ids_are_named_but_not_loaded(dataset: Dataset) -> None:
    known = references.Targets(
        ids={"corridor": frozenset({"a"}), "country": None, "bloc": frozenset({"eaeu"})},
        left_out={"corridor": frozenset({"b"}), "country": frozenset({"RUS"}), "bloc": frozenset()},
    )
    assert known.named("corridor") == {"a", "b"}
    assert known.named("country") == {"RUS"}


def test_the_committed_data_has_no_broken_reference(dataset: Dataset) -> None:
    problems = Problems()  # strict: a broken reference would raise
    known = references.targets(dataset.corridors, dataset.countries, problems)
    checked = references.resolve(dataset, known, problems)
    assert len(checked.disputed) == len(dataset.disputed)
    assert len(checked.memberships) == len(dataset.memberships)
    assert checked.articles == dataset.articles
