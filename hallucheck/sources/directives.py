"""Suppression comments in a changed file's text: ``# hallucheck: ignore[...]`` directives, where they stand
and which statement lines they cover.

:class:`SourceFile` is one changed file as the change leaves it; the policy
(:mod:`hallucheck.policy.suppress`) decides what the directives it holds silence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from hallucheck.findings import rule_named
from hallucheck.lazy import LazyPattern, Slots, record
from hallucheck.sources.python import LogicalLines

UNUSED = "HC100"
PYTHON_SUFFIXES = (".py", ".pyi")
_TOML_SUFFIXES = (".toml", "Pipfile")
_DIRECTIVE = LazyPattern(r"#\s*hallucheck\s*:\s*(?P<body>[^#]*)", re.IGNORECASE)
_IGNORE = LazyPattern(r"ignore(?:\s*\[(?P<codes>[^\]]*)\])?(?=\s|$)")
_PIP_COMMENT = LazyPattern(r"(?:^|\s)(#.*)$")
_JSON_STRING_END = LazyPattern(r'(?:\\n)?"\s*,?\s*$')
_HTML_DIRECTIVE = LazyPattern(r"<!--(?P<body>\s*hallucheck\s*:.*?)-->", re.IGNORECASE)
"""A directive in Markdown: ``<!-- hallucheck: ignore -->``."""


@record
class Suppression:
    """One ``# hallucheck:`` directive in a comment."""

    path: str
    line: int
    column: int
    text: str
    codes: frozenset[str] | None
    """None: every code."""
    unknown: tuple[str, ...] = ()
    valid: bool = True
    used: bool = False

    def covers(self, code: str) -> bool:
        return self.valid and code != UNUSED and (self.codes is None or code in self.codes)


def parse_directives(comment: str, path: str, line: int, column: int) -> list[Suppression]:
    """The directives in one comment (``column`` is the 1-based column where the comment starts)."""
    found = []
    for match in _DIRECTIVE.finditer(comment):
        body = match.group("body").strip()
        text = match.group().rstrip()
        place = (path, line, column + match.start())
        ignore = _IGNORE.match(body)
        if ignore is None:
            found.append(Suppression(*place, text, None, valid=False))
            continue
        if ignore.group("codes") is None:
            found.append(Suppression(*place, text, None))
            continue
        names = [name.strip() for name in ignore.group("codes").split(",") if name.strip()]
        rules = {name: rule_named(name) for name in names}
        codes = frozenset(rule.code for rule in rules.values() if rule is not None)
        unknown = tuple(name for name, rule in rules.items() if rule is None)
        found.append(Suppression(*place, text, codes, unknown, valid=bool(names)))
    return found


class SourceFile(Slots):
    """The text of one changed file, as the change leaves it."""

    __slots__ = ("__dict__", "_directives", "added", "base_texts", "new_import_spans", "path", "text")
    _fields = ("path", "text", "added", "base_texts", "new_import_spans", "_directives")

    path: str
    text: str
    added: frozenset[int] | None
    """Lines the change added; None: any line not present in a base version counts."""
    base_texts: Sequence[str]
    new_import_spans: Sequence[tuple[int, int]]
    """(first, last) lines of the statements that hold imports new in this change (Python files)."""
    _directives: dict[int, list[Suppression]]

    def __init__(
        self, path: str, text: str, added: frozenset[int] | None = None, base_texts: Sequence[str] = (),
        new_import_spans: Sequence[tuple[int, int]] = (), _directives: dict[int, list[Suppression]] | None = None,
    ) -> None:  # fmt: skip
        self.path = path
        self.text = text
        self.added = added
        self.base_texts = base_texts
        self.new_import_spans = new_import_spans
        self._directives = {} if _directives is None else _directives

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def _base_lines(self) -> set[str]:
        return {line.strip() for base in self.base_texts for line in base.split("\n")}

    @cached_property
    def _logical(self) -> LogicalLines:
        return LogicalLines(self.text)

    @property
    def is_python(self) -> bool:
        return self.path.endswith(PYTHON_SUFFIXES)

    def is_new(self, line: int) -> bool:
        """Whether the change added ``line`` with text no base version holds (moved lines are not new)."""
        if self.added is not None and line not in self.added:
            return False
        return 0 < line <= len(self.lines) and self.lines[line - 1].strip() not in self._base_lines

    def span(self, line: int) -> tuple[int, int]:
        """The lines a suppression comment may stand on to cover a finding at ``line``. Outside Python, a
        directive alone on a comment line covers the line below it too (pip.conf, a Dockerfile ``ENV``: formats
        that take no comment after a value), so the two are judged as one statement: the directive counts as
        there before the change only while the line it covers is unchanged (attack E28)."""
        if not self.is_python:
            return (line, line + 1) if self._directive_above(line) else (line, line)
        statement = self._logical.at(line)
        return statement.first, statement.last

    def _directive_above(self, line: int) -> bool:
        """Whether ``line`` is a comment line holding a directive, with a line below it to cover."""
        if not 0 < line < len(self.lines):
            return False
        stripped = self.lines[line - 1].strip()
        return stripped.startswith(("#", ";")) and "hallucheck" in stripped.lower()

    def directives(self, line: int) -> list[Suppression]:
        """The directives in comments on physical ``line`` (parsed once, so ``used`` marks stick)."""
        if line not in self._directives:
            self._directives[line] = self._parse(line)
        return self._directives[line]

    def _parse(self, line: int) -> list[Suppression]:
        if not 0 < line <= len(self.lines) or "hallucheck" not in self.lines[line - 1].lower():
            return []
        found = []
        for offset, comment in self._comments(line):
            found += parse_directives(comment, self.path, line, offset + 1)
        return found

    def _comments(self, line: int) -> list[tuple[int, str]]:
        """(column offset, comment) pairs of the comments on ``line``; never text inside a string."""
        from hallucheck.sources.python import comments

        text = self.lines[line - 1]
        if self.is_python:
            first, last = self.span(line)
            statement = "\n".join(self.lines[first - 1 : last])
            start = sum(len(item) + 1 for item in self.lines[first - 1 : line - 1])
            return [
                (offset - start, comment)
                for offset, comment in comments(statement)
                if start <= offset < start + len(text) + 1
            ]
        if self.path.endswith(_TOML_SUFFIXES):
            return comments(text)
        found = []
        match = _PIP_COMMENT.search(text)
        if match:
            comment = match.group(1)
            if self.path.endswith(".ipynb"):  # a cell's line, written in a JSON string: `"x  # c\n",`
                comment = _JSON_STRING_END.sub("", comment)
            found.append((match.start(1), comment))
        found += [(html.start(), "#" + html.group("body")) for html in _HTML_DIRECTIVE.finditer(text)]
        return found

    def was_directive(self, directive: Suppression) -> bool:
        """Whether a base version held ``directive`` as a directive on the same statement: its line, with the
        statement around it unchanged, and in a comment there. Text that was inside a string, or a notebook
        cell that was not code, in the base becomes a directive only by this change (attack D2). With no base
        version (files mode, a file this change adds) there is nothing to compare: :meth:`is_new` decides."""
        if not self.base_texts:
            return True
        first, last = self.span(directive.line)
        statement = [line.strip() for line in self.lines[first - 1 : last]]
        wanted = self.lines[directive.line - 1].strip()
        for base in self._bases:
            for number in base.lines_holding(wanted):
                base_first, base_last = base.span(number)
                if [line.strip() for line in base.lines[base_first - 1 : base_last]] != statement:
                    continue
                if any(found.text == directive.text for found in base.directives(number)) and (
                        base.in_code_cell(number)):  # fmt: skip
                    return True
        return False

    @cached_property
    def _bases(self) -> list[SourceFile]:
        return [SourceFile(self.path, text) for text in self.base_texts]

    @cached_property
    def _stripped_lines(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, 1):
            found.setdefault(line.strip(), []).append(number)
        return found

    def lines_holding(self, stripped: str) -> list[int]:
        """The line numbers whose text, stripped, is ``stripped``."""
        return self._stripped_lines.get(stripped, [])

    def in_code_cell(self, line: int) -> bool:
        """Whether ``line`` is a line of a code cell's source (notebooks; every line of any other file)."""
        if not self.path.endswith(".ipynb"):
            return True
        import json

        text = self.lines[line - 1].strip().removesuffix(",")
        try:
            value = json.loads(text)
        except ValueError:
            return False
        return isinstance(value, str) and value in self._code_cell_lines

    @cached_property
    def _code_cell_lines(self) -> frozenset[str]:
        """Every source line of the notebook's code cells (nbformat 4 ``cells``, 3 ``worksheets``)."""
        import json

        try:
            document = json.loads(self.text)
        except (ValueError, RecursionError):
            return frozenset()
        if not isinstance(document, dict):
            return frozenset()
        cells = list(document.get("cells") or [])
        for sheet in document.get("worksheets") or []:
            cells += list(sheet.get("cells") or []) if isinstance(sheet, dict) else []
        found: set[str] = set()
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", cell.get("input", ""))
                for part in source if isinstance(source, list) else [source]:
                    if isinstance(part, str):
                        found.update(part.splitlines(keepends=True))
                        found.update(part.splitlines())
        return frozenset(found)

    def holds_new_import(self, first: int, last: int) -> bool:
        return any(start <= last and first <= end for start, end in self.new_import_spans)

    def may_import(self, first: int, last: int) -> bool:
        from hallucheck.sources.imports import may_import

        return may_import("\n".join(self.lines[first - 1 : last]))
