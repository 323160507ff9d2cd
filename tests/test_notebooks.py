"""Notebooks read as JSON: cells, the file lines they are written on, IPython syntax, base comparison."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hallucheck.sources.notebooks import (
    NotebookError,
    cell_magic,
    new_cells,
    python_source,
    read_notebook,
    shell_lines,
)


def code(*lines: str, outputs: list[Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": outputs or [],
            "source": list(lines)}  # fmt: skip


def markdown(*lines: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": list(lines)}


def notebook(*cells: dict[str, Any], language: str = "python") -> str:
    document = {"cells": list(cells), "metadata": {"kernelspec": {"language": language, "name": "k"}},
                "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def test_cells_and_the_json_lines_of_their_source() -> None:
    text = notebook(
        markdown("# Title\n", "Run `pip install x`"),
        code("import os\n", "from huggingface_cli import login\n", "x = 1",
             outputs=[{"output_type": "stream", "name": "stdout", "text": ["from huggingface_cli import login\n"]}]),
    )  # fmt: skip
    parsed = read_notebook(text)
    lines = text.split("\n")
    first, second = parsed.cells
    assert (first.number, first.kind, second.number, second.kind) == (1, "markdown", 2, "code")
    assert second.source == "import os\nfrom huggingface_cli import login\nx = 1"
    for cell in parsed.cells:
        for number, line in enumerate(cell.lines, 1):
            assert json.dumps(line, ensure_ascii=False)[1:-1] in lines[cell.json_line(number) - 1]
    assert parsed.is_python


def test_source_as_one_string_and_nbformat_3() -> None:
    text = json.dumps({"cells": [{"cell_type": "code", "source": "import a\nimport b\n"}]})
    [cell] = read_notebook(text).cells
    assert cell.lines == ["import a", "import b", ""] and cell.json_line(2) == 1
    old = json.dumps({"worksheets": [{"cells": [{"cell_type": "code", "input": ["import c\n"]}]}], "nbformat": 3})
    assert read_notebook(old).cells[0].source == "import c\n"


def test_the_kernel_name_decides_the_language() -> None:
    def kernel(name: str, language: str) -> Any:
        text = notebook(code("library(x)"), language=language)
        return read_notebook(text.replace('"name": "k"', f'"name": "{name}"'))

    assert not kernel("ir", "R").is_python and not kernel("julia-1.10", "julia").is_python
    assert kernel("python3", "R").is_python  # the metadata's language is informational: the kernel runs Python
    assert kernel("venv-project", "R").is_python and not kernel("venv-project", "R").says_python  # unsure: check
    assert kernel("python3", "python").says_python


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ('{\n "cells": [\n', "not valid JSON", 3),
        ("[1, 2]", "not an object", 1),
        ('{"cells": 3}', "no list of cells", 1),
        ('{"cells": [3]}', "cell 1 is not an object", 1),
        ('{"cells": [{"cell_type": "code", "source": 3}]}', "not text", 1),
        ("[" * 100_000, "nested too deeply", 1),
        ("", "not valid JSON", 1),
    ],
)
def test_unreadable_notebooks_are_errors_with_a_line(text: str, fragment: str, line: int) -> None:
    with pytest.raises(NotebookError) as raised:
        read_notebook(text)
    assert fragment in raised.value.message and raised.value.line == line


def test_ipython_syntax_is_neutralised_line_for_line() -> None:
    cell = read_notebook(notebook(code("%pip install -q a\n", "import os\n", "files = !ls\n", "os?\n",
                                       "  !echo hi\n", "%time import json"))).cells[0]  # fmt: skip
    # `%time import json` runs `import json` (attack C5): a Python line, not a shell one
    assert python_source(cell) == "pass\nimport os\nfiles = None\npass\n  pass\nimport json"
    assert list(shell_lines(cell)) == [(1, "%pip install -q a"), (3, "!ls"), (5, "  !echo hi")]


def test_cell_magics() -> None:
    bash, timed = read_notebook(notebook(code("%%bash\n", "pip install b\n"), code("%%time\n", "import t"))).cells
    assert cell_magic(bash) == "bash" and python_source(bash) is None
    assert list(shell_lines(bash)) == [(2, "pip install b")]
    assert python_source(timed) == "pass\nimport t"


def test_new_cells_ignore_moved_cells_and_changed_outputs() -> None:
    base = read_notebook(notebook(code("import a\n"), code("import b", outputs=[{"output_type": "stream",
                                                                                 "text": ["1"]}])))  # fmt: skip
    moved = read_notebook(notebook(code("import b", outputs=[{"output_type": "stream", "text": ["2"]}]),
                                   code("import a\n"), code("import c")))  # fmt: skip
    assert [cell.source for cell in new_cells(moved, [base])] == ["import c"]
    assert len(new_cells(moved, [])) == 3


@given(st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=20), max_size=4),
                max_size=4))
def test_property_every_line_maps_into_the_file(cells: list[list[str]]) -> None:
    text = notebook(*(code(*(line + "\n" for line in lines)) for lines in cells))
    parsed = read_notebook(text)
    total = text.count("\n") + 1
    assert len(parsed.cells) == len(cells)
    for cell in parsed.cells:
        assert len(cell.json_lines) == len(cell.lines)
        assert all(1 <= line <= total for line in cell.json_lines)
