"""libcst behind a small interface: parse one statement and list the imports it makes.

This module imports libcst (about 150 ms); :mod:`hallucheck.sources.imports` loads it only
when a change holds a statement that may import something.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import libcst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from hallucheck.sources.dynamic import (
    EXECUTORS,
    IMPORTERS,
    LOOKUPS,
    MEMBER_NAMES,
    OBJECT_PATH_IMPORTERS,
    OPTIONAL_IMPORTERS,
    default_importers,
    importer_names,
    names_a_package,
    object_module,
)
from hallucheck.sources.imported import (
    PYTEST_BUILTIN_PLUGINS,
    ComputedImport,
    ImportedModule,
    ImportKind,
    is_type_checking,
)
from hallucheck.sources.python import LogicalLine

_MAX_EXEC_DEPTH = 4
"""How deep ``exec("exec('import x')")`` is followed; deeper code is reported as computed."""
_NAME_KEYWORDS = frozenset({"name", "mod_name", "source", "expression", "object"})


class ParseError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def imports_of(
    code: str,
    statement: LogicalLine,
    offset: int,
    shift: int = 0,
    *,
    importers: Mapping[str, str] | None = None,
    computed: list[ComputedImport] | None = None,
) -> list[ImportedModule]:
    """The imports made by ``code``, the standalone form of ``statement``.

    ``offset`` is the number of wrapper lines placed before the statement and ``shift``
    how far its first line was moved right; positions are mapped back to the file's
    lines and columns (1-based). ``importers`` maps the call names that import (or run
    code) in this file to what they stand for (:func:`~hallucheck.sources.dynamic.importer_names`);
    such a call whose argument is not a literal is appended to ``computed``.
    """
    try:
        module = libcst.parse_module(code)
    except libcst.ParserSyntaxError as error:
        message = re.sub(r"^.*?error at \d+:\d+: ", "", error.message.splitlines()[0])
        raise ParseError(error.raw_line, error.raw_column + 1, message) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    collector = _Collector(
        statement, offset, wrapper.resolve(PositionProvider), shift, importers or default_importers()
    )
    wrapper.module.visit(collector)
    if computed is not None:
        computed.extend(collector.computed)
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
        self,
        statement: LogicalLine,
        offset: int,
        positions: Mapping[libcst.CSTNode, CodeRange],
        shift: int = 0,
        importers: Mapping[str, str] | None = None,
        *,
        outer: tuple[_Collector, libcst.CSTNode] | None = None,
        depth: int = 0,
    ) -> None:
        super().__init__()
        self._statement = statement
        self._offset = offset
        self._positions = positions
        self._indent = len(statement.text) - len(statement.text.lstrip(" \t\f")) - shift
        self._checking = 0
        self._importers = default_importers() if importers is None else importers
        self._outer = outer
        """For code run by ``exec("...")``: the collector of the call, and the node findings point at."""
        self._depth = depth
        self.found: list[ImportedModule] = []
        self.computed: list[ComputedImport] = []
        self._followed: set[int] = set()
        """Nodes whose importer reference is accounted for: a call's callee, a value bound to a followed alias,
        a name that is not a value (a parameter, a keyword, an attribute's own name, a target)."""

    def _where(self, node: libcst.CSTNode) -> tuple[int, int]:
        if self._outer is not None:
            collector, anchor = self._outer
            return collector._where(anchor)
        start = self._positions[node].start
        line = start.line - self._offset
        return self._statement.first + line - 1, start.column + 1 + (self._indent if line == 1 else 0)

    def _add(
        self, node: libcst.CSTNode, module: str, name: str | None, level: int, kind: ImportKind,
        *, guarded: bool = False,
    ) -> None:  # fmt: skip
        if self._outer is not None:
            self._outer[0]._add(self._outer[1], module, name, level, kind, guarded=guarded)
            return
        start = self._positions[node].start
        line = start.line - self._offset
        column = start.column + 1 + (self._indent if line == 1 else 0)
        self.found.append(
            ImportedModule(
                module, name, level, self._statement.first + line - 1, column, kind,
                self._statement.first, self._statement.last, guarded=guarded, type_checking=self._checking > 0,
            )
        )  # fmt: skip

    def visit_If(self, node: libcst.If) -> None:
        if is_type_checking(dotted_name(node.test), frozenset({"TYPE_CHECKING"})):
            self._checking += 1

    def leave_If(self, original_node: libcst.If) -> None:
        if is_type_checking(dotted_name(original_node.test), frozenset({"TYPE_CHECKING"})):
            self._checking -= 1

    def visit_Import(self, node: libcst.Import) -> bool:
        for alias in node.names:
            self._add(alias, dotted_name(alias.name), None, 0, "import")
        return False

    def visit_ImportFrom(self, node: libcst.ImportFrom) -> bool:
        module = dotted_name(node.module) if node.module else ""
        level = len(node.relative)
        if isinstance(node.names, libcst.ImportStar):
            self._add(node.module or node, module, "*", level, "from")
            return False
        anchor: libcst.CSTNode = node.module or node
        for alias in node.names:  # every name points at the module: a finding is about the module
            self._add(anchor, module, dotted_name(alias.name), level, "from")
        return False

    # --- References to an importer that is not called where it is named ---------------------------------------
    # `load, _ = importlib.import_module, None`, `fns = [__import__]`, `self.load = importlib.import_module`:
    # the calls made through such a binding cannot be followed from the text. A binding that
    # :func:`~hallucheck.sources.dynamic.importer_names` follows (its calls are checked) is fine; any other is
    # reported as computed, so that no shape of binding lets an import through unseen.

    def _not_values(self, *nodes: libcst.CSTNode | None) -> None:
        for node in nodes:
            for name in _target_names(node):
                self._followed.add(id(name))

    def visit_Attribute(self, node: libcst.Attribute) -> bool | None:
        self._followed.add(id(node.attr))
        if self._escapes(node):
            return False
        return None

    def visit_Name(self, node: libcst.Name) -> None:
        self._escapes(node)

    def visit_Subscript(self, node: libcst.Subscript) -> bool | None:
        return False if self._escapes(node) else None

    def _escapes(self, node: libcst.BaseExpression) -> bool:
        """Report ``node`` when it names an importer and is neither called nor bound to a followed alias."""
        if id(node) in self._followed:
            return False
        name = _callee(node)
        target = self._importers.get(name) if name else None
        if target is None or target in LOOKUPS or target.rpartition(".")[2] == "compile":
            return False  # compile() runs nothing by itself, find_spec() imports nothing
        self._computed(node, name, "it is bound to another name or handed on, and the calls made through it "
                       "cannot be followed")  # fmt: skip
        return True

    def visit_Param(self, node: libcst.Param) -> None:
        self._not_values(node.name)

    def visit_Arg(self, node: libcst.Arg) -> None:
        self._not_values(node.keyword)

    def visit_FunctionDef(self, node: libcst.FunctionDef) -> None:
        self._not_values(node.name)

    def visit_ClassDef(self, node: libcst.ClassDef) -> None:
        self._not_values(node.name)

    def visit_AsName(self, node: libcst.AsName) -> None:
        self._not_values(node.name)

    def visit_For(self, node: libcst.For) -> None:
        self._not_values(node.target)

    def visit_CompFor(self, node: libcst.CompFor) -> None:
        self._not_values(node.target)

    def visit_Del(self, node: libcst.Del) -> None:
        self._not_values(node.target)

    def visit_Global(self, node: libcst.Global) -> None:
        self._not_values(*(item.name for item in node.names))

    def visit_Nonlocal(self, node: libcst.Nonlocal) -> None:
        self._not_values(*(item.name for item in node.names))

    def visit_AugAssign(self, node: libcst.AugAssign) -> None:
        self._not_values(node.target)

    def visit_AnnAssign(self, node: libcst.AnnAssign) -> None:
        self._not_values(node.target)
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_NamedExpr(self, node: libcst.NamedExpr) -> None:
        self._not_values(node.target)
        self._bind(node.target, node.value)

    def visit_Assign(self, node: libcst.Assign) -> None:
        self._pytest_plugins(node)
        for target in node.targets:
            self._not_values(target.target)
        if len(node.targets) > 1:  # `a = b = value`: followed when every target is
            if all(self._follows(target.target) for target in node.targets):
                self._followed.add(id(_unwrapped(node.value)))
            return
        self._bind(node.targets[0].target, node.value)

    def _bind(self, target: libcst.BaseExpression, value: libcst.BaseExpression) -> None:
        """Mark the parts of ``value`` that ``target`` binds to a followed alias (element by element)."""
        value = _unwrapped(value)
        if isinstance(target, libcst.Tuple | libcst.List) and isinstance(value, libcst.Tuple | libcst.List):
            if len(target.elements) == len(value.elements):
                for element, item in zip(target.elements, value.elements, strict=True):
                    if not isinstance(element, libcst.StarredElement) and not isinstance(item, libcst.StarredElement):
                        self._bind(element.value, item.value)
            return
        if self._follows(target):
            self._followed.add(id(value))

    def _follows(self, target: libcst.BaseExpression) -> bool:
        return isinstance(target, libcst.Name) and target.value in self._importers

    def _pytest_plugins(self, node: libcst.Assign) -> None:
        """``pytest_plugins = ["x"]``: pytest imports each module named there."""
        if not any(dotted_name(target.target) == "pytest_plugins" for target in node.targets):
            return
        value = node.value
        items = [value] if not isinstance(value, libcst.List | libcst.Tuple) else [e.value for e in value.elements]
        for item in items:
            name = literal_value(item)
            if isinstance(name, str) and name in PYTEST_BUILTIN_PLUGINS:
                continue  # pytest's own plugins go by bare names (`pytester` is `_pytest.pytester`)
            if isinstance(name, str) and name.strip("."):
                self._add(item, name, None, 0, "dynamic")
            else:
                self._computed(item, "pytest_plugins", "a plugin name is computed")

    def _computed(self, node: libcst.CSTNode, called: str, why: str) -> None:
        if self._outer is not None:
            self._outer[0]._computed(self._outer[1], called, why)
            return
        line, column = self._where(node)
        self.computed.append(ComputedImport(line, column, called, why))

    def visit_Call(self, node: libcst.Call) -> bool | None:
        self._followed.add(id(node.func))
        self._followed.add(id(_unwrapped(node.func)))  # `(load := importlib.import_module)("x")`
        if dotted_name(node.func) == "getattr" and self._escapes(node):
            return False  # `getattr(importlib, "import_module")` handed on, not called
        for passed in node.args:  # map(__import__, names), partial(importlib.import_module, ...)
            name = _callee(passed.value)
            if name and self._importers.get(name) and id(passed.value) not in self._followed \
                    and self._importers[name] not in LOOKUPS:
                self._followed.add(id(passed.value))
                self._computed(node, name, "it is passed to another call, which imports whatever it is given")
        called = _callee(_unwrapped(node.func))
        target = self._importers.get(called) or _member_importer(called)
        if target is None:
            return None
        argument = _first_argument(node)
        if argument is _STARRED:
            self._computed(node, called, "its module name is computed (unpacked from `*` or `**`)")
            return None
        if argument is None:
            return None
        value = literal_value(argument)
        if value is None and target not in LOOKUPS:
            value = folded_literal(argument)  # `"zz_gkpekaf"[::-1]`, `"x".upper()`: literals alone (attack E4)
        if value is None and target in LOOKUPS:
            return None  # looks up or compiles: imports nothing itself
        if target.rpartition(".")[2] in EXECUTORS:
            if isinstance(argument, libcst.Call) and self._importers.get(dotted_name(argument.func)) in EXECUTORS:
                return None  # exec(compile("...")): the inner call is looked at on its own
            self._executed(node, called, target, value)
            return None
        if not isinstance(value, str):
            if called in self._importers:  # `obj.import_module(name)` of an unknown `obj` may be anything
                self._computed(node, called, "its module name is computed")
            return None
        if target in OBJECT_PATH_IMPORTERS:
            value = object_module(value)
        if not value.strip(".") or not names_a_package(value):
            return None
        if target in OPTIONAL_IMPORTERS:
            self._add(node, value.lstrip("."), None, 0, "dynamic", guarded=True)
            return None
        level = len(value) - len(value.lstrip("."))
        package = _package_argument(node) if level and target == "importlib.import_module" else None
        if package:  # import_module(".sub", package="pkg") imports pkg.sub: absolute, not first-party
            parent = package.split(".")[: len(package.split(".")) - (level - 1)] if level > 1 else [package]
            self._add(node, ".".join([*parent, value[level:]]), None, 0, "dynamic")
            return None
        self._add(node, value[level:], None, level, "dynamic")
        return None

    def _executed(self, node: libcst.Call, called: str, target: str, value: str | bytes | None) -> None:
        """Imports in the source code that ``exec``/``eval``/``compile`` runs, placed at the call."""
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if value is None or self._depth >= _MAX_EXEC_DEPTH:
            self._computed(node, called, "the code it runs is computed")
            return
        evaluate = target.endswith("eval") or (target.endswith("compile") and _compile_mode(node) == "eval")
        try:
            parsed: libcst.CSTNode = (
                libcst.parse_expression(value.strip()) if evaluate else libcst.parse_module(value)
            )
        except (libcst.ParserSyntaxError, RecursionError, ValueError):
            if target not in LOOKUPS:  # compile() of broken code raises; it runs nothing
                self._computed(node, called, "the code it runs does not parse")
            return
        wrapper = MetadataWrapper(
            parsed if isinstance(parsed, libcst.Module) else libcst.Module([libcst.SimpleStatementLine(
                [libcst.Expr(parsed)]  # type: ignore[arg-type]
            )]),
            unsafe_skip_copy=True,
        )
        inner = _Collector(
            self._statement, 0, wrapper.resolve(PositionProvider), 0, importer_names(value) | dict(self._importers),
            outer=(self, node), depth=self._depth + 1,
        )  # fmt: skip
        wrapper.module.visit(inner)


def _callee(func: libcst.BaseExpression) -> str:
    """The dotted name a call calls, also when spelled ``getattr(importlib, "import_module")`` or
    ``vars(builtins)["__import__"]``; empty when it is not a name."""
    if isinstance(func, libcst.Call) and dotted_name(func.func) == "getattr" and len(func.args) >= 2:
        owner, attribute = dotted_name(func.args[0].value), literal_value(func.args[1].value)
        if owner and isinstance(attribute, str):
            return f"{owner}.{attribute}"
    if isinstance(func, libcst.Subscript) and len(func.slice) == 1:
        index = func.slice[0].slice
        key = literal_value(index.value) if isinstance(index, libcst.Index) else None
        if isinstance(key, str) and key in MEMBER_NAMES | EXECUTORS:
            owner = dotted_name(func.value)
            return f"{owner}.{key}" if owner and f"{owner}.{key}" in IMPORTERS else key
    dotted = dotted_name(func)
    if not dotted and isinstance(func, libcst.Attribute) and func.attr.value in ("__import__", "import_module"):
        return func.attr.value  # sys.modules["builtins"].__import__(...)
    return dotted


def literal_value(node: libcst.BaseExpression) -> str | bytes | None:
    """The value of a string expression made only of literals (``"a" "b"``, ``"a" + "b"``, ``f"a"``), else None."""
    if isinstance(node, libcst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str | bytes) else None
    if isinstance(node, libcst.FormattedString):
        texts = [part.value for part in node.parts if isinstance(part, libcst.FormattedStringText)]
        return "".join(texts) if len(texts) == len(node.parts) else None
    concatenated = isinstance(node, libcst.ConcatenatedString)
    if not concatenated and not (isinstance(node, libcst.BinaryOperation) and isinstance(node.operator, libcst.Add)):
        return None
    left, right = literal_value(node.left), literal_value(node.right)  # type: ignore[attr-defined]
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, bytes) and isinstance(right, bytes):
        return left + right
    return None


def folded_literal(node: libcst.BaseExpression) -> str | None:
    """The string an expression of literals alone computes through pure operations (``"zz_gkpekaf"[::-1]``,
    ``"X".lower()``, ``"%s" % "x"``: :mod:`.python_fold`), else None (a name, a call of anything impure)."""
    import ast

    from hallucheck.sources.python_fold import Folder, Unfolded

    try:
        code = libcst.Module([]).code_for_node(node)
        if len(code) > 4096 or not any(isinstance(child, (libcst.SimpleString, libcst.Integer, libcst.List))
                                       for child in _descendants(node)):
            return None
        tree = ast.parse(code.strip(), mode="eval")
        value = Folder(lambda name, scope: None, lambda function: None, lambda name: None).fold(tree.body, None)
    except (Unfolded, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return value if isinstance(value, str) else None


def _descendants(node: libcst.CSTNode) -> Iterator[libcst.CSTNode]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.children)


_STARRED = libcst.Name("_starred")
"""What :func:`_first_argument` returns when the argument is unpacked from something that is not a literal."""


def _first_argument(node: libcst.Call) -> libcst.BaseExpression | None:
    """The argument that names the module (or holds the code): the first positional one, or its keyword, also
    unpacked from a literal (``*["x"]``, ``**{"name": "x"}``); :data:`_STARRED` when it is unpacked from
    anything else."""
    for argument in node.args:
        value = _unwrapped(argument.value)
        if argument.keyword is None and argument.star == "":
            return argument.value
        if argument.keyword is not None and argument.keyword.value in _NAME_KEYWORDS:
            return argument.value
        if argument.star == "*":
            if not isinstance(value, libcst.List | libcst.Tuple):
                return _STARRED
            if value.elements:
                first = value.elements[0]
                return _STARRED if isinstance(first, libcst.StarredElement) else first.value
        elif argument.star == "**":
            if not isinstance(value, libcst.Dict):
                return _STARRED
            for element in value.elements:
                if not isinstance(element, libcst.DictElement):
                    return _STARRED  # `**{**other}`
                key = literal_value(element.key)
                if key is None:
                    return _STARRED
                if key in _NAME_KEYWORDS:
                    return element.value
    return None


def _unwrapped(node: libcst.BaseExpression) -> libcst.BaseExpression:
    """The value of a walrus (``(load := importlib.import_module)``), else the node."""
    while isinstance(node, libcst.NamedExpr):
        node = node.value
    return node


def _member_importer(called: str) -> str | None:
    """What ``obj.import_module`` (and ``obj.__import__``, ``obj.run_module``) of an object no alias explains
    stands for: the module may be ``importlib`` under a binding the text scan does not follow."""
    owner, _, member = called.rpartition(".")
    return _UNKNOWN_OWNER_MEMBERS.get(member) if owner else None


_UNKNOWN_OWNER_MEMBERS = {
    "import_module": "importlib.import_module", "__import__": "builtins.__import__", "run_module": "runpy.run_module",
}  # fmt: skip


def _target_names(node: libcst.CSTNode | None) -> list[libcst.Name]:
    """The names a target binds (``a``, ``(a, *b)``), not those it reads (``x`` in ``x.a`` or ``x[0]``)."""
    if isinstance(node, libcst.Name):
        return [node]
    if isinstance(node, libcst.Tuple | libcst.List):
        return [name for element in node.elements for name in _target_names(element.value)]
    if isinstance(node, libcst.StarredElement):
        return _target_names(node.value)
    return []


def _compile_mode(node: libcst.Call) -> str | None:
    for index, argument in enumerate(node.args):
        if (argument.keyword is not None and argument.keyword.value == "mode") or (
            argument.keyword is None and index == 2
        ):
            value = literal_value(argument.value)
            return value if isinstance(value, str) else None
    return None


def _package_argument(node: libcst.Call) -> str | None:
    """The literal ``package`` argument of ``import_module(name, package)``, if there is one."""
    for index, argument in enumerate(node.args[1:], start=1):
        keyword = argument.keyword.value if argument.keyword else None
        if keyword == "package" or (keyword is None and index == 1):
            value = argument.value
            if isinstance(value, libcst.SimpleString) and isinstance(value.evaluated_value, str):
                return value.evaluated_value or None
            return None
    return None
