"""tox's substitutions in the commands it runs, replaced as tox replaces them before it runs a command.

tox expands ``{...}`` in ``commands`` (``tox.ini``, ``legacy_tox_ini``, the strings of ``tox.toml``):

- ``{posargs:DEFAULT}`` and ``{env:KEY:DEFAULT}`` give ``DEFAULT`` on a plain ``tox`` run (what the file says
  runs); without a default, the value is known only when tox runs;
- ``{[section]key}`` is the text of another section's key (the lines of a multi-line value are commands too);
- ``{envpython}``, ``{envbindir}`` and the other directory names are paths tox chooses.

In ``tox.toml`` a word of a command may be a table: ``{replace = "posargs", default = [...]}`` or
``{replace = "env", name = "KEY", default = "..."}`` give their default, other tables are known only at run
time. A value known only at run time is never read as a package name: the caller puts a placeholder in its
place (attack H1: ``pip install {posargs:huggingface-cli}`` installs ``huggingface-cli`` on a plain run).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Sections = Mapping[tuple[str, str], Sequence[tuple[int, str]]]
"""The INI values of a tox file: (section, key) -> its (line, text) pieces (:func:`hallucheck.sources.ini.scan`)."""
Unknown = Callable[[str], str]
"""Gives the placeholder that stands for a substitution (the text written) whose value is known only at run time."""

_PATHS = {
    "envpython": "python", "env_python": "python", "basepython": "python", "base_python": "python",
    "envbindir": ".tox/env/bin", "env_bin_dir": ".tox/env/bin", "envdir": ".tox/env", "env_dir": ".tox/env",
    "envsitepackagesdir": ".tox/env/site", "env_site_packages_dir": ".tox/env/site", "envtmpdir": ".tox/env/tmp",
    "env_tmp_dir": ".tox/env/tmp", "envlogdir": ".tox/env/log", "env_log_dir": ".tox/env/log", "toxinidir": ".",
    "tox_root": ".", "toxworkdir": ".tox", "work_dir": ".tox", "temp_dir": ".tox/.tmp", "envname": "env",
    "env_name": "env", "homedir": "~", "/": "/", ":": ":", "opts": "", "packages": "",
}  # fmt: skip
"""Substitutions whose value is a path or name tox chooses: a plain stand-in that reads the same to an installer
(``{envpython} -m pip`` runs pip, ``{envbindir}/pip`` is pip). ``{opts} {packages}`` of ``install_command`` are
pip's options and the environment's ``deps``, which the manifest reader reads as declarations."""
_MAX_DEPTH = 10
_MAX_LENGTH = 20_000
"""Past this depth of nested substitutions or this length of expanded text, what is left is known only at run
time (``{[a]x}`` written twice in ``[b]x``, ``[b]x`` twice in ``[c]x``... doubles at each level)."""


def substitute(text: str, sections: Sections, unknown: Unknown) -> str:
    """``text`` with every tox substitution replaced by its value, or by ``unknown(written)`` when its value is
    known only when tox runs. ``\\{`` stays as written (tox's escape)."""
    return _Expander(sections, unknown).expand(text, 0)


def toml_words(command: Sequence[Any], unknown: Unknown) -> list[str]:
    """The words of one ``tox.toml`` command (a list of strings and ``{replace = ...}`` tables), with string
    substitutions replaced as in :func:`substitute` and each table replaced by its default's words."""
    expander = _Expander({}, unknown)
    words: list[str] = []
    for word in command:
        if isinstance(word, str):
            words.append(expander.expand(word, 0))
        elif isinstance(word, dict):
            words += _table_words(word, expander)
        else:
            words.append(unknown(repr(word)))
    return words


def _table_words(table: dict[str, Any], expander: _Expander) -> list[str]:
    default = table.get("default")
    if table.get("replace") in ("posargs", "env") and default is not None:
        values = default if isinstance(default, list) else [default]
        if all(isinstance(value, str) for value in values):
            return [expander.expand(value, 0) for value in values]
    return [expander.unknown(repr(table))]


class _Expander:
    def __init__(self, sections: Sections, unknown: Unknown) -> None:
        self.sections = sections
        self.unknown = unknown
        self.length = 0
        self.referring: list[tuple[str, str]] = []

    def expand(self, text: str, depth: int) -> str:
        if "{" not in text:
            return text
        parts: list[str] = []
        index = 0
        while index < len(text):
            start = text.find("{", index)
            if start < 0:
                break
            if start > 0 and text[start - 1] in "\\$":  # tox's escape; a shell's `${X}`, which tox leaves
                parts.append(text[index:start + 1])
                index = start + 1
                continue
            end = _closing(text, start)
            if end < 0:
                break
            parts += [text[index:start], self._value(text[start:end + 1], depth)]
            index = end + 1
        parts.append(text[index:])
        return "".join(parts)

    def _value(self, written: str, depth: int) -> str:
        inner = written[1:-1]
        if depth >= _MAX_DEPTH or self.length > _MAX_LENGTH:
            return self.unknown(written)
        if inner in _PATHS:
            return _PATHS[inner]
        kind, _, rest = inner.partition(":")
        if kind == "posargs" and _:
            return self._counted(self.expand(rest, depth + 1))
        if kind == "env":
            name, colon, default = rest.partition(":")
            return self._counted(self.expand(default, depth + 1)) if colon and name else self.unknown(written)
        if inner.startswith("[") and "]" in inner:
            section, _, key = inner[1:].partition("]")
            reference = (section.strip(), key.strip())
            pieces = self.sections.get(reference)
            if pieces is None or reference in self.referring:  # tox refuses a cycle
                return self.unknown(written)
            self.referring.append(reference)
            value = self.expand("\n".join(piece for _, piece in pieces), depth + 1)
            self.referring.pop()
            return self._counted(value)
        if kind.isidentifier():
            return self.unknown(written)
        return written  # not a substitution tox knows (a shell brace, `{a,b}`): left as written

    def _counted(self, value: str) -> str:
        self.length += len(value)
        return value


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``start`` (substitutions nest in defaults), or -1."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1
