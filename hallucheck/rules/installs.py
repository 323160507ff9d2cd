"""Findings for install commands an added line holds (``pip install x`` in a README, a Dockerfile, CI, a
notebook cell): each named package gets the evidence of a new dependency (HC030-HC032, HC040), unless the
project declares it or a ``hallucheck: ignore`` comment on the command's line silences the finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck.config import Config
from hallucheck.findings import Finding
from hallucheck.lazy import LazyPattern, record
from hallucheck.resolve.project import ChangeManifests

if TYPE_CHECKING:
    from hallucheck.change import ChangedTextFile
    from hallucheck.evidence.installed import Place
    from hallucheck.evidence.registry import Registry
    from hallucheck.sources.install_commands import DiskInput, InstallArgument


@record(frozen=True)
class Install:
    """A package an added install command names, where it is written."""

    place: Place
    command: str
    argument: InstallArgument
    written: str
    """The physical line, for suppression comments."""
    reads: DiskInput | None = None
    """A file of the repository the command installs from: what it names replaces this install
    (:func:`hallucheck.rules.installed_files.with_installed_files`)."""


def install_place(path: str, line: int, column: int, prefix: str = "") -> Place:
    from hallucheck.evidence.installed import Place

    return Place(path, line, column, prefix)


def file_installs(changed: ChangedTextFile) -> list[Install]:
    """The packages the added install commands of a file that is not a notebook name (a moved line is not new)."""
    from hallucheck.sources.index_settings import ENVIRONMENT_VARIABLES
    from hallucheck.sources.install_files import CODE_KINDS, InstalledFile, container_lines, installed_names

    text = decoded(changed.content)
    code = changed.kind in CODE_KINDS  # read by statement: a touched statement is judged whole
    body = frozenset() if changed.whole_file or code else container_lines(text, changed.added_lines, changed.kind)
    if body is not None and not (changed.whole_file or code):  # `CMD=...` changed: a line running `$CMD` (G13)
        body = body | _expanding_lines(text, changed.added_lines)
    base_lines = {line.strip() for base in changed.base_contents for line in decoded(base).split("\n")}
    physical = text.split("\n")
    installs = []
    new: dict[int, bool] = {}  # by line: a long line is compared with the base once, not once per name on it
    seen: set[tuple[int, str, str, str]] = set()
    files: list[InstalledFile] = []
    for found in installed_names(changed.path, text, None if changed.whole_file else changed.added_lines | body,
                                 changed.kind, files):  # fmt: skip
        if found.argument.sets_source and found.argument.name.partition("=")[0] in ENVIRONMENT_VARIABLES:
            continue  # the variable's review is the line's (hallucheck.rules.index_settings), wherever it is set
        written = physical[found.line - 1] if 0 < found.line <= len(physical) else ""
        if found.line not in new:
            new[found.line] = changed.whole_file or code or found.line in body or (
                written.strip() not in base_lines)  # else moved; a body whose command changed is new
        if found.run and found.run not in new:  # `eval "$CMD"` added, the assignment of CMD in the base
            run = physical[found.run - 1] if 0 < found.run <= len(physical) else ""
            new[found.run] = found.run in changed.added_lines and run.strip() not in base_lines
        shown = found.command.text
        key = (found.line, found.argument.requirement, found.argument.name, shown)
        if (new[found.line] or new.get(found.run, False)) and key not in seen:  # one finding per line and name
            seen.add(key)
            installs.append(Install(install_place(changed.path, found.line, found.column), shown,
                                    found.argument, written))  # fmt: skip
    for read in files:
        written = physical[read.line - 1] if 0 < read.line <= len(physical) else ""
        if changed.whole_file or code or read.line in body or written.strip() not in base_lines:
            argument = _file_argument(read.input.path)
            installs.append(Install(install_place(changed.path, read.line, read.column), read.command.text,
                                    argument, written, read.input))  # fmt: skip
    return installs


_ASSIGNMENT = LazyPattern(r"^\s*(?:(?:export|readonly|local|declare|typeset)(?:\s+-\w+)*\s+)?"
                          r"([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=")


def _expanding_lines(text: str, added: frozenset[int]) -> frozenset[int]:
    """The lines that expand a variable an added line assigns (``CMD="pip install x"`` changed, ``eval "$CMD"``
    not: what the command runs changed; attack G13)."""
    physical = text.split("\n")
    names = {match.group(1) for line in added if 0 < line <= len(physical)
             if (match := _ASSIGNMENT.match(physical[line - 1])) is not None}
    if not names:
        return frozenset()
    reference = re.compile(r"\$\{?(?:" + "|".join(sorted(map(re.escape, names))) + r")(?![A-Za-z0-9_])")
    return frozenset(number for number, line in enumerate(physical, 1) if "$" in line and reference.search(line))


def _file_argument(path: str) -> InstallArgument:
    """What stands for the packages of the file ``path`` until it is read."""
    from hallucheck.sources.install_commands import PYPI, InstallArgument

    return InstallArgument(path, path, PYPI, determined=False)


def install_findings(
    installs: Sequence[Install], manifests: ChangeManifests, config: Config, registry: Registry | None
) -> list[Finding]:
    """The finding of each install that needs one; the index is asked (``--online``) about reviews only."""
    from hallucheck.evidence.installed import REVIEW_CODE, installed_finding

    results = [(item, installed_finding(item.place, item.command, item.argument, config))
               for item in installs]  # popular names pass without reading a manifest
    results = [(item, result if result is None else _in_project(item, result, manifests, config))
               for item, result in results]  # fmt: skip
    if registry is not None:
        names = sorted({result.distribution for _, result in results
                        if result is not None and result.code == REVIEW_CODE and result.distribution})
        if names:
            answer = registry.lookup(names)
            results = [(item, installed_finding(item.place, item.command, item.argument, config,
                                                _declared_names(manifests, item.place.path), answer,
                                                _declared_sources(manifests, item.place.path))
                        if result is not None and result.code == REVIEW_CODE else result)
                       for item, result in results]  # fmt: skip
    # A `# hallucheck: ignore` on the command's line is the policy's to honour (hallucheck.policy.suppress), as in
    # every other source: one the change adds hides nothing silently.
    return [result for _, result in results if result is not None]


def _in_project(item: Install, result: Finding, manifests: ChangeManifests, config: Config) -> Finding | None:
    """``result`` (the finding of ``item`` judged without the project) judged with what the project declares:
    a name from the index passes when it is declared; one from another source (a source option, a direct
    reference) is judged again with the sources the project takes its names from, declared or not (the source
    is then the question, not the name)."""
    from hallucheck.evidence.installed import installed_finding
    from hallucheck.manifests.sources import INDEX, source

    argument = item.argument
    if not argument.determined or source(argument.requirement) == INDEX:
        return None if _declared(item, manifests) else result
    path = item.place.path
    return installed_finding(item.place, item.command, argument, config, _declared_names(manifests, path), None,
                             _declared_sources(manifests, path))  # fmt: skip


def _declared(item: Install, manifests: ChangeManifests) -> bool:
    """Whether the project of the command's file declares the package (what ``installed_finding`` is given as
    ``declared``, decided apart so that the evidence about each name is gathered once)."""
    from hallucheck.resolve import mapping

    argument = item.argument
    declared = _declared_names(manifests, item.place.path)
    return argument.determined and mapping.normalize_distribution(argument.name) in declared


def _declared_names(manifests: ChangeManifests, path: str) -> frozenset[str]:
    """Names the project of ``path`` declares at the target, and its own names."""
    declared = manifests.target.declared_for(path)
    names = set(declared.dependencies)
    names.update(item.name for item in declared.first_party if item.name)
    return frozenset(names)




def _declared_sources(manifests: ChangeManifests, path: str) -> dict[str, set[str]]:
    """Where the project of ``path`` takes each declared name from at the target (its base and what the change
    adds alike: the change's own manifest edits are reviewed where they are written)."""
    from hallucheck.manifests.sources import declared_sources

    return declared_sources(manifests.target.declared_for(path))


def decoded(content: bytes) -> str:
    return content.decode("utf-8-sig", "replace").replace("\r\n", "\n")
