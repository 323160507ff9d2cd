"""Modules that configuration makes a tool import when it runs (attack E9, E21): each is an import the project's
environment makes, read like one.

- ``pyproject.toml``: mypy's ``plugins``; pytest's ``-p NAME`` in ``addopts`` (``[tool.pytest.ini_options]``,
  pytest 9's ``[tool.pytest]``); coverage's ``[tool.coverage.run] plugins``; pylint's ``load-plugins``; the object
  references of ``[project.scripts]``, ``[project.gui-scripts]``, ``[project.entry-points.*]`` and Poetry's
  ``scripts``/``plugins``, which the installed console script or plugin host imports.
- INI files: ``[mypy] plugins`` (``mypy.ini``, ``.mypy.ini``, ``setup.cfg``); pytest's ``addopts`` (``[pytest]`` of
  ``pytest.ini``, ``.pytest.ini``, ``tox.ini``; ``[tool:pytest]`` of ``setup.cfg``); coverage's ``plugins``
  (``[run]`` of ``.coveragerc``, ``[coverage:run]`` of ``setup.cfg``/``tox.ini``); pylint's ``load-plugins``
  (``pylintrc``, ``.pylintrc``, ``[pylint.*]`` of ``setup.cfg``/``tox.ini``); ``setup.cfg``
  ``[options.entry_points]``.
- Python configuration: Sphinx's ``extensions`` in a ``conf.py``; a Django settings module's ``INSTALLED_APPS``,
  ``MIDDLEWARE``, ``AUTHENTICATION_BACKENDS``, ``EMAIL_BACKEND``, ``ROOT_URLCONF``, ``WSGI_APPLICATION`` and the
  like (:data:`DJANGO_SETTINGS`; Django imports each at start-up). Read with :mod:`ast`, which runs nothing;
  only module-level assignments of literals count.

A document that does not parse names nothing here (the manifest or import reader reports it). A mypy plugin given
as a file path, pytest's own plugins (``-p pytester``) and ``-p no:NAME`` name no module; an object path
(``pkg.mod:main``, ``pkg.mod.Class``) names its module part (:func:`~hallucheck.sources.dynamic.object_module`).
Pure text in, references out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from hallucheck.lazy import record
from hallucheck.manifests.tomlfile import Path, TomlLines, load_toml
from hallucheck.sources.dynamic import object_module
from hallucheck.sources.imported import PYTEST_BUILTIN_PLUGINS

if TYPE_CHECKING:
    import ast

_PYPROJECT_HINTS = ("plugins", "addopts", "scripts", "entry-points", "load-plugins")


@record(frozen=True)
class ToolModule:
    """A module a tool imports, where its configuration names it."""

    line: int
    module: str
    where: str
    """``[tool.mypy] plugins``, ``[project.scripts]``, ``[mypy] plugins``, ``INSTALLED_APPS``."""


def reads_tool_modules(path: str) -> bool:
    """Whether a file at ``path`` can name modules for a tool to import (a ``.py`` file may be Django settings)."""
    name = posixpath.basename(path)
    return name in _INI_SECTIONS or name == "pyproject.toml" or name.endswith(".py")


def tool_modules(text: str, path: str = "pyproject.toml") -> list[ToolModule]:
    """The modules the configuration ``text`` of the file at ``path`` makes a tool import."""
    name = posixpath.basename(path)
    if name == "pyproject.toml":
        return _pyproject_modules(text, path)
    if name in _INI_SECTIONS:
        return _ini_modules(text, _INI_SECTIONS[name])
    if name.endswith(".py"):
        return _python_modules(text, name == "conf.py")
    return []


# --- pyproject.toml ------------------------------------------------------------------------------------------


def _pyproject_modules(text: str, path: str) -> list[ToolModule]:
    if not any(hint in text for hint in _PYPROJECT_HINTS):
        return []
    document, problem = load_toml(text, path)
    if document is None or problem is not None:
        return []
    lines = TomlLines(text)
    found = [
        _placed(lines, ("tool", "mypy", "plugins"), plugin, _plugin_module(plugin))
        for plugin in _strings(_table(document, "tool", "mypy").get("plugins"), ",")
        if _is_module(_plugin_module(plugin))
    ]  # `module:entry_point` too
    for table_key in (("tool", "pytest", "ini_options"), ("tool", "pytest")):
        addopts = _table(document, *table_key).get("addopts")
        words = addopts if isinstance(addopts, list) else _split(addopts) if isinstance(addopts, str) else []
        found += [_placed(lines, (*table_key, "addopts"), name, name) for name in _pytest_plugins(words)]
    key: Path
    for key in (
        ("tool", "coverage", "run", "plugins"),
        ("tool", "pylint", "main", "load-plugins"),
        ("tool", "pylint", "MASTER", "load-plugins"),
    ):
        found += [
            _placed(lines, key, name, name.strip())
            for name in _strings(_table(document, *key[:-1]).get(key[-1]), ",")
            if _is_module(name.strip())
        ]
    groups: list[tuple[Path, dict[str, Any]]] = [
        (("project", "scripts"), _table(document, "project", "scripts")),
        (("project", "gui-scripts"), _table(document, "project", "gui-scripts")),
        (("tool", "poetry", "scripts"), _table(document, "tool", "poetry", "scripts")),
    ]
    for group_key in (("project", "entry-points"), ("tool", "poetry", "plugins")):
        groups += [
            ((*group_key, group), table)
            for group, table in _table(document, *group_key).items()
            if isinstance(table, dict)
        ]
    for group_path, table in groups:
        for entry, value in table.items():
            reference = value.get("callable") if isinstance(value, dict) else value  # poetry's {callable = ...}
            module = _reference_module(reference) if isinstance(reference, str) else ""
            if module:
                line = lines.line_of((*group_path, entry))
                found.append(ToolModule(line, module, f"[{'.'.join(group_path)}] {entry}"))
    return found


def _placed(lines: TomlLines, key: Path, literal: str, module: str) -> ToolModule:
    return ToolModule(lines.line_of(key, literal), module, f"[{'.'.join(key[:-1])}] {key[-1]}")


# --- INI files -----------------------------------------------------------------------------------------------

_Reader = Callable[[str], list[str]]


def _plugin_list(value: str) -> list[str]:
    return [name.strip() for name in value.replace("\n", ",").split(",") if _is_module(name.strip())]


def _mypy_plugins(value: str) -> list[str]:
    return [_plugin_module(name) for name in value.replace("\n", ",").split(",") if _is_module(_plugin_module(name))]


def _addopts(value: str) -> list[str]:
    return _pytest_plugins(_split(value))


def _entry_points(value: str) -> list[str]:
    modules = [_reference_module(line.partition("=")[2]) for line in value.splitlines() if "=" in line]
    return [module for module in modules if module]


_MYPY = ("mypy", "plugins", _mypy_plugins)
_COVERAGE = ("coverage:run", "plugins", _plugin_list)
_PYLINT = ("pylint.", "load-plugins", _plugin_list)  # a prefix: pylint reads every `[pylint.*]` section there
_INI_SECTIONS: dict[str, tuple[tuple[str, str, _Reader], ...]] = {
    "mypy.ini": (_MYPY,),
    ".mypy.ini": (_MYPY,),
    "pytest.ini": (("pytest", "addopts", _addopts),),
    ".pytest.ini": (("pytest", "addopts", _addopts),),
    "tox.ini": (("pytest", "addopts", _addopts), _COVERAGE, _PYLINT),
    "setup.cfg": (
        _MYPY,
        ("tool:pytest", "addopts", _addopts),
        _COVERAGE,
        _PYLINT,
        ("options.entry_points", "*", _entry_points),
    ),
    ".coveragerc": (("run", "plugins", _plugin_list),),
    "pylintrc": (("MAIN", "load-plugins", _plugin_list), ("MASTER", "load-plugins", _plugin_list)),
    ".pylintrc": (("MAIN", "load-plugins", _plugin_list), ("MASTER", "load-plugins", _plugin_list)),
}
"""Per file name: (section, option, what the option's value names) that make a tool import; ``*`` reads every
option of the section, a section ending in ``.`` every section it begins."""


def _ini_modules(text: str, readers: Iterable[tuple[str, str, _Reader]]) -> list[ToolModule]:
    if not any(option in text for _, option, _ in readers if option != "*") and "entry_points" not in text:
        return []
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except (configparser.Error, UnicodeError, ValueError):
        return []
    found = []
    for section_name, option, read in readers:
        sections = [
            name
            for name in parser.sections()
            if name == section_name or (section_name.endswith(".") and name.startswith(section_name))
        ]
        for section in sections:
            options = (
                parser.options(section) if option == "*" else [option] if parser.has_option(section, option) else []
            )
            for key in options:
                for module in read(parser.get(section, key, raw=True)):
                    found.append(ToolModule(_ini_line(text, section, module), module, f"[{section}] {key}"))
    return found


def _ini_line(text: str, section: str, literal: str) -> int:
    """The first line of ``section`` holding ``literal`` (the section's header when none does)."""
    current, header = None, 1
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1].strip()
            header = number if current == section else header
        elif current == section and literal in line:
            return number
    return header


# --- Python configuration ------------------------------------------------------------------------------------

SPHINX_EXTENSIONS = "conf.py extensions"
_DJANGO_MODULES = frozenset({"ROOT_URLCONF", "SESSION_ENGINE"})
"""Django settings naming a module; the others name objects (``pkg.middleware.Class``) or apps, read by their
module part."""
_DJANGO_OBJECTS = frozenset({
    "INSTALLED_APPS", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "AUTHENTICATION_BACKENDS", "PASSWORD_HASHERS",
    "WSGI_APPLICATION", "ASGI_APPLICATION", "EMAIL_BACKEND", "TEST_RUNNER",
})  # fmt: skip
DJANGO_SETTINGS = tuple(sorted(_DJANGO_MODULES | _DJANGO_OBJECTS))
"""Django's own settings that name code it imports (another library's ``*_BACKEND``, celery's
``CELERY_RESULT_BACKEND = "database"``, is not one)."""
_DJANGO_HINTS = ("INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF")


def _python_modules(text: str, sphinx: bool) -> list[ToolModule]:
    if not (sphinx and "extensions" in text) and not any(hint in text for hint in _DJANGO_HINTS):
        return []
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    django = any(hint in text for hint in _DJANGO_HINTS)
    found = []
    for statement in tree.body:
        for name, value in _assignments(statement):
            if sphinx and name == "extensions":
                found += [ToolModule(line, item, SPHINX_EXTENSIONS) for line, item in _literals(value)]
            elif django and name in _DJANGO_OBJECTS:
                found += [ToolModule(line, object_module(item), name) for line, item in _literals(value)]
            elif django and name in _DJANGO_MODULES:
                found += [ToolModule(line, item, name) for line, item in _literals(value)]
    return [item for item in found if _is_module(item.module)]


def _assignments(statement: ast.stmt) -> list[tuple[str, ast.expr]]:
    import ast

    if isinstance(statement, ast.Assign):
        return [(target.id, statement.value) for target in statement.targets if isinstance(target, ast.Name)]
    if isinstance(statement, ast.AugAssign | ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [(statement.target.id, statement.value)] if statement.value is not None else []
    return []


def _literals(value: ast.expr) -> list[tuple[int, str]]:
    """The string constants ``value`` holds: itself, or the items of a list, tuple or set display (nested too)."""
    import ast

    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [(value.lineno, value.value)]
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return [literal for item in value.elts for literal in _literals(item)]
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):  # [...] + [...]
        return _literals(value.left) + _literals(value.right)
    return []


# --- shared ----------------------------------------------------------------------------------------------------


def _reference_module(reference: str) -> str:
    """The module of an entry point's object reference (``pkg.mod:obj.attr [extra]``), empty when it names none."""
    module = reference.partition("[")[0].partition(":")[0].strip()
    return module if _is_module(module) else ""


def _plugin_module(plugin: str) -> str:
    return plugin.strip().partition(":")[0]


def _pytest_plugins(words: list[Any]) -> list[str]:
    """The plugin names of ``-p NAME``/``-pNAME`` options that load a module."""
    names = []
    strings = [word for word in words if isinstance(word, str)]
    for index, word in enumerate(strings):
        name = (
            strings[index + 1]
            if word == "-p" and index + 1 < len(strings)
            else word[2:]
            if (word.startswith("-p") and len(word) > 2 and not word.startswith("--"))
            else None
        )
        if name and not name.startswith("no:") and name not in PYTEST_BUILTIN_PLUGINS and _is_module(name):
            names.append(name)
    return names


def _is_module(name: str) -> bool:
    """A dotted name of identifiers (not a file path: mypy also takes ``plugins/mine.py``)."""
    return bool(name) and all(part.isidentifier() for part in name.split("."))


def _split(value: str) -> list[str]:
    import shlex

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
