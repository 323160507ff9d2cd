"""``hallucheck demo``: make a throwaway repository with hallucinated imports staged, and check it."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

COMMITTED = {
    "pyproject.toml": '[project]\nname = "weather"\nversion = "0.1.0"\ndependencies = [\n'
    '    "requests>=2.31",\n    "langchain>=0.2",\n]\n',
    "weather/__init__.py": "",
    "weather/client.py": "import requests\n\n\ndef fetch(city):\n    return requests.get(city).json()\n",
}
STAGED = {
    "pyproject.toml": '[project]\nname = "weather"\nversion = "0.1.0"\ndependencies = [\n'
    '    "requests>=2.31",\n    "langchain>=0.2",\n    "huggingface-cli>=0.1",\n]\n',
    "weather/client.py": "import json\nimport requests\n\nfrom cryptoutils import secure_hash\n"
    "from langchain.chat_models import ChatAnthropic\nimport sklearn\nimport huggingface_cli\n\n"
    "from weather import units\n\n\ndef fetch(city):\n    return requests.get(city).json()\n",
    "weather/units.py": '"""Units.\n\nExample: import notapackage\n"""\n',
}
EXPLANATION = """\
hallucheck demo: a repository with this change staged:
  + from cryptoutils import secure_hash              (a package that exists nowhere)
  + from langchain.chat_models import ChatAnthropic  (a real package; a stale module path)
  + import sklearn                                   (real, provided by scikit-learn, not declared)
  + import huggingface_cli, with "huggingface-cli" added to pyproject.toml in the same commit
  + import json, from weather import units           (fine: stdlib and first-party)
  (`import requests` was already there: unchanged lines are not checked again)
Running `hallucheck` in {path}:
"""


def _git(root: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="demo", GIT_AUTHOR_EMAIL="demo@example.invalid",
               GIT_COMMITTER_NAME="demo", GIT_COMMITTER_EMAIL="demo@example.invalid")  # fmt: skip
    env.pop("GIT_INDEX_FILE", None)
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _write(root: Path, files: dict[str, str]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def make_demo_repository(root: Path) -> None:
    """A repository with :data:`COMMITTED` committed and :data:`STAGED` staged."""
    _git(root, "init", "-q")
    _write(root, COMMITTED)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--no-verify", "-m", "Weather client")
    _write(root, STAGED)
    _git(root, "add", "-A")


def main(argv: Sequence[str] | None, check: Callable[[Sequence[str]], int]) -> int:
    """Run the demo; ``check`` is the hallucheck command line (passed in, so this stage never imports the CLI)."""
    parser = argparse.ArgumentParser(prog="hallucheck demo", description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the demo repository and print its path")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="hallucheck-demo-"))
    try:
        make_demo_repository(root)
        if args.format == "text":
            print(EXPLANATION.format(path=root), flush=True)
        previous = os.getcwd()
        os.chdir(root)
        try:
            code = check(["--format", args.format])
        finally:
            os.chdir(previous)
        if args.format == "text":
            print(f"\nexit status {code}: the commit would be blocked." if code == 1 else f"\nexit status {code}")
    finally:
        if args.keep:
            print(f"demo repository kept at {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return code
