"""``hallucheck demo`` builds its repository with GitPython and blocks the staged change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hallucheck.cli import main
from hallucheck.commands.demo import COMMITTED, STAGED, make_demo_repository


def test_demo_blocks_its_staged_change(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    codes = sorted({item["code"] for item in report["findings"]})
    assert "HC001" in codes and "HC003" in codes
    assert {item["module"] for item in report["findings"] if item["code"] == "HC001"} == {"cryptoutils"}


def test_demo_repository_has_one_commit_and_the_change_staged(tmp_path: Path) -> None:
    import git

    make_demo_repository(tmp_path)
    repository = git.Repo(tmp_path)
    assert len(list(repository.iter_commits())) == 1
    assert sorted(repository.head.commit.tree.traverse(), key=str) and not repository.is_dirty(
        index=False, working_tree=True, untracked_files=True
    )
    staged = {item.a_path for item in repository.index.diff(repository.head.commit)}
    assert staged == set(STAGED) - {path for path in STAGED if STAGED[path] == COMMITTED.get(path)}
    repository.close()
