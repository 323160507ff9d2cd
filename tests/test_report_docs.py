"""Per-code documentation: `hallucheck explain`, and the generated rules table that must not drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from hallucheck.findings import RULES
from hallucheck.report import rules as docs

ROOT = Path(__file__).parents[1]


def test_every_code_is_documented() -> None:
    missing = set(RULES) - set(docs.DOCS)
    assert not missing, f"add a RuleDoc to hallucheck/report/rules.py for {', '.join(sorted(missing))}"
    for doc in docs.DOCS.values():
        assert doc.meaning and doc.fix and doc.suppress


@pytest.mark.parametrize("code", list(RULES))
def test_every_example_produces_its_code(code: str) -> None:
    diffs, report = docs.example_report(code)
    assert diffs, f"the example of {code} changes no file"
    assert any(f" {code} [" in line for line in report)


def files_with_markers() -> list[Path]:
    candidates = [ROOT / "docs" / "rules.md", ROOT / "README.md"]
    return [
        path for path in candidates if path.exists() and docs.MARKER_START in path.read_text(encoding="utf-8")
    ]


def test_rules_doc_exists_with_markers() -> None:
    assert ROOT / "docs" / "rules.md" in files_with_markers()


@pytest.mark.parametrize("path", files_with_markers(), ids=lambda path: path.name)
def test_generated_rules_section_has_not_drifted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert docs.replace_section(text, docs.rules_section()) == text, (
        f"{path.name} drifted: run `{docs.REGENERATE}`"
    )


def test_drift_is_detected(tmp_path: Path) -> None:
    stale = tmp_path / "rules.md"
    stale.write_text(f"intro\n{docs.MARKER_START}\n| HC001 | old |\n{docs.MARKER_END}\n", encoding="utf-8")
    assert docs.main([str(stale)]) == 1
    assert docs.main(["--write", str(stale)]) == 0
    assert docs.main([str(stale)]) == 0
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and all(f"[{code}](#" in text for code in RULES)


def test_table_links_resolve_to_headings() -> None:
    section = docs.rules_section()
    for rule in RULES.values():
        assert f"(#{rule.code.lower()}-{rule.name})" in section
        assert f"\n### {rule.code} {rule.name}\n" in section


def run_explain(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["explain", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_explain_prints_meaning_example_fix_and_suppression(capsys: Any) -> None:
    code, out, _ = run_explain(capsys, "HC004")
    assert code == 0
    assert out.startswith("HC004 new-dependency (default severity: review)")
    for heading in ("What it means", "Example", "How to fix", "How to suppress"):
        assert f"\n{heading}\n" in out
    assert "+rich==13.7" in out and "requirements.txt:2:1: HC004 [review]" in out


def test_explain_accepts_names_and_lowercase(capsys: Any) -> None:
    assert run_explain(capsys, "unknown-import")[1].startswith("HC001 unknown-import")
    assert run_explain(capsys, "hc002")[1].startswith("HC002 undeclared-import")


def test_explain_without_code_lists_every_code(capsys: Any) -> None:
    code, out, _ = run_explain(capsys)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[: len(RULES)]] == list(RULES)


def test_explain_unknown_code_is_a_usage_error(capsys: Any) -> None:
    code, out, err = run_explain(capsys, "HC999")
    assert (code, out) == (2, "")
    assert "unknown code HC999" in err and "Traceback" not in err
