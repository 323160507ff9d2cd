"""The agent writes an install into a file, then runs the file (ATTACK2 B13, B4): the agent hook reads the file a
command runs as it is on disk (a shell script, Python code and its PEP 723 metadata, a Makefile, tox.ini,
noxfile.py, .pre-commit-config.yaml) with the same readers as a commit; what git does not hold there is new.
Through the payload shapes of Claude Code, Codex and Cursor on a real git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

import hallucheck.commands.install_check as install_check
from tests.conftest import Repo
from tests.test_install_check_disk import answer
from tests.test_install_check_git import BASE, INVENTED, SHAPES

FILES = {
    "setup.sh": f"#!/bin/sh\npip install {INVENTED}\n",
    "Makefile": f"install:\n\tpip install {INVENTED}\n",
    "tox.ini": f"[testenv]\ndeps = {INVENTED}\n",
    "inst.py": f'import subprocess\nsubprocess.run(["pip", "install", "{INVENTED}"])\n',
    "s.py": f'# /// script\n# dependencies = ["{INVENTED}"]\n# ///\nprint(1)\n',
    "noxfile.py": f'import nox\n\n\n@nox.session\ndef t(session):\n    session.install("{INVENTED}")\n',
    ".pre-commit-config.yaml": ("repos:\n- repo: local\n  hooks:\n  - id: x\n    name: x\n    entry: x\n"
                                f"    language: python\n    additional_dependencies: [{INVENTED}]\n"),
}
COMMANDS = {
    "bash setup.sh": "setup.sh", "./setup.sh": "setup.sh", "sh -e setup.sh": "setup.sh",
    "source setup.sh": "setup.sh", ". ./setup.sh": "setup.sh", "cd . && bash ./setup.sh": "setup.sh",
    "make install": "Makefile", "make -f Makefile": "Makefile", "tox -e py": "tox.ini", "python inst.py": "inst.py",
    "python3 -u inst.py": "inst.py", "python -W ignore inst.py": "inst.py", "python -X dev inst.py": "inst.py",
    "python -m inst": "inst.py", "python < inst.py": "inst.py", "sh < setup.sh": "setup.sh",
    "bash -x < setup.sh": "setup.sh", "uv run s.py": "s.py", "uv run --script s.py": "s.py", "pipx run s.py": "s.py",
    "nox -s t": "noxfile.py", "pre-commit install-hooks": ".pre-commit-config.yaml",
    "pre-commit run --all-files": ".pre-commit-config.yaml",
}
"""Each command and the file it runs."""


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    repo.commit({"pyproject.toml": BASE, "pkg/__init__.py": ""}, "init")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(install_check, "READING_BUDGET", 30.0)  # a loaded test machine is no escape route
    monkeypatch.setattr(install_check, "BUDGET", 60.0)
    return repo


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_written_on_disk_then_run_is_read(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for command, path in COMMANDS.items():
        project.write(path, FILES[path])
        result, said = answer(SHAPES[shape](command, project.root), monkeypatch, capsys)
        assert result == "deny" and "HC031" in said and path in said, (command, said)
        (project.root / path).unlink()


@pytest.mark.parametrize("shape", SHAPES)
def test_what_git_holds_runs_and_a_line_added_on_disk_is_new(project: Repo, shape: str,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    project.commit({"setup.sh": "#!/bin/sh\npip install rich\n", "Makefile": "test:\n\tpytest\n"}, "scripts")
    for command in ("bash setup.sh", "make test", "source ~/.bashrc", "bash missing.sh", "python -c 'print(1)'",
                    "python missing.py", "ls -la", "./missing", "python -m pytest", "python -m http.server",
                    "python -m missing", "sh < missing.sh"):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "run", command
    project.write("setup.sh", f"#!/bin/sh\npip install rich\npip install {INVENTED}\n")
    assert answer(SHAPES[shape]("bash setup.sh", project.root), monkeypatch, capsys)[0] == "deny"
    project.git("add", "setup.sh")  # staged: still new (the agent may run `git add` too)
    assert answer(SHAPES[shape]("bash setup.sh", project.root), monkeypatch, capsys)[0] == "deny"
    project.git("commit", "-q", "--no-verify", "-m", "x")  # committed: the commit hook's to judge
    assert answer(SHAPES[shape]("bash setup.sh", project.root), monkeypatch, capsys)[0] == "run"


@pytest.mark.parametrize("shape", SHAPES)
def test_a_script_the_command_writes_then_runs_is_read_as_its_kind(project: Repo, shape: str,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Attack E32: the text a command writes into a Python script it then runs was read as a requirements file
    (`installs import`, only an ask); it is Python code, read as a commit reads it."""
    runs = {
        f"""echo "import os; os.system('pip install {INVENTED}')" > s.py && python3 s.py""": "deny",
        f"""printf 'import subprocess\\nsubprocess.run(["pip", "install", "{INVENTED}"])\\n' > s.py; python s.py""":
            "deny",
        f"""echo 'install:\n\tpip install {INVENTED}' > m.mk && make -f m.mk""": "deny",
        """echo "import os; os.system('pip install rich')" > s.py && python3 s.py""": "run",
        """echo "print(1)" > s.py && python3 s.py""": "run",
    }
    for command, expected in runs.items():
        result, said = answer(SHAPES[shape](command, project.root), monkeypatch, capsys)
        assert result == expected and "installs `import`" not in said, (command, said)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_run_after_cd_is_read_where_the_command_runs(project: Repo, shape: str,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Attack F1: `cd sub && python3 y.py` runs sub/y.py; it was looked up in the directory the command started
    in, where a clean y.py of the same name hid it."""
    project.write("sub/y.py", FILES["inst.py"])
    project.write("y.py", "print(1)\n")
    for command in ("cd sub && python3 y.py", "cd sub && python3 -m y", "cd pkg && python3 ../sub/y.py",
                    "cd sub; make -f ../Makefile || python y.py"):
        result, said = answer(SHAPES[shape](command, project.root), monkeypatch, capsys)
        assert result == "deny" and "HC031" in said, (command, said)
    assert answer(SHAPES[shape]("python3 y.py", project.root), monkeypatch, capsys)[0] == "run"
