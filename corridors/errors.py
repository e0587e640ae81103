"""What can be wrong with a data file, said so a reader can act on it.

Every message names the file (never its server path, which means nothing to a reader and
leaks the deployment layout), the feature where known, and the problem.

Loading collects problems in a `Problems`. Strict (checks, tests, ``make check``) raises the
first problem as a `DataError`. Lenient (the page) leaves out what a problem spoils (a feature,
a row, a link, or a whole file) and goes on, so one broken file cannot take the page down; the
page then lists what was left out. Safe repairs (``make_valid``) are made in both modes and
recorded, never raised.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from corridors.escape import markdown_text


def _where(file: str, feature: str | None) -> str:
    return f"{file}, feature {feature}" if feature is not None else file


class DataError(ValueError):
    """A data file breaks the declared schema (``file`` is its name, ``feature`` its id)."""

    def __init__(self, file: str, problem: str, feature: str | None = None) -> None:
        self.file = file
        self.feature = feature
        self.problem = problem
        super().__init__(f"{_where(file, feature)}: {problem}")


@dataclass(frozen=True)
class Problem:
    """One problem found while loading: left out, or (``repaired``) fixed and used."""

    file: str
    problem: str
    feature: str | None = None
    repaired: bool = False

    def __str__(self) -> str:
        return f"{_where(self.file, self.feature)}: {self.problem}"


class Problems:
    """The problems one load found; strict raises the first one that leaves something out."""

    def __init__(self, *, strict: bool = True) -> None:
        self.strict = strict
        self._items: list[Problem] = []

    def report(self, file: str, problem: str, feature: str | None = None) -> None:
        """Something is left out because of this problem (strict: raise it instead)."""
        if self.strict:
            raise DataError(file, problem, feature)
        self._items.append(Problem(file, problem, feature))

    def failed(self, error: DataError) -> None:
        """A whole file (or what ``error`` names) could not be used."""
        self.report(error.file, error.problem, error.feature)

    def repaired(self, file: str, problem: str, feature: str | None = None) -> None:
        """A problem fixed in memory (the file is never rewritten); recorded in both modes."""
        self._items.append(Problem(file, problem, feature, repaired=True))

    @property
    def items(self) -> tuple[Problem, ...]:
        """Everything recorded, in the order found."""
        return tuple(self._items)

    def repair_counts(self) -> dict[str, int]:
        """How many repairs were made in each file."""
        return dict(Counter(p.file for p in self._items if p.repaired))


def problems_markdown(problems: tuple[Problem, ...], shown: int = 8) -> str:
    """What a load left out and repaired, as escaped Markdown for the page (file names and
    problems come from data files, so every one is escaped)."""
    left_out = [p for p in problems if not p.repaired]
    repaired = [p for p in problems if p.repaired]
    lines = []
    if left_out:
        lines.append(f"Left out because of problems in the data ({len(left_out)}):")
        lines += [f"- {markdown_text(str(p))}" for p in left_out[:shown]]
        if len(left_out) > shown:
            lines.append(f"- and {len(left_out) - shown} more")
    if repaired:
        files = sorted({p.file for p in repaired})
        lines.append(
            f"Repaired {len(repaired)} invalid geometr{'y' if len(repaired) == 1 else 'ies'} "
            f"(make_valid) in {markdown_text(', '.join(files))}; the files are unchanged."
        )
    return "\n".join(lines)
