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
})  # fmt: skip
"""Calls whose first argument is the dotted name of a module to import (``pkgutil.resolve_name``
takes ``module:attribute``; ``pytest.importorskip`` skips the test when the import fails)."""
OPTIONAL_IMPORTERS = frozenset({"pytest.importorskip"})
"""Importers that tolerate a missing module, like an import guarded by try/except."""
MEMBER_NAMES = frozenset({"__import__", "import_module", "run_module", "resolve_name", "importorskip"})
"""The attribute names under which a module offers an importer (``getattr(importlib, "import_module")``)."""
EXECUTORS = frozenset({"exec", "eval", "compile", "builtins.exec", "builtins.eval", "builtins.compile"})
"""Calls whose first argument is source code, which may hold import statements."""

_MODULES = ("importlib", "runpy", "builtins", "pkgutil", "pytest")
_MEMBERS = {
    "importlib": ("import_module", "__import__"), "runpy": ("run_module",), "builtins": ("__import__",),
    "pkgutil": ("resolve_name",), "pytest": ("importorskip",),
}  # fmt: skip
_MODULE_ALIAS = re.compile(r"\bimport\s+(importlib|runpy|builtins|pkgutil|pytest)\s+as\s+(\w+)")
_FROM_IMPORT = re.compile(r"\bfrom\s+(importlib|runpy|builtins|pkgutil|pytest)\s+import\s+(\([^)]*\)|[^\n;]*)")
_MEMBER = re.compile(r"(\w+)(?:\s+as\s+(\w+))?")
_ASSIGNED = re.compile(
    r"^[ \t]*(\w+)\s*(?::[^=\n]*)?=\s*((?:importlib|runpy|builtins|__builtins__|pkgutil|pytest)(?:\.\w+)?|__import__"
    r"|import_module)"
    r"\s*(?:#[^\n]*)?$",
    re.MULTILINE,
)
_MENTIONS = re.compile(
    r"importlib|runpy|builtins|pkgutil|pytest|__import__|import_module|\bexec\b|\beval\b|\bcompile\b"
)


def importer_names(text: str) -> dict[str, str]:
    """Dotted call names in ``text`` that import or execute, mapped to what they stand for.

    Always holds the built-in spellings (``__import__``, ``exec``, ``importlib.import_module``
    ...); aliases are added where the file binds them (``import importlib as il`` gives
    ``il.import_module``; ``from importlib import import_module`` gives ``import_module``).
    """
    names = {name: name for name in (*IMPORTERS, *EXECUTORS)}
    names["import_module"] = "importlib.import_module"  # the usual `from importlib import import_module`
    if not _MENTIONS.search(text):
        return names
    for module, alias in _MODULE_ALIAS.findall(text):
        for member in _MEMBERS[module]:
            names[f"{alias}.{member}"] = f"{module}.{member}"
    for module, members in _FROM_IMPORT.findall(text):
        for member, alias in _MEMBER.findall(members.strip("()")):
            if member in _MEMBERS[module]:
                names[alias or member] = f"{module}.{member}"
    for _ in range(2):  # `il = importlib` then `load = il.import_module`
        for alias, value in _ASSIGNED.findall(text):
            target = _canonical(value, names)
            if target is not None:
                names[alias] = target
            elif value in _MODULES:
                for member in _MEMBERS[value]:
                    names[f"{alias}.{member}"] = f"{value}.{member}"
    return names


def _canonical(dotted: str, names: Mapping[str, str]) -> str | None:
    return names.get(dotted)


def call_pattern(names: Mapping[str, str]) -> re.Pattern[str]:
    """A regular expression that finds a call of any of ``names`` in a statement's text."""
    alternatives = sorted({re.escape(name).replace(r"\.", r"\s*\.\s*") for name in names}, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")\s*\(")
