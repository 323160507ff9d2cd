"""The git edge: every git command hallucheck runs, through GitPython's command wrapper.

Only plumbing commands are used, with explicit flags, so that user configuration
(``diff.noprefix``, ``color.ui``, ``diff.external``, textconv, ``core.quotepath``)
cannot change what is parsed. Content always comes from git objects (a commit,
or the index named by ``GIT_INDEX_FILE``), never from the work tree. Nothing
here writes to the repository.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallucheck.snapshot import EntryKind

if TYPE_CHECKING:
    from git.cmd import Git

_GIT_FLAGS = ("-c", "core.quotepath=on", "-c", "diff.noprefix=false", "-c", "color.ui=never")
_MODE_KINDS = {"040000": EntryKind.DIRECTORY, "120000": EntryKind.SYMLINK, "160000": EntryKind.SUBMODULE}
REGULAR_FILE_MODES = ("100644", "100755")
# Every diff is plumbing with its options spelled out: `-M` but never `-C` (a copied file's
# imports are new), `--text` so a `-diff` attribute cannot turn a .py into "Binary files differ",
# no external diff or textconv, fixed prefixes, no colour, whatever the user's configuration says.
_RAW_FLAGS = ("--raw", "-z", "-M", "--no-ext-diff", "--no-textconv")
_PATCH_FLAGS = (
    "-p", "-U0", "-M", "--text", "--no-color", "--no-ext-diff", "--no-textconv",
    "--submodule=short", "--src-prefix=a/", "--dst-prefix=b/",
)  # fmt: skip
# Beyond this many paths the patch is limited by glob instead (a command line has a size limit).
_MAX_LITERAL_PATHS = 200


class GitError(Exception):
    """A git command failed; the message is meant for the user."""


class NotARepositoryError(GitError):
    pass


@dataclass(frozen=True)
class FileChange:
    """One entry of ``git diff-index --raw``: a path whose content differs between two snapshots."""

    status: str
    """``A``dded, ``M``odified, ``D``eleted, ``R``enamed, ``T``ype changed."""
    path: str
    old_path: str | None
    old_mode: str
    new_mode: str
    old_blob: str | None
    new_blob: str | None

    @property
    def is_regular_file(self) -> bool:
        return self.new_mode in REGULAR_FILE_MODES


@dataclass(frozen=True)
class IndexEntry:
    """One entry of ``git ls-files --stage``."""

    path: str
    mode: str
    blob: str
    stage: int
    """0 for a normal entry; 1-3 while a merge conflict on the path is unresolved."""

    @property
    def is_regular_file(self) -> bool:
        return self.mode in REGULAR_FILE_MODES


def _pathspecs(paths: Sequence[str]) -> list[str]:
    if len(paths) > _MAX_LITERAL_PATHS:
        return [":(top,glob)**/*.py", ":(top,glob)**/*.pyi"]
    return [f":(top,literal){path}" for path in paths]


def unquote_path(text: str) -> str:
    """Undo git's C-style quoting of a path (``"caf\\303\\251.py"`` → ``café.py``)."""
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        return text
    escapes = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
    body, out, index = text[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index]
        if char != "\\" or index + 1 == len(body):
            out += char.encode("utf-8", "surrogateescape")
            index += 1
        elif body[index + 1] in "01234567":
            out.append(int(body[index + 1 : index + 4], 8))
            index += 4
        else:
            out.append(escapes.get(body[index + 1], ord(body[index + 1])))
            index += 2
    return out.decode("utf-8", "surrogateescape")


def decode_output(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


class _BlobReader:
    """One ``git cat-file --batch`` process answering object reads for the whole run.

    GitPython's own persistent reader assumes 40-character SHA-1 names, which
    breaks SHA-256 repositories, so the protocol is spoken here directly.
    """

    def __init__(self, git: Git) -> None:
        self._git = git
        self._process: Any = None

    def read(self, name: str) -> tuple[str, bytes] | None:
        """The type and content of the object ``name`` (any revision expression), or None when missing."""
        if "\n" in name:
            return self._read_once(name)
        if self._process is None:
            self._process = self._git.execute(
                ["git", *_GIT_FLAGS, "cat-file", "--batch"], as_process=True, istream=subprocess.PIPE
            )
        stdin, stdout = self._process.proc.stdin, self._process.proc.stdout
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline().decode("utf-8", "surrogateescape").split()
        if len(header) != 3 or header[2] in ("missing", "ambiguous"):
            return None
        data = stdout.read(int(header[2]) + 1)[:-1]
        return header[1], data

    def _read_once(self, name: str) -> tuple[str, bytes] | None:
        try:
            kind = decode_output(self._git.execute(["git", "cat-file", "-t", name], stdout_as_string=False))
            data = self._git.execute(
                ["git", "cat-file", kind.strip(), name], stdout_as_string=False, strip_newline_in_stdout=False
            )
        except Exception:
            return None
        return kind.strip(), data

    def close(self) -> None:
        if self._process is not None:
            self._process.proc.stdin.close()
            self._process.proc.wait()
            self._process = None


class Repository:
    """A git repository seen from the current directory (which is never changed)."""

    def __init__(self, cwd: str | None = None) -> None:
        from git.cmd import Git  # GitPython is imported only when a repository is used

        self._git = Git(cwd or Path.cwd())
        try:
            top = self.run("rev-parse", "--show-toplevel").strip()
        except GitError as error:
            raise NotARepositoryError(
                "not inside a git work tree (run hallucheck from a git repository)"
            ) from error
        self.root = top
        self.blobs = _BlobReader(self._git)
        # hallucheck never writes to the repository, so within one run these answers cannot change.
        self._commits: dict[str, str | None] = {}
        self._staged: dict[str, list[FileChange]] = {}

    def run(self, *args: str, ok_codes: Sequence[int] = (0,)) -> str:
        """Run ``git ARGS`` and return its standard output, decoded losslessly."""
        from git.exc import GitCommandError

        try:
            status, out, err = self._git.execute(
                ["git", *_GIT_FLAGS, *args],
                with_extended_output=True,
                with_exceptions=False,
                stdout_as_string=False,
                strip_newline_in_stdout=False,
            )
        except GitCommandError as error:  # git itself could not be started
            raise GitError(str(error)) from error
        if status not in ok_codes:
            message = decode_output(err if isinstance(err, bytes) else err.encode()).strip()
            raise GitError(message.splitlines()[-1] if message else f"git {args[0]} failed ({status})")
        return decode_output(out)

    def close(self) -> None:
        self.blobs.close()

    @cached_property
    def empty_tree(self) -> str:
        # The name of the empty tree depends on the object format (SHA-1 or SHA-256).
        status, out, _ = self._git.execute(
            ["git", "hash-object", "-t", "tree", "--stdin"],
            istream=subprocess.DEVNULL,
            with_extended_output=True,
            with_exceptions=False,
        )
        if status != 0:
            raise GitError("cannot compute the empty tree")
        return str(out).strip()

    def resolve_commit(self, rev: str) -> str | None:
        """The full object name of commit ``rev``, or None when it does not exist (unborn HEAD)."""
        if rev not in self._commits:
            out = self.run(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", ok_codes=(0, 1)
            )
            self._commits[rev] = out.strip() or None
        return self._commits[rev]

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def merge_head(self) -> str | None:
        """The commit being merged in while a merge waits for its commit (``MERGE_HEAD``), if any."""
        return self.resolve_commit("MERGE_HEAD")

    def merge_base(self, first: str, second: str) -> str | None:
        """The best common ancestor of two commits, or None when their histories (as fetched) do not meet."""
        out = self.run("merge-base", "--end-of-options", first, second, ok_codes=(0, 1))
        return out.strip() or None

    def staged_changes(self, base: str) -> list[FileChange]:
        """Files that differ between tree-ish ``base`` and the index, renames detected."""
        if base not in self._staged:
            self._staged[base] = self._parse_raw(self.run("diff-index", "--cached", *_RAW_FLAGS, base, "--"))
        return self._staged[base]

    def staged_patch(self, base: str, paths: Sequence[str]) -> str:
        """The zero-context patch of ``paths`` between ``base`` and the index."""
        return self.run("diff-index", "--cached", *_PATCH_FLAGS, base, "--", *_pathspecs(paths))

    def tree_changes(self, old: str, new: str) -> list[FileChange]:
        """Files that differ between two tree-ish objects, renames detected."""
        return self._parse_raw(self.run("diff-tree", "-r", *_RAW_FLAGS, old, new, "--"))

    def tree_patch(self, old: str, new: str, paths: Sequence[str]) -> str:
        """The zero-context patch of ``paths`` between two tree-ish objects."""
        return self.run("diff-tree", "-r", *_PATCH_FLAGS, old, new, "--", *_pathspecs(paths))

    def index_entries(self, paths: Sequence[str] = ()) -> list[IndexEntry]:
        """The index entries at or under ``paths`` (every entry when empty), from ``ls-files --stage``."""
        specs = [f":(top,literal){path}" for path in paths]
        entries = []
        for record in self.run("ls-files", "--stage", "--full-name", "-z", "--", *specs).split("\0"):
            if record:
                meta, _, path = record.partition("\t")
                mode, blob, stage = meta.split()
                entries.append(IndexEntry(path, mode, blob, int(stage)))
        return entries

    def unstaged_paths(self, paths: Sequence[str]) -> list[str]:
        """Which of ``paths`` (regular files in the index) hold other content in the work tree.

        ``diff-files`` narrows the list by stat data without writing the index; each candidate is then
        hashed as git would store it (its filters applied), so a touched but unchanged file is not listed.
        The work tree is only read.
        """
        if not paths:
            return []
        specs = [f":(top,literal){path}" for path in paths]
        listed = self.run("diff-files", "--name-only", "-z", "--", *specs).split("\0")
        candidates = {path for path in listed if path}
        if not candidates:
            return []
        staged = {entry.path: entry for entry in self.index_entries(sorted(candidates))}
        changed = []
        for path in sorted(candidates):
            entry = staged.get(path)
            disk = os.path.join(self.root, path)
            if entry is None or not entry.is_regular_file or entry.stage:
                continue
            missing = not os.path.isfile(disk) or os.path.islink(disk)
            if missing or self.run("hash-object", "--", disk).strip() != entry.blob:
                changed.append(path)
        return changed

    @staticmethod
    def _parse_raw(out: str) -> list[FileChange]:
        fields = out.split("\0")
        changes: list[FileChange] = []
        index = 0
        while index < len(fields) - 1:
            meta = fields[index].lstrip(":").split()
            status = meta[4][0]
            if status in "RC":
                old_path, path = fields[index + 1], fields[index + 2]
                index += 3
            else:
                old_path, path = None, fields[index + 1]
                index += 2
            null = set("0")
            changes.append(
                FileChange(
                    status=status,
                    path=path,
                    old_path=old_path,
                    old_mode=meta[0],
                    new_mode=meta[1],
                    old_blob=None if set(meta[2]) == null else meta[2],
                    new_blob=None if set(meta[3]) == null else meta[3],
                )
            )
        return changes

    def list_tree(self, treeish: str, directory: str) -> dict[str, EntryKind]:
        """Entries directly inside ``directory`` of ``treeish``; empty when it is not a directory there."""
        spec = f"{treeish}:{directory}" if directory else f"{treeish}^{{tree}}"
        try:
            out = self.run("ls-tree", "--full-tree", "-z", "--end-of-options", spec)
        except GitError:
            return {}
        entries: dict[str, EntryKind] = {}
        for record in out.split("\0"):
            if not record:
                continue
            meta, _, name = record.partition("\t")
            entries[name] = _MODE_KINDS.get(meta.split()[0], EntryKind.FILE)
        return entries

    def index_has_files_under(self, directory: str) -> bool:
        out = self.run("ls-files", "-z", "--cached", "--full-name", "--", f":(top,literal){directory}/")
        return bool(out)

    def read_blob(self, name: str) -> bytes | None:
        found = self.blobs.read(name)
        return found[1] if found and found[0] == "blob" else None


class CommitSnapshot:
    """The files of a commit (or any tree-ish)."""

    def __init__(self, repo: Repository, treeish: str, label: str) -> None:
        self._repo = repo
        self._treeish = treeish
        self._label = label
        self._dirs: dict[str, Mapping[str, EntryKind]] = {}

    @property
    def label(self) -> str:
        return self._label

    def read(self, path: str) -> bytes | None:
        return self._repo.read_blob(f"{self._treeish}:{path}")

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        if directory not in self._dirs:
            self._dirs[directory] = self._repo.list_tree(self._treeish, directory)
        return self._dirs[directory]


class IndexSnapshot:
    """The staged files: a base commit's tree overlaid with the staged changes.

    Listing a directory of the index costs as much as the staged change, not the
    repository: the base tree is listed with ``ls-tree`` and the changed paths
    from ``diff-index`` are applied on top.
    """

    def __init__(self, repo: Repository, base: CommitSnapshot | None, changes: Sequence[FileChange]) -> None:
        self._repo = repo
        self._base = base
        self._added = [change.path for change in changes if change.status != "D"]
        self._removed = [change.old_path or change.path for change in changes if change.status in "DR"]
        self._modes = {change.path: change.new_mode for change in changes if change.status != "D"}
        self._dirs: dict[str, Mapping[str, EntryKind]] = {}

    @property
    def label(self) -> str:
        return "index"

    def read(self, path: str) -> bytes | None:
        return self._repo.read_blob(f":0:{path}")

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        if directory not in self._dirs:
            self._dirs[directory] = self._list_dir(directory)
        return self._dirs[directory]

    def _list_dir(self, directory: str) -> dict[str, EntryKind]:
        prefix = f"{directory}/" if directory else ""
        entries = dict(self._base.list_dir(directory)) if self._base else {}
        for path in self._removed:
            if path.startswith(prefix):
                name, sep, _ = path[len(prefix) :].partition("/")
                if not sep or not self._repo.index_has_files_under(prefix + name):
                    entries.pop(name, None)
        for path in self._added:
            if path.startswith(prefix):
                name, sep, _ = path[len(prefix) :].partition("/")
                mode = self._modes.get(path, "100644")
                entries[name] = EntryKind.DIRECTORY if sep else _MODE_KINDS.get(mode, EntryKind.FILE)
        return entries
