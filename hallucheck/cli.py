"""Command line: ``hallucheck [FILES...]`` checks the staged change; subcommands do the rest."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck import __version__, config, report

if TYPE_CHECKING:
    from hallucheck.check import Change

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2
SUBCOMMANDS = ("check", "demo", "explain", "approve")


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallucheck",
        description="Block newly added Python imports that resolve to nothing the project declares.",
        epilog="Subcommands: 'hallucheck demo' runs the check on a throwaway repository; "
        "'hallucheck explain CODE' documents a finding code; "
        "'hallucheck approve NAME' records a human's review of a new dependency.",
    )
    parser.add_argument("files", nargs="*", help="restrict the check to these Python files (pre-commit passes them)")
    parser.add_argument("--version", action="version", version=f"hallucheck {__version__}")
    report.add_arguments(parser)
    config.add_arguments(parser)
    return parser


def run_check(args: argparse.Namespace) -> int:
    import os

    from hallucheck.changes import repo_paths, staged_change
    from hallucheck.check import check
    from hallucheck.gitrepo import GitError, Repository

    try:
        repo = Repository()
    except GitError as error:
        return _fail(str(error))
    try:
        # Under pre-commit the file list is authoritative (it applied `files`/`exclude`);
        # run by hand with no files, everything staged is checked.
        only = repo_paths(repo, args.files) if args.files or os.environ.get("PRE_COMMIT") else None
        change = staged_change(repo, only)
        _configure(change, args)
        if args.show_config:
            sys.stdout.write(config.render_config(change.config, change.target.label, args.format))
            return EXIT_OK
        result = check(change)
    except (GitError, config.ConfigError) as error:
        return _fail(str(error))
    finally:
        repo.close()
    outcome = report.Report(result.findings, result.imports_checked, "staged", result.suppressed,
                            result.resolved)  # fmt: skip
    problem = report.emit(outcome, args)
    if problem is not None:
        return _fail(problem)
    return EXIT_BLOCKED if result.blocks else EXIT_OK


def _configure(change: Change, args: argparse.Namespace) -> None:
    """Read the project's configuration from the change's target snapshot; command-line flags override it."""
    change.config = config.with_overrides(config.load_config(change.target), config.overrides(args))
    change.target_python = change.config.target_python or change.target_python


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
    if command == "explain":
        from hallucheck.docs import explain_main

        return explain_main(arguments)
    if command == "approve":
        from hallucheck.approve import main as approve_main

        return approve_main(arguments)
    try:
        args = _check_parser().parse_args(arguments)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    return run_check(args)
