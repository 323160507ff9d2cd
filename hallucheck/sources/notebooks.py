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
from dataclasses import dataclass

from hallucheck.sources.install_commands import MAY_INSTALL

CODE, MARKDOWN = "code", "markdown"
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3"})
_SHELL_CELL_MAGICS = frozenset({"bash", "sh", "script", "system"})
_ASSIGNED_MAGIC = re.compile(r"^(?P<target>\s*[\w.\[\], ]+?\s*=\s*)[!%]")
_HELP = re.compile(r"^\s*(?:\?\??[\w.]+|[\w.]+\?\??)\s*$")


class NotebookError(Exception):
    """The notebook is not valid JSON, or not shaped like a notebook."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Notebook:
    cells: tuple[Cell, ...]
    language: str
    """The kernel's language (``python`` when the notebook does not say)."""

    @property
    def is_python(self) -> bool:
        return self.language.lower() in ("python", "python3", "ipython", "ipython3", "")


def read_notebook(text: str) -> Notebook:
    """The cells of notebook ``text``; NotebookError when it is not a readable notebook."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                            error.lineno) from None
    except RecursionError:
        raise NotebookError("not readable: JSON nested too deeply") from None
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    raw_cells, source_key = _raw_cells(document)
    starts = _line_starts(text)
    cells = []
    cursor = 0
    for number, raw in enumerate(raw_cells, 1):
        if not isinstance(raw, dict):
            raise NotebookError(f"not a notebook: cell {number} is not an object")
        kind = raw.get("cell_type")
        key = source_key if kind == CODE else "source"
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
            pieces = part.split("\n")
            for index, piece in enumerate(pieces):
                if index > 0:
                    line_open = False  # a newline ended the line
                if not line_open and (piece or index < len(pieces) - 1):
                    lines.append(written)
                    line_open = True
        joined = "".join(parts)
        count = joined.count("\n") + 1
        last = lines[-1] if lines else _line_of(starts, cursor)
        lines = (lines + [last] * count)[:count]
        cells.append(Cell(number, str(kind), joined, tuple(lines)))
    return Notebook(tuple(cells), _language(document))


def _raw_cells(document: dict[str, object]) -> tuple[list[object], str]:
    cells = document.get("cells")
    if isinstance(cells, list):
        return cells, "source"
    worksheets = document.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list):
        found: list[object] = []
        for sheet in worksheets:
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                found += sheet["cells"]
        return found, "input"
    raise NotebookError("not a notebook: no list of cells")


def _language(document: dict[str, object]) -> str:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return "python"
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return str(section[field])
    return "python"


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


def may_add_code(text: str, base_texts: Sequence[str]) -> bool:
    """Whether the notebook ``text`` has a new cell that may import or install anything (True when it cannot
    be read: that is a finding). Cheap enough to decide a change (outputs re-run, cells moved) without the check."""
    try:
        notebook = read_notebook(text)
    except NotebookError:
        return True
    bases = []
    for base in base_texts:
        try:
            bases.append(read_notebook(base))
        except NotebookError:
            continue
    return any(
        "import" in cell.source or "__import__" in cell.source or MAY_INSTALL.search(cell.source)
        for cell in new_cells(notebook, bases)
        if cell.kind in (CODE, MARKDOWN)
    )


def base_lines(bases: Sequence[Notebook], kind: str) -> set[str]:
    """Every stripped line of the base cells of ``kind``: a line one of them holds is not new."""
    return {line.strip() for base in bases for cell in base.cells if cell.kind == kind for line in cell.lines}


def _normalised(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").strip().split("\n"))


def cell_magic(cell: Cell) -> str | None:
    """The cell magic (``bash`` for ``%%bash``), or None."""
    first = cell.source.lstrip().split("\n", 1)[0].strip()
    match = re.match(r"^%%(\w+)", first)
    return match.group(1) if match else None


def python_source(cell: Cell) -> str | None:
    """The cell as Python with IPython syntax neutralised, line for line; None when the cell is not Python."""
    magic = cell_magic(cell)
    if magic is not None and magic not in _PYTHON_CELL_MAGICS:
        return None
    lines = cell.lines
    result = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")) or _HELP.match(line):
            result.append(indent + "pass")
            continue
        assigned = _ASSIGNED_MAGIC.match(line)
        if assigned is not None:
            result.append(assigned.group("target") + "None")
            continue
        result.append(line)
    return "\n".join(result)


def shell_lines(cell: Cell) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of each line the cell runs in a shell or through an installer magic."""
    magic = cell_magic(cell)
    shell = magic in _SHELL_CELL_MAGICS
    for number, line in enumerate(cell.lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("%%"):
            continue
        if (shell and number > 1) or stripped.startswith(("!", "%")):
            yield number, line
        else:
            assigned = _ASSIGNED_MAGIC.match(line)
            if assigned is not None:
                yield number, line[assigned.end() - 1:]
