"""Cost: every family of input grows the check's work linearly (issue 21, part 10).

Each family is checked at one size and at eight times that size, in real git repositories; the CPU time of
the check (this process only: git's own processes are not counted, nor the machine's load) may grow by a
generous bound over eight, far below the 64 that a quadratic cost would give. No absolute timing is asserted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\n'
_RATIO = 22.0
"""At most this much more CPU time for eight times the input (linear: about 8; quadratic: about 64)."""

Files = dict[str, str | bytes]


def _methods(size: int) -> tuple[Files, Files]:
    body = "".join(f"    def m{i}(self):\n        import json\n        return json\n\n" for i in range(size))
    return {}, {"big.py": "class C:\n" + body}


def _try_body(size: int) -> tuple[Files, Files]:
    body = "".join(f"        import json as j{i}\n" for i in range(size))
    return {}, {"guarded.py": f"def f():\n    try:\n{body}    except ImportError:\n        pass\n"}


def _cell(source: str) -> dict[str, object]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def _notebook(sources: list[str]) -> str:
    return json.dumps({"cells": [_cell(source) for source in sources], "metadata": {}, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1)  # fmt: skip


def _notebook_edited(size: int) -> tuple[Files, Files]:
    base = _notebook([f"import os\nx{i} = {i}\n" for i in range(size)])
    edited = _notebook([f"import os\nimport json\nx{i} = {i} + 1\n" for i in range(size)])
    return {"nb.ipynb": base}, {"nb.ipynb": edited}


def _unclosed(size: int) -> tuple[Files, Files]:
    return {}, {"unclosed.py": "from importlib import (\n" * size}


def _aliases(size: int) -> tuple[Files, Files]:
    aliases = "".join(f"from importlib import import_module as a{i}\n" for i in range(size))
    return {}, {"aliases.py": aliases + "".join(f"a{i}('json')\n" for i in range(size))}


def _alias_chain(size: int) -> tuple[Files, Files]:
    chain = "".join(f"b{i + 1} = b{i}\n" for i in range(size))
    return {}, {"chain.py": f"import importlib\nb0 = importlib\n{chain}b{size}.import_module('json')\n"}


def _install_lines(size: int) -> tuple[Files, Files]:
    return {}, {"setup.sh": "".join(f"pip install made-up-name-{i}\n" for i in range(size))}


def _install_arguments(size: int) -> tuple[Files, Files]:
    return {}, {"setup.sh": "pip install " + " ".join(f"made-up-name-{i}" for i in range(size)) + "\n"}


def _function_calls(size: int) -> tuple[Files, Files]:
    calls = "".join(f"p made-up-name-{i}\n" for i in range(size))
    return {}, {"setup.sh": 'p() { pip install "$@"; }\n' + calls}


def _written_requirements(size: int) -> tuple[Files, Files]:
    writes = "".join(f"echo made-up-name-{i} >> r.txt\ncat r.txt | tee copy.txt > /dev/null\n" for i in range(size))
    return {}, {"setup.sh": writes + "pip install -r r.txt\n"}


def _joined_imports(size: int) -> tuple[Files, Files]:
    return {}, {"one_line.py": "; ".join("import json" for _ in range(size)) + "\n"}


def _requirements(size: int) -> tuple[Files, Files]:
    return {}, {"requirements.txt": "".join(f"package-{i}>=1.{i}\n" for i in range(size))}


def _code_spans(size: int) -> tuple[Files, Files]:
    return {}, {"README.md": "# x\n\n" + "<code>pip install a " * size + "\n"}  # B15: never closed


def _cython_module(size: int) -> tuple[Files, Files]:
    body = "".join(f"    cdef int m{i}(self, int x) except -1:\n        import json\n        return <int>x\n\n"
                   for i in range(size))
    return {}, {"demo.pyx": "from libc.stdlib cimport malloc\ncdef class C:\n" + body}
def _long_import(size: int) -> tuple[Files, Files]:
    return {}, {"demo.py": f"import {'ab' * (size // 2)}\nimport {'qwerty' * (size // 6)}_x\n"}


def _long_requirement(size: int) -> tuple[Files, Files]:
    return {}, {"requirements.txt": f"{'ab' * (size // 2)}\n{'requests' * (size // 8)}-x>=1\n"}


def _appended_then_installed_often(size: int) -> tuple[Files, Files]:
    """Attack H25: every install reads all the script appended before it."""
    lines = ["echo requests >> r.txt"] * (4 * size) + ["pip install -r r.txt"] * size
    return {}, {"s.sh": "#!/bin/sh\n" + "\n".join(lines) + "\n"}


_FAMILIES: dict[str, tuple[Callable[[int], tuple[Files, Files]], int, tuple[str, ...]]] = {
    "methods of one class (all files)": (_methods, 150, ("--all-files",)),
    "imports in one try": (_try_body, 300, ("--all-files",)),
    "every cell of a notebook edited": (_notebook_edited, 60, ()),
    "unclosed from-import brackets": (_unclosed, 2500, ()),
    "importer aliases": (_aliases, 300, ()),
    "a chain of importer aliases": (_alias_chain, 1000, ()),
    "install commands, one unknown name each (A10)": (_install_lines, 150, ()),
    "one install command of many unknown names (A10)": (_install_arguments, 150, ()),
    "requirements lines, each a new unknown name": (_requirements, 150, ()),
    "imports joined by `;` on one line (D9)": (_joined_imports, 500, ()),
    "calls of a shell function that installs its arguments (B6)": (_function_calls, 150, ()),
    "requirements a script writes line by line, then installs (B6)": (_written_requirements, 100, ()),
    "unclosed <code> spans on one Markdown line (B15)": (_code_spans, 2000, ()),
    "installs from a file the script keeps appending to (H25)": (_appended_then_installed_often, 100, ()),
    "methods of a Cython class": (_cython_module, 300, ()),
    "one long imported name (attack C3)": (_long_import, 300, ()),
    "one long required name (attack C3)": (_long_requirement, 300, ()),
}


def _cpu_time(root: Path, family: str, size: int, capsys: pytest.CaptureFixture[str]) -> float:
    make, _, args = _FAMILIES[family]
    base, change = make(size)
    repo = Repo(root)
    repo.commit({"pyproject.toml": PYPROJECT, **base})
    repo.stage(change)
    if args:
        repo.commit()
    best = float("inf")
    for _ in range(2):  # the better of two: the first run also fills caches a second one reuses
        start = time.process_time()
        outcome = repo.check(*args, capsys=capsys)
        best = min(best, time.process_time() - start)
        assert outcome.code in (0, 1), outcome.err
    return best


@pytest.mark.parametrize("family", list(_FAMILIES))
def test_eight_times_the_input_costs_about_eight_times_the_time(
    family: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = _FAMILIES[family][1]
    small = _cpu_time(tmp_path / "small", family, size, capsys)
    large = _cpu_time(tmp_path / "large", family, size * 8, capsys)
    assert large <= _RATIO * max(small, 0.02), f"{family}: {small:.3f}s -> {large:.3f}s for 8x the input"


def test_one_name_on_one_line_is_one_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # B15: 200 unclosed `<code>` spans on one line name `made-up-name-b15` 200 times (400 readings of the line):
    # one review of the name per command text, not one per reading, and the line is compared with the base once.
    repo = Repo(tmp_path / "repo")
    repo.commit({"pyproject.toml": PYPROJECT, "README.md": "# x\n"})
    repo.stage({"README.md": "# x\n\n" + "<code>pip install made-up-name-b15 " * 200 + "\n"})
    codes = repo.check(capsys=capsys).codes()
    assert 1 <= codes.count("HC040") <= 3, codes
