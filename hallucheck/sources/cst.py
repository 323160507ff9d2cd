"""libcst behind a small interface: parse one statement and list the imports it makes.

This module imports libcst (about 150 ms); :mod:`hallucheck.sources.imports` loads it only
when a change holds a statement that may import something.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import libcst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from hallucheck.sources.imported import ImportedModule, ImportKind, is_type_checking
from hallucheck.sources.python import LogicalLine

_DYNAMIC_IMPORTERS = frozenset({"__import__", "import_module", "importlib.import_module"})


class ParseError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def imports_of(code: str, statement: LogicalLine, offset: int, shift: int = 0) -> list[ImportedModule]:
    """The imports made by ``code``, the standalone form of ``statement``.

    ``offset`` is the number of wrapper lines placed before the statement and ``shift``
    how far its first line was moved right; positions are mapped back to the file's
    lines and columns (1-based).
    """
    try:
        module = libcst.parse_module(code)
    except libcst.ParserSyntaxError as error:
        message = re.sub(r"^.*?error at \d+:\d+: ", "", error.message.splitlines()[0])
        raise ParseError(error.raw_line, error.raw_column + 1, message) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    collector = _Collector(statement, offset, wrapper.resolve(PositionProvider), shift)
    wrapper.module.visit(collector)
    return collector.found


def dotted_name(node: libcst.BaseExpression) -> str:
    if isinstance(node, libcst.Name):
        return node.value
    if isinstance(node, libcst.Attribute):
        prefix = dotted_name(node.value)
        return f"{prefix}.{node.attr.value}" if prefix else ""
    return ""


class _Collector(libcst.CSTVisitor):
    def __init__(
        self, statement: LogicalLine, offset: int, positions: Mapping[libcst.CSTNode, CodeRange], shift: int = 0
    ) -> None:
        super().__init__()
        self._statement = statement
        self._offset = offset
        self._positions = positions
        self._indent = len(statement.text) - len(statement.text.lstrip(" \t\f")) - shift
        self._checking = 0
        self.found: list[ImportedModule] = []

    def _add(self, node: libcst.CSTNode, module: str, name: str | None, level: int, kind: ImportKind) -> None:
        start = self._positions[node].start
        line = start.line - self._offset
        column = start.column + 1 + (self._indent if line == 1 else 0)
        self.found.append(
            ImportedModule(
                module, name, level, self._statement.first + line - 1, column, kind,
                self._statement.first, self._statement.last, type_checking=self._checking > 0,
            )
        )  # fmt: skip

    def visit_If(self, node: libcst.If) -> None:
        if is_type_checking(dotted_name(node.test), frozenset({"TYPE_CHECKING"})):
            self._checking += 1

    def leave_If(self, original_node: libcst.If) -> None:
        if is_type_checking(dotted_name(original_node.test), frozenset({"TYPE_CHECKING"})):
            self._checking -= 1

    def visit_Import(self, node: libcst.Import) -> None:
        for alias in node.names:
            self._add(alias, dotted_name(alias.name), None, 0, "import")

    def visit_ImportFrom(self, node: libcst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module else ""
        level = len(node.relative)
        if isinstance(node.names, libcst.ImportStar):
            self._add(node.module or node, module, "*", level, "from")
            return
        anchor: libcst.CSTNode = node.module or node
        for alias in node.names:  # every name points at the module: a finding is about the module
            self._add(anchor, module, dotted_name(alias.name), level, "from")

    def visit_Call(self, node: libcst.Call) -> None:
        if dotted_name(node.func) not in _DYNAMIC_IMPORTERS or not node.args:
            return
        argument = node.args[0].value
        if not isinstance(argument, libcst.SimpleString):
            return
        value = argument.evaluated_value
        if not isinstance(value, str) or not value.strip("."):
            return
        level = len(value) - len(value.lstrip("."))
        package = _package_argument(node) if level else None
        if package:  # import_module(".sub", package="pkg") imports pkg.sub: absolute, not first-party
            parent = package.split(".")[: len(package.split(".")) - (level - 1)] if level > 1 else [package]
            self._add(node, ".".join([*parent, value[level:]]), None, 0, "dynamic")
            return
        self._add(node, value[level:], None, level, "dynamic")


def _package_argument(node: libcst.Call) -> str | None:
    """The literal ``package`` argument of ``import_module(name, package)``, if there is one."""
    if dotted_name(node.func) == "__import__":
        return None
    for index, argument in enumerate(node.args[1:], start=1):
        keyword = argument.keyword.value if argument.keyword else None
        if keyword == "package" or (keyword is None and index == 1):
            value = argument.value
            if isinstance(value, libcst.SimpleString) and isinstance(value.evaluated_value, str):
                return value.evaluated_value or None
            return None
    return None
