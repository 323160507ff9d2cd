"""The agent install hook reads declarations and approvals from git, never from the work tree the agent edits.

An agent that wants `pip install NAME` through writes NAME into a manifest (or an approval into
``[tool.hallucheck.approved]``) on disk, then runs the install. What exists only on disk is new: the name gets
the evidence of a new dependency (a documented hallucination is denied, an unknown name asks). Only what the
last commit (HEAD) holds counts: ``git add`` is one more command the agent may run, so what is only staged is new
too, as the commit hook reviews a dependency the staged change adds. Every case runs through the payload shapes
of Claude Code, Codex and Cursor.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hallucheck.commands.install_check import main
from tests.conftest import Repo

BASE = '[project]\nname = "myapp"\nversion = "1"\ndependencies = ["rich"]\n'
UNKNOWN = "leftpadz-zz"  # no table knows it: a review (ask)
INVENTED = "huggingface-cli"  # a documented hallucination: denied


def claude(command: str, cwd: Path) -> dict[str, Any]:
    return {"session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": str(cwd), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": command, "description": "install"}}  # fmt: skip


def codex(command: str, cwd: Path) -> dict[str, Any]:
    return {"session_id": "s", "cwd": str(cwd), "hook_event_name": "PreToolUse", "tool_name": "shell",
            "tool_input": {"command": ["bash", "-lc", command]}}  # fmt: skip


def cursor(command: str, cwd: Path) -> dict[str, Any]:
    return {"conversation_id": "c", "generation_id": "g", "hook_event_name": "beforeShellExecution",
            "command": command, "cwd": str(cwd), "workspace_roots": [str(cwd)]}  # fmt: skip


SHAPES: dict[str, Callable[[str, Path], dict[str, Any]]] = {"claude": claude, "codex": codex, "cursor": cursor}


def decision(code: int, out: str) -> str:
    """What the agent does with the answer: ``run``, ``ask`` or ``deny``."""
    if code == 2:
        return "deny"
    assert code == 0, (code, out)
    if not out:
        return "run"
    answer = json.loads(out)
    if "permission" in answer:
        return {"allow": "run", "ask": "ask", "deny": "deny"}[answer["permission"]]
    return {"allow": "run", "ask": "ask", "deny": "deny"}[answer["hookSpecificOutput"]["permissionDecision"]]


def answer(payload: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    code = main([])
    return decision(code, capsys.readouterr().out)


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    repo.commit({"pyproject.toml": BASE}, "init")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    elsewhere = tmp_path / "elsewhere"  # the hook's own directory is not the project: the payload's cwd is
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo


# Ways to declare or approve NAME, each a file and its content (the base content of pyproject.toml kept).
WRITERS: dict[str, Callable[[str], tuple[str, str]]] = {
    "pyproject dependencies": lambda name: ("pyproject.toml", BASE.replace('["rich"]', f'["rich", "{name}"]')),
    "optional dependencies": lambda name: (
        "pyproject.toml", BASE + f'\n[project.optional-dependencies]\ndev = ["{name}"]\n'),
    "dependency group": lambda name: ("pyproject.toml", BASE + f'\n[dependency-groups]\ndev = ["{name}"]\n'),
    "requirements.txt": lambda name: ("requirements.txt", f"{name}==1.0\n"),
    "requirements/dev.txt": lambda name: ("requirements/dev.txt", f"{name}\n"),
    "setup.cfg": lambda name: ("setup.cfg", f"[options]\ninstall_requires =\n    {name}\n"),
    "approval in pyproject": lambda name: (
        "pyproject.toml", BASE + f'\n[tool.hallucheck.approved]\n{name} = "{name}"\n'),
    "approval in hallucheck.toml": lambda name: ("hallucheck.toml", f'[approved]\n{name} = "{name}"\n'),
}
# Where the agent leaves what it wrote, and what that makes of the name.
STATES = ("disk only", "staged", "committed")


def write(repo: Repo, writer: str, name: str, state: str) -> None:
    path, content = WRITERS[writer](name)
    repo.write(path, content)
    if state in ("staged", "committed"):
        repo.git("add", "--", path)
    if state == "committed":
        repo.git("commit", "-q", "--no-verify", "-m", "declare")


@pytest.mark.parametrize(("writer", "state", "shape"), list(itertools.product(WRITERS, STATES, SHAPES)))
def test_only_what_git_holds_declares_or_approves(
    project: Repo, writer: str, state: str, shape: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The property: for every manifest family and approval file, in every agent's payload, a name written on
    disk or staged is asked about (never run silently); committed, it runs."""
    write(project, writer, UNKNOWN, state)
    expected = "run" if state == "committed" else "ask"
    assert answer(SHAPES[shape](f"pip install {UNKNOWN}", project.root), monkeypatch, capsys) == expected


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("writer", ["pyproject dependencies", "approval in pyproject", "requirements.txt"])
@pytest.mark.parametrize("state", ["disk only", "staged"])
def test_a_hallucinated_name_written_to_disk_or_staged_is_denied(
    project: Repo, writer: str, shape: str, state: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's example: `huggingface-cli` written into pyproject.toml (or approved) on disk, then installed;
    attack E18: the same, with `git add` between."""
    write(project, writer, INVENTED, state)
    assert answer(SHAPES[shape](f"pip install {INVENTED}", project.root), monkeypatch, capsys) == "deny"


@pytest.mark.parametrize("shape", SHAPES)
def test_no_index_declares_not_even_the_one_git_index_file_names(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "requirements.txt", UNKNOWN, "disk only")
    other = project.root / ".git" / "other-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(other)}
    subprocess.run(["git", "read-tree", "HEAD"], cwd=project.root, env=env, check=True)
    subprocess.run(["git", "add", "requirements.txt"], cwd=project.root, env=env, check=True)
    payload = SHAPES[shape](f"pip install {UNKNOWN}", project.root)
    assert answer(payload, monkeypatch, capsys) == "ask"  # the default index does not hold it
    monkeypatch.setenv("GIT_INDEX_FILE", str(other))
    assert answer(payload, monkeypatch, capsys) == "ask"  # staged there: still new


@pytest.mark.parametrize("shape", SHAPES)
def test_what_head_declares_stays_declared_when_the_index_drops_it(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "requirements.txt", UNKNOWN, "committed")
    project.git("rm", "-q", "--cached", "requirements.txt")  # still on disk, removed from the index
    assert answer(SHAPES[shape](f"pip install {UNKNOWN}", project.root), monkeypatch, capsys) == "run"


@pytest.mark.parametrize("shape", SHAPES)
def test_a_subdirectory_and_a_directory_outside_any_repository(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(project, "requirements.txt", UNKNOWN, "committed")
    (project.root / "app").mkdir()
    assert answer(SHAPES[shape](f"pip install {UNKNOWN}", project.root / "app"), monkeypatch, capsys) == "run"
    loose = tmp_path / "loose"  # a project that is no git repository: nothing there is committed or staged
    loose.mkdir()
    (loose / "requirements.txt").write_text(f"{UNKNOWN}\n")
    assert answer(SHAPES[shape](f"pip install {UNKNOWN}", loose), monkeypatch, capsys) == "ask"
    assert answer(SHAPES[shape](f"pip install {INVENTED}", loose), monkeypatch, capsys) == "deny"
    assert answer(SHAPES[shape]("pip install rich", loose), monkeypatch, capsys) == "run"
    assert Path.cwd() == tmp_path / "elsewhere"  # the hook's directory is restored


@pytest.mark.parametrize("shape", SHAPES)
def test_a_real_hook_process(project: Repo, shape: str) -> None:
    write(project, "pyproject dependencies", INVENTED, "disk only")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    script = "import sys; from hallucheck.commands.install_check import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(SHAPES[shape](f"pip install {INVENTED}", project.root)),
        capture_output=True, text=True, cwd=project.root.parent, env=env, timeout=60,
    )  # fmt: skip
    assert decision(done.returncode, done.stdout) == "deny" and "HC031" in done.stderr


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", [
    f"hallucheck approve {INVENTED} --override-error --force", f"python -m hallucheck approve --declare {UNKNOWN}",
    "pre-commit run hallucheck-approve --hook-stage manual",
    f"HALLUCHECK_OVERRIDE_ERROR={INVENTED} prek run hallucheck-approve --hook-stage manual",
    "pre-commit run -a --hook-stage=manual", "python -m pre_commit run --hook-stage manual",
    "prek run --stage manual",  # every manual hook, hallucheck-approve among them (attack H26)
])  # fmt: skip
def test_an_agent_running_the_approval_is_asked_about(
    project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack E18: approving is a human's decision; an agent that approves what it installs is asked about."""
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("writer", ["pyproject dependencies", "requirements.txt", "setup.cfg"])
def test_a_committed_declaration_does_not_clear_an_error_by_name(
    project: Repo, writer: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack F7: the agent edits pyproject.toml and commits with --no-verify, then installs; a documented
    hallucination stays denied where HEAD declares it, as files mode blocks the same declaration. Only an approval
    that overrides the error (a human's) lets it through."""
    write(project, writer, INVENTED, "committed")
    assert answer(SHAPES[shape](f"pip install {INVENTED}", project.root), monkeypatch, capsys) == "deny"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("command", "expected"), [
    ('git commit --no-verify -am "add deps"', "ask"), ("git commit -anm x", "ask"), ("git commit -n -m x", "ask"),
    ("SKIP=hallucheck git commit -m x", "ask"), ("git -c core.hooksPath=/dev/null commit -m x", "ask"),
    ("git config core.hooksPath /dev/null", "ask"), ("pre-commit uninstall", "ask"),
    ("rm .git/hooks/pre-commit", "ask"),
    ("git push --no-verify origin main", "ask"), ("git merge --no-verify topic", "ask"),
    ("git commit --no-veri -m x", "ask"), ("git push --no-ver origin main", "ask"),  # attack G1: git's prefixes
    ("git commit -m x -- -n", "run"),  # attack G18: after `--`, `-n` is a path
    ("git commit -mn", "run"), ('git commit -m "x"', "run"), ("git log -n 3", "run"), ("git push origin main", "run"),
])  # fmt: skip
def test_a_command_that_skips_the_commit_hook_is_asked_about(
    project: Repo, shape: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Attack F7: the agent hook counts what HEAD declares; a commit that skips hallucheck's hook would let two calls
    make HEAD declare anything, so such a command is asked about."""
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == expected


RESOLVERS = ("uv lock", "poetry lock", "pdm lock", "pipenv lock", "uv pip compile pyproject.toml -o requirements.txt",
             "pip-compile", "pip-compile pyproject.toml")
"""Lock and compile commands: they build the sdists of what they resolve to read their metadata (attack H33)."""


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", RESOLVERS)
def test_a_resolver_reads_the_project_it_locks(
    project: Repo, command: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack H33: a name written into pyproject.toml on disk, then resolved: denied (documented
    hallucination) or asked (unknown), as `uv sync` is; what HEAD declares locks silently."""
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    write(project, "pyproject dependencies", UNKNOWN, "disk only")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
    write(project, "pyproject dependencies", INVENTED, "staged")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "deny"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", ["pip-compile requirements.in", "pip-compile",
                                     "uv pip compile requirements.in -o requirements.txt",
                                     "pip-compile -o requirements.txt requirements.in"])
def test_a_compiled_requirements_file_is_read(
    project: Repo, command: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack H33: `requirements.in` on disk names what the compiler resolves."""
    project.commit({"requirements.in": "rich\n"}, "inputs")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    project.write("requirements.in", f"rich\n{INVENTED}\n")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "deny"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", ["pip install --group dev", "pip install --group pyproject.toml:dev",
                                     "uv pip install --group dev", "python -m pip install --group=dev"])
def test_a_dependency_group_installed_by_pip_is_read(
    project: Repo, command: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack H14: `--group dev` installs `[dependency-groups] dev` of ./pyproject.toml, as `uv sync --group` does."""
    project.commit({"pyproject.toml": BASE + '\n[dependency-groups]\ndev = ["rich"]\n'}, "groups")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    write(project, "dependency group", UNKNOWN, "disk only")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
    write(project, "dependency group", INVENTED, "disk only")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "deny"


PIXI = ('[workspace]\nname = "x"\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n'
        '[pypi-dependencies]\nrich = "*"\n')


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", ["cd px && pixi install", "cd px && pixi run python -V", "cd px && pixi shell",
                                     "pixi install --manifest-path px/pixi.toml", "pixi run -m px python -V"])
def test_a_pixi_workspace_installed_is_read(
    project: Repo, command: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack H14: `pixi install|run|shell` install the workspace's `[pypi-dependencies]` and `[dependencies]`."""
    project.commit({"px/pixi.toml": PIXI}, "pixi")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    project.write("px/pixi.toml", PIXI + f'{UNKNOWN} = "*"\n')
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
    project.write("px/pixi.toml", PIXI + f'{INVENTED} = "*"\n')
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "deny"


RELAXATIONS = (
    "printf '[tool.hallucheck]\\nseverity = {HC001 = \"off\"}\\n' >> pyproject.toml",
    "cat >> pyproject.toml <<'X'\n[tool.hallucheck]\nignore = [\"fakepkg_*\"]\nX",
    "echo 'first-party = [\"fakepkg_zz\"]' > .hallucheck.toml",
    "echo '[mapping]\nfoo = \"bar\"' >> hallucheck.toml",
    "sed -i 's/^import fakepkg_zz$/import fakepkg_zz  # hallucheck: ignore/' x.py",
    "hallucheck baseline --write",
    "python -m hallucheck baseline",
)
KEPT = ("cat pyproject.toml", "grep -n ignore hallucheck.toml", "sed -n 1,40p hallucheck/config.py",
        "echo hello > notes.txt", "printf 'dist/\\n' >> .gitignore", "hallucheck check --all-files > report.txt")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", RELAXATIONS)
def test_a_written_relaxation_is_asked_about(
    project: Repo, command: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack H9: relaxing hallucheck (configuration, ignore comment, baseline) is a human decision, as approving."""
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"


@pytest.mark.parametrize("command", KEPT)
def test_reading_or_other_writes_run(
    project: Repo, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert answer(claude(command, project.root), monkeypatch, capsys) == "run"
