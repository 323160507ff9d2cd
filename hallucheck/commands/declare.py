"""Declaring a distribution in a project's manifest, as ``hallucheck approve --declare`` does.

The manifest is the one the project's imports are checked against: ``[project] dependencies`` of its
``pyproject.toml`` (edited with tomlkit, every other byte kept), or, when the project lists its
dependencies in a requirements file (no ``[project]`` table, or ``dependencies`` declared ``dynamic``
and read from a file), that file, edited as text. A development dependency (an import in tests, docs or
tooling) goes where development dependencies already are: a ``test``/``tests``/``dev`` dependency group
(PEP 735) or extra, else a new ``[dependency-groups] dev``; in a requirements project,
``requirements-dev.txt`` (or the test/dev requirements file it already has). The functions here are pure:
text in, text out; the command shows the edit as a diff before it writes it.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable
from typing import Any

from hallucheck.lazy import record

PYPROJECT = "pyproject.toml"
REQUIREMENTS = "requirements.txt"
DEV_REQUIREMENTS = (
    "requirements-dev.txt", "requirements-test.txt", "dev-requirements.txt", "test-requirements.txt",
    "requirements/dev.txt", "requirements/test.txt",
)
"""Development requirements files, in the order they are preferred; the first is created when none exists."""
DEV_NAMES = ("test", "tests", "dev")
"""Dependency groups and extras that hold development dependencies, in the order they are preferred."""


class DeclareError(Exception):
    """The dependency cannot be declared automatically; the message says where to declare it by hand."""


@record(frozen=True)
class Declaration:
    """One manifest edit: the file, its text before and after."""

    path: str
    before: str | None
    after: str

    def diff(self) -> str:
        """The edit as a unified diff, for the person to see before it is written."""
        lines = difflib.unified_diff(
            (self.before or "").splitlines(keepends=True), self.after.splitlines(keepends=True),
            f"a/{self.path}", f"b/{self.path}", n=1,
        )  # fmt: skip
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def declare(
    read: Callable[[str], str | None], directory: str, requirements: list[str], *, dev: bool = False,
    configured: str | None = None,
) -> Declaration:
    """The edit that declares ``requirements`` (for development only with ``dev``) in the project of
    ``directory``; ``read`` reads a file's text (a path relative to the repository root, None when it does
    not exist). ``configured`` is a requirements file the ``manifests`` setting makes count there: it takes
    them when the project has no ``[project]`` table and no requirements.txt of its own."""
    def inside(name: str) -> str:
        return posixpath.join(directory, name) if directory else name

    pyproject = inside(PYPROJECT)
    text = read(pyproject)
    if text is not None:
        document = _parse(text, pyproject)
        project = document.get("project")
        if isinstance(project, dict):
            if dev:
                return Declaration(pyproject, text, add_to_pyproject(text, requirements, pyproject, dev=True))
            listed = _dynamic_file(document)
            if listed is None:
                return Declaration(pyproject, text, add_to_pyproject(text, requirements, pyproject))
            path = inside(listed)
            return Declaration(path, read(path), add_to_requirements(read(path), requirements))
    if dev:
        path = next((inside(name) for name in DEV_REQUIREMENTS if read(inside(name)) is not None),
                    inside(DEV_REQUIREMENTS[0]))
        return Declaration(path, read(path), add_to_requirements(read(path), requirements))
    path = inside(REQUIREMENTS)
    existing = read(path)
    if existing is None and configured is not None:
        return Declaration(configured, read(configured), add_to_requirements(read(configured), requirements))
    if existing is None and text is not None:
        raise DeclareError(
            f"{pyproject} has no [project] table and there is no {path}: declare "
            + ", ".join(f"`{item}`" for item in requirements) + " where this project lists its dependencies"
        )
    return Declaration(path, existing, add_to_requirements(existing, requirements))


def add_to_pyproject(text: str, requirements: list[str], path: str = PYPROJECT, *, dev: bool = False) -> str:
    """``text`` with ``requirements`` appended to ``[project] dependencies`` (with ``dev``, to a development
    dependency group or extra); every other byte is kept."""
    import tomlkit

    document = _parse(text, path)
    keys = _dev_keys(document) if dev else ("project", "dependencies")
    table = document
    for depth, key in enumerate(keys[:-1]):
        if key not in table:
            table[key] = tomlkit.table(is_super_table=depth < len(keys) - 2)
        table = table[key]
    dependencies = table.get(keys[-1])
    if dependencies is None:
        table[keys[-1]] = tomlkit.array()
        dependencies = table[keys[-1]]
    if not isinstance(dependencies, list):
        raise DeclareError(f"{path}: {'.'.join(keys)} is not a list; declare it by hand")
    before = list(dependencies)
    for requirement in requirements:
        dependencies.append(requirement)
    edited = tomlkit.dumps(document)
    if "\r\n" in text:  # what tomlkit inserted, in the file's newline style
        edited = re.sub(r"(?<!\r)\n", "\r\n", edited)
    _verify(text, edited, keys, before + requirements, path)
    return edited


def _dev_keys(document: Any) -> tuple[str, ...]:
    """Where development dependencies go: an existing test/dev dependency group, else such an extra, else a
    new ``dev`` group."""
    groups = document.get("dependency-groups")
    if isinstance(groups, dict):
        name = next((name for name in DEV_NAMES if name in groups), DEV_NAMES[-1])
        return ("dependency-groups", name)
    extras = document.get("project", {}).get("optional-dependencies")
    if isinstance(extras, dict):
        extra = next((name for name in DEV_NAMES if name in extras), None)
        if extra is not None:
            return ("project", "optional-dependencies", extra)
    return ("dependency-groups", DEV_NAMES[-1])


def add_to_requirements(text: str | None, requirements: list[str]) -> str:
    """A requirements file's ``text`` (None: a new file) with one line per requirement appended."""
    original = text or ""
    newline = "\r\n" if "\r\n" in original else "\n"
    if original and not original.endswith("\n"):
        original += newline
    return original + "".join(requirement + newline for requirement in requirements)


def _dynamic_file(document: dict[str, Any]) -> str | None:
    """The requirements file setuptools reads ``dependencies`` from, when they are declared ``dynamic``."""
    project = document.get("project", {})
    if "dependencies" not in (project.get("dynamic") or ()):
        return None
    tool = document.get("tool", {})
    dynamic = tool.get("setuptools", {}).get("dynamic", {}) if isinstance(tool, dict) else {}
    files = dynamic.get("dependencies", {}).get("file") if isinstance(dynamic, dict) else None
    if isinstance(files, str):
        return files
    if isinstance(files, list) and files and isinstance(files[0], str):
        return str(files[0])
    raise DeclareError("[project] dependencies are dynamic and not read from a file; declare it by hand")


def _parse(text: str, path: str) -> Any:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        raise DeclareError(f"{path}: invalid TOML: {error}") from None
    except (RecursionError, ValueError):
        raise DeclareError(f"{path}: cannot read this TOML; declare the dependency by hand") from None


def _verify(original: str, edited: str, keys: tuple[str, ...], dependencies: list[str], path: str) -> None:
    """The edit only added the requirements: the parsed document is the original's plus them."""
    from hallucheck.manifests.tomlfile import load_toml

    old, _ = load_toml(original, path)
    new, _ = load_toml(edited, path)
    if old is None or new is None or _at(new, keys) != dependencies:
        raise DeclareError(f"{path}: the dependency could not be declared safely; declare it by hand")
    old_node, new_node = old, new
    for key in keys[:-1]:  # take the requirements (and any table created for them) out again
        if key not in old_node:
            new_node.pop(key, None)
            break
        old_node, new_node = old_node[key], new_node[key]
    else:
        if keys[-1] in old_node:
            new_node[keys[-1]] = old_node[keys[-1]]
        else:
            new_node.pop(keys[-1], None)
    if new != old:
        raise DeclareError(f"{path}: declaring the dependency would change other values; declare it by hand")


def _at(document: dict[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = document
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node
