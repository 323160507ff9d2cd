"""Notebooks are read as Jupyter reads them (issue 21, part 5): every format version, the kernel that runs them,
IPython's line breaks and cell magics, importers bound in another cell, and metadata that is hostile."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.imports import new_imports
from hallucheck.sources.notebooks import CODE, NotebookError, python_source, read_notebook
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\n'


def _document(sources: list[str], version: int | None = 4, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """A notebook of code cells in the shape of nbformat ``version`` (None: no version named)."""
    if version in (2, 3):
        cells = [{"cell_type": "code", "input": source, "language": "python", "outputs": []} for source in sources]
        return {"worksheets": [{"cells": cells}], "metadata": metadata or {}, "nbformat": version, "nbformat_minor": 0}
    key = "code" if version == 1 else "source"
    document: dict[str, Any] = {"cells": [{"cell_type": "code", key: source, "outputs": []} for source in sources],
                                "metadata": metadata or {}}  # fmt: skip
    if version is not None:
        document["nbformat"] = version
    return document


def _codes(repo: Repo, run: Any, notebook: str, base: str | None = None) -> list[str]:
    repo.commit({"pyproject.toml": PYPROJECT, **({"nb.ipynb": base} if base else {})})
    repo.stage({"nb.ipynb": notebook})
    return sorted(run().codes())


@pytest.mark.parametrize("version", [1, 2, 3, 4, None])
def test_every_format_version_is_read(repo: Repo, run: Any, version: int | None) -> None:
    assert "HC001" in _codes(repo, run, json.dumps(_document(["import fakepkg_zz\n"], version), indent=1))


def test_the_cells_jupyter_reads_are_those_of_the_stated_version(repo: Repo, run: Any) -> None:
    # nbformat 3 keeps its cells in worksheets: an empty top-level list of cells hides nothing.
    document = _document(["import fakepkg_zz\n"], 3)
    document["cells"] = []
    assert "HC001" in _codes(repo, run, json.dumps(document))


def test_a_version_jupyter_cannot_read_is_a_finding(repo: Repo, run: Any) -> None:
    assert "HC041" in _codes(repo, run, json.dumps(_document(["import fakepkg_zz\n"], 5)))


def test_the_kernel_name_decides_not_the_stated_language(repo: Repo, run: Any) -> None:
    metadata = {"kernelspec": {"name": "python3", "language": "R", "display_name": "R"},
                "language_info": {"name": "R"}}  # fmt: skip
    assert "HC001" in _codes(repo, run, json.dumps(_document(["import fakepkg_zz\n"], 4, metadata)))


def test_an_r_notebook_is_not_read_as_python(repo: Repo, run: Any) -> None:
    metadata = {"kernelspec": {"name": "ir", "language": "R"}}
    assert _codes(repo, run, json.dumps(_document(["import(fakepkg)\nlibrary(x)\n"], 4, metadata))) == []


@pytest.mark.parametrize("break_", ["\r", "\r\n"])
def test_ipython_line_breaks(repo: Repo, run: Any, break_: str) -> None:
    assert "HC001" in _codes(repo, run, json.dumps(_document([f"# note{break_}import fakepkg_zz\n"])))


@pytest.mark.parametrize("magic", ["%%script python3", "%%script --bg /usr/bin/python3.12", "%%script pypy"])
def test_a_script_cell_run_by_python_is_python(repo: Repo, run: Any, magic: str) -> None:
    assert "HC001" in _codes(repo, run, json.dumps(_document([f"{magic}\nimport fakepkg_zz\n"])))


def test_a_requirements_file_git_holds_is_no_unknown(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n", "docs/requirements.txt": "requests\n"})
    for cell in ("%pip install -r requirements.txt", "!pip install -r ./requirements.txt"):
        assert "HC042" not in _codes(repo, run, json.dumps(_document([cell])))
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"docs/nb.ipynb": json.dumps(_document(["%pip install -r requirements.txt"]))})  # beside it
    assert "HC042" not in run().codes()


def test_a_kernel_flipped_to_python_makes_every_cell_new(repo: Repo, run: Any) -> None:
    # Attack E16: the cells' text is unchanged, but the change is what runs them as Python.
    cells = ["import fakepkg_zz\n!pip install huggingface-cli\n"]
    r_kernel = {"kernelspec": {"name": "ir", "language": "R"}, "language_info": {"name": "R"}}
    python = {"kernelspec": {"name": "python3", "language": "python"}, "language_info": {"name": "python"}}
    base, flipped = json.dumps(_document(cells, 4, r_kernel)), json.dumps(_document(cells, 4, python))
    assert {"HC001", "HC031"} <= set(_codes(repo, run, flipped, base))
    base_commit = repo.git("rev-parse", "HEAD").strip()
    repo.commit()
    assert {"HC001", "HC031"} <= set(run("--from-ref", base_commit, "--to-ref", "HEAD").codes())
    repo.stage({"nb.ipynb": json.dumps(_document([*cells, "x = 1\n"], 4, python))})
    assert "HC001" not in run().codes()  # python before and after: only new cells count


def test_importers_bound_in_another_cell(repo: Repo, run: Any) -> None:
    first = "import importlib, runpy\nload = importlib.import_module\n"
    base = json.dumps(_document([first]), indent=1)
    added = json.dumps(_document([first, "load('fakepkg_zz')\n", "runpy.run_module('fakepkg_yy')\n"]), indent=1)
    codes = _codes(repo, run, added, base)
    assert codes.count("HC001") == 2


@pytest.mark.parametrize("where", ["metadata", "execution_count", "nbformat_minor"])
def test_a_huge_integer_is_harmless(repo: Repo, run: Any, where: str) -> None:
    big = "1" + "0" * 5000
    text = json.dumps(_document(["import fakepkg_zz\n"]), indent=1)
    if where == "metadata":
        text = text.replace('"metadata": {}', f'"metadata": {{"x": {big}}}', 1)
    elif where == "execution_count":
        text = text.replace('"outputs": []', f'"outputs": [], "execution_count": {big}', 1)
    else:
        text = text.replace('"nbformat": 4', f'"nbformat": 4, "nbformat_minor": {big}', 1)
    assert "HC001" in _codes(repo, run, text)


def test_a_huge_version_number_is_a_finding() -> None:
    with pytest.raises(NotebookError):
        read_notebook('{"cells": [], "nbformat": 1' + "0" * 5000 + "}")


# --- Property: whatever the format, the line breaks and the kernel, the import the kernel runs is found ------

_PYTHON_KERNELS = ("python3", "python2", "xpython", "conda-env-x-py", "venv-project", "")


@settings(max_examples=150, deadline=None)
@given(
    version=st.sampled_from([1, 2, 3, 4, None]),
    breaks=st.lists(st.sampled_from(["\n", "\r", "\r\n"]), min_size=2, max_size=2),
    as_list=st.booleans(),
    kernel=st.sampled_from(_PYTHON_KERNELS),
    language=st.sampled_from(["python", "R", "julia", ""]),
    before=st.integers(0, 3),
    magic=st.sampled_from(["", "%%time", "%%capture", "%%script python3", "%%python"]),
)
def test_the_import_a_python_kernel_runs_is_found(
    version: int | None, breaks: list[str], as_list: bool, kernel: str, language: str, before: int, magic: str
) -> None:
    lines = ([magic] if magic else []) + ["# a comment"] * before + ["import fakepkg_zz", "x = 1"]
    text = "".join(line + breaks[index % 2] for index, line in enumerate(lines))
    source: Any = text.splitlines(keepends=True) if as_list else text
    metadata = {"kernelspec": {"name": kernel, "language": language}} if kernel else {}
    notebook = read_notebook(json.dumps(_document(["x = 0\n", source], version, metadata), indent=1))
    assert notebook.is_python
    found = set()
    for cell in notebook.cells:
        code = python_source(cell) if cell.kind == CODE else None
        if code is not None:
            found |= {item.module for item in new_imports(code, set(range(1, code.count("\n") + 2)), []).imports}
    assert "fakepkg_zz" in found


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        (["%%!\npip install huggingface-cli"], "HC031"),  # `%%!` is `%%sx`
        (["%%sx\npip install huggingface-cli"], "HC031"),
        (["%%script bash\npip install huggingface-cli"], "HC031"),
        (["%%capture\n%pip install huggingface-cli"], "HC031"),
        (["%uv pip install huggingface-cli"], "HC031"),
        (["%alias p pip\n%p install huggingface-cli"], "HC031"),
        (["%alias p pip", "%p install huggingface-cli"], "HC031"),  # aliases live in the kernel, any cell
        (["%alias p pip install %s\nx = %p huggingface-cli"], "HC031"),
        (["%alias p pip %l\n%p install huggingface-cli"], "HC031"),
        (["pip install huggingface-cli"], "HC031"),  # automagic: a one-line cell is `%pip install ...`
        (["%alias p pip", "p install huggingface-cli"], "HC031"),
        (["%load_ext fakepkg_zz"], "HC001"),  # imports the module by its name
        (["%reload_ext fakepkg_zz.ext"], "HC001"),
        (["load_ext fakepkg_zz"], "HC001"),
        (["%load_ext autoreload\n%aimport fakepkg_zz, -os"], "HC001"),
        (["%run -m fakepkg_zz"], "HC001"),
        (["%%writefile requirements.txt\nrequests\nhuggingface-cli"], "HC031"),
        (["%%writefile -a 'requirements-dev.txt'\nhuggingface-cli"], "HC031"),
        (["%%writefile -a requirements.txt\nhuggingface-cli"], "HC031"),  # appends: pip reads it whole
        (["\n%%writefile requirements/base.txt\nhuggingface-cli"], "HC031"),  # IPython drops the blank line
        (["%%writefile r.txt\nhuggingface-cli", "%pip install -r ./r.txt"], "HC031"),  # installed from: requirements
        (["%%file setup.sh\npip install huggingface-cli"], "HC031"),
        (["%%writefile requirements.txt\n--index-url https://evil.example/simple\nrequests"], "HC040"),
        (["%%writefile pyproject.toml\n[project]\ndependencies = ['x']"], "HC042"),
        # Attack E27: a module the notebook writes and then imports or runs, a compiled Cython cell, a test cell.
        (["%%writefile helper.py\nimport fakepkg_zz\n", "import helper"], "HC001"),
        (["%%writefile -a 'tools/helper.py'\nimport fakepkg_zz\n", "%run tools/helper.py"], "HC001"),
        (["%%file m.pyx\ncimport fakepkg_zz\n"], "HC001"),
        (["%load_ext Cython", "%%cython\nimport fakepkg_zz\ncdef int x = 1"], "HC001"),
        (["%%cython -a\nfrom fakepkg_zz cimport thing"], "HC001"),
        (["%%cython\nimport os\nos.system('pip install huggingface-cli')"], "HC031"),
        (["%%ipytest -qq\nimport fakepkg_zz\ndef test_x(): pass"], "HC001"),
        # Attack E5: a requirements file the notebook writes, then installs from.
        (["%%sh\ncat > r.txt <<EOF\nhuggingface-cli\nEOF\npip install -r r.txt"], "HC031"),
        (["%%bash\necho huggingface-cli > r.txt\npip install -r r.txt"], "HC031"),
        (["!echo huggingface-cli > r.txt", "!pip install -r r.txt"], "HC031"),
        (["!echo huggingface-cli > r.txt", "%pip install -r r.txt"], "HC031"),
        (['open("r.txt", "w").write("huggingface-cli")', "%pip install -r r.txt"], "HC042"),  # git lacks r.txt
        (["!pip install -r generated/deps.txt"], "HC042"),
        (['get_ipython().run_cell("!pip install huggingface-cli")'], "HC031"),
    ],
)
def test_magics_that_run_shell_install_or_import(repo: Repo, run: Any, cells: list[str], code: str) -> None:
    # Attack B5: IPython runs each of these (IPython/core/magics/osm.py, alias.py, extension.py, automagic in
    # prefilter.py for one-line cells); each installs or imports the name it shows.
    assert code in _codes(repo, run, json.dumps(_document(cells)))


@pytest.mark.parametrize(
    "cells",
    [
        ["%load_ext autoreload\n%autoreload 2"],  # IPython's own extension
        ["%%writefile notes.txt\nhuggingface-cli"],  # not a file anything installs from
        ["%%writefile notes.txt\nhuggingface-cli", "%pip install -e ."],
        ["%%writefile requirements.txt\nrequests"],  # a popular name
        ["pip = 3"], ["run(1)"], ["%alias p pip\nprint(1)"],
        ["%%writefile notes.md\nimport fakepkg_zz"],  # not a module
        ["%%cython\nfrom libc.math cimport sqrt\ncdef double x = sqrt(2.0)"],
        ["!echo requests > r.txt", "!pip install -r r.txt"],  # a popular name through the file
    ],
)
def test_magics_that_install_or_import_nothing_new(repo: Repo, run: Any, cells: list[str]) -> None:
    assert not {"HC001", "HC031", "HC040", "HC042"} & set(_codes(repo, run, json.dumps(_document(cells))))


def test_alias_commands_are_filled_as_ipython_fills_them() -> None:
    from hallucheck.sources.notebooks import alias_command

    # IPython/core/alias.py: `%l` takes the whole line, each `%s` the next word, the other words follow.
    assert alias_command("pip", "install x y") == "pip install x y"
    assert alias_command("pip install %s", "x y") == "pip install x y"
    assert alias_command("echo %s and %s", "a b c") == "echo a and b c"
    assert alias_command("pip %l --user", "install x") == "pip install x --user"
    assert alias_command("printf %%s pip", "x") == "printf %s pip x"


@pytest.mark.parametrize("cell", [
    "%%shell\npip install huggingface-cli\n",
    "%%capture\n%%shell\npip install huggingface-cli\n",
    "%%time\n\n%%bash\nset -e\npip install -q -U pip \\\n    huggingface-cli\n",
])  # fmt: skip
def test_a_colab_shell_cell_and_a_shell_cell_under_capture_are_read(repo: Repo, run: Any, cell: str) -> None:
    # Attack G19: Colab runs a `%%shell` cell as a bash script; `%%capture` runs its body as a cell, whose own cell
    # magic decides; the body is one script (a command continued over lines).
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"nb.ipynb": json.dumps(_document(["import os\n", cell]), indent=1)})
    findings = run().json()["findings"]
    assert [item["code"] for item in findings] == ["HC031"]
    assert f"line {len(cell.rstrip().split(chr(10)))}:" in findings[0]["message"]
