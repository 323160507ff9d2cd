"""The core check: a change in, findings out. No I/O beyond the snapshots it is given.

Read top to bottom, :func:`check` is the pipeline: the git edge has built the :class:`Change`; what the
project declares before and after it comes from :mod:`hallucheck.manifests`, one resolver per project scope
(:class:`~hallucheck.resolve.project.ChangeManifests`);
each changed file's sources are scanned (:mod:`hallucheck.sources`), their imports resolved
(:mod:`hallucheck.resolve`) and worded as findings (:mod:`hallucheck.rules`), with evidence about new names
(:mod:`hallucheck.evidence`); the policy (:mod:`hallucheck.policy`: configuration, suppression comments,
relaxations, the baseline) decides which findings stand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck.change import Change, ChangedPythonFile, Resolved, Result
from hallucheck.config import PYPROJECT, STANDALONE_FILES, Config, ConfigError, load_config
from hallucheck.evidence import dependencies as evidence
from hallucheck.findings import Finding, sort_key
from hallucheck.lazy import replace
from hallucheck.manifests import Dependency, may_declare
from hallucheck.policy.relaxations import (
    Relaxation,
    config_relaxations,
    error_level_approvals,
    let_through,
    relaxation_findings,
    strict_config,
    with_relaxation_severity,
)
from hallucheck.policy.suppress import Sources, apply_policy
from hallucheck.resolve.project import ChangeManifests
from hallucheck.rules import Checked
from hallucheck.rules.columns import with_manifest_columns
from hallucheck.rules.hints import with_review_hints
from hallucheck.rules.manifests import committed_dependency_findings, manifest_findings, problem_findings
from hallucheck.rules.python import python_findings

if TYPE_CHECKING:
    from hallucheck.rules.installs import Install

__all__ = ["Change", "ChangedPythonFile", "Resolved", "Result", "check"]


def check(change: Change) -> Result:
    """All findings for ``change``, sorted by place, with the relaxations it makes shown (HC101)."""
    if not change.has_work:
        return Result([], 0)
    relaxations, strict = _relaxations(change)
    result = _check(change)
    findings = list(result.findings)
    if relaxations:
        strict_result = _check(replace(change, config=strict))
        hidden = let_through(strict_result.findings, findings)
        findings += relaxation_findings(relaxations, hidden, scope=change.scope, every=True)
        findings += error_level_approvals(relaxations, change.config, _config_text(change), change.scope)
    configured = _configured(change, relaxations, findings) if change.mode == "files" else []
    findings += _unapplied_relaxations(change)
    findings += _hook_setting_findings(change)
    findings, hidden = _baselined(findings, change)
    findings = with_relaxation_severity(findings, strict)
    lines = _hidden_line(hidden, "the baseline " + _baseline_path(change)) if hidden and change.mode == "files" else []
    source = f" ({change.config.source})" if change.config.source else ""
    lines += _hidden_line(configured, f"the configuration{source}") if configured else []
    return replace(result, findings=sorted(findings, key=sort_key), baselined=len(hidden), hidden=lines,
                   configured=len(configured))  # fmt: skip


def _configured(change: Change, relaxations: list[Relaxation], findings: list[Finding]) -> list[Finding]:
    """Files mode: what the configuration's standing relaxations hide, which no HC101 names (attack E22).

    A pull request may relax the configuration in one commit and add what it hides in the next: files mode
    (pre-commit.ci) compares only with the last parent, so every relaxation in force is taken back once more
    and what it lets through is named above the summary, as the baseline's is — never a bare "all resolve"."""
    from hallucheck.config import Config

    text = None
    if change.config.path is not None:
        data = change.target.read(change.config.path)
        text = data.decode("utf-8", "replace") if data is not None else None
    shown = {(item.kind, item.key) for item in relaxations}
    relaxed = config_relaxations(Config(), change.config, text)
    standing = [item for item in relaxed if (item.kind, item.key) not in shown]
    if not standing:
        return []
    strict = strict_config(change.config, Config(), standing)
    return let_through(_check(replace(change, config=strict)).findings, findings)


def _baseline_path(change: Change) -> str:
    from hallucheck.policy.baseline import checked_path

    return checked_path(change.config.baseline)


def _hidden_line(hidden: list[Finding], by: str) -> list[str]:
    """Files mode: the line above the summary that names what the baseline or the configuration hides (never
    a bare "passed")."""
    shown = ", ".join(f"{item.code} `{item.module or item.distribution or ''}` at {item.path}:{item.line}"
                      .replace(" `` ", " ") for item in sorted(hidden, key=sort_key)[:3])  # fmt: skip
    more = f" and {len(hidden) - 3} more" if len(hidden) > 3 else ""
    return [f"hidden by {by}: {shown}{more}"]


def _unapplied_relaxations(change: Change) -> list[Finding]:
    """Under ``--policy-from-base`` over a range, the relaxations the range's own configuration makes.

    They are not applied (the policy is the base's), but the reviewer of the range still sees each one, so
    that merging the range does not switch anything off unseen.
    """
    if not (change.policy_from_base and change.mode == "range" and _policy_touched(change)):
        return []
    try:
        proposed = load_config(change.target)
    except ConfigError:
        return []  # the range's own configuration is unreadable; the base's policy is what was checked
    text = None
    if proposed.path is not None:
        data = change.target.read(proposed.path)
        text = data.decode("utf-8", "replace") if data is not None else None
    relaxations = config_relaxations(change.config, proposed, text)
    return [
        replace(item, message=item.message + " (not applied: --policy-from-base checks with the base's policy)")
        for item in relaxation_findings(relaxations, [], scope=change.scope, every=True)
    ]


def _hook_setting_findings(change: Change) -> list[Finding]:
    """HC101 for each edit the change makes to what the framework passes the hallucheck hook; the change itself
    was checked whole, so the edit is named with the files it kept from the hook this time."""
    from hallucheck.policy.relaxations import Relaxation, relaxed_finding

    tail = f": it decides which files the framework passes the hook; this {change.scope} was checked whole"
    if change.left_out:
        more = len(change.left_out) - 5
        shown = ", ".join(change.left_out[:5]) + (f" and {more} more" if more > 0 else "")
        tail += f" (the framework did not pass {shown}), later ones are checked as the new settings say"
    return [
        relaxed_finding(Relaxation("hook", described, described, path, line, 1 if line else 0), [],
                        scope=change.scope, tail=tail)
        for described, path, line in change.hook_settings
    ]  # fmt: skip


def _policy_touched(change: Change) -> bool:
    paths = change.changed_paths
    return paths is None or any(path in (PYPROJECT, *STANDALONE_FILES) for path in paths)


def _config_text(change: Change) -> str | None:
    if change.config.path is None:
        return None
    data = change.target.read(change.config.path)
    return data.decode("utf-8", "replace") if data is not None else None


def _relaxations(change: Change) -> tuple[list[Relaxation], Config]:
    """The configuration entries this change relaxes, and the configuration without them."""
    if change.base_config is None:
        return [], change.config
    relaxations = config_relaxations(change.base_config, change.config, _config_text(change))
    return relaxations, strict_config(change.config, change.base_config, relaxations)


def _baselined(findings: list[Finding], change: Change) -> tuple[list[Finding], list[Finding]]:
    """``findings`` less what the baseline may hide in this mode, plus HC101 for entries the change adds."""
    from hallucheck.policy import baseline

    if not change.use_baseline:
        return findings, []
    policy = change.base if change.policy_from_base else change.target
    try:
        path = baseline.checked_path(change.config.baseline)
        base_path = baseline.checked_path(change.base_config.baseline) if change.base_config else path
        touched = change.changed_paths is None or bool({path, base_path} & set(change.changed_paths))
        compare = change.base_config is not None and touched and not change.policy_from_base
        since_parent = change.mode == "files" and change.parent is not None and change.base_config is not None
        if not findings and not (compare or since_parent):  # every entry a change adds is listed
            return findings, []
        recorded = baseline.load(policy, change.config.baseline, configured_given=True)
        before = recorded
        if (compare or since_parent) and change.base_config is not None:
            base = change.parent if since_parent and change.parent is not None else change.base
            before = baseline.load(base, change.base_config.baseline, configured_given=True)
    except baseline.BaselineError as error:
        raise ConfigError(str(error)) from None
    outcome = baseline.apply_baseline(findings, recorded, before, mode=change.mode,
                                      new_lines=change.added_since_parent if since_parent else None)  # fmt: skip
    return outcome.kept + outcome.relaxed, outcome.hidden


def _check(change: Change) -> Result:
    """The findings of ``change`` under its configuration, before the baseline."""
    manifests = ChangeManifests(change)  # declarations before and after, one resolver per project scope
    findings: list[Finding] = []
    added: Sequence[Dependency] = ()
    if manifests.changed:
        diff = manifests.added()
        added = diff.added
        findings += manifest_findings(diff, change.config)
    if change.mode == "files":  # nothing is added; what the committed manifests name is still checked
        findings += committed_dependency_findings(manifests.target, change.config)
    prepared: dict[int, list[Install]] = {}  # the text files' installs, read while workers check Python files
    checked = python_findings(change.python_files, manifests, change.config,
                              lambda: prepared.update(_text_installs(change, manifests)),
                              resolutions=change.resolutions_shown)  # fmt: skip
    findings += checked.findings
    findings += problem_findings(manifests.scope_problems(), blocking=True)  # lock files read since
    texts = _text_file_findings(change, manifests, prepared)
    findings += texts.findings
    findings += _index_setting_findings(change)
    if change.python_files or change.changed_paths:
        from hallucheck.rules.tool_modules import tool_module_findings

        findings += tool_module_findings(change, manifests)
    if change.registry is not None:
        root = manifests.target.declared_for("pyproject.toml")
        findings = evidence.add_registry_evidence(findings, change.registry, root, change.config)
    findings = with_manifest_columns(with_review_hints(findings, added, change.config.path), change.target)
    manifest_paths = [path for path in change.changed_paths or () if may_declare(path)] if manifests.changed else []
    policy = apply_policy(
        sorted(dict.fromkeys(findings), key=sort_key), change.config,  # (a set would order ties by string hashes)
        Sources(change.target, change.base, checked.sources, manifest_paths),
        scope=change.scope, honour_new=not change.policy_from_base,
    )  # fmt: skip
    notes = list(dict.fromkeys([*checked.notes, *manifests.notes]))
    return Result(policy.findings, checked.imports_checked + texts.imports_checked,
                  [*checked.resolved, *texts.resolved], policy.suppressed, notes=notes)  # fmt: skip


def _index_setting_findings(change: Change) -> list[Finding]:
    """Package sources the change sets in installer configuration and environment variables (HC043)."""
    if not change.text_files and not any(path.endswith((".conf", ".ini", ".toml", ".condarc"))
                                         for path in change.changed_paths or ()):
        return []
    from hallucheck.rules.index_settings import index_setting_findings

    return index_setting_findings(change)


def _text_file_findings(change: Change, manifests: ChangeManifests, prepared: dict[int, list[Install]]) -> Checked:
    """Notebooks and install commands (their modules load only when the change has such files); ``prepared``:
    :func:`_text_installs`, when they were read already."""
    if not change.text_files:
        return Checked()
    from hallucheck.rules.text_files import text_file_findings

    return text_file_findings(change, manifests, prepared)


def _text_installs(change: Change, manifests: ChangeManifests) -> dict[int, list[Install]]:
    """What the install commands of each text file name (by the file's ``id``): each file read on its own."""
    if not change.text_files:
        return {}
    from hallucheck.rules.text_files import text_installs

    return text_installs(change, manifests)
