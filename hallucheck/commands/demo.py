"""``hallucheck demo``: make a throwaway repository with hallucinated imports staged, and check it."""

from __future__ import annotations

import argparse
import os
import shutil
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
Running `hallucheck` in {where}:
"""


def make_demo_repository(root: Path) -> None:
    """A repository with :data:`COMMITTED` committed and :data:`STAGED` staged."""
    from hallucheck.git.repository import create_repository

    create_repository(root, COMMITTED, STAGED, "Weather client")


def main(argv: Sequence[str] | None, check: Callable[[Sequence[str]], int]) -> int:
    """Run the demo; ``check`` is the hallucheck command line (passed in, so this stage never imports the CLI)."""
    parser = argparse.ArgumentParser(
        prog="hallucheck demo",
        description="Make a throwaway repository with hallucinated imports staged, and check it; the repository "
        "is deleted afterwards unless --keep is given.",
    )
    parser.add_argument("--keep", action="store_true", help="keep the demo repository and print its path")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    root = Path(tempfile.mkdtemp(prefix="hallucheck-demo-"))
    try:
        make_demo_repository(root)
        if args.format == "text":
            where = str(root) if args.keep else "a temporary repository (deleted afterwards; --keep keeps it)"
            print(EXPLANATION.format(where=where), flush=True)
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
