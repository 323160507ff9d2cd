"""Signals between the engine and extensions, sent through PyDispatcher."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydispatch import dispatcher
from pydispatch.errors import DispatcherKeyError

from spiderweb.utils import dispatch_helpers

if TYPE_CHECKING:
    from twisted.internet.defer import Deferred
    from twisted.python.failure import Failure
