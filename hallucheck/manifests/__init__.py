"""Dependencies a project declares, read from the manifest files of one snapshot.

One module per manifest family (:mod:`.pyproject`, :mod:`.requirements`,
:mod:`.setupcfg`, :mod:`.setuppy`, :mod:`.pipfile`, :mod:`.conda`, :mod:`.conda_recipe`, :mod:`.pixi`,
:mod:`.tox`, :mod:`.nox`, :mod:`.langgraph`, :mod:`.locks`; :mod:`.pep723` for a script's own
block); :mod:`.scope` finds the project that encloses a file (monorepos,
workspaces) and merges what its manifests declare; :mod:`.roles` says which
declarations are for development and which files are development files;
:mod:`.diff` compares two snapshots. Paths inside a template directory
(cookiecutter, copier: a path holding ``{{`` or ``{%``) are never manifests.
Everything here is pure: files come from a :class:`~hallucheck.snapshot.Snapshot`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import Any

from hallucheck.lazy import Slots, record
from hallucheck.snapshot import Snapshot


class Dependency(Slots):
    """One declaration of a distribution in a manifest."""

    __slots__ = ("development", "line", "name", "path", "requirement")

    name: str
    """PEP 503 normalised distribution name."""
    requirement: str
    """The requirement as written."""
    path: str
    line: int
    development: bool
    """Declared for development only (tox, nox, dev groups, test extras, ``requirements-dev.txt``): see
    :mod:`.roles`."""

    def __init__(self, name: str, requirement: str, path: str, line: int, development: bool = False) -> None:
        self.name = name
        self.requirement = requirement
        self.path = path
        self.line = line
        self.development = development


@record(frozen=True)
class ManifestNote:
    """Something a manifest holds that declares nothing, said in ``-v`` (a computed tox or nox argument)."""

    path: str
    line: int
    message: str


@record(frozen=True)
class ManifestProblem:
    """A manifest (or a line of one) that could not be read; ``code`` is the rule it is reported under."""

    path: str
    line: int
    message: str
    code: str = "HC011"


class LocalPath(Slots):
    """A dependency installed from a directory of the repository itself (``-e ./lib``, ``{path = "lib"}``).

    The code there is first-party for the project; ``name`` is the distribution
    name when the manifest gives one.
    """

    __slots__ = ("directory", "line", "name", "path")

    directory: str
    """Repository-relative, normalised (``""`` is the root)."""
    path: str
    line: int
    name: str | None

    def __init__(self, directory: str, path: str, line: int, name: str | None = None) -> None:
        self.directory = directory
        self.path = path
        self.line = line
        self.name = name


@record(frozen=True)
class SourceOption:
    """A setting that chooses where requirements install from, besides the requirement itself: an index
    (``-i``/``--index-url``, ``[[tool.uv.index]]``, a Poetry/PDM/Pipfile source), an extra index, a
    find-links location, a trusted host, or a per-name source (``[tool.uv.sources] x = {git = ...}``).

    ``text`` is written as pip's command line would (``--extra-index-url https://host/simple``): it is appended
    to the requirements it applies to, so that an approval records, and covers, exactly that source
    (:mod:`.sources`)."""

    text: str
    path: str
    line: int
    scope: str
    """The file whose requirements it applies to, with every file that one includes or is included from
    (a constraints file's options apply to the file that names it)."""
    name: str | None = None
    """The one distribution it applies to (a per-name source), or None for every requirement of ``scope``."""


@record(frozen=True)
class Workspace:
    """A uv, PDM or Poetry (plugin) workspace declared by a root ``pyproject.toml``."""

    path: str
    members: tuple[str, ...]
    """Globs relative to the workspace root."""
    exclude: tuple[str, ...] = ()


class Declared(Slots):
    """What the manifests of one project (or one snapshot) declare."""

    __slots__ = (
        "_load_lock",
        "_loaded_locks",
        "_locked",
        "_seen",
        "build_requires",
        "build_scripts",
        "dependencies",
        "directory",
        "first_party",
        "included_from",
        "lock_files",
        "lock_requirers",
        "manifests",
        "notes",
        "problems",
        "source_options",
        "unrequired_locked",
        "workspace",
    )  # fmt: skip
    _fields = (
        "dependencies",
        "problems",
        "notes",
        "manifests",
        "lock_files",
        "build_requires",
        "build_scripts",
        "first_party",
        "included_from",
        "source_options",
        "workspace",
        "directory",
        "_locked",
    )  # fmt: skip

    dependencies: dict[str, list[Dependency]]
    problems: list[ManifestProblem]
    notes: list[ManifestNote]
    """What was read but declares nothing, for ``-v``."""
    manifests: list[str]
    """Every file read, includes and files named by ``file:`` directives too."""
    lock_files: list[str]
    """Lock files that count here; they are parsed on the first use of :attr:`locked`."""
    build_requires: dict[str, list[Dependency]]
    """``[build-system].requires`` and ``setup_requires``: they serve ``setup.py`` and :attr:`build_scripts` only."""
    build_scripts: list[str]
    """Scripts the build backend runs besides ``setup.py`` (Poetry's ``build.py``, Hatch's ``hatch_build.py``)."""
    first_party: list[LocalPath]
    """Editable and local-path installs, and the project's own directory and name."""
    included_from: dict[str, tuple[str, int]]
    """Files read because another manifest names them (``-r``, ``file:``): path → (manifest, line)."""
    source_options: list[SourceOption]
    """Settings that choose where requirements install from (:class:`SourceOption`)."""
    workspace: Workspace | None
    directory: str | None
    """The project directory this describes, when it describes one project."""
    unrequired_locked: set[str]
    """Names a lock file that records requirements (uv.lock, poetry.lock) pins although no locked package
    and no project of the lock requires them: nothing in the lock explains why they are there."""
    lock_requirers: dict[str, set[tuple[str, str, str]]]
    """Locked name -> the ``(name, version, lock file)`` of each locked package whose recorded requirements name it."""
    _locked: dict[str, list[Dependency]]
    _load_lock: Callable[[str], Declared] | None
    _loaded_locks: set[str]
    _seen: dict[tuple[str, str], set[Any]]
    """What each table (or list) already holds, so that adding stays linear: a generated tox.ini declares
    one name thousands of times."""

    def __init__(
        self, dependencies: dict[str, list[Dependency]] | None = None, problems: list[ManifestProblem] | None = None,
        notes: list[ManifestNote] | None = None, manifests: list[str] | None = None,
        lock_files: list[str] | None = None, build_requires: dict[str, list[Dependency]] | None = None,
        build_scripts: list[str] | None = None, first_party: list[LocalPath] | None = None,
        included_from: dict[str, tuple[str, int]] | None = None, source_options: list[SourceOption] | None = None,
        workspace: Workspace | None = None, directory: str | None = None, unrequired_locked: set[str] | None = None,
        lock_requirers: dict[str, set[tuple[str, str, str]]] | None = None,
    ) -> None:  # fmt: skip
        self.dependencies = {} if dependencies is None else dependencies
        self.problems = [] if problems is None else problems
        self.notes = [] if notes is None else notes
        self.manifests = [] if manifests is None else manifests
        self.lock_files = [] if lock_files is None else lock_files
        self.build_requires = {} if build_requires is None else build_requires
        self.build_scripts = [] if build_scripts is None else build_scripts
        self.first_party = [] if first_party is None else first_party
        self.included_from = {} if included_from is None else included_from
        self.source_options = [] if source_options is None else source_options
        self.workspace = workspace
        self.directory = directory
        self.unrequired_locked = set() if unrequired_locked is None else unrequired_locked
        self.lock_requirers = {} if lock_requirers is None else lock_requirers
        self._locked = {}
        self._load_lock = None
        self._loaded_locks = set()
        self._seen = {}

    @property
    def locked(self) -> dict[str, list[Dependency]]:
        """Distributions pinned by lock files, declared or not.

        Lock files can be large and only matter for an import nothing declares,
        so deferred ones are read here, on first use; their problems join
        :attr:`problems` then.
        """
        self.load_locks()
        return self._locked

    @property
    def locks_read(self) -> bool:
        """Whether a deferred lock file has been read (:attr:`locked` was used)."""
        return bool(self._loaded_locks)

    def load_locks(self) -> None:
        """Read the deferred lock files now."""
        if self._load_lock is None:
            return
        for path in self.lock_files:
            if path not in self._loaded_locks:
                self._loaded_locks.add(path)
                read = self._load_lock(path)
                for name, places in read.locked.items():
                    self._insert("locked", self._locked, places, name)
                self.unrequired_locked |= read.unrequired_locked
                _add_requirers(self.lock_requirers, read.lock_requirers)
                self._append("problems", self.problems, read.problems)

    def defer_locks(self, paths: Iterable[str], load: Callable[[str], Declared]) -> None:
        """Count the lock files ``paths``, read by ``load`` when :attr:`locked` is first used."""
        self.lock_files += [path for path in paths if path not in self.lock_files]
        self._load_lock = load

    def add(self, dependencies: Iterable[Dependency]) -> None:
        self._insert("dependencies", self.dependencies, dependencies)

    def add_locked(self, dependencies: Iterable[Dependency]) -> None:
        self._insert("locked", self._locked, dependencies)

    def add_build_requires(self, dependencies: Iterable[Dependency]) -> None:
        self._insert("build", self.build_requires, dependencies)

    def problem(self, path: str, line: int, message: str, code: str = "HC011") -> None:
        self._append("problems", self.problems, [ManifestProblem(path, line, message, code)])

    def note(self, path: str, line: int, message: str) -> None:
        self._append("notes", self.notes, [ManifestNote(path, line, message)])

    def local(self, item: LocalPath) -> None:
        """Add a local directory of first-party code, once."""
        self._append("first_party", self.first_party, [item])

    def source_option(self, option: SourceOption) -> None:
        self._append("sources", self.source_options, [option])

    def _insert(
        self, kind: str, table: dict[str, list[Dependency]], dependencies: Iterable[Dependency], name: str | None = None
    ) -> None:
        """Add each dependency to ``table`` under ``name`` (else its own name), once."""
        for dependency in dependencies:
            key = name or dependency.name
            self._append(f"{kind}:{key}", table.setdefault(key, []), [dependency])

    def _append(self, kind: str, items: list[Any], new: Iterable[Any]) -> None:
        """Append what ``items`` does not hold yet, in order, in time linear in what is added."""
        seen = self._seen.get((kind, ""))
        if seen is None or len(seen) != len(items):  # first use, or the list was changed from outside
            seen = self._seen[(kind, "")] = set(items)
        for item in new:
            if item not in seen:
                seen.add(item)
                items.append(item)

    def merge(self, other: Declared) -> None:
        """Add everything ``other`` declares (a declaration already present is kept once)."""
        for name, places in other.dependencies.items():
            self._insert("dependencies", self.dependencies, places, name)
        for name, places in other._locked.items():
            self._insert("locked", self._locked, places, name)
        self.unrequired_locked |= other.unrequired_locked
        _add_requirers(self.lock_requirers, other.lock_requirers)
        if other.lock_files and other._load_lock is not None:
            self.defer_locks(other.lock_files, other._load_lock)
        for name, places in other.build_requires.items():
            self._insert("build", self.build_requires, places, name)
        self.build_scripts += [path for path in other.build_scripts if path not in self.build_scripts]
        self._append("problems", self.problems, other.problems)
        self._append("notes", self.notes, other.notes)
        self.manifests += [path for path in other.manifests if path not in self.manifests]
        self._append("first_party", self.first_party, other.first_party)
        self._append("sources", self.source_options, other.source_options)
        for path, origin in other.included_from.items():
            self.included_from.setdefault(path, origin)

    def is_build_script(self, path: str) -> bool:
        """Whether the build runs ``path``: ``setup.py``, or a script the build settings name; or reads it: a
        Cython declaration file (``.pxd``), whose cimports the compiler reads in the build environment."""
        return posixpath.basename(path) == "setup.py" or path in self.build_scripts or path.endswith(".pxd")

    def for_file(self, path: str) -> Declared:
        """What counts as declared for imports in ``path``: build requirements count for build scripts only.

        Without ``[build-system].requires`` beside it a build frontend installs
        ``setuptools>=40.8.0`` (PEP 517's default), so ``setup.py`` may import it; another project's
        ``pyproject.toml`` (the repository's, for a fixture project in its tests) builds something else.
        """
        if not self.is_build_script(path):
            return self
        widened = Declared(directory=self.directory, workspace=self.workspace)
        widened.merge(self)
        for places in self.build_requires.values():
            widened.add(places)
        directory = posixpath.dirname(path) if posixpath.basename(path) == "setup.py" else self.directory or ""
        own_pyproject = posixpath.join(directory, "pyproject.toml")
        pyproject_build = any(
            place.path == own_pyproject for places in self.build_requires.values() for place in places
        )
        if not pyproject_build:
            widened.add([Dependency("setuptools", "setuptools>=40.8.0 (PEP 517 default)", path, 0)])
        return widened

    def __contains__(self, name: object) -> bool:
        return name in self.dependencies


# Kinds of manifest, by file name. Requirements files also live in a ``requirements/`` directory.
_EXACT_NAMES = {
    "pyproject.toml": "pyproject",
    "setup.cfg": "setupcfg",
    "setup.py": "setuppy",
    "Pipfile": "pipfile",
    "langgraph.json": "langgraph",
    "environment.yml": "conda",
    "environment.yaml": "conda",
    "meta.yaml": "conda-recipe",
    "recipe.yaml": "conda-recipe",
    "pixi.toml": "pixi",
    "hatch.toml": "hatch",
    ".pre-commit-config.yaml": "precommit",
    "tox.ini": "tox",
    "tox.toml": "tox",
    "noxfile.py": "nox",
    "uv.lock": "lock",
    "poetry.lock": "lock",
    "pdm.lock": "lock",
    "pylock.toml": "lock",
    "Pipfile.lock": "lock",
    "pixi.lock": "lock",
    "conda-lock.yml": "lock",
}
_PATTERNS = (
    ("*requirements*.txt", "requirements"),
    ("*requirements*.in", "requirements"),
    ("pylock.*.toml", "lock"),
    ("*requirements*.lock", "lock"),
)
"""File-name globs of manifests (lowercase), matched by :func:`_pattern_family` with string tests (``fnmatch``
would compile a regular expression for each on every commit)."""
REQUIREMENTS_DIRECTORY = "requirements"
_ENVIRONMENT_DIRECTORIES = frozenset({"deps", "envs", "environments", "environment", "conda"})
"""Directories whose YAML files are conda environment files when their content is one (attack H11)."""


def is_template_path(path: str) -> bool:
    """Whether ``path`` is inside a project template (cookiecutter, copier): Jinja, not a project."""
    return "{{" in path or "{%" in path


def in_requirements_directory(directory: str) -> bool:
    """Whether ``directory`` is a ``requirements/`` folder or a folder below one (``requirements/extras``)."""
    return REQUIREMENTS_DIRECTORY in directory.split("/")


def manifest_kind(path: str) -> str | None:
    """The family of the manifest at ``path`` (``pyproject``, ``requirements``, ``lock``, ...), or None.

    A path inside a template directory is none (:func:`is_template_path`).
    """
    if is_template_path(path):
        return None
    directory, name = posixpath.split(path)
    kind = _EXACT_NAMES.get(name)
    if kind is not None:
        return kind
    lowered = name.lower()
    family = _pattern_family(lowered)
    if family is not None:
        return family
    if in_requirements_directory(directory) and lowered.endswith((".txt", ".in")):
        return "requirements"
    if lowered.endswith((".yml", ".yaml")) and posixpath.basename(directory) in _ENVIRONMENT_DIRECTORIES:
        return "conda-named"  # pandas' ci/deps/actions-311.yaml
    return None


def _pattern_family(lowered: str) -> str | None:
    """The family of the first of :data:`_PATTERNS` that the lowercase file name ``lowered`` matches."""
    stem, dot, suffix = lowered.rpartition(".")
    if dot and suffix in ("txt", "in") and "requirements" in stem:
        return "requirements"
    if dot and suffix == "lock" and "requirements" in stem:
        return "lock"  # rye's requirements.lock / requirements-dev.lock, `uv export` (attack H23)
    if dot and suffix in ("yml", "yaml") and _names_environment(stem):
        return "conda-named"
    if lowered.startswith("pylock.") and lowered.endswith(".toml") and len(lowered) >= len("pylock..toml"):
        return "lock"
    return None


def _names_environment(stem: str) -> bool:
    """Whether a YAML file's name is one real projects give conda environment files besides ``environment.yml``
    (``environment-dev``, ``env``, ``dev-env``, ``conda``, ``conda-lock``, MLflow's ``python_env``): read when
    its content is an environment's (attack H11); it is not a project's marker."""
    return ("environment" in stem or stem in ("env", "conda", "python_env") or stem.endswith(("-env", "_env"))
            or stem.startswith(("env-", "env_", "conda-", "conda_")))


def is_manifest(path: str) -> bool:
    """Whether ``path`` (anywhere in the tree) is a manifest or lock file that declarations are read from."""
    return manifest_kind(path) is not None


TOOL_CONFIG_FILES = frozenset({
    "pyproject.toml", "setup.cfg", "tox.ini", "mypy.ini", ".mypy.ini", "pytest.ini", ".pytest.ini", ".coveragerc",
    "pylintrc", ".pylintrc",
})  # fmt: skip
"""Files whose settings make a tool import modules (:mod:`.tool_modules`; ``.py`` configuration comes with the
Python files)."""


def names_tool_modules(path: str) -> bool:
    """Whether ``path`` is a configuration file that can make a tool import a module (mypy, pytest, coverage,
    pylint plugins, entry points)."""
    return path.rpartition("/")[2] in TOOL_CONFIG_FILES


def may_declare(path: str) -> bool:
    """Whether a change to ``path`` may change what is declared.

    Wider than :func:`is_manifest`: any ``.txt``/``.in`` file can be pulled in by a
    ``-r`` include or a ``file:`` directive, so a change to one must not be
    promised away.
    """
    return is_manifest(path) or (path.endswith((".txt", ".in")) and not is_template_path(path))


def declared_dependencies(snapshot: Snapshot, extra_manifests: Iterable[str] = ()) -> Declared:
    """What the root project of ``snapshot`` declares (:class:`.scope.ProjectScopes` knows the others)."""
    from hallucheck.manifests.scope import ProjectScopes

    return ProjectScopes(snapshot, extra_manifests).declared_in("")


__all__ = [
    "TOOL_CONFIG_FILES",
    "Declared",
    "Dependency",
    "LocalPath",
    "ManifestNote",
    "ManifestProblem",
    "SourceOption",
    "Workspace",
    "declared_dependencies",
    "is_manifest",
    "is_template_path",
    "manifest_kind",
    "may_declare",
    "names_tool_modules",
]


def _add_requirers(into: dict[str, set[tuple[str, str, str]]], other: dict[str, set[tuple[str, str, str]]]) -> None:
    for name, requirers in other.items():
        into.setdefault(name, set()).update(requirers)
