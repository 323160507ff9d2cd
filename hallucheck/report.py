"""Reporters: findings to text or JSON. No finding logic lives here."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from hallucheck.findings import Finding, Severity

JSON_SCHEMA_VERSION = 1


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    counts = Counter(item.severity for item in findings)
    return {severity.value: counts.get(severity, 0) for severity in Severity} | {
        "blocking": sum(1 for item in findings if item.blocks)
    }


def render_text(findings: Sequence[Finding], *, checked: int) -> str:
    """ruff-like text: ``path:line:col: CODE [severity] message`` with an indented hint, then a summary."""
    lines = []
    for item in findings:
        lines.append(f"{item.path}:{item.line}:{item.column}: {item.code} [{item.severity.value}] {item.message}")
        lines.append(f"    hint: {item.hint}")
    lines.append(_summary_line(findings, checked))
    return "\n".join(lines) + "\n"


def _summary_line(findings: Sequence[Finding], checked: int) -> str:
    if not findings:
        return f"hallucheck: {checked} new import(s) checked, all resolve."
    counts = summary(findings)
    parts = [f"{counts[s.value]} {s.value}" for s in Severity if counts[s.value]]
    verdict = "blocked" if counts["blocking"] else "passed with warnings"
    return f"hallucheck: {verdict}: {', '.join(parts)} ({checked} new import(s) checked)."


def render_json(findings: Sequence[Finding], *, mode: str, checked: int) -> str:
    document = {
        "version": JSON_SCHEMA_VERSION,
        "mode": mode,
        "findings": [
            {
                "code": item.code,
                "severity": item.severity.value,
                "path": item.path,
                "line": item.line,
                "column": item.column,
                "module": item.module,
                "distribution": item.distribution,
                "message": item.message,
                "hint": item.hint,
            }
            for item in findings
        ],
        "summary": summary(findings) | {"imports_checked": checked},
    }
    return json.dumps(document, indent=2) + "\n"
