"""Findings: the rules that turn what the earlier stages found into findings with codes, places and hints.

:mod:`.python` checks changed Python files (their scan, each new import's resolution), :mod:`.imports` words
each import's finding, :mod:`.manifests` the manifests' problems and added dependencies, :mod:`.notebooks` and
:mod:`.installs` the cells of notebooks and the install commands of other files, :mod:`.hints` the hints that
depend on other findings, :mod:`.columns` the column a manifest finding points at. The configuration,
suppression comments and the baseline are applied afterwards (:mod:`hallucheck.policy`).
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from hallucheck.lazy import record

if TYPE_CHECKING:
    from hallucheck.change import Resolved
    from hallucheck.findings import Finding
    from hallucheck.sources.directives import SourceFile


@record
class Checked:
    """What checking some changed files found."""

    findings: list[Finding] = field(default_factory=list)
    imports_checked: int = 0
    resolved: list[Resolved] = field(default_factory=list)
    """How each new import resolved, in the order of the files (for ``--verbose``)."""
    sources: dict[str, SourceFile] = field(default_factory=dict)
    """The decoded text of each checked Python file, for suppression comments."""
    notes: list[str] = field(default_factory=list)
    """What was skipped (for ``-v``)."""
