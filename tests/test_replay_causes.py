"""False alarms found by replaying real repositories' commits (eval/replay.py), each through a real repository."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.9"\ndependencies = ["requests"]\n'


def _findings(outcome: Any) -> list[tuple[str, str, str]]:
    return [(item["code"], item["severity"], item["module"]) for item in outcome.json()["findings"]]


def test_python2_fallbacks_guarded_by_try_are_compatibility_code(repo: Repo, run: Any) -> None:
    # requests' tests/compat.py and celery's utilities: the Python 2 name is the fallback branch.
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"compat.py": (
        "try:\n    import StringIO\nexcept ImportError:\n    import io as StringIO\n"
        "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
        "try:\n    from urlparse import urljoin\nexcept ImportError:\n    from urllib.parse import urljoin\n"
    )})  # fmt: skip
    outcome = run()
    assert outcome.code == 0, outcome.out
    assert _findings(outcome) == []


def test_an_unguarded_python2_module_is_removed_not_hallucinated(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"app.py": "import urllib2\n"})
    outcome = run()
    assert outcome.code == 1
    [finding] = outcome.json()["findings"]
    assert (finding["code"], finding["module"]) == ("HC020", "urllib2")
    assert "3.0" in finding["message"] and "urllib.request" in finding["message"]
    assert "hallucinated" not in finding["message"]


def test_a_python2_name_that_is_declared_resolves_to_its_distribution(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.replace('["requests"]', '["requests", "sets"]')})
    repo.stage({"app.py": "import sets\n"})
    assert _findings(run()) == []


def test_typeshed_in_a_stub_file_is_for_type_checkers(repo: Repo, run: Any) -> None:
    # pydantic-core's _pydantic_core.pyi: `from _typeshed import SupportsAllComparisons`.
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"pkg/__init__.py": "", "pkg/_core.pyi": "from _typeshed import SupportsAllComparisons\n"})
    assert _findings(run()) == []


def test_typeshed_at_run_time_is_still_reported(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"app.py": "from _typeshed import SupportsAllComparisons\n"})
    assert [code for code, _, _ in _findings(run())] == ["HC001"]


def test_a_script_imports_its_sibling_inside_a_package_directory(repo: Repo, run: Any) -> None:
    # black's scripts/release_tests.py does `from release import ...`; scripts/ has an __init__.py.
    repo.commit({"pyproject.toml": PYPROJECT, "scripts/__init__.py": "", "scripts/release.py": "X = 1\n"})
    repo.stage({"scripts/release_tests.py": "from release import X\n\nif __name__ == '__main__':\n    print(X)\n"})
    assert _findings(run()) == []


def test_a_module_of_a_package_does_not_import_its_siblings_by_bare_name(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/release.py": "X = 1\n"})
    repo.stage({"app/api.py": "from release import X\n"})
    assert [code for code, _, _ in _findings(run())] == ["HC001"]


def test_a_sibling_never_shadows_a_declared_distribution(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/requests.py": "X = 1\n"})
    repo.stage({"app/api.py": "import requests\n"})
    outcome = run("-v", json_output=False)
    assert outcome.code == 0
    assert "app/requests.py" not in outcome.out


def test_a_name_beside_the_file_that_is_not_committed_is_still_reported(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "scripts/__init__.py": ""})
    repo.write("scripts/release.py", "X = 1\n")  # on disk only: the check reads the index
    repo.stage({"scripts/release_tests.py": "#!/usr/bin/env python\nfrom release import X\n"})
    repo.git("rm", "-q", "--cached", "scripts/release.py")
    assert [code for code, _, _ in _findings(run())] == ["HC001"]


def test_a_relative_import_under_type_checking_of_a_name_the_package_defines(repo: Repo, run: Any) -> None:
    # pydantic's plugin/_loader.py: `if TYPE_CHECKING: from . import PydanticPluginProtocol` (replay regression R2).
    repo.commit({"pyproject.toml": PYPROJECT, "pkg/__init__.py": "class A:\n    pass\n"})
    repo.stage({"pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import A\n"})
    assert _findings(run()) == []


def test_a_relative_import_under_type_checking_of_a_missing_name_is_still_reported(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "pkg/__init__.py": "class A:\n    pass\n"})
    repo.stage({"pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import Missing\n"})
    assert [code for code, _, _ in _findings(run())] == ["HC009"]


def test_importorskip_of_text_that_names_no_package_is_not_an_import(repo: Repo, run: Any) -> None:
    # pytest's own tests: importorskip("x y z"), importorskip("x=y") (replay regression R3).
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"test_runner.py": 'import pytest\n\ndef test_x():\n    pytest.importorskip("x y z")\n'
                                  '    pytest.importorskip("x=y")\n'})
    assert [(code, module) for code, _, module in _findings(run())] == [("HC007", "pytest")]


def test_importorskip_of_a_made_up_package_is_still_reported(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"test_x.py": 'import pytest\n\nfakepkg_zz = pytest.importorskip("fakepkg_zz")\n'})
    assert ("HC001", "fakepkg_zz") in [(code, module) for code, _, module in _findings(run())]
