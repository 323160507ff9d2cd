"""Install commands in shell text: which package names ``pip install ...`` and its relatives would fetch.

A command line is split into words the way a POSIX shell does (:mod:`shlex`, with ``;``, ``&&``, ``||``,
``|``, ``&``, parentheses and redirections as operators), cut into simple commands, and each simple
command is read as the installer would read it:

* wrappers are looked through: ``sudo``, ``env``, ``VAR=value``, ``time``, ``uv run``, ``poetry run``,
  ``conda run``, ``python -m MODULE``, ``bash -c "..."``, ``%pip``/``!pip`` (notebooks), shell prompts;
* the installer's option grammar decides what each word is: options that take a value (``-r FILE``,
  ``-e PATH``, ``--index-url URL``, ``-c FILE``), pip's abbreviated long options (``--requ``), short
  option clusters (``-qr FILE``), ``--`` and ``--opt=value``;
* an argument is a requirement only when it is one: URLs, local paths, archives and anything dynamic
  (``$VAR``, ``$(cmd)``, backquotes, ``{placeholder}``, ``{{ template }}``) are not names on an index.

Covered: ``pip``/``pip3``/``pipX.Y`` and ``python -m pip`` ``install``, ``uv pip install``, ``uv add``,
``uv tool install``, ``uvx``/``uv tool run``, ``uv run --with``, ``pipx install|run|inject``,
``poetry add``, ``pdm add``, ``pipenv install``, ``rye add``, ``easy_install``, and ``conda``/``mamba``/
``micromamba`` ``install|create`` (conda names). Everything here is pure: text in, names out.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from hallucheck.lazy import LazyPattern, record

PYPI, CONDA = "pypi", "conda"

MAY_INSTALL = LazyPattern(
    r"(?i)(?:(?<![\w-])|-m)(?:pip[0-9.]*|uvx?|pipx|poetry|pdm|conda|mamba|micromamba|pipenv|rye|easy_install)(?![\w-])"
)
"""A cheap test for text that may hold an install command (every command recognised matches it)."""

_OPERATORS = frozenset(";&|()")
_REDIRECTION = LazyPattern(r"^[0-9]*(?:[<>]|&>)")
_REQUIREMENT_NAME = LazyPattern(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_AFTER_NAME = LazyPattern(r"\s*(?:$|[\[(<>=!~;,@ ])")
_CONDA_SPEC = LazyPattern(
    r"^(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9._-]*)"
    r"(?:$|[\s=<>!~\[,*])"
)
_ARCHIVE = LazyPattern(r"(?i)\.(?:whl|zip|tar|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|egg|conda|tar\.zst)$")
_PYTHON = LazyPattern(r"^(?:python|pypy|py)(?:[0-9][0-9.]*)?(?:w)?(?:\.exe)?$")
_PIP = LazyPattern(r"^pip(?:[0-9][0-9.]*)?(?:\.exe)?$")
_PROMPTS = frozenset({"$", "#", ">", ">>>", "...", "%", "PS>", "\u276f", "\u279c", "\u03bb"})
_SHELL_KEYWORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "do",
        "while",
        "until",
        "!",
        "{",
        "}",
        "time",
        "nohup",
        "exec",
        "command",
        "builtin",
        "eatmydata",
        "stdbuf",
        "caffeinate",
    }
)
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "fish"})
_MAX_DEPTH = 8
_LONG = 65_536
"""Longer shell text is split without :mod:`shlex` (:func:`_split_long`)."""


@record(frozen=True)
class InstallArgument:
    """One package an install command would fetch from an index."""

    name: str
    """The distribution name as written (``Requests``); not normalised."""
    requirement: str
    """The argument as the installer reads it (``requests[socks]>=2``, ``conda-forge::numpy=1.2``)."""
    ecosystem: str
    """:data:`PYPI` or :data:`CONDA` (conda package names are another namespace)."""


@record(frozen=True)
class InstallCommand:
    """A recognised install command and the packages it names."""

    tool: str
    """``pip install``, ``uv add``, ``uvx``, ``conda install``, ..."""
    words: tuple[str, ...]
    """The command's words from the installer on (wrappers removed)."""
    arguments: tuple[InstallArgument, ...]

    @property
    def text(self) -> str:
        """The command as one line (shell-quoted where needed), shortened for messages."""
        joined = shlex.join(self.words)
        return joined if len(joined) <= 120 else joined[:117] + "..."


class _Grammar(NamedTuple):
    """How one installer subcommand reads its words."""

    tool: str
    values: frozenset[str]
    """Options that take a value (the next word, or ``=value``, or the rest of a short cluster)."""
    names: frozenset[str] = frozenset()
    """Options whose value is itself a requirement (``uvx --from NAME``, ``pipx run --spec NAME``)."""
    flags: frozenset[str] = frozenset()
    """Known options without a value (needed to resolve pip's abbreviations)."""
    abbreviations: bool = False
    """Long options may be abbreviated to a unique prefix (optparse: pip)."""
    first_positional_only: bool = False
    """Only the first positional is a package; the rest are the tool's own arguments (``uvx``, ``pipx run``)."""
    skip_positionals: int = 0
    """Leading positionals that are not packages (``pipx inject VENV ...``)."""
    ecosystem: str = PYPI
    poetry_versions: bool = False
    """``name@version`` pins a version (Poetry, uv tools), it is not ``name @ URL``."""


def _options(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PIP_GENERAL_VALUES = _options(
    "--python --log --log-file --local-log --keyring-provider --proxy --retries --timeout --exists-action "
    "--trusted-host --cert --client-cert --cache-dir --use-feature --use-deprecated --resume-retries"
)
_PIP_GENERAL_FLAGS = _options(
    "-h --help --debug --isolated --require-virtualenv -v --verbose -V --version -q --quiet --no-input "
    "--no-cache-dir --disable-pip-version-check --no-color --no-python-version-warning"
)
_PIP_INSTALL = _Grammar(
    "pip install",
    _PIP_GENERAL_VALUES
    | _options(
        "-r --requirement -c --constraint -e --editable -t --target --platform --python-version --implementation "
        "--abi --root --prefix --src --upgrade-strategy -C --config-settings --global-option --build-option "
        "--install-option --no-binary --only-binary --progress-bar --root-user-action --report --group -i "
        "--index-url --extra-index-url -f --find-links"
    ),
    flags=_PIP_GENERAL_FLAGS
    | _options(
        "--no-deps --pre --dry-run --user -U --upgrade --force-reinstall -I --ignore-installed "
        "--ignore-requires-python --no-build-isolation --use-pep517 --no-use-pep517 --check-build-dependencies "
        "--break-system-packages --compile --no-compile --no-warn-script-location --no-warn-conflicts "
        "--prefer-binary --require-hashes --no-clean --no-index --no-input"
    ),
    abbreviations=True,
)
_UV_COMMON_VALUES = _options(
    "-r --requirement --requirements -c --constraint --constraints --override --overrides -b --build-constraint "
    "--build-constraints --extra --group --only-group --index --default-index -i --index-url --extra-index-url "
    "-f --find-links --index-strategy --keyring-provider -P --upgrade-package --reinstall-package "
    "--refresh-package --no-build-isolation-package -C --config-setting --config-settings-package --exclude-newer "
    "--exclude-newer-package --resolution --prerelease --fork-strategy --link-mode --no-binary --only-binary "
    "--no-binary-package --no-build-package --no-sources-package -p --python --target --prefix --python-version "
    "--python-platform --torch-backend --cache-dir --color --allow-insecure-host --directory --project "
    "--config-file --excludes --exclude --env-file --package --script -m --marker --optional --rev --tag "
    "--branch --bounds --with-editable --with-requirements --with-executables-from --python-preference "
    "--strict-exclude"
)
_UV_PIP_INSTALL = _Grammar("uv pip install", _UV_COMMON_VALUES | {"-e", "--editable"})
_UV_ADD = _Grammar("uv add", _UV_COMMON_VALUES, poetry_versions=False)
_UV_TOOL_INSTALL = _Grammar("uv tool install", _UV_COMMON_VALUES, names=_options("--with --from"), poetry_versions=True)
_UVX = _Grammar(
    "uvx", _UV_COMMON_VALUES, names=_options("--from --with"), first_positional_only=True, poetry_versions=True
)
_PIPX_VALUES = _options("--python --pip-args --suffix --index-url -i --backend --preinstall -r --requirement")
_PIPX_INSTALL = _Grammar("pipx install", _PIPX_VALUES, names=_options("--preinstall"))
_PIPX_RUN = _Grammar("pipx run", _PIPX_VALUES, names=_options("--spec"), first_positional_only=True)
_PIPX_INJECT = _Grammar("pipx inject", _PIPX_VALUES, skip_positionals=1)
_POETRY_ADD = _Grammar(
    "poetry add",
    _options("-G --group -E --extras --python --platform --markers --source -C --directory -P --project"),
    poetry_versions=True,
)
_PDM_ADD = _Grammar(
    "pdm add",
    _options("-G --group -p --project -L --lockfile -k --skip --venv -e --editable -S --strategy --config-setting"),
)
_PIPENV_INSTALL = _Grammar(
    "pipenv install", _options("--python -r --requirements -e --editable --index --extra-index-url --categories")
)
_RYE_ADD = _Grammar("rye add", _options("--git --url --path --tag --rev --branch --features --optional"))
_EASY_INSTALL = _Grammar("easy_install", _options("-i --index-url -f --find-links -d --install-dir -s --script-dir"))
_CONDA_INSTALL = _Grammar(
    "conda install",
    _options(
        "-n --name -p --prefix -c --channel --file --solver --repodata-fn --platform --subdir "
        "--experimental --override-channels-from --strict-channel-priority-from"
    ),
    ecosystem=CONDA,
)


def split_commands(text: str) -> list[list[str]]:
    """The simple commands of one shell line, each as its words (operators and redirections removed).

    Never raises: an unclosed quote ends the text (its words are split at whitespace), as the shell
    would read them once the quote is closed at the end.
    """
    if len(text) > _LONG:
        return _split_long(text)
    lexer = shlex.shlex(_without_comment(text), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    tokens: list[str] = []
    try:
        for token in lexer:
            tokens.append(token)
    except ValueError:  # no closing quotation: keep what was read, split the rest at whitespace
        tokens += (lexer.token or "").split()
    commands: list[list[str]] = [[]]
    redirect = False
    for token in tokens:
        if redirect:
            redirect = False
            continue
        if token and set(token) <= _OPERATORS | {"<", ">"}:
            if "<" in token or ">" in token:
                redirect = not token.endswith("&") or token == ">&"
                if commands[-1] and commands[-1][-1].isdigit():
                    commands[-1].pop()  # `2>` : the descriptor number is not an argument
            else:
                commands.append([])
            continue
        commands[-1].append(token)
    return [words for words in commands if words]


def _split_long(text: str) -> list[list[str]]:
    """Very long text, split at whitespace and operators with quotes dropped: :mod:`shlex` reads a character at
    a time, too slowly for hostile input; this reading may find more words than the shell would, never fewer."""
    commands = []
    for part in re.split(r"&&|\|\||[;&|()]", text):
        words = [word.strip("'\"") for word in part.split() if not _REDIRECTION.match(word)]
        if words:
            commands.append([word for word in words if word])
    return commands


def _without_comment(text: str) -> str:
    """``text`` up to a shell comment: a ``#`` that starts a word outside quotes (``x#y`` and URLs'
    ``#egg=`` fragments are not comments)."""
    if "#" not in text:
        return text
    quote = ""
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace() or text[index - 1] in ";&|()"):
            return text[:index]
    return text


def install_commands(text: str) -> list[InstallCommand]:
    """Every install command in one shell line (or a ``bash -c`` string within it)."""
    if not MAY_INSTALL.search(text):
        return []
    found: list[InstallCommand] = []
    for words in split_commands(text):
        found += _commands(words, 0)
    return found


def command_of(words: Sequence[str]) -> list[InstallCommand]:
    """The install commands of one simple command given as words (an exec-form ``RUN [...]``)."""
    return _commands(list(words), 0)


def _commands(words: list[str], depth: int) -> list[InstallCommand]:
    if depth > _MAX_DEPTH:
        return []
    words = _unwrapped(words)
    if not words:
        return []
    program = _program(words[0])
    rest = words[1:]
    if program in _SHELLS:
        script = _shell_script(rest)
        if script is None:
            return []
        return [command for simple in split_commands(script) for command in _commands(simple, depth + 1)]
    if program == "eval":
        return [command for simple in split_commands(" ".join(rest)) for command in _commands(simple, depth + 1)]
    if program == "python":
        module = _python_module(rest)
        if module is None:
            return []
        return _commands(module, depth + 1)
    if program == "pip":
        return _pip(words, rest)
    if program == "easy_install":
        return _one(_EASY_INSTALL, words, rest)
    if program == "uv":
        return _uv(words, rest, depth)
    if program == "uvx":
        return _one(_UVX, words, rest)
    if program == "pipx":
        return _subcommand(
            words, rest, {"install": _PIPX_INSTALL, "run": _PIPX_RUN, "inject": _PIPX_INJECT}, runner=None, depth=depth
        )
    if program == "poetry":
        return _subcommand(words, rest, {"add": _POETRY_ADD}, runner="run", depth=depth)
    if program == "pdm":
        return _subcommand(words, rest, {"add": _PDM_ADD}, runner="run", depth=depth)
    if program == "pipenv":
        return _subcommand(words, rest, {"install": _PIPENV_INSTALL}, runner="run", depth=depth)
    if program == "rye":
        return _subcommand(words, rest, {"add": _RYE_ADD}, runner="run", depth=depth)
    if program == "hatch":
        return _subcommand(words, rest, {}, runner="run", depth=depth)
    if program in ("conda", "mamba", "micromamba"):
        grammar = _CONDA_INSTALL
        return _subcommand(words, rest, {"install": grammar, "create": grammar}, runner="run", depth=depth)
    if program in ("sudo", "env", "nice", "timeout", "xvfb-run", "doas"):
        return _commands(_after_wrapper(program, rest), depth + 1)
    return []


def _unwrapped(words: list[str]) -> list[str]:
    """``words`` without prompts, shell keywords and ``VAR=value`` assignments in front."""
    start = 0
    while start < len(words):
        word = words[start]
        if word in _PROMPTS or word in _SHELL_KEYWORDS or re.fullmatch(r"\(?[\w.-]+\)", word):
            start += 1  # `$ pip`, `if pip`, `(venv) pip`
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word, re.DOTALL):
            start += 1
        else:
            break
    words = words[start:]
    if words and words[0][:1] in ("%", "!") and len(words[0]) > 1:
        words = [words[0][1:].lstrip("%"), *words[1:]]  # `%pip`, `!pip` and `%%bash`-style magics
    return words


def _program(word: str) -> str:
    """The program a command word runs: ``/usr/bin/pip3.11`` -> ``pip``, ``$(PYTHON)`` -> ``python``."""
    variable = re.fullmatch(r"\$[({]?([A-Za-z_][A-Za-z0-9_]*)[)}]?", word)
    if variable is not None:
        name = variable.group(1).lower()
        for program in ("pipx", "pip", "uvx", "uv", "poetry", "pdm", "conda", "mamba", "python", "py"):
            if program in name.split("_") or name == program or name.endswith(program):
                return "python" if program == "py" else program
        return ""
    base = re.split(r"[/\\]", word)[-1].lower()
    if base in ("{envpython}", "{env_python}", "{python}"):
        return "python"  # tox's substitutions; `{envbindir}/pip` is split at the slash
    if base.endswith(".exe"):
        base = base[:-4]
    if _PIP.match(base):
        return "pip"
    if _PYTHON.match(base) or base == "python3-dbg":
        return "python"
    if base in ("easy_install", "easy_install-3"):
        return "easy_install"
    return base


def _python_module(words: list[str]) -> list[str] | None:
    """``python [options] -m MODULE args`` as ``[MODULE, args...]``; None when it does not run a module."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "-m" and index + 1 < len(words):
            return words[index + 1 :]
        if word.startswith("-m") and len(word) > 2:
            return [word[2:], *words[index + 1 :]]
        if word in ("-W", "-X", "--check-hash-based-pycs"):
            index += 2
        elif word.startswith("-") and not word.startswith("-c"):
            index += 1  # -I, -E, -s, -u, -B, -3.11 (the py launcher)
        else:
            return None  # a script or -c: not an installer
    return None


def _shell_script(words: list[str]) -> str | None:
    """The script of ``bash [options] -c SCRIPT``, or None."""
    for index, word in enumerate(words):
        if word == "-c" or (word.startswith("-") and not word.startswith("--") and word.endswith("c")):
            return words[index + 1] if index + 1 < len(words) else None
        if not word.startswith("-"):
            return None
    return None


def _after_wrapper(program: str, words: list[str]) -> list[str]:
    """The command a wrapper runs: ``sudo -H -u me CMD``, ``env -i A=1 CMD``, ``timeout 60 CMD``."""
    takes_value = {
        "sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"},
        "doas": {"-u", "-C"},
        "env": {"-u", "-C", "-S"},
        "nice": {"-n"},
        "timeout": {"-k", "-s"},
        "xvfb-run": {"-a", "-n", "-s", "-f", "-e", "-p", "-w"},
    }[program]
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            index += 1
            break
        if word in takes_value:
            index += 2
        elif (
            word.startswith("-")
            or (program == "env" and "=" in word)
            or (program == "timeout" and re.fullmatch(r"[0-9.]+[smhd]?", word))
        ):
            index += 1
        else:
            break
    return words[index:]


def _pip(words: list[str], rest: list[str]) -> list[InstallCommand]:
    """``pip [general options] install ...``."""
    index = _skip_options(rest, _PIP_GENERAL_VALUES, abbreviations=True)
    if index < len(rest) and rest[index] == "install":
        return [_parse(_PIP_INSTALL, words, rest[index + 1 :])]
    return []


def _uv(words: list[str], rest: list[str], depth: int) -> list[InstallCommand]:
    index = _skip_options(rest, _UV_COMMON_VALUES)
    tail = rest[index:]
    if tail[:2] == ["pip", "install"]:
        return [_parse(_UV_PIP_INSTALL, words, tail[2:])]
    if tail[:1] == ["add"]:
        return [_parse(_UV_ADD, words, tail[1:])]
    if tail[:2] == ["tool", "install"]:
        return [_parse(_UV_TOOL_INSTALL, words, tail[2:])]
    if tail[:2] == ["tool", "run"]:
        return [_parse(_UVX, words, tail[2:])]
    if tail[:1] == ["run"]:
        return _runner(words, tail[1:], depth, with_names=True)
    return []


def _one(grammar: _Grammar, words: list[str], rest: list[str]) -> list[InstallCommand]:
    return [_parse(grammar, words, rest)]


def _subcommand(
    words: list[str], rest: list[str], grammars: dict[str, _Grammar], *, runner: str | None, depth: int
) -> list[InstallCommand]:
    """``tool [global options] SUBCOMMAND ...``: an install subcommand, or a runner (``poetry run CMD``)."""
    index = 0
    while index < len(rest) and rest[index].startswith("-"):
        option = rest[index]
        index += 2 if option in ("-C", "--directory", "-P", "--project", "-n", "--name", "-p", "--prefix") else 1
    if index >= len(rest):
        return []
    subcommand = rest[index]
    if subcommand in grammars:
        return [_parse(grammars[subcommand], words, rest[index + 1 :])]
    if runner is not None and subcommand == runner:
        return _runner(words, rest[index + 1 :], depth, with_names=False)
    return []


def _runner(words: list[str], rest: list[str], depth: int, *, with_names: bool) -> list[InstallCommand]:
    """``uv run [--with NAME] CMD ...`` / ``poetry run CMD``: the names ``--with`` adds, and the command run."""
    values = _UV_COMMON_VALUES | _options("-n --name -p --prefix -e --environment")
    named: list[str] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        if word == "--":
            index += 1
            break
        if not word.startswith("-") or word == "-":
            break
        option, has_value, value = word.partition("=")
        if with_names and option == "--with":
            if has_value:
                named.append(value)
            elif index + 1 < len(rest):
                named.append(rest[index + 1])
                index += 1
        elif option in values and not has_value:
            index += 1
        index += 1
    found: list[InstallCommand] = []
    if named:
        arguments = tuple(
            argument
            for word in named
            for part in word.split(",")
            if (argument := requirement_argument(part.strip(), PYPI)) is not None
        )
        found.append(InstallCommand("uv run --with", tuple(words[: len(words) - len(rest) + index]), arguments))
    return found + _commands(rest[index:], depth + 1)


def _skip_options(words: Sequence[str], values: frozenset[str], *, abbreviations: bool = False) -> int:
    """The index of the first word that is not an option (or an option's value)."""
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("-") or word == "-":
            return index
        if word == "--":
            return index + 1
        option = word.partition("=")[0]
        if "=" not in word and (option in values or (abbreviations and _abbreviates(option, values))):
            index += 1
        index += 1
    return index


def _abbreviates(option: str, values: frozenset[str]) -> bool:
    return option.startswith("--") and len(option) > 2 and any(value.startswith(option) for value in values)


def _parse(grammar: _Grammar, words: list[str], arguments: Sequence[str]) -> InstallCommand:
    """Read the arguments of one install subcommand as ``grammar`` says; the requirements it names."""
    found: list[InstallArgument] = []
    positionals = 0
    index = 0
    only_arguments = False
    consumed = len(arguments)
    while index < len(arguments):
        word = arguments[index]
        index += 1
        if not only_arguments and word == "--":
            only_arguments = True
            continue
        if not only_arguments and word.startswith("-") and word != "-":
            value, index = _option_value(grammar, word, arguments, index)
            if value is not None:
                option = _canonical_option(grammar, word)
                if option in grammar.names:
                    argument = requirement_argument(value, grammar.ecosystem, grammar.poetry_versions)
                    if argument is not None:
                        found.append(argument)
            continue
        positionals += 1
        if positionals <= grammar.skip_positionals:
            continue
        argument = requirement_argument(word, grammar.ecosystem, grammar.poetry_versions)
        if argument is not None and not (
            grammar.first_positional_only
            and any(_canonical_option(grammar, item) in ("--from", "--spec") for item in arguments[:index])
        ):
            found.append(argument)
        if grammar.first_positional_only:
            consumed = index
            break
    return InstallCommand(grammar.tool, tuple(words[: len(words) - len(arguments) + consumed]), tuple(found))


def _canonical_option(grammar: _Grammar, word: str) -> str:
    option = word.partition("=")[0]
    if option in grammar.values or not (grammar.abbreviations and option.startswith("--")):
        return option
    matches = [value for value in grammar.values | grammar.flags if value.startswith(option)]
    return matches[0] if len(matches) == 1 else option


def _option_value(grammar: _Grammar, word: str, arguments: Sequence[str], index: int) -> tuple[str | None, int]:
    """The value of the option ``word`` (None for a flag) and the index after it."""
    if word.startswith("--"):
        _, has_value, value = word.partition("=")
        canonical = _canonical_option(grammar, word)
        if canonical not in grammar.values and canonical not in grammar.names:
            return None, index  # a flag, or an option unknown here: never let it swallow a package name
        if has_value:
            return value, index
        return (arguments[index], index + 1) if index < len(arguments) else ("", index)
    for position in range(1, len(word)):  # a short cluster: `-qr FILE`, `-rFILE`, `-Uq`
        if f"-{word[position]}" in grammar.values or f"-{word[position]}" in grammar.names:
            attached = word[position + 1 :]
            if attached:
                return attached.removeprefix("="), index
            return (arguments[index], index + 1) if index < len(arguments) else ("", index)
    return None, index


def requirement_argument(word: str, ecosystem: str = PYPI, at_version: bool = False) -> InstallArgument | None:
    """The package an install argument names, or None for a URL, a path, an archive or dynamic text."""
    text = word.strip()
    if not text or _is_dynamic(text) or _is_location(text):
        return None
    if ecosystem == CONDA:
        match = _CONDA_SPEC.match(text)
        return None if match is None else InstallArgument(match.group("name"), text, CONDA)
    match = _REQUIREMENT_NAME.match(text)
    if match is None or not _AFTER_NAME.match(text, match.end()):
        return None  # not a requirement: the installer would refuse it
    rest = text[match.end() :].lstrip()
    if rest.startswith("@") and not at_version:
        after = rest[1:].strip()
        if after and not re.match(r"[\^~=<>!0-9*]|latest\b", after):
            return None  # `name @ URL`: installed from that URL, not from the index
    return InstallArgument(match.group(), text, PYPI)


def _is_dynamic(text: str) -> bool:
    """Text the shell or a template fills in (``$PKG``, ``$(cat x)``, backquotes, ``{name}``, ``{{ x }}``)."""
    return any(mark in text for mark in ("$", "`", "{", "}"))


def _is_location(text: str) -> bool:
    """A URL, a local path or an archive: pip installs it from there, not from the index by name."""
    if "://" in text or re.match(r"(?i)(?:git|hg|svn|bzr)\+|file:", text):
        return True
    if text.startswith((".", "/", "~", "\\")) or re.match(r"[A-Za-z]:[\\/]", text):
        return True
    head = re.split(r"[\[<>=!~;@ ]", text, maxsplit=1)[0]
    return "/" in head or "\\" in head or bool(_ARCHIVE.search(head))


def iter_arguments(commands: Sequence[InstallCommand]) -> Iterator[tuple[InstallCommand, InstallArgument]]:
    for command in commands:
        for argument in command.arguments:
            yield command, argument
