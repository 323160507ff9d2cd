"""Findings: the rules that turn what the earlier stages found into findings with codes, places and hints.

:mod:`.python` checks changed Python files (their scan, each new import's resolution), :mod:`.imports` words
each import's finding, :mod:`.manifests` the manifests' problems and added dependencies, :mod:`.notebooks` and
:mod:`.installs` the cells of notebooks and the install commands of other files, :mod:`.hints` the hints that
depend on other findings, :mod:`.columns` the column a manifest finding points at. The configuration,
suppression comments and the baseline are applied afterwards (:mod:`hallucheck.policy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hallucheck.lazy import Slots

if TYPE_CHECKING:
    from hallucheck.change import Resolved
    from hallucheck.findings import Finding
    from hallucheck.sources.directives import SourceFile


class Checked(Slots):
    """What checking some changed files found."""

    __slots__ = ("findings", "imports_checked", "notes", "resolved", "sources")

    findings: list[Finding]
    imports_checked: int
    resolved: list[Resolved]
    """How each new import resolved, in the order of the files (for ``--verbose``)."""
    sources: dict[str, SourceFile]
    """The decoded text of each checked Python file, for suppression comments."""
    notes: list[str]
    """What was skipped (for ``-v``)."""

    def __init__(
        self, findings: list[Finding] | None = None, imports_checked: int = 0, resolved: list[Resolved] | None = None,
        sources: dict[str, SourceFile] | None = None, notes: list[str] | None = None,
    ) -> None:  # fmt: skip
        self.findings = [] if findings is None else findings
        self.imports_checked = imports_checked
        self.resolved = [] if resolved is None else resolved
        self.sources = {} if sources is None else sources
        self.notes = [] if notes is None else notes
