"""Reporters: golden files for every format, the SARIF 2.1.0 schema, colour, verbosity and --output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hallucheck.findings import RULES, Finding, Severity, finding
from hallucheck.report import formats as report
from tests.conftest import Repo

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("HALLUCHECK_UPDATE_GOLDEN") == "1"

FINDINGS = [
    finding(
        "HC001", "app.py", 2, 6,
        "`from cryptoutils import secure_hash`: no declared dependency or known distribution provides "
        "`cryptoutils`; it may be hallucinated",
        "Check the name. If the package is real, declare the distribution that provides it.",
        module="cryptoutils",
    ),
    finding(
        "HC003", "src/hub, odd:name.py", 1, 8,
        "`import huggingface_cli` is served only by `huggingface-cli`, a dependency added in this change",
        "Check that `huggingface-cli` is the real package you meant, then approve it.",
        module="huggingface_cli", distribution="huggingface-cli",
    ),
    finding(
        "HC004", "pyproject.toml", 6, 0,
        "new dependency `huggingface-cli` (`huggingface-cli>=0.1`) added in this change",
        "A human must confirm it is the real package (100% sure?)\n"
        "then run `hallucheck approve huggingface-cli`.",
        distribution="huggingface-cli",
    ),
    Finding(
        "HC011", Severity.WARNING, "requirements.txt", 3, 0,
        "cannot read requirements.txt: invalid requirement 'x==' (fixed by this change)",
        "Fix the manifest.",
    ),
    finding(
        "HC100", "café dir/b.py", 4, 18,
        "unused suppression `# hallucheck: ignore`: nothing is reported here",
        "Remove the comment.",
    ),
]  # fmt: skip


def rendered(fmt: str) -> str:
    return report.render(
        report.Report(FINDINGS, checked=7, mode="range", suppressed=1, baselined=2, range=("main", "HEAD")), fmt
    )


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path} is out of date; rerun with HALLUCHECK_UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.fixture(autouse=True)
def _fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "__version__", "0.0.0-test")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("text", "report.txt"),
        ("json", "report.json"),
        ("sarif", "report.sarif"),
        ("github", "report.github.txt"),
    ],
)
def test_golden_files(fmt: str, name: str) -> None:
    golden(name, rendered(fmt))


def sarif_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_sarif_is_valid_against_the_shipped_schema() -> None:
    errors = [error.message for error in sarif_validator().iter_errors(json.loads(rendered("sarif")))]
    assert errors == []


def test_sarif_schema_check_can_fail() -> None:
    document = json.loads(rendered("sarif"))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    document["runs"][0]["results"][1]["level"] = "review"
    assert len(list(sarif_validator().iter_errors(document))) == 2


def test_sarif_has_one_rule_per_code_with_help() -> None:
    run = json.loads(rendered("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for rule in rules:
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {result["ruleId"]: result["level"] for result in run["results"]}
    assert levels == {
        "HC001": "error",
        "HC003": "error",
        "HC004": "error",
        "HC011": "warning",
        "HC100": "warning",
    }


def test_sarif_locations_are_uri_references() -> None:
    results = json.loads(rendered("sarif"))["runs"][0]["results"]
    uris = [result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results]
    assert "src/hub%2C%20odd%3Aname.py" in uris and "caf%C3%A9%20dir/b.py" in uris
    whole_line = next(result for result in results if result["ruleId"] == "HC004")
    assert "startColumn" not in whole_line["locations"][0]["physicalLocation"]["region"]


def test_json_matches_the_documented_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (Path(__file__).parents[1] / "docs" / "report-schema.json").read_text(encoding="utf-8")
    )
    jsonschema.validate(json.loads(rendered("json")), schema)


def test_github_commands_escape_properties_and_data() -> None:
    lines = rendered("github").splitlines()
    hub = next(line for line in lines if "HC003" in line)
    assert hub.startswith("::error file=src/hub%2C odd%3Aname.py,line=1,col=8,title=HC003 ")
    manifest = next(line for line in lines if "HC004" in line)
    assert ",col=" not in manifest and "(100%25 sure?)%0Athen run" in manifest
    assert next(line for line in lines if "HC011" in line).startswith("::warning ")
    assert lines[-1].startswith("hallucheck (range main..HEAD): blocked")


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": ""}, False),
        (False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (True, {"TERM": "dumb"}, False),
    ],
)
def test_colour_follows_the_terminal_and_no_color_force_color(
    tty: bool, environ: dict[str, str], expected: bool
) -> None:
    assert report.use_color(_Terminal(tty), environ) is expected  # type: ignore[arg-type]


def test_colour_codes_only_when_asked() -> None:
    coloured = report.render(report.Report(FINDINGS, checked=7), "text", color=True)
    assert "\x1b[1;31mHC001\x1b[0m" in coloured and "\x1b[" not in rendered("text")


def test_quiet_keeps_only_blocking_findings() -> None:
    quiet = report.render(report.Report(FINDINGS, checked=7), "text", quiet=True)
    assert "HC011" not in quiet and "HC100" not in quiet and "HC001" in quiet and "HC004" in quiet
    warnings_only = [item for item in FINDINGS if not item.blocks]
    assert report.render(report.Report(warnings_only, checked=1), "text", quiet=True) == ""


# --- through the command line, on real repositories ------------------------------------------


def test_output_file_gets_the_format_and_the_terminal_gets_text(repo: Repo, run: Any, tmp_path: Path) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"app.py": "import requests\nimport cryptoutils\n"})
    target = tmp_path / "out" / "hallucheck.sarif"
    target.parent.mkdir()
    outcome = run("--format", "sarif", "--output", str(target), json_output=False)
    assert outcome.code == 1
    assert outcome.out.startswith("app.py:2:8: HC001 [error]")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [result["ruleId"] for result in document["runs"][0]["results"]] == ["HC001"]


def test_sarif_from_a_real_run_is_valid(repo: Repo, run: Any) -> None:
    validator = sarif_validator()
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage(
        {
            "requirements.txt": "requests\nrich\n",
            "dir with space/ü.py": "import cryptoutils\nimport os  # hallucheck: ignore\n",
        }
    )
    document = json.loads(run("--format", "sarif", json_output=False).out)
    assert sorted(result["ruleId"] for result in document["runs"][0]["results"]) == [
        "HC001",
        "HC004",
        "HC100",
    ]
    assert list(validator.iter_errors(document)) == []


def test_unwritable_output_fails_closed(repo: Repo, run: Any, tmp_path: Path) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"app.py": "import os\n"})
    outcome = run("--output", str(tmp_path / "missing" / "report.json"), json_output=False)
    assert outcome.code == 2 and "cannot write the report" in outcome.err and "Traceback" not in outcome.err


def test_verbose_explains_each_resolution(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "PyYAML\n", "pkg/__init__.py": ""})
    repo.stage({"app.py": "import os\nimport yaml\nimport pkg\n"})
    text = run("-v", json_output=False).out
    assert "app.py:1:8: import os -> stdlib: standard library of Python" in text
    assert "app.py:2:8: import yaml -> declared `pyyaml`: declared dependency (bundled mapping)" in text
    assert "app.py:3:8: import pkg -> first-party: first-party code at pkg/" in text
    imports = run("-v").json()["imports"]
    assert [(entry["module"], entry["origin"]) for entry in imports] == [
        ("os", "stdlib"), ("yaml", "declared"), ("pkg", "first-party"),
    ]  # fmt: skip
    assert "imports" not in run().json()


def test_verbose_json_matches_the_documented_schema(repo: Repo, run: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (Path(__file__).parents[1] / "docs" / "report-schema.json").read_text(encoding="utf-8")
    )
    repo.commit({"requirements.txt": "", "app.py": "import cryptoutils  # hallucheck: ignore\n"})
    repo.stage({"app.py": "import os\nimport cryptoutils  # hallucheck: ignore\nimport fakemod\n"})
    document = run("-v", "--all-files").json()
    jsonschema.validate(document, schema)
    assert document["summary"]["suppressed"] == 1


def test_quiet_clean_run_prints_nothing(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"app.py": "import os\n"})
    outcome = run("-q", json_output=False)
    assert (outcome.code, outcome.out) == (0, "")


def test_force_color_and_no_color_reach_the_terminal(
    repo: Repo, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"app.py": "import cryptoutils\n"})
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(json_output=False).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(json_output=False).out


def test_github_format_from_the_command_line(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nrich\n"})
    outcome = run("--format", "github", json_output=False)
    assert outcome.code == 1
    assert outcome.out.splitlines()[0].startswith("::error file=requirements.txt,line=2,col=1,title=HC004 ")
