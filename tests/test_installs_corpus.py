"""The generated corpus of install-command shapes (tests/install_shapes.py): every shape that installs the
made-up name is caught, as a command, in every container format, and through every agent's hook payload."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hallucheck.commands.install_check import main as install_check
from hallucheck.sources.install_commands import InstallArgument, install_commands
from hallucheck.sources.install_files import installed_names
from tests.install_shapes import FAKE, Shape, commands, files


def _caught(arguments: list[InstallArgument], shape: Shape) -> bool:
    """The shape installs the made-up name (then it is checked: blocked or asked about), or something only
    running it would name (then it is asked about)."""
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


def test_commands_that_install_nothing_are_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for text in ("ls -la", "pip list", "echo pip install x", "git commit -m 'pip install x'", "pip install -r r.txt",
                 "cat <<'EOF' > README.md\npip install fakepkg-zz\nEOF", "eval \"$(pyenv init -)\"",
                 "command -v pip", "pip install -e ."):
        assert _hook({"tool_input": {"command": text}}, tmp_path, capsys) == "allow", text
