"""What a change does to the declarations: dependencies it adds, manifests it breaks or fixes.

Compared per project, by normalised name, from the point of view of a file in
that project: a dependency is *added* when it is declared for the project's
files after the change and was not before. A version bump, a marker change,
or a move between two files of one project is therefore no addition; a
dependency moved out of a project's scope is a removal, which the import
check reports when an added import still needs it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from hallucheck.lazy import Slots
from hallucheck.manifests import Declared, Dependency, ManifestProblem, may_declare
from hallucheck.manifests.scope import ProjectScopes

_PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")


class ManifestDiff(Slots):
    __slots__ = ("added", "fixed", "locked", "problems")

    added: list[Dependency]
    """Each added dependency once, at its place in the target snapshot."""
    problems: list[ManifestProblem]
    """Problems of the affected projects as the change leaves them."""
    fixed: list[ManifestProblem]
    """Problems of the affected projects before the change that it removes."""
    locked: list[Dependency]
    """Packages a changed lock file pins that no lock file pinned before: approvable like ``added``."""

    def __init__(
        self, added: list[Dependency] | None = None, problems: list[ManifestProblem] | None = None,
        fixed: list[ManifestProblem] | None = None, locked: list[Dependency] | None = None,
    ) -> None:  # fmt: skip
        self.added = [] if added is None else added
        self.problems = [] if problems is None else problems
        self.fixed = [] if fixed is None else fixed
        self.locked = [] if locked is None else locked


def affected_directories(base: ProjectScopes, target: ProjectScopes, changed_paths: Iterable[str] | None) -> list[str]:
    """Directories whose declarations a change to ``changed_paths`` may alter (None: every project)."""
    if changed_paths is None:
        return sorted(set(base.all_project_directories()) | set(target.all_project_directories()))
    directories = set()
    for path in changed_paths:
        # A file of any name may be included by a manifest of its project (`-r deps.cfg`, `file:`).
        if may_declare(path) or path in target.extra_manifests or not path.endswith(_PYTHON_SUFFIXES):
            directory = posixpath.dirname(path)
            directories |= {target.project_directory(directory), base.project_directory(directory)}
    return sorted(directories)


def manifest_diff(
    base: ProjectScopes, target: ProjectScopes, changed_paths: Iterable[str] | None, projects: Iterable[str] = ()
) -> ManifestDiff:
    """Added dependencies and problems of the projects touched by ``changed_paths`` (None: every project),
    and of ``projects`` (directories of projects whose manifests include a changed file from elsewhere)."""
    changed = None if changed_paths is None else set(changed_paths)
    result = ManifestDiff()
    directories = affected_directories(base, target, changed)
    for directory in [*directories, *sorted(set(projects) - set(directories))]:
        after = target.declared_in(target.project_directory(directory))
        before = base.declared_in(base.project_directory(directory))
        locks_changed = False
        for declared in (after, before):
            if changed is None or changed.intersection(declared.lock_files):
                locks_changed = True
                declared.load_locks()  # a changed lock file is read, so that its problems are reported
        if locks_changed:
            newly = [places[0] for name, places in sorted(after.locked.items()) if name not in before.locked]
            result.locked += newly
            pinned = _pinned(before)
            result.added += [place for place in newly
                             if _unexplained(place.name, after) or _smuggled(place.name, after, pinned)]  # fmt: skip
        _compare(result, before, after, changed)
    for path, _ in target.applied:
        if changed is None or path in changed:
            _compare(result, base.applied_manifest(path), target.applied_manifest(path), changed)
    # Projects can share manifests (a workspace member reads its root's): each item once, in order.
    result.added = list(dict.fromkeys(result.added))
    first_places: dict[str, Dependency] = {}
    for item in result.locked:
        first_places.setdefault(item.name, item)
    result.locked = list(first_places.values())
    result.problems = list(dict.fromkeys(result.problems))
    result.fixed = list(dict.fromkeys(result.fixed))
    return result


def _compare(result: ManifestDiff, before: Declared, after: Declared, changed: set[str] | None) -> None:
    """Add what ``after`` declares that ``before`` did not, and the problems it has and fixed."""
    result.added += added_dependencies(before, after, changed)
    result.problems += after.problems
    remaining = {(item.path, item.message) for item in after.problems}
    result.fixed += [item for item in before.problems if (item.path, item.message) not in remaining]


def _unexplained(name: str, declared: Declared) -> bool:
    """A locked package that nothing declares and nothing in its lock requires: added like a dependency.

    (Adding an invented name to uv.lock alone, then importing it in a later commit, would otherwise
    turn it into a transitive dependency nobody reviewed.)"""
    return (
        name in declared.unrequired_locked and name not in declared.dependencies and name not in declared.build_requires
    )


def _pinned(declared: Declared) -> set[tuple[str, str, str]]:
    """``(name, version, lock file)`` of every package ``declared``'s lock files pin."""
    return {(name, place.requirement.partition("==")[2], place.path) for name, places in declared.locked.items()
            for place in places}  # fmt: skip


def _smuggled(name: str, declared: Declared, pinned: set[tuple[str, str, str]]) -> bool:
    """A newly locked package that only packages the same lock file pinned before, at the same version, require:
    their requirements cannot have changed without a new version, so the lock was edited by hand (``uv sync``
    would install it all the same). Added like a dependency. (Another lock file's pins say nothing: rye's lock
    is resolved for one platform, a new ``uv.lock`` beside it for all, with packages only Windows needs.)"""
    requirers = declared.lock_requirers.get(name)
    if not requirers or name in declared.dependencies or name in declared.build_requires:
        return False
    return all(requirer in pinned for requirer in requirers)


def added_dependencies(
    before: Declared, after: Declared, changed: set[str] | None = None
) -> list[Dependency]:
    """Distributions ``after`` declares (build requirements too) that ``before`` does not, one place each.

    With ``changed``, a place must be in a changed file, or be pulled in by a
    changed line (a new ``-r`` of an existing file is reported at the ``-r``
    line): a dependency that only came into scope because the project layout
    changed was not written by the change. Local-path installs are first-party
    code, not new packages, also when a source table names the path apart from
    the requirement (``[tool.uv.sources]``, Poetry ``path``).

    A name ``before`` declares is added again when a place now takes it from another source: a direct
    reference (``x @ https://.../x.whl``, ``x @ git+https://...@v2``) that ``before`` does not have, the
    index where ``before`` only had direct references, or another index, extra index or find-links location
    (a source option of its file or of a file it includes: ``-i https://host/simple``, a Poetry source). Another
    source is another package to review; a place the change did not write is then reported at the source
    option the change wrote. Each place's requirement carries its source options (:func:`.sources.placed`).
    """
    known = _sources(before)
    # A local-path install names what it installs at its place; the project's own name on the same line (a one-line
    # `setup(name="x", setup_requires=[...])`) makes no other requirement of that line local.
    local = {(item.path, item.line, item.name) for item in after.first_party}
    # A distribution a source table installs from a directory of the repository (`[tool.uv.sources]
    # x = {path = "../x"}`) is first-party code wherever it is listed: no registry is involved.
    first_party = {
        item.name for item in after.first_party if item.name and item.directory != posixpath.dirname(item.path)
    }
    from hallucheck.manifests.sources import placed

    added = []
    for name in sorted(set(after.dependencies) | set(after.build_requires)):
        if name in first_party:
            continue
        places = [
            written
            for place in (*after.dependencies.get(name, ()), *after.build_requires.get(name, ()))
            if not {(place.path, place.line, place.name), (place.path, place.line, None)} & local
            and _new_source(sourced := placed(place, after), known.get(name))
            and (written := _written_by(sourced, after, changed) or _moved_by(sourced, after, before, changed))
        ]
        if places:
            added.append(min(places, key=lambda place: (place.path, place.line)))
    return added


def _sources(declared: Declared) -> dict[str, set[str]]:
    """Normalised name -> the sources (:func:`hallucheck.manifests.sources.source`) ``declared`` takes it from."""
    from hallucheck.manifests.sources import declared_sources

    return declared_sources(declared)


def _new_source(place: Dependency, known: set[str] | None) -> bool:
    from hallucheck.manifests.sources import source

    return known is None or source(place.requirement) not in known


def _moved_by(place: Dependency, after: Declared, before: Declared, changed: set[str] | None) -> Dependency | None:
    """``place`` (its requirement with its source options) reported at the source option that the change wrote
    and that moves it to another source; None when the change wrote none."""
    from hallucheck.manifests.sources import options_for

    known = {option.text for option in before.source_options}
    written = [option for option in options_for(place, after) if changed is None or option.path in changed]
    if not written:
        return None
    option = min(written, key=lambda item: (item.text in known, item.path, item.line))
    return Dependency(place.name, place.requirement, option.path, option.line, place.development)


def _written_by(place: Dependency, after: Declared, changed: set[str] | None) -> Dependency | None:
    """Where the change wrote ``place``: itself, or the changed line that includes its file; else None."""
    if changed is None:
        return place
    path, line, seen = place.path, place.line, set()
    while path not in changed:
        if path in seen or path not in after.included_from:
            return None
        seen.add(path)
        path, line = after.included_from[path]
    return place if path == place.path else Dependency(place.name, place.requirement, path, line)
