"""Dependencies a project declares, read from the manifest files of one snapshot.

One module per manifest family (:mod:`.pyproject`, :mod:`.requirements`); this
module discovers the manifests of a snapshot and merges what they declare.
Everything here is pure: files come from a :class:`~hallucheck.snapshot.Snapshot`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field

from hallucheck.snapshot import EntryKind, Snapshot

MANIFEST_PATTERNS = ("pyproject.toml", "requirements*.txt")


@dataclass(frozen=True)
class Dependency:
    """One declaration of a distribution in a manifest."""

    name: str
    """PEP 503 normalised distribution name."""
    requirement: str
    """The requirement as written."""
    path: str
    line: int


@dataclass(frozen=True)
class ManifestProblem:
    path: str
    line: int
    message: str


@dataclass
class Declared:
    """What one snapshot's manifests declare."""

    dependencies: dict[str, list[Dependency]] = field(default_factory=dict)
    problems: list[ManifestProblem] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)

    def add(self, dependencies: Iterable[Dependency]) -> None:
        for dependency in dependencies:
            self.dependencies.setdefault(dependency.name, []).append(dependency)

    def __contains__(self, name: object) -> bool:
        return name in self.dependencies


def is_manifest(path: str) -> bool:
    """Whether ``path`` is a file that :func:`declared_dependencies` reads."""
    return "/" not in path and any(fnmatch.fnmatchcase(path, pattern) for pattern in MANIFEST_PATTERNS)


def manifest_paths(snapshot: Snapshot) -> list[str]:
    return sorted(
        name for name, kind in snapshot.list_dir("").items() if kind is EntryKind.FILE and is_manifest(name)
    )


def declared_dependencies(snapshot: Snapshot) -> Declared:
    """The dependencies declared by the manifests at the root of ``snapshot``."""
    from hallucheck.manifests import pyproject, requirements

    declared = Declared()
    for path in manifest_paths(snapshot):
        data = snapshot.read(path)
        if data is None:
            continue
        declared.manifests.append(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            declared.problems.append(ManifestProblem(path, line, f"not valid UTF-8: {error.reason}"))
            continue
        reader = pyproject.read if path.endswith(".toml") else requirements.read
        dependencies, problems = reader(text, path)
        declared.add(dependencies)
        declared.problems.extend(problems)
    return declared
