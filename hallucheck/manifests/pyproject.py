"""``pyproject.toml``: PEP 621 ``[project]`` dependencies."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from hallucheck.manifests import Dependency, ManifestProblem
from hallucheck.manifests.names import parse_requirement

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(text: str, path: str) -> tuple[dict[str, Any] | None, ManifestProblem | None]:
    """Parse TOML, or describe where it is invalid."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else 1
        return None, ManifestProblem(path, line, f"invalid TOML: {_TOML_POSITION.sub('', message).strip()}")


def line_of(text: str, needle: str, default: int = 1) -> int:
    """The 1-based line where ``needle`` first appears as a quoted string, else ``default``."""
    for quote in ('"', "'"):
        position = text.find(f"{quote}{needle}{quote}")
        if position != -1:
            return text.count("\n", 0, position) + 1
    return default


def requirement_strings(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(table, requirement) pairs of PEP 621 dependencies and optional dependencies."""
    project = document.get("project")
    if not isinstance(project, dict):
        return
    for requirement in _strings(project.get("dependencies")):
        yield "project.dependencies", requirement
    optional = project.get("optional-dependencies")
    if isinstance(optional, dict):
        for extra, requirements in optional.items():
            for requirement in _strings(requirements):
                yield f"project.optional-dependencies.{extra}", requirement


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def read(text: str, path: str) -> tuple[list[Dependency], list[ManifestProblem]]:
    document, problem = load_toml(text, path)
    if document is None:
        return [], [problem] if problem else []
    dependencies: list[Dependency] = []
    problems: list[ManifestProblem] = []
    for table, requirement in requirement_strings(document):
        line = line_of(text, requirement)
        try:
            name = parse_requirement(requirement)
        except ValueError as error:
            problems.append(ManifestProblem(path, line, f"invalid requirement {requirement!r} in [{table}]: {error}"))
            continue
        dependencies.append(Dependency(name, requirement, path, line))
    return dependencies, problems
