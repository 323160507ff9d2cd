"""``hallucheck install-check``: vet an install command before it runs (a coding agent's pre-tool hook).

Given a command line (``hallucheck install-check -- pip install x``) or a coding agent's hook payload on
standard input (Claude Code and Codex ``PreToolUse``: ``tool_input.command``; Cursor
``beforeShellExecution``: ``command``), it finds the packages the command would install and gives each the
evidence a new dependency gets (:mod:`hallucheck.evidence.installed`):

* a documented hallucination, a typosquat of a popular name, an import name used as a package name, or
  (``--online``) a name the index does not have or shows as new and empty: **blocked** — exit 2 with the
  evidence on standard error in hook mode (the agent reads it), exit 1 on the command line;
* a name the project declares, its own name, or an established popular distribution: passes. Declarations
  and ``[tool.hallucheck.approved]`` are read from the last commit (HEAD), never from the work tree or the
  index the agent has just edited: what exists only on disk or is only staged is new;
* any other name needs a human: in hook mode the agent is told to ask the user (``permissionDecision:
  ask``; ``--reviews block`` blocks instead, ``--reviews allow`` lets it run), on the command line exit 1.

A command that installs nothing passes at once, without reading any file. Offline unless ``--online``;
hook mode fails closed: an unreadable payload or an internal error blocks (exit 2) with a message.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from hallucheck.lazy import LazyPattern, replace
from hallucheck.sources.install_commands import KEPT_INSTALL, may_install, may_run_file

if TYPE_CHECKING:
    from hallucheck.config import Config
    from hallucheck.evidence.installed import Place
    from hallucheck.findings import Finding
    from hallucheck.snapshot import Snapshot
    from hallucheck.sources.install_commands import InstallArgument, InstallCommand

EXIT_OK, EXIT_FOUND, EXIT_BLOCK = 0, 1, 2
REVIEW_CODES = frozenset({"HC040", "HC042", "HC043"})
READING_BUDGET, BUDGET, PROJECT_BUDGET = 0.45, 0.7, 0.9
"""Seconds from the start that reading the command, checking its names, then reading the project's manifests
(from git and from disk) may take: what is left when they are spent is not passed but asked about (an agent's
hook that answers late may let the command run)."""


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None) -> int:
    started = time.monotonic()
    parser = argparse.ArgumentParser(
        prog="hallucheck install-check",
        description="Check the packages an install command would fetch; read a coding agent's hook payload "
        "from standard input when no command is given.",
    )
    parser.add_argument("command", nargs="*", help="the command line, after `--` (one string is split as a shell does)")
    parser.add_argument("--online", action="store_true", help="also ask the package index about unknown names")
    parser.add_argument("--reviews", choices=("ask", "block", "allow"), default="ask",
                        help="hook mode: what a name that needs a human's review does (default: ask the user)")
    parser.add_argument("--project", metavar="DIR", help="the project whose declarations count (default: the "
                        "payload's cwd, else the current directory)")
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_BLOCK
    if args.command:
        words: list[str] = args.command
        text = words[0] if len(words) == 1 else None
        try:
            return _check_command(text, words, args, hook=None, cwd=args.project or os.getcwd(), started=started)
        except Exception as error:
            print(f"hallucheck install-check: error: {type(error).__name__}: {error}", file=sys.stderr)
            return EXIT_BLOCK
    return _hook(stdin or sys.stdin, args, started)


def _hook(stream: TextIO, args: argparse.Namespace, started: float) -> int:
    """Hook mode: the agent's JSON payload on ``stream``; exit 2 blocks (fail closed)."""
    try:
        payload = json.loads(stream.read() or "null")
    except (ValueError, RecursionError, OSError) as error:
        print(f"hallucheck install-check: cannot read the hook payload as JSON ({error}); blocked to be safe",
              file=sys.stderr)
        return EXIT_BLOCK
    if not isinstance(payload, dict):
        print("hallucheck install-check: the hook payload is not a JSON object; blocked to be safe", file=sys.stderr)
        return EXIT_BLOCK
    hook = "cursor" if payload.get("hook_event_name") == "beforeShellExecution" else "claude"
    tool_input = payload.get("tool_input")
    command = _payload_command(tool_input) if isinstance(tool_input, dict) else payload.get("command")
    if command is None:
        return EXIT_OK  # not a shell tool call: nothing this hook vets
    cwd = args.project or (payload["cwd"] if isinstance(payload.get("cwd"), str) else os.getcwd())
    unreadable = _unreadable_text(command, cwd)
    if unreadable:
        return _cannot_tell(hook, args, f"the {unreadable}, so what the command runs cannot be read",
                            "Send the command as valid text (no NUL, no lone surrogate), or confirm it yourself.")
    try:
        if isinstance(command, str):
            return _check_command(command, [], args, hook=hook, cwd=cwd, started=started)
        if isinstance(command, list) and all(isinstance(word, str) for word in command):
            return _check_command(None, command, args, hook=hook, cwd=cwd, started=started)
    except Exception as error:
        print(f"hallucheck install-check: internal error ({type(error).__name__}: {error}); blocked to be safe",
              file=sys.stderr)
        return EXIT_BLOCK
    print("hallucheck install-check: `command` is neither text nor a list of words; blocked to be safe",
          file=sys.stderr)
    return EXIT_BLOCK


def _unreadable_text(command: object, cwd: str) -> str:
    """What makes the payload's command or directory unusable text (a NUL byte, a lone surrogate that no shell
    receives as such), else "". JSON allows both (``\u0000``, ``\ud800``); a file system or ``bash`` does not."""
    words = [command] if isinstance(command, str) else command if isinstance(command, list) else []
    for what, texts in (("command", [word for word in words if isinstance(word, str)]), ("directory", [cwd])):
        for text in texts:
            if "\0" in text:
                return f"{what} holds a NUL byte"
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return f"{what} holds a lone surrogate (text that is not valid Unicode)"
    return ""


def _late(hook: str | None, args: argparse.Namespace) -> int:
    """The command could not be read in time: ask (or block, as ``--reviews`` says), never pass."""
    return _cannot_tell(
        hook, args, "the command is too long to read in the time an agent's hook has, so what it installs is not known",
        "Split it into shorter commands, or confirm it yourself.",
    )


def _cannot_tell(hook: str | None, args: argparse.Namespace, message: str, hint: str) -> int:
    """What the command installs cannot be known (HC042): ask (or block, as ``--reviews`` says), never pass."""
    from hallucheck.findings import finding

    late = finding("HC042", "command", 1, 1, message, hint)
    if hook is None:
        print(_render(late), file=sys.stderr)
        return EXIT_FOUND
    if args.reviews == "block":
        return _deny(hook, [late])
    if args.reviews == "ask":
        return _ask(hook, [late])
    return _allow(hook)


def _approves(text: str) -> bool:
    """Whether a command may run hallucheck's approval (``hallucheck approve``, ``hallucheck-approve`` through
    pre-commit or prek, ``HALLUCHECK_OVERRIDE_ERROR=...``): an agent does not approve what it installs."""
    lowered = text.lower()
    if "hallucheck_override_error" in lowered or ("hallucheck" in lowered and "approve" in lowered):
        return True
    # `pre-commit run --hook-stage manual` with no hook id runs every manual hook, hallucheck-approve among them
    # (attack H26); `prek run --stage manual` too.
    return ("pre-commit" in lowered or "pre_commit" in lowered or "prek" in lowered) and "manual" in lowered and (
        "stage" in lowered)


_CONFIG_FILE = LazyPattern(r"(?i)tool\.hallucheck|hallucheck\.toml")
_RELAXING_KEY = LazyPattern(r"(?i)(?:ignore|severity|mapping|first[-_]party|manifests|baseline)(?![\w-])")
_WRITES = LazyPattern(r"(?i)>|(?<![\w-])(?:sed|perl|tee|python[0-9.]*|awk|gawk|ed|ex|cp|mv|install|dd|patch|apply"
                      r"|sponge|truncate|dasel|yq|tomlq|toml-cli)(?![\w-])")
_IGNORE_COMMENT = LazyPattern(r"(?i)hallucheck\s*:\s*ignore")
_BASELINE = LazyPattern(r"(?i)hallucheck(?![/\w])[^\n;&|/]*(?<![\w-])baseline(?![\w])")


def _relaxes(text: str) -> str:
    """What the command does to relax hallucheck's checks (attack H9), else "": writes a relaxing key of its
    configuration (``[tool.hallucheck]``, ``hallucheck.toml``), a ``# hallucheck: ignore`` comment, or the
    baseline. Read cheaply by text: a command that merely mentions these without writing is not asked about."""
    if "hallucheck" not in text.lower():
        return ""
    if _BASELINE.search(text):
        return "writes hallucheck's baseline (findings recorded there are no longer reported)"
    if not _WRITES.search(text):
        return ""
    if _IGNORE_COMMENT.search(text):
        return "writes a `# hallucheck: ignore` comment (the line is no longer checked)"
    if _CONFIG_FILE.search(text) and _RELAXING_KEY.search(text):
        return "writes hallucheck's configuration (ignore, severity, mapping, first-party, manifests or baseline)"
    return ""


def _skips_commit_checks(text: str) -> str:
    """What the command does to get past hallucheck's commit or push hook (attack F7), else ""
    (:mod:`.hook_skips`). The agent hook reads HEAD as the project's word (attack E18), so a commit that skips
    the hook is where an agent would make HEAD say anything."""
    from hallucheck.commands.hook_skips import skips_commit_checks

    return skips_commit_checks(text)


def _payload_command(tool_input: dict[str, Any]) -> Any:
    """The shell command of a tool call: ``command`` (Claude Code's and Codex's Bash), else ``cmd``."""
    command = tool_input.get("command")
    return tool_input.get("cmd") if command is None else command


def _check_command(text: str | None, words: Sequence[str], args: argparse.Namespace, *, hook: str | None,
                   cwd: str, started: float) -> int:
    joined = text if text is not None else " ".join(words)
    if _approves(joined):
        return _cannot_tell(
            hook, args, "the command approves a package for hallucheck (or overrides its error); approving is a "
            "human's decision, taken after checking the package's project page",
            "Ask the user to run the approval themselves, or to confirm this command.",
        )
    relaxed = _relaxes(joined)
    if relaxed:
        return _cannot_tell(
            hook, args, f"the command {relaxed}; relaxing hallucheck is a human's decision",
            "Ask the user to make this change themselves, or to confirm this command.",
        )
    from hallucheck.sources.shell import OutOfTime, deadline

    try:
        with deadline(started + READING_BUDGET):
            skipped = _skips_commit_checks(text if text is not None else shlex.join(words))
    except OutOfTime:
        return _late(hook, args)
    if skipped:
        return _cannot_tell(
            hook, args, f"the command {skipped}, so what it commits or pushes is not checked by hallucheck: two "
            "calls (an edit, then a commit that skips the hook) would make HEAD declare anything",
            "Commit and push with the hooks, or ask the user to confirm this command.",
        )
    if not may_install(joined) and not may_run_file(joined) and not (hook and KEPT_INSTALL.search(joined)):
        return _allow(hook)
    from hallucheck.sources.install_commands import install_commands

    try:
        with deadline(started + READING_BUDGET):
            commands = install_commands(text if text is not None else shlex.join(words), runs_files=True)
    except OutOfTime:
        return _late(hook, args)
    if not any(command.arguments or command.inputs for command in commands):
        return _allow(hook)
    shell_text = text if text is not None else shlex.join(words)
    findings = _findings(commands, shell_text, Path(os.path.abspath(cwd)), args.online, started)
    errors = [item for item in findings if item.code not in REVIEW_CODES]
    reviews = [item for item in findings if item.code in REVIEW_CODES]
    if hook is None:
        for item in findings:
            print(_render(item), file=sys.stderr)
        return EXIT_FOUND if findings else EXIT_OK
    if errors or (reviews and args.reviews == "block"):
        return _deny(hook, errors + reviews)
    if reviews and args.reviews == "ask":
        return _ask(hook, reviews)
    return _allow(hook)


def _unread_project(commands: Sequence[InstallCommand]) -> Finding:
    from hallucheck.findings import finding

    text = next((command.text for command in commands if command.arguments or command.inputs), "the command")
    return finding(
        "HC042", "command", 1, 1,
        f"the project's manifests could not be read in the time an agent's hook has, so whether `{text}` "
        "installs what the project declares is not known",
        "Confirm the install yourself: the project is read from git (HEAD and the index) and from the files the "
        "command installs from.",
    )  # fmt: skip


def _findings(commands: Sequence[InstallCommand], command_text: str | None, cwd: Path, online: bool,
              started: float) -> list[Finding]:
    """The findings for every package of ``commands``; the project is read only for names that need it. Names
    not checked ``BUDGET`` seconds after ``started`` are one review, and so is a project whose manifests (in git
    and on disk) are not read ``PROJECT_BUDGET`` seconds after it (a project too large or too contrived to read
    in time: attack D10): the command is asked about, never passed unchecked or after the agent's timeout.
    Files and projects the commands install from are read from disk (:mod:`.install_disk`): what git does not
    hold there is new."""
    from hallucheck.evidence.installed import Place, installed_finding
    from hallucheck.resolve.mapping import normalize_distribution
    from hallucheck.sources.deadline import OutOfTime, deadline

    place = Place("command", 1, 1)
    late: list[Finding] = []
    first: list[tuple[str, InstallArgument, Finding | None]] = []
    try:
        with deadline(started + PROJECT_BUDGET):
            config, origins, declared, sources = _project_answers(commands, command_text, cwd, place,
                                                                  started + BUDGET, first, late)
    except OutOfTime:  # what was found stands (an error is not relaxed); what was not is asked about
        return [result for *_, result in first if result is not None] + late + [_unread_project(commands)]
    if not late and not any(result is not None for *_, result in first):
        return []
    from hallucheck.manifests.sources import INDEX, source
    from hallucheck.rules.manifests import COMMITTED_ERROR_CODES

    answer = _index_answer([result.distribution for *_, result in first
                            if result is not None and result.code == "HC040" and result.distribution], config) \
        if online else None
    findings = []
    for text, argument, result in first:
        if result is None:
            continue
        origin = origins.get((text, argument))
        if result.code in COMMITTED_ERROR_CODES:
            pass  # an error by its name alone stands where HEAD declares it too, as in files mode (attack F7)
        elif argument.determined and (normalize_distribution(argument.name) in declared
                                      or (result.requirement is not None and source(result.requirement) != INDEX)):
            result = _from(installed_finding(place, text, argument, config, declared, None, sources),
                           origin)  # declared, and from where
        if answer is not None and result is not None and result.code == "HC040":
            result = _from(installed_finding(place, text, argument, config, declared, answer, sources), origin)
        if result is not None:
            findings.append(result)
    return findings + late


def _project_answers(commands: Sequence[InstallCommand], command_text: str | None, cwd: Path, place: Place,
                     at: float, first: list[tuple[str, InstallArgument, Finding | None]], late: list[Finding],
                     ) -> tuple[Config, dict[tuple[str, InstallArgument], str], frozenset[str], dict[str, set[str]]]:
    """What the project tells about ``commands``' packages, read from git (and from disk for the files they
    install from): its configuration; each package's finding before the declarations are read, added to
    ``first`` as it is found (the command's own packages first; names left at ``at`` are one review in
    ``late``); where each package read from disk is named; the project's declared names and their sources
    (read only when a flagged name may be declared)."""
    with _committed_project(cwd) as (snapshot, root):
        config = _config(snapshot)
        pending = _distinct(commands)
        first += _first_findings(pending, place, config, {}, at, late)
        origins: dict[tuple[str, InstallArgument], str] = {}
        if any(command.inputs for command in commands) and not late:
            on_disk: list[tuple[str, InstallArgument]] = []
            held: list[tuple[str, InstallArgument]] = []
            late += _read_from_disk(commands, command_text, cwd, root, snapshot, on_disk, origins, held)
            first += _first_findings(on_disk, place, config, origins, at, late)
            first += _held_errors(held, place, config, origins, at, late)
        late += _disk_sources(commands, command_text, cwd, root, snapshot)
        if not late and not any(result is not None for *_, result in first):
            return config, origins, frozenset(), {}
        flagged = [result.distribution for *_, result in first if result is not None and result.distribution]
        from hallucheck.manifests.sources import INDEX, source

        moved = any(result is not None and result.requirement is not None and source(result.requirement) != INDEX
                    for *_, result in first)  # from another source: where the project takes it from matters
        declared, sources = _declared(snapshot) if snapshot is not None and (
            moved or _may_declare_any(snapshot, flagged)) else (frozenset(), {})
    return config, origins, declared, sources


def _first_findings(pending: Sequence[tuple[str, InstallArgument]], place: Place, config: Config,
                    origins: dict[tuple[str, InstallArgument], str], at: float,
                    late: list[Finding]) -> list[tuple[str, InstallArgument, Finding | None]]:
    """Each pending package with its finding before the project's declarations are read; the names left when
    the deadline ``at`` passes (between names or inside one name's evidence) are one review in ``late``."""
    from hallucheck.evidence.installed import installed_finding
    from hallucheck.sources.shell import OutOfTime, deadline

    first: list[tuple[str, InstallArgument, Finding | None]] = []
    with deadline(at):
        for index, (text, argument) in enumerate(pending):
            try:
                if time.monotonic() > at:
                    raise OutOfTime
                result = _from(installed_finding(place, text, argument, config), origins.get((text, argument)))
            except OutOfTime:
                late.append(_unchecked(text, len(pending) - index))
                break
            first.append((text, argument, result))
    return first


def _read_from_disk(commands: Sequence[InstallCommand], command_text: str | None, cwd: Path, root: Path | None,
                    snapshot: Snapshot | None, pending: list[tuple[str, InstallArgument]],
                    origins: dict[tuple[str, InstallArgument], str],
                    held: list[tuple[str, InstallArgument]]) -> list[Finding]:
    """Add to ``pending`` the packages the commands' files and projects name on disk and git does not hold
    (``origins``: the file that names each), to ``held`` those git holds too; the findings for inputs that cannot
    be read."""
    from hallucheck.commands.install_disk import disk_names

    on_disk = disk_names(commands, command_text, cwd, root, snapshot)
    for command, argument, origin in on_disk.names:
        origins[(command.text, argument)] = origin
        pending.append((command.text, argument))
    seen = {(text, argument.name) for text, argument in pending}
    for command, argument, origin in on_disk.committed:
        if (command.text, argument.name) not in seen:
            seen.add((command.text, argument.name))
            origins[(command.text, argument)] = origin
            held.append((command.text, argument))
    return on_disk.unread


def _held_errors(held: Sequence[tuple[str, InstallArgument]], place: Place, config: Config,
                 origins: dict[tuple[str, InstallArgument], str], at: float,
                 late: list[Finding]) -> list[tuple[str, InstallArgument, Finding | None]]:
    """The errors by name alone (HC030-HC032, as files mode finds them in committed manifests) of the packages a
    command installs from a file or project as git holds it (attack G7: ``pip install -r requirements.txt`` of a
    committed documented hallucination); a name that is no error is declared, and passes. Names left at the
    deadline ``at`` are one review in ``late``."""
    from hallucheck.evidence.installed import installed_finding
    from hallucheck.rules.manifests import COMMITTED_ERROR_CODES
    from hallucheck.sources.shell import OutOfTime, deadline

    errors: list[tuple[str, InstallArgument, Finding | None]] = []
    with deadline(at):
        for index, (text, argument) in enumerate(held):
            try:
                if time.monotonic() > at:
                    raise OutOfTime
                result = installed_finding(place, text, argument, config)
            except OutOfTime:
                late.append(_unchecked(text, len(held) - index))
                break
            if result is not None and result.code in COMMITTED_ERROR_CODES:
                origin = origins.get((text, argument), "")
                errors.append((text, argument, replace(
                    result, message=f"{result.message} (declared in `{origin}` as git holds it)")))
    return errors


def _disk_sources(commands: Sequence[InstallCommand], command_text: str | None, cwd: Path, root: Path | None,
                  snapshot: Snapshot | None) -> list[Finding]:
    """The package sources uv's configuration on disk sets and HEAD does not (:func:`.install_disk.disk_sources`)."""
    from hallucheck.commands.install_disk import disk_sources

    return disk_sources(commands, command_text, cwd, root, snapshot)


def _from(result: Finding | None, origin: str | None) -> Finding | None:
    """``result`` saying which file on disk names the package (None: the command names it)."""
    if result is None or origin is None:
        return result
    return replace(result, message=f"{result.message} (named in `{origin}` as it is on disk; git does not hold "
                   "that)")


def _distinct(commands: Sequence[InstallCommand]) -> list[tuple[str, InstallArgument]]:
    """Each package of ``commands`` once from each source, with its command's text (built once per command):
    ``pip install -c c.txt requests`` with ``requests @ https://...`` in c.txt takes ``requests`` from that URL
    (attack E29), so the name from the index does not stand for it."""
    from hallucheck.manifests.sources import source

    seen: set[tuple[str, str, bool, str]] = set()
    pending = []
    for command in commands:
        text = command.text
        for argument in command.arguments:
            key = (argument.name, argument.ecosystem, argument.determined, source(argument.requirement))
            if key not in seen:
                seen.add(key)
                pending.append((text, argument))
    return pending


def _unchecked(command: str, count: int) -> Finding:
    from hallucheck.findings import finding

    return finding(
        "HC042", "command", 1, 1,
        f"`{command}` installs {count} more package name(s) than hallucheck could check in time",
        "Install fewer packages per command (or declare them in the project), so that each name is checked.",
    )  # fmt: skip


@contextlib.contextmanager
def _committed_project(cwd: Path) -> Iterator[tuple[Snapshot | None, Path | None]]:
    """The project's files as its last commit holds them (HEAD; nothing before the first commit); None outside
    a git work tree.

    The agent runs its command against the work tree it has just edited, and ``git add`` is one more command
    it may run: neither the work tree nor the index proves anything. A declaration or an approval that HEAD does
    not hold is new, and the name gets the evidence of a new dependency, as the commit hook reviews a dependency
    the staged change adds (attack E18). git runs in ``cwd`` (the payload's directory), and the current
    directory is restored after.
    """
    from hallucheck.git.repository import CommitSnapshot, GitError, Repository
    from hallucheck.snapshot import MemorySnapshot

    previous = os.getcwd()
    repo = None
    try:
        os.chdir(cwd)
        repo = Repository()
        head = repo.resolve_commit("HEAD")
        committed = CommitSnapshot(repo, head, "HEAD") if head else MemorySnapshot({}, "HEAD")
        yield committed, Path(repo.root)
    except (OSError, GitError):
        if repo is not None:
            raise  # a failed read of a repository that exists must not pass as "declares nothing" quietly
        yield None, None  # no repository: nothing is declared or approved
    finally:
        if repo is not None:
            repo.close()
        os.chdir(previous)


def _config(snapshot: Snapshot | None) -> Config:
    from hallucheck.config import Config, ConfigError, load_config

    if snapshot is None:
        return Config()
    try:
        return load_config(snapshot)
    except ConfigError:
        return Config()  # a broken configuration must not approve anything: the defaults apply


def _index_answer(names: Sequence[str], config: Config) -> Any:
    if not names:
        return None
    from hallucheck.evidence.registry import Client, default_cache_dir, index_url

    return Client(index_url(config.index_url)[0], cache_dir=default_cache_dir()).lookup(list(dict.fromkeys(names)))


def _declared(snapshot: Snapshot) -> tuple[frozenset[str], dict[str, set[str]]]:
    """Names the project declares, and its own names (``pip install .`` of itself is written by name too); and
    where it takes each from (:func:`hallucheck.manifests.sources.declared_sources`)."""
    from hallucheck.manifests import declared_dependencies
    from hallucheck.manifests.sources import declared_sources

    declared = declared_dependencies(snapshot)
    names = set(declared.dependencies)
    names.update(item.name for item in declared.first_party if item.name)
    return frozenset(names), declared_sources(declared)


_MANIFEST_NAMES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "environment.yml", "environment.yaml",
                   "tox.ini", "noxfile.py", "pixi.toml")


def _may_declare_any(snapshot: Snapshot, names: Sequence[str]) -> bool:
    """Whether the project's manifest files mention one of ``names`` in any spelling; when none does, none is
    declared, and the manifests need not be parsed (``packaging`` alone costs more than the rest of the check)."""
    if not names:
        return False
    spellings = {variant for name in names for variant in (name, name.replace("-", "_"), name.replace("-", "."))}
    contents = [snapshot.read(name) for name in _MANIFEST_NAMES]
    for directory in ("", "requirements"):
        contents += [snapshot.read(f"{directory}/{entry}".lstrip("/")) for entry in snapshot.list_dir(directory)
                     if entry.lower().endswith((".txt", ".in")) and ("requirement" in entry.lower() or directory)]
    text = b"\n".join(content for content in contents if content).decode("utf-8", "replace").lower()
    normalised = text.replace("_", "-").replace(".", "-")
    return any(spelling in text or spelling.replace("_", "-").replace(".", "-") in normalised for spelling in spellings)


def _render(item: Finding) -> str:
    return f"{item.code} [{item.severity.value}] {item.message}\n    fix: {item.hint}"


def _allow(hook: str | None) -> int:
    if hook == "cursor":
        print(json.dumps({"permission": "allow"}))
    return EXIT_OK


def _deny(hook: str, findings: Sequence[Finding]) -> int:
    reason = "hallucheck blocked this install:\n" + "\n".join(_render(item) for item in findings)
    if hook == "cursor":
        print(json.dumps({"permission": "deny", "user_message": reason, "agent_message": reason}))
    print(reason, file=sys.stderr)
    return EXIT_BLOCK


def _ask(hook: str, findings: Sequence[Finding]) -> int:
    reason = "hallucheck: a human should confirm this install:\n" + "\n".join(_render(item) for item in findings)
    if hook == "cursor":
        print(json.dumps({"permission": "ask", "user_message": reason, "agent_message": reason}))
    else:
        print(json.dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "ask",
                                                 "permissionDecisionReason": reason}}))
    return EXIT_OK
