"""Zero-context patches, as ``git diff-index -p -U0`` / ``git diff-tree -p -U0`` print them, read exactly.

Only what the check needs is read: per target path, the added lines by number, and
where a hunk may have moved string boundaries. Hunk bodies are consumed by the
line counts of their headers, so no content line is ever mistaken for a header; the
target path comes from the ``+++`` line (never from ``diff --git``, where a path
holding `` b/`` is ambiguous) and the caller checks it against the ``-z --raw``
names. Combined diffs (``diff --cc``) are never fed here.
"""

from __future__ import annotations

from collections.abc import Collection

from hallucheck.git.repository import GitError, unquote_path
from hallucheck.lazy import LazyPattern, Slots

# Changed text that can move where strings begin and end for the rest of the file: a triple quote,
# or a backslash ending a line (it continues a one-quote string too).
_MAY_MOVE_STRINGS = LazyPattern(r"\"\"\"|'''|\\\r?(?:\n|$)")
_HUNK = LazyPattern(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchedFile(Slots):
    """What a patch changes in one file."""

    __slots__ = ("added", "reopens_from", "touches_head")

    def __init__(
        self, added: dict[int, str] | None = None, reopens_from: int | None = None, touches_head: bool = False
    ) -> None:
        self.added: dict[int, str] = {} if added is None else added
        """Added line number -> its text (without the newline)."""
        self.reopens_from = reopens_from
        """The first line from which string boundaries may have moved: a hunk added or removed a triple quote
        or a line-ending backslash, so text after it may have turned from a string into code (or back)."""
        self.touches_head = touches_head
        """A hunk changes line 1 or 2, where a coding cookie lives."""


def added_lines(patch: str) -> dict[str, PatchedFile]:
    """Added lines per target path of a zero-context git patch; GitError when it is not one."""
    result: dict[str, PatchedFile] = {}
    _read_lines(patch.split("\n"), result)
    return result


class PatchReading:
    """What :func:`read_patch` found: added lines of the wanted files, and what else the patch holds."""

    __slots__ = ("added", "binary", "named")

    def __init__(self) -> None:
        self.added: dict[str, PatchedFile] = {}
        """Wanted target path -> its added lines."""
        self.named: set[str] = set()
        """Every target path the patch names (wanted or not)."""
        self.binary = False
        """Some file was shown as ``Binary files ... differ`` (the patch was made without ``--text``)."""


def read_patch(patch: str, wanted: Collection[str]) -> PatchReading:
    """The added lines of the ``wanted`` targets of a zero-context patch of many files.

    A file's section ends where the next line starts with ``diff `` (no line of a hunk body can), so the
    sections of other files are passed over without reading their lines.
    """
    reading = PatchReading()
    for section in patch.split("\ndiff "):
        cut = section.find("\n@@ ")
        header = section if cut < 0 else section[:cut]
        target = None
        for line in header.split("\n"):
            if line.startswith("+++ "):
                target = _target_path(line[4:])
            elif line.startswith("Binary files "):
                reading.binary = True
        if target is None:
            continue  # a deleted file, a binary one, a change of mode only
        reading.named.add(target)
        if target in wanted:
            _read_lines(section.split("\n"), reading.added)
    return reading


def _read_lines(lines: list[str], result: dict[str, PatchedFile]) -> None:
    index, target = 0, None
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith("diff "):
            target = None
        elif line.startswith("+++ "):
            target = _target_path(line[4:])
        elif line.startswith("@@ "):
            index = _hunk(lines, index, line, None if target is None else result.setdefault(target, PatchedFile()))


def _target_path(text: str) -> str | None:
    # git ends the name with a tab when it holds a space (for GNU patch); a name with a tab is quoted.
    text = unquote_path(text[:-1] if text.endswith("\t") else text)
    if text == "/dev/null":
        return None
    if not text.startswith("b/"):
        raise GitError(f"unexpected patch header from git: +++ {text!r}")
    return text[2:]


def _hunk(lines: list[str], index: int, header: str, entry: PatchedFile | None) -> int:
    """Read the hunk whose header is ``header`` and whose body starts at ``lines[index]``; the next index."""
    match = _HUNK.match(header)
    if match is None:
        raise GitError(f"unexpected hunk header from git: {header!r}")
    old = 1 if match.group(2) is None else int(match.group(2))
    new = 1 if match.group(4) is None else int(match.group(4))
    start = number = int(match.group(3))
    changed: list[str] = []
    while old or new:
        if index >= len(lines):
            raise GitError("git's patch ended inside a hunk")
        line = lines[index]
        index += 1
        kind = line[:1]
        if kind == "+" and new:
            new -= 1
            if entry is not None:
                entry.added[number] = line[1:]
            changed.append(line[1:])
            number += 1
        elif kind == "-" and old:
            old -= 1
            changed.append(line[1:])
        elif kind == " " and old and new:
            old, new, number = old - 1, new - 1, number + 1
        elif kind != "\\":  # "\ No newline at end of file"
            raise GitError(f"unexpected line in git's patch: {line[:80]!r}")
    if entry is not None and entry.reopens_from is None and _MAY_MOVE_STRINGS.search("\n".join(changed)):
        entry.reopens_from = max(start, 1)
    if entry is not None and min(int(match.group(1)), start) <= 2:
        entry.touches_head = True
    return index
