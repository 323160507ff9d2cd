"""The project's installed environment, read as metadata files: never imported, never executed.

This is an edge (it reads the disk), and the one place hallucheck looks outside
git: a virtual environment's ``*.dist-info`` directories say which distribution
installed which modules. Under pre-commit the hook runs in its own virtualenv,
so the project's environment is looked for explicitly (``--python``,
``$VIRTUAL_ENV`` unless it is the hook's own, ``.venv/``, ``venv/``). Nothing
is scanned until an import cannot be resolved otherwise.

What is read, per distribution: ``METADATA`` headers (``Name``, ``Version`` and
the PEP 794 ``Import-Name``/``Import-Namespace``), ``top_level.txt``, ``RECORD``
(every installed path, hence every module), and for editable installs the
``.pth`` files ``RECORD`` lists: a plain path (hatchling, setuptools "lenient"
mode) is listed as a directory; an ``import`` line names a finder module whose
``MAPPING`` literal (setuptools) or ``map_module(...)`` calls (the ``editables``
library) are read as text.
"""

from __future__ import annotations

import ast
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

from hallucheck.lazy import LazyPattern, record
from hallucheck.resolve import mapping
from hallucheck.resolve.disk import MEBIBYTE, read_text_file

_VENV_DIRECTORIES = (".venv", "venv")
_SITE_PATTERNS = (
    "lib/python3*/site-packages", "lib64/python3*/site-packages", "lib/pypy3*/site-packages", "Lib/site-packages",
    "lib/python3*/dist-packages", "lib/python3/dist-packages", "local/lib/python3*/dist-packages",
)  # fmt: skip
_MODULE_SUFFIXES = (".py", ".pyi", ".so", ".pyd")
_FINDER_MAPPING = LazyPattern(r"^MAPPING\s*(?::[^=\n]*)?=\s*(\{.*?\})\s*$", re.MULTILINE | re.DOTALL)
_FINDER_NAMESPACES = LazyPattern(r"^NAMESPACES\s*(?::[^=\n]*)?=\s*(\{.*?\})\s*$", re.MULTILINE | re.DOTALL)
_MAP_MODULE = LazyPattern(r"""map_module\(\s*['"]([\w.]+)['"]""")
_PTH_IMPORT = LazyPattern(r"^import\s+([\w.]+)")
_MAX_METADATA_FILE = 64 * MEBIBYTE
"""A RECORD, METADATA, ``.pth`` or finder module larger than this is treated as absent (the largest real
RECORDs are a few MiB)."""
VIRTUAL_SUBMODULES = frozenset({"six.moves"})
"""Submodules that packages create at import time, so no installed file backs them."""


class EnvironmentNotFoundError(ValueError):
    """``--python`` names something that holds no site-packages directory."""


@record(frozen=True)
class InstalledDistribution:
    name: str
    """PEP 503 normalised."""
    version: str
    metadata: Path
    """The ``*.dist-info`` (or ``*.egg-info``) directory."""
    import_names: frozenset[str]
    """Top-level import names."""
    namespaces: frozenset[str]
    """Import names it shares with other distributions (PEP 794 ``Import-Namespace``)."""
    modules: frozenset[str] | None
    """Every dotted module, package and directory path it installs; None when unknown (no RECORD, editable)."""
    module_files: frozenset[str]
    """The dotted paths that are modules or regular packages (a ``.py``/extension file or ``__init__.py``)."""
    editable: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}" + (" (editable)" if self.editable else "")


class Environment:
    """The distributions installed in one environment, scanned on first use."""

    def __init__(self, site_packages: Iterable[Path], origin: str) -> None:
        self.site_packages = tuple(site_packages)
        self.origin = origin
        """How it was found, for messages: ``.venv``, ``$VIRTUAL_ENV``, ``--python PATH``."""

    @classmethod
    def at_prefix(cls, prefix: Path, origin: str) -> Environment:
        """The environment installed under ``prefix`` (a venv directory or an installation prefix)."""
        found = [path for pattern in _SITE_PATTERNS for path in sorted(prefix.glob(pattern)) if path.is_dir()]
        if not found:
            raise EnvironmentNotFoundError(f"{origin}: no site-packages directory under {prefix}")
        return cls(found, origin)

    @cached_property
    def distributions(self) -> tuple[InstalledDistribution, ...]:
        found: dict[str, InstalledDistribution] = {}
        for site in self.site_packages:
            for distribution in _read_site(site):
                found.setdefault(distribution.name, distribution)  # the first site-packages wins, like sys.path
        return tuple(found.values())

    @cached_property
    def _claims(self) -> dict[str, list[InstalledDistribution]]:
        """Dotted path -> the distributions that install something at or under it."""
        claims: dict[str, list[InstalledDistribution]] = {}
        for distribution in self.distributions:
            for path in _claimed_paths(distribution):
                claims.setdefault(path, []).append(distribution)
        return claims

    def providers(self, module: str) -> tuple[InstalledDistribution, ...]:
        """The distributions that install ``module`` (or the package it lives in); empty when none proves it.

        A namespace never proves a distribution: a top-level namespace root, a path
        a distribution declares as ``Import-Namespace``, or a path that several
        distributions share without each shipping it as a module of its own.
        """
        proven = self._longest_claim(module)
        return proven[1] if proven else ()

    def _longest_claim(self, module: str) -> tuple[str, tuple[InstalledDistribution, ...]] | None:
        parts = module.split(".")
        for end in range(len(parts), 0, -1):
            path = ".".join(parts[:end])
            claimants = self._claims.get(path)
            if not claimants:
                continue
            if self._is_namespace(path, claimants):
                return None
            return path, tuple(claimants)
        return None

    def _is_namespace(self, path: str, claimants: list[InstalledDistribution]) -> bool:
        if any(path in distribution.namespaces for distribution in claimants):
            return True
        if len(claimants) == 1:
            return "." not in path and mapping.is_namespace_root(path)
        return mapping.is_namespace_root(path.split(".")[0]) or not all(
            path in distribution.module_files or distribution.modules is None for distribution in claimants
        )

    def missing_submodule(self, module: str) -> tuple[InstalledDistribution, str] | None:
        """When the distribution installing ``module``'s package has no file for ``module``: it and the missing path.

        Only distributions with a complete file list (``RECORD``) can prove a path
        absent; editable installs and virtual submodules (``six.moves``) never do.
        """
        proven = self._longest_claim(module)
        if proven is None or proven[0] == module:
            return None
        path, claimants = proven
        missing = ".".join(module.split(".")[: path.count(".") + 2])
        if any(distribution.modules is None for distribution in claimants):
            return None
        if any(missing == virtual or missing.startswith(virtual + ".") for virtual in VIRTUAL_SUBMODULES):
            return None
        return claimants[0], missing


def find_environment(repo_root: Path, python: str | None, environ: Mapping[str, str]) -> Environment | None:
    """The project's environment: ``--python`` first, then ``$VIRTUAL_ENV`` (unless it is the hook's own), then
    ``.venv/`` or ``venv/`` at the repository root. None when there is none.

    Raises :class:`EnvironmentNotFoundError` when ``--python`` names no environment.
    """
    if python:
        return Environment.at_prefix(_prefix_of(Path(python)), f"--python {python}")
    active = environ.get("VIRTUAL_ENV")
    if active and not is_hook_environment(Path(active), environ):
        try:
            return Environment.at_prefix(Path(active), f"$VIRTUAL_ENV ({active})")
        except EnvironmentNotFoundError:
            pass  # a stale variable; fall back to the repository's own venv
    for name in _VENV_DIRECTORIES:
        candidate = repo_root / name
        if (candidate / "pyvenv.cfg").is_file():
            try:
                return Environment.at_prefix(candidate, name)
            except EnvironmentNotFoundError:
                continue
    return None


def is_hook_environment(path: Path, environ: Mapping[str, str]) -> bool:
    """Whether ``path`` is pre-commit's environment for a hook (pre-commit sets ``$VIRTUAL_ENV`` to it).

    Such a venv holds hallucheck and its own dependencies, nothing of the project:
    it lives in pre-commit's cache (``py_env-*`` directories), and when hallucheck
    runs under pre-commit (``$PRE_COMMIT``) it is the interpreter's own prefix.
    """
    resolved = _resolved(path)
    if any(part.startswith("py_env-") for part in resolved.parts):
        return True
    cache = environ.get("PRE_COMMIT_HOME") or os.path.join(
        environ.get("XDG_CACHE_HOME") or os.path.join(environ.get("HOME", "~"), ".cache"), "pre-commit"
    )
    if resolved.is_relative_to(_resolved(Path(cache).expanduser())):
        return True
    return bool(environ.get("PRE_COMMIT")) and resolved == _resolved(Path(sys.prefix))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _prefix_of(python: Path) -> Path:
    """The installation prefix of an interpreter path (``.venv/bin/python`` -> ``.venv``), without running it.

    Symlinks are not followed: a venv's ``bin/python`` links to the base interpreter.
    """
    if python.is_dir():
        return python
    if not python.exists():
        raise EnvironmentNotFoundError(f"--python {python}: no such file or directory")
    parent = python.absolute().parent
    return parent.parent if parent.name in ("bin", "Scripts") else parent


def _read_site(site: Path) -> Iterator[InstalledDistribution]:
    try:
        entries = sorted(os.scandir(site), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith((".dist-info", ".egg-info")) and entry.is_dir():
            distribution = _read_distribution(site, Path(entry.path))
            if distribution is not None:
                yield distribution


def _read_distribution(site: Path, metadata: Path) -> InstalledDistribution | None:
    headers = _headers(
        _read_text(metadata / ("METADATA" if metadata.suffix == ".dist-info" else "PKG-INFO"), prefix=True)
    )
    name = (headers.get("name") or [""])[0] or metadata.name.split("-")[0]
    if not name:
        return None
    version = (headers.get("version") or [""])[0] or "unknown"
    import_names = {value.split(";")[0].strip() for value in headers.get("import-name", ())}
    namespaces = {value.split(";")[0].strip() for value in headers.get("import-namespace", ())}
    top_level = _read_text(metadata / "top_level.txt")
    import_names |= {line.strip().replace("/", ".") for line in top_level.splitlines() if line.strip()}
    record = _read_text(metadata / "RECORD") if metadata.suffix == ".dist-info" else ""
    paths = _record_paths(record)
    modules, module_files = _modules_of(paths)
    editable_names, editable_namespaces = _editable_names(site, paths)
    editable = bool(editable_names or editable_namespaces)
    import_names |= {module.split(".")[0] for module in modules} | editable_names
    return InstalledDistribution(
        name=mapping.normalize_distribution(name),
        version=version,
        metadata=metadata,
        import_names=frozenset(name for name in import_names if name),
        namespaces=frozenset(namespaces | editable_namespaces),
        modules=frozenset(modules) if record and not editable else None,
        module_files=frozenset(module_files),
        editable=editable,
    )


def _read_text(path: Path, *, prefix: bool = False) -> str:
    """A metadata file's text; empty when it is absent, not a regular file, or larger than any real one.

    With ``prefix``, only the start of a large file is read (the headers of a
    ``METADATA`` come before its long description).
    """
    return read_text_file(path, _MAX_METADATA_FILE, prefix=prefix) or ""


def _headers(text: str) -> dict[str, list[str]]:
    """The RFC 822 style header block of a METADATA file, keys lowercased (bodies are not read)."""
    headers: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" or ":" not in line:
            continue  # a folded continuation: no header this module reads is folded
        key, _, value = line.partition(":")
        headers.setdefault(key.strip().lower(), []).append(value.strip())
    return headers


def _record_paths(record: str) -> list[str]:
    import csv

    try:
        return [row[0] for row in csv.reader(io.StringIO(record)) if row]
    except csv.Error:
        return []


def _modules_of(paths: Iterable[str]) -> tuple[set[str], set[str]]:
    """Dotted paths of everything installed inside site-packages, and those that are real modules.

    ``pkg/sub/data.json`` installs the directories ``pkg`` and ``pkg.sub``;
    ``pkg/sub.py`` and ``pkg/_ext.cpython-312-x86_64-linux-gnu.so`` are modules.
    """
    modules: set[str] = set()
    module_files: set[str] = set()
    for path in paths:
        parts = path.replace("\\", "/").split("/")
        if parts[0] in ("", "..", ".") or parts[0].endswith((".dist-info", ".data", ".egg-info")):
            continue
        directories, filename = parts[:-1], parts[-1]
        if "__pycache__" in directories or not all(part.isidentifier() for part in directories):
            continue
        for end in range(1, len(directories) + 1):
            modules.add(".".join(directories[:end]))
        stem = filename.split(".")[0]
        if filename.endswith(_MODULE_SUFFIXES) and stem.isidentifier():
            if stem == "__init__":
                if directories:
                    module_files.add(".".join(directories))
            else:
                module = ".".join([*directories, stem])
                modules.add(module)
                module_files.add(module)
    return modules, module_files


def _claimed_paths(distribution: InstalledDistribution) -> set[str]:
    claimed = set(distribution.modules or ())
    claimed |= distribution.import_names | distribution.namespaces
    for name in distribution.import_names | distribution.namespaces:
        parts = name.split(".")
        claimed.update(".".join(parts[:end]) for end in range(1, len(parts)))
    return claimed


def _editable_names(site: Path, paths: Iterable[str]) -> tuple[set[str], set[str]]:
    """Top-level names and namespaces of an editable install, from the ``.pth`` files its RECORD lists."""
    names: set[str] = set()
    namespaces: set[str] = set()
    for path in paths:
        if "/" in path or not path.endswith(".pth"):
            continue
        for line in _read_text(site / path).splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            imported = _PTH_IMPORT.match(line)
            if imported:
                found, shared = _finder_names(_read_text(site / (imported.group(1).replace(".", "/") + ".py")))
                names |= found
                namespaces |= shared
            else:
                names |= _directory_modules(Path(line) if os.path.isabs(line) else site / line)
    return names, namespaces


def _finder_names(source: str) -> tuple[set[str], set[str]]:
    """Names a setuptools ``__editable___*_finder.py`` or an ``editables`` redirector maps, read as text."""
    names = {name.split(".")[0] for name in _MAP_MODULE.findall(source)}
    namespaces: set[str] = set()
    for pattern, into in ((_FINDER_MAPPING, names), (_FINDER_NAMESPACES, namespaces)):
        match = pattern.search(source)
        if not match:
            continue
        try:
            literal = ast.literal_eval(match.group(1))  # a literal only: nothing is executed
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):  # malformed or too deep
            continue
        if isinstance(literal, dict):
            into.update(str(key) for key in literal)
    return names, namespaces


def _directory_modules(directory: Path) -> set[str]:
    """Top-level modules in a directory that an editable ``.pth`` puts on ``sys.path``."""
    names: set[str] = set()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return names
    for entry in entries:
        stem = entry.name.split(".")[0]
        if not stem.isidentifier() or (entry.name.startswith((".", "_")) and stem != "__init__"):
            continue
        if entry.is_dir() and "." not in entry.name:
            names.add(entry.name)
        elif entry.name.endswith(_MODULE_SUFFIXES) and stem not in ("setup", "conftest", "noxfile", "__init__"):
            names.add(stem)
    return names
