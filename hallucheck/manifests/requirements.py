"""pip requirements files (``requirements*.txt``)."""

from __future__ import annotations

import re

from hallucheck.manifests import Dependency, ManifestProblem
from hallucheck.manifests.names import parse_requirement

_COMMENT = re.compile(r"(^|\s)#.*$")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with comments removed and backslash continuations joined, each with its first line number."""
    joined: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            joined.append((start, pending.strip()))
        pending = ""
    if pending.strip():
        joined.append((start, pending.strip()))
    return joined


def read(text: str, path: str) -> tuple[list[Dependency], list[ManifestProblem]]:
    dependencies: list[Dependency] = []
    problems: list[ManifestProblem] = []
    for line, content in logical_lines(text):
        if content.startswith("-"):
            continue  # options, includes and editable installs are widened by the manifests issue
        requirement = content.split(" --", 1)[0].strip()  # per-requirement options such as --hash
        try:
            name = parse_requirement(requirement)
        except ValueError as error:
            problems.append(ManifestProblem(path, line, f"invalid requirement {requirement!r}: {error}"))
            continue
        dependencies.append(Dependency(name, requirement, path, line))
    return dependencies, problems
