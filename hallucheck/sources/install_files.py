"""Where install commands live in files that are not Python: docs, scripts, Dockerfiles, CI, Makefiles, tox, nox.

:func:`file_kind` says from a path which reader applies; :func:`installed_names` finds the shell text
that file kind runs or shows (a fenced block or a code span in Markdown, a ``RUN`` instruction with its
continuations, a ``run:`` block in a workflow, a recipe line of a Makefile, ...) and reads it with
:mod:`.install_commands`. Only shell text that holds one of ``lines`` (the lines a change added) is read;
each package is reported at the line and column where its argument is written.

Prose is not a command: in Markdown and reStructuredText only code (fenced, indented or ``$``-prompted
blocks and code spans) counts, so "you can pip install it" names nothing. Plain-text instruction files
(``.cursorrules``, ``.txt``) have no code markup: a line that starts with an installer counts there too.
Everything here is pure: text in, names out.
"""

from __future__ import annotations

import ast
import bisect
import json
import posixpath
import re
from collections.abc import Collection, Iterator, Sequence

from hallucheck.lazy import LazyPattern, record
from hallucheck.sources.install_commands import (
    MAY_INSTALL,
    InstallArgument,
    InstallCommand,
    command_of,
    install_commands,
)

MARKDOWN, RST, TEXT, SHELL, DOCKERFILE, YAML, MAKEFILE, TOX, NOX = (
    "markdown", "rst", "text", "shell", "dockerfile", "yaml", "makefile", "tox", "nox",
)  # fmt: skip
KINDS = (MARKDOWN, RST, TEXT, SHELL, DOCKERFILE, YAML, MAKEFILE, TOX, NOX)
NOTEBOOK = "notebook"

_AGENT_FILES = frozenset({".cursorrules", ".windsurfrules", ".clinerules", ".roorules", ".goosehints"})
_SUFFIXES = {
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".mdx": MARKDOWN, ".mdc": MARKDOWN, ".mkd": MARKDOWN,
    ".rst": RST, ".rest": RST, ".txt": TEXT, ".text": TEXT,
    ".sh": SHELL, ".bash": SHELL, ".zsh": SHELL, ".ksh": SHELL, ".command": SHELL, ".ps1": SHELL,
    ".bat": SHELL, ".cmd": SHELL,
    ".dockerfile": DOCKERFILE, ".containerfile": DOCKERFILE,
    ".yml": YAML, ".yaml": YAML,
    ".mk": MAKEFILE, ".make": MAKEFILE, ".just": MAKEFILE,
}  # fmt: skip
_NAMES = {
    "makefile": MAKEFILE, "gnumakefile": MAKEFILE, "justfile": MAKEFILE, ".justfile": MAKEFILE,
    "tox.ini": TOX, "noxfile.py": NOX, "readme": TEXT, "install": TEXT,
}  # fmt: skip
_YAML_COMMAND_KEYS = frozenset({
    "run", "script", "scripts", "before_script", "after_script", "before_install", "install", "after_success",
    "after_failure", "before_deploy", "deploy", "commands", "command", "cmd", "cmds", "entrypoint", "build", "test",
    "pre", "post",
})  # fmt: skip
_TOX_COMMAND_KEYS = frozenset({"commands", "commands_pre", "commands_post", "install_command"})
_FENCE = LazyPattern(r"^(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = LazyPattern(r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)")
_LIST_MARKER = LazyPattern(r"^(?:[>*+-]\s+|[0-9]+[.)]\s+)+")
_HEREDOC = LazyPattern(r"<<-?\s*(?P<quote>['\"]?)(?P<word>[A-Za-z_][A-Za-z0-9_]*)(?P=quote)")
_MAKE_VARIABLE = LazyPattern(r"\$[({](?P<name>[A-Za-z_][A-Za-z0-9_]*)[)}]")
_TOX_FACTOR = LazyPattern(r"^[\w.!,{}-]+:\s+")
_YAML_LINE = LazyPattern(
    r"^(?P<items>(?:-\s+)*)(?:(?P<key>[A-Za-z_][\w.-]*|\"[^\"]*\"|'[^']*')\s*:(?:\s+|$))?(?P<value>.*)$"
)
_NOX_RUNNERS = frozenset({"run", "run_always", "run_install"})


@record(frozen=True)
class InstalledName:
    """A package that an install command in a file would fetch, and where it is written."""

    argument: InstallArgument
    command: InstallCommand
    line: int
    column: int
    """1-based; the argument's first character where it can be found, else the command's."""


def text_kind(path: str) -> str | None:
    """:data:`NOTEBOOK` for a Jupyter notebook, else :func:`file_kind`."""
    return NOTEBOOK if path.lower().endswith(".ipynb") else file_kind(path)


def reads_commands_of_manifest(kind: str | None) -> bool:
    """Whether files of ``kind`` are read for install commands even when they also declare dependencies:
    ``tox.ini`` (``commands``; its ``deps`` are declarations) and ``noxfile.py`` (``session.run``; its
    ``session.install`` calls are declarations)."""
    return kind in (TOX, NOX)


def is_agent_rules(path: str) -> bool:
    """Agent instruction files that pre-commit's ``identify`` gives no type but ``text`` (``.cursorrules``,
    ``.cursor/rules/*.mdc``): the hook cannot be configured to be passed them, so they are always read."""
    name = posixpath.basename(path)
    return name in _AGENT_FILES or name.lower().endswith(".mdc")


def file_kind(path: str) -> str | None:
    """The reader for ``path``, or None when it is not a file install commands are looked for in."""
    name = posixpath.basename(path)
    lowered = name.lower()
    if lowered in _NAMES:
        return _NAMES[lowered]
    if name in _AGENT_FILES:
        return TEXT
    if lowered in ("dockerfile", "containerfile") or lowered.startswith(("dockerfile.", "containerfile.")):
        return DOCKERFILE
    if lowered.startswith("makefile."):
        return MAKEFILE
    stem, dot, suffix = lowered.rpartition(".")
    return _SUFFIXES.get(dot + suffix) if stem else None


@record
class _Snippet:
    """One shell command line, possibly continued over several physical lines."""

    pieces: list[tuple[int, int, str]]
    """(line, 0-based column, text) of each physical part."""
    words: Sequence[str] | None = None
    """Already split words (an exec-form ``RUN ["pip", "install", "x"]``)."""

    @property
    def text(self) -> str:
        return " ".join(piece[2] for piece in self.pieces)

    @property
    def lines(self) -> set[int]:
        return {piece[0] for piece in self.pieces}

    def locator(self) -> _Locator:
        return _Locator(self.pieces)


class _Locator:
    """Finds words of a snippet's text in order, and the physical line and column each is written at."""

    _WINDOW = 4096
    """How far past the previous word the next one is looked for (bounded: a word the shell rewrote, such as
    ``a\\b``, is never found, and must not cost a scan of the rest of a huge command)."""

    def __init__(self, pieces: list[tuple[int, int, str]]) -> None:
        self._pieces = pieces
        self.text = " ".join(piece[2] for piece in pieces)
        self._starts = []
        offset = 0
        for piece in pieces:
            self._starts.append(offset)
            offset += len(piece[2]) + 1

    def locate(self, word: str, start: int) -> tuple[int, int, int]:
        """Line, 1-based column and end offset of ``word`` at or after offset ``start``; where the search
        started when it is not found nearby."""
        found = self.text.find(word, start, start + len(word) + self._WINDOW) if word else -1
        offset = found if found >= 0 else start
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        line, column, _ = self._pieces[index]
        return line, column + offset - self._starts[index] + 1, (found + len(word) if found >= 0 else start)


def installed_names(
    path: str, text: str, lines: Collection[int] | None = None, kind: str | None = None
) -> list[InstalledName]:
    """Packages install commands in ``text`` would fetch; only commands holding one of ``lines`` (None: all)."""
    kind = kind or file_kind(path)
    if kind is None or not MAY_INSTALL.search(text):
        return []
    physical = text.split("\n")
    if lines is not None and kind != YAML and not any(_may_add(physical, line) for line in lines):
        return []
    found: list[InstalledName] = []
    wanted = None if lines is None else frozenset(lines)
    for snippet in _SNIPPETS[kind](physical):
        if wanted is not None and wanted.isdisjoint(piece[0] for piece in snippet.pieces):
            continue
        found += _names(snippet)
    return found


def may_add_packages(text: str, lines: Collection[int] | None, kind: str) -> bool:
    """Whether :func:`installed_names` can find anything: cheap enough to decide a change without the check."""
    if not MAY_INSTALL.search(text):
        return False
    if lines is None or kind == YAML:
        return True
    physical = text.split("\n")
    return any(_may_add(physical, line) for line in lines)


def _may_add(physical: Sequence[str], line: int) -> bool:
    """Whether added ``line`` can add a package: it names an installer, or continues a command that may."""
    if not 0 < line <= len(physical):
        return False
    if MAY_INSTALL.search(physical[line - 1]):
        return True
    previous = physical[line - 2].rstrip() if line >= 2 else ""
    return previous.endswith(("\\", "`"))


def _names(snippet: _Snippet) -> list[InstalledName]:
    locator = snippet.locator()
    commands = command_of(snippet.words) if snippet.words is not None else install_commands(locator.text)
    found = []
    cursor = 0
    for command in commands:
        places = []  # where each of the command's words is written, in order
        for word in command.words:
            line, column, end = locator.locate(word, cursor)
            places.append((word, line, column))
            cursor = end
        line, column = places[0][1:] if places else locator.locate("", cursor)[:2]
        used = 0
        for argument in command.arguments:
            place = next((index for index in range(used, min(used + 64, len(places)))
                          if _written_in(argument.requirement, places[index][0])), None)  # fmt: skip
            if place is not None:
                used = place + 1
                found.append(InstalledName(argument, command, places[place][1], places[place][2]))
            else:
                found.append(InstalledName(argument, command, line, column))
    return found


def _written_in(requirement: str, word: str) -> bool:
    """Whether ``requirement`` is the word, or a part of it (``--with=a,b``, ``-rFILE``)."""
    return requirement == word or requirement in re.split(r"[=,]", word)


# --- Readers, one per file kind ----------------------------------------------------------------------------


def _continued(
    physical: Sequence[str], start: int, *, escape: str = "\\", skip_comments: bool = False
) -> tuple[_Snippet, int]:
    """The command starting at 0-based ``start``, joined over lines that end with ``escape``; and the next index."""
    pieces = []
    index = start
    while index < len(physical):
        line = physical[index].rstrip("\r")
        if skip_comments and index > start and line.lstrip().startswith("#"):
            index += 1
            continue
        stripped = line.rstrip()
        continued = stripped.endswith(escape) and not stripped.endswith(escape * 2)
        pieces.append((index + 1, 0, stripped[:-1] if continued else line))
        index += 1
        if not continued:
            break
    return _Snippet(pieces), index


def _shell(physical: Sequence[str]) -> Iterator[_Snippet]:
    index = 0
    while index < len(physical):
        snippet, index = _continued(physical, index)
        yield snippet
        heredoc = _HEREDOC.search(snippet.text)
        if heredoc is not None:  # a here-document is data for the command, not commands
            end = heredoc.group("word")
            while index < len(physical) and physical[index].strip() != end:
                index += 1
            index += 1


def _dockerfile(physical: Sequence[str]) -> Iterator[_Snippet]:
    escape = "\\"
    for line in physical[:5]:
        directive = re.match(r"^#\s*escape\s*=\s*(\S)", line)
        if directive:
            escape = directive.group(1)
    index = 0
    while index < len(physical):
        if not physical[index].strip() or physical[index].lstrip().startswith("#"):
            index += 1
            continue
        snippet, index = _continued(physical, index, escape=escape, skip_comments=True)
        first_line, column, first = snippet.pieces[0]
        instruction = re.match(r"^\s*(?:ONBUILD\s+)?RUN\s+", first, re.IGNORECASE)
        if instruction is None:
            continue
        body = first[instruction.end() :]
        flags = re.match(r"^(?:--\S+\s+)*", body)  # --mount=..., --network=...
        skip = instruction.end() + (flags.end() if flags else 0)
        snippet.pieces[0] = (first_line, column + skip, first[skip:])
        rest = snippet.text.strip()
        if rest.startswith("["):
            try:
                words = json.loads(rest)
            except (ValueError, RecursionError):
                words = None
            if isinstance(words, list) and all(isinstance(word, str) for word in words):
                yield _Snippet(snippet.pieces, words)
                continue
        yield snippet
        heredoc = _HEREDOC.search(snippet.text)
        if heredoc is not None:  # RUN <<EOF ... EOF: the body is the script
            end = heredoc.group("word")
            while index < len(physical) and physical[index].strip() != end:
                body_snippet, index = _continued(physical, index)
                yield body_snippet
            index += 1


def _makefile(physical: Sequence[str]) -> Iterator[_Snippet]:
    index = 0
    while index < len(physical):
        line = physical[index]
        if not line[:1].isspace() or not line.strip() or line.lstrip().startswith("#"):
            index += 1
            continue
        snippet, index = _continued(physical, index)
        pieces = []
        for number, column, text in snippet.pieces:
            stripped = text.lstrip()
            prefix = re.match(r"^[@+-]*", stripped)
            skip = len(text) - len(stripped) + (prefix.end() if prefix else 0)
            substituted = _MAKE_VARIABLE.sub(_make_program, text[skip:].replace("$$", "$"))
            pieces.append((number, column + skip, substituted))
        yield _Snippet(pieces)


def _make_program(match: re.Match[str]) -> str:
    """``$(PIP)`` -> ``pip``, padded to the same width so that columns stay true."""
    name = match.group("name").lower()
    width = len(match.group())
    for program in ("pipx", "pip", "uvx", "uv", "poetry", "pdm", "conda", "mamba", "python"):
        if name == program or name.endswith(program) or name.startswith(program):
            return program.ljust(width)
    return match.group()  # dynamic: never a package name


def _tox(physical: Sequence[str]) -> Iterator[_Snippet]:
    in_commands = False
    for index, line in enumerate(physical):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("["):
            in_commands = False
            continue
        if not line[:1].isspace():
            key, equals, value = line.partition("=")
            in_commands = bool(equals) and key.strip() in _TOX_COMMAND_KEYS
            if not in_commands:
                continue
            column = len(line) - len(value.lstrip())
            text = value.strip()
        elif in_commands:
            column = len(line) - len(line.lstrip())
            text = stripped
        else:
            continue
        factor = _TOX_FACTOR.match(text)
        if factor is not None:
            column += factor.end()
            text = text[factor.end() :]
        marker = re.match(r"^[-!]\s*", text)
        if marker is not None:
            column += marker.end()
            text = text[marker.end() :]
        yield _Snippet([(index + 1, column, text.rstrip("\\").rstrip())])


def _nox(physical: Sequence[str]) -> Iterator[_Snippet]:
    """``session.run("pip", "install", "x")`` with literal arguments (read with ``ast``, never run)."""
    try:
        tree = ast.parse("\n".join(physical))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _NOX_RUNNERS):
            continue
        words = []
        for argument in node.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                words.append(argument.value)
            else:
                break  # `*deps`, a variable: what follows is not known statically
        if words:
            yield _Snippet([(node.lineno, node.col_offset, physical[node.lineno - 1][node.col_offset :])], words)


def _yaml(physical: Sequence[str]) -> Iterator[_Snippet]:
    """Commands under ``run:``/``script:``-like keys: inline values, block scalars and list items."""
    owners: list[tuple[int, str]] = []  # (indent, key) of enclosing keys
    block: tuple[int, str, bool] | None = None  # the block scalar being read: (indent of its key, key, folded)
    folded: list[tuple[int, int, str]] = []
    for index, line in enumerate(physical):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if block is not None:
            if not stripped or indent > block[0]:
                if stripped and block[1] in _YAML_COMMAND_KEYS:
                    if block[2]:
                        folded.append((index + 1, indent, stripped))  # `>`: lines fold into one
                    else:
                        yield _Snippet([(index + 1, indent, stripped)])
                elif folded:
                    yield _Snippet(folded)
                    folded = []
                continue
            block = None
        if folded:
            yield _Snippet(folded)
            folded = []
        if not stripped or stripped.startswith("#"):
            continue
        match = _YAML_LINE.match(stripped)
        if match is None:
            continue
        items = match.group("items")
        key_indent = indent + len(items)
        while owners and (
            owners[-1][0] > indent
            or (owners[-1][0] == indent and not items)
            or (owners[-1][0] == key_indent and match.group("key"))
        ):
            owners.pop()
        key = (match.group("key") or "").strip("'\"")
        value = match.group("value").strip()
        column = indent + (len(stripped) - len(match.group("value")))
        if key:
            if re.fullmatch(r"[|>][0-9+-]*(?:\s+#.*)?", value):
                block = (key_indent, key, value.startswith(">"))
                continue
            if not value or value.startswith("#"):
                owners.append((key_indent, key))
                continue
            if key in _YAML_COMMAND_KEYS:
                yield from _yaml_value(index + 1, column, value)
            continue
        owner = owners[-1][1] if owners else ""
        if items and owner in _YAML_COMMAND_KEYS:
            yield from _yaml_value(index + 1, column, value)
    if folded:
        yield _Snippet(folded)


def _yaml_value(line: int, column: int, value: str) -> Iterator[_Snippet]:
    """A YAML scalar (plain or quoted) or a flow sequence of words, as shell text."""
    if value.startswith("["):
        try:
            words = json.loads(value)
        except (ValueError, RecursionError):
            words = [item.strip().strip("'\"") for item in value.strip("[]").split(",")]
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            if len(words) > 1 and not any(" " in word for word in words):
                yield _Snippet([(line, column, value)], words)  # exec form: ["pip", "install", "x"]
            else:
                for word in words:
                    yield _Snippet([(line, column, word)])
            return
    if len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]:
        inner = value[1:-1]
        inner = inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"').replace("\\\\", "\\")
        yield _Snippet([(line, column + 1, inner)])
        return
    yield _Snippet([(line, column, value)])


def _markup(physical: Sequence[str], *, kind: str) -> Iterator[_Snippet]:
    """Markdown, reStructuredText and plain text: code blocks, prompted lines and code spans."""
    fence: str | None = None
    index = 0
    while index < len(physical):
        line = physical[index].rstrip("\r")
        quoted = re.match(r"^(?:\s*>)*\s*", line)  # block quotes hold code blocks too
        body_start = quoted.end() if quoted else 0
        stripped = line[body_start:]
        if fence is not None:
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]).strip():
                fence = None
                index += 1
                continue
            snippet, index = _continued(physical, index)
            yield _trimmed(snippet, body_start)
            continue
        opening = _FENCE.match(stripped)
        if opening is not None and kind != RST:
            fence = opening.group("fence")
            index += 1
            continue
        indent = len(line) - len(line.lstrip())
        command = _LIST_MARKER.sub("", stripped)
        prompted = command.startswith(("$ ", "% ", "> ", "PS> ", ">>> ")) or re.match(r"^\(\S+\)\s*\$ ", command)
        starts_with_installer = MAY_INSTALL.match(command.lstrip("%!")) is not None
        if (
            prompted
            or (indent >= (2 if kind == RST else 4) and starts_with_installer)
            or (kind == TEXT and starts_with_installer)
        ):
            snippet, index = _continued(physical, index)
            yield _trimmed(snippet, len(line) - len(command))
            continue
        for span in _CODE_SPAN.finditer(line):
            yield _Snippet([(index + 1, span.start("code"), span.group("code").strip())])
        index += 1


def _trimmed(snippet: _Snippet, column: int) -> _Snippet:
    line, start, text = snippet.pieces[0]
    snippet.pieces[0] = (line, start + column, text[column:])
    return snippet


_SNIPPETS = {
    MARKDOWN: lambda lines: _markup(lines, kind=MARKDOWN),
    RST: lambda lines: _markup(lines, kind=RST),
    TEXT: lambda lines: _markup(lines, kind=TEXT),
    SHELL: _shell,
    DOCKERFILE: _dockerfile,
    YAML: _yaml,
    MAKEFILE: _makefile,
    TOX: _tox,
    NOX: _nox,
}
