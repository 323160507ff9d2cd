"""Format many files at once, in processes."""

import asyncio
import os
import signal
import sys
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING

from mypy_extensions import mypyc_attr

from tidy.summary import Changed

if TYPE_CHECKING:
    from tidy.modes import Mode


def install_uvloop_if_available() -> None:
    """Use uvloop's event loop when the ``uvloop`` extra is installed."""
    try:
        import uvloop
    except ImportError:
        return
    uvloop.install()


if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self
