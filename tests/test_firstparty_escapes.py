"""A name is first-party only where Python would import it from the project: three ways a change faked it.

* a namespace directory (``fakepkg_zz/sub/mod.py``, no ``__init__.py``) made ``import fakepkg_zz`` and
  ``from fakepkg_zz import secure_hash`` first-party, though Python imports an empty namespace there (or fails),
  and an installed regular package of the name wins over it;
* ``src/fakepkg_zz.py`` in a flat layout (the project's package at its top), where nothing puts ``src/`` on
  ``sys.path``;
* a directory with a ``pyproject.toml`` that only configures tools, taken for a monorepo member whose modules
  are first-party.

The property: for generated trees of packages, namespace directories and modules, a dotted import is
first-party exactly when Python's own path finder, searching the project root, reaches a module or a regular
package along it (the rest may be attributes). Nothing is imported: empty files, and finders only.
"""

from __future__ import annotations

import importlib.machinery
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallucheck.resolve.firstparty import FirstParty
from hallucheck.snapshot import MemorySnapshot
from tests.conftest import Repo
from tests.test_environment import Venv

PYPROJECT = '[project]\nname = "myapp"\nversion = "1"\ndependencies = []\n'


def codes(outcome: Any) -> list[tuple[str, str]]:
    return [(item["code"], item["module"]) for item in outcome.json()["findings"]]


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "myapp/__init__.py": "", "myapp/core.py": "import json\n"}, "init")
    return repo


@pytest.mark.parametrize("statement", ["import fakepkg_zz", "from fakepkg_zz import secure_hash",
                                       "import fakepkg_zz.sub", "from fakepkg_zz import missing as m"])  # fmt: skip
def test_a_namespace_directory_does_not_make_a_made_up_name_first_party(
    project: Repo, run: Any, statement: str
) -> None:
    project.stage({"fakepkg_zz/sub/mod.py": "x = 1\n", "app.py": statement + "\n"})
    assert codes(run()) == [("HC001", statement.split()[1])]


@pytest.mark.parametrize("statement", ["import fakepkg_zz.sub.mod", "from fakepkg_zz.sub import mod",
                                       "from fakepkg_zz.sub.mod import x"])  # fmt: skip
def test_a_namespace_package_python_imports_from_the_root_is_first_party(
    project: Repo, run: Any, statement: str
) -> None:
    project.stage({"fakepkg_zz/sub/mod.py": "x = 1\n", "app.py": statement + "\n"})
    assert run().code == 0


def test_an_installed_regular_package_wins_over_a_namespace_directory(project: Repo, run: Any) -> None:
    venv = Venv(project.root / ".venv")
    venv.install("fakepkg-zz", files=("fakepkg_zz/__init__.py", "fakepkg_zz/sub/mod.py"))
    project.commit({".gitignore": ".venv/\n"}, "ignore the venv")
    project.stage({"fakepkg_zz/sub/mod.py": "x = 1\n", "app.py": "from fakepkg_zz.sub.mod import x\n"})
    outcome = run()
    assert outcome.code == 1 and [code for code, _ in codes(outcome)] == ["HC002"], outcome.out
    assert not venv.marker.exists()


def test_src_in_a_flat_layout_is_not_on_the_path(project: Repo, run: Any) -> None:
    project.stage({"src/fakepkg_zz.py": "def secure_hash(): ...\n", "myapp/api.py": "import fakepkg_zz\n"})
    assert codes(run()) == [("HC001", "fakepkg_zz")]


def test_src_in_a_src_layout_still_is(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "src/myapp/__init__.py": "", "tests/__init__.py": ""}, "init")
    repo.stage({"src/helpers.py": "x = 1\n", "src/myapp/api.py": "import helpers\n", "tests/test_x.py":
                "import myapp\nimport helpers\n"})  # fmt: skip
    assert run().code == 0


@pytest.mark.parametrize(("manifest", "content", "member"), [
    ("pyproject.toml", "[tool.ruff]\nline-length = 100\n", False),
    ("setup.cfg", "[flake8]\nmax-line-length = 100\n", False),
    ("pyproject.toml", '[project]\nname = "tools"\nversion = "1"\n', True),
    ("pyproject.toml", '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', True),
    ("setup.cfg", "[metadata]\nname = tools\n", True),
    ("setup.py", "", True),
])  # fmt: skip
def test_a_manifest_that_only_configures_tools_declares_no_member(
    project: Repo, run: Any, manifest: str, content: str, member: bool
) -> None:
    project.stage({f"tools/{manifest}": content, "tools/fakepkg_zz.py": "x = 1\n", "app.py": "import fakepkg_zz\n"})
    outcome = run()
    assert (("HC001", "fakepkg_zz") not in codes(outcome)) == member, outcome.out


# --- the property, against Python's own path finder ---------------------------------------------------

_PARTS = st.sampled_from(["a", "b", "c"])
# A tree: paths of files, each `x.py` or `x/__init__.py` at some depth below the root.
_TREES = st.lists(
    st.tuples(st.lists(_PARTS, min_size=0, max_size=3), _PARTS, st.booleans()).map(
        lambda item: "/".join([*item[0], item[1]]) + ("/__init__.py" if item[2] else ".py")
    ),
    min_size=1, max_size=6,
)  # fmt: skip
_IMPORTS = st.lists(_PARTS, min_size=1, max_size=4).map(".".join)


def python_reaches(root: Path, dotted: str) -> bool:
    """Whether importing along ``dotted`` from ``root`` loads a module or a regular package.

    Python's own finder for a directory (``FileFinder``, what ``PathFinder`` asks for each ``sys.path`` entry)
    decides each step; nothing is imported, and a namespace portion is followed through its own directories.
    """
    from importlib._bootstrap_external import _get_supported_file_loaders  # type: ignore[attr-defined]

    loaders = _get_supported_file_loaders()
    parts = dotted.split(".")
    directories = [str(root)]
    for index in range(1, len(parts) + 1):
        name = ".".join(parts[:index])
        specs = [importlib.machinery.FileFinder(directory, *loaders).find_spec(name) for directory in directories]
        found = [spec for spec in specs if spec is not None]
        if any(spec.loader is not None for spec in found):
            return True  # a module or a regular package: the rest of the path may be attributes
        directories = [location for spec in found for location in spec.submodule_search_locations or []]
        if not directories:
            return False
    return False  # an empty namespace


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_TREES, dotted=_IMPORTS)
def test_first_party_is_what_python_imports_from_the_root(tree: list[str], dotted: str, tmp_path: Path) -> None:
    root = tmp_path / f"t{abs(hash((tuple(tree), dotted)))}"
    files = dict.fromkeys(tree, "")
    for path in files:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("")
    located = FirstParty(MemorySnapshot(files)).locate(dotted.split(".")[0], "app.py", imported=dotted)
    assert (located is not None) == python_reaches(root, dotted), (files, dotted, located)
