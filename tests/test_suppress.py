"""Suppression comments: every form, on Python statements and manifest lines, and unused suppressions."""

from __future__ import annotations

from typing import Any

import pytest

from hallucheck.sources.directives import parse_directives
from tests.conftest import Repo


def findings(outcome: Any) -> list[tuple[str, int]]:
    """Findings left, less HC101: a suppression comment added in the change is shown, not silent."""
    return [(f["code"], f["line"]) for f in outcome.json()["findings"] if f["code"] != "HC101"]


def shown(outcome: Any) -> list[int]:
    """Lines of the suppression comments this change adds that hid something (HC101 warnings)."""
    return [f["line"] for f in outcome.json()["findings"] if f["code"] == "HC101"]


def check_file(repo: Repo, run: Any, source: str, *args: str, base: str | None = None) -> Any:
    repo.commit({"requirements.txt": "requests\n", **({"app.py": base} if base is not None else {})})
    repo.stage({"app.py": source})
    return run(*args)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import cryptoutils  # hallucheck: ignore\n", []),
        ("import cryptoutils  # hallucheck: ignore[HC001]\n", []),
        ("import cryptoutils  # hallucheck: ignore[unknown-import]\n", []),
        ("import cryptoutils  # hallucheck: ignore[HC002, HC001]\n", []),
        ("import cryptoutils  #hallucheck:ignore[hc001] optional reason\n", []),
        ("import cryptoutils  # noqa: F401  # hallucheck: ignore\n", []),
        ("import cryptoutils  # Hallucheck: ignore\n", []),
        ("import os, cryptoutils  # hallucheck: ignore\n", []),
        ("try:\n    import cryptoutils  # hallucheck: ignore\nexcept KeyError:\n    pass\n", []),
        ("import cryptoutils  # hallucheck: ignore[HC002]\n", [("HC001", 1), ("HC100", 1)]),
        ("# hallucheck: ignore\nimport cryptoutils\n", [("HC100", 1), ("HC001", 2)]),
        ("import cryptoutils\n# hallucheck: ignore\n", [("HC001", 1), ("HC100", 2)]),
        ("import cryptoutils; x = '# hallucheck: ignore'\n", [("HC001", 1)]),
        ('"""Say # hallucheck: ignore in a docstring."""\nimport cryptoutils\n', [("HC001", 2)]),
    ],
)
def test_forms_on_one_line(repo: Repo, run: Any, source: str, expected: list[tuple[str, int]]) -> None:
    outcome = check_file(repo, run, source)
    assert findings(outcome) == expected
    assert bool(shown(outcome)) == (not expected) and outcome.code == (1 if expected else 0)


@pytest.mark.parametrize("line", [1, 2, 3, 4])
def test_any_line_of_a_multiline_statement(repo: Repo, run: Any, line: int) -> None:
    lines = ["from cryptoutils import (", "    secure_hash,", "    other,", ")"]
    lines[line - 1] += "  # hallucheck: ignore[HC001]"
    outcome = check_file(repo, run, "\n".join(lines) + "\n")
    assert (findings(outcome), shown(outcome)) == ([], [line])  # one finding per statement


def test_suppression_does_not_reach_the_next_statement(repo: Repo, run: Any) -> None:
    source = "from cryptoutils import (  # hallucheck: ignore\n    a,\n)\nimport fakemod\n"
    assert findings(check_file(repo, run, source)) == [("HC001", 4)]


def test_backslash_continuation_is_one_statement(repo: Repo, run: Any) -> None:
    assert findings(check_file(repo, run, "import os, \\\n    cryptoutils  # hallucheck: ignore\n")) == []


def test_syntax_error_needs_a_suppression_naming_it(repo: Repo, run: Any) -> None:
    source = "import os\nx = foo(\nimport cryptoutils  # hallucheck: ignore[HC001]\n"
    assert [code for code, _ in findings(check_file(repo, run, source))] == ["HC010"]
    source = (
        "import os\nx = foo(  # hallucheck: ignore[HC010]\nimport cryptoutils  # hallucheck: ignore[HC001]\n"
    )
    assert findings(check_file(repo, run, source)) == []


def test_undecodable_file_cannot_be_suppressed(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"app.py": b"import os  # hallucheck: ignore\nx = '\xff'  # hallucheck: ignore\n"})
    assert findings(run()) == [("HC012", 2)]


def test_crlf_source(repo: Repo, run: Any) -> None:
    assert findings(
        check_file(repo, run, "import cryptoutils  # hallucheck: ignore\r\nimport fakemod\r\n")
    ) == [("HC001", 2)]


def test_unknown_codes_and_malformed_directives_are_reported(repo: Repo, run: Any) -> None:
    source = (
        "import cryptoutils  # hallucheck: ignore[HC0X1]\n"
        "import fakemod  # hallucheck: ignroe\n"
        "x = 1  # hallucheck: ignore[]\n"
    )
    outcome = check_file(repo, run, source)
    assert findings(outcome) == [("HC001", 1), ("HC100", 1), ("HC001", 2), ("HC100", 2), ("HC100", 3)]
    messages = [f["message"] for f in outcome.json()["findings"] if f["code"] == "HC100"]
    assert "names unknown code(s) HC0X1" in messages[0]
    assert "is not a valid directive" in messages[1] and "is not a valid directive" in messages[2]


def test_unused_suppression_on_an_added_line_without_an_import(repo: Repo, run: Any) -> None:
    outcome = check_file(repo, run, "x = 1  # hallucheck: ignore\n")
    [item] = outcome.json()["findings"]
    assert (item["code"], item["severity"], item["line"], item["column"], outcome.code) == (
        "HC100",
        "warning",
        1,
        8,
        0,
    )
    assert "Remove the comment" in item["hint"]


def test_unused_suppression_on_a_resolving_import(repo: Repo, run: Any) -> None:
    outcome = check_file(repo, run, "import requests  # hallucheck: ignore[HC001]\n")
    assert findings(outcome) == [("HC100", 1)]
    assert "no HC001 finding is reported here" in outcome.json()["findings"][0]["message"]


def test_moved_suppression_is_not_new(repo: Repo, run: Any) -> None:
    base = "import os\nimport requests  # hallucheck: ignore\n"
    assert (
        findings(check_file(repo, run, "def f():\n    import requests  # hallucheck: ignore\n", base=base))
        == []
    )


def test_suppression_added_to_an_existing_import_is_not_judged(repo: Repo, run: Any) -> None:
    base = "import cryptoutils\n"
    assert findings(check_file(repo, run, "import cryptoutils  # hallucheck: ignore\n", base=base)) == []


def test_unused_suppression_severity_is_configurable(repo: Repo, run: Any) -> None:
    assert check_file(repo, run, "x = 1  # hallucheck: ignore\n", "--severity", "HC100=error").code == 1
    assert findings(run("--severity", "unused-suppression=off")) == []


def test_a_suppression_cannot_silence_hc100(repo: Repo, run: Any) -> None:
    assert findings(check_file(repo, run, "x = 1  # hallucheck: ignore[HC100]\n")) == [("HC100", 1)]


# --- manifests --------------------------------------------------------------------------------


def test_new_dependency_suppressed_on_a_requirements_line(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nrich==13.7  # hallucheck: ignore[HC004]\nflask  # typo?\n"})
    outcome = run()
    assert (findings(outcome), shown(outcome)) == ([("HC004", 3)], [2])


def test_new_dependency_suppressed_on_a_pyproject_line(repo: Repo, run: Any) -> None:
    pyproject = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n    "requests",\n{extra}]\n'
    repo.commit({"pyproject.toml": pyproject.format(extra="")})
    added = '    "acme-weather",  # hallucheck: ignore[new-dependency]\n'
    repo.stage({"pyproject.toml": pyproject.format(extra=added),
                "hub.py": "import acme_weather\n"})  # fmt: skip
    assert findings(run()) == [("HC003", 1)]


def test_hash_inside_a_requirement_is_not_a_comment(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nmypkg @ https://example.invalid/x.whl#hallucheck:ignore\n"})
    assert findings(run()) == [("HC004", 2)]


def test_unused_suppression_on_a_new_manifest_line(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nflask  # hallucheck: ignore[HC001]\n"})
    assert findings(run()) == [("HC004", 2), ("HC100", 2)]


def test_suppressing_the_import_leaves_the_manifest_review(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage(
        {"requirements.txt": "requests\nattrs\n", "a.py": "import attr  # hallucheck: ignore[HC003]\n"}
    )
    assert findings(run()) == [("HC004", 2)]


# --- the directive parser ---------------------------------------------------------------------


def test_parse_directives() -> None:
    [bare] = parse_directives("# hallucheck: ignore", "a.py", 3, 10)
    assert (bare.codes, bare.valid, bare.line, bare.column) == (None, True, 3, 10)
    [listed] = parse_directives(
        "# noqa  #  hallucheck : ignore[ HC001 ,import-of-new-dependency ]", "a.py", 1, 1
    )
    assert (listed.codes, listed.unknown, listed.column) == (frozenset({"HC001", "HC003"}), (), 9)
    [unknown] = parse_directives("# hallucheck: ignore[HC001,nope]", "a.py", 1, 1)
    assert (unknown.codes, unknown.unknown) == (frozenset({"HC001"}), ("nope",))
    [bad] = parse_directives("# hallucheck: ignoreall", "a.py", 1, 1)
    assert not bad.valid and not bad.covers("HC001")
    assert parse_directives("# hallucheck-like text", "a.py", 1, 1) == []


# --- One rule for every source (issue 21, part 2) ----------------------------------------------------------

def _cell_notebook(line: str) -> str:
    import json

    cell: dict[str, object] = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                               "source": [line]}  # fmt: skip
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


@pytest.mark.parametrize(
    ("path", "content", "code"),
    [
        ("analysis.ipynb", _cell_notebook("import fakepkg_zz  # hallucheck: ignore\n"), "HC001"),
        ("analysis.ipynb", _cell_notebook("!pip install fakepkg-zz  # hallucheck: ignore\n"), "HC040"),
        ("README.md", "```\npip install fakepkg-zz  # hallucheck: ignore\n```\n", "HC040"),
        ("README.md", "Run `pip install fakepkg-zz` <!-- hallucheck: ignore -->\n", "HC040"),
        ("Dockerfile", "FROM python\nRUN pip install fakepkg-zz  # hallucheck: ignore\n", "HC040"),
    ],
    ids=["cell-import", "cell-install", "markdown-block", "markdown-html-comment", "dockerfile"],
)
def test_a_directive_added_outside_python_is_shown_and_hides_nothing_from_the_base_policy(
    repo: Repo, run: Any, path: str, content: str, code: str
) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({path: content})
    outcome = run()
    assert outcome.code == 0 and findings(outcome) == [] and len(shown(outcome)) == 1
    strict = run("--policy-from-base")
    assert strict.code == 1 and code in [item for item, _ in findings(strict)]


def test_a_directive_outside_python_committed_earlier_stays_quiet(repo: Repo, run: Any) -> None:
    block = "```\npip install leftpadx  # hallucheck: ignore\n```\n"
    repo.commit({"requirements.txt": "requests\n", "README.md": block})
    repo.stage({"README.md": "Intro.\n\n```\npip install leftpadx  # hallucheck: ignore\n```\n"})
    assert [f["code"] for f in run().json()["findings"]] == []


def test_a_statement_the_change_touches_is_judged_whole(repo: Repo, run: Any) -> None:
    # The comment on line 2 covered `vendored`; the change points line 1 at another module.
    base = "from vendored import (\n    a,  # hallucheck: ignore\n    b,\n)\n"
    outcome = check_file(repo, run, base.replace("vendored", "fakepkg_zz"), base=base)
    assert findings(outcome) == [] and shown(outcome) == [2]
    strict = check_file(repo, run, base.replace("vendored", "fakepkg_zz"), "--policy-from-base", base=base)
    assert ("HC001", 1) in findings(strict)


def test_text_that_a_change_turns_into_a_comment_is_a_new_directive(repo: Repo, run: Any) -> None:
    """Attack D2: the directive's line was committed inside a string, where it is no directive (no HC100 then);
    removing the quotes around it adds no line, but makes it one: shown (HC101), and not the base's policy."""
    in_a_string = 'DOC = """\nimport fakepkg_zz  # hallucheck: ignore\n"""\n'
    repo.commit({"requirements.txt": "requests\n", "app.py": in_a_string})
    repo.stage({"app.py": "import fakepkg_zz  # hallucheck: ignore\n"})
    outcome = run()
    assert findings(outcome) == [] and shown(outcome) == [1]
    strict = run("--policy-from-base")
    assert findings(strict) == [("HC001", 1)]
    repo.commit({"app.py": "import fakepkg_zz  # hallucheck: ignore\n"})
    assert shown(run("--from-ref", "HEAD~1", "--to-ref", "HEAD")) == [1]
    assert findings(run("--all-files")) == []  # files mode has no base: the committed directive holds


def test_a_notebook_cell_that_becomes_code_brings_new_directives(repo: Repo, run: Any) -> None:
    """Attack D2, notebooks: a markdown cell's lines are no directives; turning the cell into code (its lines
    unchanged) makes them directives, so they are shown (HC101) and hide nothing from the base's policy."""
    import json

    source = ["import fakepkg_zz  # hallucheck: ignore\n", "!pip install huggingface-cli  # hallucheck: ignore"]
    cell: dict[str, object] = {"cell_type": "markdown", "metadata": {}, "source": source}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    repo.commit({"requirements.txt": "requests\n", "x.ipynb": json.dumps(notebook, indent=1)})
    cell.update(cell_type="code", execution_count=None, outputs=[])
    repo.stage({"x.ipynb": json.dumps(notebook, indent=1)})
    outcome = run()
    assert findings(outcome) == [] and len(shown(outcome)) == 2
    assert {code for code, _ in findings(run("--policy-from-base"))} == {"HC001", "HC031"}


def test_a_directive_that_stays_a_comment_stays_committed(repo: Repo, run: Any) -> None:
    base = "import os\nimport vendored_x  # hallucheck: ignore\n"
    repo.commit({"requirements.txt": "requests\n", "app.py": base})
    repo.stage({"app.py": "import sys\n" + base})
    assert run().json()["findings"] == []
