"""Findings for imports: what an added import resolved to, worded as a rule's finding with its hint.

One function per family of codes: unresolved and undeclared imports (HC001, HC002, HC007), imports of
dependencies the change adds or removes (HC003, HC005), transitive, development-only and optional imports
(HC006, HC008, HC023), missing relative imports (HC009), and module paths the standard library or a
distribution moved, removed or deprecated (HC020-HC024).
"""

from __future__ import annotations

from dataclasses import replace

from hallucheck.config import Config
from hallucheck.evidence import dependencies as evidence
from hallucheck.findings import Finding, Severity, approval_hint, finding
from hallucheck.resolve import stdlib
from hallucheck.resolve.resolver import RESOLVED, Origin, Resolution
from hallucheck.sources.imported import ImportedModule


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
        return _new_dependency_finding(path, item, resolution, config)
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
    return _unknown_finding(path, item, dist, config)


def _new_dependency_finding(path: str, item: ImportedModule, resolution: Resolution, config: Config) -> Finding:
    """An import served only by a dependency the change adds (HC003): reviewed with that dependency."""
    dist = resolution.distribution
    note = evidence.new_dependency_import_note(item.module, dist or "", resolution.reason, config)
    added = "a dependency added in this change"
    if resolution.reason.startswith("locked") and resolution.places:
        place = resolution.places[0]
        added = f"a package this change adds only to a lock file ({place.path}:{place.line}), not declared"
    return note.apply(finding(
        "HC003", path, item.line, item.column,
        f"{_statement(item)} is served only by `{dist}`, {added}",
        f"Check that `{dist}` is the real package you meant (an invented name can be registered by an "
        "attacker), " + approval_hint(dist or ""),
        module=item.module, distribution=dist,
    ))  # fmt: skip


def _unknown_finding(path: str, item: ImportedModule, dist: str | None, config: Config) -> Finding:
    """An import nothing declared or known provides (HC001); ``dist`` is a popular distribution of its name."""
    statement = _statement(item)
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

