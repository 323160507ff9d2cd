"""Lock files: every locked distribution goes to :attr:`Declared.locked`, never to the declared set.

``uv.lock``, ``poetry.lock`` and ``pdm.lock`` hold ``[[package]]`` tables,
``pylock.toml``/``pylock.*.toml`` (PEP 751) ``[[packages]]`` tables, each with a
``name``; ``Pipfile.lock`` is JSON with ``default`` and ``develop`` sections. ``pixi.lock``, ``conda-lock.yml``
and rye's ``requirements.lock`` are read by :mod:`.installer_locks`.
An import served only by a locked distribution is a transitive dependency:
it works today and breaks when whatever pulls it in drops it.

Lock files are machine-written, often large: the line of each ``name`` is
found with a regular expression over the text instead of the TOML lexer.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from hallucheck.lazy import LazyPattern
from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader

_HEADER_OR_NAME = LazyPattern(r"""^[ \t]*(?:(?P<header>\[[^\n]*)|name[ \t]*=)""", re.MULTILINE)


_YAML_LOCKS = ("pixi.lock", "conda-lock.yml")
_WITHOUT_REQUIREMENTS = ("Pipfile.lock",)


def errors_only(path: str) -> bool:
    """Whether a name newly pinned in the lock file ``path`` may have no recorded reason, so that only the errors of
    a name wrong wherever it is written (HC030-HC032) can be told: ``Pipfile.lock`` and a PEP 751 ``pylock.toml``
    record no requirements (uv writes no ``dependencies`` there), a requirements lock only in ``# via`` comments,
    which older ``uv export`` output leaves out."""
    name = posixpath.basename(path)
    return name in _WITHOUT_REQUIREMENTS or name.startswith("pylock.") or _is_requirements_lock(name)


def _is_requirements_lock(name: str) -> bool:
    return name.endswith(".lock") and "requirements" in name.lower()


def read(reader: ManifestReader, path: str) -> None:
    """Read the lock file at ``path`` into ``reader``."""
    basename = posixpath.basename(path)
    if basename in _YAML_LOCKS or _is_requirements_lock(basename):
        from hallucheck.manifests import installer_locks

        reading = installer_locks.read_yaml_lock if basename in _YAML_LOCKS else installer_locks.read_requirements_lock
        reading(reader, path)
        return
    if basename == "Pipfile.lock":
        text = reader.text(path)
        if text is not None:
            _pipfile_lock(reader, path, text)
        return
    loaded = reader.toml(path)
    if loaded is None:
        return
    text, document = loaded
    key = "packages" if posixpath.basename(path).startswith("pylock.") else "package"
    packages = document.get(key, [])
    if not isinstance(packages, list):
        reader.problem(path, _key_line(text, key), f"`{key}` must be an array of tables ([[{key}]])")
        return
    lines = _name_lines(text, key)
    for index, package in enumerate(packages):
        line = lines[index] if len(lines) == len(packages) else _key_line(text, key)
        name = package.get("name") if isinstance(package, dict) else None
        if not isinstance(name, str):
            reader.problem(path, line, f"[[{key}]] number {index + 1} has no `name` string")
            continue
        _lock(reader, path, line, name, package.get("version"))
    if key == "package":  # uv.lock and poetry.lock record what each package requires
        named = [item for item in packages if isinstance(item, dict) and isinstance(item.get("name"), str)]
        reader.declared.unrequired_locked |= _unrequired(named)
        _record_requirers(reader.declared.lock_requirers, named, path)


def _key_line(text: str, key: str) -> int:
    """The line that defines ``key`` (a ``key =`` or a ``[key]``/``[[key]]`` header); 1 when none does."""
    match = re.search(rf"^[ \t]*(?:\[\[?[ \t]*{key}[ \t]*\]|{key}[ \t]*=)", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _unrequired(packages: list[dict[str, Any]]) -> set[str]:
    """Locked names that no locked package requires and that are not the project itself (uv's editable or
    virtual root, a workspace member): top-level dependencies of a Poetry project are among them."""
    required: set[str] = set()
    roots: set[str] = set()
    for package in packages:
        source = package.get("source")
        if isinstance(source, dict) and source.keys() & {"editable", "virtual", "directory", "path"}:
            roots.add(canonical_name(package["name"]))
        for group in (package.get("dependencies"), *_tables(package, "optional-dependencies", "dev-dependencies",
                                                              "extras")):  # fmt: skip
            required |= _names(group)
    return {canonical_name(package["name"]) for package in packages} - required - roots


def _record_requirers(
    requirers: dict[str, set[tuple[str, str, str]]], packages: list[dict[str, Any]], path: str
) -> None:
    """For each locked name, the ``(name, version, path)`` of the locked packages that require it."""
    for package in packages:
        version = package.get("version")
        requirer = (canonical_name(package["name"]), version if isinstance(version, str) else "", path)
        for group in (package.get("dependencies"), *_tables(package, "optional-dependencies", "dev-dependencies",
                                                              "extras")):  # fmt: skip
            for name in _names(group):
                requirers.setdefault(name, set()).add(requirer)


def _tables(package: dict[str, Any], *keys: str) -> list[object]:
    return [group for key in keys if isinstance(package.get(key), dict) for group in package[key].values()]


def _names(group: object) -> set[str]:
    """Requirement names in a uv list (``[{name = "x"}]``), a Poetry table (``{x = "^1"}``) or a list of
    requirement strings (Poetry extras: ``["x (>=1)"]``)."""
    if isinstance(group, dict):
        return {canonical_name(str(name)) for name in group}
    names = set()
    for item in group if isinstance(group, list) else ():
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names.add(canonical_name(item["name"]))
        elif isinstance(item, str) and (match := re.match(r"\s*([A-Za-z0-9][\w.-]*)", item)):
            names.add(canonical_name(match.group(1)))
    return names


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

    from hallucheck.manifests.limits import deepest_line, long_number_line

    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as error:
        reader.problem(path, error.lineno, f"invalid JSON: {error.msg}")
        return
    except RecursionError:
        reader.problem(path, deepest_line(text), "invalid JSON: nested too deeply to read")
        return
    except ValueError as error:  # a number of more digits than Python converts
        reader.problem(path, long_number_line(text), f"invalid JSON: {str(error).split(':')[0]}")
        return
    if not isinstance(document, dict):
        reader.problem(path, 1, "Pipfile.lock must be a JSON object")
        return
    for section in ("default", "develop"):
        packages = document.get(section)
        start = max(text.find(f'"{section}"'), 0)
        section_line = text.count("\n", 0, start) + 1
        if packages is None:
            continue
        if not isinstance(packages, dict):
            reader.problem(path, section_line, f"`{section}` must be an object of packages")
            continue
        for name, spec in packages.items():
            found = text.find(f'"{name}"', start)
            line = text.count("\n", 0, found) + 1 if found != -1 else section_line
            if not isinstance(spec, dict):
                reader.problem(path, line, f"`{section}.{name}` must be an object")
                continue
            version = spec.get("version")
            _lock(reader, path, line, name, version.lstrip("=") if isinstance(version, str) else None)
