"""The review flow, second round (issue 24): approval follows the evidence, one step from a hint to a passing
commit, evidence for derived names, and the messages a newcomer stumbled on. Each through a real repository."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from hallucheck.commands.approve import hook_main
from hallucheck.commands.declare import DeclareError, add_to_pyproject, add_to_requirements, declare
from hallucheck.evidence import popular
from tests.conftest import Outcome, Repo

PYPROJECT = """\
# Project metadata (hand-written; keep the comments)
[project]
name = "app"
version = "1"
dependencies = [
    "requests>=2",  # HTTP
{new}]

[tool.ruff]
line-length = 100
"""


def command(repo: Repo, capsys: Any, *args: str, cwd: str = "") -> Outcome:
    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(repo.root / cwd)
    try:
        code = main(list(args))
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def hook(repo: Repo, capsys: Any, monkeypatch: pytest.MonkeyPatch, overrides: str = "") -> Outcome:
    """The `hallucheck-approve` hook's entry point, as pre-commit runs it (no arguments; the environment)."""
    capsys.readouterr()
    monkeypatch.chdir(repo.root)
    if overrides:
        monkeypatch.setenv("HALLUCHECK_OVERRIDE_ERROR", overrides)
    code = hook_main([])
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


# --- approval follows the evidence ---------------------------------------------------------------------


@pytest.fixture
def typosquat(repo: Repo, run: Any) -> Repo:
    """A staged change adding a typosquat (HC030) and a review-level name (HC004)."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"pyproject.toml": PYPROJECT.format(new='    "reqeusts",\n    "acme-weather",\n')})
    assert run().codes() == ["HC030", "HC004"]
    return repo


def test_approve_refuses_an_error_level_name_and_writes_nothing(typosquat: Repo, capsys: Any) -> None:
    before = (typosquat.root / "pyproject.toml").read_bytes()
    outcome = command(typosquat, capsys, "approve", "reqeusts")
    assert outcome.code == 1, outcome.out + outcome.err
    assert "HC030 [error] new dependency `reqeusts` looks like the popular `requests`" in outcome.out
    assert "not approved: `reqeusts` is an error (HC030), not a review" in outcome.out
    assert "`hallucheck approve reqeusts --override-error`" in outcome.out
    assert (typosquat.root / "pyproject.toml").read_bytes() == before


def test_override_prints_the_evidence_records_it_and_the_commit_passes_with_the_relaxation_shown(
    typosquat: Repo, run: Any, capsys: Any
) -> None:
    outcome = command(typosquat, capsys, "approve", "reqeusts", "acme-weather", "--override-error")
    assert outcome.code == 0, outcome.out + outcome.err
    assert "HC030 [error] new dependency `reqeusts` looks like" in outcome.out  # the evidence, printed
    assert "approved anyway (--override-error): the entry records that it overrides HC030" in outcome.out
    text = (typosquat.root / "pyproject.toml").read_text(encoding="utf-8")
    assert text == PYPROJECT.format(new='    "reqeusts",\n    "acme-weather",\n') + (
        '\n[tool.hallucheck.approved]\nreqeusts = "reqeusts"  # overrides HC030 (an error): approved by name with '
        '--override-error\nacme-weather = "acme-weather"\n'
    )
    typosquat.git("add", "pyproject.toml")
    result = run()
    assert (result.code, result.codes()) == (0, ["HC101", "HC101"])  # each approval in the change, shown
    shown = [item["message"] for item in result.json()["findings"]]
    assert any("`reqeusts`" in message for message in shown)


def test_all_added_approves_reviews_refuses_errors_and_says_how_to_override(
    typosquat: Repo, run: Any, capsys: Any
) -> None:
    outcome = command(typosquat, capsys, "approve", "--all-added")
    assert outcome.code == 1, outcome.out + outcome.err  # not a usage error: something was refused
    assert "approved acme-weather (`acme-weather`)" in outcome.out
    refused = next(line for line in outcome.out.splitlines() if "not approved" in line)
    assert refused.count("(") == refused.count(")") and "((" not in refused
    assert "reqeusts" not in (typosquat.root / "pyproject.toml").read_text(encoding="utf-8").split("[tool")[-1]


def test_the_hook_refuses_errors_and_takes_overrides_by_name_from_the_environment(
    typosquat: Repo, run: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = hook(typosquat, capsys, monkeypatch)
    assert refused.code == 1
    assert "HALLUCHECK_OVERRIDE_ERROR=reqeusts pre-commit run hallucheck-approve --hook-stage manual" in refused.out
    assert refused.out.index("HALLUCHECK_OVERRIDE_ERROR=") < refused.out.index("hallucheck approve reqeusts")
    overridden = hook(typosquat, capsys, monkeypatch, overrides="reqeusts")
    assert overridden.code == 0, overridden.out
    assert "overrides HC030" in (typosquat.root / "pyproject.toml").read_text(encoding="utf-8")
    typosquat.git("add", "pyproject.toml")
    assert run().codes() == ["HC101", "HC101"]


@pytest.mark.parametrize(("name", "code"), [("huggingface-cli", "HC031"), ("yaml", "HC032")])
def test_other_error_levels_are_refused_too(repo: Repo, run: Any, capsys: Any, name: str, code: str) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"pyproject.toml": PYPROJECT.format(new=f'    "{name}",\n')})
    assert run().codes() == [code]
    outcome = command(repo, capsys, "approve", name)
    assert outcome.code == 1 and f"is an error ({code})" in outcome.out
    assert command(repo, capsys, "approve", name, "--force").code == 1  # --force is not the override


def test_override_needs_names(typosquat: Repo, capsys: Any) -> None:
    outcome = command(typosquat, capsys, "approve", "--all-added", "--override-error")
    assert outcome.code == 2 and "an error is approved only by name" in outcome.err


# --- one step from a hint to a passing commit ----------------------------------------------------------


def test_declare_shows_the_edit_writes_it_byte_for_byte_and_approves(repo: Repo, run: Any, capsys: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"vision.py": "import cv2\n"})
    assert run().codes() == ["HC002"]
    outcome = command(repo, capsys, "approve", "--declare", "opencv-python")
    assert outcome.code == 0, outcome.out + outcome.err
    lines = outcome.out.splitlines()
    assert lines[0] == "declaring `opencv-python` in pyproject.toml:"
    assert '+    "opencv-python",' in lines and lines.index('+    "opencv-python",') < len(lines) - 2
    assert lines[-2:] == [
        "approved opencv-python (`opencv-python`) in pyproject.toml [tool.hallucheck.approved]",
        "next: git add pyproject.toml",
    ]
    assert (repo.root / "pyproject.toml").read_text(encoding="utf-8") == PYPROJECT.format(
        new='    "opencv-python",\n'
    ) + '\n[tool.hallucheck.approved]\nopencv-python = "opencv-python"\n'
    repo.git("add", "pyproject.toml")
    outcome = run()
    assert (outcome.code, outcome.codes()) == (0, ["HC101"])


def test_declare_in_a_requirements_project_writes_text_and_a_standalone_approval(
    repo: Repo, run: Any, capsys: Any
) -> None:
    repo.commit({"requirements.txt": "requests>=2  # http\n"})
    repo.stage({"vision.py": "import cv2\n"})
    outcome = command(repo, capsys, "approve", "--declare", "opencv-python>=4")
    assert outcome.code == 0, outcome.out + outcome.err
    assert (repo.root / "requirements.txt").read_text() == "requests>=2  # http\nopencv-python>=4\n"
    assert (repo.root / "hallucheck.toml").read_text() == '[approved]\nopencv-python = "opencv-python>=4"\n'
    assert outcome.out.splitlines()[-1] == "next: git add requirements.txt hallucheck.toml"
    repo.git("add", "requirements.txt", "hallucheck.toml")
    assert run().code == 0


def test_declare_goes_to_the_project_of_the_current_directory(repo: Repo, run: Any, capsys: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), "libs/core/pyproject.toml": PYPROJECT.format(new="")})
    outcome = command(repo, capsys, "approve", "--declare", "opencv-python", cwd="libs/core")
    assert outcome.code == 0, outcome.out + outcome.err
    assert '"opencv-python"' in (repo.root / "libs/core/pyproject.toml").read_text()
    assert '"opencv-python",\n]' not in (repo.root / "pyproject.toml").read_text()


@pytest.mark.parametrize("entry", ["reqs/base.txt:.", "reqs/base.txt:app", "reqs/base.txt"])
def test_declare_writes_to_the_requirements_file_the_manifests_setting_makes_count(
    repo: Repo, run: Any, capsys: Any, entry: str
) -> None:
    # A pyproject.toml that only configures tools, with `manifests = ["reqs/base.txt:."]` (deptry's --config
    # layout): the HC002 hint says `approve --declare pyyaml`, which refused ("no [project] table and no
    # requirements.txt") instead of declaring where the project lists its dependencies.
    base = "reqs/base.txt" if ":" in entry else "base.txt"
    manifest = entry if ":" in entry else base
    repo.commit({"pyproject.toml": f'[tool.hallucheck]\nmanifests = ["{manifest}"]\n', base: "requests\n",
                 "app/__init__.py": "", "app/a.py": "import requests\n"})
    repo.stage({"app/a.py": "import requests\nimport yaml\n"})
    assert run().codes() == ["HC002"]
    outcome = command(repo, capsys, "approve", "--declare", "pyyaml")
    assert outcome.code == 0, outcome.out + outcome.err
    assert outcome.out.splitlines()[0] == f"declaring `pyyaml` in {base}:"
    assert (repo.root / base).read_text() == "requests\npyyaml\n"
    repo.git("add", base, "pyproject.toml")
    outcome = run()
    assert (outcome.code, outcome.codes()) == (0, ["HC101"])


def test_declare_refuses_an_error_level_name(repo: Repo, capsys: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    before = (repo.root / "pyproject.toml").read_bytes()
    outcome = command(repo, capsys, "approve", "--declare", "reqeusts")
    assert outcome.code == 1 and "is an error (HC030)" in outcome.out
    assert (repo.root / "pyproject.toml").read_bytes() == before


DECLARE_CASES = {
    "multi-line with trailing comma": (
        '[project]\nname = "x"\ndependencies = [\n    "a",\n]\n', '[project]\nname = "x"\ndependencies = [\n'
        '    "a",\n    "new",\n]\n',
    ),
    "one line": ('[project]\ndependencies = ["a"]  # keep\n', '[project]\ndependencies = ["a", "new"]  # keep\n'),
    "no dependencies key": ('[project]\nname = "x"\n\n[tool.x]\ny = 1\n',
                            '[project]\nname = "x"\ndependencies = ["new"]\n\n[tool.x]\ny = 1\n'),
    "CRLF": ('[project]\r\ndependencies = [\r\n    "a",\r\n]\r\n',
             '[project]\r\ndependencies = [\r\n    "a",\r\n    "new",\r\n]\r\n'),
}  # fmt: skip


@pytest.mark.parametrize(("original", "expected"), DECLARE_CASES.values(), ids=list(DECLARE_CASES))
def test_pyproject_declarations_keep_every_other_byte(original: str, expected: str) -> None:
    assert add_to_pyproject(original, ["new"]) == expected


def test_requirements_declarations_and_where_they_go() -> None:
    assert add_to_requirements("a\nb", ["new"]) == "a\nb\nnew\n"
    assert add_to_requirements(None, ["new"]) == "new\n"
    assert add_to_requirements("a\r\n", ["new"]) == "a\r\nnew\r\n"
    files = {
        "pyproject.toml": '[project]\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\n'
        'dependencies = {file = ["reqs/base.txt"]}\n',
        "reqs/base.txt": "a\n",
    }
    edit = declare(files.get, "", ["new"])
    assert (edit.path, edit.after) == ("reqs/base.txt", "a\nnew\n")
    with pytest.raises(DeclareError, match="no \\[project\\] table"):
        declare({"pyproject.toml": "[tool.poetry]\nname = 'x'\n"}.get, "", ["new"])


# --- evidence names what a derived name is derived from ------------------------------------------------

DERIVED = {
    "sklearnkit": "looks built from `sklearn` (the import name of `scikit-learn`, #179 by downloads) + `kit`",
    "pandas_pro": "looks built from `pandas` (#37 by downloads) + `pro`",
    "requestsutils": "looks built from `requests` (#6 by downloads) + `utils`",
    "nltk_utils": "looks built from `nltk` (#457 by downloads) + `utils`",
    "bssoup4": "looks blended from `bs4` and `beautifulsoup4` (`bs` + `soup4`), two names of `beautifulsoup4`",
    "plotmatlib": "looks like `matplotlib` (#169 by downloads) with `plot` and `mat` swapped",
}


def test_derived_names_name_what_they_are_built_from(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"pyproject.toml": PYPROJECT.format(new="".join(f'    "{name}",\n' for name in DERIVED))})
    findings = run().json()["findings"]
    assert [item["code"] for item in findings] == ["HC004"] * len(DERIVED)
    for item, expected in zip(findings, DERIVED.values(), strict=True):
        assert expected[0].upper() + expected[1:] in item["message"], item["message"]
        assert "; not among the 15,000 most downloaded distributions" in item["message"]


@pytest.mark.parametrize("name", ["requests", "acme", "leftpadx", "reqeusts", "python-dateutil"])
def test_popular_and_unrelated_names_are_not_called_derived(name: str) -> None:
    derived = popular.derivation(name)
    assert derived is None or name == "acme"  # `acme` is itself popular: never derived


def test_known_hallucination_names_the_documented_real_package(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"pyproject.toml": PYPROJECT.format(new='    "huggingface-cli",\n')})
    [item] = run().json()["findings"]
    assert item["code"] == "HC031"
    assert "Did you mean `huggingface_hub[cli]` (what the real project documents)?" in item["message"]
    assert "Declare `huggingface_hub[cli]` instead" in item["hint"]
    assert popular.documented_real("ultrajson") == "ujson" and popular.documented_real("godot-python") is None


# --- words -----------------------------------------------------------------------------------------------


def test_explain_import_names_no_placeholder(repo: Repo, capsys: Any) -> None:
    repo.commit({"pyproject.toml": '[project]\nname = "app"\nversion = "1"\n[dependency-groups]\ndev = ["numpy"]\n',
                 "src/app/__init__.py": ""})  # fmt: skip
    for args in ((), ("--path", "src/app")):
        outcome = command(repo, capsys, "explain-import", "numpy", *args)
        assert "__hallucheck__" not in outcome.out and "<file>" not in outcome.out, outcome.out
        where = "a new module in src/app/" if args else "a new module at the repository root"
        assert f"but {where} is not a test, docs or tooling file" in outcome.out


def test_demo_does_not_print_the_path_it_deletes_and_help_is_plain(capsys: Any) -> None:
    assert main(["demo"]) == 1
    out = capsys.readouterr().out
    assert "Running `hallucheck` in a temporary repository (deleted afterwards; --keep keeps it):" in out
    assert "hallucheck-demo-" not in out
    assert main(["demo", "--help"]) == 0
    assert "``" not in capsys.readouterr().out


def test_check_help_is_its_own_and_exit_zero_help_says_what_still_fails(capsys: Any) -> None:
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: hallucheck check [OPTIONS] PATH...") and "--from-ref" not in out
    assert main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "exit 0 even when findings block (a usage error or a failure to run still exits 2)" in out


def test_show_config_says_which_version_it_read(repo: Repo, capsys: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="") + "\n[tool.hallucheck]\nignore = ['x']\n"})
    outcome = command(repo, capsys, "--show-config")
    assert outcome.out.startswith(
        "# hallucheck configuration: read from pyproject.toml [tool.hallucheck], as staged (the index);"
    )
    assert "(index)" not in outcome.out


def test_explain_shows_unchanged_context_files_as_context_not_deletions(capsys: Any) -> None:
    assert main(["explain", "HC022"]) == 0
    out = capsys.readouterr().out
    assert "@@ -1,6 +0,0 @@" not in out and "@@ -1,6 +1,6 @@" in out
    assert '     "scikit-learn",' in out


def test_the_json_report_schema_is_unchanged(repo: Repo, run: Any) -> None:
    """The JSON report keeps its schema (the field the approve hook reads is internal)."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"a.py": "import cryptoutils\n"})
    assert "declare" not in run().json()["findings"][0]


# --- hints that lead to a passing commit in one step -----------------------------------------------------


def test_hc002_hint_declares_and_the_hook_does_it_all(
    repo: Repo, run: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HC002 "declare opencv-python" used to lead into HC003 + HC004: the hook now declares and approves."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"vision.py": "import cv2\n", "tests/test_vision.py": "import pytest\n"})
    [test, vision] = run().json()["findings"]
    assert (test["code"], vision["code"]) == ("HC007", "HC002")
    assert "`hallucheck approve --declare opencv-python`" in vision["hint"]
    assert "`hallucheck approve --declare --dev pytest`" in test["hint"]
    assert "for development (tests, docs, tooling)" in test["hint"]
    outcome = hook(repo, capsys, monkeypatch)
    assert outcome.code == 0, outcome.out
    text = (repo.root / "pyproject.toml").read_text(encoding="utf-8")
    assert text == PYPROJECT.format(new='    "opencv-python",\n') + (  # approvals join the [tool] tables
        '\n[tool.hallucheck.approved]\npytest = "pytest"\nopencv-python = "opencv-python"\n'
        '\n[dependency-groups]\ndev = ["pytest"]\n'
    ), text
    assert outcome.out.index('+    "opencv-python",') < outcome.out.index("approved opencv-python")
    repo.git("add", "pyproject.toml")
    result = run()
    assert (result.code, result.codes()) == (0, ["HC101", "HC101"])


def test_hint_names_the_pre_commit_command_first_under_pre_commit(
    repo: Repo, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"vision.py": "import cv2\n", "pyproject.toml": PYPROJECT.format(new='    "acme-weather",\n')})
    plain = {item["code"]: item["hint"] for item in run().json()["findings"]}
    monkeypatch.setenv("PRE_COMMIT", "1")
    hooked = {item["code"]: item["hint"] for item in run("vision.py", "pyproject.toml").json()["findings"]}
    hook_command = "`pre-commit run hallucheck-approve --hook-stage manual`"
    for code in ("HC002", "HC004"):
        assert plain[code].index("`hallucheck approve") < plain[code].index(hook_command), code
        assert hooked[code].index(hook_command) < hooked[code].index("`hallucheck approve"), code
    assert "under `[tool.hallucheck.approved]` in pyproject.toml" in plain["HC004"]


def test_approval_hints_name_the_table_approve_writes(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n", "hallucheck.toml": "ignore = []\n"})
    repo.stage({"requirements.txt": "requests\nacme-weather\n"})
    [item] = run().json()["findings"]
    assert "under `[approved]` in hallucheck.toml" in item["hint"]
    assert "[tool.hallucheck.approved]" not in item["hint"]


def test_stale_path_names_the_distribution_to_declare_and_the_hook_declares_it(
    repo: Repo, run: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new='    "langchain>=1",\n')})
    repo.stage({"chat.py": "from langchain.chat_models import ChatOpenAI\n"})
    [item] = run().json()["findings"]
    assert item["code"] == "HC022" and "it is in `langchain-openai`" in item["hint"]
    assert "`hallucheck approve --declare langchain-openai`" in item["hint"]
    assert hook(repo, capsys, monkeypatch).code == 0
    repo.stage({"chat.py": "from langchain_openai import ChatOpenAI\n"})
    repo.git("add", "pyproject.toml")
    result = run()
    assert (result.code, result.codes()) == (0, ["HC101"])


def test_a_stale_path_replaced_by_the_standard_library_declares_nothing(repo: Repo, run: Any) -> None:
    """Attack E13: `pkg_resources` left setuptools for importlib.metadata; the hint said "declare `importlib`"
    (an obsolete Python 2 backport on the index)."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new='    "setuptools",\n')})
    repo.stage({"app.py": "import pkg_resources\n"})
    [item] = run().json()["findings"]
    assert item["code"] == "HC022" and "importlib.metadata" in item["message"]
    assert "declare" not in item["hint"].lower() and item.get("declare") is None


def test_declared_distributions_provide_their_differently_named_modules(repo: Repo, run: Any) -> None:
    """Attack E12/E19/F20: each import is what the declared distribution installs (checked in its wheel)."""
    names = ("pyxdg", "jupyter-core", "pyjks", "nvidia-cuda-runtime-cu12", "sorl-thumbnail", "django-q2",
             "django-sql-explorer")
    declared = "".join(f'    "{name}",\n' for name in names)
    repo.commit({"pyproject.toml": PYPROJECT.format(new=declared)})
    repo.stage({"app.py": "import xdg.BaseDirectory\nimport jupyter\nimport jks\nimport nvidia.cuda_runtime\n"
                          "import sorl.thumbnail\nimport django_q\nimport explorer\n"})
    outcome = run()
    assert (outcome.code, outcome.codes()) == (0, [])


def test_an_undeclared_stale_path_leads_to_the_replacement_not_into_hc022(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"chat.py": "from langchain.chat_models import ChatOpenAI\n"})
    [item] = run().json()["findings"]
    assert item["code"] == "HC007" and "`langchain` no longer has this path" in item["message"]
    assert "`hallucheck approve --declare langchain-openai`" in item["hint"]


def test_hc007_names_the_distribution_and_keeps_test_advice_for_tests(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage({"app.py": "import langchain_openai\n"})
    [item] = run().json()["findings"]
    assert "declare `langchain-openai` (#415 by downloads), the established distribution of that name" in (
        item["message"]
    )
    assert "named `langchain_openai`" not in item["message"]
    assert "test" not in item["hint"] and "tox" not in item["hint"]


def test_hc008_hint_does_not_assume_tox(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": '[project]\nname = "app"\nversion = "1"\n[dependency-groups]\ndev = ["numpy"]\n'})
    repo.stage({"src/app/core.py": "import numpy\n"})
    [item] = run().json()["findings"]
    assert item["code"] == "HC008" and "tox" not in item["hint"]
    assert "`hallucheck approve --declare numpy`" in item["hint"]


@pytest.mark.parametrize("guarded", [True, False])
def test_a_pypy_builtin_is_neither_invented_nor_declarable(repo: Repo, run: Any, guarded: bool) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    code = "try:\n    import __pypy__\nexcept ImportError:\n    __pypy__ = None\n" if guarded else "import __pypy__\n"
    repo.stage({"speed.py": code})
    findings = run().json()["findings"]
    if guarded:
        assert findings == []
    else:
        [item] = findings
        assert "built into PyPy only" in item["message"] and "hallucinated" not in item["message"]


def test_declare_follows_the_finding_to_its_project_and_role(repo: Repo, run: Any, capsys: Any) -> None:
    """The hint's command, typed at the repository root, declares where the import needs it."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), "libs/core/pyproject.toml": PYPROJECT.format(new=""),
                 "libs/core/core/__init__.py": ""})  # fmt: skip
    repo.stage({"libs/core/core/vision.py": "import cv2\n", "tests/test_app.py": "import pytest\n"})
    assert run().codes() == ["HC002", "HC007"]
    outcome = command(repo, capsys, "approve", "--declare", "opencv-python", "pytest")
    assert outcome.code == 0, outcome.out + outcome.err
    assert '    "opencv-python",\n]' in (repo.root / "libs/core/pyproject.toml").read_text()
    root = (repo.root / "pyproject.toml").read_text()
    assert '[dependency-groups]\ndev = ["pytest"]\n' in root and "opencv" not in root.split("[tool.hallucheck")[0]
    repo.git("add", "pyproject.toml", "libs/core/pyproject.toml")
    result = run()
    assert result.code == 0, result.out


def test_a_typosquat_hint_fixes_manifest_and_import_in_one_pass(repo: Repo, run: Any) -> None:
    """The newcomer's typosquat: `reqeusts` declared beside `requests` and imported. Following the HC030 and HC003
    hints once (remove the look-alike line, import the real module) reaches a passing commit."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), "app/__init__.py": ""})
    repo.stage({"pyproject.toml": PYPROJECT.format(new='    "reqeusts",\n'), "app/net.py": "import reqeusts\n"})
    findings = {item["code"]: item for item in run().json()["findings"]}
    assert "replace `reqeusts` with it in the manifest (or remove the line if `requests` is declared already)" in (
        findings["HC030"]["hint"])
    assert "import `requests` where it imports `reqeusts`" in findings["HC030"]["hint"]
    assert "instead of `reqeusts`" in findings["HC003"]["hint"]
    repo.stage({"pyproject.toml": PYPROJECT.format(new=""), "app/net.py": "import requests\n"})
    assert run().code == 0
