"""Directories that pytest puts on ``sys.path`` for tests beyond its rootdir rule.

Two committed sources, both read statically (nothing is imported or run):

- a ``conftest.py``, or the ``__init__.py`` of a test package, that extends ``sys.path``: ``sys.path.insert(0, X)``,
  ``sys.path.append(X)``, ``monkeypatch.syspath_prepend(X)`` where X is built from
  ``__file__`` (``os.path.dirname``/``abspath``/``realpath``/``join``,
  ``pathlib.Path(...).parent``/``.parents[n]``/``/ "dir"``/``.resolve()``,
  ``str(...)``), a string literal (relative to the repository root, where pytest
  runs), or a name bound once to such an expression. Anything else is ignored;
- the ``pythonpath`` setting of the pytest configuration nearest to the test
  (``pytest.ini``, ``.pytest.ini``, ``[tool.pytest.ini_options]`` or ``[tool.pytest]``
  in ``pyproject.toml``, ``[pytest]`` in ``tox.ini``, ``[tool:pytest]`` in
  ``setup.cfg``), relative to that file's directory.

Those directories hold first-party code for test files only (see
:func:`hallucheck.manifests.roles.is_development_file`): the package's own code
never runs with them on ``sys.path``.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable

from hallucheck.snapshot import EntryKind, Snapshot

_PATH_FUNCTIONS = frozenset({"dirname", "abspath", "realpath", "normpath", "join", "Path", "PurePath", "str",
                             "fspath", "PosixPath"})  # fmt: skip
_IDENTITY_METHODS = frozenset({"resolve", "absolute", "expanduser"})
_MARKERS = (b"sys.path", b"syspath_prepend")
# pytest's order of configuration files in one directory, and the section holding its settings.
_INI_FILES = (("pytest.ini", "pytest"), (".pytest.ini", "pytest"), ("pyproject.toml", ""), ("tox.ini", "pytest"),
              ("setup.cfg", "tool:pytest"))  # fmt: skip


def conftest_paths(snapshot: Snapshot, conftest: str) -> list[str]:
    """Repository directories the ``conftest.py`` at ``conftest`` adds to ``sys.path``."""
    data = snapshot.read(conftest)
    if data is None or not any(marker in data for marker in _MARKERS):
        return []
    try:
        tree = ast.parse(data.decode("utf-8", "replace"), conftest)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    bindings = _single_bindings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        argument = _sys_path_argument(node)
        if argument is not None:
            try:
                value = _evaluate(argument, conftest, bindings, 0)
            except RecursionError:
                value = None
            if value is not None and value not in found:
                found.append(value)
    return found


def evaluate_path(node: ast.expr, file: str, bindings: dict[str, ast.expr]) -> str | None:
    """The repository path ``node`` evaluates to in ``file`` (as a ``sys.path`` argument is read), else None."""
    try:
        return _evaluate(node, file, bindings, 0)
    except RecursionError:
        return None


def single_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Names assigned exactly once in the file (anywhere), with their value."""
    return _single_bindings(tree)


def _sys_path_argument(node: ast.AST) -> ast.expr | None:
    """X in ``sys.path.insert(i, X)``, ``sys.path.append(X)``, ``<anything>.syspath_prepend(X)``."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    method, owner = node.func.attr, node.func.value
    if method == "syspath_prepend" and node.args:
        return node.args[0]
    is_sys_path = isinstance(owner, ast.Attribute) and owner.attr == "path" and isinstance(owner.value, ast.Name) \
        and owner.value.id == "sys"
    if is_sys_path and method == "insert" and len(node.args) == 2:
        return node.args[1]
    if is_sys_path and method == "append" and len(node.args) == 1:
        return node.args[0]
    return None


def _single_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Names assigned exactly once in the file (anywhere), with their value."""
    seen: dict[str, ast.expr | None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            seen[name] = None if name in seen else node.value
    return {name: value for name, value in seen.items() if value is not None}


def _evaluate(node: ast.expr, file: str, bindings: dict[str, ast.expr], depth: int) -> str | None:
    """The repository path ``node`` evaluates to (``file`` is ``__file__``); None when it cannot be known."""
    if depth > 20:
        return None

    def again(inner: ast.expr) -> str | None:
        return _evaluate(inner, file, bindings, depth + 1)

    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return file
        bound = bindings.get(node.id)
        return again(bound) if bound is not None else None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _normalise(node.value) if not node.value.startswith("/") else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = again(node.value)
        return None if inner is None else _normalise(posixpath.dirname(inner) or ".")
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        inner, index = again(node.value.value), node.slice
        if inner is None or not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
            return None
        for _ in range(index.value + 1):
            inner = posixpath.dirname(inner)
        return _normalise(inner or ".")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = again(node.left), _literal(node.right)
        return None if left is None or right is None else _normalise(posixpath.join(left, right))
    if isinstance(node, ast.Call):
        return _call(node, again)
    return None


def _call(node: ast.Call, again: Callable[[ast.expr], str | None]) -> str | None:
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(
        function, ast.Name) else ""  # fmt: skip
    if isinstance(function, ast.Attribute) and name in _IDENTITY_METHODS and not node.args:
        return again(function.value)
    if name not in _PATH_FUNCTIONS or not node.args or node.keywords:
        return None
    first = again(node.args[0])
    if first is None:
        return None
    if name == "dirname":
        return _normalise(posixpath.dirname(first) or ".")
    if name == "join":
        parts = [_literal(argument) for argument in node.args[1:]]
        return None if any(part is None for part in parts) else _normalise(posixpath.join(first, *parts))  # type: ignore[arg-type]
    return first if len(node.args) == 1 else None


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _normalise(path: str) -> str | None:
    joined = posixpath.normpath(path)
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
        return None
    return joined


def pythonpath(snapshot: Snapshot, directory: str, known: dict[str, list[str]] | None = None) -> list[str]:
    """The ``pythonpath`` of the pytest configuration nearest above ``directory``, as repository directories.

    ``known`` holds the answers for directories already asked (filled here): every directory below the
    configuration shares its answer, so a tree's test directories read and parse the configuration once.
    """
    known = {} if known is None else known
    current: str | None = directory
    visited: list[str] = []
    result: list[str] = []
    while current is not None:
        if current in known:
            result = known[current]
            break
        visited.append(current)
        found = _nearest_configured(snapshot, current)
        if found is not None:
            resolved = (_normalise(posixpath.join(current, item)) for item in found)
            result = [item for item in resolved if item is not None]
            break
        current = posixpath.dirname(current) if current else None
    for item in visited:
        known[item] = result
    return list(result)


def _nearest_configured(snapshot: Snapshot, directory: str) -> list[str] | None:
    """The ``pythonpath`` entries of the pytest configuration in ``directory``; None when it has none."""
    entries = snapshot.list_dir(directory)
    for name, section in _INI_FILES:
        if entries.get(name) is not EntryKind.FILE:
            continue
        found = _configured(snapshot, posixpath.join(directory, name) if directory else name, section)
        if found is not None:
            return found
    return None


def _configured(snapshot: Snapshot, path: str, section: str) -> list[str] | None:
    """``pythonpath`` of the file when it is a pytest configuration ([] when it has none); None when it is not one."""
    data = snapshot.read(path)
    if data is None:
        return None
    text = data.decode("utf-8", "replace")
    if not section:
        from hallucheck.resolve.tables import read_toml, table

        document = read_toml(snapshot, path)
        settings = table(document, "tool", "pytest", "ini_options") or table(document, "tool", "pytest")
        if not settings and "pytest" not in table(document, "tool"):
            return None
        value = settings.get("pythonpath", [])
        return value.split() if isinstance(value, str) else [item for item in value if isinstance(item, str)]
    from hallucheck.sources.ini import scan

    if f"[{section}]" not in text and not path.endswith("pytest.ini"):
        return None
    return [word for _, line in scan(text).get((section, "pythonpath"), []) for word in line.split()]


# --- modules a test writes at run time ----------------------------------------------------------------

_SYS_PATH_MARKERS = (b"sys.path", b"syspath_prepend", b"syspathinsert", b"pytester", b"testdir", b"pyimport",
                     b"import_path")  # fmt: skip
"""What a test file or its conftest.py says when it puts a directory on ``sys.path`` at run time (pytester
and ``py.path.local.pyimport`` do it themselves)."""
_WRITING_CALLS = frozenset({"joinpath", "mkdir", "makedirs", "ensure", "mkpydir", "write_text", "write_bytes",
                            "touch", "join", "open", "Path"})  # fmt: skip
"""Calls whose string arguments name what a test creates in a temporary directory."""


def puts_on_sys_path(text: bytes) -> bool:
    """Whether a test file (or a conftest.py) puts a directory on ``sys.path`` at run time, by its text."""
    return any(marker in text for marker in _SYS_PATH_MARKERS)


def written_modules(text: str, path: str) -> frozenset[str]:
    """Top-level module names a test file writes as files at run time, to import them.

    Read statically: a path part given as a string to a path-building call or to pathlib's ``/``
    (``tmp_path / "app.py"``, ``d.joinpath("pkg", "__init__.py")``, ``tmpdir.ensure("pkg", ...)``) names
    module ``app`` or package ``pkg``; a keyword of pytester's ``makepyfile(name="...")`` names module
    ``name``. Nothing is imported or run.
    """
    try:
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        parts: list[ast.expr] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            parts = [node.right]
        elif isinstance(node, ast.Call):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if called in _WRITING_CALLS:
                parts = list(node.args)
            if called.startswith("make") and called.endswith("file"):  # pytester.makepyfile(name="...")
                names.update(keyword.arg for keyword in node.keywords if keyword.arg)
        for part in parts:
            value = _literal(part)
            if value:
                names.add(_module_of(value))
    return frozenset(name for name in names if name.isidentifier())


def _module_of(value: str) -> str:
    """The top-level module a path part written by a test names: ``app.py`` -> app, ``pkg/__init__.py`` -> pkg."""
    first = value.strip("/").split("/", 1)[0]
    return first[:-3] if first.endswith(".py") else first
