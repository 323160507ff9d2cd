"""The staged check end to end, on real git repositories."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo

PYPROJECT = """\
[project]
name = "demo"
version = "1"
dependencies = [
{deps}]
"""


def pyproject(*deps: str) -> str:
    return PYPROJECT.format(deps="".join(f'    "{dep}",\n' for dep in deps))


def findings(outcome: Any) -> list[tuple[str, str, int, str | None]]:
    return [(f["code"], f["path"], f["line"], f["module"] or f["distribution"]) for f in outcome.json()["findings"]]


def test_invented_package_is_an_error(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject("requests")})
    repo.stage({"app.py": "from cryptoutils import secure_hash\n"})
    outcome = run()
    assert outcome.code == 1
    assert findings(outcome) == [("HC001", "app.py", 1, "cryptoutils")]
    assert "hallucinated" in outcome.json()["findings"][0]["message"]


def test_undeclared_alias_names_the_distribution(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject()})
    repo.stage({"model.py": "import sklearn\n"})
    outcome = run()
    assert outcome.code == 1
    [item] = outcome.json()["findings"]
    assert (item["code"], item["distribution"]) == ("HC002", "scikit-learn")
    assert "scikit-learn" in item["hint"]


def test_declared_alias_is_clean(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject("scikit-learn>=1.3"), "requirements.txt": "PyYAML==6.0\n"})
    repo.stage({"model.py": "import sklearn\nfrom sklearn.svm import SVC\nimport yaml\nimport os\n"})
    outcome = run()
    assert (outcome.code, outcome.json()["findings"]) == (0, [])
    assert outcome.json()["summary"]["imports_checked"] == 4


def test_dependency_declared_only_in_staged_manifest_needs_review(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject("requests")})
    repo.stage({"pyproject.toml": pyproject("requests", "httpx"), "hub.py": "import httpx\n"})
    outcome = run()
    assert outcome.code == 1
    assert findings(outcome) == [
        ("HC003", "hub.py", 1, "httpx"),
        ("HC004", "pyproject.toml", 6, "httpx"),
    ]
    assert {f["severity"] for f in outcome.json()["findings"]} == {"review"}


def test_manifest_only_commit_reports_the_new_dependency(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nreqeusts==2.0  # typo\n"})
    outcome = run()
    assert findings(outcome) == [("HC030", "requirements.txt", 2, "reqeusts")]


def test_removed_dependency_still_imported_is_an_error(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject("PyYAML")})
    repo.stage({"pyproject.toml": pyproject(), "conf.py": "import yaml\n"})
    outcome = run()
    assert findings(outcome) == [("HC005", "conf.py", 1, "yaml")]


def test_initial_commit_on_unborn_head(repo: Repo, run: Any) -> None:
    repo.stage({"requirements.txt": "attrs\n", "a.py": "import attr\nimport cryptoutils\n"})
    outcome = run()
    assert findings(outcome) == [
        ("HC003", "a.py", 1, "attr"),
        ("HC001", "a.py", 2, "cryptoutils"),
        ("HC004", "requirements.txt", 1, "attrs"),
    ]


def test_multiline_import_with_one_added_name(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "from foo import (\n    a,\n)\n"})
    repo.stage({"a.py": "from foo import (\n    a,\n    b,\n)\n"})
    outcome = run()
    [item] = outcome.json()["findings"]
    assert (item["code"], item["line"], item["column"], item["module"]) == ("HC001", 1, 6, "foo")  # the module
    assert "from foo import b" in item["message"]


def test_import_a_b_yields_two_imports(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"a.py": "import requests, cryptoutils, json\n"})
    outcome = run()
    assert findings(outcome) == [("HC001", "a.py", 1, "cryptoutils")]
    assert outcome.json()["findings"][0]["column"] == 18


def test_import_inside_docstring_or_string_is_not_an_import(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    source = '"""Usage:\n\nimport cryptoutils\n"""\nEXAMPLE = "import fakepkg"\nx = """\nfrom nope import y\n"""\n'
    repo.stage({"a.py": source})
    outcome = run()
    assert (outcome.code, findings(outcome)) == (0, [])


def test_function_level_and_nested_imports(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    source = "class A:\n    def f(self):\n        if True:\n            try:\n                import cryptoutils\n" \
        "            finally:\n                pass\n"
    repo.stage({"a.py": source})
    assert findings(run()) == [("HC001", "a.py", 5, "cryptoutils")]


def test_relative_and_first_party_imports(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "pkg/__init__.py": "", "pkg/util.py": "", "tools.py": ""})
    repo.stage({"pkg/core.py": "from . import util\nfrom .util import x\nfrom pkg import util\nimport tools\n"})
    assert run().json()["findings"] == []


def test_src_layout_and_namespace_packages(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "src/mylib/__init__.py": "", "nspkg/sub/mod.py": ""})
    repo.stage({"tests/test_x.py": "import mylib\nimport nspkg.sub.mod\n"})
    assert run().json()["findings"] == []


def test_directory_without_python_files_is_not_a_package(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "yaml/settings.yml": "a: 1\n"})
    repo.stage({"a.py": "import yaml\n"})
    assert findings(run()) == [("HC002", "a.py", 1, "yaml")]


def test_reindented_existing_import_is_not_new(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "import cryptoutils\n\ndef f():\n    pass\n"})
    repo.stage({"a.py": "def f():\n    import cryptoutils\n    pass\n"})
    assert run().json()["findings"] == []


def test_crlf_flip_and_missing_final_newline_add_nothing_new(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "import cryptoutils\nimport os", "b.py": "import fakemod\n"})
    repo.stage({"a.py": "import cryptoutils\nimport os\nx = 1\n", "b.py": "import fakemod\r\n"})
    assert run().json()["findings"] == []


def test_syntax_error_is_reported_and_does_not_hide_imports(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": "import os\nfrom cryptoutils import (\n    secure_hash\nimport json\n"})
    outcome = run()
    codes = outcome.codes()
    assert outcome.code == 1
    assert "HC010" in codes and "HC001" in codes
    assert "Traceback" not in outcome.out + outcome.err


def test_undecodable_file_is_an_error(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": b"import os\nx = '\xff\xfe'\nimport json\n"})
    outcome = run()
    assert findings(outcome) == [("HC012", "a.py", 2, None)]


def test_invalid_toml_is_an_error_naming_file_and_line(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject("requests")})
    repo.stage({"pyproject.toml": "[project]\nname = \n", "a.py": "import requests\n"})
    outcome = run()
    assert outcome.code == 1
    [item] = [f for f in outcome.json()["findings"] if f["code"] == "HC011"]
    assert (item["path"], item["line"], item["severity"]) == ("pyproject.toml", 2, "error")


def test_broken_manifest_fixed_by_the_change_is_a_warning(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\nnot a valid requirement!!\n"})
    repo.stage({"requirements.txt": "requests\n"})
    outcome = run()
    [item] = outcome.json()["findings"]
    assert (item["code"], item["severity"], item["line"], outcome.code) == ("HC011", "warning", 2, 0)


def test_files_on_the_command_line_restrict_the_check(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": "import cryptoutils\n", "b.py": "import fakemod\n"})
    assert findings(run("b.py")) == [("HC001", "b.py", 1, "fakemod")]


def test_text_report_is_ruff_like(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": "\nfrom cryptoutils import secure_hash\n"})
    outcome = run(json_output=False)
    first, hint, *_, last = outcome.out.splitlines()
    assert first.startswith("a.py:2:6: HC001 [error] `from cryptoutils import secure_hash`")
    assert hint.startswith("    hint: ")
    assert last.startswith("hallucheck (staged): blocked: 1 error")


def test_outside_a_repository_exits_2(tmp_path: Any, capsys: Any, monkeypatch: Any) -> None:
    from hallucheck.cli import main

    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    assert "not inside a git work tree" in capsys.readouterr().err


def test_usage_error_exits_2(run: Any) -> None:
    assert run("--format", "xml", json_output=False).code == 2


def test_index_from_git_index_file_is_honoured(repo: Repo, run: Any, monkeypatch: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "x = 1\n"})
    repo.write("a.py", "import cryptoutils\n")
    alternate = repo.root / ".git" / "other-index"
    monkeypatch.setenv("GIT_INDEX_FILE", str(alternate))
    repo.git("read-tree", "HEAD")
    repo.git("add", "a.py")
    assert findings(run()) == [("HC001", "a.py", 1, "cryptoutils")]
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert run().json()["findings"] == []


# Found in review: shapes that once let an added import through unchecked.


def test_backslash_inside_from_before_import(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "x = 1\n"})
    repo.stage({"a.py": "from \\\n    cryptoutils import b\nfrom cryptoutils.\\\nsub import c\n"})
    assert [f[0] for f in findings(run())] == ["HC001", "HC001"]


def test_changed_argument_line_of_a_multiline_dynamic_import(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": 'import importlib\nm = importlib.import_module(\n    "json"\n)\n'})
    repo.stage({"a.py": 'import importlib\nm = importlib.import_module(\n    "cryptoutils"\n)\n'})
    assert findings(run()) == [("HC001", "a.py", 2, "cryptoutils")]


def test_relative_import_module_with_a_package_is_absolute(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": 'import importlib\np = importlib.import_module(".evil", package="cryptoutils")\n'})
    assert findings(run()) == [("HC001", "a.py", 2, "cryptoutils.evil")]


def test_text_that_stops_being_a_string_is_checked(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": 's = """\nimport cryptoutils\n"""\n'})
    repo.stage({"a.py": 's = ""\nimport cryptoutils\ns2 = ""\n'})
    assert findings(run()) == [("HC001", "a.py", 2, "cryptoutils")]


def test_one_line_case_clause_and_header_with_comment(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject() + 'requires-python = ">=3.10"\n'})
    source = (
        "match x:\n    case 1: import cryptoutils\n"
        'with __import__("fakemod") as m:  # comment\n    pass\n'
    )
    repo.stage({"a.py": source})
    outcome = run()
    assert findings(outcome) == [("HC001", "a.py", 2, "cryptoutils"), ("HC001", "a.py", 3, "fakemod")]
    assert outcome.json()["findings"][0]["column"] == 20


def test_full_width_names_are_read_as_python_reads_them(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": "import \uff4f\uff53\n"})
    assert run().json()["findings"] == []
