"""Run the core check on in-memory snapshots: a whole new file added to a project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hallucheck.check import Change, ChangedPythonFile, check
from hallucheck.config import Config
from hallucheck.findings import Finding
from hallucheck.snapshot import MemorySnapshot


def pyproject(*deps: str, requires_python: str | None = None, extra: str = "") -> str:
    lines = ['[project]', 'name = "demo"', 'version = "1"']
    if requires_python is not None:
        lines.append(f'requires-python = "{requires_python}"')
    lines.append("dependencies = [" + ", ".join(f'"{dep}"' for dep in deps) + "]")
    return "\n".join(lines) + "\n" + extra


def findings_for(
    project: Mapping[str, str], path: str, source: str, *, config: Config | None = None, **change: Any
) -> list[Finding]:
    """Findings when ``path`` (every line of it new) is added to a project holding ``project``'s files."""
    base = MemorySnapshot(project, "base")
    target = MemorySnapshot({**project, path: source}, "target")
    added = frozenset(range(1, source.count("\n") + 2))
    changed = ChangedPythonFile(path, added, source.encode())
    result = check(Change(base, target, [changed], manifests_changed=False, config=config or Config(), **change))
    return result.findings


def summary(findings: list[Finding]) -> list[tuple[str, str, int, str | None]]:
    """(code, severity, line, distribution or module) of each finding."""
    return [(item.code, item.severity.value, item.line, item.distribution or item.module) for item in findings]
