"""Findings for changed files that are not Python: notebooks (cell by cell) and the install commands of
docs, scripts, Dockerfiles, CI and agent files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hallucheck.findings import Severity
from hallucheck.resolve.project import ChangeManifests
from hallucheck.rules import Checked
from hallucheck.rules.installs import Install, file_installs, install_findings
from hallucheck.rules.notebooks import notebook_findings
from hallucheck.rules.python import in_environment

if TYPE_CHECKING:
    from hallucheck.change import Change
    from hallucheck.findings import Finding


def text_installs(change: Change, manifests: ChangeManifests) -> dict[int, list[Install]]:
    """:func:`~hallucheck.rules.installs.file_installs` of each text file that is not a notebook, by the file's
    ``id`` (read while forked workers check the Python files: each file alone, nothing else is decided here)."""
    from hallucheck.sources.install_files import NOTEBOOK

    return {id(changed): file_installs(changed) for changed in change.text_files
            if changed.kind != NOTEBOOK and in_environment(manifests, changed.path) is None}  # fmt: skip


def text_file_findings(
    change: Change, manifests: ChangeManifests, prepared: dict[int, list[Install]] | None = None
) -> Checked:
    """Findings for the changed notebooks (imports and installs) and the install commands in other files
    (``prepared``: :func:`text_installs`, when they were read already)."""
    from hallucheck.sources.install_files import CODE_KINDS, NOTEBOOK

    checked = Checked()
    installs: list[Install] = []
    code: set[str] = set()
    for changed in change.text_files:
        if in_environment(manifests, changed.path) is not None:
            continue  # an installed package's files: not this project's
        if changed.kind == NOTEBOOK:
            installs += notebook_findings(changed, manifests, change.config, checked)
        else:
            read = prepared.get(id(changed)) if prepared else None
            installs += file_installs(changed) if read is None else read
            if changed.kind in CODE_KINDS:
                code.add(changed.path)
    if any(item.reads is not None for item in installs):  # `pip install -r deps/base.lst`: what the file names
        from hallucheck.rules.installed_files import with_installed_files

        installs = with_installed_files(installs, change.target)
    if change.mode == "files":  # a committed source is the project's own choice: only the names are judged
        installs = [judged for item in installs if (judged := _name_only(item)) is not None]
    found = install_findings(installs, manifests, change.config, change.registry)
    if change.mode == "files":  # code's installs count only where they are errors: its own deps, `*reqs`
        found = [_not_added(item) for item in found if item.path not in code or item.severity is Severity.ERROR]
    checked.findings += found
    return checked


def _name_only(item: Install) -> Install | None:
    """``item`` judged by its name alone: without the source options of its command; None for a direct
    reference (a URL, a local archive), which names no package on an index."""
    from hallucheck.lazy import replace
    from hallucheck.manifests.sources import INDEX, source, split_options

    requirement = item.argument.requirement
    if item.argument.sets_source:
        return None  # files mode adds nothing: a committed source setting is the project's (as for HC043)
    if not item.argument.determined or source(requirement) == INDEX:
        return item
    head, _ = split_options(requirement)
    if source(head) != INDEX:
        return None
    return replace(item, argument=replace(item.argument, requirement=head))


def _not_added(item: Finding) -> Finding:
    """In files mode nothing is added, so an install command is no new dependency to review (HC040), nor one
    whose packages only run time names (HC042): a warning that still shows it. The errors (an invented,
    look-alike or import name) stay errors."""
    from hallucheck.evidence.installed import REVIEW_CODE, UNDETERMINED_CODE
    from hallucheck.lazy import replace

    if item.code not in (REVIEW_CODE, UNDETERMINED_CODE) or item.severity is not Severity.REVIEW:
        return item
    return replace(item, severity=Severity.WARNING,
                   message=item.message + " (files mode: nothing is added, so this is shown, not reviewed)")


def installed_for_review(change: Change) -> dict[str, Finding]:
    """Normalised name -> the review (HC040) of each package an added install command names that needs one."""
    from hallucheck.evidence.installed import REVIEW_CODE

    if not change.text_files:
        return {}
    findings = text_file_findings(change, ChangeManifests(change)).findings
    return {item.distribution: item for item in findings if item.code == REVIEW_CODE and item.distribution}
