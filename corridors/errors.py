"""The data layer's one exception: every message names the file, the feature and the problem."""

from __future__ import annotations


class DataError(ValueError):
    """A data file breaks the declared schema.

    ``file`` is the file's name (never its server path, which means nothing to a reader and
    leaks the deployment layout), ``feature`` the feature's id or position where known.
    """

    def __init__(self, file: str, problem: str, feature: str | None = None) -> None:
        self.file = file
        self.feature = feature
        self.problem = problem
        where = f"{file}, feature {feature}" if feature is not None else file
        super().__init__(f"{where}: {problem}")
