"""Files mode (``--all-files``, pre-commit.ci) and the policy the last commit changed (attack B9).

Files mode has no base, so a baseline, approval or ``ignore`` that a pull request adds used to hide the pull
request's own findings: green, "nothing reported". With history (HEAD has a parent in the clone) the policy of
the parent is the base: each relaxation made since is HC101, and a baseline entry made since hides nothing on
a line made since. Without history (a depth-1 clone) what the baseline hides is named above the summary.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["requests"]\n'
BASELINE = ".hallucheck-baseline.json"


def _baseline(*entries: tuple[str, str, str]) -> str:
    findings = [{"path": path, "code": code, "module": module, "distribution": "", "count": 1}
                for path, code, module in entries]  # fmt: skip
    return json.dumps({"version": 1, "findings": findings})


def _codes(outcome: Any) -> list[tuple[str, str]]:
    return [(item["code"], item["path"]) for item in outcome.json()["findings"]]


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": ""}, "init")
    return repo


def test_a_baseline_made_with_the_import_hides_nothing(project: Repo, run: Any) -> None:
    project.commit({"demo/x.py": "import fakepkg_zz\n",
                    BASELINE: _baseline(("demo/x.py", "HC001", "fakepkg_zz"))}, "import and baseline")  # fmt: skip
    outcome = run("--all-files")
    assert outcome.code == 1
    assert sorted(_codes(outcome)) == [("HC001", "demo/x.py"), ("HC101", BASELINE)]
    relaxed = next(item for item in outcome.json()["findings"] if item["code"] == "HC101")
    assert "would hide what this change adds: HC001 `fakepkg_zz` at demo/x.py:1" in relaxed["message"]


def test_a_baseline_committed_after_the_code_it_lists_is_adopted(project: Repo, run: Any) -> None:
    project.commit({"demo/x.py": "import fakepkg_zz\n"}, "legacy code")
    project.commit({BASELINE: _baseline(("demo/x.py", "HC001", "fakepkg_zz"))}, "adopt hallucheck")
    outcome = run("--all-files")
    assert outcome.code == 0 and _codes(outcome) == [("HC101", BASELINE)]
    assert "in code older than this change" in outcome.json()["findings"][0]["message"]
    assert outcome.json()["summary"]["baselined"] == 1
    project.commit({"demo/y.py": "import json\n"}, "later")
    assert run("--all-files").json()["findings"] == []  # shown once, when it was made


def test_config_relaxations_of_the_last_commit_are_named(project: Repo, run: Any) -> None:
    tool = '\n[tool.hallucheck]\nignore = ["evil_*"]\n'
    project.commit({"pyproject.toml": PYPROJECT + tool, "demo/x.py": "import evil_x\n"}, "ignore and import")
    outcome = run("--all-files")
    [relaxed] = outcome.json()["findings"]
    assert relaxed["code"] == "HC101" and "lets through what this change adds: HC001 `evil_x`" in relaxed["message"]


@pytest.mark.parametrize("tool", [
    'ignore = ["fakepkg_*"]\n',
    'first-party = ["fakepkg_zz"]\n',
])
def test_a_relaxation_committed_before_what_it_hides_is_named(
    project: Repo, run: Any, tool: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack E22: a pull request relaxes the configuration in one commit and adds the import in the next; files
    mode (pre-commit.ci) compares with the last parent only, so it names what every standing relaxation hides,
    as the baseline's, and its summary counts it: never a bare "all resolve"."""
    project.commit({"pyproject.toml": f"{PYPROJECT}\n[tool.hallucheck]\n{tool}"}, "relax")
    project.commit({"demo/x.py": "from fakepkg_zz import secure_hash\n"}, "import")
    outcome = run("--all-files")
    assert outcome.code == 0 and outcome.json()["summary"]["configured"] == 1
    monkeypatch.chdir(project.root)
    capsys.readouterr()
    assert main(["--all-files"]) == 0
    text = capsys.readouterr().out
    assert "hidden by the configuration (pyproject.toml [tool.hallucheck]): HC001 `fakepkg_zz` at demo/x.py:1\n" in text
    assert text.endswith("1 import checked; nothing reported, 1 hidden by the configuration.\n")


def test_without_history_the_summary_names_what_the_baseline_hides(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.commit({"demo/x.py": "import fakepkg_zz\n",
                    BASELINE: _baseline(("demo/x.py", "HC001", "fakepkg_zz"))}, "import and baseline")  # fmt: skip
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth=1", project.root.as_uri(), str(clone)], check=True)
    monkeypatch.chdir(clone)
    capsys.readouterr()
    assert main(["--all-files"]) == 0
    out = capsys.readouterr().out
    assert f"hidden by the baseline {BASELINE}: HC001 `fakepkg_zz` at demo/x.py:1\n" in out
    assert out.endswith("nothing reported, 1 hidden by the baseline.\n")
