"""The value a Python expression computes from literals alone (constant folding), for the commands code runs.

``os.system("pip install %s" % "x")``, ``b"...".decode()``, ``"PIP INSTALL X".lower()``, ``("...",)[0]``,
``"..."[::-1]``, ``bytes.fromhex("...").decode()``: a command written with literals only, through pure
operations on strings, bytes, integers, tuples, lists and dicts. :meth:`Folder.fold` computes such a value
without running any code: each operation is one of a closed list, the names it reads are those the code binds
once to another such expression, and every intermediate result is bounded (:data:`LIMIT` characters or items),
so that ``"x" * 10**9`` or ``"%999999999s"`` cost nothing. Anything else raises :class:`Unfolded`.

:meth:`Folder.closed` says whether an expression reads nothing but literals and pure functions of the standard
library (``base64``, ``codecs``, builtins): one that does but that :meth:`Folder.fold` cannot compute is code
whose only purpose is to hide what it computes; the caller cannot tell what it runs and says so.
Everything here is pure: the syntax tree in, a value out.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Sequence
from typing import Any

LIMIT = 65_536
"""The longest string, bytes or sequence a fold may build; a longer one is not computed."""
_DEPTH = 40
"""Nested expressions and names followed, at most."""

PURE_MODULES = frozenset({
    "base64", "binascii", "bz2", "codecs", "functools", "gzip", "html", "itertools", "json", "lzma", "marshal",
    "operator", "pickle", "quopri", "re", "shlex", "string", "struct", "textwrap", "unicodedata", "urllib", "uu",
    "zlib",
})  # fmt: skip
"""Standard-library modules whose functions compute a value from their arguments alone (no file, no environment):
an expression of literals through them is closed."""
_IMPURE_BUILTINS = frozenset({"open", "input", "globals", "locals", "vars", "dir", "id", "hash", "object"})


class Unfolded(Exception):
    """The expression's value cannot be computed here."""


Bindings = Callable[[str, Any], "Sequence[tuple[ast.AST, Any]] | None"]
"""The expressions a name read in a scope is bound to, each with its own scope: ``None`` when the value is known
only at run time (a parameter, an import, a ``global``, a name a loop or ``with`` binds), ``[]`` when no scope of
the code binds it (a builtin)."""
Callee = Callable[[ast.AST], "str | None"]
"""The dotted name of a called function or module attribute, through import aliases."""
Imported = Callable[[str], "str | None"]
"""The module (or module attribute) an import binds a name to; ``None`` when no import binds it."""


class Folder:
    """Folds the expressions of one module; each node is folded once per scope."""

    def __init__(self, bindings: Bindings, callee: Callee, imported: Imported) -> None:
        self._bindings = bindings
        self._callee = callee
        self._imported = imported
        self._folded: dict[tuple[int, int], object] = {}
        self._closed: dict[tuple[int, int], bool] = {}
        self._active: set[tuple[int, int]] = set()

    # -- folding ---------------------------------------------------------------------------------------------
    def fold(self, node: ast.AST, scope: Any, depth: int = 0) -> object:
        """The value of ``node`` read in ``scope``; :class:`Unfolded` when it cannot be computed here."""
        if depth > _DEPTH:
            raise Unfolded("too deep")
        if not hasattr(node, "lineno"):  # a node the caller made lives shortly: its id may be reused
            return self._computed(node, scope, depth)
        key = (id(node), id(scope))
        if key in self._folded:
            known = self._folded[key]
            if isinstance(known, Unfolded):
                raise known
            return known
        if key in self._active:
            raise Unfolded("a cycle")
        self._active.add(key)
        try:
            value = self._computed(node, scope, depth)
        except Unfolded as error:
            self._folded[key] = error
            raise
        finally:
            self._active.discard(key)
        self._folded[key] = value
        return value

    def _computed(self, node: ast.AST, scope: Any, depth: int) -> object:
        try:
            return _bounded(self._fold(node, scope, depth + 1))
        except (ArithmeticError, LookupError, TypeError, ValueError, UnicodeError, RecursionError) as error:
            raise Unfolded(str(error)) from None

    def _fold(self, node: ast.AST, scope: Any, depth: int) -> object:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (str, bytes, int, float)) or node.value is None:
                return node.value
            raise Unfolded
        if isinstance(node, (ast.Tuple, ast.List)):
            items: list[object] = []
            for item in node.elts:
                if isinstance(item, ast.Starred):
                    items.extend(_sequence(self.fold(item.value, scope, depth)))
                else:
                    items.append(self.fold(item, scope, depth))
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            result: dict[Any, object] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    result.update(_mapping(self.fold(value, scope, depth)))
                else:
                    result[_hashable(self.fold(key, scope, depth))] = self.fold(value, scope, depth)
            return result
        if isinstance(node, ast.BinOp):
            return _binary(node.op, self.fold(node.left, scope, depth), self.fold(node.right, scope, depth))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -_integer(self.fold(node.operand, scope, depth))
        if isinstance(node, ast.IfExp):
            chosen = node.body if self.fold(node.test, scope, depth) else node.orelse
            return self.fold(chosen, scope, depth)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, scope, depth)
        if isinstance(node, ast.Name):
            bound = self._bindings(node.id, scope)
            if bound is None or len(bound) != 1:
                raise Unfolded
            value_node, value_scope = bound[0]
            return self.fold(value_node, value_scope, depth)
        if isinstance(node, ast.Call):
            return self._call(node, scope, depth)
        if isinstance(node, ast.JoinedStr):
            return "".join(self._formatted_value(part, scope, depth) for part in node.values)
        raise Unfolded

    def _formatted_value(self, part: ast.AST, scope: Any, depth: int) -> str:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            return part.value
        if isinstance(part, ast.FormattedValue) and part.format_spec is None and part.conversion in (-1, 115):
            value = self.fold(part.value, scope, depth)
            if isinstance(value, (str, int)):
                return str(value)
        raise Unfolded

    def _subscript(self, node: ast.Subscript, scope: Any, depth: int) -> object:
        container = self.fold(node.value, scope, depth)
        part = node.slice
        if isinstance(part, ast.Slice):
            bounds = [None if item is None else _integer(self.fold(item, scope, depth))
                      for item in (part.lower, part.upper, part.step)]  # fmt: skip
            if not isinstance(container, (str, bytes, tuple, list)):
                raise Unfolded
            return container[slice(*bounds)]
        index = self.fold(part, scope, depth)
        if isinstance(container, dict):
            return container[_hashable(index)]
        if isinstance(container, (str, bytes, tuple, list)):
            return container[_integer(index)]
        raise Unfolded

    def _call(self, node: ast.Call, scope: Any, depth: int) -> object:
        if any(isinstance(item, ast.Starred) for item in node.args) or any(
                keyword.arg is None for keyword in node.keywords):
            raise Unfolded
        function = node.func
        name = self._free_callee(function, scope)
        arguments = [self.fold(item, scope, depth) for item in node.args]
        keywords = {keyword.arg: self.fold(keyword.value, scope, depth) for keyword in node.keywords
                    if keyword.arg is not None}  # fmt: skip
        if name is not None:
            return _function(name, arguments, keywords)
        if isinstance(function, ast.Attribute):
            return _method(self.fold(function.value, scope, depth), function.attr, arguments, keywords)
        raise Unfolded

    def _free_callee(self, function: ast.AST, scope: Any) -> str | None:
        """The dotted name of ``function`` when it is a builtin or a module's function (not a bound name)."""
        root = function
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        bound = self._bindings(root.id, scope)
        if bound:  # a name the code binds: a value, not a module
            return None
        name = self._callee(function)
        if name is None:
            return None
        module = self._imported(root.id) if bound is None else None
        if (module is not None and module.split(".", 1)[0] in PURE_MODULES) or (
                bound == [] and hasattr(builtins, root.id)):
            return name
        return None

    # -- closed expressions ----------------------------------------------------------------------------------
    def closed(self, node: ast.AST, scope: Any, depth: int = 0) -> bool:
        """Whether ``node`` reads only literals, names bound to closed expressions, builtins (not ``open``,
        ``input``) and functions of :data:`PURE_MODULES`: whatever it computes, the code alone decides it."""
        key = (id(node), id(scope))
        known = self._closed.get(key)
        if known is not None:
            return known
        if depth > _DEPTH or key in self._active:
            return False
        self._active.add(key)
        try:
            result = self._all_closed(node, scope, depth)
        finally:
            self._active.discard(key)
        self._closed[key] = result
        return result

    def _all_closed(self, node: ast.AST, scope: Any, depth: int) -> bool:
        for item in ast.walk(node):
            if isinstance(item, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.Lambda)):
                return False
            if isinstance(item, ast.Attribute) and not isinstance(item.value, (ast.Name, ast.Attribute)):
                continue  # a method of a value: the value is walked
            if isinstance(item, ast.Name) and not self._closed_name(item, scope, depth):
                return False
        return True

    def _closed_name(self, node: ast.Name, scope: Any, depth: int) -> bool:
        bound = self._bindings(node.id, scope)
        if bound is None:  # an import of a pure module, or a run-time value
            module = self._imported(node.id)
            return module is not None and module.split(".", 1)[0] in PURE_MODULES
        if not bound:
            return hasattr(builtins, node.id) and node.id not in _IMPURE_BUILTINS
        # a name a loop or comprehension binds is closed when what it iterates over is
        return all(self.closed(getattr(value, "iterable", value), value_scope, depth + 1)
                   for value, value_scope in bound)


# -- the operations ------------------------------------------------------------------------------------------
def _bounded(value: object) -> object:
    if isinstance(value, (str, bytes, tuple, list, dict)) and len(value) > LIMIT:
        raise Unfolded("too long")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**64:
        raise Unfolded("too large")
    return value


def _integer(value: object) -> int:
    if isinstance(value, int):
        return value
    raise Unfolded


def _sequence(value: object) -> Sequence[object]:
    if isinstance(value, (tuple, list, str, bytes)):
        return list(value)
    raise Unfolded


def _mapping(value: object) -> dict[Any, object]:
    if isinstance(value, dict):
        return value
    raise Unfolded


def _hashable(value: object) -> object:
    if isinstance(value, (str, bytes, int, float, tuple)) or value is None:
        return value
    raise Unfolded


def _binary(operator: ast.operator, left: object, right: object) -> object:
    if isinstance(operator, ast.Add):
        if type(left) is type(right) and isinstance(left, (str, bytes, tuple, list)):
            _fits(len(left) + len(right))  # type: ignore[arg-type]
            return left + right  # type: ignore[operator]
        if isinstance(left, int) and isinstance(right, int):
            return left + right
    elif isinstance(operator, ast.Sub) and isinstance(left, int) and isinstance(right, int):
        return left - right
    elif isinstance(operator, ast.Mult):
        return _repeated(left, right)
    elif isinstance(operator, ast.Mod) and isinstance(left, (str, bytes)):
        return _percent(left, right)
    raise Unfolded


def _fits(size: int) -> None:
    if size > LIMIT:
        raise Unfolded("too long")


def _repeated(left: object, right: object) -> object:
    if isinstance(left, int) and isinstance(right, (str, bytes, tuple, list)):
        left, right = right, left
    if isinstance(left, int) and isinstance(right, int):
        return left * right
    if isinstance(left, (str, bytes, tuple, list)) and isinstance(right, int):
        _fits(len(left) * max(right, 0))
        return left * right
    raise Unfolded


_FORMAT_FLAGS = "#0- +"


def _percent(template: str | bytes, operands: object) -> object:
    """``template % operands`` when no conversion asks for a width, precision or ``*`` that could make it long."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    index = text.find("%")
    while index >= 0:
        position = index + 1
        if position < len(text) and text[position] == "(":
            position = text.find(")", position) + 1
            if position <= 0:
                raise Unfolded
        while position < len(text) and text[position] in _FORMAT_FLAGS:
            position += 1
        if position < len(text) and (text[position].isdigit() or text[position] in "*."):
            raise Unfolded("a width or precision")
        index = text.find("%", position + 1)
    if not isinstance(operands, (str, bytes, int, float, tuple, dict)):
        raise Unfolded
    return template % operands


_STR_METHODS = frozenset({
    "lower", "upper", "casefold", "swapcase", "title", "capitalize", "strip", "lstrip", "rstrip", "split", "rsplit",
    "splitlines", "removeprefix", "removesuffix", "encode", "decode", "partition", "rpartition", "startswith",
    "endswith", "isdigit", "isalpha", "hex",
})  # fmt: skip
"""Methods of ``str`` and ``bytes`` whose result is no longer than twice the receiver (or a bool)."""
_SEQUENCE_METHODS = frozenset({"index", "count"})
_CODECS = frozenset({"rot13", "rot_13", "hex", "hex_codec", "base64", "base64_codec", "utf-8", "utf8", "ascii",
                     "latin-1", "latin1", "utf-16", "utf-32", "unicode_escape", "raw_unicode_escape", "quopri",
                     "quopri_codec", "uu", "uu_codec"})  # fmt: skip
"""Codecs ``codecs.decode``/``encode`` may apply here: none decompresses (``zlib``, ``bz2`` could make a bomb)."""


def _method(receiver: object, name: str, arguments: list[object], keywords: dict[str, object]) -> object:
    if isinstance(receiver, (str, bytes)):
        if name in ("encode", "decode"):
            encoding = arguments[0] if arguments else keywords.get("encoding", "utf-8")
            if not isinstance(encoding, str) or encoding.lower() not in _CODECS:
                raise Unfolded
        if name in _STR_METHODS:
            return getattr(receiver, name)(*arguments, **keywords)
        if name == "replace":
            old, new = arguments[0], arguments[1]
            if not isinstance(old, type(receiver)) or not isinstance(new, type(receiver)):
                raise Unfolded
            _fits(len(receiver) + (receiver.count(old) + 1) * len(new))  # type: ignore[arg-type]
            return receiver.replace(*arguments)  # type: ignore[arg-type]
        if name == "join" and len(arguments) == 1:
            items = _sequence(arguments[0])
            _fits(sum(len(item) for item in items if isinstance(item, (str, bytes))) + len(receiver) * len(items))
            return receiver.join(items)  # type: ignore[arg-type]
        if name == "format" and isinstance(receiver, str):
            return _format(receiver, arguments, keywords)
    if isinstance(receiver, (tuple, list)) and name in _SEQUENCE_METHODS:
        return getattr(receiver, name)(*arguments)
    if isinstance(receiver, dict) and name == "get" and arguments:
        return receiver.get(_hashable(arguments[0]), *arguments[1:2])
    raise Unfolded


def _format(template: str, arguments: list[object], keywords: dict[str, object]) -> object:
    """``template.format(...)`` when each field names an argument plainly and asks for no width or precision."""
    import string

    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if spec or (conversion not in (None, "s")) or not (field == "" or field.isdigit() or field.isidentifier()):
            raise Unfolded("a format field")
    return template.format(*arguments, **keywords)


def _function(name: str, arguments: list[object], keywords: dict[str, object]) -> object:
    if keywords and name not in ("str", "bytes", "bytearray"):
        raise Unfolded
    if name in ("bytes.fromhex", "bytearray.fromhex", "binascii.unhexlify", "binascii.a2b_hex") and arguments:
        data = arguments[0]
        return bytes.fromhex(data if isinstance(data, str) else _bytes(data).decode("ascii"))
    if name in _DECODERS and len(arguments) == 1:
        import base64
        import binascii

        function = getattr(binascii if name.startswith("binascii.") else base64, name.split(".", 1)[1])
        return function(arguments[0])
    if name in ("codecs.decode", "codecs.encode") and len(arguments) == 2:
        if not isinstance(arguments[1], str) or arguments[1].lower() not in _CODECS:
            raise Unfolded
        import codecs

        return getattr(codecs, name.split(".", 1)[1])(arguments[0], arguments[1])
    return _builtin(name, arguments, keywords)


_DECODERS = frozenset({
    "base64.b64decode", "base64.standard_b64decode", "base64.urlsafe_b64decode", "base64.b32decode",
    "base64.b16decode", "base64.b85decode", "base64.a85decode", "binascii.a2b_base64",
})  # fmt: skip
"""Decoders whose output is shorter than their input."""


def _builtin(name: str, arguments: list[object], keywords: dict[str, object]) -> object:
    if name == "str" and len(arguments) == 1 and not keywords and isinstance(arguments[0], (str, int)):
        return str(arguments[0])
    if name in ("str", "bytes", "bytearray") and arguments and isinstance(arguments[0], (str, bytes)) and (
            len(arguments) + len(keywords) > 1):
        encoding = arguments[1] if len(arguments) > 1 else keywords.get("encoding")
        if not isinstance(encoding, str) or encoding.lower() not in _CODECS:
            raise Unfolded
        source = arguments[0]
        if name == "str" and isinstance(source, bytes):
            return source.decode(encoding)
        if name != "str" and isinstance(source, str):
            return source.encode(encoding)
        raise Unfolded
    if name in ("bytes", "bytearray") and len(arguments) == 1 and isinstance(arguments[0], (list, tuple)):
        return bytes(_integer(item) for item in arguments[0])
    if name == "chr" and len(arguments) == 1:
        return chr(_integer(arguments[0]))
    if name == "ord" and len(arguments) == 1 and isinstance(arguments[0], str):
        return ord(arguments[0])
    if name in ("reversed", "list", "tuple", "sorted") and len(arguments) == 1:
        items = _sequence(arguments[0])
        items = items[::-1] if name == "reversed" else sorted(items) if name == "sorted" else items  # type: ignore[type-var]
        return list(items) if name == "list" else tuple(items)
    raise Unfolded


def _bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    raise Unfolded
