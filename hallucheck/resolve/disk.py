"""Files read from the disk rather than from git: regular files only, and never more than a bound.

Everything else hallucheck reads comes from a snapshot. What comes from the disk
(a virtual environment's metadata, pip's configuration, the registry cache, the
work tree for ``approve``) may be anything: a FIFO, whose ``open()`` blocks until
a writer appears; a device such as ``/dev/zero``, which never ends; an 8 GiB file.
So a path is opened only when it is a regular file, without blocking, checked
again on the open descriptor, and read up to a limit.
"""

from __future__ import annotations

import os
import stat

MEBIBYTE = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def read_regular_file(path: str | os.PathLike[str], limit: int, *, prefix: bool = False) -> bytes | None:
    """The bytes of ``path`` when it is a regular file (symlinks followed) of at most ``limit`` bytes.

    None when it is absent, unreadable, not a regular file, or larger than
    ``limit``; with ``prefix``, a larger file gives its first ``limit`` bytes.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # never opened: opening a FIFO blocks, opening a device may do anything
        descriptor = os.open(path, _FLAGS)
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None  # replaced between the check and the open
        if status.st_size > limit and not prefix:
            return None
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, MEBIBYTE))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) <= limit:
        return data
    return data[:limit] if prefix else None


def read_text_file(path: str | os.PathLike[str], limit: int, *, prefix: bool = False) -> str | None:
    """:func:`read_regular_file` decoded as UTF-8 (undecodable bytes replaced)."""
    data = read_regular_file(path, limit, prefix=prefix)
    return None if data is None else data.decode("utf-8", "replace")
