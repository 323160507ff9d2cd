"""Command line: ``hallucheck [FILES...]`` checks the staged change; subcommands do the rest."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hallucheck import __version__

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2
SUBCOMMANDS = ("check", "demo", "explain-import")


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallucheck",
        description="Block newly added Python imports that resolve to nothing the project declares.",
        epilog="Subcommands: 'hallucheck demo' runs the check on a throwaway repository; "
        "'hallucheck explain-import NAME' shows how an import resolves and why.",
    )
    parser.add_argument("files", nargs="*", help="restrict the check to these Python files (pre-commit passes them)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.add_argument(
        "--python", metavar="PATH",
        help="the project's interpreter or virtualenv, read for installed-distribution metadata "
        "(default: $VIRTUAL_ENV unless it is pre-commit's, else .venv/ or venv/)",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"hallucheck {__version__}")
    return parser


def run_check(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from hallucheck.changes import repo_paths, staged_change
    from hallucheck.check import check
    from hallucheck.config import ConfigError, load_config
    from hallucheck.environment import EnvironmentNotFoundError, find_environment
    from hallucheck.gitrepo import GitError, Repository
    from hallucheck.report import render_json, render_text

    try:
        repo = Repository()
    except GitError as error:
        return _fail(str(error))
    try:
        # Under pre-commit the file list is authoritative (it applied `files`/`exclude`);
        # run by hand with no files, everything staged is checked.
        only = repo_paths(repo, args.files) if args.files or os.environ.get("PRE_COMMIT") else None
        change = staged_change(repo, only)
        change.config = load_config(change.target)
        change.environment = find_environment(Path(repo.root), args.python, os.environ)
        result = check(change)
    except (GitError, ConfigError, EnvironmentNotFoundError) as error:
        return _fail(str(error))
    finally:
        repo.close()
    if args.format == "json":
        sys.stdout.write(render_json(result.findings, mode="staged", checked=result.imports_checked))
    else:
        sys.stdout.write(render_text(result.findings, checked=result.imports_checked))
    return EXIT_BLOCKED if result.blocks else EXIT_OK


def _fail(message: str) -> int:
    print(f"hallucheck: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = arguments[0] if arguments and arguments[0] in SUBCOMMANDS else "check"
    if arguments and arguments[0] == command:
        arguments = arguments[1:]
    if command == "demo":
        from hallucheck.demo import main as demo_main

        return demo_main(arguments)
    if command == "explain-import":
        from hallucheck.explain import main as explain_main

        return explain_main(arguments)
    try:
        args = _check_parser().parse_args(arguments)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    return run_check(args)
