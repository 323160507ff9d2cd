"""Relaxations are never silent (issue 14 point 9, issue 16 "configuration in the same change").

A change that relaxes the check — an ignore, a mapping, a first-party name, a lower severity, a baseline entry,
an inline ``# hallucheck: ignore`` or an approval — shows it: in staged mode as a warning (HC101) where it lets
through something the same change adds; in range mode every relaxation the range makes is listed; with
``--policy-from-base`` the range's own policy changes do not apply at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n    "requests>=2",\n{deps}]\n{tool}'


def pyproject(deps: str = "", tool: str = "") -> str:
    return PYPROJECT.format(deps=deps, tool=f"\n[tool.hallucheck]\n{tool}" if tool else "")


def relaxations(outcome: Any) -> list[dict[str, Any]]:
    return [item for item in outcome.json()["findings"] if item["code"] == "HC101"]


def places(outcome: Any) -> list[tuple[str, str, int]]:
    return [(item["code"], item["path"], item["line"]) for item in outcome.json()["findings"]]


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": pyproject(), "app.py": "import requests\n"})
    return repo


# --- staged mode: a relaxation that lets through what the same change adds is a warning ----------


@pytest.mark.parametrize(
    ("tool", "words"),
    [
        ('ignore = ["fakepkg_*"]\n', "ignore"),
        ('mapping = { fakepkg_zz = "requests" }\n', "mapping"),
        ('first-party = ["fakepkg_zz"]\n', "first-party"),
        ('severity = { HC001 = "off" }\n', "severity"),
        ('severity = { HC001 = "warning" }\n', "severity"),
    ],
    ids=["ignore", "mapping", "first-party", "severity-off", "severity-warning"],
)
def test_config_relaxation_in_the_same_change_is_reported(project: Repo, run: Any, tool: str, words: str) -> None:
    deps = ""
    if words == "mapping":  # to a declared distribution the bundled module index does not describe
        deps = '    "attrs",\n'
        project.commit({"pyproject.toml": pyproject(deps)})
        tool = tool.replace("requests", "attrs")
    project.stage({"pyproject.toml": pyproject(deps, tool=tool), "new.py": "import fakepkg_zz\n"})
    outcome = run()
    assert outcome.code == 0
    [relaxed] = relaxations(outcome)
    assert relaxed["severity"] == "warning"
    assert (relaxed["path"], relaxed["line"]) == ("pyproject.toml", 10 if deps else 9)
    assert words in relaxed["message"] and "this change" in relaxed["message"]
    assert "HC001" in relaxed["message"] and "fakepkg_zz" in relaxed["message"] and "new.py:1" in relaxed["message"]


def test_inline_ignore_added_with_the_import_is_reported(project: Repo, run: Any) -> None:
    project.stage({"new.py": "import os\nimport fakepkg_zz  # hallucheck: ignore[HC001]\n"})
    outcome = run()
    assert (outcome.code, places(outcome)) == (0, [("HC101", "new.py", 2)])
    [relaxed] = relaxations(outcome)
    assert "# hallucheck: ignore[HC001]" in relaxed["message"] and "fakepkg_zz" in relaxed["message"]
    assert outcome.json()["summary"]["suppressed"] == 0


def test_inline_ignore_already_committed_stays_quiet(project: Repo, run: Any) -> None:
    project.commit({"old.py": "import fakepkg_zz  # hallucheck: ignore\n"})
    project.stage({"old.py": "import fakepkg_zz  # hallucheck: ignore\nimport requests\n"})
    assert places(run()) == []


def test_approval_in_the_same_change_is_reported(project: Repo, run: Any) -> None:
    project.stage(
        {
            "pyproject.toml": pyproject('    "leftpadx",\n', 'approved = { leftpadx = "leftpadx" }\n'),
            "new.py": "import leftpadx\n",
        }
    )
    outcome = run()
    assert outcome.code == 0
    [relaxed] = relaxations(outcome)
    assert (relaxed["path"], relaxed["line"]) == ("pyproject.toml", 10)
    message = relaxed["message"]
    assert "`leftpadx` approved in this change" in message
    assert "HC004" in message and "HC003" in message and "new.py:1" in message


def test_relaxation_committed_earlier_is_not_reported(project: Repo, run: Any) -> None:
    project.commit({"pyproject.toml": pyproject(tool='ignore = ["fakepkg_*"]\n')})
    project.stage({"new.py": "import fakepkg_zz\n"})
    outcome = run()
    assert (outcome.code, places(outcome)) == (0, [])


def test_relaxation_that_lets_nothing_through_yet_is_reported_at_commit(project: Repo, run: Any) -> None:
    # attack B10: the relaxation in one commit, the import it lets through in the next one
    tool = 'ignore = ["fakepkg_*"]\nmapping = { evil_x = "requests" }\nfirst-party = ["evil_mod"]\n'
    project.stage({"pyproject.toml": pyproject(tool=tool), "new.py": "import requests\n"})
    outcome = run()
    assert outcome.code == 0
    assert [item[0] for item in places(outcome)] == ["HC101"] * 3
    for relaxed in relaxations(outcome):
        assert relaxed["severity"] == "warning" and "lets through nothing this change adds" in relaxed["message"]
    assert "`fakepkg_*` added to `ignore`" in relaxations(outcome)[0]["message"]
    project.commit()
    project.stage({"later.py": "import evil_mod\n"})
    assert places(run()) == []  # shown once, when it was made


def test_command_line_relaxation_is_reported(project: Repo, run: Any) -> None:
    project.stage({"new.py": "import fakepkg_zz\n"})
    outcome = run("--ignore", "fakepkg_zz")
    [relaxed] = relaxations(outcome)
    assert (relaxed["path"], relaxed["line"]) == ("new.py", 1)
    assert "--ignore" in relaxed["message"]


def test_the_same_change_cannot_silence_the_report_of_its_relaxations(project: Repo, run: Any) -> None:
    tool = 'ignore = ["fakepkg_*"]\nseverity = { HC101 = "off" }\n'
    project.stage({"pyproject.toml": pyproject(tool=tool), "new.py": "import fakepkg_zz\n"})
    found = relaxations(run())
    assert [item["severity"] for item in found] == ["warning", "warning"]
    assert "lets through what this change adds" in found[0]["message"] and "HC101" in found[1]["message"]


def test_baseline_entry_added_with_the_import_hides_nothing(project: Repo, run: Any) -> None:
    entry = {"path": "new.py", "code": "HC001", "module": "fakepkg_zz", "distribution": "", "count": 1}
    baseline = json.dumps({"version": 1, "findings": [entry]})
    project.stage({".hallucheck-baseline.json": baseline, "new.py": "import fakepkg_zz\n"})
    outcome = run()
    assert outcome.code == 1
    assert "HC001" in [item["code"] for item in outcome.json()["findings"]]


# --- range mode: every relaxation the range makes is listed for the reviewer ------------------------


@pytest.fixture
def branch(project: Repo) -> Repo:
    """A feature branch that adds leftpadx, approves it, ignores a module and suppresses an import inline."""
    project.git("checkout", "-q", "-b", "feature")
    project.commit({"pyproject.toml": pyproject('    "leftpadx",\n'), "new.py": "import leftpadx\n"})
    project.commit({"pyproject.toml": pyproject('    "leftpadx",\n', 'approved = { leftpadx = "leftpadx" }\n')})
    project.commit(
        {
            "pyproject.toml": pyproject(
                '    "leftpadx",\n', 'approved = { leftpadx = "leftpadx" }\nignore = ["unused_*"]\n'
            ),
            "other.py": "import fakepkg_zz  # hallucheck: ignore\n",
        }
    )
    return project


def test_range_lists_every_relaxation_it_makes(branch: Repo, run: Any) -> None:
    outcome = run("main..feature")
    assert outcome.code == 0
    found = {(item["path"], item["line"]): item["message"] for item in relaxations(outcome)}
    assert set(found) == {("pyproject.toml", 10), ("pyproject.toml", 11), ("other.py", 1)}
    assert found[("pyproject.toml", 10)].startswith("`leftpadx` approved in this range by pyproject.toml:10")
    assert "unused_*" in found[("pyproject.toml", 11)]
    assert "fakepkg_zz" in found[("other.py", 1)]


def test_range_lists_baseline_entries_it_adds(project: Repo, run: Any) -> None:
    project.git("checkout", "-q", "-b", "feature")
    entry = {"path": "x.py", "code": "HC010", "module": "", "distribution": "", "count": 1}
    project.commit({".hallucheck-baseline.json": json.dumps({"version": 1, "findings": [entry]}, indent=2)})
    [relaxed] = relaxations(run("main..feature"))
    assert relaxed["path"] == ".hallucheck-baseline.json" and "HC010" in relaxed["message"]


def test_policy_from_base_ignores_the_range_own_relaxations(branch: Repo, run: Any) -> None:
    outcome = run("main..feature", "--policy-from-base")
    assert outcome.code == 1
    assert sorted(item["code"] for item in outcome.json()["findings"]) == ["HC001", "HC003", "HC004", "HC101", "HC101"]
    # Not applied, but still shown to the reviewer: merging the range would switch them on.
    found = {(item["path"], item["line"]): item["message"] for item in relaxations(outcome)}
    assert set(found) == {("pyproject.toml", 10), ("pyproject.toml", 11)}
    assert found[("pyproject.toml", 10)].startswith("`leftpadx` approved in this range by pyproject.toml:10")
    assert all("not applied: --policy-from-base" in message for message in found.values())


def test_policy_from_base_keeps_the_base_policy(project: Repo, run: Any) -> None:
    project.commit({"pyproject.toml": pyproject(tool='ignore = ["fakepkg_*"]\n')})
    project.git("checkout", "-q", "-b", "feature")
    project.commit({"new.py": "import fakepkg_zz\n"})
    outcome = run("main..feature", "--policy-from-base")
    assert (outcome.code, places(outcome)) == (0, [])


def test_baseline_entry_added_with_what_it_hides_is_reported(project: Repo, run: Any) -> None:
    entry = {"path": "bad.py", "code": "HC010", "module": "", "distribution": "", "count": 1}
    baseline = json.dumps({"version": 1, "findings": [entry]})
    project.stage({".hallucheck-baseline.json": baseline, "bad.py": "import os\ndef f(:\n    pass\n"})
    outcome = run()
    assert (outcome.code, places(outcome)) == (0, [("HC101", ".hallucheck-baseline.json", 0)])
    assert "baseline entry HC010 for bad.py" in relaxations(outcome)[0]["message"]
    assert outcome.json()["summary"]["baselined"] == 1
    blocked = run("--policy-from-base")
    assert (blocked.code, places(blocked)) == (1, [("HC010", "bad.py", 2)])


def test_an_added_manifests_setting_is_a_relaxation(project: Repo, run: Any) -> None:
    # The file existed already: what it declares counts from now on, for the base too (it is not "added"),
    # so the setting is what lets the import through, and the reviewer sees it.
    project.commit({"extras/deps.txt": "fakepkg-zz\n"})
    setting = pyproject(tool='manifests = ["extras/deps.txt"]\n')
    project.stage({"pyproject.toml": setting, "new.py": "import fakepkg_zz\n"})
    outcome = run()
    [relaxed] = relaxations(outcome)
    assert (relaxed["path"], relaxed["line"]) == ("pyproject.toml", 9)
    assert "`extras/deps.txt` added to `manifests`" in relaxed["message"]
    assert "HC001" in relaxed["message"] and "fakepkg_zz" in relaxed["message"]
    strict = run("--policy-from-base")
    assert "HC001" in strict.codes()


# --- attack B10: a mapping the module index contradicts, a baseline written ahead of the import ------------


def test_a_mapping_the_module_index_contradicts_is_not_a_silent_pass(project: Repo, run: Any) -> None:
    project.commit({"pyproject.toml": pyproject(tool='mapping = { fakepkg_zz = "requests" }\n')})
    project.stage({"new.py": "import fakepkg_zz\nimport requests.adapters\n"})
    outcome = run()
    assert outcome.code == 1 and places(outcome) == [("HC026", "new.py", 1)]
    [contradicted] = outcome.json()["findings"]
    assert "mapping says `fakepkg_zz` comes from `requests`" in contradicted["message"]
    assert "ships `requests`" in contradicted["message"] and "mapping" in contradicted["hint"]


@pytest.mark.parametrize("tool", ['mapping = { PIL = "pillow" }\n', 'mapping = { fakepkg_zz = "attrs" }\n'])
def test_a_mapping_the_index_agrees_with_or_cannot_judge_resolves(project: Repo, run: Any, tool: str) -> None:
    deps = '    "pillow",\n    "attrs",\n'
    project.commit({"pyproject.toml": pyproject(deps, tool=tool)})
    project.stage({"new.py": "import PIL\nimport fakepkg_zz\n" if "attrs" in tool else "import PIL\n"})
    assert places(run()) == []


def test_a_baseline_written_ahead_of_the_import_is_shown(project: Repo, run: Any) -> None:
    entries = [{"path": f"m{n}.py", "code": "HC001", "module": "fakepkg_zz", "distribution": "", "count": 1}
               for n in range(7)]  # fmt: skip
    project.stage({".hallucheck-baseline.json": json.dumps({"version": 1, "findings": entries})})
    outcome = run()
    assert outcome.code == 0
    [relaxed] = relaxations(outcome)
    assert relaxed["path"] == ".hallucheck-baseline.json"
    assert "7 baseline entries (HC001 `fakepkg_zz` for m0.py" in relaxed["message"]
    assert "and 2 more) added" in relaxed["message"] and "files mode" in relaxed["message"]


def test_a_relaxation_in_the_standalone_file_alone_is_shown(project: Repo, run: Any) -> None:
    project.stage({"hallucheck.toml": 'ignore = ["evil_*"]\n'})
    [relaxed] = relaxations(run())
    assert relaxed["path"] == "hallucheck.toml" and "`evil_*` added to `ignore`" in relaxed["message"]
