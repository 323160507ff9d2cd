"""Real git repositories in temporary directories, and a way to run hallucheck in them."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user or system git configuration leaks into the tests; commits have an author; bugs raise."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "test@example.com")
    for variable in ("PRE_COMMIT", "GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "VIRTUAL_ENV"):
        monkeypatch.delenv(variable, raising=False)
    # A bug must fail the test that meets it, not become the CLI's one-line "internal error".
    monkeypatch.setenv("HALLUCHECK_DEBUG", "1")


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)  # type: ignore[no-any-return]

    def codes(self) -> list[str]:
        return [item["code"] for item in self.json()["findings"]]


class Repo:
    """A git repository in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, **kwargs: Any) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True, **kwargs
        )
        return str(completed.stdout)

    def write(self, path: str, content: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")

    def stage(self, files: dict[str, str | bytes]) -> None:
        for path, content in files.items():
            self.write(path, content)
        self.git("add", "-A")

    def commit(self, files: dict[str, str | bytes] | None = None, message: str = "commit") -> None:
        if files:
            self.stage(files)
        self.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message)

    def check(self, *args: str, json_output: bool = True, capsys: pytest.CaptureFixture[str] | None = None) -> Outcome:
        """Run hallucheck in-process in this repository."""
        assert capsys is not None
        capsys.readouterr()
        previous = Path.cwd()
        os.chdir(self.root)
        try:
            code = main([*args, *(["--format", "json"] if json_output else [])])
        finally:
            os.chdir(previous)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    yield Repo(tmp_path / "repo")


@pytest.fixture
def run(repo: Repo, capsys: pytest.CaptureFixture[str]) -> Any:
    def runner(*args: str, json_output: bool = True) -> Outcome:
        return repo.check(*args, json_output=json_output, capsys=capsys)

    return runner


def cpu_seconds(work: Callable[[], object]) -> float:
    """The best of three runs of ``work`` in CPU time: the other processes of a loaded machine do not count."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best
