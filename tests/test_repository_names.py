"""An import the file's project does not resolve, but the repository knows (issue 22, the peers' fixtures): a
module of the repository off the file's ``sys.path`` gets a hint about the path, not "declare the distribution";
a distribution another project of the repository declares is named with where it is declared. Each case runs
through a real git repository, and following the hint once reaches a passing run."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "{name}"\nversion = "1"\ndependencies = [{deps}]\n'


def _blocking(outcome: Any) -> list[dict[str, Any]]:
    return [item for item in outcome.json()["findings"] if item["severity"] == "error"]


def test_a_repository_directory_off_sys_path_gets_a_path_hint(repo: Repo, run: Any) -> None:
    # FawltyDeps' base_dir_testbed: subproject/main/main.py imports subproject/lib/ as `lib` (`lib` is on PyPI).
    repo.commit({"requirements.txt": "requests\n", "subproject/lib/foo.py": "class Bar: ...\n",
                 "subproject/main/main.py": "from lib.foo import Bar\n"})  # fmt: skip
    [found] = _blocking(run("--all-files"))
    assert found["code"] == "HC007"
    assert "`lib` is `subproject/lib/` in this repository" in found["message"]
    assert "`subproject/` is not on its sys.path" in found["message"]
    assert found["hint"].startswith("Fix the path, not the dependencies")
    assert 'first-party = ["lib"]' in found["hint"]
    repo.commit({"pyproject.toml": '[tool.hallucheck]\nfirst-party = ["lib"]\n'})  # the hint, followed
    assert run("--all-files").code == 0


def test_a_module_beside_a_file_of_a_package_is_named_not_hallucinated(repo: Repo, run: Any) -> None:
    # deptry's multiple_source_directories: src/ is a package, and src/foo.py does `from foobar import ...`.
    repo.commit({"pyproject.toml": PYPROJECT.format(name="foo", deps=""), "src/__init__.py": "",
                 "src/foo.py": "from foobar import a_local_method\n", "src/foobar.py": "def a_local_method(): ...\n",
                 "worker/__init__.py": "", "worker/job.py": ""})  # fmt: skip
    [found] = _blocking(run("--all-files"))
    assert (found["code"], found["module"]) == ("HC001", "foobar")
    assert "hallucinated" not in found["message"]
    assert "`src/` is a package, so its modules import as `.foobar` (relative) or `src.foobar`" in found["message"]
    repo.commit({"src/foo.py": "from .foobar import a_local_method\n"})  # the hint, followed
    assert run("--all-files").code == 0


def test_a_name_unknown_to_every_table_and_the_repository_stays_unknown(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(name="foo", deps=""), "src/__init__.py": "",
                 "src/foo.py": "import fakepkg_zz\n"})  # fmt: skip
    [found] = _blocking(run("--all-files"))
    assert found["code"] == "HC001" and "may be hallucinated" in found["message"]


def test_a_distribution_another_project_declares_is_named_with_its_place(repo: Repo, run: Any) -> None:
    # FawltyDeps' mixed_project: subdir1/script.py imports requests, which only subdir2/setup.py declares.
    setup = 'from setuptools import setup\nsetup(name="b", install_requires=["requests", "torch"])\n'
    repo.commit({"subdir1/setup.cfg": "[options]\ninstall_requires = pandas\n", "subdir2/setup.py": setup,
                 "subdir1/script.py": "import requests\nimport torch\n"})  # fmt: skip
    found = _blocking(run("--all-files"))
    assert [(item["code"], item["module"]) for item in found] == [("HC002", "requests"), ("HC002", "torch")]
    torch = found[1]
    assert "`torch` is declared in subdir2/setup.py:2, another project of this repository" in torch["message"]
    assert "not by the project in `subdir1/` (subdir1/setup.cfg)" in torch["message"]
    assert "hallucinated" not in torch["message"]
    assert torch["hint"].startswith("Declare `torch`") and "project in `subdir1/`" in torch["hint"]
    repo.commit({"subdir1/setup.cfg": "[options]\ninstall_requires =\n    pandas\n    requests\n    torch\n"})
    assert run("--all-files").code == 0


def test_the_root_project_without_a_manifest_is_named_as_such(repo: Repo, run: Any) -> None:
    # FawltyDeps' no_issues: python_file.py at the root imports tensorflow, declared by subdir/requirements.txt.
    repo.commit({"python_file.py": "import tensorflow\n", "subdir/requirements.txt": "tensorflow>=2\n",
                 "subdir/x.py": ""})  # fmt: skip
    [found] = _blocking(run("--all-files"))
    assert found["code"] == "HC002"
    assert ("`tensorflow` is declared in subdir/requirements.txt:1, another project of this repository, not by "
            "the project at the repository root, which has no manifest") in found["message"]


def test_a_staged_import_declared_only_by_another_project_is_named_too(repo: Repo, run: Any) -> None:
    repo.commit({"a/pyproject.toml": PYPROJECT.format(name="a", deps='"numpy"'),
                 "b/pyproject.toml": PYPROJECT.format(name="b", deps='"requests"'), "b/b.py": ""})  # fmt: skip
    repo.stage({"b/b.py": "import numpy\n"})
    [found] = _blocking(run())
    assert found["code"] == "HC002" and "declared in a/pyproject.toml:4" in found["message"]
