"""Cython sources (``.pyx`` modules, ``.pxd`` declarations): the modules they import, as Python source.

A ``.pyx`` file's ``import x``/``from x import y`` is a run-time import of ``x`` by the compiled extension, as in
Python; ``cimport x``/``from x cimport y`` (also in ``.pxd`` files) makes the compiler read ``x``'s declarations
(``x.pxd``, ``x/__init__.pxd``) from the build environment: a module ``x`` must exist there as well, so a
cimport names a module as an import does. The declaration packages Cython ships (``libc``, ``libcpp``,
``cpython``, ``posix``, ``cython``, ``openmp``) name no distribution.

libcst and ``ast`` cannot parse Cython (``cdef``, ``<type>`` casts, ``nogil``), and Cython's own parser costs
about a second to import and warm up (measured with Cython 3.3: 0.86 s import, 1.1 s first parse), more than the
check. :func:`cython_view` therefore reads the file as Python's lexical structure (strings, comments, brackets,
continuation lines: Cython keeps them) into logical lines, and writes a Python view with the same lines: each
import or cimport statement as an import statement, each block header as ``if 1:`` (``try``/``except``/
``else``/``finally`` kept, so a guarded import stays guarded), every other statement as ``pass``, comments as
they are (suppression comments keep working). A file that ends inside a string or a bracket cannot be read:
:func:`cython_view` says so, and the check reports it instead of passing. Pure: text in, text out.
"""

from __future__ import annotations

from hallucheck.lazy import LazyPattern

CYTHON_SUFFIXES = (".pyx", ".pxd")
CYTHON_INCLUDES = frozenset({"libc", "libcpp", "cpython", "posix", "cython", "openmp"})
"""Declaration packages Cython ships (``Cython/Includes``): a cimport of them needs no distribution (nor does
``import cython``, which the compiler resolves itself)."""
_IMPORT = LazyPattern(r"(?P<keyword>c?import)\s+(?P<module>[^\s,;()]+)")
_FROM = LazyPattern(r"from\s+(?P<module>[^\s;()]+)\s+(?P<keyword>c?import)(?=[\s(*]|$)")
_CIMPORT = LazyPattern(r"(?<![\w.])cimport(?!\w)")
_HEADER_KEPT = LazyPattern(
    r"(?:try|else|finally)\s*|except(?:\s*(?:\(\s*[\w.]+(?:\s*,\s*[\w.]+)*\s*,?\s*\)|\s[\w.]+)(?:\s+as\s+\w+)?)?\s*"
)
"""Block headers the view keeps as written (Python 3 syntax only: ``except X, e`` is written ``except Exception``)."""
_WORD = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
_BLOCK_WORDS = frozenset({"if", "elif", "else", "try", "except", "finally", "for", "while", "with", "def", "class",
                          "cdef", "cpdef", "ctypedef", "async", "IF", "ELIF", "ELSE", "match", "case"})  # fmt: skip


def is_cython(path: str) -> bool:
    """Whether ``path`` is a Cython module or declaration file."""
    return path.lower().endswith(CYTHON_SUFFIXES)


def cython_view(text: str) -> tuple[str, tuple[int, str] | None]:
    """``(view, problem)``: the Python view of Cython ``text`` (one line per line of ``text``), and the line
    and reason it could not be read past (None when it was read whole); lines past it are left out."""
    physical = text.split("\n")
    view = list(physical)
    statements, problem = _logical_lines(physical)
    for first, last, code, header in statements:
        indent = physical[first][: len(physical[first]) - len(physical[first].lstrip())]
        blank = [""] * (last - first)
        written = _import_statement(code)
        if written == "pass":
            view[first: last + 1] = [indent + "pass", *blank]
        elif written is not None:
            view[first] = indent + _CIMPORT.sub("import", physical[first].lstrip(), count=1)
            for number in range(first + 1, last + 1):  # `from x \` + `cimport y`: the keyword on a later line
                if _CIMPORT.search(view[number]) and not _CIMPORT.search(view[first]):
                    view[number] = _CIMPORT.sub("import", view[number], count=1)
                    break
        elif header is not None:
            view[first: last + 1] = [indent + _header(header.strip()) + ":" + _inline_body(code, header), *blank]
        else:
            view[first: last + 1] = [indent + "pass", *blank]
    if problem is not None:
        end = statements[-1][1] + 1 if statements else 0
        view[end:] = [line if line.lstrip().startswith("#") else "" for line in view[end:]]
    return "\n".join(view), problem


def cython_code(text: str) -> tuple[str, list[range]]:
    """``(code, unread)``: Cython ``text`` as the Python code it runs where Cython writes Python (one line per
    line of ``text``), and the (1-based) lines of each statement that is not Python (``cdef int x =
    f()``, ``cdef object run(str c):``). Each statement that parses as Python is kept as written, imports and
    cimports as :func:`cython_view` writes them, another block header as ``if 1:`` (its body is kept), another
    statement as ``pass``: what the kept calls run is read as in a ``.py`` file, and the callers decide what to
    do with the unread lines (an install they may hide is not passed). Lines past a string or a bracket that is
    never closed are unread from there."""
    physical = text.split("\n")
    view = list(physical)
    statements, problem = _logical_lines(physical)
    unread: list[range] = []
    for first, last, code, header in statements:
        indent = physical[first][: len(physical[first]) - len(physical[first].lstrip())]
        written = _import_statement(code)
        source = "\n".join(line.strip() for line in physical[first: last + 1])
        if written is None and _parses(source, code, header):
            view[first] = indent + physical[first].lstrip()
            continue  # Python as written (lines of a bracket or a string stay as they are)
        blank = [""] * (last - first)
        if written is not None:
            view[first: last + 1] = [indent + (written if written == "pass" else _CIMPORT.sub(
                "import", " ".join(code.split()), count=1)), *blank]
        elif header is not None:
            unread.append(range(first + 1, last + 2))
            view[first: last + 1] = [indent + _header(header.strip()) + ":" + _inline_body(code, header), *blank]
        else:
            unread.append(range(first + 1, last + 2))
            view[first: last + 1] = [indent + "pass", *blank]
    if problem is not None:
        end = statements[-1][1] + 1 if statements else 0
        unread.append(range(end + 1, len(physical) + 1))
        view[end:] = [line if line.lstrip().startswith("#") else "" for line in view[end:]]
    return "\n".join(view), unread


def _parses(source: str, code: str, header: str | None) -> bool:
    """Whether a statement is Python: a block header with a body, a clause after the block it continues."""
    import ast

    if header is not None and code.rstrip().endswith(":"):
        source += "\n pass"
    word = (_WORD.match(source) or [""])[0]
    if word in ("elif", "else", "except", "finally"):
        source = ("if 1:\n pass\n" if word in ("elif", "else") else "try:\n pass\n") + source
    elif word == "try":
        source += "\nfinally:\n pass"
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def cimport_lines(text: str) -> frozenset[int]:
    """The (1-based) first lines of the cimport statements of Cython ``text``: modules the compiler reads."""
    statements, _ = _logical_lines(text.split("\n"))
    return frozenset(first + 1 for first, _, code, _ in statements if _CIMPORT.search(code.split(":", 1)[-1]))


def _header(header: str) -> str:
    """A block header as the view writes it: ``try``/``except``/``else``/``finally`` kept (so a guarded import
    stays guarded), every other block opened with ``if 1``."""
    if _HEADER_KEPT.fullmatch(header):
        return header
    return "except Exception" if header.startswith("except") and not header[6:7].isalnum() else "if 1"


def _inline_body(code: str, header: str) -> str:
    """What follows the colon of a one-line block (``try: import x``), as the view writes it."""
    body = code[len(header) + 1:].strip()
    if not body:
        return ""
    written = _import_statement(body)
    return " " + (written if written is not None else "pass")


def _import_statement(code: str) -> str | None:
    """The Python text of an import or cimport statement (one logical line; ``pass`` for what Cython itself
    provides), else None."""
    stripped = code.strip()
    match = _FROM.match(stripped)
    if match is None and stripped.startswith(("import", "cimport")):
        match = _IMPORT.match(stripped)
    if match is None:
        return None
    if match.group("module").split(".")[0] in CYTHON_INCLUDES and (
            match.group("keyword") == "cimport" or match.group("module") == "cython"):  # fmt: skip
        return "pass"
    start, end = match.span("keyword")
    return " ".join((stripped[:start] + "import" + stripped[end:]).split())


def _logical_lines(physical: list[str]) -> tuple[list[tuple[int, int, str, str | None]], tuple[int, str] | None]:
    """``(first line, last line, code, block header)`` of each statement (0-based lines; code without comments,
    continuation lines joined; the header is the code before its colon when the statement opens a block), and a
    problem when the text ends inside a string or a bracket."""
    statements: list[tuple[int, int, str, str | None]] = []
    depth, quote, start, header = 0, "", -1, None
    parts: list[str] = []
    opened = (0, "")
    for number, line in enumerate(physical):
        if start < 0:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue  # blank and comment lines stay as they are
            start = number
        piece: list[str] = []
        index = 0
        while index < len(line):
            char = line[index]
            if quote:
                step = 2 if char == "\\" else len(quote) if line.startswith(quote, index) else 1
                if step == len(quote) and line.startswith(quote, index):
                    quote = ""
                piece.append(line[index: index + step])
                index += step
                continue
            if char == "#":
                break
            if char in "'\"":
                quote = line[index: index + 3] if line[index: index + 3] in ("'''", '"""') else char
                opened = (number + 1, "string")
                piece.append(quote)
                index += len(quote)
                continue
            if char in "([{":
                depth, opened = depth + 1, (number + 1, "bracket")
            elif char in ")]}":
                depth = max(depth - 1, 0)
            elif char == ":" and depth == 0 and header is None:
                header = "".join(parts) + "".join(piece)
            piece.append(char)
            index += 1
        text = "".join(piece)
        continued = text.endswith("\\") and not (quote and len(quote) == 3)
        if quote in ("'", '"') and not continued:
            return statements, (opened[0], "a string is not closed on its line")
        if continued or quote or depth > 0:
            parts.append((text[:-1] + " ") if continued else text + "\n")
            continue
        code = "".join(parts) + text
        opens = header is not None and _opens_block(code, header)
        statements.append((start, number, code, header if opens else None))
        start, parts, header = -1, [], None
    if quote or depth > 0 or parts:
        return statements, (opened[0] or len(physical), f"the {opened[1] or 'statement'} opened here is never closed")
    return statements, None


def _opens_block(code: str, header: str) -> bool:
    """Whether the colon that ends ``header`` opens a block (not a lambda's, an annotation's or a dict's)."""
    words = _WORD.findall(header)
    if not words or "lambda" in words:
        return False
    return (code.rstrip().endswith(":") and header.strip() == code.rstrip()[:-1].strip()) or words[0] in _BLOCK_WORDS
