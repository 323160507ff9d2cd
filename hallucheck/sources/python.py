"""Python source text: decoding blobs and finding logical lines without a full parse.

:class:`LogicalLines` answers "which statement does physical line N belong to,
and which blocks enclose it" from one regular-expression pass over the text, so
that only the few statements holding added lines need a real parse.
"""

from __future__ import annotations

import codecs
import functools
import re
from bisect import bisect_right
from itertools import accumulate
from operator import add

from hallucheck.lazy import LazyPattern, Slots

IDENTIFIER_CHAR = r"[^\x00-/:-@\[-^`{-\x7f]"
"""A character that may be part of a Python identifier: a word character, or any character beyond ASCII.

Python's identifiers (PEP 3131: XID_Continue, after NFKC) are wider than ``\\w``: U+00B7 (middle dot), combining
marks and the other ``Other_ID_Continue`` characters are not word characters to :mod:`re`. A pattern that decides
whether text *may* hold a name must not stop at them; what it over-accepts, a parser then reads exactly."""
IDENTIFIER = rf"(?!\d){IDENTIFIER_CHAR}+"
"""A name (an over-approximation of Python's identifiers, see :data:`IDENTIFIER_CHAR`)."""
_CODING = LazyPattern(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_TOKEN = LazyPattern(
    r"""
      (?P<string>[rRbBuUfFtT]{0,2}(?:
            \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
          | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
          | "(?:[^"\\\n]|\\.)*"?
          | '(?:[^'\\\n]|\\.)*'?
      ))
    | (?P<comment>\#[^\n]*)
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<continuation>\\\r?\n)
    """,
    re.VERBOSE | re.DOTALL,
)
_BLANK = LazyPattern(r"[^\n]")

# Every token starts with one of these characters (a string may start up to two prefix letters earlier):
# scanning for them is much faster than trying the token expression at every offset.
_TOKEN_START = LazyPattern(r"[\"'#()\[\]{}\\]")
_STRING_PREFIX = frozenset("rRbBuUfFtT")
# A bracket group that closes on the line it opens, two levels deep, holding no comment, backslash or
# braces in a string, and only strings that the token expression would read the same way (closed, one
# line, not next to another quote of their kind): skipped in one match, as its tokens would change nothing.
_PLAIN = r"[^()\[\]{}\"'#\\\n]"
_SHORT_STRING = r"\"(?!\")[^\"\\\n{}]*\"(?!\")|'(?!')[^'\\\n{}]*'(?!')"
_INNER_GROUP = rf"[(\[{{](?:{_PLAIN}|{_SHORT_STRING})*[)\]}}]"
_FLAT = rf"[(\[{{](?:{_PLAIN}|{_SHORT_STRING}|{_INNER_GROUP})*[)\]}}]"
_FLAT_GROUP = LazyPattern(_FLAT)
_INERT = LazyPattern(rf"(?:[^()\[\]{{}}\"'#\\]+|\#[^\n]*|{_SHORT_STRING}|{_FLAT})*")
"""Text whose tokens change nothing the lexer records, skipped in one match: code without brackets, strings or
backslashes, comments, strings that :data:`_SHORT_STRING` reads, groups that :data:`_FLAT_GROUP` reads (most of a
file: the lexer's loop then runs once per docstring or multi-line bracket, not once per token)."""


def _next_token(text: str, position: int) -> re.Match[str] | None:
    """The token ``_TOKEN.search(text, position)`` finds, found faster."""
    while True:
        found = _TOKEN_START.search(text, position)
        if found is None:
            return None
        start = found.start()
        if text[start] in "\"'":
            while start > position and found.start() - start < 2 and text[start - 1] in _STRING_PREFIX:
                start -= 1
        token = _TOKEN.match(text, start)
        if token is not None:
            return token
        position = found.start() + 1  # a backslash that does not end the line


def _past_inert(text: str, position: int, end: int) -> int:
    """Where lexing goes on after the :data:`_INERT` text at ``position`` (not past ``end``, a line start where
    lexing may stop): before the prefix letters of a string that is not inert, as :func:`_next_token` finds it."""
    skipped = _INERT.match(text, position, end).end()  # type: ignore[union-attr]  # (matches the empty string)
    if skipped < len(text) and text[skipped] in "\"'":
        while skipped > position and text[skipped - 1] in _STRING_PREFIX:
            skipped -= 1
        return skipped
    return skipped


class UndecodableSourceError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def source_encoding(data: bytes) -> str:
    """The encoding Python reads source ``data`` in: a UTF-8 BOM, else a PEP 263 cookie on line 1 or 2, else UTF-8.

    The name is normalised as CPython's tokenizer does (``utf_8``, ``UTF-8-unix`` are
    ``utf-8``; ``latin_1`` is ``iso-8859-1``); a cookie on line 2 counts only after a
    comment or blank line 1.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    for head in data.split(b"\n", 2)[:2]:
        match = _CODING.match(head)
        if match:
            return _normal_encoding(match.group(1).decode("ascii"))
        if head.strip() and not head.lstrip().startswith(b"#"):
            break
    return "utf-8"


def _normal_encoding(name: str) -> str:
    short = name[:12].lower().replace("_", "-")
    if short == "utf-8" or short.startswith("utf-8-"):
        return "utf-8"
    latin = ("latin-1", "iso-8859-1", "iso-latin-1")
    if short in latin or short.startswith(tuple(prefix + "-" for prefix in latin)):
        return "iso-8859-1"
    return name


def keeps_lines(encoding: str) -> bool:
    """Whether every line of source in ``encoding`` is the same line of text, with its ASCII as bytes.

    True for UTF-8, Latin-1 and the other encodings that leave ASCII alone; False for
    UTF-7, ``unicode_escape``, HZ, ISO-2022, EBCDIC and the like, where ``+AGk-mport`` or
    ``\\x69mport`` is ``import`` and a newline may be spelled without a newline byte: a
    diff of such a file says nothing about which statements changed.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if name in _MULTIBYTE_KEEPING_ASCII:
        return True
    return _single_byte_keeps_ascii(name)


_MULTIBYTE_KEEPING_ASCII = frozenset({
    "ascii", "latin-1", "iso8859-1", "utf-8", "utf-8-sig", "euc_jp", "euc_jis_2004", "euc_jisx0213", "euc_kr",
    "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp932", "cp949", "cp950", "shift_jis", "shift_jis_2004",
    "shift_jisx0213", "johab",
})  # fmt: skip


@functools.cache
def _single_byte_keeps_ascii(name: str) -> bool:
    """A character-map codec (one byte, one character) whose ASCII bytes are ASCII and whose other bytes are not.

    Escape codecs (``raw_unicode_escape``) look one-byte too but read ``\\u0069`` as ``i``: only a
    codec with a decoding table qualifies.
    """
    import importlib

    try:
        table = getattr(importlib.import_module(f"encodings.{name.replace('-', '_')}"), "decoding_table", None)
    except ImportError:
        return False
    if not isinstance(table, str) or len(table) != 256:
        return False
    return all(table[byte] == chr(byte) for byte in range(128)) and all(
        ord(char) >= 128 for char in table[128:] if char != "\ufffe"
    )


def decode_source(data: bytes) -> str:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie, else UTF-8), every lone
    carriage return made the line break Python reads it as."""
    encoding = source_encoding(data)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        if not codecs.lookup(encoding)._is_text_encoding:
            raise UndecodableSourceError(1, f"{encoding!r} is not a text encoding; Python refuses it")
        text = data.decode(encoding)
    except LookupError as error:
        raise UndecodableSourceError(1, f"unknown encoding {encoding!r}") from error
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UndecodableSourceError(line, f"not valid {encoding}: {error.reason}") from error
    except ValueError as error:  # a codec failing another way: `undefined`, an `idna` label too long
        raise UndecodableSourceError(1, f"not valid {encoding}: {error}") from error
    # Python ends a line at a lone carriage return too. The git edge splits such lines in the bytes already; a
    # codec can still make one (UTF-7 `+AA0-`), and it must not hide what follows it on "the same line".
    return _LONE_CR.sub("\n", text) if "\r" in text else text


_LONE_CR = LazyPattern(r"\r(?!\n)")


class LogicalLine(Slots):
    __slots__ = ("first", "indent", "last", "text")

    first: int
    """First physical line (1-based)."""
    last: int
    indent: int
    text: str
    """The physical lines ``first``..``last`` joined, without the final newline."""

    def __init__(self, first: int, last: int, indent: int, text: str) -> None:
        self.first = first
        self.last = last
        self.indent = indent
        self.text = text

    @property
    def head(self) -> str:
        """The first physical line, without indentation or comments at the end."""
        return self.text.split("\n", 1)[0].strip()


class LogicalLines:
    """Physical lines grouped into Python logical lines, from a lexical scan only.

    Strings, comments, brackets and backslash continuations are recognised so that
    text inside a docstring is never taken for a statement. Malformed source (an
    unclosed bracket or string) yields long logical lines, never an exception.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = text.split("\n")
        self._starts = [0]
        """Start offsets of the lines found so far."""
        self._continued: set[int] = set()
        self._lexed = 0
        """Lines 1.._lexed are lexed: whether each continues a statement is known."""
        # Where the lexer stopped, and the bracket it left open (lexing resumes there: each byte is lexed once).
        self._position = 0
        self._depth = 0
        self._opened = 0
        self._headers: dict[int, int | None] = {}
        """Statement first line -> its block header's first line (see :meth:`_header_of`)."""
        self._resume: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def _ensure(self, line: int) -> None:
        """Lex far enough that line ``line`` is known; cost grows with the furthest line asked about.

        Lexing goes on from where it stopped, past ``line``, until it reaches a line start
        where nothing (bracket, string, backslash) is open: the lines before it are exact.
        """
        if line <= self._lexed or self._lexed >= len(self._lines):
            return
        self._lexed = self._lex(self._start_of_line(line + 33))

    def _start_of_line(self, line: int) -> int:
        """The offset where ``line`` starts (the text's length past its end)."""
        if line > len(self._starts):
            self._find_starts()
        return self._starts[line - 1] if line <= len(self._starts) else len(self._text)

    def _line_of(self, offset: int) -> int:
        if offset >= self._starts[-1]:
            self._find_starts()
        return bisect_right(self._starts, offset)

    def _find_starts(self) -> None:
        """Every line's start offset, at once (the first time lexing needs one beyond the first line)."""
        if len(self._starts) < len(self._lines):
            # starts[i] = the lengths of lines before i, plus their i newlines (iterated in C, not Python).
            self._starts = list(map(add, accumulate(map(len, self._lines[:-1]), initial=0), range(len(self._lines))))

    def _mark(self, start: int, stop: int) -> None:
        """Lines after the one holding ``start``, up to the one holding ``stop``, continue a statement."""
        first, final = self._line_of(start), self._line_of(stop)
        self._continued.update(range(first + 1, final + 1))

    def _lex(self, end: int) -> int:
        """Lex on from where the lexer stopped to the first token at or after ``end`` with no bracket open.

        Returns how many lines are now lexed: every line before the one holding that token, or all.
        """
        text = self._text
        position, depth, opened = self._position, self._depth, self._opened
        while True:
            position = _past_inert(text, position, end)
            match = _next_token(text, position)
            if match is None:
                if depth:
                    self._mark(opened, len(text))
                self._position, self._depth = len(text), 0
                return len(self._lines)
            kind, start, stop = match.lastgroup, match.start(), match.end()
            if start >= end and not depth:
                self._position, self._depth, self._opened = position, depth, opened
                return self._line_of(start) - 1
            if kind == "string" and _unbalanced_fstring(match.group()):
                stop = _fstring_end(text, start, len(text))  # PEP 701: quotes may nest inside replacement fields
            position = stop
            if kind == "open":
                flat = _FLAT_GROUP.match(text, start)
                if flat is not None:  # opened and closed on this line: its tokens would mark nothing
                    position = flat.end()
                    continue
                if depth == 0:
                    opened = start
                depth += 1
            elif kind == "close":
                if depth == 1 and text.find("\n", opened, start) != -1:
                    self._mark(opened, start)
                depth = max(depth - 1, 0)
            elif kind in ("string", "continuation") and text.find("\n", start, stop) != -1:
                self._mark(start, stop)

    def physical(self, line: int) -> str:
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def start_of(self, line: int) -> int:
        self._ensure(line)
        while line > 1 and line in self._continued:
            line -= 1
        return line

    def end_of(self, line: int) -> int:
        line += 1
        self._ensure(line)
        while line in self._continued:
            line += 1
            self._ensure(line)
        return line - 1

    def at(self, line: int) -> LogicalLine:
        """The logical line holding physical ``line``."""
        first, last = self.start_of(line), self.end_of(line)
        text = "\n".join(self._lines[first - 1 : last]).rstrip("\r")
        return LogicalLine(first, last, _indent(self._lines[first - 1]), text)

    def is_code(self, line: int) -> bool:
        self._ensure(line)
        stripped = self.physical(line).strip()
        return bool(stripped) and not stripped.startswith("#") and line not in self._continued

    def previous_code(self, line: int) -> int | None:
        """The first physical line of the code statement before the one starting at ``line``."""
        line -= 1
        while line >= 1:
            line = self.start_of(line)
            if self.is_code(line):
                return line
            line -= 1
        return None

    def next_code(self, line: int) -> int | None:
        """The first physical line of the code statement after the one holding ``line``."""
        line = self.end_of(line) + 1
        while line <= len(self._lines):
            if self.is_code(line):
                return line
            line = self.end_of(line) + 1
        return None

    def enclosing(self, line: int) -> list[LogicalLine]:
        """The block headers enclosing the statement at ``line``, innermost first."""
        headers: list[LogicalLine] = []
        header = self._header_of(self.start_of(line))
        while header is not None:
            headers.append(self.at(header))
            header = self._header_of(header)
        return headers

    def _header_of(self, first: int) -> int | None:
        """The first line of the nearest code statement before the one starting at ``first`` that is indented
        less (its block header); None at the top level.

        Remembered for every statement it passes, and a walk jumps from a statement at least as indented to
        that statement's own header: the statements between them are indented more. Siblings (a class's
        thousand methods) are thus passed once in all, not once per statement asked about.
        """
        headers = self._headers
        pending = [first]
        while pending:
            line = pending[-1]
            if line in headers:
                pending.pop()
                continue
            indent = _indent(self.physical(line))
            candidate = self._resume.pop(line, None)
            if candidate is None and indent > 0:
                candidate = self.previous_code(line)
            while candidate is not None and _indent(self.physical(candidate)) >= indent:
                if candidate not in headers:  # find its header first, then jump past it
                    self._resume[line] = candidate
                    pending.append(candidate)
                    break
                candidate = headers[candidate]
            else:
                headers[line] = candidate
                pending.pop()
        return headers[first]

    def block_after(self, header: LogicalLine) -> list[LogicalLine]:
        """The statements of the indented block that ``header`` opens (empty for one-line bodies)."""
        body: list[LogicalLine] = []
        line = self.next_code(header.first)
        while line is not None:
            statement = self.at(line)
            if statement.indent <= header.indent:
                break
            body.append(statement)
            line = self.next_code(line)
        return body

    def clauses_after(self, header: LogicalLine, keywords: tuple[str, ...]) -> list[LogicalLine]:
        """The clause headers at ``header``'s indentation that continue its statement.

        For a ``try:`` header and ``("except", "else", "finally")`` these are its handlers
        and other clauses; the scan stops at the first statement that is not one.
        """
        clauses: list[LogicalLine] = []
        line = self.next_code(header.first)
        while line is not None:
            statement = self.at(line)
            if statement.indent < header.indent:
                break
            if statement.indent == header.indent:
                word = re.match(r"[a-z]*", statement.head).group()  # type: ignore[union-attr]
                if word not in keywords:
                    break
                clauses.append(statement)
            line = self.next_code(line)
        return clauses


def comments(text: str) -> list[tuple[int, str]]:
    """The comments of Python (or TOML) ``text`` as (offset, comment) pairs; ``#`` in strings is skipped."""
    return [(match.start(), match.group()) for match in _TOKEN.finditer(text) if match.lastgroup == "comment"]


def code_only(text: str) -> str:
    """``text`` with every string and comment replaced by spaces: the same length and the same lines."""
    pieces: list[str] = []
    position = 0
    while (match := _TOKEN.search(text, position)) is not None:
        kind, start, stop = match.lastgroup, match.start(), match.end()
        if kind == "string" and _unbalanced_fstring(match.group()):
            stop = _fstring_end(text, start, len(text))
        if kind in ("string", "comment"):
            pieces += [text[position:start], _BLANK.sub(" ", text[start:stop])]
        else:
            pieces.append(text[position:stop])
        position = stop
    pieces.append(text[position:])
    return "".join(pieces)



def _unbalanced_fstring(token: str) -> bool:
    """An f-string (or t-string) the regular expression cut short: a replacement field is still open."""
    prefix = token[: len(token) - len(token.lstrip("rRbBuUfFtT"))]
    if not prefix or not any(char in "fFtT" for char in prefix):
        return False
    body = token.replace("{{", "").replace("}}", "")
    return body.count("{") > body.count("}")


def _fstring_end(text: str, start: int, end: int) -> int:
    """Where the f-string starting at ``start`` ends, nested quotes in replacement fields included."""
    index = start
    while index < end and text[index] in "rRbBuUfFtT":
        index += 1
    quote = text[index : index + 3] if text.startswith(('"""', "'''"), index) else text[index]
    index += len(quote)
    fields = 0
    while index < end:
        char = text[index]
        if fields == 0:
            if text.startswith(quote, index):
                return index + len(quote)
            if char == "\\":
                index += 2
                continue
            if char == "\n" and len(quote) == 1:
                return index
            if text.startswith("{{", index):
                index += 2
                continue
            if char == "{":
                fields = 1
            index += 1
            continue
        if char in "\"'":
            nested = _TOKEN.match(text, index, end)
            index = _fstring_end(text, index, end) if nested and _unbalanced_fstring(nested.group()) else (
                nested.end() if nested else index + 1
            )
            continue
        if char == "#":
            newline = text.find("\n", index, end)
            index = end if newline == -1 else newline
            continue
        if char == "{":
            fields += 1
        elif char == "}":
            fields -= 1
        index += 1
    return end


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width = (width // 8 + 1) * 8
        elif char == "\f":
            width = 0
        else:
            break
    return width
