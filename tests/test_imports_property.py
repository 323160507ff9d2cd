"""Property: the imports hallucheck sees a change add are the ones ``ast`` sees added, on real Python files.

Random edits (inserted import statements of many shapes, deletions, moves,
duplications, stray characters) are applied to modules of the standard
library of the running interpreter, read at test time. The added lines come
from a line diff, as git would give them. Then:

- every import statement that ``ast`` finds in the new version and not in the
  old one is seen by hallucheck;
- nothing hallucheck reports as an import (dynamic imports aside) is one that
  ``ast`` does not find in the new version;
- valid code never gives a syntax error, and no edit makes it raise.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import sysconfig
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hallucheck.sources.imports import imports_in_lines, new_imports

Key = tuple[int, str, "str | None"]

_STDLIB = Path(sysconfig.get_paths()["stdlib"])
_FILES = sorted(path for path in _STDLIB.glob("*.py") if 2_000 < path.stat().st_size < 40_000)

_NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(lambda name: not keyword.iskeyword(name))
# `{a}`, `{b}`: module names; each shape is a statement (or a block) at the indentation `{i}`.
_SHAPES = (
    "{i}import {a}",
    "{i}import {a}.{b} as {b}, {a}",
    "{i}from {a} import {b}",
    "{i}from {a}.{b} import ({b}, {a} as c,)",
    "{i}from {a} import (\n{i}    {b},\n{i}    c,\n{i})",
    "{i}from . import {a}",
    "{i}from ..{a} import *",
    "{i}if True: import {a}",
    "{i}try:\n{i}    import {a}\n{i}except ImportError:\n{i}    {a} = None",
    "{i}x = 1; import {a}; y = 2",
    "{i}import {a}, \\\n{i}    {b}",
    "{i}def f():\n{i}    import {a}",
    "{i}s = 'import {a}'",
    '{i}s = """\n{i}import {a}\n{i}"""',
    "{i}# import {a}",
    "{i}x = __import__('{a}')",
    "{i}x = f'{{__import__(\"{a}\")}}'",
    "{i}with x: from {a} import {b}",
)


@st.composite
def _edit(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """One random edit of ``lines``."""
    kind = draw(st.sampled_from(["insert"] * 6 + ["delete", "move", "duplicate", "characters"]))
    position = draw(st.integers(0, len(lines)))
    if kind == "insert":
        neighbour = next((line for line in lines[position:] if line.strip()), "")
        indent = draw(st.sampled_from([neighbour[: len(neighbour) - len(neighbour.lstrip())]] * 3 + ["", "    "]))
        shape = draw(st.sampled_from(_SHAPES))
        text = shape.format(i=indent, a=draw(_NAMES), b=draw(_NAMES))
        return [*lines[:position], *text.split("\n"), *lines[position:]]
    count = draw(st.integers(1, 5))
    chunk = lines[position : position + count]
    rest = [*lines[:position], *lines[position + count :]]
    if kind == "delete":
        return rest
    target = draw(st.integers(0, len(rest)))
    if kind == "move":
        return [*rest[:target], *chunk, *rest[target:]]
    if kind == "duplicate":
        return [*lines[:target], *chunk, *lines[target:]]
    if not lines:
        return lines
    line = min(position, len(lines) - 1)
    column = draw(st.integers(0, len(lines[line])))
    inserted = draw(st.text(alphabet="()[]{}'\"\\#:;,. \tximport", min_size=1, max_size=4))
    return [*lines[:line], lines[line][:column] + inserted + lines[line][column:], *lines[line + 1 :]]


@st.composite
def _edited_file(draw: st.DrawFn) -> tuple[str, str]:
    path = draw(st.sampled_from(_FILES))
    old = path.read_text(encoding="utf-8")
    lines = old.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        lines = draw(_edit(lines))
    return old, "\n".join(lines)


def _added_lines(old: str, new: str) -> list[int]:
    """The 1-based lines of ``new`` that a line diff marks as added (what ``git diff`` gives)."""
    matcher = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
    return [
        line + 1
        for tag, _, _, start, end in matcher.get_opcodes()
        if tag in ("insert", "replace")
        for line in range(start, end)
    ]


def _ast_imports(tree: ast.Module) -> set[Key]:
    found: set[Key] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(0, alias.name, None) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {(node.level, node.module or "", alias.name) for alias in node.names}
    return found


def _parsed(text: str) -> ast.Module | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences the edits create
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


@pytest.mark.skipif(len(_FILES) < 20, reason="needs the standard library's sources")
@settings(
    max_examples=150, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
@given(_edited_file())
def test_added_imports_match_ast(edited: tuple[str, str]) -> None:
    old, new = edited
    scan = new_imports(new, _added_lines(old, new), [old])
    old_tree, new_tree = _parsed(old), _parsed(new)
    if old_tree is None or new_tree is None:
        event("the edit broke the syntax")
        return  # no crash is all that is asked of code that does not compile
    seen = {item.key for item in scan.imports if item.kind != "dynamic"}
    in_new = _ast_imports(new_tree)
    added = in_new - _ast_imports(old_tree)
    event("an import was added" if added else "no import was added")
    assert added <= seen, f"missed: {sorted(added - seen, key=str)}"
    assert seen <= in_new, f"not imports: {sorted(seen - in_new, key=str)}"
    assert not scan.syntax_errors, scan.syntax_errors


@pytest.mark.skipif(len(_FILES) < 20, reason="needs the standard library's sources")
@settings(
    max_examples=60, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
@given(_edited_file())
def test_whole_file_imports_are_exactly_what_ast_sees(edited: tuple[str, str]) -> None:
    """Files mode (``--all-files``): every line naming ``import`` is asked about."""
    _, new = edited
    lines = [number for number, line in enumerate(new.split("\n"), 1) if "import" in line]
    scan = imports_in_lines(new, lines)
    tree = _parsed(new)
    if tree is None:
        return
    assert {item.key for item in scan.imports if item.kind != "dynamic"} == _ast_imports(tree)


_FILLERS = ("x = " + " + ".join(["1"] * 1200), "x = " + "(" * 60 + "1" + ")" * 60, "f(" + ", ".join(["a"] * 800) + ")")


@settings(max_examples=80, deadline=None, database=None)
@given(
    pieces=st.lists(st.sampled_from([shape for shape in _SHAPES if "\n" not in shape]), min_size=1, max_size=4),
    names=st.lists(_NAMES, min_size=8, max_size=8),
    filler=st.sampled_from(_FILLERS),
    at=st.integers(0, 4),
)
def test_statements_too_large_to_parse_give_what_ast_sees(
    pieces: list[str], names: list[str], filler: str, at: int
) -> None:
    """The text scan that replaces libcst for huge statements finds the imports ast finds, and no others."""
    simple = [piece.format(i="", a=names[2 * index], b=names[2 * index + 1]) for index, piece in enumerate(pieces)]
    simple = [piece for piece in simple if not piece.startswith(("if ", "def ", "with ", "try"))]
    statements = [*simple[:at], filler, *simple[at:]]
    text = "; ".join(statements) + "\n"
    tree = _parsed(text)
    if tree is None:
        return
    scan = imports_in_lines(text, [1])
    assert {item.key for item in scan.imports if item.kind != "dynamic"} == _ast_imports(tree)
    assert not scan.syntax_errors
