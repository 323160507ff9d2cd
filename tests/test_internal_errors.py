"""The last-resort guard in ``main``: a bug is a one-line error and exit 2, and the tests still see it."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

import hallucheck.cli
from tests.conftest import Repo


def _boom(*args: Any, **kwargs: Any) -> int:
    raise RuntimeError("a bug\nover two lines")


def test_a_bug_is_one_line_and_exit_2(repo: Repo, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HALLUCHECK_DEBUG")
    monkeypatch.setattr(hallucheck.cli, "run_check", _boom)
    repo.commit({"a.py": "import os\n"})
    outcome = run()
    assert outcome.code == 2
    assert outcome.out == ""
    assert outcome.err.count("\n") == 1, outcome.err
    assert outcome.err.startswith("hallucheck: internal error: RuntimeError: a bug over two lines at ")
    assert "hallucheck/cli.py" in outcome.err or "tests/" not in outcome.err
    assert "HALLUCHECK_DEBUG=1" in outcome.err
    assert "Traceback" not in outcome.err


def test_with_the_debug_variable_the_bug_propagates(repo: Repo, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert os.environ["HALLUCHECK_DEBUG"]  # set for every test by conftest
    monkeypatch.setattr(hallucheck.cli, "run_check", _boom)
    repo.commit({"a.py": "import os\n"})
    with pytest.raises(RuntimeError, match="a bug"):
        run()


def test_recursion_error_from_anywhere_is_caught(repo: Repo, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def recurse(*args: Any, **kwargs: Any) -> int:
        return recurse()

    monkeypatch.delenv("HALLUCHECK_DEBUG")
    monkeypatch.setattr(hallucheck.cli, "run_check", recurse)
    repo.commit({"a.py": "import os\n"})
    outcome = run()
    assert outcome.code == 2
    assert outcome.err.startswith("hallucheck: internal error: RecursionError:")


def test_subcommands_are_guarded_too(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import hallucheck.report.rules

    monkeypatch.delenv("HALLUCHECK_DEBUG")
    monkeypatch.setattr(hallucheck.report.rules, "explain_main", _boom)
    assert hallucheck.cli.main(["explain", "HC001"]) == 2
    assert capsys.readouterr().err.startswith("hallucheck: internal error: RuntimeError")


def test_the_installed_entry_point_prints_no_traceback(repo: Repo) -> None:
    """In a child process, the way the console script runs it."""
    repo.commit({"a.py": "import os\n"})
    environment = {key: value for key, value in os.environ.items() if key != "HALLUCHECK_DEBUG"}
    code = "import hallucheck.cli as c, sys\nc.run_check = lambda *a: 1 // 0\nsys.exit(c.main([]))"
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.root, capture_output=True, text=True, env=environment, timeout=60
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("hallucheck: internal error: ZeroDivisionError: integer division or modulo")
    assert "Traceback" not in completed.stderr


def test_a_reader_that_goes_away_is_not_a_bug(repo: Repo) -> None:
    """`hallucheck | head`: the pipe closes before the report is written."""
    repo.commit({"a.py": "import fakepkg_zz\n" * 2000})
    environment = {key: value for key, value in os.environ.items() if key != "HALLUCHECK_DEBUG"}
    process = subprocess.Popen(
        [sys.executable, "-m", "hallucheck", "--all-files", "--format", "json"],
        cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 2
    assert error == ""
