"""The project's own top-level modules, found in a snapshot.

Python puts a few directories on ``sys.path`` for a project's code: the
repository root or ``src/`` (or whatever the build backend is told), the
directory of a script being run, and for pytest the first directory above a
test or ``conftest.py`` that is not a package, for tests the directories a
committed ``conftest.py`` or the ``pythonpath`` setting add
(:mod:`.pytest_paths`), and for any file the directories it adds to ``sys.path``
itself. A top-level name is first-party
when one of those directories holds a module or package of that name. Build
settings that move packages elsewhere (setuptools ``package-dir``, Poetry
``packages``, Hatch build targets, maturin ``python-source``, ...) and the
members of a monorepo add directories and names. Everything is read lazily,
through the :class:`~hallucheck.snapshot.Snapshot`, and only when an import is
not settled by the standard library first.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any

from hallucheck.lazy import LazyPattern, Slots
from hallucheck.resolve.tables import read_toml, table
from hallucheck.snapshot import EntryKind, Snapshot, resolve_link

SOURCE_SUFFIXES = (".py", ".pyi", ".pyx")
_IMPORTABLE_SUFFIXES = (".py", ".pyx", ".pyw")
"""What Python (or a Cython build) imports; a ``.pyi`` stub alone is read only by type checkers."""
_EXTENSION_SUFFIXES = (".so", ".pyd")
# Directories that conventionally hold the members of a monorepo, one level down.
_MEMBER_CONTAINERS = frozenset(
    {"packages", "libs", "lib", "projects", "apps", "services", "plugins", "components", "modules", "python", "tools"}
)
_NOT_MEMBERS = frozenset({"node_modules", "docs", "doc", "site-packages", "venv", "build", "dist"})
_BUILD_FILES = (".gitignore", "pyproject.toml", "setup.py", "setup.cfg", "meson.build", "CMakeLists.txt", "Cargo.toml")
"""Files that name modules a build generates or compiles (checked only when a relative import misses)."""
_PACKAGE_DEPTH = 3
"""How deep a directory without ``__init__.py`` is searched for Python files (PEP 420 namespaces)."""


class Layout(Slots):
    """Where one project (the root one or a monorepo member) keeps its importable code."""

    __slots__ = ("built", "members", "names", "roots", "version_modules")

    roots: list[str]
    """Directories whose entries are top-level modules."""
    names: dict[str, str]
    """Top-level names the build settings place explicitly, with where they live."""
    members: list[str]
    """Directories of further projects it names (workspace members, path dependencies)."""
    built: set[str]
    version_modules: set[str]
    """Top-level modules that are a version file a build hook writes: they define only the version names."""
    """Names in ``names`` that a build writes and git never holds (a version file, a Rust extension)."""

    def __init__(
        self, roots: list[str] | None = None, names: dict[str, str] | None = None, members: list[str] | None = None,
        built: set[str] | None = None,
    ) -> None:  # fmt: skip
        self.roots = [] if roots is None else roots
        self.names = {} if names is None else names
        self.members = [] if members is None else members
        self.built = set() if built is None else built
        self.version_modules: set[str] = set()


class FirstParty:
    """Top-level modules and packages of the project itself, looked up lazily in a snapshot."""

    def __init__(self, snapshot: Snapshot, names: Iterable[str] = ()) -> None:
        self._snapshot = snapshot
        self._configured = frozenset(names)
        self._packages: dict[tuple[str, bool], bool] = {}
        self._extensions: dict[str, dict[str, str]] = {}
        self._found: dict[tuple[str, str, bool], str | None] = {}
        self._script_roots_of: dict[tuple[str, bool], list[str]] = {}
        self._located: dict[tuple[str, str, bool, bool, bool], str | None] = {}
        """:meth:`locate` per (name, directory, test file, members, stubs): a whole tree asks the same in each."""
        self._located_relative: dict[tuple[str, str | None, int, str, bool], tuple[str | None, str]] = {}
        self._build_files: dict[str, bytes | None] = {}
        """The build and ignore files read for :meth:`_built_here`: each relative import that misses reads those of
        its directory and every one above it (saleor's root .gitignore and pyproject.toml, hundreds of times)."""
        self._conftests: dict[str, list[str]] = {}
        self._init_code: dict[str, str] = {}
        self._pythonpaths: dict[str, list[str]] = {}
        self._pytest_paths: dict[str, list[str]] = {}
        """pytest's ``pythonpath`` per directory walked through (shared by the directories below a configuration)."""

    def locate(
        self, top_level: str, importing_path: str, *, members: bool = True, stubs: bool = False,
        imported: str | None = None,
    ) -> str | None:
        """Where ``top_level`` is defined for code in ``importing_path``, or None when it is not first-party.

        A name is first-party only when Python could import it from the snapshot: a
        build setting that names a module with no such file, a lone ``.pyi`` stub (unless
        ``stubs``: a type checker reads it) and a symlink that leads nowhere do not count.
        ``members=False`` leaves out the monorepo members, whose discovery reads a
        manifest name in every top-level directory: callers look there last.

        A directory without ``__init__.py`` (a PEP 420 namespace portion) counts only for an import that
        ``imported`` (the dotted path the import loads) leads through it to a module or a regular package:
        ``import fakepkg_zz`` or ``from fakepkg_zz import secure_hash`` beside a stray ``fakepkg_zz/sub/mod.py``
        would import an empty namespace, or fail. ``imported`` None: the top-level name alone.
        """
        if top_level in self._configured:
            return "a name listed in [tool.hallucheck] first-party"
        from hallucheck.manifests.roles import is_development_file

        wanted = imported or top_level
        own = self._own_paths(importing_path)
        if own:  # the file puts these on sys.path itself (sentry's scripts: `sys.path.append(dirname(__file__)/..)`)
            found = self._locate_in(iter((Layout(roots=own),)), top_level, stubs, wanted)
            if found is not None:
                return found
        key = (wanted, posixpath.dirname(importing_path), is_development_file(importing_path), members, stubs)
        if key not in self._located:  # what _script_roots reads of the path: its directory, and whether it tests
            layouts = self._layouts(importing_path) if members else iter((self._script_layout(importing_path),
                                                                          self._project))  # fmt: skip
            self._located[key] = self._locate_in(layouts, top_level, stubs, wanted)
        return self._located[key]

    def unreachable(self, top_level: str, importing_path: str) -> tuple[str, list[str]] | None:
        """Where the repository holds a module or package ``top_level`` that ``importing_path`` cannot import by
        that name (beside the file or in a directory above it, none of them on its ``sys.path``), with the
        directories of the repository that are on it; None when there is no such module. Asked only for an
        import nothing resolved, so a finding can name the path instead of a package."""
        for directory in _ancestors(posixpath.dirname(importing_path)):
            found = self._find(directory, top_level)
            if found is not None and found != importing_path:
                roots = [root for root in self.searched(importing_path)
                         if root == "." or self._kind(root) is EntryKind.DIRECTORY]  # fmt: skip
                return found, roots
        return None

    def locate_sibling(self, top_level: str, importing_path: str, *, stubs: bool = False) -> str | None:
        """A module or package beside ``importing_path`` inside a regular package, or None.

        Running the file as a script (``python scripts/release_tests.py``) puts its own
        directory on ``sys.path``, so its siblings import by their bare names even when the
        directory is a package. Callers look here only after declared distributions, so a
        package's subpackage never shadows a distribution of the same name.
        """
        directory = posixpath.dirname(importing_path)
        if "__init__.py" not in self._snapshot.list_dir(directory) or not self._runs_as_script(importing_path):
            return None  # not a package (the script roots cover it), or a module imported from its package
        return self._find(directory, top_level, stubs)

    def locate_relative(
        self, module: str, name: str | None, level: int, importing_path: str, *, stubs: bool = False
    ) -> tuple[str | None, str]:
        """Where a relative import (``from ..mod import name``) leads in the snapshot, or None and what is missing.

        The importing file's directory is its package; each further dot goes one
        directory up. Every part of ``module`` must be a module or package there. With
        no module (``from . import name``), ``name`` must be a submodule, or a name the
        package's ``__init__.py`` may define (any mention of it, a ``__getattr__`` or a
        star import counts: a false alarm would cost more than this loophole).
        """
        named = None if module.strip(".") else name  # with a module, the names it gives are not looked up here
        key = (module, named, level, posixpath.dirname(importing_path), stubs)
        found = self._located_relative.get(key)
        if found is None:
            found = self._locate_relative(module, name, level, importing_path, stubs)
            if importing_path not in found[1]:  # the answer depends on the directory only
                self._located_relative[key] = found
        return found

    def _locate_relative(
        self, module: str, name: str | None, level: int, importing_path: str, stubs: bool
    ) -> tuple[str | None, str]:
        directory = posixpath.dirname(importing_path)
        for _ in range(level - 1):
            if not directory:
                return None, f"`{'.' * level}` goes above the top of the repository from {importing_path}"
            directory = posixpath.dirname(directory)
        found = directory or "."
        parts = [part for part in module.split(".") if part]
        for index, part in enumerate(parts):
            located = self._find(directory, part, stubs) or self._built_here(directory, part)
            if located is None:
                within = directory or "the repository root"
                return None, f"`{part}` is neither a module nor a package in {within}"
            if index < len(parts) - 1 and not located.endswith("/"):
                within = directory or "the repository root"
                if not posixpath.basename(located).startswith(part + "."):  # a build or ignore file names it
                    return None, (f"`{part}` is neither a module nor a package in {within} ({located} mentions "
                                  f"the name, but a generated module holds no `{parts[index + 1]}`)")  # fmt: skip
                return None, f"`{part}` is the module {located}, not a package holding `{parts[index + 1]}`"
            directory, found = located.rstrip("/"), located
        if parts or name in (None, "*"):
            return found, ""
        assert name is not None
        submodule = self._find(directory, name, stubs) or self._built_here(directory, name)
        if submodule is not None:
            return submodule, ""
        # A type checker reads the stub when there is one, else the module; at run time only the module counts,
        # but a name its stub declares is given the benefit of the doubt.
        candidates = ("__init__.pyi", "__init__.py") if stubs else ("__init__.py", "__init__.pyi")
        init, data = posixpath.join(directory, candidates[0]), None
        for candidate in candidates:
            data = self._snapshot.read(posixpath.join(directory, candidate))
            if data is not None:
                init = posixpath.join(directory, candidate)
                break
        text = (data or b"").decode("utf-8", "replace")
        code = self._defining_code(init, text)
        if re.search(rf"\b{re.escape(name)}\b|\b__getattr__\b|\bimport\s+\*|\bimport\s*\(\s*\*", code) or any(
            self._find(directory, submodule, stubs) for submodule in _aliased_submodules(text, name)
        ):
            return init, ""
        within = directory or "the repository root"
        defined = f", and {init} does not define it" if text else " (it has no __init__.py defining names)"
        return None, f"`{name}` is neither a module nor a package in {within}{defined}"

    def _defining_code(self, init: str, text: str) -> str:
        """The code of a package's ``__init__`` that may define names: comments and its own ``from . import``
        lines removed (they define nothing when there is no such submodule); read once per file."""
        if init not in self._init_code:
            self._init_code[init] = re.sub(r"#[^\n]*|^[ \t]*from[ \t]+\.[ \t]+import\b[^\n]*", "", text,
                                           flags=re.MULTILINE)  # fmt: skip
        return self._init_code[init]

    def _built_here(self, directory: str, name: str) -> str | None:
        """Where a build makes module ``name`` of ``directory``, when the snapshot shows one does.

        An extension's source beside it (``_speedups.c``, ``_native.rs``), or the name in a
        build or ignore file of the directory or one above it (a generated ``_version.py``
        listed in .gitignore or in ``[tool.setuptools_scm]``): such modules are real without
        being committed.
        """
        for entry, kind in self._snapshot.list_dir(directory).items():
            if kind is EntryKind.FILE and entry.split(".", 1)[0] == name and "." in entry:
                return posixpath.join(directory, entry)
        word = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])".encode())
        for parent in [directory, *_ancestors(posixpath.dirname(directory))] if directory else [""]:
            for build_file in _BUILD_FILES:
                path = posixpath.join(parent, build_file)
                if build_file not in self._snapshot.list_dir(parent):
                    continue
                if path not in self._build_files:
                    self._build_files[path] = self._snapshot.read(path)
                content = self._build_files[path]
                if content is not None and word.search(content):
                    return path
        return None

    def _runs_as_script(self, path: str) -> bool:
        """Whether ``path`` is meant to be run directly: a ``__main__`` guard or a shebang."""
        content = self._snapshot.read(path) or b""
        return content.startswith(b"#!") or b"__main__" in content

    def src_is_root(self, prefix: str) -> bool:
        """Whether ``src/`` of the project at ``prefix`` holds top-level modules (:func:`src_is_root`)."""
        return src_is_root(self._snapshot, prefix)

    def locate_member(self, top_level: str, *, stubs: bool = False, imported: str | None = None) -> str | None:
        """Where a monorepo member defines ``top_level``, or None."""
        return self._locate_in(iter(self._members), top_level, stubs, imported or top_level)

    def _locate_in(self, layouts: Iterator[Layout], top_level: str, stubs: bool, imported: str) -> str | None:
        for layout in layouts:
            named = layout.names.get(top_level)
            if named is not None and (top_level in layout.built or self._importable(named, top_level, stubs)):
                if top_level in layout.version_modules and imported.partition(".")[2] not in _VERSION_NAMES:
                    continue  # `from _version import secure_hash`: a version file holds only its version
                return named
            for root in layout.roots:
                found = self._find(root, top_level, stubs)
                if found is not None and (not self.is_namespace(found, stubs) or self._reaches(found, imported, stubs)):
                    return found
        return None

    def is_namespace(self, location: str, stubs: bool = False) -> bool:
        """Whether ``location`` (from :meth:`locate`) is a directory without ``__init__.py``: a PEP 420 namespace
        portion, which an installed regular package of the same name takes precedence over."""
        if not location.endswith("/"):
            return False
        entries = self._snapshot.list_dir(resolve_link(self._snapshot, location.rstrip("/")) or "")
        return not any(entries.get(init) is EntryKind.FILE
                       for init in (("__init__.py", "__init__.pyi") if stubs else ("__init__.py",)))

    def _reaches(self, namespace: str, imported: str, stubs: bool) -> bool:
        """Whether the dotted path ``imported`` leads from the namespace directory ``namespace`` (its first part)
        to a module or a regular package; the names after that may be anything the module defines."""
        directory = resolve_link(self._snapshot, namespace.rstrip("/"))
        for part in imported.split(".")[1:]:
            if directory is None:
                return False
            found = self._find(directory, part, stubs)
            if found is None:
                return False
            if not self.is_namespace(found, stubs):
                return True  # a module, or a regular package: Python imports it
            directory = resolve_link(self._snapshot, found.rstrip("/"))
        return False

    def _importable(self, path: str, top_level: str, stubs: bool) -> bool:
        """Whether the place a build setting gives for ``top_level`` holds code: the module or package
        itself, or a directory holding it (flit and Poetry name the module, not its file)."""
        path = "" if path == "." else path
        kind = self._kind(path)
        if kind is EntryKind.FILE:
            return path.endswith(SOURCE_SUFFIXES if stubs else _IMPORTABLE_SUFFIXES)
        if kind is EntryKind.DIRECTORY:  # the package itself (`package-dir`), or the directory holding it
            resolved = resolve_link(self._snapshot, path) or ""
            return self._is_package(resolved, 0, stubs) or self._find(resolved, top_level, stubs) is not None
        parent = posixpath.dirname(path)
        return self._find(parent, top_level, stubs) is not None if posixpath.basename(path) == top_level else False

    def _kind(self, path: str) -> EntryKind | None:
        """What ``path`` is, symlinks followed inside the snapshot."""
        resolved = resolve_link(self._snapshot, path)
        if resolved is None:
            return None
        if not resolved:
            return EntryKind.DIRECTORY
        directory, _, name = resolved.rpartition("/")
        return self._snapshot.list_dir(directory).get(name)

    def searched(self, importing_path: str) -> list[str]:
        """The directories :meth:`locate` looks in for ``importing_path``, for explanations."""
        roots = [root or "." for layout in self._layouts(importing_path) for root in layout.roots]
        return list(dict.fromkeys(roots))

    def _layouts(self, importing_path: str) -> Iterator[Layout]:
        yield self._script_layout(importing_path)
        yield self._project
        yield from self._members

    def _script_layout(self, importing_path: str) -> Layout:
        return Layout(roots=self._script_roots(importing_path))

    def _script_roots(self, importing_path: str) -> list[str]:
        """Directories put on ``sys.path`` when ``importing_path`` runs as a script or a pytest test.

        A regular package's directory is never one of them: a sibling of a module
        inside a package is not importable by its bare name (so ``myapp/requests/``
        does not shadow the ``requests`` distribution for ``myapp/api.py``).
        """
        from hallucheck.manifests.roles import is_development_file

        directory = posixpath.dirname(importing_path)
        tests = is_development_file(importing_path)
        key = (directory, tests)
        if key not in self._script_roots_of:
            roots = [self._base_directory(directory)]
            for parent in _ancestors(directory):
                entries = self._snapshot.list_dir(parent)
                if entries.get("conftest.py") is EntryKind.FILE:
                    roots.append(self._base_directory(parent))
                    if tests:
                        roots += self._conftest_paths(f"{parent}/conftest.py" if parent else "conftest.py")
                if tests and parent and entries.get("__init__.py") is EntryKind.FILE:
                    # A test package's __init__.py runs before its tests and may extend sys.path too.
                    roots += self._conftest_paths(f"{parent}/__init__.py")
            if tests:
                roots += self._pythonpath(directory)
            self._script_roots_of[key] = list(dict.fromkeys(roots))
        return self._script_roots_of[key]

    def _own_paths(self, path: str) -> list[str]:
        """Directories the file at ``path`` adds to ``sys.path`` itself, read as a conftest.py's are (any file:
        a script that reaches a sibling directory, a package that vendors one)."""
        return self._conftest_paths(path)

    def _conftest_paths(self, conftest: str) -> list[str]:
        """Directories a ``conftest.py`` puts on ``sys.path`` (first-party for tests only)."""
        if conftest not in self._conftests:
            from hallucheck.resolve.pytest_paths import conftest_paths

            self._conftests[conftest] = conftest_paths(self._snapshot, conftest)
        return self._conftests[conftest]

    def _pythonpath(self, directory: str) -> list[str]:
        """pytest's ``pythonpath`` setting for tests in ``directory`` (first-party for tests only)."""
        if directory not in self._pythonpaths:
            from hallucheck.resolve.pytest_paths import pythonpath

            self._pythonpaths[directory] = pythonpath(self._snapshot, directory, self._pytest_paths)
        return self._pythonpaths[directory]

    def _base_directory(self, directory: str) -> str:
        """The first directory at or above ``directory`` that is not a regular package (pytest's rootdir rule)."""
        while directory and "__init__.py" in self._snapshot.list_dir(directory):
            directory = posixpath.dirname(directory)
        return directory

    @cached_property
    def _project(self) -> Layout:
        return read_layout(self._snapshot, "")

    @cached_property
    def _members(self) -> list[Layout]:
        return [read_layout(self._snapshot, member) for member in find_members(self._snapshot, self._project)]

    def _find(self, root: str, top_level: str, stubs: bool = False) -> str | None:
        """Where module or package ``top_level`` of directory ``root`` is; None when there is none. Remembered:
        a tree's relative imports ask about the same names in each directory (the snapshot never changes)."""
        key = (root, top_level, stubs)
        if key not in self._found:
            self._found[key] = self._find_in(root, top_level, stubs)
        return self._found[key]

    def _find_in(self, root: str, top_level: str, stubs: bool) -> str | None:
        entries = self._snapshot.list_dir(root)
        for suffix in SOURCE_SUFFIXES if stubs else _IMPORTABLE_SUFFIXES:
            kind = entries.get(top_level + suffix)
            if kind is None:
                continue
            path = posixpath.join(root, top_level + suffix)
            if kind is EntryKind.FILE or (kind is EntryKind.SYMLINK and self._kind(path) is EntryKind.FILE):
                return path
        kind = entries.get(top_level)
        path = posixpath.join(root, top_level)
        if kind is EntryKind.SYMLINK and self._kind(path) is EntryKind.DIRECTORY:
            kind, path = EntryKind.DIRECTORY, resolve_link(self._snapshot, path) or ""
        if kind is EntryKind.DIRECTORY and self._is_package(path, 0, stubs):
            return posixpath.join(root, top_level) + "/"
        extension = self._extension_modules(root).get(top_level)
        return posixpath.join(root, extension) if extension else None

    def _extension_modules(self, root: str) -> dict[str, str]:
        """Compiled modules (``name.cpython-311-x86_64-linux-gnu.so``) directly in ``root``, by module name."""
        if root not in self._extensions:
            self._extensions[root] = {
                name.split(".")[0]: name
                for name, entry in self._snapshot.list_dir(root).items()
                if entry is EntryKind.FILE and name.endswith(_EXTENSION_SUFFIXES)
            }
        return self._extensions[root]

    def _is_package(self, directory: str, depth: int, stubs: bool = False) -> bool:
        """Importable: it holds Python files, or (PEP 420) a subdirectory that does, a few levels down.

        Stubs count only for a type checker (``stubs``): a directory of ``.pyi`` files imports nothing.
        """
        key = (directory, stubs)
        known = self._packages.get(key)
        if known is not None:
            return known
        suffixes = SOURCE_SUFFIXES if stubs else _IMPORTABLE_SUFFIXES
        entries = self._snapshot.list_dir(directory)
        result = any(kind is EntryKind.FILE and name.endswith(suffixes) for name, kind in entries.items())
        if not result and depth < _PACKAGE_DEPTH:
            result = any(
                kind is EntryKind.DIRECTORY and name.isidentifier()
                and self._is_package(posixpath.join(directory, name), depth + 1, stubs)
                for name, kind in entries.items()
            )  # fmt: skip
        self._packages[key] = result
        return result


def _aliased_submodules(init: str, alias: str) -> list[str]:
    """The names an ``__init__.py`` imports from its own package as ``alias`` (``from . import mapper as
    mapperlib``): the package defines ``alias`` when one of them is its submodule."""
    pattern = rf"\b(\w+)[ \t]+as[ \t]+{re.escape(alias)}\b"
    return [
        found for line in re.findall(r"^[ \t]*from[ \t]+\.[ \t]+import\b([^\n#]*)", init, flags=re.MULTILINE)
        for found in re.findall(pattern, line)
    ]  # fmt: skip


def _ancestors(directory: str) -> list[str]:
    """``directory`` and the directories above it, nearest first, ending with the root ``""``."""
    found = []
    while directory:
        found.append(directory)
        directory = posixpath.dirname(directory)
    found.append("")
    return found


def _join(prefix: str, path: str) -> str | None:
    """``path`` (relative to the project at ``prefix``) relative to the repository root; None outside it."""
    joined = posixpath.normpath(posixpath.join(prefix, path.strip().strip("/") or "."))
    if joined == ".":
        return ""
    if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
        return None
    return joined


def read_layout(snapshot: Snapshot, prefix: str) -> Layout:
    """The layout of the project whose manifests are in directory ``prefix`` (``""``: the repository root)."""
    src = _join(prefix, "src") or ""
    layout = Layout(roots=[prefix, src] if src_is_root(snapshot, prefix) else [prefix])
    document = read_toml(snapshot, posixpath.join(prefix, "pyproject.toml"))
    if document:
        _setuptools(document, prefix, layout)
        _poetry(document, prefix, layout)
        _hatch(document, prefix, layout)
        _other_backends(document, prefix, layout)
        _generated_modules(document, prefix, layout)
        _workspace(document, prefix, layout)
    _setup_cfg(snapshot, prefix, layout)
    if _runs_setup_py(document):
        _setup_py_extensions(snapshot, prefix, layout)
    if document:
        _meson_extensions(snapshot, document, prefix, layout)
    layout.roots = list(dict.fromkeys(layout.roots))
    return layout


_NOT_PROJECT_PACKAGES = frozenset({"tests", "test", "testing", "docs", "doc", "examples", "example", "scripts",
                                   "benchmarks", "bench", "tools", "ci", "src"})
"""Packages at a project's top that are not the project's own code (a test package beside a src/ layout)."""


def src_is_root(snapshot: Snapshot, prefix: str) -> bool:
    """Whether ``src/`` of the project at ``prefix`` holds top-level modules: unless the project is flat.

    A flat project keeps its own regular package at its top (``myapp/__init__.py``) and nothing package-like
    under ``src/``: there a lone ``src/fakepkg_zz.py`` is importable by nobody (build settings that name
    ``src`` add it back). Otherwise ``src/`` is where a src layout keeps its code.
    """
    src = _join(prefix, "src")
    if src is None or snapshot.list_dir(prefix).get("src") is not EntryKind.DIRECTORY:
        return True  # nothing there to find (a symlink is followed by the lookups as before)
    flat = any(
        kind is EntryKind.DIRECTORY and name.isidentifier() and name not in _NOT_PROJECT_PACKAGES
        and snapshot.list_dir(posixpath.join(prefix, name)).get("__init__.py") is EntryKind.FILE
        for name, kind in snapshot.list_dir(prefix).items()
    )  # fmt: skip
    if not flat:
        return True
    return any(
        kind is EntryKind.DIRECTORY and name.isidentifier() and _holds_python(snapshot, posixpath.join(src, name), 0)
        for name, kind in snapshot.list_dir(src).items()
    )  # fmt: skip


def _holds_python(snapshot: Snapshot, directory: str, depth: int) -> bool:
    entries = snapshot.list_dir(directory)
    if any(kind is EntryKind.FILE and name.endswith(_IMPORTABLE_SUFFIXES) for name, kind in entries.items()):
        return True
    return depth < _PACKAGE_DEPTH and any(
        kind is EntryKind.DIRECTORY and name.isidentifier() and _holds_python(snapshot, posixpath.join(directory, name),
                                                                             depth + 1)
        for name, kind in entries.items()
    )  # fmt: skip


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _add_root(layout: Layout, prefix: str, path: str) -> None:
    joined = _join(prefix, path)
    if joined is not None:
        layout.roots.append(joined)


def _add_name(layout: Layout, prefix: str, dotted: str, path: str) -> None:
    """Place top-level ``dotted``'s first part at ``path`` (relative to the project)."""
    top = dotted.replace("/", ".").split(".")[0]
    joined = _join(prefix, path)
    if top.isidentifier() and joined is not None:
        layout.names.setdefault(top, joined or ".")


def _setuptools(document: dict[str, Any], prefix: str, layout: Layout) -> None:
    settings = table(document, "tool", "setuptools")
    package_dir = settings.get("package-dir")
    directories = {str(k): str(v) for k, v in package_dir.items()} if isinstance(package_dir, dict) else {}
    if "" in directories:
        _add_root(layout, prefix, directories[""])
    for name, directory in directories.items():
        if name and "." not in name:
            _add_name(layout, prefix, name, directory)
    packages = settings.get("packages")
    if isinstance(packages, list):
        base = directories.get("", "")
        for name in _strings(packages):
            top = name.split(".")[0]
            if top not in directories:
                _add_name(layout, prefix, top, posixpath.join(base, top))
    for kind in ("find", "find-namespace"):
        for where in _strings(table(settings, "packages", kind).get("where")):
            _add_root(layout, prefix, where)
    for module in _strings(settings.get("py-modules")):
        _add_name(layout, prefix, module, directories.get("", "") + "/" + module + ".py")


def _poetry(document: dict[str, Any], prefix: str, layout: Layout) -> None:
    poetry = table(document, "tool", "poetry")
    packages = poetry.get("packages")
    for entry in packages if isinstance(packages, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("include"), str):
            continue
        source = str(entry.get("from", ""))
        include = entry["include"].removesuffix(".py")
        _add_root(layout, prefix, source)
        if not any(char in include for char in "*?["):
            _add_name(layout, prefix, include, posixpath.join(source, include.split("/")[0]))
    for group in _poetry_dependency_tables(poetry):
        for spec in group.values():
            if isinstance(spec, dict) and isinstance(spec.get("path"), str):
                member = _join(prefix, spec["path"])
                if member is not None:
                    layout.members.append(member)


def _poetry_dependency_tables(poetry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield table(poetry, "dependencies")
    yield table(poetry, "dev-dependencies")
    for group in table(poetry, "group").values():
        yield table(group, "dependencies") if isinstance(group, dict) else {}


def _hatch(document: dict[str, Any], prefix: str, layout: Layout) -> None:
    build = table(document, "tool", "hatch", "build")
    for settings in (build, table(build, "targets", "wheel")):
        for path in _strings(settings.get("packages")) + _strings(settings.get("only-include")):
            path = path.strip("/")
            if path.endswith(".py") or "." not in posixpath.basename(path):
                _add_name(layout, prefix, posixpath.basename(path).removesuffix(".py"), path)
        sources = settings.get("sources")
        for source in sources if isinstance(sources, list | dict) else []:
            if isinstance(source, str):
                _add_root(layout, prefix, source)


def _other_backends(document: dict[str, Any], prefix: str, layout: Layout) -> None:
    """flit, PDM, maturin and scikit-build-core settings that name modules or source directories."""
    flit = table(document, "tool", "flit", "module").get("name")
    if isinstance(flit, str):
        _add_name(layout, prefix, flit, flit)
    for directory in _strings(table(document, "tool", "pdm", "build").get("package-dir")):
        _add_root(layout, prefix, directory)
    maturin = table(document, "tool", "maturin")
    if maturin:
        _add_root(layout, prefix, str(maturin.get("python-source", "")))
        project_name = table(document, "project").get("name")
        module = maturin.get("module-name") or (project_name.replace("-", "_") if isinstance(project_name, str) else "")
        if isinstance(module, str) and module:
            top = module.split(".")[0]  # its Python part, if any, is the package `top` inside python-source
            _add_name(layout, prefix, module, posixpath.join(str(maturin.get("python-source", "")), top))
            backend = table(document, "build-system").get("build-backend")
            if isinstance(backend, str) and backend.partition(".")[0] == "maturin":
                layout.built.add(module.split(".")[0])  # the Rust extension exists only once built (attack D1)
    for path in _strings(table(document, "tool", "scikit-build", "wheel").get("packages")):
        _add_name(layout, prefix, posixpath.basename(path.strip("/")), path)


_VERSION_WRITERS = frozenset({"setuptools-scm", "hatch-vcs"})
"""Build requirements that write the version file the settings below name."""
_VERSION_NAMES = frozenset({"", "__version__", "version", "__version_tuple__", "version_tuple", "__commit_id__",
                            "commit_id", "VERSION"})  # fmt: skip
"""What a top-level version file defines (setuptools-scm's templates, which hatch-vcs uses; "" is the module)."""


def _generated_modules(document: dict[str, Any], prefix: str, layout: Layout) -> None:
    """Version modules that a build hook writes and git never holds (hatch-vcs, setuptools-scm).

    Only when the project builds with the hook that writes them (``build-system.requires``): a tool table alone
    writes nothing, and would otherwise make any import of the name first-party (attack D1)."""
    requires = {_requirement_name(item) for item in _strings(table(document, "build-system").get("requires"))}
    if not requires & _VERSION_WRITERS:
        return
    paths = _strings(table(document, "tool", "hatch", "build", "hooks", "vcs").get("version-file"))
    scm = table(document, "tool", "setuptools_scm")
    paths += _strings(scm.get("version_file")) + _strings(scm.get("write_to"))
    for path in paths:
        joined = _join(prefix, path)
        if joined is None or not joined.endswith(".py"):
            continue
        for root in sorted(layout.roots, key=len, reverse=True):
            if not root or joined.startswith(root + "/"):
                inside = joined[len(root) :].lstrip("/")
                top = inside.removesuffix(".py")
                # Only a top-level version file makes a name: `pkg/_version.py` is a module of `pkg`, which is
                # first-party only when git holds it (the file alone is no package: attack E1).
                if "/" not in inside and top.isidentifier():
                    layout.names.setdefault(top, joined)
                    layout.built.add(top)
                    layout.version_modules.add(top)
                break


def _requirement_name(requirement: str) -> str:
    """The normalised distribution name at the start of a requirement string (``setuptools_scm[toml]>=8``)."""
    end = 0
    while end < len(requirement) and (requirement[end].isalnum() or requirement[end] in "-_."):
        end += 1
    return requirement[:end].lower().replace("_", "-").replace(".", "-")


def _workspace(document: dict[str, Any], prefix: str, layout: Layout) -> None:
    """uv workspace members and path sources (globs are expanded by :func:`find_members`)."""
    layout.members += [
        member for pattern in _strings(table(document, "tool", "uv", "workspace").get("members"))
        if (member := _join(prefix, pattern)) is not None
    ]  # fmt: skip
    for source in table(document, "tool", "uv", "sources").values():
        if isinstance(source, dict) and isinstance(source.get("path"), str):
            member = _join(prefix, source["path"])
            if member is not None:
                layout.members.append(member)


def _setup_cfg(snapshot: Snapshot, prefix: str, layout: Layout) -> None:
    data = snapshot.read(posixpath.join(prefix, "setup.cfg"))
    if data is None:
        return
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(data.decode("utf-8", "replace"))
    except configparser.Error:
        return
    options = parser["options"] if parser.has_section("options") else {}
    for line in options.get("package_dir", "").splitlines():
        name, sep, directory = line.partition("=")
        if sep and not name.strip():
            _add_root(layout, prefix, directory)
        elif sep:
            _add_name(layout, prefix, name.strip(), directory)
    for key in ("packages", "py_modules"):
        for name in options.get(key, "").replace(",", "\n").split():
            if not name.startswith(("find:", "find_namespace:")):
                _add_name(layout, prefix, name, name.split(".")[0] + (".py" if key == "py_modules" else ""))
    if parser.has_section("options.packages.find"):
        _add_root(layout, prefix, parser["options.packages.find"].get("where", ""))


_COMPILED_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".c++", ".m", ".mm", ".f", ".f90", ".cu", ".pyx", ".py", ".rs",
                      "Cargo.toml")  # fmt: skip
"""What an extension is built from: C, C++, Objective-C, Fortran, CUDA, Cython (and pure-Python mode), Rust."""


def _runs_setup_py(document: dict[str, Any] | None) -> bool:
    """Whether building the project runs its ``setup.py``: setuptools' backend, or no backend named (pip then
    uses setuptools' legacy one). hatchling, flit, poetry-core, pdm and the like never run it (attack F10)."""
    backend = table(document or {}, "build-system").get("build-backend")
    return backend is None or (isinstance(backend, str) and backend.partition(":")[0].startswith("setuptools"))


def _setup_py_extensions(snapshot: Snapshot, prefix: str, layout: Layout) -> None:
    """Top-level modules the project's ``setup.py`` builds (``ext_modules``, attack D6: cffi's
    ``Extension("_cffi_backend", ["src/c/_cffi_backend.c"])``): first-party once built, though git holds no
    ``.py`` of them. Only literal settings count, and only an extension one of whose sources the snapshot holds
    with something in it (a name alone in ``setup.py``, or an empty ``.c``, builds nothing: attack F10); a dotted
    name is a module of its package, found there."""
    data = snapshot.read(posixpath.join(prefix, "setup.py"))
    if data is None or b"ext_modules" not in data:
        return
    from hallucheck.manifests.setuppy import built_modules

    for module in built_modules(data.decode("utf-8", "replace")):
        if module.name is None:
            for pattern in module.sources:
                _cython_modules(snapshot, prefix, pattern, layout)
            continue
        if not module.name.isidentifier():
            continue
        source = next((joined for path in module.sources
                       if path.endswith(_COMPILED_SUFFIXES) and (joined := _join(prefix, path))
                       and _is_file(snapshot, joined)
                       and _holds_code(snapshot.read(joined) or b"", path)), None)  # fmt: skip
        if source is not None:
            layout.names.setdefault(module.name, source)
            layout.built.add(module.name)


def _holds_code(data: bytes, path: str) -> bool:
    """Whether a compiled module's source holds anything but comments and blanks (a comment-only ``.c`` builds
    nothing to import: attack G16)."""
    import re

    text = data.decode("utf-8", "replace")
    if path.endswith((".pyx", ".py", ".pxi", ".pxd")):
        text = re.sub(r"#[^\n]*", "", text)
    else:
        text = re.sub(r"/\*.*?(?:\*/|\Z)|//[^\n]*", "", text, flags=re.DOTALL)
    return bool(text.strip())


def _cython_modules(snapshot: Snapshot, prefix: str, pattern: str, layout: Layout) -> None:
    """The top-level modules of the Cython sources ``cythonize(pattern)`` compiles: a ``.pyx`` (or ``.py``) in a
    directory that is not a package is a top-level module of its name (one inside a package is that package's)."""
    import fnmatch

    joined = _join(prefix, pattern)
    if joined is None:
        return
    directory, _, name = joined.rpartition("/")
    if any(char in directory for char in "*?[") or snapshot.list_dir(directory).get("__init__.py") is EntryKind.FILE:
        return
    for entry, kind in snapshot.list_dir(directory).items():
        stem, dot, suffix = entry.partition(".")
        if kind is EntryKind.FILE and dot and suffix in ("pyx", "py") and stem.isidentifier() and (
                fnmatch.fnmatchcase(entry, name)):
            layout.names.setdefault(stem, posixpath.join(directory, entry))


_MESON_EXTENSION = LazyPattern(r"\.extension_module\(\s*'([A-Za-z_]\w*)'([^()]*(?:\([^()]*\)[^()]*)*)\)")


def _meson_extensions(snapshot: Snapshot, document: dict[str, Any], prefix: str, layout: Layout) -> None:
    """Top-level extension modules a meson-python project's ``meson.build`` installs: ``py.extension_module(
    'name', 'src/name.c', install: true)`` with a literal name, no ``subdir:`` (that places it in a package) and
    a source the snapshot holds."""
    backend = table(document, "build-system").get("build-backend")
    if backend != "mesonpy":
        return
    data = snapshot.read(posixpath.join(prefix, "meson.build"))
    if data is None:
        return
    for match in _MESON_EXTENSION.finditer(data.decode("utf-8", "replace")):
        arguments = match.group(2)
        if "subdir" in arguments or not re.search(r"\binstall\s*:\s*true\b", arguments):
            continue
        sources = re.findall(r"'([^']+)'", arguments)
        source = next((joined for path in sources if path.endswith(_COMPILED_SUFFIXES)
                       and (joined := _join(prefix, path)) and _is_file(snapshot, joined)), None)  # fmt: skip
        if source is not None:
            layout.names.setdefault(match.group(1), source)
            layout.built.add(match.group(1))


def _is_file(snapshot: Snapshot, path: str) -> bool:
    directory, _, name = path.rpartition("/")
    return snapshot.list_dir(directory).get(name) is EntryKind.FILE


def find_members(snapshot: Snapshot, project: Layout) -> list[str]:
    """Directories of the monorepo members: named by the root project, or holding a manifest of their own.

    A member is looked for in each top-level directory and one level inside the
    conventional containers (``packages/``, ``libs/``, ...), by reading its manifest
    names; nothing deeper is listed.
    """
    candidates: list[str] = []
    for pattern in project.members:
        candidates += _expand(snapshot, pattern)
    for name, kind in sorted(snapshot.list_dir("").items()):
        if kind is not EntryKind.DIRECTORY or name.startswith((".", "_")) or name in _NOT_MEMBERS:
            continue
        candidates.append(name)
        if name in _MEMBER_CONTAINERS:
            candidates += [f"{name}/{child}" for child, entry in sorted(snapshot.list_dir(name).items())
                           if entry is EntryKind.DIRECTORY]  # fmt: skip
    named = set(project.members)
    return [
        member for member in dict.fromkeys(candidates)
        if member and (member in named or declares_a_package(snapshot, member))
    ]  # fmt: skip


_BUILD_TOOLS = frozenset({"setuptools", "poetry", "flit", "pdm", "maturin", "scikit-build", "hatch"})
"""``[tool.X]`` tables of build backends: a package's build settings, not a linter's."""


def declares_a_package(snapshot: Snapshot, directory: str) -> bool:
    """Whether a manifest in ``directory`` builds a package: a ``setup.py``, a ``pyproject.toml`` with
    ``[project]``, ``[build-system]`` or a build backend's settings, a ``setup.cfg`` with ``[metadata]`` or
    ``[options]``. A ``pyproject.toml`` or ``setup.cfg`` that only configures tools (ruff, pytest, flake8)
    declares none."""
    if snapshot.read(posixpath.join(directory, "setup.py")) is not None:
        return True
    document = read_toml(snapshot, posixpath.join(directory, "pyproject.toml"))
    if "project" in document or "build-system" in document or _BUILD_TOOLS & table(document, "tool").keys():
        return True
    data = snapshot.read(posixpath.join(directory, "setup.cfg"))
    if data is None:
        return False
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(data.decode("utf-8", "replace"))
    except configparser.Error:
        return True  # unreadable: the manifest reader reports it; not a reason to hide the member
    return parser.has_section("metadata") or parser.has_section("options")


def _expand(snapshot: Snapshot, pattern: str) -> list[str]:
    """A member path whose last part may be a glob (``packages/*``)."""
    import fnmatch

    parent, last = posixpath.split(pattern)
    if not any(char in last for char in "*?["):
        return [pattern]
    return [
        posixpath.join(parent, name) for name, kind in sorted(snapshot.list_dir(parent).items())
        if kind is EntryKind.DIRECTORY and fnmatch.fnmatchcase(name, last)
    ]  # fmt: skip
