"""Shell text as the shell reads it: its simple commands, each as the words (fields) the shell would run.

The grammar is tree-sitter-bash (a maintained, error-tolerant parser of the bash language, used by editors
and GitHub's code navigation); this module only evaluates what the parse leaves to the shell at run time,
as far as it is known without running anything:

* quote removal (``pi""p`` is ``pip``), backslash escapes, ``$'...'`` (ANSI-C) strings, line continuations
  (removed before parsing, as the shell's reader does, so ``requests\\<newline>_x`` is one word);
* brace expansion (``fake{pkg,x}`` is two words);
* ``${X:-word}``/``${X:=word}``: the written ``word`` (the value when ``X`` is unset);
* ``$(...)``/backquotes that print nothing (``$(true)``, ``$()``) or only literal text (``$(echo pip)``);
  their unquoted result is split into fields as the shell does;
* anything else known only at run time (``$VAR``, ``$(cmd)``, ``$((1+1))``) becomes :data:`UNKNOWN` inside
  the field, so a reader can tell "names nothing" from "names something it cannot see".

Commands are found wherever the shell runs them: lists, pipelines, subshells, ``if``/``for``/``while``/
``case`` bodies, functions, command and process substitutions and assignments. Here-documents and
here-strings are kept as the standard input of the commands they feed (:attr:`SimpleCommand.stdin`), so
``bash <<EOF`` and ``sh <<< "..."`` can be read as scripts by the caller.

tree-sitter is imported on the first parse, never at import: only a file or an agent payload that may
install anything pays for it.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import functools
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from hallucheck.lazy import LazyPattern, field, record

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

UNKNOWN = "\x00"
"""Marks text of a field that is known only when the command runs (``$VAR``, ``$(cmd)``)."""

_MAX_FIELDS = 256
"""Brace expansion beyond this many fields of one word is not spelled out (the word becomes unknown)."""
_SPECIAL = LazyPattern(r"[\\{]")
_MAX_NESTING = 64
"""Word structure nested deeper than this (``${a:-${b:-...}}``) is unknown rather than recursed into."""


class OutOfTime(Exception):
    """Reading did not finish before the deadline set with :func:`deadline` (the caller must not pass)."""


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("hallucheck_shell_deadline", default=None)


@contextlib.contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Within the block, reading shell text raises :class:`OutOfTime` once :func:`time.monotonic` passes
    ``at`` (None: no deadline). An agent's hook must answer in time whatever the size of the command."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_time() -> None:
    """Raise :class:`OutOfTime` when the current deadline has passed (cheap: call it every few hundred steps)."""
    at = _DEADLINE.get()
    if at is not None and time.monotonic() > at:
        raise OutOfTime


class Field(str):
    """One field of a simple command, and where the word it comes from is written."""

    offset: int
    """Character offset of the word in the text given to :func:`simple_commands`."""
    source: str
    """The word as written."""
    end: int
    """Character offset just past the word (a continuation inside it makes it longer than ``source``)."""

    def __new__(cls, value: str, offset: int = 0, source: str = "", end: int = -1) -> Field:
        self = super().__new__(cls, value)
        self.offset = offset
        self.source = source or value
        self.end = end if end >= 0 else offset + len(self.source)
        return self

    @property
    def known(self) -> bool:
        return UNKNOWN not in self


@record
class SimpleCommand:
    """One simple command: its fields (assignments excluded) and what it reads as standard input."""

    words: list[Field]
    offset: int
    """Character offset of the command in the parsed text."""
    stdin: list[tuple[str, int]] = field(default_factory=list)
    """Here-documents and here-strings fed to it: (text, character offset of the text)."""
    assignments: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


class _Positions:
    """Maps byte offsets of the prepared (continuation-free, UTF-8) text to character offsets of the original."""

    def __init__(self, removed: list[int], text: str, base: int) -> None:
        self._removed = removed  # prepared character offsets where a `\\\n` (2 characters) was removed
        self._base = base
        self._wide: list[int] = []  # byte offsets of non-ASCII characters, and the extra bytes before each
        self._extra: list[int] = []
        if not text.isascii():
            extra = 0
            position = 0
            for char in text:
                size = len(char.encode("utf-8", "surrogatepass"))
                if size > 1:
                    extra += size - 1
                    self._wide.append(position)
                    self._extra.append(extra)
                position += size

    def char(self, byte: int) -> int:
        index = bisect.bisect_left(self._wide, byte) - 1
        prepared = byte - (self._extra[index] if index >= 0 else 0)
        return self._base + prepared + 2 * bisect.bisect_right(self._removed, prepared)


def prepare(text: str) -> tuple[str, list[int]]:
    """``text`` without line continuations (a backslash before a newline, outside single quotes and comments),
    as the shell's reader removes them before it splits words; and where each was removed."""
    if "\\\n" not in text:
        return text, []
    out: list[str] = []
    removed: list[int] = []
    length = 0
    index = 0
    quote = ""
    size = len(text)
    while index < size:
        char = text[index]
        if quote == "'":
            end = text.find("'", index)
            end = size if end < 0 else end + 1
            out.append(text[index:end])
            length += end - index
            index = end
            quote = ""
            continue
        if char == "\\" and index + 1 < size:
            if text[index + 1] == "\n":
                removed.append(length)
                index += 2
                continue
            out.append(text[index:index + 2])
            length += 2
            index += 2
            continue
        if char == "'" and not quote:
            quote = "'"
        elif char == '"':
            quote = "" if quote == '"' else '"'
        elif char == "#" and not quote and (index == 0 or text[index - 1] in " \t\n;&|()"):
            end = text.find("\n", index)
            end = size if end < 0 else end
            out.append(text[index:end])
            length += end - index
            index = end
            continue
        out.append(char)
        length += 1
        index += 1
    return "".join(out), removed


def simple_commands(text: str, base: int = 0) -> list[SimpleCommand]:
    """Every simple command in ``text``, in the order written; offsets count from ``base``. Never raises:
    text the grammar cannot read is read as far as it can be (tree-sitter recovers from errors)."""
    return read(text, base)[0]


def read(text: str, base: int = 0) -> tuple[list[SimpleCommand], bool]:
    """:func:`simple_commands`, and whether the grammar found an error in ``text`` (then some of it may be
    read otherwise than a shell would: the caller reads it another way too)."""
    prepared, removed = prepare(text)
    data = prepared.encode("utf-8", "surrogatepass")
    tree = _parse(data)
    reader = _Reader(data, _Positions(removed, prepared, base))
    commands = reader.commands(tree.root_node)
    return commands, tree.root_node.has_error or reader.skipped


def _parse(data: bytes) -> Tree:
    """The parse tree of ``data``; under a :func:`deadline`, the parser is fed in chunks and stopped (by an
    early end of input) once the deadline passes."""
    at = _DEADLINE.get()
    if at is None:
        return _parser().parse(data)
    late = False

    def chunk(offset: int, _point: tuple[int, int]) -> bytes:
        nonlocal late
        if late or time.monotonic() > at:
            late = True
            return b""
        return data[offset:offset + 8192]

    tree = _parser().parse(chunk)
    if late:
        raise OutOfTime
    return tree


class _Reader:
    def __init__(self, data: bytes, positions: _Positions) -> None:
        self._data = data
        self._positions = positions
        self.skipped = False
        """Whether the grammar left text of a command out of every node (it drops an escaped space, ``\\ x``)."""

    def _text(self, node: Node) -> str:
        return self._data[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")

    def commands(self, root: Node) -> list[SimpleCommand]:
        found: list[tuple[int, SimpleCommand]] = []
        stack: list[tuple[Node, list[tuple[str, int]]]] = [(root, [])]
        steps = 0
        while stack:
            steps += 1
            if not steps & 1023:
                check_time()
            node, stdin = stack.pop()
            kind = node.type
            if kind == "command":
                command = self._command(node, stdin)
                found.append((node.start_byte, command))
                stack += [(child, []) for child in node.children if child.child_count]  # nested commands
                continue
            if kind == "redirected_statement":
                fed = stdin + self._heredocs(node)
                stack += [(child, fed) for child in node.children]
                continue
            if kind in ("heredoc_body", "comment", "word", "raw_string", "ansi_c_string", "string_content",
                        "heredoc_start", "heredoc_end", "variable_name", "number"):
                continue
            for child in node.children:
                stack.append((child, stdin))
        found.sort(key=lambda item: item[0])
        return [command for _, command in found]

    def _heredocs(self, node: Node) -> list[tuple[str, int]]:
        bodies = []
        for child in node.children:
            if child.type == "heredoc_redirect":
                for part in child.children:
                    if part.type == "heredoc_body":
                        bodies.append((self._text(part), self._positions.char(part.start_byte)))
            elif child.type == "herestring_redirect":
                bodies += self._herestring(child)
        return bodies

    def _herestring(self, node: Node) -> list[tuple[str, int]]:
        values = [part for part in node.children if part.type != "<<<"]
        if not values:
            return []
        fields = self._fields(values[0])
        return [(" ".join(fields), self._positions.char(values[0].start_byte) + 1)]

    def _command(self, node: Node, stdin: list[tuple[str, int]]) -> SimpleCommand:
        words: list[Field] = []
        assignments: list[str] = []
        fed = list(stdin)
        group: list[Node] = []  # nodes written without a space between them: one word
        for index, child in enumerate(node.children):
            if not index & 1023:
                check_time()
            kind = child.type
            if index and b"\\" in self._data[node.children[index - 1].end_byte:child.start_byte]:
                self.skipped = True
            if kind == "command_name" or (child.is_named and kind not in (
                    "file_redirect", "herestring_redirect", "heredoc_redirect", "comment", "variable_assignment",
                    "subscript")):
                target = child.children[0] if kind == "command_name" and child.child_count else child
                if group and target.start_byte != group[-1].end_byte:
                    words += self._word(group)
                    group = []
                group.append(target)
                continue
            if group:
                words += self._word(group)
                group = []
            if kind == "variable_assignment":
                assignments.append(self._text(child))
            elif kind == "herestring_redirect":
                fed += self._herestring(child)
        if group:
            words += self._word(group)
        return SimpleCommand(words, self._positions.char(node.start_byte), fed, assignments)

    def _word(self, nodes: list[Node]) -> list[Field]:
        """The fields of one word written as ``nodes`` (the grammar splits some words: ``0`true`0``)."""
        offset = self._positions.char(nodes[0].start_byte)
        end = self._positions.char(nodes[-1].end_byte)
        source = self._data[nodes[0].start_byte:nodes[-1].end_byte].decode("utf-8", "surrogatepass")
        if len(nodes) == 1:
            values = self._fields(nodes[0])
        else:
            values = _split([segment for part in nodes for segment in self._segments(part, 0)])
        return [Field(value, offset, source, end) for value in values]

    def _fields(self, node: Node, depth: int = 0) -> list[str]:
        """The fields one word expands to (empty when an unquoted word expands to nothing)."""
        if node.type == "word" and not node.child_count:
            text = self._text(node)
            if not _SPECIAL.search(text):
                return [text]
        return _split(self._segments(node, depth))

    def _segments(self, node: Node, depth: int) -> list[tuple[str, int]]:
        """The word as (text, mode) segments: mode 0 unquoted literal, 1 quoted literal, 2 unquoted expansion
        result (split into fields), 3 unknown."""
        if depth > _MAX_NESTING:
            return [(UNKNOWN, 3)]
        kind = node.type
        if kind == "word" or kind == "number" or (not node.is_named and not node.child_count):
            return [(self._text(node), 0)]
        if kind == "concatenation":
            return [segment for child in node.children for segment in self._segments(child, depth + 1)]
        if kind == "raw_string":
            return [(self._text(node)[1:-1], 1)]
        if kind == "ansi_c_string":
            return [(_ansi_c(self._text(node)[2:-1]), 1)]
        if kind in ("string", "translated_string"):
            return self._string(node, depth)
        if kind == "simple_expansion":
            return [(UNKNOWN, 3)]
        if kind == "expansion":
            return self._expansion(node, depth, quoted=False)
        if kind == "command_substitution":
            value = self._substitution(node, depth)
            return [(value, 2)] if value is not None else [(UNKNOWN, 3)]
        if kind == "process_substitution":
            return [("/dev/fd/63", 1)]
        if kind == "arithmetic_expansion":
            return [(UNKNOWN, 3)]
        return [(self._text(node), 0)]

    def _string(self, node: Node, depth: int) -> list[tuple[str, int]]:
        """A double-quoted string: its text between the quotes (as written, whatever tokens the grammar made of
        it), with the expansions in it."""
        segments: list[tuple[str, int]] = []
        children = node.children
        start = children[0].end_byte if children and children[0].type in ('"', '$"') else node.start_byte
        end = node.end_byte - 1 if self._data[node.end_byte - 1:node.end_byte] == b'"' and node.end_byte - 1 >= start \
            else node.end_byte
        cursor = start
        for child in children:
            kind = child.type
            if kind not in ("expansion", "command_substitution", "simple_expansion", "arithmetic_expansion"):
                continue
            if child.start_byte > cursor:
                segments.append((_double_quoted(self._data[cursor:child.start_byte].decode(
                    "utf-8", "surrogatepass")), 1))
            cursor = max(cursor, child.end_byte)
            if kind == "expansion":
                segments += [(text, 1 if mode == 2 else mode) for text, mode in
                             self._expansion(child, depth + 1, quoted=True)]
            elif kind == "command_substitution":
                value = self._substitution(child, depth)
                segments.append((value, 1) if value is not None else (UNKNOWN, 3))
            else:
                segments.append((UNKNOWN, 3))
        if end > cursor:
            segments.append((_double_quoted(self._data[cursor:end].decode("utf-8", "surrogatepass")), 1))
        if not segments:
            segments.append(("", 1))
        return segments

    def _expansion(self, node: Node, depth: int, *, quoted: bool) -> list[tuple[str, int]]:
        """``${X:-word}``/``${X-word}``/``${X:=word}``: the written word (the value when ``X`` is unset); any other
    parameter expansion (``${X:+word}`` too: the word only when ``X`` is set) is unknown."""
        text = self._text(node)
        match = re.match(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=]", text)
        if match is None:
            return [(UNKNOWN, 3)]
        operand = [child for child in node.children
                   if child.start_byte >= node.start_byte + match.end() and child.type != "}"]
        segments: list[tuple[str, int]] = []
        for child in operand:
            for value, mode in self._segments(child, depth + 1):
                segments.append((value, 1 if quoted and mode in (0, 2) else (2 if mode == 0 else mode)))
        return segments or [("", 2)]

    def _substitution(self, node: Node, depth: int) -> str | None:
        """What ``$(...)`` prints when that is known without running anything: nothing for an empty body or
        ``true``/``:``/``false``; the words of ``echo``/``printf`` given only literal text."""
        inner = [child for child in node.children if child.is_named and child.type != "comment"]
        if not inner:
            return ""
        if len(inner) != 1 or inner[0].type != "command":
            return None
        words: list[str] = []
        for child in inner[0].children:
            if child.type == "command_name":
                words += self._fields(child.children[0], depth + 1) if child.child_count else []
            elif child.is_named:
                if child.type not in ("word", "string", "raw_string", "concatenation", "ansi_c_string", "number"):
                    return None
                words += self._fields(child, depth + 1)
        if any(UNKNOWN in word for word in words) or not words:
            return None
        program, arguments = words[0], words[1:]
        if program in ("true", ":", "false"):
            return ""
        if program == "echo":
            while arguments and arguments[0] in ("-n", "-e", "-E", "-ne", "-en"):
                arguments = arguments[1:]
            return " ".join(arguments)
        if program == "printf" and len(arguments) == 1 and "%" not in arguments[0] and "\\" not in arguments[0]:
            return arguments[0]
        if program == "printf" and len(arguments) == 2 and arguments[0] == "%s":
            return arguments[1]
        return None


def _double_quoted(text: str) -> str:
    """Backslash escapes inside double quotes: only ``\\$``, ``\\```, ``\\"``, ``\\\\`` lose the backslash."""
    if "\\" not in text:
        return text
    return re.sub(r'\\([$`"\\])', r"\1", text)


_ANSI = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b",
         "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def _ansi_c(text: str) -> str:
    """The value of a ``$'...'`` string."""

    def escape(match: re.Match[str]) -> str:
        body = match.group(1)
        head = body[0]
        if head in _ANSI:
            return _ANSI[head]
        if head in "xuU":
            digits = body[1:]
            return chr(int(digits, 16)) if digits else match.group()
        if head == "c":
            return chr(ord(body[1:2] or "@") & 0x1F)
        return chr(int(body, 8) & 0xFF)

    return re.sub(r"\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)", escape, text,
                  flags=re.DOTALL)


def _split(segments: list[tuple[str, int]]) -> list[str]:
    """Brace expansion, then field splitting of unquoted expansion results, then quote removal."""
    if any(mode == 0 and "{" in text for text, mode in segments):
        expanded = _brace_expand(segments)
        if expanded is None:
            return [UNKNOWN]
        return [field for variant in expanded for field in _split_fields(variant)]
    return _split_fields(segments)


def _split_fields(segments: list[tuple[str, int]]) -> list[str]:
    fields: list[str] = []
    current: list[str] = []
    started = False  # a quoted (possibly empty) part or literal text makes the field exist
    for text, mode in segments:
        if mode == 2:
            parts = re.split(r"[ \t\n]+", text)
            for index, part in enumerate(parts):
                if index:
                    if started or current:
                        fields.append("".join(current))
                    current, started = [], False
                if part:
                    current.append(part)
                    started = True
            continue
        if mode == 0:
            text = _unquoted(text)
        current.append(text)
        started = started or mode in (1, 3) or bool(text)
    if started or (current and "".join(current)):
        fields.append("".join(current))
    return fields


def _unquoted(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL) if "\\" in text else text


def expand_braces(word: str) -> list[str]:
    """The words bash's brace expansion makes of an unquoted ``word`` (``{pip,}`` -> ``pip``); the word itself
    when it has no brace group or expands past the limit."""
    if "{" not in word:
        return [word]
    expanded = _brace_expand([(word, 0)])
    if expanded is None:
        return [word]
    return [field for variant in expanded for field in _split_fields(variant)]


def _brace_expand(segments: list[tuple[str, int]]) -> list[list[tuple[str, int]]] | None:
    """Bash brace expansion over the unquoted ``{a,b}`` (and ``{1..3}``) of a word; None past the limit."""
    chars: list[tuple[str, int]] = []
    for text, mode in segments:
        if mode == 0:
            index = 0
            while index < len(text):
                if text[index] == "\\" and index + 1 < len(text):
                    chars.append((text[index + 1], 1))  # escaped: never a brace
                    index += 2
                    continue
                chars.append((text[index], 0))
                index += 1
        else:
            chars.append((text, mode))
    return _expand_chars(chars, 0)


def _expand_chars(chars: list[tuple[str, int]], depth: int) -> list[list[tuple[str, int]]] | None:
    if depth > 16:
        return None
    for start, (char, mode) in enumerate(chars):
        if mode != 0 or char != "{":
            continue
        alternatives, end = _alternatives(chars, start)
        if alternatives is None:
            continue
        prefix, suffix = chars[:start], chars[end + 1:]
        tails = _expand_chars(suffix, depth + 1)
        if tails is None:
            return None
        results: list[list[tuple[str, int]]] = []
        for alternative in alternatives:
            inner = _expand_chars(alternative, depth + 1)
            if inner is None:
                return None
            for middle in inner:
                for tail in tails:
                    results.append(prefix + middle + tail)
                    if len(results) > _MAX_FIELDS:
                        return None
        return results
    return [chars]


def _alternatives(chars: list[tuple[str, int]], start: int) -> tuple[list[list[tuple[str, int]]] | None, int]:
    """The comma-separated parts of the brace group opening at ``start`` (or a ``{a..b}`` sequence)."""
    level = 0
    parts: list[list[tuple[str, int]]] = [[]]
    for index in range(start + 1, len(chars)):
        char, mode = chars[index]
        if mode == 0 and char == "{":
            level += 1
        elif mode == 0 and char == "}":
            if level == 0:
                if len(parts) > 1:
                    return parts, index
                return _sequence(parts[0]), index
            level -= 1
        elif mode == 0 and char == "," and level == 0:
            parts.append([])
            continue
        parts[-1].append((char, mode))
    return None, start


def _sequence(part: list[tuple[str, int]]) -> list[list[tuple[str, int]]] | None:
    text = "".join(char for char, mode in part if mode != 3)
    match = re.fullmatch(r"(-?[0-9]+)\.\.(-?[0-9]+)(?:\.\.(-?[0-9]+))?|([A-Za-z])\.\.([A-Za-z])", text)
    if match is None or any(mode == 3 for _, mode in part):
        return None
    if match.group(4):
        first, last = ord(match.group(4)), ord(match.group(5))
        step = 1 if last >= first else -1
        values = [chr(code) for code in range(first, last + step, step)]
    else:
        first, last = int(match.group(1)), int(match.group(2))
        step = abs(int(match.group(3) or 1)) or 1
        step = step if last >= first else -step
        if abs(last - first) // abs(step) > _MAX_FIELDS:
            return None
        values = [str(value) for value in range(first, last + (1 if step > 0 else -1), step)]
    return [[(value, 1)] for value in values]
