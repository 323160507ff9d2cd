"""Lock files that installers read besides the TOML ones of :mod:`.locks` (attack H23): ``pixi.lock``
(``pixi install``), ``conda-lock.yml`` (``conda-lock install``) and rye's ``requirements.lock`` /
``requirements-dev.lock`` (``rye sync``; ``uv export`` writes the same), each read into :attr:`Declared.locked`
with what each locked package requires, so that a new name nothing declares or requires is reviewed as
``uv.lock``'s is.

- ``pixi.lock`` (YAML): ``packages`` (``package`` before version 4), one mapping per package and platform,
  ``pypi: URL`` or ``conda: URL`` (``kind:``/``url:`` before version 6); a conda package's name, version and
  build may be left to its file name; ``requires_dist`` (PEP 508) and ``depends`` (match specs) say what it
  requires; a local path (``pypi: .``, an editable) is the project itself.
- ``conda-lock.yml`` (YAML): ``package``, mappings with ``name``, ``version``, ``manager`` (conda or pip),
  ``url`` and ``dependencies`` (a mapping of names).
- rye: pip requirement lines (the requirements reader reads them), each followed by ``# via NAME`` comments, or
  ``# via`` and one ``#   NAME`` line per requirer; a requirement no locked package requires is a top-level one.
  A file without any ``# via`` comment (older ``uv export`` output) records no requirements: its new names get
  only the errors, as ``pylock.toml``'s do.

A conda package is pinned with its build (``name==1.0=py311_0``): conda-forge rebuilds one version with other
requirements. ``python`` is the interpreter, explained in any environment.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from hallucheck.lazy import LazyPattern, Slots
from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader

if TYPE_CHECKING:
    from yaml.nodes import Node

_REQUIREMENT_NAME = LazyPattern(r"\s*([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_CONDA_SUFFIXES = (".conda", ".tar.bz2")
_INTERPRETER = "python"


class LockedPackage(Slots):
    """One package of a lock file, with the names it requires; ``root`` for the project itself."""

    __slots__ = ("line", "name", "requirement", "requires", "root")

    name: str
    requirement: str
    """``name==version`` (the text after ``==`` tells two pins of one name apart)."""
    line: int
    requires: set[str]
    root: bool

    def __init__(self, name: str, requirement: str, line: int, requires: set[str], *, root: bool = False) -> None:
        self.name = name
        self.requirement = requirement
        self.line = line
        self.requires = requires
        self.root = root


def record_packages(
    reader: ManifestReader, path: str, packages: list[LockedPackage], roots: set[str] | frozenset[str] = frozenset()
) -> None:
    """Lock ``packages``; note which of them nothing requires (``roots`` and the project's own are explained)
    and which packages require each."""
    required: set[str] = set()
    for package in packages:
        reader.lock(package.name, package.requirement, path, package.line)
        required |= package.requires
    explained = required | roots | {package.name for package in packages if package.root}
    reader.declared.unrequired_locked |= {package.name for package in packages} - explained
    requirers = reader.declared.lock_requirers
    for package in packages:
        for name in package.requires:
            requirers.setdefault(name, set()).add((package.name, package.requirement.partition("==")[2], path))


def read_yaml_lock(reader: ManifestReader, path: str) -> None:
    """Read ``pixi.lock`` or ``conda-lock.yml`` at ``path``."""
    import yaml

    from hallucheck.manifests.conda import compose, mapping_value, node_line

    text = reader.text(path)
    if text is None:
        return
    read, root = compose(reader, path, text)
    if not read or root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        reader.problem(path, node_line(root), "a lock file must be a mapping")
        return
    key = "packages" if mapping_value(root, "packages") is not None else "package"
    packages = mapping_value(root, key)
    if packages is None:
        return
    if not isinstance(packages, yaml.SequenceNode):
        reader.problem(path, node_line(packages), f"`{key}` must be a list of packages")
        return
    found = []
    for index, item in enumerate(packages.value, start=1):
        package = _package(item)
        if package is None:
            reader.problem(path, node_line(item), f"`{key}` item number {index} names no package")
        else:
            found.append(package)
    record_packages(reader, path, found, roots={_INTERPRETER})


def _package(node: Node) -> LockedPackage | None:
    """One package of a pixi or conda-lock file; None when it names none."""
    import yaml

    from hallucheck.manifests.conda import node_line

    if not isinstance(node, yaml.MappingNode):
        return None
    fields = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
    kind = "pypi" if "pypi" in fields else "conda" if "conda" in fields else None
    kind = kind or _scalar(fields.get("kind")) or _scalar(fields.get("manager")) or "conda"
    location = _scalar(fields.get(kind)) or _scalar(fields.get("url")) or ""
    named = _conda_file(location) if kind == "conda" else None
    name = _scalar(fields.get("name")) or (named[0] if named else None)
    if not name or not name.strip():
        return None
    version = _scalar(fields.get("version")) or (named[1] if named else "")
    requirement = f"{name}=={version}"
    if kind == "conda":
        build = _scalar(fields.get("build")) or (named[2] if named else "")
        requirement += f"={build}" if build else ""
    requires: set[str] = set()
    for field in ("requires_dist", "depends", "dependencies"):
        requires |= _requirement_names(fields.get(field))
    line = node_line(fields["name"]) if "name" in fields else node_line(node)
    root = (bool(location) and "://" not in location) or _scalar(fields.get("editable")) == "true"
    return LockedPackage(canonical_name(name.strip()), requirement, line, requires, root=root)


def _scalar(node: Node | None) -> str | None:
    import yaml

    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _conda_file(location: str) -> tuple[str, str, str] | None:
    """Name, version and build of a conda package file (``numpy-1.26.4-py312h_0.conda``)."""
    filename = posixpath.basename(location.split("?", 1)[0])
    stem = next((filename[: -len(suffix)] for suffix in _CONDA_SUFFIXES if filename.endswith(suffix)), None)
    parts = stem.rsplit("-", 2) if stem else []
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 and all(parts) else None


def _requirement_names(node: Node | None) -> set[str]:
    """Names in a list of requirements (PEP 508 strings or conda match specs) or the keys of a mapping."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        items = [key for key, _ in node.value]
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
    else:
        return set()
    names = set()
    for item in items:
        match = _REQUIREMENT_NAME.match(str(item.value)) if isinstance(item, yaml.ScalarNode) else None
        if match:
            names.add(canonical_name(match.group(1)))
    return names


def read_requirements_lock(reader: ManifestReader, path: str) -> None:
    """Read rye's ``requirements.lock`` (or ``uv export``'s output) at ``path``."""
    from hallucheck.manifests import Declared
    from hallucheck.manifests.requirements import read_requirements_file

    text = reader.text(path)
    if text is None:
        return
    pinned = Declared()
    read_requirements_file(ManifestReader(reader.snapshot, pinned), path)
    for problem in pinned.problems:
        reader.problem(problem.path, problem.line, problem.message, problem.code)
    local = {(item.path, item.line) for item in pinned.first_party}  # `-e file:.`: the project itself
    places = {place.line: place for found in pinned.dependencies.values() for place in found
              if place.path == path and (place.path, place.line) not in local}  # fmt: skip
    requirers = _via(text, places)
    if not requirers:  # no `# via` comment: the file records no requirements (errors only, rules.manifests)
        for place in places.values():
            reader.lock(place.name, place.requirement, path, place.line)
        return
    packages = [LockedPackage(place.name, place.requirement, place.line, set()) for place in places.values()]
    by_name: dict[str, list[LockedPackage]] = {}
    for package in packages:
        by_name.setdefault(package.name, []).append(package)
    for name, via in requirers.items():
        for requirer in via:
            for package in by_name.get(requirer, ()):
                package.requires.add(name)
    record_packages(reader, path, packages)


def _via(text: str, places: dict[int, Any]) -> dict[str, set[str]]:
    """Locked name -> the names its ``# via`` comments give (a project or ``-r file`` gives none)."""
    via: dict[str, set[str]] = {}
    current, listing = None, False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if number in places:
            current, listing = places[number].name, False
        elif not stripped.startswith("#"):
            if raw[:1].strip():  # an option line at the left edge (`-e .`) ends the package before it
                current, listing = None, False
            continue
        if current is None or not stripped.startswith("#"):
            continue
        comment = stripped[1:].strip()
        if comment == "via" or comment.startswith("via "):
            listing, comment = True, comment[3:].strip()
        if listing and comment and not comment.startswith("-"):
            match = _REQUIREMENT_NAME.match(comment)
            if match:
                via.setdefault(current, set()).add(canonical_name(match.group(1)))
    return via
