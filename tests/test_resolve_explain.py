"""``hallucheck explain-import NAME``: the verdict and the evidence, on real repositories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hallucheck.cli import main
from tests.conftest import Repo


def explain(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        code = main(["explain-import", *args])
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_declared_alias_names_mapping_and_manifest_line(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"requirements.txt": "requests\nPyYAML==6.0\n"})
    code, out, _ = explain(repo, capsys, "yaml")
    assert code == 0
    assert out.startswith("yaml: declared - declared dependency (bundled mapping)")
    assert "bundled mapping: yaml -> pyyaml" in out
    assert "requirements.txt:2 PyYAML==6.0" in out
    assert "verdict: resolves" in out


def test_stdlib_and_target(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n'})
    code, out, _ = explain(repo, capsys, "json")
    assert code == 0 and "standard library of Python 3.9-3.14 (target from requires-python '>=3.9')" in out
    code, out, _ = explain(repo, capsys, "imp")
    assert code == 1 and "HC020 [error]" in out and "Python 3.12" in out


def test_first_party_depends_on_the_importing_path(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"requirements.txt": "", "scripts/helper.py": "", "scripts/run.py": ""})
    code, out, _ = explain(repo, capsys, "helper", "--path", "scripts/run.py")
    assert code == 0 and "first-party: scripts/helper.py" in out
    code, out, _ = explain(repo, capsys, "helper")
    assert code == 1 and "not first-party" in out and "(searched: " in out
    assert "HC001 [error]" in out


def test_staged_manifest_counts_and_guarded_flag(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"requirements.txt": "python-dateutil\n"})
    code, out, _ = explain(repo, capsys, "dateutil.parser")
    assert code == 0 and "declared: requirements.txt:1 python-dateutil" in out
    code, out, _ = explain(repo, capsys, "ujson", "--guarded")
    assert code == 1 and "established distribution" in out and "HC023 [warning]" in out


def test_usage_errors(
    repo: Repo, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit({"requirements.txt": ""})
    assert explain(repo, capsys, "not a name")[0] == 2
    code, _, err = explain(repo, capsys, "yaml", "--python", str(tmp_path / "nothing"))
    assert code == 2 and "no such file" in err
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert main(["explain-import", "yaml"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_module_index_view_per_version(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"requirements.txt": "numpy>=2\n"})
    code, out, _ = explain(repo, capsys, "numpy", "--from-name", "float_")
    assert code == 1
    assert "module index: `numpy` 1.26.4, 2.0.2 and 2.4.6" in out
    assert "1.26.4: numpy: open (module-level __getattr__): any name may exist" in out
    assert "2.4.6: numpy: " in out and "`float_` absent" in out
    assert "HC022 [error]" in out and "removed in the NumPy 2.0 release" in out
    code, out, _ = explain(repo, capsys, "numpy.linalg")
    assert code == 0 and "2.4.6: numpy.linalg: " in out and "eig" in out


def test_module_index_view_of_an_undeclared_module(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"requirements.txt": "llama-index\n"})
    code, out, _ = explain(repo, capsys, "llama_index.core", "--from-name", "VectorStoreIndex")
    assert code == 0, out
    assert "the declared `llama-index` owns `llama_index`" in out
    assert "is in every indexed `llama-index-core` version the declaration allows (0.14.25), which `llama-index` " \
        "requires" in out
    assert "module index: `llama-index-core` 0.10.68.post1, 0.12.52.post1 and 0.14.25" in out
