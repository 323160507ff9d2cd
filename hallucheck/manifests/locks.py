"""Lock files: every locked distribution goes to :attr:`Declared.locked`, never to the declared set.

``uv.lock``, ``poetry.lock`` and ``pdm.lock`` hold ``[[package]]`` tables,
``pylock.toml``/``pylock.*.toml`` (PEP 751) ``[[packages]]`` tables, each with a
``name``; ``Pipfile.lock`` is JSON with ``default`` and ``develop`` sections.
An import served only by a locked distribution is a transitive dependency:
it works today and breaks when whatever pulls it in drops it.

Lock files are machine-written, often large: the line of each ``name`` is
found with a regular expression over the text instead of the TOML lexer.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader

_HEADER_OR_NAME = re.compile(r"""^[ \t]*(?:(?P<header>\[[^\n]*)|name[ \t]*=)""", re.MULTILINE)


def read(reader: ManifestReader, path: str) -> None:
    """Read the lock file at ``path`` into ``reader``."""
    if posixpath.basename(path) == "Pipfile.lock":
        text = reader.text(path)
        if text is not None:
            _pipfile_lock(reader, path, text)
        return
    loaded = reader.toml(path)
    if loaded is None:
        return
    text, document = loaded
    key = "packages" if posixpath.basename(path).startswith("pylock.") else "package"
    packages = [
        item for item in document.get(key, []) if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]
    lines = _name_lines(text, key)
    for index, package in enumerate(packages):
        line = lines[index] if len(lines) == len(packages) else 1
        _lock(reader, path, line, package["name"], package.get("version"))


def _name_lines(text: str, key: str) -> list[int]:
    """The line of the ``name`` of each ``[[key]]`` table, in order (one pass over the text)."""
    lines, inside, line, position = [], False, 1, 0
    for match in _HEADER_OR_NAME.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        header = match.group("header")
        if header is not None:
            inside = "".join(header.split("#", 1)[0].split()) == f"[[{key}]]"
        elif inside:
            lines.append(line)
            inside = False
    return lines


def _lock(reader: ManifestReader, path: str, line: int, name: str, version: object) -> None:
    requirement = f"{name}=={version}" if isinstance(version, str) else name
    reader.lock(canonical_name(name), requirement, path, line)


def _pipfile_lock(reader: ManifestReader, path: str, text: str) -> None:
    import json

    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as error:
        reader.problem(path, error.lineno, f"invalid JSON: {error.msg}")
        return
    if not isinstance(document, dict):
        reader.problem(path, 1, "Pipfile.lock must be a JSON object")
        return
    for section in ("default", "develop"):
        packages = document.get(section)
        start = max(text.find(f'"{section}"'), 0)
        for name, spec in packages.items() if isinstance(packages, dict) else ():
            found = text.find(f'"{name}"', start)
            line = text.count("\n", 0, found) + 1 if found != -1 else 1
            _lock(
                reader,
                path,
                line,
                name,
                str(spec.get("version", "")).lstrip("=") if isinstance(spec, dict) else None,
            )
