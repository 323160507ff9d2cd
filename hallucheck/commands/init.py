"""``hallucheck init``: add hallucheck to a project's ``.pre-commit-config.yaml`` and, on request, to a coding agent.

The pre-commit entry is added by editing the file's text, so every byte already there (comments, order, quoting,
line endings) stays as it was; the result is parsed again and must say exactly what the old file said plus the new
entry, or nothing is written. An agent's hook (``--agent claude|codex|cursor``) is added to the agent's JSON hook
file in the project. An entry that is already there is never replaced: init refuses and says where it is.

The ``rev:`` pinned is the commit hallucheck was installed from when pip recorded one (``pip install
git+URL@SHA``, or an install of a clone), else the tag of the installed version; ``--rev`` and ``--repo`` choose.
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from hallucheck import HOMEPAGE, __version__
from hallucheck.lazy import LazyPattern, record

CONFIG = ".pre-commit-config.yaml"
HOOK_IDS = ("hallucheck", "hallucheck-approve")
AGENT_COMMAND = "hallucheck-install-check"
EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class InitError(Exception):
    """A file init cannot edit safely; the message says what to do instead."""


class AlreadyThere(InitError):
    """The entry init would add is there already."""


@record(frozen=True)
class Pin:
    """Where the hook comes from: the repository URL, the ``rev`` to pin, and why that one."""

    repo: str
    rev: str
    reason: str


# --- .pre-commit-config.yaml ---------------------------------------------------------------------------


def precommit_entry(pin: Pin, indent: str = "  ", newline: str = "\n") -> str:
    """The text of one ``repos:`` item for hallucheck, its dash at ``indent``."""
    inner = indent + "  "
    lines = [
        f"{indent}- repo: {_yaml_string(pin.repo)}",
        f"{inner}rev: {_yaml_string(pin.rev)}",
        f"{inner}hooks:",
        f"{inner}  - id: hallucheck",
        f"{inner}  - id: hallucheck-approve   # runs only when you ask: pre-commit run hallucheck-approve "
        "--hook-stage manual",
    ]
    return newline.join(lines) + newline


def _yaml_string(text: str) -> str:
    """``text`` as a YAML scalar that reads back as that string (a SHA of digits, ``1e5``, ``yes`` are quoted)."""
    try:
        plain = yaml.safe_load(text) == text and "#" not in text and ": " not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else "'" + text.replace("'", "''") + "'"


def add_precommit_entry(text: str | None, pin: Pin) -> str:
    """``text`` (a ``.pre-commit-config.yaml``, or None when there is none) with hallucheck's entry added.

    Raises :class:`AlreadyThere` when a hallucheck hook is configured, :class:`InitError` when the file is not
    a pre-commit configuration init can extend by adding lines.
    """
    if text is None or not text.strip():
        return (text or "") + "repos:\n" + precommit_entry(pin)
    old = _load_config(text)
    _refuse_existing(old, pin)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    key = _repos_key_line(lines)
    if key is None:
        new = _ensure_final_newline(text, newline) + "repos:" + newline + precommit_entry(pin, newline=newline)
    else:
        new = _insert_into_repos(lines, key, pin, newline)
    expected = dict(old) if isinstance(old, dict) else {}
    expected["repos"] = [*(expected.get("repos") or []), _entry_data(pin)]
    if _load_config(new) != expected:
        raise InitError(
            f"cannot add an entry to {CONFIG} without changing what it says; add this by hand:\n" + precommit_entry(pin)
        )
    return new


def _load_config(text: str) -> Any:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InitError(f"{CONFIG} is not valid YAML ({error}); fix it first") from None
    except RecursionError:
        raise InitError(f"{CONFIG} is nested too deeply to read") from None
    if data is not None and not isinstance(data, dict):
        raise InitError(f"{CONFIG} is not a mapping with a `repos:` list")
    if isinstance(data, dict) and not isinstance(data.get("repos", []), (list, type(None))):
        raise InitError(f"{CONFIG}: `repos` is not a list")
    return data


def _refuse_existing(data: Any, pin: Pin) -> None:
    for item in (data or {}).get("repos") or []:
        if not isinstance(item, dict):
            continue
        hooks: list[Any] = item["hooks"] if isinstance(item.get("hooks"), list) else []
        ids = {hook["id"] for hook in hooks if isinstance(hook, dict) and isinstance(hook.get("id"), str)}
        if ids & set(HOOK_IDS) or str(item.get("repo", "")).rstrip("/").removesuffix(".git") == pin.repo:
            raise AlreadyThere(
                f"{CONFIG} already has a hallucheck entry (repo: {item.get('repo')}, rev: "
                f"{item.get('rev')}); change it there, or `pre-commit autoupdate` to move its rev"
            )


def _entry_data(pin: Pin) -> dict[str, Any]:
    return {"repo": pin.repo, "rev": pin.rev, "hooks": [{"id": hook} for hook in HOOK_IDS]}


def _ensure_final_newline(text: str, newline: str) -> str:
    return text if text.endswith(("\n", "\r")) else text + newline


_REPOS_KEY = LazyPattern(r"^(?:repos|'repos'|\"repos\")[ \t]*:(?P<rest>.*)$")


def _repos_key_line(lines: list[str]) -> int | None:
    for number, line in enumerate(lines):
        if _REPOS_KEY.match(line.rstrip("\r\n")):
            return number
    return None


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _insert_into_repos(lines: list[str], key: int, pin: Pin, newline: str) -> str:
    """Add the entry after the last line of the block under ``repos:`` (comments after it stay after it)."""
    rest = _REPOS_KEY.match(lines[key].rstrip("\r\n"))
    assert rest is not None
    value = rest["rest"].split("#", 1)[0].strip()
    if value == "[]":
        head = lines[key].replace("[]", "", 1).rstrip("\r\n").rstrip()
        lines[key] = head + newline
        value = ""
    if value:
        raise InitError(
            f"{CONFIG}: `repos:` is written inline (flow style); add this entry by hand:\n" + precommit_entry(pin)
        )
    last = key
    indent: str | None = None
    for number in range(key + 1, len(lines)):
        line = lines[number]
        if _is_content(line) and not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key: the block has ended
        if _is_content(line):
            last = number
            if indent is None:
                indent = line[: len(line) - len(line.lstrip(" "))] if line.lstrip(" ").startswith("-") else None
    if last == len(lines) - 1:
        lines[last] = _ensure_final_newline(lines[last], newline)
    entry = precommit_entry(pin, indent="  " if indent is None else indent, newline=newline)
    return "".join([*lines[: last + 1], entry, *lines[last + 1 :]])


# --- agent hooks ---------------------------------------------------------------------------------------


class AgentHook(NamedTuple):
    """Where an agent reads its hooks in a project, and the entry that runs hallucheck's install check."""

    path: str
    event: str
    entry: dict[str, Any]
    top: dict[str, Any]
    note: str


AGENTS: dict[str, AgentHook] = {
    "claude": AgentHook(
        path=".claude/settings.json",
        event="PreToolUse",
        entry={"matcher": "Bash", "hooks": [{"type": "command", "command": AGENT_COMMAND, "timeout": 10}]},
        top={},
        note="Claude Code runs it before every Bash call: a hallucinated or look-alike package is blocked, an "
        "unknown one asks you.",
    ),
    "codex": AgentHook(
        path=".codex/hooks.json",
        event="PreToolUse",
        entry={"matcher": "Bash", "hooks": [{"type": "command", "command": f"{AGENT_COMMAND} --reviews block"}]},
        top={},
        note="Codex reads hooks only with `codex_hooks = true` under `[features]` in its config.toml "
        "(~/.codex/config.toml or .codex/config.toml).",
    ),
    "cursor": AgentHook(
        path=".cursor/hooks.json",
        event="beforeShellExecution",
        entry={"command": AGENT_COMMAND},
        top={"version": 1},
        note="Cursor runs it before every shell command and reads its allow/ask/deny answer.",
    ),
}


def add_agent_hook(text: str | None, agent: AgentHook) -> str:
    """The agent's hook file ``text`` (None: no file yet) with hallucheck's entry added, as JSON."""
    data: dict[str, Any] = dict(agent.top)
    indent = 2
    if text is not None and text.strip():
        try:
            loaded = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise InitError(f"{agent.path} is not valid JSON ({error}); fix it first") from None
        if not isinstance(loaded, dict) or not isinstance(loaded.get("hooks", {}), dict):
            raise InitError(f"{agent.path} is not a JSON object with a `hooks` object")
        data = loaded
        indent = _json_indent(text)
    hooks: dict[str, Any] = data.setdefault("hooks", {})
    entries = hooks.setdefault(agent.event, [])
    if not isinstance(entries, list):
        raise InitError(f"{agent.path}: hooks.{agent.event} is not a list")
    if AGENT_COMMAND in json.dumps(entries):
        raise AlreadyThere(f"{agent.path} already runs {AGENT_COMMAND} on {agent.event}; change it there")
    entries.append(agent.entry)
    for key, value in agent.top.items():
        data.setdefault(key, value)
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def _json_indent(text: str) -> int:
    for line in text.splitlines()[1:]:
        if line.strip():
            return max(1, len(line) - len(line.lstrip(" ")))
    return 2


# --- where the hook comes from -------------------------------------------------------------------------


def installed_pin() -> Pin:
    """The repository and rev of the hallucheck that runs this: a commit pip recorded, else the version's tag."""
    from hallucheck.git.checkout import describe_installation

    origin = describe_installation()
    if origin is not None:
        repo, commit = origin
        return Pin(
            repo,
            commit,
            "the commit this hallucheck was installed from (until the first release tag, pin a full commit SHA)",
        )
    return Pin(
        HOMEPAGE,
        f"v{__version__}",
        f"the tag of the installed version {__version__} (if pre-commit "
        "cannot find it, there is no release yet: pin a full commit SHA with --rev)",
    )


# --- the command ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hallucheck init",
        description="Add hallucheck to this repository's .pre-commit-config.yaml (and, with --agent, to a coding "
        "agent's hooks). Existing files keep every byte; an existing hallucheck entry is never replaced.",
    )
    parser.add_argument(
        "--agent",
        action="append",
        choices=sorted(AGENTS),
        default=[],
        help="also add the install-command hook for this coding agent (repeat for several)",
    )
    parser.add_argument("--rev", help="the rev to pin (a tag, or a full commit SHA before the first release)")
    parser.add_argument(
        "--repo", help=f"the repository URL of the hook (default: where hallucheck was installed from, else {HOMEPAGE})"
    )
    parser.add_argument("--no-pre-commit", action="store_true", help="only add the agent hooks")
    parser.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    args = parser.parse_args(argv)
    try:
        root = _repository_root()
    except InitError as error:
        print(f"hallucheck init: {error}", file=sys.stderr)
        return EXIT_USAGE
    plans: list[tuple[Path, str | None, str]] = []
    refused = False
    try:
        if not args.no_pre_commit:
            pin = _chosen_pin(args.repo, args.rev)
            print(f"rev: {pin.rev} is {pin.reason}")
            refused |= _plan(plans, root / CONFIG, lambda text: add_precommit_entry(text, pin))
        for name in args.agent:
            agent = AGENTS[name]
            refused |= _plan(plans, root / agent.path, lambda text, agent=agent: add_agent_hook(text, agent))
    except InitError as error:
        print(f"hallucheck init: {error}", file=sys.stderr)
        return EXIT_USAGE
    for path, old, new in plans:
        _show(path.relative_to(root).as_posix(), old, new, args.dry_run)
        if not args.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new.encode("utf-8"))
    _next_steps(plans, args, root)
    return EXIT_REFUSED if refused else EXIT_OK


def _repository_root() -> Path:
    from hallucheck.git.repository import GitError, Repository

    try:
        repository = Repository()
    except GitError as error:
        raise InitError(str(error)) from None
    repository.close()
    return Path(repository.root)


def _chosen_pin(repo: str | None, rev: str | None) -> Pin:
    pin = installed_pin() if repo is None or rev is None else None
    return Pin(
        repo or (pin.repo if pin else HOMEPAGE),
        rev or (pin.rev if pin else ""),
        "the rev you asked for" if rev else (pin.reason if pin else ""),
    )


def _plan(plans: list[tuple[Path, str | None, str]], path: Path, edit: Any) -> bool:
    """Add ``path``'s edit to ``plans``; True when its entry is there already (refused, reported)."""
    old = _read_text(path)
    try:
        plans.append((path, old, edit(old)))
    except AlreadyThere as error:
        print(f"hallucheck init: {error}", file=sys.stderr)
        return True
    return False


def _read_text(path: Path) -> str | None:
    if not path.exists():
        return None
    if path.is_symlink() or not path.is_file():
        raise InitError(f"{path.name} is not a regular file; edit it by hand")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InitError(f"{path.name} is not UTF-8 text; edit it by hand") from None


def _show(name: str, old: str | None, new: str, dry_run: bool) -> None:
    """The lines the edit adds to ``name`` (a whole new file is all added lines)."""
    verb = "would write" if dry_run else "wrote"
    print(f"{verb} {name}" + (" (new file):" if old is None else ":"))
    diff = difflib.unified_diff((old or "").splitlines(), new.splitlines(), lineterm="", n=0)
    for line in diff:
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---")):
            print(f"  {line[0]} {line[1:]}")


def _next_steps(plans: list[tuple[Path, str | None, str]], args: argparse.Namespace, root: Path) -> None:
    if not plans:
        return
    names = " ".join(path.relative_to(root).as_posix() for path, _, _ in plans)
    for name in args.agent:
        print(AGENTS[name].note)
    if args.agent and shutil.which(AGENT_COMMAND) is None:
        print(f"note: {AGENT_COMMAND} is not on PATH: install hallucheck where the agent runs its commands")
    if not args.dry_run:
        steps = ["pre-commit install"] if not args.no_pre_commit else []
        print("next: " + " && ".join([*steps, f"git add {names}"]))
