"""A baseline: the findings a project accepted when it adopted hallucheck.

``hallucheck baseline`` records the findings of a whole-repository check in a JSON
file; later runs drop the findings it lists. A finding is keyed by path, code,
module and distribution, never by line or column, so moving code around a file
keeps it baselined; each key carries a count, so a second identical import in the
same file is reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hallucheck.findings import Finding
from hallucheck.lazy import Slots, record
from hallucheck.snapshot import Snapshot

DEFAULT_PATH = ".hallucheck-baseline.json"
FORMAT_VERSION = 1
_KEY_FIELDS = ("path", "code", "module", "distribution")

BaselineKey = tuple[str, str, str, str]


class BaselineError(ValueError):
    """The baseline file cannot be used; the message names it."""


def key_of(item: Finding) -> BaselineKey:
    return (item.path, item.code, item.module or "", item.distribution or "")


@record(frozen=True)
class Baseline:
    path: str
    counts: Mapping[BaselineKey, int]

    def __len__(self) -> int:
        return sum(self.counts.values())

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """``(reported, baselined)``: each key drops at most as many findings as it was recorded."""
        remaining = Counter(self.counts)
        reported, baselined = [], []
        for item in findings:
            key = key_of(item)
            if remaining[key] > 0:
                remaining[key] -= 1
                baselined.append(item)
            else:
                reported.append(item)
        return reported, baselined


def render(findings: Sequence[Finding]) -> str:
    """The baseline file for ``findings``: sorted, one entry per key, stable across runs."""
    import json

    counts = Counter(key_of(item) for item in findings)
    document = {
        "version": FORMAT_VERSION,
        "about": "Findings accepted by `hallucheck baseline`; hallucheck reports only findings not listed "
        "here. Regenerate it with `hallucheck baseline`.",
        "findings": [
            {**dict(zip(_KEY_FIELDS, key, strict=True)), "count": count} for key, count in sorted(counts.items())
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse(data: bytes, path: str) -> Baseline:
    import json

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BaselineError(f"{path}: not valid UTF-8 ({error.reason}); regenerate it") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    except (RecursionError, ValueError):  # nesting too deep, or a number too long, for Python to read
        raise BaselineError(f"{path}: not a hallucheck baseline (too deeply nested or too long a number)") from None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: not a version {FORMAT_VERSION} hallucheck baseline; regenerate it")
    entries = document.get("findings", [])
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: `findings` must be a list; regenerate it")
    counts: Counter[BaselineKey] = Counter()
    for entry in entries:
        counts[_entry_key(entry, path)] += _entry_count(entry, path)
    return Baseline(path, counts)


def _entry_key(entry: Any, path: str) -> BaselineKey:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(name, ""), str) for name in _KEY_FIELDS):
        raise BaselineError(f"{path}: malformed entry {_shown(entry)}")
    if not entry.get("path") or not entry.get("code"):
        raise BaselineError(f"{path}: entry without path or code: {_shown(entry)}")
    return (entry["path"], entry["code"], entry.get("module") or "", entry.get("distribution") or "")


def _entry_count(entry: dict[str, Any], path: str) -> int:
    count = entry.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise BaselineError(f"{path}: entry count must be a positive integer: {_shown(entry)}")
    return count


def baseline_path(snapshot: Snapshot) -> str:
    """The repository-relative baseline path: ``[tool.hallucheck] baseline``, else :data:`DEFAULT_PATH`."""
    from hallucheck.config import load_config

    return checked_path(load_config(snapshot).baseline)


def checked_path(configured: str | None) -> str:
    """``configured`` (else :data:`DEFAULT_PATH`) as a clean path inside the repository; BaselineError if not."""
    path = configured or DEFAULT_PATH
    parts = path.replace("\\", "/").split("/")
    if path.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or not parts[-1]:
        raise BaselineError(f"baseline path {path!r} must be a file path inside the repository")
    return "/".join(part for part in parts if part not in ("", "."))


def load(snapshot: Snapshot, configured: str | None = None, *, configured_given: bool = False) -> Baseline | None:
    """The baseline recorded in ``snapshot``, or None when the project has none.

    ``configured`` is the ``baseline`` setting when the caller has the configuration already
    (``configured_given``); otherwise the configuration is read from ``snapshot``.
    """
    path = checked_path(configured) if configured_given else baseline_path(snapshot)
    data = snapshot.read(path)
    return None if data is None else parse(data, path)


def may_hide(item: Finding, mode: str) -> bool:
    """Whether a baseline may hide ``item``: anything in files mode; in staged and range mode never a
    finding about an import or dependency the change adds, only the state of a file (a syntax error, an
    unreadable manifest) that the baseline accepted."""
    from hallucheck.policy.relaxations import RELAXED

    if item.code == RELAXED:
        return False
    return mode == "files" or (item.module is None and item.distribution is None)


_SHOWN = 5
"""Baseline entries named in one message; the rest are counted."""


class BaselineOutcome(Slots):
    __slots__ = ("hidden", "kept", "relaxed")

    kept: list[Finding]
    hidden: list[Finding]
    relaxed: list[Finding]
    """HC101 for baseline entries the change adds (each that hides something; every one over a range)."""

    def __init__(self, kept: list[Finding], hidden: list[Finding], relaxed: list[Finding]) -> None:
        self.kept = kept
        self.hidden = hidden
        self.relaxed = relaxed


def apply_baseline(
    findings: Sequence[Finding], baseline: Baseline | None, base: Baseline | None, *, mode: str,
    new_lines: Mapping[str, frozenset[int]] | None = None,
) -> BaselineOutcome:
    """``findings`` less those ``baseline`` may hide in ``mode``; entries new since ``base`` are reported.

    In files mode, ``new_lines`` (the lines each file gained since HEAD's parent, line 0 for all of a file) says
    that ``base`` is the parent's baseline: an entry added since hides nothing on a line added since.
    """
    if baseline is None:
        return BaselineOutcome(list(findings), [], [])
    eligible = [item for item in findings if may_hide(item, mode)]
    others = [item for item in findings if not may_hide(item, mode)]
    kept, hidden = baseline.split(eligible)
    if mode == "files" and new_lines is None:
        return BaselineOutcome(others + kept, hidden, [])
    if mode == "files":
        assert new_lines is not None
        return _files_since_parent(others + kept, hidden, baseline, base, new_lines)
    before = Counter(base.counts) if base is not None else Counter()
    added = Counter(baseline.counts) - before
    _, hidden_before = base.split(eligible) if base is not None else ([], [])
    newly = Counter(key_of(item) for item in hidden) - Counter(key_of(item) for item in hidden_before)
    scope = "range" if mode == "range" else "change"
    relaxed = []
    idle = []
    for key in sorted(added):
        items = [item for item in hidden if key_of(item) == key][: newly[key]]
        if items or mode == "range":
            relaxed.append(_relaxed_entry(baseline.path, key, items, scope))
        else:
            idle.append(key)
    if idle:
        relaxed.append(_idle_entries(baseline.path, idle))
    return BaselineOutcome(others + kept, hidden, relaxed)


def _files_since_parent(
    kept: list[Finding], hidden: list[Finding], baseline: Baseline, base: Baseline | None,
    new_lines: Mapping[str, frozenset[int]],
) -> BaselineOutcome:
    """Files mode, with the baseline of HEAD's parent as ``base``: entries added since do not hide findings on
    lines added since (HC101 names each such entry and what it would have hidden); those that hide older code
    are named together."""
    added = Counter(baseline.counts) - (Counter(base.counts) if base is not None else Counter())
    if not added:
        return BaselineOutcome(kept, hidden, [])
    still_hidden: list[Finding] = []
    fresh: dict[BaselineKey, list[Finding]] = {}
    older: set[BaselineKey] = set()
    budget = Counter(added)
    for item in hidden:
        key = key_of(item)
        lines = new_lines.get(item.path, frozenset())
        if budget[key] > 0 and (0 in lines or item.line in lines):
            budget[key] -= 1
            fresh.setdefault(key, []).append(item)
        else:
            older.update([key] if key in added else [])
            still_hidden.append(item)
    relaxed = [_relaxed_entry(baseline.path, key, items, "change", applied=False) for key, items in fresh.items()]
    rest = [key for key in sorted(added) if key not in fresh]
    if rest:
        relaxed.append(_idle_entries(baseline.path, rest, older=bool(older)))
    return BaselineOutcome(kept + [item for items in fresh.values() for item in items], still_hidden, relaxed)


def _idle_entries(path: str, keys: Sequence[BaselineKey], *, older: bool = False) -> Finding:
    """One HC101 for the baseline entries a commit adds that hide nothing it adds (a baseline hides only what
    files mode finds, ``--all-files`` and pre-commit.ci): each is named, so that a baseline written ahead of
    the import it will hide is seen when it is committed."""
    from hallucheck.policy.relaxations import Relaxation, relaxed_finding

    shown = [f"{code}{''.join(f' `{name}`' for name in (module, distribution) if name)} for {file}"
             for file, code, module, distribution in keys[:_SHOWN]]  # fmt: skip
    more = f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else ""
    entry = Relaxation("baseline", "*", f"{len(keys)} baseline entr{'y' if len(keys) == 1 else 'ies'} "
                       f"({', '.join(shown)}{more}) added", path)  # fmt: skip
    they, hide, lists = ("they", "hide", "list") if len(keys) > 1 else ("it", "hides", "lists")
    tail = (f": {they} {hide} nothing a commit adds, but files mode (`--all-files`, pre-commit.ci) does not "
            f"report what {they} {lists}")
    if older:
        tail = f": in files mode {they} {hide} what {they} {lists} in code older than this change"
    return relaxed_finding(entry, [], scope="change", tail=tail)


def _relaxed_entry(
    path: str, key: BaselineKey, hidden: Sequence[Finding], scope: str, *, applied: bool = True
) -> Finding:
    from hallucheck.policy.relaxations import Relaxation, relaxed_finding

    file, code, module, distribution = key
    subject = "".join(f" `{name}`" for name in (module, distribution) if name)
    entry = Relaxation("baseline", code, f"baseline entry {code}{subject} for {file}", path)
    found = relaxed_finding(entry, hidden, scope=scope)
    if applied:
        return found
    from hallucheck.lazy import replace

    text = found.message.replace(" lets through what this change adds: ", " would hide what this change adds: ")
    return replace(found, message=text + " (not applied: a baseline entry does not hide a line made with it)")


def _shown(entry: Any) -> str:
    """The start of ``entry`` as JSON, for messages (an entry too deeply nested to render is elided)."""
    import json

    try:
        return json.dumps(entry)[:80]
    except (RecursionError, ValueError):
        return "..."
