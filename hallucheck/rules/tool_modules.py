"""Findings for the modules a change makes tools import through ``pyproject.toml`` (mypy ``plugins``, pytest
``-p NAME``): each new one is resolved like an import of the project's development code, and reported as one
(an unknown module is HC001, one of an undeclared distribution HC007, ...). A reference the base version of the
file already makes is not new; in files mode the ``pyproject.toml`` files passed are read whole."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hallucheck.findings import Finding
from hallucheck.lazy import replace

if TYPE_CHECKING:
    from hallucheck.change import Change
    from hallucheck.resolve.project import ChangeManifests

_DEVELOPMENT_ONLY = "HC008"
"""What a development-only declaration means for package code; tools run where development ones are installed."""


def tool_module_findings(change: Change, manifests: ChangeManifests) -> list[Finding]:
    from hallucheck.manifests.tool_modules import tool_modules
    from hallucheck.resolve.resolver import RESOLVED
    from hallucheck.rules.imports import import_finding, placed_finding
    from hallucheck.sources.imported import ImportedModule

    findings = []
    for path in change.changed_paths or ():
        data = change.target.read(path) if posixpath.basename(path) == "pyproject.toml" else None
        if data is None:
            continue
        base = change.base.read(path) if change.mode != "files" else None
        known = {(item.where, item.module) for item in tool_modules(_text(base), path)} if base is not None else set()
        for reference in tool_modules(_text(data), path):
            if (reference.where, reference.module) in known:
                continue
            item = ImportedModule(reference.module, None, 0, reference.line, 0, "import", reference.line,
                                  reference.line)  # fmt: skip
            resolver, _ = manifests.resolver(path)
            resolution = resolver.resolve(item, path)
            if "pytest" in reference.where and resolution.origin not in RESOLVED and _plugin_of_declared(
                    reference.module, (*resolver.base.dependencies, *resolver.target.dependencies)):
                continue
            result = import_finding(path, item, resolution, change.config)
            if result is not None:
                result = placed_finding(result, item, path, resolver, manifests.declared_elsewhere)
            if result is not None and result.code != _DEVELOPMENT_ONLY:
                findings.append(replace(result, message=f"{reference.where}: {result.message}"))
    return findings


def _plugin_of_declared(name: str, declared: Iterable[str]) -> bool:
    """Whether pytest's ``-p NAME`` may be the entry-point name of a declared plugin: pytest takes entry-point
    names as well as modules (``-p randomly`` is pytest-randomly's, ``-p hypothesispytest`` hypothesis's), and
    which names a distribution registers is known only once it is installed (attack E24)."""
    from hallucheck.resolve.mapping import normalize_distribution, squash_name

    plugin = squash_name(name)
    owner = _ENTRY_POINT_OWNERS.get(plugin)
    return len(plugin) >= 3 and any(
        plugin in squash_name(item) or normalize_distribution(item) == owner for item in declared)


_ENTRY_POINT_OWNERS = {"hypothesispytest": "hypothesis"}
"""pytest entry-point names not found in their distribution's name (``-p hypothesispytest``); a plugin's name is
otherwise matched inside a declared distribution's (``randomly`` in ``pytest-randomly``), never the other way:
``-p pytest_madeup`` is not a plugin of a declared ``pytest``."""


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8-sig", "replace").replace("\r\n", "\n")
