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
from hallucheck.lazy import LazyPattern, Slots

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

PythonVersion = tuple[int, int]

SUPPORTED_VERSIONS: tuple[PythonVersion, ...] = tuple((3, minor) for minor in range(8, 15))
"""The CPython minor versions the data describes, oldest first."""

_OLDEST = SUPPORTED_VERSIONS[0]
_NEWEST = SUPPORTED_VERSIONS[-1]
_SUPPORTED_BY_TEXT = {f"{major}.{minor}": (major, minor) for major, minor in SUPPORTED_VERSIONS}


class RemovedModule(Slots):
    """A top-level module that an earlier CPython shipped and a later one removed."""

    __slots__ = ("name", "removed_in", "replacement")

    name: str
    removed_in: PythonVersion
    """The first release that no longer ships the module."""
    replacement: str
    """A short human hint: the modern module to use, or a PyPI backport."""

    def __init__(self, name: str, removed_in: PythonVersion, replacement: str) -> None:
        self.name = name
        self.removed_in = removed_in
        self.replacement = replacement


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
    clauses = _release_clauses(requires_python)
    if clauses is not None:  # the usual ">=3.10" or ">=3.10,<4": decided without importing packaging
        for version in SUPPORTED_VERSIONS:
            if any(_allow_all(clauses, candidate) for candidate in _clause_candidates(clauses, version)):
                return version
        return None
    return _lowest_by_packaging(requires_python)


def _lowest_by_packaging(requires_python: str) -> PythonVersion | None:
    """:func:`lowest_python_version` for any specifier set, read by ``packaging``."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return None
    for version in SUPPORTED_VERSIONS:
        if any(specifiers.contains(candidate) for candidate in _candidate_releases(specifiers, version)):
            return version
    return None


_RELEASE_CLAUSE = LazyPattern(r"\s*(~=|==|!=|<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*)(\.\*)?\s*")
Release = tuple[int, ...]


def _release_clauses(text: str) -> list[tuple[str, Release, bool]] | None:
    """``text`` as (operator, release, wildcard) clauses when every clause compares with a plain release
    (``>=3.10``, ``<4``, ``~=3.9``, ``==3.12.*``); None for anything else (pre-releases, ``===``, an
    invalid clause), which goes to ``packaging``."""
    clauses = []
    for part in text.split(","):
        match = _RELEASE_CLAUSE.fullmatch(part)
        if match is None:
            return None
        operator, written, wildcard = match.groups()
        release = tuple(int(number) for number in written.split("."))
        if (wildcard and operator not in ("==", "!=")) or (operator == "~=" and len(release) < 2):
            return None  # invalid: packaging says so
        clauses.append((operator, release, bool(wildcard)))
    return clauses


def _allow_all(clauses: list[tuple[str, Release, bool]], candidate: Release) -> bool:
    """Whether every clause allows the final release ``candidate`` (PEP 440 on final releases: releases
    compare padded with zeros; ``==X.*`` compares the prefix; ``~=X.Y`` is ``>=X.Y, ==X.*``)."""
    for operator, release, wildcard in clauses:
        width = max(len(release), len(candidate))
        padded, bound = candidate + (0,) * (width - len(candidate)), release + (0,) * (width - len(release))
        if wildcard:
            equal = (candidate + (0,) * len(release))[: len(release)] == release
            allowed = equal if operator == "==" else not equal
        elif operator == "~=":
            allowed = padded >= bound and (candidate + (0,) * len(release))[: len(release) - 1] == release[:-1]
        else:
            allowed = {
                "==": padded == bound, "!=": padded != bound, "<=": padded <= bound, ">=": padded >= bound,
                "<": padded < bound, ">": padded > bound,
            }[operator]  # fmt: skip
        if not allowed:
            return False
    return True


def _clause_candidates(clauses: list[tuple[str, Release, bool]], version: PythonVersion) -> list[Release]:
    """:func:`_candidate_releases` for clauses read by :func:`_release_clauses`."""
    candidates: list[Release] = [version, (*version, 0)]
    for _, release, _ in clauses:
        if release[:2] == version:
            micro = release[2] if len(release) > 2 else 0
            candidates += [(*version, micro), (*version, micro + 1)]
    return candidates


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
