"""pip requirements files (``requirements*.txt``, ``requirements/**/*.txt``, pip-tools ``*.in``).

Read the way pip reads them: comments (``#`` at the start or after
whitespace), backslash continuations, ``-r``/``--requirement`` includes
resolved inside the same snapshot relative to the including file (a missing
or cyclic include is a problem), ``-c`` constraints (they pin, they do not
declare, so they are not read), ``-e``/local paths (first-party code; the
distribution name comes from ``#egg=``, a wheel or sdist file name, or the
local ``pyproject.toml``), ``name @ url``, per-requirement options such as
``--hash``, environment markers, extras and option lines. Options that choose where packages come from
(``-i``, ``--extra-index-url``, ``-f``, ``--trusted-host``, ``--no-index``; in a ``-c`` constraints file too)
apply to every requirement of the file and of its include tree: they are recorded as
source options (:class:`~hallucheck.manifests.SourceOption`, :mod:`.sources`). An unknown option,
like a line that is no requirement, is a problem: pip would refuse the file.
A file named for development (``requirements-dev.txt``, ``requirements/test.txt``)
declares development dependencies (:mod:`.roles`).
"""

from __future__ import annotations

import posixpath
import shlex

from hallucheck.lazy import LazyPattern
from hallucheck.manifests.names import canonical_name, name_of_file
from hallucheck.manifests.reading import ManifestReader, resolve_path

_COMMENT = LazyPattern(r"(^|\s+)#.*$")
_SCHEME = LazyPattern(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NAMED = LazyPattern(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")
_EGG = LazyPattern(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRAS = LazyPattern(r"\[[^\]]*\]$")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar")

_SHORT = {
    "-r": "--requirement",
    "-c": "--constraint",
    "-e": "--editable",
    "-i": "--index-url",
    "-f": "--find-links",
}
_WITH_VALUE = {
    "--requirement", "--constraint", "--editable", "--index-url", "--extra-index-url", "--find-links",
    "--no-binary", "--only-binary", "--trusted-host", "--use-feature",
}  # fmt: skip
_FLAGS = {"--no-index", "--prefer-binary", "--require-hashes", "--pre"}
_PER_REQUIREMENT = {"--hash", "--global-option", "--config-settings", "--install-option"}
_SOURCE = ("--index-url", "--extra-index-url", "--find-links", "--trusted-host", "--no-index")
MAX_INCLUDE_DEPTH = 50
"""Deeper ``-r`` chains are refused (each level costs stack; real projects nest two or three)."""


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with comments removed and backslash continuations joined, each with its first line number."""
    joined: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            joined.append((start, pending.strip()))
        pending = ""
    if pending.strip():
        joined.append((start, pending.strip()))
    return joined


def read(reader: ManifestReader, path: str) -> None:
    """Read the requirements file at ``path`` (and what it includes) into ``reader``."""
    read_requirements_file(reader, path)


def read_requirements_file(
    reader: ManifestReader, path: str, *, origin: tuple[str, int] | None = None, stack: tuple[str, ...] = ()
) -> None:
    """Read ``path``; ``origin`` is the line that included it, ``stack`` the chain of includes so far."""
    if path in stack:
        chain = " -> ".join((*stack[stack.index(path) :], path))
        where = origin or (path, 1)
        reader.problem(where[0], where[1], f"requirements files include each other: {chain}")
        return
    if len(stack) >= MAX_INCLUDE_DEPTH:
        where = origin or (path, 1)
        reader.problem(where[0], where[1], f"`-r` includes nest more than {MAX_INCLUDE_DEPTH} files deep")
        return
    if reader.snapshot.read(path) is None:
        if origin is not None:
            reader.problem(origin[0], origin[1], f"included file {path} does not exist in {reader.snapshot.label}")
        return
    if origin is not None:
        reader.declared.included_from.setdefault(path, origin)
    development = reader.development or is_development_requirements(path)
    # Read once for each role: a file a test requirements file includes (`-r extras/gevent.txt`) is still a
    # runtime one when the project reads it on its own (celery's setup.py reads requirements/extras/ into
    # extras_require), whichever comes first.
    if (path, False) in reader.requirement_files_done or (path, development) in reader.requirement_files_done:
        return
    if not development and (path, True) in reader.requirement_files_done:  # read again as runtime: drop the
        for places in reader.declared.dependencies.values():              # development copies
            places[:] = [place for place in places if not (place.path == path and place.development)]
    reader.requirement_files_done.add((path, development))
    text = reader.text(path)
    if text is None:
        return
    with reader.development_declarations(is_development_requirements(path)):
        for line, content in logical_lines(text):
            read_line(reader, path, line, content, (*stack, path))


def is_development_requirements(path: str) -> bool:
    """Whether the requirements file ``path`` is named for development (``requirements-dev.txt``,
    ``requirements/test/base.txt``): by its name and the folders from ``requirements/`` down."""
    from hallucheck.manifests import REQUIREMENTS_DIRECTORY
    from hallucheck.manifests.roles import is_development_name

    parts = path.split("/")
    named = parts[parts.index(REQUIREMENTS_DIRECTORY) + 1 :] if REQUIREMENTS_DIRECTORY in parts[:-1] else parts[-1:]
    return is_development_name("/".join(named).rsplit(".", 1)[0])


def read_line(reader: ManifestReader, path: str, line: int, content: str, stack: tuple[str, ...] = ()) -> None:
    """Read one logical line of a requirements file at ``path`` (also used for conda's ``pip:`` items)."""
    if content.startswith("-"):
        _option_line(reader, path, line, content, stack or (path,))
        return
    tokens = content.split(" ")
    first_option = next((index for index, token in enumerate(tokens) if token.startswith("-")), len(tokens))
    requirement = " ".join(tokens[:first_option]).strip()
    if not _options_known(reader, path, line, " ".join(tokens[first_option:]), _PER_REQUIREMENT):
        return
    if _NAMED.match(requirement):
        reader.requirement(requirement, path, line)
    elif _SCHEME.match(requirement) and not requirement.startswith("file:"):
        _url(reader, requirement, path, line)
    elif requirement.startswith((".", "/", "file:")) or "/" in requirement or requirement.endswith(_ARCHIVES):
        _local_path(reader, requirement, path, line)
    else:
        reader.requirement(requirement, path, line)


def _option_line(reader: ManifestReader, path: str, line: int, content: str, stack: tuple[str, ...]) -> None:
    try:
        tokens = shlex.split(content)
    except ValueError as error:
        reader.problem(path, line, f"cannot read option line {content!r}: {error}")
        return
    index = 0
    while index < len(tokens):
        option, value, index = _next_option(tokens, index)
        if option is None:
            index += 1  # a stray word after the options: pip ignores it too
            continue
        if option not in _WITH_VALUE and option not in _FLAGS and option not in _PER_REQUIREMENT:
            reader.problem(path, line, f"unknown option {option!r} in {content!r}")
            return
        if option in _WITH_VALUE and not value:
            reader.problem(path, line, f"option {option!r} needs a value")
            return
        if option == "--requirement":
            _include(reader, path, line, value or "", stack)
        elif option == "--editable":
            editable_target(reader, value or "", path, line)
        elif option == "--constraint":
            _constraint_sources(reader, path, line, value or "")
        elif option in _SOURCE:
            _source_option(reader, option, value, path, line, path)


def _source_option(
    reader: ManifestReader, option: str, value: str | None, path: str, line: int, scope: str
) -> None:
    from hallucheck.manifests import SourceOption
    from hallucheck.manifests.sources import redacted

    text = option if value is None else f"{option} {redacted(value)}"
    reader.declared.source_option(SourceOption(text, path, line, scope))


def _constraint_sources(reader: ManifestReader, path: str, line: int, value: str) -> None:
    """The source options of the constraints file ``value`` names (pip applies them to the whole install);
    its pins declare nothing."""
    target = None if _SCHEME.match(value) else resolve_path(posixpath.dirname(path), value)
    data = None if target is None else reader.snapshot.read(target)
    if target is None or data is None:
        return
    from hallucheck.manifests.reading import UndecodableManifestError, decode_manifest

    try:
        text = decode_manifest(data)
    except UndecodableManifestError:
        return
    for number, content in logical_lines(text):
        if not content.startswith("-"):
            continue
        try:
            tokens = shlex.split(content)
        except ValueError:
            continue
        index = 0
        while index < len(tokens):
            option, found, index = _next_option(tokens, index)
            if option is None:
                index += 1
            elif option in _SOURCE:
                _source_option(reader, option, found, target, number, path)


def _next_option(tokens: list[str], index: int) -> tuple[str | None, str | None, int]:
    """The option at ``tokens[index]`` with its value, and the index after them."""
    token = tokens[index]
    if not token.startswith("-"):
        return None, None, index
    if token.startswith("--"):
        option, equals, value = token.partition("=")
        if equals:
            return option, value, index + 1
    else:
        option, value = _SHORT.get(token[:2], token[:2]), token[2:].lstrip("=")
        if value:
            return option, value, index + 1
    if (option in _WITH_VALUE or option in _PER_REQUIREMENT) and index + 1 < len(tokens):
        return option, tokens[index + 1], index + 2
    return option, None, index + 1


def _options_known(reader: ManifestReader, path: str, line: int, options: str, known: set[str]) -> bool:
    try:
        tokens = shlex.split(options)
    except ValueError as error:
        reader.problem(path, line, f"cannot read options {options!r}: {error}")
        return False
    for token in tokens:
        if token.startswith("-") and token.partition("=")[0] not in known:
            reader.problem(path, line, f"unknown option {token.partition('=')[0]!r} after a requirement")
            return False
    return True


def _include(reader: ManifestReader, path: str, line: int, value: str, stack: tuple[str, ...]) -> None:
    if _SCHEME.match(value) or "${" in value:
        reader.opaque(path, line, f"cannot read the included requirements {value!r} without the network or "
                      "the environment; declare those dependencies in a file of the repository")  # fmt: skip
        return
    target = resolve_path(posixpath.dirname(path), value)
    if target is None:
        reader.problem(path, line, f"included file {value!r} is outside the repository")
        return
    read_requirements_file(reader, target, origin=(path, line), stack=stack)


def editable_target(reader: ManifestReader, target: str, path: str, line: int) -> None:
    """An editable install (``-e``): a VCS url or a local directory of the repository."""
    if _SCHEME.match(target) and not target.startswith("file:"):
        _url(reader, target, path, line)
    else:
        _local_path(reader, target, path, line)


def _url(reader: ManifestReader, url: str, path: str, line: int) -> None:
    egg = _EGG.search(url)
    name = egg.group(1) if egg else name_of_file(url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1])
    if name:
        reader.declare(canonical_name(name), url, path, line)
    else:
        reader.opaque(path, line, f"cannot tell which distribution {url!r} provides; write it as `name @ {url}`")


def _local_path(reader: ManifestReader, target: str, path: str, line: int) -> None:
    egg = _EGG.search(target)
    location = target.split("#", 1)[0]
    if location.startswith("file:"):  # file:///absolute/path stays absolute, so it is outside the repository
        location = location[len("file://") :] if location.startswith("file://") else location[len("file:") :]
    location = _EXTRAS.sub("", location)  # `.[dev]`
    if location.endswith(_ARCHIVES):
        name = egg.group(1) if egg else name_of_file(posixpath.basename(location))
        if name:
            reader.declare(canonical_name(name), target, path, line)
        else:
            reader.opaque(path, line, f"cannot tell which distribution {target!r} provides")
        return
    directory = resolve_path(posixpath.dirname(path), location or ".")
    if directory is None:
        reader.opaque(path, line, f"{target!r} is outside the repository; hallucheck cannot see what it provides")
        return
    name = canonical_name(egg.group(1)) if egg else _project_name(reader, directory)
    reader.local(directory, path, line, name)
    if name:
        reader.declare(name, target, path, line)


def _project_name(reader: ManifestReader, directory: str) -> str | None:
    """The ``[project].name`` (or Poetry name) of the local project in ``directory``, when it has one."""
    from hallucheck.manifests.tomlfile import load_toml

    manifest = posixpath.join(directory, "pyproject.toml")
    data = reader.snapshot.read(manifest)
    if data is None:
        return None
    document, problem = load_toml(data.decode("utf-8", "replace"), manifest)
    if problem is not None:
        reader.problem(problem.path, problem.line, problem.message)
    tool = (document or {}).get("tool")
    for table in (document or {}).get("project"), tool.get("poetry") if isinstance(tool, dict) else None:
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            return canonical_name(table["name"])
    return None
