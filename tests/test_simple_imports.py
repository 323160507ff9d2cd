"""The libcst-free parser of plain import statements agrees with libcst, and declines everything else."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from hallucheck.sources import cst
from hallucheck.sources.imports import _standalone_code
from hallucheck.sources.python import LogicalLine, LogicalLines
from hallucheck.sources.simple_imports import parse_simple_import


def _libcst(statement: LogicalLine) -> list[object]:
    code, offset, shift = _standalone_code(statement)
    return list(cst.imports_of(code, statement, offset, shift))


def _statement(text: str, first: int = 1) -> LogicalLine:
    indent = len(text) - len(text.lstrip(" \t"))
    return LogicalLine(first, first + text.count("\n"), indent, text)


@pytest.mark.parametrize(
    "text",
    [
        "import os",
        "import os.path as p, sys",
        "    import a . b",
        "from . import x",
        "from .. import (x, y as z,)",
        "from ..pkg.mod import a",
        "from x import *",
        "from x import (\n    a,  # why\n    b as c,\n)",
        "from x import (a,\n b)  # trailing",
        "from __future__ import annotations",
        "import match, type",
    ],
)
def test_plain_forms_match_libcst(text: str) -> None:
    statement = _statement(text, first=7)
    assert parse_simple_import(statement) == _libcst(statement)


@pytest.mark.parametrize(
    "text",
    [
        "import a; import b",
        "from x import a, \\\n    b",
        "if x: import a",
        "import a.",
        "from x import ()",
        "from x import a,",
        "from import x",
        "import class",
        "from x import (a",
        "importlib.import_module('x')",
        "x = 1",
    ],
)
def test_everything_else_is_left_to_libcst(text: str) -> None:
    assert parse_simple_import(_statement(text)) is None


def test_agrees_with_libcst_on_the_standard_library() -> None:
    """Every import statement of the running interpreter's standard library parses the same both ways."""
    compared = 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py"))[:1500]:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        lines = LogicalLines(text)
        for number in range(1, len(lines) + 1):
            if not lines.is_code(number):
                continue
            statement = lines.at(number)
            if not statement.head.startswith(("import ", "from ")):
                continue
            simple = parse_simple_import(statement)
            if simple is not None:
                assert simple == _libcst(statement), f"{path}:{number}"
                compared += 1
    assert compared > 3000
