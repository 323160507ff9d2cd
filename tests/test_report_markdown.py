"""``--format markdown``: a job summary that says what blocks and why, and that no path or name can break."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.findings import finding
from hallucheck.report.formats import render_markdown
from tests.conftest import Repo


def cells(row: str) -> list[str]:
    """The cells of a table row as GitHub splits it: on a pipe after an even number of backslashes."""
    found, cell, position = [], "", 0
    while position < len(row):
        char = row[position]
        if char == "\\":
            cell += row[position : position + 2]
            position += 2
            continue
        if char == "|":
            found.append(cell)
            cell = ""
        else:
            cell += char
        position += 1
    return found[1:]


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ---")][1:]


def test_nothing_to_report_is_one_line() -> None:
    assert render_markdown([], checked=3, label="range main..HEAD", mode="range") == (
        "### hallucheck (range main..HEAD): 3 new imports checked, all resolve.\n"
    )


def test_blocking_findings_in_a_table_warnings_folded_below() -> None:
    findings = [
        finding("HC001", "app.py", 3, 6, "`from cryptoutils import x`: may be hallucinated", "Check the name."),
        finding("HC004", "pyproject.toml", 6, 6, "new dependency `acme>=1` added", "Approve it."),
        finding("HC101", "pyproject.toml", 9, 1, "`acme` approved in this range", "Review it."),
    ]  # fmt: skip
    text = render_markdown(findings, checked=1, mode="range", label="range main..HEAD")
    head, folded = text.split("<details>")
    assert head.startswith("### hallucheck (range main..HEAD): blocked: 1 error, 1 review, 1 warning")
    assert [cells(row)[0].strip() for row in table_rows(head)] == ["HC001 unknown-import", "HC004 new-dependency"]
    first = [cell.strip() for cell in cells(table_rows(head)[0])]
    message = "`from cryptoutils import x`: may be hallucinated"
    assert first == ["HC001 unknown-import", "error", "` app.py:3 `", message, "Check the name."]
    assert "`acme>=1`" in table_rows(head)[1]  # shown as written inside a code span
    assert "<summary>1 warning (not blocking)</summary>" in folded and "| HC101 " in folded


@settings(max_examples=200, deadline=None, database=None)
@given(path=st.text(min_size=1, max_size=30), message=st.text(max_size=60), hint=st.text(max_size=30))
def test_no_path_or_message_breaks_the_table_or_adds_html(path: str, message: str, hint: str) -> None:
    text = render_markdown([finding("HC001", path, 1, 1, message, hint)], checked=1)
    rows = table_rows(text)
    assert len(rows) == 1 and len(cells(rows[0])) == 5
    assert "\n" not in rows[0]
    outside_code = re.sub(r"(`+).*?\1", "", rows[0])
    assert "<" not in outside_code.replace("<br>", "")


def test_the_summary_from_a_real_repository(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'})
    repo.stage({"app.py": "import requests\nfrom cryptoutils import secure_hash\n"})
    outcome = run("--format", "markdown", json_output=False)
    assert outcome.code == 1
    assert outcome.out.startswith("### hallucheck (staged): blocked: 1 error (2 new imports checked).")
    assert "| HC001 unknown-import |" in outcome.out and "` app.py:2 `" in outcome.out
