"""Whether text may name an installer or an install verb: the cheap tests that decide whether a file is read
for install commands at all (:func:`may_install`).

Kept apart from :mod:`.install_commands` (the reader, costly to import) so that a commit whose files name no
installer is decided without loading the readers. Everything here is pure: text in, a yes or no out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hallucheck.lazy import LazyPattern

MAY_INSTALL = LazyPattern(
    r"(?i)(?:(?<![\w-])|(?<=-)(?<![^\s@+]-)|-m)(?:pip[0-9.]*|pip-sync|pip-compile|pip-run|uvx?|pipx|poetry|pdm|conda|mamba"
    r"|micromamba|pipenv|rye|easy_install|pixi|hatch|mim|fades)(?![\w-])|(?<![\w-])(?:pip|uv|pipx)(?=\.(?:__main__|_internal|cli|main)\b)|(?<![\w])(?:PIP|UV)_(?:INDEX|EXTRA_INDEX|DEFAULT_INDEX|FIND_LINKS"
    r"|TRUSTED_HOST|NO_INDEX|INSECURE_HOST|CONFIG_FILE)"
)
"""A cheap test for text that names an installer (every command recognised by name matches it); also after
a ``-`` that starts a word (a Makefile recipe's ``-pip install x`` ignores the command's errors); or text that
sets where installers fetch packages from (``PIP_INDEX_URL``: :mod:`.index_settings`)."""

_VERB = LazyPattern(r"(?i)(?<![\w-])(?:install|add|download|wheel|runpip|inject)(?![\w-])")
_DISGUISE = LazyPattern(r"[\"'\\{}$`]")
_DISGUISE_PARTS = LazyPattern(r"[\"'\\{}(),`]|\$\{?")
_SEPARATORS = LazyPattern(r"[,+\[\]]")
_JOINTS = LazyPattern(r"[\"']\s*\+\s*\\?[\"']")

_TOX_INSTALL = LazyPattern(r"\btox\b[\s\S]{0,400}?(?:--force-dep|\bdeps\+?=)")
"""tox's command line adding dependencies: ``--force-dep REQ``, ``-x testenv.deps+=REQ`` (attack F4)."""

def may_install(text: str, *, runs: bool = True) -> bool:
    """Whether ``text`` may hold an install command, even one disguised from a plain search (``pi""p``,
    ``$'\\x70ip' install``, ``$(echo pip) install``, ``.venv/bin/pi?``): an installer's name, or quotes, escapes
    or expansions together with an installer's name or an install verb once they are taken out; with ``runs``,
    also text a shell or an interpreter runs after computing it (``| sh``, ``eval``, ``exec(``). Cheap; never
    False for text :func:`install_commands` finds a command in."""
    if names_installer(text):
        return True
    if "tox" in text and _TOX_INSTALL.search(text):  # `tox --force-dep x`, `tox -x testenv.deps=x`
        return True
    if _GLOB_CHARS.search(text) and _may_glob_installer(text):
        return True
    if runs and _runs_text(text):
        return True
    if not _DISGUISE.search(text):
        return False
    if "$'" in text and "\\" in text:  # `$'\x70ip' $'\x69nstall'`: ANSI-C escapes may spell any word
        return True
    plain = _DISGUISE_PARTS.sub("", text)
    if names_installer(plain) or _names_verb(plain):
        return True
    spaced = _DISGUISE_PARTS.sub("", _SEPARATORS.sub(" ", _JOINTS.sub("", text)))  # `['u'+'vx','x']` in Python
    return names_installer(spaced) or _names_verb(spaced)


_INSTALLER_STARTS = ("pip", "uv", "poetry", "pdm", "conda", "mamba", "micromamba", "rye", "easy_install", "pixi",
                     "hatch", "mim", "fades")
"""How every match of :data:`MAY_INSTALL` starts, in lower case (after ``-m``, which the match may begin with)."""
_VERB_STARTS = ("install", "add", "download", "wheel", "runpip", "inject")
"""How every match of :data:`_VERB` starts, in lower case."""


def names_installer(text: str) -> bool:
    """``MAY_INSTALL.search(text) is not None``, tried only where an installer's name starts."""
    return _search_at_words(MAY_INSTALL, text, _INSTALLER_STARTS, "-m")


def _names_verb(text: str) -> bool:
    return _search_at_words(_VERB, text, _VERB_STARTS, "")


def _search_at_words(pattern: LazyPattern[str], text: str, starts: Sequence[str], prefix: str) -> bool:
    """Whether ``pattern`` (ignoring case) matches somewhere in ``text``, where each of its matches begins with
    one of ``starts`` (lower case), or with ``prefix`` right before one. A search tries the pattern's lookbehinds
    at every offset of the text (a project's megabyte of recorded HTTP responses took 0.7 s); ``str.find`` on the
    text's lower case finds the only offsets where it can match, and the pattern decides there."""
    lowered = _case_folded(text)
    match = pattern.match
    size = len(prefix)
    for word in starts:
        start = lowered.find(word)
        while start != -1:
            if match(text, start):
                return True
            if size and start >= size and lowered.startswith(prefix, start - size) and match(text, start - size):
                return True
            start = lowered.find(word, start + 1)
    return False


_ASCII_FOLDS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
"""The characters other than ASCII letters that a case-insensitive pattern matches with an ASCII letter (capital I
with a dot, dotless i, long s, the Kelvin sign: every other character was tried); the capital I with a dot is also
the one character whose lower case is longer than itself."""


def _case_folded(text: str) -> str:
    """``text`` in lower case, offset for offset, with :data:`_ASCII_FOLDS` written as their ASCII letters: where a
    case-insensitive pattern matches an ASCII word, this text holds the word."""
    if not text.isascii():
        for char, letter in _ASCII_FOLDS:
            if char in text:
                text = text.replace(char, letter)
    return text.lower()


_RUNS_TEXT = LazyPattern(
    r"\|&?[ \t]*(?:(?:sudo|doas|exec|command|env)[ \t]+(?:-\S+[ \t]+)*)?(?:[\w./-]*/)?(?:sh|bash|zsh|dash|ksh|ash"
    r"|mksh|fish|python[0-9.]*|pypy[0-9.]*|source|eval|\.)(?![\w.-])"
    r"|(?<![\w.-])(?:eval|source|\.|sh|bash|zsh|dash|ksh)[ \t][^\n]*?(?:\$\(|`|<\()"
    r"|(?<![\w.])(?:exec|eval|compile)\s*\("
)
"""Text that runs text it computes (``... | base64 -d | sh``, ``eval "$(...)"``, ``sh <(...)``, ``| python``,
``exec(bytes.fromhex(...))``): the reader decides whether that text is computed from the command's own words."""
_RUNS_STARTS = ("|", "eval", "source", ".", "sh", "bash", "zsh", "dash", "ksh", "exec", "compile")
"""How every match of :data:`_RUNS_TEXT` starts."""


def _runs_text(text: str) -> bool:
    """``_RUNS_TEXT.search(text) is not None``, tried only where a match can start."""
    return _search_at_words(_RUNS_TEXT, text, _RUNS_STARTS, "")


_BASE_STOPS = frozenset(" \t\n\r\f\v;&|()<>'\"`=/\\")
"""Characters that end a file name in a shell word (a separator, a quote, a directory)."""
_BASE_AFTER = LazyPattern(r"[^\s;&|()<>'\"`=/\\]{0,65}")
_LETTER = LazyPattern(r"[A-Za-z]")


def _may_glob_installer(text: str) -> bool:
    """Whether ``text`` holds a word with glob characters that the shell may expand to an installer's name
    (``.venv/bin/pi?``, ``u[v]``, ``*vx``). A glob that starts with one (``*ip``, also Markdown's ``**Tip**``)
    counts only together with an install verb, or when it may name ``uvx`` (which runs its package without
    one, ``*x``). Shells and wrappers are not asked for: what they run names an installer of its own. Each
    file name is read once, at most 65 characters (no installer's name is longer)."""
    verb: bool | None = None
    done = -1
    for found in _GLOB_CHARS.finditer(text):
        at = found.start()
        if at < done:
            continue  # another glob character of a name already read
        start, limit = at, max(at - 65, 0)
        while start > limit and text[start - 1] not in _BASE_STOPS:
            start -= 1
        end = _BASE_AFTER.match(text, at).end()  # type: ignore[union-attr]
        done = end
        if at - start >= 65 or end - at >= 65:
            continue
        base = text[start:end]
        programs = glob_programs(base, installers_only=True)
        if not programs:
            continue
        if not _GLOB_CHARS.match(base) or "uvx" in programs:
            return True
        if verb is None:
            verb = _names_verb(text)
        if verb:
            return True
    return False


_GLOB_CHARS = LazyPattern(r"[*?\[]")
_GLOB_NAMES = (
    "pip pipx pip-run pip-sync uv uvx poetry pdm conda mamba micromamba pipenv rye hatch pixi easy_install mim "
    "fades pip2 pip2.7 pip3 pip3.6 pip3.7 pip3.8 pip3.9 pip3.10 pip3.11 pip3.12 pip3.13 pip3.14 pip3.15 "
    "python python2 python2.7 python3 python3.6 python3.7 python3.8 python3.9 python3.10 python3.11 python3.12 "
    "python3.13 python3.14 python3.15 py pypy pypy3 sh bash zsh dash ksh ash mksh busybox sudo doas env xargs su eval"
)
"""The file names a glob in a command word (``.venv/bin/pi?``) is matched against, one a line: installers,
the shells and wrappers that run them (as they are spelled in a venv's or a system's ``bin``)."""


_BRACKETS = LazyPattern(r"\[[^\]]*\]")
_GLOB_INSTALLERS = 31
"""The first names of :data:`_GLOB_NAMES` are installers run by their own name (then pip's versioned names,
Python, shells, wrappers)."""


def glob_programs(pattern: str, *, installers_only: bool = False) -> tuple[str, ...]:
    """The programs hallucheck reads whose file name the shell glob ``pattern`` matches (``pi?``, ``pi[p]``,
    ``u[v]`` -> pip or uv; ``pi*`` -> pip, pip-run, pip-sync, pipenv, pipx), as :func:`_program` names them
    (``installers_only``: not Python, the shells and the wrappers). Letter case is ignored (a case-insensitive
    file system matches ``PI?`` too)."""
    if len(pattern) > 64 or not _LETTER.search(_BRACKETS.sub("", pattern)):
        return ()  # `*`, `??`, `[pu]*`: a bullet, a product or the directory's first file, no program chosen
    return _glob_programs(pattern.lower().replace("[^", "[!"), installers_only)  # bash negates with `^` too


@functools.lru_cache(maxsize=4096)
def _glob_programs(glob: str, installers_only: bool) -> tuple[str, ...]:
    import fnmatch

    names = _GLOB_NAMES.split()
    if installers_only:
        names = names[:_GLOB_INSTALLERS]
    first, last = glob[:1], glob[-1:]
    names = [name for name in names if (first in "*?[" or name[0] == first) and (last in "*?]" or name[-1] == last)
             and fnmatch.fnmatchcase(name, glob)]
    return tuple(dict.fromkeys(program_named(name) or name for name in names))


_PYTHON = LazyPattern(r"^(?:python|pypy|py)(?:[0-9][0-9.]*)?(?:w)?(?:\.exe)?$")
_PIP = LazyPattern(r"^pip(?:[0-9][0-9.]*)?(?:\.exe)?$")


def program_named(base: str) -> str:
    """The program a file name (lower case, no directory) runs: ``pip3.11`` and ``pip.exe`` -> ``pip``,
    ``python3`` -> ``python``, ``easy_install-3`` -> ``easy_install``; any other name is its own program."""
    if base.endswith(".exe"):
        base = base[:-4]
    if _PIP.match(base):
        return "pip"
    if _PYTHON.match(base) or base == "python3-dbg":
        return "python"
    if base in ("easy_install", "easy_install-3"):
        return "easy_install"
    return base
