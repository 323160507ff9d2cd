"""What the files of the repository that an added install command installs from name (attack F15): ``pip install
-r deps/base.lst``, ``conda env create -f env.yml``, ``conda install --file specs.txt``. A file named like a
manifest (``requirements.txt``, ``environment.yml``) is read as declarations already, and judged where a change
adds to it; any other file is read here as the command reads it, whatever its name, and each package it names is
judged as the command's own argument (placed at the command, named with the file and its line)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hallucheck.lazy import replace

if TYPE_CHECKING:
    from hallucheck.manifests import Declared
    from hallucheck.rules.installs import Install
    from hallucheck.snapshot import Snapshot
    from hallucheck.sources.install_commands import DiskInput, InstallArgument

MAX_FILE_BYTES = 1 << 20
"""A file past this size is not read (its packages are one undetermined install)."""


def with_installed_files(installs: Sequence[Install], target: Snapshot) -> list[Install]:
    """``installs`` with each install from a file (:attr:`Install.reads`) replaced by what the file names: nothing
    for a file git does not hold there (the command may write it; read elsewhere) or one read as a manifest."""
    result: list[Install] = []
    done: set[tuple[str, int, str]] = set()
    for item in installs:
        if item.reads is None:
            result.append(item)
            continue
        path = _located(item.reads, item.place.path, target)
        key = (item.place.path, item.place.line, path or "")
        if path is None or key in done:
            continue
        done.add(key)
        for line, argument in _file_arguments(item.reads, path, target):
            prefix = f"`{path}` line {line}, installed by this command: "
            result.append(replace(item, place=replace(item.place, prefix=item.place.prefix + prefix),
                                  argument=argument, reads=None))
    return result


def _located(read: DiskInput, written_in: str, target: Snapshot) -> str | None:
    """The path of the repository ``read`` names, relative to the root or to the file that holds the command
    (where a script or a CI step runs is not known), when git holds a file there that is no manifest of the kind
    the command reads (a manifest is read as declarations already)."""
    from hallucheck.manifests import manifest_kind
    from hallucheck.sources.install_files import DOCKERFILE, file_kind

    written = read.path.strip("'\"")
    directory = posixpath.dirname(written_in)
    if written.startswith("/"):  # a path of the machine: in an image, the file a `COPY` put there (its name)
        if file_kind(written_in) != DOCKERFILE:
            return None
        written = posixpath.basename(written)
    beside = posixpath.normpath(posixpath.join(directory, written))
    for candidate in dict.fromkeys((posixpath.normpath(written), beside)):
        if candidate.startswith("../") or candidate in (".", ".."):
            continue
        if target.read(candidate) is None:
            continue
        kind = manifest_kind(candidate)
        conda = kind in ("conda", "conda-named")
        if kind is None or (read.conda and not conda) or (not read.conda and conda):
            return candidate
        return None
    return None


def _file_arguments(read: DiskInput, path: str, target: Snapshot) -> Iterator[tuple[int, InstallArgument]]:
    """(line, package) of each package the file names as the command reads it; a file that cannot be read as
    that is one undetermined install (never passed)."""
    from hallucheck.manifests import Declared
    from hallucheck.manifests.reading import ManifestReader
    from hallucheck.sources.install_commands import CONDA, PYPI, InstallArgument, requirement_argument

    content = target.read(path) or b""
    if len(content) > MAX_FILE_BYTES:
        yield 1, _unread(path, f"over {MAX_FILE_BYTES >> 20} MB")
        return
    declared = Declared()
    reader = ManifestReader(target, declared)
    if read.conda and path.lower().endswith((".yml", ".yaml")):
        from hallucheck.manifests.conda import read_environment

        pip_lines = read_environment(reader, path)
        text = content.decode("utf-8", "replace").split("\n")
        seen: set[int] = set()
        for line, requirement, name in _declared(declared):
            if line in seen:
                continue  # a conda name that packages a PyPI one (`pytorch`: `torch` too) is one package
            seen.add(line)
            if line in pip_lines:
                yield line, InstallArgument(name, requirement, PYPI)
            elif (argument := requirement_argument(_spec(text, line, requirement), CONDA)) is not None:
                yield line, argument
    elif read.conda:
        for line, spec in enumerate(content.decode("utf-8", "replace").split("\n"), 1):
            spec = spec.partition("#")[0].strip()
            if spec and not spec.startswith("@") and "://" not in spec:
                argument = requirement_argument(spec, CONDA)
                yield line, argument if argument is not None else _unread(path, f"line {line} is no conda spec")
    else:
        from hallucheck.manifests.requirements import read_requirements_file

        read_requirements_file(reader, path)
        for line, requirement, name in _declared(declared):
            yield line, InstallArgument(name, requirement, PYPI)
    for problem in declared.problems[:1]:
        yield problem.line, _unread(path, problem.message)


def _declared(declared: Declared) -> list[tuple[int, str, str]]:
    """(line, requirement, name) of each declaration, in the order of the file."""
    places = [place for table in (declared.dependencies, declared.build_requires) for places in table.values()
              for place in places]  # fmt: skip
    return sorted({(place.line, place.requirement, place.name) for place in places})


def _spec(text: list[str], line: int, requirement: str) -> str:
    """The conda spec written at ``line`` (``conda-forge::name``): the declaration keeps the name only."""
    written = text[line - 1].strip().lstrip("-").strip().strip("'\"") if 0 < line <= len(text) else ""
    return written if requirement.split("=")[0].split("::")[-1].strip() in written else requirement


def _unread(path: str, why: str) -> InstallArgument:
    from hallucheck.sources.install_commands import PYPI, InstallArgument

    shown = f"`{path}` ({why}: what it installs is not known)"
    return InstallArgument(shown, shown, PYPI, determined=False)
