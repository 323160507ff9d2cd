"""Which manifests count for a file: its nearest enclosing project, root requirements, its workspace root.

A file is checked against the *project* that encloses it: the nearest
directory above it holding a project manifest (``pyproject.toml`` that
describes a project or a build, ``setup.cfg`` with ``[metadata]``/``[options]``,
``setup.py`` that calls ``setup(``, ``Pipfile``, ``environment.yml``, a
requirements file or a ``requirements/`` directory of them); the repository
root when there is none.
To that project's own declarations are added the root-level requirements
files (they describe the whole repository) and, for a member of a uv, PDM or
Poetry-plugin workspace, what the workspace root declares. Nothing of a
sibling project is added: a member never borrows another member's
dependencies.

Only the directories on the path from a file to the root are listed, every
directory and file is read at most once per snapshot, and lock files are
parsed only when an import needs them, so the cost follows the change.
"""

from __future__ import annotations

import fnmatch
import operator
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import accumulate

from hallucheck.lazy import LazyPattern
from hallucheck.manifests import (
    REQUIREMENTS_DIRECTORY,
    Declared,
    Dependency,
    Workspace,
    in_requirements_directory,
    is_template_path,
    manifest_kind,
)
from hallucheck.manifests.reading import ManifestReader, decode_manifest
from hallucheck.snapshot import EntryKind, Snapshot, parent_directories

# A pyproject.toml holding only tool settings ([tool.ruff] in a subdirectory) does not make a project,
# nor does a setup.cfg with only [flake8], nor a setup.py that never calls setup( (a helper module).
_DESCRIBES_PROJECT = LazyPattern(
    r"^[ \t]*\[*[ \t]*(project|build-system|dependency-groups|tool\.(poetry|uv|pdm|hatch|setuptools))\b",
    re.MULTILINE,
)
# tox and nox last: a requirements file they include (`-r requirements.txt`) is read for itself first.
_READING_ORDER = (
    "pyproject", "hatch", "setupcfg", "setuppy", "pipfile", "conda", "conda-named", "conda-recipe", "pixi", "langgraph",
    "requirements", "lock", "tox", "nox", "precommit",
)  # fmt: skip
# Tools that install into test environments (or an application's image: langgraph.json): they declare for a
# project, they do not make one.
_NOT_PROJECTS = frozenset({"lock", "tox", "nox", "hatch", "precommit", "langgraph"})
_REQUIREMENTS_DEPTH = 4
"""How deep ``requirements/`` is searched for requirements files (``requirements/extras/redis.txt``)."""


class _CachedSnapshot:
    """Each file read and each directory listed once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._files: dict[str, bytes | None] = {}
        self._dirs: dict[str, Mapping[str, EntryKind]] = {}

    @property
    def label(self) -> str:
        return self._snapshot.label

    def read(self, path: str) -> bytes | None:
        if path not in self._files:
            self._files[path] = self._snapshot.read(path)
        return self._files[path]

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        if directory not in self._dirs:
            self._dirs[directory] = self._snapshot.list_dir(directory)
        return self._dirs[directory]


def _reader_of(family: str) -> Callable[[ManifestReader, str], None]:
    from hallucheck.manifests import (
        conda,
        conda_recipe,
        hatch,
        langgraph,
        locks,
        nox,
        pipfile,
        pixi,
        precommit,
        pyproject,
        requirements,
        setupcfg,
        setuppy,
        tox,
    )  # fmt: skip

    readers: dict[str, Callable[[ManifestReader, str], None]] = {
        "pyproject": pyproject.read, "setupcfg": setupcfg.read, "setuppy": setuppy.read,
        "pipfile": pipfile.read, "conda": conda.read, "conda-named": conda.read_named,
        "requirements": requirements.read, "lock": locks.read,
        "pixi": pixi.read, "tox": tox.read, "nox": nox.read, "hatch": hatch.read, "precommit": precommit.read,
        "langgraph": langgraph.read, "conda-recipe": conda_recipe.read,
    }  # fmt: skip
    return readers[family]


REPOSITORY = "."
"""The directory of a ``manifests`` entry that applies to the whole repository (``PATH:.``)."""


def split_manifest_entry(entry: str) -> tuple[str, str | None]:
    """The file of a configured ``manifests`` entry and the directory it applies to.

    ``PATH`` joins the project of the directory holding it (its declarations count where that
    project's do); ``PATH:DIR`` counts for every file under ``DIR`` on top of what each file's own
    project declares (``PATH:.``: the whole repository). The directory is ``None`` for the first form,
    ``""`` for the repository root. The text after the last ``:`` is the directory.
    """
    path, separator, directory = entry.rpartition(":")
    if not separator:
        return entry, None
    directory = posixpath.normpath(directory) if directory else REPOSITORY
    return path, "" if directory == REPOSITORY else directory


def applies_to(entry: str, project_directory: str) -> str:
    """What a ``manifests`` entry applies to, in words; ``project_directory`` is the project it joins when it
    names no directory (the text report says it)."""
    path, directory = split_manifest_entry(entry)
    if directory is None:
        where = f"the project in `{project_directory}/`" if project_directory else "the project at the repository root"
        return (f"`{path}` counts for files of {where} only, not for other projects "
                f"(`{path}:{REPOSITORY}` counts for the whole repository)")  # fmt: skip
    if not directory:
        return f"`{path}` counts for every file of the repository"
    return f"`{path}` counts for every file under `{directory}/`"


def extra_manifest_kind(path: str) -> str:
    """The family of a configured manifest: by name when it has a known one, else by suffix."""
    known = manifest_kind(path)
    if known is not None:
        return known
    suffix = posixpath.splitext(path)[1]
    by_suffix = {
        ".toml": "pyproject",
        ".cfg": "setupcfg",
        ".py": "setuppy",
        ".yml": "conda",
        ".yaml": "conda",
    }
    return "lock" if suffix == ".lock" else by_suffix.get(suffix, "requirements")


class ProjectScopes:
    """The declarations that count for each file of one snapshot, computed lazily and cached per directory."""

    def __init__(self, snapshot: Snapshot, extra_manifests: Iterable[str] = ()) -> None:
        self.snapshot = _CachedSnapshot(snapshot)
        entries = [split_manifest_entry(entry) for entry in extra_manifests]
        self.extra_manifests = tuple(dict.fromkeys(posixpath.normpath(path).lstrip("/") for path, _ in entries))
        """Every configured manifest file."""
        self._joined = tuple(dict.fromkeys(posixpath.normpath(path).lstrip("/") for path, where in entries
                                           if where is None))  # fmt: skip
        self.applied = tuple(dict.fromkeys((posixpath.normpath(path).lstrip("/"), where) for path, where in entries
                                           if where is not None))  # fmt: skip
        """``(manifest, directory)`` of each configured manifest that counts for every file under a directory."""
        self._applied_declared: dict[str, Declared] = {}
        self._with_applied: dict[tuple[int, tuple[str, ...]], Declared] = {}
        self._project_of: dict[str, str] = {}
        self._own: dict[str, Declared] = {}
        self._scopes: dict[str, Declared] = {}
        self._workspaces: dict[str, Workspace | None] = {}
        self._locks: dict[str, Declared] = {}
        self._root_requirements: Declared | None = None
        self._extras_of: dict[str, list[str]] | None = None
        self._declared_for: dict[tuple[str, bool], Declared] = {}
        self._anywhere: dict[str, list[Dependency]] | None = None

    @property
    def label(self) -> str:
        return self.snapshot.label

    def declared_for(self, importing_path: str) -> Declared:
        """What counts as declared for imports in the file ``importing_path``.

        A test file of a small project nested in another project's test or docs
        directory (a fixture project in ``tests/plugin/``) runs under the enclosing
        project's test environment: the enclosing project's declarations count too.
        """
        from hallucheck.manifests.roles import is_development_file

        key = (posixpath.dirname(importing_path), is_development_file(importing_path))
        if key not in self._declared_for:  # what the answer depends on: a tree asks for each of its files
            directory = self.project_directory(key[0])
            self._declared_for[key] = self._test_scope(directory) if key[1] else self.declared_in(directory)
        scope = self._declared_for[key]
        return self._applied_to(importing_path, scope) if self.applied else scope

    def _applied_to(self, importing_path: str, scope: Declared) -> Declared:
        """``scope`` with the configured manifests that apply to the directory of ``importing_path``."""
        paths = tuple(path for path, where in self.applied if not where or importing_path.startswith(where + "/"))
        if not paths:
            return scope
        key = (id(scope), paths)
        if key not in self._with_applied:
            merged = Declared(directory=scope.directory, workspace=scope.workspace)
            merged.merge(scope)
            for path in paths:
                merged.merge(self.applied_manifest(path))
            self._with_applied[key] = merged
        return self._with_applied[key]

    def applied_manifest(self, path: str) -> Declared:
        """What the configured manifest ``path`` (one that applies to a directory) declares on its own."""
        if path not in self._applied_declared:
            declared = Declared()
            reader = ManifestReader(self.snapshot, declared)
            if self.snapshot.read(path) is None:
                reader.problem(path, 1, f"configured manifest {path} does not exist in {self.label}")
            else:
                family = extra_manifest_kind(path)
                if family == "lock":
                    declared.manifests.append(path)
                    declared.defer_locks([path], self.lock_file)
                else:
                    _reader_of(family)(reader, path)
            self._applied_declared[path] = declared
        return self._applied_declared[path]

    def _test_scope(self, directory: str) -> Declared:
        """The scope of a project for its development files: with the enclosing project's, when ``directory``
        sits in a development folder of it (and is no workspace member, which sees its root already)."""
        enclosing = self._enclosing_for_tests(directory)
        if enclosing is None:
            return self.declared_in(directory)
        key = f"{directory}\0tests"
        if key not in self._scopes:
            scope = Declared(directory=directory, workspace=self.declared_in(directory).workspace)
            scope.merge(self.declared_in(directory))
            scope.merge(self._test_scope(enclosing))
            self._scopes[key] = scope
        return self._scopes[key]

    def _enclosing_for_tests(self, directory: str) -> str | None:
        if not directory or self._workspace_root(directory) is not None:
            return None
        from hallucheck.manifests.roles import is_development_file

        enclosing = self.project_directory(posixpath.dirname(directory))
        return enclosing if is_development_file(directory + "/_.py") else None

    def project_directory(self, directory: str) -> str:
        """The nearest directory at or above ``directory`` with a project manifest; ``""`` when none has."""
        candidates = [directory, *parent_directories(directory)] if directory else [""]
        visited = []
        found = ""
        for candidate in candidates:
            if candidate in self._project_of:
                found = self._project_of[candidate]
                break
            visited.append(candidate)
            if self._is_project(candidate):
                found = candidate
                break
        for candidate in visited:
            self._project_of[candidate] = found
        return found

    def declared_in(self, project_directory: str) -> Declared:
        """The scope of the project in ``project_directory``: own, workspace root's, root requirements."""
        if project_directory in self._scopes:
            return self._scopes[project_directory]
        own = self.own(project_directory)
        scope = Declared(directory=project_directory, workspace=own.workspace)
        scope.merge(own)
        if project_directory:
            workspace_root = self._workspace_root(project_directory)
            if workspace_root is not None:
                scope.merge(self.own(workspace_root))
            scope.merge(self.root_requirements())
        self._scopes[project_directory] = scope
        return scope

    def own(self, project_directory: str) -> Declared:
        """What the manifests in ``project_directory`` declare (with the configured ones placed there)."""
        if project_directory in self._own:
            return self._own[project_directory]
        declared = Declared(directory=project_directory)
        reader = ManifestReader(self.snapshot, declared)
        manifests = self._manifests_in(project_directory)
        for path in self._extras_for(project_directory):
            if self.snapshot.read(path) is None:
                reader.problem(path, 1, f"configured manifest {path} does not exist in {self.label}")
            else:
                manifests.append((path, extra_manifest_kind(path)))
        locks = [path for path, family in manifests if family == "lock"]
        for path, family in manifests:
            if family != "lock":
                _reader_of(family)(reader, path)
        declared.manifests += [path for path in locks if path not in declared.manifests]
        declared.defer_locks(locks, self.lock_file)
        self._own[project_directory] = declared
        return declared

    def lock_file(self, path: str) -> Declared:
        """What the lock file at ``path`` pins (read once per snapshot)."""
        if path not in self._locks:
            declared = Declared()
            _reader_of("lock")(ManifestReader(self.snapshot, declared), path)
            self._locks[path] = declared
        return self._locks[path]

    def root_requirements(self) -> Declared:
        """What the requirements files at the root of the repository declare: they count for every file."""
        if self._root_requirements is None:
            declared = Declared(directory="")
            reader = ManifestReader(self.snapshot, declared)
            for path, family in self._manifests_in(""):
                if family == "requirements":
                    _reader_of(family)(reader, path)
            self._root_requirements = declared
        return self._root_requirements

    def declared_anywhere(self, name: str) -> list[Dependency]:
        """Every declaration of the distribution ``name`` by any project of the snapshot (walks the whole tree
        once, on first use: asked only for an import its own project does not declare)."""
        if self._anywhere is None:
            self._anywhere = {}
            for directory in self.all_project_directories():
                for declared_name, places in self.own(directory).dependencies.items():
                    self._anywhere.setdefault(declared_name, []).extend(places)
        return list(dict.fromkeys(self._anywhere.get(name, [])))

    def all_project_directories(self) -> list[str]:
        """Every project directory of the snapshot (walks the whole tree: for callers without paths)."""
        found, pending = [""], [""]
        while pending:
            directory = pending.pop()
            for name, kind in sorted(self.snapshot.list_dir(directory).items()):
                child = posixpath.join(directory, name) if directory else name
                if kind is EntryKind.DIRECTORY and not name.startswith(".") and not is_template_path(name):
                    pending.append(child)
                    if self._is_project(child):
                        found.append(child)
        return sorted(found)

    def _manifests_in(self, directory: str) -> list[tuple[str, str]]:
        """(path, family) of the manifests in ``directory`` and in its ``requirements/``, in reading order."""
        found = []
        entries = self.snapshot.list_dir(directory)
        for name, kind in entries.items():
            path = posixpath.join(directory, name) if directory else name
            family = manifest_kind(path)
            if kind is EntryKind.FILE and family is not None:
                found.append((path, family))
        if entries.get(REQUIREMENTS_DIRECTORY) is EntryKind.DIRECTORY:
            subdirectory = posixpath.join(directory, REQUIREMENTS_DIRECTORY) if directory else REQUIREMENTS_DIRECTORY
            found += [(path, "requirements") for path in self._requirements_files(subdirectory, 0)]
        return sorted(found, key=lambda item: (_READING_ORDER.index(item[1]), item[0]))

    def _requirements_files(self, directory: str, depth: int) -> list[str]:
        """The requirements files in ``directory`` (a ``requirements/`` folder) and its subfolders."""
        found = []
        for name, kind in self.snapshot.list_dir(directory).items():
            path = posixpath.join(directory, name)
            if kind is EntryKind.FILE and manifest_kind(path) == "requirements":
                found.append(path)
            elif kind is EntryKind.DIRECTORY and depth < _REQUIREMENTS_DEPTH and not name.startswith("."):
                found += self._requirements_files(path, depth + 1)
        return found

    def _is_project(self, directory: str) -> bool:
        if in_requirements_directory(directory):
            return False  # its files belong to the project of the directory above
        for path, family in self._manifests_in(directory):
            if family in _NOT_PROJECTS:
                continue
            if family in ("pyproject", "setupcfg", "setuppy", "conda-recipe", "conda-named") and not (
                    self._describes_project(path, family)):
                continue
            return True
        return False

    def _describes_project(self, path: str, family: str) -> bool:
        data = self.snapshot.read(path)
        if data is None:
            return False
        try:
            text = decode_manifest(data)
        except ValueError:
            return True  # it is broken: reading it as the project reports why
        if family == "setupcfg":
            from hallucheck.manifests.setupcfg import declares_project

            return declares_project(text)
        if family == "setuppy":
            from hallucheck.manifests.setuppy import looks_like_packaging

            return looks_like_packaging(text)
        if family == "conda-recipe":  # meta.yaml is a common name: only a recipe makes a project
            from hallucheck.manifests.conda_recipe import looks_like_recipe

            return looks_like_recipe(text)
        if family == "conda-named":  # env.yml, ci/deps/py311.yaml: only an environment's content makes a project
            from hallucheck.manifests.conda import looks_like_environment

            return looks_like_environment(text)
        return _DESCRIBES_PROJECT.search(text) is not None

    def _extras_for(self, project_directory: str) -> list[str]:
        if self._extras_of is None:
            self._extras_of = {}
            for path in self._joined:
                owner = self.project_directory(posixpath.dirname(path))
                self._extras_of.setdefault(owner, []).append(path)
        return self._extras_of.get(project_directory, [])

    def _workspace_root(self, project_directory: str) -> str | None:
        """The nearest enclosing workspace root that lists ``project_directory`` as a member."""
        for ancestor in parent_directories(project_directory):
            workspace = self._workspace_at(ancestor)
            if workspace is None:
                continue
            relative = project_directory[len(ancestor) + 1 :] if ancestor else project_directory
            if _matches_any(relative, workspace.members) and not _matches_any(relative, workspace.exclude):
                return ancestor
            return None  # the nearest workspace does not include it: a standalone project
        return None

    def _workspace_at(self, directory: str) -> Workspace | None:
        if directory not in self._workspaces:
            self._workspaces[directory] = None
            path = posixpath.join(directory, "pyproject.toml") if directory else "pyproject.toml"
            listed = self.snapshot.list_dir(directory).get("pyproject.toml") is EntryKind.FILE
            data = self.snapshot.read(path) if listed else None
            if data is not None and b"workspace" in data:
                from hallucheck.manifests.pyproject import load_toml, workspace

                document, _ = load_toml(data.decode("utf-8", "replace"), path)
                self._workspaces[directory] = workspace(document, path) if document else None
        return self._workspaces[directory]


def _matches_any(relative: str, patterns: Iterable[str]) -> bool:
    return any(_glob_match(pattern, relative) for pattern in patterns)


def _glob_match(pattern: str, path: str) -> bool:
    """Glob matching by path segment: ``*`` stays within one segment, ``**`` spans any number.

    One pass per pattern segment over the path's segments: linear in both, whatever
    the number of ``**`` (a backtracking match was exponential in them).
    """
    pattern_parts = [part for part in pattern.strip().removeprefix("./").strip("/").split("/") if part not in ("", ".")]
    path_parts = path.split("/")
    matched = [True] + [False] * len(path_parts)
    """matched[n]: the pattern segments so far match the first n path segments."""
    for part in pattern_parts:
        if part == "**":
            matched = list(accumulate(matched, operator.or_))
        else:
            matched = [False] + [
                matched[index] and fnmatch.fnmatchcase(segment, part) for index, segment in enumerate(path_parts)
            ]
        if not any(matched):
            return False
    return matched[-1]
