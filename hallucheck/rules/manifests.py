"""Findings for manifests: problems reading them (HC011-HC013), dependencies a change adds (HC004), and a
script's own PEP 723 block before and after the change."""

from __future__ import annotations

from collections.abc import Sequence

from hallucheck.config import Config
from hallucheck.evidence import dependencies as evidence
from hallucheck.findings import Finding, Severity, finding
from hallucheck.lazy import LazyPattern, record, replace
from hallucheck.manifests import Dependency, ManifestProblem
from hallucheck.manifests.diff import ManifestDiff
from hallucheck.manifests.scope import ProjectScopes


def manifest_findings(diff: ManifestDiff, config: Config) -> list[Finding]:
    findings = problem_findings(diff.problems, blocking=True)
    findings += problem_findings(diff.fixed, blocking=False)
    for dependency in diff.added:
        findings.append(evidence.dependency_finding(dependency, config))
    findings += _unrecorded_lock_findings(diff, config)
    return findings


def _unrecorded_lock_findings(diff: ManifestDiff, config: Config) -> list[Finding]:
    """The errors of each name a ``pylock.toml`` (PEP 751), ``Pipfile.lock`` or requirements lock (rye, ``uv export``)
    pins that no lock pinned before (HC030-HC032): ``pip install -r pylock.toml``, ``pipenv sync`` and ``rye sync``
    install every one (attack H23). These need not record what requires what (:func:`.locks.errors_only`), so a
    new name may be any package's requirement: only what is wrong wherever it is written blocks."""
    from hallucheck.manifests.locks import errors_only

    added = {(item.path, item.name) for item in diff.added}
    findings = []
    for place in diff.locked:
        if not errors_only(place.path) or (place.path, place.name) in added:
            continue
        verdict = evidence.dependency_finding(place, config)
        if verdict.code in COMMITTED_ERROR_CODES:
            findings.append(replace(verdict, message=verdict.message.replace("new dependency", "newly locked", 1)))
    return findings


COMMITTED_ERROR_CODES = frozenset({"HC030", "HC031", "HC032"})
"""What a declared name is wrong as wherever it is written: a look-alike of a popular name, a documented
hallucination, an import name used as a distribution name."""


def committed_dependency_findings(scopes: ProjectScopes, config: Config) -> list[Finding]:
    """Files mode: the errors of every dependency the committed manifests declare (HC030-HC032). Nothing is
    added, so there is no review (HC004); a popular name costs one look-up."""
    from hallucheck.evidence.popular import is_known_hallucination, popularity_rank

    findings: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for directory in scopes.all_project_directories():
        for name, places in sorted(scopes.own(directory).dependencies.items()):
            if popularity_rank(name) is not None and not is_known_hallucination(name, config.known_hallucinations):
                continue
            for place in places:
                key = (place.path, place.line, name)
                if key in seen:
                    continue
                seen.add(key)
                verdict = evidence.dependency_finding(place, config)
                if verdict.code not in COMMITTED_ERROR_CODES:
                    continue
                if verdict.code != "HC031" and not _pypi_requirement(place):
                    continue  # a conda package name is no PyPI name: its look-alikes mean nothing there (a
                    # documented hallucination is one in every namespace: `huggingface-cli` in environment.yml)
                findings.append(replace(verdict, message=verdict.message.replace("new dependency", "dependency", 1)))
    return findings


def _pypi_requirement(place: Dependency) -> bool:
    """Whether ``place`` names a PyPI distribution: not a conda manifest (environment.yml, a recipe, pixi.toml), and a
    PEP 508 requirement or a ``name = ...`` line (pixi's conda tables in pyproject.toml are read as ``name *``)."""
    from hallucheck.manifests import manifest_kind

    if manifest_kind(place.path) in ("conda", "conda-named", "conda-recipe", "pixi"):
        return False
    from packaging.requirements import InvalidRequirement, Requirement

    if _KEY_VALUE.match(place.requirement):  # Poetry, Pipfile, pixi's pypi tables: `name = "..."`
        return True
    try:
        Requirement(place.requirement)
    except InvalidRequirement:
        return False
    return True


_KEY_VALUE = LazyPattern(r"""^\s*["']?[A-Za-z0-9][\w.-]*["']?\s*=""")


def problem_findings(problems: Sequence[ManifestProblem], *, blocking: bool) -> list[Finding]:
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


@record
class ScriptDeclarations:
    """What the PEP 723 block of one changed script declares before and after the change."""

    base: list[Dependency]
    target: list[Dependency] | None
    """None when the file has no readable block now."""
    findings: list[Finding]
    """Problems of the block, and its dependencies added by the change (HC004)."""


def script_declarations(
    path: str, text: str, base_texts: Sequence[str], config: Config, *, whole_file: bool
) -> ScriptDeclarations | None:
    """The script block of the Python file ``path`` (None when neither version of the file has one)."""
    from hallucheck.manifests import pep723

    if pep723.MARKER not in text and not any(pep723.MARKER in base for base in base_texts):
        return None
    now = pep723.read_script(text, path)
    findings = problem_findings(now.problems, blocking=True) if now is not None else []
    if whole_file:  # files mode: nothing is added, the block as it is declares
        declared = now.dependencies if now is not None else []
        return ScriptDeclarations(declared, declared, findings)
    before = [pep723.read_script(base, path) for base in base_texts]
    base = [dependency for metadata in before if metadata for dependency in metadata.dependencies]
    if now is None:
        return ScriptDeclarations(base, None, findings)
    known = {dependency.name for dependency in base}
    findings += [evidence.dependency_finding(dependency, config)
                 for dependency in now.dependencies if dependency.name not in known]  # fmt: skip
    return ScriptDeclarations(base, now.dependencies, findings)
