"""Find the import statements that a change adds to a Python file.

Only the statements that hold added lines are parsed (with libcst), so the cost
follows the change, not the file: :class:`~hallucheck.sources.python.LogicalLines`
locates statements and their enclosing blocks from a lexical scan, and libcst
parses each candidate statement on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence

from hallucheck.lazy import LazyPattern, Slots, record, replace
from hallucheck.sources.dynamic import CallFinder, call_pattern, default_calls, default_importers, importer_names
from hallucheck.sources.imported import ComputedImport, ImportedModule, is_type_checking
from hallucheck.sources.python import IDENTIFIER, LogicalLine, LogicalLines
from hallucheck.sources.scanned_imports import fits_parser, scan_statement
from hallucheck.sources.simple_imports import parse_simple_import

# A statement that may import: `import`/`from` at a statement start (also after `:` or `;`),
# or a call of __import__ / import_module.
# The module between `from` and `import` is a dotted name: matching it as such keeps the search linear.
_MAY_IMPORT = LazyPattern(
    rf"(?:^|[:;])\s*(?:from\s*(?:\.\s*)*(?:{IDENTIFIER}(?:\s*\.\s*{IDENTIFIER})*)?\s*)?import\b"
    r"|\b__import__\s*\(|\bimport_module\s*\(",
    re.MULTILINE,
)
# An importer named without being called by name: `getattr(importlib, "import_module")(...)`,
# `vars(builtins)["__import__"](...)`, `map(__import__, names)`, `map(exec, sources)`.
_IMPORTER_WORD = LazyPattern(
    r"\b(?:__import__|import_module|run_module|resolve_name|importorskip|find_spec|pytest_plugins|locate"
    r"|import_string)\b|(?<![\w.])(?:exec|eval)\b"
)
_BACKSLASH_NEWLINE = LazyPattern(r"\\\r?\n")
_CLAUSE_WRAPPERS = {
    "except": "try:\n    pass\n",
    "finally": "try:\n    pass\n",
    "else": "if 0:\n    pass\n",
    "elif": "if 0:\n    pass\n",
    "case": "match 0:\n",
}
_GUARD_EXCEPTIONS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
# `django.VERSION`, `DJANGO_VERSION` (wagtail: `from django import VERSION as DJANGO_VERSION`), `__version__`, ...
_ANY_VERSION_TEST = LazyPattern(
    r"\b(?:[A-Za-z0-9]+_)*(?:VERSION|version)\b|\b(?:__version__|version_info|parse_version|Version)\b"
)
_SYS_MODULES_TEST = LazyPattern(r"""["']([A-Za-z_][\w]*)(?:\.[\w.]*)?["']\s+in\s+sys\.modules\b""")
_EXCEPT = LazyPattern(r"except\*?\s*(?P<types>[^:]*?)\s*(?:\bas\s+\w+\s*)?:(?P<inline>.*)", re.DOTALL)
# A handler that raises, or ends the program, makes the import it guards required.
_RAISE = LazyPattern(r"(?:^|[:;])\s*(?:raise\b|(?:sys\.|os\._)?exit\s*\(|quit\s*\()", re.MULTILINE)
_SCOPE = LazyPattern(r"(?:async\s+)?def\b|class\b")
_VERSION_TEST = LazyPattern(r"\bversion_info\b|\bsys\.version\b|\bPY(?:2|3\d*)\b|\bPYTHON_VERSION\b")
_TYPE_CHECKING_ALIAS = LazyPattern(r"\bTYPE_CHECKING\s+as\s+(\w+)")
_IF_TEST = LazyPattern(r"if\s+(?P<test>.+?)\s*:", re.DOTALL)


@record(frozen=True)
class SyntaxProblem:
    line: int
    column: int
    message: str


class ImportScan(Slots):
    __slots__ = ("computed", "imports", "syntax_errors")

    imports: list[ImportedModule]
    syntax_errors: list[SyntaxProblem]
    computed: list[ComputedImport]
    """Dynamic imports (and exec of code) whose module name is computed: they cannot be checked."""

    def __init__(
        self, imports: list[ImportedModule] | None = None, syntax_errors: list[SyntaxProblem] | None = None,
        computed: list[ComputedImport] | None = None,
    ) -> None:  # fmt: skip
        self.imports = [] if imports is None else imports
        self.syntax_errors = [] if syntax_errors is None else syntax_errors
        self.computed = [] if computed is None else computed


def _normalized(module: str) -> str:
    """Module names as Python reads them: identifiers are NFKC-normalised (full-width `os` is `os`)."""
    if module.isascii():
        return module
    import unicodedata

    return unicodedata.normalize("NFKC", module)


def may_import(text: str, calls: CallFinder | None = None) -> bool:
    """Whether ``text`` could hold an import statement or a dynamic import; False means it certainly does not.

    ``calls`` finds the calls that import or run code in this file (its aliases included); by default, those of a
    file without aliases.
    """
    calls = default_calls() if calls is None else calls
    flat = _BACKSLASH_NEWLINE.sub(" ", text) if "\\" in text else text
    return (
        _MAY_IMPORT.search(flat) is not None
        or _IMPORTER_WORD.search(flat) is not None
        or calls.search(flat)
    )



_IMPORT_LINE_WORDS = (
    "exec", "eval", "compile", "run_module", "resolve_name", "find_spec", "pytest_plugins", "locate",
)  # fmt: skip
"""Importers and executors a line can name without ``import``; as whole words (``re.compile`` counts, not
``evaluate``)."""


def import_lines(text: str, importers: Mapping[str, str] | None = None) -> frozenset[int]:
    """The lines that may be part of an import: the candidates a whole file is scanned at.

    Every statement that :func:`may_import` accepts has a candidate line: an import statement names ``import``
    (so do ``__import__``, ``import_module``, ``importorskip``), a dynamic import names an importer or executor
    (:data:`_IMPORT_LINE_WORDS`) or one of the file's aliases of one (``importers``, by default those ``text``
    binds: :func:`~hallucheck.sources.dynamic.importer_names`), and a line that ends in a backslash is joined to
    the next. The words are found with ``str.find``: a regular expression would try every offset of the file.
    """
    starts = _word_starts(text, "import", whole=False)
    for word in _IMPORT_LINE_WORDS:
        starts += _word_starts(text, word, whole=True)
    starts += _word_starts(text, "\\\n", whole=False) + _word_starts(text, "\\\r\n", whole=False)
    defaults = default_importers()
    named = importer_names(text) if importers is None else importers
    for word in {name.rpartition(".")[2] for name in named if name not in defaults}:
        starts += _word_starts(text, word, whole=True)  # `load("x")`, `fns = [load]`, `il . import_module(`
    lines, line, counted = set(), 1, 0
    for start in sorted(starts):
        line += text.count("\n", counted, start)
        counted = start
        lines.add(line)
    return frozenset(lines)


def _word_starts(text: str, word: str, *, whole: bool) -> list[int]:
    """Where ``word`` occurs in ``text``; with ``whole``, only where no character of a name adjoins it."""
    found, start, size = [], text.find(word), len(word)
    while start != -1:
        if not whole or not (
            (start and _is_name_character(text[start - 1]))
            or (start + size < len(text) and _is_name_character(text[start + size]))
        ):
            found.append(start)
        start = text.find(word, start + size)
    return found


def _is_name_character(char: str) -> bool:
    return char.isalnum() or char == "_" or not char.isascii()


_PREFILTER_FROM = 16
"""Lines asked about from which :func:`imports_in_lines` visits only the statements holding a candidate line
(:func:`import_lines`): finding the candidates costs a ``str.find`` per word over the whole text."""


def imports_in_lines(
    text: str, lines: Iterable[int], logical: LogicalLines | None = None, importers: Mapping[str, str] | None = None,
    *, candidates: Collection[int] | None = None, plain_top_level: bool = True,
) -> ImportScan:
    """Every import made by the statements of ``text`` that hold any of ``lines``.

    ``importers`` are the names that import (:func:`~hallucheck.sources.dynamic.importer_names`) when more code
    than ``text`` binds them (a notebook's other cells); by default those ``text`` binds. ``candidates`` are
    :func:`import_lines` of ``text`` with the same importers when the caller has them; for many ``lines`` they
    are found here. Every statement that may import holds a candidate line, so only those statements are
    lexed and tested (a range's new file of a thousand lines is read at its imports, not at every line).

    A plain import statement at the top level (nearly every import of a tree) is taken as the plain-import
    parser reads it: no block encloses it, so there is no guard, ``TYPE_CHECKING`` or version test to look
    for. Without ``plain_top_level`` it goes the general way, which gives the same imports (a test compares
    both ways over generated sources and real trees).
    """
    scan = ImportScan()
    logical = logical or LogicalLines(text)
    seen: set[int] = set()
    aliases: frozenset[str] | None = None
    importers = importer_names(text) if importers is None else importers
    calls = default_calls() if len(importers) == len(default_importers()) else call_pattern(importers)
    ordered = sorted(lines)
    if candidates is None and len(ordered) >= _PREFILTER_FROM:
        candidates = import_lines(text, importers)
    visited = ordered if candidates is None else _candidates_near(logical, ordered, candidates)
    covered = 0  # the last line of the statement decided last: lines up to it belong to decided statements
    guards: dict[int, bool] = {}  # try header -> whether it guards (a try holding a thousand imports is read once)
    for line in visited:
        if line > len(logical) or line <= covered:
            continue
        statement = logical.at(line)
        covered = statement.last
        if statement.first in seen:
            continue
        added = ordered[bisect_left(ordered, statement.first) : bisect_right(ordered, statement.last)]
        if not added:
            continue
        if plain_top_level and not statement.indent:
            plain = parse_simple_import(statement)
            if plain is not None:
                seen.add(statement.first)
                scan.imports.extend(_top_level(plain))
                continue
        if not may_import(statement.text, calls):
            continue
        seen.add(statement.first)
        found = _parse_statement(statement, scan, added, importers)
        if not found:
            continue
        if aliases is None:
            aliases = _type_checking_names(text)
        guarded, type_checking, version_gated = _context(logical, statement, aliases, guards)
        nested = statement.indent > 0  # only an indented statement has an except clause or an if around it
        fallback = nested and (_in_import_error_handler(logical, statement) or _in_version_branch(logical, statement))
        loaded = _tested_in_sys_modules(logical, statement) if nested else frozenset()
        if not (guarded or type_checking or version_gated or fallback or loaded) and all(
            item.module.isascii() for item in found
        ):
            scan.imports.extend(found)  # nothing to add: the common case, without copying each item
            continue
        scan.imports.extend(
            replace(
                item, module=_normalized(item.module),
                guarded=item.guarded or guarded or _normalized(item.module).partition(".")[0] in loaded,
                type_checking=item.type_checking or type_checking, version_gated=item.version_gated or version_gated,
                fallback=item.fallback or fallback,
            )
            for item in found
        )  # fmt: skip
    return scan


def _top_level(found: list[ImportedModule]) -> list[ImportedModule]:
    """The imports of a plain statement at the top level, as the full path gives them: no block encloses it (no
    guard, no ``TYPE_CHECKING``, no version test), so only a module name beyond ASCII changes (NFKC)."""
    if all(item.module.isascii() for item in found):
        return found
    return [replace(item, module=_normalized(item.module)) for item in found]


def _candidates_near(logical: LogicalLines, ordered: Sequence[int], candidates: Collection[int]) -> list[int]:
    """The ``candidates`` whose statement may hold one of the ``ordered`` lines: those up to the last of them,
    and those after it that its statement reaches (statements do not overlap, so no other can)."""
    if not ordered:
        return []
    last = ordered[-1]
    found = sorted(line for line in candidates if line <= last)
    if len(found) < len(candidates) and last <= len(logical):
        end = logical.at(last).last
        found += sorted(line for line in candidates if last < line <= end)
    return found


def new_imports(
    text: str, added_lines: Collection[int], base_texts: Sequence[str] | BaseSources,
    importers: Mapping[str, str] | None = None, *, candidates: Collection[int] | None = None,
) -> ImportScan:
    """Imports in statements holding added lines that none of the base versions already makes.

    ``base_texts`` are the versions the change starts from (one per parent; none
    for a new file), or a :class:`BaseSources` for many (a notebook's cells).
    Moved, re-indented or re-encoded imports are thus not new. ``importers``, ``candidates``: see
    :func:`imports_in_lines`.
    """
    bases = base_texts if isinstance(base_texts, BaseSources) else BaseSources(base_texts)
    logical = LogicalLines(text)
    scan = imports_in_lines(text, added_lines, logical, importers, candidates=candidates)
    _unclosed_at_end(logical, added_lines, scan)
    if scan.computed and bases:
        physical = text.split("\n")
        before = bases.stripped_lines()
        scan.computed = [item for item in scan.computed if physical[item.line - 1].strip() not in before]
    if not scan.imports or not bases:
        return scan
    present = bases.existing_keys(scan.imports)
    scan.imports = [item for item in scan.imports if item.key not in present]
    return scan


class BaseSources:
    """The base versions of a source, asked which imports they already make.

    For one or two base texts (a file's parents) each question scans them for the words it is about. For many
    (a notebook's cells, asked about once per new cell) the texts' lines are indexed by word once, so that the
    answers together cost what the texts hold, not texts times questions.
    """

    _INDEXED_FROM = 4

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = list(texts)
        self._index: dict[str, list[tuple[int, int]]] | None = None
        self._known: dict[str, set[tuple[int, str, str | None]]] = {}
        self._stripped: set[str] | None = None

    def __bool__(self) -> bool:
        return bool(self._texts)

    def stripped_lines(self) -> set[str]:
        """Every line of every base, stripped."""
        if self._stripped is None:
            self._stripped = {line.strip() for base in self._texts for line in base.split("\n")}
        return self._stripped

    def existing_keys(self, wanted: Sequence[ImportedModule]) -> set[tuple[int, str, str | None]]:
        """The keys of ``wanted`` imports that some base already makes (a base's own import of the same key)."""
        if len(self._texts) < self._INDEXED_FROM:
            keys: set[tuple[int, str, str | None]] = set()
            for base in self._texts:
                keys |= _existing_keys(base, wanted)
            return keys
        found: set[tuple[int, str, str | None]] = set()
        for word in {_word_of(item) for item in wanted} - {""}:
            if word not in self._known:
                self._known[word] = self._keys_of(word)
            found |= self._known[word]
        return found

    def _keys_of(self, word: str) -> set[tuple[int, str, str | None]]:
        if self._index is None:
            self._index = {}
            for number, base in enumerate(self._texts):
                line, counted = 1, 0
                for match in _NAME.finditer(base):
                    line += base.count("\n", counted, match.start())
                    counted = match.start()
                    self._index.setdefault(match.group(), []).append((number, line))
        lines: dict[int, set[int]] = {}
        for number, line in self._index.get(word, ()):
            lines.setdefault(number, set()).add(line)
        return {
            item.key for number, found in lines.items() for item in imports_in_lines(self._texts[number], found).imports
        }


def _word_of(item: ImportedModule) -> str:
    return item.module.partition(".")[0] or (item.name or "")


_NAME = LazyPattern(IDENTIFIER)


def _existing_keys(base: str, wanted: Sequence[ImportedModule]) -> set[tuple[int, str, str | None]]:
    words = {_word_of(item) for item in wanted}
    words = {word for word in words if word and word in base}
    if not words:
        return set()
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in sorted(words)) + r")\b")
    lines, line, counted = set(), 1, 0
    for match in pattern.finditer(base):  # line numbers counted on from the previous match, not from the start
        line += base.count("\n", counted, match.start())
        counted = match.start()
        lines.add(line)
    return {item.key for item in imports_in_lines(base, lines).imports}


def _parse_statement(
    statement: LogicalLine, scan: ImportScan, added: list[int], importers: Mapping[str, str] | None = None
) -> list[ImportedModule]:
    simple = parse_simple_import(statement)
    if simple is not None:
        return simple
    code, offset, shift = _standalone_code(statement)
    if not fits_parser(code):
        return _scanned(statement, scan, importers)
    from hallucheck.sources import cst
    try:
        return cst.imports_of(code, statement, offset, shift, importers=importers, computed=scan.computed)
    except cst.ParseError as error:
        first_error = error
    except RecursionError:  # deep in another way than fits_parser measures
        return _scanned(statement, scan, importers)
    try:  # a block header whose colon is followed by a comment: give it a body too
        return cst.imports_of(
            code.rstrip("\n") + "\n    pass\n", statement, offset, shift, importers=importers, computed=scan.computed
        )
    except (cst.ParseError, RecursionError):
        pass
    line = min(max(statement.first, statement.first + first_error.line - 1 - offset), statement.last)
    problem = _python_error(statement, code, offset, shift) or SyntaxProblem(
        line, first_error.column, first_error.message
    )
    scan.syntax_errors.append(problem)
    recovered = _recover(statement, added)
    # libcst also refuses some valid code (thousands of adjacent strings): the text scan names what is left.
    keys = {(item.key, item.line) for item in recovered}
    found = scan_statement(statement, importers)[0]
    return recovered + [item for item in found if (item.key, item.line) not in keys]


def _scanned(statement: LogicalLine, scan: ImportScan, importers: Mapping[str, str] | None) -> list[ImportedModule]:
    """The imports of a statement too large or deep to parse, by a text scan; what it cannot read is a problem."""
    found, unreadable, computed = scan_statement(statement, importers)
    scan.computed += computed
    scan.syntax_errors += [
        SyntaxProblem(item.line, item.column, "an import in a statement too large or too deeply nested to parse")
        for item in unreadable
    ]
    return found


def _python_error(statement: LogicalLine, code: str, offset: int, shift: int) -> SyntaxProblem | None:
    """The syntax error where Python itself reports it (its own parser only builds a tree; nothing runs)."""
    import ast

    try:
        ast.parse(code)
    except SyntaxError as error:
        line = (error.lineno or 1) - offset
        if not 1 <= line <= statement.last - statement.first + 1:
            return None
        column = max(error.offset or 1, 1) + (statement.indent - shift if line == 1 else 0)
        return SyntaxProblem(statement.first + line - 1, column, error.msg)
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def _unclosed_at_end(logical: LogicalLines, lines: Collection[int], scan: ImportScan) -> None:
    """A syntax error for a statement the change touches that is still open (a bracket, a string) at the end
    of the file: it holds no import, so it is not parsed otherwise, yet the file does not compile."""
    touched = [line for line in lines if line <= len(logical)]
    if not touched:
        return
    statement = logical.at(max(touched))
    if statement.last < len(logical):
        return
    if any(statement.first <= problem.line <= statement.last for problem in scan.syntax_errors):
        return
    code, offset, shift = _standalone_code(statement)
    problem = _python_error(statement, code, offset, shift)
    if problem is not None:
        scan.syntax_errors.append(problem)


def _standalone_code(statement: LogicalLine) -> tuple[str, int, int]:
    """The statement as a module of its own, the wrapper lines before it, and how far its first line moved right."""
    code = statement.text.lstrip(" \t\f")
    keyword = re.match(r"\w*", code).group()  # type: ignore[union-attr]
    wrapper = _CLAUSE_WRAPPERS.get(keyword, "")
    shift = 0
    if keyword == "case":  # a `case` clause must be indented inside its `match`
        code, shift = " " + code, 1
    if code.startswith("@"):  # a decorator: give it something to decorate
        code += "\ndef _():\n    pass"
    if code.rstrip().endswith(":") and not code.startswith("#"):  # a block header: give it a body so it parses
        code += "\n    pass"
    if re.match(r"try\s*:", code):  # a one-line `try:` body: its handlers are other statements
        code += "\nfinally:\n    pass"
    return wrapper + code + "\n", wrapper.count("\n"), shift


def _recover(statement: LogicalLine, added: list[int]) -> list[ImportedModule]:
    """Imports on single added lines of a statement that does not parse as a whole."""
    from hallucheck.sources import cst
    found: list[ImportedModule] = []
    for line in added:
        raw = statement.text.split("\n")[line - statement.first]
        indent = raw[: len(raw) - len(raw.lstrip(" \t\f"))]
        text = raw.strip().rstrip("\\").strip()
        opened = text.rstrip("(").rstrip()
        # `from x import (` whose names are lost in the error still names its module.
        for candidate in (text, text + ")", opened + " *" if opened.endswith(" import") else opened):
            if not candidate.startswith(("import ", "from ")):
                continue
            try:
                single = LogicalLine(line, line, len(indent), indent + candidate)
                found.extend(cst.imports_of(candidate + "\n", single, 0))
            except cst.ParseError:
                continue
            break
    return found


def _context(
    logical: LogicalLines, statement: LogicalLine, checking_names: frozenset[str], guards: dict[int, bool]
) -> tuple[bool, bool, bool]:
    """Whether the statement is guarded by a try, sits under ``if TYPE_CHECKING:``, or under a version test.

    A ``try`` outside the function or class that holds the statement does not
    guard it: the import runs when the function is called, not in the ``try``.
    """
    guarded = type_checking = version_gated = in_scope = False
    headers = logical.enclosing(statement.first)
    if re.match(r"try\s*:", statement.head):
        headers.insert(0, statement)
    for header in headers:
        if _SCOPE.match(header.head):
            in_scope = True
        elif re.match(r"try\s*:", header.head):
            if not (guarded or in_scope):
                if header.first not in guards:
                    guards[header.first] = _try_guards(logical, header)
                guarded = guards[header.first]
        else:
            test = _IF_TEST.match(" ".join(header.text.split()))
            if test and is_type_checking(test.group("test"), checking_names):
                type_checking = True
            version_gated = version_gated or _VERSION_TEST.search(_branch_condition(logical, header)) is not None
    return guarded, type_checking, version_gated


def _tested_in_sys_modules(logical: LogicalLines, statement: LogicalLine) -> frozenset[str]:
    """Modules an enclosing ``if "name" in sys.modules:`` tests: the import runs only when it is loaded already."""
    names: set[str] = set()
    for header in logical.enclosing(statement.first):
        if _SCOPE.match(header.head):
            break
        if header.head.startswith(("if", "elif")):
            names |= set(_SYS_MODULES_TEST.findall(header.text))
    return frozenset(names)


def _in_version_branch(logical: LogicalLines, statement: LogicalLine) -> bool:
    """Whether the statement sits in a branch chosen by a version test (``if django.VERSION >= (2, 0):``)."""
    for header in logical.enclosing(statement.first):
        if _SCOPE.match(header.head):
            return False
        branch = header.head.startswith(("if", "elif", "else"))
        if branch and _ANY_VERSION_TEST.search(_branch_condition(logical, header)):
            return True
    return False


def _in_import_error_handler(logical: LogicalLines, statement: LogicalLine) -> bool:
    """Whether the statement sits in an ``except`` clause that catches ImportError (or broader), in its scope."""
    for header in logical.enclosing(statement.first):
        if _SCOPE.match(header.head):
            return False
        match = _EXCEPT.match(" ".join(header.text.split())) if header.head.startswith("except") else None
        if match is not None:
            names = {name.rpartition(".")[2] for name in re.findall(r"[A-Za-z_][\w.]*", match.group("types"))}
            if not names or names & _GUARD_EXCEPTIONS:
                return True
    return False


def _try_guards(logical: LogicalLines, header: LogicalLine) -> bool:
    """A ``try`` guards an import when a handler catches ImportError or broader and none raises.

    ``else:`` and ``finally:`` clauses are not handlers: what they do never makes the
    import required. A ``raise`` inside a function the handler defines is not the
    handler raising (``def f(): raise ImportError(...)`` is a stub for later).
    """
    catches = False
    for clause in logical.clauses_after(header, ("except", "else", "finally")):
        match = _EXCEPT.match(" ".join(clause.text.split()))
        if not match:
            continue
        names = {name.rpartition(".")[2] for name in re.findall(r"[A-Za-z_][\w.]*", match.group("types"))}
        if not names or names & _GUARD_EXCEPTIONS:
            catches = True
        if _RAISE.search(match.group("inline")) or _block_raises(logical.block_after(clause)):
            return False
    return catches


def _block_raises(body: Sequence[LogicalLine]) -> bool:
    """Whether a handler body raises (or exits), outside the functions and classes it defines."""
    scope_indent: int | None = None
    for line in body:
        if scope_indent is not None and line.indent > scope_indent:
            continue
        scope_indent = None
        code = line.text.lstrip()
        if _SCOPE.match(code):
            scope_indent = line.indent
            continue
        if _RAISE.search(code):
            return True
    return False


def _branch_condition(logical: LogicalLines, header: LogicalLine) -> str:
    """The tests that decide whether the block under ``header`` runs: its own for ``if``/``elif``,
    those of the whole ``if``/``elif`` chain for ``else``; empty for other headers."""
    head = header.head
    if re.match(r"(?:el)?if\b", head):
        return header.text
    if not re.match(r"else\s*:", head):
        return ""
    tests = []
    line = logical.previous_code(header.first)
    while line is not None:
        previous = logical.at(line)
        if previous.indent < header.indent:
            break
        if previous.indent == header.indent:
            if not re.match(r"(?:el)?if\b", previous.head):
                return ""  # the `else` of a for, while or try
            tests.append(previous.text)
            if previous.head.startswith("if"):
                return "\n".join(tests)
        line = logical.previous_code(previous.first)
    return ""


def _type_checking_names(text: str) -> frozenset[str]:
    if "TYPE_CHECKING" not in text:
        return frozenset({"TYPE_CHECKING"})
    return frozenset({"TYPE_CHECKING", *_TYPE_CHECKING_ALIAS.findall(text)})
