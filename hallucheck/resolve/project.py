"""The resolvers of one change: what each changed file's project declares before and after the change, its
first-party code (monorepo members included) and the Python it targets, as one :class:`Resolver` per scope.

The change is read through :class:`ChangeInputs`, the part of :class:`~hallucheck.change.Change` resolution
needs (the change module sits above every stage, so this one names only what it reads).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from hallucheck.config import Config, ConfigError
from hallucheck.manifests import Declared, Dependency, ManifestProblem
from hallucheck.manifests.diff import ManifestDiff, manifest_diff
from hallucheck.manifests.scope import ProjectScopes
from hallucheck.resolve.resolver import FirstParty, Resolver, TargetPython, target_python
from hallucheck.snapshot import Snapshot

if TYPE_CHECKING:
    from hallucheck.resolve.environment import Environment
    from hallucheck.resolve.stdlib import PythonVersion


class _ChangedFile(Protocol):
    @property
    def path(self) -> str: ...


class ChangeInputs(Protocol):
    """What resolution reads of a change (:class:`~hallucheck.change.Change` has all of it)."""

    @property
    def base(self) -> Snapshot: ...
    @property
    def target(self) -> Snapshot: ...
    @property
    def other_bases(self) -> Sequence[Snapshot]: ...
    @property
    def config(self) -> Config: ...
    @property
    def changed_paths(self) -> Sequence[str] | None: ...
    @property
    def python_files(self) -> Sequence[_ChangedFile]: ...
    @property
    def touches_manifests(self) -> bool: ...
    @property
    def target_python(self) -> PythonVersion | None: ...
    @property
    def environment(self) -> Environment | None: ...


class ChangeManifests:
    """The declarations that count for each changed file, before and after the change."""

    def __init__(self, change: ChangeInputs) -> None:
        extra = change.config.manifests
        self._including_projects: set[str] = set()
        self.target = ProjectScopes(change.target, extra)
        self.changed = change.touches_manifests or self._includes_changed(change)
        self.base = ProjectScopes(change.base, extra) if self.changed else self.target
        self.other_bases = [ProjectScopes(parent, extra) for parent in change.other_bases] if self.changed else []
        self._resolvers: dict[tuple[int, bool], Resolver] = {}
        self._scope_problems: list[list[ManifestProblem]] = []
        self._change = change
        self._python: TargetPython | None = None
        self._changed_paths = change.changed_paths
        self.notes: list[str] = []
        """What the manifests of the scopes seen hold that declares nothing (for ``-v``)."""

    def holds(self, path: str) -> bool:
        """Whether the version the change makes holds a file at ``path`` (from the repository's root)."""
        return self._change.target.read(path) is not None

    def _includes_changed(self, change: ChangeInputs) -> bool:
        """Whether the change touches a file that the manifests of a changed Python file's project read
        (an include from anywhere: ``-r ../shared/deps.cfg``). What a manifest includes is a manifest."""
        if not change.changed_paths or not change.python_files:
            return False
        python = {changed.path for changed in change.python_files}
        others = set(change.changed_paths) - python
        for path in sorted(python) if others else ():
            declared = self.target.declared_for(path)
            if others.intersection(declared.manifests):
                self._including_projects.add(declared.directory or "")
        return bool(self._including_projects)

    def base_for(self, path: str) -> Declared:
        """The base declarations for ``path``; in a merge, what any parent declares."""
        base = self.base.declared_for(path)
        if not self.other_bases:
            return base
        union = Declared(directory=base.directory, workspace=base.workspace)
        for scopes in (self.base, *self.other_bases):
            union.merge(scopes.declared_for(path))
        return union

    def added(self) -> ManifestDiff:
        """The manifest diff; in a merge, a dependency any parent declares is not added."""
        diff = manifest_diff(self.base, self.target, self._changed_paths, self._including_projects)
        if self.other_bases:
            diff.added = [
                item for item in diff.added
                if not any(item.name in scopes.declared_for(item.path).dependencies for scopes in self.other_bases)
            ]  # fmt: skip
        return diff

    def resolver(self, path: str) -> tuple[Resolver, list[ManifestProblem] | None]:
        """The resolver for imports in ``path``, and its scope's problems when that scope is first seen."""
        target = self.target.declared_for(path)
        key = (id(target), target.is_build_script(path))  # scopes are cached: one object per scope
        if key in self._resolvers:
            return self._resolvers[key], None
        self.notes += [f"{note.path}:{note.line}: {note.message}" for note in target.notes]
        base = self.base_for(path)
        roots = [target.directory or "", *(item.directory for item in target.first_party)]
        first_party = ProjectFirstParty(self._change.target, roots, self._change.config.first_party)
        if self._python is None:
            self._python = project_python(self._change)
        resolver = make_resolver(
            self._change, base.for_file(path), target.for_file(path), first_party=first_party, python=self._python
        )
        self._resolvers[key] = resolver
        self._scope_problems.append(target.problems)
        return resolver, target.problems

    def declared_elsewhere(self, name: str, path: str) -> list[Dependency]:
        """Where another project of the repository declares ``name``, which the project of ``path`` does not."""
        own = self.target.declared_for(path)
        if name in own.dependencies:
            return []
        return [place for place in self.target.declared_anywhere(name) if place.path not in own.manifests]

    def scope_problems(self) -> list[ManifestProblem]:
        """The problems of every scope a resolver was made for, lock files read on the way included."""
        return [problem for problems in self._scope_problems for problem in problems]


def with_declared(resolver: Resolver, base: Sequence[Dependency], target: Sequence[Dependency]) -> Resolver:
    """``resolver`` with a file's own declarations added before and after the change (a PEP 723 block, a
    notebook's ``%pip install``)."""
    before, after = Declared(), Declared()
    before.merge(resolver.base)
    after.merge(resolver.target)
    before.add(base)
    after.add(target)
    return resolver.with_declarations(before, after)


class ProjectFirstParty(FirstParty):
    """First-party code where :class:`FirstParty` looks, and also in the project's own directory (and its
    ``src/``) and in directories the manifests install from (``-e ./libs/core``): monorepo members."""

    def __init__(self, snapshot: Snapshot, roots: Sequence[str], names: Sequence[str] = ()) -> None:
        super().__init__(snapshot, names)
        self._roots = [root for root in dict.fromkeys(roots) if root]

    def locate(
        self, top_level: str, importing_path: str, *, members: bool = True, stubs: bool = False,
        imported: str | None = None,
    ) -> str | None:
        found = super().locate(top_level, importing_path, members=members, stubs=stubs, imported=imported)
        for root in self._roots:
            if found is not None:
                break
            found = super().locate(top_level, f"{root}/_", members=members, stubs=stubs, imported=imported)
            if found is None and self.src_is_root(root):
                found = super().locate(top_level, f"{root}/src/_", members=members, stubs=stubs, imported=imported)
        return found




def project_python(change: ChangeInputs) -> TargetPython:
    """The Python versions ``change`` targets; ConfigError when the configured one is not a version."""
    try:
        return (
            TargetPython.single(change.target_python, "the caller")
            if change.target_python is not None
            else target_python(change.target, change.config.python)
        )
    except ValueError as error:
        raise ConfigError(f"{change.config.source or 'configuration'}: python: {error}") from None


def make_resolver(
    change: ChangeInputs,
    base: Declared,
    target: Declared,
    *,
    first_party: FirstParty | None = None,
    python: TargetPython | None = None,
) -> Resolver:
    """The resolver for ``change``; ConfigError when the configured target Python is not a version."""
    python = python or project_python(change)
    first_party = first_party or FirstParty(change.target, change.config.first_party)
    return Resolver(
        base, target, first_party, python, config=change.config, environment=change.environment,
        snapshot=change.target,
    )  # fmt: skip

