"""Calls that import a module named by a string: which names in a file are such calls.

``importlib.import_module("x")`` is the common spelling, but an agent that wants an
import through can write ``il.import_module`` after ``import importlib as il``, ``load("x")``
after ``from importlib import import_module as load``, ``__import__``, ``builtins.__import__``,
``runpy.run_module`` — or hide a whole statement in ``exec("import x")``. This module finds,
from the text of a file and without a parse, every dotted name by which the file can make
such a call, and what each stands for. No I/O, no libcst.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

IMPORTERS = frozenset({
    "__import__", "builtins.__import__", "importlib.__import__", "importlib.import_module",
    "runpy.run_module", "__builtins__.__import__", "pkgutil.resolve_name", "pytest.importorskip",
    "importlib.util.find_spec",
})  # fmt: skip
"""Calls whose first argument is the dotted name of a module to import (``pkgutil.resolve_name``
takes ``module:attribute``; ``pytest.importorskip`` skips the test when the import fails;
``find_spec`` finds the module that ``module_from_spec`` then loads)."""
OPTIONAL_IMPORTERS = frozenset({"pytest.importorskip", "importlib.util.find_spec"})
"""Importers that tolerate a missing module, like an import guarded by try/except."""
MEMBER_NAMES = frozenset({"__import__", "import_module", "run_module", "resolve_name", "importorskip", "find_spec"})
"""The attribute names under which a module offers an importer (``getattr(importlib, "import_module")``)."""
EXECUTORS = frozenset({"exec", "eval", "compile", "builtins.exec", "builtins.eval", "builtins.compile"})
"""Calls whose first argument is source code, which may hold import statements."""

_MEMBERS = {
    "importlib": ("import_module", "__import__"), "importlib.util": ("find_spec",), "runpy": ("run_module",),
    "builtins": ("__import__", "exec", "eval", "compile"), "pkgutil": ("resolve_name",), "pytest": ("importorskip",),
}  # fmt: skip
_MODULE = r"(importlib\.util|importlib|runpy|builtins|pkgutil|pytest)"
_MODULE_ALIAS = re.compile(rf"\bimport\s+{_MODULE}\s+as\s+(\w+)")
_FROM_IMPORT = re.compile(rf"\bfrom\s+{_MODULE}\s+import\s+(\([^)]*\)|[^\n;]*)")
_MEMBER = re.compile(r"(\w+)(?:\s+as\s+(\w+))?")
_ASSIGNED = re.compile(r"^[ \t]*(\w+)\s*(?::[^=\n]*)?=\s*([\w.]+)\s*(?:#[^\n]*)?$", re.MULTILINE)
_MENTIONS = re.compile(
    r"importlib|runpy|builtins|pkgutil|pytest|__import__|import_module|find_spec|\bexec\b|\beval\b|\bcompile\b"
)


def importer_names(text: str) -> dict[str, str]:
    """Dotted call names in ``text`` that import or execute, mapped to what they stand for.

    Always holds the built-in spellings (``__import__``, ``exec``, ``importlib.import_module``
    ...); aliases are added where the file binds them (``import importlib as il`` gives
    ``il.import_module``; ``from importlib import import_module`` gives ``import_module``;
    ``a = il`` then ``load = a.import_module`` gives ``a.import_module`` and ``load``).
    """
    names = {name: name for name in (*IMPORTERS, *EXECUTORS)}
    names["import_module"] = "importlib.import_module"  # the usual `from importlib import import_module`
    if not _MENTIONS.search(text):
        return names
    modules = {module: module for module in _MEMBERS}  # a name bound to one of these modules -> the module
    for module, alias in _MODULE_ALIAS.findall(text):
        modules[alias] = module
    for module, members in _FROM_IMPORT.findall(text):
        for member, alias in _MEMBER.findall(members.strip("()")):
            if member in _MEMBERS[module]:
                names[alias or member] = f"{module}.{member}"
            elif f"{module}.{member}" in _MEMBERS:  # from importlib import util
                modules[alias or member] = f"{module}.{member}"
    assigned = _ASSIGNED.findall(text)
    for _ in range(3):  # chains: `a = importlib`, `b = a`, `load = b.import_module`
        for alias, value in assigned:
            owner, _, member = value.rpartition(".")
            if value in names:
                names[alias] = names[value]
            elif value in modules:
                modules[alias] = modules[value]
            elif owner in modules and member in _MEMBERS[modules[owner]]:
                names[alias] = f"{modules[owner]}.{member}"
    for alias, module in modules.items():
        for member in _MEMBERS[module]:
            names.setdefault(f"{alias}.{member}", f"{module}.{member}")
    return names


def call_pattern(names: Mapping[str, str]) -> re.Pattern[str]:
    """A regular expression that finds a call of any of ``names`` in a statement's text."""
    alternatives = sorted({re.escape(name).replace(r"\.", r"\s*\.\s*") for name in names}, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")\s*\(")


_INSTALLABLE_TOP = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def names_a_package(value: str) -> bool:
    """Whether a literal module name given to an importer could name something installable.

    ``pytest.importorskip("x y z")`` (pytest's own tests) names nothing a package index could serve,
    so no one can ``pip install`` it: not a hallucination risk, and no finding.
    """
    top = value.lstrip(".").partition(".")[0]
    return bool(_INSTALLABLE_TOP.fullmatch(top))
