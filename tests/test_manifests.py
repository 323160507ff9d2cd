"""Every manifest format, read from in-memory snapshots: what is declared, where, and what is a problem."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.manifests import Declared, LocalPath, declared_dependencies, is_manifest, may_declare
from hallucheck.manifests.tomlfile import TomlLines
from hallucheck.snapshot import MemorySnapshot
from tests.conftest import cpu_seconds


def read(files: dict[str, str | bytes]) -> Declared:
    return declared_dependencies(MemorySnapshot(files, "HEAD"))


def places(declared: Declared, name: str) -> list[tuple[str, int]]:
    return [(item.path, item.line) for item in declared.dependencies.get(name, [])]


def problems(declared: Declared) -> list[tuple[str, int, str]]:
    return [(item.path, item.line, item.code) for item in declared.problems]


# --- pyproject.toml -------------------------------------------------------------------------------


def test_pep621_dependencies_and_extras_point_at_their_own_table() -> None:
    declared = read(
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndependencies = [\n    "requests>=2",\n    "click",\n]\n\n'
                '[project.optional-dependencies]\nsocks = ["requests>=2", "PySocks"]\n'
            )
        }
    )
    assert places(declared, "requests") == [("pyproject.toml", 4), ("pyproject.toml", 9)]
    assert places(declared, "pysocks") == [("pyproject.toml", 9)]
    assert declared.dependencies["click"][0].requirement == "click"
    assert declared.problems == []


def test_same_string_twice_in_one_array_gets_both_lines() -> None:
    declared = read({"pyproject.toml": '[project]\ndependencies = [\n  "attrs",\n  "attrs",\n]\n'})
    assert places(declared, "attrs") == [("pyproject.toml", 3), ("pyproject.toml", 4)]


def test_extra_naming_the_project_itself_is_no_dependency() -> None:
    declared = read(
        {
            "pyproject.toml": '[project]\nname = "Demo"\n[project.optional-dependencies]\n'
            'a = ["attrs"]\nall = ["demo[a]"]\n[dependency-groups]\ndev = ["demo[a]", "pytest"]\n'
        }
    )
    assert set(declared.dependencies) == {"attrs", "pytest"}


def test_dependency_groups_with_include_group() -> None:
    declared = read(
        {
            "pyproject.toml": (
                "[dependency-groups]\n"
                'test = ["pytest", {include-group = "Lint"}]\n'
                'lint = ["ruff"]\n'
                'docs = [{include-group = "nope"}]\n'
            )
        }
    )
    assert places(declared, "pytest") == [("pyproject.toml", 2)]
    assert places(declared, "ruff") == [("pyproject.toml", 3)]
    assert [(p.line, p.message) for p in declared.problems] == [
        (4, "dependency group 'docs' includes unknown group 'nope'")
    ]


def test_include_group_cycle_is_a_problem() -> None:
    declared = read(
        {
            "pyproject.toml": '[dependency-groups]\na = [{include-group = "b"}]\n'
            'b = ["x", {include-group = "a"}]\n'
        }
    )
    assert problems(declared) == [("pyproject.toml", 2, "HC011"), ("pyproject.toml", 3, "HC011")]
    assert "a -> b -> a" in declared.problems[0].message


def test_include_group_cycles_are_found_once_each_and_said_briefly() -> None:
    # D10: every include on a cycle is a problem at its line, the cycle named from its first group; a long
    # cycle is shortened; an include into a cycle from outside it, and a group on no cycle, are not problems.
    ring = "".join(f'g{i} = [{{include-group = "g{(i + 1) % 20}"}}]\n' for i in range(20))
    declared = read(
        {
            "pyproject.toml": "[dependency-groups]\n" + ring + 'x = [{include-group = "g3"}, "attrs"]\n'
            'a = ["y", {include-group = "a"}]\nb = [{include-group = "c"}]\nc = [{include-group = "b"}]\n'
        }
    )
    assert [line for _, line, _ in problems(declared)] == [*range(2, 22), 23, 24, 25]
    messages = [problem.message for problem in declared.problems]
    assert set(messages[:20]) == {
        "dependency groups include each other: g0 -> g1 -> g2 -> g3 -> ... -> g18 -> g19 -> g0 (20 groups)"
    }
    assert messages[20:] == ["dependency groups include each other: a -> a"] + [
        "dependency groups include each other: b -> c -> b"
    ] * 2
    assert set(declared.dependencies) == {"attrs", "y"}


def test_poetry_tables_keys_are_names() -> None:
    declared = read(
        {
            "pyproject.toml": (
                '[tool.poetry]\nname = "demo"\n\n'
                "[tool.poetry.dependencies]\n"
                'python = "^3.10"\n'
                'requests = "^2.31"\n'
                'mylib = { path = "libs/mylib", develop = true }\n'
                'gitdep = { git = "https://example.com/gitdep.git" }\n'
                'multi = [{ version = "1", python = "<3.11" }, { version = "2", python = ">=3.11" }]\n\n'
                "[tool.poetry.group.test.dependencies]\n"
                'requests = "*"\n'
                'pytest = "^8"\n\n'
                "[tool.poetry.dev-dependencies]\n"
                'black = "*"\n'
            )
        }
    )
    assert "python" not in declared
    assert places(declared, "requests") == [("pyproject.toml", 6), ("pyproject.toml", 12)]
    assert places(declared, "gitdep") == [("pyproject.toml", 8)]
    assert places(declared, "multi") == [("pyproject.toml", 9)]
    assert places(declared, "pytest") == [("pyproject.toml", 13)]
    assert places(declared, "black") == [("pyproject.toml", 16)]
    assert declared.dependencies["requests"][0].requirement == 'requests = "^2.31"'
    assert LocalPath("libs/mylib", "pyproject.toml", 7, "mylib") in declared.first_party
    assert LocalPath("", "pyproject.toml", 2, "demo") in declared.first_party


def test_poetry_invalid_name_is_a_problem() -> None:
    declared = read({"pyproject.toml": '[tool.poetry.dependencies]\n"bad name!" = "*"\n'})
    assert problems(declared) == [("pyproject.toml", 2, "HC011")]


def test_pdm_uv_and_hatch_development_dependencies() -> None:
    declared = read(
        {
            "pyproject.toml": (
                "[tool.pdm.dev-dependencies]\n"
                'test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/libs/helper#egg=helper"]\n'
                "[tool.uv]\n"
                'dev-dependencies = ["mypy"]\n'
                "[tool.uv.sources]\n"
                'shared = { path = "libs/shared", editable = true }\n'
                'remote = { git = "https://example.com/remote" }\n'
                "[tool.hatch.envs.default]\n"
                'dependencies = ["coverage[toml]"]\n'
                "[tool.hatch.envs.docs]\n"
                'extra-dependencies = ["mkdocs", "mine @ {root:uri}/libs/mine"]\n'
            )
        }
    )
    assert places(declared, "pytest") == [("pyproject.toml", 2)]
    assert places(declared, "helper") == [("pyproject.toml", 2)]
    assert places(declared, "mypy") == [("pyproject.toml", 4)]
    assert places(declared, "coverage") == [("pyproject.toml", 9)]
    assert places(declared, "mkdocs") == [("pyproject.toml", 11)]
    assert places(declared, "mine") == [("pyproject.toml", 11)]
    assert (
        "shared" not in declared
    )  # a source alone declares nothing; it says where a declared one comes from
    assert {item.directory for item in declared.first_party} == {"libs/helper", "libs/shared"}
    assert declared.problems == []


def test_tool_tables_that_install_requirements() -> None:
    """flit's legacy metadata, cibuildwheel's test-requires (a list or a string; platform tables, overrides),
    uv's dependency-metadata (each [[table]] placed in itself) and extra-build-dependencies (attack C6)."""
    declared = read({"pyproject.toml": (
        '[tool.flit.metadata]\nmodule = "demo"\nrequires = ["flit-run"]\ndev-requires = ["flit-dev"]\n'
        '[tool.flit.metadata.requires-extra]\ntest = ["flit-test"]\nfast = ["flit-fast"]\n'
        '[tool.cibuildwheel]\ntest-requires = ["cb-all"]\n[tool.cibuildwheel.linux]\ntest-requires = "cb-l1 cb-l2"\n'
        '[[tool.cibuildwheel.overrides]]\nselect = "*"\n[[tool.cibuildwheel.overrides]]\nselect = "cp3*"\n'
        'test-requires = "cb-o"\n'
        '[[tool.uv.dependency-metadata]]\nname = "a"\nrequires-dist = ["dm-one"]\n'
        '[[tool.uv.dependency-metadata]]\nname = "b"\nrequires-dist = [\n  "dm-one",\n  "dm-two>=1",\n]\n'
        '[tool.uv.extra-build-dependencies]\nsomepkg = ["eb-one"]\n'
    )})
    assert places(declared, "flit-run") == [("pyproject.toml", 3)]
    assert places(declared, "flit-fast") == [("pyproject.toml", 7)]
    development = {name for name, items in declared.dependencies.items() if all(item.development for item in items)}
    assert development >= {"flit-dev", "flit-test", "cb-all", "cb-l1", "cb-l2", "cb-o", "dm-one", "dm-two"}
    assert not development & {"flit-run", "flit-fast"}
    assert places(declared, "cb-l2") == [("pyproject.toml", 11)]
    assert places(declared, "cb-o") == [("pyproject.toml", 16)]
    assert places(declared, "dm-one") == [("pyproject.toml", 19), ("pyproject.toml", 23)]
    assert places(declared, "dm-two") == [("pyproject.toml", 24)]
    assert "eb-one" not in declared and "eb-one" in declared.build_requires  # the build of somepkg installs it
    assert declared.problems == []


def test_setuptools_dynamic_dependencies_from_files() -> None:
    declared = read(
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndynamic = ["dependencies", "optional-dependencies"]\n'
                "[tool.setuptools.dynamic]\n"
                'dependencies = { file = ["requirements.in"] }\n'
                'optional-dependencies.dev = { file = ["dev.txt", "missing.txt"] }\n'
            ),
            "requirements.in": "httpx\n",
            "dev.txt": "# dev\npytest\n",
        }
    )
    assert places(declared, "httpx") == [("requirements.in", 1)]
    assert places(declared, "pytest") == [("dev.txt", 2)]
    assert problems(declared) == [("pyproject.toml", 6, "HC011")]
    assert "missing.txt" in declared.problems[0].message
    assert "dev.txt" in declared.manifests


def test_build_system_requires_count_for_setup_py_only() -> None:
    declared = read(
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61", "cython"]\n',
            "setup.py": "from setuptools import setup\nsetup()\n",
        }
    )
    assert "cython" not in declared
    assert "cython" in declared.for_file("setup.py")
    assert "cython" in declared.for_file("pkg/setup.py")
    assert "cython" not in declared.for_file("build.py")


def test_invalid_toml_is_a_problem_at_its_line() -> None:
    declared = read({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["a",\n[oops\n'})
    assert problems(declared) == [("pyproject.toml", 4, "HC011")]
    assert declared.problems[0].message.startswith("invalid TOML")


def test_invalid_requirement_string_is_a_problem_at_its_line() -> None:
    declared = read({"pyproject.toml": '[project]\ndependencies = [\n  "ok",\n  "not a requirement!!",\n]\n'})
    assert places(declared, "ok") == [("pyproject.toml", 3)]
    assert problems(declared) == [("pyproject.toml", 4, "HC011")]
    assert "[project] dependencies" in declared.problems[0].message


def test_undecodable_manifest_is_hc012_at_its_line() -> None:
    declared = read({"requirements.txt": b"requests\nfla\xffsk\n"})
    assert problems(declared) == [("requirements.txt", 2, "HC012")]


# --- requirements files ---------------------------------------------------------------------------


def test_requirements_lines_of_every_shape() -> None:
    declared = read(
        {
            "requirements.txt": (
                "# a comment\n"  # 1
                "--index-url https://pypi.org/simple\n"  # 2
                "numpy==1.26.4 \\\n"  # 3
                "    --hash=sha256:aaaa \\\n"  # 4
                "    --hash=sha256:bbbb\n"  # 5
                "requests[socks]>=2 ; python_version >= '3.8'  # trailing comment\n"  # 6
                "flask @ https://example.com/flask-3.0.0-py3-none-any.whl\n"  # 7
                "git+https://example.com/org/repo.git@v1#egg=Repo_Pkg\n"  # 8
                "https://example.com/dist/tool-2.0.tar.gz\n"  # 9
                "./wheels/local_whl-1.0-py3-none-any.whl\n"  # 10
                "--pre\n"  # 11
                "Django>=4 --config-settings=x=y\n"  # 12
            )
        }
    )
    assert places(declared, "numpy") == [("requirements.txt", 3)]
    assert declared.dependencies["numpy"][0].requirement == "numpy==1.26.4"
    assert places(declared, "requests") == [("requirements.txt", 6)]
    assert places(declared, "flask") == [("requirements.txt", 7)]
    assert places(declared, "repo-pkg") == [("requirements.txt", 8)]
    assert places(declared, "tool") == [("requirements.txt", 9)]
    assert places(declared, "local-whl") == [("requirements.txt", 10)]
    assert places(declared, "django") == [("requirements.txt", 12)]
    assert declared.problems == []


def test_include_is_resolved_relative_to_the_including_file() -> None:
    declared = read(
        {
            "requirements.txt": "-r requirements/dev.txt\n",
            "requirements/dev.txt": "pytest\n--requirement=base.txt\n",
            "requirements/base.txt": "attrs\n",
            "base.txt": "wrong\n",
        }
    )
    assert places(declared, "attrs") == [("requirements/base.txt", 1)]
    assert places(declared, "pytest") == [("requirements/dev.txt", 1)]
    assert "wrong" not in declared
    assert declared.problems == []


def test_missing_include_is_a_problem_at_the_including_line() -> None:
    declared = read({"requirements.txt": "attrs\n-r dev.txt\n-r ../../outside.txt\n"})
    assert problems(declared) == [("requirements.txt", 2, "HC011"), ("requirements.txt", 3, "HC011")]
    assert "dev.txt does not exist in HEAD" in declared.problems[0].message
    assert "outside the repository" in declared.problems[1].message


def test_include_cycle_is_a_problem() -> None:
    declared = read({"requirements.txt": "a\n-r more.txt\n", "more.txt": "b\n-r requirements.txt\n"})
    assert places(declared, "a") == [("requirements.txt", 1)]
    assert places(declared, "b") == [("more.txt", 1)]
    assert problems(declared) == [("more.txt", 2, "HC011")]
    assert "requirements.txt -> more.txt -> requirements.txt" in declared.problems[0].message


def test_constraints_do_not_declare() -> None:
    declared = read({"requirements.txt": "-c constraints.txt\nrequests\n", "constraints.txt": "urllib3<2\n"})
    assert set(declared.dependencies) == {"requests"}
    assert "constraints.txt" not in declared.manifests


def test_editable_and_local_paths_are_first_party() -> None:
    declared = read(
        {
            "requirements.txt": "-e .[dev]\n-e ./libs/core --config-settings editable_mode=compat\n"
            "./libs/plain\n--editable libs/egg#egg=eggy\n",
            "pyproject.toml": '[project]\nname = "Demo_App"\n',
            "libs/core/pyproject.toml": '[project]\nname = "core-lib"\n',
        }
    )
    assert [
        (item.directory, item.line, item.name)
        for item in declared.first_party
        if item.path == "requirements.txt"
    ] == [
        ("", 1, "demo-app"),
        ("libs/core", 2, "core-lib"),
        ("libs/plain", 3, None),
        ("libs/egg", 4, "eggy"),
    ]
    assert places(declared, "core-lib") == [("requirements.txt", 2)]
    assert declared.problems == []


def test_url_without_a_name_is_a_warning() -> None:
    declared = read(
        {"requirements.txt": "git+https://example.com/org/repo.git\n-r https://example.com/r.txt\n"}
    )
    assert problems(declared) == [("requirements.txt", 1, "HC013"), ("requirements.txt", 2, "HC013")]
    assert declared.dependencies == {}


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("requests==", "invalid requirement"),
        ("--frobnicate", "unknown option"),
        ("requests --frobnicate", "unknown option"),
        ("-r", "needs a value"),
        ("-e 'unclosed", "cannot read option line"),
    ],
)
def test_unreadable_requirement_line_is_a_problem(line: str, fragment: str) -> None:
    declared = read({"requirements.txt": f"attrs\n{line}\n"})
    assert problems(declared) == [("requirements.txt", 2, "HC011")]
    assert fragment in declared.problems[0].message


def test_pip_tools_in_files_and_utf16_freeze_output() -> None:
    frozen = codecs.BOM_UTF16_LE + "attrs==23.1.0\r\nsix==1.16.0\r\n".encode("utf-16-le")
    declared = read(
        {"requirements.in": "httpx\n", "dev-requirements.txt": frozen, "MANIFEST.in": "include *.txt\n"}
    )
    assert places(declared, "httpx") == [("requirements.in", 1)]
    assert places(declared, "six") == [("dev-requirements.txt", 2)]
    assert "MANIFEST.in" not in declared.manifests


# --- setup.cfg and setup.py -----------------------------------------------------------------------


def test_setup_cfg() -> None:
    declared = read(
        {
            "setup.cfg": (
                "[metadata]\nname = demo\n\n"  # 1-3
                "[options]\n"  # 4
                "install_requires =\n"  # 5
                "    requests>=2\n"  # 6
                "    # a comment\n"  # 7
                "    tomli; python_version < '3.11'\n"  # 8
                "tests_require = pytest; hypothesis\n"  # 9
                "setup_requires = setuptools_scm\n"  # 10
                "\n[options.extras_require]\n"  # 11-12
                "fast =\n    orjson\n"  # 13-14
                "reqs = file: extra.txt\n"  # 15
            ),
            "extra.txt": "rich\n",
        }
    )
    assert places(declared, "requests") == [("setup.cfg", 6)]
    assert places(declared, "tomli") == [("setup.cfg", 8)]
    assert places(declared, "pytest") == [("setup.cfg", 9)]
    assert places(declared, "hypothesis") == [("setup.cfg", 9)]
    assert places(declared, "orjson") == [("setup.cfg", 14)]
    assert places(declared, "rich") == [("extra.txt", 1)]
    assert "setuptools-scm" not in declared
    assert "setuptools-scm" in declared.build_requires
    assert declared.problems == []


def test_invalid_setup_cfg_is_a_problem() -> None:
    declared = read({"setup.cfg": "[options]\ninstall_requires = a\n[options]\n"})
    assert problems(declared) == [("setup.cfg", 3, "HC011")]


def test_setup_py_literals_names_and_concatenation() -> None:
    declared = read(
        {
            "setup.py": (
                "from setuptools import setup\n"  # 1
                "BASE = [\n"  # 2
                "    'requests>=2',\n"  # 3
                "]\n"  # 4
                "EXTRAS = {'yaml': ['PyYAML'], 'all': BASE + ['rich']}\n"  # 5
                "setup(\n"  # 6
                "    name='demo',\n"  # 7
                "    install_requires=BASE + ['click'],\n"  # 8
                "    extras_require=EXTRAS,\n"  # 9
                "    setup_requires=['cython'],\n"  # 10
                ")\n"
            )
        }
    )
    assert places(declared, "requests") == [("setup.py", 3)]
    assert places(declared, "click") == [("setup.py", 8)]
    assert places(declared, "pyyaml") == [("setup.py", 5)]
    assert places(declared, "rich") == [("setup.py", 5)]
    assert "cython" in declared.build_requires and "cython" not in declared
    assert declared.problems == []


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("from setuptools import setup\nsetup(install_requires=open('r.txt').read().splitlines())\n", 2),
        ("from setuptools import setup\nREQS = []\nREQS += ['x']\nsetup(install_requires=REQS)\n", 4),
        ("import setuptools\nkw = {}\nsetuptools.setup(**kw)\n", 3),
        ("from setuptools import find_packages\nprint('no setup call')\n", 1),
        ("from setuptools import setup\nsetup(install_requires=[f'{x}'] if x else [],\n)\n", 2),
    ],
)
def test_setup_py_that_is_not_static_is_a_warning(source: str, line: int) -> None:
    declared = read({"setup.py": source})
    assert problems(declared) == [("setup.py", line, "HC013")]
    assert "x" not in declared


def test_setup_py_that_does_not_parse_is_a_warning() -> None:
    assert problems(read({"setup.py": "try:\n    pass\nexcept ImportError, e:\n    pass\n"})) == [
        ("setup.py", 3, "HC013")
    ]


def test_module_named_setup_py_that_packages_nothing_is_ignored() -> None:
    assert read({"setup.py": "def setup_tests():\n    pass\n"}).problems == []


# --- Pipfile, conda -------------------------------------------------------------------------------


def test_pipfile() -> None:
    declared = read(
        {
            "Pipfile": (
                '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n'
                '[packages]\nrequests = "*"\nlocal = { path = "./libs/local", editable = true }\n\n'
                '[dev-packages]\nrequests = { version = "*", extras = ["socks"] }\npytest = "*"\n\n'
                '[docs]\nsphinx = "*"\n\n[requires]\npython_version = "3.11"\n'
            )
        }
    )
    assert places(declared, "requests") == [("Pipfile", 6), ("Pipfile", 10)]
    assert places(declared, "pytest") == [("Pipfile", 11)]
    assert places(declared, "sphinx") == [("Pipfile", 14)]
    assert "python-version" not in declared and "pypi" not in declared
    assert LocalPath("libs/local", "Pipfile", 7, "local") in declared.first_party


def test_conda_environment_with_pip_section() -> None:
    declared = read(
        {
            "environment.yml": (
                "name: demo\n"  # 1
                "channels: [conda-forge]\n"  # 2
                "dependencies:\n"  # 3
                "  - python=3.11\n"  # 4
                "  - numpy>=1.26\n"  # 5
                "  - conda-forge::pandas=2.1=py311*\n"  # 6
                "  - scikit-learn 1.3.*\n"  # 7
                "  - pip\n"  # 8
                "  - pip:\n"  # 9
                "      - httpx[http2]==0.27\n"  # 10
                "      - -r requirements/pip.txt\n"  # 11
            ),
            "requirements/pip.txt": "rich\n",
        }
    )
    assert "python" not in declared
    assert places(declared, "numpy") == [("environment.yml", 5)]
    assert places(declared, "pandas") == [("environment.yml", 6)]
    assert places(declared, "scikit-learn") == [("environment.yml", 7)]
    assert places(declared, "httpx") == [("environment.yml", 10)]
    assert places(declared, "rich") == [("requirements/pip.txt", 1)]
    assert declared.problems == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("dependencies:\n  - numpy\n  - [oops\n", 4),
        ("dependencies: numpy\n", 1),
        ("dependencies:\n  - {a: 1}\n", 2),
    ],
)
def test_bad_conda_environment_is_a_problem(text: str, line: int) -> None:
    assert problems(read({"environment.yaml": text})) == [("environment.yaml", line, "HC011")]


# --- lock files -----------------------------------------------------------------------------------

UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "httpx" },
]

[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "idna" }]

[[package]]
name = "idna"
version = "3.7"
"""

POETRY_LOCK = """\
[[package]]
name = "certifi"
version = "2024.2.2"

[package.dependencies]
name = "not-a-package"

[[package]]
name = "Charset-Normalizer"
version = "3.3.2"

[metadata]
lock-version = "2.0"
"""

PYLOCK = """\
lock-version = "1.0"
created-by = "tool"

[[packages]]
name = "attrs"
version = "23.2.0"

[[packages.wheels]]
name = "attrs-23.2.0-py3-none-any.whl"

[[packages]]
name = "sniffio"
version = "1.3.1"
"""

PIPFILE_LOCK = """\
{
    "_meta": {"hash": {"sha256": "x"}},
    "default": {
        "requests": {"version": "==2.31.0"},
        "urllib3": {"version": "==2.2.1"}
    },
    "develop": {
        "pytest": {"version": "==8.0.0"}
    }
}
"""


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("uv.lock", UV_LOCK, {"demo": 5, "httpx": 13, "idna": 19}),
        ("poetry.lock", POETRY_LOCK, {"certifi": 2, "charset-normalizer": 9}),
        ("pdm.lock", POETRY_LOCK, {"certifi": 2, "charset-normalizer": 9}),
        ("pylock.toml", PYLOCK, {"attrs": 5, "sniffio": 12}),
        ("pylock.dev.toml", PYLOCK, {"attrs": 5, "sniffio": 12}),
        ("Pipfile.lock", PIPFILE_LOCK, {"requests": 4, "urllib3": 5, "pytest": 8}),
    ],
)
def test_lock_files_lock_but_do_not_declare(path: str, text: str, expected: dict[str, int]) -> None:
    declared = read({path: text})
    assert declared.dependencies == {}
    assert {name: items[0].line for name, items in declared.locked.items()} == expected
    assert all(items[0].path == path for items in declared.locked.values())


def test_invalid_lock_file_is_a_problem_once_it_is_read() -> None:
    declared = read({"uv.lock": "[[package]\n"})
    assert declared.problems == []  # lock files are read on first use only
    assert declared.locked == {}
    assert problems(declared) == [("uv.lock", 1, "HC011")]
    declared = read({"Pipfile.lock": "{\n  oops\n}\n"})
    declared.load_locks()
    assert problems(declared) == [("Pipfile.lock", 2, "HC011")]


# --- discovery ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "pyproject.toml",
        "svc/pyproject.toml",
        "setup.cfg",
        "setup.py",
        "Pipfile",
        "environment.yml",
        "environment.yaml",
        "requirements.txt",
        "requirements-dev.txt",
        "dev-requirements.txt",
        "requirements.in",
        "requirements/base.txt",
        "requirements/prod.in",
        "svc/requirements/test.txt",
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "pylock.toml",
        "pylock.dev.toml",
        "Pipfile.lock",
    ],
)
def test_is_manifest_recognises_every_format(path: str) -> None:
    assert is_manifest(path)
    assert may_declare(path)


@pytest.mark.parametrize(
    "path", ["MANIFEST.in", "README.txt", "setup.pyi", "src/setup_utils.py", "docs/conf.py"]
)
def test_is_manifest_rejects_other_files(path: str) -> None:
    assert not is_manifest(path)


def test_any_text_file_may_be_an_include() -> None:
    assert may_declare("deps/common.txt")
    assert may_declare("MANIFEST.in")
    assert not may_declare("app.py")


# --- TOML positions -------------------------------------------------------------------------------


def test_toml_lines_survive_strings_comments_and_inline_tables() -> None:
    text = (
        "[tool.x]\n"  # 1
        'doc = """\n[project]\ndependencies = ["fake"]\n"""\n'  # 2-5
        "# [project] in a comment ] [\n"  # 6
        "'quoted.key' = 'a ] string'\n"  # 7
        "[project]\n"  # 8
        "dependencies = [  # a [comment\n"  # 9
        '  "fake",\n'  # 10
        "]\n"  # 11
        "optional-dependencies = { dev = [\n"  # 12
        '  "fake"] }\n'  # 13
        '[[tool.hatch.envs]]\nname = "a"\n'  # 14-15
        '[[tool.hatch.envs]]\nname = "b"\n'  # 16-17
    )
    lines = TomlLines(text)
    assert lines.line_of(("project", "dependencies"), "fake") == 10
    assert lines.line_of(("project", "optional-dependencies", "dev"), "fake") == 13
    assert lines.line_of(("tool", "x", "quoted.key")) == 7
    assert [table.path for table in lines.tables].count(("tool", "hatch", "envs")) == 2
    second = lines.tables_named(("tool", "hatch", "envs"))[1]
    entry = lines.entry_in(second, ("name",))
    assert entry is not None and lines.line_at(entry.start) == 17


def test_toml_lines_without_any_table() -> None:
    lines = TomlLines('version = 1\nnames = [\n  "a",\n  "b"]')
    assert lines.tables == []
    assert lines.line_of(("names",), "b") == 4
    assert lines.line_of(("missing",)) == 1


_NAME_PARTS = st.sampled_from(["requirement", "s", "pylock", ".", "txt", "in", "toml", "-", "x"])


_NAME_TEXT = st.text(alphabet=".rtxinquemlockpy*?[]İK", max_size=20)


@given(st.one_of(st.lists(_NAME_PARTS, max_size=7).map("".join), _NAME_TEXT))
@settings(max_examples=800, deadline=None)
def test_manifest_name_globs_are_matched_as_fnmatch_matches_them(name: str) -> None:
    """The manifests' file-name globs are matched with string tests: the same answer as ``fnmatch`` gives."""
    import fnmatch

    from hallucheck.manifests import _PATTERNS, _pattern_family

    lowered = name.lower()
    expected = next((family for pattern, family in _PATTERNS if fnmatch.fnmatchcase(lowered, pattern)), None)
    assert _pattern_family(lowered) == expected


@pytest.mark.parametrize("name", [
    "requirements.txt", "dev-requirements.in", "pylock..toml", "pylock.x.toml", "requirements", "requirement.txt",
    "requirements.txt.bak", ".txt", "pylock.toml", "x.requirements", "requirements.in.txt", "requirementstxt",
    "requirements.", "pylock.toml.toml", "pylock.a.b.toml", "requirements.txt.in", "a.requirements.b.in",
])
def test_manifest_name_globs_on_the_edges(name: str) -> None:
    import fnmatch

    from hallucheck.manifests import _PATTERNS, _pattern_family

    expected = next((family for pattern, family in _PATTERNS if fnmatch.fnmatchcase(name, pattern)), None)
    assert _pattern_family(name) == expected


# --- conda recipes --------------------------------------------------------------------------------


def test_conda_build_recipe_with_jinja_selectors_and_outputs() -> None:
    recipe = (
        '{% set name = "demo" %}\n{% set version = "1.0" %}\npackage:\n  name: {{ name|lower }}\n'
        "  version: {{ version }}\nrequirements:\n  build:\n    - {{ compiler('c') }}\n    - cmake\n"
        "  host:\n    - python {{ python_min }}\n    - pip\n  run:\n    - python >=3.9\n"
        "    - numpy >=1.22  # [not win]\n    - conda-forge::pytorch\n    - {{ pin_compatible('numpy') }}\n"
        "  run_constrained:\n    - only-a-bound\ntest:\n  requires:\n    - pytest\noutputs:\n  - name: sub\n"
        "    requirements:\n      - sub-run\n"
    )
    declared = read({"meta.yaml": recipe})
    assert places(declared, "numpy") == [("meta.yaml", 15)]
    assert places(declared, "torch") == [("meta.yaml", 16)]  # pytorch packages torch
    assert places(declared, "sub-run") == [("meta.yaml", 26)]
    assert declared.dependencies["pytest"][0].development
    assert {"cmake", "pip"} <= set(declared.build_requires) and "cmake" not in declared
    assert "only-a-bound" not in declared and "python" not in declared and "jinja" not in str(declared.dependencies)
    assert declared.problems == []


def test_rattler_build_recipe_reads_both_branches_and_tests() -> None:
    recipe = (
        "context:\n  v: '1'\nrecipe:\n  name: demo\noutputs:\n  - package:\n      name: demo\n"
        "    requirements:\n      run:\n        - if: win\n          then: [pywin32]\n          else:\n"
        "            - uvloop\n        - ${{ pin_subpackage('x') }}\n    tests:\n      - python:\n"
        "          imports: [demo]\n      - script: [pytest]\n        requirements:\n          run: [pytest-cov]\n"
    )
    declared = read({"recipe.yaml": recipe})
    assert places(declared, "pywin32") == [("recipe.yaml", 11)]
    assert places(declared, "uvloop") == [("recipe.yaml", 13)]
    assert declared.dependencies["pytest-cov"][0].development
    assert "demo" not in declared.dependencies and declared.problems == []


@pytest.mark.parametrize("text", [
    "title: Not a recipe\nrequirements: []\n",  # no package
    "package: x\n",  # no requirements
    "{% if x %}\n: [\n",  # not a recipe, not YAML: nothing said
])
def test_a_meta_yaml_that_is_no_recipe_declares_nothing(text: str) -> None:
    declared = read({"docs/meta.yaml": text})
    assert declared.dependencies == {} and declared.problems == []


def test_a_recipe_that_is_not_yaml_is_a_problem() -> None:
    declared = read({"meta.yaml": "package:\n  name: x\nrequirements:\n  run: [a\n  - b\n"})
    assert problems(declared) and problems(declared)[0][0] == "meta.yaml"


_PYPROJECT = '[project]\nname = "demo"\n'
NEW_PLACES: dict[str, Callable[[int], dict[str, str | bytes]]] = {
    "uv dependency-metadata tables": lambda n: {"pyproject.toml": _PYPROJECT + "".join(
        f'[[tool.uv.dependency-metadata]]\nname = "p{i}"\nrequires-dist = ["q{i}", "r{i}"]\n' for i in range(n))},
    "cibuildwheel overrides": lambda n: {"pyproject.toml": _PYPROJECT + "".join(
        f'[[tool.cibuildwheel.overrides]]\nselect = "c{i}"\n' + (f'test-requires = "t{i} u{i}"\n' if i % 2 else "")
        for i in range(n))},
    "recipe requirements": lambda n: {"meta.yaml": "package: {name: x}\nrequirements:\n  run:\n" + "".join(
        f"    - p{i} {{{{ v{i} }}}}  # [win]\n" for i in range(n))},
    "recipe unclosed templates": lambda n: {"meta.yaml": "package: {name: x}\nrequirements:\n  run:\n"
                                            + "    - {{ x {% y\n" * n},
}


@pytest.mark.parametrize("family", sorted(NEW_PLACES))
def test_new_declaration_places_cost_what_their_text_costs(family: str) -> None:
    small, large = NEW_PLACES[family](150), NEW_PLACES[family](1200)
    small_time, large_time = cpu_seconds(lambda: read(small)), cpu_seconds(lambda: read(large))
    assert large_time < 8 * 3 * max(small_time, 0.002), (family, small_time, large_time)


def test_modules_tools_import_are_read_from_pyproject() -> None:
    from hallucheck.manifests.tool_modules import tool_modules

    text = ('[project]\nname = "demo"\n[tool.mypy]\nplugins = [\n  "pydantic.mypy",\n  "mypy_zope:plugin",\n'
            '  "plugins/local.py",\n]\n[tool.pytest.ini_options]\naddopts = "-ra -p xdist.plugin -pmine '
            '-p no:cacheprovider -p pytester --strict-markers"\n[tool.pytest]\naddopts = ["-p", "other"]\n')
    assert [(item.line, item.module, item.where) for item in tool_modules(text)] == [
        (5, "pydantic.mypy", "[tool.mypy] plugins"), (6, "mypy_zope", "[tool.mypy] plugins"),
        (10, "xdist.plugin", "[tool.pytest.ini_options] addopts"), (10, "mine", "[tool.pytest.ini_options] addopts"),
        (12, "other", "[tool.pytest] addopts"),
    ]
    assert tool_modules('[tool.mypy]\nplugins = "a.b, c"\n') == tool_modules('[tool.mypy]\nplugins = ["a.b", "c"]\n')
    assert tool_modules("[tool.mypy\nplugins = 'x'") == []  # not TOML: the manifest reader reports it
