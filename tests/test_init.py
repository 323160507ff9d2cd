"""``hallucheck init``: the pre-commit entry added with every other byte kept, agents' hooks, and refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import hallucheck
from hallucheck.commands import init
from hallucheck.git.checkout import describe_clone, describe_installation
from tests.conftest import Outcome, Repo
from tests.test_precommit import HookSource, git, hook_source, pre_commit  # noqa: F401 - the fixture

PIN = init.Pin("https://github.com/example/hallucheck", "0" * 40, "a test pin")
PIN_ARGS = ("--repo", PIN.repo, "--rev", PIN.rev)


def run_init(repo: Repo, capsys: Any, *args: str) -> Outcome:
    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        code = init.main(list(args))
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def entry_data() -> dict[str, Any]:
    return {"repo": PIN.repo, "rev": PIN.rev, "hooks": [{"id": "hallucheck"}, {"id": "hallucheck-approve"}]}


def is_one_insertion(old: str, new: str) -> bool:
    """``new`` is ``old`` with one run of text inserted somewhere: every byte of ``old`` kept, in order."""
    return len(new) > len(old) and any(
        new[:cut] == old[:cut] and new.endswith(old[cut:]) for cut in range(len(old) + 1)
    )


# --- the YAML text edit ----------------------------------------------------------------------------------------

EXISTING = {
    "indented items, comments everywhere": (
        "# project hooks\nrepos:\n  # formatters\n  - repo: https://github.com/psf/black\n    rev: 24.1.0  # pinned\n"
        "    hooks:\n      - id: black\n        args: ['--fast']\n  # - repo: disabled\n\nci:\n  autofix_prs: false\n"
    ),
    "items at column 0, pre-commit's sample style": (
        "repos:\n-   repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n"
        "    -   id: trailing-whitespace\n"
    ),
    "no final newline": "repos:\n  - repo: local\n    hooks:\n      - id: x\n        name: x\n        entry: x\n"
    "        language: system",
    "CRLF line endings": "repos:\r\n  - repo: local\r\n    hooks: []\r\ndefault_stages: [pre-commit]\r\n",
    "a block scalar inside an item": (
        "repos:\n  - repo: local\n    hooks:\n      - id: check\n        name: check\n        entry: |\n"
        "          sh -c 'echo x'\n        language: system\nexclude: |\n  (?x)^(\n    vendor/\n  )$\n"
    ),
    "repos is an empty flow list": "default_language_version:\n  python: python3.11\nrepos: []  # none yet\n",
    "repos is empty": "repos:\n",
    "no repos key at all": "# only settings so far\nfail_fast: true\n",
    "quoted key, a document marker": "---\n\"repos\":\n    - repo: local\n      hooks: []\n",
}


@pytest.mark.parametrize("text", EXISTING.values(), ids=EXISTING.keys())
def test_the_entry_is_added_and_every_other_byte_is_kept(text: str) -> None:
    new = init.add_precommit_entry(text, PIN)
    old_data = yaml.safe_load(text) or {}
    assert yaml.safe_load(new) == {**old_data, "repos": [*(old_data.get("repos") or []), entry_data()]}
    if "repos: []" in text:  # the one byte sequence init rewrites: `[]` becomes the block the entry starts
        text = text.replace("[]", "", 1)
    if not text.endswith("\n"):  # a missing final newline is added before the new lines
        text += "\n"
    assert is_one_insertion(text, new)
    assert ("\r\n" in text) == ("\r\n" in new) and new.count("\r\n") in (0, new.count("\n"))


def test_a_new_file_holds_just_the_entry() -> None:
    new = init.add_precommit_entry(None, PIN)
    assert yaml.safe_load(new) == {"repos": [entry_data()]}
    assert new.startswith("repos:\n  - repo: https://github.com/example/hallucheck\n")


@pytest.mark.parametrize("existing", [
    "repos:\n  - repo: https://github.com/example/hallucheck\n    rev: v0\n    hooks: [{id: other}]\n",
    "repos:\n  - repo: https://github.com/someone/fork\n    rev: abc\n    hooks:\n      - id: hallucheck\n",
    "repos:\n  - repo: local\n    hooks:\n      - id: hallucheck-approve\n        entry: x\n",
])  # fmt: skip
def test_an_existing_entry_is_never_replaced(existing: str) -> None:
    with pytest.raises(init.AlreadyThere, match="already has a hallucheck entry"):
        init.add_precommit_entry(existing, PIN)


@pytest.mark.parametrize(("existing", "message"), [
    ("repos: [\n", "not valid YAML"),
    ("- just\n- a list\n", "not a mapping"),
    ("repos: {a: 1}\n", "`repos` is not a list"),
    ("repos: [{repo: local, hooks: []}]\n", "written inline"),
    ("repos:\n  - repo: local\n    hooks: [{id: [a]}, {id: {b: 1}}]\nrepos2: x\n", None),
])  # fmt: skip
def test_a_file_init_cannot_extend_safely_is_refused(existing: str, message: str | None) -> None:
    if message is None:  # odd values are no crash: the entry is added
        assert "hallucheck-approve" in init.add_precommit_entry(existing, PIN)
        return
    with pytest.raises(init.InitError, match=message):
        init.add_precommit_entry(existing, PIN)


# --- the command in a real repository ------------------------------------------------------------------------


def test_init_writes_the_entry_and_shows_it(repo: Repo, capsys: Any) -> None:
    outcome = run_init(repo, capsys, *PIN_ARGS)
    assert outcome.code == 0, outcome.err
    written = (repo.root / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(written) == {"repos": [entry_data()]}
    assert "wrote .pre-commit-config.yaml (new file):" in outcome.out
    shown = [line[4:] for line in outcome.out.splitlines() if line.startswith("  + ")]
    assert shown == written.splitlines()
    assert outcome.out.rstrip().endswith("next: pre-commit install && git add .pre-commit-config.yaml")


def test_init_twice_refuses_and_leaves_the_file_alone(repo: Repo, capsys: Any) -> None:
    run_init(repo, capsys, *PIN_ARGS)
    before = (repo.root / ".pre-commit-config.yaml").read_bytes()
    outcome = run_init(repo, capsys, *PIN_ARGS)
    assert outcome.code == 1
    assert "already has a hallucheck entry" in outcome.err
    assert (repo.root / ".pre-commit-config.yaml").read_bytes() == before


def test_dry_run_writes_nothing(repo: Repo, capsys: Any) -> None:
    outcome = run_init(repo, capsys, *PIN_ARGS, "--agent", "claude", "--dry-run")
    assert outcome.code == 0
    assert "would write .pre-commit-config.yaml" in outcome.out and "would write .claude/settings.json" in outcome.out
    assert not (repo.root / ".pre-commit-config.yaml").exists() and not (repo.root / ".claude").exists()


def test_invalid_yaml_is_a_usage_error_and_nothing_is_written(repo: Repo, capsys: Any) -> None:
    repo.write(".pre-commit-config.yaml", "repos: [\n")
    outcome = run_init(repo, capsys, *PIN_ARGS, "--agent", "cursor")
    assert outcome.code == 2 and "not valid YAML" in outcome.err
    assert not (repo.root / ".cursor").exists()


def test_from_a_subdirectory_the_files_go_to_the_top_level(repo: Repo, capsys: Any) -> None:
    (repo.root / "src" / "app").mkdir(parents=True)
    previous = Path.cwd()
    os.chdir(repo.root / "src" / "app")
    try:
        assert init.main([*PIN_ARGS]) == 0
    finally:
        os.chdir(previous)
    assert (repo.root / ".pre-commit-config.yaml").exists()


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert init.main([*PIN_ARGS]) == 2
    finally:
        os.chdir(previous)
    assert "not inside a git work tree" in capsys.readouterr().err


def test_the_written_config_is_valid_for_pre_commit(repo: Repo, capsys: Any) -> None:
    repo.write(".pre-commit-config.yaml", EXISTING["indented items, comments everywhere"])
    assert run_init(repo, capsys, *PIN_ARGS).code == 0
    validated = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                               cwd=repo.root, capture_output=True, text=True)  # fmt: skip
    assert validated.returncode == 0, validated.stdout + validated.stderr


# --- agents ------------------------------------------------------------------------------------------------


def test_claude_hook_is_merged_into_existing_settings(repo: Repo, capsys: Any) -> None:
    settings: dict[str, Any] = {"permissions": {"allow": ["Bash(ls:*)"]},
                "hooks": {"PreToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "fmt"}]}]}}
    repo.write(".claude/settings.json", json.dumps(settings, indent=4) + "\n")
    outcome = run_init(repo, capsys, "--no-pre-commit", "--agent", "claude")
    assert outcome.code == 0, outcome.err
    text = (repo.root / ".claude/settings.json").read_text(encoding="utf-8")
    written = json.loads(text)
    assert written["permissions"] == settings["permissions"]
    assert written["hooks"]["PreToolUse"] == [
        settings["hooks"]["PreToolUse"][0],
        {"matcher": "Bash", "hooks": [{"type": "command", "command": "hallucheck-install-check", "timeout": 10}]},
    ]
    assert text.startswith('{\n    "permissions"')  # the file's own indentation
    assert not (repo.root / ".pre-commit-config.yaml").exists()
    assert "Claude Code runs it before every Bash call" in outcome.out
    again = run_init(repo, capsys, "--no-pre-commit", "--agent", "claude")
    assert again.code == 1 and "already runs hallucheck-install-check" in again.err
    assert (repo.root / ".claude/settings.json").read_text(encoding="utf-8") == text


def test_cursor_and_codex_hooks_are_new_files(repo: Repo, capsys: Any) -> None:
    outcome = run_init(repo, capsys, *PIN_ARGS, "--agent", "cursor", "--agent", "codex")
    assert outcome.code == 0, outcome.err
    cursor = json.loads((repo.root / ".cursor/hooks.json").read_text(encoding="utf-8"))
    assert cursor == {"version": 1, "hooks": {"beforeShellExecution": [{"command": "hallucheck-install-check"}]}}
    codex = json.loads((repo.root / ".codex/hooks.json").read_text(encoding="utf-8"))
    assert codex["hooks"]["PreToolUse"][0]["matcher"] == "Bash"
    assert codex["hooks"]["PreToolUse"][0]["hooks"][0]["command"] == "hallucheck-install-check --reviews block"
    assert "codex_hooks = true" in outcome.out
    assert "git add .pre-commit-config.yaml .cursor/hooks.json .codex/hooks.json" in outcome.out


def test_written_hooks_answer_an_agent_payload(repo: Repo, capsys: Any) -> None:
    """The command init writes, fed the payload its agent sends, blocks a hallucinated package."""
    from hallucheck.commands import install_check

    run_init(repo, capsys, "--no-pre-commit", "--agent", "claude", "--agent", "cursor")
    claude = json.loads((repo.root / ".claude/settings.json").read_text(encoding="utf-8"))
    cursor = json.loads((repo.root / ".cursor/hooks.json").read_text(encoding="utf-8"))
    payloads = {
        claude["hooks"]["PreToolUse"][0]["hooks"][0]["command"]: {
            "hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": str(repo.root),
            "tool_input": {"command": "pip install huggingface-cli"}},
        cursor["hooks"]["beforeShellExecution"][0]["command"]: {
            "hook_event_name": "beforeShellExecution", "cwd": str(repo.root),
            "command": "pip install huggingface-cli"},
    }  # fmt: skip
    import io

    for command, payload in payloads.items():
        assert command.split()[0] == "hallucheck-install-check"
        code = install_check.main(command.split()[1:], stdin=io.StringIO(json.dumps(payload)))
        out = capsys.readouterr().out
        assert code == 2 or '"deny"' in out, (command, out)


# --- where the hook comes from ---------------------------------------------------------------------------


def test_a_clone_pins_its_origin_and_head(repo: Repo) -> None:
    repo.commit({"a.txt": "a\n"})
    repo.git("remote", "add", "origin", "https://github.com/example/hallucheck.git")
    head = repo.git("rev-parse", "HEAD").strip()
    assert describe_clone(str(repo.root)) == ("https://github.com/example/hallucheck.git", head)


def test_a_clone_without_origin_or_commit_pins_nothing(repo: Repo) -> None:
    assert describe_clone(str(repo.root)) is None
    repo.commit({"a.txt": "a\n"})
    assert describe_clone(str(repo.root)) is None


def fake_distribution(site: Path, name: str, direct_url: object) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")


def test_a_vcs_install_pins_the_commit_pip_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sha = "a" * 40
    fake_distribution(tmp_path, "hcvcs", {"url": "https://github.com/example/hallucheck",
                                           "vcs_info": {"vcs": "git", "commit_id": sha, "requested_revision": sha}})
    fake_distribution(tmp_path, "hcwheel", {"url": "file:///tmp/hallucheck-1.0-py3-none-any.whl",
                                             "archive_info": {}})
    monkeypatch.syspath_prepend(str(tmp_path))
    assert describe_installation("hcvcs") == ("https://github.com/example/hallucheck", sha)
    assert describe_installation("hcwheel") is None
    assert describe_installation("no-such-distribution-here") is None


def test_without_a_recorded_commit_the_version_tag_is_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hallucheck.git.checkout.describe_installation", lambda: None)
    pin = init.installed_pin()
    assert pin.rev == f"v{hallucheck.__version__}" and "pin a full commit SHA" in pin.reason


@pytest.mark.parametrize("rev", ["0" * 40, "1234567e89" + "0" * 30, "yes", "v1.0", "it's: odd #1"])
def test_a_rev_yaml_would_read_as_a_number_is_quoted(rev: str) -> None:
    pin = init.Pin("https://example.com/h", rev, "")
    assert yaml.safe_load(init.add_precommit_entry(None, pin))["repos"][0]["rev"] == rev


_NAMES = st.text("abcdefgh-_", min_size=1, max_size=8)
_HOOKS = st.lists(st.fixed_dictionaries({"id": _NAMES}, optional={"args": st.lists(_NAMES, max_size=2)}), max_size=3)
_REPOS = st.lists(st.fixed_dictionaries({"repo": _NAMES, "rev": _NAMES, "hooks": _HOOKS}), max_size=3)


@settings(max_examples=150, deadline=None, database=None)
@given(
    repos=_REPOS,
    others=st.dictionaries(st.sampled_from(["ci", "exclude", "fail_fast", "default_stages"]), _NAMES, max_size=2),
    others_first=st.booleans(),
    indent=st.sampled_from([2, 4]),
    comments=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["# c", "  # c", "", "    # - repo: x"])),
                      max_size=4),
    crlf=st.booleans(),
    final_newline=st.booleans(),
)
def test_any_block_config_keeps_its_bytes(repos: list[Any], others: dict[str, str], others_first: bool, indent: int,
                                          comments: list[tuple[int, str]], crlf: bool, final_newline: bool) -> None:
    parts = [{"repos": repos}, others] if not others_first else [others, {"repos": repos}]
    lines = "".join(yaml.safe_dump(part, indent=indent, sort_keys=False, default_flow_style=False)
                    for part in parts if part).splitlines()
    for position, comment in comments:
        lines.insert(min(position, len(lines)), comment)
    newline = "\r\n" if crlf else "\n"
    text = newline.join(lines) + (newline if final_newline else "")
    if not repos and "repos: []" in text:
        text = text.replace("[]", "", 1)  # the one inline form init rewrites; block form only here
    new = init.add_precommit_entry(text, PIN)
    old_data = yaml.safe_load(text) or {}
    assert yaml.safe_load(new) == {**old_data, "repos": [*(old_data.get("repos") or []), entry_data()]}
    # A file without a final newline gets one only when the entry goes at its very end.
    assert is_one_insertion(text, new) or is_one_insertion(text + newline, new)


def test_the_documented_agent_hooks_are_what_init_writes() -> None:
    """docs/installs.md shows each agent's hook file; init writes exactly those entries."""
    import re

    text = (Path(__file__).parents[1] / "docs" / "installs.md").read_text(encoding="utf-8")
    documented = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL)]
    written = [json.loads(init.add_agent_hook(None, init.AGENTS[name])) for name in ("claude", "codex", "cursor")]
    assert documented == written


@pytest.mark.framework
def test_first_commit_after_init_is_checked(repo: Repo, hook_source: HookSource, capsys: Any) -> None:  # noqa: F811
    """The README's path in a project: init, pre-commit install, a commit with a hallucination is blocked."""
    repo.commit({"pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n',
                 "app.py": "import requests\n"})  # fmt: skip
    assert run_init(repo, capsys, "--repo", hook_source.path.as_posix(), "--rev", hook_source.rev).code == 0
    assert pre_commit(hook_source, repo.root, "install").returncode == 0
    repo.git("add", ".pre-commit-config.yaml")
    repo.write("app.py", "import requests\nfrom cryptoutils import secure_hash\n")
    repo.git("add", "app.py")
    blocked = git(hook_source, repo.root, "commit", "-m", "hash")
    assert blocked.returncode == 1 and "HC001" in blocked.stdout, blocked.stdout
    repo.write("app.py", "import requests\nimport hashlib\n")
    repo.git("add", "app.py")
    passed = git(hook_source, repo.root, "commit", "-m", "hash")
    assert passed.returncode == 0, passed.stdout
