"""Hostile files on disk: FIFOs, devices and enormous files where venv metadata or configuration should be.

Nothing that is not a regular file is ever opened, and every read is bounded.
hallucheck runs in a child process with a timeout: a blocked ``open()`` fails
the test instead of hanging the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.hostile import IMPORT, PROJECT, isolated_findings, run_isolated


def _site_packages(repo: Repo) -> Path:
    (repo.root / ".gitignore").write_text(".venv/\n")  # as in real projects: git never reads it
    venv = repo.root / ".venv"
    (venv / "pyvenv.cfg").parent.mkdir(parents=True, exist_ok=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    site = venv / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    return site


def _distribution(site: Path, name: str = "realdist") -> Path:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "RECORD").write_text(f"{name}/__init__.py,,\n")
    return info


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("file_name", ["METADATA", "RECORD", "top_level.txt", "INSTALLER"])
def test_fifo_in_venv_metadata_is_never_opened(file_name: str, repo: Repo) -> None:
    repo.commit(PROJECT)
    info = _distribution(_site_packages(repo))
    (info / file_name).unlink(missing_ok=True)
    os.mkfifo(info / file_name)
    repo.stage(IMPORT)
    found = isolated_findings(run_isolated(repo.root, timeout=120))
    assert ("HC001", "a.py", 1) in found, found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_pth_file_of_an_editable_install_is_never_opened(repo: Repo) -> None:
    repo.commit(PROJECT)
    site = _site_packages(repo)
    info = _distribution(site, "editable")
    (info / "RECORD").write_text("__editable__.editable-1.0.pth,,\n")
    os.mkfifo(site / "__editable__.editable-1.0.pth")
    repo.stage(IMPORT)
    found = isolated_findings(run_isolated(repo.root, timeout=120))
    assert ("HC001", "a.py", 1) in found, found


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_file_as_venv_metadata_is_never_read(repo: Repo) -> None:
    repo.commit(PROJECT)
    info = _distribution(_site_packages(repo))
    (info / "RECORD").unlink()
    (info / "RECORD").symlink_to("/dev/zero")
    repo.stage(IMPORT)
    found = isolated_findings(run_isolated(repo.root, timeout=120))
    assert ("HC001", "a.py", 1) in found, found


def test_enormous_venv_metadata_is_not_read_whole(repo: Repo) -> None:
    repo.commit(PROJECT)
    info = _distribution(_site_packages(repo))
    with (info / "RECORD").open("wb") as stream:
        stream.truncate(8 * 1024**3)  # sparse: 8 GiB of NUL bytes that take no disk space
    repo.stage(IMPORT)
    found = isolated_findings(run_isolated(repo.root, timeout=120))
    assert ("HC001", "a.py", 1) in found, found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_as_pip_configuration_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pip.conf"
    os.mkfifo(fifo)
    code = (
        "from hallucheck.evidence.registry import index_url\n"
        f"print(index_url(None, {{'PIP_CONFIG_FILE': {str(fifo)!r}, 'HOME': {str(tmp_path)!r}}})[0])"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.stdout == "https://pypi.org/simple/\n", completed.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_the_registry_cache_is_never_opened(tmp_path: Path) -> None:
    code = (
        "import os, time\n"
        "from hallucheck.evidence.registry import _Cache\n"
        f"cache = _Cache({str(tmp_path)!r}, 'https://pypi.org/simple/', 3600, 3600)\n"
        "os.makedirs(os.path.dirname(cache._path('x')), exist_ok=True)\n"
        "os.mkfifo(cache._path('x'))\n"
        "print(cache.get('x', time.time()))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.stdout == "None\n", completed.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_approve_never_opens_a_fifo_configuration(repo: Repo) -> None:
    repo.commit(PROJECT)
    repo.stage({"pyproject.toml": '[project]\nname = "demo"\ndependencies = ["requests", "fakepkg-zz"]\n'})
    os.mkfifo(repo.root / "hallucheck.toml")
    (repo.root / "pyproject.toml").unlink()
    os.mkfifo(repo.root / "pyproject.toml")
    environment = {key: value for key, value in os.environ.items() if key != "HALLUCHECK_DEBUG"}
    completed = subprocess.run(
        [sys.executable, "-m", "hallucheck", "approve", "fakepkg-zz"],
        cwd=repo.root, capture_output=True, text=True, timeout=120, env=environment,
    )  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    assert completed.stderr.count("\n") == 1, completed.stderr
    assert "is not a regular file" in completed.stderr, completed.stderr
