"""Modules that tools configured in ``pyproject.toml`` import when they run: mypy's ``plugins`` (``[tool.mypy]``)
and the plugins pytest loads with ``-p NAME`` in ``addopts`` (``[tool.pytest.ini_options]``, pytest 9's
``[tool.pytest]``). Each is an import the project's development environment makes, read like one.

Read with ``tomllib`` (a document that does not parse names nothing: the manifest reader reports it), placed with
:class:`~.tomlfile.TomlLines`. A mypy plugin given as a file path, pytest's own plugins (``-p pytester``) and
``-p no:NAME`` (which disables one) name no module to resolve; ``mypy_zope:plugin`` names module
``mypy_zope``. Pure text in, references out.
"""

from __future__ import annotations

import shlex
from typing import Any

from hallucheck.lazy import record
from hallucheck.manifests.tomlfile import Path, TomlLines, load_toml
from hallucheck.sources.imported import PYTEST_BUILTIN_PLUGINS

_HINTS = ("plugins", "addopts")


@record(frozen=True)
class ToolModule:
    """A module a tool imports, where its configuration names it."""

    line: int
    module: str
    where: str
    """``[tool.mypy] plugins``, ``[tool.pytest.ini_options] addopts``."""


def tool_modules(text: str, path: str = "pyproject.toml") -> list[ToolModule]:
    """The modules the tool tables of the ``pyproject.toml`` ``text`` make mypy and pytest import."""
    if not any(hint in text for hint in _HINTS):
        return []
    document, problem = load_toml(text, path)
    if document is None or problem is not None:
        return []
    lines = TomlLines(text)
    tool = _table(document, "tool")
    found = [_placed(lines, ("tool", "mypy", "plugins"), plugin, plugin.strip().partition(":")[0])
             for plugin in _strings(_table(tool, "mypy").get("plugins"), ",")
             if _is_module(plugin.strip().partition(":")[0])]  # fmt: skip  # `module:entry_point` too
    for key in (("tool", "pytest", "ini_options"), ("tool", "pytest")):
        addopts = _table(document, *key).get("addopts")
        words = addopts if isinstance(addopts, list) else _split(addopts) if isinstance(addopts, str) else []
        found += [_placed(lines, (*key, "addopts"), name, name) for name in _pytest_plugins(words)]
    return found


def _placed(lines: TomlLines, key: Path, literal: str, module: str) -> ToolModule:
    return ToolModule(lines.line_of(key, literal), module, f"[{'.'.join(key[:-1])}] {key[-1]}")


def _pytest_plugins(words: list[Any]) -> list[str]:
    """The plugin names of ``-p NAME``/``-pNAME`` options that load a module."""
    names = []
    strings = [word for word in words if isinstance(word, str)]
    for index, word in enumerate(strings):
        name = strings[index + 1] if word == "-p" and index + 1 < len(strings) else word[2:] if (
            word.startswith("-p") and len(word) > 2 and not word.startswith("--")) else None  # fmt: skip
        if name and not name.startswith("no:") and name not in PYTEST_BUILTIN_PLUGINS and _is_module(name):
            names.append(name)
    return names


def _is_module(name: str) -> bool:
    """A dotted name of identifiers (not a file path: mypy also takes ``plugins/mine.py``)."""
    return bool(name) and all(part.isidentifier() for part in name.split("."))


def _split(value: str) -> list[str]:
    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def _strings(value: object, separator: str) -> list[str]:
    if isinstance(value, str):
        return value.split(separator)
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _table(value: object, *keys: str) -> dict[str, Any]:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}
