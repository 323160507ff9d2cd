"""TOML documents and where their keys and strings are, line by line.

``tomllib`` gives values without positions. :class:`TomlLines` is a small
lexer over the same text that records, for every key assignment, the dotted
path it defines (table header + key) and the span of its value, so a
requirement string is located inside the right table even when the same text
appears in two tables.
"""

from __future__ import annotations

import bisect
import re
import sys
from typing import Any

from hallucheck.lazy import LazyPattern, Slots
from hallucheck.manifests import ManifestProblem
from hallucheck.manifests.limits import deepest_line, long_number_line

_TOML_POSITION = LazyPattern(r"\(at line (\d+), column (\d+)\)")
_BARE_KEY = LazyPattern(r"[A-Za-z0-9_-]+")
_STRING = LazyPattern('"""(.*?)"""' "|'''(.*?)'''" r'|"((?:[^"\\\n]|\\.)*)"' r"|'([^'\n]*)'", re.DOTALL)
"""A TOML string as written: multi-line basic or literal, basic (escapes kept as written), literal."""

Path = tuple[str, ...]


def load_toml(text: str, path: str) -> tuple[dict[str, Any] | None, ManifestProblem | None]:
    """Parse TOML, or describe where it is invalid."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else 1
        return None, ManifestProblem(path, line, f"invalid TOML: {_TOML_POSITION.sub('', message).strip()}")
    except RecursionError:
        return None, ManifestProblem(path, deepest_line(text), "invalid TOML: nested too deeply to read")
    except ValueError as error:  # a number of more digits than Python converts
        return None, ManifestProblem(path, long_number_line(text), f"invalid TOML: {str(error).split(':')[0]}")


class _Span(Slots):
    __slots__ = ("end", "path", "start")

    path: Path
    start: int
    """Offset of the first character (a header's ``[``, a key's first character)."""
    end: int
    """Offset just after the last character of the value (or of the table)."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self.path = path
        self.start = start
        self.end = end


class TomlLines:
    """Positions of the tables and key assignments of a (valid) TOML text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tables: list[_Span] = []
        """Table headers in order (``[[array]]`` tables once per element)."""
        self.entries: list[_Span] = []
        """Key assignments with their full dotted path, in order."""
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self._cursor: dict[tuple[Path, str], int] = {}
        self._strings: dict[tuple[int, int], dict[str, list[int]]] = {}
        _Scanner(self).scan()
        self._first: dict[Path, _Span] = {}
        """The first assignment of each path, else its first table (what :meth:`span` looks for)."""
        self._entries_at: dict[Path, list[_Span]] = {}
        for span in self.entries:
            self._first.setdefault(span.path, span)
            self._entries_at.setdefault(span.path, []).append(span)
        for span in self.tables:
            self._first.setdefault(span.path, span)

    def line_at(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        low, high = 0, len(self._line_starts)
        while high - low > 1:
            middle = (low + high) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle
        return low + 1

    def line_text(self, line: int) -> str:
        """The stripped text of the 1-based ``line``."""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end == -1 else end].strip()

    def span(self, path: Path) -> _Span | None:
        """The assignment or table defining ``path`` exactly, else the nearest enclosing one."""
        for length in range(len(path), 0, -1):
            if (span := self._first.get(path[:length])) is not None:
                return span
        return None

    def line_of(self, path: Path, literal: str | None = None) -> int:
        """The line of ``path``'s key, or of the string ``literal`` inside its value.

        Successive calls with the same path and literal find successive
        occurrences, so a requirement written twice gets both of its lines.
        """
        span = self.span(path)
        if span is None:
            return 1
        start = span.start
        if span.path != path:
            # An inline table or dotted key: find the remaining keys in order inside the value.
            for key in path[len(span.path) :]:
                found = _find_key(self.text, key, start, span.end)
                if found is None:
                    break
                start = found
        if literal is None:
            return self.line_at(start)
        cursor = self._cursor.get((path, literal), start)
        positions = self._strings_in(span).get(literal, [])
        index = bisect.bisect_left(positions, cursor)
        if index == len(positions):
            return self.line_at(start)
        found = positions[index]
        self._cursor[(path, literal)] = found + 1
        return self.line_at(found)

    def _strings_in(self, span: _Span) -> dict[str, list[int]]:
        """Where each string written in ``span`` starts, by its text between the quotes: found in one pass per
        span (searching the span for each of n strings of a long list cost n times its length)."""
        key = (span.start, span.end)
        found = self._strings.get(key)
        if found is None:
            found = self._strings[key] = {}
            for match in _STRING.finditer(self.text, span.start, span.end):
                found.setdefault(match.group(match.lastindex or 0), []).append(match.start())
        return found

    def tables_named(self, path: Path) -> list[_Span]:
        return [span for span in self.tables if span.path == path]

    def entry_in(self, table: _Span, key: Path) -> _Span | None:
        """The assignment of ``key`` directly inside ``table`` (one element of an array of tables)."""
        spans = self._entries_at.get(table.path + key, [])
        found = bisect.bisect_left(spans, table.start, key=lambda span: span.start)
        return spans[found] if found < len(spans) and spans[found].start < table.end else None


def _find_key(text: str, key: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"(?<![\w\"'-])(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*[=.]")
    match = pattern.search(text, start, end)
    return match.start() if match else None


class _Scanner:
    """One pass over the text: headers, keys, and the extent of every value (brackets, strings, comments)."""

    def __init__(self, lines: TomlLines) -> None:
        self.lines = lines
        self.text = lines.text
        self.position = 0
        self.table: Path = ()

    def scan(self) -> None:
        text = self.text
        while self.position < len(text):
            self._skip_blank()
            if self.position >= len(text):
                break
            char = text[self.position]
            if char == "#":
                self._skip_line()
            elif char == "[":
                self._header()
            else:
                self._assignment(self.table)
        tables = self.lines.tables
        for index, table in enumerate(tables):
            table.end = tables[index + 1].start if index + 1 < len(tables) else len(text)

    def _skip_blank(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\r\n":
            self.position += 1

    def _skip_line(self) -> None:
        newline = self.text.find("\n", self.position)
        self.position = len(self.text) if newline == -1 else newline + 1

    def _header(self) -> None:
        start = self.position
        double = self.text.startswith("[[", start)
        self.position += 2 if double else 1
        self.table = self._keys()
        self.lines.tables.append(_Span(self.table, start, start))
        self._skip_line()

    def _keys(self) -> Path:
        text, keys = self.text, []
        while self.position < len(text):
            while self.position < len(text) and text[self.position] in " \t":
                self.position += 1
            char = text[self.position] if self.position < len(text) else ""
            if char in "\"'":
                keys.append(self._string_value())
            else:
                match = _BARE_KEY.match(text, self.position)
                if not match:
                    break
                keys.append(match.group())
                self.position = match.end()
            while self.position < len(text) and text[self.position] in " \t":
                self.position += 1
            if self.position < len(text) and text[self.position] == ".":
                self.position += 1
                continue
            break
        return tuple(keys)

    def _string_value(self) -> str:
        """Read a quoted key; the raw text between the quotes (escapes are rare in keys)."""
        quote = self.text[self.position]
        end = self.text.find(quote, self.position + 1)
        while quote == '"' and end != -1 and self.text[end - 1] == "\\":
            end = self.text.find(quote, end + 1)
        if end == -1:
            end = len(self.text)
        value = self.text[self.position + 1 : end]
        self.position = end + 1
        return value

    def _assignment(self, table: Path) -> None:
        start = self.position
        keys = self._keys()
        equals = self.text.find("=", self.position)
        if not keys or equals == -1:
            self._skip_line()
            return
        self.position = equals + 1
        end = self._value_end()
        self.lines.entries.append(_Span(table + keys, start, end))

    def _value_end(self) -> int:
        """Consume one value (nested brackets, strings, comments) and return where it ends."""
        text, depth, last = self.text, 0, self.position
        while self.position < len(text):
            char = text[self.position]
            if char in "\"'":
                self._skip_string()
                last = self.position
                continue
            if char == "#":
                self._skip_line()
                if depth == 0:
                    return last
                continue
            if char == "\n" and depth == 0:
                self.position += 1
                return last
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
            self.position += 1
            if not char.isspace():
                last = self.position
        return last

    def _skip_string(self) -> None:
        text, quote = self.text, self.text[self.position]
        if text.startswith(quote * 3, self.position):
            end = text.find(quote * 3, self.position + 3)
            end = len(text) if end == -1 else end + 3
            while end < len(text) and text[end] == quote:  # """a"""" ends with the last quotes
                end += 1
            self.position = end
            return
        index = self.position + 1
        while index < len(text) and text[index] not in (quote, "\n"):
            index += 2 if quote == '"' and text[index] == "\\" else 1
        self.position = index + 1
