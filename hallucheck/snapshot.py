"""A read-only view of the files of one version of a repository.

The core reads files only through :class:`Snapshot`, so it never touches the
disk: the git edge provides snapshots of HEAD, the index or any commit, and
tests use :class:`MemorySnapshot`.
"""

from __future__ import annotations

import enum
import posixpath
from collections.abc import Mapping
from typing import Protocol


class EntryKind(enum.Enum):
    FILE = "file"
    DIRECTORY = "directory"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"


class Snapshot(Protocol):
    """Files of one version of a repository, addressed by ``/``-separated paths relative to its root."""

    @property
    def label(self) -> str:
        """A short name for messages, such as ``HEAD``, ``index`` or an abbreviated commit."""
        ...

    def read(self, path: str) -> bytes | None:
        """The content of the regular file at ``path``, or ``None`` when there is none."""
        ...

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        """The entries directly inside ``directory`` (``""`` is the root); empty when it does not exist."""
        ...


class MemorySnapshot:
    """A snapshot held in memory: a mapping of file paths to contents."""

    def __init__(self, files: Mapping[str, bytes | str], label: str = "memory") -> None:
        self._files = {
            path: content.encode() if isinstance(content, str) else content for path, content in files.items()
        }
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def read(self, path: str) -> bytes | None:
        return self._files.get(path)

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        prefix = f"{directory.strip('/')}/" if directory.strip("/") else ""
        entries: dict[str, EntryKind] = {}
        for path in self._files:
            if not path.startswith(prefix):
                continue
            head, sep, _ = path[len(prefix):].partition("/")
            entries[head] = EntryKind.DIRECTORY if sep else EntryKind.FILE
        return entries


class EmptySnapshot(MemorySnapshot):
    """The snapshot before the first commit."""

    def __init__(self, label: str = "empty tree") -> None:
        super().__init__({}, label)


class KnownFiles:
    """``snapshot`` with the contents of some of its regular files already read (files mode holds every file it
    checks): reading one of them again costs nothing, the rest is asked of ``snapshot``."""

    def __init__(self, snapshot: Snapshot, known: Mapping[str, bytes]) -> None:
        self._snapshot = snapshot
        self._known = known

    @property
    def label(self) -> str:
        return self._snapshot.label

    def read(self, path: str) -> bytes | None:
        known = self._known.get(path)
        return known if known is not None else self._snapshot.read(path)

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        return self._snapshot.list_dir(directory)


def parent_directories(path: str) -> list[str]:
    """The directories enclosing ``path``, nearest first, ending with the root ``""``."""
    parents = []
    directory = posixpath.dirname(path)
    while directory:
        parents.append(directory)
        directory = posixpath.dirname(directory)
    parents.append("")
    return parents


_MAX_LINK_HOPS = 8


def resolve_link(snapshot: Snapshot, path: str) -> str | None:
    """The path of the regular file or directory that the entry at ``path`` finally is, following symlinks.

    A symlink is followed only inside the snapshot: a target outside the repository
    (absolute, or above its root), a missing one, a loop or a chain longer than a
    few links resolves to None, as does a missing ``path``.
    """
    for _ in range(_MAX_LINK_HOPS):
        directory, _, name = path.rpartition("/")
        kind = snapshot.list_dir(directory).get(name) if name else EntryKind.DIRECTORY
        if kind in (EntryKind.FILE, EntryKind.DIRECTORY):
            return path
        if kind is not EntryKind.SYMLINK:
            return None
        target = snapshot.read(path)
        if target is None or target.startswith(b"/") or b"\0" in target:
            return None
        joined = posixpath.normpath(posixpath.join(directory, target.decode("utf-8", "surrogateescape")))
        if joined == ".." or joined.startswith("../"):
            return None
        path = "" if joined == "." else joined
    return None
