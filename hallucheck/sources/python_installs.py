"""Install commands that Python code runs: ``subprocess.run(["pip", "install", "x"])``, ``os.system(...)``.

A ``.py`` file (a script, a test, ``setup.py``, a notebook cell) can install a package as surely as a README's
``pip install`` line. The code is parsed with :mod:`ast` (never run or imported) and every call that runs a
program is read:

* argument vectors and command strings: ``subprocess.run/call/check_call/check_output/Popen``,
  ``os.system/popen``, ``subprocess.getoutput/getstatusoutput``, ``os.exec*``/``os.spawn*``/``posix_spawn``,
  ``pty.spawn``, ``asyncio.create_subprocess_exec/shell``, nox's ``session.run("pip", "install", ...)``,
  invoke/fabric's ``c.run("pip install x")``, IPython's ``get_ipython().system/getoutput(...)``,
  ``run_line_magic("pip", "install x")`` and ``run_cell_magic("bash", "", "...")``;
* pip run in process: ``pip.main([...])``, ``pip._internal.cli.main.main([...])``, and
  ``runpy.run_module("pip")`` with the ``sys.argv`` the code sets.

The command's words are what the code computes from literals: strings, lists and tuples, ``+``, ``%``,
f-strings, ``*splats``, ``"...".split()``, ``shlex.split``, ``" ".join``, ``sys.executable`` (a Python),
what :mod:`.python_fold` computes from literals alone (``"PIP INSTALL X".lower()``, ``bytes.fromhex(...)``),
``shutil.which(x)``, and names bound in the same function or module (each assignment is an alternative;
``append``/``extend``/``+=`` add words; a ``for`` over a literal list gives each element). What the code only
knows at run time (a parameter, a subscript, a call) is an unknown word: the installer grammar of
:mod:`.install_commands` then says whether the command installs something it cannot name (``determined``
False: the caller asks or reviews, never passes). A call whose program itself is unknown and shows no
install verb is not a command this module can read (``subprocess.run(cmd)`` in a helper): nothing is
reported for it, unless it may install all the same (:meth:`_Reader._unreadable`: an installer whose subcommand
is computed, a command computed at run time from strings that name an installer and an install verb, or an
``os``/``subprocess`` command computed from literals by code this module does not evaluate).

Only calls whose statement (or one of the bindings its words come from) holds one of ``lines`` are read,
so a change is judged by the statements it adds or touches. Everything here is pure: text in, names out.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import re
from collections.abc import Collection, Iterator, Sequence

from hallucheck.lazy import LazyPattern, record
from hallucheck.sources.install_commands import (
    MAY_INSTALL,
    PYPI,
    UNKNOWN,
    InstallArgument,
    InstallCommand,
    command_of,
    install_commands,
    names_installer,
)
from hallucheck.sources.python_fold import Folder, Unfolded

_ARGV_RUNNERS = frozenset({
    "run", "call", "check_call", "check_output", "Popen", "run_always", "run_install", "spawn", "local", "sudo",
    "run_process", "open_process", "create_subprocess_exec", "posix_spawn", "posix_spawnp",
})  # fmt: skip
"""Calls whose first argument is a command: a list of words (argv), or one string read as shell text; nox's
``session.run("pip", "install", "x")`` and ``create_subprocess_exec`` take the words as arguments."""
_SHELL_RUNNERS = frozenset({
    "system", "popen", "getoutput", "getstatusoutput", "create_subprocess_shell", "system_raw", "system_piped",
    "sx",
})  # fmt: skip
"""Calls whose first argument is shell text."""
_EXEC_L = frozenset({"execl", "execle", "execlp", "execlpe"})
_EXEC_V = frozenset({"execv", "execve", "execvp", "execvpe"})
_SPAWN_L = frozenset({"spawnl", "spawnle", "spawnlp", "spawnlpe"})
_SPAWN_V = frozenset({"spawnv", "spawnve", "spawnvp", "spawnvpe"})
_RUNPY = frozenset({"run_module", "_run_module_as_main", "run_path"})
_MAGIC_INSTALLERS = frozenset({"pip", "conda", "mamba", "micromamba", "uv"})
_MAGIC_SHELLS = frozenset({"system", "sx", "sc", "bash", "sh", "zsh", "script", "shell"})
_PYTHON_CELLS = frozenset({"python", "python3", "python2", "pypy", "time", "timeit", "capture", "prun", "debug"})
_PATH_CALLS = frozenset({"Path", "PurePath", "PosixPath", "WindowsPath", "resolve", "absolute", "joinpath",
                         "with_suffix", "with_name", "parent", "cwd", "home"})
_KEYWORDS = ("args", "command", "cmd", "argv", "cmdline")
_CANDIDATES = 16
"""At most this many alternative values per expression (``for p in [...]``, several assignments)."""
_DEPTH = 12
_SOURCE = 40
_MAY_RUN = LazyPattern(
    r"subprocess|system|popen|Popen|spawn|exec[lv]|getoutput|run_module|run_path|run_line_magic|run_cell_magic"
    r"|get_ipython|\brun\(|\bmain\(|\blocal\(|\bsudo\(|\bmagic\(|run_process|open_process|run_always|run_install"
    r"|\bexec\(|\beval\(|\bcompile\(|run_cell\(|plumbum|\bsh\b"
)
"""A cheap test for code that may run a program (with :data:`MAY_INSTALL`, whether the file is parsed)."""
_RUN_TOKENS = ("subprocess", "system", "popen", "Popen", "spawn", "exec", "getoutput", "run_", "magic",
               "get_ipython", "run(", "main(", "local(", "sudo(", "open_process", "plumbum", "import sh",
               "from sh ")
_SH_OWN = frozenset({"Command", "ErrorReturnCode", "RunningCommand", "CommandNotFound", "TimeoutException",
                     "SignalException", "contrib", "glob", "pushd", "which", "bake"})
"""Names of the ``sh`` module that are not programs."""
_PLUMBUM_RUNS = frozenset({"run", "popen", "run_fg", "run_bg", "run_tee", "run_retcode", "run_nohup", "__call__"})
_PLUMBUM_MODIFIERS = ("plumbum.FG", "plumbum.BG", "plumbum.TF", "plumbum.RETCODE", "plumbum.TEE", "plumbum.NOHUP",
                      "plumbum.commands.modifiers.")
"""``cmd & FG``: plumbum's modifiers run the command."""
_INSTALLER_TOKENS = ("pip", "uv", "poetry", "pdm", "conda", "mamba", "rye", "install", "pixi", "hatch")
_TEXT_BUDGET = 50_000
"""Syntax nodes read, per module, for the strings of commands computed at run time (linear cost)."""
_DECODING = ("fromhex", "unhexlify", "a2b_", "b64decode", "b32decode", "b16decode", "b85decode", "a85decode",
             "codecs", "chr(", "(chr", "[::", "reversed(", "rot13", "rot_13", "maketrans", "decompress", "bytes(",
             "bytearray(", "to_bytes", "%c", "\\x", "\\u", "\\U", "\\N{", "\\1", "\\0", '" + "', "' + '", '" "',
             "' '", '"+"', "'+'")
"""What code that computes a command from literals which do not name the installer must use (hex, base64,
character codes, reversal, rot13, translation tables, compression, byte values, escapes in string literals,
literals joined with ``+`` or side by side: ``"p" + "ip"``, ``"\\x70ip"``)."""
_HOLE = LazyPattern("\x00([^\x01]*)\x01")
_MARK = LazyPattern("\x02([0-9]+)\x03")
_WORD = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")


@record(frozen=True)
class PythonInstall:
    """A package that a call in Python code would install, and where it is written."""

    argument: InstallArgument
    command: InstallCommand
    line: int
    column: int
    """1-based."""


def may_run_installs(text: str) -> bool:
    """Whether ``text`` (Python code) may run an install command: it names an installer and may run a program.
    Cheap (substring tests first); never False for code :func:`python_installs` finds something in."""
    if not any(token in text for token in _RUN_TOKENS):
        return False
    lowered = text.lower()
    if any(token in text for token in _DECODING):  # literals that may decode to an installer's name
        return bool(_MAY_RUN.search(text))
    if not any(token in lowered for token in _INSTALLER_TOKENS):
        return False
    return bool((names_installer(text) or "install" in lowered) and _MAY_RUN.search(text))


def names_install(text: str) -> bool:
    """Whether ``text`` names an installer and an install verb (``pip install``, ``uv add``)."""
    return bool(MAY_INSTALL.search(text) and _INSTALL_VERB.search(text))


def python_installs(source: str, lines: Collection[int] | None = None, *, depth: int = 0) -> list[PythonInstall]:
    """The packages the calls of Python ``source`` would install; only calls whose statement or bindings hold
    one of ``lines`` (None: all). A ``source`` this Python does not parse (a newer Python's syntax runs where
    this one refuses it) is one undetermined install at its first line of ``lines`` that names an installer."""
    if not may_run_installs(source):
        return []
    if depth > _NESTED:  # code in code in code...: what it runs is not read this deep, nor passed
        return _unparsed(source, lines, None)
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as error:
        return _unparsed(source, lines, error)
    wanted = None if lines is None else frozenset(lines)
    reader = _Reader(source, tree, depth, wanted)
    found: dict[tuple[int, int, str, str], PythonInstall] = {}
    read = (item for call, scope, statement in reader.calls() for item in reader.commands(call, scope, statement))
    for command, used, node in itertools.chain(read, reader.passed_runners()):  # passed runners: after the calls
        if wanted is not None and wanted.isdisjoint(used):
            continue
        for item in reader.placed(command, node):
            found.setdefault((item.line, item.column, item.argument.name, item.command.tool), item)
    return sorted(found.values(), key=lambda item: (item.line, item.column))


# A value is a word (str) or a list of words (tuple); a word may hold holes: "\x00" + the expression + "\x01".
_Value = str | tuple[str, ...]


def _hole(text: str) -> str:
    return "\x00" + text.replace("\x00", "").replace("\x01", "")[:_SOURCE] + "\x01"


class _Scope:
    """The names a module, class or function body binds, and how (without nested scopes)."""

    def __init__(self, node: ast.AST, parent: _Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[ast.AST]] = {}
        self.mutations: dict[str, list[ast.Call | ast.AugAssign]] = {}
        self.unknown: set[str] = set()

    def bind(self, name: str, value: ast.AST) -> None:
        self.bindings.setdefault(name, []).append(value)


class _Reader:
    def __init__(self, source: str, tree: ast.Module, depth: int, wanted: frozenset[int] | None) -> None:
        self.source = source
        self.wanted = wanted
        """The lines a change touches (None: all): a value remembers only which of them it is decided by."""
        self.lines = source.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.depth = depth
        self.aliases: dict[str, str] = {}
        self.argv: list[ast.AST] = []
        self.module = _Scope(tree, None)
        self._calls: list[tuple[ast.Call, _Scope, ast.AST]] = []
        self._memo: dict[tuple[int, int], tuple[list[_Value], frozenset[int]]] = {}
        self._evaluating: set[tuple[int, int]] = set()
        self._names: dict[tuple[int, str], tuple[list[_Value], frozenset[int]]] = {}
        self._naming: set[tuple[int, str]] = set()
        self._parsed: dict[str, list[InstallCommand]] = {}
        self._undecided: dict[_Value, bool] = {}
        self._called: set[int] = set()
        self._modified: list[tuple[ast.BinOp, _Scope, ast.AST]] = []
        self._invoked: dict[int, ast.Call] = {}
        self.passed: list[tuple[ast.AST, _Scope, ast.AST, str]] = []
        """Runners the code reaches without calling them by name (``map(os.system, ...)``, ``f = os.system``,
        ``getattr(os, name)``): what they run is not read here (:meth:`passed_runners`)."""
        self._folder: Folder | None = None
        self._text_budget = _TEXT_BUDGET
        self._collect(tree, self.module, tree)

    # -- reading the tree once -------------------------------------------------------------------------------
    def _collect(self, root: ast.AST, scope: _Scope, statement: ast.AST) -> None:
        stack: list[tuple[ast.AST, _Scope, ast.AST]] = [(child, scope, statement)
                                                         for child in ast.iter_child_nodes(root)]
        while stack:
            node, scope, statement = stack.pop()
            if isinstance(node, ast.stmt):
                statement = node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                inner = _Scope(node, scope)
                if not isinstance(node, ast.ClassDef):
                    arguments = node.args
                    invoked = self._invoked.get(id(node))
                    given = list(invoked.args) if invoked is not None and not any(
                        isinstance(item, ast.Starred) for item in invoked.args) else []
                    for index, positional in enumerate((*arguments.posonlyargs, *arguments.args)):
                        if index < len(given):  # `(lambda c: os.system(c))("pip install x")`
                            inner.bind(positional.arg, given[index])
                        else:
                            inner.unknown.add(positional.arg)
                    for argument in (*arguments.kwonlyargs, arguments.vararg, arguments.kwarg):
                        if argument is not None:
                            inner.unknown.add(argument.arg)
                if not isinstance(node, ast.Lambda):
                    scope.unknown.add(node.name)
                body = node.body if isinstance(node.body, list) else [node.body]
                inside = {id(item) for item in body}
                for child in ast.iter_child_nodes(node):
                    stack.append((child, inner if id(child) in inside else scope, statement))
                continue
            self._note(node, scope, statement)
            stack.extend((child, scope, statement) for child in ast.iter_child_nodes(node))

    def _note(self, node: ast.AST, scope: _Scope, statement: ast.AST) -> None:
        if isinstance(node, (ast.Attribute, ast.Name)) and id(node) not in self._called and isinstance(
                node.ctx, ast.Load):
            self._reference(node, scope, statement)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd) and isinstance(
                node.right, (ast.Name, ast.Attribute)):  # plumbum: `local["pip"]["install", x] & FG`
            self._modified.append((node, scope, statement))
        if isinstance(node, ast.Call):
            self._calls.append((node, scope, statement))
            self._called.add(id(node.func))
            if isinstance(node.func, ast.Lambda):
                self._invoked[id(node.func)] = node
            self._note_lookup(node, scope, statement)
            function = node.func
            if (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
                    and function.attr in ("append", "extend", "insert")):
                scope.mutations.setdefault(function.value.id, []).append(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._assign(target, node.value, scope)
                runner = self._callee(node.value) if isinstance(node.value, (ast.Attribute, ast.Name)) else None
                if isinstance(target, ast.Name) and runner is not None and _is_runner(runner):
                    self.aliases[target.id] = runner  # `run = subprocess.run`: calls of `run` run commands
                    self._called.add(id(node.value))
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            self._assign(node.target, node.value, scope)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                scope.mutations.setdefault(node.target.id, []).append(node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._assign(node.target, _each(node.iter), scope)  # each element is an alternative
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._imported(node, scope)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._assign(item.optional_vars, None, scope)
        elif isinstance(node, ast.comprehension):
            self._assign(node.target, _each(node.iter), scope)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            scope.unknown.update(node.names)

    def _reference(self, node: ast.Attribute | ast.Name, scope: _Scope, statement: ast.AST) -> None:
        """A runner named but not called here (``map(os.system, cmds)``, ``Thread(target=os.system, ...)``)."""
        if isinstance(node, ast.Name) and node.id not in self.aliases:
            return
        name = self._callee(node) or ""
        if _is_runner(name):
            self.passed.append((node, scope, statement, name))

    def _note_lookup(self, call: ast.Call, scope: _Scope, statement: ast.AST) -> None:
        """``getattr(os, name)`` or ``vars(subprocess)[name]`` of a name computed at run time: a runner, maybe."""
        name = self._callee(call.func) or ""
        if name in ("getattr", "builtins.getattr") and len(call.args) >= 2 and not _literal_string(call.args[1]):
            owner = self._callee(call.args[0]) or ""
            if owner.split(".")[0] in _COMMAND_MODULES:
                self.passed.append((call, scope, statement, f"{owner}.{{{self._segment(call.args[1]) or 'name'}}}"))

    def _assign(self, target: ast.AST, value: ast.AST | None, scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            if value is None:
                scope.unknown.add(target.id)
            else:
                scope.bind(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                self._assign(item.value if isinstance(item, ast.Starred) else item, None, scope)
        elif isinstance(target, ast.Attribute) and _dotted(target) == "sys.argv" and value is not None:
            self.argv.append(value)
        elif isinstance(target, ast.Starred):
            self._assign(target.value, None, scope)

    def _imported(self, node: ast.Import | ast.ImportFrom, scope: _Scope) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                bound = alias.asname or alias.name.split(".")[0]
                self.aliases[bound] = alias.name if alias.asname else bound
            else:
                bound = alias.asname or alias.name
                self.aliases[bound] = f"{node.module or ''}.{alias.name}".lstrip(".")
            scope.unknown.add(bound)

    def calls(self) -> Iterator[tuple[ast.Call, _Scope, ast.AST]]:
        yield from self._calls
        for node, scope, statement in self._modified:  # decided once every import is known
            if (self._callee(node.right) or "").startswith(_PLUMBUM_MODIFIERS):
                yield ast.copy_location(ast.Call(node.left, [], []), node), scope, statement

    # -- commands --------------------------------------------------------------------------------------------
    def commands(self, call: ast.Call, scope: _Scope, statement: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """Each install command the call may run, the lines it is decided by, and the node it is written at;
        a command this module cannot read that may install is one undetermined command (:meth:`_unreadable`)."""
        found = False
        for item in self._read_commands(call, scope, statement):
            found = True
            yield item
        if not found:
            yield from self._unreadable(call, scope, statement)

    def _unreadable(self, call: ast.Call, scope: _Scope, statement: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """The call runs a command that may install and that only running it would name: an installer whose
        subcommand is computed (``["pip", *args]``), a command computed wholly at run time from text that names
        an installer and an install verb (``os.system(helper("pip install x"))``), or one of ``os``/``subprocess``
        computed from literals alone by code this module does not model (``"".join(chr(c) for c in [...])``)."""
        name = self._callee(call.func) or ""
        final = name.rsplit(".", 1)[-1]
        first = _first_argument(call)
        if first is None or final not in _SHELL_RUNNERS | _ARGV_RUNNERS:
            return
        target = first
        if final in _ARGV_RUNNERS and len(call.args) > 1:
            target = call.args[1] if final in ("posix_spawn", "posix_spawnp") else ast.List(list(call.args))
        used = set(_node_lines(call if _is_compound(statement) else statement))
        values = self._values(target, scope, used)
        undecided = any(self._installer_unknown(value) for value in values)
        if not undecided and any(_program_unknown(value) for value in values) and not any(
                _installs_visibly(value) for value in values):  # what is visible, the installer grammar read
            texts = self._literal_text(target, scope)
            undecided = texts is None or any(MAY_INSTALL.search(text) and _INSTALL_VERB.search(text)
                                             for text in (" ".join(texts), "".join(texts))) or (
                _root(name) in _COMMAND_MODULES and self._is_closed(target, scope))  # fmt: skip
        if undecided:
            shown = "{" + (self._segment(first) or "command") + "}"
            yield _undetermined(name, shown, first), used, first

    def _installer_unknown(self, value: _Value) -> bool:
        """Whether a simple command of ``value`` runs an installer whose subcommand only running it decides
        (a value many calls read is split once)."""
        known = self._undecided.get(value)
        if known is None:
            known = self._undecided[value] = any(_installer_unknown(words) for words in _command_words(value))
        return known

    def _literal_text(self, node: ast.AST, scope: _Scope) -> list[str] | None:
        """The strings written in ``node`` and in what the names it reads are bound to, however far (each
        binding is read once); None past :data:`_TEXT_BUDGET` nodes read for the module (cannot tell)."""
        texts: list[str] = []
        seen: set[int] = set()
        pending: list[tuple[ast.AST, _Scope]] = [(node, scope)]
        while pending:
            root, where = pending.pop()
            for item in ast.walk(root):
                self._text_budget -= 1
                if self._text_budget < 0:
                    return None
                if isinstance(item, ast.Constant) and isinstance(item.value, (str, bytes)):
                    texts.append(_text(item.value))
                elif isinstance(item, ast.Name):
                    for value, bound in self._bound(item.id, where) or ():
                        value = getattr(value, "iterable", value)
                        if id(value) not in seen:
                            seen.add(id(value))
                            pending.append((value, bound))
        return texts

    def _is_closed(self, node: ast.AST, scope: _Scope) -> bool:
        if self._folder is None:
            self._folder = Folder(self._bound, self._callee, self.aliases.get)
        return self._folder.closed(node, scope)

    def _read_commands(self, call: ast.Call, scope: _Scope, statement: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        library = self._library_words(call, scope)
        if library is not None:  # `sh.pip.install(x)`, `local["pip"]["install", x]()` (attack F12)
            used = set(_node_lines(call if _is_compound(statement) else statement))
            yield from self._vector(ast.copy_location(ast.List(library, ast.Load()), call), scope, used, call)
            return
        name = self._callee(call.func)
        if not name:
            return
        final = name.rsplit(".", 1)[-1]
        used = set(_node_lines(call if _is_compound(statement) else statement))
        first = _first_argument(call)
        if name in _RUNS_CODE and first is not None:
            yield from self._executed(first, scope, used, call)
        elif name in ("map", "builtins.map") and len(call.args) == 2 and not call.keywords:
            yield from self._mapped(call, scope, statement)
        elif final in ("main",) and _root(name) == "pip" and first is not None:
            for value in self._values(first, scope, used):
                words = [_word("pip", first), *self._words(value, first)]
                yield from self._argv(words, used, first)
        elif final in _RUNPY and _root(name) in ("runpy", "") and first is not None:
            yield from self._runpy(first, scope, used)
        elif final in ("run_line_magic", "magic"):
            yield from self._line_magic(call, scope, used, magic_call=final == "magic")
        elif final == "run_cell_magic":
            yield from self._cell_magic(call, scope, used)
        elif final == "run_cell" and name.startswith("get_ipython()") and first is not None:
            yield from self._run_cell(first, scope, used)
        elif final in _SHELL_RUNNERS and first is not None:
            ipython = name.startswith("get_ipython()")  # IPython expands `{expr}` and `$name` first
            for value in self._values(first, scope, used):
                yield from self._shell(_expanded(value) if ipython else value, used, first)
        elif final in _EXEC_L | _SPAWN_L:
            skip = 1 if final in _EXEC_L else 2
            program = call.args[skip - 1] if len(call.args) >= skip else None
            if program is not None:
                yield from self._vector(ast.List([program, *call.args[skip + 1:]]), scope, used, call)
        elif final in _EXEC_V | _SPAWN_V:
            skip = 1 if final in _EXEC_V else 2
            if len(call.args) > skip:
                program, vector = call.args[skip - 1], call.args[skip]
                yield from self._vector(ast.List([program, ast.Starred(ast.Subscript(
                    vector, ast.Slice(ast.Constant(1), None)))]), scope, used, call)
        elif final in _ARGV_RUNNERS and first is not None:
            if len(call.args) > 1 and not any(isinstance(item, ast.Starred) for item in call.args[:1]) and (
                    final not in ("posix_spawn", "posix_spawnp")):
                yield from self._vector(ast.List(list(call.args)), scope, used, call)  # session.run("pip", ...)
            elif final in ("posix_spawn", "posix_spawnp") and len(call.args) > 1:
                yield from self._vector(call.args[1], scope, used, call)
            else:
                yield from self._vector(first, scope, used, call)

    def _library_words(self, call: ast.Call, scope: _Scope) -> list[ast.expr] | None:
        """The words of a command run through a library that makes programs Python callables: ``sh`` (``sh.pip.
        install(x)``: attributes after the program are its subcommands; ``sh.Command("pip")(...)``, ``.bake(...)``)
        and ``plumbum`` (``local["pip"]["install", x]()``, ``plumbum.cmd.pip[...]``, ``.run(...)``, ``& FG``);
        None for another call."""
        function = call.func
        if isinstance(function, ast.Name) and function.id not in self.aliases:  # `cmd = local["pip"]; cmd(...)`
            bound = self._bound(function.id, scope) or []
            if len(bound) == 1 and isinstance(bound[0][0], (ast.Call, ast.Subscript, ast.Attribute)):
                function = bound[0][0]
        if isinstance(function, ast.Call):
            inner = self._callee(function.func) or ""
            if inner == "sh.Command" and function.args:
                return [function.args[0], *call.args]
            if inner.startswith("sh.") and inner.endswith(".bake"):
                return [*(ast.Constant(part) for part in inner.split(".")[1:-1]), *function.args, *call.args]
        name = self._callee(function) or ""
        if name.startswith("sh.") and name.split(".")[1] not in _SH_OWN:
            parts = name.split(".")[1:]
            return [ast.Constant(parts[0].replace("_", "-")), *(ast.Constant(part) for part in parts[1:]),
                    *call.args]
        arguments: list[ast.expr] = list(call.args)
        if isinstance(function, ast.Attribute) and function.attr in _PLUMBUM_RUNS:
            function = function.value
            if arguments and isinstance(arguments[0], (ast.List, ast.Tuple)):
                arguments = [*arguments[0].elts, *arguments[1:]]
        words = self._plumbum_words(function)
        return None if words is None else [*words, *arguments]

    def _plumbum_words(self, node: ast.AST) -> list[ast.expr] | None:
        """The words of a plumbum command expression (``local["pip"]``, ``plumbum.cmd.pip``, bound arguments
        ``[...]``), or None."""
        if isinstance(node, ast.Subscript):
            base = self._plumbum_words(node.value)
            index = node.slice
            if base is not None:
                return [*base, *(index.elts if isinstance(index, ast.Tuple) else [index])]
            if (self._callee(node.value) or "") in ("plumbum.local", "plumbum.machines.local"):
                return [index]
            return None
        name = self._callee(node) or "" if isinstance(node, (ast.Name, ast.Attribute)) else ""
        for prefix in ("plumbum.cmd.", "plumbum.local.cmd."):
            if name.startswith(prefix) and "." not in name[len(prefix):]:
                return [ast.Constant(name[len(prefix):])]
        return None

    def _executed(self, code: ast.AST, scope: _Scope, used: set[int], call: ast.Call) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """``exec("...")``, ``eval(...)``, ``exec(compile("...", ...))``: code the literals compute is read as
        Python (as deep as :func:`python_installs` reads); code known only at run time, or read too deep, that
        names an installer and an install verb is one undetermined install."""
        for value in self._values(code, scope, used):
            text = value if isinstance(value, str) else " ".join(value)
            if "\x00" not in text and self.depth < _EXEC_DEPTH:
                for found in python_installs(text, None, depth=self.depth + 1):
                    yield _at(found.command, -1), used, code
                continue
            texts = self._literal_text(code, scope) or [text]
            if any(MAY_INSTALL.search(item) and _INSTALL_VERB.search(item) for item in (*texts, text)):
                yield _undetermined(self._callee(call.func) or "exec", "{" + (self._segment(code) or "code") + "}",
                                    code), used, code
                return

    def _mapped(self, call: ast.Call, scope: _Scope, statement: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """``map(os.system, [...])``: the runner called with each element the code writes."""
        runner, items = call.args
        name = self._callee(runner) or ""
        if not _is_runner(name) or not isinstance(items, (ast.List, ast.Tuple, ast.Set)):
            return
        self._called.add(id(runner))
        for item in items.elts[:_CANDIDATES]:
            each = ast.Call(runner, [item], [])
            ast.copy_location(each, call)
            yield from self.commands(each, scope, statement)

    def passed_runners(self) -> Iterator[tuple[InstallCommand, set[int], ast.AST]]:
        """One undetermined install for each runner the code reaches without calling it by name (passed as a
        value, looked up by a computed name), when the code names an installer and an install verb: what it runs
        is known only when it runs, so it is reviewed, never passed."""
        if not (MAY_INSTALL.search(self.source) and _INSTALL_VERB.search(self.source)):
            return
        for node, scope, statement, name in self.passed:
            if isinstance(node, ast.Call):  # getattr(os, NAME): a runner unless NAME computes another attribute
                attribute = self._folded(node.args[1], scope)
                if isinstance(attribute, str) and not _is_runner(f"{name.split('.{', 1)[0]}.{attribute}"):
                    continue
            elif id(node) in self._called:
                continue
            used = set(_node_lines(node if _is_compound(statement) else statement))
            yield _undetermined(name, f"{{commands run through {self._segment(node) or name}}}", node), used, node

    def _vector(self, node: ast.AST, scope: _Scope, used: set[int], at: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """A command given as a list of words, or as one string (a shell command)."""
        values = self._values(node, scope, used)
        node = node if hasattr(node, "lineno") else at
        for value in values:
            if isinstance(value, str):
                if value.strip() and any(char.isspace() for char in _HOLE.sub("x", value)):
                    yield from self._shell(value, used, node)
                else:
                    yield from self._argv([self._field(value, node)], used, node)
            else:
                yield from self._argv(self._words(value, node), used, node)

    def _argv(self, words: list[str], used: set[int], node: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        if not words:
            return
        for command in command_of(words):
            if command.arguments:
                yield command, used, node

    def _shell(self, value: _Value, used: set[int], node: ast.AST) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        if not isinstance(value, str):
            value = " ".join(value)
        text = _HOLE.sub(lambda match: "${" + _variable(match.group(1)) + "}", value)
        commands = self._parsed.get(text)
        if commands is None:  # a value many calls run (a name bound once, run n times) is parsed once
            commands = self._parsed[text] = [_at(command, -1) for command in install_commands(text)
                                             if command.arguments]
        for command in commands:
            yield command, used, node

    def _runpy(self, first: ast.AST, scope: _Scope, used: set[int]) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """``runpy.run_module("pip")``: pip reads ``sys.argv``, which the code sets (or leaves unknown)."""
        for module in self._values(first, scope, used):
            if not isinstance(module, str):
                continue
            program = module.split(".")[0].removesuffix(".py").rsplit("/", 1)[-1]
            if "\x00" in program or not MAY_INSTALL.search(program):
                continue  # a module computed at run time, or one that installs nothing
            vectors: list[_Value] = []
            for node in self.argv:
                used.update(_node_lines(node))
                vectors += self._values(node, scope, used)
            if not vectors:
                vectors = [(program, _hole("sys.argv"))]
            for vector in vectors:
                words = self._words(vector, first) if isinstance(vector, tuple) else [self._field(vector, first)]
                yield from self._argv([_word(program, first), *words[1:]], used, first)
                if program == "pip" and (not words[1:] or all("\x00" in word for word in words[1:])):
                    yield _undetermined(f"python -m {program}", "sys.argv", first), used, first

    def _line_magic(self, call: ast.Call, scope: _Scope, used: set[int], *, magic_call: bool) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """``get_ipython().run_line_magic("pip", "install x")`` (what ``%pip install x`` becomes)."""
        if not call.args:
            return
        names = self._values(call.args[0], scope, used)
        lines = self._values(call.args[1], scope, used) if len(call.args) > 1 else [""]
        for name, line in itertools.islice(itertools.product(names, lines), _CANDIDATES):
            if not isinstance(name, str) or not isinstance(line, str):
                continue
            if magic_call:
                name, _, line = name.lstrip("%").partition(" ")
            line = str(_expanded(line))
            if name in _MAGIC_INSTALLERS:
                yield from self._shell(f"{name} {line}", used, call.args[-1])
            elif name in _MAGIC_SHELLS:
                yield from self._shell(line, used, call.args[-1])
            elif name == "run" and line.lstrip().startswith("-m"):
                yield from self._shell("python " + line, used, call.args[-1])  # `%run -m pip install x`
            elif "\x00" in name:
                yield from self._shell(f"{_hole('magic')} {line}", used, call.args[-1])

    def _run_cell(self, cell: ast.AST, scope: _Scope, used: set[int]) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """``get_ipython().run_cell("!pip install x")``: the text run as a notebook cell (IPython syntax)."""
        from hallucheck.sources.ipython import ipython_python

        for value in self._values(cell, scope, used):
            text = value if isinstance(value, str) else " ".join(value)
            for found in python_installs(ipython_python(_HOLE.sub("x", text)), None, depth=self.depth + 1):
                yield _at(found.command, -1), used, cell

    def _cell_magic(self, call: ast.Call, scope: _Scope, used: set[int]) -> Iterator[
            tuple[InstallCommand, set[int], ast.AST]]:
        """``get_ipython().run_cell_magic("bash", "", "pip install x")`` (what a ``%%bash`` cell becomes)."""
        if len(call.args) < 3:
            return
        for name, line, cell in itertools.islice(itertools.product(*(
                self._values(argument, scope, used) for argument in call.args[:3])), _CANDIDATES):
            if not (isinstance(name, str) and isinstance(line, str) and isinstance(cell, str)):
                continue
            program = line.split()[0] if name == "script" and line.split() else name
            if program in _PYTHON_CELLS or (name == "script" and "python" in program):
                from hallucheck.sources.ipython import ipython_python

                for found in python_installs(ipython_python(_HOLE.sub("x", cell)), None, depth=self.depth + 1):
                    yield _at(found.command, -1), used, call.args[2]
            elif name in _MAGIC_SHELLS or name in ("sx", "system", "!"):  # `%%!` is `%%sx`
                yield from self._shell(cell, used, call.args[2])

    # -- values ----------------------------------------------------------------------------------------------
    def _values(self, node: ast.AST, scope: _Scope, used: set[int], depth: int = 0) -> list[_Value]:
        """The values ``node`` may have (at most :data:`_CANDIDATES`); unknown parts are holes. Each node is
        evaluated once (a name read in many calls costs one evaluation; a cycle is unknown)."""
        if not hasattr(node, "lineno"):  # a node made here lives shortly: its id may be reused
            return self._evaluate(node, scope, used, depth + 1)[:_CANDIDATES] if depth <= _DEPTH else [
                self._unknown(node)]
        key = (id(node), id(scope))
        known = self._memo.get(key)
        if known is not None:
            used.update(known[1])
            return known[0]
        if depth > _DEPTH or key in self._evaluating:
            return [self._unknown(node)]
        self._evaluating.add(key)
        lines: set[int] = set()
        try:
            values = self._evaluate(node, scope, lines, depth)[:_CANDIDATES]
        finally:
            self._evaluating.discard(key)
        self._memo[key] = (values, self._touched(lines))
        used.update(lines)
        return values

    def _touched(self, lines: set[int]) -> frozenset[int]:
        """The lines of ``lines`` that matter to :func:`python_installs` (those the change touches): what a
        remembered value adds to each reader of it stays as small as the change."""
        return frozenset() if self.wanted is None else self.wanted.intersection(lines)

    def _evaluate(self, node: ast.AST, scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        if isinstance(node, (ast.BinOp, ast.Subscript, ast.Call)) and not (
                isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div))):
            folded = self._folded(node, scope)
            if folded is not None:
                used.update(_node_lines(node))
                return [folded]
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
                return self._percent(node, scope, used, depth)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return [node.value]
            if isinstance(node.value, bytes):
                return [node.value.decode("utf-8", "replace")]
            return [str(node.value)] if isinstance(node.value, (int, float, bytes)) else [self._unknown(node)]
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self._sequence(node.elts, scope, used, depth)
        if isinstance(node, ast.Starred):
            return self._values(node.value, scope, used, depth + 1)
        if isinstance(node, ast.JoinedStr):
            return self._joined(node, scope, used, depth)
        if isinstance(node, ast.FormattedValue):
            return [value if isinstance(value, str) else " ".join(value)
                    for value in self._values(node.value, scope, used, depth + 1)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return ["./" + self._unknown(node)]  # `tmp_path / "pkg"`: a path
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pairs = itertools.product(self._values(node.left, scope, used, depth + 1),
                                      self._values(node.right, scope, used, depth + 1))
            return [_added(left, right, self._unknown(node)) for left, right in itertools.islice(pairs, _CANDIDATES)]
        if isinstance(node, ast.IfExp):
            return (self._values(node.body, scope, used, depth + 1)
                    + self._values(node.orelse, scope, used, depth + 1))[:_CANDIDATES]
        if isinstance(node, ast.Name):
            return self._name(node, scope, used, depth)
        if isinstance(node, ast.Attribute) and _dotted(node) == "sys.executable":
            return ["python"]
        if isinstance(node, ast.Subscript):
            return self._subscript(node, scope, used, depth)
        if isinstance(node, ast.Call):
            return self._call_value(node, scope, used, depth)
        return [self._unknown(node)]

    def _sequence(self, items: Sequence[ast.AST], scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        results: list[tuple[str, ...]] = [()]
        for item in items:
            options = self._values(item, scope, used, depth + 1)
            spliced = isinstance(item, ast.Starred)
            results = [result + (option if isinstance(option, tuple) else (
                (self._unknown(item),) if spliced and "\x00" not in option else (option,)))
                for result, option in itertools.islice(itertools.product(results, options), _CANDIDATES)]
        return list(results)

    def _joined(self, node: ast.JoinedStr, scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        results = [""]
        for part in node.values:
            options = [value if isinstance(value, str) else " ".join(value)
                       for value in self._values(part, scope, used, depth + 1)]
            if isinstance(part, ast.FormattedValue) and (part.conversion not in (-1, 115) or part.format_spec):
                options = [self._unknown(part)]
            results = [left + right for left, right in itertools.islice(itertools.product(results, options),
                                                                        _CANDIDATES)]
        return list(results)

    def _name(self, node: ast.Name, scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        """The values of a name: one alternative per binding in the scope that binds it (bindings the change
        touches first), at most :data:`_CANDIDATES`. Computed once per scope and name, however many calls read
        it (a name bound and run n times costs n, not n squared)."""
        current: _Scope | None = scope
        while current is not None:
            bound = current.bindings.get(node.id)
            if bound is not None or node.id in current.unknown or node.id in current.mutations:
                break
            current = current.parent
            while current is not None and isinstance(current.node, ast.ClassDef):
                current = current.parent  # a method does not see its class's names
        if current is None:
            return [self._unknown(node)]
        key = (id(current), node.id)
        known = self._names.get(key)
        if known is not None:
            used.update(known[1])
            return known[0]
        if key in self._naming:  # a binding reads its own name (`p = p + " x"`): the first other values
            return self._alternatives(node, current, used, depth, everything=False)
        self._naming.add(key)
        lines: set[int] = set()
        try:
            values = self._alternatives(node, current, lines, depth, everything=True)
        finally:
            self._naming.discard(key)
        self._names[key] = (values, self._touched(lines))
        used.update(lines)
        return values

    def _alternatives(self, node: ast.Name, current: _Scope, used: set[int], depth: int, *,
                      everything: bool) -> list[_Value]:
        """The values the bindings of ``node`` in ``current`` give it, those decided by lines the change touches
        first, at most :data:`_CANDIDATES`; with ``everything`` False, the bindings the change touches come first
        and the reading stops at the cap."""
        wanted = self.wanted
        bindings = current.bindings.get(node.id, [])
        if wanted is not None and not everything:
            bindings = sorted(bindings, key=lambda value: wanted.isdisjoint(_node_lines(
                value.iterable if isinstance(value, _Each) else value)))
        touched: list[_Value] = []
        values: list[_Value] = []
        if node.id in current.unknown and not bindings:
            values.append(self._unknown(node))
        for value in bindings:
            if not everything and len(touched) + len(values) >= _CANDIDATES:
                break
            lines: set[int] = set()
            found: list[_Value] = []
            if isinstance(value, _Each):
                lines.update(_node_lines(value.iterable))
                for each in self._values(value.iterable, current, lines, depth + 1):
                    found += list(each) if isinstance(each, tuple) else [self._unknown(node)]
            else:
                lines.update(_node_lines(value))
                found = self._values(value, current, lines, depth + 1)
            used.update(lines)
            (touched if wanted is not None and not wanted.isdisjoint(lines) else values).extend(found)
        values = (touched + values)[:_CANDIDATES]
        for mutation in current.mutations.get(node.id, ()):
            used.update(_node_lines(mutation))
            values = [self._mutated(value, mutation, current, used, depth) for value in values]
        return values[:_CANDIDATES] or [self._unknown(node)]

    def _mutated(self, value: _Value, mutation: ast.Call | ast.AugAssign, scope: _Scope, used: set[int],
                 depth: int) -> _Value:
        if isinstance(mutation, ast.AugAssign):
            if not isinstance(mutation.op, ast.Add):
                return self._unknown(mutation)
            added = self._values(mutation.value, scope, used, depth + 1)
            return _added(value, added[0], self._unknown(mutation)) if len(added) == 1 else (
                (*value, self._unknown(mutation)) if isinstance(value, tuple) else self._unknown(mutation))
        if not isinstance(value, tuple):
            return value
        method = mutation.func.attr if isinstance(mutation.func, ast.Attribute) else ""
        arguments = [self._values(argument, scope, used, depth + 1) for argument in mutation.args]
        if method == "append" and len(arguments) == 1 and len(arguments[0]) == 1 and isinstance(arguments[0][0], str):
            return (*value, arguments[0][0])
        if method == "extend" and len(arguments) == 1 and len(arguments[0]) == 1 and isinstance(
                arguments[0][0], tuple):
            return value + arguments[0][0]
        return (*value, self._unknown(mutation))

    def _subscript(self, node: ast.Subscript, scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        part = node.slice
        if (isinstance(part, ast.Slice) and part.upper is None and part.step is None
                and isinstance(part.lower, ast.Constant) and isinstance(part.lower.value, int)):
            start = part.lower.value
            return [value[start:] if isinstance(value, tuple) and not any("\x00" in word for word in value[:start])
                    else (self._unknown(node),) for value in self._values(node.value, scope, used, depth + 1)]
        try:
            folded = self._fold(part, scope)
        except Unfolded:
            return [self._unknown(node)]
        if not isinstance(folded, (int, slice)):
            return [self._unknown(node)]
        chosen: list[_Value] = []
        for value in self._values(node.value, scope, used, depth + 1):
            known = isinstance(value, tuple) and not any("\x00" in word for word in value)
            if known or (isinstance(value, str) and "\x00" not in value):
                try:
                    chosen.append(value[folded])
                    continue
                except (IndexError, ValueError):
                    pass
            chosen.append(self._unknown(node))
        return chosen

    def _call_value(self, node: ast.Call, scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        name = self._callee(node.func) or ""
        final = name.rsplit(".", 1)[-1]
        first = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if node.args and name in ("compile", "builtins.compile"):
            return self._values(node.args[0], scope, used, depth + 1)  # exec(compile("...", "x", "exec"))
        if first is not None and name in ("shutil.which", "str", "os.fspath", "shlex.quote"):
            return self._values(first, scope, used, depth + 1)
        if final in _PATH_CALLS or name in ("os.path.join", "os.path.abspath", "os.path.normpath", "os.path.realpath",
                                            "os.path.expanduser", "os.getcwd"):
            return ["./" + self._unknown(node)]  # a path: pip installs from there, not from the index
        if first is not None and name in ("shlex.split", "list", "tuple"):
            values = self._values(first, scope, used, depth + 1)
            return [tuple(value.split()) if isinstance(value, str) else value for value in values]
        function = node.func
        if isinstance(function, ast.Attribute) and final in ("split", "join", "strip", "format") and not node.keywords:
            owners = self._values(function.value, scope, used, depth + 1)
            if final == "split" and len(node.args) == 0:
                return [tuple(owner.split()) if isinstance(owner, str) else (self._unknown(node),) for owner in owners]
            if final == "strip" and not node.args:
                return [owner.strip() if isinstance(owner, str) else self._unknown(node) for owner in owners]
            if final == "join" and first is not None:
                joined = itertools.product(owners, self._values(first, scope, used, depth + 1))
                return [owner.join(items) if isinstance(owner, str) and isinstance(items, tuple)
                        else self._unknown(node) for owner, items in itertools.islice(joined, _CANDIDATES)]
            if final == "format":
                return [_formatted(owner, self._unknown(node)) if isinstance(owner, str) else self._unknown(node)
                        for owner in owners]
        if isinstance(function, ast.Attribute) and final in _TEXT_METHODS and not node.keywords:
            return [_text_method(owner, final) if isinstance(owner, str) else self._unknown(node)
                    for owner in self._values(function.value, scope, used, depth + 1)]
        return [self._unknown(node)]

    def _percent(self, node: ast.BinOp, scope: _Scope, used: set[int], depth: int) -> list[_Value]:
        """``"pip install %s" % x``: each conversion takes its operand's value (a hole when it is unknown)."""
        right = node.right
        operands = right.elts if isinstance(right, ast.Tuple) else [right]
        if any(isinstance(item, ast.Starred) for item in operands) or isinstance(right, ast.Dict):
            operands = []
        values = [(self._values(item, scope, used, depth + 1) or [self._unknown(item)])[0] for item in operands]
        words = [value if isinstance(value, str) else " ".join(value) for value in values]
        return [_percent_formatted(template, words, self._unknown(node)) if isinstance(template, str)
                else self._unknown(node) for template in self._values(node.left, scope, used, depth + 1)]

    # -- folding ---------------------------------------------------------------------------------------------
    def _fold(self, node: ast.AST, scope: _Scope) -> object:
        if self._folder is None:
            self._folder = Folder(self._bound, self._callee, self.aliases.get)
        return self._folder.fold(node, scope)

    def _folded(self, node: ast.AST, scope: _Scope) -> _Value | None:
        """The value of ``node`` computed from literals alone (:mod:`.python_fold`), as words; None when the
        code does not decide it alone or it is not text."""
        try:
            value = self._fold(node, scope)
        except Unfolded:
            return None
        if isinstance(value, (str, bytes)):
            return _text(value)
        if isinstance(value, (tuple, list)) and all(isinstance(item, (str, bytes)) for item in value):
            return tuple(_text(item) for item in value)
        return None

    def _bound(self, name: str, scope: _Scope) -> list[tuple[ast.AST, _Scope]] | None:
        """What ``name`` read in ``scope`` is bound to (:data:`.python_fold.Bindings`)."""
        current: _Scope | None = scope
        while current is not None:
            if name in current.bindings or name in current.unknown or name in current.mutations:
                break
            current = current.parent
            while current is not None and isinstance(current.node, ast.ClassDef):
                current = current.parent
        if current is None:
            return [] if name not in self.aliases else None
        if name in current.unknown or name in current.mutations:
            return None
        return [(value, current) for value in current.bindings.get(name, ())]

    # -- names and places ------------------------------------------------------------------------------------
    def _callee(self, function: ast.AST) -> str | None:
        """The called function's dotted name, through import aliases (``sp.run`` -> ``subprocess.run``)."""
        looked_up = _looked_up(function)
        if looked_up is not None:  # getattr(os, "system"), vars(os)["system"], os.__dict__["system"]
            return f"{self._callee(looked_up[0]) or ''}.{looked_up[1]}"
        if isinstance(function, ast.Call):
            inner = self._callee(function.func) or ""
            if inner in ("__import__", "importlib.import_module") and function.args and isinstance(
                    function.args[0], ast.Constant) and isinstance(function.args[0].value, str):
                return function.args[0].value
            return inner + "()"
        if isinstance(function, ast.Name):
            return self.aliases.get(function.id, function.id)
        if isinstance(function, ast.Attribute):
            owner = self._callee(function.value)
            return f"{owner or ''}.{function.attr}"
        return None

    def _unknown(self, node: ast.AST) -> str:
        segment = self._segment(node) or type(node).__name__.lower()
        return _hole(segment)

    def _segment(self, node: ast.AST) -> str:
        """The first characters of the code of ``node`` (on its first line; enough to show it)."""
        line = getattr(node, "lineno", 0)
        if not 0 < line <= len(self.lines):
            return ""
        text = self.lines[line - 1]
        start = len(text.encode("utf-8")[:getattr(node, "col_offset", 0)].decode("utf-8", "replace"))
        end = len(text)
        if getattr(node, "end_lineno", None) == line:
            end = len(text.encode("utf-8")[:getattr(node, "end_col_offset", 0)].decode("utf-8", "replace"))
        return " ".join(text[start:end].split())[:_SOURCE]

    def _words(self, value: _Value, node: ast.AST) -> list[str]:
        return [self._field(word, node) for word in (value if isinstance(value, tuple) else (value,))]

    def _field(self, word: str, node: ast.AST) -> str:
        from hallucheck.sources.shell import Field

        offset = self._offset(node)
        if "\x00" not in word:
            return Field(word, offset, word)
        shown = _HOLE.sub(lambda match: "{" + match.group(1) + "}", word)
        return Field(_HOLE.sub(UNKNOWN, word), offset, shown)

    def _offset(self, node: ast.AST) -> int:
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return self.starts[min(max(line - 1, 0), len(self.starts) - 1)] + len(
            text.encode("utf-8")[:column].decode("utf-8", "replace"))

    def placed(self, command: InstallCommand, node: ast.AST) -> list[PythonInstall]:
        """Each argument of ``command`` at the line and column where its word is written (else the call's)."""
        start = self._offset(node)
        end = self.starts[min(getattr(node, "end_lineno", 1) or 1, len(self.starts) - 1)]
        found = []
        for argument in command.arguments:
            offset = argument.offset if start <= argument.offset < end else start
            if argument.determined and argument.requirement:
                exact = self.source.find(argument.requirement, start, end)
                offset = exact if exact >= 0 else offset
            index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
            found.append(PythonInstall(argument, command, index + 1, offset - self.starts[index] + 1))
        return found


class _Each(ast.AST):
    """A name a ``for`` binds: each element of ``iterable`` in turn."""

    def __init__(self, iterable: ast.AST) -> None:
        super().__init__()
        self.iterable = iterable


def _each(iterable: ast.AST) -> _Each:
    return _Each(iterable)


_RUNS_CODE = frozenset({"exec", "eval", "builtins.exec", "builtins.eval"})
_EXEC_DEPTH = 3
"""How deep ``exec("exec('...')")`` is read; deeper code that names an installer is undetermined."""
_NESTED = 4
"""How deep code run by other code (``exec``, ``run_cell_magic("python3", ...)``) is read in all."""


def _is_runner(name: str) -> bool:
    """Whether ``name`` (dotted, through import aliases) is a function of a module that surely runs commands."""
    final = name.rsplit(".", 1)[-1]
    return _root(name) in _COMMAND_MODULES and final in (_SHELL_RUNNERS | _ARGV_RUNNERS | _EXEC_L | _EXEC_V
                                                          | _SPAWN_L | _SPAWN_V)


def _literal_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _looked_up(function: ast.AST) -> tuple[ast.AST, str] | None:
    """The owner and the attribute name of ``getattr(X, "name")``, ``vars(X)["name"]``, ``X.__dict__["name"]``."""
    if isinstance(function, ast.Call) and isinstance(function.func, ast.Name) and function.func.id == "getattr" and (
            len(function.args) in (2, 3) and _literal_string(function.args[1])):
        return function.args[0], str(getattr(function.args[1], "value", ""))
    if isinstance(function, ast.Subscript) and _literal_string(function.slice):
        owner = function.value
        key = str(getattr(function.slice, "value", ""))
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "vars" and (
                len(owner.args) == 1):
            return owner.args[0], key
        if isinstance(owner, ast.Attribute) and owner.attr == "__dict__":
            return owner.value, key
    return None


def _first_argument(call: ast.Call) -> ast.AST | None:
    if call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg in _KEYWORDS:
            return keyword.value
    return None


def _word(text: str, node: ast.AST) -> str:
    from hallucheck.sources.shell import Field

    return Field(text, -1, text)


def _at(command: InstallCommand, offset: int) -> InstallCommand:
    """``command`` read from a string that is not where the code writes it: its offsets mean nothing here."""
    arguments = tuple(argument.at(offset) for argument in command.arguments)
    return InstallCommand(command.tool, command.words, arguments, offset)


def _undetermined(tool: str, shown: str, node: ast.AST) -> InstallCommand:
    argument = InstallArgument(shown, shown, PYPI, determined=False)
    return InstallCommand(tool, (*tuple(tool.split()), shown), (argument,))


def _expanded(value: _Value) -> _Value:
    """A shell command as IPython runs it (:func:`.ipython.var_expand`); holes stay holes."""
    from hallucheck.sources.ipython import var_expand

    if not isinstance(value, str):
        return value
    holes: list[str] = []

    def mark(match: re.Match[str]) -> str:
        holes.append(match.group(0))
        return f"\x02{len(holes) - 1}\x03"

    expanded = var_expand(_HOLE.sub(mark, value))
    return _MARK.sub(lambda match: holes[int(match.group(1))], expanded)


def _added(left: _Value, right: _Value, unknown: str) -> _Value:
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, tuple) and isinstance(right, tuple):
        return left + right
    if isinstance(left, str) and isinstance(right, tuple) and _HOLE.fullmatch(left):
        return (left, *right)  # `pip + ["install", "x"]`: an unknown list of words, then these
    if isinstance(left, tuple) and isinstance(right, str) and _HOLE.fullmatch(right):
        return (*left, right)
    return unknown


def _formatted(template: str, unknown: str) -> str:
    """``"pip install {}".format(x)`` with every replacement field unknown."""
    out = []
    index = 0
    while index < len(template):
        char = template[index]
        if char in "{}" and template[index:index + 2] in ("{{", "}}"):
            out.append(char)
            index += 2
        elif char == "{":
            end = template.find("}", index)
            out.append(unknown)
            index = len(template) if end < 0 else end + 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _variable(text: str) -> str:
    words = _WORD.findall(text)
    return "_".join(words)[:_SOURCE] or "value"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _root(name: str) -> str:
    return name.split(".", 1)[0] if "." in name else ""


def _node_lines(node: ast.AST) -> range:
    start = getattr(node, "lineno", 0)
    return range(start, (getattr(node, "end_lineno", None) or start) + 1)


def _is_compound(node: ast.AST) -> bool:
    return isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
                             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)) or type(
        node).__name__ == "TryStar"


_TEXT_METHODS = frozenset({"lower", "upper", "casefold", "swapcase", "encode", "decode"})
"""Methods whose result keeps the words of a command where they are (a hole stays a hole)."""


def _text_method(text: str, method: str) -> str:
    """``text.method()`` outside its holes (``encode``/``decode``: the words are the same)."""
    if method in ("encode", "decode"):
        return text
    out = []
    position = 0
    for match in _HOLE.finditer(text):
        out.append(getattr(text[position:match.start()], method)())
        out.append(match.group(0))
        position = match.end()
    out.append(getattr(text[position:], method)())
    return "".join(out)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


_CONVERSION = LazyPattern(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?[a-zA-Z%]")


def _percent_formatted(template: str, operands: Sequence[str], unknown: str) -> str:
    """``template % operands`` with a hole for each conversion whose operand is not known text."""
    remaining = list(operands)

    def convert(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        if match.group(0)[-1] in "sra" and "(" not in match.group(0) and remaining:
            return remaining.pop(0)
        if remaining:
            remaining.pop(0)
        return unknown

    return _CONVERSION.sub(convert, template)


_INSTALL_VERB = LazyPattern(r"(?i)(?<![\w-])(?:install|add|download|wheel|sync|inject|runpip)(?![\w-])")
_INSTALLER_PROGRAM = LazyPattern(
    r"(?i)(?:.*[/\\])?(?:pip[0-9.]*|uv|pipx|poetry|pdm|conda|mamba|micromamba|pipenv|rye|easy_install|pixi)"
    r"(?:\.exe)?"
)
_PYTHON_PROGRAM = LazyPattern(r"(?i)(?:.*[/\\])?(?:python[0-9.]*|py|pypy[0-9.]*)(?:\.exe)?")
_COMMAND_MODULES = frozenset({"os", "subprocess", "pty", "asyncio", "posix"})
"""Modules whose calls surely run a command (``run``/``call`` of other objects may run anything)."""


def _command_words(value: _Value) -> list[Sequence[str]]:
    """The simple commands of a value: a list of words, or shell text (holes read as unknown words)."""
    if isinstance(value, tuple):
        return [value]
    if not any(char.isspace() for char in _HOLE.sub("x", value)):
        return [(value,)]
    from hallucheck.sources.install_commands import split_commands

    text = _HOLE.sub(lambda match: "${" + _variable(match.group(1)) + "}", value)
    return list(split_commands(text))


def _installer_unknown(words: Sequence[str]) -> bool:
    """Whether ``words`` run an installer (``pip``, ``python -m pip``) whose subcommand is known only at run time."""
    index = 0
    if words and _PYTHON_PROGRAM.fullmatch(words[0]):
        if len(words) < 3 or words[1] != "-m":
            return False
        index = 2
    if not words[index:] or "\x00" in words[index] or not _INSTALLER_PROGRAM.fullmatch(words[index]):
        return False
    for word in words[index + 1:]:
        if "\x00" in word:
            return True
        if not word.startswith("-") and not _INSTALLER_PROGRAM.fullmatch(word):
            return False  # a subcommand (`pip list`); `uv pip ...` goes on to pip's
    return False


def _program_unknown(value: _Value) -> bool:
    """Whether the program of ``value`` is known only at run time (the value may be one unknown word)."""
    first = value[0] if isinstance(value, tuple) and value else value if isinstance(value, str) else ""
    head = first.lstrip().split(None, 1)[0] if isinstance(first, str) and first.strip() else ""
    return "\x00" in head


def _installs_visibly(value: _Value) -> bool:
    """Whether the known words of ``value`` name an installer and an install verb."""
    text = _HOLE.sub(" ", value if isinstance(value, str) else " ".join(value))
    return bool(MAY_INSTALL.search(text) and _INSTALL_VERB.search(text))


def _unparsed(source: str, lines: Collection[int] | None, error: BaseException | None) -> list[PythonInstall]:
    """One undetermined install for code this Python cannot parse, at the first of ``lines`` that names an
    installer (or may decode to one): a newer Python may run the file, so what it installs is not known here."""
    import sys

    texts = source.split("\n")
    wanted = range(1, len(texts) + 1) if lines is None else sorted(line for line in lines if 0 < line <= len(texts))
    line = next((number for number in wanted if MAY_INSTALL.search(texts[number - 1])
                 or any(token in texts[number - 1] for token in _DECODING)), None)  # fmt: skip
    if line is None:
        return []
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    where = f"line {error.lineno}: {error.msg}" if isinstance(error, SyntaxError) else type(error).__name__
    shown = (f"(code Python {version} cannot parse, {where}; a newer Python may run it: check the file with one, "
             "or write what it installs where it can be read)")
    if error is None:
        shown = "(code run by code run by code, nested too deep to read: write what it installs where it can be read)"
    argument = InstallArgument(shown, shown, PYPI, determined=False)
    command = InstallCommand("python", ("python",), (argument,))
    column = len(texts[line - 1]) - len(texts[line - 1].lstrip()) + 1
    return [PythonInstall(argument, command, line, column)]
