"""Reporters: findings to text, JSON, SARIF 2.1.0 or GitHub workflow commands. No finding logic lives here.

* ``text`` (default): ruff-like ``path:line:col: CODE [severity] message`` with an
  indented hint and a one-line summary; colour only on a terminal, ``NO_COLOR``
  turns it off and ``FORCE_COLOR`` on (NO_COLOR wins). ``-q`` keeps only blocking
  findings, ``-v`` adds how every new import resolved.
* ``json``: one object, versioned by :data:`JSON_SCHEMA_VERSION` and described by
  ``docs/report-schema.json``.
* ``sarif``: SARIF 2.1.0, one rule per code with its documentation as help.
* ``github``: ``::error file=…,line=…::`` workflow commands, shown as annotations.
* ``markdown``: a summary line and a table of what blocks and why, for a CI job summary.

``--output FILE`` writes the chosen format to FILE while the terminal still gets
the text report (CI uploads SARIF that way).
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from hallucheck import __version__
from hallucheck.findings import RULES, Finding, Severity
from hallucheck.lazy import LazyPattern, Slots

if TYPE_CHECKING:
    import argparse

    from hallucheck.change import Resolved

JSON_SCHEMA_VERSION = 1
FORMATS = ("text", "json", "sarif", "github", "markdown")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.REVIEW: "error", Severity.WARNING: "warning"}
_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.REVIEW: "error", Severity.WARNING: "warning"}
_COLORS = {Severity.ERROR: "31", Severity.REVIEW: "35", Severity.WARNING: "33"}


class Report(Slots):
    """Everything a reporter may show about one run."""

    __slots__ = (
        "baselined", "checked", "configured", "findings", "mode", "notes", "range", "resolved", "scope", "suppressed",
    )  # fmt: skip

    findings: Sequence[Finding]
    checked: int
    mode: str
    suppressed: int
    resolved: Sequence[Resolved]
    baselined: int
    configured: int
    """Files mode: findings the configuration's relaxations (``ignore``, ``mapping``, ...) hide."""
    range: tuple[str, str] | None
    """The refs of a range as given (``main``, ``HEAD``), for the summary."""
    notes: Sequence[str]
    """What was skipped or declares nothing (``-v`` text only)."""
    scope: Sequence[str]
    """What the configured manifests apply to, one line each (the text report prints them above the summary)."""

    def __init__(
        self, findings: Sequence[Finding], checked: int, mode: str = "staged", suppressed: int = 0,
        resolved: Sequence[Resolved] = (), baselined: int = 0, range: tuple[str, str] | None = None,
        notes: Sequence[str] = (), scope: Sequence[str] = (), configured: int = 0,
    ) -> None:  # fmt: skip
        self.configured = configured
        self.findings = findings
        self.checked = checked
        self.mode = mode
        self.suppressed = suppressed
        self.resolved = resolved
        self.baselined = baselined
        self.range = range
        self.notes = notes
        self.scope = scope

    @property
    def label(self) -> str:
        """The mode as the summary names it: ``staged``, ``range A..B`` or ``files``."""
        return f"range {self.range[0]}..{self.range[1]}" if self.mode == "range" and self.range else self.mode


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    counts = Counter(item.severity for item in findings)
    return {severity.value: counts.get(severity, 0) for severity in Severity} | {
        "blocking": sum(1 for item in findings if item.blocks)
    }


# --- text ---------------------------------------------------------------------------------------


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour on a terminal; a non-empty ``NO_COLOR`` disables it, a non-empty ``FORCE_COLOR`` forces it."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render_text(
    findings: Sequence[Finding],
    *,
    checked: int,
    suppressed: int = 0,
    color: bool = False,
    quiet: bool = False,
    resolved: Sequence[Resolved] = (),
    mode: str = "staged",
    label: str | None = None,
    baselined: int = 0,
    notes: Sequence[str] = (),
    scope: Sequence[str] = (),
    configured: int = 0,
) -> str:
    """ruff-like text: ``path:line:col: CODE [severity] message`` with an indented hint, then a summary
    (after ``scope``: what the configured manifests apply to)."""
    style = _Style(color)
    shown = [item for item in findings if item.blocks] if quiet else findings
    lines = []
    for item, others in _decisions(shown):
        severity = style(item.severity.value, _COLORS[item.severity])
        place = style(f"{item.path}:{item.line}:{item.column}:", "1")
        lines.append(f"{place} {style(item.code, '1;' + _COLORS[item.severity])} [{severity}] {item.message}")
        if others:
            listed = ", ".join(f"{other.path}:{other.line}:{other.column}" for other in others[:_PLACES_SHOWN])
            more = f" and {len(others) - _PLACES_SHOWN} more" if len(others) > _PLACES_SHOWN else ""
            lines.append(style(f"    also at: {listed}{more} (the same finding; every place is in --format json)",
                               "2"))  # fmt: skip
        lines.append(style("    hint: " + item.hint.replace("\n", "\n          "), "2"))
    if resolved:
        lines.append("resolved imports:")
        lines += [f"    {_resolution_line(entry)}" for entry in resolved]
    if notes:
        lines.append("notes:")
        lines += [f"    {note}" for note in notes]
    if not quiet or any(item.blocks for item in findings):
        lines += scope
        lines.append(_summary_line(findings, checked, suppressed, mode=mode, label=label, baselined=baselined,
                                   configured=configured))  # fmt: skip
    return "".join(line + "\n" for line in lines)


_PLACES_SHOWN = 10
"""How many further places of one repeated finding the text report lists."""
_CELL_PREFIX = LazyPattern(r"^cell \d+, line \d+: ")


def _decisions(findings: Sequence[Finding]) -> list[tuple[Finding, list[Finding]]]:
    """One decision, one finding: findings that say the same thing (code, severity, message and hint; a
    notebook's cell prefix aside) in several places, as the first of them and the other places, in order.
    The same install command in each translation of a page, the same import in many files."""
    groups: dict[tuple[str, str, str, str], tuple[Finding, list[Finding]]] = {}
    for item in findings:
        key = (item.code, item.severity.value, _CELL_PREFIX.sub("", item.message), item.hint)
        if key in groups:
            groups[key][1].append(item)
        else:
            groups[key] = (item, [])
    return list(groups.values())


def _resolution_line(entry: Resolved) -> str:
    resolution = entry.resolution
    names = ", ".join(f"`{name}`" for name in resolution.distributions)
    target = f"{resolution.origin.value} {names}" if names else resolution.origin.value
    place = f"{entry.path}:{entry.item.line}:{entry.item.column}"
    return f"{place}: {entry.item.statement} -> {target}: {resolution.reason}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _summary_line(
    findings: Sequence[Finding],
    checked: int,
    suppressed: int,
    *,
    mode: str = "staged",
    label: str | None = None,
    baselined: int = 0,
    configured: int = 0,
) -> str:
    """``hallucheck (MODE): ...``: what ran, what was checked, what blocks, and what was hidden."""
    head = f"hallucheck ({label or mode}):"
    imports = _count(checked, "new import" if mode != "files" else "import") + " checked"
    hidden = [f"{baselined} hidden by the baseline"] if baselined else []
    hidden += [f"{configured} hidden by the configuration"] if configured else []
    hidden += [f"{suppressed} suppressed"] if suppressed else []
    if not findings and not hidden:
        return f"{head} {imports}, all resolve."
    if not findings:
        return f"{head} {imports}; nothing reported, {', '.join(hidden)}."
    counts = summary(findings)
    parts = [_count(counts[s.value], s.value) for s in Severity if counts[s.value]]
    verdict = "blocked" if counts["blocking"] else "passed with warnings"
    return f"{head} {verdict}: {', '.join(parts)} ({', '.join([imports, *hidden])})."


# --- json ---------------------------------------------------------------------------------------


def render_json(
    findings: Sequence[Finding],
    *,
    mode: str,
    checked: int,
    suppressed: int = 0,
    resolved: Sequence[Resolved] | None = None,
    baselined: int = 0,
    span: tuple[str, str] | None = None,
    configured: int = 0,
) -> str:
    """The versioned JSON report (``docs/report-schema.json``); ``imports`` only if ``resolved`` is given."""
    import json

    document: dict[str, Any] = {
        "version": JSON_SCHEMA_VERSION,
        "tool": {"name": "hallucheck", "version": __version__},
        "mode": mode,
        "findings": [_finding_json(item) for item in findings],
        "summary": summary(findings)
        | {"imports_checked": checked, "suppressed": suppressed, "baselined": baselined, "configured": configured},
    }
    if span is not None:
        document["range"] = {"from": span[0], "to": span[1]}
    if resolved is not None:
        document["imports"] = [_resolved_json(entry) for entry in resolved]
    return json.dumps(document, indent=2) + "\n"


def _finding_json(item: Finding) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.rule.name,
        "severity": item.severity.value,
        "path": item.path,
        "line": item.line,
        "column": item.column,
        "module": item.module,
        "distribution": item.distribution,
        "message": item.message,
        "hint": item.hint,
    }


def _resolved_json(entry: Resolved) -> dict[str, Any]:
    return {
        "path": entry.path,
        "line": entry.item.line,
        "column": entry.item.column,
        "statement": entry.item.statement,
        "module": entry.item.module,
        "origin": entry.resolution.origin.value,
        "distributions": list(entry.resolution.distributions),
        "reason": entry.resolution.reason,
    }


# --- sarif --------------------------------------------------------------------------------------


def render_sarif(
    findings: Sequence[Finding], *, checked: int, suppressed: int = 0, baselined: int = 0, configured: int = 0
) -> str:
    """A SARIF 2.1.0 log with one run, one rule per code and one result per finding."""
    import json

    rules = list(RULES.values())
    index = {rule.code: position for position, rule in enumerate(rules)}
    driver = {
        "name": "hallucheck",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_sarif_rule(rule.code) for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": _sarif_results(findings, index),
        "properties": {"importsChecked": checked, "suppressed": suppressed, "baselined": baselined}
        | ({"configured": configured} if configured else {}),
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def _sarif_rule(code: str) -> dict[str, Any]:
    from hallucheck.report.rules import DOCS, help_markdown, help_text

    rule = RULES[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": DOCS[code].meaning if code in DOCS else rule.summary},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)}
        if code in DOCS
        else {"text": rule.summary},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value, "tags": ["dependencies", "supply-chain"]},
    }


def _sarif_results(findings: Sequence[Finding], index: Mapping[str, int]) -> list[dict[str, Any]]:
    import hashlib
    from urllib.parse import quote

    seen: Counter[str] = Counter()
    results = []
    for item in findings:
        identity = "\0".join((item.code, item.path, item.module or "", item.distribution or "", item.message))
        seen[identity] += 1
        fingerprint = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        region: dict[str, int] = {"startLine": max(item.line, 1)}
        if item.column > 0:
            region["startColumn"] = item.column
        location = {
            "artifactLocation": {"uri": quote(item.path, safe="/"), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
        properties = {"severity": item.severity.value, "hint": item.hint}
        properties |= {
            key: value
            for key, value in (("module", item.module), ("distribution", item.distribution))
            if value is not None
        }
        results.append(
            {
                "ruleId": item.code,
                "ruleIndex": index[item.code],
                "level": _SARIF_LEVELS[item.severity],
                "message": {"text": f"{item.message}\n{item.hint}"},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"hallucheckFinding/v1": f"{fingerprint}:{seen[identity]}"},
                "properties": properties,
            }
        )
    return results


# --- github -------------------------------------------------------------------------------------


def render_github(
    findings: Sequence[Finding],
    *,
    checked: int,
    suppressed: int = 0,
    baselined: int = 0,
    mode: str = "staged",
    label: str | None = None,
    configured: int = 0,
) -> str:
    """GitHub Actions workflow commands (annotations), then the summary line."""
    lines = []
    for item in findings:
        properties = [f"file={_escape_property(item.path)}", f"line={max(item.line, 1)}"]
        if item.column > 0:
            properties.append(f"col={item.column}")
        properties.append(
            f"title={_escape_property(f'{item.code} {item.rule.name} [{item.severity.value}]')}"
        )
        command = _GITHUB_COMMANDS[item.severity]
        lines.append(
            f"::{command} {','.join(properties)}::{_escape_data(item.message + chr(10) + item.hint)}"
        )
    lines.append(_summary_line(findings, checked, suppressed, mode=mode, label=label, baselined=baselined,
                               configured=configured))  # fmt: skip
    return "".join(line + "\n" for line in lines)


# --- markdown (a CI job summary) -------------------------------------------------------------------


def render_markdown(
    findings: Sequence[Finding],
    *,
    checked: int,
    suppressed: int = 0,
    baselined: int = 0,
    mode: str = "staged",
    label: str | None = None,
    configured: int = 0,
) -> str:
    """A Markdown summary (GitHub's ``$GITHUB_STEP_SUMMARY``): what blocked and why, in a table; then warnings.

    Paths and messages come from the change under review, so every cell is escaped: no HTML, no table break.
    """
    verdict = _summary_line(findings, checked, suppressed, mode=mode, label=label, baselined=baselined,
                            configured=configured)  # fmt: skip
    lines = [f"### {_markdown_cell(verdict)}", ""]
    blocking = [item for item in findings if item.blocks]
    warnings = [item for item in findings if not item.blocks]
    if blocking:
        lines += ["What blocks, and what to do:", "", *_markdown_table(blocking), ""]
    if warnings:
        lines += [f"<details><summary>{_count(len(warnings), 'warning')} (not blocking)</summary>", "",
                  *_markdown_table(warnings), "", "</details>", ""]
    if findings:
        lines += ["`hallucheck explain CODE` tells what a code means, how to fix it and how to suppress it.", ""]
    return "\n".join(lines)


def _markdown_table(findings: Sequence[Finding]) -> list[str]:
    rows = ["| Code | Severity | Where | Why | What to do |", "| --- | --- | --- | --- | --- |"]
    for item in findings:
        code = f"{item.code} {item.rule.name}"
        place = _markdown_code(f"{item.path}:{item.line}")
        cells = [code, item.severity.value, place, _markdown_cell(item.message), _markdown_cell(item.hint)]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _markdown_cell(text: str) -> str:
    """``text`` for one table cell: HTML escaped outside code spans (inside them it shows as written), ``|``
    escaped everywhere (GitHub's tables split on it even inside a span), line breaks as ``<br>``."""

    parts = []
    position = 0
    for span in re.finditer(r"(`+)(?:(?!\1).)+?\1", text, re.DOTALL):
        parts.append(_escape_html(text[position : span.start()]))
        parts.append(span[0].replace("\n", " "))
        position = span.end()
    parts.append(_escape_html(text[position:]))
    return _one_line(_escape_pipes("".join(parts)).replace("\r\n", "\n").replace("\n", "<br>"))


def _one_line(text: str) -> str:
    """Every other control or line-separator character as a space: a table row must stay one line."""
    return "".join(" " if char < " " or char in "\x7f\x85\u2028\u2029" else char for char in text)


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_code(text: str) -> str:
    """``text`` as a code span whatever backticks it holds (a fence longer than any run inside)."""
    fence = "`"
    while fence in text:
        fence += "`"
    return f"{fence} {_one_line(_escape_pipes(text))} {fence}"


def _escape_pipes(text: str) -> str:
    """Every ``|`` escaped, and the backslashes before one doubled: GitHub splits a row on a pipe after an even
    number of backslashes."""

    return re.sub(r"(\\*)\|", lambda match: match[1] * 2 + "\\|", text)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- command line -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("report")
    group.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    group.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report in --format to FILE; the terminal still gets the text report",
    )
    verbosity = group.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="text report: only blocking findings")
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="also show how every new import resolved, and why"
    )


def render(
    report: Report, fmt: str, *, color: bool = False, quiet: bool = False, verbose: bool = False
) -> str:
    counts = {"checked": report.checked, "suppressed": report.suppressed, "baselined": report.baselined,
              "configured": report.configured}  # fmt: skip
    if fmt == "json":
        resolved = report.resolved if verbose else None
        return render_json(report.findings, mode=report.mode, resolved=resolved, span=report.range, **counts)
    if fmt == "sarif":
        return render_sarif(report.findings, **counts)
    if fmt == "github":
        return render_github(report.findings, mode=report.mode, label=report.label, **counts)
    if fmt == "markdown":
        return render_markdown(report.findings, mode=report.mode, label=report.label, **counts)
    return render_text(
        report.findings, color=color, quiet=quiet, resolved=report.resolved if verbose else (),
        mode=report.mode, label=report.label, notes=report.notes if verbose else (), scope=report.scope, **counts,
    )  # fmt: skip


def emit(report: Report, args: argparse.Namespace, stdout: TextIO | None = None) -> str | None:
    """Print the report as ``args`` asks (and write ``--output``); an error message when that fails."""
    stdout = sys.stdout if stdout is None else stdout
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    terminal_format = args.format
    if getattr(args, "output", None):
        from pathlib import Path

        try:
            Path(args.output).write_text(
                render(report, args.format, quiet=quiet, verbose=verbose), encoding="utf-8", newline="\n"
            )
        except OSError as error:
            return f"cannot write the report to {args.output}: {error.strerror or error}"
        terminal_format = "text"
    color = terminal_format == "text" and use_color(stdout)
    stdout.write(render(report, terminal_format, color=color, quiet=quiet, verbose=verbose))
    return None
