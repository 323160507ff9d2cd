"""The git edge: every git command hallucheck runs, through one small process layer.

Only plumbing is spoken, with its options spelled out (``--no-color --no-ext-diff
--no-textconv``, ``-z`` name lists, fixed prefixes, literal pathspecs), so that user
configuration (``diff.noprefix``, ``color.ui``, ``diff.external``, textconv,
``core.quotepath``) cannot change what is parsed. Content always comes from git
objects (a commit, or the index named by ``GIT_INDEX_FILE``), never from the work
tree. Commands run in the caller's directory with the caller's environment: git's
own variables (``GIT_INDEX_FILE``, ``GIT_DIR``, ``GIT_WORK_TREE``) keep their meaning.
Nothing here writes to the repository.

GitPython is not imported on the checking path: its import and its ``git version``
probes cost more than the whole commit check. Nor is ``subprocess`` where ``os.posix_spawnp`` exists: its
import (``locale``, ``signal``, ``threading``, ``selectors``) costs about as much as the git processes of a
commit; :class:`_Spawned` starts git with pipes directly. It builds repositories where start-up
does not matter (:func:`create_repository`, for ``hallucheck demo``), imported there.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from hallucheck.lazy import Slots
from hallucheck.snapshot import EntryKind

if TYPE_CHECKING:
    from pathlib import Path

# `core.quotepath` is read by plumbing too; fixing it makes the patch headers one shape.
# core.fsmonitor would run a command of the repository's configuration on every index read;
# `--no-replace-objects`: refs/replace/* would make git show another blob than the one a commit stores (H37)
_GIT = ("git", "--literal-pathspecs", "--no-replace-objects", "-c", "core.quotepath=on", "-c", "core.fsmonitor=false")
_MODE_KINDS = {"040000": EntryKind.DIRECTORY, "120000": EntryKind.SYMLINK, "160000": EntryKind.SUBMODULE}
REGULAR_FILE_MODES = ("100644", "100755")
# Every diff is plumbing with its options spelled out: `-M` but never `-C` (a copied file's
# imports are new), `--text` so a `-diff` attribute cannot turn a .py into "Binary files differ",
# no external diff or textconv, fixed prefixes, no colour, whatever the user's configuration says.
_RAW_FLAGS = ("--raw", "-z", "-M", "--no-color", "--no-ext-diff", "--no-textconv")
_PATCH_FLAGS = (
    "-p", "-U0", "-M", "--text", "--no-color", "--no-ext-diff", "--no-textconv",
    "--submodule=short", "--src-prefix=a/", "--dst-prefix=b/",
)  # fmt: skip
# A commit's records and patch come from one process: the same patch, but binary files stay one line.
_COMBINED_PATCH_FLAGS = tuple(flag for flag in _PATCH_FLAGS if flag not in _RAW_FLAGS and flag != "--text")
# Paths are passed on the command line in batches of at most this many bytes (Linux allows 128 kB per
# argument and about 2 MB in all); a long list of staged files becomes several `git` processes.
_MAX_ARGUMENT_BYTES = 64 * 1024
# Beyond this many paths, a command that lists few results runs on the whole repository and is filtered.
_MAX_NAMED_PATHS = 200
# At most this many work-tree files are compared with the index by hashing them here, without `diff-files`.
_HASHED_PATHS = 20
# Directories of one tree listed by one `ls-tree` each before the whole tree is listed at once.
_DIRECTORIES_LISTED_ALONE = 8
# The empty tree has a fixed name per object format; git knows it without storing it.
_EMPTY_TREES = {
    "sha1": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "sha256": "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}


class GitError(Exception):
    """A git command failed; the message is meant for the user."""


class NotARepositoryError(GitError):
    pass


class FileChange(Slots):
    """One entry of ``git diff-index --raw``: a path whose content differs between two snapshots."""

    __slots__ = ("new_blob", "new_mode", "old_blob", "old_mode", "old_path", "path", "status")

    def __init__(
        self, status: str, path: str, old_path: str | None, old_mode: str, new_mode: str, old_blob: str | None,
        new_blob: str | None,
    ) -> None:  # fmt: skip
        self.status = status
        """``A``dded, ``M``odified, ``D``eleted, ``R``enamed, ``T``ype changed, ``U``nmerged."""
        self.path = path
        self.old_path = old_path
        self.old_mode = old_mode
        self.new_mode = new_mode
        self.old_blob = old_blob
        self.new_blob = new_blob

    @property
    def is_regular_file(self) -> bool:
        return self.new_mode in REGULAR_FILE_MODES

    @property
    def paths(self) -> tuple[str, ...]:
        """The path, and the path it was renamed from."""
        return (self.path,) if self.old_path is None else (self.path, self.old_path)


class IndexEntry(Slots):
    """One entry of ``git ls-files --stage``."""

    __slots__ = ("blob", "mode", "path", "stage")

    def __init__(self, path: str, mode: str, blob: str, stage: int) -> None:
        self.path = path
        self.mode = mode
        self.blob = blob
        self.stage = stage
        """0 for a normal entry; 1-3 while a merge conflict on the path is unresolved."""

    @property
    def is_regular_file(self) -> bool:
        return self.mode in REGULAR_FILE_MODES


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


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


_PIPE, _DEVNULL = -1, -3
"""A pipe to or from the process, and the null device (``subprocess.PIPE`` and ``subprocess.DEVNULL``'s values)."""
_SIGPIPE = 13
"""SIGPIPE on Linux and macOS (those with ``os.posix_spawnp``): Python ignores it; git gets the default back."""


class _Spawned:
    """A git process started with ``os.posix_spawnp``, its standard streams pipes or the null device: the part
    of ``subprocess.Popen`` hallucheck uses (``stdin``, ``stdout``, ``returncode``, ``wait``, ``communicate``)."""

    def __init__(self, argv: Sequence[str], stdin: int, stdout: int, stderr: int) -> None:
        streams: list[BinaryIO | None] = [None, None, None]
        actions: list[tuple[Any, ...]] = []
        children: list[int] = []
        try:
            for fd, how in enumerate((stdin, stdout, stderr)):
                if how == _DEVNULL:
                    actions.append((os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0))
                    continue
                read_end, write_end = os.pipe()  # not inherited (PEP 446): the child gets its dup2 copy only
                child, parent = (read_end, write_end) if fd == 0 else (write_end, read_end)
                children.append(child)
                streams[fd] = open(parent, "wb" if fd == 0 else "rb")  # noqa: SIM115 (closed by communicate/close)
                actions.append((os.POSIX_SPAWN_DUP2, child, fd))
            self.pid = os.posix_spawnp(argv[0], list(argv), os.environ, file_actions=actions, setsigdef=(_SIGPIPE,))
        except BaseException:
            for stream in streams:
                if stream is not None:
                    stream.close()
            raise
        finally:
            for fd in children:
                os.close(fd)
        self.stdin, self.stdout, self.stderr = streams
        self.returncode: int | None = None

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def communicate(self, data: bytes | None = None) -> tuple[bytes, bytes]:
        """Write ``data`` to standard input (then close it) while reading standard output and error to their
        end, so that no pipe fills up; then wait. The streams that were not pipes read as empty."""
        import select

        pending = memoryview(data or b"")
        outputs = [stream.fileno() if stream is not None else -1 for stream in (self.stdout, self.stderr)]
        read: dict[int, bytearray] = {}
        streams: dict[int, BinaryIO] = {}
        poller = select.poll()
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                read[stream.fileno()] = bytearray()
                streams[stream.fileno()] = stream
                poller.register(stream.fileno(), select.POLLIN | select.POLLPRI)
        if self.stdin is not None:
            if pending:
                streams[self.stdin.fileno()] = self.stdin
                poller.register(self.stdin.fileno(), select.POLLOUT)
            else:
                self.stdin.close()
        while streams:
            for fd, _ in poller.poll():
                if fd not in read:  # standard input: at most PIPE_BUF bytes, which never block
                    try:
                        pending = pending[os.write(fd, pending[:512]) :]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if pending:
                        continue
                else:
                    chunk = os.read(fd, 65536)
                    if chunk:
                        read[fd] += chunk
                        continue
                poller.unregister(fd)
                streams.pop(fd).close()
        self.wait()
        out, err = (bytes(read.get(fd, b"")) for fd in outputs)
        return out, err


def _start(args: Sequence[str], *, stdin: int, stdout: int, stderr: int) -> Any:
    """``git ARGS`` started with the given streams (:data:`_PIPE` or :data:`_DEVNULL` each): a :class:`_Spawned`,
    or a ``subprocess.Popen`` where there is no ``os.posix_spawnp`` (Windows)."""
    argv = [*_GIT, *args]
    try:
        if hasattr(os, "posix_spawnp"):
            return _Spawned(argv, stdin, stdout, stderr)
        import subprocess

        return subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH (hallucheck reads the repository through git)") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror}") from None


def run_git(args: Sequence[str], *, ok_codes: Sequence[int] = (0,), stdin: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in the current directory; its standard output, or GitError with git's message."""
    process = _start(args, stdin=_DEVNULL if stdin is None else _PIPE, stdout=_PIPE, stderr=_PIPE)
    out, err = process.communicate(stdin)
    if process.returncode not in ok_codes:
        message = decode_output(err).strip()
        last = message.splitlines()[-1] if message else f"git {args[0]} failed ({process.returncode})"
        raise GitError(last + _PARTIAL_CLONE_ADVICE if "promisor remote" in last else last)
    return bytes(out)


_PARTIAL_CLONE_ADVICE = (
    ": this is a partial clone (git fetches file contents from its remote when they are first read) and the"
    " remote could not give them; run again where the remote can be reached, or in a full clone"
    " (`git clone` without `--filter`), so hallucheck can read what the change holds"
)


class _BlobReader:
    """One ``git cat-file --batch`` process answering object reads for the whole run, started on first use.

    The protocol is spoken directly: it works for SHA-1 and SHA-256 repositories alike.
    """

    def __init__(self) -> None:
        self._process: Any = None

    def read(self, name: str) -> tuple[str, bytes] | None:
        """The type and content of the object ``name`` (any revision expression), or None when missing."""
        if "\n" in name:
            return self._read_once(name)
        process = self._started()
        stdin, stdout = self._pipes(process)
        try:
            stdin.write(_encode(name) + b"\n")
            stdin.flush()
        except BrokenPipeError:
            raise GitError("git cat-file stopped unexpectedly") from None
        return self._response(stdout)

    def read_many(self, names: Sequence[str]) -> list[tuple[str, bytes] | None]:
        """:meth:`read` for many objects at once: the requests are written while the answers are read."""
        import threading

        simple = [name for name in names if "\n" not in name]
        process = self._started()
        stdin, stdout = self._pipes(process)

        def feed() -> None:
            try:
                for start in range(0, len(simple), 512):
                    stdin.write(b"".join(_encode(name) + b"\n" for name in simple[start : start + 512]))
                stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # the reader reports the missing answers

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        answers = {name: self._response(stdout) for name in simple}
        writer.join()  # (not on an error: the writer then stops at the closed pipe, or with the process)
        return [answers[name] if "\n" not in name else self._read_once(name) for name in names]

    def _started(self) -> Any:
        if self._process is None:
            self._process = _start(["cat-file", "--batch"], stdin=_PIPE, stdout=_PIPE, stderr=_DEVNULL)
            _forget_in_forked_children(self)
        return self._process

    def forget(self) -> None:
        """Drop the process without talking to it: a forked child must not share its parent's pipes (a worker
        checking files starts its own process on its first read)."""
        self._process = None

    @staticmethod
    def _pipes(process: Any) -> tuple[IO[bytes], IO[bytes]]:
        assert process.stdin is not None and process.stdout is not None
        return process.stdin, process.stdout

    @staticmethod
    def _response(stdout: IO[bytes]) -> tuple[str, bytes] | None:
        line = stdout.readline()
        if not line.endswith(b"\n"):
            raise GitError("git cat-file stopped unexpectedly")
        header = decode_output(line).split()
        if len(header) != 3 or header[2] in ("missing", "ambiguous"):
            return None
        size = int(header[2])
        data = stdout.read(size + 1)
        if len(data) != size + 1:
            raise GitError("git cat-file stopped unexpectedly")
        return header[1], data[:-1]

    @staticmethod
    def _read_once(name: str) -> tuple[str, bytes] | None:
        # A name holding a newline cannot go through the batch protocol; it is rare (a path with one).
        try:
            kind = decode_output(run_git(["cat-file", "-t", "--end-of-options", name])).strip()
            return kind, run_git(["cat-file", kind, "--end-of-options", name])
        except GitError:
            return None

    def close(self) -> None:
        if self._process is not None:
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.close()
            self._process.stdout.close()
            self._process.wait()
            self._process = None


_READERS: Any = None
"""The blob readers with a process (a weak set), forgotten in a forked child; the fork hook is registered once."""


def _forget_in_forked_children(reader: _BlobReader) -> None:
    global _READERS
    if _READERS is None:
        import weakref

        _READERS = weakref.WeakSet()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=lambda: [item.forget() for item in list(_READERS)])
    _READERS.add(reader)


def close_blob_readers() -> None:
    """End every ``git cat-file`` this process started and wait for it (a forked worker, before it exits: its
    processes would otherwise outlive it, to be reaped by whoever adopts them)."""
    for reader in list(_READERS or ()):
        reader.close()


class _State(Slots):
    """What one ``git rev-parse`` says about the repository and the current directory."""

    __slots__ = ("empty_tree", "head", "merge_head", "prefix", "root", "shallow")

    def __init__(
        self, root: str, prefix: str, empty_tree: str, shallow: bool, head: str | None, merge_head: str | None
    ) -> None:
        self.root = root
        self.prefix = prefix
        """The current directory relative to ``root`` (``""`` at the root, else ending in ``/``)."""
        self.empty_tree = empty_tree
        self.shallow = shallow
        self.head = head
        self.merge_head = merge_head


def _repository_state() -> _State:
    # Options print in order; with --revs-only a name that is not a commit is skipped, and so is every
    # name after it. `HEAD MERGE_HEAD HEAD` therefore prints nothing (unborn HEAD), one name (HEAD, no
    # merge) or three (HEAD, MERGE_HEAD, HEAD again): which is which is never a guess.
    args = ["rev-parse", "--revs-only", "--show-toplevel", "--show-prefix", "--show-object-format",
            "--is-shallow-repository", "HEAD^{commit}", "MERGE_HEAD^{commit}", "HEAD^{commit}"]  # fmt: skip
    try:
        out = decode_output(run_git(args))
    except GitError as error:
        if "not a git repository" in str(error) or "must be run in a work tree" in str(error):
            raise NotARepositoryError("not inside a git work tree (run hallucheck from a git repository)") from None
        raise
    lines = out.split("\n")
    if lines[-1] == "":
        lines.pop()
    commits: list[str] = []
    while lines and len(commits) < 3 and _is_object_name(lines[-1]):
        commits.insert(0, lines.pop())
    if len(commits) == 2 or len(lines) < 4 or lines[-2] not in _EMPTY_TREES:
        raise NotARepositoryError(f"not inside a git work tree (git rev-parse said {out.strip()!r})")
    root, prefix = _split_location(lines[:-2])
    return _State(
        root=root,
        prefix=prefix,
        empty_tree=_EMPTY_TREES[lines[-2]],
        shallow=lines[-1] == "true",
        head=commits[0] if commits else None,
        merge_head=commits[1] if len(commits) == 3 else None,
    )


def _is_object_name(text: str) -> bool:
    return len(text) in (40, 64) and all(char in "0123456789abcdef" for char in text)


def _split_location(lines: list[str]) -> tuple[str, str]:
    """The top level and the prefix printed on ``lines``; either may hold a newline (then there are more lines)."""
    if len(lines) == 2:
        return lines[0], lines[1]
    here = os.path.realpath(os.getcwd())
    for cut in range(1, len(lines)):
        root, prefix = "\n".join(lines[:cut]), "\n".join(lines[cut:])
        if os.path.realpath(os.path.join(root, prefix)) == here:
            return root, prefix
    raise NotARepositoryError("cannot tell the repository's top level from git rev-parse (a newline in a path?)")


class Repository:
    """A git repository seen from the current directory (which is never changed)."""

    def __init__(self) -> None:
        state = _repository_state()
        self.root = state.root
        self._prefix = state.prefix
        self.empty_tree = state.empty_tree
        self._shallow = state.shallow
        self.blobs = _BlobReader()
        # hallucheck never writes to the repository, so within one run these answers cannot change.
        self._commits: dict[str, str | None] = {"HEAD": state.head, "MERGE_HEAD": state.merge_head}
        self._staged: dict[str, tuple[list[FileChange], str]] = {}
        self._index_blobs: dict[str, str] = {}
        """Path -> blob of index entries a staged diff has named (the index's own content for them)."""
        self._listings: dict[str, int] = {}
        self._prefetched: dict[str, bytes | None] = {}
        self._trees: dict[str, dict[str, dict[str, EntryKind]]] = {}

    def run(self, *args: str, ok_codes: Sequence[int] = (0,)) -> str:
        """Run ``git ARGS`` and return its standard output, decoded losslessly."""
        return decode_output(run_git(args, ok_codes=ok_codes))

    def close(self) -> None:
        self.blobs.close()

    def pathspecs(self, paths: Sequence[str]) -> list[str]:
        """Repository-relative ``paths`` (``""`` is the root) as literal pathspecs for git run here.

        git runs in the caller's directory, so a path is made relative to it (``../x.py`` from
        a subdirectory); a trailing ``/`` (directories only) is kept.
        """
        if not self._prefix:
            return [path or "." for path in paths]
        return [posixpath.relpath(path or ".", self._prefix) + ("/" if path.endswith("/") else "") for path in paths]

    def resolve_commit(self, rev: str) -> str | None:
        """The full object name of commit ``rev``, or None when it does not exist (unborn HEAD)."""
        if rev not in self._commits:
            out = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", ok_codes=(0, 1))
            self._commits[rev] = out.strip() or None
        return self._commits[rev]

    def is_shallow(self) -> bool:
        return self._shallow

    def merge_head(self) -> str | None:
        """The commit being merged in while a merge waits for its commit (``MERGE_HEAD``), if any."""
        return self._commits["MERGE_HEAD"]

    def merge_base(self, first: str, second: str) -> str | None:
        """The best common ancestor of two commits, or None when their histories (as fetched) do not meet."""
        out = self.run("merge-base", "--end-of-options", first, second, ok_codes=(0, 1))
        return out.strip() or None

    def staged_changes(self, base: str) -> list[FileChange]:
        """Files that differ between tree-ish ``base`` and the index, renames detected."""
        return self.staged_diff(base)[0]

    def staged_diff(self, base: str) -> tuple[list[FileChange], str]:
        """The staged changes against ``base`` and their zero-context patch, from one ``diff-index`` process.

        The patch is git's without ``--text``: a file git takes for binary is one ``Binary files`` line, so a
        large binary file costs nothing; :meth:`staged_patch` reads such a file again as text when it must.
        """
        if base not in self._staged:
            out = self.run("diff-index", "--cached", *_RAW_FLAGS, *_COMBINED_PATCH_FLAGS, base, "--")
            changes, end = _parse_raw_records(out)
            self._staged[base] = (changes, out[end:])
            for change in changes:
                if change.new_blob is not None and change.status != "U":
                    self._index_blobs[change.path] = change.new_blob
        return self._staged[base]

    def staged_patch(self, base: str, changes: Sequence[FileChange]) -> str:
        """The zero-context patch of ``changes`` (both sides of a rename) between ``base`` and the index, every
        file read as text (a ``-diff`` attribute cannot make a ``.py`` file binary)."""
        return self._patch(["diff-index", "--cached", *_PATCH_FLAGS, base], changes)

    def tree_changes(self, old: str, new: str) -> list[FileChange]:
        """Files that differ between two tree-ish objects, renames detected."""
        return parse_raw(self.run("diff-tree", "-r", *_RAW_FLAGS, old, new, "--"))

    def tree_patch(self, old: str, new: str, changes: Sequence[FileChange]) -> str:
        """The zero-context patch of ``changes`` between two tree-ish objects."""
        return self._patch(["diff-tree", "-r", *_PATCH_FLAGS, old, new], changes)

    def _patch(self, command: Sequence[str], changes: Sequence[FileChange]) -> str:
        # Every path is named (never a glob), in batches that fit a command line; the two sides of a
        # rename stay in one batch so that git pairs them again.
        patches: list[str] = []
        batch: list[str] = []
        size = 0
        for change in changes:
            specs = self.pathspecs(change.paths)
            cost = sum(len(_encode(spec)) + 1 for spec in specs)
            if batch and size + cost > _MAX_ARGUMENT_BYTES:
                patches.append(self.run(*command, "--", *batch))
                batch, size = [], 0
            batch += specs
            size += cost
        if batch:
            patches.append(self.run(*command, "--", *batch))
        return "".join(patches)

    def index_entries(self, paths: Sequence[str] = ()) -> list[IndexEntry]:
        """The index entries at or under ``paths`` (every entry when empty), from ``ls-files --stage``."""
        entries = []
        out = self.run("ls-files", "--stage", "--full-name", "-z", "--", *self.pathspecs(paths or [""]))
        for entry_record in out.split("\0"):
            if entry_record:
                meta, _, path = entry_record.partition("\t")
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
        if len(paths) <= _HASHED_PATHS and all(path in self._index_blobs for path in paths):
            # A commit's few files: a work-tree file whose bytes are the staged blob's is unchanged, and
            # no git process is needed to tell; any other is compared by git as below.
            paths = [path for path in paths if not self._same_on_disk(path, self._index_blobs[path])]
            if not paths:
                return []
        # Many paths (a whole-repository check) are not spelled out: a command line has a size limit.
        specs = self.pathspecs(paths) if len(paths) <= _MAX_NAMED_PATHS else []
        listed = self.run("diff-files", "--name-only", "-z", "--", *specs).split("\0")
        candidates = {path for path in listed if path} & set(paths)
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

    def _same_on_disk(self, path: str, blob: str) -> bool:
        """Whether the regular file at ``path`` in the work tree holds exactly the content of ``blob``."""
        import stat

        disk = os.path.join(self.root, path)
        try:
            if not stat.S_ISREG(os.lstat(disk).st_mode):
                return False
            with open(disk, "rb") as stream:
                data = stream.read()
        except OSError:
            return False
        digest = _hasher(len(blob) == 40)(b"blob %d\0" % len(data))
        digest.update(data)
        return bool(digest.hexdigest() == blob)

    def list_tree(self, treeish: str, directory: str) -> Mapping[str, EntryKind]:
        """Entries directly inside ``directory`` of ``treeish``; empty when it is not a directory there.

        A directory is listed on its own (the cost follows the change) until a run has asked for
        many directories of one tree (a whole-repository check): then the tree is listed once.
        """
        tree = self._trees.get(treeish)
        if tree is None:
            self._listings[treeish] = self._listings.get(treeish, 0) + 1
            if self._listings[treeish] <= _DIRECTORIES_LISTED_ALONE:
                return self._list_directory(treeish, directory)
            tree = self._trees[treeish] = self._list_whole_tree(treeish)
        return tree.get(directory, {})

    def _list_whole_tree(self, treeish: str) -> dict[str, dict[str, EntryKind]]:
        tree: dict[str, dict[str, EntryKind]] = {"": {}}
        out = self.run("ls-tree", "-r", "-t", "--full-tree", "-z", "--end-of-options", f"{treeish}^{{tree}}")
        for entry_record in out.split("\0"):
            if entry_record:
                meta, _, path = entry_record.partition("\t")
                directory, _, name = path.rpartition("/")
                kind = _MODE_KINDS.get(meta.split()[0], EntryKind.FILE)
                tree.setdefault(directory, {})[name] = kind
                if kind is EntryKind.DIRECTORY:
                    tree.setdefault(path, {})
        return tree

    def _list_directory(self, treeish: str, directory: str) -> dict[str, EntryKind]:
        """One directory of ``treeish``, read as a tree object by the run's ``cat-file`` process."""
        found = self.blobs.read(f"{treeish}:{directory}" if directory else f"{treeish}^{{tree}}")
        if found is None or found[0] != "tree":
            return {}
        return parse_tree(found[1], len(self.empty_tree) // 2)

    def tree_entries(self, treeish: str) -> list[IndexEntry]:
        """Every file of ``treeish`` (recursively), in path order, shaped as index entries."""
        entries = []
        out = self.run("ls-tree", "-r", "--full-tree", "-z", "--end-of-options", f"{treeish}^{{tree}}")
        for entry_record in out.split("\0"):
            if entry_record:
                meta, _, path = entry_record.partition("\t")
                mode, _, blob = meta.split()
                entries.append(IndexEntry(path, mode, blob, 0))
        return entries

    def index_has_files_under(self, directory: str) -> bool:
        out = self.run("ls-files", "-z", "--cached", "--full-name", "--", *self.pathspecs([f"{directory}/"]))
        return bool(out)

    def read_blob(self, name: str) -> bytes | None:
        if name in self._prefetched:  # kept: a blob is read as Python and again as text (its bytes are shared)
            return self._prefetched[name]
        found = self.blobs.read(name)
        return found[1] if found and found[0] == "blob" else None

    def prefetch_blobs(self, names: Sequence[str]) -> None:
        """Read the blobs ``names`` (object names) through one pipelined exchange; :meth:`read_blob` then returns
        them without asking git."""
        for name, found in zip(names, self.blobs.read_many(names), strict=True):
            self._prefetched[name] = found[1] if found and found[0] == "blob" else None


def _hasher(sha1: bool) -> Callable[[bytes], Any]:
    """git's object hash; the interpreter's own SHA-1 module loads faster than OpenSSL's ``hashlib``."""
    if sha1:
        try:
            import _sha1  # type: ignore[import-not-found,unused-ignore]

            return _sha1.sha1  # type: ignore[no-any-return,unused-ignore]
        except ImportError:  # an interpreter built without it
            pass
    import hashlib

    return hashlib.sha1 if sha1 else hashlib.sha256


def parse_tree(data: bytes, hash_size: int) -> dict[str, EntryKind]:
    """The entries of a tree object (``MODE SP NAME NUL`` and the binary object name, ``hash_size`` bytes)."""
    entries: dict[str, EntryKind] = {}
    position = 0
    while position < len(data):
        space = data.find(b" ", position)
        nul = data.find(b"\0", space + 1)
        if space < 0 or nul < 0 or nul + 1 + hash_size > len(data):
            raise GitError("unexpected tree object from git cat-file")
        mode = data[position:space].decode("ascii").rjust(6, "0")
        entries[decode_output(data[space + 1 : nul])] = _MODE_KINDS.get(mode, EntryKind.FILE)
        position = nul + 1 + hash_size
    return entries


def parse_raw(out: str) -> list[FileChange]:
    """The records of ``git diff-* --raw -z`` output."""
    changes, end = _parse_raw_records(out)
    if end != len(out):
        raise GitError(f"unexpected output from git diff: {out[end : end + 80]!r}")
    return changes


def _parse_raw_records(out: str) -> tuple[list[FileChange], int]:
    """The ``--raw -z`` records at the start of ``out``, and where what follows them begins.

    With ``-p`` as well, git ends the records with one more NUL and prints the patch after it; the
    patch itself is never split at NULs (a file read as text may hold them).
    """
    changes: list[FileChange] = []
    position = 0
    while position < len(out) and out.startswith(":", position):
        meta_end = out.find("\0", position)
        meta = out[position + 1 : meta_end].split() if meta_end >= 0 else []
        if len(meta) != 5:
            raise GitError(f"unexpected output from git diff: {out[position : position + 80]!r}")
        status = meta[4][0]
        paths: list[str] = []
        position = meta_end + 1
        for _ in range(2 if status in "RC" else 1):
            path_end = out.find("\0", position)
            if path_end < 0:
                raise GitError(f"unexpected output from git diff: {out[position : position + 80]!r}")
            paths.append(out[position:path_end])
            position = path_end + 1
        old_path, path = (paths[0], paths[1]) if len(paths) == 2 else (None, paths[0])
        changes.append(
            FileChange(
                status=status,
                path=path,
                old_path=old_path,
                old_mode=meta[0],
                new_mode=meta[1],
                old_blob=None if meta[2].strip("0") == "" else meta[2],
                new_blob=None if meta[3].strip("0") == "" else meta[3],
            )
        )
    if changes and out.startswith("\0", position):
        position += 1  # the NUL between the records and a patch
    return changes, position


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


def create_repository(root: Path, committed: Mapping[str, str], staged: Mapping[str, str], message: str) -> None:
    """A new repository at ``root`` with ``committed`` written and committed, then ``staged`` written and staged.

    For throwaway repositories (``hallucheck demo``): GitPython's object model builds them, and
    its start-up cost does not matter there. Hooks do not run; the author is fixed.
    """
    import git

    repository = git.Repo.init(root)
    author = git.Actor("demo", "demo@example.invalid")
    for files in (committed, staged):
        for path, content in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        repository.index.add(sorted(files))
        if files is committed:
            repository.index.commit(message, author=author, committer=author)
    repository.close()
