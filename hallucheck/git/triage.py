"""Decide before loading: whether a staged change can need a check at all, from git's list of the changed files.

A commit that touches only files that can hold nothing to check (docs without an install command, images, data)
is answered from the ``diff-index`` of the index against HEAD (names and modes), and for a file that may hold
install commands from its blob: the same :class:`~hallucheck.change.Change` the full edge
(:mod:`hallucheck.git.changes`) builds, made without loading that edge, the source readers or the rules. Anything
the triage cannot vouch for (a Python file, a script, a manifest, a hook setting, a merge, a range, named files)
goes the full way. Also home to what both ways share: the request and its plan, what a path says about a file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from hallucheck.change import Change
from hallucheck.git.repository import CommitSnapshot, FileChange, IndexSnapshot, Repository
from hallucheck.lazy import Slots
from hallucheck.snapshot import EmptySnapshot, Snapshot

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw", ".pyx", ".pxd", ".pth")  # Cython: sources/cython.py; .pth: its import lines
_INCLUDING_MANIFESTS = (
    "pyproject.toml", "setup.cfg", "requirements.txt", "requirements.in", "requirements-dev.txt",
    "dev-requirements.txt", "requirements-test.txt", "Pipfile", "tox.ini",
)  # fmt: skip
"""Manifests that name other files (`-r`, `file:`), at the names they conventionally have."""
SYMLINK_MODE = "120000"
EXECUTABLE_MODE = "100755"


class Request(Slots):
    """What the command line asked for, before the repository is consulted."""

    __slots__ = (
        "all_files",
        "classify",
        "files",
        "from_ref",
        "mode",
        "python",
        "to_ref",
        "under_pre_commit",
        "whole_files",
    )  # fmt: skip

    def __init__(
        self, files: Sequence[str] = (), mode: str | None = None, from_ref: str | None = None,
        to_ref: str | None = None, all_files: bool = False, whole_files: bool = False,
        under_pre_commit: bool = False, python: str | None = None, classify: bool = False,
    ) -> None:  # fmt: skip
        self.files = files
        """Paths as given, relative to the current directory."""
        self.mode = mode
        """A forced mode (``--mode``); None lets :func:`plan` decide."""
        self.from_ref = from_ref
        self.to_ref = to_ref
        self.all_files = all_files
        self.whole_files = whole_files
        """The files were named to be checked in full (``hallucheck check PATH...``)."""
        self.under_pre_commit = under_pre_commit
        """pre-commit runs the hook: an empty file list means no Python file matched, not "everything"."""
        self.python = python
        """``--python``: the project's interpreter or virtualenv, read for installed metadata."""
        self.classify = classify
        """The files were passed by the hook, not named by a person: only those that are Python count."""


class Plan(Slots):
    """The mode chosen, and what it is restricted to."""

    __slots__ = ("classify", "from_ref", "mode", "only", "to_ref")

    def __init__(
        self, mode: str, only: frozenset[str] | None, from_ref: str | None = None, to_ref: str | None = None,
        classify: bool = False,
    ) -> None:  # fmt: skip
        self.mode = mode
        self.only = only
        """Repository-relative paths the check is restricted to; None: every Python file the mode sees."""
        self.from_ref = from_ref
        self.to_ref = to_ref
        self.classify = classify
        """Named files are checked only when they are Python (suffix, shebang, symlink to Python code)."""


def repo_paths(repo: Repository, paths: Sequence[str]) -> set[str]:
    """Command-line paths (relative to the current directory) as paths relative to the repository root."""
    cwd = os.getcwd()
    result = set()
    for path in paths:
        relative = os.path.relpath(os.path.join(cwd, path), repo.root)
        result.add("" if relative == os.curdir else relative.replace(os.sep, "/"))
    return result


def is_python_name(path: str) -> bool:
    """Whether the file name says Python (``.py``, ``.pyi``, ``.pyw``)."""
    return path.endswith(PYTHON_SUFFIXES)


def may_be_script(path: str, mode: str) -> bool:
    """A file whose shebang decides whether it is Python: executable, or without a suffix."""
    return mode == EXECUTABLE_MODE or "." not in path.rpartition("/")[2]


def named_by_a_manifest(path: str, snapshot: Snapshot, read: dict[str, bytes]) -> bool:
    """Whether a manifest in the directory of ``path`` or above names its file (``read`` caches contents).

    Only the conventional names are read, without listing directories (one batch of blob
    reads, no other git process): a commit that touches no manifest stays cheap. Includes
    from other manifests are found by the core when the change also touches Python code.
    """
    name = path.rpartition("/")[2].encode("utf-8", "surrogateescape")
    directory = path.rpartition("/")[0]
    while True:
        for manifest in _INCLUDING_MANIFESTS:
            manifest = f"{directory}/{manifest}" if directory else manifest
            if manifest == path:
                continue
            if manifest not in read:
                read[manifest] = snapshot.read(manifest) or b""
            if name in read[manifest]:
                return True
        if not directory:
            return False
        directory = directory.rpartition("/")[0]


def changed_paths(changes: Sequence[FileChange]) -> tuple[str, ...]:
    return tuple(path for change in changes for path in change_paths(change))


def change_paths(change: FileChange) -> tuple[str, ...]:
    return (change.path,) if change.old_path is None else (change.path, change.old_path)


def text_of(content: bytes) -> str:
    return content.decode("utf-8-sig", "replace").replace("\r\n", "\n")


STAGED = Plan("staged", None)
"""The plan of a commit the triage answers: the index against HEAD, every file."""
_RANGE_VARIABLES = ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_REMOTE_NAME")


def change_without_work(repo: Repository, request: Request, environ: Mapping[str, str]) -> Change | None:
    """The change of a commit in which no file can need a check, or None when one may (or the run is not a
    plain commit): then :func:`~hallucheck.git.changes.plan` and :func:`~hallucheck.git.changes.build_change`
    decide. What it returns is what those build for the commit: no Python file, no text file, no manifest
    touched, no hook setting changed."""
    if request.mode not in (None, "staged") or request.all_files or request.whole_files:
        return None
    if request.from_ref or request.to_ref or any(environ.get(name) for name in _RANGE_VARIABLES):
        return None
    if (request.files and not request.classify) or repo.merge_head() is not None:
        return None  # a file a person names is read as Python whatever it is; a merge has other parents
    head = repo.resolve_commit("HEAD")
    changes = repo.staged_changes(head or repo.empty_tree)
    if request.files and not repo_paths(repo, request.files) <= {change.path for change in changes}:
        return None  # files mode: pre-commit passes files without a staged change (--all-files, --files)
    base = CommitSnapshot(repo, head, "HEAD") if head else EmptySnapshot()
    target = IndexSnapshot(repo, base if isinstance(base, CommitSnapshot) else None, changes)
    if not all(_inert_by_name(change) for change in changes):
        return None  # decided from names and modes: no blob was read
    read: dict[str, bytes] = {}
    if not all(_inert_by_content(repo, change, target, read) for change in changes):
        return None
    return Change(base, target, [], manifests_changed=False, changed_paths=changed_paths(changes), text_files=[])


def _inert_by_name(change: FileChange) -> bool:
    """False when the name or mode of ``change`` says the full edge reads it (a manifest, a hook setting, Python
    code, a notebook); True when its content may still show that it holds nothing to check."""
    from hallucheck.git.hook_settings import CONFIG_FILES
    from hallucheck.manifests import may_declare, names_tool_modules
    from hallucheck.sources.file_kinds import CODE_KINDS, NOTEBOOK, text_kind
    from hallucheck.sources.index_settings import sets_sources

    for path in change_paths(change):
        if path in CONFIG_FILES or may_declare(path) or names_tool_modules(path) or sets_sources(path):
            return False
    if change.status == "D" or (not change.is_regular_file and change.new_mode != SYMLINK_MODE):
        return True  # deleted, or a submodule: nothing of it is read
    return change.new_mode != SYMLINK_MODE and not is_python_name(change.path) and (
        text_kind(change.path) not in (NOTEBOOK, *CODE_KINDS))


def _inert_by_content(repo: Repository, change: FileChange, target: Snapshot, read: dict[str, bytes]) -> bool:
    """Whether the full edge finds nothing to check in ``change`` (which :func:`_inert_by_name` let through),
    whichever files the hook was passed (a file it was not passed is left out there: only ever less work)."""
    from hallucheck.manifests import is_manifest
    from hallucheck.sources.file_kinds import (
        MARKDOWN,
        may_hold_commands,
        may_run_modules,
        reads_commands_of_manifest,
        text_kind,
    )

    if any(not is_python_name(path) and named_by_a_manifest(path, target, read) for path in change_paths(change)):
        return False  # `-r docs/extra.txt`: what a manifest includes is a manifest
    if change.status == "D" or not change.is_regular_file:
        return True
    content: bytes | None = None
    if may_be_script(change.path, change.new_mode):  # a shebang makes it Python code or a shell script
        content = repo.read_blob(change.new_blob) if change.new_blob else None
        if content is not None and content.startswith(b"#!"):
            return False
    kind = text_kind(change.path)
    if kind is None or not (reads_commands_of_manifest(kind) or not is_manifest(change.path)):
        return True  # no file install commands are read in
    if content is None:
        content = repo.read_blob(change.new_blob) if change.new_blob else None
    if content is None:
        return True
    text = text_of(content)
    if kind == MARKDOWN:
        from hallucheck.sources.jupytext import is_text_notebook

        if is_text_notebook(change.path, text):
            return False
    return not (may_hold_commands(text, kind) or may_run_modules(text, kind))
