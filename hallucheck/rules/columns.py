"""Where on its line a manifest finding points: the column its requirement starts at, as import findings
have (editors and SARIF viewers jump there)."""

from __future__ import annotations

import re

from hallucheck.findings import Finding
from hallucheck.lazy import replace
from hallucheck.snapshot import Snapshot


def with_manifest_columns(findings: list[Finding], snapshot: Snapshot) -> list[Finding]:
    """Manifest findings at the 1-based column where their requirement starts (like import findings)."""
    lines: dict[str, list[str]] = {}
    result = []
    for item in findings:
        if item.column == 0 and item.line > 0 and item.module is None and item.code != "HC010":
            if item.path not in lines:
                data = snapshot.read(item.path)
                lines[item.path] = data.decode("utf-8", "replace").split("\n") if data is not None else []
            text = lines[item.path][item.line - 1] if item.line <= len(lines[item.path]) else ""
            column = requirement_column(text, item.distribution)
            if column:
                item = replace(item, column=column)
        result.append(item)
    return result


def requirement_column(text: str, distribution: str | None) -> int:
    """Where ``distribution`` is written on ``text`` (any spelling PEP 503 folds together), else its first
    non-blank character; 1-based, 0 for a blank line."""
    if distribution:
        spelled = r"[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", distribution))
        match = re.search(rf"(?<![\w.-]){spelled}(?![\w])", text, re.IGNORECASE)
        if match:
            return match.start() + 1
    stripped = text.lstrip()
    return len(text) - len(stripped) + 1 if stripped else 0
