"""The lexer that groups physical lines into logical lines, against the implementation it replaced.

The lexer now scans for the characters a token can start with and resumes where it
stopped (each byte is lexed once) instead of trying the token expression at every
offset of prefixes that double in length. Its answers must not change: these tests
compare it with the previous implementation, kept here as the reference, on
generated text and on every Python file of this repository.
"""

from __future__ import annotations

import random
import re
import subprocess
from bisect import bisect_right
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources import python
from hallucheck.sources.python import LogicalLines

ROOT = Path(__file__).resolve().parent.parent


class ReferenceLogicalLines(LogicalLines):
    """The previous lexer: prefixes lexed anew, twice as long each time, with ``_TOKEN.search``."""

    def _ensure(self, line: int) -> None:
        if line <= self._lexed or self._lexed >= len(self._lines):
            return
        target = max(line + 32, 2 * self._lexed)
        while True:
            end = self._start_of_line(target + 1)
            continued, closed = self._reference_lex(end)
            if closed or end >= len(self._text):
                break
            target *= 2
        self._continued = continued
        self._lexed = target if end < len(self._text) else len(self._lines)

    def _reference_lex(self, end: int) -> tuple[set[int], bool]:
        text = self._text
        continued: set[int] = set()
        depth, opened = 0, 0

        def mark(start: int, stop: int) -> None:
            first, final = bisect_right(self._starts, start), bisect_right(self._starts, stop)
            continued.update(range(first + 1, final + 1))

        position, last_end, last_kind = 0, -1, ""
        while True:
            match = python._TOKEN.search(text, position, end)
            if match is None:
                break
            kind, start, stop = match.lastgroup, match.start(), match.end()
            if kind == "string" and python._unbalanced_fstring(match.group()):
                stop = python._fstring_end(text, start, end)
            position, last_end, last_kind = stop, stop, kind or ""
            if kind == "open":
                if depth == 0:
                    opened = start
                depth += 1
            elif kind == "close":
                if depth == 1 and text.find("\n", opened, start) != -1:
                    mark(opened, start)
                depth = max(depth - 1, 0)
            elif kind in ("string", "continuation") and text.find("\n", start, stop) != -1:
                mark(start, stop)
        if depth:
            mark(opened, end)
        open_at_end = last_end == end and last_kind in ("string", "continuation")
        return continued, not depth and not open_at_end


def answers(lines: LogicalLines, order: list[int]) -> list[tuple[int, bool, int, int, int]]:
    return [(n, lines.is_code(n), lines.start_of(n), lines.end_of(n), lines.at(n).last) for n in order]


def assert_same(text: str, seed: int = 0) -> None:
    count = text.count("\n") + 1
    ascending = list(range(1, count + 1))
    shuffled = random.Random(seed).sample(ascending, len(ascending))
    for order in (ascending, shuffled, ascending[::-1]):
        assert answers(LogicalLines(text), order) == answers(ReferenceLogicalLines(text), order), order[:5]


# Text made of the pieces that decide lexing: quotes and prefixes, brackets, comments, backslashes, newlines.
PIECES = st.sampled_from(
    ['"', "'", '"""', "'''", "f", "rb", "F", "t", "x", "(", ")", "[", "]", "{", "}", "{{", "}}",
     "#", "\\", "\\\n", "\n", "\r\n", " ", "import a", "from b import (c,", "    "]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=40))
def test_next_token_is_the_leftmost_token_match(text: str, position: int) -> None:
    position = min(position, len(text))
    expected = python._TOKEN.search(text, position)
    found = python._next_token(text, position)
    assert (found and (found.lastgroup, found.span())) == (expected and (expected.lastgroup, expected.span()))


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=1000))
def test_logical_lines_match_the_reference_on_generated_text(text: str, seed: int) -> None:
    assert_same(text, seed)


def test_logical_lines_match_the_reference_on_this_repository() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.py"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    files = [ROOT / name.decode() for name in listed if name]
    assert len(files) > 50
    for index, path in enumerate(files):
        assert_same(path.read_text(encoding="utf-8"), index)


def test_a_long_file_is_lexed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Lines asked about in order, as a whole-file scan does: the lexer never goes back to the start.
    text = "x = f(1)  # c\n" * 5000 + 's = """\nimport a\n"""\n' + "import b\n"  # 3 tokens a line
    lines = LogicalLines(text)
    calls = 0
    original = python._next_token

    def counting(text: str, position: int) -> re.Match[str] | None:
        nonlocal calls
        calls += 1
        return original(text, position)

    monkeypatch.setattr(python, "_next_token", counting)
    assert [n for n in range(1, 5005) if "import" in lines.physical(n) and lines.is_code(n)] == [5004]
    assert calls <= 3 * 5000 + 10


REAL = [Path("/work/repos") / name for name in ("sentry-python", "pydantic", "black", "scrapy", "celery")]


@pytest.mark.skipif(not any(path.is_dir() for path in REAL), reason="no real repository on this machine")
def test_skipping_inert_text_answers_what_lexing_every_token_answers_on_real_repositories(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Comments, one-line strings and groups are skipped in one match (:data:`python._INERT`): every Python file of
    real repositories is read into the same logical lines as when each token goes through the lexer's loop, lexed
    whole and asked in a random order (the lexer then stops and resumes)."""
    texts = [path.read_bytes().decode("utf-8", "replace") for root in REAL if root.is_dir()
             for path in sorted(root.rglob("*.py")) if ".git" not in path.parts]  # fmt: skip
    assert len(texts) > 1000

    def lexed(text: str, order: list[int]) -> tuple[list[tuple[int, int, int]], set[int]]:
        lines = LogicalLines(text)
        found = [(lines.start_of(n), lines.end_of(n), lines.at(n).indent) for n in order]
        lines._ensure(len(lines))
        return found, lines._continued

    chooser = random.Random(7)
    for text in texts:
        count = text.count("\n") + 1
        order = chooser.sample(range(1, count + 1), min(count, 12))
        skipping = lexed(text, order)
        with monkeypatch.context() as patched:
            patched.setattr(python, "_past_inert", lambda text, position, end: position)
            assert lexed(text, order) == skipping


@pytest.mark.parametrize("prefix", ["f", "rf", "Fr", "xf", "t"])
def test_a_string_after_skipped_text_keeps_its_prefix(prefix: str) -> None:
    """An f-string whose replacement field quotes a bracket (PEP 701) is one token only when its prefix is read
    with it: the skipped text before it must not take the prefix letters."""
    text = f'a = 1  # c\nb = "x" + {prefix}"{{d["("]}}"\nimport os\n'
    assert_same(text)
    assert LogicalLines(text).is_code(3)
