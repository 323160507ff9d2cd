"""Jupytext-paired scripts: the ``.py`` twin of a notebook, read for the IPython lines it holds as comments.

Jupytext (``jupytext --sync``, its Jupyter contents manager) writes a notebook as a script in the ``percent``
(``# %%`` cells) or ``light`` (``# +``/``# -``) format, with every magic and shell escape commented out
(``# !pip install x``, ``# %pip install x``, ``# x = !cmd``), and restores them when it writes the notebook
back: ``jupytext --sync``, or opening the script in Jupyter, makes ``# !pip install x`` a cell that runs
``!pip install x``. A script is such a twin when it starts with Jupytext's YAML header (``# ---`` ...
``#   jupytext:`` ... ``# ---``).

:func:`jupytext_cells` gives, per cell, the lines the notebook would run that the script does not: each
commented magic once uncommented (Jupytext's ``is_magic``/``unesc``, ``jupytext/magics.py``), the other lines
blank, so that what the script runs as Python is read once, as Python. A cell that Jupytext wrote for another
language (``%%bash``, ``language="bash"``) is that language's lines whole. Pure: text in, cells out.
"""

from __future__ import annotations

import re

from hallucheck.lazy import LazyPattern

_HEADER_LIMIT = 200
"""Lines read for the header: Jupytext writes it first (after a shebang or a coding cookie)."""
_MAGIC = LazyPattern(r"(?:%{1,3}[A-Za-z]|[!?]\s*[A-Za-z.~$\\/{}]|[A-Za-z_][A-Za-z_$0-9]*\s*=\s*(?:%{1,3}|!)[A-Za-z])")
"""The start of a line Jupytext treats as a magic (``_MAGIC_RE``, ``_PYTHON_HELP_OR_BASH_CMD``,
``_PYTHON_MAGIC_ASSIGN``), once its comment is taken off."""
_PERCENT = LazyPattern(r"^\s*#\s?%%(?:\s|$)")
_LIGHT = LazyPattern(r"^#\s?[+-](?:\s|$)")
_SHELL_LANGUAGE = LazyPattern(r"""language\s*=\s*["']?(?:bash|sh|zsh|script|system|sx|shell)\b""")
_SHELL_MAGIC = LazyPattern(r"^%%(?:bash|sh|zsh|script|system|sx|shell|!|writefile|file)(?:\s|$)")
MARKDOWN_CELL = LazyPattern(r"\[(?:markdown|md)\]")


def is_jupytext(text: str) -> bool:
    """Whether ``text`` starts with Jupytext's header (a ``# ---`` YAML block naming ``jupytext:``)."""
    if "jupytext" not in text[:20_000]:
        return False
    lines = text.split("\n", _HEADER_LIMIT)[:_HEADER_LIMIT]
    start = next((index for index, line in enumerate(lines) if line.strip() == "# ---"), None)
    if start is None or any(not line.startswith("#") and line.strip() for line in lines[:start]):
        return False
    for line in lines[start + 1:]:
        if line.strip() == "# ---" or not line.startswith("#"):
            return False
        if line.strip("# \t").startswith("jupytext:"):
            return True
    return False


def jupytext_cells(text: str) -> list[tuple[str, list[str], list[int]]]:
    """``(kind, lines, file lines)`` of each cell of a Jupytext script: ``code`` cells hold the lines the
    notebook runs that the script holds as comments (uncommented), ``""`` for every other line; ``markdown``
    cells (``# %% [markdown]``) their text uncommented."""
    from hallucheck.sources.ipython import scan

    cells: list[tuple[str, list[str], list[int]]] = []
    lines: list[str] = []
    numbers: list[int] = []
    kind, shell = "code", False
    quote, started = "", False  # started: the cell has a line the notebook runs (a cell magic comes first)
    for number, line in enumerate(text.split("\n"), 1):
        marker = not quote and (_PERCENT.match(line) is not None or _LIGHT.match(line) is not None)
        if marker:
            if lines:
                cells.append((kind, lines, numbers))
            kind = "markdown" if MARKDOWN_CELL.search(line) else "code"
            shell = _SHELL_LANGUAGE.search(line) is not None
            lines, numbers, started = ["%%bash" if shell else ""], [number], shell
            continue
        uncommented = _uncommented(line)
        if quote:
            lines.append("")
        elif kind == "markdown" or shell:
            lines.append(uncommented)
        elif _MAGIC.match(uncommented) and not uncommented.startswith("#"):
            lines.append(uncommented)
            shell = shell or (_SHELL_MAGIC.match(uncommented) is not None and not started)
            started = True
        else:
            lines.append("")
            started = started or bool(line.strip() and not line.lstrip().startswith("#"))
        numbers.append(number)
        _, quote = scan(line, 0, quote)
    if lines:
        cells.append((kind, lines, numbers))
    return cells


def _uncommented(line: str) -> str:
    """``line`` with one comment level taken off (Jupytext's ``unesc``), and its indent: the magic runs as the
    cell's line."""
    stripped = line.lstrip()
    if stripped.startswith("# "):
        return stripped[2:].lstrip()
    if stripped.startswith("#"):
        return stripped[1:].lstrip()
    return stripped


# Notebooks written as Markdown: Jupytext's Markdown and MyST formats, Quarto (``.qmd``) and R Markdown (``.Rmd``).

TEXT_NOTEBOOK_SUFFIXES = (".md", ".markdown", ".myst", ".qmd", ".rmd")
_FENCE = LazyPattern(r"(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*")
_CHUNK = LazyPattern(r"\{\s*python(?=[\s,}])", re.IGNORECASE)
"""A Quarto or R Markdown chunk that Python runs (``{python}``, ``{python echo=FALSE}``, ``{python, x}``)."""
_CODE_CELL = LazyPattern(r"\{code-cell\}\s*(?P<language>\S*)")
_CELL_OPTION = LazyPattern(r"\s*:[\w-]+:(?:\s|$)")
_PYTHON_LANGUAGES = frozenset({"python", "python3", "ipython", "ipython3", "py", "python2", "ipython2"})
_KERNEL_NAME = LazyPattern(r"(?m)^\s*kernelspec:\s*\n(?:\s+\S.*\n)*?\s+name:\s*['\"]?(?P<name>[^\s'\"]+)")


def is_text_notebook(path: str, text: str) -> bool:
    """Whether ``text`` at ``path`` is a notebook written as Markdown whose code cells a kernel runs: a Quarto or R
    Markdown document with a ``{python}`` chunk, or a Markdown (MyST) file whose front matter names Jupytext or a
    kernel (``jupyter:``/``jupytext:``/``kernelspec:``: Jupytext, Jupyter Book and MyST-NB execute it)."""
    lowered = path.lower()
    if not lowered.endswith(TEXT_NOTEBOOK_SUFFIXES):
        return False
    if lowered.endswith((".qmd", ".rmd")):
        return "python" in text.lower() and _CHUNK.search(text) is not None
    header = _front_matter(text)
    return header is not None and any(key in header for key in ("jupytext:", "kernelspec:", "jupyter:"))


def text_notebook(path: str, text: str) -> tuple[list[tuple[str, list[str], list[int]]], str]:
    """``(cells, kernel)``: the code cells a Python kernel runs in a notebook written as Markdown (``(kind,
    lines, file lines)``, as :func:`jupytext_cells`) and the kernel its front matter names (empty: none)."""
    quarto = path.lower().endswith((".qmd", ".rmd"))
    header = _front_matter(text) or ""
    match = _KERNEL_NAME.search(header + "\n")
    kernel = match.group("name") if match is not None and not quarto else ""
    cells: list[tuple[str, list[str], list[int]]] = []
    physical = text.split("\n")
    index = 0
    while index < len(physical):
        opened = _FENCE.fullmatch(physical[index])
        index += 1
        if opened is None:
            continue
        fence, info = opened.group("fence"), opened.group("info")
        body: list[str] = []
        numbers: list[int] = []
        while index < len(physical):
            closing = _FENCE.fullmatch(physical[index])
            if closing is not None and not closing.group("info") and closing.group("fence")[0] == fence[0] and len(
                    closing.group("fence")) >= len(fence):
                break
            body.append(physical[index])
            numbers.append(index + 1)
            index += 1
        index += 1
        if _runs_python(info, quarto):
            cells.append(("code", _without_cell_options(body, info) or [""], numbers or [index]))
    return cells, kernel


def _without_cell_options(body: list[str], info: str) -> list[str]:
    """A MyST code cell's body with its options blanked (``:tags: [remove-cell]`` lines at the top, or a leading
    ``---`` YAML block): they configure the cell, and Python would not parse them (attack H27)."""
    if _CODE_CELL.match(info) is None or not body:
        return body
    if body[0].strip() == "---":
        end = next((index for index in range(1, len(body)) if body[index].strip() == "---"), None)
        return body if end is None else [""] * (end + 1) + body[end + 1:]
    count = next((index for index, line in enumerate(body) if not _CELL_OPTION.match(line)), len(body))
    return [""] * count + body[count:]


def _runs_python(info: str, quarto: bool) -> bool:
    """Whether a fence whose info string is ``info`` is a code cell a Python kernel runs."""
    if quarto:
        return _CHUNK.match(info) is not None
    cell = _CODE_CELL.match(info)
    if cell is not None:  # MyST: `{code-cell} ipython3`; without a language, the kernel's
        return not cell.group("language") or cell.group("language").lower() in _PYTHON_LANGUAGES
    words = info.split()
    return bool(words) and words[0].lower() in _PYTHON_LANGUAGES


def _front_matter(text: str) -> str | None:
    """The YAML front matter that opens ``text`` (between ``---`` lines), or None."""
    lines = text.lstrip("\ufeff").split("\n", _HEADER_LIMIT)[:_HEADER_LIMIT]
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number])
    return None
