"""The hook's command line is read without building the argument parser, and reads as the parser would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hallucheck import cli

ROOT = Path(cli.__file__).resolve().parent.parent


@pytest.mark.parametrize("whole_files", [False, True])
def test_the_option_strings_are_the_parsers(whole_files: bool) -> None:
    parser = cli._check_parser(whole_files)
    assert set(parser._option_string_actions) == cli.OPTION_STRINGS


def test_the_defaults_are_what_the_parser_makes_of_no_options() -> None:
    assert vars(cli._check_parser().parse_intermixed_args([])) == cli.DEFAULTS


@pytest.mark.parametrize(
    "arguments",
    [[], ["--hook", "--", "a.py", "-x.py"], ["--hook", "a.py", "b.py"], ["--", "a.py"], ["--hook", "--"]],
)
def test_a_command_line_without_options_reads_as_the_parser_reads_it(arguments: list[str]) -> None:
    hook = bool(arguments) and arguments[0] == cli.HOOK_FLAG
    request, args = cli.parse_request(arguments[hook:], whole_files=False, hook=hook)
    options, named = cli._split_arguments(arguments[hook:], hook=hook)
    assert options == [] and vars(args) == {**cli.DEFAULTS, "files": []}
    assert list(request.files) == named and request.classify == hook and request.mode is None


def test_an_option_where_pre_commit_puts_file_names_is_still_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.parse_request(["a.py", "--online"], whole_files=False, hook=True)
    assert raised.value.code == cli.EXIT_USAGE
    assert "'--online' stands where pre-commit puts file names" in capsys.readouterr().err


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == cli.EXIT_OK
    shown = capsys.readouterr().out
    assert all(option in shown for option in cli.OPTION_STRINGS)


def test_the_hooks_command_line_imports_no_argparse(tmp_path: Path) -> None:
    """A hook run (here outside a repository, so it stops at the git edge) never imports argparse."""
    code = (
        "import sys, json\nfrom hallucheck.cli import main\nrc = main(sys.argv[1:])\n"
        "print(json.dumps([name for name in ('argparse', 'gettext') if name in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--hook", "--", "a.py"], cwd=tmp_path, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )  # fmt: skip
    assert "not inside a git work tree" in done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
