"""Every command README.md and docs/ show runs here, and a transcript they show is what the command prints.

A command is a line of a ``sh``/``shell``/``bash`` block, or a ``$ ``-prompted line of a ``console`` or ``text``
block. :data:`HOW` says how each one is run; a command added to the docs without an entry there fails
:func:`test_every_documented_command_is_run`, so the docs cannot show a command no test runs.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from tests.conftest import Repo
from tests.test_precommit import HookSource, git, hook_source, pre_commit  # noqa: F401 - the fixture

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"\s+#\s.*$")

# How each documented command runs: an exit status when it runs as is in the scratch repository of
# `test_command_runs_in_a_repository`; "ci" for the set-up lines .ci/run runs; or the test that runs it.
HOW: dict[str, int | str] = {
    "hallucheck": 0,
    "hallucheck path/to/file.py": 0,
    "hallucheck --from-ref main --to-ref HEAD": 0,
    "hallucheck main...HEAD": 0,
    "hallucheck --all-files": 0,
    "hallucheck check src/ tests/x.py": 0,
    "hallucheck baseline": 0,
    "hallucheck --format json": 0,
    "hallucheck --policy-from-base main..HEAD": 0,
    "hallucheck --format sarif -o out.sarif --exit-zero": 0,
    "hallucheck explain HC001": 0,
    "hallucheck explain-import sklearn": 1,
    "hallucheck --online": 0,
    "hallucheck install-check -- pip install huggingface-cli": 1,
    "hallucheck init --agent claude --dry-run": 0,
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/hallucheck demo": "test_readme_demo_line",
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest -q": "ci",
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'": "ci",
    ".venv/bin/ruff check hallucheck tests && .venv/bin/mypy && .venv/bin/python -m pytest -q": "ci",
    "hallucheck approve huggingface-hub": "test_configuration_approve_transcript",
    "git add pyproject.toml && git commit": "test_configuration_approve_transcript",
    'git commit -m "Add hashing"': "test_readme_transcripts",
    'git commit -m "Use the weather hub"': "test_readme_transcripts",
    "pre-commit run hallucheck-approve --hook-stage manual": "test_readme_transcripts",
}


def documented_commands() -> dict[str, list[str]]:
    """Each command the pages show, with the pages that show it."""
    found: dict[str, list[str]] = {}
    for page in PAGES:
        for block in _FENCE.finditer(page.read_text(encoding="utf-8")):
            language, lines = block[2], block[3].splitlines()
            if language in ("sh", "shell", "bash"):
                commands = [_COMMENT.sub("", line).strip() for line in lines]
                commands = [command for command in commands if command and not command.startswith("#")]
            else:
                commands = [line.strip()[2:] for line in lines if line.strip().startswith("$ ")]
            for command in commands:
                found.setdefault(command, []).append(page.name)
    return found


def transcript(page: str, first: str) -> list[tuple[str, list[str]]]:
    """The ``$ command`` lines of the block on ``page`` that starts with ``first``, each with its output lines."""
    for block in _FENCE.finditer((ROOT / page).read_text(encoding="utf-8")):
        lines = [line[len(block[1]) :] for line in block[3].splitlines()]
        if lines and lines[0] == f"$ {first}":
            steps: list[tuple[str, list[str]]] = []
            for line in lines:
                if line.startswith("$ "):
                    steps.append((line[2:], []))
                else:
                    steps[-1][1].append(line)
            return steps
    raise AssertionError(f"no transcript starting with `$ {first}` in {page}")


_DURATION = re.compile(r"^- duration: [0-9.]+s$")


def matches(documented: list[str], actual: list[str]) -> bool:
    """The documented output is the actual one, line for line; `...` in a documented line stands for any text, and
    pre-commit's `- duration:` line may show any time."""
    if len(documented) != len(actual):
        return False
    for want, got in zip(documented, actual, strict=True):
        if _DURATION.match(want) and _DURATION.match(got):
            continue
        pattern = ".*".join(re.escape(part) for part in want.split("..."))
        if not re.fullmatch(pattern, got):
            return False
    return True


def transcript_mismatch(documented: list[str], actual: str) -> str | None:
    lines = actual.rstrip("\n").splitlines()
    if matches(documented, lines):
        return None
    return "documented:\n" + "\n".join(documented) + "\n\nactual:\n" + "\n".join(lines)


def assert_transcript(documented: list[str], actual: str) -> None:
    mismatch = transcript_mismatch(documented, actual)
    assert mismatch is None, mismatch


def test_every_documented_command_is_run() -> None:
    documented = documented_commands()
    unknown = {command: pages for command, pages in documented.items() if command not in HOW}
    assert not unknown, f"add these to HOW in {Path(__file__).name}, with how a test runs them: {unknown}"
    stale = set(HOW) - set(documented)
    assert not stale, f"no page shows these any more; remove them from HOW: {stale}"


def test_ci_runs_the_set_up_lines() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command, how in HOW.items():
        if how == "ci":
            for part in command.split(" && "):
                program = part.replace(".venv/bin/", "").replace("'.[test]'", "").split()[0]
                assert program in ci, f"{command!r}: .ci/run does not run {program}"


# --- commands run as shown ------------------------------------------------------------------------------------

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n'


@pytest.fixture
def scratch(repo: Repo) -> Repo:
    """main: a small project; the branch `feature` adds a commit; a change to path/to/file.py is staged."""
    repo.commit({"pyproject.toml": PYPROJECT, "app.py": "import requests\n", "src/pkg/__init__.py": "",
                 "tests/x.py": "import requests\n", "path/to/file.py": "import requests\n"})  # fmt: skip
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"app.py": "import requests\nimport json\n"})
    repo.stage({"path/to/file.py": "import requests\nimport os\n"})
    return repo


@pytest.mark.parametrize("command", [command for command, how in HOW.items() if isinstance(how, int)])
def test_command_runs_in_a_repository(command: str, scratch: Repo, capsys: Any, monkeypatch: Any) -> None:
    from hallucheck.commands import install_check

    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple/")  # --online: an index that answers nothing
    monkeypatch.chdir(scratch.root)
    words = shlex.split(command)
    assert words[0] == "hallucheck"
    code = main(words[1:])
    captured = capsys.readouterr()
    assert code == HOW[command], f"{command}: exit {code}\n{captured.out}\n{captured.err}"
    assert "error:" not in captured.err and "Traceback" not in captured.err, captured.err
    if "--format json" in command:
        assert json.loads(captured.out)["version"] == 1
    if "-o out.sarif" in command:
        assert json.loads((scratch.root / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    if command == "hallucheck baseline":
        assert (scratch.root / ".hallucheck-baseline.json").exists()
    assert install_check  # the subcommand's module is importable on its own too


def test_configuration_approve_transcript(repo: Repo, capsys: Any, monkeypatch: Any) -> None:
    """docs/configuration.md: approve a new dependency, commit, and the check passes."""
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"pyproject.toml": PYPROJECT.replace('"requests"]', '"requests", "huggingface-hub>=0.20"]')})
    monkeypatch.chdir(repo.root)
    (approve, approved), (commit, _) = transcript("docs/configuration.md", "hallucheck approve huggingface-hub")
    capsys.readouterr()
    assert main(shlex.split(approve)[1:]) == 0
    assert_transcript(approved, capsys.readouterr().out)
    editor = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write('approve')\""
    subprocess.run(["bash", "-c", commit], check=True, capture_output=True, env={**os.environ, "GIT_EDITOR": editor})
    assert repo.git("log", "-1", "--format=%s").strip() == "approve"
    assert main(["--from-ref", "HEAD~1", "--to-ref", "HEAD"]) == 0


@pytest.mark.framework
def test_readme_transcripts(repo: Repo, hook_source: HookSource) -> None:  # noqa: F811
    """README.md: the blocked commit, the reviewed one, and the approve hook print what the README shows."""
    config = (f"repos:\n  - repo: {hook_source.path.as_posix()}\n    rev: {hook_source.rev}\n    hooks:\n"
              "      - id: hallucheck\n      - id: hallucheck-approve\n")  # fmt: skip
    repo.commit({".pre-commit-config.yaml": config, "pyproject.toml": PYPROJECT, "app/__init__.py": ""})
    assert pre_commit(hook_source, repo.root, "install").returncode == 0
    assert pre_commit(hook_source, repo.root, "install-hooks").returncode == 0  # no first-run lines below
    mismatches = []

    [(command, output)] = transcript("README.md", 'git commit -m "Add hashing"')
    repo.stage({"app/crypto.py": "import hashlib\nimport os\nfrom cryptoutils import secure_hash\n"})
    done = git(hook_source, repo.root, *shlex.split(command)[1:])
    assert done.returncode == 1
    mismatches.append(transcript_mismatch(output, done.stdout))
    repo.git("rm", "-q", "--cached", "app/crypto.py")
    (repo.root / "app" / "crypto.py").unlink()

    [(command, output)] = transcript("README.md", 'git commit -m "Use the weather hub"')
    repo.stage({"hub.py": "import acme_weather\n",
                "pyproject.toml": PYPROJECT.replace('"requests"]', '\n    "requests",\n    "acme-weather>=1",\n]')})
    done = git(hook_source, repo.root, *shlex.split(command)[1:])
    assert done.returncode == 1
    mismatches.append(transcript_mismatch(output, done.stdout))

    [(command, output)] = transcript("README.md", "pre-commit run hallucheck-approve --hook-stage manual")
    done = pre_commit(hook_source, repo.root, *shlex.split(command)[1:])
    assert done.returncode == 1
    mismatches.append(transcript_mismatch(output, done.stdout))
    assert mismatches == [None, None, None], "\n\n".join(filter(None, mismatches))
    repo.git("add", "pyproject.toml")
    assert git(hook_source, repo.root, "commit", "-m", "Use the weather hub").returncode == 0


@pytest.mark.framework
def test_readme_demo_line(hook_source: HookSource, tmp_path: Path) -> None:  # noqa: F811
    """The README's first command, as written, in a copy of this project: the demo blocks (exit 1)."""
    command = next(command for command, how in HOW.items() if how == "test_readme_demo_line")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(hook_source.path), str(clone)], check=True)
    env = {**os.environ, "PIP_CACHE_DIR": str(hook_source.pip_cache)}
    done = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "exit status 1: the commit would be blocked." in done.stdout
