"""``setup.py``, read statically with :mod:`ast` and never executed.

The ``setup(...)`` call's ``install_requires``, ``extras_require`` and
``tests_require`` (``setup_requires`` serves ``setup.py`` itself) are read when
they are literals: a list, tuple or string, a dict of those, a ``+`` of
those, or a name assigned such a literal exactly once at module level.
Anything computed (a function call, a comprehension, ``**kwargs``) cannot be
known without running the file: that is reported as a warning, and the
dependencies it would declare are not counted.

:func:`built_modules` reads, the same way, the modules ``ext_modules`` builds
(``Extension``, ``Pybind11Extension``, ``RustExtension``, ..., ``cythonize``):
the project's own code, though no ``.py`` file holds it.
"""

from __future__ import annotations

import ast
import posixpath
import re

from hallucheck.lazy import Slots
from hallucheck.manifests.limits import deepest_line
from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader

_KEYWORDS = ("install_requires", "extras_require", "tests_require", "setup_requires")
_ADVICE = "declare dependencies in pyproject.toml or setup.cfg so they can be read without running setup.py"


class _NotStatic(Exception):
    def __init__(self, node: ast.AST) -> None:
        super().__init__()
        self.line = getattr(node, "lineno", 1)


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``setup.py`` at ``path`` into ``reader``."""
    text = reader.text(path)
    if text is None:
        return
    try:
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError) as error:  # ValueError: a null byte, on some Python versions
        # Perhaps newer (or Python 2) syntax than this interpreter reads: not readable, not provably broken.
        line = getattr(error, "lineno", None) or text.count("\n", 0, max(text.find("\0"), 0)) + 1
        reason = error.msg if isinstance(error, SyntaxError) else str(error)
        reader.opaque(path, line, f"setup.py does not parse here ({reason}); {_ADVICE}")
        return
    except (RecursionError, MemoryError):  # nesting deeper than Python's parser goes
        reader.opaque(path, deepest_line(text), f"setup.py is nested too deeply to parse; {_ADVICE}")
        return
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_setup(node.func)]
    if not calls:
        if _imports_setuptools(tree):
            reader.opaque(path, 1, f"no setup(...) call found, so its dependencies are unknown; {_ADVICE}")
        return  # a module that happens to be called setup.py (a test helper), not a packaging script
    assignments = _module_assignments(tree)
    for call in calls:
        _read_call(reader, path, call, assignments)


def looks_like_packaging(text: str) -> bool:
    """Whether a ``setup.py`` calls ``setup(``: a packaging script, not a helper module of that name."""
    return re.search(r"\bsetup\s*\(", text) is not None


def _imports_setuptools(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        if any(name.split(".")[0] in ("setuptools", "distutils") for name in names):
            return True
    return False


def _is_setup(function: ast.expr) -> bool:
    return (isinstance(function, ast.Name) and function.id == "setup") or (
        isinstance(function, ast.Attribute) and function.attr == "setup"
    )


def _module_assignments(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Values assigned to each simple name at module level (more than one means it is not a constant)."""
    found: dict[str, list[ast.expr]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(statement.value)
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.value
        ):
            found.setdefault(statement.target.id, []).append(statement.value)
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
            found.setdefault(statement.target.id, []).append(statement)  # type: ignore[arg-type]
    return found


def _read_call(
    reader: ManifestReader, path: str, call: ast.Call, assignments: dict[str, list[ast.expr]]
) -> None:
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    if any(keyword.arg is None for keyword in call.keywords) and "install_requires" not in keywords:
        reader.opaque(path, call.lineno, f"setup(**...) may pass install_requires; {_ADVICE}")
    name = keywords.get("name")
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        reader.local(posixpath.dirname(path), path, name.lineno, canonical_name(name.value))
    for keyword in _KEYWORDS:
        value = keywords.get(keyword)
        if value is None:
            continue
        try:
            if keyword == "extras_require":
                requirements = [
                    item
                    for group in _dict_values(value, assignments)
                    for item in _strings(group, assignments)
                ]
            else:
                requirements = _strings(value, assignments)
        except _NotStatic as error:
            reader.opaque(
                path, error.line, f"setup.py computes {keyword}, so it cannot be read statically; {_ADVICE}"
            )
            continue
        for line, requirement in requirements:
            reader.requirement(
                requirement, path, line, f" in setup({keyword}=...)", build=keyword == "setup_requires"
            )


def _resolve_name(node: ast.expr, assignments: dict[str, list[ast.expr]]) -> ast.expr:
    if isinstance(node, ast.Name):
        values = assignments.get(node.id, [])
        if len(values) != 1 or not isinstance(values[0], ast.expr):
            raise _NotStatic(node)
        return values[0]
    return node


def _strings(node: ast.expr, assignments: dict[str, list[ast.expr]], depth: int = 0) -> list[tuple[int, str]]:
    """(line, requirement) of a literal list/tuple/string, possibly through a name or a ``+``."""
    if depth > 10:
        raise _NotStatic(node)
    node = _resolve_name(node, assignments)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [
            (node.lineno + offset, line.strip())
            for offset, line in enumerate(node.value.splitlines())
            if line.strip() and not line.strip().startswith("#")
        ]
    if isinstance(node, (ast.List, ast.Tuple)):
        found = []
        for element in node.elts:
            found += _strings(element, assignments, depth + 1) if not isinstance(element, ast.Starred) else (
                _strings(element.value, assignments, depth + 1))  # fmt: skip
        return found
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _strings(node.left, assignments, depth + 1) + _strings(node.right, assignments, depth + 1)
    raise _NotStatic(node)


def _dict_values(node: ast.expr, assignments: dict[str, list[ast.expr]]) -> list[ast.expr]:
    node = _resolve_name(node, assignments)
    if isinstance(node, ast.Dict) and all(key is not None for key in node.keys):
        return list(node.values)
    raise _NotStatic(node)


class BuiltModule(Slots):
    """A module that ``setup(ext_modules=...)`` builds, as written: its dotted name (None for the modules of the
    Cython sources a ``cythonize("pkg/*.pyx")`` pattern names) and its sources (paths relative to the
    ``setup.py``, or ``cythonize`` patterns)."""

    __slots__ = ("line", "name", "sources")

    name: str | None
    sources: tuple[str, ...]
    line: int

    def __init__(self, name: str | None, sources: tuple[str, ...], line: int) -> None:
        self.name = name
        self.sources = sources
        self.line = line


_RUST_DEFAULT = ("Cargo.toml",)
"""setuptools-rust's ``RustExtension(target, path="Cargo.toml")``."""


def built_modules(text: str) -> list[BuiltModule]:
    """The modules a ``setup.py``'s ``setup(ext_modules=...)`` builds, where literal: a list, tuple, ``+`` of
    those, or a name assigned once at module level, of ``*Extension(name, sources)`` calls (``name=``/
    ``sources=``, setuptools-rust's ``target=``/``path=``) and ``cythonize(...)`` of those or of path patterns.
    What is computed is left out (never guessed); a file that does not parse builds nothing known."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_setup(node.func)]
    assignments = _module_assignments(tree) if calls else {}
    found: list[BuiltModule] = []
    for call in calls:
        value = next((keyword.value for keyword in call.keywords if keyword.arg == "ext_modules"), None)
        if value is not None:
            found += _extensions(value, assignments, 0)
    return found


def _extensions(node: ast.expr, assignments: dict[str, list[ast.expr]], depth: int) -> list[BuiltModule]:
    if depth > 10:
        return []
    try:
        node = _resolve_name(node, assignments)
    except _NotStatic:
        return []
    if isinstance(node, (ast.List, ast.Tuple)):
        return [module for element in node.elts
                for module in _extensions(element.value if isinstance(element, ast.Starred) else element,
                                          assignments, depth + 1)]  # fmt: skip
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _extensions(node.left, assignments, depth + 1) + _extensions(node.right, assignments, depth + 1)
    if not isinstance(node, ast.Call):
        return []
    function = node.func.id if isinstance(node.func, ast.Name) else (
        node.func.attr if isinstance(node.func, ast.Attribute) else "")  # fmt: skip
    keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}
    if function == "cythonize":
        first = node.args[0] if node.args else keywords.get("module_list")
        if first is None:
            return []
        patterns = _literal_strings(first, assignments)
        if patterns is not None:
            return [BuiltModule(None, tuple(patterns), node.lineno)]
        return _extensions(first, assignments, depth + 1)
    if not function.endswith("Extension"):
        return []
    rust = function == "RustExtension"
    name_node = keywords.get("target" if rust else "name") or (node.args[0] if node.args else None)
    sources_node = keywords.get("path" if rust else "sources") or (node.args[1] if len(node.args) > 1 else None)
    names = _literal_strings(name_node, assignments) if name_node is not None else None
    if not names or len(names) != 1:
        return []
    sources = _literal_strings(sources_node, assignments) if sources_node is not None else (
        list(_RUST_DEFAULT) if rust else None)  # fmt: skip
    return [BuiltModule(names[0], tuple(sources or ()), node.lineno)]


def _literal_strings(node: ast.expr, assignments: dict[str, list[ast.expr]]) -> list[str] | None:
    """The strings of a literal string, or list/tuple (``+``, names assigned once) of them; None otherwise."""
    try:
        return [value for _, value in _strings(node, assignments)]
    except _NotStatic:
        return None
