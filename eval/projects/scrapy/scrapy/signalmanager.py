from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydispatch import dispatcher

from scrapy.utils import signal_ops as _signal

if TYPE_CHECKING:
    from twisted.internet.defer import Deferred
