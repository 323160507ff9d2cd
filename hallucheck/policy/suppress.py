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

from collections.abc import Iterator, Mapping, Sequence

from hallucheck.config import Config
from hallucheck.findings import Finding, Severity, finding, sort_key
from hallucheck.lazy import Slots, replace
from hallucheck.manifests.sources import is_approved
from hallucheck.snapshot import Snapshot
from hallucheck.sources.directives import PYTHON_SUFFIXES, UNUSED, SourceFile, Suppression


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


class PolicyResult(Slots):
    __slots__ = ("findings", "suppressed")

    findings: list[Finding]
    suppressed: int

    def __init__(self, findings: list[Finding], suppressed: int) -> None:
        self.findings = findings
        self.suppressed = suppressed


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
    # An approved dependency no longer needs review when the approval covers its source (the index, or that
    # one URL); errors about it (a typosquat, say) still stand.
    return item.rule.severity is Severity.REVIEW and is_approved(config.approved, item.distribution, item.requirement)


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
    # A statement the change touches is judged whole: a comment on a line it left alone (line 2 of a
    # `from x import (` whose line 1 now names another module) covers what the change made of it as if added.
    touched = any(source.is_new(line) for line in range(first, last + 1))
    for line in range(first, last + 1):
        for directive in source.directives(line):
            if directive.covers(item.code):
                directive.used = True
                (new if touched or not source.was_directive(directive) else old).append(directive)
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
        if 0 < line <= len(source.lines) and "hallucheck" in source.lines[line - 1].lower() and source.is_new(line)
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
        return None  # an import that was already there: this run did not check it, so cannot judge the comment
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
