"""The GitHub Action (``action.yml``), run step by step as a runner would, against real repositories.

Each ``run:`` script is executed with bash the way GitHub runs a composite step (``bash --noprofile --norc -eo
pipefail``), with ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY`` and ``RUNNER_TEMP`` pointing at temporary files; ``${{
}}`` values are resolved from the action's inputs and earlier steps' outputs. The one ``uses:`` step (the SARIF
upload) is checked for the file it would upload.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Repo
from tests.test_precommit import HookSource, hook_source  # noqa: F401 - the fixture

ROOT = Path(__file__).parents[1]
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
_EXPRESSION = re.compile(r"^\$\{\{\s*(.+?)\s*\}\}$")
_CONDITION = re.compile(r"^(?P<left>[\w.-]+) (?P<op>==|!=) '(?P<right>[^']*)'$")
PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n'


@dataclass
class Run:
    """One run of the action: each step's outcome, its outputs, and the job summary."""

    inputs: dict[str, str]
    env: dict[str, str]
    cwd: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    failed: tuple[str, int] | None = None
    logs: dict[str, str] = field(default_factory=dict)

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.outputs.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"the test runner does not know the expression {expression!r}")

    def resolve(self, text: str) -> str:
        match = _EXPRESSION.match(text.strip())
        assert match or "${{" not in text, f"only whole-value expressions are supported: {text!r}"
        return self.value(match[1]) if match else text

    def condition(self, text: str | None) -> bool:
        if text is None:
            return True
        match = _CONDITION.match(text.strip())
        assert match, f"the test runner does not know the condition {text!r}"
        equal = self.value(match["left"]) == match["right"]
        return equal if match["op"] == "==" else not equal


def action_inputs(**overrides: str) -> dict[str, str]:
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    assert set(overrides) <= set(defaults), f"unknown inputs {set(overrides) - set(defaults)}"
    return {**defaults, **overrides}


def run_steps(run: Run, steps: list[dict[str, Any]], temp: Path) -> Run:
    """Run ``steps`` in order, as a runner does: a failed step ends the job; an ``if`` that is false skips one."""
    summary = Path(run.env["GITHUB_STEP_SUMMARY"])
    summary.touch()
    for index, step in enumerate(steps):
        if run.failed or not run.condition(step.get("if")):
            continue
        name = step.get("id", f"step{index}")
        run.ran.append(name)
        if "uses" in step:
            check_uses(run, step)
            continue
        output = temp / f"output-{name}"
        output.write_text("", encoding="utf-8")
        env = {**run.env, **{key: run.resolve(str(value)) for key, value in step.get("env", {}).items()},
               "GITHUB_OUTPUT": str(output)}  # fmt: skip
        script = temp / f"{name}.sh"
        script.write_text(step["run"], encoding="utf-8")
        assert step["shell"] == "bash"
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=run.cwd,
                              env=env, capture_output=True, text=True)  # fmt: skip
        run.logs[name] = done.stdout + done.stderr
        run.outputs[name] = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
        if done.returncode != 0:
            run.failed = (name, done.returncode)
    return run


def check_uses(run: Run, step: dict[str, Any]) -> None:
    """The SARIF upload: what it would upload is a SARIF 2.1.0 log of this run's findings."""
    assert step["uses"].startswith("github/codeql-action/upload-sarif@")
    sarif = json.loads(Path(run.resolve(step["with"]["sarif_file"])).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"] == "hallucheck"
    run.outputs["sarif-upload"] = {"results": ",".join(item["ruleId"] for item in sarif["runs"][0]["results"])}


def test_scripts_take_values_from_the_environment_only() -> None:
    """No `${{ }}` inside a script: a branch or input value can never become shell code."""
    for step in STEPS:
        assert "${{" not in step.get("run", ""), step.get("name")
        for value in step.get("env", {}).values():
            assert _EXPRESSION.match(str(value)), (step.get("name"), value)


def test_the_action_is_documented_beside_the_pre_commit_ci_recipe() -> None:
    text = (ROOT / "docs" / "modes-and-ci.md").read_text(encoding="utf-8")
    assert "uses: OWNER/hallucheck@" in text and "pre-commit.ci" in text
    for name in ACTION["inputs"]:
        assert f"`{name}`" in text, f"docs/modes-and-ci.md does not describe the input {name}"


# --- against real repositories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    hallucheck: str
    base_env: dict[str, str]


@pytest.fixture(scope="module")
def installed(hook_source: HookSource, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:  # noqa: F811
    """The install step, run once for the module: this project's files installed into a fresh venv."""
    temp = tmp_path_factory.mktemp("runner-temp")
    home = tmp_path_factory.mktemp("runner-home")
    env = {
        "PATH": os.environ["PATH"], "HOME": str(home), "RUNNER_TEMP": str(temp),
        "GITHUB_ACTION_PATH": str(hook_source.path), "PIP_CACHE_DIR": str(hook_source.pip_cache),
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    }  # fmt: skip
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE", "PIP_NO_INDEX"):
        if name in os.environ:
            env[name] = os.environ[name]
    run = Run(action_inputs(), {**env, "GITHUB_STEP_SUMMARY": str(temp / "summary.md")}, temp)
    run_steps(run, [step for step in STEPS if step.get("id") == "install"], temp)
    assert run.failed is None, run.logs
    yield Installed(run.outputs["install"]["hallucheck"], env)


def pull_request(tmp_path: Path, files: Mapping[str, str]) -> Path:
    """A repository on `origin` with `main`, and a shallow clone with a pull request branch on top (as checked out)."""
    upstream = Repo(tmp_path / "upstream")
    upstream.commit({"pyproject.toml": PYPROJECT, "app.py": "import requests\n"}, "base")
    upstream.commit({"README.md": "# app\n"}, "more history")
    upstream.git("checkout", "-q", "-b", "feature")
    upstream.commit(dict(files), "the pull request")
    upstream.git("checkout", "-q", "main")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(upstream.root), str(origin)], check=True)
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(checkout)],
                   check=True)  # fmt: skip
    return checkout


def run_action(installed: Installed, checkout: Path, tmp_path: Path, env: Mapping[str, str] | None = None,
               inputs: Mapping[str, str] | None = None) -> Run:  # fmt: skip
    temp = tmp_path / "runner"
    temp.mkdir()
    job_env = {**installed.base_env, "RUNNER_TEMP": str(temp), "GITHUB_STEP_SUMMARY": str(temp / "summary.md"),
               "GITHUB_BASE_REF": "main", **(env or {})}  # fmt: skip
    installed_outputs = {"install": {"hallucheck": installed.hallucheck}}
    run = Run(action_inputs(**(inputs or {})), job_env, checkout, outputs=installed_outputs)
    return run_steps(run, [step for step in STEPS if step.get("id") != "install"], temp)


def summary(run: Run) -> str:
    return Path(run.env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


RELAXED = {
    "app.py": "import requests\nfrom cryptoutils import secure_hash\n",
    "pyproject.toml": PYPROJECT + '\n[tool.hallucheck]\nignore = ["cryptoutils"]\n',
}


@pytest.mark.framework
def test_a_pull_request_that_relaxes_its_own_check_is_blocked(installed: Installed, tmp_path: Path) -> None:
    run = run_action(installed, pull_request(tmp_path, RELAXED), tmp_path)
    assert run.failed == ("gate", 1), run.logs
    assert run.outputs["check"]["status"] == "1"
    assert run.outputs["sarif-upload"]["results"].split(",").count("HC001") == 1
    text = summary(run)
    assert text.startswith("### hallucheck (range origin/main..HEAD): blocked: 1 error, 1 warning")
    table = text.split("What blocks, and what to do:", 1)[1].split("<details>", 1)[0]
    assert "| HC001 unknown-import |" in table and "`` app.py:2 ``" not in table and "` app.py:2 `" in table
    assert "| HC101 " in text.split("<details>", 1)[1]  # the relaxation, listed as not applied
    assert "HC001" in run.logs["check"]  # the text report in the job log


@pytest.mark.framework
def test_without_policy_from_base_the_relaxation_counts(installed: Installed, tmp_path: Path) -> None:
    run = run_action(installed, pull_request(tmp_path, RELAXED), tmp_path, inputs={"policy-from-base": "false"})
    assert run.failed is None, run.logs
    assert run.outputs["check"]["status"] == "0"
    assert "passed with warnings" in summary(run) and "| HC101 " in summary(run)


@pytest.mark.framework
def test_a_clean_pull_request_passes_without_uploading(installed: Installed, tmp_path: Path) -> None:
    checkout = pull_request(tmp_path, {"app.py": "import requests\nimport json\n"})
    run = run_action(installed, checkout, tmp_path, inputs={"upload-sarif": "false"})
    assert run.failed is None, run.logs
    assert run.ran == ["range", "check"]
    assert summary(run).startswith("### hallucheck (range origin/main..HEAD): 1 new import checked, all resolve.")


@pytest.mark.framework
def test_without_a_base_branch_the_job_fails_and_says_why(installed: Installed, tmp_path: Path) -> None:
    checkout = pull_request(tmp_path, {"app.py": "import requests\nimport json\n"})
    run = run_action(installed, checkout, tmp_path, env={"GITHUB_BASE_REF": ""})
    assert run.failed == ("range", 2)
    assert "no base branch" in run.logs["range"]


@pytest.mark.framework
def test_a_shallow_checkout_without_fetching_is_a_clear_error(installed: Installed, tmp_path: Path) -> None:
    checkout = pull_request(tmp_path, {"app.py": "import requests\nimport json\n"})
    run = run_action(installed, checkout, tmp_path, inputs={"fetch": "false"})
    assert run.failed is not None and run.failed[0] == "check", run.logs
    assert "fetch-depth: 0" in run.logs["check"] or "origin/main" in run.logs["check"]
