"""What a newcomer hit (issue 14, points 1 and 3-8), each through a real git repository and the command line."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from tests.conftest import Outcome, Repo

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n    "requests>=2",\n{new}]\n'


def in_directory(directory: Path, capsys: Any, *args: str) -> Outcome:
    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(directory)
    try:
        code = main(list(args))
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


# --- 1. a baseline accepts old code; it never hides what a change adds -------------------------------


@pytest.fixture
def baselined(repo: Repo, run: Any) -> Repo:
    """app/crypto.py imports cryptoutils at HEAD, and the committed baseline records it."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), "app/crypto.py": "import cryptoutils\n"})
    assert run("baseline", json_output=False).code == 0
    repo.git("add", ".hallucheck-baseline.json")
    repo.commit(message="baseline")
    return repo


def test_baseline_does_not_hide_an_import_the_staged_change_adds(baselined: Repo, run: Any) -> None:
    baselined.stage({"app/crypto.py": "import cryptoutils\nfrom cryptoutils import secure_hash\n"})
    outcome = run()
    assert outcome.code == 1
    assert [(item["code"], item["line"]) for item in outcome.json()["findings"]] == [("HC001", 2)]


def test_baseline_does_not_hide_an_import_a_range_adds(baselined: Repo, run: Any) -> None:
    baselined.git("checkout", "-q", "-b", "feature")
    baselined.commit({"app/crypto.py": "import cryptoutils\nfrom cryptoutils import secure_hash\n"})
    outcome = run("main..feature")
    assert (outcome.code, outcome.codes()) == (1, ["HC001"])


def test_baseline_hides_exactly_what_it_recorded_in_files_mode(baselined: Repo, run: Any) -> None:
    assert run("--all-files").code == 0
    baselined.stage({"app/crypto.py": "import cryptoutils\nfrom cryptoutils import secure_hash\n"})
    outcome = run("--all-files")  # HEAD made the baseline: named once as HC101 (attack B9)
    assert (outcome.code, outcome.codes()) == (1, ["HC101", "HC001"])
    assert outcome.json()["summary"]["baselined"] == 1


# --- 3. words: the summary, the demo banner, and hints that agree --------------------------------------


def test_summary_names_the_mode(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), "a.py": "import requests\n"})
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"b.py": "import os\nimport requests\n"})
    staged = run(json_output=False).out.splitlines()[-1]
    assert staged == "hallucheck (staged): 0 new imports checked, all resolve."
    ranged = run("main..feature", json_output=False).out.splitlines()[-1]
    assert ranged == "hallucheck (range main..feature): 2 new imports checked, all resolve."
    files = run("--all-files", json_output=False).out.splitlines()[-1]
    assert files == "hallucheck (files): 3 imports checked, all resolve."
    assert run("main..feature").json()["range"] == {"from": "main", "to": "feature"}


def test_summary_counts_what_the_baseline_and_suppressions_hid(baselined: Repo, run: Any) -> None:
    baselined.commit({"app/other.py": "import fakepkg_zz  # hallucheck: ignore[HC001]\n"})
    text = run("--all-files", json_output=False)
    assert text.code == 0
    assert "all resolve" not in text.out
    assert text.out.splitlines()[-1] == (
        "hallucheck (files): 2 imports checked; nothing reported, 1 hidden by the baseline, 1 suppressed."
    )
    summary = run("--all-files").json()["summary"]
    assert (summary["baselined"], summary["suppressed"]) == (1, 1)


def test_import_of_a_known_hallucination_is_not_to_be_approved(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage(
        {"pyproject.toml": PYPROJECT.format(new='    "huggingface-cli",\n'), "a.py": "import huggingface_cli\n"}
    )
    outcome = run()
    found = {item["code"]: item for item in outcome.json()["findings"]}
    assert set(found) == {"HC003", "HC031"}
    assert "Remove it" in found["HC031"]["hint"]
    assert "approve" not in found["HC003"]["hint"]
    assert "pyproject.toml:6" in found["HC003"]["hint"] and "HC031" in found["HC003"]["hint"]


def test_demo_banner_lists_only_lines_the_change_adds(tmp_path: Path) -> None:
    from hallucheck.commands.demo import EXPLANATION, make_demo_repository

    root = tmp_path / "demo"
    root.mkdir()
    make_demo_repository(root)
    diff = subprocess.run(
        ["git", "diff", "--cached", "-U0", "--no-color"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    added = {line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")}
    banner = [line.strip()[2:] for line in EXPLANATION.splitlines() if line.strip().startswith("+ ")]
    assert banner
    for line in banner:
        statements = line.split("  (")[0].split(" (")[0].split(", with")[0]
        for statement in statements.split(", "):
            assert statement.strip() in added, f"the demo banner shows {statement!r} as added"


# --- 4. unstaged edits are pointed out ---------------------------------------------------------------


def test_unstaged_edits_of_a_checked_file_are_pointed_out(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"app.py": "import requests\n"})
    repo.write("app.py", "import requests\nimport fakepkg_zz\n")
    index_before = (repo.root / ".git" / "index").read_bytes()
    outcome = run(json_output=False)
    assert outcome.code == 0
    notes = [line for line in outcome.err.splitlines() if "unstaged" in line]
    assert notes == [
        "hallucheck: note: app.py has unstaged changes; the check reads the staged version (git add to check them)"
    ]
    assert (repo.root / "app.py").read_text() == "import requests\nimport fakepkg_zz\n"
    assert (repo.root / ".git" / "index").read_bytes() == index_before
    repo.git("add", "app.py")
    assert "unstaged" not in run(json_output=False).err


def test_no_note_when_the_work_tree_matches_the_index(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"app.py": "import requests\n"})
    (repo.root / "app.py").touch()  # stat-dirty, same content
    os.utime(repo.root / "app.py", (1, 1))
    assert "unstaged" not in run(json_output=False).err


# --- 5. explain-import answers for the project of the current directory -------------------------------


def test_explain_import_uses_the_project_of_the_current_directory(repo: Repo, capsys: Any) -> None:
    repo.commit(
        {
            "pyproject.toml": PYPROJECT.format(new=""),
            "services/api/pyproject.toml": PYPROJECT.format(new='    "PyYAML",\n'),
            "services/api/api.py": "",
        }
    )
    assert in_directory(repo.root, capsys, "explain-import", "yaml").code == 1
    inside = in_directory(repo.root / "services" / "api", capsys, "explain-import", "yaml")
    assert inside.code == 0, inside.out + inside.err
    from_root = in_directory(repo.root, capsys, "explain-import", "yaml", "--path", "services/api/api.py")
    assert from_root.code == 0


def test_explain_import_path_that_does_not_exist_is_an_error(repo: Repo, capsys: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    outcome = in_directory(repo.root, capsys, "explain-import", "yaml", "--path", "no/such/file.py")
    assert outcome.code == 2
    assert outcome.err.count("\n") == 1 and "no/such/file.py" in outcome.err


# --- 6. bad arguments are errors, always ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--python", "/nonexistent/python"),
        ("--manifest", "missing.txt"),
        ("check",),
        ("--show-config", "--format", "sarif"),
    ],
    ids=["python", "manifest", "check-without-paths", "show-config-sarif"],
)
@pytest.mark.parametrize("staged", [False, True], ids=["nothing-staged", "something-staged"])
def test_bad_arguments_are_errors(repo: Repo, capsys: Any, args: tuple[str, ...], staged: bool) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    if staged:
        repo.stage({"a.py": "import requests\n"})
    outcome = in_directory(repo.root, capsys, *args)
    assert outcome.code == 2, outcome.out + outcome.err
    prefix = "hallucheck check: error: " if args[0] == "check" else "hallucheck: error: "
    assert outcome.err.count("\n") == 1 and outcome.err.startswith(prefix), outcome.err


@pytest.mark.parametrize("staged", [False, True], ids=["nothing-staged", "something-staged"])
def test_requires_python_that_is_not_a_specifier_is_an_error(repo: Repo, capsys: Any, staged: bool) -> None:
    pyproject = PYPROJECT.format(new="").replace('version = "1"', 'version = "1"\nrequires-python = "banana"')
    repo.commit({"pyproject.toml": pyproject})
    if staged:
        repo.stage({"a.py": "import requests\n"})
    outcome = in_directory(repo.root, capsys)
    assert outcome.code == 2, outcome.out + outcome.err
    assert outcome.err.count("\n") == 1 and "banana" in outcome.err


def test_range_in_a_repository_without_commits_says_so(repo: Repo, capsys: Any) -> None:
    outcome = in_directory(repo.root, capsys, "HEAD~1..HEAD")
    assert outcome.code == 2
    assert "no commits" in outcome.err and "fetch" not in outcome.err


# --- 7. positions ---------------------------------------------------------------------------------


def test_findings_point_at_the_module_name(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage(
        {"a.py": "from fakepkg_zz import (\n    a,\n    b)\n", "b.py": "x = 1\nfrom \\\n  fakepkg_yy import c\n"}
    )
    places = [(item["path"], item["line"], item["column"]) for item in run().json()["findings"]]
    assert places == [("a.py", 1, 6), ("b.py", 3, 3)]


def test_manifest_findings_have_one_based_columns(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), "requirements.txt": "requests\n"})
    repo.stage(
        {"pyproject.toml": PYPROJECT.format(new='    "leftpadx",\n'), "requirements.txt": "requests\nacme-zz>=1\n"}
    )
    places = {item["path"]: (item["line"], item["column"]) for item in run().json()["findings"]}
    assert places == {"pyproject.toml": (6, 6), "requirements.txt": (2, 1)}


def test_syntax_errors_are_where_python_reports_them(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage(
        {
            "a.py": "import os\ndef f(:\n    pass\nimport fakepkg_zz\n",
            "b.py": "import fakepkg_yy\nx = [\n",
        }
    )
    found = [(item["path"], item["code"], item["line"]) for item in run().json()["findings"]]
    assert found == [("a.py", "HC010", 2), ("a.py", "HC001", 4), ("b.py", "HC001", 1), ("b.py", "HC010", 2)]


# --- 8. SARIF for code scanning -----------------------------------------------------------------------


def test_sarif_rules_carry_their_documentation_and_no_placeholder_url(repo: Repo, run: Any) -> None:
    """Until the project has a published home, SARIF carries each rule's help itself and links nowhere."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"a.py": "import fakepkg_zz\n"})
    outcome = run("--format", "sarif", json_output=False)
    assert "github.com/OWNER" not in outcome.out and "Uri" not in outcome.out.replace("artifactLocation", "")
    driver = json.loads(outcome.out)["runs"][0]["tool"]["driver"]
    for rule in driver["rules"]:
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        assert "How to fix" in rule["help"]["text"], rule["id"]


def test_exit_zero_reports_but_never_blocks(repo: Repo, run: Any, tmp_path: Path) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"a.py": "import fakepkg_zz\n"})
    outcome = run("--exit-zero", "--format", "sarif", "--output", str(tmp_path / "out.sarif"), json_output=False)
    assert outcome.code == 0
    assert "HC001" in outcome.out
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "HC001"
