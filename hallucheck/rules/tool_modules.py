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
from hallucheck.manifests.tool_modules import DJANGO_SETTINGS, SPHINX_EXTENSIONS, ToolModule, tool_modules
from hallucheck.resolve.mapping import normalize_distribution

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
            if _the_projects_own(change.target, path, reference):
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
            if result is not None and result.code != _DEVELOPMENT_ONLY and (
                    result.code in _NAMES_NOTHING_KNOWS or not _names_own_code(reference)):  # fmt: skip
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
    yield from _new_run_modules(change)


def _installed_by(path: str, text: str, kind: str) -> set[str]:
    """The names the file's own install commands install (``pip install pypi-attestations`` then ``python -m
    pypi_attestations``: the install is judged where it is written, the run of its module is the same package)."""
    from hallucheck.sources.install_files import installed_names

    return {normalize_distribution(item.argument.name) for item in installed_names(path, text, None, kind or None)
            if item.argument.determined}


RUN_BY_NAME = "run by name"
"""What a command of a script, a Dockerfile, CI or a Procfile runs by its module name (``python -m x``, ``uvicorn
x:app``, attack F13): the ``where`` of those references starts with the command."""


def _new_run_modules(change: Change) -> Iterator[tuple[str, list[ToolModule]]]:
    """The modules the changed text files' commands run by name that no base version of the file ran."""
    from hallucheck.sources.install_files import NOTEBOOK, run_modules

    for changed in change.text_files:
        if changed.kind == NOTEBOOK:
            continue
        found = run_modules(changed.path, _text(changed.content), changed.kind or None)
        if not found:
            continue
        known = {(program, module) for base in changed.base_contents
                 for _, module, program in run_modules(changed.path, _text(base), changed.kind or None)}
        installed = _installed_by(changed.path, _text(changed.content), changed.kind)
        references = [ToolModule(line, module, f"`{program} {module}` ({RUN_BY_NAME})")
                      for line, module, program in found if (program, module) not in known
                      and normalize_distribution(module.partition(".")[0]) not in installed]
        if references:
            yield changed.path, references


def _names_own_code(reference: ToolModule) -> bool:
    """Whether the reference names the project's own code by design: an entry point of the distribution the file
    builds, a Sphinx extension, a Django app or middleware; or a module a command runs by name (the same script
    may install the tool it runs). Only a name nothing knows is reported for those; that a real distribution is
    undeclared there is for the imports of that code to say."""
    return (RUN_BY_NAME in reference.where or reference.where.startswith(_OWN_CODE_WHERE)
            or reference.where in (SPHINX_EXTENSIONS, *DJANGO_SETTINGS))


def _the_projects_own(snapshot: Snapshot, path: str, reference: ToolModule) -> bool:
    """Whether a reference to the project's own code is found where the tool looks first: an entry point's module
    beside its manifest (or in ``src/``), in a manifest that is not test data (a fixture's ``pyproject.toml`` is
    never installed); a Sphinx extension in the ``conf.py`` directory or one beside it (Sphinx runs ``conf.py``
    there, which puts ``_ext`` and the like on ``sys.path``)."""
    from hallucheck.manifests.roles import is_development_file
    from hallucheck.snapshot import EntryKind

    directory = posixpath.dirname(path)
    if RUN_BY_NAME in reference.where:  # run where the command runs: the root, the file's directory, a WORKDIR
        places = ["", directory, "src", posixpath.join(directory, "src"), *(
            name for name, kind in snapshot.list_dir("").items() if kind is EntryKind.DIRECTORY)]
    elif reference.where == SPHINX_EXTENSIONS:
        places = [directory, *(posixpath.join(directory, name) for name, kind in snapshot.list_dir(directory).items()
                               if kind is EntryKind.DIRECTORY)]  # fmt: skip
    elif reference.where.startswith(_OWN_CODE_WHERE):
        if is_development_file(path):
            return True
        places = [directory, posixpath.join(directory, "src")]
    else:
        return False
    top = reference.module.partition(".")[0]
    if RUN_BY_NAME in reference.where and any(  # a namespace package (a directory without __init__.py) too
            snapshot.list_dir(place).get(top) is EntryKind.DIRECTORY for place in places):
        return True
    return any(snapshot.read(posixpath.join(place, f"{top}.py")) is not None
               or snapshot.read(posixpath.join(place, top, "__init__.py")) is not None for place in places)  # fmt: skip


_OWN_CODE_WHERE = ("[project.scripts]", "[project.gui-scripts]", "[project.entry-points", "[tool.poetry.scripts]",
                   "[tool.poetry.plugins", "[options.entry_points]")  # fmt: skip
"""Where entry points are declared: each names code of the distribution its manifest builds."""
_NAMES_NOTHING_KNOWS = frozenset({"HC001", "HC022", "HC026", "HC028"})
"""What a reference to the project's own code is reported for: a module nothing knows, or a wrong path of a
known distribution."""


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
