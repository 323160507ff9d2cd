"""Find the project's configuration file and the files to format."""

import os
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mypy_extensions import mypyc_attr
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version
from pathspec import PathSpec
from pathspec.patterns.gitwildmatch import GitWildMatchPatternError
from platformdirs import user_cache_dir

if sys.version_info >= (3, 11):
    try:
        import tomllib
    except ImportError:  # a 3.11 alpha without it
        if not TYPE_CHECKING:
            import tomli as tomllib
else:
    import tomli as tomllib

from tidy.messages import err, out
from tidy.modes import TargetVersion
from tidy.notebooks import notebook_support_installed
from tidy.summary import Summary

if TYPE_CHECKING:
    import colorama


def colored(stream: Any) -> Any:
    """``stream`` wrapped so that ANSI colours work on Windows, when colorama is installed."""
    try:
        from colorama.initialise import wrap_stream
    except ImportError:
        return stream
    return wrap_stream(stream, convert=None, strip=False, autoreset=False, wrap=True)
