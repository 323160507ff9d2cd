"""Command line: ``hallucheck [FILES...]`` checks what is being committed; subcommands do the rest."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from hallucheck import __version__, config
from hallucheck.lazy import LazyPattern
from hallucheck.report import formats as report

if TYPE_CHECKING:
    import argparse

    from hallucheck.change import Change, Result
    from hallucheck.git.repository import Repository
    from hallucheck.git.triage import Request

if TYPE_CHECKING:
    from hallucheck.config import Config
    from hallucheck.evidence.registry import Registry

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEBUG_VARIABLE = "HALLUCHECK_DEBUG"
"""Set (to anything) to let unexpected exceptions propagate with their traceback instead of a one-line error."""
SUBCOMMANDS = ("check", "demo", "baseline", "explain", "explain-import", "approve", "install-check", "init")

_EPILOG = """\
modes (chosen automatically unless --mode is given):
  staged  the index against HEAD: what `git commit` is about to record (the default)
  range   merge-base(A, B) against B: --from-ref/--to-ref, a positional A..B or A...B, or
          PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF (pre-push, pre-commit run --from-ref/--to-ref)
  files   every import of whole files as the index holds them: --all-files, `hallucheck check PATH...`,
          or named files of which one has no staged change (pre-commit run --all-files, pre-commit.ci)

Files named on the command line restrict the check in every mode; names that begin with `-`
or look like a range go after `--`. What an argument is never depends on which files exist.

as a pre-commit hook: hallucheck --hook [OPTIONS] -- FILES...
  every argument after `--` is a file name pre-commit passed; hallucheck checks those that are
  Python (suffix, shebang, symlink to code). Without `--`, every argument is a file name.

subcommands:
  hallucheck check PATH...   check whole files or directories (files mode)
  hallucheck baseline        record today's findings so later runs report only new ones
  hallucheck demo            run the check on a throwaway repository
  hallucheck explain-import NAME   how NAME resolves, and why
  hallucheck explain CODE    what a finding code means and how to fix or suppress it
  hallucheck approve NAME    record a human's review of a dependency added in this change
  hallucheck install-check -- CMD...   vet an install command (or an agent's hook payload on stdin)
  hallucheck init [--agent claude|codex|cursor]   add the pre-commit entry (and an agent's hook) to this project
"""


def _parser(**options: Any) -> argparse.ArgumentParser:
    """An argument parser whose usage errors take one line (exit status 2), as every other error; argparse is
    imported only when a command line has options to parse."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    return Parser(**options)


_CHECK_EPILOG = """\
files mode: every import of the named files (a directory stands for the tracked Python files under it),
as the index holds them; no diff is needed. For what is being committed, run `hallucheck` alone.
"""


def _check_parser(whole_files: bool = False) -> argparse.ArgumentParser:
    import argparse

    if whole_files:
        parser = _parser(
            prog="hallucheck check",
            usage="hallucheck check [OPTIONS] PATH...",
            description="Check every import of whole files or directories (files mode), not only what a change "
            "adds: for a first run on an existing project, or for CI over the whole tree.",
            epilog=_CHECK_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    else:
        parser = _parser(
            prog="hallucheck",
            description="Block newly added Python imports that resolve to nothing the project declares.",
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    add = parser.add_argument
    add(
        "files", nargs="*", metavar="PATH" if whole_files else "FILE",
        help="the files or directories to check" if whole_files
        else "restrict the check to these files (pre-commit passes them)",
    )  # fmt: skip
    def shown(text: str) -> str:  # options of the other modes are not listed by `hallucheck check --help`
        return argparse.SUPPRESS if whole_files else text

    add("--mode", choices=("staged", "range", "files"), help=shown("force a mode (default: automatic)"))
    add("--from-ref", metavar="REV", help=shown("check what TO-REF adds since it forked from REV"))
    add("--to-ref", metavar="REV", help=shown("end of the range (default: HEAD)"))
    add("--all-files", action="store_true", help=shown("check every import of every tracked Python file"))
    add(
        "--python", metavar="PATH",
        help="the project's interpreter or virtualenv, read for installed-distribution metadata "
        "(default: $VIRTUAL_ENV unless it is pre-commit's, else .venv/ or venv/)",
    )  # fmt: skip
    online = parser.add_mutually_exclusive_group()
    online.add_argument(
        "--online", action="store_true", default=None,
        help="also ask the package index about new dependencies and unresolved imports",
    )  # fmt: skip
    online.add_argument(
        "--offline", dest="online", action="store_false",
        help="never ask the package index, whatever the configuration says (default)",
    )  # fmt: skip
    add(
        "--policy-from-base", action="store_true",
        help=shown("read the configuration and baseline from the base (the merge base of a range), so that a "
                   "change cannot relax the check that reviews it; suppression comments it adds hide nothing"),
    )  # fmt: skip
    add(
        "--exit-zero", action="store_true",
        help="exit 0 even when findings block (a usage error or a failure to run still exits 2)",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"hallucheck {__version__}")
    report.add_arguments(parser)
    config.add_arguments(parser)
    return parser


HOOK_FLAG = "--hook"
"""First argument of the published hook's entry: the file names pre-commit passes follow a ``--``."""


def _split_arguments(arguments: Sequence[str], *, hook: bool) -> tuple[list[str], list[str]]:
    """The options (with positional ranges), and the file names after the first ``--``.

    What an argument is never depends on which files exist. A hook run (``hallucheck --hook``)
    reads every argument after ``--`` as a file name; without a ``--`` every argument is one,
    since pre-commit appends file names right after the hook's ``args``.
    """
    if "--" in arguments:
        index = list(arguments).index("--")
        return list(arguments[:index]), list(arguments[index + 1 :])
    return ([], list(arguments)) if hook else (list(arguments), [])


OPTION_STRINGS = frozenset({
    "-h", "--help", "--version", "--mode", "--from-ref", "--to-ref", "--all-files", "--python", "--online",
    "--offline", "--policy-from-base", "--exit-zero", "--format", "-o", "--output", "-q", "--quiet", "-v",
    "--verbose", "--severity", "--ignore", "--first-party", "--mapping", "--target-python", "--manifest",
    "--show-config",
})  # fmt: skip
"""Every option string of the check's parser (tests/test_cli_parser.py compares it with the parser's)."""
DEFAULTS: dict[str, object] = {
    "files": [], "mode": None, "from_ref": None, "to_ref": None, "all_files": False, "python": None,
    "online": None, "policy_from_base": False, "exit_zero": False, "format": "text", "output": None,
    "quiet": False, "verbose": False, "severity": [], "ignore": None, "first_party": None, "mapping": [],
    "target_python": None, "manifest": None, "show_config": False,
}  # fmt: skip
"""What the check's parser makes of no options at all (the hook's shape: ``--hook -- FILES``, or nothing)."""


def _spelled_option(argument: str) -> bool:
    return argument.split("=", 1)[0] in OPTION_STRINGS


def parse_request(
    arguments: Sequence[str], *, whole_files: bool, hook: bool = False
) -> tuple[Request, argparse.Namespace]:
    """The check the command line asks for, and the parsed options; SystemExit on usage errors.

    A command line without options (how the hook runs) is answered from :data:`DEFAULTS`; the parser is
    built only for one that has options.
    """
    from hallucheck.git.triage import Request

    options, named = _split_arguments(arguments, hook=hook)
    if hook and "--" not in arguments:
        for name in named:
            if _spelled_option(name):
                _check_parser(whole_files).error(
                    f"{name!r} stands where pre-commit puts file names: end the hook's args with '--' "
                    "(for example `args: [--online, --]`), so that no file name can be read as an option"
                )
    if options or whole_files:
        args, files, from_ref, to_ref = _parsed(options, named, whole_files)
    else:
        from types import SimpleNamespace

        args = cast("argparse.Namespace", SimpleNamespace(**{key: _fresh(value) for key, value in DEFAULTS.items()}))
        files, from_ref, to_ref = list(named), None, None
    return Request(
        files=files,
        mode=args.mode,
        from_ref=from_ref,
        to_ref=to_ref,
        all_files=args.all_files,
        whole_files=whole_files and bool(files),
        under_pre_commit=hook or bool(os.environ.get("PRE_COMMIT")),
        python=args.python,
        classify=hook,
    ), args


def _fresh(value: object) -> object:
    return list(value) if isinstance(value, list) else value


def _parsed(
    options: list[str], named: list[str], whole_files: bool
) -> tuple[argparse.Namespace, list[str], str | None, str | None]:
    """Options parsed by the check's parser: the namespace, the files, and the range they name."""
    from hallucheck.git.changes import split_range

    parser = _check_parser(whole_files)
    args = parser.parse_intermixed_args(options)
    files: list[str] = []
    from_ref, to_ref = args.from_ref, args.to_ref
    for name in args.files:
        bounds = split_range(name)
        if bounds is None:
            files.append(name)
        elif from_ref is not None or to_ref is not None:
            parser.error(f"give one range: {name!r} and --from-ref/--to-ref or another range")
        else:
            from_ref, to_ref = bounds
    files += named
    if to_ref is not None and from_ref is None:
        parser.error("--to-ref needs --from-ref")
    if args.all_files and (from_ref is not None or args.mode not in (None, "files")):
        parser.error("--all-files checks whole files; it cannot be combined with a range or another --mode")
    if whole_files and not files:
        parser.error("check needs the files or directories to check (hallucheck check PATH...)")
    if args.show_config and args.format not in ("text", "json"):
        parser.error(f"--show-config prints text or json, not {args.format}")
    if args.policy_from_base and (args.all_files or whole_files or args.mode == "files"):
        parser.error("--policy-from-base needs a base to read the policy from: staged or range mode")
    return args, files, from_ref, to_ref


def run_check(request: Request, args: argparse.Namespace) -> int:
    from hallucheck.findings import PRE_COMMIT_FIRST

    token = PRE_COMMIT_FIRST.set(request.under_pre_commit)  # hints name what works where the check runs
    try:
        return _run_check(request, args)
    finally:
        PRE_COMMIT_FIRST.reset(token)


def _run_check(request: Request, args: argparse.Namespace) -> int:
    from hallucheck.git.repository import GitError
    from hallucheck.git.triage import STAGED, change_without_work

    try:
        with _repository() as repo:
            found = change_without_work(repo, request, os.environ)  # a commit with nothing to check: no edge loaded
            chosen = STAGED
            if found is None:
                from hallucheck.git.changes import build_change, plan

                chosen = plan(repo, request, os.environ)
                found = build_change(repo, chosen)
            change = _configured(found, args, chosen.mode)
            change.resolutions_shown = bool(getattr(args, "verbose", False))  # only -v reports them
            if chosen.mode == "files" and chosen.to_ref is None:
                _compare_with_parent(change, repo)
            _check_arguments(change, repo, request.python)
            if args.show_config:
                _write(sys.stdout, config.render_config(change.config, change.target.label, args.format))
                return EXIT_OK
            result = _checked(change, repo, request.python, args.online)
            # pre-commit stashed them; a pushed commit (to_ref) is not the work tree's
            if not (request.under_pre_commit and chosen.mode == "staged") and chosen.to_ref is None:
                _note_unstaged(repo, change)
    except (GitError, config.ConfigError) as error:
        return _fail(str(error))
    span = (chosen.from_ref, chosen.to_ref) if chosen.mode == "range" and chosen.from_ref and chosen.to_ref else None
    outcome = report.Report(
        result.findings, result.imports_checked, chosen.mode, result.suppressed, result.resolved,
        baselined=result.baselined, range=span, notes=result.notes, scope=[*_manifest_scope(change), *result.hidden],
        configured=result.configured,
    )  # fmt: skip
    problem = report.emit(outcome, args, cast(TextIO, _EscapingStream(sys.stdout)))
    if problem is not None:
        return _fail(problem)
    blocked = any(item.blocks for item in result.findings)
    return EXIT_BLOCKED if blocked and not args.exit_zero else EXIT_OK


def _manifest_scope(change: Change) -> list[str]:
    """One line per configured manifest: what it applies to, and where it was configured."""
    if not change.config.manifests:
        return []
    import posixpath

    from hallucheck.manifests.scope import ProjectScopes, applies_to

    scopes = ProjectScopes(change.target)
    origin = change.config.origin("manifests")
    return [f"manifest ({origin}): {applies_to(entry, scopes.project_directory(posixpath.dirname(path)))}"
            for entry, path in zip(change.config.manifests, change.config.manifest_files, strict=True)]  # fmt: skip


def _configured(change: Change, args: argparse.Namespace | None, mode: str = "files") -> Change:
    """``change`` with the project's configuration; command-line flags override it.

    Outside files mode the base's configuration is kept too: what the change adds to it is a relaxation
    to show (HC101); with ``--policy-from-base`` it is the configuration.
    """
    from_base = bool(args is not None and args.policy_from_base)
    loaded = config.load_config(change.target) if not from_base else _base_config(change, strict=True)
    change.config = config.with_overrides(loaded, config.overrides(args)) if args is not None else loaded
    change.target_python = change.config.target_python or change.target_python
    change.mode = mode
    change.policy_from_base = from_base
    if mode != "files":
        change.base_config = loaded if from_base or not _policy_changed(change) else _base_config(change)
    return change


def _compare_with_parent(change: Change, repo: Repository) -> None:
    """Files mode with history: the policy of HEAD's parent is the base when the policy changed since it
    (:func:`hallucheck.git.changes.parent_policy`), so that what the last commit relaxes is shown."""
    from hallucheck.git.changes import parent_policy

    paths = {config.PYPROJECT, *config.STANDALONE_FILES, change.config.baseline or ".hallucheck-baseline.json"}
    parent_policy(repo, change, paths)
    if change.parent is not None:
        try:
            change.base_config = config.load_config(change.parent)
        except config.ConfigError:
            change.base_config = config.Config()


def _policy_changed(change: Change) -> bool:
    if change.changed_paths is None:
        return True
    return any(path in (config.PYPROJECT, *config.STANDALONE_FILES) for path in change.changed_paths)


def _base_config(change: Change, *, strict: bool = False) -> Config:
    """The base's configuration; an unreadable one counts as the defaults, unless it is the policy itself."""
    try:
        return config.load_config(change.base)
    except config.ConfigError as error:
        if strict:
            raise config.ConfigError(f"{error} (in {change.base.label}, read by --policy-from-base)") from None
        return config.Config()


def _check_arguments(change: Change, repo: Repository, python: str | None) -> None:
    """Bad arguments are errors even when there is nothing to check: --python, --manifest, requires-python."""
    if python is not None:
        _environment(change, repo, python)
    if change.config.origin("manifests") == "--manifest":
        _check_manifest_arguments(change)
    problem = _requires_python_problem(change.target.read(config.PYPROJECT))
    if problem is not None:
        raise config.ConfigError(problem)


def _check_manifest_arguments(change: Change) -> None:
    """Each ``--manifest PATH[:DIR]`` names a file, and a directory, of the checked snapshot."""
    import posixpath

    from hallucheck.manifests.scope import split_manifest_entry
    from hallucheck.snapshot import EntryKind

    for entry in change.config.manifests:
        path, directory = split_manifest_entry(entry)
        if change.target.read(path) is None:
            raise config.ConfigError(f"--manifest {path}: no such file in {change.target.label}")
        if directory:
            parent, name = posixpath.split(directory)
            if change.target.list_dir(parent).get(name) is not EntryKind.DIRECTORY:
                raise config.ConfigError(f"--manifest {entry}: no such directory {directory}/ in {change.target.label}")


_SPECIFIER = LazyPattern(r"\s*(?:~=|==|!=|<=|>=|<|>)\s*\d+(?:\.\d+)*(?:\.\*)?\s*(?:,\s*(?:~=|==|!=|<=|>=|<|>)"
                        r"\s*\d+(?:\.\d+)*(?:\.\*)?\s*)*")  # fmt: skip


_REQUIRES_PYTHON_LINE = LazyPattern(rb"""(?m)^\s*requires-python\s*=\s*["']([^"'\n]*)["']\s*(?:#.*)?$""")


def _requires_python_problem(data: bytes | None) -> str | None:
    """Why ``requires-python`` in this pyproject.toml is not a version specifier, or None."""
    if data is None or b"requires-python" not in data:
        return None
    quick = _REQUIRES_PYTHON_LINE.search(data) if data.count(b"requires-python") == 1 else None
    if quick is not None and _SPECIFIER.fullmatch(quick.group(1).decode("ascii", "replace")):
        return None  # the common case, decided without a TOML parser
    from hallucheck.manifests.tomlfile import load_toml

    try:
        document, _ = load_toml(data.decode("utf-8-sig", "replace"), config.PYPROJECT)
    except RecursionError:
        return None  # the manifest reader reports an unreadable pyproject.toml (HC011)
    project = document.get("project") if document is not None else None
    value = project.get("requires-python") if isinstance(project, dict) else None
    if not isinstance(value, str) or _SPECIFIER.fullmatch(value):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        return f'{config.PYPROJECT}: requires-python {value!r} is not a version specifier (such as ">=3.10")'
    return None


def _environment(change: Change, repo: Repository, python: str | None) -> None:
    from hallucheck.resolve.environment import EnvironmentNotFoundError, find_environment

    try:
        from pathlib import Path

        change.environment = find_environment(Path(repo.root), python, os.environ)
    except EnvironmentNotFoundError as error:
        raise config.ConfigError(str(error)) from None


def _checked(change: Change, repo: Repository, python: str | None, online: bool | None) -> Result:
    """The check's result; the parser, resolver and environment are loaded only when there is work."""
    from hallucheck.change import Result

    if not change.has_work:
        return Result([], 0)
    from hallucheck.check import check

    if change.environment is None:
        _environment(change, repo, python)
    change.registry = _registry(online, change.config)
    return check(change)


def _note_unstaged(repo: Repository, change: Change) -> None:
    """One line per checked file whose work-tree copy differs from what was checked (the index)."""
    if change.mode == "range" or not change.python_files:
        return
    for path in repo.unstaged_paths([item.path for item in change.python_files]):
        _write(
            sys.stderr,
            f"hallucheck: note: {path} has unstaged changes; the check reads the staged version "
            "(git add to check them)\n",
        )


def run_baseline(arguments: Sequence[str]) -> int:
    """``hallucheck baseline``: write the findings of a whole-repository check to the baseline file."""
    import argparse
    from pathlib import Path

    from hallucheck.git.changes import build_change
    from hallucheck.git.repository import GitError
    from hallucheck.git.triage import Plan
    from hallucheck.policy.baseline import BaselineError, baseline_path, render

    parser = argparse.ArgumentParser(
        prog="hallucheck baseline",
        description="Record the findings of every tracked Python file (as staged) in the baseline file, "
        "so that later runs report only findings not in it. Commit the file.",
    )
    parser.parse_args(arguments)
    try:
        with _repository() as repo:
            change = _configured(build_change(repo, Plan("files", None)), None, "files")
            change.use_baseline = False  # the baseline records every finding, including those it lists now
            result = _checked(change, repo, None, False)
            path = baseline_path(change.target)
            root = repo.root
    except (GitError, BaselineError, config.ConfigError) as error:
        return _fail(str(error))
    target = Path(root, *path.split("/"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            stream.write(render(result.findings))
    except OSError as error:
        return _fail(f"cannot write {path}: {error.strerror}")
    print(f"hallucheck: recorded {len(result.findings)} finding(s) in {path}; commit it (git add {path}).")
    return EXIT_OK


class _repository:
    """``with _repository() as repo`` opens the repository of the current directory and closes it."""

    def __enter__(self) -> Repository:
        from hallucheck.git.repository import Repository

        self._repo = Repository()
        return self._repo

    def __exit__(self, *exc: object) -> None:
        self._repo.close()


def _registry(flag: bool | None, config: Config) -> Registry | None:
    """The index client when ``--online`` (or ``online = true`` without ``--offline``) asks for one."""
    if not (config.online if flag is None else flag):
        return None
    from hallucheck.evidence.registry import Client, default_cache_dir, index_url

    return Client(index_url(config.index_url)[0], cache_dir=default_cache_dir())


def _fail(message: str) -> int:
    _write(sys.stderr, f"hallucheck: error: {message}\n")
    return EXIT_USAGE


class _EscapingStream:
    """A text stream that shows file names which are not valid UTF-8 with backslash escapes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        _write(self._stream, text)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _write(stream: TextIO, text: str) -> None:
    """Write ``text``; a file name that is not valid UTF-8 is shown with backslash escapes."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        stream.write(raw.decode(stream.encoding or "utf-8", "backslashreplace"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; an unexpected exception is a one-line error and exit 2, never a traceback.

    With ``HALLUCHECK_DEBUG`` set (the test suite sets it), the exception propagates instead.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(arguments)
    except KeyboardInterrupt:
        _write(sys.stderr, "hallucheck: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`hallucheck | head`): not a bug, and nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail too
        return EXIT_USAGE
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    """Report a bug in hallucheck in one line: what was raised, where in hallucheck, and how to report it."""
    import traceback
    from pathlib import Path

    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(Path(__file__).resolve().parent)
    ]  # fmt: skip
    where = ""
    if frames:
        relative = Path(frames[-1].filename).resolve().relative_to(Path(__file__).resolve().parent.parent)
        where = f" at {relative.as_posix()}:{frames[-1].lineno}"
    detail = " ".join(str(error).split())[:200]
    _write(
        sys.stderr,
        f"hallucheck: internal error: {type(error).__name__}{': ' if detail else ''}{detail}{where}. "
        f"This is a bug in hallucheck {__version__}, and nothing was checked: please report it with the "
        f"output of `{DEBUG_VARIABLE}=1 hallucheck ...`.\n",
    )
    return EXIT_USAGE


def _dispatch(arguments: list[str]) -> int:
    hook = bool(arguments) and arguments[0] == HOOK_FLAG
    if hook:
        arguments = arguments[1:]
    command = arguments[0] if not hook and arguments and arguments[0] in SUBCOMMANDS else None
    if command is not None:
        arguments = arguments[1:]
    if command == "demo":
        from hallucheck.commands.demo import main as demo_main

        return demo_main(arguments, check=main)
    if command == "explain-import":
        from hallucheck.commands.explain_import import main as explain_main

        return explain_main(arguments)
    if command == "explain":
        from hallucheck.report.rules import explain_main

        return explain_main(arguments)
    if command == "install-check":
        from hallucheck.commands.install_check import main as install_check_main

        return install_check_main(arguments)
    if command == "approve":
        from hallucheck.commands.approve import main as approve_main

        return approve_main(arguments)
    if command == "init":
        from hallucheck.commands.init import main as init_main

        return init_main(arguments)
    try:
        if command == "baseline":
            return run_baseline(arguments)
        request, args = parse_request(arguments, whole_files=command == "check", hook=hook)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    return run_check(request, args)
