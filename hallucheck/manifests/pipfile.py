"""``Pipfile``: ``[packages]``, ``[dev-packages]`` and Pipenv's other package categories.

Keys are distribution names (values are versions or tables with ``path``,
``git``, ``editable``...: the name is declared either way; a ``path`` is
first-party code). Every top-level table other than ``source``, ``requires``,
``scripts`` and ``pipenv`` is a package category (Pipenv 2022.10+).
"""

from __future__ import annotations

import posixpath

from hallucheck.manifests.names import valid_name
from hallucheck.manifests.reading import ManifestReader, resolve_path
from hallucheck.manifests.tomlfile import TomlLines

_NOT_PACKAGES = {"source", "requires", "scripts", "pipenv"}


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``Pipfile`` at ``path`` into ``reader``."""
    loaded = reader.toml(path)
    if loaded is None:
        return
    text, document = loaded
    lines = TomlLines(text)
    for category, packages in document.items():
        if category in _NOT_PACKAGES:
            continue
        if not isinstance(packages, dict):
            reader.problem(path, lines.line_of((category,)), f"`{category}` must be a table of packages")
            continue
        for name, spec in packages.items():
            line = lines.line_of((category, name))
            try:
                normalised = valid_name(name)
            except ValueError as error:
                reader.problem(path, line, f"[{category}]: {error}")
                continue
            with reader.development_declarations(category == "dev-packages"):
                reader.declare(normalised, lines.line_text(line) or name, path, line)
            local = spec.get("path") if isinstance(spec, dict) else None
            if (
                isinstance(local, str)
                and (directory := resolve_path(posixpath.dirname(path), local)) is not None
            ):
                reader.local(directory, path, line, normalised)
    from hallucheck.manifests.indexes import TomlSources

    TomlSources(reader, path, document, lines).pipfile()
