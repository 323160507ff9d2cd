"""Hints that depend on other findings: an import of a new dependency (HC003) points at that dependency's
error when it has one, else at how to approve it."""

from __future__ import annotations

from collections.abc import Sequence

from hallucheck.findings import Finding, Severity, approval_hint
from hallucheck.lazy import replace
from hallucheck.manifests import Dependency


def with_review_hints(
    findings: list[Finding], added: Sequence[Dependency], config_path: str | None = None
) -> list[Finding]:
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
                        "first: this import stands or falls with that dependency. Fix this import with it: import "
                        f"the module of the package you declare instead of `{item.module}`.")  # fmt: skip
            else:
                hint = (f"Check that `{item.distribution}` is the real package you meant (an invented name can be "
                        "registered by an attacker), " + approval_hint(item.distribution,
                        requirements.get(item.distribution), config_path))  # fmt: skip
            item = replace(item, hint=hint)
        result.append(item)
    return result

