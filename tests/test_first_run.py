"""A maintainer's first run on a real project (issue 22): ``--all-files`` (pre-commit.ci) must not call real
names "may be hallucinated", and must still catch what is wrong. Each case comes from a real repository's replay
(eval/replay-results.md) and runs through a real git repository."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo

PYPROJECT = (
    "[project]\nname = \"demo\"\nversion = \"1\"\nrequires-python = \">=3.10\"\ndependencies = [\"requests\"]\n"
    "[dependency-groups]\ntest = [\"pytest\"]\n"
)
FAKE = "fakepkg_zz"


def _findings(outcome: Any) -> list[tuple[str, str, str | None]]:
    return [(item["code"], item["severity"], item["module"]) for item in outcome.json()["findings"]]


def _all_files(repo: Repo, run: Any, files: dict[str, str | bytes]) -> Any:
    repo.commit({"pyproject.toml": PYPROJECT, **files})
    return run("--all-files")


# --- "may be hallucinated" only for a name nothing knows --------------------------------------------------


def test_a_module_built_into_pypy_is_not_invented(repo: Repo, run: Any) -> None:
    # celery's celery/utils/collections.py: guarded, so nothing to say; unguarded, it fails on CPython.
    outcome = _all_files(repo, run, {"demo/__init__.py": "try:\n    import __pypy__\nexcept ImportError:\n"
                                                         "    __pypy__ = None\n", "demo/jit.py": "import pypyjit\n"})
    [found] = outcome.json()["findings"]
    assert (found["code"], found["path"]) == ("HC001", "demo/jit.py")
    assert "built into PyPy only" in found["message"] and "hallucinated" not in found["message"]


def test_modules_a_test_writes_onto_sys_path_are_first_party(repo: Repo, run: Any) -> None:
    # flask's tests/test_instance_config.py: the fixture in conftest.py puts tmp_path on sys.path.
    conftest = ("import os, pytest\n\n@pytest.fixture\ndef modules_tmp_path(tmp_path, monkeypatch):\n"
                "    monkeypatch.syspath_prepend(os.fspath(tmp_path))\n    return tmp_path\n")  # fmt: skip
    test = (
        "def test_module(modules_tmp_path):\n"
        "    (modules_tmp_path / 'config_module_app.py').write_text('app = 1')\n"
        "    from config_module_app import app\n\n"
        "def test_package(modules_tmp_path):\n"
        "    app = modules_tmp_path / 'config_package_app'\n    app.mkdir()\n"
        "    (app / '__init__.py').write_text('app = 1')\n"
        "    from config_package_app import app\n\n"
        "def test_namespace(modules_tmp_path):\n"
        "    (modules_tmp_path / 'namespace' / 'package2').mkdir(parents=True)\n"
        "    from namespace.package2 import app\n\n"
        "def test_pytester(pytester):\n"
        "    pytester.makepyfile(imported='data = 1')\n    import imported\n"
        f"    import {FAKE}\n"
    )  # fmt: skip
    outcome = _all_files(repo, run, {"tests/conftest.py": conftest, "tests/test_instance_config.py": test})
    assert _findings(outcome) == [("HC001", "error", FAKE)]  # a name the test does not write stays unknown


def test_a_written_module_counts_only_where_the_test_puts_it_on_sys_path(repo: Repo, run: Any) -> None:
    test = "def test_module(tmp_path):\n    (tmp_path / 'config_module_app.py').write_text('')\n" \
        "    import config_module_app\n"
    outcome = _all_files(repo, run, {"tests/test_app.py": test})
    assert _findings(outcome) == [("HC001", "error", "config_module_app")]
    # the package's own code never runs with a test's directory on sys.path
    outcome = _all_files(repo, run, {"tests/test_app.py": "", "demo/app.py": "import sys\nsys.path.insert(0, 'x')\n"
                                     "open('config_module_app.py', 'w')\nimport config_module_app\n"})
    assert _findings(outcome) == [("HC001", "error", "config_module_app")]


def test_a_test_imports_the_conftest_module_above_it(repo: Repo, run: Any) -> None:
    # httpx's tests/test_exceptions.py: `from conftest import TestServer` under TYPE_CHECKING.
    test = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from conftest import TestServer\n"
    outcome = _all_files(repo, run, {"tests/__init__.py": "", "tests/conftest.py": "class TestServer: ...\n",
                                     "tests/test_exceptions.py": test})
    assert _findings(outcome) == []
    outcome = _all_files(repo, run, {"tests/conftest.py": "", "demo/app.py": "import conftest\n"})
    assert [code for code, _, _ in _findings(outcome)] == ["HC001"]  # not a test: no pytest there


# --- dynamic imports ----------------------------------------------------------------------------------


def test_a_computed_import_in_tests_or_docs_code_does_not_warn(repo: Repo, run: Any) -> None:
    # fastapi's tests: `importlib.import_module(f"docs_src.{name}")`, 162 warnings before.
    code = "import importlib\n\ndef load(name):\n    return importlib.import_module(f'docs_src.{name}')\n"
    outcome = _all_files(repo, run, {"tests/test_tutorial.py": code, "docs_src/run.py": code,
                                     "docs/conf.py": code})  # fmt: skip
    assert _findings(outcome) == []


def test_library_code_that_imports_by_design_gets_one_line_per_file(repo: Repo, run: Any) -> None:
    # flask's cli.py and helpers.py: `__import__(module_name)` loads the user's app.
    code = ("import importlib\n\ndef locate(name):\n    __import__(name)\n\n"
            "def load(name):\n    return importlib.import_module(name)\n\n"
            "def run(source):\n    exec(source)\n")  # fmt: skip
    outcome = _all_files(repo, run, {"demo/cli.py": code, "demo/helpers.py": "def f(n):\n    __import__(n)\n"})
    found = outcome.json()["findings"]
    assert [(item["code"], item["path"], item["line"]) for item in found] == [
        ("HC025", "demo/cli.py", 4), ("HC025", "demo/helpers.py", 2)]
    assert "(and 2 more such calls in this file)" in found[0]["message"]
    assert outcome.code == 0


# --- the project model --------------------------------------------------------------------------------


def test_a_literal_python_requires_in_setup_py_sets_the_target_python(repo: Repo, run: Any) -> None:
    # celery's setup.py: `python_requires=">=3.10"`, so `import tomllib` (3.11+) needs a guard.
    setup = "from setuptools import setup\nsetup(name='demo', python_requires='>=3.10', install_requires=[])\n"
    repo.commit({"setup.py": setup, "demo/__init__.py": "import tomllib\n"})
    outcome = run("--all-files")
    [found] = outcome.json()["findings"]
    assert found["code"] == "HC021"
    assert "setup.py python_requires '>=3.10'" in found["message"]


def test_requirement_files_a_test_file_includes_stay_runtime_extras(repo: Repo, run: Any) -> None:
    # celery: requirements/docs.txt has `-r extras/auth.txt`; setup.py reads extras/ into
    # extras_require. gevent is a runtime extra, not "declared for development only" (HC008).
    repo.commit({
        "setup.py": "from setuptools import setup\nsetup(name='demo', extras_require=extras())\n",
        "requirements/docs.txt": "-r extras/gevent.txt\n",  # read first, and a docs file
        "requirements/extras/gevent.txt": "gevent>=1.5\n",
        "demo/__init__.py": "try:\n    import gevent\nexcept ImportError:\n    gevent = None\n",
        "demo/pool.py": "from gevent.pool import Pool\n",
    })  # fmt: skip
    outcome = run("--all-files")
    assert [code for code, _, _ in _findings(outcome) if code != "HC013"] == []


def test_an_example_in_docs_src_is_documentation_code(repo: Repo, run: Any) -> None:
    # fastapi's docs_src/: examples import what the docs extra installs.
    repo.commit({"pyproject.toml": PYPROJECT.replace('test = ["pytest"]', 'docs = ["mkdocs"]'),
                 "docs_src/tutorial001.py": "import mkdocs\n", "demo/app.py": "import mkdocs\n"})  # fmt: skip
    outcome = run("--all-files")
    assert [(code, item[2]) for item in _findings(outcome) for code in [item[0]]] == [("HC008", "mkdocs")]
    assert outcome.json()["findings"][0]["path"] == "demo/app.py"


def test_a_relative_import_above_the_package_says_what_is_missing(repo: Repo, run: Any) -> None:
    # saleor's `from ....core.db.connection import allow_writer` said "`core` is the module pyproject.toml".
    repo.commit({"pyproject.toml": PYPROJECT + '[tool.x]\ncore = 1\n', "demo/__init__.py": "",
                 "demo/core/__init__.py": "", "demo/core/db.py": "", "demo/channel/__init__.py": "",
                 "demo/channel/tasks/__init__.py": "",
                 "demo/channel/tasks/move.py": "from ....core.db import connection\n"})  # fmt: skip
    [found] = run("--all-files").json()["findings"]
    assert found["code"] == "HC009"
    assert "is the module pyproject.toml" not in found["message"]
    assert "`core` is neither a module nor a package in the repository root" in found["message"]


def test_a_real_package_outside_the_popular_list_is_no_typosquat(repo: Repo, run: Any) -> None:
    # rich's .github/workflows/newissue.yml: `pip install FAQtory` (Will McGugan's), not a typo of `factory`.
    workflow = "jobs:\n  faq:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install FAQtory\n"
    outcome = _all_files(repo, run, {".github/workflows/newissue.yml": workflow})
    assert [item["code"] for item in outcome.json()["findings"] if item["code"].startswith("HC03")] == []
    assert outcome.code == 0


def test_an_unknown_name_says_offline_data_cannot_know_a_new_one(repo: Repo, run: Any) -> None:
    # scrapy's `from httpcore2 import AsyncNetworkStream` (httpcore2 was released after the bundled data).
    [found] = _all_files(repo, run, {"demo/http.py": "from httpcore2 import AsyncNetworkStream\n"}).json()["findings"]
    assert found["code"] == "HC001"
    assert "offline data cannot know a brand-new name: `--online` asks the package index" in found["message"]


def test_a_test_that_skips_without_an_unknown_module_is_a_warning(repo: Repo, run: Any) -> None:
    # pytest's testing/test_runner.py: `pytest.importorskip("asdlkj")` tests the skip itself.
    code = "import pytest\n\ndef test_skip():\n    pytest.importorskip('asdlkj')\n"
    outcome = _all_files(repo, run, {"tests/test_runner.py": code, "demo/opt.py": code})
    found = [item for item in _findings(outcome) if item[0] == "HC001"]
    assert sorted(found) == [("HC001", "error", "asdlkj"), ("HC001", "warning", "asdlkj")]
    assert outcome.code == 1  # the package's own code still may not depend on an unknown name


# --- files mode reads committed manifests -----------------------------------------------------------------


def test_a_committed_misspelled_requirement_fails_all_files(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "reqeusts==2.31\nhuggingface-cli\nyaml\nrich\n", "app.py": "import os\n",
                 "sub/pyproject.toml": '[project]\nname = "sub"\nversion = "1"\ndependencies = ["reqeusts"]\n'})
    outcome = run("--all-files")
    found = [(item["code"], item["path"], item["distribution"]) for item in outcome.json()["findings"]]
    assert found == [("HC030", "requirements.txt", "reqeusts"), ("HC031", "requirements.txt", "huggingface-cli"),
                     ("HC032", "requirements.txt", "yaml"), ("HC030", "sub/pyproject.toml", "reqeusts")]
    assert outcome.code == 1
    assert all(not item["message"].startswith("new dependency") for item in outcome.json()["findings"])


def test_files_mode_reviews_nothing(repo: Repo, run: Any) -> None:
    # fastapi's docs: `pip install "foo[bar]"` is an example; nothing is added in files mode, so no review.
    outcome = _all_files(repo, run, {"docs/install.md": "```\npip install 'foo-bar-baz-zz[extra]'\n```\n",
                                     "requirements.txt": "some-private-thing-zz\n"})
    assert _findings(outcome) == [("HC040", "warning", None)]
    assert outcome.code == 0


# --- one decision, one finding ----------------------------------------------------------------------------


def test_the_same_install_command_in_many_files_is_one_finding_in_text(repo: Repo, run: Any) -> None:
    # fastapi's docs: `pip install "foo[bar]"` in each of 13 translations of one page.
    pages = {f"docs/{lang}/index.md": "```\npip install reqeusts\n```\n" for lang in ("de", "en", "es", "fr")}
    repo.commit({"pyproject.toml": PYPROJECT, **pages})
    outcome = run("--all-files", json_output=False)
    assert outcome.out.count("HC030 [error]") == 1
    also = "also at: docs/en/index.md:2:13, docs/es/index.md:2:13, docs/fr/index.md:2:13 (the same finding"
    assert also in outcome.out
    assert "4 errors" in outcome.out
    assert len(run("--all-files").json()["findings"]) == 4  # every place stays in JSON (and SARIF)


# --- a guarded optional import and its uses ---------------------------------------------------------------


def test_uses_of_an_optional_module_under_its_guard_are_optional_too(repo: Repo, run: Any) -> None:
    # celery/backends/mongodb.py
    code = ("try:\n    import pymongo\nexcept ImportError:\n    pymongo = None\n\n"
            "if pymongo:\n    from pymongo.errors import InvalidDocument\n    from pymongo import uri_parser\n"
            f"import {FAKE}\n")  # fmt: skip
    outcome = _all_files(repo, run, {"demo/mongodb.py": code})
    assert _findings(outcome) == [("HC023", "warning", "pymongo"), ("HC023", "warning", "pymongo.errors"),
                                  ("HC023", "warning", "pymongo"), ("HC001", "error", FAKE)]


# --- committed environments -------------------------------------------------------------------------------


def test_a_committed_environment_is_not_project_code(repo: Repo, run: Any) -> None:
    # FawltyDeps' sample projects top_level_venv, pyenv_galore, hidden_files.
    installed = f"import {FAKE}\n"
    outcome = _all_files(repo, run, {
        "pyvenv.cfg": "home = /usr/bin\n", "bin/some_tool.py": installed,
        "lib/python3.11/site-packages/x.py": installed,
        "envs/a/lib/python3.8/site-packages/pkg/__init__.py": installed, "__pypackages__/3.10/lib/m.py": installed,
        ".venvs/v/pyvenv.cfg": "", ".venvs/v/Lib/site.py": installed,
        "code.py": installed, "tools/bin/run.py": installed,
    })  # fmt: skip
    assert sorted(item["path"] for item in outcome.json()["findings"]) == ["code.py", "tools/bin/run.py"]


# --- the remaining false findings of the replay (issue 22, second round) ---------------------------------


def test_a_package_defines_a_submodule_it_imports_under_another_name(repo: Repo, run: Any) -> None:
    # sqlalchemy's orm/__init__.py: `from . import mapper as mapperlib`; orm/events.py: `from . import mapperlib`.
    outcome = _all_files(repo, run, {
        "demo/__init__.py": f"from . import mapper as mapperlib\nfrom . import {FAKE} as {FAKE}\n",
        "demo/mapper.py": "", "demo/events.py": f"from . import mapperlib\nfrom . import {FAKE}\n",
    })  # fmt: skip
    found = [(item["code"], item["path"], item["line"]) for item in outcome.json()["findings"]]
    # an alias of nothing defines nothing: the package's own import and the use of it both miss
    assert found == [("HC009", "demo/__init__.py", 2), ("HC009", "demo/events.py", 2)]


def test_files_mode_reviews_no_install_that_only_run_time_names(repo: Repo, run: Any) -> None:
    # pydantic's .github/workflows/dependencies-check.yml: `uv pip install ${MATRIX_PYTHON_DEPENDENCY_CASE}`.
    workflow = ("jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: uv pip install ${DEPENDENCY_CASE}\n      - run: pip install reqeusts\n")  # fmt: skip
    outcome = _all_files(repo, run, {".github/workflows/test.yml": workflow})
    found = [(item["code"], item["severity"]) for item in outcome.json()["findings"]]
    assert found == [("HC042", "warning"), ("HC030", "error")]
    assert "shown, not reviewed" in outcome.json()["findings"][0]["message"]
    repo.stage({".github/workflows/test.yml": workflow.replace("DEPENDENCY_CASE", "OTHER_CASE")})
    assert [item["severity"] for item in run().json()["findings"]] == ["review"]  # a commit that adds one: review


def test_a_guarded_relative_import_of_a_missing_module_is_a_warning(repo: Repo, run: Any) -> None:
    # wagtail's project_template/project_name/settings/dev.py: `try: from .local import *` / `except ImportError:`.
    settings = "from .base import *\n\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n"
    outcome = _all_files(repo, run, {"demo/__init__.py": "", "demo/settings/__init__.py": "",
                                     "demo/settings/base.py": "", "demo/settings/dev.py": settings,
                                     "demo/settings/production.py": "from .local import *\n"})  # fmt: skip
    found = [(item["code"], item["severity"], item["path"]) for item in outcome.json()["findings"]]
    assert found == [("HC009", "warning", "demo/settings/dev.py"), ("HC009", "error", "demo/settings/production.py")]
    assert "guarded by try/except" in outcome.json()["findings"][0]["message"]


def test_a_fixture_setup_py_gets_pep_517s_default_build_requirements(repo: Repo, run: Any) -> None:
    # poetry's tests/fixtures/project_with_setup/setup.py: no pyproject.toml beside it, so a build frontend
    # installs setuptools; the repository's own [build-system] (poetry-core) builds poetry, not the fixture.
    pyproject = PYPROJECT + '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
    setup = "from setuptools import setup\nsetup(name='fixture', packages=['my_package'])\n"
    repo.commit({"pyproject.toml": pyproject, "tests/fixtures/project_with_setup/setup.py": setup,
                 "setup.py": setup})
    found = [(item["code"], item["path"]) for item in run("--all-files").json()["findings"]]
    # the root setup.py is built by poetry-core's [build-system]: setuptools is not installed for it
    assert found == [("HC007", "setup.py")]


def test_run_module_of_a_namespace_package_runs_its_main(repo: Repo, run: Any) -> None:
    # poetry's tests/test_main.py: `runpy.run_module("poetry")`; src/poetry/ has no __init__.py (a namespace
    # shared with poetry-core) but holds __main__.py, which run_module runs.
    outcome = _all_files(repo, run, {"src/demo/__main__.py": "print(1)\n", "src/other/sub/mod.py": "",
                                     "tests/test_main.py": "import runpy\nrunpy.run_module('demo')\n"
                                                           "runpy.run_module('other')\n"})  # fmt: skip
    assert _findings(outcome) == [("HC001", "error", "other")]


def test_a_module_an_older_release_of_a_declared_distribution_ships_is_known(repo: Repo, run: Any) -> None:
    # celery's backends/couchbase.py: couchbase 3.x installed `couchbase_core` (checked in the 3.2.7 wheel,
    # scripts/mapping_evidence.tsv); celery declares `couchbase`.
    code = "try:\n    from couchbase_core._libcouchbase import FMT_AUTO\nexcept ImportError:\n    FMT_AUTO = None\n"
    outcome = _all_files(repo, run, {"pyproject.toml": PYPROJECT.replace('"requests"', '"requests", "couchbase"'),
                                     "demo/couchbase.py": code})  # fmt: skip
    assert [code for code, severity, _ in _findings(outcome) if severity != "warning"] == []
    outcome = _all_files(repo, run, {"demo/couchbase.py": code})  # not declared: named, not "may be hallucinated"
    assert [(item["code"], item["distribution"]) for item in outcome.json()["findings"]] == [("HC023", "couchbase")]


def test_a_script_imports_from_a_directory_it_puts_on_sys_path_itself(repo: Repo, run: Any) -> None:
    # sentry-python's scripts/populate_tox/populate_tox.py:
    # `sys.path.append(os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))`, then
    # `from split_tox_gh_actions.split_tox_gh_actions import GROUPS` (scripts/split_tox_gh_actions/).
    script = ("import os\nimport sys\n\nsys.path.append(os.path.abspath(os.path.join(os.path.dirname(__file__), "
              "'..')))\n\nfrom split_tox_gh_actions.split_tox_gh_actions import GROUPS\n"
              f"from {FAKE}.split import GROUPS\n")  # fmt: skip
    outcome = _all_files(repo, run, {"scripts/populate_tox/populate_tox.py": script,
                                     "scripts/split_tox_gh_actions/__init__.py": "",
                                     "scripts/split_tox_gh_actions/split_tox_gh_actions.py": "GROUPS = {}\n",
                                     "scripts/populate_tox/config.py": "import split_tox_gh_actions\n"})
    # the name the directory does not hold stays unknown; a file beside it that does not extend sys.path does
    # not reach the directory
    assert _findings(outcome) == [("HC001", "error", "split_tox_gh_actions"), ("HC001", "error", f"{FAKE}.split")]


def test_a_module_a_notebook_writes_with_writefile_is_first_party_there(repo: Repo, run: Any) -> None:
    # PythonDataScienceHandbook's 01.07-Timing-and-Profiling.ipynb: `%%file mprun_demo.py`, then
    # `from mprun_demo import sum_of_lists` (the kernel's working directory is on sys.path).
    from tests.test_installs_repo import notebook

    book = notebook(["%%file mprun_demo.py\n", "def sum_of_lists(n):\n", "    return n\n"],
                    ["from mprun_demo import sum_of_lists\n"], [f"import {FAKE}\n"],
                    ["%%writefile -a other_demo.py\n", "x = 1\n"], ["import other_demo\n"])  # fmt: skip
    outcome = _all_files(repo, run, {"notebooks/profiling.ipynb": book,
                                     "notebooks/other.ipynb": notebook(["import mprun_demo\n"])})  # fmt: skip
    # another notebook that does not write it does not import it
    assert _findings(outcome) == [("HC001", "error", "mprun_demo"), ("HC001", "error", FAKE)]


def test_a_module_the_project_registers_in_sys_modules_is_first_party(repo: Repo, run: Any) -> None:
    # sqlalchemy's testing/plugin/bootstrap.py: `sys.modules["sqla_plugin_base"] = load_file_as_module(...)`;
    # pytestplugin.py beside it imports sqla_plugin_base; test/conftest.py runs bootstrap.py with exec (a path
    # built from __file__), then `from sqla_pytestplugin import *`.
    bootstrap = ("import sys\n\ndef load(name):\n    return object()\n\n"
                 "sys.modules['sqla_plugin_base'] = load('plugin_base')\n"
                 "sys.modules.setdefault('sqla_pytestplugin', load('pytestplugin'))\n")  # fmt: skip
    conftest = ("import os\n\nbootstrap_file = os.path.join(os.path.dirname(__file__), '..', 'lib', 'demo', "
                "'plugin', 'bootstrap.py')\n\nwith open(bootstrap_file) as f:\n"
                "    exec(compile(f.read(), 'bootstrap.py', 'exec'), globals(), locals())\n"
                "    from sqla_pytestplugin import *\n")  # fmt: skip
    outcome = _all_files(repo, run, {
        "lib/demo/__init__.py": "", "lib/demo/plugin/__init__.py": "", "lib/demo/plugin/bootstrap.py": bootstrap,
        "lib/demo/plugin/pytestplugin.py": f"import sqla_plugin_base as plugin_base\nimport {FAKE}\n",
        "test/conftest.py": conftest, "test/test_other.py": "import sqla_pytestplugin\n",
    })  # fmt: skip
    # a test that neither runs bootstrap.py nor sits beside it does not see what it registers
    assert _findings(outcome) == [("HC001", "error", FAKE), ("HC001", "error", "sqla_pytestplugin")]


def test_a_sys_modules_registration_that_never_runs_registers_nothing(repo: Repo, run: Any) -> None:
    # Attack B11: a registration under `if False:`, `if TYPE_CHECKING:` or in a function nobody calls does not make
    # the module importable; a module-level one under a real condition (sqlalchemy's bootstrap.py) and one in a
    # class body do.
    code = ("import sys\nfrom typing import TYPE_CHECKING\n\nif False:\n    sys.modules['fake_a'] = sys\n"
            "if TYPE_CHECKING:\n    sys.modules['fake_b'] = sys\nelse:\n    sys.modules['real_c'] = sys\n"
            "def f():\n    sys.modules['fake_d'] = sys\nclass K:\n    sys.modules['real_e'] = sys\n"
            "if sys.argv:\n    sys.modules.setdefault('real_f', sys)\n"
            "import fake_a, fake_b, real_c, fake_d, real_e, real_f\n")
    outcome = _all_files(repo, run, {"demo/a.py": code})
    assert _findings(outcome) == [("HC001", "error", "fake_a"), ("HC001", "error", "fake_b"),
                                  ("HC001", "error", "fake_d")]  # fmt: skip


def test_langgraph_json_dependencies_declare_packages_and_local_directories(repo: Repo, run: Any) -> None:
    # langgraph's libs/cli/python-monorepo-example/apps/agent/langgraph.json:
    # "dependencies": [".", "../../libs/shared", "../../libs/common"]; libs/cli/examples/langgraph.json names
    # "langchain_openai", which `langgraph build` pip-installs.
    config = '{\n  "dependencies": [".", "../../libs/common", "langchain_openai", "tests/app"],\n' \
        '  "graphs": {"agent": "./src/agent/graph.py:graph"}\n}\n'
    graph = f"from common import prefix\nfrom langchain_openai import ChatOpenAI\nimport {FAKE}\n"
    outcome = _all_files(repo, run, {
        "apps/agent/pyproject.toml": '[project]\nname = "agent"\nversion = "1"\n', "apps/agent/langgraph.json": config,
        "apps/agent/src/agent/__init__.py": "", "apps/agent/src/agent/graph.py": graph,
        "libs/common/__init__.py": "def prefix(): ...\n", "other/langgraph.json": "",
    })  # fmt: skip
    assert _findings(outcome) == [("HC001", "error", FAKE)]
    repo.stage({"apps/agent/langgraph.json": config.replace('"langchain_openai"', '"langchain_openai", "reqeusts"')})
    assert [item["code"] for item in run().json()["findings"]] == ["HC030"]  # a look-alike added there: an error


def test_a_name_newer_than_the_indexed_releases_under_a_version_test_is_a_warning(repo: Repo, run: Any) -> None:
    # wagtail's blocks/field_block.py: `if DJANGO_VERSION >= (6, 1): from django.db.models.fields import
    # BLANK_CHOICE_LABEL` (the index holds Django 4.2 and 5.2), with `from django import VERSION as DJANGO_VERSION`.
    code = ("from django import VERSION as DJANGO_VERSION\n\ndef choices():\n    if DJANGO_VERSION >= (6, 1):\n"
            "        from django.db.models.fields import BLANK_CHOICE_LABEL\n        return BLANK_CHOICE_LABEL\n"
            "    from django.db.models.fields import NO_SUCH_NAME_ZZ\n")  # fmt: skip
    outcome = _all_files(repo, run, {"pyproject.toml": PYPROJECT.replace('"requests"', '"django>=4.2"'),
                                     "demo/blocks.py": code})  # fmt: skip
    assert [(code, severity) for code, severity, _ in _findings(outcome)] == [("HC026", "warning"), ("HC026", "error")]


def test_a_notebook_imports_what_its_kernel_provides(repo: Repo, run: Any) -> None:
    # langgraph's examples/rag/*.ipynb and the PythonDataScienceHandbook: `from IPython.display import Image,
    # display` in a notebook, which runs in ipykernel (IPython); a plain module needs IPython declared.
    from tests.test_installs_repo import notebook

    book = notebook(["from IPython.display import Image, display\n", "import ipykernel\n", "import ipywidgets\n"])
    outcome = _all_files(repo, run, {"notebooks/graph.ipynb": book, "demo/show.py": "import IPython\n"})
    assert [(code, module) for code, _, module in _findings(outcome)] == [("HC007", "IPython"), ("HC007", "ipywidgets")]


def test_real_import_names_of_other_distributions_are_named_not_called_invented(repo: Repo, run: Any) -> None:
    # sqlalchemy's testing/plugin/pytestplugin.py: `from pyannotate_runtime import collect_types` (pyannotate);
    # pydantic's wasm-preview/run_tests.py: `import pyodide` (pyodide-py). Undeclared, so still errors.
    # pydantic-ai: `from ag_ui.core import RunAgentInput` (ag-ui-protocol, declared by its ag-ui extra).
    outcome = _all_files(repo, run, {"demo/types.py": "from pyannotate_runtime import collect_types\nimport pyodide\n"
                                                      "from ag_ui.core import RunAgentInput\n"})
    assert [(item["code"], item["distribution"]) for item in outcome.json()["findings"]] == [
        ("HC002", "pyannotate"), ("HC002", "pyodide-py"), ("HC002", "ag-ui-protocol")]


def test_an_unknown_submodule_of_a_declared_distribution_is_its_own_finding(repo: Repo, run: Any) -> None:
    # `from requests.fakesub import x` with requests declared: not "may be hallucinated" (the package is real and
    # declared) but HC026, naming the distribution and what its indexed release ships. A real submodule passes; a
    # guarded one is a warning; a declared distribution the module index does not hold cannot be judged (passes).
    pyproject = PYPROJECT.replace('["requests"]', '["requests", "pillow", "tenacity"]')
    repo.commit({"pyproject.toml": pyproject, "demo/__init__.py": ""})
    repo.stage({"demo/net.py": "from requests.fakesub import x\nimport requests.adapters\nfrom PIL.fakesub import y\n"
                               "from tenacity.fakesub import z\ntry:\n    import requests.fakeopt\n"
                               "except ImportError:\n    pass\n"})
    found = run().json()["findings"]
    assert [(item["code"], item["severity"], item["module"], item["distribution"]) for item in found] == [
        ("HC026", "error", "requests.fakesub", "requests"),
        ("HC026", "error", "PIL.fakesub", "pillow"),
        ("HC026", "warning", "requests.fakeopt", "requests"),
    ]
    assert all("hallucinated" not in item["message"] for item in found)
    assert found[0]["message"].startswith("`from requests.fakesub import x`: `requests` ships no module "
                                          "`requests.fakesub` (indexed: ")
    assert "has submodules adapters, api," in found[0]["message"]
    assert "guarded by try/except" in found[2]["message"]
