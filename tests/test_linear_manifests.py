"""Cost: manifests that refer to themselves (include chains, references, inheritance) are read in linear time
(issue 21, part 10; attack D10: 2,400 chained ``include-group`` tables took 24 s, past an agent hook's timeout).

Each family is read at one size and at eight times that size, in real git repositories, as
:mod:`tests.test_linear` does: the CPU time of the check may grow by a generous bound over eight, far below the
64 that a quadratic cost would give. No absolute timing is asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\ndependencies = ["requests"]\n'
_RATIO = 22.0
"""At most this much more CPU time for eight times the input (linear: about 8; quadratic: about 64)."""

Files = dict[str, str]


def _group_chain(size: int) -> Files:
    groups = "".join(f'g{i} = [{{include-group = "g{i + 1}"}}, "requests"]\n' for i in range(size))
    return {"pyproject.toml": f'{PYPROJECT}[dependency-groups]\n{groups}g{size} = ["requests"]\n'}


def _group_ring(size: int) -> Files:
    groups = "".join(f'g{i} = [{{include-group = "g{(i + 1) % size}"}}, {{include-group = "g{(i + 2) % size}"}}]\n'
                     for i in range(size))  # fmt: skip
    return {"pyproject.toml": f"{PYPROJECT}[dependency-groups]\n{groups}"}


def _optional_dependencies(size: int) -> Files:
    extras = "".join(f'e{i} = ["package-{i}>=1"]\n' for i in range(size))
    return {"pyproject.toml": f"{PYPROJECT}[project.optional-dependencies]\n{extras}"}


def _tox_references(size: int) -> Files:
    sections = "".join(f"[s{i}]\ndeps = {{[s{i + 1}]deps}}\n    {{[s{i + 2}]deps}}\n    package-{i}\n"
                       for i in range(size))
    return {"tox.ini": f"[testenv]\ndeps = {{[s0]deps}}\n{sections}[s{size}]\ndeps = a\n[s{size + 1}]\ndeps = b\n"}


def _tox_environments(size: int) -> Files:
    environments = "".join(f"[testenv:e{i}]\ndeps = {{[testenv:e{i + 1}]deps}}\n    package-{i}\n" for i in range(size))
    return {"tox.ini": environments}


def _tox_toml(size: int) -> Files:
    return {"tox.toml": "[env_run_base]\ndeps = [\n" + "".join(f'  "package-{i}",\n' for i in range(size)) + "]\n"}


def _editables(size: int) -> Files:
    return {"requirements.txt": "".join(f"-e ./libs/l{i}\n" for i in range(size))}


def _path_sources(size: int) -> Files:
    names = ", ".join(f'"l{i}"' for i in range(size))
    sources = "".join(f'l{i} = {{ path = "libs/l{i}" }}\n' for i in range(size))
    return {"pyproject.toml": f"{PYPROJECT}[project.optional-dependencies]\nlocal = [{names}]\n"
                              f"[tool.uv.sources]\n{sources}"}


_FAMILIES: dict[str, tuple[Callable[[int], Files], int]] = {
    "a chain of include-group (D10)": (_group_chain, 150),
    "one cycle of include-group through every group": (_group_ring, 150),
    "many extras, each a table key": (_optional_dependencies, 300),
    "tox sections each referring to the next two (2**n expansions before)": (_tox_references, 12),
    "a chain of tox environments referring to the next": (_tox_environments, 100),
    "tox.toml deps, each located in the text": (_tox_toml, 1000),
    "editable local directories, each first-party code": (_editables, 300),
    "a long list of names, each a uv path source": (_path_sources, 300),
}


def _cpu_time(root: Path, family: str, size: int, capsys: pytest.CaptureFixture[str]) -> float:
    make, _ = _FAMILIES[family]
    repo = Repo(root)
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": ""})
    repo.stage({**make(size), "demo/x.py": "import requests\n"})
    best = float("inf")
    for _ in range(2):  # the better of two: the first run also fills caches a second one reuses
        start = time.process_time()
        outcome = repo.check(capsys=capsys)
        best = min(best, time.process_time() - start)
        assert outcome.code in (0, 1), outcome.err
    return best


@pytest.mark.parametrize("family", list(_FAMILIES))
def test_eight_times_the_manifest_costs_about_eight_times_the_time(
    family: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = _FAMILIES[family][1]
    small = _cpu_time(tmp_path / "small", family, size, capsys)
    large = _cpu_time(tmp_path / "large", family, size * 8, capsys)
    print(f"{family}: {small:.3f}s -> {large:.3f}s")
    assert large <= _RATIO * max(small, 0.02), f"{family}: {small:.3f}s -> {large:.3f}s for 8x the input"
