"""The standard-library module names of each CPython release from 3.8 to 3.14.

The data ships with the package: ``data/stdlib.tsv`` gives, for every top-level
module name that ``sys.stdlib_module_names`` lists (private ones such as ``_abc``
included), the first and last supported minor version that ships it, and
``data/stdlib_removed.tsv`` gives the release that removed a module and what to use
instead. Both files are read once, on first use; nothing else touches the disk.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from hallucheck.data import read_data
from hallucheck.lazy import record

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

PythonVersion = tuple[int, int]

SUPPORTED_VERSIONS: tuple[PythonVersion, ...] = tuple((3, minor) for minor in range(8, 15))
"""The CPython minor versions the data describes, oldest first."""

_OLDEST = SUPPORTED_VERSIONS[0]
_NEWEST = SUPPORTED_VERSIONS[-1]
_SUPPORTED_BY_TEXT = {f"{major}.{minor}": (major, minor) for major, minor in SUPPORTED_VERSIONS}


@record(frozen=True)
class RemovedModule:
    """A top-level module that an earlier CPython shipped and a later one removed."""

    name: str
    removed_in: PythonVersion
    """The first release that no longer ships the module."""
    replacement: str
    """A short human hint: the modern module to use, or a PyPI backport."""


def stdlib_module_names(target: PythonVersion) -> frozenset[str]:
    """Top-level module names shipped by CPython `target` (clamped into the supported range)."""
    return _names_for(_clamp(target))


def is_stdlib(top_level: str, target: PythonVersion) -> bool:
    """Whether the top-level module name `top_level` is shipped by CPython `target` (clamped)."""
    return top_level in stdlib_module_names(target)


def removed_module(top_level: str, target: PythonVersion) -> RemovedModule | None:
    """The removal record when `top_level` was a stdlib module removed in or before `target`."""
    record = _removed().get(top_level)
    if record is None or record.removed_in > target:
        return None
    return record


def first_version(top_level: str) -> PythonVersion | None:
    """The earliest supported version that ships `top_level` (None when no supported version does)."""
    lifetime = _lifetimes().get(top_level)
    return None if lifetime is None else lifetime[0]


def parse_python_version(text: str) -> PythonVersion:
    """``"3.11"`` -> ``(3, 11)``; a micro part (``"3.11.4"``) is accepted and dropped.

    Raises ValueError for anything else: a bare major, non-ASCII digits, signs, suffixes.
    """
    parts = text.strip().split(".")
    if len(parts) not in (2, 3) or not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError(f"not a Python version such as '3.11': {text!r}")
    return int(parts[0]), int(parts[1])


def lowest_python_version(requires_python: str) -> PythonVersion | None:
    """The lowest supported minor version allowed by a PEP 440 specifier such as ">=3.9,<4".

    A minor version is allowed when any of its releases is (``">=3.9.2"`` allows 3.9).
    None when no supported version matches or the text is not a valid specifier set.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return None
    for version in SUPPORTED_VERSIONS:
        if any(specifiers.contains(candidate) for candidate in _candidate_releases(specifiers, version)):
            return version
    return None


def _candidate_releases(specifiers: SpecifierSet, version: PythonVersion) -> list[str]:
    """Releases of `version` that `specifiers` allows one of exactly when it allows any release of it.

    Within one minor version the allowed releases form intervals bounded by the
    versions the clauses name, so it is enough to try the first release, and each
    micro release of `version` that a clause names together with the one after it.
    """
    from packaging.version import InvalidVersion, Version

    prefix = f"{version[0]}.{version[1]}"
    candidates = [prefix, f"{prefix}.0"]
    for specifier in specifiers:
        try:
            release = Version(specifier.version.removesuffix(".*")).release
        except InvalidVersion:
            continue
        if release[:2] == version:
            micro = release[2] if len(release) > 2 else 0
            candidates += [f"{prefix}.{micro}", f"{prefix}.{micro + 1}"]
    return candidates


def _clamp(target: PythonVersion) -> PythonVersion:
    return min(max(target, _OLDEST), _NEWEST)


@functools.cache
def _names_for(version: PythonVersion) -> frozenset[str]:
    return frozenset(name for name, (first, last) in _lifetimes().items() if first <= version <= last)


@functools.cache
def _lifetimes() -> dict[str, tuple[PythonVersion, PythonVersion]]:
    """Module name -> (first, last) supported version that ships it, from ``stdlib.tsv``."""
    return {name: (_data_version(first), _data_version(last)) for name, first, last in _rows("stdlib.tsv")}


@functools.cache
def _removed() -> dict[str, RemovedModule]:
    """Module name -> its removal record, from ``stdlib_removed.tsv`` and ``python2_modules.tsv``."""
    return {
        name: RemovedModule(name, _data_version(removed_in), replacement)
        for filename in ("python2_modules.tsv", "stdlib_removed.tsv")
        for name, removed_in, replacement in _rows(filename)
    }


def is_python2_module(top_level: str) -> bool:
    """Whether ``top_level`` is a Python 2 standard-library module that Python 3 renamed or removed."""
    record = _removed().get(top_level)
    return record is not None and record.removed_in < (3, 1)


_OTHER_IMPLEMENTATIONS = {"__pypy__": "PyPy", "pypyjit": "PyPy", "__graalpython__": "GraalPy"}
"""Modules built into another Python implementation, never into CPython and never on the package index (the
names are documented by those implementations); code imports them behind a guard."""


def other_implementation(top_level: str) -> str | None:
    """The Python implementation that has ``top_level`` built in (``__pypy__`` -> PyPy), or None."""
    return _OTHER_IMPLEMENTATIONS.get(top_level)


def _data_version(text: str) -> PythonVersion:
    """A version field of a data file; the supported ones are looked up rather than parsed."""
    return _SUPPORTED_BY_TEXT.get(text) or parse_python_version(text)


def _rows(filename: str) -> list[tuple[str, str, str]]:
    """The three tab-separated fields of each non-comment line of a packaged data file."""
    text = read_data(filename)
    return [_fields(line) for line in text.splitlines() if line and not line.startswith("#")]


def _fields(line: str) -> tuple[str, str, str]:
    fields = line.split("\t")
    if len(fields) != 3:
        raise ValueError(f"a stdlib data line needs three tab-separated fields: {line!r}")
    return fields[0], fields[1], fields[2]
