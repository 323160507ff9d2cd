"""tidyd: format code sent over HTTP (needs the ``d`` extra)."""

import asyncio
import logging
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import partial

try:
    from aiohttp import web
    from multidict import MultiMapping  # eval: expect HC007 (reaches the project only through aiohttp)

    from .cors import cors_middleware
except ImportError as error:
    raise ImportError(f"tidyd needs aiohttp ({error}): pip install tidy-format[d]") from None

import click
from _tidy_version import version as __version__

import tidy
from tidy.workers import install_uvloop_if_available
