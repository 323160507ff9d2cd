"""``hallucheck install-check``: a command line, or a coding agent's pre-tool hook payload on stdin."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from hallucheck.cli import main
from tests.conftest import Repo

pytest_plugins = ("tests.index_servers",)

if TYPE_CHECKING:
    from tests.index_servers import StaticIndex

PYPROJECT = '[project]\nname = "myapp"\nversion = "1"\ndependencies = ["cryptoutils-internal"]\n'


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT}, "init")
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    return repo


def check(capsys: pytest.CaptureFixture[str], *command: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["install-check", "--", *command])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def hook(capsys: pytest.CaptureFixture[str], payload: Any, *options: str,
         monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(payload if isinstance(payload, str) else json.dumps(payload)))
    code = main(["install-check", *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def bash(command: Any, cwd: Path | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
                               "tool_input": {"command": command, "description": "install"}}  # fmt: skip
    if cwd is not None:
        payload["cwd"] = str(cwd)
    return payload


@pytest.mark.usefixtures("project")
def test_the_cases_of_the_issue(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = check(capsys, "pip", "install", "huggingface-cli")
    assert code == 1 and "HC031" in err and "documented AI-hallucinated" in err
    code, _, err = check(capsys, "pip", "install", "--upgrade", "reqeusts")
    assert code == 1 and "HC030" in err and "Did you mean `requests`?" in err
    assert check(capsys, "pip", "install", "requests", "rich>=13") == (0, "", "")
    assert check(capsys, "pip install requests 'rich>=13'") == (0, "", "")


def test_declared_own_and_unknown_names(project: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, "pip", "install", "cryptoutils-internal", "myapp")[0] == 0
    code, _, err = check(capsys, "uv", "add", "flask-permissions")
    assert code == 1 and "HC040" in err
    code, _, err = check(capsys, "pip", "install", "sklearn")
    assert code == 1 and "HC032" in err and "scikit-learn" in err
    assert check(capsys, "ls", "-la")[0] == 0
    code, _, err = check(capsys, "pip", "install", "-r", "requirements.txt", "-e", ".")
    assert code == 1 and "HC042" in err and "does not exist yet" in err  # the command may write it first
    project.commit({"requirements.txt": "cryptoutils-internal\n"}, "requirements")
    assert check(capsys, "pip", "install", "-r", "requirements.txt", "-e", ".")[0] == 0


def test_claude_code_hook_denies_errors_and_asks_for_reviews(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = hook(capsys, bash("cd app && pip install huggingface-cli"), monkeypatch=monkeypatch)
    assert code == 2 and out == "" and "HC031" in err
    code, out, err = hook(capsys, bash("uv pip install flask-permissions", project.root), monkeypatch=monkeypatch)
    decision = json.loads(out)["hookSpecificOutput"]
    assert code == 0 and decision["permissionDecision"] == "ask" and "HC040" in decision["permissionDecisionReason"]
    assert hook(capsys, bash("uv pip install flask-permissions"), "--reviews", "block",
                monkeypatch=monkeypatch)[0] == 2  # fmt: skip
    assert hook(capsys, bash("uv pip install flask-permissions"), "--reviews", "allow",
                monkeypatch=monkeypatch)[:2] == (0, "")  # fmt: skip
    assert hook(capsys, bash("pip install requests cryptoutils-internal"), monkeypatch=monkeypatch) == (0, "", "")
    assert hook(capsys, bash("git status"), monkeypatch=monkeypatch) == (0, "", "")


def test_codex_word_lists_cursor_payloads_and_other_tools(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = hook(capsys, bash(["bash", "-lc", "pip install reqeusts"]), monkeypatch=monkeypatch)
    assert code == 2 and "HC030" in err
    cursor = {"hook_event_name": "beforeShellExecution", "command": "pip install huggingface-cli",
              "cwd": str(project.root)}  # fmt: skip
    code, out, _ = hook(capsys, cursor, monkeypatch=monkeypatch)
    assert code == 2 and json.loads(out)["permission"] == "deny"
    edit = {"tool_name": "Edit", "tool_input": {"file_path": "x.py", "new_string": "pip install reqeusts"}}
    assert hook(capsys, edit, monkeypatch=monkeypatch) == (0, "", "")


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("payload", ["", "not json", "[1, 2]", '{"tool_input": {"command": 3}}', "[" * 100_000])
def test_an_unreadable_payload_blocks(
    payload: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = hook(capsys, payload, monkeypatch=monkeypatch)
    assert code == 2 and "blocked to be safe" in err


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize(
    ("payload", "what"),
    [
        ('{"tool_name": "Bash", "tool_input": {"command": "pip install \\ud800x"}}', "command holds a lone surrogate"),
        ('{"tool_name": "Bash", "tool_input": {"command": ["pip", "install", "a\\u0000b"]}}', "command holds a NUL"),
        ('{"tool_name": "Bash", "tool_input": {"command": "pip install fakepkg-zz"}, "cwd": "/tmp/x\\u0000y"}',
         "directory holds a NUL"),
    ],
    ids=["surrogate", "nul-word", "nul-cwd"],
)
def test_text_no_shell_receives_asks_and_is_no_internal_error(
    payload: str, what: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack D7: JSON carries a lone surrogate or a NUL that no shell or file system takes; that was an internal
    error (exit 2). It is HC042: what the command runs cannot be read, so a human confirms."""
    code, out, err = hook(capsys, payload, monkeypatch=monkeypatch)
    decision = json.loads(out)["hookSpecificOutput"]
    assert (code, decision["permissionDecision"], err) == (0, "ask", "")
    assert "HC042" in decision["permissionDecisionReason"] and what in decision["permissionDecisionReason"]


def test_online_evidence_for_unknown_names(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, static_index: StaticIndex
) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", static_index.url)
    code, _, err = check(capsys, "pip", "install", "young-pkg")
    assert code == 1 and "HC040" in err  # offline: only a review
    capsys.readouterr()
    assert main(["install-check", "--online", "--", "pip", "install", "young-pkg", "no-such-pkg-zz"]) == 1
    err = capsys.readouterr().err
    assert "HC034" in err and "HC033" in err
    requests = len(static_index.requests)
    assert main(["install-check", "--online", "--", "pip", "install", "requests"]) == 0
    assert len(static_index.requests) == requests  # popular names are not looked up


def test_a_real_process_answers_a_hook_payload(project: Repo) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "hallucheck", "install-check"], input=json.dumps(bash("pip install reqeusts")),
        capture_output=True, text=True, cwd=project.root, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "HC030" in done.stderr and "Traceback" not in done.stderr


def test_the_agent_entry_point_answers_without_the_command_line(project: Repo) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    script = "import sys; from hallucheck.commands.install_check import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(bash("pip install huggingface-cli")),
        capture_output=True, text=True, cwd=project.root, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "HC031" in done.stderr
    loaded = subprocess.run(
        [sys.executable, "-c", script + "\n"], input=json.dumps(bash("ls")), capture_output=True, text=True,
        cwd=project.root, env={**env, "PYTHONVERBOSE": "1"}, timeout=60,
    )  # fmt: skip
    assert loaded.returncode == 0 and "hallucheck.cli" not in loaded.stderr and "hallucheck.config" not in loaded.stderr


def test_an_approved_name_passes_and_the_hint_says_how_to_approve(
    project: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    # The newcomer trial: the hint said `hallucheck approve NAME`, which refuses a name no staged change adds,
    # and an approval written by hand did not clear the agent hook.
    code, _, err = check(capsys, "pip", "install", "leftpadz")
    assert code == 1 and "HC040" in err
    assert "hallucheck approve leftpadz" in err and "needs `--force` when no staged change installs it" in err
    assert 'leftpadz = "leftpadz"' in err
    project.write("pyproject.toml", PYPROJECT + '\n[tool.hallucheck.approved]\nleftpadz = "leftpadz"\n')
    code, _, err = check(capsys, "pip", "install", "leftpadz")
    assert code == 1 and "HC040" in err and "Stage what you write (`git add`)" in err  # on disk only: new
    assert "the agent hook counts only what is committed" in err
    project.git("add", "pyproject.toml")
    assert check(capsys, "pip", "install", "leftpadz")[0] == 1  # staged: the agent may `git add` too (E18)
    project.git("commit", "-q", "--no-verify", "-m", "approve")
    assert check(capsys, "pip", "install", "leftpadz") == (0, "", "")
