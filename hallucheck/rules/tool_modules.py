"""Findings for the modules a change makes tools import through ``pyproject.toml`` (mypy ``plugins``, pytest
``-p NAME``): each new one is resolved like an import of the project's development code, and reported as one
(an unknown module is HC001, one of an undeclared distribution HC007, ...). A reference the base version of the
file already makes is not new; in files mode the ``pyproject.toml`` files passed are read whole."""

from __future__ import annotations

import posixpath
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
            result = import_finding(path, item, resolver.resolve(item, path), change.config)
            if result is not None:
                result = placed_finding(result, item, path, resolver, manifests.declared_elsewhere)
            if result is not None and result.code != _DEVELOPMENT_ONLY:
                findings.append(replace(result, message=f"{reference.where}: {result.message}"))
    return findings


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8-sig", "replace").replace("\r\n", "\n")
