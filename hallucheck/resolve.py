"""Decide where an imported module comes from: stdlib, first-party code or a declared distribution."""

from __future__ import annotations

import enum
import posixpath
from dataclasses import dataclass

from hallucheck import mapping, stdlib
from hallucheck.imports import ImportedModule
from hallucheck.manifests import Declared
from hallucheck.snapshot import EntryKind, Snapshot

_SOURCE_SUFFIXES = (".py", ".pyi")


class Origin(enum.Enum):
    STDLIB = "stdlib"
    FIRST_PARTY = "first-party"
    DECLARED = "declared"
    """Declared before the change and still declared."""
    NEW_DEPENDENCY = "new-dependency"
    """Served only by a distribution the change declares."""
    REMOVED_DEPENDENCY = "removed-dependency"
    """Served only by a distribution the change stops declaring."""
    TRANSITIVE = "transitive"
    """Served only by a distribution that a lock file pins but no manifest declares."""
    KNOWN_UNDECLARED = "known-undeclared"
    """A known distribution provides it, but the project does not declare it."""
    UNKNOWN = "unknown"
    """Nothing declared or known provides it."""


@dataclass(frozen=True)
class Resolution:
    origin: Origin
    distributions: tuple[str, ...] = ()
    """The distributions that serve (or would serve) the import, best first."""
    reason: str = ""
    """Why, in a few words, for verbose output and ``explain-import``."""

    @property
    def distribution(self) -> str | None:
        return self.distributions[0] if self.distributions else None


class FirstParty:
    """Top-level modules and packages of the project itself, looked up lazily in a snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def locate(self, top_level: str, importing_path: str) -> str | None:
        """Where ``top_level`` is defined for code in ``importing_path``, or None when it is not first-party."""
        here = posixpath.dirname(importing_path)
        for directory in dict.fromkeys(("", "src", here)):
            entries = self._snapshot.list_dir(directory)
            for suffix in _SOURCE_SUFFIXES:
                if entries.get(top_level + suffix) is EntryKind.FILE:
                    return posixpath.join(directory, top_level + suffix)
            if entries.get(top_level) is EntryKind.DIRECTORY and self._is_package(posixpath.join(directory, top_level)):
                return posixpath.join(directory, top_level) + "/"
        return None

    def _is_package(self, directory: str) -> bool:
        """A directory is importable when it holds Python files or subdirectories (PEP 420 namespaces)."""
        for name, kind in self._snapshot.list_dir(directory).items():
            if kind is EntryKind.DIRECTORY or (kind is EntryKind.FILE and name.endswith(_SOURCE_SUFFIXES)):
                return True
        return False


def candidate_distributions(module: str, declared: set[str]) -> tuple[tuple[str, ...], str]:
    """Distributions that may provide ``module``, and where that knowledge comes from.

    The bundled table comes first; then the import name itself as a distribution
    name, and declared distributions whose name suggests the import — evidence
    that only ever *matches* a declared distribution, never invents one.
    """
    known = mapping.known_distributions(module)
    if known:
        return known, "bundled mapping"
    parts = module.split(".")
    top = parts[0]
    if mapping.is_namespace_root(top):
        candidates = [mapping.normalize_distribution(".".join(parts[:2]))] if len(parts) > 1 else []
    else:
        candidates = [mapping.normalize_distribution(top)]
    candidates += sorted(name for name in declared if top in mapping.heuristic_import_names(name))
    return tuple(dict.fromkeys(candidates)), "distribution name"


class Resolver:
    """Resolves imports against the base and target snapshots of a change."""

    def __init__(
        self,
        base: Declared,
        target: Declared,
        first_party: FirstParty,
        target_python: stdlib.PythonVersion,
    ) -> None:
        self._base = base
        self._target = target
        self._first_party = first_party
        self._python = target_python

    def resolve(self, item: ImportedModule, path: str) -> Resolution:
        if item.level:
            return Resolution(Origin.FIRST_PARTY, reason="relative import")
        top = item.top_level
        if top == "__future__" or stdlib.is_stdlib(top, self._python):
            return Resolution(Origin.STDLIB, reason=f"standard library of Python {self._python[0]}.{self._python[1]}")
        location = self._first_party.locate(top, path)
        if location is not None:
            return Resolution(Origin.FIRST_PARTY, reason=f"first-party code at {location}")
        return self.resolve_distribution(item.module)

    def resolve_distribution(self, module: str) -> Resolution:
        declared = set(self._base.dependencies) | set(self._target.dependencies)
        candidates, source = candidate_distributions(module, declared)
        kept = tuple(name for name in candidates if name in self._base and name in self._target)
        if kept:
            return Resolution(Origin.DECLARED, kept, f"declared dependency ({source})")
        added = tuple(name for name in candidates if name in self._target)
        if added:
            return Resolution(Origin.NEW_DEPENDENCY, added, f"dependency added in this change ({source})")
        removed = tuple(name for name in candidates if name in self._base)
        if removed:
            return Resolution(Origin.REMOVED_DEPENDENCY, removed, f"dependency removed in this change ({source})")
        locked = tuple(name for name in candidates if name in self._target.locked)
        if locked:
            return Resolution(Origin.TRANSITIVE, locked, "locked for another package, not declared")
        if source == "bundled mapping":
            return Resolution(Origin.KNOWN_UNDECLARED, candidates, "provided by a known distribution, not declared")
        return Resolution(Origin.UNKNOWN, (), "no declared or known distribution provides it")
