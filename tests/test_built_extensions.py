"""Modules the project builds without a ``.py`` file are first-party (attack D6): a top-level C extension a
literal ``setup.py`` builds (cffi's own ``Extension(name='_cffi_backend', sources=[...])``), the same through
``Pybind11Extension``/``RustExtension``, the modules of ``cythonize("dir/*.pyx")``, a meson-python
``py.extension_module('name', ..., install: true)``, and a module the bundled table gives to the project's own
distribution. Only what is literal and built from a source git holds counts: a name alone builds nothing.
Each case runs through a real git repository, staged and with ``--all-files``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from hallucheck.manifests.setuppy import built_modules
from tests.conftest import Repo

CFFI_SETUP = """from setuptools import setup, Extension
setup(
    name='cffi',
    packages=['cffi'],
    package_dir={'': 'src'},
    ext_modules=[Extension(
        name='_cffi_backend',
        sources=['src/c/_cffi_backend.c'],
    )],
    install_requires=['pycparser'],
)
"""


def findings(outcome: Any) -> list[tuple[str, str]]:
    """The findings about imports (the staged change also adds cffi's own `pycparser`: HC004)."""
    return [(item["code"], item["module"]) for item in outcome.json()["findings"] if item["module"] is not None]


def check_both_ways(repo: Repo, run: Any, files: Mapping[str, str]) -> tuple[list[tuple[str, str]], ...]:
    """The findings of ``files`` staged as one change, then (committed) with ``--all-files``."""
    repo.commit({"README.md": "x\n"}, "init")
    repo.stage(dict(files))
    staged = findings(run())
    repo.commit()
    return staged, findings(run("--all-files"))


def cffi_layout(setup: str = CFFI_SETUP, name: str = "_cffi_backend") -> dict[str, str]:
    return {"setup.py": setup, f"src/c/{name}.c": "int x;\n", "src/cffi/__init__.py": "",
            "src/cffi/api.py": f"import {name} as backend\n"}  # fmt: skip


def test_cffi_builds_its_own_backend(repo: Repo, run: Any) -> None:
    # D6's example: was HC002 "`_cffi_backend` is provided by cffi, which the project does not declare".
    assert check_both_ways(repo, run, cffi_layout()) == ([], [])


def test_a_renamed_extension_is_first_party(repo: Repo, run: Any) -> None:
    # Was HC001 "may be hallucinated": no table knows `_fastmod`, the project's setup.py builds it.
    setup = CFFI_SETUP.replace("'cffi'", "'fastthing'").replace("_cffi_backend", "_fastmod")
    assert check_both_ways(repo, run, cffi_layout(setup, "_fastmod")) == ([], [])


@pytest.mark.parametrize(
    "extension",
    [
        'Extension("fastmod", ["src/fastmod.c"])',
        'Pybind11Extension("fastmod", sources=["src/fastmod.cpp"])',
        'RustExtension(target="fastmod", path="src/Cargo.toml")',
        '*cythonize("src/*.pyx")',
        '*cythonize([Extension("fastmod", ["src/fastmod.pyx"])])',
    ],
)
def test_one_line_setups(repo: Repo, run: Any, extension: str) -> None:
    setup = f'from setuptools import setup\nsetup(name="demo", ext_modules=[{extension}])\n'
    files = {"setup.py": setup, "demo/__init__.py": "import fastmod\n", "src/fastmod.c": "int x;\n",
             "src/fastmod.cpp": "int x;\n", "src/fastmod.pyx": "x = 1\n", "src/Cargo.toml": "[package]\n"}
    assert check_both_ways(repo, run, files) == ([], [])


@pytest.mark.parametrize(
    "setup",
    [
        'setup(name="demo", ext_modules=[Extension("fakepkg_zz", ["src/missing.c"])])',  # no such source
        'setup(name="demo", ext_modules=[Extension("fakepkg_zz", ["README.md"])])',  # not a source
        'setup(name="demo", ext_modules=[Extension(NAME, ["src/fastmod.c"])])',  # computed name
        'setup(name="demo", ext_modules=[Extension("fakepkg_zz", glob("src/*.c"))])',  # computed sources
        'setup(name="demo", packages=["fakepkg_zz"])\nx = Extension("fakepkg_zz", ["src/fastmod.c"])',  # unused
        'setup(name="demo", ext_modules=cythonize("lib/*.pyx"))',  # a pattern matching nothing
    ],
)
def test_what_builds_nothing_known_stays_a_finding(repo: Repo, run: Any, setup: str) -> None:
    files = {"setup.py": "from setuptools import setup, Extension\n" + setup + "\n", "src/fastmod.c": "int x;\n",
             "lib/other.pyx": "x = 1\n", "demo/__init__.py": "import fakepkg_zz\n"}
    staged, whole = check_both_ways(repo, run, files)
    assert ("HC001", "fakepkg_zz") in staged and ("HC001", "fakepkg_zz") in whole


@pytest.mark.parametrize(("backend", "source"), [
    ("hatchling.build", "int x;\n"),  # hatchling never runs setup.py
    ("poetry.core.masonry.api", "int x;\n"),
    ("setuptools.build_meta", ""),  # an empty source builds nothing
    ("setuptools.build_meta", "  \n"),
    ("setuptools.build_meta", "/* nothing */\n// at all\n"),  # attack G16: comments build nothing
    ("setuptools.build_meta", "/* unclosed\n"),
])
def test_an_extension_nothing_builds_stays_a_finding(repo: Repo, run: Any, backend: str, source: str) -> None:
    """Attack F10: an empty `.c` and a setup.py line made a documented hallucination first-party, under a build
    backend that never runs setup.py."""
    files = {"pyproject.toml": f'[build-system]\nrequires = ["x"]\nbuild-backend = "{backend}"\n',
             "setup.py": 'from setuptools import setup, Extension\n'
                         'setup(name="demo", ext_modules=[Extension("fakepkg_zz", ["src/fakepkg_zz.c"])])\n',
             "src/fakepkg_zz.c": source, "demo/__init__.py": "import fakepkg_zz\n"}
    staged, whole = check_both_ways(repo, run, files)
    assert ("HC001", "fakepkg_zz") in staged and ("HC001", "fakepkg_zz") in whole


def test_an_extension_inside_a_package_is_not_top_level(repo: Repo, run: Any) -> None:
    # `Extension("demo._speed", ...)` builds demo._speed, not a top-level `_speed`.
    setup = 'from setuptools import setup, Extension\nsetup(name="demo", ext_modules=[Extension("demo._speed", ' \
            '["src/_speed.c"]), Extension("_speed.x", ["src/_speed.c"])])\n'
    files = {"setup.py": setup, "src/_speed.c": "int x;\n", "demo/__init__.py": "import _speed\n"}
    staged, whole = check_both_ways(repo, run, files)
    assert ("HC001", "_speed") in staged and ("HC001", "_speed") in whole


def test_a_module_of_the_projects_own_distribution(repo: Repo, run: Any) -> None:
    # cffi whose sources are computed: the bundled table still says `_cffi_backend` is cffi's, and cffi is
    # the project: first-party, never "declare cffi".
    setup = CFFI_SETUP.replace("sources=['src/c/_cffi_backend.c']", "sources=glob.glob('src/c/*.c')")
    assert check_both_ways(repo, run, cffi_layout(setup)) == ([], [])


def test_another_projects_module_still_needs_its_declaration(repo: Repo, run: Any) -> None:
    setup = CFFI_SETUP.replace("'cffi'", "'demo'").replace("sources=['src/c/_cffi_backend.c']", "sources=[]")
    staged, whole = check_both_ways(repo, run, cffi_layout(setup))
    assert [code for code, module in staged if module == "_cffi_backend"] == ["HC002"]
    assert [code for code, module in whole if module == "_cffi_backend"] == ["HC002"]


@pytest.mark.parametrize(
    ("backend", "call", "first_party"),
    [
        ("mesonpy", "py.extension_module('fastmod', 'src/fastmod.c', install: true)", True),
        ("mesonpy", "py.extension_module('fastmod', ['src/fastmod.c'], dependencies: [dep], install: true)", True),
        ("mesonpy", "py.extension_module('fastmod', 'src/fastmod.c', subdir: 'demo', install: true)", False),
        ("mesonpy", "py.extension_module('fastmod', 'src/missing.c', install: true)", False),
        ("setuptools.build_meta", "py.extension_module('fastmod', 'src/fastmod.c', install: true)", False),
    ],
)
def test_meson_python_extensions(repo: Repo, run: Any, backend: str, call: str, first_party: bool) -> None:
    pyproject = f'[build-system]\nbuild-backend = "{backend}"\nrequires = ["meson-python"]\n' \
                '[project]\nname = "demo"\nversion = "1"\n'
    meson = f"project('demo', 'c')\npy = import('python').find_installation()\n{call}\n"
    files = {"pyproject.toml": pyproject, "meson.build": meson, "src/fastmod.c": "int x;\n",
             "demo/__init__.py": "import fastmod\n"}
    staged, whole = check_both_ways(repo, run, files)
    expected = [] if first_party else [("HC001", "fastmod")]
    assert ([item for item in staged if item[1] == "fastmod"], [item for item in whole if item[1] == "fastmod"]) == (
        expected, expected)


def test_built_modules_reads_only_literals() -> None:
    text = (
        "from setuptools import setup, Extension\nfrom Cython.Build import cythonize\n"
        "SOURCES = ['src/c/a.c']\nEXTS = [Extension(name='_a', sources=SOURCES)]\n"
        "setup(name='x', ext_modules=EXTS + [Extension('b', ['b.c']), Pybind11Extension('c', sources=['c.cpp'])]"
        " + cythonize('cy/*.pyx') + cythonize([Extension('d.e', ['d/e.pyx'])]) + [RustExtension('r')]"
        " + [Extension(name=n) for n in z] + [make_extension('f')])\n"
    )
    assert [(module.name, module.sources) for module in built_modules(text)] == [
        ("_a", ("src/c/a.c",)), ("b", ("b.c",)), ("c", ("c.cpp",)), (None, ("cy/*.pyx",)),
        ("d.e", ("d/e.pyx",)), ("r", ("Cargo.toml",)),
    ]
    assert built_modules("setup(ext_modules=[Extension('a', ['a.c'])]\n") == []  # does not parse
    assert built_modules("EXT = 1\nEXT = 2\nsetup(ext_modules=EXT)\n") == []  # assigned twice
