"""Command line: ``hallucheck [FILES...]`` checks the staged change; subcommands do the rest."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck import __version__

if TYPE_CHECKING:
    from hallucheck.config import Config
    from hallucheck.registry import Registry

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2
SUBCOMMANDS = ("check", "demo")


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallucheck",
        description="Block newly added Python imports that resolve to nothing the project declares.",
        epilog="Subcommands: 'hallucheck demo' runs the check on a throwaway repository.",
    )
    parser.add_argument("files", nargs="*", help="restrict the check to these Python files (pre-commit passes them)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    online = parser.add_mutually_exclusive_group()
    online.add_argument("--online", action="store_true", default=None,
                        help="also ask the package index about new dependencies and unresolved imports")
    online.add_argument("--offline", dest="online", action="store_false",
                        help="never ask the package index, whatever the configuration says (default)")
    parser.add_argument("--version", action="version", version=f"hallucheck {__version__}")
    return parser


def run_check(args: argparse.Namespace) -> int:
    import os

    from hallucheck.changes import repo_paths, staged_change
    from hallucheck.check import check
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
        change.registry = _registry(args.online, change.config)
        result = check(change)
    except GitError as error:
        return _fail(str(error))
    finally:
        repo.close()
    if args.format == "json":
        sys.stdout.write(render_json(result.findings, mode="staged", checked=result.imports_checked))
    else:
        sys.stdout.write(render_text(result.findings, checked=result.imports_checked))
    return EXIT_BLOCKED if result.blocks else EXIT_OK


def _registry(flag: bool | None, config: Config) -> Registry | None:
    """The index client when ``--online`` (or ``online = true`` without ``--offline``) asks for one."""
    if not (config.online if flag is None else flag):
        return None
    from hallucheck.registry import Client, default_cache_dir, index_url

    return Client(index_url(config.index_url)[0], cache_dir=default_cache_dir())


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
    try:
        args = _check_parser().parse_args(arguments)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    return run_check(args)
