"""The policy step: what the project's configuration and suppression comments make of the findings.

The check builds findings from facts; :func:`apply_policy` then drops codes set
to ``off``, ignored modules and approved dependencies, honours suppression
comments, applies configured severities, and reports suppressions on added
lines that suppress nothing.

Suppression comments:

* ``# hallucheck: ignore`` silences every code, ``# hallucheck: ignore[HC001,HC003]``
  only those (codes or rule names), on **any line** of a Python statement;
* the same comment at the end of a manifest line silences findings on that line
  (a new dependency, for instance).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from hallucheck.config import Config
from hallucheck.findings import Finding, Severity, finding, rule_named, sort_key
from hallucheck.snapshot import Snapshot
from hallucheck.sources.python import LogicalLines

UNUSED = "HC100"
PYTHON_SUFFIXES = (".py", ".pyi")
_TOML_SUFFIXES = (".toml", "Pipfile")
_DIRECTIVE = re.compile(r"#\s*hallucheck\s*:\s*(?P<body>[^#]*)", re.IGNORECASE)
_IGNORE = re.compile(r"ignore(?:\s*\[(?P<codes>[^\]]*)\])?(?=\s|$)")
_PIP_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


@dataclass
class Suppression:
    """One ``# hallucheck:`` directive in a comment."""

    path: str
    line: int
    column: int
    text: str
    codes: frozenset[str] | None
    """None: every code."""
    unknown: tuple[str, ...] = ()
    valid: bool = True
    used: bool = False

    def covers(self, code: str) -> bool:
        return self.valid and code != UNUSED and (self.codes is None or code in self.codes)


def parse_directives(comment: str, path: str, line: int, column: int) -> list[Suppression]:
    """The directives in one comment (``column`` is the 1-based column where the comment starts)."""
    found = []
    for match in _DIRECTIVE.finditer(comment):
        body = match.group("body").strip()
        text = match.group().rstrip()
        place = (path, line, column + match.start())
        ignore = _IGNORE.match(body)
        if ignore is None:
            found.append(Suppression(*place, text, None, valid=False))
            continue
        if ignore.group("codes") is None:
            found.append(Suppression(*place, text, None))
            continue
        names = [name.strip() for name in ignore.group("codes").split(",") if name.strip()]
        rules = {name: rule_named(name) for name in names}
        codes = frozenset(rule.code for rule in rules.values() if rule is not None)
        unknown = tuple(name for name, rule in rules.items() if rule is None)
        found.append(Suppression(*place, text, codes, unknown, valid=bool(names)))
    return found


@dataclass
class SourceFile:
    """The text of one changed file, as the change leaves it."""

    path: str
    text: str
    added: frozenset[int] | None = None
    """Lines the change added; None: any line not present in a base version counts."""
    base_texts: Sequence[str] = ()
    new_import_spans: Sequence[tuple[int, int]] = ()
    """(first, last) lines of the statements that hold imports new in this change (Python files)."""
    _directives: dict[int, list[Suppression]] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def _base_lines(self) -> set[str]:
        return {line.strip() for base in self.base_texts for line in base.split("\n")}

    @cached_property
    def _logical(self) -> LogicalLines:
        return LogicalLines(self.text)

    @property
    def is_python(self) -> bool:
        return self.path.endswith(PYTHON_SUFFIXES)

    def is_new(self, line: int) -> bool:
        """Whether the change added ``line`` with text no base version holds (moved lines are not new)."""
        if self.added is not None and line not in self.added:
            return False
        return 0 < line <= len(self.lines) and self.lines[line - 1].strip() not in self._base_lines

    def span(self, line: int) -> tuple[int, int]:
        """The lines a suppression comment may stand on to cover a finding at ``line``."""
        if not self.is_python:
            return line, line
        statement = self._logical.at(line)
        return statement.first, statement.last

    def directives(self, line: int) -> list[Suppression]:
        """The directives in comments on physical ``line`` (parsed once, so ``used`` marks stick)."""
        if line not in self._directives:
            self._directives[line] = self._parse(line)
        return self._directives[line]

    def _parse(self, line: int) -> list[Suppression]:
        if not 0 < line <= len(self.lines) or "hallucheck" not in self.lines[line - 1].lower():
            return []
        found = []
        for offset, comment in self._comments(line):
            found += parse_directives(comment, self.path, line, offset + 1)
        return found

    def _comments(self, line: int) -> list[tuple[int, str]]:
        """(column offset, comment) pairs of the comments on ``line``; never text inside a string."""
        from hallucheck.sources.python import comments

        text = self.lines[line - 1]
        if self.is_python:
            first, last = self.span(line)
            statement = "\n".join(self.lines[first - 1 : last])
            start = sum(len(item) + 1 for item in self.lines[first - 1 : line - 1])
            return [
                (offset - start, comment)
                for offset, comment in comments(statement)
                if start <= offset < start + len(text) + 1
            ]
        if self.path.endswith(_TOML_SUFFIXES):
            return comments(text)
        match = _PIP_COMMENT.search(text)
        return [(match.start(1), match.group(1))] if match else []

    def holds_new_import(self, first: int, last: int) -> bool:
        return any(start <= last and first <= end for start, end in self.new_import_spans)

    def may_import(self, first: int, last: int) -> bool:
        from hallucheck.sources.imports import may_import

        return may_import("\n".join(self.lines[first - 1 : last]))


class Sources:
    """The changed files a policy needs, read lazily from the change's snapshots."""

    def __init__(
        self,
        target: Snapshot,
        base: Snapshot,
        scanned: Mapping[str, SourceFile],
        manifests: Sequence[str] = (),
    ) -> None:
        self._target = target
        self._base = base
        self._files: dict[str, SourceFile | None] = dict(scanned)
        self._manifests = manifests

    def get(self, path: str) -> SourceFile | None:
        if path not in self._files:
            self._files[path] = self._read(path)
        return self._files[path]

    def _read(self, path: str) -> SourceFile | None:
        if path.endswith(PYTHON_SUFFIXES):
            return None  # every decodable changed Python file was scanned; the others cannot hold a comment
        data = self._target.read(path)
        if data is None:
            return None
        base = self._base.read(path)
        return SourceFile(path, _decode(data), None, () if base is None else (_decode(base),))

    def changed(self) -> Iterator[SourceFile]:
        """Files whose added lines may hold suppressions: the scanned Python files and the manifests."""
        seen = set()
        for path in [*self._files, *self._manifests]:
            source = self.get(path)
            if source is not None and path not in seen:
                seen.add(path)
                yield source


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace").replace("\r\n", "\n")


@dataclass(frozen=True)
class PolicyResult:
    findings: list[Finding]
    suppressed: int


def apply_policy(
    findings: Sequence[Finding], config: Config, sources: Sources, *, scope: str = "change", honour_new: bool = True
) -> PolicyResult:
    """The findings that remain once configuration and suppression comments have had their say.

    A suppression comment that this change adds (``scope``: ``change`` or ``range``) does not hide what it
    covers silently: the finding becomes an HC101 warning naming the comment. With ``honour_new`` false (the
    policy is the base's) such a comment hides nothing at all.
    """
    from hallucheck.policy.relaxations import RELAXED

    kept, suppressed = [], 0
    relaxed: dict[int, tuple[Suppression, list[Finding]]] = {}
    for item in findings:
        if item.code == RELAXED:
            kept.append(item)
            continue
        if _dropped_by_config(item, config):
            continue
        old, new = _covering(item, sources)
        if old:
            suppressed += 1
        elif new and honour_new:
            relaxed.setdefault(id(new[0]), (new[0], []))[1].append(item)
        else:
            kept.append(item)
    kept += _unused_suppressions(sources)
    result = [
        item if item.code == RELAXED else _with_severity(item, config)
        for item in kept
        if item.code == RELAXED or config.severity.get(item.code) != "off"
    ]
    result += [_relaxed_by_comment(directive, items, scope) for directive, items in relaxed.values()]
    return PolicyResult(sorted(result, key=sort_key), suppressed)


def _relaxed_by_comment(directive: Suppression, hidden: list[Finding], scope: str) -> Finding:
    from hallucheck.policy.relaxations import Relaxation, relaxed_finding

    where = Relaxation(
        "suppression", directive.text, f"`{directive.text}`", directive.path, directive.line, directive.column
    )
    return relaxed_finding(where, hidden, scope=scope)


def _dropped_by_config(item: Finding, config: Config) -> bool:
    if config.severity.get(item.code) == "off":
        return True
    if item.module is not None and config.ignore and config.is_ignored(item.module):
        return True
    # An approved dependency no longer needs review; errors about it (a typosquat, say) still stand.
    return item.rule.severity is Severity.REVIEW and item.distribution in config.approved


def _covering(item: Finding, sources: Sources) -> tuple[list[Suppression], list[Suppression]]:
    """The directives that cover ``item``: those already there before the change, and those it adds."""
    if item.code == UNUSED:
        return [], []
    source = sources.get(item.path)
    if source is None or item.line < 1:
        return [], []
    first, last = source.span(item.line)
    old: list[Suppression] = []
    new: list[Suppression] = []
    for line in range(first, last + 1):
        for directive in source.directives(line):
            if directive.covers(item.code):
                directive.used = True
                (new if source.is_new(line) else old).append(directive)
    return old, new


def _unused_suppressions(sources: Sources) -> list[Finding]:
    findings = []
    for source in sources.changed():
        for line in _lines_mentioning(source):
            for directive in source.directives(line):
                message = _unused_message(source, directive)
                if message is not None:
                    findings.append(_unused_finding(directive, message))
    return findings


def _lines_mentioning(source: SourceFile) -> list[int]:
    candidates = source.added if source.added is not None else range(1, len(source.lines) + 1)
    return [
        line
        for line in sorted(candidates)
        if 0 < line <= len(source.lines)
        and "hallucheck" in source.lines[line - 1].lower()
        and source.is_new(line)
    ]


def _unused_message(source: SourceFile, directive: Suppression) -> str | None:
    quoted = f"`{directive.text}`"
    if not directive.valid:
        expected = "`# hallucheck: ignore` or `# hallucheck: ignore[CODE,...]`"
        return f"{quoted} is not a valid directive (expected {expected})"
    if directive.unknown:
        return f"{quoted} names unknown code(s) {', '.join(directive.unknown)}"
    if directive.used:
        return None
    first, last = source.span(directive.line)
    if source.is_python and not source.holds_new_import(first, last) and source.may_import(first, last):
        return (
            None  # an import that was already there: this run did not check it, so cannot judge the comment
        )
    wanted = "nothing" if directive.codes is None else "no " + "/".join(sorted(directive.codes)) + " finding"
    return f"unused suppression {quoted}: {wanted} is reported here"


def _unused_finding(directive: Suppression, message: str) -> Finding:
    return finding(
        UNUSED,
        directive.path,
        directive.line,
        directive.column,
        message,
        "Remove the comment or correct the codes it names: a stale suppression would silently hide a real "
        "problem added to this line later.",
    )


def _with_severity(item: Finding, config: Config) -> Finding:
    level = config.severity.get(item.code)
    if level is None or level == item.severity.value:
        return item
    return replace(item, severity=Severity(level))
