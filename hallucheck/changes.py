"""The edge that turns a git repository state into a :class:`~hallucheck.check.Change`."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Collection, Sequence

from hallucheck.check import Change, ChangedPythonFile
from hallucheck.gitrepo import CommitSnapshot, FileChange, IndexSnapshot, Repository, unquote_path
from hallucheck.manifests import is_manifest
from hallucheck.snapshot import EmptySnapshot

PYTHON_SUFFIXES = (".py", ".pyi")
# An added line that could be part of an import: it names `import`, or it looks like a line
# of a parenthesised name list (`    b,` / `b as c)`), the tail of a multi-line `from x import (`,
# or it holds a `# hallucheck:` comment (an unused suppression on an added line is reported).
_MAY_BELONG_TO_IMPORT = re.compile(r"import|(?i:hallucheck)|^[\s\w.,]*\)?\s*(?:#.*)?$")


def repo_paths(repo: Repository, paths: Sequence[str]) -> set[str]:
    """Command-line paths (relative to the current directory) as paths relative to the repository root."""
    cwd = os.getcwd()
    result = set()
    for path in paths:
        relative = os.path.relpath(os.path.join(cwd, path), repo.root)
        result.add(relative.replace(os.sep, "/"))
    return result


def staged_change(repo: Repository, only: Collection[str] | None = None) -> Change:
    """The change between HEAD (or the empty tree) and the index.

    ``only`` restricts the Python files checked (the file names pre-commit passes);
    manifests are always compared in full.
    """
    head = repo.resolve_commit("HEAD")
    base_tree = head or repo.empty_tree
    changes = repo.staged_changes(base_tree)
    base = CommitSnapshot(repo, head, "HEAD") if head else EmptySnapshot()
    target = IndexSnapshot(repo, base if isinstance(base, CommitSnapshot) else None, changes)
    python = [change for change in changes if _is_checked_python(change, only)]
    added = _added_lines(repo.staged_patch(base_tree, [change.path for change in python])) if python else {}
    files = []
    for change in python:
        lines = added.get(change.path)
        if not lines or not any(_MAY_BELONG_TO_IMPORT.search(text) for text in lines.values()):
            continue
        content = repo.read_blob(change.new_blob) if change.new_blob else None
        if content is None:
            continue
        old = repo.read_blob(change.old_blob) if change.old_blob else None
        files.append(ChangedPythonFile(change.path, frozenset(lines), content, () if old is None else (old,)))
    manifests_changed = any(is_manifest(path) for change in changes for path in _paths(change))
    return Change(base, target, files, manifests_changed=manifests_changed)


def _is_checked_python(change: FileChange, only: Collection[str] | None) -> bool:
    return (
        change.status != "D"
        and change.is_regular_file
        and change.path.endswith(PYTHON_SUFFIXES)
        and (only is None or change.path in only)
    )


def _paths(change: FileChange) -> tuple[str, ...]:
    return (change.path,) if change.old_path is None else (change.path, change.old_path)


def _added_lines(patch: str) -> dict[str, dict[int, str]]:
    """Added line numbers and texts per target path of a unified diff."""
    from unidiff import PatchSet

    added: dict[str, dict[int, str]] = {}
    for patched in PatchSet(io.StringIO(patch, newline="\n")):
        target = unquote_path(patched.target_file)
        if target == "/dev/null":
            continue
        path = target[2:] if target.startswith("b/") else target
        lines = added.setdefault(path, {})
        for hunk in patched:
            for line in hunk:
                if line.is_added and line.target_line_no is not None:
                    lines[line.target_line_no] = line.value
    return added
