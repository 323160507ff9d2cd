"""Calls that import a module named by a string: which names in a file are such calls.

``importlib.import_module("x")`` is the common spelling, but an agent that wants an
import through can write ``il.import_module`` after ``import importlib as il``, ``load("x")``
after ``from importlib import import_module as load``, ``__import__``, ``builtins.__import__``,
``runpy.run_module`` — or hide a whole statement in ``exec("import x")``. This module finds,
from the text of a file and without a parse, every dotted name by which the file can make
such a call, and what each stands for. No I/O, no libcst.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from hallucheck.lazy import LazyPattern, record
from hallucheck.sources.python import IDENTIFIER, IDENTIFIER_CHAR

IMPORTERS = frozenset({
    "__import__", "builtins.__import__", "importlib.__import__", "importlib.import_module",
    "runpy.run_module", "__builtins__.__import__", "pkgutil.resolve_name", "pytest.importorskip",
    "importlib.util.find_spec", *(f"{module}.{member}" for module, member in (
        ("pydoc", "locate"), ("django.utils.module_loading", "import_string"), ("werkzeug.utils", "import_string"),
        ("werkzeug", "import_string"))),
})  # fmt: skip
"""Calls whose first argument is the dotted name of a module to import (``pkgutil.resolve_name``
takes ``module:attribute``; ``pytest.importorskip`` skips the test when the import fails;
``find_spec`` finds the module that ``module_from_spec`` then loads)."""
OBJECT_PATH_IMPORTERS = frozenset({
    "pkgutil.resolve_name", "pydoc.locate", "django.utils.module_loading.import_string", "werkzeug.utils.import_string",
    "werkzeug.import_string",
})  # fmt: skip
"""Importers given the dotted path of an object in a module (``pkg.mod:Class``, ``pkg.mod.Class``): they import
the module part (attack E21)."""
OPTIONAL_IMPORTERS = frozenset({"pytest.importorskip", "importlib.util.find_spec"})
"""Importers that tolerate a missing module, like an import guarded by try/except."""
MEMBER_NAMES = frozenset({
    "__import__", "import_module", "run_module", "resolve_name", "importorskip", "find_spec", "locate", "import_string",
})  # fmt: skip
"""The attribute names under which a module offers an importer (``getattr(importlib, "import_module")``)."""
EXECUTORS = frozenset({"exec", "eval", "compile", "builtins.exec", "builtins.eval", "builtins.compile"})
"""Calls whose first argument is source code, which may hold import statements."""
LOOKUPS = frozenset({"importlib.util.find_spec", "compile", "builtins.compile"})
"""Calls that neither import nor run anything themselves: ``find_spec`` looks a module up, ``compile`` makes a
code object. A literal argument is still read (``exec(compile("import x", ...))``), but a computed one is no
finding: nothing is imported by the call."""

_MEMBERS = {
    "importlib": ("import_module", "__import__"), "importlib.util": ("find_spec",), "runpy": ("run_module",),
    "builtins": ("__import__", "exec", "eval", "compile"), "pkgutil": ("resolve_name",), "pytest": ("importorskip",),
    "pydoc": ("locate",), "django.utils.module_loading": ("import_string",), "werkzeug.utils": ("import_string",),
    "werkzeug": ("import_string",),
}  # fmt: skip
_MODULE = f"({'|'.join(re.escape(module) for module in sorted(_MEMBERS, key=len, reverse=True))})"  # longest first
_MODULE_ALIAS = LazyPattern(rf"\bimport\s+{_MODULE}\s+as\s+({IDENTIFIER})")
_FROM_IMPORT = LazyPattern(rf"\bfrom\s+{_MODULE}\s+import\s+(\([^()]*\)|[^\n;]*)")
_MEMBER = LazyPattern(rf"({IDENTIFIER})(?:\s+as\s+({IDENTIFIER}))?")
_DOTTED = rf"{IDENTIFIER}(?:\s*\.\s*{IDENTIFIER})*"
# `a = value`, `a: T = value`, `a = b = value`: a whole line binding names to a dotted name.
_ASSIGNED = LazyPattern(
    rf"^[ \t]*((?:{IDENTIFIER}\s*(?::[^=\n]*)?=\s*)+)({_DOTTED})\s*(?:#[^\n]*)?$", re.MULTILINE
)
_ASSIGNED_TARGET = LazyPattern(rf"({IDENTIFIER})\s*(?::[^=\n]*)?=")
# `a, b = x, y` and `(a, b) = [x, y]`: names unpacked from a display of as many values, on one line.
_UNPACKED = LazyPattern(
    rf"^[ \t]*[(\[]?\s*({IDENTIFIER}(?:\s*,\s*{IDENTIFIER})+)\s*,?\s*[)\]]?\s*=\s*[(\[]?\s*"
    rf"({_DOTTED}(?:\s*,\s*[^,\n]+?)+?)\s*,?\s*[)\]]?\s*(?:#[^\n]*)?$",
    re.MULTILINE,
)
_WALRUS = LazyPattern(rf"({IDENTIFIER})\s*:=\s*({_DOTTED})\b(?!\s*[(\[])")
_NAME = LazyPattern(IDENTIFIER)
_BUILT_IN_WORDS = frozenset({"__import__", "import_module", "exec", "eval", "compile"})
"""Plain names of importers that the scan's own words (``__import__``, ``exec``...) already find."""
_CALLED = LazyPattern(rf"(?<!{IDENTIFIER_CHAR})({IDENTIFIER})\s*\(")


def importer_names(text: str) -> dict[str, str]:
    """Dotted call names in ``text`` that import or execute, mapped to what they stand for.

    Always holds the built-in spellings (``__import__``, ``exec``, ``importlib.import_module``
    ...); aliases are added where the file binds them (``import importlib as il`` gives
    ``il.import_module``; ``from importlib import import_module`` gives ``import_module``;
    ``a = il`` then ``load = a.import_module`` gives ``a.import_module`` and ``load``; also through
    ``a = b = ...``, ``load, other = il.import_module, x`` and ``(load := il.import_module)``). A binding of
    another shape is not followed here: the parser reports such a reference as one it cannot follow.

    Only the lines that can bind an importer are read with the patterns (:func:`_candidate_lines`): a binding
    matters only when its value ends in a word that names an importer, one of its modules or an alias of
    either, so a test file that says ``pytest.mark`` a thousand times costs a ``str.find`` per mention.
    """
    names = {name: name for name in (*IMPORTERS, *EXECUTORS)}
    names["import_module"] = "importlib.import_module"  # the usual `from importlib import import_module`
    if not any(word in text for word in _MENTION_WORDS):
        return names
    modules = {module: module for module in _MEMBERS}  # a name bound to one of these modules -> the module
    for module, alias in _matches_at(_MODULE_ALIAS, text, "import"):
        modules[alias] = module
    for module, members in _matches_at(_FROM_IMPORT, text, "from"):
        for member, alias in _MEMBER.findall(members.strip("()")):
            if member in _MEMBERS[module]:
                names[alias or member] = f"{module}.{member}"
            elif f"{module}.{member}" in _MEMBERS:  # from importlib import util
                modules[alias or member] = f"{module}.{member}"
    bindings = _relevant_bindings(text, {*_VALUE_WORDS, *names, *modules})
    for _ in range(3):  # chains: `a = importlib`, `b = a`, `load = b.import_module` (in any order)
        for alias, value in bindings:
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


_MENTION_WORDS = ("importlib", "runpy", "builtins", "pkgutil", "pytest", "pydoc", "module_loading", "werkzeug",
                  "__import__", "import_module", "find_spec", "exec", "eval", "compile")  # fmt: skip
"""Words one of which a file must hold to bind an importer at all (substrings: a cheap first test)."""
_MODULE_WORDS = ("importlib", "runpy", "builtins", "pkgutil", "pytest", "pydoc", "module_loading", "werkzeug", "utils")
_VALUE_WORDS = frozenset({*_MODULE_WORDS, "util", *(member for members in _MEMBERS.values() for member in members)})
"""The last part of every dotted value that can stand for an importer or its module, before any alias: a
binding ``a = x.y`` matters only when ``y`` is one of these or an alias the file binds."""


def _relevant_bindings(text: str, words: set[str]) -> list[tuple[str, str]]:
    """What :func:`_assigned` and :func:`_unpacked` find in the whole of ``text``, as far as it can bind an
    importer, then the walrus bindings.

    A binding matters only when its value ends in a word of ``words`` (an importer, one of its modules, an alias
    of either) or in a name bound that way (``a = importlib`` makes ``b = a`` one): the patterns are tried only
    on the runs of lines that a match holding such a word can span (:func:`_window`), and read again with the
    names bound there until no new one appears. A file with more than :data:`_MAX_WORDS` such names (a generated
    chain of aliases) is read whole, so that the cost stays linear. A walrus is found from its ``:=``.
    """
    walrus = _walrus_bindings(text)
    pending = {word.rpartition(".")[2] for word in words}
    lines: list[str] = []
    searched: set[str] = set()
    covered: set[int] = set()
    windows: dict[int, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {}
    while pending:
        if len(searched) + len(pending) > _MAX_WORDS:
            return [*_assigned(text), *_unpacked(text), *walrus]
        new = _candidate_lines(text, pending) - covered
        searched |= pending
        if new and not lines:
            lines = text.split("\n")
        for index in sorted(new):
            if index not in covered:
                start, end = _window(lines, index)
                covered.update(range(start, end + 1))
                window = "\n".join(lines[start : end + 1])
                windows[start] = (_assigned(window), _unpacked(window))
        found = [binding for start in windows for part in windows[start] for binding in part] + walrus
        pending = {alias for alias, value in found if value.rpartition(".")[2] in searched} - searched
    ordered = sorted(windows)
    return [*(item for start in ordered for item in windows[start][0]),
            *(item for start in ordered for item in windows[start][1]), *walrus]  # fmt: skip


_MAX_WORDS = 96
"""Words searched line by line at most; beyond (hundreds of aliases), one reading of the whole file is cheaper."""


def _window(lines: list[str], index: int) -> tuple[int, int]:
    """The first and last line of the run of lines around ``index`` that one match of :data:`_ASSIGNED` or
    :data:`_UNPACKED` can span: a match crosses a line break only inside ``\\s*``, where the line before ends
    with ``= . , ( [`` or the line after begins with ``: = . , ) ]``, or one of them is blank."""
    start = end = index
    while start > 0 and _joinable(lines[start - 1], lines[start]):
        start -= 1
    while end + 1 < len(lines) and _joinable(lines[end], lines[end + 1]):
        end += 1
    return start, end


def _joinable(line: str, following: str) -> bool:
    left, right = line.rstrip(), following.lstrip()
    return not left or not right or left[-1] in "=.,([" or right[0] in ":=.,)]"


def _candidate_lines(text: str, words: Iterable[str]) -> set[int]:
    """Indexes of the lines (split at ``\\n``) where one of ``words`` is a whole name that ends a dotted name
    (no ``.`` follows it on its line)."""
    starts: list[int] = []
    for word in words:
        size, start = len(word), text.find(word)
        while start != -1:
            end = start + size
            if not (start and _is_name_character(text[start - 1])) and _ends_name(text, end):
                starts.append(start)
            start = text.find(word, end)
    found, line, counted = set(), 0, 0
    for start in sorted(starts):
        line += text.count("\n", counted, start)
        counted = start
        found.add(line)
    return found


def _ends_name(text: str, end: int) -> bool:
    """Whether the name that reaches ``end`` stops there and no ``.`` follows it on its line."""
    if end < len(text) and _is_name_character(text[end]):
        return False
    while end < len(text) and text[end] in " \t":
        end += 1
    return not text.startswith(".", end)


def _matches_at(pattern: LazyPattern[str], text: str, word: str) -> list[Any]:
    """``pattern.findall(text)`` for a pattern whose every match begins with ``word``: tried only where the word
    is, and from the end of the previous match, as ``findall`` does (not at every offset of the file)."""
    found: list[Any] = []
    resume, position = 0, text.find(word)
    while position != -1:
        match = pattern.match(text, position) if position >= resume else None
        if match:
            found.append(match.groups())
            resume = match.end()
        position = text.find(word, position + 1)
    return found


def _walrus_bindings(text: str) -> list[tuple[str, str]]:
    """``_WALRUS.findall(text)`` as bindings, found from each ``:=`` (its name may be on an earlier line)."""
    found: list[tuple[str, str]] = []
    resume, position = 0, text.find(":=")
    while position != -1:
        end = position
        while end > 0 and text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and _is_name_character(text[start - 1]):
            start -= 1
        for candidate in range(max(start, resume), position):
            match = _WALRUS.match(text, candidate)
            if match:
                found.append((match.group(1), _joined(match.group(2))))
                resume = match.end()
                break
        position = text.find(":=", position + 2)
    return found


def _assigned(text: str) -> list[tuple[str, str]]:
    """``(name, dotted value)`` for each name a line of ``text`` binds (``a = b = x.y``, ``a: T = x``)."""
    return [(target, _joined(value)) for targets, value in _ASSIGNED.findall(text)
            for target in _ASSIGNED_TARGET.findall(targets)]  # fmt: skip


def _unpacked(text: str) -> list[tuple[str, str]]:
    """``(name, dotted value)`` for each name a line of ``text`` unpacks from as many values (``a, b = x, y``)."""
    found: list[tuple[str, str]] = []
    for targets, values in _UNPACKED.findall(text):
        names, parts = targets.split(","), values.split(",")
        if len(names) == len(parts):
            found += [(name.strip(), _joined(part)) for name, part in zip(names, parts, strict=True)]
    return found


def _joined(dotted: str) -> str:
    return "".join(dotted.split())


class CallFinder:
    """Finds calls of the dotted names of :func:`importer_names` in a statement's text, in one linear pass
    (an alternation of thousands of aliases would be tried at every offset)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._names = names
        self._last = frozenset(name.rpartition(".")[2] for name in names)
        self._aliases = frozenset(name for name in names if "." not in name) - _BUILT_IN_WORDS
        """Plain names the file binds to an importer (`load`): a statement that names one may hand it on."""

    def finditer(self, text: str) -> Iterator[Call]:
        """Every call of one of the names, in order."""
        for match in _CALLED.finditer(text):
            if match.group(1) not in self._last:
                continue
            start, name = _dotted_before(text, match.end(1))
            if name in self._names:
                yield Call(name, start, match.end())

    def search(self, text: str) -> bool:
        """Whether ``text`` calls one of the names, or names an alias of one at all (`fns = [load]`)."""
        if next(self.finditer(text), None) is not None:
            return True
        return bool(self._aliases) and any(match.group() in self._aliases for match in _NAME.finditer(text))


@record(frozen=True)
class Call:
    """A call of an importer: the dotted name called (spaces removed), and where the call starts and its
    ``(`` ends."""

    name: str
    start: int
    end: int


def _dotted_before(text: str, end: int) -> tuple[int, str]:
    """Where the dotted name ending at ``end`` starts, and the name without spaces (empty when the name is not
    a plain dotted name: ``x[0].load``)."""
    parts: list[str] = []
    position = end
    while True:
        start = position
        while start > 0 and _is_name_character(text[start - 1]):
            start -= 1
        if start == position:
            return position, ""  # a dot after something that is not a name
        parts.append(text[start:position])
        before = start
        while before > 0 and text[before - 1].isspace():
            before -= 1
        if before == 0 or text[before - 1] != ".":
            return start, ".".join(reversed(parts))
        position = before - 1
        while position > 0 and text[position - 1].isspace():
            position -= 1


def _is_name_character(char: str) -> bool:
    return char.isalnum() or char == "_" or not char.isascii()


@functools.cache
def default_importers() -> Mapping[str, str]:
    """The importers every file has (no alias of its own): :func:`importer_names` of an empty file."""
    return importer_names("")


@functools.cache
def default_calls() -> CallFinder:
    """:func:`call_pattern` of :func:`default_importers`."""
    return call_pattern(default_importers())


def call_pattern(names: Mapping[str, str]) -> CallFinder:
    """What finds a call of any of ``names`` in a statement's text."""
    return CallFinder(names)


_INSTALLABLE_TOP = LazyPattern(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def object_module(path: str) -> str:
    """The module an object path names (``pkg.mod:Class`` and ``pkg.mod.Class`` give ``pkg.mod``; a single name is
    a module). Which trailing part is the object is known only at run time: the module part read is the shortest,
    so a class is never taken for a submodule."""
    if ":" in path:
        return path.partition(":")[0]
    return path.rpartition(".")[0] or path


def names_a_package(value: str) -> bool:
    """Whether a literal module name given to an importer could name something installable.

    ``pytest.importorskip("x y z")`` (pytest's own tests) names nothing a package index could serve,
    so no one can ``pip install`` it: not a hallucination risk, and no finding.
    """
    top = value.lstrip(".").partition(".")[0]
    return bool(_INSTALLABLE_TOP.fullmatch(top))
