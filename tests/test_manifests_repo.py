"""Manifests end to end on real repositories: HEAD against the index, a fixture per format and tricky line."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo


def findings(outcome: Any) -> list[tuple[str, str, int, str]]:
    return [(f["code"], f["path"], f["line"], f["severity"]) for f in outcome.json()["findings"]]


_RECIPE = """\
{{% set version = "1.0" %}}
package:
  name: demo
  version: {{{{ version }}}}
requirements:
  build:
    - {{{{ compiler('c') }}}}
  host:
    - python
    - pip
  run:
    - requests
{run}test:
  requires:
    - pytest
"""
"""A conda-build recipe: Jinja statements and expressions, selectors."""

# Each format: the manifest at HEAD declares `requests`; the staged one adds `slopsquat-pkg` on a known line.
Files = dict[str, str | bytes]
FORMATS: dict[str, tuple[Files, Files, tuple[str, int]]] = {
    "pep621": (
        {"pyproject.toml": '[project]\nname = "demo"\ndependencies = ["requests"]\n'},
        {
            "pyproject.toml": '[project]\nname = "demo"\n'
            'dependencies = [\n  "requests",\n  "slopsquat-pkg>=1",\n]\n'
        },
        ("pyproject.toml", 5),
    ),
    "pep621-optional": (
        {
            "pyproject.toml": '[project]\ndependencies = ["requests"]\n'
            "[project.optional-dependencies]\nx = []\n"
        },
        {
            "pyproject.toml": '[project]\ndependencies = ["requests"]\n[project.optional-dependencies]\n'
            'x = ["slopsquat-pkg"]\n'
        },
        ("pyproject.toml", 4),
    ),
    "dependency-groups": (
        {"pyproject.toml": '[dependency-groups]\nbase = ["requests"]\ndev = [{include-group = "base"}]\n'},
        {
            "pyproject.toml": '[dependency-groups]\nbase = ["requests"]\ndev = [{include-group = "base"},\n'
            '  "slopsquat-pkg"]\n'
        },
        ("pyproject.toml", 4),
    ),
    "poetry": (
        {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\nrequests = "^2"\n'},
        {
            "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\nrequests = "^2"\n\n'
            '[tool.poetry.group.dev.dependencies]\nslopsquat-pkg = { git = "https://x/y.git" }\n'
        },
        ("pyproject.toml", 6),
    ),
    "pdm": (
        {"pyproject.toml": '[project]\ndependencies = ["requests"]\n'},
        {
            "pyproject.toml": '[project]\ndependencies = ["requests"]\n[tool.pdm.dev-dependencies]\n'
            'lint = ["slopsquat-pkg"]\n'
        },
        ("pyproject.toml", 4),
    ),
    "uv": (
        {"pyproject.toml": '[project]\ndependencies = ["requests"]\n'},
        {
            "pyproject.toml": '[project]\ndependencies = ["requests"]\n'
            '[tool.uv]\ndev-dependencies = ["slopsquat-pkg"]\n'
        },
        ("pyproject.toml", 4),
    ),
    "hatch": (
        {"pyproject.toml": '[project]\ndependencies = ["requests"]\n'},
        {
            "pyproject.toml": '[project]\ndependencies = ["requests"]\n[tool.hatch.envs.test]\n'
            'dependencies = ["slopsquat-pkg"]\n'
        },
        ("pyproject.toml", 4),
    ),
    "flit-metadata": (
        {"pyproject.toml": '[tool.flit.metadata]\nmodule = "demo"\nrequires = ["requests"]\n'},
        {"pyproject.toml": '[tool.flit.metadata]\nmodule = "demo"\nrequires = ["requests"]\n'
                           '[tool.flit.metadata.requires-extra]\nfast = ["slopsquat-pkg"]\n'},
        ("pyproject.toml", 5),
    ),
    "cibuildwheel-test-requires": (
        {"pyproject.toml": '[project]\ndependencies = ["requests"]\n'},
        {"pyproject.toml": '[project]\ndependencies = ["requests"]\n[[tool.cibuildwheel.overrides]]\n'
                           'select = "cp312-*"\ntest-requires = "slopsquat-pkg"\n'},
        ("pyproject.toml", 5),
    ),
    "uv-dependency-metadata": (
        {"pyproject.toml": '[project]\ndependencies = ["requests", "urllib3"]\n'},
        {"pyproject.toml": '[project]\ndependencies = ["requests", "urllib3"]\n[[tool.uv.dependency-metadata]]\n'
                           'name = "requests"\nversion = "2.32.3"\nrequires-dist = ["urllib3"]\n'
                           '[[tool.uv.dependency-metadata]]\nname = "urllib3"\n'
                           'requires-dist = [\n  "slopsquat-pkg",\n]\n'},
        ("pyproject.toml", 10),  # each [[table]]'s own lines
    ),
    "conda-recipe": (
        {"meta.yaml": _RECIPE.format(run="")},
        {"meta.yaml": _RECIPE.format(run="    - slopsquat-pkg >=1  # [not win]\n")},
        ("meta.yaml", 13),
    ),
    "rattler-recipe": (
        {"recipe.yaml": 'context:\n  v: "1"\npackage:\n  name: demo\n  version: ${{ v }}\nrequirements:\n'
                        '  run:\n    - requests\n'},
        {"recipe.yaml": 'context:\n  v: "1"\npackage:\n  name: demo\n  version: ${{ v }}\nrequirements:\n'
                        '  run:\n    - requests\n    - if: unix\n      then:\n        - slopsquat-pkg\n'},
        ("recipe.yaml", 11),
    ),
    "setuptools-dynamic-file": (
        {
            "pyproject.toml": '[project]\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\n'
            'dependencies = {file = ["deps.in"]}\n',
            "deps.in": "requests\n",
        },
        {"deps.in": "requests\nslopsquat-pkg\n"},
        ("deps.in", 2),
    ),
    "setup.cfg": (
        {"setup.cfg": "[metadata]\nname = demo\n[options]\ninstall_requires =\n    requests\n"},
        {
            "setup.cfg": "[metadata]\nname = demo\n[options]\n"
            "install_requires =\n    requests\n    slopsquat-pkg\n"
        },
        ("setup.cfg", 6),
    ),
    "setup.py": (
        {"setup.py": "from setuptools import setup\nsetup(install_requires=['requests'])\n"},
        {
            "setup.py": "from setuptools import setup\nREQS = ['requests',\n        'slopsquat-pkg']\n"
            "setup(install_requires=REQS)\n"
        },
        ("setup.py", 3),
    ),
    "Pipfile": (
        {"Pipfile": '[packages]\nrequests = "*"\n'},
        {"Pipfile": '[packages]\nrequests = "*"\n\n[dev-packages]\nslopsquat-pkg = "*"\n'},
        ("Pipfile", 5),
    ),
    "conda": (
        {"environment.yml": "dependencies:\n  - requests\n"},
        {"environment.yml": "dependencies:\n  - requests\n  - pip:\n    - slopsquat-pkg==1.0\n"},
        ("environment.yml", 4),
    ),
    "requirements.in": (
        {"requirements.in": "requests\n"},
        {"requirements.in": "requests\n# added:\nslopsquat-pkg ; python_version >= '3.8'\n"},
        ("requirements.in", 3),
    ),
    "requirements-include": (
        {"requirements.txt": "-r requirements/base.txt\n", "requirements/base.txt": "requests\n"},
        {"requirements/base.txt": "requests\n-r extra.txt\n", "requirements/extra.txt": "slopsquat-pkg\n"},
        ("requirements/extra.txt", 1),
    ),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_declares_and_reports_additions_at_their_line(fmt: str, repo: Repo, run: Any) -> None:
    head, staged, (path, line) = FORMATS[fmt]
    repo.commit(head)
    repo.stage({**staged, "app.py": "import requests\nimport slopsquat_pkg\n"})
    outcome = run()
    expected = [("HC003", "app.py", 2, "review"), ("HC004", path, line, "review")]
    if fmt == "dependency-groups":  # `requests` only in a dependency group: development only, app.py is not
        expected.append(("HC008", "app.py", 1, "warning"))
    assert findings(outcome) == sorted(expected, key=lambda item: (item[1], item[2]))
    assert outcome.code == 1


def test_version_bump_marker_change_and_move_between_files_pass(repo: Repo, run: Any) -> None:
    repo.commit(
        {"requirements.txt": "requests==2.0\nattrs\n", "pyproject.toml": "[project]\ndependencies = []\n"}
    )
    repo.stage(
        {
            "requirements.txt": "requests==2.32 ; python_version >= '3.8'\n",
            "pyproject.toml": '[project]\ndependencies = ["attrs>=23"]\n',
            "app.py": "import requests\nimport attr\n",
        }
    )
    outcome = run()
    assert (outcome.code, findings(outcome)) == (0, [])


def test_change_to_an_included_file_with_any_name_is_seen(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "-r deps/common.list.txt\n", "deps/common.list.txt": "requests\n"})
    repo.stage({"deps/common.list.txt": "requests\nrich\n"})
    assert findings(run()) == [("HC004", "deps/common.list.txt", 2, "review")]


def test_constraint_files_do_not_declare(repo: Repo, run: Any) -> None:
    # click, not urllib3: requests requires urllib3, which the module index knows (a transitive warning, HC006).
    repo.commit({"requirements.txt": "-c constraints.txt\nrequests\n", "constraints.txt": "click<9\n"})
    repo.stage({"app.py": "import click\n"})
    assert findings(run()) == [("HC007", "app.py", 1, "error")]


def test_editable_local_path_is_first_party_and_no_new_package(repo: Repo, run: Any) -> None:
    repo.commit(
        {
            "requirements.txt": "requests\n",
            "libs/core/pyproject.toml": '[project]\nname = "core"\n',
            "libs/core/src/core/__init__.py": "",
        }
    )
    repo.stage({"requirements.txt": "requests\n-e ./libs/core\n", "app.py": "import core\n"})
    outcome = run()
    assert (outcome.code, findings(outcome)) == (0, [])


# --- monorepo scope -------------------------------------------------------------------------------

MONOREPO: Files = {
    "requirements.txt": "rich\n",
    "services/api/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
    "services/worker/requirements.txt": "celery\n",
}


def test_member_does_not_borrow_a_sibling_dependency(repo: Repo, run: Any) -> None:
    repo.commit(MONOREPO)
    repo.stage({"services/worker/jobs.py": "import celery\nimport rich\nimport fastapi\n"})
    assert findings(run()) == [("HC002", "services/worker/jobs.py", 3, "error")]


def test_workspace_member_uses_the_root_declarations(repo: Repo, run: Any) -> None:
    repo.commit(
        {
            "pyproject.toml": '[project]\nname = "root"\n[dependency-groups]\ndev = ["pytest"]\n'
            '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            "packages/a/pyproject.toml": '[project]\nname = "a"\ndependencies = ["httpx"]\n',
            "packages/b/pyproject.toml": '[project]\nname = "b"\ndependencies = ["numpy"]\n',
        }
    )
    repo.stage(
        {
            "packages/a/src/a/__init__.py": "",
            "packages/a/tests/test_a.py": "import pytest\nimport httpx\nimport a\nimport numpy\n",
        }
    )
    assert findings(run()) == [("HC002", "packages/a/tests/test_a.py", 4, "error")]


def test_dependency_removed_from_a_member_while_imported(repo: Repo, run: Any) -> None:
    repo.commit(MONOREPO)
    repo.stage({"services/worker/requirements.txt": "", "services/worker/jobs.py": "import celery\n"})
    assert findings(run()) == [("HC005", "services/worker/jobs.py", 1, "error")]


def _pylock(*names: str) -> str:
    return 'lock-version = "1.0"\ncreated-by = "uv"\n' + "".join(
        f'\n[[packages]]\nname = "{name}"\nversion = "1.0"\n' for name in names)


def test_a_name_a_pylock_newly_pins_is_an_error_when_wrong_wherever_written(repo: Repo, run: Any) -> None:
    """``pip install -r pylock.toml`` installs each of its packages (attack C6). PEP 751 does not record what
    requires what (uv writes no ``dependencies``), so a new name may be any package's requirement: a documented
    hallucination or a look-alike of a popular name blocks; a real transitive name does not."""
    repo.commit({"pyproject.toml": '[project]\nname = "demo"\ndependencies = ["requests"]\n',
                 "pylock.toml": _pylock("requests", "certifi")})
    repo.stage({"pylock.toml": _pylock("requests", "certifi", "urllib3", "huggingface-cli", "reqeusts")})
    outcome = run()
    assert findings(outcome) == [("HC031", "pylock.toml", 17, "error"), ("HC030", "pylock.toml", 21, "error")]
    assert "newly locked `huggingface-cli`" in outcome.out
    repo.stage({"pylock.toml": _pylock("requests", "certifi", "urllib3", "charset-normalizer", "idna")})
    assert findings(run()) == []


def test_lock_only_transitive_import_is_a_warning(repo: Repo, run: Any) -> None:
    repo.commit(
        {
            "pyproject.toml": '[project]\nname = "demo"\ndependencies = ["pandas"]\n',
            "uv.lock": '[[package]]\nname = "pandas"\nversion = "2.2.0"\n\n'
            '[[package]]\nname = "python-dateutil"\nversion = "2.9.0"\n',
        }
    )
    repo.stage({"app.py": "import pandas\nfrom dateutil import parser\n"})
    outcome = run()
    assert findings(outcome) == [("HC006", "app.py", 2, "warning")]
    assert outcome.code == 0
    assert "transitive" in outcome.json()["findings"][0]["message"]


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"pyproject.toml": '[project]\ndependencies = [\n  "requests",\n  "bad req!"\n]\n'},
            ("HC011", "pyproject.toml", 4),
        ),
        ({"requirements.txt": "requests\n-r missing.txt\n"}, ("HC011", "requirements.txt", 2)),
        (
            {"requirements.txt": "requests\n-r more.txt\n", "more.txt": "-r requirements.txt\n"},
            ("HC011", "more.txt", 1),
        ),
        ({"requirements.txt": b"requests\n\xff\n"}, ("HC012", "requirements.txt", 2)),
        ({"environment.yml": "dependencies:\n  - requests\n  - [\n"}, ("HC011", "environment.yml", 4)),
        ({"Pipfile": '[packages]\nrequests = "*"\nrequests = "*"\n'}, ("HC011", "Pipfile", 3)),
    ],
)
def test_bad_manifest_blocks_with_file_and_line(
    files: dict[str, Any], expected: tuple[str, str, int], repo: Repo, run: Any
) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({**files, "app.py": "import requests\n"})
    outcome = run()
    assert outcome.code == 1
    assert (*expected, "error") in findings(outcome)
    assert "Traceback" not in outcome.out + outcome.err


def test_broken_include_at_head_fixed_by_the_change_is_a_warning(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n-r missing.txt\n"})
    repo.stage({"requirements.txt": "requests\n-r present.txt\n", "present.txt": "attrs\n"})
    outcome = run()
    assert ("HC011", "requirements.txt", 2, "warning") in findings(outcome)
    assert outcome.code == 1  # attrs is a new dependency: review
    assert ("HC004", "present.txt", 1, "review") in findings(outcome)


def test_broken_manifest_elsewhere_in_a_monorepo_does_not_block(repo: Repo, run: Any) -> None:
    repo.commit({**MONOREPO, "services/api/pyproject.toml": "[project\n"})
    repo.stage({"services/worker/jobs.py": "import celery\n"})
    assert (run().code, findings(run())) == (0, [])


def test_setup_py_that_computes_requirements_is_a_warning(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage(
        {"setup.py": "from setuptools import setup\nsetup(install_requires=open('r').read().split())\n"}
    )
    outcome = run()
    assert findings(outcome) == [("HC013", "setup.py", 2, "warning")]
    assert outcome.code == 0


@pytest.mark.parametrize("path", ["env.yml", "environment-dev.yaml", "ci/deps/actions-311.yaml", "conda.yaml",
                                  "python_env.yaml"])
def test_environment_files_by_other_names_are_read_when_their_content_is_one(path: str, repo: Repo, run: Any) -> None:
    """A conda environment file named as real projects name them (attack H11) declares, and what a change adds
    to it is reviewed; a YAML file of that name that is not an environment declares nothing and is no problem."""
    repo.commit({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'})
    repo.stage({path: "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n    - slopsquat-pkg\n"})
    outcome = run()
    assert [(code, where, line) for code, where, line, _ in findings(outcome)] == [("HC004", path, 5)]
    repo.stage({path: "dependencies:\n  service: {name: x}\nenv: [a, b]\n"})
    assert (run().code, findings(run())) == (0, [])


@pytest.mark.parametrize("table", [
    '[tool.poetry.requires-plugins]\nslopsquat-pkg = ">=1"\n', '[tool.hatch.env]\nrequires = ["slopsquat-pkg"]\n',
    '[tool.pdm]\nplugins = ["slopsquat-pkg"]\n',
])  # fmt: skip
def test_plugins_a_tool_installs_for_itself_are_declarations(table: str, repo: Repo, run: Any) -> None:
    """Poetry, hatch and PDM install these before they run (attack H24): a new one is reviewed."""
    base = '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'
    repo.commit({"pyproject.toml": base})
    repo.stage({"pyproject.toml": base + table})
    assert [(code, path, line) for code, path, line, _ in findings(run())] == [("HC004", "pyproject.toml", 6)]


def test_hatch_requirements_txt_files_are_the_dependencies(repo: Repo, run: Any) -> None:
    """hatch-requirements-txt makes its files the project's dependencies (attack H24): they declare, and what a
    change adds to them is reviewed."""
    hook = '[tool.hatch.metadata.hooks.requirements_txt]\nfiles = ["deps.in"]\n'
    repo.commit({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndynamic = ["dependencies"]\n' + hook,
                 "deps.in": "requests\n"})
    repo.stage({"deps.in": "requests\nslopsquat-pkg\n", "a.py": "import requests\n"})
    assert [(code, path, line) for code, path, line, _ in findings(run())] == [("HC004", "deps.in", 2)]


def _pixi_lock(names: tuple[str, ...], required: tuple[str, ...], version: str) -> str:
    entries = "".join(f"- pypi: https://files.pythonhosted.org/packages/{name}-1.0-py3-none-any.whl\n  name: {name}\n"
                      f"  version: '1.0'\n" for name in names)  # fmt: skip
    requires = "".join(f"  - {name}>=1\n" for name in required)
    return ("version: 6\npackages:\n- conda: https://conda.anaconda.org/conda-forge/linux-64/python-3.12.1-h_0.conda\n"
            "  depends:\n  - openssl >=3\n- conda: https://conda.anaconda.org/conda-forge/linux-64/openssl-3.2.0-h_1.conda\n"
            f"- pypi: https://files.pythonhosted.org/packages/requests-{version}-py3-none-any.whl\n  name: requests\n"
            f"  version: {version}\n  requires_dist:\n{requires}  - pysocks ; extra == 'socks'\n"
            "- pypi: .\n  name: demo\n  version: 0.1.0\n  requires_dist: [requests]\n  editable: true\n" + entries)


def _conda_lock(names: tuple[str, ...], required: tuple[str, ...], version: str) -> str:
    def package(name: str, manager: str, dependencies: str = "{}", pinned: str = "1.0") -> str:
        return (f"- name: {name}\n  version: '{pinned}'\n  manager: {manager}\n  platform: linux-64\n"
                f"  dependencies: {dependencies}\n  url: https://example.org/{name}-{pinned}-h_0.conda\n")

    requires = "{" + ", ".join(f"{name}: '>=1'" for name in required) + "}"
    return ("version: 1\nmetadata:\n  sources: [environment.yml]\npackage:\n"
            + package("python", "conda", "{openssl: '>=3'}") + package("openssl", "conda")
            + package("pip", "conda", "{python: '>=3.8'}") + package("requests", "pip", requires, version)
            + "".join(package(name, "pip") for name in names))  # fmt: skip


def _rye_lock(names: tuple[str, ...], required: tuple[str, ...], version: str) -> str:
    def pin(name: str) -> str:
        return f"{name}==1.0\n    # via\n    #   demo\n    #   requests\n" if name in required else f"{name}==1.0\n"

    return f"# generated by rye\n-e file:.\nrequests=={version}\n    # via demo\n" + "".join(map(pin, names))


def _pipfile_lock(names: tuple[str, ...], required: tuple[str, ...], version: str) -> str:
    import json

    pins = [("requests", version), *((name, "1.0") for name in names)]
    packages = {name: {"version": f"=={pinned}"} for name, pinned in pins}
    return json.dumps({"_meta": {"pipfile-spec": 6}, "default": packages, "develop": {}}, indent=4) + "\n"


_ENVIRONMENT = "dependencies:\n  - python\n  - pip\n  - pip:\n    - requests\n"
LOCKS_INSTALLERS_READ = {
    "pixi.lock": (_pixi_lock, {"pixi.toml": '[pypi-dependencies]\nrequests = "*"\n'}),
    "conda-lock.yml": (_conda_lock, {"environment.yml": _ENVIRONMENT}),
    "requirements.lock": (_rye_lock, {}),
    "requirements-dev.lock": (_rye_lock, {}),
    "Pipfile.lock": (_pipfile_lock, {"Pipfile": '[packages]\nrequests = "*"\n'}),
}


@pytest.mark.parametrize("lock", sorted(LOCKS_INSTALLERS_READ))
def test_a_lock_an_installer_reads_blocks_a_new_hallucinated_name_and_reviews_an_unexplained_one(
    lock: str, repo: Repo, run: Any
) -> None:
    """``pixi install``, ``conda-lock install``, ``rye sync`` and ``pipenv sync`` install every package their lock
    pins (attack H23). A name that is an error wherever it is written blocks; a new one that nothing declares
    and no locked package requires is reviewed, as in ``uv.lock``, and so is one that only a package pinned
    before at the same version requires (``Pipfile.lock`` records no requirements: like ``pylock.toml``, only the
    error); a real transitive pin (a new version of requests requires it) and an unchanged lock give nothing."""
    lock_text, manifests = LOCKS_INSTALLERS_READ[lock]

    def written(*names: str, required: tuple[str, ...] = ("idna",), version: str = "2.31.0") -> str:
        return lock_text(("idna", *names), required, version)

    def staged(text: str) -> list[tuple[str, str, str]]:
        repo.stage({lock: text})
        return [(code, path, severity) for code, path, _, severity in findings(run())]

    repo.commit({"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["requests"]\n',
                 **manifests, lock: written()})  # fmt: skip
    assert staged(written("certifi", required=("idna", "certifi"), version="2.32.0")) == []
    review = [] if lock == "Pipfile.lock" else [("HC004", lock, "review")]
    assert staged(written("certifi", required=("idna", "certifi"))) == review  # hand-added to requests' pin
    assert staged(written("zzfoo-unknownpkg")) == review
    text = written("huggingface-cli")
    repo.stage({lock: text})
    outcome = run()
    assert [(code, path, severity) for code, path, _, severity in findings(outcome)] == [("HC031", lock, "error")]
    assert "huggingface-cli" in text.splitlines()[findings(outcome)[0][2] - 1]
    repo.stage({lock: written(), "app.py": "import requests\n"})
    assert findings(run()) == []


def test_a_requirements_lock_without_via_comments_gives_only_errors(repo: Repo, run: Any) -> None:
    """Older ``uv export`` output pins without ``# via`` comments (anthropic-sdk-python's requirements-dev.lock when
    it left rye): nothing says why a name is there, so a new one is no review, but a hallucinated one blocks."""
    repo.commit({"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["requests"]\n',
                 "requirements-dev.lock": "-e file:.\nrequests==2.31.0\n    # via demo\n"})  # fmt: skip
    export = "# uv export -o requirements-dev.lock\n-e .\nrequests==2.32.0\ncolorama==0.4.6 ; sys_platform == 'win32'\n"
    repo.stage({"requirements-dev.lock": export})
    assert findings(run()) == []
    repo.stage({"requirements-dev.lock": export + "huggingface-cli==0.1\n"})
    assert findings(run()) == [("HC031", "requirements-dev.lock", 5, "error")]


def test_a_new_uv_lock_beside_a_platform_lock_is_not_hand_edited(repo: Repo, run: Any) -> None:
    """A package is smuggled only when the same lock file pinned its requirers before at their versions: rye's lock
    is resolved for one platform, a new universal ``uv.lock`` beside it pins what pytest needs on Windows only
    (anthropic-sdk-python's move from rye to uv)."""
    repo.commit({"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["pytest"]\n',
                 "requirements-dev.lock": "-e file:.\npytest==8.0\n    # via demo\n"})  # fmt: skip
    repo.stage({"uv.lock": 'version = 1\n\n[[package]]\nname = "demo"\nversion = "0.1"\nsource = { editable = "." }\n'
                'dependencies = [{ name = "pytest" }]\n\n[[package]]\nname = "pytest"\nversion = "8.0"\n'
                'dependencies = [{ name = "colorama", marker = "sys_platform == \'win32\'" }]\n\n'
                '[[package]]\nname = "colorama"\nversion = "0.4.6"\n'})
    assert findings(run()) == []
