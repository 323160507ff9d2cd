"""Jupyter notebooks (``.ipynb``): the code a notebook adds, cell by cell, with lines a reader can open.

A notebook is JSON; its code is in the ``source`` of its cells (a string or a list of lines; nbformat 3
kept it in ``worksheets[].cells[].input``). :func:`read_notebook` parses it with :mod:`json` (nbformat's
start-up is not worth paying for this) and records, for every line of every cell, the line of the JSON
file where that line is written, so a finding can say both ``cell 3, line 2`` and a file line an editor
opens. Outputs and metadata are never read, apart from the kernel's language: an R notebook holds no
Python imports.

:func:`new_cells` compares cells with the base version of the notebook: a cell whose source some base cell
already has (moved, re-run, outputs changed) is not new. :func:`python_source` makes IPython syntax
(``%magic``, ``!shell``, ``x = !cmd``, ``obj?``) neutral Python of the same line count, so the usual
import scan reads the rest; :func:`shell_lines` gives the lines a cell runs in a shell (``!pip``,
``%pip``, ``%%bash`` cells). Everything here is pure.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hallucheck.lazy import LazyPattern, record, replace
from hallucheck.sources.install_commands import may_install
from hallucheck.sources.python import IDENTIFIER_CHAR

if TYPE_CHECKING:
    from hallucheck.sources.index_settings import IndexSetting

CODE, MARKDOWN = "code", "markdown"
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3",
                                  "ipytest"})
"""Cell magics that run the cell's body as Python (``%%ipytest`` runs it as a test module)."""
_MODULE_SUFFIXES = (".py", ".pyw")
SHELL_CELL_MAGICS = frozenset({"bash", "sh", "script", "system", "sx", "zsh", "!", "shell"})
"""Cell magics that run the body in a shell (``%%shell`` is Google Colab's: the cell runs as a bash script)."""
_WRAPPING_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "ipytest"})
"""Cell magics that run their body as a cell of its own, so the body may open with another cell magic
(``%%capture`` then ``%%shell``: the body runs in a shell)."""
WRITEFILE_MAGICS = frozenset({"writefile", "file"})
"""``%%writefile PATH`` (``%%file`` is IPython's alias of it): the cell's body is written to ``PATH``."""
_AUTOMAGIC = frozenset({"pip", "conda", "mamba", "micromamba", "uv", "system", "sx", "sc", "load_ext",
                        "reload_ext", "aimport", "run", "alias", "time", "timeit", "prun", "debug", "memit",
                        "mprun", "lprun"})
"""Line magics that read or run code, which IPython also calls without the ``%`` (automagic) in a one-line
cell that is not Python."""
_BUILTIN_EXTENSIONS = frozenset({"autoreload", "storemagic"})
"""``%load_ext autoreload`` loads ``IPython.extensions.autoreload`` when no module ``autoreload`` exists."""
_EXTENSION = LazyPattern(r"^(?P<indent>\s*)%(?P<magic>load_ext|reload_ext|aimport|run)\s+(?P<arguments>.*?)\s*$")
_DOTTED = LazyPattern(rf"(?:{IDENTIFIER_CHAR})+(?:\.(?:{IDENTIFIER_CHAR})+)*")
_STATEMENT_OPTIONS = {"time": "", "timeit": "n:r:tcp:qo", "prun": "D:l:rs:T:q", "debug": "b:", "memit": "r:t:ci:qo",
                      "mprun": "f:m:T:rc", "lprun": "rszf:m:D:T:u:"}  # fmt: skip
"""Line magics that run the Python statement after their options (``%time import x``), with the options as
IPython's ``parse_options`` (getopt) reads them: a letter before ``:`` takes a value. ``%time``, ``%timeit``,
``%prun`` and ``%debug`` are IPython's (``IPython/core/magics/execution.py``); ``%memit``/``%mprun`` are
memory_profiler's, ``%lprun`` line_profiler's."""
_STATEMENT_LONG_OPTIONS = {"no-raise-error": False, "breakpoint": True}
"""``%time --no-raise-error``, ``%debug --breakpoint FILE:LINE``: long options, and whether they take a value."""
_CELL_STATEMENT_MAGICS = frozenset({"timeit", "prun", "debug"})
"""Cell magics whose first line runs the statement after the options too (``%%timeit`` as setup code,
``%%prun`` and ``%%debug`` before the cell)."""
_STATEMENT_MAGIC = LazyPattern(r"%(?P<cell>%?)(?P<magic>time|timeit|prun|debug|memit|mprun|lprun)(?=\s|$)")
_ALIAS = LazyPattern(r"^\s*%alias\s+(?P<name>[^\s%!]+)\s+(?P<command>\S.*?)\s*$")
_ASSIGNED_MAGIC = LazyPattern(rf"^(?P<target>\s*(?:{IDENTIFIER_CHAR}|[.\[\], ])+?\s*=\s*)[!%]")
_HELP = LazyPattern(rf"^\s*(?:\?\??(?:{IDENTIFIER_CHAR}|\.)+|(?:{IDENTIFIER_CHAR}|\.)+\?\??)\s*$")


class NotebookError(Exception):
    """The notebook is not valid JSON, or not shaped like a notebook."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@record(frozen=True)
class Cell:
    number: int
    """1-based position among all cells, as a reader counts them in the notebook."""
    kind: str
    """``code``, ``markdown`` or ``raw``."""
    source: str
    json_lines: tuple[int, ...]
    """The JSON file's line for each line of :attr:`source` (1-based)."""

    @property
    def lines(self) -> list[str]:
        return self.source.split("\n")

    def json_line(self, line: int) -> int:
        """The file line of the cell's 1-based ``line``."""
        if not self.json_lines:
            return 1
        return self.json_lines[min(max(line, 1), len(self.json_lines)) - 1]


@record(frozen=True)
class Notebook:
    cells: tuple[Cell, ...]
    language: str
    """The language the notebook's metadata names (``python`` when it names none)."""
    kernel: str = ""
    """The name of the kernel Jupyter starts for it (``metadata.kernelspec.name``), empty when not named."""

    @property
    def is_python(self) -> bool:
        """Whether the kernel runs its code cells as Python (IPython).

        The kernel's name decides, not the language the metadata states (``kernelspec.language`` is
        informational: a notebook that says "R" and names ``python3`` runs Python). A name that is not a known
        kernel of another language (a project's own ``venv-x``) counts as Python: when unsure, check.
        """
        name = self.kernel.strip().lower()
        if not name:
            return True  # no kernel named: Jupyter starts its default kernel, Python
        return _OTHER_KERNEL.match(name) is None

    @property
    def says_python(self) -> bool:
        """Whether the metadata's language is Python too (a syntax error is then worth a warning)."""
        return self.language.lower() in ("python", "python3", "ipython", "ipython3", "")


# Kernels of other languages, by their usual names (IRkernel `ir`, IJulia `julia-1.10`, bash_kernel, IJavascript,
# tslab, Deno, evcxr, gophernotes, GoNB, IJava, Kotlin, Almond, SAS, IRuby, Octave, MATLAB, xeus-cling...).
_OTHER_KERNEL = LazyPattern(
    r"(?:ir|julia|bash|zsh|javascript|ijavascript|typescript|tslab|deno|rust|evcxr|go|gophernotes|gonb|java|ijava"
    r"|kotlin|scala|almond|sas|ruby|octave|matlab|imatlab|powershell|sql|xsql|xcpp|haskell|ihaskell|\.net|csharp"
    r"|fsharp|wolframlanguage|stata|perl|lua|php|xr|r)(?![a-z])"
)


def read_notebook_file(path: str, text: str) -> Notebook:
    """The cells of the file at ``path`` that IPython runs as a notebook's: a notebook (``.ipynb``), an IPython
    script (``.ipy``: ``ipython x.ipy`` runs it as one cell, magics included), the commented magics of a
    Jupytext-paired script (:mod:`.jupytext`; none for another ``.py``), or the Python code cells of a notebook
    written as Markdown (Jupytext Markdown, MyST, Quarto, R Markdown: :func:`.jupytext.text_notebook`).
    NotebookError as :func:`read_notebook`."""
    lowered = path.lower()
    if lowered.endswith(".ipynb"):
        return read_notebook(text)
    if lowered.endswith(".ipy"):
        lines, numbers = [], []
        for number, line in enumerate(text.split("\n"), 1):  # a lone CR ends a line, as in IPython
            parts = line.split("\r")
            lines += parts
            numbers += [number] * len(parts)
        return Notebook((Cell(1, CODE, "\n".join(lines), tuple(numbers)),), "python")
    from hallucheck.sources.jupytext import TEXT_NOTEBOOK_SUFFIXES, is_jupytext, jupytext_cells, text_notebook

    if lowered.endswith(TEXT_NOTEBOOK_SUFFIXES):  # Jupytext Markdown, MyST, Quarto, R Markdown: its code cells
        cells, kernel = text_notebook(path, text)
        return Notebook(tuple(Cell(index, kind, "\n".join(lines), tuple(numbers))
                              for index, (kind, lines, numbers) in enumerate(cells, 1)), "python", kernel)
    if not is_jupytext(text):
        return Notebook((), "python")
    return Notebook(tuple(Cell(index, kind, "\n".join(lines), tuple(numbers))
                          for index, (kind, lines, numbers) in enumerate(jupytext_cells(text), 1)), "python")


def read_notebook(text: str) -> Notebook:
    """The cells of notebook ``text``, read as Jupyter reads them; NotebookError when it is not a readable
    notebook."""
    try:
        document = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                            error.lineno) from None
    except RecursionError:
        raise NotebookError("not readable: JSON nested too deeply") from None
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    starts = _line_starts(text)
    cells = []
    cursor = 0
    for number, raw, kind, key in _cell_sources(document):
        source = raw.get(key, "")
        if isinstance(source, str):
            parts = [source]
        elif isinstance(source, list) and all(isinstance(part, str) for part in source):
            parts = source
        else:
            raise NotebookError(f"not a notebook: the source of cell {number} is not text", _line_of(starts, cursor))
        found = text.find(f'"{key}"', cursor)
        cursor = found if found >= 0 else cursor
        lines: list[int] = []
        line_open = False
        for part in parts:  # a JSON string is one line of the file, whatever newlines it holds
            position = _find_string(text, part, cursor)
            if position >= 0:
                cursor = position
            written = _line_of(starts, cursor)
            pieces = _line_breaks(part).split("\n")
            for index, piece in enumerate(pieces):
                if index > 0:
                    line_open = False  # a newline ended the line
                if not line_open and (piece or index < len(pieces) - 1):
                    lines.append(written)
                    line_open = True
        joined = _line_breaks("".join(parts))
        count = joined.count("\n") + 1
        last = lines[-1] if lines else _line_of(starts, cursor)
        lines = (lines + [last] * count)[:count]
        cells.append(Cell(number, kind, joined, tuple(lines)))
    language, kernel = _kernel(document)
    return Notebook(tuple(cells), language, kernel)


def _bounded_int(digits: str) -> int:
    """A JSON integer; one too long to matter (Python refuses to convert 5,000 digits) reads as -1, as nothing
    the reader uses is such a number."""
    return int(digits) if len(digits) <= 30 else -1


def _line_breaks(source: str) -> str:
    """``source`` with every line break IPython reads (``\\r\\n``, a lone ``\\r``) written ``\\n``."""
    return source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source


_CELL_KINDS = {"text": MARKDOWN, "heading": MARKDOWN}
"""nbformat 1's text cells and nbformat 3's heading cells are Markdown cells to Jupyter today."""


def _cell_sources(document: dict[str, object]) -> Iterator[tuple[int, dict[str, object], str, str]]:
    """``(number, cell, kind, key)`` for the text of each cell Jupyter reads, by the notebook's format version:
    nbformat 4 keeps cells in ``cells`` with their ``source``; nbformat 2 and 3 in ``worksheets[].cells``, code
    as ``input``; nbformat 1 in ``cells``, code as ``code`` and text as ``text``. A notebook that names no
    version is read every way (each text a cell may hold is read), so that no spelling hides code."""
    version = document.get("nbformat")
    if version is None:
        listed = document.get("cells")
        if not isinstance(listed, list) and not isinstance(document.get("worksheets"), list):
            raise NotebookError("not a notebook: no list of cells")
        raw_cells = (listed if isinstance(listed, list) else []) + _worksheet_cells(document, required=False)
        keys: dict[str, tuple[str, ...]] = {CODE: ("source", "input", "code")}
        other: tuple[str, ...] = ("source", "text")
    elif isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= 4:
        raw_cells = _worksheet_cells(document, required=True) if version in (2, 3) else _required_cells(document)
        keys = {CODE: ({1: "code", 2: "input", 3: "input"}.get(version, "source"),)}
        other = ("text",) if version == 1 else ("source",)
    else:
        raise NotebookError(f"not a notebook Jupyter reads: nbformat {str(version)[:20]!r} is not a format version")
    for number, raw in enumerate(raw_cells, 1):
        if not isinstance(raw, dict):
            raise NotebookError(f"not a notebook: cell {number} is not an object")
        kind = str(raw.get("cell_type"))
        kind = _CELL_KINDS.get(kind, kind)
        present = [key for key in keys.get(kind, other) if key in raw]
        for key in present or keys.get(kind, other)[:1]:
            yield number, raw, kind, key


def _required_cells(document: dict[str, object]) -> list[object]:
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: no list of cells")
    return cells


def _worksheet_cells(document: dict[str, object], *, required: bool) -> list[object]:
    worksheets = document.get("worksheets")
    if not isinstance(worksheets, list):
        if required:
            raise NotebookError("not a notebook: no list of worksheets (nbformat 3 keeps its cells there)")
        return []
    found: list[object] = []
    for sheet in worksheets:
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            found += sheet["cells"]
    return found


def _kernel(document: dict[str, object]) -> tuple[str, str]:
    """The language the metadata names and the kernel's name."""
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return "python", ""
    spec = metadata.get("kernelspec")
    kernel = str(spec["name"]) if isinstance(spec, dict) and isinstance(spec.get("name"), str) else ""
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return str(section[field]), kernel
    return "python", kernel


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _line_of(starts: Sequence[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)


def _find_string(text: str, value: str, start: int) -> int:
    """Where the JSON string holding ``value`` is written at or after ``start``; -1 when not found."""
    for ascii_only in (False, True):
        encoded = json.dumps(value, ensure_ascii=ascii_only)
        found = text.find(encoded, start)
        if found >= 0:
            return found
    return -1


def new_cells(notebook: Notebook, bases: Sequence[Notebook]) -> list[Cell]:
    """Cells of ``notebook`` whose source no cell of the same kind in a base version has (all cells when there
    is no base): a markdown cell turned into code keeps its source but is new code."""
    seen = {(cell.kind, _normalised(cell.source)) for base in bases for cell in base.cells}
    return [cell for cell in notebook.cells if (cell.kind, _normalised(cell.source)) not in seen]


def python_bases(notebook: Notebook, bases: Sequence[Notebook]) -> list[Notebook]:
    """The base versions whose cells vouch for ``notebook``'s: none when the notebook runs Python and no base
    did (a kernel flipped from R to ``python3`` turns every code cell into Python the base never ran: all are
    new, as in a new file)."""
    if notebook.is_python and bases and not any(base.is_python for base in bases):
        return []
    return list(bases)


def may_add_code(text: str, base_texts: Sequence[str], path: str = "x.ipynb") -> bool:
    """Whether the notebook ``text`` has a new cell that may import or install anything (True when it cannot
    be read: that is a finding). Cheap enough to decide a change (outputs re-run, cells moved) without the check."""
    try:
        notebook = read_notebook_file(path, text)
    except NotebookError:
        return True
    bases = []
    for base in base_texts:
        try:
            bases.append(read_notebook_file(path, base))
        except NotebookError:
            continue
    bases = python_bases(notebook, bases)
    from hallucheck.sources.dynamic import call_pattern
    from hallucheck.sources.imports import may_import

    fresh = [cell for cell in new_cells(notebook, bases) if cell.kind in (CODE, MARKDOWN)]
    if any(may_install(cell.source) or cell_magic(cell) in WRITEFILE_MAGICS or _may_set_index(cell.source)
           for cell in fresh):  # fmt: skip
        return True
    aliases = notebook_aliases(notebook)  # `%p install x` after `%alias p pip` in another cell
    if aliases and any(_calls_alias(cell, aliases) for cell in fresh if cell.kind == CODE):
        return True
    code = [source for cell in fresh if cell.kind == CODE and (source := python_source(cell)) is not None]
    if not code:
        return False
    calls = call_pattern(notebook_importers(notebook))  # `load = importlib.import_module` in an older cell
    return any(may_import(source, calls) for source in code)


def _may_set_index(source: str) -> bool:
    """Whether ``source`` may set a package-source variable (``%env PIP_INDEX_URL=...``: HC043)."""
    return ("PIP_" in source or "UV_" in source) and bool(index_settings([Cell(0, CODE, source, ())]))


def notebook_importers(notebook: Notebook) -> dict[str, str]:
    """The names that import in the notebook's code cells, bound in any cell (cells share one namespace)."""
    from hallucheck.sources.dynamic import importer_names

    return importer_names("\n".join(
        source for cell in notebook.cells if cell.kind == CODE and (source := python_source(cell)) is not None
    ))  # fmt: skip


def base_lines(bases: Sequence[Notebook], kind: str) -> set[str]:
    """Every stripped line of the base cells of ``kind``: a line one of them holds is not new."""
    return {line.strip() for base in bases for cell in base.cells if cell.kind == kind for line in cell.lines}


def _normalised(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").strip().split("\n"))


def cell_magic(cell: Cell) -> str | None:
    """The cell magic (``bash`` for ``%%bash``; ``python3`` for ``%%script python3``, which runs the cell with
    that program), or None."""
    head = magic_line(cell)
    if head is None:
        return None
    first = cell.lines[head].strip()
    match = re.match(r"^%%([^\s?]+)", first)  # IPython: the name runs to the first blank (`%%!` is `%%sx`)
    if match is None:
        return None
    if match.group(1) == "script":
        program = _script_program(first[match.end():])
        if program is not None and _PYTHON_PROGRAM.fullmatch(program):
            return "python3"
    return match.group(1)


def magic_line(cell: Cell) -> int | None:
    """The 0-based line of the cell magic that decides how the body runs: the first line that is not blank, or,
    after a magic that runs its body as a cell (``%%capture``), the magic the body opens with; None when the cell
    opens with no cell magic."""
    lines = cell.lines
    head = next((index for index, line in enumerate(lines) if line.strip()), None)
    if head is None or not lines[head].lstrip().startswith("%%"):
        return None
    while (match := re.match(r"^%%([^\s?]+)", lines[head].strip())) and match.group(1) in _WRAPPING_CELL_MAGICS:
        following = next((index for index in range(head + 1, len(lines)) if lines[index].strip()), None)
        if following is None or not lines[following].lstrip().startswith("%%"):
            break
        head = following
    return head


_PYTHON_PROGRAM = LazyPattern(r"(?:.*/)?(?:i?python|pypy)[0-9.]*(?:\.exe)?", re.IGNORECASE)
_SCRIPT_OPTIONS_WITH_VALUE = frozenset({"--out", "--err", "--proc"})


def _script_program(arguments: str) -> str | None:
    """The program ``%%script [options] PROGRAM`` runs: its first word that is not an option."""
    words = arguments.split()
    index = 0
    while index < len(words):
        word = words[index]
        if word in _SCRIPT_OPTIONS_WITH_VALUE:
            index += 2
            continue
        if not word.startswith("-"):
            return word.strip("\"'")
        index += 1
    return None


def python_source(cell: Cell) -> str | None:
    """The cell as Python with IPython syntax neutralised, line for line; None when the cell is not Python."""
    magic = cell_magic(cell)
    if magic is not None and magic not in _PYTHON_CELL_MAGICS:
        return _module_source(cell, magic)
    lines = ipython_lines(cell)
    result = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        imported = _extension_imports(line)
        if imported:
            result.append(indent + "import " + ", ".join(imported))
            continue
        if stripped.startswith(("%", "!")) or _HELP.match(line):
            result.append(indent + "pass")
            continue
        assigned = _ASSIGNED_MAGIC.match(line)
        if assigned is not None:
            result.append(assigned.group("target") + "None")
            continue
        result.append(line)
    return "\n".join(result)


def _module_source(cell: Cell, magic: str) -> str | None:
    """The Python a cell writes or compiles as a module, line for line (the magic's line ``pass``): the body of a
    ``%%writefile NAME.py`` cell (a later cell imports or runs it) and of a ``%%cython`` cell (compiled and
    imported at once; read as :func:`.cython.cython_view` reads a ``.pyx``); None for another cell."""
    written = written_file(cell) if magic in WRITEFILE_MAGICS else None
    if written is not None:
        path, head = written
        if path.strip("'\"").lower().endswith(_MODULE_SUFFIXES):
            return "\n" * head + "pass\n" + "\n".join(cell.lines[head + 1:])
        if not path.strip("'\"").lower().endswith(".pyx"):
            return None
    elif magic != "cython":
        return None
    from hallucheck.sources.cython import cython_view

    head = magic_line(cell) or 0
    return "\n" * head + "pass\n" + cython_view("\n".join(cell.lines[head + 1:]))[0]


def ipython_lines(cell: Cell, aliases: dict[str, str] | None = None) -> list[str]:
    """The lines of a code cell as IPython's dynamic transforms leave them: a one-line cell that is not Python
    and starts with the name of a line magic that runs or imports code, or of one of ``aliases``, calls it
    (automagic: ``pip install x`` is ``%pip install x``)."""
    lines = _automagic(cell.lines, aliases)
    head = next((index for index, line in enumerate(lines) if line.strip()), 0)  # IPython drops blank lines
    return [statement_run(line, first=index == head) if "%" in line else line
            for index, line in enumerate(lines)]  # fmt: skip


def _automagic(lines: list[str], aliases: dict[str, str] | None) -> list[str]:
    written = [index for index, line in enumerate(lines) if line.strip()]
    if len(written) != 1:
        return lines
    line = lines[written[0]]
    stripped = line.lstrip()
    name = stripped.split(None, 1)[0] if stripped else ""
    if name not in _AUTOMAGIC and (aliases is None or name not in aliases):
        return lines
    rest = stripped[len(name):]
    if rest[:1] not in ("", " ", "\t") or rest.lstrip()[:1] in ("=", ",", "(", ".", "["):
        return lines  # `pip = 1`, `run(x)`: Python, not a magic
    try:
        compile(stripped, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return [*lines[:written[0]], line[: len(line) - len(stripped)] + "%" + stripped, *lines[written[0] + 1:]]
    return lines


def statement_run(line: str, first: bool = False) -> str:
    """``line`` with the line magics that run the statement after them (``%time``, ``%timeit -n1``, ``x =
    %timeit -o``, ``%prun -s time``, ``%debug``, nested: ``%time %time``) replaced by that statement, at the
    line's indent: ``%time import x`` runs ``import x``, ``%time !pip install x`` runs ``!pip install x``. On
    a cell's ``first`` line, also the statement a ``%%timeit``/``%%prun``/``%%debug`` cell magic runs."""
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    assigned = _ASSIGNED_MAGIC.match(line)
    position = assigned.end() - 1 if assigned is not None else len(indent)
    moved = False
    while (match := _STATEMENT_MAGIC.match(line, position)) is not None:
        if match.group("cell") and not (first and not moved and match.group("magic") in _CELL_STATEMENT_MAGICS):
            break
        position, moved = _after_options(line, match.end(), _STATEMENT_OPTIONS[match.group("magic")]), True
    return indent + line[position:] if moved else line


def _after_options(line: str, position: int, spec: str) -> int:
    """Where the statement starts after the getopt-style options (``spec``) at ``position`` of ``line``."""
    end = len(line)

    def word_end(start: int) -> int:
        while start < end and not line[start].isspace():
            start += 1
        return start

    def blank_end(start: int) -> int:
        while start < end and line[start].isspace():
            start += 1
        return start

    position = blank_end(position)
    while position < end and line[position] == "-":
        stop = word_end(position)
        word = line[position:stop]
        position = blank_end(stop)
        if word == "--":
            break
        if word.startswith("--"):
            if "=" not in word and _STATEMENT_LONG_OPTIONS.get(word[2:], False):
                position = blank_end(word_end(position))  # the option's value is the next word
            continue
        for index, letter in enumerate(word[1:], 1):
            if spec.find(letter + ":") >= 0:
                if index == len(word) - 1:
                    position = blank_end(word_end(position))  # `-n 10`: the value is the next word
                break
    return position


def _extension_imports(line: str) -> list[str]:
    """The modules a ``%load_ext``/``%reload_ext`` (an IPython extension), ``%aimport`` (autoreload) or
    ``%run -m`` line imports: what IPython imports by name, as ``import`` would."""
    match = _EXTENSION.match(line)
    if match is None:
        return []
    magic, arguments = match.group("magic"), match.group("arguments")
    if magic == "run":
        words = arguments.split()
        if "-m" not in words or words.index("-m") + 1 >= len(words):
            return []
        arguments = words[words.index("-m") + 1]
        if may_install(arguments):
            return []  # `%run -m pip install x` is read as the install command it is
    if magic == "aimport":
        names = [name.strip() for name in arguments.split(",")]
        return [name for name in names if _DOTTED.fullmatch(name)]  # `-name` excludes: no import
    if not _DOTTED.fullmatch(arguments) or arguments in _BUILTIN_EXTENSIONS:
        return []
    return [arguments]


def notebook_aliases(notebook: Notebook) -> dict[str, str]:
    """The shell aliases the code cells define (``%alias NAME COMMAND``, in any cell: they share one shell)."""
    aliases: dict[str, str] = {}
    for cell in notebook.cells:
        if cell.kind != CODE or "alias" not in cell.source:
            continue
        for line in ipython_lines(cell):
            match = _ALIAS.match(line)
            if match is not None:
                aliases[match.group("name")] = match.group("command")
    return aliases


def alias_command(command: str, rest: str) -> str:
    """The shell command IPython runs for an alias of ``command`` called with ``rest``
    (``IPython/core/alias.py``): ``%l`` is the whole of ``rest``, each ``%s`` its next word, the remaining words
    follow."""
    if "%l" in command:
        return command.replace("%l", rest)
    count = command.count("%s") - command.count("%%s")
    if count <= 0:
        return f"{command.replace('%%s', '%s')} {rest}"
    words = rest.split(None, count)
    if len(words) < count:
        words += [""] * (count - len(words))  # IPython refuses to run it
    parts = command.replace("%%s", "\x00").split("%s")
    filled = "".join(part + (words[index] if index < count else "") for index, part in enumerate(parts))
    return f"{filled.replace(chr(0), '%s')} {' '.join(words[count:])}"


def written_file(cell: Cell) -> tuple[str, int] | None:
    """``(path, line)`` of a ``%%writefile [-a] PATH`` cell (``%%file``), ``line`` the 0-based line of the magic
    (IPython drops the blank lines before it); None for another cell."""
    import shlex

    if cell_magic(cell) not in WRITEFILE_MAGICS:
        return None
    lines = cell.lines
    head = magic_line(cell) or 0
    arguments = lines[head].strip().split(None, 1)[1:]
    try:
        words = shlex.split(arguments[0]) if arguments else []
    except ValueError:
        words = arguments[0].split()
    paths = [word for word in words if word not in ("-a", "--append")]
    return (paths[0], head) if paths else None


def shell_lines(cell: Cell, aliases: dict[str, str] | None = None) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of each line the cell runs in a shell or through an installer magic; a call of one of
    ``aliases`` (``%p install x`` after ``%alias p pip``) as the command it runs (``!pip install x``)."""
    from hallucheck.sources.ipython import scan

    magic = cell_magic(cell)
    shell = magic in SHELL_CELL_MAGICS
    body = (magic_line(cell) or 0) + 1
    depth, quote = 0, ""
    lines = ipython_lines(cell, aliases) if magic is None or magic in _PYTHON_CELL_MAGICS else cell.lines
    if aliases and magic is None:
        lines = [_alias_called(line, aliases) for line in lines]
    for number, line in enumerate(lines, 1):
        inside = depth > 0 or bool(quote)  # a line in brackets or in a string is no escape (IPython reads tokens)
        stripped = line.strip()
        if not shell and (inside or not stripped.startswith(("!", "%"))):
            depth, quote = scan(line, depth, quote)
        if not stripped or stripped.startswith("%%") or (inside and not shell):
            continue
        if (shell and number > body) or stripped.startswith(("!", "%")):
            yield number, line
        else:
            assigned = _ASSIGNED_MAGIC.match(line)
            if assigned is not None:
                yield number, line[assigned.end() - 1:]


def index_settings(cells: Sequence[Cell]) -> list[tuple[Cell, IndexSetting]]:
    """The package-source environment variables the code ``cells`` set for the installs the kernel runs later
    (``%env PIP_INDEX_URL=...``, ``!PIP_INDEX_URL=... pip install``, ``os.environ["PIP_INDEX_URL"] = ...``,
    a ``%%bash`` cell's ``export``), each with the cell's own line."""
    from hallucheck.sources.index_settings import code_environment_settings, environment_settings

    found: list[tuple[Cell, IndexSetting]] = []
    for cell in cells:
        if cell.kind != CODE or ("PIP_" not in cell.source and "UV_" not in cell.source):
            continue
        settings = [replace(setting, line=number) for number, line in shell_lines(cell)
                    for setting in environment_settings(line)]  # fmt: skip
        source = python_source(cell)
        settings += code_environment_settings(source) if source is not None else []
        found += [(cell, setting) for setting in sorted(settings, key=lambda setting: setting.line)]
    return found


def _calls_alias(cell: Cell, aliases: dict[str, str]) -> bool:
    return any(_alias_called(line, aliases) != line for line in ipython_lines(cell, aliases))


def _alias_called(line: str, aliases: dict[str, str]) -> str:
    """``line`` with a call of an alias (``%p install x``, also after ``x = ``) written as the command it runs."""
    assigned = _ASSIGNED_MAGIC.match(line)
    head = line[: assigned.end() - 1] if assigned is not None else line[: len(line) - len(line.lstrip())]
    stripped = line[len(head):]
    if not stripped.startswith("%") or stripped.startswith("%%"):
        return line
    name, _, rest = stripped[1:].partition(" ")
    if name not in aliases:
        return line
    return head + "!" + alias_command(aliases[name], rest.strip())
