"""The generated corpus of install-command shapes (tests/install_shapes.py): every shape that installs the
made-up name is caught, as a command, in every container format, and through every agent's hook payload."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from hallucheck.commands.install_check import main as install_check
from hallucheck.sources.install_commands import InstallArgument, install_commands
from hallucheck.sources.install_files import installed_names
from tests.conftest import Repo
from tests.install_shapes import (
    COMMITTED_INCLUDED,
    CONFIG_HOMES,
    DISK_BASE,
    DISK_FILES,
    ENVIRONMENT_FILES,
    FAKE,
    FILE_COMMANDS,
    MOVED_SOURCES,
    PROJECT_COMMANDS,
    SOURCE_INSTALLS,
    Shape,
    commands,
    committed_file_shapes,
    disk_shapes,
    files,
    notebook_cells,
)


def _caught(arguments: list[InstallArgument], shape: Shape) -> bool:
    """The shape installs the made-up name (then it is checked: blocked or asked about), or something only
    running it would name (then it is asked about); a shape that changes the package source sets it (then the
    setting is reviewed)."""
    if shape.source:
        return any(argument.sets_source for argument in arguments)
    if shape.moved:
        from hallucheck.manifests.sources import INDEX, source

        return any(argument.sets_source or (argument.name == "requests" and source(argument.requirement) != INDEX)
                   for argument in arguments)  # the package from there, or the source every package gets
    return any(argument.name == FAKE or not argument.determined for argument in arguments)


def test_every_command_shape_installs_the_name_or_is_undetermined() -> None:
    shapes = list(commands())
    assert len(shapes) > 2000
    missed = [shape.text for shape in shapes
              if not _caught([argument for command in install_commands(shape.text)
                              for argument in command.arguments], shape)]  # fmt: skip
    assert missed == []


def test_every_container_format_holds_the_commands() -> None:
    shapes = list(files())
    assert {shape.kind for shape in shapes} >= {"README.md", "docs/install.rst", "setup.sh", "Dockerfile", "ci.yml",
                                                "Makefile", "tox.ini", ".cursorrules"}
    missed = [(shape.kind, shape.text) for shape in shapes
              if not _caught([item.argument for item in installed_names(shape.kind, shape.text)], shape)]
    assert missed == []


def test_a_shape_added_on_any_of_its_lines_is_read() -> None:
    # A file change that adds only one line of a multi-line command still reads the whole command.
    for shape in files():
        lines = shape.text.split("\n")
        command_lines = [number for number, line in enumerate(lines, 1) if FAKE[4:] in line]
        for number in command_lines:
            found = [item.argument for item in installed_names(shape.kind, shape.text, {number})]
            assert _caught(found, shape), (shape.kind, shape.text, number)


def _hook(payload: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    code = install_check([], io.StringIO(json.dumps({**payload, "cwd": str(tmp_path)})))
    out = capsys.readouterr().out
    if code == 2 or '"deny"' in out:
        return "deny"
    if '"ask"' in out:
        return "ask"
    return "allow"


@pytest.mark.parametrize("agent", ["claude", "codex", "cursor"])
def test_every_agent_payload_shape_blocks_or_asks(agent: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    sample = [shape for index, shape in enumerate(commands()) if index % 23 == 0]
    assert len(sample) > 80
    for shape in sample:
        if agent == "claude":
            payload: dict[str, object] = {"hook_event_name": "PreToolUse", "tool_name": "Bash",
                                          "tool_input": {"command": shape.text}}
        elif agent == "codex":
            payload = {"hook_event_name": "PreToolUse", "tool_name": "shell",
                       "tool_input": {"command": ["bash", "-lc", shape.text]}}
        else:
            payload = {"hook_event_name": "beforeShellExecution", "command": shape.text}
        assert _hook(payload, tmp_path, capsys) in ("ask", "deny"), (agent, shape.text)


@pytest.mark.parametrize("agent", ["claude", "codex", "cursor"])
def test_environment_and_moved_source_shapes_block_or_ask(agent: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Attacks E2 and E29, through each agent's payload: pip options given as environment variables (read as
    ``-r``/``-c``/``-e``), variables that move the installers' configuration files, and constraints or overrides
    that move a package the command names to a URL or another index."""
    texts = [text.format(name=FAKE) for text in ENVIRONMENT_FILES] + list(MOVED_SOURCES)
    texts += [setting.format(install=install) for setting in CONFIG_HOMES for install in (*SOURCE_INSTALLS[:3],
                                                                                          "pip install")]
    allowed = [text for text in texts if _decision(_payload(agent, text, tmp_path), capsys) == "allow"]
    assert allowed == []


def test_commands_that_install_nothing_new_are_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.txt").write_text("requests\n")  # popular names only: nothing to ask about
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\ndependencies = ["rich"]\n')
    for text in ("ls -la", "pip list", "echo pip install x", "git commit -m 'pip install x'", "pip install -r r.txt",
                 "cat <<'EOF' > README.md\npip install fakepkg-zz\nEOF", "eval \"$(pyenv init -)\"",
                 "command -v pip", "pip install -e .", 'grep -r "pip install fakepkg-zz" .',
                 "rg 'pip install fakepkg-zz' docs", 'printf "pip install %s\\n" fakepkg-zz',
                 'git commit -m "docs: pip install fakepkg-zz"', "echo 'uv add fakepkg-zz' >> notes.md",
                 "cat <<EOF > notes.md\npip install fakepkg-zz\nEOF", "python -c 'import sys; print(sys.path)'",
                 "gh pr create --body 'run pip install fakepkg-zz'", "uv run --no-sync pytest",
                 "PIP_REQUIREMENT=r.txt pip install", "PIP_CONSTRAINT=r.txt pip install requests",
                 "HOME=/tmp/x ls", "export XDG_CONFIG_HOME=/tmp/x; make docs", "PIP_NO_INPUT=1 pip install rich"):
        assert _hook({"tool_input": {"command": text}}, tmp_path, capsys) == "allow", text


def _payload(agent: str, command: str, cwd: Path) -> dict[str, object]:
    if agent == "claude":
        return {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command},
                "cwd": str(cwd)}
    if agent == "codex":
        return {"hook_event_name": "PreToolUse", "tool_name": "shell",
                "tool_input": {"command": ["bash", "-lc", command]}, "cwd": str(cwd)}
    return {"hook_event_name": "beforeShellExecution", "command": command, "cwd": str(cwd)}


def _decision(payload: dict[str, object], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    code = install_check([], io.StringIO(json.dumps(payload)))
    out = capsys.readouterr().out
    if code == 2 or '"deny"' in out:
        return "deny"
    return "ask" if '"ask"' in out else "allow"


@pytest.fixture
def disk_project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    repo.commit(dict(DISK_BASE), "init")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.chdir(tmp_path)
    return repo


def test_every_disk_only_shape_blocks_or_asks(disk_project: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """A13: files and projects written on disk only (untracked, or edited and not staged), then installed from:
    every shape is asked about or denied, through every agent's payload; the same commands on the committed
    project run."""
    root = disk_project.root
    shapes = list(disk_shapes())
    assert len(shapes) > 300
    escaped = []
    for index, shape in enumerate(shapes):
        saved = {path: (root / path).read_bytes() if (root / path).exists() else None for path, _ in shape.files}
        for path, content in shape.files:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(content)
        agents = ("claude", "codex", "cursor") if index % 9 == 0 else ("claude",)
        escaped += [(agent, shape) for agent in agents
                    if _decision(_payload(agent, shape.command, root), capsys) == "allow"]
        for path, original in saved.items():
            if original is None:
                (root / path).unlink()
            else:
                (root / path).write_bytes(original)
    assert escaped == []
    assert disk_project.git("status", "--porcelain").strip() == ""


def test_disk_shapes_run_when_git_holds_the_same(disk_project: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """The commands of the disk shapes, on a project whose disk is what git holds: nothing new, they run (a
    requirements file of the shapes is committed first; `pip install ./sub` reads sub/)."""
    disk_project.commit({"req-new.txt": "requests\n", "requirements/dev.txt": "-r ../requirements.txt\n",
                         "ci/reqs.in": "requests\n"}, "files")
    root = disk_project.root
    commands = [command.format(file=path) for command in FILE_COMMANDS for path, _ in DISK_FILES]
    commands += [*PROJECT_COMMANDS, "pip install ./sub", "cd sub && pip install -e .", "uv sync --project sub"]
    blocked = [command for command in commands if _decision(_payload("claude", command, root), capsys) != "allow"]
    assert blocked == []


def test_every_notebook_cell_shape_is_checked(repo: Repo, run: Any) -> None:
    # One notebook, one cell per shape: each cell's install of the made-up name is a finding of that cell (attack
    # G19: a Colab `%%shell` cell, `%%capture` around a shell cell).
    cells = list(notebook_cells())
    document = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}},
                "cells": [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}
                          for source in cells]}  # fmt: skip
    repo.commit({"pyproject.toml": DISK_BASE["pyproject.toml"]})
    repo.stage({"nb.ipynb": json.dumps(document, indent=1)})
    found = {int(match.group(1)) for item in run().json()["findings"] if item["code"] in ("HC040", "HC042")
             if (match := re.search(r"cell (\d+)", item["message"]))}  # fmt: skip
    missed = [cells[number - 1] for number in range(1, len(cells) + 1) if number not in found]
    assert missed == [], "\n".join(map(repr, missed))


def test_every_committed_file_a_command_installs_from_is_read() -> None:
    # Attack F15: the file a command installs from is read as the command reads it, whatever its name.
    from hallucheck.change import ChangedTextFile
    from hallucheck.rules.installed_files import with_installed_files
    from hallucheck.rules.installs import file_installs
    from hallucheck.snapshot import MemorySnapshot
    from hallucheck.sources.install_files import file_kind

    missed = []
    shapes = list(committed_file_shapes())
    assert len(shapes) > 800
    for path, content, kind, text in shapes:
        snapshot = MemorySnapshot({path: content, kind: text, **COMMITTED_INCLUDED})
        changed = ChangedTextFile(kind, file_kind(kind) or "", frozenset(), text.encode(), whole_file=True)
        arguments = [item.argument for item in with_installed_files(file_installs(changed), snapshot)]
        if not any(argument.name == FAKE for argument in arguments):
            missed.append((path, kind, text))
    assert missed == []
