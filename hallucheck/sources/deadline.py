"""The time an agent's hook has to answer: a deadline that readers (shell text, install commands, manifests)
check as they go, raising :class:`OutOfTime` once it has passed, so the hook asks rather than answer late.

Kept apart from :mod:`.shell` so that a reader can check the time without loading the shell grammar.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator


class OutOfTime(Exception):
    """Reading did not finish before the deadline set with :func:`deadline` (the caller must not pass)."""


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("hallucheck_shell_deadline", default=None)


@contextlib.contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Within the block, reading raises :class:`OutOfTime` once :func:`time.monotonic` passes ``at`` (None: no
    deadline). An agent's hook must answer in time whatever the size of the command or of the project."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current_deadline() -> float | None:
    """The deadline in force (None: none)."""
    return _DEADLINE.get()


def check_time() -> None:
    """Raise :class:`OutOfTime` when the current deadline has passed (cheap: call it every few hundred steps)."""
    at = _DEADLINE.get()
    if at is not None and time.monotonic() > at:
        raise OutOfTime
