"""Build hallucheck/data/index/: what each curated distribution ships, read from its wheels.

    python scripts/build_index.py [--wheels DIR] [--download] [--output DIR]

For each distribution and version in ``scripts/index_distributions.tsv`` the script
takes one wheel from ``--wheels`` (``--download`` fetches the missing ones with
``pip download --no-deps --only-binary :all: NAME==VERSION``), checks its sha256
against ``scripts/index_wheels.tsv`` (a new wheel is recorded there), and reads:

* ``RECORD`` (else the zip's file list): every module the wheel installs, compiled
  extension modules included, and the implicit namespace packages above them;
* each ``.py`` module's source with :mod:`ast` (never imported, never run): the
  names it defines at module level (definitions, assignments, imports, ``__all__``,
  star imports resolved within the wheel), or *open* when its namespace is dynamic
  (a module-level ``__getattr__`` that is not a closed table, ``globals()`` writes,
  ``sys.modules`` writes, ``__path__`` changes, a star import from compiled or
  foreign code, a syntax the parser cannot read). A compiled module is open unless
  a ``.pyi`` stub beside it lists its names;
* ``METADATA``: ``Requires-Dist`` (with extras and markers) and PEP 794
  ``Import-Name`` / ``Import-Namespace``.

The output is deterministic: ``catalog.json`` (versions, wheels, requirements and
owned top-level modules of every distribution) and one zlib-compressed JSON file per
distribution (``NAME.json.z``) with its modules and names; see docs/index.md.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
DISTRIBUTIONS = HERE / "index_distributions.tsv"
WHEELS_RECORD = HERE / "index_wheels.tsv"
OUTPUT = HERE.parent / "hallucheck" / "data" / "index"
FORMAT = 2

_COMPILED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_.-]+)?\.(?:so|pyd)$")
_SEPARATORS = re.compile(r"[-_.]+")


def normalize(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()


@dataclass(frozen=True)
class Entry:
    distribution: str
    versions: tuple[str, ...]
    why: str


def read_distributions(path: Path = DISTRIBUTIONS) -> list[Entry]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(item.strip() for item in fields):
            raise SystemExit(f"{path}:{number}: expected DISTRIBUTION<TAB>VERSIONS<TAB>WHY")
        name, versions, why = fields
        if normalize(name) != name:
            raise SystemExit(f"{path}:{number}: {name!r} is not a normalised distribution name")
        entries.append(Entry(name, tuple(versions.split()), why))
    return entries


def read_wheel_record(path: Path = WHEELS_RECORD) -> dict[tuple[str, str], tuple[str, str]]:
    """(distribution, version) -> (wheel file name, sha256) as recorded by earlier builds."""
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version, wheel, digest = line.split("\t")
            found[(name, version)] = (wheel, digest)
    return found


def write_wheel_record(record: dict[tuple[str, str], tuple[str, str]], path: Path = WHEELS_RECORD) -> None:
    lines = [
        "# The wheel each entry of hallucheck/data/index/ was built from, and its sha256 (written by",
        "# scripts/build_index.py; a rebuild refuses a wheel whose hash differs).",
        "# DISTRIBUTION<TAB>VERSION<TAB>WHEEL<TAB>SHA256",
    ]
    lines += ["\t".join((name, version, *record[(name, version)])) for name, version in sorted(record)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def wheel_version(filename: str) -> tuple[str, str]:
    name, version = filename.split("-")[:2]
    return normalize(name), version


def find_wheel(directory: Path, distribution: str, version: str) -> Path | None:
    for candidate in sorted(directory.glob("*.whl")):
        name, found = wheel_version(candidate.name)
        if name == distribution and found == version:
            return candidate
    return None


def download(directory: Path, distribution: str, version: str) -> None:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               f"{distribution}=={version}", "-d", str(directory), "-q"]  # fmt: skip
    subprocess.run(command, check=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------- modules


@dataclass
class Source:
    """One module as the wheel ships it."""

    name: str
    package: bool
    text: str | None = None
    """The ``.py`` source, or None for a compiled module (or a namespace package)."""
    stub: str | None = None
    """A ``.pyi`` stub beside a compiled module."""
    namespace: bool = False


def module_files(names: Iterable[str]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Module key -> (kind, archive path) for every module file a wheel installs, and its ``.pyi`` stubs.

    A key is the dotted module name, with a trailing ``/`` for a package's
    ``__init__``; ``kind`` is ``py`` or ``compiled``. ``.data/purelib`` and
    ``.data/platlib`` files install at the top level like the others.
    """
    found: dict[str, tuple[str, str]] = {}
    stubs: dict[str, str] = {}
    for archive in names:
        path = archive
        parts = path.split("/")
        if parts[0].endswith(".dist-info"):
            continue
        if parts[0].endswith(".data"):
            if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                continue
            parts = parts[2:]
        *folders, filename = parts
        if filename.endswith(".py"):
            stem, kind = filename[:-3], "py"
        elif filename.endswith(".pyi"):
            stem, kind = filename[:-4], "stub"
        else:
            match = _COMPILED.match(filename)
            if not match:
                continue
            stem, kind = match.group("name"), "compiled"
        if not all(part.isidentifier() for part in (*folders, stem)):
            continue
        module = ".".join(folders if stem == "__init__" else (*folders, stem))
        if not module:
            continue
        key = module + ("/" if stem == "__init__" else "")
        if kind == "stub":
            stubs[key] = archive
        elif key not in found or kind == "py":
            found[key] = (kind, archive)
    return found, stubs


def read_sources(archive: zipfile.ZipFile, names: list[str]) -> dict[str, Source]:
    files, stubs = module_files(names)
    modules: dict[str, Source] = {}
    for key, (kind, path) in sorted(files.items()):
        package = key.endswith("/")
        name = key.rstrip("/")
        source = Source(name, package)
        if kind == "py":
            source.text = archive.read(path).decode("utf-8", "replace")
        elif key in stubs:
            source.stub = archive.read(stubs[key]).decode("utf-8", "replace")
        if name not in modules or package:
            modules[name] = source
    # Implicit namespace packages: every folder above a module that has no __init__.
    for name in list(modules):
        parts = name.split(".")
        for end in range(1, len(parts)):
            parent = ".".join(parts[:end])
            if parent not in modules:
                modules[parent] = Source(parent, True, namespace=True)
    return modules


# ---------------------------------------------------------------------------------------------------- names


@dataclass
class Namespace:
    """What a module's source says about its names."""

    names: set[str] = field(default_factory=set)
    all_names: list[str] | None = None
    """``__all__`` when it is a literal (plus literal ``+=``/``extend``), else None."""
    open_reason: str = ""
    """Why any name may exist (a dynamic namespace); "" when the names are all known."""
    modules_reason: str = ""
    """Why submodules may exist that no file shows (``sys.modules`` or ``__path__`` writes)."""
    stars: list[tuple[str, bool]] = field(default_factory=list)
    """Star imports: (absolute module, whether it is relative to this distribution)."""
    gone: dict[str, str] = field(default_factory=dict)
    """Names a closed ``__getattr__`` refuses, with the message where it is a literal."""
    tables: dict[str, ast.expr] = field(default_factory=dict)
    """Module-level literal collections (dict/set/list/tuple), by name."""
    table_imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Names imported from modules of the wheel: local name -> (module, name)."""
    getattr_tables: list[tuple[str, bool]] = field(default_factory=list)
    """Tables a closed ``__getattr__`` tests: (local name, whether the branch returns a value)."""
    loop_literals: dict[str, list[str]] = field(default_factory=dict)
    """Module-level ``for NAME in <literal strings>`` loops: ``globals()[NAME] = ...`` defines those names."""


def resolve_from(module: str, package: bool, level: int, target: str | None) -> str:
    """The absolute module of ``from <level dots><target> import ...`` in ``module``."""
    if level == 0:
        return target or ""
    parts = module.split(".")
    base = parts if package else parts[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


def analyse(module: str, package: bool, text: str) -> Namespace:
    space = Namespace()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        space.open_reason = space.modules_reason = "source the parser cannot read"
        return space
    for statement in _module_level(tree.body):
        _collect(statement, module, package, space)
    _scan_dynamic(tree, space)
    return space


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at module level, inside if/try/with/for/while/match blocks too."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            yield from _module_level(statement.body)
            yield from _module_level(statement.orelse)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from _module_level(statement.body)
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            yield from _module_level(statement.body)  # type: ignore[attr-defined]
            for handler in statement.handlers:  # type: ignore[attr-defined]
                yield from _module_level(handler.body)
            yield from _module_level(statement.orelse)  # type: ignore[attr-defined]
            yield from _module_level(statement.finalbody)  # type: ignore[attr-defined]
        elif isinstance(statement, ast.Match):
            for case in statement.cases:
                yield from _module_level(case.body)


def _targets(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for item in target.elts:
            yield from _targets(item)
    elif isinstance(target, ast.Starred):
        yield from _targets(target.value)


def _collect(statement: ast.stmt, module: str, package: bool, space: Namespace) -> None:
    names = space.names
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(statement.name)
        if statement.name == "__getattr__" and not isinstance(statement, ast.ClassDef):
            _module_getattr(statement, space)
    elif isinstance(statement, ast.Assign):
        for target in statement.targets:
            names.update(_targets(target))
            if isinstance(target, ast.Name):
                _assigned(target.id, statement.value, space)
    elif isinstance(statement, ast.AnnAssign):
        if statement.value is not None and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
            _assigned(statement.target.id, statement.value, space)
    elif isinstance(statement, ast.AugAssign):
        names.update(_targets(statement.target))
        if isinstance(statement.target, ast.Name) and statement.target.id == "__all__":
            _extend_all(statement.value, space)
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        names.update(_targets(statement.target))
        literal = _strings(statement.iter)
        if isinstance(statement.target, ast.Name) and literal is not None:
            space.loop_literals[statement.target.id] = literal
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        for item in statement.items:
            if item.optional_vars is not None:
                names.update(_targets(item.optional_vars))
    elif isinstance(statement, ast.Import):
        for alias in statement.names:
            names.add(alias.asname or alias.name.partition(".")[0])
    elif isinstance(statement, ast.ImportFrom):
        source = resolve_from(module, package, statement.level, statement.module)
        for alias in statement.names:
            if alias.name == "*":
                space.stars.append((source, True))
            else:
                names.add(alias.asname or alias.name)
                space.table_imports[alias.asname or alias.name] = (source, alias.name)
                if (alias.asname or alias.name) == "__getattr__":
                    space.open_reason = "module-level __getattr__"
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        func = call.func
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "__all__"
                and func.attr in ("extend", "append") and call.args):  # fmt: skip
            argument = call.args[0]
            _extend_all(argument if func.attr == "extend" else ast.List([argument]), space)


def _strings(node: ast.expr) -> list[str] | None:
    """The strings of a literal list/tuple/set (or dict keys), None when it is not one."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = [key for key in node.keys if key is not None]
        if len(items) != len(node.keys):
            return None
    else:
        return None
    if all(isinstance(item, ast.Constant) and isinstance(item.value, str) for item in items):
        return [item.value for item in items]  # type: ignore[attr-defined]
    return None


def _assigned(name: str, value: ast.expr, space: Namespace) -> None:
    if name == "__getattr__":
        space.open_reason = "module-level __getattr__"
    if name == "__all__":
        found = _strings(value)
        if found is None and isinstance(value, ast.BinOp):  # __all__ = [...] + [...]
            left, right = _strings(value.left), _strings(value.right)
            found = left + right if left is not None and right is not None else None
        space.all_names = found
        return
    if name == "__path__":
        space.modules_reason = "__path__ is changed"
    if isinstance(value, (ast.Dict, ast.Set, ast.List, ast.Tuple)):
        space.tables[name] = value


def _extend_all(value: ast.expr, space: Namespace) -> None:
    found = _strings(value)
    if space.all_names is not None and found is not None:
        space.all_names = space.all_names + found
    else:
        space.all_names = None


def _module_getattr(function: ast.FunctionDef | ast.AsyncFunctionDef, space: Namespace) -> None:
    """A module-level ``__getattr__``: closed when every value it returns is for a name it tests literally.

    The shape numpy uses: ``if attr == "linalg": return ...`` branches (or ``attr in TABLE``
    with a literal table) and a final ``raise AttributeError``. Anything else (a lazy
    import table it indexes, a call that computes the value) makes the module open.
    """
    arguments = function.args.args or function.args.posonlyargs
    if not arguments or not function.body or not isinstance(function.body[-1], ast.Raise):
        space.open_reason = "module-level __getattr__"
        return
    parameter = arguments[0].arg
    returned: set[str] = set()
    local = {
        target.id: statement.value for statement in function.body if isinstance(statement, ast.Assign)
        for target in statement.targets if isinstance(target, ast.Name)
    }  # fmt: skip
    if not _closed_branches(function.body, parameter, None, returned, space, local):
        space.open_reason = "module-level __getattr__"
        return
    space.names.update(returned)


def _closed_branches(
    body: list[ast.stmt], parameter: str, guard: list[str] | None, returned: set[str], space: Namespace,
    local: dict[str, ast.expr],
) -> bool:
    """Whether every ``return`` in ``body`` sits under a literal test of ``parameter`` (collecting the names)."""
    for statement in body:
        if isinstance(statement, ast.If):
            tested = _tested_names(statement.test, parameter, space, local)
            inner = tested if tested is not None else guard
            if tested is not None and not _returns(statement.body) and _raises(statement.body):
                _record_gone(statement, parameter, space)
            if not _closed_branches(statement.body, parameter, inner, returned, space, local):
                return False
            if not _closed_branches(statement.orelse, parameter, guard, returned, space, local):
                return False
        elif isinstance(statement, ast.Return):
            if guard is None:
                return False
            returned.update(guard)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or any(
            isinstance(node, ast.Return) for node in ast.walk(statement)
        ):
            return False
    return True


def _returns(body: list[ast.stmt]) -> bool:
    return any(isinstance(node, ast.Return) for statement in body for node in ast.walk(statement))


def _raises(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Raise)


def _tested_names(
    test: ast.expr, parameter: str, space: Namespace, local: dict[str, ast.expr]
) -> list[str] | None:
    """The literal names ``test`` compares ``parameter`` with (``p == "x"``, ``p in ("x", "y")``, ``p in TABLE``)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        found: list[str] = []
        for value in test.values:
            names = _tested_names(value, parameter, space, local)
            if names is None:
                return None
            found += names
        return found
    if not (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == parameter
            and len(test.ops) == 1):  # fmt: skip
        return None
    operator, right = test.ops[0], test.comparators[0]
    if isinstance(operator, ast.Eq) and isinstance(right, ast.Constant) and isinstance(right.value, str):
        return [right.value]
    if isinstance(operator, ast.In):
        literal = _strings(right)
        if literal is not None:
            return literal
        if isinstance(right, ast.Name) and right.id in local:
            return _strings(local[right.id])
        if isinstance(right, ast.Name):
            space.getattr_tables.append((right.id, False))
            return [f"\0table:{right.id}"]
    return None


def _record_gone(statement: ast.If, parameter: str, space: Namespace) -> None:
    test = statement.test
    if isinstance(test, ast.Compare) and isinstance(test.comparators[0], ast.Constant):
        name = test.comparators[0].value
        message = _literal_message(statement.body[-1], parameter)
        if isinstance(name, str):
            space.gone[name] = message.replace("{name}", name).replace("{value}", "")
    elif isinstance(test, ast.Compare) and isinstance(test.comparators[0], ast.Name):
        space.gone[f"\0table:{test.comparators[0].id}"] = _literal_message(statement.body[-1], parameter)


def _literal_message(statement: ast.stmt, parameter: str) -> str:
    """The message a ``raise X("...")`` gives, with ``{name}`` for the parameter and ``{value}`` for ``T[param]``."""
    if not (isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call) and statement.exc.args):
        return ""
    argument = statement.exc.args[0]
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    if isinstance(argument, ast.Name) and argument.id != parameter:
        return ""
    if not isinstance(argument, ast.JoinedStr):
        return "{value}" if _is_lookup(argument, parameter) else ""
    parts = []
    for value in argument.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name) and \
                value.value.id == parameter:
            parts.append("{name}")
        elif isinstance(value, ast.FormattedValue) and _is_lookup(value.value, parameter):
            parts.append("{value}")
        else:
            return ""
    return "".join(parts)


def _is_lookup(node: ast.expr, parameter: str) -> bool:
    """``TABLE[parameter]``."""
    return (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == parameter
            and isinstance(node.value, ast.Name))  # fmt: skip


def _scan_dynamic(tree: ast.Module, space: Namespace) -> None:
    """What the names cannot show: writes to ``globals()``, to ``sys.modules``, to ``__path__``, ``exec``.

    A write of a literal name (``globals()["x"] = ...``, a loop over literal names,
    ``setattr(module, item.name, ...)`` over the members of the module's own enums, as
    Pillow exports its constants) adds the names; any other write opens the namespace.
    Writes to ``sys.modules``, ``__path__`` or ``sys.meta_path`` open the submodules.
    """
    aliases = {
        target.id for node in tree.body if isinstance(node, ast.Assign) and _dynamic_owner(node.value)
        for target in node.targets if isinstance(target, ast.Name)
    }  # fmt: skip
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    enum_exports = _enum_exports(tree, aliases, classes)
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            space.names.update(node.names)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, method = node.func.value, node.func.attr
            if (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name)
                    and owner.func.id in ("globals", "vars", "locals")
                    and method in ("update", "__setitem__", "setdefault")):  # fmt: skip
                space.open_reason = space.open_reason or f"{owner.func.id}().{method}()"
            elif (isinstance(owner, ast.Attribute) and owner.attr == "__dict__"
                    and method in ("update", "__setitem__", "setdefault")):  # fmt: skip
                space.open_reason = space.open_reason or "__dict__.update()"
            elif _is_sys(owner, "meta_path") or _is_sys(owner, "path_hooks"):
                space.modules_reason = space.modules_reason or "changes the import system"
            elif isinstance(owner, ast.Name) and owner.id == "__path__" and method in ("append", "extend", "insert"):
                space.modules_reason = space.modules_reason or "__path__ is changed"
            elif (_is_sys(owner, "modules") or (isinstance(owner, ast.Name) and owner.id in aliases)) and method in (
                    "update", "__setitem__", "setdefault"):  # fmt: skip
                space.modules_reason = space.modules_reason or "writes to sys.modules"
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                _dynamic_write(target, space, aliases)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "exec"):
            if node.func.id == "exec":
                space.open_reason = space.open_reason or "exec()"
            elif node.args and (_dynamic_owner(node.args[0]) or (
                    isinstance(node.args[0], ast.Name) and node.args[0].id in aliases)):  # fmt: skip
                if id(node) in enum_exports:
                    space.names.update(enum_exports[id(node)])
                elif len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(
                        node.args[1].value, str):  # fmt: skip
                    space.names.add(node.args[1].value)
                else:
                    space.open_reason = space.open_reason or "setattr() on the module"


def _dynamic_write(target: ast.expr, space: Namespace, aliases: set[str]) -> None:
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in aliases:
        space.names.add(target.attr)
        return
    if not (isinstance(target, ast.Subscript) and _dynamic_owner(target.value)):
        return
    if _is_sys(target.value, "modules"):
        space.modules_reason = space.modules_reason or "writes to sys.modules"
        return
    key = target.slice
    if isinstance(key, ast.Name) and key.id in space.loop_literals:
        space.names.update(space.loop_literals[key.id])
    elif isinstance(key, ast.Constant) and isinstance(key.value, str):
        space.names.add(key.value)
    else:
        space.open_reason = space.open_reason or "writes to globals()"


def _is_sys(node: ast.expr, attribute: str) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == attribute and isinstance(node.value, ast.Name)
            and node.value.id == "sys")  # fmt: skip


def _enum_exports(tree: ast.Module, aliases: set[str], classes: dict[str, ast.ClassDef]) -> dict[int, set[str]]:
    """``for enum in (A, B): for item in enum: setattr(module, item.name, ...)`` -> the members of A and B."""
    found: dict[int, set[str]] = {}
    for outer in tree.body:
        if not (isinstance(outer, ast.For) and isinstance(outer.target, ast.Name)
                and isinstance(outer.iter, (ast.Tuple, ast.List))
                and all(isinstance(item, ast.Name) and item.id in classes for item in outer.iter.elts)):  # fmt: skip
            continue
        members = set()
        for item in outer.iter.elts:
            body = classes[item.id].body  # type: ignore[attr-defined]
            for statement in body:
                if isinstance(statement, ast.Assign):
                    for target in statement.targets:
                        members.update(_targets(target))
                elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    members.add(statement.target.id)
        for inner in outer.body:
            if not (isinstance(inner, ast.For) and isinstance(inner.target, ast.Name)
                    and isinstance(inner.iter, ast.Name) and inner.iter.id == outer.target.id):  # fmt: skip
                continue
            for node in ast.walk(inner):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                        and len(node.args) > 1 and isinstance(node.args[1], ast.Attribute)
                        and node.args[1].attr == "name" and isinstance(node.args[1].value, ast.Name)
                        and node.args[1].value.id == inner.target.id):  # fmt: skip
                    found[id(node)] = {member for member in members if not member.startswith("_")}
    return found


def _dynamic_owner(node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("globals", "vars"):
        return True
    if _is_sys(node, "modules"):
        return True
    if isinstance(node, ast.Subscript):  # sys.modules[__name__]
        return _dynamic_owner(node.value)
    return False


# ---------------------------------------------------------------------------------------------------- one wheel


@dataclass
class Version:
    version: str
    wheel: str
    digest: str
    requires: list[str]
    import_names: list[str] | None
    modules: dict[str, tuple[bool, bool, list[str], str]]
    """Module -> (names open, submodules open, names, why open)."""
    gone: dict[str, dict[str, str]]
    roots: list[str]


def read_metadata(archive: zipfile.ZipFile, names: list[str]) -> tuple[list[str], list[str] | None, list[str]]:
    """Requires-Dist, PEP 794 Import-Name (+ Import-Namespace) or None, and the RECORD's file list."""
    info = sorted(name for name in names if name.count("/") == 1 and name.split("/")[0].endswith(".dist-info"))
    metadata = next((name for name in info if name.endswith("/METADATA")), None)
    record = next((name for name in info if name.endswith("/RECORD")), None)
    requires: list[str] = []
    imports: list[str] | None = None
    if metadata is not None:
        message = HeaderParser().parsestr(archive.read(metadata).decode("utf-8", "replace"))
        requires = sorted({" ".join(value.split()) for value in message.get_all("Requires-Dist") or []})
        declared = (message.get_all("Import-Name") or []) + (message.get_all("Import-Namespace") or [])
        if declared:
            imports = sorted({value.split(";")[0].strip() for value in declared if value.strip()})
    files = names
    if record is not None:
        rows = archive.read(record).decode("utf-8", "replace").splitlines()
        files = [row.rsplit(",", 2)[0].strip('"') for row in rows if row.strip()]
    return requires, imports, files


def read_wheel(path: Path, version: str, digest: str) -> Version:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        requires, imports, files = read_metadata(archive, names)
        present = set(names)
        sources = read_sources(archive, [name for name in files if name in present])
    spaces: dict[str, Namespace] = {}
    for name, source in sources.items():
        if source.text is not None:
            spaces[name] = analyse(name, source.package, source.text)
        elif source.stub is not None:
            spaces[name] = analyse(name, source.package, source.stub)
        elif not source.namespace:
            spaces[name] = Namespace(open_reason="compiled module", modules_reason="compiled module")
        else:
            spaces[name] = Namespace()
    _resolve_tables(spaces)
    exported = _resolve_stars(spaces, sources)
    modules = {}
    gone: dict[str, dict[str, str]] = {}
    for name, space in spaces.items():
        members = set(exported[name]) | set(space.all_names or ())
        members |= {child.rpartition(".")[2] for child in sources if child.rpartition(".")[0] == name}
        members = {member for member in members if member.isidentifier()}
        modules[name] = (bool(space.open_reason), bool(space.modules_reason), sorted(members),
                         space.open_reason or space.modules_reason)
        cleaned = {key: value for key, value in space.gone.items() if key.isidentifier() and key not in members}
        if cleaned:
            gone[name] = cleaned
    roots = sorted(name for name, source in sources.items()
                   if not source.namespace and not _has_regular_parent(name, sources))  # fmt: skip
    return Version(version, path.name, digest, requires, imports, modules, gone, roots)


def _has_regular_parent(name: str, sources: dict[str, Source]) -> bool:
    parts = name.split(".")
    return any(not sources[".".join(parts[:end])].namespace for end in range(1, len(parts)))


def _resolve_tables(spaces: dict[str, Namespace]) -> None:
    """Expand the tables a closed ``__getattr__`` tests into names (or gone names), or open the module."""
    for name, space in spaces.items():
        placeholders = [item for item in space.names if item.startswith("\0table:")]
        placeholders += [item for item in space.gone if item.startswith("\0table:")]
        for placeholder in placeholders:
            table = placeholder.partition(":")[2]
            keys, values = _table(spaces, name, table)
            if placeholder in space.gone:
                message = space.gone.pop(placeholder)
                if keys is None:
                    continue
                for key in keys:
                    text = message.replace("{name}", key).replace("{value}", values.get(key, ""))
                    space.gone[key] = text.strip() or values.get(key, "")
                continue
            space.names.discard(placeholder)
            if keys is None:
                space.open_reason = space.open_reason or f"__getattr__ returns names of {table}"
            else:
                space.names.update(keys)


def _table(spaces: dict[str, Namespace], module: str, name: str) -> tuple[list[str] | None, dict[str, str]]:
    """The literal keys of table ``name`` as seen from ``module`` (following one import within the wheel)."""
    space = spaces[module]
    node = space.tables.get(name)
    if node is None and name in space.table_imports:
        source, original = space.table_imports[name]
        if source in spaces:
            node = spaces[source].tables.get(original)
    if node is None:
        return None, {}
    values: dict[str, str] = {}
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                values[str(key.value)] = value.value
    return _strings(node), values


def _resolve_stars(spaces: dict[str, Namespace], sources: dict[str, Source]) -> dict[str, set[str]]:
    """Every module's names with its star imports expanded; a star import from outside opens the module."""
    done: dict[str, set[str]] = {}

    def names_of(module: str, active: frozenset[str]) -> set[str]:
        if module in done:
            return done[module]
        space = spaces[module]
        names = set(space.names)
        for source, _relative in space.stars:
            if source not in spaces or source in active:
                space.open_reason = space.open_reason or f"star import from {source or 'a relative module'}"
                continue
            imported = names_of(source, active | {module})
            if spaces[source].open_reason:
                space.open_reason = space.open_reason or f"star import from open module {source}"
            public = spaces[source].all_names
            names |= set(public) if public is not None else {item for item in imported if not item.startswith("_")}
        done[module] = names
        return names

    for module in sorted(spaces):
        names_of(module, frozenset())
    return done


# ---------------------------------------------------------------------------------------------------- output


def merge(distribution: str, versions: list[Version]) -> tuple[dict[str, object], dict[str, object]]:
    """The catalog entry and the module file of one distribution (versions in the order given)."""
    versions = sorted(versions, key=lambda item: _version_key(item.version))
    catalog = {
        "versions": [item.version for item in versions],
        "wheels": [[item.wheel, item.digest] for item in versions],
        "requires": [item.requires for item in versions],
        "import_names": [item.import_names for item in versions],
        "roots": [item.roots for item in versions],
    }
    modules: dict[str, list[object]] = {}
    every = sorted({name for item in versions for name in item.modules})
    for name in every:
        present = open_ = open_modules = 0
        members: dict[str, int] = {}
        reasons = []
        for bit, item in enumerate(versions):
            if name not in item.modules:
                continue
            present |= 1 << bit
            names_open, submodules_open, names, reason = item.modules[name]
            if submodules_open:
                open_modules |= 1 << bit
            if reason:
                reasons.append(reason)
            if names_open:
                open_ |= 1 << bit
                continue
            for member in names:
                members[member] = members.get(member, 0) | 1 << bit
        closed = present & ~open_
        compact = {member: (0 if mask == closed else mask) for member, mask in sorted(members.items())}
        gone: dict[str, str] = {}
        for item in versions:
            gone.update(item.gone.get(name, {}))
        modules[name] = [present, open_, open_modules, compact, dict(sorted(gone.items())),
                         reasons[-1] if reasons else ""]
    return catalog, {"distribution": distribution, "format": FORMAT, "modules": modules}


def _version_key(version: str) -> tuple[object, ...]:
    from packaging.version import Version as Parsed

    return (Parsed(version),)


def build(entries: list[Entry], wheels: Path, output: Path, *, fetch: bool) -> dict[str, int]:
    record = read_wheel_record()
    catalog: dict[str, object] = {}
    sizes: dict[str, int] = {}
    output.mkdir(parents=True, exist_ok=True)
    wanted = {entry.distribution for entry in entries}
    for stale in output.glob("*.json.z"):
        if stale.name[: -len(".json.z")] not in wanted:
            stale.unlink()
    for entry in entries:
        versions = []
        for version in entry.versions:
            wheel = find_wheel(wheels, entry.distribution, version)
            if wheel is None and fetch:
                download(wheels, entry.distribution, version)
                wheel = find_wheel(wheels, entry.distribution, version)
            if wheel is None:
                raise SystemExit(f"no wheel of {entry.distribution}=={version} in {wheels} (use --download)")
            digest = sha256(wheel)
            known = record.get((entry.distribution, version))
            if known is not None and known != (wheel.name, digest):
                raise SystemExit(f"{wheel.name}: sha256 {digest} differs from the recorded {known}")
            record[(entry.distribution, version)] = (wheel.name, digest)
            versions.append(read_wheel(wheel, version, digest))
            print(f"  {entry.distribution} {version}: {len(versions[-1].modules)} modules", file=sys.stderr)
        catalog[entry.distribution], modules = merge(entry.distribution, versions)
        data = zlib.compress(json.dumps(modules, sort_keys=True, separators=(",", ":")).encode(), 9)
        (output / f"{entry.distribution}.json.z").write_bytes(data)
        sizes[entry.distribution] = len(data)
    text = json.dumps({"format": FORMAT, "distributions": catalog}, sort_keys=True, separators=(",", ":"))
    (output / "catalog.json").write_text(text + "\n", encoding="utf-8")
    write_wheel_record(record)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--wheels", type=Path, default=Path(os.environ.get("HALLUCHECK_WHEELS", "/work/wheels")))
    parser.add_argument("--download", action="store_true", help="pip download the wheels that are missing")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    entries = read_distributions()
    sizes = build(entries, args.wheels, args.output, fetch=args.download)
    total = sum(sizes.values()) + (args.output / "catalog.json").stat().st_size
    print(f"{len(sizes)} distributions, {sum(len(e.versions) for e in entries)} versions, {total:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
