"""Decide where an imported module comes from: stdlib, first-party code or a declared distribution.

Sources of evidence, strongest first: the user's ``[tool.hallucheck] mapping``;
the standard library of the target Python versions; the project's own files;
the bundled import-name table and, only to match a declared distribution, the
distribution's own name; the project's environment when one is installed (read
lazily, only for imports nothing else settles); for guarded imports, the name
of a popular distribution. A :class:`Resolution` records the verdict, the
distributions involved and the steps that led there (``explain-import``).
"""

from __future__ import annotations

import copy
import enum
import functools
import posixpath
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hallucheck.lazy import LazyPattern, Slots, replace
from hallucheck.manifests import Declared, Dependency
from hallucheck.resolve import mapping, stdlib
from hallucheck.resolve.firstparty import FirstParty
from hallucheck.resolve.tables import read_toml, table
from hallucheck.snapshot import EntryKind, Snapshot
from hallucheck.sources.imported import ImportedModule

if TYPE_CHECKING:
    from hallucheck.config import Config
    from hallucheck.resolve.environment import Environment
    from hallucheck.resolve.index import Verdict

__all__ = ["FirstParty", "Origin", "Resolution", "Resolver", "TargetPython", "target_python"]

_ALWAYS_AVAILABLE = frozenset({"__future__", "__main__"})
_EXTRAS = LazyPattern(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]")
# Files run by a tool that provides the module: nox imports noxfile.py into its own environment.
_RUN_BY = {"noxfile.py": "nox"}
# A notebook runs in a Jupyter kernel: ipykernel, which brings IPython (`from IPython.display import display`).
_KERNEL_MODULES = {"IPython": "ipython", "ipykernel": "ipykernel"}
# Applications that give the Python code they run modules of their own, which no index serves (attack H36):
# a Colab notebook's `from google.colab import drive`, a gdb or Blender script's `import gdb`/`import bpy`.
_HOST_MODULES = {
    "google.colab": "Google Colab", "gdb": "GDB", "lldb": "LLDB", "sublime": "Sublime Text",
    "sublime_plugin": "Sublime Text", "micropython": "MicroPython",
    "bpy": "Blender", "bmesh": "Blender", "mathutils": "Blender",
    "bpy_extras": "Blender", "maya": "Autodesk Maya", "hou": "Houdini", "nuke": "Nuke", "unreal": "Unreal Engine",
    "arcpy": "ArcGIS", "qgis": "QGIS", "idaapi": "IDA Pro", "idc": "IDA Pro", "idautils": "IDA Pro",
    "rhinoscriptsyntax": "Rhino", "krita": "Krita", "pymxs": "3ds Max", "c4d": "Cinema 4D",
}  # fmt: skip
# Type checkers ship stubs for these with their standard-library stubs (typeshed's stdlib/),
# so under `if TYPE_CHECKING:` they need no installed distribution.
_TYPE_CHECKING_ONLY = frozenset({"_typeshed", "typing_extensions"})


def _provided_by_what_runs_it(module: str, path: str, trace: _Trace) -> Resolution | None:
    """The program that runs ``path`` and gives it ``module``: nox for ``noxfile.py``, a notebook's kernel, an
    application's own modules (Colab, gdb, Blender: attack H36)."""
    top = module.partition(".")[0]
    runner = _RUN_BY.get(path.rpartition("/")[2])
    if top == runner:
        trace.add(f"{path} runs under {runner}, which provides `{top}`")
        return Resolution(Origin.DECLARED, (runner,), f"{runner} runs {path.rpartition('/')[2]}")
    host = _HOST_MODULES.get(top) or _HOST_MODULES.get(".".join(module.split(".")[:2]))
    if host is not None:
        trace.add(f"{host} provides `{top}` to the code it runs (no package index serves it)")
        return Resolution(Origin.DECLARED, (host,), f"{host} provides it")
    if path.endswith(".ipynb") and top in _KERNEL_MODULES:
        trace.add(f"{path} runs in a Jupyter kernel (ipykernel), which provides `{top}`")
        return Resolution(Origin.DECLARED, (_KERNEL_MODULES[top],), "a notebook's kernel provides it")
    return None


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
    """Served only by a distribution a lock file pins for another package; not declared."""
    KNOWN_UNDECLARED = "known-undeclared"
    """A known distribution provides it, but the project does not declare it."""
    UNKNOWN = "unknown"
    """Nothing declared or known provides it (``distributions`` may name a popular namesake)."""
    STDLIB_REMOVED = "stdlib-removed"
    """A standard-library module that a Python version the project supports no longer ships."""
    STDLIB_TOO_NEW = "stdlib-too-new"
    """A standard-library module that the lowest Python the project supports does not ship yet."""
    STALE = "stale"
    """A declared distribution's module path that it moved or removed (in a version the declaration allows)."""
    DEPRECATED = "deprecated"
    """A declared distribution's module path that is deprecated but still shipped."""
    NAMESAKE = "undeclared-namesake"
    """Not declared, and no table knows it, but an established distribution has the import's name."""
    DEVELOPMENT_ONLY = "development-only"
    """Declared only for development (tox, a test extra) yet imported by the package's own code."""
    MISSING_RELATIVE = "missing-relative"
    """A relative import whose module (or name) the importing file's package does not have."""
    NOT_SHIPPED = "not-shipped"
    """A declared distribution's module or name that no indexed version the declaration allows ships, nor ever did."""
    PARTLY_SHIPPED = "partly-shipped"
    """A module or name the newest allowed indexed version ships, but an older allowed one does not."""
    WRONG_NAME = "wrong-name"
    """No module: a distribution's name used as an import name (``import pytorch``); ``note`` is the module to
    import, ``reason`` why code writes the wrong name, ``places`` where the project declares the distribution."""


RESOLVED = frozenset({Origin.STDLIB, Origin.FIRST_PARTY, Origin.DECLARED})


class Resolution(Slots):
    __slots__ = ("distributions", "note", "origin", "places", "reason", "steps")

    origin: Origin
    distributions: tuple[str, ...]
    """The distributions that serve (or would serve) the import, best first."""
    reason: str
    """Why, in a few words."""
    note: str
    """What a finding needs beyond the distribution: the removal and replacement, the modern path."""
    steps: tuple[str, ...]
    """The evidence looked at, in order, for ``explain-import``."""
    places: tuple[Dependency, ...]
    """The manifest lines that declare :attr:`distributions`."""

    def __init__(
        self, origin: Origin, distributions: tuple[str, ...] = (), reason: str = "", note: str = "",
        steps: tuple[str, ...] = (), places: tuple[Dependency, ...] = (),
    ) -> None:  # fmt: skip
        self.origin = origin
        self.distributions = distributions
        self.reason = reason
        self.note = note
        self.steps = steps
        self.places = places

    @property
    def distribution(self) -> str | None:
        return self.distributions[0] if self.distributions else None


class TargetPython(Slots):
    """The Python versions the project supports, within the versions the stdlib data covers."""

    __slots__ = ("highest", "lowest", "source")

    lowest: stdlib.PythonVersion
    highest: stdlib.PythonVersion
    source: str
    """Where the range comes from, for messages."""

    def __init__(self, lowest: stdlib.PythonVersion, highest: stdlib.PythonVersion, source: str) -> None:
        self.lowest = lowest
        self.highest = highest
        self.source = source

    @classmethod
    def single(cls, version: stdlib.PythonVersion, source: str) -> TargetPython:
        return cls(version, version, source)

    def describe(self) -> str:
        low, high = _version(self.lowest), _version(self.highest)
        return f"Python {low}" if low == high else f"Python {low}-{high}"


def _version(version: stdlib.PythonVersion) -> str:
    return f"{version[0]}.{version[1]}"


def target_python(
    snapshot: Snapshot, configured: str | None = None, running: stdlib.PythonVersion | None = None
) -> TargetPython:
    """The target Pythons: ``[tool.hallucheck] python``, else ``requires-python``, else the running interpreter.

    ``requires-python`` gives a range: from its lowest allowed minor version up to
    the highest it allows (a removed module breaks the newest, a new one the oldest).
    Raises ValueError when the configured version is not one.
    """
    if configured:
        version = stdlib.parse_python_version(configured)
        return TargetPython.single(version, f"[tool.hallucheck] python = {configured!r}")
    document = read_toml(snapshot, "pyproject.toml")
    specifier, where = _requires_python(document, snapshot)
    if specifier:
        lowest = stdlib.lowest_python_version(specifier)
        if lowest is not None:
            allowed = [v for v in stdlib.SUPPORTED_VERSIONS if v > lowest and _allows(specifier, v)]
            highest = max(allowed, default=lowest)
            return TargetPython(lowest, highest, f"{where} {specifier!r}")
    version = running or (sys.version_info[0], sys.version_info[1])
    return TargetPython.single(version, "the running interpreter (no requires-python)")


def _allows(specifier: str, version: stdlib.PythonVersion) -> bool:
    return stdlib.lowest_python_version(f"{specifier},=={_version(version)}.*") == version


def _requires_python(document: Mapping[str, Any], snapshot: Snapshot) -> tuple[str, str]:
    """The Requires-Python specifier and where it was found (PEP 621, Poetry, setup.cfg)."""
    value = table(document, "project").get("requires-python")
    if isinstance(value, str) and value.strip():
        return value.strip(), "requires-python"
    poetry = table(document, "tool", "poetry", "dependencies").get("python")
    if isinstance(poetry, str) and poetry.strip():
        return _poetry_constraint(poetry), "[tool.poetry.dependencies] python"
    data = snapshot.read("setup.cfg")
    if data is not None:
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(data.decode("utf-8", "replace"))
        except configparser.Error:
            return "", ""
        value = parser.get("options", "python_requires", fallback="").strip()
        if value:
            return value, "setup.cfg python_requires"
    value = _setup_py_python_requires(snapshot.read("setup.py"))
    if value:
        return value, "setup.py python_requires"
    return "", ""


def _setup_py_python_requires(data: bytes | None) -> str:
    """The literal ``python_requires="..."`` of the ``setup(...)`` call in ``setup.py`` (read with :mod:`ast`,
    never run); "" when there is none or it is computed."""
    if data is None or b"python_requires" not in data:
        return ""
    import ast

    try:
        tree = ast.parse(data.decode("utf-8", "replace"), "setup.py")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "python_requires" and isinstance(value, ast.Constant) and isinstance(
                        value.value, str) and value.value.strip():  # fmt: skip
                    return value.value.strip()
    return ""


def _poetry_constraint(text: str) -> str:
    """A Poetry version constraint (``^3.9``, ``~3.10``, ``>=3.8,<4``) as a PEP 440 specifier set."""
    clauses = []
    for clause in text.replace(" ", "").split(","):
        if clause.startswith("^"):
            major = clause[1:].split(".")[0]
            clauses += [f">={clause[1:]}", f"<{int(major) + 1}" if major.isdigit() else ""]
        elif clause.startswith("~") and not clause.startswith("~="):
            parts = clause[1:].split(".")
            upper = f"<{parts[0]}.{int(parts[1]) + 1}" if len(parts) > 1 and parts[1].isdigit() else ""
            clauses += [f">={clause[1:]}", upper]
        elif clause and clause != "*":
            clauses.append(clause if clause[0] in "<>=!~" else f"=={clause}")
    return ",".join(clause for clause in clauses if clause)


def stub_distributions(distributions: Iterable[str], top_level: str) -> tuple[str, ...]:
    """Stub-only distributions that serve imports under ``if TYPE_CHECKING:`` (``types-X``, ``X-stubs``)."""
    names = [*distributions, mapping.normalize_distribution(top_level)]
    stubs = [f"types-{name}" for name in names] + [f"{name}-stubs" for name in names]
    return tuple(dict.fromkeys(stubs))


def imported_path(item: ImportedModule) -> str:
    """The most specific dotted path an import may load: ``from a.b import c`` may import module ``a.b.c``.

    Lookups by longest prefix then work for names that are attributes too, and a
    namespace member imported with ``from google.cloud import storage`` is found.
    """
    if item.kind == "from" and item.name and item.name != "*" and item.module:
        return f"{item.module}.{item.name}"
    return item.module


def candidate_distributions(module: str, declared: Iterable[str]) -> tuple[tuple[str, ...], str]:
    """Distributions that may provide ``module``, and where that knowledge comes from.

    The bundled table comes first; then the import name itself as a distribution
    name, and declared distributions whose name suggests the import — evidence
    that only ever *matches* a declared distribution, never invents one. Inside a
    namespace (``azure.storage.blob``) the dotted prefixes are the names tried.
    """
    known = mapping.known_distributions(module)
    if known:
        return known, "bundled mapping"
    parts = module.split(".")
    top = parts[0]
    if mapping.is_namespace_root(top) and len(parts) == 1:
        # `import google` alone: served by any declared distribution that installs into the namespace.
        prefix = top + "."
        candidates = sorted(
            name for name in declared
            if any(found.startswith(prefix) for found in (*mapping.import_names_of(name),
                                                          *mapping.heuristic_import_names(name)))
        )  # fmt: skip
    elif mapping.is_namespace_root(top):
        candidates = [mapping.normalize_distribution(".".join(parts[:end])) for end in range(len(parts), 1, -1)]
    else:
        own = mapping.normalize_distribution(top)
        modules = known_modules_of(own)
        # A distribution that installs into a namespace is not imported by its flattened name: a declared
        # `azure-storage-blob` installs `azure.storage.blob`, not `azure_storage_blob` (attack E6).
        inside_namespaces = modules and all("." in module for module in modules)
        candidates = [] if inside_namespaces else [own]
        if isinstance(declared, frozenset):
            candidates += _declared_by_import_name(declared).get(mapping.squash_name(top), ())
        else:
            candidates += sorted(
                name for name in declared if mapping.matches_declared(top, name) and not known_modules_of(name)
            )
    return tuple(dict.fromkeys(candidates)), "distribution name"


@functools.lru_cache(maxsize=1024)
def known_modules_of(distribution: str) -> tuple[str, ...]:
    """The top-level modules (dotted inside a namespace) ``distribution`` is known to install, or ``()``.

    Known from the bundled mapping (whose reverse lookup is complete for every distribution it lists: its
    same-named module is listed too, checked in wheels) or from the module index (any indexed version). A
    distribution known this way serves only these: guessing from its name (``django-cors-headers`` ->
    ``cors_headers``) would accept a module it does not ship, whose name ``pip install`` takes to another project.
    """
    known = mapping.import_names_of(distribution)
    if known:
        return known
    from hallucheck.resolve.index import is_indexed, top_level_modules

    name = mapping.normalize_distribution(distribution)
    return top_level_modules(name) if is_indexed(name) else ()


def misnamed_declared(top: str, declared: Iterable[str]) -> tuple[str, tuple[str, ...]] | None:
    """A declared distribution whose name suggests the import name ``top`` but whose known modules do not include
    it (``import cors_headers`` with ``django-cors-headers`` declared, which installs ``corsheaders``): the
    distribution and its modules, else None."""
    for name in sorted(declared):
        modules = known_modules_of(name) if mapping.matches_declared(top, name) else ()
        if modules and top not in {module.partition(".")[0] for module in modules}:
            return name, modules
    return None


@functools.lru_cache(maxsize=16)
def _declared_by_import_name(declared: frozenset[str]) -> dict[str, list[str]]:
    """The declared distributions each import name suggests (sorted), for one set of declared names.

    Keyed by the name without separators and case (:func:`mapping.squash_name`), as
    :func:`mapping.matches_declared` compares: ``clean-text`` serves ``cleantext``.
    """
    index: dict[str, list[str]] = {}
    for name in sorted(declared):
        if known_modules_of(name):
            continue  # its modules are known: the bundled mapping or the index names them, not its name
        for imported in {mapping.squash_name(item) for item in mapping.heuristic_import_names(name)}:
            index.setdefault(imported, []).append(name)
    return index


_ServedKey = tuple[str, str | None, int, str, bool, bool, bool, bool, bool]


class _Trace(Slots):
    __slots__ = ("steps",)

    steps: list[str]

    def __init__(self, steps: list[str] | None = None) -> None:
        self.steps = [] if steps is None else steps

    def add(self, step: str) -> None:
        self.steps.append(step)


class Resolver:
    """Resolves imports against the base and target snapshots of a change."""

    def __init__(
        self,
        base: Declared,
        target: Declared,
        first_party: FirstParty,
        python: TargetPython | stdlib.PythonVersion,
        *,
        config: Config | None = None,
        environment: Environment | None = None,
        snapshot: Snapshot | None = None,
    ) -> None:
        self._base = base
        self._target = target
        self._first_party = first_party
        self.python = python if isinstance(python, TargetPython) else TargetPython.single(python, "given")
        self._mapping = dict(config.mapping) if config else {}
        self.environment = environment
        self._snapshot = snapshot
        self._declared: frozenset[str] | None = None
        self._written: dict[str, frozenset[str]] = {}
        self._verdicts: dict[tuple[str, str, tuple[str, ...], bool], Any] = {}
        """The module index's verdicts asked so far: a tree imports the same paths of a distribution in many files."""
        self._served: dict[_ServedKey, tuple[Resolution | None, Resolution | None, tuple[str, ...]]] = {}
        """:meth:`_served_by` per import (all but its place): a tree imports the same modules in many files."""

    @property
    def base(self) -> Declared:
        return self._base

    @property
    def target(self) -> Declared:
        return self._target

    def unreachable(self, top_level: str, path: str) -> tuple[str, list[str]] | None:
        """Where the repository holds ``top_level`` although ``path`` cannot import it by that name, with the
        directories that are on ``path``'s ``sys.path``; None when the repository has no such module."""
        return self._first_party.unreachable(top_level, path)

    def with_declarations(self, base: Declared, target: Declared) -> Resolver:
        """The same resolver against other declarations (a script's own PEP 723 block added)."""
        other = copy.copy(self)
        other._base, other._target = base, target
        other._served = {}  # answered against the other declarations
        return other

    def resolve(self, item: ImportedModule, path: str) -> Resolution:
        trace = _Trace()
        if path.endswith(".pyi") and not item.type_checking:
            item = replace(item, type_checking=True)  # a stub is only ever read by type checkers
        if item.level:
            return self._relative(item, path)
        resolution = self._resolve(item, path, trace)
        return Resolution(
            resolution.origin, resolution.distributions, resolution.reason, resolution.note, tuple(trace.steps),
            resolution.places,
        )  # fmt: skip

    def _relative(self, item: ImportedModule, path: str) -> Resolution:
        """A relative import resolves to the importing file's own package, or names something missing."""
        name = item.name if item.kind == "from" else None
        location, missing = self._first_party.locate_relative(
            item.module, name, item.level, path, stubs=item.type_checking or path.endswith(".pyi")
        )
        if location is not None:
            step = f"relative import: first-party code at {location}"
            return Resolution(Origin.FIRST_PARTY, reason=f"first-party code at {location}", steps=(step,))
        return Resolution(
            Origin.MISSING_RELATIVE, reason="relative import of nothing", note=missing,
            steps=(f"relative import: {missing}",),
        )  # fmt: skip

    def _resolve(self, item: ImportedModule, path: str, trace: _Trace) -> Resolution:
        module, top = item.module, item.top_level
        configured = self._user_mapping(module)
        if configured is not None:
            key, distribution = configured
            trace.add(f"[tool.hallucheck] mapping: {key} -> {distribution}")
            contradiction = _mapping_contradiction(module, distribution)
            if contradiction is not None:
                trace.add(contradiction)
                return Resolution(Origin.NOT_SHIPPED, (distribution,), MAPPING_CONTRADICTED,
                                  note=contradiction, steps=(contradiction,))  # fmt: skip
            found = self._classify((distribution,), "[tool.hallucheck] mapping", trace)
            return found or self._undeclared((distribution,), "[tool.hallucheck] mapping")
        if top in _ALWAYS_AVAILABLE or (item.type_checking and top in _TYPE_CHECKING_ONLY):
            trace.add(f"{top}: always importable" + (" under TYPE_CHECKING" if item.type_checking else ""))
            return Resolution(Origin.STDLIB, reason="always importable")
        provided = _provided_by_what_runs_it(module, path, trace)
        if provided is not None:
            return provided
        python = self.python
        in_lowest = stdlib.is_stdlib(top, python.lowest)
        removal = stdlib.removed_module(top, python.highest)
        if in_lowest and removal is None:
            trace.add(f"standard library of {python.describe()} (target from {python.source})")
            return Resolution(Origin.STDLIB, reason=f"standard library of {python.describe()}")
        if in_lowest and removal is not None:
            trace.add(f"standard library of Python {_version(python.lowest)}, but removed in "
                      f"{_version(removal.removed_in)} (target {python.describe()} from {python.source})")  # fmt: skip
        else:
            trace.add(f"not in the standard library of Python {_version(python.lowest)}, the lowest target "
                      f"(from {python.source})")  # fmt: skip
        stubs = item.type_checking or path.endswith(".pyi")  # a type checker reads stubs; Python does not
        imported = imported_path(item)
        location = self._first_party.locate(top, path, members=False, stubs=stubs, imported=imported)
        if location is None and item.kind == "dynamic" and imported == top:
            # runpy.run_module("poetry") runs poetry/__main__.py: a namespace directory holding one is imported
            location = self._first_party.locate(top, path, members=False, stubs=stubs, imported=f"{top}.__main__")
        namespace = location if location is not None and self._first_party.is_namespace(location, stubs) else None
        if location is not None and namespace is None:
            trace.add(f"first-party: {location}")
            return Resolution(Origin.FIRST_PARTY, reason=f"first-party code at {location}")
        trace.add("not first-party" if namespace is None else
                  f"a namespace directory at {namespace}: a declared or installed package of the name comes first")
        wrong = self._wrong_name(top, path, stubs, trace) if namespace is None else None
        if wrong is not None:
            return wrong
        own = self._own_distribution(imported, trace)
        if own is not None:
            return own
        found, served = self._served_by(item, trace)
        if served is not None:
            return self._development_only(item, path, served, trace)
        if namespace is not None and not self._installed(imported, trace):
            trace.add(f"first-party: the namespace directory {namespace} holds `{imported}`")
            return Resolution(Origin.FIRST_PARTY, reason=f"first-party code at {namespace}")
        location = self._first_party.locate_member(top, stubs=stubs, imported=imported)
        if location is not None:
            trace.add(f"first-party, in a monorepo member: {location}")
            return Resolution(Origin.FIRST_PARTY, reason=f"first-party code at {location}")
        location = self._first_party.locate_sibling(top, path, stubs=stubs)
        if location is not None:
            trace.add(f"first-party, beside the importing file (importable when it runs as a script): {location}")
            return Resolution(Origin.FIRST_PARTY, reason=f"first-party code at {location}")
        if found is not None and found.origin is Origin.REMOVED_DEPENDENCY:
            return found
        stdlib_problem = self._stdlib_problem(top, removal, trace)
        if stdlib_problem is not None:
            return stdlib_problem
        result = found if found is not None else (
            self._test_module(top, path, trace) or self._run_time_module(top, path, trace)
            or self._misnamed(top, trace) or self._unknown(top, trace)
        )
        if result.origin in (Origin.KNOWN_UNDECLARED, Origin.NAMESAKE, Origin.UNKNOWN):
            return _through_requirement(item, result, self._target, trace.add, self._base) or result
        return result

    def _wrong_name(self, top: str, path: str, stubs: bool, trace: _Trace) -> Resolution | None:
        """``import pytorch``, ``import pillow``: a name no distribution installs as a module (the bundled table),
        even when the distribution of that name is declared, unless the repository holds a module of that name."""
        wrong = mapping.wrong_import_name(top)
        if wrong is None or self._first_party.locate_member(top, stubs=stubs, imported=top) is not None or (
                self._first_party.locate_sibling(top, path, stubs=stubs) is not None):
            return None
        trace.add(f"`{top}` is no module: {wrong.reason}; the module is `{wrong.module}`")
        places = tuple(self._target.dependencies.get(wrong.distribution, ()))
        return Resolution(Origin.WRONG_NAME, (wrong.distribution,), wrong.reason, wrong.module, places=places)

    def _misnamed(self, top: str, trace: _Trace) -> Resolution | None:
        """``import cors_headers`` with ``django-cors-headers`` declared: the name is guessed from a declared
        distribution whose modules are known, and it is none of them (HC028, naming the module to write)."""
        if self._declared is None:
            self._declared = frozenset(self._base.dependencies) | frozenset(self._target.dependencies)
        found = misnamed_declared(top, self._declared)
        if found is None:
            return None
        distribution, modules = found
        shown = ", ".join(f"`{module}`" for module in modules)
        trace.add(f"the declared `{distribution}` installs {shown}, not `{top}`")
        places = tuple(self._target.dependencies.get(distribution, ()))
        reason = "a guess from the name of the distribution"
        return Resolution(Origin.WRONG_NAME, (distribution,), reason, modules[0], places=places)

    def _own_distribution(self, module: str, trace: _Trace) -> Resolution | None:
        """``import _cffi_backend`` in cffi itself (attack D6): the bundled table knows the module as one the
        project's own distribution installs (its ``[project]``/``setup()`` name, or a directory of the repository
        it installs by name), so the project builds it, however its build is written. Only the table counts: a
        name merely guessed from the project's name is not evidence."""
        own = {item.name for item in self._target.first_party if item.name}
        if not own:
            return None
        known = mapping.known_distributions(module)
        provider = next((name for name in known if name in own), None)
        if provider is None:
            return None
        trace.add(f"bundled mapping: {module} -> {', '.join(known)}; `{provider}` is the project's own distribution")
        return Resolution(Origin.FIRST_PARTY, reason=f"installed by the project's own distribution `{provider}`")

    def _user_mapping(self, module: str) -> tuple[str, str] | None:
        parts = module.split(".")
        for end in range(len(parts), 0, -1):
            key = ".".join(parts[:end])
            if key in self._mapping:
                return key, mapping.normalize_distribution(self._mapping[key])
        return None

    def _served_by(self, item: ImportedModule, trace: _Trace) -> tuple[Resolution | None, Resolution | None]:
        """:meth:`_distribution` of ``item``, and when it is declared (or new) what :meth:`_stale` makes of it.

        Neither reads the importing file's path, so both answers and the steps they traced are kept per import
        (everything but where it stands): ``--all-files`` asks the same of every file that imports ``django``.
        """
        key = (item.module, item.name, item.level, item.kind, item.guarded, item.type_checking, item.version_gated,
               item.fallback, item.optional)  # fmt: skip
        known = self._served.get(key)
        if known is None:
            steps = _Trace()
            found = self._distribution(item, steps)
            served = None
            if found is not None and found.origin in (Origin.DECLARED, Origin.NEW_DEPENDENCY):
                served = self._stale(item, found, steps)
            known = self._served[key] = (found, served, tuple(steps.steps))
        trace.steps += known[2]
        return known[0], known[1]

    def _distribution(self, item: ImportedModule, trace: _Trace) -> Resolution | None:
        """A declared distribution serving ``item``, else a known undeclared one, else None."""
        if self._declared is None:  # the manifests are read before any resolution and never change
            self._declared = frozenset(self._base.dependencies) | frozenset(self._target.dependencies)
        declared = self._declared
        imported = imported_path(item)
        candidates, source = candidate_distributions(imported, declared)
        if source == "bundled mapping":
            trace.add(f"bundled mapping: {item.module} -> {', '.join(candidates)}")
        else:
            trace.add(f"not in the bundled mapping; names tried: {', '.join(candidates)}")
        if item.type_checking:
            candidates += stub_distributions(candidates, item.top_level)
            trace.add("under TYPE_CHECKING: stub distributions (types-X, X-stubs) also serve it")
        found = (
            self._classify(candidates, source, trace)
            or self._through_extra(candidates, trace)
            or self._locked(candidates, trace)
        )
        if found is not None:
            return found
        installed = self._installed(imported, trace)
        if installed:
            origin = f"installed in {self.environment.origin}" if self.environment else "environment"
            if item.type_checking:
                installed += stub_distributions(installed, item.top_level)
            return self._classify(installed, origin, trace) or self._undeclared(installed, origin)
        if source == "bundled mapping" and candidates == (mapping.normalize_distribution(item.top_level),):
            trace.add(f"the only provider is the distribution named like the import, `{candidates[0]}`")
            return Resolution(Origin.NAMESAKE, candidates, f"named like the established distribution {candidates[0]}")
        if source == "bundled mapping":
            return self._undeclared(candidates, source)
        return None

    def _through_extra(self, candidates: Iterable[str], trace: _Trace) -> Resolution | None:
        """A declared ``pkg[extra]`` whose extra is named like a candidate (``kombu[redis]`` installs redis)."""
        wanted = set(candidates)
        for declared, origin in ((self._target, Origin.DECLARED), (self._base, Origin.REMOVED_DEPENDENCY)):
            for places in declared.dependencies.values():
                for place in places:
                    hit = sorted(_extras(place.requirement) & wanted)
                    if not hit:
                        continue
                    if origin is Origin.DECLARED and not any(
                        hit[0] in _extras(other.requirement) for other in self._base.dependencies.get(place.name, ())
                    ):
                        origin = Origin.NEW_DEPENDENCY
                    trace.add(f"installed through the extra of `{place.requirement}` ({place.path}:{place.line})")
                    return Resolution(origin, (hit[0],), f"through the extra of {place.requirement}", places=(place,))
        return None

    def _locked(self, candidates: Iterable[str], trace: _Trace) -> Resolution | None:
        locked = tuple(name for name in candidates if name in self._target.locked)
        if not locked:
            return None
        if not any(name in self._base.locked for name in locked):
            # Locked only since this change: a new package like any other, whoever pulls it in.
            places = tuple(place for name in locked for place in self._target.locked[name][:1])
            trace.add("pinned by a lock file only since this change: " + "; ".join(
                f"{place.path}:{place.line}" for place in places
            ))  # fmt: skip
            return Resolution(Origin.NEW_DEPENDENCY, locked, "locked only by this change, not declared", places=places)
        trace.add(f"not declared, but pinned by a lock file: {', '.join(locked)}")
        return Resolution(Origin.TRANSITIVE, locked, "locked for another package, not declared")

    def _installed(self, module: str, trace: _Trace) -> tuple[str, ...]:
        if self.environment is None:
            return ()
        providers = self.environment.providers(module)
        if providers:
            trace.add(f"{self.environment.origin}: installed by {', '.join(p.label for p in providers)}")
        else:
            trace.add(f"{self.environment.origin}: no installed distribution provides it")
        return tuple(provider.name for provider in providers)

    def _classify(self, candidates: Iterable[str], source: str, trace: _Trace) -> Resolution | None:
        candidates = tuple(candidates)
        kept = tuple(name for name in candidates if name in self._base and name in self._target)
        if kept:
            places = self._places(kept, self._target)
            trace.add("declared: " + "; ".join(f"{p.path}:{p.line} {p.requirement}" for p in places))
            return Resolution(Origin.DECLARED, kept, f"declared dependency ({source})", places=places)
        added = tuple(name for name in candidates if name in self._target)
        if added:
            places = self._places(added, self._target)
            trace.add("declared only by this change: " + "; ".join(f"{p.path}:{p.line}" for p in places))
            return Resolution(
                Origin.NEW_DEPENDENCY, added, f"dependency added in this change ({source})", places=places
            )
        removed = tuple(name for name in candidates if name in self._base)
        if removed:
            trace.add("declared before this change, removed by it")
            return Resolution(
                Origin.REMOVED_DEPENDENCY, removed, f"dependency removed in this change ({source})",
                places=self._places(removed, self._base),
            )  # fmt: skip
        trace.add(f"not declared: {', '.join(candidates)}")
        return None

    @staticmethod
    def _places(names: Iterable[str], declared: Declared) -> tuple[Dependency, ...]:
        return tuple(place for name in names for place in declared.dependencies.get(name, ())[:1])

    @staticmethod
    def _undeclared(distributions: tuple[str, ...], source: str) -> Resolution:
        """Not declared; the alternatives are suggested most downloaded first (pycryptodome before pycrypto)."""
        if len(distributions) > 1:
            from hallucheck.evidence.popular import popularity_rank

            ranks = {name: popularity_rank(name) for name in distributions}
            distributions = tuple(sorted(distributions, key=lambda name: ranks[name] or sys.maxsize))
        return Resolution(Origin.KNOWN_UNDECLARED, distributions, f"provided by a known distribution ({source})")

    def _stale(self, item: ImportedModule, found: Resolution, trace: _Trace) -> Resolution:
        """``found`` unless the distribution no longer has the module path the import uses.

        The installed distribution, when there is one, is the authority: its RECORD
        lists every file, and a path the bundled table calls stale may be current in
        the version the project pins. The environment is read only for a dotted module
        or a path the table lists.
        """
        environment = self.environment
        if environment is not None and "." in item.module and environment.providers(item.module):
            missing = environment.missing_submodule(item.module)
            if missing is None:
                trace.add(f"{environment.origin}: module path {item.module} is installed")
                return found
            installed, path = missing
            note = f"`{path}` is not part of {installed.label} installed in {environment.origin}"
            trace.add(note)
            return Resolution(Origin.STALE, (installed.name,), found.reason, note, places=found.places)
        names = (item.name,) if item.kind == "from" and item.name and item.name != "*" else ()
        stale = mapping.stale_module(item.module, names)
        if stale is None and names:  # `from sklearn.externals import joblib` names the module sklearn.externals.joblib
            stale = mapping.stale_module(imported_path(item), ())
        if _indexed(found.distributions):
            judged = _judge_declared(item, found, stale, self._target, trace.add, self._verdicts)
            if judged is not None and judged is not found and environment is not None and environment.providers(
                    item.module):  # fmt: skip
                trace.add(f"{environment.origin} has it installed: trusted over the module index")
                return found
            if judged is not None:
                return judged
        if stale is None:
            return found
        trace.add(f"bundled stale-path table: {stale.module} ({stale.distribution}, {stale.status}): {stale.advice}")
        providers = environment.providers(item.module) if environment is not None else ()
        if environment is not None and providers:
            trace.add(f"{environment.origin} has {providers[0].label}: the installed version is trusted")
            return found
        path = stale.module.replace(":", ".")
        if stale.deprecated:
            note = f"`{path}` of `{stale.distribution}` is {stale.status}: {stale.advice}"
            return Resolution(Origin.DEPRECATED, (stale.distribution,), found.reason, note, places=found.places)
        declared = self._target.dependencies.get(stale.distribution, [])
        if stale.version and declared and not any(_allows_from(place.requirement, stale.version) for place in declared):
            trace.add(f"the declared `{declared[0].requirement}` keeps `{stale.distribution}` below "
                      f"{stale.version}, which still has `{path}`")  # fmt: skip
            return found
        note = f"`{path}` is a moved or removed path of `{stale.distribution}` ({stale.status}): {stale.advice}"
        return Resolution(Origin.STALE, (stale.distribution,), found.reason, note, places=found.places)

    def _development_only(self, item: ImportedModule, path: str, found: Resolution, trace: _Trace) -> Resolution:
        """``found``, unless only development declarations serve it and ``path`` is the package's own code.

        Optional code (a guarded import) and type-checking imports may use what development installs.
        """
        if found.origin is not Origin.DECLARED or item.guarded or item.optional or item.type_checking:
            return found
        from hallucheck.manifests.roles import is_development_file

        places = [place for name in found.distributions for place in self._target.dependencies.get(name, ())]
        if not places or not all(place.development for place in places) or is_development_file(path):
            return found
        where = "; ".join(f"{place.path}:{place.line}" for place in places[:3])
        trace.add(f"declared for development only ({where}), and {path} is not a test, docs or tooling file")
        return Resolution(
            Origin.DEVELOPMENT_ONLY, found.distributions, f"declared for development only ({where})",
            places=tuple(places),
        )  # fmt: skip

    def _stdlib_problem(self, top: str, removal: stdlib.RemovedModule | None, trace: _Trace) -> Resolution | None:
        python = self.python
        if removal is not None:
            note = (
                f"removed from the standard library in Python {_version(removal.removed_in)} "
                f"(the project supports {python.describe()}, from {python.source}); use {removal.replacement}"
            )
            trace.add(note)
            return Resolution(Origin.STDLIB_REMOVED, reason="removed from the standard library", note=note)
        first = stdlib.first_version(top)
        if first is not None and first > python.lowest:
            note = (
                f"in the standard library only from Python {_version(first)}, "
                f"but the project supports {python.describe()} (from {python.source})"
            )
            trace.add(note)
            return Resolution(Origin.STDLIB_TOO_NEW, reason="standard library of a later Python", note=note)
        return None

    def _test_module(self, top: str, path: str, trace: _Trace) -> Resolution | None:
        """A module that a test's own run makes importable, for a test file; else None.

        ``conftest``: pytest imports each ``conftest.py`` as a module of that name, and a test or a type
        checker reaches the one above it so (``from conftest import TestServer``). A module the test file
        writes into a directory that it (or its conftest.py, through a fixture) puts on ``sys.path``:
        ``(tmp_path / "app.py").write_text(...)`` then ``import app``.
        """
        from hallucheck.manifests.roles import is_development_file

        if self._snapshot is None or not is_development_file(path):
            return None
        snapshot, directory = self._snapshot, posixpath.dirname(path)
        conftests = [posixpath.join(parent, "conftest.py") for parent in _directories_up(directory)
                     if snapshot.list_dir(parent).get("conftest.py") is EntryKind.FILE]  # fmt: skip
        if top == "conftest" and conftests:
            trace.add(f"pytest imports {conftests[0]} as the module `conftest`")
            return Resolution(Origin.FIRST_PARTY, reason=f"pytest's conftest module at {conftests[0]}")
        data = snapshot.read(path)
        if data is None or top.encode() not in data:
            return None
        from hallucheck.resolve.pytest_paths import puts_on_sys_path, written_modules

        if not (puts_on_sys_path(data) or any(puts_on_sys_path(snapshot.read(item) or b"") for item in conftests)):
            return None
        if path not in self._written:
            self._written[path] = written_modules(data.decode("utf-8", "replace"), path)
        if top not in self._written[path]:
            return None
        trace.add(f"{path} writes `{top}` into a directory it puts on sys.path when the test runs")
        return Resolution(Origin.FIRST_PARTY, reason=f"a module {path} writes at run time")

    def _run_time_module(self, top: str, path: str, trace: _Trace) -> Resolution | None:
        """A module the project's own code makes importable when it runs (:mod:`.run_time`); else None."""
        from hallucheck.resolve.run_time import notebook_written_modules, registered_modules

        if self._snapshot is None:
            return None
        if top in notebook_written_modules(self._snapshot, path):
            trace.add(f"{path} writes `{top}.py` into its working directory (a %%writefile cell)")
            return Resolution(Origin.FIRST_PARTY, reason=f"a module {path} writes at run time")
        if top in registered_modules(self._snapshot, path):
            trace.add(f"code that {path} runs, or that sits beside it, puts `{top}` in sys.modules")
            return Resolution(Origin.FIRST_PARTY, reason="a module the project registers in sys.modules")
        return None

    def _unknown(self, top: str, trace: _Trace) -> Resolution:
        """Nothing provides it; a guarded import may still name a popular distribution (the caller decides)."""
        if not mapping.is_namespace_root(top):
            from hallucheck.evidence.popular import popularity_rank

            name = mapping.normalize_distribution(top)
            rank = popularity_rank(name)
            provides = mapping.import_names_of(name) if rank is not None else ()
            if rank is not None and (not provides or top in provides):
                trace.add(f"`{name}` is an established distribution with the import's name (download rank {rank})")
                return Resolution(Origin.NAMESAKE, (name,), f"named like the established distribution {name}")
        trace.add("no declared or known distribution provides it")
        return Resolution(Origin.UNKNOWN, (), "no declared or known distribution provides it")


def _indexed(distributions: Iterable[str]) -> bool:
    """Whether the bundled index describes one of ``distributions`` (a file check; nothing is read)."""
    from hallucheck.resolve.index import is_indexed

    return any(is_indexed(name) for name in distributions)


def _directories_up(directory: str) -> list[str]:
    """``directory`` and every directory above it, nearest first, ending with the root ``""``."""
    found = [directory]
    while directory:
        directory = posixpath.dirname(directory)
        found.append(directory)
    return found


def _extras(requirement: str) -> set[str]:
    """The normalised extras a requirement asks for (``kombu[redis,msgpack]`` -> redis, msgpack)."""
    found = _EXTRAS.match(requirement)
    return {mapping.normalize_distribution(item.strip()) for item in found.group(1).split(",")} if found else set()


def _allows_from(requirement: str, version: str) -> bool:
    """Whether the declared ``requirement`` allows a version at or after ``version``.

    An unreadable or unpinned requirement allows it. Poetry's ``name = "^1.10"``
    lines and conda's ``name 1.10.*`` specs are read too.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    specifier = _specifier_text(requirement)
    try:
        allowed = SpecifierSet(specifier)
        floor = Version(version)
    except (InvalidSpecifier, InvalidVersion):
        return True
    pinned = [Version(item.version) for item in allowed if item.operator in ("==", "===")
              and not item.version.endswith(".*") and _is_version(item.version)]  # fmt: skip
    if pinned:
        return any(candidate >= floor for candidate in pinned)
    release = floor.release + (0,) * (3 - len(floor.release))
    probes = [floor, *(Version(".".join(map(str, (release[0], release[1], release[2] + step)))) for step in (1, 99)),
              Version(f"{release[0]}.{release[1] + 1}"), Version(f"{release[0]}.99"), Version(f"{release[0] + 1}"),
              Version(f"{release[0] + 10}"), Version("9999")]  # fmt: skip
    return any(allowed.contains(probe, prereleases=True) for probe in probes)


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


_PLAIN_REQUIREMENT = LazyPattern(
    r"[ \t]*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?[ \t]*"
    r"((?:===|==|!=|~=|<=|>=|<|>)[ \t]*[A-Za-z0-9_.*+!-]+"
    r"(?:[ \t]*,[ \t]*(?:===|==|!=|~=|<=|>=|<|>)[ \t]*[A-Za-z0-9_.*+!-]+)*)?[ \t]*"
)
"""A requirement that is a name and comparisons only (``requests>=2.33,<3``), no extras, parentheses, URL or
marker: its specifier is read by ``SpecifierSet`` alone, without ``packaging.requirements`` (whose import, with
markers, ``platform`` and ``subprocess``, cost more than the rest of a one-import commit on saleor)."""


@functools.lru_cache(maxsize=4096)
def _specifier_text(requirement: str) -> str:
    """The version specifier of a declaration as written in any manifest ("" when it has none)."""
    plain = _PLAIN_REQUIREMENT.fullmatch(requirement)
    if plain is not None:
        if plain.group(1) is None:
            return ""
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            return str(SpecifierSet(plain.group(1)))
        except InvalidSpecifier:
            pass  # Requirement says why, and the other forms are tried
    return _specifier_of_requirement(requirement)


def _specifier_of_requirement(requirement: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return str(Requirement(requirement).specifier)
    except InvalidRequirement:
        pass
    poetry = re.search(r"=\s*(?:\{[^}]*version\s*=\s*)?[\"']([^\"']*)[\"']", requirement)
    if poetry:
        return _poetry_constraint(poetry.group(1))
    conda = re.match(r"^\S+\s+([<>=!~][^\s]*|\d[^\s]*)", requirement)
    if conda:
        spec = conda.group(1)
        return spec if spec[0] in "<>=!~" else f"=={spec}"
    return ""

# --- the module index (hallucheck/data/index): what a declared distribution ships ------------------------------
#
# Asked only after the rest of resolution has decided. `_judge_declared`: the import resolved to a declared
# distribution; do the indexed versions its declaration allows ship the module (or name)? Missing from the newest
# allowed version is an error (stale when an indexed version shipped it, else never shipped); missing only from
# older allowed versions is a warning. `_through_requirement`: nothing declared serves the import; does a declared
# distribution own it in an indexed version, or bring its provider through its requirements (`llama-index` ->
# `llama-index-core`, `kombu[mongodb]` -> `pymongo`)? An installed environment is asked first and wins.


def _index() -> Any:
    from hallucheck.resolve import index

    return index


MAPPING_CONTRADICTED = "a mapping the module index contradicts"


def _span_of(versions: Sequence[str]) -> str:
    return versions[0] if len(versions) == 1 else f"{versions[0]} to {versions[-1]}"


def _mapping_contradiction(module: str, distribution: str) -> str | None:
    """Why the bundled module index contradicts a ``mapping`` of ``module`` to ``distribution``: no indexed
    release of the distribution ships the module's top-level name; None when the index cannot tell (not
    indexed, a release that ships no module of its own, or one that ships it)."""
    index = _index()
    if not index.is_indexed(distribution):
        return None
    found = index.load(distribution)
    if found is None or not all(found.roots):
        return None  # a meta-package's release brings its modules through its requirements
    top = module.split(".")[0]
    shipped = sorted({root.split(".")[0] for roots in found.roots for root in roots})
    if top in shipped:
        return None
    return (f"[tool.hallucheck] mapping says `{module}` comes from `{distribution}`, but no release of "
            f"`{distribution}` in the bundled module index ({_span_of(found.versions)}) ships "
            f"`{top}` (it ships {', '.join(f'`{name}`' for name in shipped[:6])}): correct or remove the mapping")


_Step = Callable[[str], None]
"""Adds a step to a resolution's trace."""


def _specifiers(declared: Declared, distribution: str) -> list[str]:
    places = declared.dependencies.get(distribution, ())
    return [_specifier_text(place.requirement) for place in places] or [""]


def _as_module(item: ImportedModule) -> bool:
    return not (item.kind == "from" and item.name and item.name != "*")


def _judge_declared(
    item: ImportedModule, found: Resolution, stale: mapping.StaleModule | None, declared: Declared, trace: _Step,
    verdicts: dict[tuple[str, str, tuple[str, ...], bool], Any] | None = None,
) -> Resolution | None:
    """The index's verdict on ``item`` for the declared distribution of ``found``; None when it cannot tell.

    ``verdicts`` keeps the verdicts asked before (by distribution, path, specifiers and kind of import)."""
    path = imported_path(item)
    verdicts = {} if verdicts is None else verdicts
    for distribution in found.distributions:
        if not _index().is_indexed(distribution):
            continue
        specifiers = _specifiers(declared, distribution)
        key = (distribution, path, tuple(specifiers), _as_module(item))
        if key not in verdicts:
            verdicts[key] = _index().judge(distribution, path, specifiers, as_module=key[3])
        verdict = verdicts[key]
        if verdict is None:
            trace(f"module index: `{distribution}` cannot tell about `{path}` (open namespace, or no indexed version "
                  f"allowed by {', '.join(repr(text) for text in specifiers if text) or 'the declaration'})")
            continue
        return _resolution(verdict, found, stale, trace)
    return None


def _resolution(
    verdict: Verdict, found: Resolution, stale: mapping.StaleModule | None, trace: _Step
) -> Resolution | None:
    allowed = ", ".join(verdict.allowed)
    if verdict.kind is _index().VerdictKind.PRESENT:
        owner = verdict.via[-1] if verdict.via else verdict.distribution
        brought = f", which `{verdict.distribution}` requires" if verdict.via else ""
        trace(f"module index: `{verdict.path}` is in every indexed `{owner}` version the declaration allows "
              f"({allowed}){brought}")  # fmt: skip
        if stale is not None:
            # The hand table's deprecation stands; so does a removal the index cannot see: a module kept only to
            # fail on use (pydantic.env_settings, botocore.vendored.requests), judged pin-aware by the table.
            return None
        return found
    note = verdict.describe()
    if stale is not None and not stale.deprecated:
        note += f"; use {stale.advice}" if "." in stale.advice.split(" ")[0] else f"; {stale.advice}"
    trace(f"module index: {note}")
    if verdict.kind is _index().VerdictKind.PARTLY:
        return Resolution(Origin.PARTLY_SHIPPED, found.distributions, found.reason, note, places=found.places)
    origin = Origin.STALE if verdict.stale or stale is not None else Origin.NOT_SHIPPED
    return Resolution(origin, (verdict.distribution,), found.reason, note, places=found.places)


def _through_requirement(
    item: ImportedModule, result: Resolution, declared: Declared, trace: _Step, base: Declared | None = None
) -> Resolution | None:
    """``item`` served by a declared indexed distribution the mapping does not name, or by one's requirement.

    The index knows which top-level modules each distribution owns, so a declared
    distribution that owned the module in some indexed version is asked first
    (``from llama_index import VectorStoreIndex`` with ``llama-index`` declared).
    """
    if not any(_index().is_indexed(name) for name in declared.dependencies):
        return None
    path = imported_path(item)
    owned = _declared_owner(item, declared, base, trace)
    if owned is not None:
        return owned
    providers = {*result.distributions, mapping.normalize_distribution(item.top_level), *_index().owners(item.module)}
    requirements = {name: [place.requirement for place in places] for name, places in declared.dependencies.items()}
    chain = _index().requirement_chain(requirements, sorted(providers - set(declared.dependencies)))
    if chain is None:
        return None
    places = tuple(declared.dependencies[chain.distributions[0]][:1])
    trace(f"module index: the declared {chain.describe()} brings `{chain.provider}`")
    verdict = _index().judge(chain.provider, path, [""], as_module=_as_module(item))
    if verdict is not None and verdict.kind is _index().VerdictKind.MISSING:
        note = verdict.describe() + f" (it comes through {chain.describe()})"
        trace(f"module index: {note}")
        origin = Origin.STALE if verdict.stale else Origin.NOT_SHIPPED
        return Resolution(origin, (chain.provider,), "required by a declared distribution", note, places=places)
    if chain.meta:
        reason = f"installed by the declared `{chain.distributions[0]}`, which requires {chain.describe()}"
        return Resolution(Origin.DECLARED, (chain.provider,), reason, places=places)
    note = (f"`{item.module}` comes from `{chain.provider}`, which is not declared: it is installed only as a "
            f"requirement ({chain.describe()})")  # fmt: skip
    return Resolution(Origin.TRANSITIVE, (chain.provider,), "required by a declared distribution", note,
                      places=places)  # fmt: skip


def _declared_owner(item: ImportedModule, declared: Declared, base: Declared | None, trace: _Step) -> Resolution | None:
    """The verdict of a declared distribution that some indexed version of ships the module's top-level package."""
    for name in _index().owners(item.module):
        places = declared.dependencies.get(name)
        if not places:
            continue
        trace(f"module index: the declared `{name}` owns `{item.module.split('.')[0]}` in an indexed version")
        kept = base is None or name in base.dependencies
        origin = Origin.DECLARED if kept else Origin.NEW_DEPENDENCY
        reason = "declared dependency (module index)" if kept else "dependency added in this change (module index)"
        found = Resolution(origin, (name,), reason, places=tuple(places[:1]))
        names = (item.name,) if item.kind == "from" and item.name and item.name != "*" else ()
        stale = mapping.stale_module(item.module, names)
        judged = _judge_declared(item, found, stale, declared, trace)
        if judged is not None:
            return judged
        removal_allowed = not stale or not stale.version or any(
            _allows_from(place.requirement, stale.version) for place in places)
        if stale is not None and not stale.deprecated and removal_allowed:
            note = f"`{stale.module.replace(':', '.')}` is a moved or removed path of `{name}` ({stale.status}): " \
                   f"{stale.advice}"
            return Resolution(Origin.STALE, (name,), reason, note, places=found.places)
        return found
    return None
