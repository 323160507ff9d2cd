"""The short way for plain top-level import statements gives exactly what the general way gives.

:func:`~hallucheck.sources.imports.imports_in_lines` takes a plain import statement at the top level as the
plain-import parser reads it, without looking for the blocks around it (``plain_top_level``). Here both ways
read the same sources, and every import, syntax error and computed import must be equal: on generated sources
(random edits of standard-library modules, statements of every shape at every depth), on every module of the
standard library, and on the trees of ``/work/repos`` when they are there (the real projects the speed figures
are measured on).
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallucheck.sources.dynamic import importer_names
from hallucheck.sources.imports import ImportScan, import_lines, imports_in_lines
from hallucheck.sources.python import UndecodableSourceError, decode_source
from tests.test_imports_property import _FILES, _edit

_STDLIB = Path(sysconfig.get_paths()["stdlib"])
_REPOS = Path(os.environ.get("HALLUCHECK_REAL_TREES", "/work/repos"))
_SHAPES = (
    "import {a}",
    "import {a} as b, {a}.c",
    "from {a} import b",
    "from . import {a}",
    "from .{a} import (b,\n    c as d,  # note\n)",
    "from {a} import *",
    "import {a}; import b",
    "import {a}, \\\n    b",
    "import \uff4f\uff53",  # full-width `os`: NFKC makes it `os`
    "import {a}·x",
    "\fimport {a}",
    "if TYPE_CHECKING:\n    import {a}",
    "try:\n    import {a}\nexcept ImportError:\n    {a} = None",
    "try: import {a}\nexcept ImportError: pass",
    "if sys.version_info >= (3, 11):\n    import {a}\nelse:\n    import b",
    "def f():\n    import {a}",
    "class C:\n    from {a} import b",
    "x = (\nimport_{a})",
    '"""\nimport {a}\n"""',
    "s = '''\nfrom {a} import b'''",
    "import_module('{a}')",
    "from {a} import (b",
    "import",
    "from {a} import b,",
)


def _both_ways(text: str, lines: list[int] | None = None) -> tuple[ImportScan, ImportScan]:
    """The scan of ``text`` at ``lines`` (by default, as a whole file is read: at its candidate lines) both ways."""
    importers = importer_names(text)
    candidates = import_lines(text, importers) if lines is None else None
    wanted = sorted(candidates) if candidates is not None else lines or []
    return tuple(  # type: ignore[return-value]
        imports_in_lines(text, wanted, None, importers, candidates=candidates, plain_top_level=short)
        for short in (True, False)
    )


def _same(short: ImportScan, general: ImportScan, where: str) -> None:
    assert short.imports == general.imports, where
    assert short.syntax_errors == general.syntax_errors, where
    assert short.computed == general.computed, where


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_sources_read_the_same_both_ways(data: st.DataObject) -> None:
    text = _FILES[data.draw(st.integers(0, len(_FILES) - 1))].read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        lines = data.draw(_edit(lines))
    for _ in range(data.draw(st.integers(1, 6))):
        shape = data.draw(st.sampled_from(_SHAPES)).format(a=data.draw(st.sampled_from(["os", "yaml", "pkg.mod"])))
        indent = data.draw(st.sampled_from(["", "", "    "]))
        position = data.draw(st.integers(0, len(lines)))
        lines[position:position] = [indent + line if line else line for line in shape.split("\n")]
    text = "\n".join(lines)
    _same(*_both_ways(text), "whole file")
    added = sorted(set(data.draw(st.lists(st.integers(1, len(lines)), max_size=40))))
    _same(*_both_ways(text, added), f"lines {added}")


def _sources(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if path.is_file() and not path.is_symlink())


def _read(path: Path) -> str | None:
    try:
        return decode_source(path.read_bytes())
    except (UndecodableSourceError, OSError):
        return None


def test_the_standard_library_reads_the_same_both_ways() -> None:
    compared = 0
    for path in _sources(_STDLIB):
        text = _read(path)
        if text is not None:
            short, general = _both_ways(text)
            _same(short, general, str(path))
            compared += len(general.imports)
    assert compared > 20_000


@pytest.mark.parametrize("tree", ["saleor", "sentry-python", "celery", "wagtail", "sqlalchemy"])
def test_real_trees_read_the_same_both_ways(tree: str) -> None:
    root = _REPOS / tree
    if not root.is_dir():
        pytest.skip(f"{root} is not there (a clone of the project, as bench/run.py measures)")
    compared = 0
    for path in _sources(root):
        text = _read(path)
        if text is not None:
            short, general = _both_ways(text)
            _same(short, general, str(path))
            compared += len(general.imports)
    assert compared > 1_000
