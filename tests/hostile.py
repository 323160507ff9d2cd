"""What the hostile-input tests share (issue 16, "Crashes found"): no input may crash, hang or fool the hook.

Each scenario is a real repository whose staged change adds ``import fakepkg_zz``
(a name nothing provides) next to a broken input. Whatever the input does, the
run must end with a finding naming the file and line of the broken input and a
non-zero exit, and the made-up import must still be reported: never a
traceback, a signal or a hang. Scenarios that used to segfault or hang run
hallucheck in a child process with a timeout, so a regression fails the test
instead of taking the test run down.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

Files = dict[str, str | bytes]
FAKE = "fakepkg_zz"
IMPORT: Files = {"a.py": f"import {FAKE}\n"}
PYPROJECT = '[project]\nname = "demo"\ndependencies = ["requests"]\n'
PROJECT: Files = {"pyproject.toml": PYPROJECT}
DEPTH = 5000  # far deeper than any parser's recursion limit (tomllib, json, ast, PyYAML's pure loader)


def arrays(depth: int = DEPTH) -> str:
    return "[" * depth + "]" * depth


def tables(depth: int = DEPTH) -> str:
    return "{a = " * depth + "1" + "}" * depth


def objects(depth: int = DEPTH) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def findings(outcome: Any) -> list[tuple[str, str, int]]:
    return [(item["code"], item["path"], item["line"]) for item in outcome.json()["findings"]]


def assert_blocks_and_names(outcome: Any, path: str, line: int, codes: tuple[str, ...] = ("HC011",)) -> None:
    """The run blocks, reports ``path:line`` under one of ``codes``, and still reports the made-up import."""
    assert outcome.code == 1, outcome.err
    found = findings(outcome)
    assert any(code in codes and where == path and at == line for code, where, at in found), found
    assert ("HC001", "a.py", 1) in found, found


def run_isolated(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """hallucheck in a child process: a segfault or a hang fails the test instead of ending the test run."""
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    return subprocess.run(
        [sys.executable, "-m", "hallucheck", *args, "--format", "json"],
        cwd=root, capture_output=True, text=True, timeout=timeout, env=environment,
    )  # fmt: skip


def isolated_findings(completed: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int]]:
    import json

    assert completed.returncode in (0, 1), (completed.returncode, completed.stderr[-2000:])
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    return [(item["code"], item["path"], item["line"]) for item in json.loads(completed.stdout)["findings"]]
