"""``pyproject.toml``: PEP 621, PEP 735 groups, Poetry, PDM, uv, Hatch, setuptools ``file:`` dependencies.

What declares a distribution here:

- ``[project].dependencies`` and ``[project].optional-dependencies`` (PEP 621);
  when they are ``dynamic``, ``[tool.setuptools.dynamic]`` ``{file = [...]}``
  names requirements files, read from the same snapshot;
- ``[dependency-groups]`` (PEP 735), ``{include-group = "..."}`` checked for
  unknown groups and cycles;
- Poetry: ``[tool.poetry.dependencies]``, ``dev-dependencies`` and
  ``[tool.poetry.group.*.dependencies]`` (keys are names; path, git and url
  dependencies are declared like any other);
- PDM ``[tool.pdm.dev-dependencies]``, uv ``[tool.uv].dev-dependencies``, rye ``[tool.rye].dev-dependencies``,
  Hatch ``[tool.hatch.envs.*]`` ``dependencies``/``extra-dependencies``;
- tool tables that install requirements: flit's ``[tool.flit.metadata]``, cibuildwheel's ``test-requires``,
  uv's ``[[tool.uv.dependency-metadata]]`` ``requires-dist`` and ``[tool.uv.extra-build-dependencies]``;
- ``[build-system].requires``, kept apart: it serves ``setup.py`` only;
- ``[tool.tox]`` (:mod:`.tox`) and ``[tool.pixi]`` (:mod:`.pixi`).

Dev-dependency tables, dependency groups, Poetry groups other than ``main``,
Hatch environments, tox, and extras named for development (``test``, ``docs``)
declare development dependencies (:mod:`.roles`).

``[tool.uv.sources]`` and Poetry ``path`` entries also expose local directories
as first-party code; ``[tool.uv.workspace]``, ``[tool.pdm.workspace]`` and
``[tool.poetry.workspace]`` describe workspaces.
"""

from __future__ import annotations

import posixpath
from typing import Any

from hallucheck.manifests import Workspace
from hallucheck.manifests.names import canonical_name, parse_requirement, valid_name
from hallucheck.manifests.reading import ManifestReader, resolve_path
from hallucheck.manifests.tomlfile import Path, TomlLines, load_toml

__all__ = ["load_toml", "read", "workspace"]


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``pyproject.toml`` at ``path`` into ``reader``."""
    loaded = reader.toml(path)
    if loaded is None:
        return
    text, document = loaded
    lines = TomlLines(text)
    _Pyproject(reader, path, document, lines).read()
    from hallucheck.manifests.indexes import TomlSources

    TomlSources(reader, path, document, lines).pyproject()


def _table(value: object, *keys: str) -> dict[str, Any]:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


class _Pyproject:
    def __init__(self, reader: ManifestReader, path: str, document: dict[str, Any], lines: TomlLines) -> None:
        self.reader = reader
        self.path = path
        self.directory = posixpath.dirname(path)
        self.document = document
        self.lines = lines

    def read(self) -> None:
        from hallucheck.manifests.roles import is_development_name

        project = self._table("project")
        self._requirements(project.get("dependencies"), ("project", "dependencies"))
        for extra, requirements in self._table("project", "optional-dependencies").items():
            with self.reader.development_declarations(is_development_name(extra)):
                self._requirements(requirements, ("project", "optional-dependencies", extra))
        self._setuptools_files()
        with self.reader.development_declarations():
            self._dependency_groups()
        self._poetry()
        uv = self._table("tool", "uv")
        with self.reader.development_declarations():
            for group, requirements in self._table("tool", "pdm", "dev-dependencies").items():
                self._requirements(requirements, ("tool", "pdm", "dev-dependencies", group))
            self._requirements(uv.get("dev-dependencies"), ("tool", "uv", "dev-dependencies"))
            rye = self._table("tool", "rye")
            self._requirements(rye.get("dev-dependencies"), ("tool", "rye", "dev-dependencies"))
        self._uv_sources(self._table("tool", "uv", "sources"))
        self._requirements(
            self._table("build-system").get("requires"), ("build-system", "requires"), True
        )
        self._hatch()
        self._tool_requirements()
        self._build_scripts()
        self._tox()
        self._pixi()
        self._own_name(project)
        self._workspace()

    def _tox(self) -> None:
        """``[tool.tox]``: tox 4 reads its configuration there when there is no ``tox.ini``."""
        if "tox" not in self._table("tool"):
            return
        from hallucheck.manifests import tox

        span = self.lines.span(("tool", "tox", "legacy_tox_ini"))
        first_line = 1
        if span is not None and span.path == ("tool", "tox", "legacy_tox_ini"):
            text = self.lines.text
            quotes = min((found for quote in ('"""', "'''") if (found := text.find(quote, span.start)) != -1),
                         default=span.start)  # fmt: skip
            after = quotes + 3
            first_line = self.lines.line_at(after) + (1 if text[after : after + 1] in ("\n", "\r") else 0)
        tox.read_pyproject(self.reader, self.path, self.document, first_line)

    def _tool_requirements(self) -> None:
        """Tool tables that install requirements: flit's legacy ``[tool.flit.metadata]`` (``requires``,
        ``requires-extra``, ``dev-requires``), cibuildwheel's ``test-requires`` (pip-installed to test each wheel;
        its platform tables and ``[[overrides]]`` too), uv's ``[[tool.uv.dependency-metadata]]`` ``requires-dist``
        (uv installs them as the named package's requirements) and ``[tool.uv.extra-build-dependencies]``
        (installed where that package is built: build requirements)."""
        from hallucheck.manifests.roles import is_development_name

        flit = self._table("tool", "flit", "metadata")
        self._requirements(flit.get("requires"), ("tool", "flit", "metadata", "requires"))
        for extra, requirements in self._table("tool", "flit", "metadata", "requires-extra").items():
            with self.reader.development_declarations(is_development_name(extra)):
                self._requirements(requirements, ("tool", "flit", "metadata", "requires-extra", extra))
        with self.reader.development_declarations():
            self._requirements(flit.get("dev-requires"), ("tool", "flit", "metadata", "dev-requires"))
            self._cibuildwheel()
            self._each_table(("tool", "uv", "dependency-metadata"), "requires-dist")
        for name, requirements in self._table("tool", "uv", "extra-build-dependencies").items():
            self._requirements(requirements, ("tool", "uv", "extra-build-dependencies", name), True)
        self._tool_plugins()

    def _tool_plugins(self) -> None:
        """Plugins a tool installs into its own environment before it runs (attack H24): Poetry 2's
        ``[tool.poetry.requires-plugins]``, hatch's ``[tool.hatch.env] requires``, PDM's ``[tool.pdm] plugins``.
        They are the project's build tooling: build requirements, which imports do not count."""
        self._requirements(self._table("tool", "hatch", "env").get("requires"), ("tool", "hatch", "env", "requires"),
                           True)
        self._requirements(self._table("tool", "pdm").get("plugins"), ("tool", "pdm", "plugins"), True)
        for name, spec in self._table("tool", "poetry", "requires-plugins").items():
            self._poetry_dependency(name, spec, ("tool", "poetry", "requires-plugins", name), build=True)

    def _cibuildwheel(self) -> None:
        settings = self._table("tool", "cibuildwheel")
        for scope in ("", "linux", "macos", "windows", "ios", "android", "pyodide"):
            key = ("tool", "cibuildwheel", scope) if scope else ("tool", "cibuildwheel")
            table = _table(settings, scope) if scope else settings
            requires = table.get("test-requires")
            self._requirements(requires.split() if isinstance(requires, str) else requires, (*key, "test-requires"))
        self._each_table(("tool", "cibuildwheel", "overrides"), "test-requires")

    def _each_table(self, key: Path, field: str) -> None:
        """``field`` of each ``[[key]]`` table (a space-separated string is a list), each placed in its table."""
        value = _table(self.document, *key[:-1]).get(key[-1])
        spans = self.lines.tables_named(key)
        fields = iter([span for span in self.lines.entries if span.path == (*key, field)])  # in order, as tables
        written = next(fields, None)
        for index, table in enumerate(value if isinstance(value, list) else []):
            requires = table.get(field) if isinstance(table, dict) else None
            requires = requires.split() if isinstance(requires, str) else requires
            span = None
            while index < len(spans) and written is not None and written.start < spans[index].end:
                span = written if written.start >= spans[index].start else span
                written = next(fields, None)
            if span is None or not isinstance(requires, list):
                self._requirements(requires, (*key, field))
                continue
            for item in requires:
                if isinstance(item, str) and not self._names_itself(item):
                    found = self.lines.text.find(item, span.start, span.end)
                    line = self.lines.line_at(found if found >= 0 else span.start)
                    self.reader.requirement(item, self.path, line, f" in [[{'.'.join(key)}]] {field}")

    def _hatch(self) -> None:
        settings = self._table("tool", "hatch")
        if settings:
            from hallucheck.manifests import hatch

            hatch.read_settings(self.reader, self.path, settings, self.lines, ("tool", "hatch"))

    def _build_scripts(self) -> None:
        """Scripts a build backend runs (Poetry's ``[tool.poetry.build] script``, PDM's ``setup-script``):
        ``[build-system].requires`` serves them, as it serves ``setup.py``."""
        for script in (
            _table(self.document, "tool", "poetry", "build").get("script"),
            _table(self.document, "tool", "poetry").get("build") if isinstance(
                _table(self.document, "tool", "poetry").get("build"), str) else None,
            _table(self.document, "tool", "pdm", "build").get("setup-script"),
        ):  # fmt: skip
            target = resolve_path(self.directory, script) if isinstance(script, str) else None
            if target is not None and target not in self.reader.declared.build_scripts:
                self.reader.declared.build_scripts.append(target)

    def _pixi(self) -> None:
        settings = self._table("tool", "pixi")
        if settings:
            from hallucheck.manifests import pixi

            pixi.read_tables(self.reader, self.path, settings, self.lines, ("tool", "pixi"))

    def _table(self, *keys: str) -> dict[str, Any]:
        """The table at ``keys``; empty when absent, and a problem when something else stands there."""
        value: object = self.document
        for depth, key in enumerate(keys, start=1):
            value = value.get(key) if isinstance(value, dict) else None
            if value is None:
                return {}
            if not isinstance(value, dict):
                where = keys[:depth]
                self.reader.problem(self.path, self.lines.line_of(where), f"{'.'.join(where)} must be a table")
                return {}
        return value if isinstance(value, dict) else {}

    def _requirements(self, value: object, key: Path, build: bool = False) -> None:
        if value is None:
            return
        where = f" in [{'.'.join(key[:-1])}] {key[-1]}" if len(key) > 1 else f" in {key[0]}"
        if not isinstance(value, list):
            self.reader.problem(
                self.path, self.lines.line_of(key), f"{'.'.join(key)} must be a list of requirements"
            )
            return
        for item in value:
            if isinstance(item, dict) and key[0] == "dependency-groups":
                continue  # {include-group = ...} tables are checked by _dependency_groups
            if not isinstance(item, str):
                self.reader.problem(
                    self.path, self.lines.line_of(key), f"{'.'.join(key)}: {item!r} is not a requirement string"
                )
                continue
            line = self.lines.line_of(key, item)
            if item.lstrip().startswith("-e ") or item.lstrip().startswith("--editable"):
                self._editable(item, line)
            elif not self._names_itself(item):
                self.reader.requirement(item, self.path, line, where, build=build)

    def _names_itself(self, requirement: str) -> bool:
        """``demo[test]`` in demo's own extras or groups: the project itself, not a dependency."""
        name = _table(self.document, "project").get("name")  # silent: read() reports
        if not isinstance(name, str):
            return False
        try:
            return parse_requirement(requirement) == canonical_name(name)
        except ValueError:
            return False

    def _editable(self, item: str, line: int) -> None:
        """PDM writes local editables as ``-e file:///${PROJECT_ROOT}/libs/foo#egg=foo``."""
        from hallucheck.manifests.requirements import editable_target

        target = item.strip().split(None, 1)[1] if " " in item.strip() else item.strip().partition("=")[2]
        target = target.replace("file:///${PROJECT_ROOT}/", "./").replace("${PROJECT_ROOT}/", "./")
        editable_target(self.reader, target, self.path, line)

    def _setuptools_files(self) -> None:
        from hallucheck.manifests.requirements import read_requirements_file

        dynamic = self._table("tool", "setuptools", "dynamic")
        places: list[tuple[object, Path]] = [
            (dynamic.get("dependencies"), ("tool", "setuptools", "dynamic", "dependencies"))
        ]
        for extra, value in self._table("tool", "setuptools", "dynamic", "optional-dependencies").items():
            places.append((value, ("tool", "setuptools", "dynamic", "optional-dependencies", extra)))
        hook = ("tool", "hatch", "metadata", "hooks", "requirements_txt")  # hatch-requirements-txt (attack H24)
        places.append(({"file": self._table(*hook).get("files")}, (*hook, "files")))
        for extra, files in self._table(*hook, "optional-dependencies").items():
            places.append(({"file": files}, (*hook, "optional-dependencies", extra)))
        for value, key in places:
            files = value.get("file") if isinstance(value, dict) else None
            for name in [files] if isinstance(files, str) else files if isinstance(files, list) else []:
                line = self.lines.line_of(key, str(name))
                target = resolve_path(self.directory, str(name))
                if target is None or self.reader.snapshot.read(target) is None:
                    self.reader.problem(
                        self.path, line, f"{'.'.join(key)}: file {name!r} is not in the repository"
                    )
                    continue
                read_requirements_file(self.reader, target, origin=(self.path, line))

    def _dependency_groups(self) -> None:
        groups = self._table("dependency-groups")
        normalised = {canonical_name(name): name for name in groups}
        includes = _group_includes(groups, normalised)
        cycles = _include_cycles(includes)
        for group, items in groups.items():
            key = ("dependency-groups", group)
            self._requirements(items, key)
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, dict):
                    continue
                included = item.get("include-group")
                line = self.lines.line_of(key, str(included))
                if not isinstance(included, str) or canonical_name(included) not in normalised:
                    self.reader.problem(
                        self.path, line, f"dependency group {group!r} includes unknown group {included!r}"
                    )
                elif _same_cycle(cycles, group, normalised[canonical_name(included)]):
                    self.reader.problem(self.path, line, f"dependency groups include each other: {cycles[group][1]}")

    def _poetry(self) -> None:
        tables: list[tuple[dict[str, Any], Path]] = [
            (self._table("tool", "poetry", "dependencies"), ("tool", "poetry", "dependencies")),
            (self._table("tool", "poetry", "dev-dependencies"), ("tool", "poetry", "dev-dependencies")),
        ]
        main = len(tables) - 1
        for group in self._table("tool", "poetry", "group"):
            group_key = ("tool", "poetry", "group", group, "dependencies")
            tables.append((self._table(*group_key), group_key))
        for index, (table, key) in enumerate(tables):
            with self.reader.development_declarations(index >= main and key[-2] != "main"):
                for name, spec in table.items():
                    if name.lower() != "python":
                        self._poetry_dependency(name, spec, (*key, name))

    def _poetry_dependency(self, name: str, spec: object, key: Path, build: bool = False) -> None:
        line = self.lines.line_of(key)
        try:
            normalised = valid_name(name)
        except ValueError as error:
            self.reader.problem(self.path, line, f"[{'.'.join(key[:-1])}]: {error}")
            return
        self.reader.declare(normalised, self.lines.line_text(line) or name, self.path, line, build=build)
        for item in spec if isinstance(spec, list) else [spec]:
            local = item.get("path") if isinstance(item, dict) else None
            if isinstance(local, str):
                self._local(local, line, normalised)

    def _uv_sources(self, sources: dict[str, Any]) -> None:
        for name, spec in sources.items():
            for item in spec if isinstance(spec, list) else [spec]:
                local = item.get("path") if isinstance(item, dict) else None
                if isinstance(local, str):
                    self._local(
                        local, self.lines.line_of(("tool", "uv", "sources", name)), canonical_name(name)
                    )

    def _local(self, relative: str, line: int, name: str | None) -> None:
        directory = resolve_path(self.directory, relative)
        if directory is not None:
            self.reader.local(directory, self.path, line, name)

    def _own_name(self, project: dict[str, Any]) -> None:
        for name, key in (
            (project.get("name"), ("project", "name")),
            (self._table("tool", "poetry").get("name"), ("tool", "poetry", "name")),
        ):
            if name is not None and not isinstance(name, str):
                self.reader.problem(self.path, self.lines.line_of(key), f"{'.'.join(key)} must be a string")
            elif isinstance(name, str) and name:
                self.reader.local(self.directory, self.path, self.lines.line_of(key), canonical_name(name))
                return

    def _workspace(self) -> None:
        for tool in ("uv", "pdm", "poetry"):
            settings = self._table("tool", tool).get("workspace")
            if not isinstance(settings, dict):
                continue
            for key in ("members", "include", "exclude"):
                value = settings.get(key)
                if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                    where = ("tool", tool, "workspace", key)
                    self.reader.problem(
                        self.path, self.lines.line_of(where), f"{'.'.join(where)} must be a list of path globs"
                    )
        self.reader.declared.workspace = workspace(self.document, self.path)


def workspace(document: dict[str, Any], path: str) -> Workspace | None:
    """The uv, PDM or Poetry (plugin) workspace that the ``pyproject.toml`` at ``path`` declares."""
    for tool in ("uv", "pdm", "poetry"):
        settings = _table(document, "tool", tool).get("workspace")
        if not isinstance(settings, dict):
            continue
        members = settings.get("members", settings.get("include", []))
        exclude = settings.get("exclude", [])
        return Workspace(path, _string_tuple(members), _string_tuple(exclude))
    return None


def _string_tuple(value: object) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _group_includes(groups: dict[str, Any], normalised: dict[str, str]) -> dict[str, list[str]]:
    """Each dependency group with the existing groups its ``{include-group = ...}`` items name, in order."""
    includes: dict[str, list[str]] = {}
    for group, items in groups.items():
        found = includes.setdefault(group, [])
        for item in items if isinstance(items, list) else []:
            included = item.get("include-group") if isinstance(item, dict) else None
            if isinstance(included, str) and canonical_name(included) in normalised:
                found.append(normalised[canonical_name(included)])
    return includes


_SHOWN_GROUPS = 8
"""A cycle of more groups than this is shown by its first and last groups (the message stays short)."""


def _include_cycles(includes: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """Each group that includes itself through ``include-group``, with its cycle: the first group of its
    strongly connected set (in document order) and one chain from that group back to itself (shortened when
    long). Linear in groups and includes: each set is found once (Tarjan) and its chain by one search."""
    cycles: dict[str, tuple[str, str]] = {}
    for component in _strongly_connected(includes):
        first = component[0]
        if len(component) == 1 and first not in includes[first]:
            continue
        members = set(component)
        chain = _chain_back(first, includes, members)
        shown = chain if len(chain) <= _SHOWN_GROUPS else [*chain[:4], "...", *chain[-3:]]
        text = " -> ".join(shown) + ("" if len(chain) <= _SHOWN_GROUPS else f" ({len(chain) - 1} groups)")
        for group in component:
            cycles[group] = (first, text)
    return cycles


def _same_cycle(cycles: dict[str, tuple[str, str]], group: str, included: str) -> bool:
    """Whether ``group`` and the group it includes are on one cycle of includes."""
    return group in cycles and included in cycles and cycles[group][0] == cycles[included][0]


def _chain_back(start: str, includes: dict[str, list[str]], members: set[str]) -> list[str]:
    """The shortest chain of includes from ``start`` back to itself inside ``members`` (one breadth-first search)."""
    parents: dict[str, str] = {start: start}
    queue = [start]
    for group in queue:
        for included in includes[group]:
            if included == start:
                chain = [group]
                while chain[-1] != start:
                    chain.append(parents[chain[-1]])
                return [*reversed(chain), start]
            if included in members and included not in parents:
                parents[included] = group
                queue.append(included)
    raise AssertionError("a strongly connected set of groups has a cycle through each member")


def _strongly_connected(includes: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected sets of the include graph (Tarjan's algorithm, iterative), each in document order."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    position = {group: index for index, group in enumerate(includes)}
    for root in includes:
        if root in order:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            group, next_edge = work.pop()
            if next_edge == 0:
                order[group] = low[group] = len(order)
                stack.append(group)
                on_stack.add(group)
            edges = includes[group]
            while next_edge < len(edges) and edges[next_edge] in order:
                if edges[next_edge] in on_stack:
                    low[group] = min(low[group], order[edges[next_edge]])
                next_edge += 1
            if next_edge < len(edges):
                work.append((group, next_edge + 1))
                work.append((edges[next_edge], 0))
                continue
            if low[group] == order[group]:
                component: list[str] = []
                while not component or component[-1] != group:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                components.append(sorted(component, key=position.__getitem__))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[group])
    return components
