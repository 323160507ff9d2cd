"""Imports of a statement too large or too deep to give to a parser, found by a linear text scan.

libcst's cost grows much faster than the statement (a 1,600-term sum takes
seconds, 10,000 terms minutes or a segfault; bracket nesting a few hundred
deep exhausts Python's recursion limit). A statement beyond :func:`fits_parser`
is never parsed. Instead, with strings and comments blanked out, every
``import`` keyword is found (it is reserved: outside strings it only ever starts
or continues an import statement) and its clause read with the plain-import
parser; ``__import__``/``import_module`` calls with a literal are read from the
raw text. An import clause that cannot be read is a syntax problem, so that
nothing in such a statement passes unread.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice

from hallucheck.lazy import LazyPattern, record
from hallucheck.sources.dynamic import (
    EXECUTORS,
    OBJECT_PATH_IMPORTERS,
    OPTIONAL_IMPORTERS,
    call_pattern,
    importer_names,
    names_a_package,
    object_module,
)
from hallucheck.sources.imported import ComputedImport, ImportedModule
from hallucheck.sources.python import IDENTIFIER, IDENTIFIER_CHAR, LogicalLine, code_only
from hallucheck.sources.simple_imports import parse_simple_import

MAX_TOKENS = 1000
"""libcst parses a statement of this many tokens in well under a second, whatever their shape."""
MAX_DEPTH = 50
"""Brackets nested deeper than this are never real code (CPython itself stops at 200)."""

_TOKEN = LazyPattern(r"\w+|[^\w\s]")
_BRACKET = LazyPattern(r"[\[\](){}]")
_SPACE = r"(?:[ \t\f]|\\\r?\n)"
_CLAUSE_END = r"(?:[^;\n\\]|\\\r?\n)*"
_IMPORT_CLAUSE = LazyPattern(
    rf"(?<!{IDENTIFIER_CHAR})(?<!\.)(?:from{_SPACE}*(?:\.{_SPACE}*)*(?:{IDENTIFIER}(?:{_SPACE}*\.{_SPACE}*{IDENTIFIER})*)?"
    rf"{_SPACE}*import"
    rf"{_SPACE}*(?:\([^)]*\)?|{_CLAUSE_END})|import\b{_CLAUSE_END})"
)
_IMPORT_KEYWORD = LazyPattern(rf"(?<!{IDENTIFIER_CHAR})(?<!\.)import\b")
_LITERAL_ARGUMENT = LazyPattern(rf"""\s*[rRuU]?(['"])((?:{IDENTIFIER_CHAR}|[.:])+)\1\s*[,)]""")
_CONTINUATION = LazyPattern(r"\\(?=\r?\n)")


@record(frozen=True)
class Unreadable:
    """An ``import`` keyword whose clause the scan could not read (1-based line and column)."""

    line: int
    column: int


def fits_parser(code: str) -> bool:
    """Whether ``code`` is small and shallow enough to give to libcst: a bound on its time and recursion."""
    if len(code) <= MAX_DEPTH:
        return True
    code = code_only(code)
    depth = 0
    for bracket in _BRACKET.finditer(code):
        depth = depth + 1 if bracket.group() in "([{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            return False
    return len(code) <= MAX_TOKENS or sum(1 for _ in islice(_TOKEN.finditer(code), MAX_TOKENS + 1)) <= MAX_TOKENS


def scan_statement(
    statement: LogicalLine, importers: Mapping[str, str] | None = None
) -> tuple[list[ImportedModule], list[Unreadable], list[ComputedImport]]:
    """The imports of ``statement`` found by a text scan, the ``import`` keywords it could not read, and the
    calls of ``importers`` (dotted name -> what it stands for; the built-in spellings by default) whose
    module is not a literal."""
    text = statement.text
    code = code_only(text)
    places = _Places(statement, text)
    found: list[ImportedModule] = []
    unreadable: list[Unreadable] = []
    clauses: list[tuple[int, int]] = []
    for match in _IMPORT_CLAUSE.finditer(code):
        clauses.append((match.start(), match.end()))
        imports = _clause_imports(statement, code, match.start(), match.end(), places)
        if imports is None:
            unreadable.append(Unreadable(*places.at(match.start())))
        else:
            found += imports
    index = 0  # keywords and clauses both come in order: one merge pass (a line of 8,000 `import json;` was O(n^2))
    for keyword in _IMPORT_KEYWORD.finditer(code):  # `import` where no clause begins: never valid, so say so
        while index < len(clauses) and clauses[index][1] <= keyword.start():
            index += 1
        if not (index < len(clauses) and clauses[index][0] <= keyword.start()):
            unreadable.append(Unreadable(*places.at(keyword.start())))
    dynamic, computed = _calls(statement, text, code, importers or importer_names(""), places)
    return found + dynamic, unreadable, computed


class _Places:
    """(line, column) of offsets in a statement's text, from one list of its line starts (bisected): finding
    each by scanning back to the line's start made a long one-line statement quadratic (attack D9)."""

    def __init__(self, statement: LogicalLine, text: str) -> None:
        self._first = statement.first
        self._text = text
        self._starts: list[int] | None = None

    def line_start(self, offset: int) -> tuple[int, int]:
        """The 0-based line of ``offset`` within the text, and the offset where that line starts."""
        from bisect import bisect_right

        if self._starts is None:
            self._starts = [0]
            position = self._text.find("\n")
            while position >= 0:
                self._starts.append(position + 1)
                position = self._text.find("\n", position + 1)
        line = bisect_right(self._starts, offset) - 1
        return line, self._starts[line]

    def at(self, offset: int) -> tuple[int, int]:
        """The (1-based line in the file, 1-based column) of ``offset``."""
        line, start = self.line_start(offset)
        return self._first + line, offset - start + 1


def _calls(
    statement: LogicalLine, text: str, code: str, importers: Mapping[str, str], places: _Places
) -> tuple[list[ImportedModule], list[ComputedImport]]:
    """Importer calls (found in ``code``, strings blanked): a literal module is an import, anything else
    (and every call that executes code) cannot be checked."""
    found: list[ImportedModule] = []
    computed: list[ComputedImport] = []
    for call in call_pattern(importers).finditer(code):
        written = call.name
        target = importers.get(written, written)
        line, column = places.at(call.start)
        literal = _LITERAL_ARGUMENT.match(text, call.end)
        value = literal.group(2) if literal and target not in EXECUTORS else ""
        value = object_module(value) if target in OBJECT_PATH_IMPORTERS else value.partition(":")[0]
        level = len(value) - len(value.lstrip("."))
        if not value.strip("."):
            why = "code it runs" if target in EXECUTORS else "its module name"
            computed.append(ComputedImport(line, column, written, f"{why}, in a statement too large to parse"))
            continue
        if not names_a_package(value):
            continue
        found.append(
            ImportedModule(
                value[level:], None, level, line, column, "dynamic", statement.first, statement.last,
                guarded=target in OPTIONAL_IMPORTERS,
            )
        )  # fmt: skip
    return found, computed


def _clause_imports(
    statement: LogicalLine, code: str, start: int, end: int, places: _Places
) -> list[ImportedModule] | None:
    """The imports of the clause ``code[start:end]``, read as a statement of its own at its place."""
    clause = _CONTINUATION.sub(" ", code[start:end]).rstrip()
    line, line_start = places.line_start(start)
    first = statement.first + line
    shift = start - line_start  # the clause's column, added to what the parse finds on its first line
    imports = parse_simple_import(LogicalLine(first, first + clause.count("\n"), 0, clause))
    if imports is None:
        return None
    return [
        ImportedModule(
            item.module, item.name, item.level, item.line, item.column + (shift if item.line == first else 0),
            item.kind, statement.first, statement.last,
        )
        for item in imports
    ]
