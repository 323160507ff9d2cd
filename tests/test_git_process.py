"""The git edge starts git without ``subprocess`` (``os.posix_spawnp`` and pipes): what ``subprocess`` gave it,
it still has — concurrent reading of both outputs, input written while output is read, git's exit status and
message, SIGPIPE back to its default in git, no descriptor left open — and ``subprocess`` where there is no
``posix_spawnp``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hallucheck.git import repository
from hallucheck.git.repository import GitError, Repository, run_git
from tests.conftest import Repo


def _big_repo(repo: Repo) -> str:
    """A commit with a blob of 3 MB (more than any pipe holds); its name."""
    repo.commit({"big.txt": "x" * (3 << 20), "a.py": "import os\n"})
    return repo.git("rev-parse", "HEAD:big.txt").strip()


def test_large_output_and_error_are_read_together(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _big_repo(repo)
    monkeypatch.chdir(repo.root)
    assert run_git(["cat-file", "blob", blob]) == b"x" * (3 << 20)
    # 3 MB on standard error while standard output is read: neither pipe may fill up and stop git.
    with pytest.raises(GitError) as raised:
        run_git(["-c", "alias.noise=!f() { head -c 3000000 big.txt >&2; printf y; exit 3; }; f", "noise"])
    assert str(raised.value) == "x" * 3000000


def test_input_larger_than_a_pipe_is_written_while_output_is_read(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _big_repo(repo)
    monkeypatch.chdir(repo.root)
    names = (f"{blob}\n" * 40).encode()
    out = run_git(["cat-file", "--batch-check"], stdin=names)
    assert out.decode().splitlines() == [f"{blob} blob {3 << 20}"] * 40


def test_the_blob_reader_and_the_exit_status(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _big_repo(repo)
    monkeypatch.chdir(repo.root)
    opened = set(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else None
    for _ in range(3):
        git = Repository()
        assert git.read_blob(blob) == b"x" * (3 << 20) and git.read_blob("0" * 40) is None
        assert git.read_blob("HEAD:a.py") == b"import os\n"
        git.close()
    assert run_git(["diff", "--quiet", "HEAD", "HEAD"], ok_codes=(0,)) == b""
    with pytest.raises(GitError, match=r"^fatal: Needed a single revision$"):
        run_git(["rev-parse", "--verify", "nosuchrev"])
    assert run_git(["diff", "--quiet", "HEAD", "HEAD~0"], ok_codes=(0, 1)) == b""
    if opened is not None:
        assert set(os.listdir("/proc/self/fd")) == opened  # no pipe left open


def test_the_process_gets_sigpipe_back() -> None:
    """Python ignores SIGPIPE and a child inherits that; the process layer gives it the default back (git
    restores it itself too)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc")
    process = repository._Spawned(["sh", "-c", "grep SigIgn /proc/self/status"], -3, -1, -1)
    out, _ = process.communicate()
    assert process.returncode == 0
    assert int(out.split()[-1], 16) & (1 << (13 - 1)) == 0


def test_without_posix_spawn_subprocess_runs_git(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _big_repo(repo)
    monkeypatch.chdir(repo.root)
    monkeypatch.delattr(os, "posix_spawnp")
    assert isinstance(repository._start(["--version"], stdin=-3, stdout=-1, stderr=-1), subprocess.Popen)
    assert run_git(["cat-file", "blob", blob]) == b"x" * (3 << 20)
    git = Repository()
    assert git.read_blob("HEAD:a.py") == b"import os\n"
    git.close()


def test_the_commit_path_does_not_import_subprocess(repo: Repo) -> None:
    repo.commit({"pyproject.toml": '[project]\nname = "p"\nversion = "1"\ndependencies = ["PyYAML"]\n',
                 "a.py": "import os\n"})  # fmt: skip
    repo.stage({"a.py": "import os\nimport yaml\n"})
    code = "import sys; from hallucheck.cli import main; code = main([]); print(code, 'subprocess' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo.root)
    assert done.stdout.split("\n")[-2] == "0 False"
