"""Cython sources (issue 21, attack C7): a ``.pyx`` module's imports and cimports, a ``.pxd`` file's cimports, read
as the modules they name; what cannot be read is an error, not a pass."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.cython import cython_view
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\ndependencies = ["requests"]\n'
BUILT = '[build-system]\nrequires = ["setuptools", "cython", "numpy"]\n' + PYPROJECT
CYTHON = """from libc.stdlib cimport malloc, free
from libcpp.vector cimport vector
cimport cython
from cpython cimport PyObject
import json
cdef extern from "x.h" nogil:
    int f(int)

cdef class Box:
    \"\"\"import not_a_module\"\"\"
    cdef int* data

    @cython.boundscheck(False)
    cpdef int first(self, int n) except -1:
        cdef int* p = <int*>malloc(n * sizeof(int))
        with nogil:
            p[0] = 1
        return p[0]
"""


def _codes(repo: Repo, run: Any, files: dict[str, str | bytes], pyproject: str = PYPROJECT) -> list[str]:
    repo.commit({"pyproject.toml": pyproject, "demo/__init__.py": ""})
    repo.stage(files)
    return sorted(run().codes())


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("demo/b.pyx", "import fakepkg_zz\n", "HC001"),
        ("demo/b.pyx", CYTHON + "from fakepkg_zz import thing\n", "HC001"),
        ("demo/b.pyx", "cimport fakepkg_zz\n", "HC001"),  # the compiler needs fakepkg_zz.pxd: a module
        ("demo/b.pyx", "from fakepkg_zz cimport (a,\n    b)\n", "HC001"),
        ("demo/b.pyx", "cdef class X:\n    def f(self):\n        import fakepkg_zz\n", "HC001"),
        ("demo/b.pxd", "cimport fakepkg_zz\n", "HC001"),
        ("demo/b.pxd", "from fakepkg_zz.sub cimport thing\n", "HC001"),
        ("demo/b.pyx", 'x = """never closed\nimport fakepkg_zz\n', "HC010"),  # not read: an error, not a pass
        ("demo/b.pyx", "cdef int f(int x):\n    return g(x,\nimport fakepkg_zz\n", "HC010"),
    ],
)
def test_cython_imports_and_cimports_name_modules(repo: Repo, run: Any, name: str, content: str, code: str) -> None:
    assert code in _codes(repo, run, {name: content})


def test_an_old_except_clause_keeps_the_import_guarded() -> None:
    # `except ImportError, e` (Cython's Python 2 syntax) is read as a handler, not as a syntax error of the view.
    view, problem = cython_view("try:\n    import fakepkg_zz\nexcept ImportError, error:\n    fakepkg_zz = None\n")
    assert problem is None
    assert view == "try:\n    import fakepkg_zz\nexcept Exception:\n    pass\n"
    ast.parse(view)


def test_cython_syntax_and_its_own_declarations_pass(repo: Repo, run: Any) -> None:
    assert not {"HC001", "HC007", "HC010"} & set(_codes(repo, run, {"demo/b.pyx": CYTHON, "demo/b.pxd": CYTHON}))


def test_a_cimport_is_declared_by_the_build_requirements(repo: Repo, run: Any) -> None:
    # `cimport numpy` reads numpy's .pxd when the extension is built: [build-system] requires declares it;
    # `import numpy` runs in the user's environment: only a dependency declares it.
    assert "HC007" not in _codes(repo, run, {"demo/b.pyx": "cimport numpy as cnp\n", "demo/c.pxd": "cimport numpy\n"},
                                 BUILT)  # fmt: skip
    assert "HC007" in _codes(repo, run, {"demo/d.pyx": "cimport numpy as cnp\nimport numpy\n"}, BUILT)


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    import fakepkg_zz\nexcept ImportError:\n    fakepkg_zz = None\n",
        "import os, json as j  # hallucheck: ignore[HC001]\nimport fakepkg_zz  # hallucheck: ignore[HC001]\n",
        "if True: import fakepkg_zz\n",
        "def f():\n    from . import fakepkg_zz\n",
    ],
)
def test_a_python_module_compiled_by_cython_is_read_as_python(repo: Repo, run: Any, source: str) -> None:
    # A .pyx that is plain Python gets what the same .py gets.
    as_python = _codes(repo, run, {"demo/b.py": source})
    assert _codes(repo, run, {"demo/c.pyx": source}) == as_python


_STATEMENTS = [
    "import alpha", "import beta.gamma as g", "from delta import (e,\n    f)", "from . import sibling",
    "x = 1", "s = 'import not_a_module'", 'd = """\nimport not_a_module\n"""', "# import commented",
    "y = [1,\n     2]", "z = lambda q: q", "w: int = 3", "v = {'a': 1}", "from eta \\\n    import theta",
    "if x: import iota", "import kappa; import lam",
]
_BLOCKS = ["if x:", "try:", "def f():", "class C:", "for i in x:", "while x:", "with x:"]


@st.composite
def _programs(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        block = draw(st.sampled_from([None, *_BLOCKS]))
        body = draw(st.lists(st.sampled_from(_STATEMENTS), min_size=1, max_size=3))
        if block is None:
            lines += body
            continue
        lines.append(block)
        lines += ["    " + line.replace("\n", "\n    ") for line in body] + ["    pass"]
        if block == "try:":
            lines += ["except ImportError:", "    pass"]
    return "\n".join(lines) + "\n"


def _modules(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, f"{'.' * node.level}{node.module or ''}:{alias.name}") for alias in node.names]
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(_programs())
def test_the_view_of_python_source_imports_what_python_imports(source: str) -> None:
    # Python is Cython: the view keeps every import on its line, and nothing a string or comment holds.
    view, problem = cython_view(source)
    assert problem is None
    assert view.count("\n") == source.count("\n")
    assert _modules(view) == _modules(source)


# -- what a Cython module runs (attack E8) ----------------------------------------------------------------

FAKE = "huggingface-cli"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ('import os\nos.system("pip install huggingface-cli")\n', "HC031"),
        ('import subprocess\ndef f():\n    subprocess.run(["pip","install","huggingface-cli"])\n', "HC031"),
        (CYTHON + '    def g(self):\n        import os\n        os.system("pip install huggingface-cli")\n', "HC031"),
        ('import os\ncdef int run() except -1:\n    cdef int r = os.system("pip install huggingface-cli")\n'
         "    return r\n", "HC042"),  # a statement that is not Python: not read, not passed
        ('import os\ncdef object r = os.system(\n    "pip install huggingface-cli")\n', "HC042"),
    ],
)
def test_installs_a_cython_module_runs_are_read(repo: Repo, run: Any, content: str, code: str) -> None:
    assert code in _codes(repo, run, {"demo/m.pyx": content})


def test_a_cython_module_that_installs_nothing_is_quiet(repo: Repo, run: Any) -> None:
    content = CYTHON + '    def g(self):\n        raise ImportError("pip install requests")\n'
    assert _codes(repo, run, {"demo/m.pyx": content}) == []


def test_a_cython_install_in_a_range_and_in_files_mode(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": ""})
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit({"demo/m.pyx": 'import os\nos.system("pip install huggingface-cli")\n'})
    assert "HC031" in run("--from-ref", base, "--to-ref", "HEAD").codes()
    assert "HC031" in run("--all-files").codes()


@settings(max_examples=200, deadline=None)
@given(_programs(), st.sampled_from(["if x:", "def f():", "cdef int f(int x) except -1:", "cdef class C:",
                                     "cpdef void f():", "with nogil:"]))
def test_a_python_install_inside_cython_is_read_as_python_reads_it(source: str, block: str) -> None:
    # Cython runs its Python statements as Python: an install among them is read, whatever Cython wraps it in.
    from hallucheck.sources.cython import cython_code
    from hallucheck.sources.python_installs import python_installs

    call = f'{block}\n    os.system("pip install {FAKE}")\n'
    text = "import os\n" + source + call
    code, unread = cython_code(text)
    assert code.count("\n") == text.count("\n")
    ast.parse(code)
    assert [item.argument.name for item in python_installs(code)] == [FAKE]
    assert all(FAKE not in "\n".join(text.split("\n")[lines.start - 1: lines.stop - 1]) for lines in unread)
