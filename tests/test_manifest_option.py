"""``--manifest`` and ``manifests`` say exactly what they apply to (issue 22): ``PATH`` joins the project it
sits in, ``PATH:DIR`` counts for every file under ``DIR``, ``PATH:.`` for the whole repository (deptry's
``--config a_sub_directory/pyproject.toml`` case). Each case runs through a real git repository."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

SUB = '[project]\nname = "sub"\nversion = "1"\ndependencies = ["arrow"]\n'
FILES: dict[str, str | bytes] = {"sub/pyproject.toml": SUB, "sub/lib.py": "import arrow\n",
                                 "src/app.py": "import arrow\n", "tools/run.py": "import arrow\n"}  # fmt: skip


def _blocked_paths(outcome: Any) -> list[str]:
    return sorted(item["path"] for item in outcome.json()["findings"] if item["severity"] == "error")


def test_a_manifest_joins_the_project_it_sits_in_and_says_so(repo: Repo, run: Any) -> None:
    repo.commit(FILES)
    outcome = run("--all-files", "--manifest", "sub/pyproject.toml")
    assert _blocked_paths(outcome) == ["src/app.py", "tools/run.py"]
    text = run("--all-files", "--manifest", "sub/pyproject.toml", json_output=False).out
    assert ("manifest (--manifest): `sub/pyproject.toml` counts for files of the project in `sub/` only, not for "
            "other projects (`sub/pyproject.toml:.` counts for the whole repository)") in text.splitlines()


def test_a_manifest_applied_to_the_repository_counts_for_every_file(repo: Repo, run: Any) -> None:
    repo.commit(FILES)
    outcome = run("--all-files", "--manifest", "sub/pyproject.toml:.")
    assert (outcome.code, _blocked_paths(outcome)) == (0, [])
    text = run("--all-files", "--manifest", "sub/pyproject.toml:.", json_output=False).out
    assert "manifest (--manifest): `sub/pyproject.toml` counts for every file of the repository" in text


def test_a_manifest_applied_to_a_directory_counts_under_it_only(repo: Repo, run: Any) -> None:
    repo.commit(FILES)
    outcome = run("--all-files", "--manifest", "sub/pyproject.toml:src/")
    assert _blocked_paths(outcome) == ["tools/run.py"]
    assert "counts for every file under `src/`" in run("--all-files", "--manifest", "sub/pyproject.toml:src",
                                                       json_output=False).out  # fmt: skip


def test_the_configuration_key_takes_the_same_form(repo: Repo, run: Any) -> None:
    tool = '[tool.hallucheck]\nmanifests = ["sub/pyproject.toml:."]\n'
    repo.commit({**FILES, "pyproject.toml": tool})
    assert (run("--all-files").code, _blocked_paths(run("--all-files"))) == (0, [])
    shown = run("--show-config", json_output=False).out
    assert "sub/pyproject.toml:." in shown
    text = run("--all-files", json_output=False).out
    assert "manifest (pyproject.toml [tool.hallucheck]): `sub/pyproject.toml` counts for every file" in text


@pytest.mark.parametrize(("entry", "message"), [
    ("sub/pyproject.toml:nodir", "--manifest sub/pyproject.toml:nodir: no such directory nodir/ in"),
    ("sub/pyproject.toml:src/app.py", "no such directory src/app.py/"),
    ("missing.toml:.", "--manifest missing.toml: no such file in"),
    ("sub/pyproject.toml:../x", "is not a relative path"),
])  # fmt: skip
def test_a_wrong_manifest_argument_is_an_error(repo: Repo, run: Any, entry: str, message: str) -> None:
    repo.commit(FILES)
    outcome = run("--all-files", "--manifest", entry)
    assert outcome.code == 2 and message in outcome.err, outcome.err


def test_a_dependency_a_commit_adds_to_an_applied_manifest_is_reviewed(repo: Repo, run: Any) -> None:
    repo.commit({**FILES, "deps/extra.txt": "arrow\n"})
    repo.stage({"deps/extra.txt": "arrow\nleftpadx\n", "src/new.py": "import leftpadx\n"})
    outcome = run("--manifest", "deps/extra.txt:.")
    found = {(item["code"], item["severity"]) for item in outcome.json()["findings"]}
    assert outcome.code == 1 and ("HC004", "review") in found, outcome.out
    assert not any(code == "HC001" for code, _ in found)


def test_widening_a_manifest_to_the_repository_is_a_relaxation(repo: Repo, run: Any) -> None:
    repo.commit({**FILES, "src/app.py": "", "tools/run.py": "",
                 "pyproject.toml": '[tool.hallucheck]\nmanifests = ["sub/pyproject.toml"]\n'})  # fmt: skip
    repo.stage({"pyproject.toml": '[tool.hallucheck]\nmanifests = ["sub/pyproject.toml:."]\n',
                "src/app.py": "import arrow\n"})  # fmt: skip
    outcome = run()
    relaxed = [item for item in outcome.json()["findings"] if item["code"] == "HC101"]
    assert len(relaxed) == 1 and "`sub/pyproject.toml:.` added to `manifests`" in relaxed[0]["message"]
    assert "HC002" in run("--policy-from-base").codes()  # sub/ declares it; src/ does not
