"""``hallucheck explain-import NAME``: how an import resolves against the staged project, and why.

The verdict is the one the check would reach for an ``import NAME`` added to
``--path``: the same resolver, the same manifests (the index), the same
configuration and environment. Every piece of evidence looked at is printed.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hallucheck.resolve.resolver import RESOLVED, Resolution, Resolver
from hallucheck.sources.imported import ImportedModule

if TYPE_CHECKING:
    from hallucheck.git.repository import Repository

EXIT_RESOLVED, EXIT_UNRESOLVED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallucheck explain-import",
        description="Show how an import of NAME resolves in this repository (as staged) and why: standard "
        "library, first-party code, which manifest line, which mapping, the installed environment.",
        epilog="Exit status: 0 when NAME resolves, 1 when an added import of it would be reported, 2 on errors.",
    )
    parser.add_argument("name", help="a module, such as yaml, google.cloud.storage or .sibling")
    parser.add_argument("--path", help="the importing file, relative to the current directory (sibling modules, "
                        "test directories and the nearest project depend on it; default: a new file in the current "
                        "directory, as the check would see one)")
    parser.add_argument("--from-name", metavar="NAME", help="explain `from MODULE import NAME` instead")
    parser.add_argument("--guarded", action="store_true", help="as if inside try/except ImportError")
    parser.add_argument("--type-checking", action="store_true", help="as if under `if TYPE_CHECKING:`")
    parser.add_argument("--python", metavar="PATH", help="the project's interpreter or virtualenv")
    return parser  # fmt: skip


def main(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exit_:
        return EXIT_RESOLVED if exit_.code == 0 else EXIT_USAGE
    name = args.name.strip()
    module = name.lstrip(".")
    if not name or (module and not all(part.isidentifier() for part in module.split("."))):
        return _fail(f"not a module name: {args.name!r}")
    item = ImportedModule(
        module, args.from_name, len(name) - len(module), 1, 1, "from" if args.from_name else "import", 1, 1,
        guarded=args.guarded, type_checking=args.type_checking,
    )  # fmt: skip
    from hallucheck.git.repository import GitError, Repository

    try:
        repo = Repository()
    except GitError as error:
        return _fail(str(error))
    try:
        path = _importing_path(repo, args.path)
        resolver, searched = _resolver(repo, args, path)
        resolution = resolver.resolve(item, path)
        sys.stdout.write(render(item, resolution, resolver, searched(path), path))
    except (GitError, ValueError) as error:  # ConfigError, EnvironmentNotFoundError, a bad configured python
        return _fail(str(error))
    finally:
        repo.close()
    return EXIT_RESOLVED if resolution.origin in RESOLVED else EXIT_UNRESOLVED


def _importing_path(repo: Repository, given: str | None) -> str:
    """The repository-relative importing file: ``--path`` (relative to the current directory; a directory
    means a new file in it), else a new file in the current directory. A ``--path`` that is neither on disk
    nor in the index is an error."""
    from hallucheck.git.repository import GitError

    target = Path.cwd() / (given or "")
    if given is None or target.is_dir():
        target = target / PLACEHOLDER
    relative = os.path.relpath(target, repo.root).replace(os.sep, "/")
    if relative == ".." or relative.startswith("../"):
        raise GitError(f"--path {given}: outside the repository {repo.root}")
    unknown = given is not None and not os.path.lexists(target) and target.name != PLACEHOLDER
    if unknown and not repo.index_entries([relative]):
        raise GitError(f"--path {given}: no such file (in the work tree or the index)")
    return relative


def _resolver(
    repo: Repository, args: argparse.Namespace, path: str
) -> tuple[Resolver, Callable[[str], list[str]]]:
    from hallucheck.config import load_config
    from hallucheck.git.repository import CommitSnapshot, IndexSnapshot
    from hallucheck.manifests.scope import ProjectScopes
    from hallucheck.resolve.environment import find_environment
    from hallucheck.resolve.firstparty import FirstParty
    from hallucheck.resolve.resolver import target_python

    head = repo.resolve_commit("HEAD")
    base = CommitSnapshot(repo, head, "HEAD") if head else None
    snapshot = IndexSnapshot(repo, base, repo.staged_changes(head or repo.empty_tree))
    config = load_config(snapshot)
    # What the check itself uses: the nearest project's declarations (build requirements for setup.py).
    declared = ProjectScopes(snapshot, config.manifests).declared_for(path).for_file(path)
    python = target_python(snapshot, config.python)
    first_party = FirstParty(snapshot, config.first_party)
    environment = find_environment(Path(repo.root), args.python, os.environ)
    resolver = Resolver(declared, declared, first_party, python, config=config, environment=environment)
    return resolver, first_party.searched


PLACEHOLDER = "__hallucheck__.py"
"""The importing file when ``--path`` names none: a new module in the current directory."""


def _shown_path(path: str) -> str:
    """``path`` as the explanation names it: the placeholder of a new module is described, not named."""
    if posixpath.basename(path) != PLACEHOLDER:
        return path
    directory = posixpath.dirname(path)
    return f"a new module in {directory}/" if directory else "a new module at the repository root"


def render(item: ImportedModule, resolution: Resolution, resolver: Resolver, searched: list[str],
           path: str = PLACEHOLDER) -> str:
    """The explanation: the verdict, then each piece of evidence, then what an added import would get."""
    from hallucheck.rules.imports import import_finding

    name = "." * item.level + item.module
    shown = _shown_path(path)
    lines = [f"{name}: {resolution.origin.value} - {resolution.reason}"]
    for step in resolution.steps:
        lines.append(f"  - {step.replace(path, shown) if shown != path else step}")
        if step == "not first-party":
            lines.append(f"      (searched: {', '.join(searched)})")
    if resolver.environment is None:
        lines.append("  - no project environment found (.venv/, venv/, $VIRTUAL_ENV or --python)")
    lines += _index_lines(item, resolution)
    finding = import_finding(shown, item, resolution)
    if finding is None:
        lines.append("verdict: resolves; an added import passes")
    else:
        lines.append(f"verdict: an added import is reported as {finding.code} [{finding.severity.value}]:")
        lines.append(f"  {finding.message}")
        lines.append(f"  hint: {finding.hint}")
    return "\n".join(lines) + "\n"


def _index_lines(item: ImportedModule, resolution: Resolution) -> list[str]:
    """What the bundled index says about the module (and name) in each version of its distribution."""
    if item.level:
        return []
    from hallucheck.resolve import index

    indexed = [name for name in resolution.distributions if index.is_indexed(name)]
    names = list(dict.fromkeys([*indexed, *index.owners(item.module)]))
    lines = []
    for name in names:
        lines += index.describe(name, item.module, item.name if item.kind == "from" else None)
    return lines or [f"module index: no indexed distribution ships `{item.module}`"]


def _fail(message: str) -> int:
    print(f"hallucheck explain-import: error: {message}", file=sys.stderr)
    return EXIT_USAGE
