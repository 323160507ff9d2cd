"""Findings for the modules a change makes tools import through configuration (mypy and pylint plugins, pytest
``-p NAME``, entry points, Sphinx extensions, Django settings: :mod:`hallucheck.manifests.tool_modules`): each new
one is resolved like an import of the file's code, and reported as one (an unknown module is HC001, one of an
undeclared distribution HC007, ...). A reference a base version of the file already makes is not new; in files
mode the files passed are read whole."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from hallucheck.findings import Finding
from hallucheck.lazy import replace
from hallucheck.manifests.tool_modules import SPHINX_EXTENSIONS, ToolModule, tool_modules

if TYPE_CHECKING:
    from hallucheck.change import Change
    from hallucheck.resolve.project import ChangeManifests
    from hallucheck.snapshot import Snapshot

_DEVELOPMENT_ONLY = "HC008"
"""What a development-only declaration means for package code; tools run where development ones are installed."""


def tool_module_findings(change: Change, manifests: ChangeManifests) -> list[Finding]:
    from hallucheck.resolve.resolver import RESOLVED
    from hallucheck.rules.imports import import_finding, placed_finding
    from hallucheck.sources.imported import ImportedModule

    findings = []
    for path, references in _new_references(change):
        for reference in references:
            if reference.where == SPHINX_EXTENSIONS and _beside_configuration(change.target, path, reference.module):
                continue
            item = ImportedModule(reference.module, None, 0, reference.line, 0, "import", reference.line,
                                  reference.line)  # fmt: skip
            resolver, _ = manifests.resolver(path)
            resolution = resolver.resolve(item, path)
            if (
                "pytest" in reference.where
                and resolution.origin not in RESOLVED
                and _plugin_of_declared(reference.module, (*resolver.base.dependencies, *resolver.target.dependencies))
            ):
                continue
            result = import_finding(path, item, resolution, change.config)
            if result is not None:
                result = placed_finding(result, item, path, resolver, manifests.declared_elsewhere)
            if result is not None and result.code != _DEVELOPMENT_ONLY:
                findings.append(replace(result, message=f"{reference.where}: {result.message}"))
    return findings


def _new_references(change: Change) -> Iterator[tuple[str, list[ToolModule]]]:
    """Per changed configuration file, the references its new version makes that no base version made (all of
    them in files mode). Python files come with their contents; a configuration file is read only by name."""
    from hallucheck.manifests.tool_modules import reads_tool_modules

    files = {item.path: (item.content, item.base_contents) for item in change.python_files}
    for path in change.changed_paths or ():
        if path in files or path.endswith(".py") or not reads_tool_modules(path):
            continue
        data = change.target.read(path)
        if data is not None:
            base = change.base.read(path) if change.mode != "files" else None
            files[path] = (data, (base,) if base is not None else ())
    for path, (data, bases) in files.items():
        references = tool_modules(_text(data), path)
        if references and bases:
            known = {(item.where, item.module) for base in bases for item in tool_modules(_text(base), path)}
            references = [item for item in references if (item.where, item.module) not in known]
        if references:
            yield path, references


def _beside_configuration(snapshot: Snapshot, conf: str, module: str) -> bool:
    """Whether a Sphinx extension is a module of the documentation's own: Sphinx runs ``conf.py`` in its
    directory, which puts that directory or one inside it on ``sys.path`` (``sys.path.insert(0,
    os.path.abspath("_ext"))``); a module there is the project's, committed."""
    from hallucheck.snapshot import EntryKind

    top = module.partition(".")[0]
    directory = posixpath.dirname(conf)
    entries = snapshot.list_dir(directory)
    places = [directory, *(posixpath.join(directory, name) for name, kind in entries.items()
                           if kind is EntryKind.DIRECTORY)]  # fmt: skip
    return any(snapshot.read(posixpath.join(place, f"{top}.py")) is not None
               or snapshot.read(posixpath.join(place, top, "__init__.py")) is not None for place in places)  # fmt: skip


def _plugin_of_declared(name: str, declared: Iterable[str]) -> bool:
    """Whether pytest's ``-p NAME`` may be the entry-point name of a declared plugin: pytest takes entry-point
    names as well as modules (``-p randomly`` is pytest-randomly's, ``-p hypothesispytest`` hypothesis's), and
    which names a distribution registers is known only once it is installed (attack E24)."""
    from hallucheck.resolve.mapping import normalize_distribution, squash_name

    plugin = squash_name(name)
    owner = _ENTRY_POINT_OWNERS.get(plugin)
    return len(plugin) >= 3 and any(
        plugin in squash_name(item) or normalize_distribution(item) == owner for item in declared
    )


_ENTRY_POINT_OWNERS = {"hypothesispytest": "hypothesis"}
"""pytest entry-point names not found in their distribution's name (``-p hypothesispytest``); a plugin's name is
otherwise matched inside a declared distribution's (``randomly`` in ``pytest-randomly``), never the other way:
``-p pytest_madeup`` is not a plugin of a declared ``pytest``."""


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8-sig", "replace").replace("\r\n", "\n")
