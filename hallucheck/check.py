"""The core check: a change in, findings out. No I/O beyond the snapshots it is given."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from hallucheck import evidence
from hallucheck.config import Config
from hallucheck.findings import Finding, Severity, finding, sort_key
from hallucheck.imports import ImportedModule, new_imports
from hallucheck.manifests import Declared, declared_dependencies
from hallucheck.registry import Registry
from hallucheck.resolve import FirstParty, Origin, Resolution, Resolver
from hallucheck.snapshot import Snapshot
from hallucheck.source import UndecodableSourceError, decode_source
from hallucheck.stdlib import PythonVersion


@dataclass(frozen=True)
class ChangedPythonFile:
    """A Python file with added lines, as the change leaves it."""

    path: str
    added_lines: frozenset[int]
    content: bytes
    base_contents: tuple[bytes, ...] = ()
    """The file before the change, one version per parent (none for a new file)."""


@dataclass
class Change:
    """Everything the core needs to know about one change."""

    base: Snapshot
    target: Snapshot
    python_files: Sequence[ChangedPythonFile]
    manifests_changed: bool = True
    """False promises that base and target declare the same dependencies (saves reading them twice)."""
    target_python: PythonVersion = field(default_factory=lambda: (sys.version_info[0], sys.version_info[1]))
    config: Config = field(default_factory=Config)
    registry: Registry | None = None
    """Where to get online evidence (``--online``); None keeps the check offline."""


class _Manifests:
    def __init__(self, change: Change) -> None:
        self._change = change

    @cached_property
    def target(self) -> Declared:
        return declared_dependencies(self._change.target)

    @cached_property
    def base(self) -> Declared:
        return declared_dependencies(self._change.base) if self._change.manifests_changed else self.target


@dataclass(frozen=True)
class Result:
    findings: list[Finding]
    imports_checked: int

    @property
    def blocks(self) -> bool:
        return any(item.blocks for item in self.findings)


def check(change: Change) -> Result:
    """All findings for ``change``, sorted by place."""
    checked = 0
    manifests = _Manifests(change)
    findings: list[Finding] = []
    if change.manifests_changed:
        findings += _manifest_findings(manifests.base, manifests.target, change.config)
    resolver: Resolver | None = None
    for changed in change.python_files:
        scan_findings, imports = _scan(changed)
        findings += scan_findings
        checked += len(imports)
        for item in imports:
            if resolver is None:
                if not change.manifests_changed:
                    findings += _problem_findings(manifests.target, blocking=True)
                resolver = Resolver(
                    manifests.base, manifests.target, FirstParty(change.target), change.target_python
                )
            resolution = resolver.resolve(item, changed.path)
            result = _import_finding(changed.path, item, resolution, change.config)
            if result is not None:
                findings.append(result)
    if change.registry is not None:
        findings = evidence.add_registry_evidence(findings, change.registry, manifests.target, change.config)
    return Result(sorted(set(findings), key=sort_key), checked)


def _scan(changed: ChangedPythonFile) -> tuple[list[Finding], list[ImportedModule]]:
    try:
        text = decode_source(changed.content)
    except UndecodableSourceError as error:
        message = f"cannot decode {changed.path}: {error.reason}"
        return [finding("HC012", changed.path, error.line, 0, message, "Save the file as UTF-8.")], []
    bases = []
    for content in changed.base_contents:
        try:
            bases.append(decode_source(content))
        except UndecodableSourceError:
            continue  # the base cannot vouch for any import; everything added counts as new
    scan = new_imports(text, changed.added_lines, bases)
    findings = [
        finding(
            "HC010", changed.path, problem.line, problem.column, f"syntax error: {problem.message}",
            "Fix the syntax; imports that could be read were still checked.",
        )
        for problem in scan.syntax_errors
    ]  # fmt: skip
    return findings, scan.imports


def _import_finding(path: str, item: ImportedModule, resolution: Resolution, config: Config) -> Finding | None:
    origin, statement, top = resolution.origin, f"`{item.statement}`", item.module
    dist = resolution.distribution
    if origin in (Origin.STDLIB, Origin.FIRST_PARTY, Origin.DECLARED):
        return None
    if origin is Origin.NEW_DEPENDENCY:
        note = evidence.new_dependency_import_note(item.module, dist or "", resolution.reason, config)
        return note.apply(finding(
            "HC003", path, item.line, item.column,
            f"{statement} is served only by `{dist}`, a dependency added in this change",
            f"Check that `{dist}` is the real package you meant (an invented name can be registered by an "
            "attacker), then approve it.",
            module=item.module, distribution=dist,
        ))  # fmt: skip
    if origin is Origin.REMOVED_DEPENDENCY:
        return finding(
            "HC005", path, item.line, item.column,
            f"{statement} needs `{dist}`, which this change removes from the manifests",
            f"Keep `{dist}` declared, or drop the import.",
            module=item.module, distribution=dist,
        )  # fmt: skip
    if origin is Origin.KNOWN_UNDECLARED:
        others = ", ".join(f"`{name}`" for name in resolution.distributions[1:])
        alternatives = f" (or {others})" if others else ""
        return evidence.undeclared_import_note(item.module, dist or "").apply(finding(
            "HC002", path, item.line, item.column,
            f"{statement}: `{top}` is provided by `{dist}`{alternatives}, which the project does not declare",
            f"Declare `{dist}` in your dependencies (pyproject.toml or requirements.txt).",
            module=item.module, distribution=dist,
        ))  # fmt: skip
    return evidence.unknown_import_note(item.module, config).apply(finding(
        "HC001", path, item.line, item.column,
        f"{statement}: no declared dependency or known distribution provides `{top}`; it may be hallucinated",
        "Check the name. If the package is real, declare the distribution that provides it; "
        "if the module is first-party, make sure it is committed.",
        module=item.module,
    ))  # fmt: skip


def _manifest_findings(base: Declared, target: Declared, config: Config) -> list[Finding]:
    findings = _problem_findings(target, blocking=True)
    target_problems = {(problem.path, problem.message) for problem in target.problems}
    fixed = Declared(problems=[p for p in base.problems if (p.path, p.message) not in target_problems])
    findings += _problem_findings(fixed, blocking=False)
    for name, places in sorted(target.dependencies.items()):
        if name not in base.dependencies:
            findings.append(evidence.dependency_finding(places[0], config))
    return findings


def _problem_findings(declared: Declared, *, blocking: bool) -> list[Finding]:
    findings = []
    for problem in declared.problems:
        item = finding(
            "HC011", problem.path, problem.line, 0, f"cannot read {problem.path}: {problem.message}",
            "Fix the manifest; hallucheck cannot tell which dependencies are declared until it parses.",
        )  # fmt: skip
        if not blocking:
            item = replace(item, severity=Severity.WARNING, message=item.message + " (fixed by this change)")
        findings.append(item)
    return findings
