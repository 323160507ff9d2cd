"""nox: what ``noxfile.py`` sessions install, read statically with :mod:`ast` (the file is never run).

Declared, as development dependencies (see :mod:`.roles`): the literal
arguments of ``session.install(...)``, ``session.run_install(...)``,
``session.conda_install(...)`` (conda names) and of ``session.run("pip",
"install", ...)`` (also ``python -m pip install`` and ``uv pip install``), read
the way pip reads a command line: ``-r FILE`` / ``-c FILE`` / ``-e TARGET``,
local paths such as ``.[test]``, requirements. A name bound once at module level
to a string or a list/tuple of strings (``session.install(*DOCS_DEPS)``) is
followed. Anything else — f-strings, calls, names bound in a function — is
computed by nox at run time: it declares nothing, and ``-v`` says so.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterator

from hallucheck.manifests.reading import ManifestReader

_INSTALL_METHODS = frozenset({"install", "run_install", "conda_install"})
_PIP_COMMANDS = (("pip", "install"), ("python", "-m", "pip", "install"), ("uv", "pip", "install"),
                 ("python3", "-m", "pip", "install"))  # fmt: skip
_FILE_OPTIONS = {"-r": "--requirement", "--requirement": "--requirement", "-c": "--constraint",
                 "--constraint": "--constraint", "-e": "--editable", "--editable": "--editable"}  # fmt: skip
_VALUE_OPTIONS = frozenset({
    "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-binary", "--only-binary", "-t",
    "--target", "--prefix", "--root", "--python-version", "--platform", "--implementation", "--abi",
    "--trusted-host", "--config-settings", "-C", "--progress-bar", "--upgrade-strategy", "--src",
    "--python", "-p",
})  # fmt: skip

Argument = tuple[int, str | None]
"""A call argument: its line, and its text when it is a literal string (None when computed)."""


def read(reader: ManifestReader, path: str) -> None:
    """Read what the sessions of the ``noxfile.py`` at ``path`` install into ``reader``."""
    text = reader.text(path)
    if text is None:
        return
    try:
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        line = getattr(error, "lineno", None) or 1
        reader.note(path, line, f"{path} does not parse ({type(error).__name__}); its sessions declare nothing")
        return
    constants = _module_constants(tree)
    with reader.development_declarations():
        for call, method in _install_calls(tree):
            arguments: list[Argument] | None = list(_arguments(call, constants))
            if method == "run":
                arguments = _after_pip_install(arguments or [])
            if arguments is None:
                continue
            if method == "conda_install":
                _conda(reader, path, arguments)
            else:
                _pip_arguments(reader, path, arguments)


def _install_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """``X.install(...)``-like calls anywhere in the file, with the method name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in _INSTALL_METHODS or name == "run":
                yield node, name


def _module_constants(tree: ast.Module) -> dict[str, list[Argument]]:
    """Names bound once at module level to a string or a list/tuple of strings."""
    bound: dict[str, list[Argument] | None] = {}
    for statement in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                literal = _literal_strings(value)
                bound[target.id] = None if target.id in bound else literal
    return {name: value for name, value in bound.items() if value is not None}


def _literal_strings(value: ast.expr) -> list[Argument] | None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [(value.lineno, value.value)]
    if isinstance(value, ast.List | ast.Tuple):
        items = [_literal_strings(item) for item in value.elts]
        if all(item is not None and len(item) == 1 for item in items):
            return [item[0] for item in items if item]
    return None


def _arguments(call: ast.Call, constants: dict[str, list[Argument]]) -> Iterator[Argument]:
    for argument in call.args:
        inner = argument.value if isinstance(argument, ast.Starred) else argument
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            yield inner.lineno, inner.value
        elif isinstance(inner, ast.Name) and inner.id in constants:
            yield from ((argument.lineno, text) for _, text in constants[inner.id])
        elif isinstance(inner, ast.List | ast.Tuple) and (literal := _literal_strings(inner)) is not None:
            yield from literal
        else:
            yield argument.lineno, None


def _after_pip_install(arguments: list[Argument]) -> list[Argument] | None:
    """The arguments after ``pip install`` in ``session.run(...)``; None when it runs something else."""
    words = [text for _, text in arguments]
    for command in _PIP_COMMANDS:
        if tuple(words[: len(command)]) == command:
            return arguments[len(command) :]
    return None


def _pip_arguments(reader: ManifestReader, path: str, arguments: list[Argument]) -> None:
    """pip's command-line arguments, one requirement or option (with its value) at a time."""
    from hallucheck.manifests.requirements import read_line

    index = 0
    while index < len(arguments):
        line, text = arguments[index]
        index += 1
        if text is None:
            reader.note(path, line, "a computed argument of a nox install call declares nothing")
            continue
        text = text.strip()
        if not text.startswith("-"):
            if text:
                read_line(reader, path, line, text)
            continue
        option, equals, value = text.partition("=")
        short = option[:2] if not option.startswith("--") else option
        if short in _FILE_OPTIONS and not equals:
            value = option[2:] if short != option and len(option) > 2 else ""
            option = short
        if _FILE_OPTIONS.get(option):
            if not value and index < len(arguments):
                value = arguments[index][1] or ""
                index += 1
            if value:
                read_line(reader, path, line, f"{_FILE_OPTIONS[option]} {shlex.quote(value)}")
        elif option in _VALUE_OPTIONS and not equals:
            index += 1


def _conda(reader: ManifestReader, path: str, arguments: list[Argument]) -> None:
    from hallucheck.manifests.conda import conda_spec

    skip_next = False
    for line, text in arguments:
        if skip_next:
            skip_next = False
            continue
        if text is None:
            reader.note(path, line, "a computed argument of a nox install call declares nothing")
        elif text.startswith("-"):
            skip_next = text in ("-c", "--channel")
        elif text.strip():
            conda_spec(reader, path, text.strip(), line)
