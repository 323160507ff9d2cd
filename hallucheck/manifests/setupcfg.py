"""``setup.cfg``: ``[options]`` ``install_requires``/``tests_require``, ``[options.extras_require]``.

Values follow setuptools: one requirement per line, or ``;``-separated on a
single line, or ``file: a.txt, b.txt`` naming requirements files of the same
snapshot. ``setup_requires`` serves ``setup.py`` only, like
``[build-system].requires``. ``configparser`` validates the file (its errors
carry line numbers); a small scanner finds the line of each value.
"""

from __future__ import annotations

import posixpath

from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader, resolve_path
from hallucheck.sources.ini import SECTION, scan


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``setup.cfg`` at ``path`` into ``reader``."""
    text = reader.text(path)
    if text is None or not _valid(reader, path, text):
        return
    values = scan(text)
    for key in ("install_requires", "tests_require", "setup_requires"):
        _requirements(reader, path, values.get(("options", key)), f"[options] {key}", build=key == "setup_requires")
    for (section, key), lines in values.items():
        if section == "options.extras_require":
            _requirements(reader, path, lines, f"[options.extras_require] {key}")
    name = values.get(("metadata", "name"))
    if name and name[0][1]:
        reader.local(posixpath.dirname(path), path, name[0][0], canonical_name(name[0][1]))


def declares_project(text: str) -> bool:
    """Whether a ``setup.cfg`` describes a package rather than only configuring tools (flake8, ...)."""
    return any(match.group("name").strip().startswith(("metadata", "options")) for match in map(
        SECTION.match, text.splitlines()) if match)  # fmt: skip


def _valid(reader: ManifestReader, path: str, text: str) -> bool:
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, path)
    except configparser.Error as error:
        line = getattr(error, "lineno", None) or next(iter(getattr(error, "errors", [])), (1,))[0]
        reader.problem(path, int(line), f"invalid setup.cfg: {str(error).splitlines()[0]}")
        return False
    return True


def _requirements(
    reader: ManifestReader, path: str, lines: list[tuple[int, str]] | None, where: str, build: bool = False
) -> None:
    if not lines:
        return
    from hallucheck.manifests.requirements import read_requirements_file

    if lines[0][1].startswith("file:"):
        for name in lines[0][1][len("file:") :].split(","):
            target = resolve_path(posixpath.dirname(path), name.strip())
            if target is None or reader.snapshot.read(target) is None:
                reader.problem(path, lines[0][0], f"{where}: file {name.strip()!r} is not in the repository")
            else:
                read_requirements_file(reader, target, origin=(path, lines[0][0]))
        return
    pieces = lines if len(lines) > 1 else [(lines[0][0], part) for part in lines[0][1].split(";")]
    for line, requirement in pieces:
        if requirement.strip():
            reader.requirement(requirement.strip(), path, line, f" in {where}", build=build)
