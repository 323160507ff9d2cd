"""A parser for the plain forms of import statements, so that most commits never load libcst.

Importing libcst costs about 150 ms, more than the rest of a commit-time run. The
import statements people write are nearly all of two tiny grammatical forms::

    import a.b [as c] [, d [as e]] ...
    from [.]*[a.b] import (* | name [as alias], ... | ( name [as alias], ... [,] ))

possibly spread over lines inside parentheses, with comments at line ends. This
module recognises exactly those forms and yields the same
:class:`~hallucheck.sources.imported.ImportedModule` values as the libcst path (a test
compares both over the standard library). Anything else — a backslash, a
semicolon, a one-line compound statement, a call, a string, a syntax error —
returns None, and the caller parses the statement with libcst.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Iterator

from hallucheck.lazy import LazyPattern
from hallucheck.sources.imported import ImportedModule
from hallucheck.sources.python import LogicalLine

_TOKEN = LazyPattern(r"(?P<name>[^\W\d]\w*)|(?P<op>[.,()*])|(?P<space>[ \t\f]+|\r?\n|\r)|(?P<comment>#[^\r\n]*)")
_RESERVED = frozenset(keyword.kwlist) - {"import", "from", "as"}

_Token = tuple[str, str, int]  # kind ("name" or the operator itself), text, offset


class _Unsupported(Exception):
    """Not a plain import statement; libcst decides."""


def parse_simple_import(statement: LogicalLine) -> list[ImportedModule] | None:
    """The imports of ``statement`` when it is a plain import statement, else None."""
    text = statement.text
    if "\\" in text or ";" in text:
        return None
    parsed = _parse_text(text)
    if parsed is None:
        return None
    first, last = statement.first, statement.last
    return [
        ImportedModule(item.module, item.name, item.level, first + item.line, item.column, item.kind, first, last)
        for item in parsed
    ]


@functools.lru_cache(maxsize=8192)
def _parse_text(text: str) -> tuple[ImportedModule, ...] | None:
    """The imports of a statement's text, numbered from line 0; cached (a whole repository repeats them)."""
    try:
        tokens = list(_tokens(text))
        parser = _Parser(tokens, LogicalLine(0, 0, 0, text))
        return tuple(parser.statement())
    except _Unsupported:
        return None


def _tokens(text: str) -> Iterator[_Token]:
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            raise _Unsupported
        position = match.end()
        kind = match.lastgroup
        if kind == "name":
            yield "name", match.group(), match.start()
        elif kind == "op":
            yield match.group(), match.group(), match.start()
    if position != len(text):
        raise _Unsupported


class _Parser:
    def __init__(self, tokens: list[_Token], statement: LogicalLine) -> None:
        self._tokens = tokens
        self._index = 0
        self._statement = statement
        self._text = statement.text

    def statement(self) -> list[ImportedModule]:
        keyword_ = self._expect_name()
        if keyword_[1] == "import":
            found = self._import()
        elif keyword_[1] == "from":
            found = self._from(keyword_[2])
        else:
            raise _Unsupported
        if self._index != len(self._tokens):
            raise _Unsupported
        return found

    def _import(self) -> list[ImportedModule]:
        found = []
        while True:
            start, dotted = self._dotted()
            self._alias()
            found.append(self._make(dotted, None, 0, start, "import"))
            if not self._accept(","):
                return found

    def _from(self, start: int) -> list[ImportedModule]:
        level = 0
        while self._accept("."):
            level += 1
        anchor, module = start, ""
        if not self._peek_name("import"):
            anchor, module = self._dotted()
        elif level == 0:
            raise _Unsupported
        if self._expect_name()[1] != "import":
            raise _Unsupported
        if self._accept("*"):
            return [self._make(module, "*", level, anchor, "from")]
        parenthesised = self._accept("(")
        found = []
        while True:
            _, name = self._name()
            self._alias()
            found.append(self._make(module, name, level, anchor, "from"))  # a finding is about the module
            if not self._accept(","):
                break
            if parenthesised and self._peek(")"):
                break
        if parenthesised and not self._accept(")"):
            raise _Unsupported
        return found

    def _dotted(self) -> tuple[int, str]:
        start, name = self._name()
        parts = [name]
        while self._accept("."):
            parts.append(self._name()[1])
        return start, ".".join(parts)

    def _alias(self) -> None:
        if self._peek_name("as"):
            self._index += 1
            self._name()

    def _name(self) -> tuple[int, str]:
        _, text, offset = self._expect_name()
        if text in _RESERVED or text in ("import", "from", "as"):
            raise _Unsupported
        return offset, text

    def _expect_name(self) -> _Token:
        if self._index >= len(self._tokens) or self._tokens[self._index][0] != "name":
            raise _Unsupported
        self._index += 1
        return self._tokens[self._index - 1]

    def _peek(self, kind: str) -> bool:
        return self._index < len(self._tokens) and self._tokens[self._index][0] == kind

    def _peek_name(self, text: str) -> bool:
        return self._peek("name") and self._tokens[self._index][1] == text

    def _accept(self, kind: str) -> bool:
        if self._peek(kind):
            self._index += 1
            return True
        return False

    def _line(self, offset: int) -> int:
        return self._statement.first + self._text.count("\n", 0, offset)

    def _make(self, module: str, name: str | None, level: int, offset: int, kind: str) -> ImportedModule:
        line_start = self._text.rfind("\n", 0, offset) + 1
        return ImportedModule(
            module, name, level, self._line(offset), offset - line_start + 1,
            "import" if kind == "import" else "from", self._statement.first, self._statement.last,
        )  # fmt: skip
