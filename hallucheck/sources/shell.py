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
``bash <<EOF`` and ``sh <<< "..."`` can be read as scripts by the caller. What else a command's data flow
needs is kept too, for the caller to follow: the commands whose output a pipe feeds it
(:attr:`SimpleCommand.feeders`: ``echo "..." | sh``), the files its output is redirected to
(:attr:`SimpleCommand.redirects`: ``cat > r.txt <<EOF``), the commands of a process substitution
(:attr:`Field.produced`: ``-r <(printf ...)``) and the functions the text defines (:attr:`Script.functions`).

tree-sitter is imported on the first parse, never at import: only a file or an agent payload that may
install anything pays for it.
"""

from __future__ import annotations

import bisect
import functools
import re
import time
from typing import TYPE_CHECKING

from hallucheck.lazy import LazyPattern, field, record
from hallucheck.sources.deadline import OutOfTime as OutOfTime  # callers import the deadline from here too
from hallucheck.sources.deadline import check_time as check_time
from hallucheck.sources.deadline import current_deadline
from hallucheck.sources.deadline import deadline as deadline

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

    _Redirects = list[tuple[str, Node]]

UNKNOWN = "\x00"
"""Marks text of a field that is known only when the command runs (``$VAR``, ``$(cmd)``)."""

_MAX_FIELDS = 256
"""Brace expansion beyond this many fields of one word is not spelled out (the word becomes unknown)."""
_SPECIAL = LazyPattern(r"[\\{]")
_MAX_NESTING = 64
"""Word structure nested deeper than this (``${a:-${b:-...}}``) is unknown rather than recursed into."""


class Field(str):
    """One field of a simple command, and where the word it comes from is written."""

    offset: int
    """Character offset of the word in the text given to :func:`simple_commands`."""
    source: str
    """The word as written."""
    end: int
    """Character offset just past the word (a continuation inside it makes it longer than ``source``)."""

    produced: list[SimpleCommand] | None = None
    """For a word that is a process substitution (``<(printf x)``): the commands whose output the file it
    names holds (None: not one, or one whose commands are not simple)."""
    substituted: bool = False
    """Whether the word is a process substitution (then :attr:`produced` may still be None: unknown)."""

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
    """``NAME=value`` assignments written before it, as written (quotes kept); a line of assignments alone is a
    command without words."""
    redirects: list[tuple[str, Field]] = field(default_factory=list)
    """File redirections of its input and output: (operator, target), ``(">", "r.txt")``, ``("<", "r.txt")``;
    ``"?>"`` when it writes the file together with other commands (``{ echo a; echo b; } > r.txt``)."""
    piped: bool = False
    """Whether a pipe feeds its standard input (``echo x | sh``)."""
    feeders: list[SimpleCommand] | None = None
    """When :attr:`piped`: the commands whose output the pipe carries, in order (None: not known, a loop or a
    condition writes it)."""


@record
class FunctionDefinition:
    """A shell function the text defines: ``p() { pip "$@"; }``, ``function p { ...; }``."""

    name: str
    body: str
    """The body as written (``{ pip "$@"; }``), a compound command the caller can read again."""
    offset: int
    """Character offset of the body in the parsed text."""


@record
class Script:
    """What :func:`read_script` finds in shell text."""

    commands: list[SimpleCommand]
    has_error: bool
    functions: list[FunctionDefinition] = field(default_factory=list)


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
    script = read_script(text, base)
    return script.commands, script.has_error


def read_script(text: str, base: int = 0) -> Script:
    """:func:`read`, with the functions ``text`` defines."""
    prepared, removed = prepare(text)
    data = prepared.encode("utf-8", "surrogatepass")
    tree = _parse(data)
    reader = _Reader(data, _Positions(removed, prepared, base))
    reader.root = tree.root_node
    commands = reader.commands(tree.root_node)
    return Script(commands, tree.root_node.has_error or reader.skipped, reader.functions)


def _parse(data: bytes) -> Tree:
    """The parse tree of ``data``; under a :func:`deadline`, the parser is fed in chunks and stopped (by an
    early end of input) once the deadline passes."""
    at = current_deadline()
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
    root: Node | None = None

    def __init__(self, data: bytes, positions: _Positions) -> None:
        self._data = data
        self._positions = positions
        self.skipped = False
        """Whether the grammar left text of a command out of every node (it drops an escaped space, ``\\ x``)."""
        self.functions: list[FunctionDefinition] = []
        self._by_node: dict[int, SimpleCommand] = {}
        self._trailing: dict[int, list[Field]] = {}
        self._wanted: list[tuple[SimpleCommand | Field, list[int] | None]] = []
        """Commands and process-substitution words waiting for the commands (by node id) that feed them."""
        self._variables = _Variables(data)

    def _text(self, node: Node) -> str:
        return self._data[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")

    def commands(self, root: Node) -> list[SimpleCommand]:
        found: list[tuple[int, SimpleCommand]] = []
        stack: list[tuple[Node, list[tuple[str, int]], Node | None, _Redirects]] = [(root, [], None, [])]
        steps = 0
        while stack:
            steps += 1
            if not steps & 1023:
                check_time()
            node, stdin, feeder, redirects = stack.pop()
            kind = node.type
            if kind == "command":
                command = self._command(node, stdin)
                command.words += self._trailing.pop(node.id, [])
                command.redirects += self._redirects(redirects + self._own_redirects(node))
                if feeder is not None:
                    command.piped = True
                    self._wanted.append((command, _direct_commands(feeder)))
                self._by_node[node.id] = command
                found.append((node.start_byte, command))
                stack += [(child, [], None, []) for child in node.children if child.child_count]  # nested commands
                continue
            if kind == "redirected_statement":
                fed = stdin + self._heredocs(node)
                body = node.children[0] if node.children else None
                last = _last_command(body) if body is not None and len(node.children) > 1 else None
                if last is not None:
                    self._dropped(last, node.children[1])
                outer = redirects + [(part.type, part) for part in node.children if part.type == "file_redirect"]
                outer += self._heredoc_redirects(node)
                for child in node.children:
                    if child.type == "heredoc_redirect":  # the grammar puts the rest of the line in it
                        stack += [(part, [], None, []) for part in child.children if part.type != "file_redirect"]
                        continue
                    stack.append((child, fed, feeder if child is body else None, outer if child is body else []))
                continue
            if kind == "pipeline":
                stack += self._pipeline(node, stdin, feeder, redirects)
                continue
            if kind == "function_definition":
                self._function(node)
            if kind in ("variable_assignment", "variable_assignments") and (
                    node.parent is None or node.parent.type not in ("command", "variable_assignments")):
                parts = node.children if kind == "variable_assignments" else [node]
                named = [index for index, part in enumerate(parts) if self._data[part.start_byte:part.start_byte + 1]
                         .isdigit()]
                if named:  # `1=x` is no assignment to bash: the command's name, and what follows its arguments
                    words = [word for part in parts[named[0]:] for word in self._word([part])]
                    found.append((parts[named[0]].start_byte,
                                  SimpleCommand(words, self._positions.char(parts[named[0]].start_byte))))
                assigned = [self._text(part) for part in parts[:named[0] if named else len(parts)]
                            if part.type == "variable_assignment"]
                if assigned:  # `PIP_INDEX_URL=x` alone: a command without words (an exported name changes)
                    found.append((node.start_byte, SimpleCommand([], self._positions.char(node.start_byte),
                                                                 assignments=assigned)))
            if kind in ("heredoc_body", "comment", "word", "raw_string", "ansi_c_string", "string_content",
                        "heredoc_start", "heredoc_end", "variable_name", "number", "file_redirect"):
                continue
            if kind == "list":  # `a && b > f`: the grammar puts the redirection of b on the list
                last = node.children[-1] if node.children else None
                stack += [(child, stdin, feeder, redirects if child is last else []) for child in node.children]
                continue
            compound = kind in ("compound_statement", "subshell", "program")
            for child in node.children:
                stack.append((child, stdin, feeder if compound and kind != "program" else None,
                              _shared(redirects, child) if compound else []))
        for waiting, ids in self._wanted:
            feeders = None if ids is None or any(item not in self._by_node for item in ids) \
                else [self._by_node[item] for item in ids]
            if isinstance(waiting, Field):
                waiting.produced = feeders
            else:
                waiting.feeders = feeders
        found.sort(key=lambda item: item[0])
        return [command for _, command in found]

    def _dropped(self, body: Node, after: Node) -> None:
        """Words the grammar leaves out between a command and its redirection (it drops the ``-`` of ``pip
        install -r - <<EOF``): plain ones are the command's; anything else is read another way too."""
        gap = self._data[body.end_byte:after.start_byte].decode("utf-8", "surrogatepass")
        if not gap.strip():
            return
        if re.search(r"[^\w\s./:=@+,%-]", gap):
            self.skipped = True
            return
        start = self._positions.char(body.end_byte)
        self._trailing[body.id] = [Field(match.group(), start + match.start())
                                   for match in re.finditer(r"\S+", gap)]

    def _pipeline(self, node: Node, stdin: list[tuple[str, int]], feeder: Node | None,
                  redirects: _Redirects) -> list[tuple[Node, list[tuple[str, int]], Node | None, _Redirects]]:
        """The stack entries of a pipeline's parts: each after a ``|`` is fed by the part before it (a pipeline
        that starts with ``|`` continues the command of the redirection it is written in: ``cat <<EOF | sh``);
        a redirection of the whole applies to its last part."""
        entries = []
        previous = feeder
        parts = [child for child in node.children if child.type not in ("|", "|&")]
        if node.children and node.children[0].type in ("|", "|&"):
            heredoc = node.parent
            statement = heredoc.parent if heredoc is not None else None
            previous = statement.children[0] if statement is not None and statement.children else None
            stdin = []
        for index, child in enumerate(parts):
            last = index == len(parts) - 1
            entries.append((child, stdin if index == 0 or last else [], previous, redirects if last else []))
            previous = child
        return entries

    def _function(self, node: Node) -> None:
        names = [child for child in node.children if child.type == "word"]
        bodies = [child for child in node.children if child.type in ("compound_statement", "subshell",
                                                                      "test_command", "if_statement")]
        if names and bodies:
            self.functions.append(FunctionDefinition(self._text(names[0]), self._text(bodies[-1]),
                                                     self._positions.char(bodies[-1].start_byte)))

    def _heredoc_redirects(self, node: Node) -> _Redirects:
        """File redirections written after a here-document's marker (``cat <<EOF > r.txt``): the grammar puts
        them, and what follows on the line, inside the here-document's node."""
        found: _Redirects = []
        for child in node.children:
            if child.type != "heredoc_redirect":
                continue
            for part in child.children:
                if part.type in ("&&", "||", ";", "&", "|", "|&", "pipeline", "command", "list"):
                    break
                if part.type == "file_redirect":
                    found.append((part.type, part))
        return found

    def _own_redirects(self, node: Node) -> _Redirects:
        return [(child.type, child) for child in node.children if child.type == "file_redirect"]

    def _redirects(self, nodes: _Redirects) -> list[tuple[str, Field]]:
        """(operator, target) of file redirections (``>``, ``>>``, ``&>``, ``<``; ``?>`` shared)."""
        found = []
        for how, node in nodes:
            operators = [child for child in node.children if not child.is_named]
            targets = [child for child in node.children if child.is_named and child.type != "file_descriptor"]
            descriptor = [child for child in node.children if child.type == "file_descriptor"]
            if not operators or not targets or (descriptor and self._text(descriptor[0]) not in ("1", "0")):
                continue
            operator = operators[0].type
            if operator in (">&", "<&", ">&-", "<&-"):
                continue
            target = self._word([targets[0]])
            if target:
                written = "?>" if how == "shared" and ">" in operator else operator
                found.append((written, target[0]))
        return found

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
        named = False  # whether the command's name has been read
        for index, child in enumerate(node.children):
            if not index & 1023:
                check_time()
            kind = child.type
            if index and b"\\" in self._data[node.children[index - 1].end_byte:child.start_byte]:
                self.skipped = True
            if kind == "variable_assignment" and (named or self._data[child.start_byte:child.start_byte + 1].isdigit()):
                kind = "word"  # `1=x`, and what follows it, is no assignment to bash: the command's name, arguments
            named = named or kind in ("command_name", "word")
            if kind == "command_name" or (child.is_named and kind not in (
                    "file_redirect", "herestring_redirect", "heredoc_redirect", "comment", "variable_assignment",
                    "subscript")) or (not child.is_named and kind in _TEST_OPERATORS):
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
        fields = [Field(value, offset, source, end) for value in values]
        if len(nodes) == 1 and nodes[0].type == "process_substitution" and len(fields) == 1:
            fields[0].substituted = True
            inner = [child for child in nodes[0].children if child.is_named and child.type != "comment"]
            self._wanted.append((fields[0], [item for child in inner for item in _direct_commands(child) or [-1]]))
        return fields

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
            return self._variables.segments(self, node, depth, quoted=False)
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
                segments += self._expansion(child, depth + 1, quoted=True)
            elif kind == "command_substitution":
                value = self._substitution(child, depth)
                segments.append((value, 1) if value is not None else (UNKNOWN, 3))
            elif kind == "simple_expansion":
                segments += self._variables.segments(self, child, depth + 1, quoted=True)
            else:
                segments.append((UNKNOWN, 3))
        if end > cursor:
            segments.append((_double_quoted(self._data[cursor:end].decode("utf-8", "surrogatepass")), 1))
        if not segments:
            segments.append(("", 1))
        return segments

    def _expansion(self, node: Node, depth: int, *, quoted: bool) -> list[tuple[str, int]]:
        """``${X}``, ``${a[@]}``: the value the text sets (:class:`_Variables`); ``${X:-word}``/``${X-word}``/
        ``${X:=word}``: that value when it is known and not empty, else the written word (the value when ``X`` is
        unset); any other parameter expansion (``${X:+word}`` too: the word only when ``X`` is set) is unknown.
        A quoted expansion's fields keep mode 2 only for an array's ``"${a[@]}"`` (one field per element)."""
        text = self._text(node)
        if _PLAIN_EXPANSION.fullmatch(text):
            return self._variables.segments(self, node, depth, quoted=quoted)
        match = re.match(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?[-=]", text)
        if match is None:
            return [(UNKNOWN, 3)]
        known = self._variables.value(self, match.group(1), node, depth)
        if isinstance(known, str) and known and UNKNOWN not in known:
            return [(known, 1 if quoted else 2)]
        operand = [child for child in node.children
                   if child.start_byte >= node.start_byte + match.end() and child.type != "}"]
        segments: list[tuple[str, int]] = []
        for child in operand:
            for value, mode in self._segments(child, depth + 1):
                segments.append((value, 1 if quoted and mode in (0, 2) else (2 if mode == 0 else mode)))
        return segments or [("", 1 if quoted else 2)]

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


_PLAIN_EXPANSION = LazyPattern(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:\[(?:[@*]|[0-9]+)\])?\}")
"""``${X}``, ``${a[@]}``, ``${a[*]}``, ``${a[0]}``: the value itself, no operator applied."""
_IDENTIFIER: LazyPattern[bytes] = LazyPattern(rb"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*")
_USES = (b"$", b"${", b"${#", b"${!")
"""What a variable's name is written after where the text only reads its value (``$X``, ``${X}``, ``${#X}``)."""
_RUNS_TEXT_AS_SHELL = frozenset({"eval", "source", "."})
"""Commands that run text in this shell, which may set any variable (``eval "X=pip"``, ``source vars.sh``)."""
_ENCLOSING_REPEATS = frozenset({"for_statement", "c_style_for_statement", "while_statement", "function_definition"})
"""A command inside these may run again after any later command of the text (a loop's next round, a call)."""
_PLAIN_DECLARATION_FLAGS = frozenset("xrga-+")
"""``declare``/``local``/``typeset`` flags that keep an assigned value as written (``-i`` evaluates it, ``-l``/``-u``
change its case, ``-n`` makes a name a reference to another variable)."""
_ASSIGNMENT_QUERY = "(variable_assignment) @assignment (expansion) @expansion (declaration_command) @declaration " \
                    "(command name: (command_name) @name)"
_Value = str | tuple[str, ...] | None
_MAX_VALUE = 65_536
"""A variable's value longer than this is not spelled out (unknown): values that double at each assignment."""


@functools.lru_cache(maxsize=1)
def _assignment_query() -> object:
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Query(tree_sitter.Language(tree_sitter_bash.language()), _ASSIGNMENT_QUERY)


class _Variables:
    """The values shell text gives its variables, as far as the text tells without running it (attack G14:
    ``X="pip install x"; $X``, ``eval "$X"``, ``g=git; $g commit --no-verify``).

    A variable has a known value when every assignment of it in the text (``X=v``, ``X=(a b)``, ``export``/
    ``declare``/``local X=v``, in front of a command too) gives the same literal value (expansions of other known
    variables included), wherever it is written: the text's order is not trusted (a loop runs a later assignment
    before an earlier use), and an assignment in another branch gives another value, which makes it unknown. It
    is unknown too when the text may set it another way: a name written anywhere else than after ``$``/``${``
    (``read X``, ``for X in``, ``printf -v X``, ``mapfile X``, ``(( X = 1 ))``, inside a string ``eval`` runs),
    ``${X:=v}``, ``X+=v``, ``a[1]=v``, ``declare -n``/``-i``/``-l``/``-u``, and every variable after an
    ``eval``/``source``/``.`` command (or anywhere, when one of those is in a loop or a function). A value read
    unquoted is split into fields (at whitespace; unknown when the text sets ``IFS``) and is unknown when it holds
    a glob character (the shell would expand it against the disk). Built on the first use of a variable."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._built = False
        self._values: dict[str, list[Node | None]] = {}
        self._unknown: set[str] = set()
        self._cache: dict[str, _Value] = {}
        self._evaluating: set[str] = set()
        self._wild = -1
        self._splits_otherwise = False

    def segments(self, reader: _Reader, node: Node, depth: int, *, quoted: bool) -> list[tuple[str, int]]:
        """The segments of ``$X``/``${X}``/``${a[@]}`` (``node``): its value when the text tells it."""
        name, index = _expanded_name(reader, node)
        value = self.value(reader, name, node, depth) if name else None
        if isinstance(value, tuple):
            if index in ("@", "*") and not (index == "*" and quoted):
                if any(not element or re.search(r"\s", element) for element in value):
                    return [(UNKNOWN, 3)]  # empty or spaced elements: fields the joined text does not show
                value = " ".join(value)
                return [(value, 2)] if quoted or self._plain(value) else [(UNKNOWN, 3)]
            value = " ".join(value) if index == "*" else value[int(index)] if index and index.isdigit() and int(
                index) < len(value) else "" if index and index.isdigit() else value[0] if value else ""
        if value is None:
            return [(UNKNOWN, 3)]
        if quoted:
            return [(value, 1)]
        return [(value, 2)] if self._plain(value) else [(UNKNOWN, 3)]

    def _plain(self, value: str) -> bool:
        """Whether an unquoted value becomes the fields the reader makes of it (split at whitespace, no glob)."""
        return not self._splits_otherwise and not any(char in value for char in "*?[")

    def value(self, reader: _Reader, name: str, node: Node, depth: int) -> _Value:
        """The value of ``name`` where ``node`` reads it (None: not known from the text)."""
        if not self._built:
            self._build(reader)
        if name not in self._values or name in self._unknown or name in self._evaluating:
            return None
        if 0 <= self._wild <= node.start_byte:
            return None
        if name not in self._cache:
            self._evaluating.add(name)
            try:
                found = {self._assigned(reader, value, depth) for value in self._values[name]}
            finally:
                self._evaluating.discard(name)
            self._cache[name] = found.pop() if len(found) == 1 else None
        return self._cache[name]

    def _assigned(self, reader: _Reader, value: Node | None, depth: int) -> _Value:
        if value is None:
            return ""
        if depth > _MAX_NESTING:
            return None
        if value.type == "array":
            elements = [field for child in value.children if child.is_named and child.type != "comment"
                        for field in reader._fields(child, depth + 1)]
            if any(UNKNOWN in element for element in elements) or sum(map(len, elements)) > _MAX_VALUE:
                return None
            return tuple(elements)
        parts = []
        size = 0
        for text, mode in reader._segments(value, depth + 1):
            size += len(text)
            if mode == 3 or UNKNOWN in text or size > _MAX_VALUE:
                return None  # unknown, or doubling past the limit (`X2=$X1$X1; X3=$X2$X2; ...`)
            parts.append(_unquoted(text) if mode == 0 else text)
        return "".join(parts)

    def _build(self, reader: _Reader) -> None:
        import tree_sitter

        self._built = True
        root = reader.root
        if root is None:
            return
        cursor = tree_sitter.QueryCursor(_assignment_query())  # type: ignore[arg-type]
        captures = cursor.captures(root)
        written: set[int] = set()  # where a name is written as assigned (not another use of it)
        for node in captures.get("assignment", []):
            self._assignment(node, written)
        for node in captures.get("declaration", []):
            self._declaration(reader, node, written)
        for node in captures.get("expansion", []):
            match = re.match(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?=", reader._text(node))
            if match is not None:
                self._unknown.add(match.group(1))  # `${X:=v}` assigns where it is read
        for node in captures.get("name", []):
            self._runs_text(reader, node)
        self._splits_otherwise = b"IFS" in self._data
        if not self._values:
            return
        for count, found in enumerate(_IDENTIFIER.finditer(self._data)):
            if not count & 4095:
                check_time()
            name = found.group().decode("ascii")
            start = found.start()
            if name in self._values and start not in written and not any(
                    self._data[max(0, start - len(use)):start] == use for use in _USES):
                self._unknown.add(name)  # `read X`, `for X in`, `printf -v X`, text eval runs

    def _assignment(self, node: Node, written: set[int]) -> None:
        name = node.child_by_field_name("name")
        if name is None:
            return
        written.add(name.start_byte)
        text = self._data[name.start_byte:name.end_byte].decode("utf-8", "surrogatepass")
        if name.type != "variable_name":  # `a[1]=v`: one element of an array
            text = text.partition("[")[0]
            self._unknown.add(text)
        self._values.setdefault(text, []).append(node.child_by_field_name("value"))
        if any(child.type == "+=" for child in node.children):
            self._unknown.add(text)

    def _declaration(self, reader: _Reader, node: Node, written: set[int]) -> None:
        keyword = node.children[0].type if node.children else ""
        flags = "".join(reader._text(child) for child in node.children
                        if child.type == "word" and reader._text(child)[:1] in "-+")
        plain = set(flags) <= _PLAIN_DECLARATION_FLAGS
        for child in node.children:
            if child.type == "variable_assignment" and not plain:
                assigned = child.child_by_field_name("name")
                if assigned is not None:
                    self._unknown.add(reader._text(assigned).partition("[")[0])
            elif child.type == "variable_name" and keyword in ("export", "readonly") and plain:
                written.add(child.start_byte)  # `export X`: the value stays what it was
        if "n" in flags:
            self._wild = 0  # a name reference: assigning it assigns another variable

    def _runs_text(self, reader: _Reader, name: Node) -> None:
        command = name.parent
        if command is None:
            return
        words = [reader._text(child) for child in command.children[:3] if child.type in ("command_name", "word")]
        while words and words[0] in ("command", "builtin", "exec"):
            words = words[1:]
        if not words or words[0] not in _RUNS_TEXT_AS_SHELL:
            return
        at = command.end_byte
        parent = command.parent
        while parent is not None:
            if parent.type in _ENCLOSING_REPEATS:
                at = 0
                break
            parent = parent.parent
        self._wild = at if self._wild < 0 else min(self._wild, at)


def _expanded_name(reader: _Reader, node: Node) -> tuple[str, str | None]:
    """The variable ``$X``/``${X}``/``${a[i]}`` reads, and the subscript (``@``, ``*``, a number, or None)."""
    for child in node.children:
        if child.type == "variable_name":
            text = reader._text(child)
            return (text, None) if _NAME.fullmatch(text) else ("", None)
        if child.type == "subscript":
            names = [part for part in child.children if part.type == "variable_name"]
            indexes = [part for part in child.children if part.is_named and part.type != "variable_name"]
            index = reader._text(indexes[0]) if indexes else None
            return (reader._text(names[0]) if names else "", index)
    return "", None


_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")


def _shared(redirects: _Redirects, child: Node) -> _Redirects:
    """Redirections of a compound command as its parts see them: shared by all of them (``{ a; b; } > f``)."""
    if not redirects or child.type in ("{", "}", "(", ")", ";", "&&", "||", "\n"):
        return []
    return [("shared", node) for _, node in redirects]


def _last_command(node: Node) -> Node | None:
    """The simple command a redirection written after ``node`` belongs to (a pipeline's last part)."""
    while node.type in ("pipeline", "list") and node.children:
        node = node.children[-1]
    return node if node.type == "command" else None


def _direct_commands(node: Node) -> list[int] | None:
    """Ids of the command nodes whose output ``node`` prints, in order (a pipeline's last part, a group's
    statements); None when something else prints (a loop, a condition)."""
    kind = node.type
    if kind == "command":
        return [node.id]
    if kind == "redirected_statement":
        return _direct_commands(node.children[0]) if node.children else None
    if kind == "pipeline":
        parts = [child for child in node.children if child.type not in ("|", "|&")]
        return _direct_commands(parts[-1]) if parts else None
    if kind in ("compound_statement", "subshell", "list"):
        found: list[int] = []
        for child in node.children:
            if child.type in ("{", "}", "(", ")", ";", "&&", "||", "\n", "comment"):
                continue
            inner = _direct_commands(child)
            if inner is None:
                return None
            found += inner
        return found
    return None


_TEST_OPERATORS = frozenset({"==", "=~", "!="})
"""Tokens the grammar reads as test operators in any command (``f == b``); to bash they are plain words."""


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
