"""The core check: a change in, findings out. No I/O beyond the snapshots it is given."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from hallucheck.change import Change, ChangedPythonFile, ChangedTextFile, Resolved, Result
from hallucheck.config import PYPROJECT, STANDALONE_FILES, Config, ConfigError, load_config
from hallucheck.evidence import dependencies as evidence
from hallucheck.findings import Finding, Severity, approval_hint, finding, sort_key
from hallucheck.manifests import Declared, Dependency, ManifestProblem, is_template_path, may_declare
from hallucheck.manifests.diff import ManifestDiff, manifest_diff
from hallucheck.manifests.scope import ProjectScopes
from hallucheck.policy.relaxations import (
    Relaxation,
    config_relaxations,
    let_through,
    relaxation_findings,
    strict_config,
    with_relaxation_severity,
)
from hallucheck.policy.suppress import SourceFile, Sources, apply_policy
from hallucheck.resolve import stdlib
from hallucheck.resolve.resolver import RESOLVED, FirstParty, Origin, Resolution, Resolver, TargetPython, target_python
from hallucheck.snapshot import Snapshot
from hallucheck.sources.imported import ImportedModule
from hallucheck.sources.imports import new_imports
from hallucheck.sources.python import UndecodableSourceError, decode_source

__all__ = [
    "Change", "ChangeManifests", "ChangedPythonFile", "Resolved", "Result", "check", "import_finding",
    "installed_for_review",
]  # fmt: skip

if TYPE_CHECKING:
    from hallucheck.evidence.installed import Place
    from hallucheck.sources.install_commands import InstallArgument


class ChangeManifests:
    """The declarations that count for each changed file, before and after the change."""

    def __init__(self, change: Change) -> None:
        extra = change.config.manifests
        self._including_projects: set[str] = set()
        self.target = ProjectScopes(change.target, extra)
        self.changed = change.touches_manifests or self._includes_changed(change)
        self.base = ProjectScopes(change.base, extra) if self.changed else self.target
        self.other_bases = [ProjectScopes(parent, extra) for parent in change.other_bases] if self.changed else []
        self._resolvers: dict[tuple[int, bool], Resolver] = {}
        self._scope_problems: list[list[ManifestProblem]] = []
        self._change = change
        self._python: TargetPython | None = None
        self._changed_paths = change.changed_paths
        self.notes: list[str] = []
        """What the manifests of the scopes seen hold that declares nothing (for ``-v``)."""

    def _includes_changed(self, change: Change) -> bool:
        """Whether the change touches a file that the manifests of a changed Python file's project read
        (an include from anywhere: ``-r ../shared/deps.cfg``). What a manifest includes is a manifest."""
        if not change.changed_paths or not change.python_files:
            return False
        python = {changed.path for changed in change.python_files}
        others = set(change.changed_paths) - python
        for path in sorted(python) if others else ():
            declared = self.target.declared_for(path)
            if others.intersection(declared.manifests):
                self._including_projects.add(declared.directory or "")
        return bool(self._including_projects)

    def base_for(self, path: str) -> Declared:
        """The base declarations for ``path``; in a merge, what any parent declares."""
        base = self.base.declared_for(path)
        if not self.other_bases:
            return base
        union = Declared(directory=base.directory, workspace=base.workspace)
        for scopes in (self.base, *self.other_bases):
            union.merge(scopes.declared_for(path))
        return union

    def added(self) -> ManifestDiff:
        """The manifest diff; in a merge, a dependency any parent declares is not added."""
        diff = manifest_diff(self.base, self.target, self._changed_paths, self._including_projects)
        if self.other_bases:
            diff.added = [
                item for item in diff.added
                if not any(item.name in scopes.declared_for(item.path).dependencies for scopes in self.other_bases)
            ]  # fmt: skip
        return diff

    def resolver(self, path: str) -> tuple[Resolver, list[ManifestProblem] | None]:
        """The resolver for imports in ``path``, and its scope's problems when that scope is first seen."""
        target = self.target.declared_for(path)
        key = (id(target), target.is_build_script(path))  # scopes are cached: one object per scope
        if key in self._resolvers:
            return self._resolvers[key], None
        self.notes += [f"{note.path}:{note.line}: {note.message}" for note in target.notes]
        base = self.base_for(path)
        roots = [target.directory or "", *(item.directory for item in target.first_party)]
        first_party = _ProjectFirstParty(self._change.target, roots, self._change.config.first_party)
        if self._python is None:
            self._python = project_python(self._change)
        resolver = make_resolver(
            self._change, base.for_file(path), target.for_file(path), first_party=first_party, python=self._python
        )
        self._resolvers[key] = resolver
        self._scope_problems.append(target.problems)
        return resolver, target.problems

    def scope_problems(self) -> list[ManifestProblem]:
        """The problems of every scope a resolver was made for, lock files read on the way included."""
        return [problem for problems in self._scope_problems for problem in problems]


def _script_resolver(
    manifests: ChangeManifests, path: str, script: ScriptDeclarations
) -> tuple[Resolver, list[ManifestProblem] | None]:
    """The resolver for a script with a PEP 723 block: its project's declarations and the block's."""
    resolver, problems = manifests.resolver(path)
    return _with_declared(resolver, script.base, script.target or ()), problems


def _with_declared(resolver: Resolver, base: Sequence[Dependency], target: Sequence[Dependency]) -> Resolver:
    """``resolver`` with a file's own declarations added before and after the change (a PEP 723 block, a
    notebook's ``%pip install``)."""
    before, after = Declared(), Declared()
    before.merge(resolver.base)
    after.merge(resolver.target)
    before.add(base)
    after.add(target)
    return resolver.with_declarations(before, after)


class _ProjectFirstParty(FirstParty):
    """First-party code where :class:`FirstParty` looks, and also in the project's own directory (and its
    ``src/``) and in directories the manifests install from (``-e ./libs/core``): monorepo members."""

    def __init__(self, snapshot: Snapshot, roots: Sequence[str], names: Sequence[str] = ()) -> None:
        super().__init__(snapshot, names)
        self._roots = [root for root in dict.fromkeys(roots) if root]

    def locate(
        self, top_level: str, importing_path: str, *, members: bool = True, stubs: bool = False
    ) -> str | None:
        found = super().locate(top_level, importing_path, members=members, stubs=stubs)
        for root in self._roots:
            if found is not None:
                break
            found = super().locate(top_level, f"{root}/_", members=members, stubs=stubs) or super().locate(
                top_level, f"{root}/src/_", members=members, stubs=stubs
            )
        return found


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
        findings += relaxation_findings(relaxations, hidden, scope=change.scope, every=change.mode == "range")
    findings += _unapplied_relaxations(change)
    findings, baselined = _baselined(findings, change)
    findings = with_relaxation_severity(findings, strict)
    return replace(result, findings=sorted(findings, key=sort_key), baselined=baselined)


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


def _policy_touched(change: Change) -> bool:
    paths = change.changed_paths
    return paths is None or any(path in (PYPROJECT, *STANDALONE_FILES) for path in paths)


def _relaxations(change: Change) -> tuple[list[Relaxation], Config]:
    """The configuration entries this change relaxes, and the configuration without them."""
    if change.base_config is None:
        return [], change.config
    text = None
    if change.config.path is not None:
        data = change.target.read(change.config.path)
        text = data.decode("utf-8", "replace") if data is not None else None
    relaxations = config_relaxations(change.base_config, change.config, text)
    return relaxations, strict_config(change.config, change.base_config, relaxations)


def _baselined(findings: list[Finding], change: Change) -> tuple[list[Finding], int]:
    """``findings`` less what the baseline may hide in this mode, plus HC101 for entries the change adds."""
    from hallucheck.policy import baseline

    if not change.use_baseline:
        return findings, 0
    policy = change.base if change.policy_from_base else change.target
    try:
        path = baseline.checked_path(change.config.baseline)
        base_path = baseline.checked_path(change.base_config.baseline) if change.base_config else path
        touched = change.changed_paths is None or bool({path, base_path} & set(change.changed_paths))
        compare = change.base_config is not None and touched and not change.policy_from_base
        if not findings and not (compare and change.mode == "range"):  # a range lists every entry it adds
            return findings, 0
        recorded = baseline.load(policy, change.config.baseline, configured_given=True)
        before = recorded
        if compare and change.base_config is not None:
            before = baseline.load(change.base, change.base_config.baseline, configured_given=True)
    except baseline.BaselineError as error:
        raise ConfigError(str(error)) from None
    outcome = baseline.apply_baseline(findings, recorded, before, mode=change.mode)
    return outcome.kept + outcome.relaxed, len(outcome.hidden)


def _check(change: Change) -> Result:
    """The findings of ``change`` under its configuration, before the baseline."""
    checked = 0
    manifests = ChangeManifests(change)
    findings: list[Finding] = []
    added: Sequence[Dependency] = ()
    if manifests.changed:
        diff = manifests.added()
        added = diff.added
        findings += _manifest_findings(diff, change.config)
    resolved: list[Resolved] = []
    sources: dict[str, SourceFile] = {}
    notes: list[str] = []
    for changed in change.python_files:
        if is_template_path(changed.path):
            notes.append(f"{changed.path}: skipped, a project template (cookiecutter/copier), not code of this project")
            continue
        scan_findings, imports, source = _scan(changed)
        findings += scan_findings
        checked += len(imports)
        script = _script_declarations(changed, source, change.config)
        if source is not None:
            sources[changed.path] = source
        if script is not None:
            findings += script.findings
        reported: set[tuple[str, int, str, str | None]] = set()
        if imports:  # one resolver per project scope; its problems are reported with the first file it serves
            if script is not None and script.target is not None:
                resolver, problems = _script_resolver(manifests, changed.path, script)
            else:
                resolver, problems = manifests.resolver(changed.path)
            if problems:
                findings += _problem_findings(problems, blocking=True)
        for item in imports:
            resolution = resolver.resolve(item, changed.path)
            resolved.append(Resolved(changed.path, item, resolution))
            result = import_finding(changed.path, item, resolution, change.config)
            # One finding per statement and module: `from x import a, b` is one problem, two
            # statements importing x are two (each can be fixed or suppressed on its own).
            if result is None:
                continue
            named = result.code in ("HC009", "HC022")
            key = (result.code, item.first_line, item.module, item.name if named else None)
            if key not in reported:
                reported.add(key)
                findings.append(result)
    findings += _problem_findings(manifests.scope_problems(), blocking=True)  # lock files read since
    if change.text_files:
        text_findings, text_imports, text_resolved = _text_file_findings(change, manifests)
        findings += text_findings
        checked += text_imports
        resolved += text_resolved
    if change.registry is not None:
        root = manifests.target.declared_for("pyproject.toml")
        findings = evidence.add_registry_evidence(findings, change.registry, root, change.config)
    findings = _with_manifest_columns(_with_review_hints(findings, added), change.target)
    manifest_paths = [path for path in change.changed_paths or () if may_declare(path)] if manifests.changed else []
    policy = apply_policy(
        sorted(set(findings), key=sort_key), change.config,
        Sources(change.target, change.base, sources, manifest_paths),
        scope=change.scope, honour_new=not change.policy_from_base,
    )  # fmt: skip
    notes += manifests.notes
    return Result(policy.findings, checked, resolved, policy.suppressed, notes=list(dict.fromkeys(notes)))


@dataclass
class ScriptDeclarations:
    """What the PEP 723 block of one changed script declares before and after the change."""

    base: list[Dependency]
    target: list[Dependency] | None
    """None when the file has no readable block now."""
    findings: list[Finding]
    """Problems of the block, and its dependencies added by the change (HC004)."""


def _script_declarations(
    changed: ChangedPythonFile, source: SourceFile | None, config: Config
) -> ScriptDeclarations | None:
    """The script block of ``changed`` (None when neither version of the file has one)."""
    from hallucheck.manifests import pep723

    if source is None or (pep723.MARKER not in source.text and not any(
            pep723.MARKER in text for text in source.base_texts)):  # fmt: skip
        return None
    now = pep723.read_script(source.text, changed.path)
    findings = _problem_findings(now.problems, blocking=True) if now is not None else []
    if changed.whole_file:  # files mode: nothing is added, the block as it is declares
        declared = now.dependencies if now is not None else []
        return ScriptDeclarations(declared, declared, findings)
    before = [pep723.read_script(text, changed.path) for text in source.base_texts]
    base = [dependency for metadata in before if metadata for dependency in metadata.dependencies]
    if now is None:
        return ScriptDeclarations(base, None, findings)
    known = {dependency.name for dependency in base}
    findings += [evidence.dependency_finding(dependency, config)
                 for dependency in now.dependencies if dependency.name not in known]  # fmt: skip
    return ScriptDeclarations(base, now.dependencies, findings)


def _with_review_hints(findings: list[Finding], added: Sequence[Dependency]) -> list[Finding]:
    """HC003 hints that agree with the findings on the dependency: fix its error first, else approve it."""
    errors = {
        item.distribution: item for item in findings
        if item.distribution and item.code != "HC003" and item.severity is Severity.ERROR and item.module is None
    }  # fmt: skip
    requirements = {dependency.name: dependency.requirement for dependency in added}
    result = []
    for item in findings:
        if item.code == "HC003" and item.distribution:
            error = errors.get(item.distribution)
            if error is not None:
                hint = (f"Resolve the {error.code} finding on `{item.distribution}` at {error.path}:{error.line} "
                        "first: this import stands or falls with that dependency.")  # fmt: skip
            else:
                hint = (f"Check that `{item.distribution}` is the real package you meant (an invented name can be "
                        "registered by an attacker), " + approval_hint(item.distribution,
                        requirements.get(item.distribution)))  # fmt: skip
            item = replace(item, hint=hint)
        result.append(item)
    return result


def _with_manifest_columns(findings: list[Finding], snapshot: Snapshot) -> list[Finding]:
    """Manifest findings at the 1-based column where their requirement starts (like import findings)."""
    lines: dict[str, list[str]] = {}
    result = []
    for item in findings:
        if item.column == 0 and item.line > 0 and item.module is None and item.code != "HC010":
            if item.path not in lines:
                data = snapshot.read(item.path)
                lines[item.path] = data.decode("utf-8", "replace").split("\n") if data is not None else []
            text = lines[item.path][item.line - 1] if item.line <= len(lines[item.path]) else ""
            column = _requirement_column(text, item.distribution)
            if column:
                item = replace(item, column=column)
        result.append(item)
    return result


def _requirement_column(text: str, distribution: str | None) -> int:
    """Where ``distribution`` is written on ``text`` (any spelling PEP 503 folds together), else its first
    non-blank character; 1-based, 0 for a blank line."""
    if distribution:
        spelled = r"[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", distribution))
        match = re.search(rf"(?<![\w.-]){spelled}(?![\w])", text, re.IGNORECASE)
        if match:
            return match.start() + 1
    stripped = text.lstrip()
    return len(text) - len(stripped) + 1 if stripped else 0


def project_python(change: Change) -> TargetPython:
    """The Python versions ``change`` targets; ConfigError when the configured one is not a version."""
    try:
        return (
            TargetPython.single(change.target_python, "the caller")
            if change.target_python is not None
            else target_python(change.target, change.config.python)
        )
    except ValueError as error:
        raise ConfigError(f"{change.config.source or 'configuration'}: python: {error}") from None


def make_resolver(
    change: Change,
    base: Declared,
    target: Declared,
    *,
    first_party: FirstParty | None = None,
    python: TargetPython | None = None,
) -> Resolver:
    """The resolver for ``change``; ConfigError when the configured target Python is not a version."""
    python = python or project_python(change)
    first_party = first_party or FirstParty(change.target, change.config.first_party)
    return Resolver(
        base, target, first_party, python, config=change.config, environment=change.environment,
        snapshot=change.target,
    )  # fmt: skip


def _scan(changed: ChangedPythonFile) -> tuple[list[Finding], list[ImportedModule], SourceFile | None]:
    try:
        text = decode_source(changed.content)
    except UndecodableSourceError as error:
        message = f"cannot decode {changed.path}: {error.reason}"
        return [finding("HC012", changed.path, error.line, 0, message, "Save the file as UTF-8.")], [], None
    bases = []
    for content in changed.base_contents:
        try:
            bases.append(decode_source(content))
        except UndecodableSourceError:
            continue  # the base cannot vouch for any import; everything added counts as new
    lines = _import_lines(text) if changed.whole_file else changed.added_lines
    scan = new_imports(text, lines, bases)
    findings = [
        finding(
            "HC010", changed.path, problem.line, problem.column, f"syntax error: {problem.message}",
            "Fix the syntax; imports that could be read were still checked.",
        )
        for problem in scan.syntax_errors
    ]  # fmt: skip
    findings += [
        finding(
            "HC025", changed.path, item.line, item.column,
            f"`{item.call}(...)` imports a module that cannot be checked: {item.why}",
            "Name the module with a string literal, or import it with an import statement, so that it can be "
            "checked; if the name really must be computed, make sure every value it can take is a real module.",
        )
        for item in scan.computed
    ]  # fmt: skip
    spans = [(item.first_line, item.last_line) for item in scan.imports]
    spans += [(item.line, item.line) for item in scan.computed]
    return findings, scan.imports, SourceFile(changed.path, text, changed.added_lines, bases, spans)


_MAY_IMPORT_LINE = re.compile(
    r"import|\b(?:exec|eval|compile|run_module|find_spec|pytest_plugins)\b|\w\s*\(\s*[rRbBuUfF]{0,2}['\"]"
)


def _import_lines(text: str) -> frozenset[int]:
    """The lines that may be part of an import: every import statement names ``import``; a dynamic
    import calls a name with a literal or runs code (aliases such as ``load("x")`` included)."""
    lines, line, counted = set(), 1, 0
    for match in _MAY_IMPORT_LINE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.add(line)
    return frozenset(lines)


def import_finding(
    path: str, item: ImportedModule, resolution: Resolution, config: Config | None = None
) -> Finding | None:
    """The finding for an import resolved as ``resolution`` (None when it resolves), with name evidence."""
    config = config or Config()
    origin, statement = resolution.origin, f"`{item.statement}`"
    if origin in RESOLVED:
        return None
    if origin is Origin.MISSING_RELATIVE:
        return finding(
            "HC009", path, item.line, item.column, f"{statement}: {resolution.note}",
            "Commit the module, or fix the name: a relative import reaches only the files of its own package.",
            module="." * item.level + item.module,
        )  # fmt: skip
    if origin in (Origin.STDLIB_REMOVED, Origin.STDLIB_TOO_NEW, Origin.STALE):
        return _path_finding(path, item, resolution)
    if origin is Origin.DEPRECATED:
        return finding(
            "HC024", path, item.line, item.column, f"`{item.statement}`: {resolution.note}",
            "It still works; move to the replacement before the distribution removes it.",
            module=item.module, distribution=resolution.distribution,
        )  # fmt: skip
    if origin is Origin.DEVELOPMENT_ONLY:
        return _development_finding(path, item, resolution)
    dist = resolution.distribution
    if origin is Origin.NEW_DEPENDENCY:
        note = evidence.new_dependency_import_note(item.module, dist or "", resolution.reason, config)
        added = "a dependency added in this change"
        if resolution.reason.startswith("locked") and resolution.places:
            place = resolution.places[0]
            added = f"a package this change adds only to a lock file ({place.path}:{place.line}), not declared"
        return note.apply(finding(
            "HC003", path, item.line, item.column,
            f"{statement} is served only by `{dist}`, {added}",
            f"Check that `{dist}` is the real package you meant (an invented name can be registered by an "
            "attacker), " + approval_hint(dist or ""),
            module=item.module, distribution=dist,
        ))  # fmt: skip
    if item.guarded and dist is not None:
        return _optional_finding(path, item, resolution)
    if origin is Origin.REMOVED_DEPENDENCY:
        return finding(
            "HC005", path, item.line, item.column,
            f"{statement} needs `{dist}`, which this change removes from the manifests",
            f"Keep `{dist}` declared, or drop the import.",
            module=item.module, distribution=dist,
        )  # fmt: skip
    if origin is Origin.TRANSITIVE:
        return finding(
            "HC006", path, item.line, item.column,
            f"{statement}: `{item.module}` comes from `{dist}`, which is only locked as a dependency of another "
            "package (transitive)",
            f"Declare `{dist}` directly: it vanishes when the package that pulls it in drops it.",
            module=item.module, distribution=dist,
        )  # fmt: skip
    if origin is Origin.KNOWN_UNDECLARED:
        others = ", ".join(f"`{name}`" for name in resolution.distributions[1:])
        alternatives = f" (or {others})" if others else ""
        return evidence.undeclared_import_note(item.module, dist or "").apply(finding(
            "HC002", path, item.line, item.column,
            f"{statement}: `{item.module}` is provided by `{dist}`{alternatives}, which the project does not declare",
            f"Declare `{dist}` in your dependencies (pyproject.toml or requirements.txt).",
            module=item.module, distribution=dist,
        ))  # fmt: skip
    if origin is Origin.NAMESAKE and dist is not None:
        return _namesake_finding(path, item, dist)
    note = evidence.unknown_import_note(item.module, config)
    if item.guarded:
        return note.apply(finding(
            "HC001", path, item.line, item.column,
            f"{statement}: no declared dependency or known distribution provides `{item.module}`; it may be "
            "hallucinated, and guarding it with try/except does not make an invented package safe",
            "Check the name: someone will `pip install` it to get the optional feature, and an attacker can "
            "register it. If the package is real, declare it as an optional dependency.",
            module=item.module,
        ))  # fmt: skip
    namesake = f" (the popular distribution `{dist}` has its name: declare it if that is the one you mean)" \
        if dist else ""
    return note.apply(finding(
        "HC001", path, item.line, item.column,
        f"{statement}: no declared dependency or known distribution provides `{item.module}`; it may be hallucinated"
        + namesake,
        "Check the name. If the package is real, declare the distribution that provides it; "
        "if the module is first-party, make sure it is committed.",
        module=item.module,
    ))  # fmt: skip


def _namesake_finding(path: str, item: ImportedModule, dist: str) -> Finding:
    """An import nothing declares whose name is an established distribution's (HC007): undeclared, not invented."""
    from hallucheck.evidence.popular import popularity_rank

    rank = popularity_rank(dist)
    established = f", #{rank:,} by downloads" if rank is not None else ""
    return finding(
        "HC007", path, item.line, item.column,
        f"`{item.statement}`: undeclared: declare `{dist}` (the established distribution named `{item.top_level}`"
        f"{established}); the project declares nothing that provides `{item.module}`",
        f"Declare `{dist}` where the project lists its dependencies (a test-only package in a test extra, "
        "dependency group, tox or nox). It may arrive today through another package; that stops without notice.",
        module=item.module, distribution=dist,
    )  # fmt: skip


def _development_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding:
    """The package's own code imports what only development environments install (HC008)."""
    dist = resolution.distribution
    where = ", ".join(dict.fromkeys(f"{place.path}:{place.line}" for place in resolution.places[:3]))
    return finding(
        "HC008", path, item.line, item.column,
        f"`{item.statement}`: `{dist}` is declared for development only ({where}), but {path} is not a test, "
        "docs or tooling file",
        f"Declare `{dist}` as a runtime dependency if the package needs it, or move the import into test or "
        "tooling code. It works under tox and fails for users who install the package.",
        module=item.module, distribution=dist,
    )  # fmt: skip


def _optional_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding:
    """A guarded import of a real distribution that is not declared (or no longer is): a warning."""
    dist = resolution.distribution
    why = "which this change removes from the manifests" if resolution.origin is Origin.REMOVED_DEPENDENCY else (
        "which the project does not declare"
    )
    return finding(
        "HC023", path, item.line, item.column,
        f"{_statement(item)} is an optional import of `{item.module}`, provided by `{dist}`, {why}",
        f"Declare `{dist}` as an optional dependency (an extra in [project.optional-dependencies]), "
        "so that users can install the feature it enables.",
        module=item.module, distribution=dist,
    )  # fmt: skip


def _statement(item: ImportedModule) -> str:
    return f"`{item.statement}`"


def _path_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding | None:
    """Findings about the module path itself: removed or too-new stdlib modules, stale package paths.

    A version test around the import (``if sys.version_info >= (3, 11):``) handles the
    version difference; a try/except guard handles a too-new module, and makes a
    removed module or stale path a warning (it is compatibility code).
    """
    origin, statement = resolution.origin, _statement(item)
    if origin is Origin.STDLIB_TOO_NEW:
        if item.guarded or item.version_gated:
            return None
        return finding(
            "HC021", path, item.line, item.column, f"{statement}: `{item.top_level}` is {resolution.note}",
            "Guard the import with a version test or try/except (and a backport), or raise requires-python.",
            module=item.module,
        )  # fmt: skip
    if origin is Origin.STDLIB_REMOVED:
        if item.version_gated or (item.guarded and stdlib.is_python2_module(item.top_level)):
            return None  # compatibility code: the other branch serves the Python you support
        result = finding(
            "HC020", path, item.line, item.column, f"{statement}: `{item.top_level}` was {resolution.note}",
            "Use the replacement, or declare a distribution that still provides the module.",
            module=item.module,
        )  # fmt: skip
    else:
        result = finding(
            "HC022", path, item.line, item.column, f"{statement}: {resolution.note}",
            "Import it from its current location (the distribution moved or removed this path).",
            module=item.module, distribution=resolution.distribution,
        )  # fmt: skip
    if item.guarded:
        return replace(result, severity=Severity.WARNING, message=result.message + " (guarded by try/except)")
    if item.fallback and origin in (Origin.STALE, Origin.STDLIB_REMOVED):
        return replace(result, severity=Severity.WARNING,
                       message=result.message + " (compatibility code: an `except ImportError:` fallback or a "
                       "branch chosen by a version test)")
    return result


def _manifest_findings(diff: ManifestDiff, config: Config) -> list[Finding]:
    findings = _problem_findings(diff.problems, blocking=True)
    findings += _problem_findings(diff.fixed, blocking=False)
    for dependency in diff.added:
        findings.append(evidence.dependency_finding(dependency, config))
    return findings


def _problem_findings(problems: Sequence[ManifestProblem], *, blocking: bool) -> list[Finding]:
    findings = []
    for problem in problems:
        item = finding(
            problem.code, problem.path, problem.line, 0, f"cannot read {problem.path}: {problem.message}",
            _PROBLEM_HINTS.get(problem.code, _PROBLEM_HINTS["HC011"]),
        )  # fmt: skip
        if not blocking and item.blocks:
            item = replace(item, severity=Severity.WARNING, message=item.message + " (fixed by this change)")
        elif not blocking:
            continue  # a warning that went away needs no mention
        findings.append(item)
    return findings


_PROBLEM_HINTS = {
    "HC011": "Fix the manifest; hallucheck cannot tell which dependencies are declared until it parses.",
    "HC012": "Save the file as UTF-8.",
    "HC013": "Dependencies declared there are not counted; declare them where they can be read without "
    "running code (pyproject.toml, setup.cfg or a requirements file).",
}


# --- Notebooks and install commands ---------------------------------------------------------------------


def installed_for_review(change: Change) -> dict[str, Finding]:
    """Normalised name -> the review (HC040) of each package an added install command names that needs one."""
    from hallucheck.evidence.installed import REVIEW_CODE

    if not change.text_files:
        return {}
    findings = _text_file_findings(change, ChangeManifests(change))[0]
    return {item.distribution: item for item in findings if item.code == REVIEW_CODE and item.distribution}


def _text_file_findings(change: Change, manifests: ChangeManifests) -> tuple[list[Finding], int, list[Resolved]]:
    """Findings for changed notebooks (imports and installs, cell by cell) and install commands in other files."""
    from hallucheck.evidence.installed import REVIEW_CODE, installed_finding
    from hallucheck.sources.install_files import NOTEBOOK, installed_names

    findings: list[Finding] = []
    installs: list[_Install] = []
    checked = 0
    resolved: list[Resolved] = []
    for changed in change.text_files:
        if changed.kind == NOTEBOOK:
            notebook_findings, notebook_installs, imports, notebook_resolved = _notebook(changed, manifests, change)
            findings += notebook_findings
            installs += notebook_installs
            checked += imports
            resolved += notebook_resolved
            continue
        text = _text(changed.content)
        base_lines = {line.strip() for base in changed.base_contents for line in _text(base).split("\n")}
        physical = text.split("\n")
        for found in installed_names(changed.path, text, None if changed.whole_file else changed.added_lines,
                                     changed.kind):
            written = physical[found.line - 1] if 0 < found.line <= len(physical) else ""
            if changed.whole_file or written.strip() not in base_lines:  # else moved, not new
                installs.append(_Install(_place(changed.path, found.line, found.column), found.command.text,
                                         found.argument, written))
    results = [(item, installed_finding(item.place, item.command, item.argument, change.config))
               for item in installs]  # popular names pass without reading a manifest
    results = [(item, result if result is None else installed_finding(
        item.place, item.command, item.argument, change.config, _declared_names(manifests, item.place.path)))
        for item, result in results]  # fmt: skip
    if change.registry is not None:
        names = sorted({result.distribution for _, result in results
                        if result is not None and result.code == REVIEW_CODE and result.distribution})
        if names:
            answer = change.registry.lookup(names)
            results = [(item, installed_finding(item.place, item.command, item.argument, change.config,
                                                _declared_names(manifests, item.place.path), answer)
                        if result is not None and result.code == REVIEW_CODE else result)
                       for item, result in results]
    for item, result in results:
        if result is not None and not _directive_covers(item.written, item.place.path, item.place.line, result.code):
            findings.append(result)
    return findings, checked, resolved


@dataclass(frozen=True)
class _Install:
    """A package an added install command names, where it is written."""

    place: Place
    command: str
    argument: InstallArgument
    written: str
    """The physical line, for suppression comments."""


def _place(path: str, line: int, column: int, prefix: str = "") -> Place:
    from hallucheck.evidence.installed import Place

    return Place(path, line, column, prefix)


def _declared_names(manifests: ChangeManifests, path: str) -> frozenset[str]:
    """Names the project of ``path`` declares at the target, and its own names."""
    declared = manifests.target.declared_for(path)
    names = set(declared.dependencies)
    names.update(item.name for item in declared.first_party if item.name)
    return frozenset(names)


def _notebook(
    changed: ChangedTextFile, manifests: ChangeManifests, change: Change
) -> tuple[list[Finding], list[_Install], int, list[Resolved]]:
    """A notebook's new cells: their imports (resolved as a ``.py`` file's) and their install commands."""
    from hallucheck.sources.install_commands import install_commands
    from hallucheck.sources.install_files import MARKDOWN, installed_names
    from hallucheck.sources.notebooks import (
        CODE,
        NotebookError,
        base_lines,
        new_cells,
        python_source,
        read_notebook,
        shell_lines,
    )
    from hallucheck.sources.notebooks import MARKDOWN as MARKDOWN_CELL

    try:
        notebook = read_notebook(_text(changed.content))
    except NotebookError as error:
        return [finding(
            "HC041", changed.path, error.line, 0, f"cannot read notebook {changed.path}: {error.message}",
            "Fix the notebook (open it in Jupyter, or `git checkout` a good version); its cells were not checked.",
        )], [], 0, []  # fmt: skip
    bases = []
    for content in changed.base_contents:
        try:
            bases.append(read_notebook(_text(content)))
        except NotebookError:
            continue  # a broken base vouches for nothing: every cell counts as new
    findings: list[Finding] = []
    installs: list[_Install] = []
    resolved: list[Resolved] = []
    checked = 0
    old_code = base_lines(bases, CODE)
    old_markdown = base_lines(bases, MARKDOWN_CELL)
    base_sources = [text for base in bases for cell in base.cells if cell.kind == CODE
                    if (text := python_source(cell)) is not None]
    # What the notebook installs for itself (`%pip install x` in any cell) declares for its own imports, as a
    # script's PEP 723 block does; each installed name is checked as an install command when it is new.
    own = [Dependency(_normalized_name(argument.name), argument.requirement, changed.path, cell.json_line(number))
           for cell in notebook.cells if cell.kind == CODE and notebook.is_python
           for number, line in shell_lines(cell) for command in install_commands(line)
           for argument in command.arguments]  # fmt: skip
    for cell in new_cells(notebook, bases) if not changed.whole_file else notebook.cells:
        where = f"cell {cell.number}"
        if cell.kind == MARKDOWN_CELL:
            for found in installed_names(changed.path, cell.source, None, MARKDOWN):
                if cell.lines[found.line - 1].strip() in old_markdown and not changed.whole_file:
                    continue
                place = _place(changed.path, cell.json_line(found.line), found.column, f"{where}, line {found.line}: ")
                installs.append(_Install(place, found.command.text, found.argument, cell.lines[found.line - 1]))
            continue
        if cell.kind != CODE or not notebook.is_python:
            continue
        for number, line in shell_lines(cell):
            if line.strip() in old_code and not changed.whole_file:
                continue
            for command in install_commands(line):
                for argument in command.arguments:
                    column = max(line.find(argument.requirement), 0) + 1
                    place = _place(changed.path, cell.json_line(number), column, f"{where}, line {number}: ")
                    installs.append(_Install(place, command.text, argument, line))
        source = python_source(cell)
        if source is None:
            continue
        scan = new_imports(source, _import_lines(source), base_sources)
        for problem in scan.syntax_errors:
            findings.append(replace(finding(
                "HC010", changed.path, cell.json_line(problem.line), problem.column,
                f"{where}, line {problem.line}: syntax error: {problem.message}",
                "Fix the cell (IPython accepts more than Python: hallucheck reads magics and shell escapes, not "
                "every extension); imports that could be read were still checked.",
            ), severity=Severity.WARNING))  # fmt: skip
        checked += len(scan.imports)
        for item in scan.imports:
            resolver, problems = manifests.resolver(changed.path)
            if problems:
                findings += _problem_findings(problems, blocking=True)
            if own:
                resolver = _with_declared(resolver, own, own)
            resolution = resolver.resolve(item, changed.path)
            resolved.append(Resolved(changed.path, item, resolution))
            result = import_finding(changed.path, item, resolution, change.config)
            written = cell.lines[item.line - 1] if item.line <= len(cell.lines) else ""
            if result is not None and not _directive_covers(written, changed.path, item.line, result.code):
                findings.append(replace(result, line=cell.json_line(item.line),
                                        message=f"{where}, line {item.line}: {result.message}"))
    return findings, installs, checked, resolved


def _normalized_name(name: str) -> str:
    from hallucheck.resolve.mapping import normalize_distribution

    return normalize_distribution(name)


def _directive_covers(line: str, path: str, number: int, code: str) -> bool:
    """Whether a ``# hallucheck: ignore[...]`` comment (``<!-- hallucheck: ignore[...] -->`` in Markdown) on
    ``line``, a command's or a cell's, silences ``code``."""
    match = _INSTALL_DIRECTIVE.search(line)
    if match is None:
        return False
    from hallucheck.policy.suppress import parse_directives

    comment = "#" + line[match.end("opening"):].replace("-->", " ")
    return any(directive.covers(code) for directive in parse_directives(comment, path, number, match.start() + 1))


_INSTALL_DIRECTIVE = re.compile(r"(?P<opening>#|<!--)\s*hallucheck\s*:", re.IGNORECASE)


def _text(content: bytes) -> str:
    return content.decode("utf-8-sig", "replace").replace("\r\n", "\n")
