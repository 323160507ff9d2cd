"""Modules the project's own code makes importable when it runs, read statically (nothing is imported or run).

- A file that registers a module by a literal name: ``sys.modules["sqla_plugin_base"] = module`` (or
  ``sys.modules.setdefault("name", module)``) in code that runs when the file runs: at module level or in a class
  body, not in a function nobody may call or under ``if False:``/``if TYPE_CHECKING:``. Such a registration counts
  for imports in the same file, in the
  files of its directory (sqlalchemy's ``testing/plugin/bootstrap.py`` for ``pytestplugin.py`` beside it), and in
  a file that runs it with ``exec`` (sqlalchemy's ``test/conftest.py`` compiles and runs bootstrap.py, named by a
  path built from ``__file__``).
- A notebook that writes a module into its working directory (on a kernel's ``sys.path``) with the cell magic
  ``%%writefile name.py`` or ``%%file name.py`` (the PythonDataScienceHandbook's ``mprun_demo``).

Each is asked only for an import nothing else resolves, so its cost falls on unknown names alone.
"""

from __future__ import annotations

import ast
import posixpath
import re

from hallucheck.lazy import LazyPattern
from hallucheck.snapshot import EntryKind, Snapshot

_REGISTRATION = b"sys.modules"
_WRITTEN_BY_A_CELL = LazyPattern(r'"%%(?:write)?file[ \t]+(?:-a[ \t]+)?([A-Za-z_]\w*)\.py(?:\\n|")')
"""A cell magic that writes a module, at the start of a notebook cell's source (a JSON string)."""


def registered_modules(snapshot: Snapshot, path: str) -> frozenset[str]:
    """Top-level names that code ``path`` runs with, or sits beside, puts in ``sys.modules`` by a literal name."""
    names: set[str] = set()
    for source in _sources_for(snapshot, path):
        names |= _registrations(snapshot.read(source) or b"", source)
    return frozenset(names)


def notebook_written_modules(snapshot: Snapshot, path: str) -> frozenset[str]:
    """Modules the notebook at ``path`` writes into its working directory with ``%%writefile``/``%%file``."""
    if not path.endswith(".ipynb"):
        return frozenset()
    data = snapshot.read(path)
    return frozenset(_WRITTEN_BY_A_CELL.findall(data.decode("utf-8", "replace"))) if data else frozenset()


def _sources_for(snapshot: Snapshot, path: str) -> list[str]:
    """The file, the Python files beside it, and the files it runs with ``exec`` (by a path it builds)."""
    directory = posixpath.dirname(path)
    beside = [posixpath.join(directory, name) for name, kind in sorted(snapshot.list_dir(directory).items())
              if kind is EntryKind.FILE and name.endswith(".py")]  # fmt: skip
    return list(dict.fromkeys([path, *beside, *_executed(snapshot, path)]))


def _executed(snapshot: Snapshot, path: str) -> list[str]:
    """Python files ``path`` reads to run with ``exec``: paths it builds from literals and ``__file__``."""
    data = snapshot.read(path) or b""
    if b"exec(" not in data:
        return []
    tree = _parse(data, path)
    if tree is None or not any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                               and node.func.id == "exec" for node in ast.walk(tree)):  # fmt: skip
        return []
    from hallucheck.resolve.pytest_paths import evaluate_path, single_bindings

    bindings = single_bindings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open" and node.args:
            target = evaluate_path(node.args[0], path, bindings)
            if target is not None and target.endswith(".py"):
                found.append(target)
    return found


def _registrations(data: bytes, path: str) -> set[str]:
    if _REGISTRATION not in data:
        return set()
    tree = _parse(data, path)
    names: set[str] = set()
    for node in _runs_with_the_file(tree) if tree is not None else ():
        key: ast.expr | None = None
        if isinstance(node, ast.Assign):
            key = next((target.slice for target in node.targets
                        if isinstance(target, ast.Subscript) and _is_sys_modules(target.value)), None)  # fmt: skip
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault" \
                and _is_sys_modules(node.func.value) and node.args:
            key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and re.fullmatch(r"[A-Za-z_][\w.]*", key.value):
            names.add(key.value.split(".")[0])
    return names


def _runs_with_the_file(tree: ast.Module) -> list[ast.AST]:
    """The nodes of code that runs when the module runs: not function bodies (a function may never be called), not
    the body of an ``if`` whose test is never true when run (``False``, ``0``, ``TYPE_CHECKING``)."""
    nodes: list[ast.AST] = []
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.If, ast.While)) and _never_true(node.test):
            stack.extend(reversed(node.orelse))
            continue
        nodes.append(node)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return nodes


def _never_true(test: ast.expr) -> bool:
    if isinstance(test, ast.Constant):
        return not test.value
    name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
    return name == "TYPE_CHECKING"


def _is_sys_modules(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "modules" and isinstance(node.value, ast.Name) \
        and node.value.id == "sys"


def _parse(data: bytes, path: str) -> ast.Module | None:
    try:
        return ast.parse(data.decode("utf-8", "replace"), path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
