"""Notebooks written as Markdown (attack E31): Jupytext Markdown, MyST (``{code-cell}``), Quarto (``.qmd``) and
R Markdown (``.Rmd``) documents whose code cells a Python kernel runs; their imports are checked as a notebook's."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.jupytext import is_text_notebook, text_notebook
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\ndependencies = ["requests"]\n'
JUPYTEXT = ("---\njupyter:\n  jupytext:\n    text_representation:\n      extension: .md\n      format_name: markdown\n"
            "  kernelspec:\n    name: python3\n---\n\n")
MYST = "---\njupytext:\n  formats: md:myst\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"
DOCUMENTS = {
    "jupytext.md": JUPYTEXT + "Some text.\n\n```python\nimport fakepkg_zz\n```\n",
    "myst.md": MYST + "```{code-cell} ipython3\nimport fakepkg_zz\n```\n",
    "myst-default.md": MYST + "```{code-cell}\n:tags: [hide-input]\nimport fakepkg_zz\n```\n",
    "doc.qmd": "---\ntitle: x\n---\n\n```{python}\n#| echo: false\nimport fakepkg_zz\n```\n",
    "doc.Rmd": ("---\ntitle: x\n---\n\n```{r}\nlibrary(reticulate)\n```\n\n```{python, echo=FALSE}\n"
                "import fakepkg_zz\n```\n"),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_text_notebook_cell_import_is_checked(repo: Repo, run: Any, name: str) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({f"docs/{name}": DOCUMENTS[name]})
    outcome = run()
    assert "HC001" in outcome.codes(), outcome.out
    line = DOCUMENTS[name].split("\n").index("import fakepkg_zz") + 1
    assert [item["line"] for item in outcome.json()["findings"] if item["code"] == "HC001"] == [line]


def test_a_range_and_files_mode(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit({"docs/myst.md": DOCUMENTS["myst.md"]})
    assert "HC001" in run("--from-ref", base, "--to-ref", "HEAD").codes()
    assert "HC001" in run("--all-files").codes()


def test_an_edit_elsewhere_does_not_make_old_cells_new(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "docs/myst.md": DOCUMENTS["myst.md"]})
    repo.stage({"docs/myst.md": DOCUMENTS["myst.md"] + "\nMore prose.\n"})
    assert "HC001" not in run().codes()


@pytest.mark.parametrize("text", [
    "# Title\n\n```python\nimport fakepkg_zz\n```\n",  # plain Markdown: an example, not a notebook
    MYST.replace("python3", "ir") + "```{code-cell} r\nlibrary(x)\n```\n",  # an R kernel
    MYST + "```{code-cell} bash\nimport fakepkg_zz\n```\n",
    "---\ntitle: x\n---\n\n```{r}\nimport fakepkg_zz\n```\n",
])  # fmt: skip
def test_what_no_python_kernel_runs_is_not_read_as_a_cell(repo: Repo, run: Any, text: str) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"docs/page.md" if "{r}" not in text else "docs/page.qmd": text})
    assert "HC001" not in run().codes()


_LANGUAGES = ["python", "ipython3", "{code-cell} ipython3", "{code-cell}", "bash", "r", "", "{code-cell} r"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_LANGUAGES), st.sampled_from(["```", "````", "~~~"]), st.booleans()),
                min_size=1, max_size=6))
def test_the_cells_are_the_python_fences_on_their_lines(blocks: list[tuple[str, str, bool]]) -> None:
    # A reference reading: each fence's body is a cell exactly when its language is one a Python kernel runs.
    lines = MYST.rstrip("\n").split("\n")
    expected = []
    for index, (language, fence, prose) in enumerate(blocks):
        if prose:
            lines += ["", f"Text {index} with ``` inline.", ""]
        lines.append(f"{fence}{language}")
        lines.append(f"x{index} = 1")
        if language in ("python", "ipython3", "{code-cell} ipython3", "{code-cell}"):
            expected.append(len(lines))
        lines += ["```" if fence == "````" else fence]
        if fence == "````":
            lines += ["````"]  # a shorter fence inside does not close a longer one
    text = "\n".join(lines) + "\n"
    assert is_text_notebook("page.md", text)
    cells, kernel = text_notebook("page.md", text)
    assert kernel == "python3"
    found = [number for _, body, numbers in cells for line, number in zip(body, numbers, strict=True)
             if line.startswith("x")]
    assert found == expected


@pytest.mark.parametrize("options", [":tags: [remove-cell]\n", "---\ntags: [remove-cell]\nmystnb:\n  x: 1\n---\n"])
def test_myst_cell_options_are_not_code(repo: Repo, run: Any, options: str) -> None:
    """A MyST cell's options configure it; a declared `%pip install` after them passes, an invented one is
    reviewed (attack H27: the options were read as Python, an unreadable-code review)."""
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"docs/a.md": MYST + "```{code-cell} ipython3\n" + options + "%pip install requests\n```\n"})
    assert (run().code, run().codes()) == (0, [])
    repo.stage({"docs/a.md": MYST + "```{code-cell} ipython3\n" + options + "%pip install fakepkg-zz\n```\n"})
    assert set(run().codes()) == {"HC040"}  # the notebook cell and the Markdown code block
    cells, _ = text_notebook("a.md", MYST + "```{code-cell}\n" + options + "import x\n```\n")
    assert [line for line in cells[0][1] if line] == ["import x"]
