"""``hallucheck approve NAME...``: record a human's review of new dependencies in the project's configuration.

A ``review`` finding (a dependency added in this change, or an import served only
by one) blocks the commit until a human has looked at the dependency. This
command records each approved name, with the requirement it was approved as,
under ``approved`` in the configuration file (``[tool.hallucheck.approved]`` in
``pyproject.toml``), editing the file with tomlkit so that every other byte stays
as it was. The approval is then part of the diff reviewers see.

This is the one command that writes to the work tree; which names may be
approved is decided from git objects (HEAD against the index), like the check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallucheck.config import PYPROJECT, Config, ConfigError, load_config

if TYPE_CHECKING:
    from hallucheck.manifests import Dependency

EXIT_OK, EXIT_USAGE = 0, 2
NEW_CONFIG_FILE = "hallucheck.toml"


class ApproveError(Exception):
    """An approval cannot be recorded; the message says why and what to do."""


@dataclass(frozen=True)
class _WorkTreeFiles:
    """The few work-tree files the configuration lives in, read through the snapshot interface."""

    root: Path

    @property
    def label(self) -> str:
        return "work tree"

    def read(self, path: str) -> bytes | None:
        from hallucheck.resolve.disk import MEBIBYTE, read_regular_file

        return read_regular_file(self.root / path, 16 * MEBIBYTE)  # never a FIFO or a device

    def list_dir(self, directory: str) -> Mapping[str, Any]:
        return {}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="hallucheck approve",
        description="Record that a human reviewed new dependencies; an approved dependency no longer blocks.",
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help="distribution names added in the staged change"
    )
    parser.add_argument("--list", action="store_true", help="show the recorded approvals")
    parser.add_argument(
        "--all-added",
        action="store_true",
        help="approve every dependency the staged change adds, showing the evidence for each "
        "(what the `hallucheck-approve` pre-commit hook runs)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="approve names that are not dependencies added in the staged change",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    if [bool(args.names), args.list, args.all_added].count(True) != 1:
        return _fail("give the names to approve, --all-added, or --list")
    from hallucheck.git.repository import GitError, Repository

    try:
        repo = Repository()
    except GitError as error:
        return _fail(str(error))
    try:
        if args.list:
            return _list(repo)
        return _approve(repo, args.names, force=args.force, every=args.all_added)
    except (GitError, ConfigError, ApproveError) as error:
        return _fail(str(error))
    finally:
        repo.close()


def _fail(message: str) -> int:
    print(f"hallucheck approve: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def hook_main(argv: Sequence[str] | None = None) -> int:
    """The ``hallucheck-approve`` command of the pre-commit hook: approve every dependency the change adds."""
    return main(["--all-added", *(sys.argv[1:] if argv is None else argv)])


def _approve(repo: Any, names: Sequence[str], *, force: bool, every: bool = False) -> int:
    from hallucheck.git.changes import staged_change

    change = staged_change(repo)  # every staged file: install commands added in docs count too
    change.config = load_config(change.target)
    added = _added_dependencies(change)
    if every:
        if not added:
            print("no dependency is added in the staged change: nothing to approve")
            return EXIT_OK
        names = _show_evidence(change)
        if not names:
            return EXIT_USAGE
    approvals = approvals_for(names, {name: place.requirement for name, place in added.items()},
                              _declared(change.target), force=force)  # fmt: skip
    files = _WorkTreeFiles(Path(repo.root))
    disk = load_config(files)
    path = disk.path or (PYPROJECT if files.read(PYPROJECT) is not None else NEW_CONFIG_FILE)
    fresh = {name: req for name, req in approvals.items() if name not in disk.approved}
    for name in sorted(approvals.keys() - fresh.keys()):
        print(f"already approved: {name} (as `{disk.approved[name]}`)")
    if not fresh:
        return EXIT_OK
    target = Path(repo.root) / path
    if os.path.lexists(target) and not target.is_file():
        raise ApproveError(f"{path} is not a regular file; hallucheck will not write to it")
    before = files.read(path)
    text = None if before is None else before.decode("utf-8-sig")
    edited = record_approvals(text, fresh, standalone=path != PYPROJECT, path=path)
    bom = b"\xef\xbb\xbf" if before is not None and before.startswith(b"\xef\xbb\xbf") else b""
    target.write_bytes(bom + edited.encode("utf-8"))
    table = "[approved]" if path != PYPROJECT else "[tool.hallucheck.approved]"
    shown = os.path.relpath(Path(repo.root) / path)  # what to type from the current directory
    for name, requirement in fresh.items():
        print(f"approved {name} (`{requirement}`) in {shown} {table}")
    staged = change.target.read(path)
    if staged is not None and before is not None and staged != before:
        print(f"note: {shown} also has unstaged changes; 'git add -p {shown}' stages only the approval")
    print(f"next: git add {shown}")
    return EXIT_OK


def _added_dependencies(change: Any) -> dict[str, Dependency]:
    """Normalised name → where the staged change adds each dependency (what HC004 reports), each package
    it adds to a lock file (an import it serves is HC003: approvable too), and each package an added install
    command names that needs review (HC040)."""
    from hallucheck.manifests import Dependency
    from hallucheck.resolve.project import ChangeManifests
    from hallucheck.rules.text_files import installed_for_review

    manifests = ChangeManifests(change)
    installed = {
        name: Dependency(name, name, item.path, item.line) for name, item in installed_for_review(change).items()
    }
    if not manifests.changed:
        return installed
    diff = manifests.added()
    return {**installed, **{dependency.name: dependency for dependency in [*diff.locked, *diff.added]}}


def _show_evidence(change: Any) -> list[str]:
    """What a reviewer approves: each new dependency's finding, as the check reports it (with its evidence).

    The names whose finding is a review are returned; an error (a typosquat, a known hallucination) is
    never approved wholesale: it takes a person naming it.
    """
    from hallucheck.evidence.dependencies import dependency_finding
    from hallucheck.findings import Severity

    names = []
    for place in _added_dependencies(change).values():
        item = dependency_finding(place, change.config)
        print(f"{place.path}:{place.line}: {item.code} [{item.severity.value}] {item.message}")
        if item.severity is Severity.REVIEW:
            names.append(place.name)
        else:
            print(f"    not approved: fix it ({item.hint}) or, if you are sure, approve it by name.")
    return sorted(names)


def _declared(snapshot: Any) -> dict[str, str]:
    from hallucheck.manifests import declared_dependencies

    declared = declared_dependencies(snapshot)
    return {name: places[0].requirement for name, places in declared.dependencies.items()}


def approvals_for(
    names: Sequence[str], added: Mapping[str, str], declared: Mapping[str, str], *, force: bool
) -> dict[str, str]:
    """Normalised name → requirement to record; refuses names the change does not add unless ``force``."""
    from hallucheck.config import distribution_name

    approvals: dict[str, str] = {}
    refused = []
    for raw in names:
        try:
            name = distribution_name(raw)
        except ValueError as error:
            raise ApproveError(str(error)) from None
        if name in added:
            approvals[name] = added[name]
        elif force:
            approvals[name] = declared.get(name, name)
        else:
            refused.append(name)
    if refused:
        listed = ", ".join(sorted(added)) if added else "none"
        raise ApproveError(
            f"{', '.join(refused)}: not a dependency added in the staged change (added: {listed}); "
            "stage the manifest that adds it, or pass --force to approve it anyway"
        )
    return approvals


def record_approvals(text: str | None, approvals: Mapping[str, str], *, standalone: bool, path: str) -> str:
    """``text`` with ``approvals`` added to its ``approved`` table; every other byte is kept.

    tomlkit makes the edit; the result is then checked to be the original text with
    only an insertion (and the approvals readable back), or nothing is written.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    original = text or ""
    try:
        document = tomlkit.parse(original)
    except TOMLKitError as error:
        raise ApproveError(f"{path}: invalid TOML: {error}") from None
    except (RecursionError, ValueError):  # nesting too deep, or a number too long, to read
        raise ApproveError(f"{path}: cannot read this TOML (too deeply nested or too long a number)") from None
    keys = ("approved",) if standalone else ("tool", "hallucheck", "approved")
    node: Any = document
    for depth, key in enumerate(keys):
        if key not in node:
            node[key] = tomlkit.table(is_super_table=depth < len(keys) - 1)
        node = node[key]
        if not isinstance(node, dict):
            raise ApproveError(f"{path}: {'.'.join(keys[: depth + 1])} is not a table")
    for name, requirement in approvals.items():
        node[name] = requirement
    edited = _tidy_insertion(original, tomlkit.dumps(document), path)
    _verify(original, edited, approvals, keys, path)
    return edited


def _tidy_insertion(original: str, edited: str, path: str) -> str:
    """``edited`` as an insertion into ``original``, in its newline style, blank lines around a new table."""
    start = 0
    limit = min(len(original), len(edited))
    while start < limit and original[start] == edited[start]:
        start += 1
    end = 0
    while end < limit - start and original[-1 - end] == edited[-1 - end]:
        end += 1
    before, after = original[:start], original[len(original) - end :]
    removed, inserted = original[start : len(original) - end], edited[start : len(edited) - end]
    if removed.strip():
        raise ApproveError(
            f"{path}: recording the approval would change other parts of the file; edit it by hand"
        )
    if not removed:
        before, inserted, after = _at_line_boundary(before, inserted, after)
    inserted = inserted.replace("\r\n", "\n")
    body = inserted.lstrip("\n")
    if body.startswith("["):  # a new table: a blank line before it, unless it opens the file
        lead = inserted[: len(inserted) - len(body)]
        plain_before = before.replace("\r\n", "\n")
        while plain_before and not (plain_before + lead).endswith("\n\n"):
            lead += "\n"
        inserted = lead + body
        if after.startswith("[") and not inserted.endswith("\n\n"):  # and a blank line after it
            inserted += "\n"
    if "\r\n" in original:
        inserted = inserted.replace("\n", "\r\n")
    return before + inserted + removed + after


def _at_line_boundary(before: str, inserted: str, after: str) -> tuple[str, str, str]:
    """The same pure insertion, moved (where the text allows) to start and end at line boundaries.

    A common prefix can run into the insertion (``[tool.`` of ``[tool.mypy]`` matches ``[tool.hallucheck``);
    every position from the leftmost to the rightmost inserts the same text.
    """
    while before and inserted and before[-1] == inserted[-1]:
        before, inserted, after = before[:-1], before[-1] + inserted[:-1], before[-1] + after
    leftmost = (before, inserted, after)
    while True:
        if (not before or before.endswith("\n")) and inserted.endswith("\n"):
            return before, inserted, after
        if not (after and inserted and inserted[0] == after[0]):
            return leftmost
        before, inserted, after = before + inserted[0], inserted[1:] + after[0], after[1:]


def _verify(original: str, edited: str, approvals: Mapping[str, str], keys: Sequence[str], path: str) -> None:
    from hallucheck.manifests.pyproject import load_toml

    old, _ = load_toml(original, path)
    new, problem = load_toml(edited, path)
    table: Any = new
    for key in keys:
        table = table.get(key, {}) if isinstance(table, dict) else {}
    if new is None or old is None or any(table.get(name) != value for name, value in approvals.items()):
        raise ApproveError(
            f"{path}: the approval could not be recorded safely ({problem}); edit the file by hand"
        )
    old_node, new_node = old, new
    for key in keys:  # take the approvals (and any table created for them) out again
        if not isinstance(old_node.get(key), dict):
            new_node.pop(key, None)
            break
        old_node, new_node = old_node[key], new_node[key]
    else:
        for name in approvals:
            new_node.pop(name, None)
    if new != old:
        raise ApproveError(f"{path}: recording the approval would change other values; edit the file by hand")


def _list(repo: Any) -> int:
    from hallucheck.git.changes import staged_change

    staged = load_config(staged_change(repo, only=set()).target)
    disk = load_config(_WorkTreeFiles(Path(repo.root)))
    names = sorted(staged.approved.keys() | disk.approved.keys())
    if not names:
        print("no approved dependencies")
        return EXIT_OK
    where = staged.path or disk.path
    print(f"approved dependencies ({where}):")
    for name in names:
        requirement = staged.approved.get(name, disk.approved.get(name))
        state = "" if name in staged.approved and name in disk.approved else _state(name, staged, disk)
        print(f"  {name} = {json.dumps(requirement)}{state}")
    return EXIT_OK


def _state(name: str, staged: Config, disk: Config) -> str:
    if name not in staged.approved:
        return f"  (not staged: git add {disk.path})"
    return "  (removed in the work tree, still staged)"
