"""tox: the ``deps`` of every test environment (``tox.ini``, ``[tool.tox]`` in ``pyproject.toml``, ``tox.toml``).

tox installs an environment's ``deps`` before it runs the tests, so what they
name is declared for the project, as a development dependency (see
:mod:`.roles`). Read like tox reads them, without running tox:

- ``tox.ini`` (and ``[tool.tox] legacy_tox_ini``): ``deps`` of ``[testenv]`` and
  every ``[testenv:NAME]``, one requirement per line, with pip's ``-r``/``-c``/
  ``-e`` lines (relative to the file, ``{toxinidir}``/``{tox_root}`` allowed);
  factor-conditional lines (``py3: pytest``, ``!pypy,py{38,39}: mock``) count
  whatever the factors, since some environment installs them; ``{[section]key}``
  substitutions are expanded (a cycle is a problem); ``{env:NAME:default}`` gives
  its default.
- TOML (tox 4, ``[tool.tox]`` tables or ``tox.toml``): ``deps`` of
  ``env_run_base``, ``env_pkg_base`` and every ``env.NAME``. Items may be
  ``{replace = "ref", ...}`` tables: they copy another environment's ``deps``,
  which are read anyway.

A line that names its distribution only through something computed
(``{env:PKG}``, ``{posargs}``) declares nothing; the ``-v`` output says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hallucheck.lazy import LazyPattern
from hallucheck.manifests.reading import ManifestReader
from hallucheck.sources.ini import Values, scan

_REFERENCE = LazyPattern(r"\{\[(?P<section>[^\]]+)\](?P<key>[\w-]+)\}")
_FACTORS = LazyPattern(r"^(?P<factors>[!\w{},.-]+(?:\s*,\s*[!\w{},.-]+)*)\s*:(?!//)\s*(?P<rest>.*)$")
_TOX_ROOT = LazyPattern(r"\{(?:toxinidir|tox_root)\}(?:[/\\]+|$)")
_ENV_DEFAULT = LazyPattern(r"\{env:[^:{}]+:(?P<default>[^{}]*)\}")
_PLACEHOLDER = LazyPattern(r"\{[^{}]*\}")
_NAME = LazyPattern(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[^\]]*\])?")
_COMMENT = LazyPattern(r"(^|\s+)#.*$")
_INI_ENVIRONMENT = LazyPattern(r"^testenv(?::.*)?$")
_TOML_BASES = ("env_run_base", "env_pkg_base")
_MAX_SUBSTITUTION_DEPTH = 50


def read(reader: ManifestReader, path: str) -> None:
    """Read ``tox.ini`` or ``tox.toml`` at ``path`` into ``reader``."""
    if path.endswith(".toml"):
        loaded = reader.toml(path)
        if loaded is not None:
            read_toml_config(reader, path, loaded[1])
        return
    text = reader.text(path)
    if text is not None:
        read_ini(reader, path, text)


def read_ini(reader: ManifestReader, path: str, text: str, first_line: int = 1) -> None:
    """Read tox's INI configuration ``text`` (which starts at ``first_line`` of ``path``)."""
    values = scan(text)
    offset = first_line - 1
    expanded: set[tuple[str, str]] = set()
    with reader.development_declarations():
        for (section, key), _ in sorted(values.items()):
            if key == "deps" and _INI_ENVIRONMENT.match(section):
                for line, content in _expand(reader, path, values, (section, key), (), expanded):
                    _requirement_line(reader, path, line + offset, content)


def read_pyproject(reader: ManifestReader, path: str, document: dict[str, Any], key_line: int) -> None:
    """``[tool.tox]`` of a ``pyproject.toml``: a ``legacy_tox_ini`` string, or tox 4's native tables.

    ``key_line`` is the line of ``legacy_tox_ini`` (its text starts on the next line when the
    string opens with a newline, which TOML drops).
    """
    settings = document.get("tool", {}).get("tox")
    if not isinstance(settings, dict):
        return
    legacy = settings.get("legacy_tox_ini")
    if isinstance(legacy, str):
        read_ini(reader, path, legacy, key_line)
    read_toml_config(reader, path, settings)


def read_toml_config(reader: ManifestReader, path: str, settings: dict[str, Any]) -> None:
    """tox 4's TOML tables: ``deps`` of the base tables and of every ``env.NAME``."""
    lines = _StringLines((reader.snapshot.read(path) or b"").decode("utf-8", "replace"))
    with reader.development_declarations():
        for table in _toml_environments(settings):
            deps = table.get("deps")
            if deps is None:
                continue
            if not isinstance(deps, list):
                reader.problem(path, 1, "tox `deps` must be a list of requirement strings")
                continue
            for item in deps:
                if isinstance(item, str):
                    _requirement_line(reader, path, lines.line_of(item), item)
                elif not (isinstance(item, dict) and item.get("replace") == "ref"):
                    reader.note(path, 1, f"tox deps item {item!r} is computed by tox; it declares nothing here")


def _toml_environments(settings: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for name in _TOML_BASES:
        if isinstance(settings.get(name), dict):
            yield settings[name]
    environments = settings.get("env")
    if isinstance(environments, dict):
        yield from (table for table in environments.values() if isinstance(table, dict))


class _StringLines:
    """The first line of each string written between quotes in a TOML text (double quotes first), found in one
    pass: looking each of n ``deps`` up in the whole text cost n times its length."""

    def __init__(self, text: str) -> None:
        self.first: tuple[dict[str, int], dict[str, int]] = ({}, {})
        for found, quote in zip(self.first, ('"', "'"), strict=True):
            line, counted = 1, 0
            for match in re.finditer(f"{quote}([^{quote}\n]*){quote}", text):
                line += text.count("\n", counted, match.start())
                counted = match.start()
                found.setdefault(match.group(1), line)

    def line_of(self, literal: str) -> int:
        """The first line holding ``literal`` as a TOML string (1 when it cannot be found)."""
        return next((found[literal] for found in self.first if literal in found), 1)


def _expand(
    reader: ManifestReader, path: str, values: Values, key: tuple[str, str], stack: tuple[tuple[str, str], ...],
    expanded: set[tuple[str, str]],
) -> Iterator[tuple[int, str]]:
    """The lines of ``values[key]`` with ``{[section]key}`` references replaced by the lines they name, except
    the lines of keys already in ``expanded`` (each key's lines are read once: a line declares the same wherever
    it is referred to, and ``{[a]deps}`` twice in each of 30 sections is 2**30 expansions otherwise)."""
    if len(stack) > _MAX_SUBSTITUTION_DEPTH:
        reader.problem(path, values[key][0][0] if values.get(key) else 1, "tox substitutions nest too deeply")
        return
    if key in stack:
        chain = " -> ".join(f"[{section}]{name}" for section, name in (*stack[stack.index(key) :], key))
        line = values[stack[-1]][0][0] if values.get(stack[-1]) else 1
        reader.problem(path, line, f"tox substitutions refer to each other: {chain}")
        return
    if key in expanded:
        return
    expanded.add(key)
    for line, raw in _logical_lines(values.get(key, [])):
        for match in _REFERENCE.finditer(raw):
            yield from _expand(reader, path, values, (match.group("section"), match.group("key")), (*stack, key),
                               expanded)
        remaining = _REFERENCE.sub("", raw)
        if remaining.strip():
            yield line, remaining.strip()


def _logical_lines(lines: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Lines without comments, backslash continuations joined (tox 3 syntax)."""
    pending, start = "", 0
    for number, raw in lines:
        text = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        pending += text
        if pending.strip():
            yield start, pending.strip()
        pending = ""
    if pending.strip():
        yield start, pending.strip()


def _requirement_line(reader: ManifestReader, path: str, line: int, content: str) -> None:
    """One line of ``deps``: factors dropped, tox substitutions applied, then read as pip reads it."""
    from hallucheck.manifests.requirements import read_line

    content = _ENV_DEFAULT.sub(lambda match: match.group("default"), _TOX_ROOT.sub("./", content)).strip()
    conditional = _FACTORS.match(content)
    if conditional is not None and not conditional.group("factors").startswith("-"):
        content = conditional.group("rest")
    if not content:
        return
    if _PLACEHOLDER.search(content):
        named = _NAME.match(content)
        placeholder = _PLACEHOLDER.search(content)
        if content.startswith("-") or named is None or (placeholder and placeholder.start() < named.end()):
            reader.note(path, line, f"tox deps line {content!r} is computed by tox; it declares nothing here")
            return
        content = named.group(0)  # `django{env:DJANGO_SPEC:}`: the name is literal, the version is not
    read_line(reader, path, line, content)
