"""Where install commands live in files: docs, scripts, Dockerfiles, CI, Makefiles, tox, nox, Python code.

:func:`file_kind` says from a path which reader applies; :func:`installed_names` finds the shell text
that file kind runs or shows (a fenced block or a code span in Markdown, a ``RUN`` instruction with its
continuations, a ``run:`` block in a workflow, a recipe line of a Makefile, ...) and reads it with
:mod:`.install_commands`. Only shell text that holds one of ``lines`` (the lines a change added) is read;
each package is reported at the line and column where its argument is written.

Prose is not a command: in Markdown and reStructuredText only code (fenced, indented or ``$``-prompted
blocks and code spans) counts, so "you can pip install it" names nothing. Plain-text instruction files
(``.cursorrules``, ``.txt``) have no code markup: a line that starts with an installer counts there too.
Python code (``.py``, ``noxfile.py``) is read as code: the calls that run a program
(:mod:`.python_installs`). Everything here is pure: text in, names out.
"""

from __future__ import annotations

import bisect
import copy
import functools
import posixpath
import re
import shlex
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from hallucheck.lazy import LazyPattern, field, record, replace
from hallucheck.sources.file_kinds import _RUNS_MODULE as _RUNS_MODULE
from hallucheck.sources.file_kinds import _WHOLE_KINDS as _WHOLE_KINDS
from hallucheck.sources.file_kinds import AGENT_SETTINGS as AGENT_SETTINGS
from hallucheck.sources.file_kinds import ASCIIDOC as ASCIIDOC
from hallucheck.sources.file_kinds import CODE_KINDS as CODE_KINDS
from hallucheck.sources.file_kinds import CYTHON as CYTHON
from hallucheck.sources.file_kinds import DEPLOY_JSON as DEPLOY_JSON
from hallucheck.sources.file_kinds import DEVCONTAINER as DEVCONTAINER
from hallucheck.sources.file_kinds import DOCKERFILE as DOCKERFILE
from hallucheck.sources.file_kinds import GITPOD as GITPOD
from hallucheck.sources.file_kinds import JENKINSFILE as JENKINSFILE
from hallucheck.sources.file_kinds import KINDS as KINDS
from hallucheck.sources.file_kinds import MAKEFILE as MAKEFILE
from hallucheck.sources.file_kinds import MARKDOWN as MARKDOWN
from hallucheck.sources.file_kinds import NOTEBOOK as NOTEBOOK
from hallucheck.sources.file_kinds import NOX as NOX
from hallucheck.sources.file_kinds import PRECOMMIT as PRECOMMIT
from hallucheck.sources.file_kinds import PROCFILE as PROCFILE
from hallucheck.sources.file_kinds import PYTHON as PYTHON
from hallucheck.sources.file_kinds import RST as RST
from hallucheck.sources.file_kinds import SHELL as SHELL
from hallucheck.sources.file_kinds import TEXT as TEXT
from hallucheck.sources.file_kinds import TOML_TASKS as TOML_TASKS
from hallucheck.sources.file_kinds import TOX as TOX
from hallucheck.sources.file_kinds import VSCODE_TASKS as VSCODE_TASKS
from hallucheck.sources.file_kinds import YAML as YAML
from hallucheck.sources.file_kinds import _installs_unnamed as _installs_unnamed
from hallucheck.sources.file_kinds import file_kind as file_kind
from hallucheck.sources.file_kinds import is_agent_rules as is_agent_rules
from hallucheck.sources.file_kinds import is_shell_script as is_shell_script
from hallucheck.sources.file_kinds import may_hold_commands as may_hold_commands
from hallucheck.sources.file_kinds import may_run_modules as may_run_modules
from hallucheck.sources.file_kinds import reads_commands_of_manifest as reads_commands_of_manifest
from hallucheck.sources.file_kinds import text_kind as text_kind
from hallucheck.sources.install_commands import (
    PYPI,
    UNKNOWN,
    DiskInput,
    InstallArgument,
    InstallCommand,
    command_of,
    install_commands,
    may_install,
)

_YAML_COMMAND_KEYS = frozenset({
    "run", "script", "scripts", "before_script", "after_script", "before_install", "install", "after_success",
    "after_failure", "before_deploy", "deploy", "commands", "command", "cmd", "cmds", "entrypoint", "build", "test",
    "pre", "post",
    # Azure Pipelines steps
    "bash", "pwsh", "powershell",
    # Render (render.yaml)
    "buildCommand", "startCommand", "preDeployCommand",
    # Read the Docs build.jobs
    "post_checkout", "pre_system_dependencies", "post_system_dependencies", "pre_create_environment",
    "create_environment", "post_create_environment", "pre_install", "post_install", "pre_build", "post_build",
})  # fmt: skip
_DEVCONTAINER_COMMAND_KEYS = frozenset({
    "initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand",
    "postAttachCommand",
})  # fmt: skip
_GITPOD_COMMAND_KEYS = _YAML_COMMAND_KEYS | {"init", "before", "prebuild"}
"""Gitpod runs each task's ``before``, ``init`` (also in prebuilds) and ``command`` when a workspace starts."""
_AGENT_HELPERS = ("apiKeyHelper", "awsAuthRefresh", "awsCredentialExport", "otelHeadersHelper")
"""Claude Code settings whose value is a command it runs (besides ``hooks`` and ``statusLine``)."""
_JSON_COMMAND = LazyPattern(r'"(?:command|apiKeyHelper|awsAuthRefresh|awsCredentialExport|otelHeadersHelper)"\s*:\s*'
                            r'"(?P<command>(?:[^"\\]|\\.)*)"')
_WORDS_WINDOW = 4096
"""Characters before an exec form's last word searched for its first (a list of words is not longer)."""
_CIBUILDWHEEL_PLATFORMS = ("linux", "macos", "windows", "ios", "android", "pyodide")
_TOX_COMMAND_KEYS = frozenset({"commands", "commands_pre", "commands_post", "install_command"})
_FENCE = LazyPattern(r"^(?P<fence>`{3,}|~{3,})")
_ADOC_DELIMITER = LazyPattern(r"^(?P<fence>-{4,}|\.{4,})\s*$")
"""An AsciiDoc listing (``----``) or literal (``....``) block delimiter."""
_CODE_SPAN = LazyPattern(r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)")
_LIST_MARKER = LazyPattern(r"^(?:[>*+-]\s+|[0-9]+[.)]\s+)+")
_HEREDOC = LazyPattern(r"<<-?\s*(?P<quote>['\"]?)(?P<word>[A-Za-z_][A-Za-z0-9_.-]*)(?P=quote)")
_DOCKER_RUNS = LazyPattern(
    r"(?i)^\s*(?:ONBUILD\s+)?(?P<kind>RUN|CMD|ENTRYPOINT|HEALTHCHECK(?:\s+--\S+)*\s+CMD)\s+"
)
_DOCKER_STAGE = LazyPattern(r"(?i)^\s*FROM\s")
_DOCKER_SHELL = LazyPattern(r"(?i)^\s*SHELL\s+")
_DOCKER_COPY = LazyPattern(r"(?i)^\s*(?:ONBUILD\s+)?(?:COPY|ADD)\s")
_REQUIREMENTS_NAME = LazyPattern(r"(?i)req|constraint|\.in$|deps|depend")
_MAKE_VARIABLE = LazyPattern(r"\$[({](?P<name>[A-Za-z_][A-Za-z0-9_]*)[)}]")
_MAKE_ASSIGNMENT = LazyPattern(
    r"^(?:export\s+|override\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<operator>::?=|\?=|\+=|!=|=)(?P<value>.*)$"
)
_MAKE_SHELL_CALL = LazyPattern(r"\$[({]shell\s+")
_MAKE_FUNCTION_CALL = LazyPattern(r"\$[({](?!shell\s)[a-z][a-z-]*\s")
_MAKE_REFERENCE = LazyPattern(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
_MAKE_DEPTH = 64
"""Make expands without a limit; a chain of plain references deeper than this is not read."""
_MAKE_SIZE = 1 << 16
"""Characters of one expansion: doubling (``A1 = $(A0) $(A0)``) passes it in a few levels."""
_MAKE_BUDGET = 1 << 22
"""Characters expanded for one Makefile in all."""
_MAKE_RESCANS = 8
_MAKE_RECIPEPREFIX = LazyPattern(r"^\s*(?:override\s+)?\.RECIPEPREFIX\s*(?:::?=|:::=|\?=|\+=|=)(?P<value>.*)$")
_MAKE_DEFINE = LazyPattern(r"^\s*(?:(?:export|override|private)\s+)*define\s+\S")
_MAKE_ONE_LINE_RULE = LazyPattern(r"^[^\t#=:][^#=:]*::?[^;=]*;\s*")
_COMMAND_START = LazyPattern(
    r"(?i)^(?:[!%]+|\(?[\w.-]+\)\s*\$\s+)?(?:sudo\s+(?:-\S+\s+)*)?(?:(?:\S*/)?(?:python|py)[0-9.]*(?:\.exe)?\s+(?:-\S+\s+)*"
    r"-[A-Za-z]*m\s*|sys\.executable\s+-m\s*)?(?:\S*/)?(?:pip[0-9.]*|uvx?|pipx|poetry|pdm|conda|mamba|micromamba|pipenv|"
    r"rye|easy_install|pixi|hatch|pip-run|mim|fades)(?![\w-])"
)
"""A line that starts with an install command (plain text has no code markup: only such lines are commands)."""
_TEXT_COMMAND = LazyPattern(
    r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+|[({!$]|(?:sudo|doas|env|time|nohup|exec|command|stdbuf|ionice|nice|timeout|"
    r"xargs|bash|sh|zsh|dash|su|cd|true|false|if|eval|export|set|source|echo|strace|ltrace|script|watch|busybox|"
    r"tox|nox|pyenv|mise|asdf|ssh|python[0-9.]*|printf|cat|tee|find|parallel|alias|shopt|function|\.)(?:\s|$)|"
    r"[A-Za-z_][\w-]*\(\)\s*[{(])"
)
"""A plain-text line that starts like a shell command (a wrapper, a shell, ``VAR=x``, a group): read as one
when it holds an install command."""
_DISGUISE = LazyPattern(r"\$\((?:true|:|)\)|[\"'\\{}(),`]|\$\{?(?:\w+:-)?")
_NEAR = 64
"""Lines around an added line where a command that may install makes the added line worth reading."""
_HTML_CODE_OPEN = LazyPattern(r"(?i)<(?P<tag>pre|code)(?:\s[^>]*)?>")
_HTML_TAG = LazyPattern(r"</?[A-Za-z][^>]*>")
_RST_CODE = LazyPattern(r"^\s*(?:\.\.\s+(?:code-block|code|sourcecode|prompt)::.*|(?!\s*\.\.\s).*::\s*)$")
"""A line after which an indented block is code: a code directive, or a paragraph ending in ``::``; not any other
directive (``.. change::``, ``.. note::``), whose body is prose (the lookahead holds however much indentation
the leading blanks give back)."""
_TOX_FACTOR = LazyPattern(r"^[\w.!,{}-]+:\s+")
_YAML_LINE = LazyPattern(
    r"^(?P<items>(?:-\s+)*)(?:(?P<key>[A-Za-z_][\w.-]*|\"[^\"]*\"|'[^']*')\s*:(?:\s+|$))?(?P<value>.*)$"
)
_GITHUB_EXPRESSION = LazyPattern(r"\$\{\{\s*(?P<expression>.*?)\s*\}\}")
_MATRIX_REFERENCE = LazyPattern(r"matrix\.(?P<name>[A-Za-z_][\w-]*)")
_PLACEHOLDER = LazyPattern(r"\$\{_[0-9]+_*\}")
_MATRIX_VALUES = 64
"""A matrix key with more values than this is read as unknown (each value reads the command again)."""
_ALIAS_BUDGET = 200_000
_TASK_SEARCHES = 256
_DEVCONTAINER_LINE = LazyPattern(
    r'"(?:initializeCommand|onCreateCommand|updateContentCommand|postCreateCommand|postStartCommand|'
    r'postAttachCommand)"\s*:\s*\[?\s*"(?P<command>(?:[^"\\]|\\.)*)"'
)
_TOML_TASKS_HINT = LazyPattern(
    r"poe|pdm|rye|taskipy|hatch|command|cibuildwheel|tasks|tox|test-requires|before-|cmd|run|onBoot|processes")
"""A TOML file that may hold task runners' commands (else it is not parsed for them)."""
_JENKINS_STEP = LazyPattern(
    r"(?<![\w.])(?:sh|bat|powershell|pwsh)\s*\(?\s*(?:script\s*:\s*)?(?P<quote>\'\'\'|\"\"\"|'|\")"
)
"""Task commands searched for from the start of the file (written before the one found last)."""
"""Nodes read through aliases at most (each alias of a large anchor reads it again)."""
_YAML_ANCHOR = LazyPattern(r"(?:^|[\s\[{,:-])&[^\s&;|<>(){}\[\],]")


@record(frozen=True)
class InstalledName:
    """A package that an install command in a file would fetch, and where it is written."""

    argument: InstallArgument
    command: InstallCommand
    line: int
    column: int
    """1-based; the argument's first character where it can be found, else the command's."""
    run: int = 0
    """The line where the command is run when the package is written elsewhere (``X="pip install x"`` then
    ``$X``: a change to either line changes what is installed); 0 when it is :attr:`line`."""


@record(frozen=True)
class InstalledFile:
    """A file of the repository an install command in a file installs from (``pip install -r deps/base.lst``,
    ``conda env create -f env.yml``), and where the command is written: what it names is known by reading it."""

    input: DiskInput
    command: InstallCommand
    line: int
    column: int


def _committed_input(read: DiskInput) -> bool:
    """Whether ``read`` is a file the repository may hold: not written or fed by the text (read there), not a
    project directory (its manifests are declarations), standard input, a device, a URL or a run-time name."""
    path = read.path.strip("'\"")
    return not (read.project or read.written or read.text is not None or read.runs or not path or path == "-"
                or UNKNOWN in path or "://" in path or path.startswith(("/dev/", "<(", "$")))


def is_requirements_name(name: str) -> bool:
    """Whether a file named ``name`` is read as requirements (``requirements-dev.txt``, ``constraints.in``)."""
    lowered = name.lower()
    return lowered.endswith((".txt", ".in")) and _REQUIREMENTS_NAME.search(lowered) is not None


@record
class _Snippet:
    """Shell text made of physical lines of a file (a ``RUN`` instruction, a ``run: |`` block, a recipe)."""

    pieces: list[tuple[int, int, str]]
    """(line, 0-based column, text) of each physical part, as the shell reads it: joined with newlines (a
    continuation keeps its backslash, so the shell joins the lines as the container format does)."""
    words: Sequence[str] | None = None
    """Already split words (an exec-form ``RUN ["pip", "install", "x"]``)."""
    group: int | None = None
    """Snippets of one group hold the same text written in several places (a YAML anchor and its aliases): a
    name that a primary snippet (an alias) reports is not reported again by the others (the anchor)."""
    primary: bool = False
    variants_of: int | None = None
    """Snippets of one command with different values for its GitHub matrix expressions: a name is reported
    once per line."""
    shown: dict[str, str] = field(default_factory=dict)
    """Text put in place of what is known only at run time (a GitHub expression), and the text written."""
    unknown: str | None = None
    """Text that may install but is known only when the command runs (a Makefile reference past the expansion
    budget, a make function of installer text): the snippet is then read as an undetermined command too."""
    runs: tuple[int, ...] = ()
    """Lines of the commands that install what the snippet holds (``RUN pip install -r /r.txt`` for the lines a
    ``COPY <<EOF /r.txt`` here-document writes): a change to one of them is a change to the snippet (G11)."""

    @property
    def text(self) -> str:
        return "\n".join(piece[2] for piece in self.pieces)

    @property
    def lines(self) -> set[int]:
        return {piece[0] for piece in self.pieces}

    def place(self, offset: int, starts: list[int]) -> tuple[int, int]:
        """Line and 1-based column of character ``offset`` of :attr:`text`."""
        offset = max(offset, 0)
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        line, column, text = self.pieces[index]
        return line, column + min(offset - starts[index], len(text)) + 1

    def starts(self) -> list[int]:
        starts = []
        offset = 0
        for piece in self.pieces:
            starts.append(offset)
            offset += len(piece[2]) + 1
        return starts


def installed_names(path: str, text: str, lines: Collection[int] | None = None,
                    kind: str | None = None, files: list[InstalledFile] | None = None) -> list[InstalledName]:
    """Packages install commands in ``text`` would fetch; only commands holding one of ``lines`` (None: all).
    ``files`` (when given) gets the files of the repository those commands install from (:class:`InstalledFile`).

    A command that may install a package the text cannot name (``pip install "$PKG"``) is reported with an
    argument whose ``determined`` is False. A file without a suffix whose shebang names a shell is a shell
    script (the git edge also reads executable files so)."""
    kind = kind or file_kind(path)
    if kind == CYTHON:
        return _cython_installs(text, lines)
    if kind in CODE_KINDS:
        return _code_installs(text, lines)
    if kind is None and "." not in posixpath.basename(path) and is_shell_script(text):
        kind = SHELL
    if kind is None or not _may_install_file(text, kind):
        return []
    physical = text.split("\n")
    if lines is not None and kind not in _WHOLE_KINDS and not _installs_unnamed(text, kind):
        near = _install_counts(physical) if len(lines) > 8 else None
        if not any(_may_add(physical, line, near) for line in lines):
            return []
    found: list[InstalledName] = []
    wanted = None if lines is None else frozenset(lines)
    reported: set[tuple[int, int, int, str]] = set()
    variants: set[tuple[int, int, str]] = set()
    for snippet in _SNIPPETS[kind](physical):
        if wanted is not None and wanted.isdisjoint(piece[0] for piece in snippet.pieces) and wanted.isdisjoint(
                snippet.runs):
            continue
        rewritten: dict[int, InstallCommand] = {}
        for item in _names(snippet, wanted, files):
            if snippet.shown:
                item = _as_written(item, snippet.shown, rewritten)
            if snippet.variants_of is not None:
                variant = (snippet.variants_of, item.line, item.argument.requirement)
                if variant in variants:
                    continue
                variants.add(variant)
            if snippet.group is not None:
                key = (snippet.group, item.command.offset, item.argument.offset, item.argument.requirement)
                if snippet.primary:
                    reported.add(key)
                elif key in reported:
                    continue
            found.append(item)
    return found


def _as_written(item: InstalledName, shown: dict[str, str], commands: dict[int, InstallCommand]) -> InstalledName:
    """``item`` with the placeholders of ``shown`` written back as the text they stand for (``commands``:
    each command rewritten once, for all its arguments)."""

    def written(text: str) -> str:
        if "${_" not in text:
            return text
        return _PLACEHOLDER.sub(lambda match: shown.get(match.group(), match.group()), text)

    def argument(found: InstallArgument) -> InstallArgument:
        return replace(found, name=written(found.name), requirement=written(found.requirement))

    command = commands.get(id(item.command))
    if command is None:
        words = tuple(written(source) if "${_" in (source := getattr(word, "source", None) or word) else word
                      for word in item.command.words)
        command = replace(item.command, words=words,
                                      arguments=tuple(map(argument, item.command.arguments)))
        commands[id(item.command)] = command
    return replace(item, argument=argument(item.argument), command=command)


def may_add_packages(text: str, lines: Collection[int] | None, kind: str) -> bool:
    """Whether :func:`installed_names` can find anything: cheap enough to decide a change without the check."""
    if kind in CODE_KINDS:
        return may_hold_commands(text, kind) and (lines is None or bool(lines))
    if not _may_install_file(text, kind):
        return False
    if lines is None or kind in _WHOLE_KINDS or _installs_unnamed(text, kind):
        return True
    physical = text.split("\n")
    near = _install_counts(physical) if len(lines) > 8 else None
    return any(_may_add(physical, line, near) for line in lines)


def _may_install_file(text: str, kind: str) -> bool:
    if kind == TOML_TASKS and not _TOML_TASKS_HINT.search(text):
        return False
    return may_install(text) or _installs_unnamed(text, kind)


def _with_blocks_they_open(physical: Sequence[str], lines: Collection[int]) -> set[int]:
    """Every line of a fenced code block whose fence is one of ``lines``: a change that puts fences around a line
    of prose makes it a command, though the line itself is unchanged (attack H16)."""
    if not any(0 < line <= len(physical) and _FENCE.match(physical[line - 1].lstrip()) for line in lines):
        return set()
    added: set[int] = set()
    fence: tuple[int, str] | None = None  # (1-based line, marker) of the open fence
    for number, line in enumerate(physical, 1):
        stripped = line.lstrip()
        marker = _FENCE.match(stripped)
        if marker is not None and fence is None:
            fence = (number, marker.group("fence")[:3])
        elif marker is not None and fence is not None and stripped.startswith(fence[1]):
            if fence[0] in lines or number in lines:
                added.update(range(fence[0], number + 1))
            fence = None
    return added


def _code_installs(text: str, lines: Collection[int] | None) -> list[InstalledName]:
    """What the calls of Python code run (``subprocess.run(["pip", "install", "x"])``), by statement."""
    from hallucheck.sources.python_installs import python_installs

    return [InstalledName(found.argument, found.command, found.line, found.column)
            for found in python_installs(text, lines)]


def _cython_installs(text: str, lines: Collection[int] | None) -> list[InstalledName]:
    """What a Cython module runs: its Python statements read as code; a statement that is not Python (``cdef
    object r = os.system(...)``) and names an installer and an install verb is one undetermined install."""
    from hallucheck.sources.cython import cython_code
    from hallucheck.sources.install_commands import PYPI, InstallArgument, InstallCommand
    from hallucheck.sources.python_installs import names_install

    code, unread = cython_code(text)
    found = _code_installs(code, lines)
    physical = text.split("\n")
    wanted = None if lines is None else set(lines)
    for statement in unread:
        written = "\n".join(physical[statement.start - 1: statement.stop - 1])
        if (wanted is None or not wanted.isdisjoint(statement)) and names_install(written):
            shown = "(a Cython statement that is not Python: what it runs is known only when it runs)"
            argument = InstallArgument(shown, shown, PYPI, determined=False)
            command = InstallCommand("cython", ("cython", " ".join(written.split())[:80]), (argument,))
            first = physical[statement.start - 1]
            found.append(InstalledName(argument, command, statement.start, len(first) - len(first.lstrip()) + 1))
    return found


_HEREDOC_START = LazyPattern(r"<<(-?)\s*(['\"]?)([A-Za-z_][\w.-]*)\2")
_BLOCK_SCALAR = LazyPattern(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")
_INI_KEY = LazyPattern(r"\s*[\w.:-]+\s*[=:]")


def container_lines(text: str, lines: Collection[int], kind: str) -> frozenset[int]:
    """The lines whose meaning changes with a line of ``lines`` though their text does not (attack E17): the body
    of a here-document whose command is on a changed line (``cat > f <<EOF`` made ``bash <<EOF``, a Dockerfile
    ``COPY <<EOF`` made ``RUN <<EOF``), of a YAML block scalar whose key is (``name: |`` made ``run: |``), and
    the continuation lines of an INI key that is (tox's ``description =`` made ``commands =``). They count as
    added: what was data is now a command."""
    physical = text.split("\n")
    found: set[int] = set()
    for line in sorted(number for number in lines if 0 < number <= len(physical)):
        head = physical[line - 1]
        if kind in (SHELL, DOCKERFILE, MAKEFILE, MARKDOWN, RST, TEXT, YAML, GITPOD) and "<<" in head:
            match = _HEREDOC_START.search(head)
            if match is not None:
                end = line
                while end < len(physical) and physical[end].strip() != match.group(3):
                    end += 1
                found.update(range(line + 1, end + 1))
        if kind in (YAML, GITPOD) and _BLOCK_SCALAR.search(head):
            indent = len(head) - len(head.lstrip())
            end = line
            while end < len(physical) and (not physical[end].strip() or
                                           len(physical[end]) - len(physical[end].lstrip()) > indent):
                end += 1
            found.update(range(line + 1, end + 1))
        if kind == TOX and _INI_KEY.match(head) and not head[:1].isspace():
            end = line
            while end < len(physical) and physical[end][:1] in (" ", "\t") and physical[end].strip():
                end += 1
            found.update(range(line + 1, end + 1))
    if kind in (MARKDOWN, RST, TEXT, ASCIIDOC):
        found.update(_with_blocks_they_open(physical, lines))
    return frozenset(found)


def _may_add(physical: Sequence[str], line: int, near: list[int] | None = None) -> bool:
    """Whether added ``line`` can add a package: it may install, or it is part of a command or block that may
    (a continuation, a here-document, a multi-line quote: a line at most :data:`_NEAR` lines from one that may
    install). ``near``: :func:`_install_counts` of ``physical``, computed once for many lines."""
    if not 0 < line <= len(physical):
        return False
    if may_install(physical[line - 1]):
        return True
    previous = physical[line - 2].rstrip() if line >= 2 else ""
    if previous.endswith(("\\", "`")):
        return True
    counts = near if near is not None else _install_counts(physical)
    return counts[min(line + _NEAR, len(physical))] > counts[max(line - 1 - _NEAR, 0)]


def _install_counts(physical: Sequence[str]) -> list[int]:
    """How many of the first N lines may install, for every N (a window is two look-ups)."""
    counts = [0]
    for text in physical:
        counts.append(counts[-1] + (1 if may_install(text) else 0))
    return counts


def _names(snippet: _Snippet, wanted: frozenset[int] | None,
           files: list[InstalledFile] | None = None) -> list[InstalledName]:
    commands = command_of(snippet.words) if snippet.words is not None else install_commands(snippet.text)
    if snippet.words is not None:
        commands = _written_at(commands, snippet.text)
    starts = snippet.starts()
    found = []
    for command in commands:
        first = command.offset if command.offset >= 0 else 0
        offsets = [first, *(_word_offset(word, first) for word in command.words)]
        offsets += [end - 1 for word in command.words if isinstance(end := getattr(word, "end", -1), int) and end > 0]
        offsets += [argument.offset for argument in command.arguments if argument.offset >= 0]
        run_by = next((line for line in snippet.runs if wanted is None or line in wanted), 0)
        if wanted is not None and not run_by:
            low, high = snippet.place(min(offsets, default=first), starts)[0], snippet.place(
                max(offsets, default=first), starts)[0]
            if wanted.isdisjoint(range(low, high + 1)) and wanted.isdisjoint(
                    snippet.place(offset, starts)[0] for offset in offsets):
                continue
        run = run_by or snippet.place(first, starts)[0]
        for argument in command.arguments:
            line, column = snippet.place(argument.offset if argument.offset >= 0 else first, starts)
            found.append(InstalledName(argument, command, line, column, run if run != line else 0))
        if files is not None and command.inputs:
            line, column = snippet.place(first, starts)
            files += [InstalledFile(read, command, line, column) for read in command.inputs if _committed_input(read)]
    if snippet.unknown is not None and all(item.argument.determined for item in found):
        found.append(_unknown_at_run_time(snippet))
    return found


def _unknown_at_run_time(snippet: _Snippet) -> InstalledName:
    """The undetermined install of a snippet whose :attr:`_Snippet.unknown` text is known only at run time."""
    text = " ".join(str(snippet.unknown).split())
    shown = text if len(text) <= 60 else text[:57] + "..."
    line, column, _ = snippet.pieces[0]
    argument = InstallArgument(shown, shown, PYPI, determined=False)
    return InstalledName(argument, InstallCommand(shown, (text,), (argument,)), line, column + 1)


def _written_at(commands: list[InstallCommand], text: str) -> list[InstallCommand]:
    """Exec-form commands (``["pip", "install", "x"]``) with each argument placed where its text is written."""
    placed = []
    cursor = 0
    for command in commands:
        arguments = []
        for argument in command.arguments:
            found = text.find(argument.requirement, cursor)
            cursor = found + len(argument.requirement) if found >= 0 else cursor
            arguments.append(replace(argument, offset=found))
        placed.append(replace(command, arguments=tuple(arguments)))
    return placed


def _word_offset(word: str, default: int) -> int:
    offset = getattr(word, "offset", -1)
    return offset if isinstance(offset, int) and offset >= 0 else default


# --- Readers, one per file kind ----------------------------------------------------------------------------


def _continued(physical: Sequence[str], start: int, *, escape: str = "\\", skip_empty: bool = False,
               skip_comments: bool = False) -> tuple[_Snippet, int]:
    """The command starting at 0-based ``start``, over the lines that end with ``escape``; and the next index.
    Each continued line keeps a backslash at its end (``escape`` is replaced by it), so the shell joins the
    lines. ``skip_empty``/``skip_comments``: empty and comment lines inside a continuation are dropped (as
    Docker BuildKit does)."""
    pieces = []
    index = start
    while index < len(physical):
        line = physical[index].rstrip("\r")
        if index > start and ((skip_comments and line.lstrip().startswith("#")) or (skip_empty and not line.strip())):
            index += 1
            continue
        stripped = line.rstrip()
        continued = stripped.endswith(escape) and not stripped.endswith(escape * 2)
        pieces.append((index + 1, 0, stripped[: -len(escape)] + "\\" if continued else line))
        index += 1
        if not continued:
            break
    return _Snippet(pieces), index


def _shell(physical: Sequence[str]) -> Iterator[_Snippet]:
    """A shell script: the whole file is one script (the grammar reads its here-documents, quotes and
    continuations)."""
    yield _Snippet([(index + 1, 0, line.rstrip("\r")) for index, line in enumerate(physical)])


def _heredoc_markers(text: str) -> list[str]:
    """The here-document delimiters of an instruction, in order: ``<<EOF``, ``<<-'EOF'``, ``<<"EOF"``, outside
    quotes only (``echo "<<EOF"`` has none), as BuildKit recognises them."""
    markers = []
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "\\":
            index += 2
            continue
        elif text.startswith("<<", index) and not text.startswith("<<<", index):
            match = _HEREDOC.match(text, index)
            if match is not None:
                markers.append(match.group("word"))
                index = match.end()
                continue
        index += 1
    return markers


def _dockerfile(physical: Sequence[str]) -> Iterator[_Snippet]:
    """Docker BuildKit's reading of a Dockerfile: the instructions that run a command (``RUN`` when the image
    is built; ``CMD``, ``ENTRYPOINT`` and ``HEALTHCHECK CMD`` in every container started from it; each also
    under ``ONBUILD``), in shell form or exec form (an exec-form ``CMD`` is appended to an exec-form
    ``ENTRYPOINT``), with the ``escape`` directive, continuations (empty and comment lines inside one are
    skipped) and here-documents. A ``COPY``/``ADD`` here-document writes a file: one that a command installs
    from (``-r /r.txt``) or that is named like requirements is read as a requirements file."""
    escape = "\\"
    for line in physical[:5]:
        directive = re.match(r"^#\s*escape\s*=\s*(\S)", line)
        if directive:
            escape = directive.group(1)
    index = 0
    entrypoint: list[str] = []
    shell: list[str] | None = None  # `SHELL ["python3", "-c"]`: what runs a shell-form instruction's text
    written: list[tuple[str, _Snippet]] = []
    while index < len(physical):
        if not physical[index].strip() or physical[index].lstrip().startswith("#"):
            index += 1
            continue
        snippet, index = _continued(physical, index, escape=escape, skip_empty=True, skip_comments=True)
        first_line, column, first = snippet.pieces[0]
        instruction = _DOCKER_RUNS.match(first)
        markers = _heredoc_markers(snippet.text)
        bodies: list[_Snippet] = []
        for _ in markers:  # the here-documents' lines follow the instruction, each up to its delimiter
            body: list[tuple[int, int, str]] = []
            end = markers[len(bodies)]
            while index < len(physical) and physical[index].rstrip("\r").lstrip("\t") != end:
                body.append((index + 1, 0, physical[index].rstrip("\r")))
                index += 1
            index += 1
            bodies.append(_Snippet(body) if body else _Snippet([(index, 0, "")]))
        if _DOCKER_STAGE.match(first):
            entrypoint, shell = [], None
        shell_instruction = _DOCKER_SHELL.match(first)
        if shell_instruction is not None:
            shell = _exec_form(snippet.text[shell_instruction.end():].strip()) or None
        if instruction is None:
            if bodies and _DOCKER_COPY.match(first):
                written += _docker_written_files(snippet.text, markers, bodies)
            continue
        body_text = first[instruction.end():]
        flags = re.match(r"^(?:--\S+\s+)*", body_text)  # --mount=..., --network=...
        skip = instruction.end() + (flags.end() if flags else 0)
        snippet.pieces[0] = (first_line, column + skip, first[skip:])
        rest = snippet.text.strip()
        if rest.startswith("["):
            words = _exec_form(rest)
            if words is not None:
                kind = instruction.group("kind").upper()
                if kind == "ENTRYPOINT":
                    entrypoint = words
                elif kind == "CMD" and entrypoint:
                    words = entrypoint + words  # the exec-form CMD is the arguments of the ENTRYPOINT
                yield _Snippet(snippet.pieces, words)
                continue
        elif instruction.group("kind").upper() == "ENTRYPOINT":
            entrypoint = []  # a shell-form ENTRYPOINT ignores CMD
        if bodies and rest.startswith("<<"):
            yield from bodies  # `RUN <<EOF`: each here-document is a script
            continue
        if bodies:  # `RUN bash <<EOF`: the command reads its here-documents (the shell grammar joins them)
            yield _Snippet(snippet.pieces + [piece for body in bodies for piece in body.pieces]
                           + [(body.pieces[-1][0] + 1, 0, end) for body, end in zip(bodies, markers, strict=True)])
            continue
        if shell is not None:  # the SHELL's words, then the text as one word (attack H3)
            yield _Snippet(snippet.pieces, [*shell, _joined_continuations(snippet.text)])
            continue
        yield snippet
    yield from _docker_requirements(physical, written)


def _joined_continuations(text: str) -> str:
    """The text Docker gives the SHELL of a shell-form instruction: its lines joined where they continue."""
    return "".join(line[:-1] if line.endswith("\\") else line + "\n" for line in text.split("\n")).rstrip("\n")


def _exec_form(text: str) -> list[str] | None:
    """The words of an exec-form instruction (a JSON array of strings), or None when it is not one."""
    import json

    try:
        words = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return words if isinstance(words, list) and all(isinstance(word, str) for word in words) else None


def _docker_written_files(text: str, markers: list[str], bodies: list[_Snippet]) -> list[tuple[str, _Snippet]]:
    """``(path, body)`` of each file a ``COPY``/``ADD`` here-document writes: ``COPY <<EOF /r.txt`` writes the
    destination; with several here-documents, or a destination ending in ``/``, each is a file of that
    directory named by its marker (as BuildKit does)."""
    words = text.split("\n", 1)[0].split()
    destination = words[-1] if len(words) > 2 and not words[-1].startswith("<<") else ""
    if len(markers) == 1 and destination and not destination.endswith("/"):
        return [(destination, bodies[0])]
    return [(posixpath.join(destination or ".", marker), body) for marker, body in zip(markers, bodies, strict=True)]


def _docker_requirements(physical: Sequence[str], written: list[tuple[str, _Snippet]]) -> Iterator[_Snippet]:
    """The files here-documents write that are requirements: installed from (the path, or its name, follows
    an installer in the Dockerfile) or named like them; each read as ``pip install -r`` reads it."""
    if not written:
        return
    text = "\n".join(physical)
    for path, body in written:
        name = posixpath.basename(path)
        runs = tuple(text.count("\n", 0, found) + 1 for found in _occurrences(text, name)
                     if may_install(text[max(found - 512, 0):found]))  # fmt: skip
        if not runs and not _REQUIREMENTS_NAME.search(name):
            continue
        runs = tuple(line for line in runs if line not in body.lines)
        for index, words in requirements_words([piece[2] for piece in body.pieces]):
            yield _Snippet([body.pieces[index]], words, runs=runs)


def requirements_words(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """A requirements file as ``pip install -r`` reads it, one command per requirement line so that each is
    reported where it is written: ``(0-based line, words)``, the file's options (``--index-url``, ...) in each."""
    kept = [line.split(" #", 1)[0].strip() for line in lines]
    options = [word for line in kept if line.startswith("-") for word in _option_words(line)]
    for index, requirement in enumerate(kept):
        if requirement and not requirement.startswith(("#", "-")):
            yield index, ["pip", "install", *options, requirement]


def _option_words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _occurrences(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + len(word))


def _make_variables(physical: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``NAME = value`` (``:=``, ``?=``, ``+=``, ``::=``) definitions of a Makefile, for substitution; and the
    earlier values a simply expanded definition referred to that were too large to put in its place (it then
    refers to itself, which is not expanded)."""
    variables: dict[str, str] = {}
    lost: dict[str, str] = {}
    for line in physical:
        match = _MAKE_ASSIGNMENT.match(line)
        if match is None:
            continue
        name, operator, value = match.group("name"), match.group("operator"), match.group("value").strip()
        if operator in (":=", "::=") and name in variables:  # simply expanded: its own name is the old value
            old = variables[name]
            if len(value) + len(old) * value.count(name) <= _MAKE_SIZE:
                value = value.replace(f"$({name})", old).replace(f"${{{name}}}", old)
            else:  # a cycle: known only at run time
                lost[name] = lost.get(name, "") if may_install(lost.get(name, "")) else old
        if operator == "+=" and name in variables:
            variables[name] = f"{variables[name]} {value}"
        elif operator != "?=" or name not in variables:
            variables[name] = value
    return variables, lost


class _MakeExpansion:
    """GNU make's expansion of the variables of one Makefile: ``$(NAME)`` and ``${NAME}`` from the file's
    definitions, recursively (a variable's value is expanded once, then reused), computed names
    (``$($(X)_CMD)``) rescanned; an unknown installer variable (``$(PIP)``) reads as its program; ``$$`` is
    ``$``. Make has no depth limit; a chain deeper than :data:`_MAKE_DEPTH`, a value larger than
    :data:`_MAKE_SIZE` (doubling) or a file past :data:`_MAKE_BUDGET` in all is not expanded: the text is
    then known only when make runs (:meth:`expand` returns None), never read as installing nothing."""

    def __init__(self, definitions: dict[str, str], lost: dict[str, str]) -> None:
        self.definitions = definitions
        self.lost = lost
        self._values: dict[str, str | None] = {}
        self._expanding: set[str] = set()
        self._spent = 0
        self.failed: list[str] = []

    def expand(self, text: str) -> str | None:
        """``text`` as make expands it, or None when it is past the budget (:attr:`failed`: the references
        that were not expanded)."""
        self.failed = []
        if "$" not in text:
            return text
        expanded = self._expanded(text.replace("$$", "\x01"), 0)
        return None if expanded is None else expanded.replace("\x01", "$")

    def may_install(self, text: str) -> bool:
        """Whether ``text`` or a definition it reaches (through any chain of references) may install."""
        pending, seen = [text], set()
        while pending:
            current = pending.pop()
            if may_install(current, runs=False):  # make's own $(eval ...) runs no shell
                return True
            for match in _MAKE_REFERENCE.finditer(current):
                name = match.group("name")
                if name in self.definitions and name not in seen:
                    seen.add(name)
                    pending += [self.definitions[name], self.lost.get(name, "")]
        return False

    def _value(self, name: str, depth: int) -> str | None:
        if name in self._values:
            return self._values[name]
        if depth >= _MAKE_DEPTH or name in self._expanding:
            return None  # too deep, or a variable that refers to itself (make stops with an error)
        self._expanding.add(name)
        try:
            value = self._expanded(self.definitions[name].replace("$$", "\x01"), depth + 1)
        finally:
            self._expanding.discard(name)
        self._values[name] = value
        return value

    def _expanded(self, text: str, depth: int) -> str | None:
        complete = True

        def value(match: re.Match[str]) -> str:
            nonlocal complete
            program = _make_program(match)
            name = match.group("name")
            if program != match.group() or name not in self.definitions:
                return program  # `$(PIP)`: the installer, at the same width
            found = self._value(name, depth)
            if found is None:
                complete = False
                self.failed.append(name)
                return match.group()
            return found

        for _ in range(_MAKE_RESCANS):  # a computed name, `$($(X)_CMD)`, is a reference once its part is expanded
            substituted = _MAKE_VARIABLE.sub(value, text)
            self._spent += len(substituted)
            if not complete or len(substituted) > _MAKE_SIZE or self._spent > _MAKE_BUDGET:
                return None
            if substituted == text:
                break
            text = substituted
        return text


def _make_substituted(text: str, variables: _MakeExpansion) -> str:
    """``text`` as make expands it; as written when it is past the expansion budget."""
    expanded = variables.expand(text)
    return text if expanded is None else expanded


def _makefile(physical: Sequence[str]) -> Iterator[_Snippet]:
    """GNU make's reading of a Makefile: recipe lines (the recipe prefix, a tab or ``.RECIPEPREFIX``, then
    any of the ``@``, ``-``, ``+`` flags), one-line rules (``target: ; recipe``), ``define`` bodies (used as
    recipes or ``$(eval)``-ed), ``$(shell CMD)`` and ``NAME != CMD`` (run when make reads the file), each
    with its ``\\`` continuations. Tree-sitter's Makefile grammar is made for highlighting and has no
    ``.RECIPEPREFIX``; make's own grammar is simple enough at this level to follow here."""
    variables = _MakeExpansion(*_make_variables(physical))
    prefix: str | None = "\t"  # None: set by an expansion, known only when make runs
    index = 0
    while index < len(physical):
        line = physical[index].rstrip("\r")
        setting = _MAKE_RECIPEPREFIX.match(line)
        if setting is not None:
            value = _make_substituted(setting.group("value").strip(), variables)
            prefix = None if "$" in value else (value[:1] or "\t")
        define = _MAKE_DEFINE.match(line)
        if define is not None and not line[:1].isspace():
            body, index = _make_define(physical, index + 1)
            if body:
                yield _make_recipe(_Snippet(body), variables, every_line=True)
            continue
        recipe = _recipe_start(line, prefix)
        if recipe is None:
            snippet, after = _continued(physical, index)  # a rule, an assignment, a directive
            yield from _make_shell_calls(snippet, variables)
            rule = _MAKE_ONE_LINE_RULE.match(line)
            if rule is not None:  # `target: prerequisites ; recipe`
                first_line, _, first = snippet.pieces[0]
                snippet.pieces[0] = (first_line, rule.end(), first[rule.end():])
                yield _make_recipe(snippet, variables)
            index = after
            continue
        snippet, index = _continued(physical, index)
        snippet.pieces[0] = (snippet.pieces[0][0], recipe, snippet.pieces[0][2][recipe:])
        recipe_snippet = _make_recipe(snippet, variables, prefix=prefix)
        yield from _make_shell_calls(recipe_snippet, None)
        yield _run_by_make_shell(recipe_snippet, variables)


def _run_by_make_shell(snippet: _Snippet, variables: _MakeExpansion) -> _Snippet:
    """A recipe as the program ``SHELL`` names runs it (``$(SHELL) $(.SHELLFLAGS) 'line'``): a shell's text, a
    Python program's code, or, for another program, what is known only when it runs (attack H29)."""
    shell = variables.definitions.get("SHELL")
    if shell is None:
        return snippet
    expanded = variables.expand(shell) or "$"
    words = expanded.split()
    program = posixpath.basename(words[0]).lower() if words else ""
    if _step_program(program) == "shell" or "$" in expanded:
        return snippet if "$" not in expanded else replace(snippet, unknown=f"a recipe run by `{shell}`")
    if _step_program(program) == "python":
        flags = (variables.expand(variables.definitions.get(".SHELLFLAGS", "-c")) or "-c").split()
        return _Snippet(snippet.pieces, [*words, *flags, _joined_continuations(snippet.text)])
    return replace(snippet, unknown=f"a recipe run by `{shell}`")


def _recipe_start(line: str, prefix: str | None) -> int | None:
    """Where the recipe of a recipe line starts (after its prefix), or None when ``line`` is not one. A line
    indented with white space is read as a recipe line under any prefix (make reads some as such; reading one
    that is not costs nothing); an unknown prefix makes any line that starts with punctuation one."""
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    if line[:1].isspace():
        return 0
    if prefix is not None and prefix != "\t" and line.startswith(prefix):
        return len(prefix)
    if prefix is None and not line[:1].isalnum() and line[:1] not in "#.$_-":
        return 1
    return None


def _make_define(physical: Sequence[str], start: int) -> tuple[list[tuple[int, int, str]], int]:
    """The body of a ``define`` whose first line is at 0-based ``start`` (nested defines count), and the index
    after its ``endef``."""
    depth = 1
    body: list[tuple[int, int, str]] = []
    index = start
    while index < len(physical):
        line = physical[index].rstrip("\r")
        index += 1
        if _MAKE_DEFINE.match(line):
            depth += 1
        elif re.match(r"^\s*endef(?:\s|$)", line):
            depth -= 1
            if depth == 0:
                break
        body.append((index, 0, line))
    return body, index


def _make_shell_calls(snippet: _Snippet, variables: _MakeExpansion | None) -> Iterator[_Snippet]:
    """``$(shell CMD)``/``${shell CMD}`` (parentheses balanced) and the value of ``NAME != CMD`` in a logical
    line, each as the shell text make runs, placed where it is written. A call inside another is read with it
    (each character is scanned once)."""
    text = snippet.text
    if "shell" not in text and "!=" not in text:
        return
    ranges = []
    assignment = _MAKE_ASSIGNMENT.match(text.replace("\\\n", "  "))
    if assignment is not None and assignment.group("operator") == "!=":
        ranges.append((assignment.start("value"), len(text)))
    covered = ranges[-1][1] if ranges else 0
    for call in _MAKE_SHELL_CALL.finditer(text, covered):
        if call.start() < covered:
            continue  # inside the previous call: read with it
        covered = _closing(text, call.end(), call.group()[1])
        ranges.append((call.end(), covered))
    starts = snippet.starts()
    for low, high in ranges:
        pieces = []
        unknown = None
        for (number, column, piece), offset in zip(snippet.pieces, starts, strict=True):
            if offset + len(piece) < low or offset > high:
                continue
            first = max(low - offset, 0)
            kept = piece[first:max(high - offset, 0)]
            if variables is not None:
                kept, unknown = _make_expanded(kept, variables, unknown)
            pieces.append((number, column + first, kept))
        if pieces:
            yield _Snippet(pieces, unknown=unknown or snippet.unknown)


def _closing(text: str, start: int, opening: str) -> int:
    """The offset of the bracket that closes ``opening`` (``(`` or ``{``) before ``start``, or the end."""
    closing = ")" if opening == "(" else "}"
    depth = 1
    for index in range(start, len(text)):
        char = text[index]
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def _make_recipe(snippet: _Snippet, variables: _MakeExpansion, *, prefix: str | None = "\t",
                 every_line: bool = False) -> _Snippet:
    """Recipe text as make hands it to the shell: the ``@``/``-``/``+`` flags (any mix, with blanks) at its
    start taken off, and the recipe prefix at the start of each continuation line. ``every_line``: a
    ``define`` body, where every line that does not continue another may start a recipe line."""
    pieces = []
    unknown = None
    starts_a_line = True
    for number, column, text in snippet.pieces:
        if starts_a_line:
            stripped = text.lstrip()
            flags = re.match(r"^[@+\-\s]*", stripped)
            skip = len(text) - len(stripped) + (flags.end() if flags else 0)
        elif prefix is not None and prefix != "\t" and text.startswith(prefix):
            skip = len(prefix)
        else:
            skip = len(text) - len(text.lstrip("\t"))
        expanded, unknown = _make_expanded(text[skip:], variables, unknown)
        pieces.append((number, column + skip, expanded))
        starts_a_line = every_line and not text.rstrip().endswith("\\")
    return _Snippet(pieces, unknown=unknown)


def _make_expanded(text: str, variables: _MakeExpansion, unknown: str | None) -> tuple[str, str | None]:
    """``text`` as make expands it, and the text known only when make runs that may install (``unknown``
    when there is none): a reference past the expansion budget, or a make function (``$(subst ...)``,
    ``$(call ...)``, ``$(foreach ...)``) whose text or the variables it reaches name an installer."""
    expanded = variables.expand(text)
    if expanded is None:  # unknown when what was not expanded may install (its text is not read as a command)
        reaches = any(variables.may_install(f"$({name})") for name in variables.failed) or not variables.failed
        return text, unknown or (text if reaches and variables.may_install(text) else None)
    if unknown is None and "$" in expanded:
        covered = 0
        for call in _MAKE_FUNCTION_CALL.finditer(expanded):
            if call.start() < covered:
                continue  # inside the previous call: read with it
            covered = _closing(expanded, call.end(), call.group()[1]) + 1
            if variables.may_install(expanded[call.start():covered]):
                return expanded, expanded[call.start():covered]
    return expanded, unknown


def _make_program(match: re.Match[str]) -> str:
    """``$(PIP)`` -> ``pip``, padded to the same width so that columns stay true."""
    name = match.group("name").lower()
    width = len(match.group())
    for program in ("pipx", "pip", "uvx", "uv", "poetry", "pdm", "conda", "mamba", "python"):
        if name == program or name.endswith(program) or name.startswith(program):
            return program.ljust(width)
    return match.group()  # dynamic: known only when make runs


def _tox(physical: Sequence[str]) -> Iterator[_Snippet]:
    """tox's commands, with tox's substitutions replaced (:mod:`.tox_substitutions`)."""
    sections = None
    for snippet in _tox_commands(physical):
        if "{" not in snippet.text:
            yield snippet
            continue
        from hallucheck.sources.ini import scan

        sections = scan("\n".join(physical)) if sections is None else sections
        yield _tox_substituted(snippet, sections)


def _tox_substituted(snippet: _Snippet, sections: Any) -> _Snippet:
    """``snippet`` with tox's substitutions replaced; a value known only when tox runs becomes a shell
    expansion, shown as written (attack H1)."""
    from hallucheck.sources.tox_substitutions import substitute

    unknown: dict[str, str] = {}

    def placeholder(written: str) -> str:
        value = "${_" + f"{len(unknown)}" + "}"
        unknown[value] = written
        return value

    pieces = [(line, column, substitute(text, sections, placeholder)) for line, column, text in snippet.pieces]
    return _Snippet(pieces, snippet.words, snippet.group, snippet.primary, shown=unknown)


def _tox_commands(physical: Sequence[str]) -> Iterator[_Snippet]:
    in_commands = False
    index = 0
    while index < len(physical):
        line = physical[index]
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            index += 1
            continue
        if stripped.startswith("["):
            in_commands = False
            index += 1
            continue
        if not line[:1].isspace():
            key, equals, value = line.partition("=")
            in_commands = bool(equals) and key.strip() in _TOX_COMMAND_KEYS
            if not in_commands or not value.strip():
                index += 1
                continue
            column = len(line) - len(value.lstrip())
        elif in_commands:
            column = len(line) - len(line.lstrip())
        else:
            index += 1
            continue
        snippet, index = _continued(physical, index)  # tox joins a line ending in `\` with the next
        first_line, _, first = snippet.pieces[0]
        text = first[column:]
        factor = _TOX_FACTOR.match(text)
        if factor is not None:
            column += factor.end()
            text = text[factor.end():]
        marker = re.match(r"^[-!]\s*", text)
        if marker is not None:
            column += marker.end()
            text = text[marker.end():]
        snippet.pieces[0] = (first_line, column, text)
        yield snippet


def _yaml(physical: Sequence[str], keys: frozenset[str] = _YAML_COMMAND_KEYS) -> Iterator[_Snippet]:
    """Commands under ``run:``/``script:``-like keys (``keys``), read with the YAML parser (block and folded
    scalars, anchors and aliases, flow mappings); text the parser refuses is read line by line."""
    import yaml

    text = "\n".join(physical)
    try:
        documents = _yaml_documents(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        yield from _yaml_lines(physical, keys)
        return
    seen: set[tuple[int, bool, int, int]] = set()
    read_as_commands: set[int] = set()
    budget = _ALIAS_BUDGET
    stack: list[tuple[Any, str, Any, Matrix | None, str, dict[str, Any]]] = [
        (document, "", None, None, "", {}) for document in reversed(documents) if document is not None]
    while stack:
        node, key, alias, matrix, shell, environment = stack.pop()
        alias = getattr(node, "alias_mark", None) or alias  # the innermost alias this node is reached through
        if alias is not None and budget <= 0:
            alias = None  # past the budget, aliased text is read where it is anchored only
        state = (id(node), key in keys, id(alias), id(matrix))
        if state in seen:
            continue  # read once per alias it is reached through, however often aliases nest
        seen.add(state)
        budget -= alias is not None
        if isinstance(node, yaml.MappingNode):
            matrix = _job_matrix(node, yaml) or matrix
            shell = _step_shell(node, yaml) or shell
            environment = _environment(node, yaml, environment)
            exec_form = (_entrypoint_and_args(node, yaml, physical) or _precommit_entry(node, yaml, physical)
                         or _docker_action(node, yaml))
            if exec_form is not None:  # Cloud Build: `entrypoint: pip` with `args: [install, x]`
                yield exec_form
            for name, value in reversed(node.value):  # `<<: *defaults` (a merge key): the merged mapping too
                stack.append((value, str(name.value) if isinstance(name, yaml.ScalarNode) else "", alias, matrix,
                              shell, environment))
        elif isinstance(node, yaml.SequenceNode):
            words = [item.value for item in node.value if isinstance(item, yaml.ScalarNode)]
            if (key in keys and node.flow_style and len(words) == len(node.value) > 1
                    and not any(" " in word for word in words)):
                yield _Snippet([(node.start_mark.line + 1, node.start_mark.column, physical[
                    node.start_mark.line][node.start_mark.column:])], words)  # exec form: ["pip", "install", "x"]
                continue
            for item in reversed(node.value):
                stack.append((item, key, alias, matrix, shell, environment))
        elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and key.startswith("CIBW_"):
            snippet = _cibuildwheel_variable(key, _yaml_scalar(node, physical))
            if snippet is not None:
                yield snippet
        elif isinstance(node, yaml.ScalarNode) and key in keys and isinstance(node.value, str):
            for snippet in _yaml_command(node, alias, physical, read_as_commands):
                for resolved in _expressions_resolved(snippet, matrix):
                    yield _run_by(resolved, shell) if key == "run" and shell else resolved
            for value in _commands_expanded(node.value, environment):  # `env: {CMD: pip install x}`, `eval $CMD`
                for snippet in _yaml_command(value, alias, physical, read_as_commands):
                    for resolved in _expressions_resolved(snippet, matrix):
                        yield _run_by(resolved, shell) if key == "run" and shell else resolved


_ENVIRONMENT_KEYS = ("env", "variables")
"""The variables a CI job or step sets for its scripts (GitHub's and Azure's ``env``, GitLab's ``variables``)."""
_VARIABLE_REFERENCE = LazyPattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)|\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _environment(node: Any, yaml: Any, outer: dict[str, Any]) -> dict[str, Any]:
    """``outer`` with the variables a mapping's ``env:``/``variables:`` sets (name -> scalar node), inner ones
    winning."""
    found = dict(outer)
    for key in _ENVIRONMENT_KEYS:
        table = _mapping_value(node, key, yaml)
        if isinstance(table, yaml.MappingNode):
            found.update((str(name.value), value) for name, value in table.value
                         if isinstance(name, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode))
    return found


def _commands_expanded(script: str, environment: dict[str, Any]) -> list[Any]:
    """The variables of ``environment`` that ``script`` expands whose value may install (``CMD: pip install x``
    then ``eval "$CMD"``, attack G13): each value is read as a command too, where it is written."""
    if not environment or "$" not in script:
        return []
    names = {first or second for first, second in _VARIABLE_REFERENCE.findall(script)}
    return [environment[name] for name in sorted(names) if name in environment and isinstance(
        environment[name].value, str) and may_install(environment[name].value)]


Matrix = dict[str, "list[str] | None"]
"""A job's ``strategy.matrix``: each key's literal values (``include:`` entries too); None when a value is
known only when the workflow runs (``${{ fromJSON(...) }}``, a mapping)."""


def _job_matrix(node: Any, yaml: Any) -> Matrix | None:
    """The ``strategy.matrix`` of a job mapping, or None when ``node`` has none. A matrix that is not a
    literal mapping is an empty one (every reference to it is unknown)."""
    strategy = _mapping_value(node, "strategy", yaml)
    if strategy is None:
        return None
    found = _mapping_value(strategy, "matrix", yaml) if isinstance(strategy, yaml.MappingNode) else None
    matrix: Matrix = {}
    if not isinstance(found, yaml.MappingNode):
        return matrix
    for name, value in found.value:
        if not isinstance(name, yaml.ScalarNode) or name.value == "exclude":
            continue
        entries = [(name, value)]
        if name.value == "include" and isinstance(value, yaml.SequenceNode):
            entries = [pair for item in value.value if isinstance(item, yaml.MappingNode) for pair in item.value]
        for key, values in entries:
            if not isinstance(key, yaml.ScalarNode):
                continue
            listed = isinstance(values, yaml.SequenceNode)
            items = values.value if listed else [values]
            scalars = [str(item.value) for item in items
                       if isinstance(item, yaml.ScalarNode) and "${{" not in str(item.value)]
            known = matrix.get(key.value, [])
            literal = len(scalars) == len(items) and (listed or name.value == "include")
            matrix[key.value] = known + scalars if known is not None and literal else None
    return matrix


_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh", "pwsh", "powershell", "cmd"})
"""Programs a ``shell:`` may name that read a ``run:`` block as shell commands (PowerShell and cmd run
``pip install x`` as a shell does)."""


def _step_shell(node: Any, yaml: Any) -> str:
    """The program a GitHub Actions step (``shell:``), job or workflow (``defaults: run: shell:``) runs its
    ``run:`` blocks with, or "" when the mapping does not say."""
    shell = _mapping_value(node, "shell", yaml)
    if not isinstance(shell, yaml.ScalarNode):
        run = _mapping_value(_mapping_value(node, "defaults", yaml), "run", yaml)
        shell = _mapping_value(run, "shell", yaml)
    return str(shell.value) if isinstance(shell, yaml.ScalarNode) and str(shell.value).strip() else ""


_SETUP_SHELLS = frozenset({"micromamba-shell", "msys2", "wsl-bash", "cygwin"})
"""Shells setup actions document for ``shell:`` (setup-micromamba, setup-msys2, setup-wsl, setup-cygwin): bash."""


def _step_program(program: str) -> str:
    """"shell" or "python" for a word of a ``shell:`` value that names one, else ""."""
    if program in _SHELLS or program in _SETUP_SHELLS or program.startswith("bash"):
        return "shell"
    return "python" if program.startswith(("python", "pypy")) else ""


def _run_by(snippet: _Snippet, shell: str) -> _Snippet:
    """A ``run:`` block as the program of its ``shell:`` reads it (attack H2): a Python script for ``python``,
    ``python3 {0}``; shell text for a shell; for any other program (``perl {0}``, ``node {0}``), text whose
    installs are known only when it runs."""
    programs = [posixpath.basename(word).lower() for word in shell.replace("{0}", " ").replace('"', " ").split()]
    kinds = [_step_program(program) for program in programs]  # `pixi run bash -e {0}`, `conda run -n t python {0}`
    kind = next((kind for kind in kinds if kind), "")
    if kind == "shell":
        return snippet
    if kind == "python":
        first, last = snippet.pieces[0], snippet.pieces[-1]
        marker = "HALLUCHECK_PYTHON_STEP"
        pieces = [(first[0], first[1], f"python - <<'{marker}'"), *snippet.pieces, (last[0], last[1], marker)]
        return replace(snippet, pieces=pieces)
    return replace(snippet, unknown=f"a step run by `{shell.strip()}`")


def _docker_action(node: Any, yaml: Any) -> _Snippet | None:
    """A GitHub Actions step that runs a container (``uses: docker://IMAGE``): the container runs ``with:
    args`` (after ``with: entrypoint`` when one is given) (attack H21)."""
    uses = _mapping_value(node, "uses", yaml)
    if not (isinstance(uses, yaml.ScalarNode) and str(uses.value).startswith("docker://")):
        return None
    inputs = _mapping_value(node, "with", yaml)
    arguments, entrypoint = _mapping_value(inputs, "args", yaml), _mapping_value(inputs, "entrypoint", yaml)
    if not isinstance(arguments, yaml.ScalarNode):
        return None
    program = f"{entrypoint.value} " if isinstance(entrypoint, yaml.ScalarNode) else ""
    mark = arguments.start_mark
    return _Snippet([(mark.line + 1, mark.column, program + str(arguments.value))])


_CIBUILDWHEEL_VARIABLES = ("CIBW_BEFORE_ALL", "CIBW_BEFORE_BUILD", "CIBW_BEFORE_TEST", "CIBW_TEST_COMMAND",
                           "CIBW_REPAIR_WHEEL_COMMAND", "CIBW_TEST_REQUIRES")


def _cibuildwheel_variable(key: str, snippet: _Snippet) -> _Snippet | None:
    """cibuildwheel's settings given as environment variables (``env: CIBW_BEFORE_BUILD: ...``, and their
    ``_LINUX``/``_MACOS``/... forms), the twins of ``[tool.cibuildwheel]``'s keys: commands it runs, and
    ``CIBW_TEST_REQUIRES``, which it installs with pip (attack H21)."""
    if not key.startswith(_CIBUILDWHEEL_VARIABLES):
        return None
    if not key.startswith("CIBW_TEST_REQUIRES"):
        return snippet
    line, column, text = snippet.pieces[0]
    return replace(snippet, pieces=[(line, max(column - len("pip install "), 0), "pip install " + text),
                                    *snippet.pieces[1:]])


def _entrypoint_and_args(node: Any, yaml: Any, physical: Sequence[str]) -> _Snippet | None:
    """A step that runs its ``entrypoint`` with literal ``args`` (Cloud Build, Kubernetes ``command``/``args``, or a
    Kubernetes container's ``args`` alone), as exec-form words."""
    entrypoint = _mapping_value(node, "entrypoint", yaml)
    if not isinstance(entrypoint, yaml.ScalarNode):
        entrypoint = _mapping_value(node, "command", yaml)
    arguments = _mapping_value(node, "args", yaml)
    if not isinstance(arguments, yaml.SequenceNode):
        return None
    words = [str(item.value) for item in arguments.value if isinstance(item, yaml.ScalarNode)]
    if len(words) != len(arguments.value):
        return None
    if isinstance(entrypoint, yaml.ScalarNode):
        words.insert(0, str(entrypoint.value))
    elif entrypoint is not None or _mapping_value(node, "image", yaml) is None:
        return None  # a container with only `args` runs them when its image names no entrypoint (attack H12)
    mark = arguments.start_mark
    return _Snippet([(mark.line + 1, mark.column, physical[mark.line][mark.column:] if mark.line < len(physical)
                      else "")], words)


def _precommit_entry(node: Any, yaml: Any, physical: Sequence[str]) -> _Snippet | None:
    """A pre-commit hook (``.pre-commit-config.yaml``'s local hooks, ``.pre-commit-hooks.yaml``): pre-commit runs
    its ``entry``, split as a shell splits it, with its ``args`` after it, on every contributor's machine
    (attack H4: ``entry: bash -c 'pip install x'``). Arguments that are not plain strings are known only at run
    time."""
    entry = _mapping_value(node, "entry", yaml)
    if not (isinstance(entry, yaml.ScalarNode) and isinstance(entry.value, str)):
        return None
    if _mapping_value(node, "id", yaml) is None and _mapping_value(node, "language", yaml) is None:
        return None
    language = _mapping_value(node, "language", yaml)
    if isinstance(language, yaml.ScalarNode) and language.value in ("pygrep", "fail"):
        return None  # the entry is a pattern to look for, or a message to print (attack H39)
    arguments = _mapping_value(node, "args", yaml)
    items = arguments.value if isinstance(arguments, yaml.SequenceNode) else [] if arguments is None else [arguments]
    words = [shlex.quote(str(item.value)) if isinstance(item, yaml.ScalarNode) else "${_0}" for item in items]
    shown = {"${_0}": "(an argument pre-commit is given that is not a string)"} if "${_0}" in words else {}
    mark = entry.start_mark
    return _Snippet([(mark.line + 1, mark.column, " ".join([entry.value, *words]))], shown=shown)


def _mapping_value(node: Any, key: str, yaml: Any) -> Any:
    if not isinstance(node, yaml.MappingNode):
        return None
    for name, value in node.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return value
    return None


def _expressions_resolved(snippet: _Snippet, matrix: Matrix | None) -> Iterator[_Snippet]:
    """A command with its GitHub expressions (``${{ ... }}``, substituted as text before the shell runs)
    replaced: ``${{ matrix.NAME }}`` by each of the job's literal values of NAME (one snippet per value), any
    other expression by a word known only at run time (its packages cannot be determined). An expression
    is never read as a package name."""
    if "${{" not in snippet.text:
        yield snippet
        return
    references = []
    for piece in snippet.pieces:
        for expression in _GITHUB_EXPRESSION.finditer(piece[2]):
            reference = _MATRIX_REFERENCE.fullmatch(expression.group("expression"))
            values = matrix.get(reference.group("name")) if matrix and reference else None
            references.append(values if values and len(values) <= _MATRIX_VALUES else None)
    variants = max((len(values) for values in references if values), default=1)
    group = id(snippet)
    for variant in range(variants):
        resolved = iter(references)
        unknown: dict[str, str] = {}
        pieces = []
        for line, column, text in snippet.pieces:
            parts = []
            end = 0
            for expression in _GITHUB_EXPRESSION.finditer(text):
                values = next(resolved)
                if values is None:  # known only at run time: a shell expansion in its place, shown as written
                    value = "${" + f"_{len(unknown)}".ljust(len(expression.group()) - 3, "_") + "}"
                    unknown[value] = expression.group()
                else:
                    value = values[variant % len(values)]
                parts += [text[end:expression.start()], value]
                end = expression.end()
            pieces.append((line, column, "".join(parts) + text[end:]))
        yield _Snippet(pieces, snippet.words, snippet.group, snippet.primary, variants_of=group, shown=unknown)


def _yaml_command(node: Any, alias: Any, physical: Sequence[str], read_as_commands: set[int]) -> Iterator[_Snippet]:
    """A command scalar; reached through an alias (``run: *install``, ``<<: *defaults``), it runs where the
    alias is written (a change that adds the alias adds the command) and is read where it is anchored too
    (a change to the anchored text), reported once."""
    original = getattr(node, "alias_of", node)
    if alias is None:
        read_as_commands.add(id(original))
        yield _yaml_scalar(node, physical)
        return
    yield _Snippet([(alias.line + 1, alias.column, piece) for piece in node.value.split("\n")],
                   group=id(original), primary=True)
    if id(original) not in read_as_commands:
        read_as_commands.add(id(original))
        snippet = _yaml_scalar(node, physical)
        snippet.group = id(original)
        yield snippet


def _yaml_documents(text: str) -> list[Any]:
    """The composed documents of ``text``; with anchors, each alias is its own node that knows where it is
    written (``alias_mark``), and an anchor may be defined again (the later definition counts)."""
    import yaml

    if not _YAML_ANCHOR.search(text):
        return list(yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    return list(yaml.compose_all(text, Loader=_alias_loader()))


@functools.cache
def _alias_loader() -> type:
    import yaml

    class AliasLoader(yaml.SafeLoader):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                original = super().compose_node(parent, index)
                node = copy.copy(original)
                node.alias_mark = event.start_mark
                node.alias_of = getattr(original, "alias_of", original)
                return node
            if event.anchor is not None:
                self.anchors.pop(event.anchor, None)
            return super().compose_node(parent, index)

    return AliasLoader


def _yaml_scalar(node: Any, physical: Sequence[str]) -> _Snippet:
    """A command scalar as shell text: a literal block keeps its lines where they are written; other styles
    (folded, plain, quoted) are read as the value the YAML parser gives, placed at the scalar's start."""
    value: str = node.value
    line, column = node.start_mark.line, node.start_mark.column
    if node.style == "|":
        lines = value.split("\n")
        indent = None
        for number in range(line + 1, min(line + 1 + len(lines), len(physical))):
            written = physical[number]
            if written.strip():
                indent = len(written) - len(written.lstrip())
                break
        if indent is not None:
            return _Snippet([(line + 2 + offset, indent, text) for offset, text in enumerate(lines)
                             if line + 1 + offset < len(physical)] or [(line + 1, column, value)])
    start = line + 1 + (1 if node.style == ">" else 0)
    shift = 1 if node.style in ("'", '"') else 0
    return _Snippet([(start, column + shift if node.style != ">" else column, text) if number == 0
                     else (start, column, text) for number, text in enumerate(value.split("\n"))])


def _yaml_lines(physical: Sequence[str], keys: frozenset[str] = _YAML_COMMAND_KEYS) -> Iterator[_Snippet]:
    """YAML the parser refuses (a template: Helm, Jinja), read line by line: inline values, block scalars and
    list items under command keys."""
    owners: list[tuple[int, str]] = []  # (indent, key) of enclosing keys
    block: tuple[int, str, bool] | None = None  # the block scalar being read: (indent of its key, key, folded)
    folded: list[tuple[int, int, str]] = []
    for index, line in enumerate(physical):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if block is not None:
            if not stripped or indent > block[0]:
                if stripped and block[1] in keys:
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
        while owners and (owners[-1][0] > indent or (owners[-1][0] == indent and not items)
                          or (owners[-1][0] == key_indent and match.group("key"))):
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
            if key in keys:
                yield from _yaml_value(index + 1, column, value)
            continue
        owner = owners[-1][1] if owners else ""
        if items and owner in keys:
            yield from _yaml_value(index + 1, column, value)
    if folded:
        yield _Snippet(folded)


def _yaml_value(line: int, column: int, value: str) -> Iterator[_Snippet]:
    """A YAML scalar (plain or quoted) or a flow sequence of words, as shell text."""
    import json

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


def _devcontainer(physical: Sequence[str]) -> Iterator[_Snippet]:
    """``devcontainer.json`` (JSON with comments and trailing commas): the lifecycle commands
    (``postCreateCommand``, ``onCreateCommand``, ...), each a shell string, an exec-form array, or an object
    of named commands run in parallel. Each is placed where its value is written."""
    import json

    text = _jsonc_stripped("\n".join(physical))  # comments blanked in place: every offset is where it is written
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        for index, line in enumerate(physical):  # not JSON: each `"postCreateCommand": "..."` that is written
            for command in _DEVCONTAINER_LINE.finditer(line):
                yield _Snippet([(index + 1, command.start("command"), command.group("command"))])
        return
    if not isinstance(document, dict):
        return
    starts = _line_starts(physical)
    for key in sorted(_DEVCONTAINER_COMMAND_KEYS):
        value = document.get(key)
        where = text.find(f'"{key}"')
        commands = list(value.values()) if isinstance(value, dict) else [value]
        for entry in commands:
            if isinstance(entry, str):
                written = json.dumps(entry)[1:-1]
                found = text.find(written, max(where, 0))
                offset = found if found >= 0 else max(where, 0)
                number = bisect.bisect_right(starts, offset) - 1
                yield _Snippet([(number + 1, offset - starts[number], entry)])
            elif isinstance(entry, list) and entry and all(isinstance(word, str) for word in entry):
                number = bisect.bisect_right(starts, max(where, 0)) - 1
                yield _Snippet([(number + 1, 0, physical[number])], entry)


def _jsonc_stripped(text: str) -> str:
    """JSON with comments (``//``, ``/* */``) and trailing commas as plain JSON, every other character kept
    in place (comments become spaces)."""
    out = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = index + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index:end + 1])
            index = end + 1
        elif text.startswith("//", index):
            end = text.find("\n", index)
            end = length if end < 0 else end
            out.append(" " * (end - index))
            index = end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            end = length if end < 0 else end + 2
            out.append("".join(" " if part != "\n" else "\n" for part in text[index:end]))
            index = end
        elif char == ",":  # a trailing comma (JSON has none) becomes a space
            after = index + 1
            while after < length and text[after] in " \t\r\n":
                after += 1
            out.append(" " if after < length and text[after] in "}]" else ",")
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


JsonCommand = str | list[str] | tuple[str, list[str]]
"""A shell string, the words of an exec form, or a shell string with arguments the program quotes after it."""


def _json_commands(physical: Sequence[str], commands: Callable[[Any], list[JsonCommand]]) -> Iterator[_Snippet]:
    """The ``commands`` of a JSON-with-comments document, each placed where it is written (a shell string at
    its text; exec-form words over the lines from the first word to the last; quoted arguments each where it
    is written, continuing the command's line). Text that is not JSON (comments and trailing commas are read
    as VS Code does) is read line by line: every ``"command": "..."`` written in it."""
    import json

    text = _jsonc_stripped("\n".join(physical))
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        for index, line in enumerate(physical):
            for found in _JSON_COMMAND.finditer(line):
                yield _Snippet([(index + 1, found.start("command"), _json_string(found.group("command")))])
        return
    starts = _line_starts(physical)
    cursor = 0
    find = _JsonFinder(text)
    for command in commands(document):
        if isinstance(command, tuple):
            at = find(command[0], cursor)
            cursor = at if at >= 0 else cursor
            yield _Snippet(_quoted_arguments(find, starts, command, max(at, 0)))
            continue
        words = [command] if isinstance(command, str) else command
        if not words:
            continue
        first = find(words[0], cursor)
        last = find(words[-1], max(first, 0)) if len(words) > 1 else first
        cursor = first if first >= 0 else cursor
        start = bisect.bisect_right(starts, max(first, 0)) - 1
        if isinstance(command, str):
            yield _Snippet([(start + 1, max(first, 0) - starts[start], command)])
            continue
        end = max(bisect.bisect_right(starts, max(last, 0)) - 1, start)
        yield _Snippet([(number + 1, 0, physical[number]) for number in range(start, end + 1)], words)


def _quoted_arguments(
    find: _JsonFinder, starts: list[int], command: tuple[str, list[str]], at: int
) -> list[tuple[int, int, str]]:
    """A shell command and the arguments quoted after it, each where it is written, as lines the shell joins
    (each but the last ends with a continuation)."""
    pieces = []
    words = [command[0], *command[1]]
    for number, word in enumerate(words):
        at = find(word, at) if number else at
        line = bisect.bisect_right(starts, max(at, 0)) - 1
        shown = (word if number == 0 else shlex.quote(word)) + (" \\" if number < len(words) - 1 else "")
        pieces.append((line + 1, max(at, 0) - starts[line], shown))
        at = max(at, 0)
    return pieces


class _JsonFinder:
    """Where JSON strings are written in a text: from a cursor on (the document's order), else anywhere. A string
    written with other escapes (``\\u0070ip``) is not found; after :data:`_TASK_SEARCHES` such misses the rest
    is not searched (placed at the cursor), so the cost stays linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.misses = 0

    def __call__(self, value: str, cursor: int) -> int:
        import json

        if self.misses >= _TASK_SEARCHES:
            return -1
        written = json.dumps(value)[1:-1]
        found = self.text.find(written, cursor)
        found = self.text.find(written, 0, cursor + len(written)) if found < 0 else found
        self.misses += found < 0
        return found


def _json_string(body: str) -> str:
    import json

    try:
        value = json.loads(f'"{body}"')
    except (ValueError, RecursionError):
        return body
    return value if isinstance(value, str) else body


def _agent_commands(document: Any) -> list[JsonCommand]:
    """Commands a coding agent's settings make it run: every ``command`` of its ``hooks`` (Claude Code:
    ``{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "..."}]}]}}``; Cursor and Gemini
    CLI alike), the ``statusLine`` command, and Claude Code's helper commands (``apiKeyHelper``, ...)."""
    if not isinstance(document, dict):
        return []
    found: list[JsonCommand] = [document[key] for key in _AGENT_HELPERS if isinstance(document.get(key), str)]
    stack = [document.get("statusLine"), document.get("hooks")]
    while stack:  # depth first, in the document's order
        node = stack.pop()
        if isinstance(node, dict):
            found += [node["command"]] if isinstance(node.get("command"), str) else []
            stack += [value for key, value in reversed(node.items()) if key != "command"]
        elif isinstance(node, list):
            stack += reversed(node)
    return found


_DEPLOY_COMMAND_KEYS = frozenset({"installCommand", "buildCommand", "devCommand", "postdeploy", "pr-predestroy",
                                  "test-setup", "test"})


def _deploy_commands(document: Any) -> list[JsonCommand]:
    """Commands of a build or deploy platform's JSON settings (attack H12): Vercel's ``installCommand``,
    ``buildCommand`` and ``devCommand``, and every string of a ``scripts`` object (Heroku's ``app.json``, also
    under ``environments``; npm's ``package.json``, whose scripts run in a shell)."""
    found: list[JsonCommand] = []
    stack = [document]
    while stack and len(found) < _MAX_JSON_COMMANDS:
        node = stack.pop()
        if isinstance(node, dict):
            scripts = node.get("scripts")
            if isinstance(scripts, dict):
                found += [value for value in scripts.values() if isinstance(value, str)]
            found += [node[key] for key in _DEPLOY_COMMAND_KEYS if isinstance(node.get(key), str)]
            stack += [value for key, value in reversed(node.items()) if key != "scripts"]
        elif isinstance(node, list):
            stack += reversed(node)
    return found


_MAX_JSON_COMMANDS = 10_000


def _vscode_commands(document: Any) -> list[JsonCommand]:
    """VS Code ``tasks.json``: each task's ``command`` with its ``args`` (and the ``windows``/``linux``/``osx``
    variants, and the top level's, which every task inherits). A ``process`` task runs the words; a ``shell``
    task gives the shell the command line with the arguments quoted."""
    if not isinstance(document, dict):
        return []
    found: list[JsonCommand] = []
    tasks = document.get("tasks")
    for task in [document, *(tasks if isinstance(tasks, list) else [])]:
        if not isinstance(task, dict):
            continue
        for variant in [task, *(task.get(name) for name in ("windows", "linux", "osx"))]:
            if not isinstance(variant, dict):
                continue
            command = _vscode_value(variant.get("command"))
            args = variant.get("args")
            words = [word for word in map(_vscode_value, args if isinstance(args, list) else []) if word is not None]
            if command is None:
                continue
            if not words:
                found.append(command)
            elif task.get("type", document.get("type")) == "process":
                found.append([command, *words])
            else:
                found.append((command, words))
    return found


def _vscode_value(value: object) -> str | None:
    """A string, or the ``value`` of ``{"value": ..., "quoting": ...}``; a list is joined (VS Code joins a
    command given as a list of strings)."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return " ".join(value)
    return value if isinstance(value, str) else None


def _toml_tasks(physical: Sequence[str]) -> Iterator[_Snippet]:
    """Commands of task runners in ``pyproject.toml`` (``[tool.poe.tasks]``, ``[tool.pdm.scripts]``,
    ``[tool.hatch.envs.*.scripts]`` and ``pre-/post-install-commands``, ``[tool.rye.scripts]``,
    ``[tool.taskipy.tasks]``) and of ``netlify.toml`` (``command`` of ``[build]``, ``[dev]``, ``[context.*]``),
    each placed where its string is written."""
    import json
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    text = "\n".join(physical)
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return  # the manifest reader reports invalid TOML
    tool = document.get("tool") if isinstance(document.get("tool"), dict) else {}
    found: list[str | list[str]] = []
    for table in (_table(tool, "poe", "tasks"), _table(tool, "pdm", "scripts"), _table(tool, "rye", "scripts"),
                  _table(tool, "taskipy", "tasks")):
        for task in table.values():
            found += _task_commands(task)
    for environment in _table(tool, "hatch", "envs").values():
        if isinstance(environment, dict):
            for script in _table(environment, "scripts").values():
                found += _task_commands(script)
            for key in ("pre-install-commands", "post-install-commands"):
                found += [item for item in environment.get(key, []) if isinstance(item, str)]
    found += _pixi_tasks(document) + _pixi_tasks(_table(tool, "pixi"))
    found += _tox_toml_commands(document) + _tox_toml_commands(_table(tool, "tox"))
    found += _cibuildwheel_commands(_table(tool, "cibuildwheel"))
    for key in ("build", "dev"):
        found += _task_commands(_table(document, key).get("command"))
    found += _deploy_toml_commands(document)
    for context in _table(document, "context").values():
        if isinstance(context, dict):
            found += _task_commands(context.get("command"))
    starts = _line_starts(physical)
    cursor = 0
    searches = _TASK_SEARCHES
    for command in found:
        first = command if isinstance(command, str) else (command[-1] if command else "")
        offset = text.find(first, cursor) if first else -1
        if offset < 0 and first and searches > 0:  # written before the previous one (tables in another order), or
            searches -= 1                          # written with escapes (`\\` in a basic string)
            offset = text.find(first)
            offset = text.find(json.dumps(first)[1:-1]) if offset < 0 else offset
        if offset < 0:
            offset = cursor  # written with escapes: placed after the previous command
        else:
            cursor = offset
        line = bisect.bisect_right(starts, offset) - 1
        if isinstance(command, str):
            yield _Snippet([(line + 1, offset - starts[line], command)])
        elif command:  # the words, over the lines from the first one written to the last
            begin = bisect.bisect_right(starts, _first_written(text, command, offset)) - 1
            yield _Snippet([(number + 1, 0, physical[number]) for number in range(begin, line + 1)], command)
    if isinstance(_table(tool, "tox").get("legacy_tox_ini"), str):
        yield from _tox(_legacy_tox_ini(physical))


def _first_written(text: str, words: Sequence[str], last: int) -> int:
    """Where the first of ``words`` that is written shortly before ``last`` (the last word's offset) is; ``last``
    when none is (``pip install`` of cibuildwheel's ``test-requires`` is not written)."""
    import json

    window = max(last - _WORDS_WINDOW, 0)
    for word in words[:-1]:
        found = text.rfind(json.dumps(word)[1:-1], window, last)
        if found >= 0:
            return found
    return last


def _legacy_tox_ini(physical: Sequence[str]) -> list[str]:
    """The lines of ``[tool.tox] legacy_tox_ini = \"\"\"...\"\"\"`` where they are written, every other line
    blank (tox reads the string as its ``tox.ini``)."""
    masked = [""] * len(physical)
    inside: str | None = None
    for index, line in enumerate(physical):
        if inside is not None:
            if inside in line:
                masked[index] = line.split(inside, 1)[0]
                inside = None
            else:
                masked[index] = line
            continue
        match = re.match(r"^\s*legacy_tox_ini\s*=\s*(\"\"\"|\'\'\')", line)
        if match is not None:
            rest = line[match.end():]
            inside = None if match.group(1) in rest else match.group(1)
            masked[index] = "" if inside else rest.split(match.group(1), 1)[0]
    return masked


def _pixi_tasks(settings: dict[str, Any]) -> list[str | list[str]]:
    """pixi's ``[tasks]`` (a string, or a table with ``cmd``), also of each ``[feature.NAME]`` and
    ``[target.PLATFORM]``."""
    scopes = [settings, *(_table(settings, "feature").values())]
    scopes += [target for scope in list(scopes) for target in _table(scope, "target").values()]
    return [command for scope in scopes if isinstance(scope, dict)
            for task in _table(scope, "tasks").values() for command in _task_commands(task)]  # fmt: skip


def _deploy_toml_commands(document: dict[str, Any]) -> list[str | list[str]]:
    """Commands of deploy platforms' TOML (attack H12): Fly's ``[deploy] release_command`` and
    ``[processes]``, Nixpacks' ``[phases.NAME] cmds`` and ``[start] cmd``, Replit's ``run``, ``onBoot`` and
    ``[deployment] run``/``build`` (a string, or a list of words)."""
    found: list[str | list[str]] = []
    found += _strings_of(_table(document, "deploy").get("release_command"))
    found += [value for value in _table(document, "processes").values() if isinstance(value, str)]
    for phase in _table(document, "phases").values():
        if isinstance(phase, dict):
            found += _strings_of(phase.get("cmds")) + _strings_of(phase.get("cmd"))
    found += _strings_of(_table(document, "start").get("cmd"))
    for scope in (document, _table(document, "deployment")):
        for key in ("run", "onBoot", "build"):
            value = scope.get(key)
            if isinstance(value, list) and all(isinstance(word, str) for word in value) and value:
                found.append(list(value))
            elif isinstance(value, str):
                found.append(value)
    return found


def _tox_toml_commands(settings: dict[str, Any]) -> list[str | list[str]]:
    """tox 4's TOML form (``tox.toml``, ``[tool.tox]``): ``commands``, ``commands_pre``, ``commands_post`` of
    ``[env_run_base]``, ``[env_pkg_base]`` and each ``[env.NAME]``, each command a list of words, with tox's
    substitutions replaced (a value known only when tox runs is a shell expansion: attack H1)."""
    from hallucheck.sources.tox_substitutions import substitute, toml_words

    environments = [_table(settings, "env_run_base"), _table(settings, "env_pkg_base"),
                    *(_table(settings, "env").values())]  # fmt: skip
    found: list[str | list[str]] = []
    for environment in environments:
        for key in ("commands", "commands_pre", "commands_post"):
            commands = environment.get(key) if isinstance(environment, dict) else None
            for command in commands if isinstance(commands, list) else []:
                if isinstance(command, list):
                    found.append(toml_words(command, lambda written: UNKNOWN + written[:60] + "\x01"))
                elif isinstance(command, str):
                    found.append(substitute(command, {}, lambda written: "${TOX_VALUE}"))
    return found


def _strings_of(value: object) -> list[str]:
    """A string alone, or the strings of a list."""
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _cibuildwheel_commands(settings: dict[str, Any]) -> list[str | list[str]]:
    """``[tool.cibuildwheel]`` (and its platform tables and ``[[overrides]]``): ``before-all``,
    ``before-build``, ``before-test``, ``test-command``, ``repair-wheel-command`` (a string, or a list of
    commands run in turn), and ``test-requires``, which cibuildwheel installs with pip."""
    scopes = [settings, *(_table(settings, platform) for platform in _CIBUILDWHEEL_PLATFORMS)]
    overrides = settings.get("overrides")
    scopes += [item for item in overrides if isinstance(item, dict)] if isinstance(overrides, list) else []
    found: list[str | list[str]] = []
    for scope in scopes:
        for key in ("before-all", "before-build", "before-test", "test-command", "repair-wheel-command"):
            found += _strings_of(scope.get(key))
        requires = scope.get("test-requires")
        names = requires.split() if isinstance(requires, str) else _strings_of(requires)
        if names:
            found.append(["pip", "install", *names])
    return found


def _line_starts(physical: Sequence[str]) -> list[int]:
    """The offset of each line in the text the lines join into (and of the end)."""
    starts = [0]
    for text in physical:
        starts.append(starts[-1] + len(text) + 1)
    return starts


def _table(table: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table if isinstance(table, dict) else {}


def _task_commands(task: Any) -> list[str | list[str]]:
    """The commands of one task: a string, a list of commands (hatch) or a table with ``cmd`` (a string,
    or the words of an exec form), ``shell``, ``sequence``/``composite``/``chain`` (commands or task
    names: a task name reads as no install)."""
    if isinstance(task, str):
        return [task]
    if isinstance(task, list):
        return [command for item in task for command in _task_commands(item)]
    if not isinstance(task, dict):
        return []
    found: list[str | list[str]] = []
    command = task.get("cmd")
    if isinstance(command, list) and all(isinstance(word, str) for word in command):
        found.append(list(command))
    elif isinstance(command, str):
        found.append(command)
    if isinstance(task.get("shell"), str):
        found.append(task["shell"])
    for key in ("sequence", "composite", "chain"):
        found += _task_commands(task.get(key))
    return found


def _jenkinsfile(physical: Sequence[str]) -> Iterator[_Snippet]:
    """A Jenkins pipeline (Groovy): the string of each ``sh``/``bat``/``powershell`` step (``sh 'cmd'``,
    ``sh("cmd")``, ``sh script: \'\'\'...\'\'\'``, triple-quoted over lines). A GString's ``${x}`` is
    known only when the pipeline runs."""
    text = "\n".join(physical)
    starts = _line_starts(physical)
    for step in _JENKINS_STEP.finditer(text):
        quote = step.group("quote")
        begin = step.end()
        end = text.find(quote, begin) if len(quote) == 3 else _string_end(text, begin, quote)
        end = len(text) if end < 0 else end
        body = text[begin:end]
        body = re.sub(r"\\([\\'\"$])", r"\1", body)  # Groovy's escapes (a `\\` is the shell's `\`)
        pieces = []
        offset = begin
        for part in body.split("\n"):
            line = bisect.bisect_right(starts, offset) - 1
            pieces.append((line + 1, offset - starts[line], part))
            offset = starts[line + 1] if line + 1 < len(starts) else offset
        yield _Snippet(pieces)


def _string_end(text: str, start: int, quote: str) -> int:
    """The offset of the quote that ends a one-line Groovy string starting at ``start`` (-1: none)."""
    index = start
    while index < len(text) and text[index] != "\n":
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        index += 1
    return -1


def _procfile(physical: Sequence[str]) -> Iterator[_Snippet]:
    """A Procfile: ``name: command`` per line (Heroku's ``release:`` runs at each deploy)."""
    for index, line in enumerate(physical):
        match = re.match(r"^\s*[\w-]+\s*:\s*", line)
        if match is not None and not line.lstrip().startswith("#"):
            yield _Snippet([(index + 1, match.end(), line[match.end():].rstrip("\r"))])


def _markup(physical: Sequence[str], *, kind: str) -> Iterator[_Snippet]:
    """Markdown, reStructuredText, AsciiDoc and plain text: code blocks, prompted lines and code spans."""
    fence: str | None = None
    fence_quotes = 0  # the block quotes the open fence is in: a `>` past them is the code's (`> r.txt`)
    block: list[tuple[int, int, str]] = []
    index = 0
    while index < len(physical):
        line = physical[index].rstrip("\r")
        quoted = re.match(r"^(?:\s*>)*\s*" if fence is None else rf"^(?:\s*>){{0,{fence_quotes}}}\s*", line)
        body_start = quoted.end() if quoted else 0
        stripped = line[body_start:]
        if fence is not None:
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]).strip():
                if block:
                    yield _Snippet(block)  # a fenced block is one script: continuations, here-documents
                fence, block = None, []
            else:
                block.append((index + 1, body_start, stripped))
            index += 1
            continue
        opening = (_ADOC_DELIMITER if kind == ASCIIDOC else _FENCE).match(stripped)
        if opening is not None and kind != RST:
            fence = opening.group("fence")
            fence_quotes = quoted.group().count(">") if quoted else 0  # block quotes hold code blocks too
            index += 1
            continue
        indent = len(line) - len(line.lstrip())
        if kind == RST and _RST_CODE.match(line):  # `.. code-block:: bash`, `::`: the indented block is code
            for span in _CODE_SPAN.finditer(line):
                yield _Snippet([(index + 1, span.start("code"), span.group("code"))])
            literal, index = _rst_block(physical, index + 1, indent)
            if literal:
                yield _Snippet(literal)
            continue
        command = _LIST_MARKER.sub("", stripped)
        prompted = command.startswith(("$ ", "% ", "> ", "PS> ", ">>> ")) or re.match(r"^\(\S+\)\s*\$ ", command)
        starts_with_installer = _starts_a_command(command, kind)
        if (prompted or (indent >= (2 if kind == RST else 4) and starts_with_installer)
                or (kind == TEXT and starts_with_installer)):
            snippet, index = _continued(physical, index)
            yield _trimmed(snippet, len(line) - len(command))
            continue
        for span in _CODE_SPAN.finditer(line):
            yield _Snippet([(index + 1, span.start("code"), span.group("code"))])
        if kind == MARKDOWN and "<" in line:
            html, after = _html_code(physical, index)
            if html is not None:
                yield html
                index = max(after, index + 1)
                continue
        index += 1
    if block:
        yield _Snippet(block)  # an unclosed fence runs to the end of the file


def _html_code(physical: Sequence[str], start: int) -> tuple[_Snippet | None, int]:
    """HTML code in Markdown from the line at 0-based ``start``: ``<pre>`` (an HTML block, to the line that
    closes it, as CommonMark reads it), ``<code>`` (inline: to its closing tag or the paragraph's end), and
    ``<pre><code class="language-bash">``; tags inside are dropped and entities decoded (``&amp;&amp;``).
    Tags inside a backtick code span are text. Returns the code and the index after it."""
    import html

    line = _CODE_SPAN.sub(lambda span: " " * len(span.group()), physical[start].rstrip("\r"))
    opening = _HTML_CODE_OPEN.search(line)
    if opening is None:
        return None, start
    tag = opening.group("tag").lower()
    block = tag == "pre" and not line[:opening.start()].strip()
    closing = re.compile(rf"(?i)</{tag}\s*>")
    pieces: list[tuple[int, int, str]] = []
    index, column = start, opening.end()
    while index < len(physical):
        text = physical[index].rstrip("\r")
        if index > start and not block and not text.strip():
            break  # an inline tag ends with its paragraph
        end = closing.search(text, column)
        body = text[column:end.start() if end else len(text)]
        pieces.append((index + 1, column, html.unescape(_HTML_TAG.sub("", body))))
        index += 1
        column = 0
        if end is not None:
            break
    if not block:  # inline code: a line break is a space
        pieces = [(number, column, text + " \\") for number, column, text in pieces[:-1]] + pieces[-1:]
    return _Snippet(pieces), index


def _starts_a_command(line: str, kind: str) -> bool:
    """Whether a line of prose-capable text starts with an install command (also spelled to hide it:
    ``pi""p``, ``python -m ${PIP:-pip}``); in plain text, also a line that starts like any shell command."""
    plain = _DISGUISE.sub("", line) if _DISGUISE.search(line) else line
    return any(_COMMAND_START.match(text) is not None or (kind == TEXT and _TEXT_COMMAND.match(text) is not None)
               for text in (line, plain))


def _rst_block(physical: Sequence[str], start: int, indent: int) -> tuple[list[tuple[int, int, str]], int]:
    """The lines of an rST literal or code block after its marker line (more indented than ``indent``; blank
    lines inside; directive options such as ``:linenos:`` first); and the index after it."""
    block: list[tuple[int, int, str]] = []
    index = start
    options = True
    while index < len(physical):
        line = physical[index].rstrip("\r")
        stripped = line.strip()
        if stripped and len(line) - len(line.lstrip()) <= indent:
            break
        if options and re.match(r"^:[\w-]+:", stripped):
            index += 1
            continue
        if stripped:
            options = False
            column = len(line) - len(line.lstrip())
            block.append((index + 1, column, line[column:]))
        else:
            block.append((index + 1, 0, ""))
        index += 1
    while block and not block[-1][2]:
        block.pop()
    return block, index


def _trimmed(snippet: _Snippet, column: int) -> _Snippet:
    line, start, text = snippet.pieces[0]
    snippet.pieces[0] = (line, start + column, text[column:])
    return snippet


_SNIPPETS = {
    MARKDOWN: lambda lines: _markup(lines, kind=MARKDOWN),
    RST: lambda lines: _markup(lines, kind=RST),
    TEXT: lambda lines: _markup(lines, kind=TEXT),
    DEVCONTAINER: lambda lines: _devcontainer(lines),
    PROCFILE: lambda lines: _procfile(lines),
    TOML_TASKS: lambda lines: _toml_tasks(lines),
    JENKINSFILE: lambda lines: _jenkinsfile(lines),
    GITPOD: lambda lines: _yaml(lines, _GITPOD_COMMAND_KEYS),
    PRECOMMIT: lambda lines: _yaml(lines),
    AGENT_SETTINGS: lambda lines: _json_commands(lines, _agent_commands),
    VSCODE_TASKS: lambda lines: _json_commands(lines, _vscode_commands),
    DEPLOY_JSON: lambda lines: _json_commands(lines, _deploy_commands),
    ASCIIDOC: lambda lines: _markup(lines, kind=ASCIIDOC),
    SHELL: _shell,
    DOCKERFILE: _dockerfile,
    YAML: _yaml,
    MAKEFILE: _makefile,
    TOX: _tox,
}


# --- Modules a command imports by name (attack F13) ----------------------------------------------------------

_MODULE_WORD = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_SERVER_VALUE_OPTIONS = frozenset({
    "-w", "--workers", "-b", "--bind", "-k", "--worker-class", "-c", "--config", "-t", "--timeout", "--host",
    "--port", "--log-level", "--log-config", "--env-file", "--root-path", "--uds", "--fd", "--access-logfile",
    "--error-logfile", "--threads", "-e", "--env", "-p", "--pid", "-u", "--user", "-g", "--group", "--name", "-n",
    "--reload-dir", "--reload-include", "--reload-exclude", "--forwarded-allow-ips", "--proxy-headers", "-l",
    "--loglevel", "--ssl-keyfile", "--ssl-certfile", "--certfile", "--keyfile", "--worker-connections",
    "--max-requests", "--graceful-timeout", "--keep-alive", "--limit-concurrency", "--backlog", "--lifespan",
    "--loop", "--http", "--ws", "--interface", "--h11-max-incomplete-event-size", "-Q", "--queues",
    "--concurrency", "--pool", "-B", "--schedule", "--hostname", "--logfile", "--pidfile", "--statedb",
})
"""Options of the servers and workers that take a value (uvicorn, gunicorn, hypercorn, daphne, celery)."""
_MOVES_PATH = frozenset({"--app-dir", "--chdir", "--pythonpath", "--workdir", "--root-dir", "-P", "--app-root"})
"""Options that put another directory on ``sys.path`` first: the module is then not known to be one the check
can find, and is not read."""


def run_modules(path: str, text: str, kind: str | None = None) -> list[tuple[int, str, str]]:
    """``(line, module, program)`` of each module a command in ``text`` runs by name: ``python -m MODULE``,
    ``uvicorn|hypercorn|daphne MODULE:app``, ``gunicorn MODULE:app``, ``celery -A MODULE``, ``flask --app
    MODULE``; and the modules ``python -c CODE`` imports. Each must resolve as an import does (attack F13)."""
    kind = kind or file_kind(path)
    if kind is None and "." not in posixpath.basename(path) and is_shell_script(text):
        kind = SHELL
    if kind is None or not may_run_modules(text, kind):
        return []
    from hallucheck.sources.shell import read_script

    found: list[tuple[int, str, str]] = []
    for snippet in _SNIPPETS[kind](text.split("\n")):
        given = snippet.words
        if not _RUNS_MODULE.search(" ".join(given) if given is not None else snippet.text):
            continue
        starts = snippet.starts()
        commands: list[Sequence[str]] = [given] if given is not None else [
            command.words for command in read_script(snippet.text).commands]
        for words in commands:
            for module, offset, program in _command_modules(words):
                line = snippet.place(offset, starts)[0] if offset >= 0 else snippet.pieces[0][0]
                found.append((line, module, program))
    return found


def _command_modules(words: Sequence[str]) -> Iterator[tuple[str, int, str]]:
    """(module, offset, program) of what one command's words run by name (wrappers such as ``exec``, ``sudo``,
    ``uv run``, ``poetry run`` skipped)."""
    from hallucheck.sources.install_commands import UNKNOWN

    index = 0
    while index < len(words) and (words[index] in _MODULE_WRAPPERS or "=" in words[index].split("/")[0]):
        index += 2 if words[index] in ("uv", "poetry", "pdm", "hatch", "pipenv", "rye") else 1
    if index >= len(words) or any(UNKNOWN in word for word in words[index:index + 8]):
        return
    program = words[index].rsplit("/", 1)[-1]
    rest = words[index + 1:]
    if any(word.partition("=")[0] in _MOVES_PATH for word in rest):
        return
    if re.fullmatch(r"(?:python|pypy)[0-9.]*|py", program):
        yield from _python_modules(rest)
    elif program in ("uvicorn", "gunicorn", "hypercorn", "daphne"):
        for position, word in enumerate(rest):
            if word.startswith("-"):
                continue
            if position and rest[position - 1] in _SERVER_VALUE_OPTIONS:
                continue
            module = word.split(":", 1)[0]
            if _MODULE_WORD.fullmatch(module):
                yield module, _offset_of(word), program
            return
    elif program in ("celery", "flask"):
        for position, word in enumerate(rest):
            option, equals, value = word.partition("=")
            if option in ("-A", "--app") and not equals and position + 1 < len(rest):
                value = rest[position + 1]
            elif not (option in ("-A", "--app") and equals):
                continue
            module = value.split(":", 1)[0]
            if program == "flask" and module.endswith(".py"):
                return  # a file
            if _MODULE_WORD.fullmatch(module):
                yield module, _offset_of(value if equals else rest[position + 1]), program
            return


_MODULE_WRAPPERS = frozenset({"exec", "sudo", "nohup", "time", "env", "uv", "poetry", "pdm", "hatch", "pipenv", "rye",
                              "command", "stdbuf", "nice"})
"""Programs that run the command after them (``uv run``, ``poetry run``: the word after them is their verb)."""


def _python_modules(rest: Sequence[str]) -> Iterator[tuple[str, int, str]]:
    """``python [options] -m MODULE`` and ``-c CODE`` (the modules the code imports)."""
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in _PYTHON_VALUE_OPTIONS:
            index += 2
            continue
        if word == "-m" or (word.startswith("-") and not word.startswith("--") and word.endswith("m") and
                            len(word) > 2 and "c" not in word):
            if index + 1 < len(rest) and _MODULE_WORD.fullmatch(rest[index + 1]):
                yield rest[index + 1], _offset_of(rest[index + 1]), "python -m"
            return
        if word.startswith("-m") and len(word) > 2 and _MODULE_WORD.fullmatch(word[2:]):
            yield word[2:], _offset_of(word), "python -m"
            return
        if word == "-c" and index + 1 < len(rest):
            yield from _code_modules(rest[index + 1])
            return
        if not word.startswith("-") or word == "-":
            return  # a script file or standard input
        index += 1


def _code_modules(code: str) -> Iterator[tuple[str, int, str]]:
    """The modules ``python -c CODE`` imports at its top level."""
    import ast

    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, _offset_of(code), "python -c"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, _offset_of(code), "python -c"


def _offset_of(word: str) -> int:
    offset = getattr(word, "offset", -1)
    return offset if isinstance(offset, int) else -1
