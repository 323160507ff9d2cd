"""pixi: ``pixi.toml`` and ``[tool.pixi]`` in ``pyproject.toml``.

Tables that declare, at the top level, inside ``[feature.NAME]``, and inside
``[target.PLATFORM]`` of either:

- ``dependencies`` (and ``host-dependencies``): conda package names, mapped
  to the PyPI distributions they install (:func:`~hallucheck.resolve.mapping`'s
  conda table: ``pytorch`` -> ``torch``); ``python`` is the interpreter;
- ``pypi-dependencies``: PyPI names; ``{ path = "..." }`` entries are local,
  first-party directories;
- ``build-dependencies`` serve the build only, like ``[build-system].requires``.

Keys are package names; values (version specs, tables) do not change which
package is declared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader, resolve_path
from hallucheck.manifests.tomlfile import Path, TomlLines

_CONDA_TABLES = ("dependencies", "host-dependencies", "build-dependencies")


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``pixi.toml`` at ``path`` into ``reader``."""
    loaded = reader.toml(path)
    if loaded is not None:
        text, document = loaded
        read_tables(reader, path, document, TomlLines(text), ())


def read_tables(reader: ManifestReader, path: str, settings: dict[str, Any], lines: TomlLines, prefix: Path) -> None:
    """The pixi tables of ``settings``, found at ``prefix`` of the document (``("tool", "pixi")`` or ``()``)."""
    import posixpath

    from hallucheck.manifests.conda import conda_spec

    for table, key in _declaring_tables(settings, prefix):
        kind = key[-1]
        for name, spec in table.items():
            line = lines.line_of((*key, name))
            if kind == "pypi-dependencies":
                _pypi(reader, path, posixpath.dirname(path), name, spec, line)
            elif kind in _CONDA_TABLES:
                channel = spec.get("channel") if isinstance(spec, dict) else None
                conda_spec(reader, path, name, line, requirement=f"{name} {spec}" if isinstance(spec, str) else name,
                           build=kind == "build-dependencies",
                           channel=channel if isinstance(channel, str) else None)  # fmt: skip


def _declaring_tables(settings: dict[str, Any], prefix: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    scopes: list[tuple[dict[str, Any], Path]] = [(settings, prefix)]
    features = settings.get("feature")
    if isinstance(features, dict):
        scopes += [(table, (*prefix, "feature", name)) for name, table in features.items() if isinstance(table, dict)]
    for scope, key in list(scopes):
        targets = scope.get("target")
        if isinstance(targets, dict):
            scopes += [(table, (*key, "target", name)) for name, table in targets.items() if isinstance(table, dict)]
    for scope, key in scopes:
        for kind in (*_CONDA_TABLES, "pypi-dependencies"):
            table = scope.get(kind)
            if isinstance(table, dict):
                yield table, (*key, kind)


def _pypi(reader: ManifestReader, path: str, directory: str, name: str, spec: object, line: int) -> None:
    try:
        normalised = canonical_name(name)
    except ValueError:
        reader.problem(path, line, f"invalid PyPI package name {name!r}")
        return
    local = spec.get("path") if isinstance(spec, dict) else None
    if isinstance(local, str):
        target = resolve_path(directory, local)
        if target is not None:
            reader.local(target, path, line, normalised)
    reader.declare(normalised, f"{name} = {spec!r}" if not isinstance(spec, str) else f"{name} {spec}", path, line)
