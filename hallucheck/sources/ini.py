"""INI files as setuptools, tox and pytest read them: sections, keys and continued values, with their lines."""

from __future__ import annotations

from hallucheck.lazy import LazyPattern

SECTION = LazyPattern(r"^\[(?P<name>[^\]]+)\]")
_KEY = LazyPattern(r"^(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*)$")

Values = dict[tuple[str, str], list[tuple[int, str]]]
"""(section, key) -> the (line, text) pieces of its value."""


def scan(text: str) -> Values:
    """Every ``key = value`` of every section, as (line, text) pieces: the first line, then continuations."""
    values: Values = {}
    current: list[tuple[int, str]] | None = None
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if raw[0] in " \t" and current is not None:
            current.append((number, stripped))
            continue
        header = SECTION.match(stripped)
        if header and raw[0] == "[":
            section, current = header.group("name").strip(), None
            continue
        assignment = _KEY.match(stripped)
        if assignment is None:
            current = None
            continue
        current = values.setdefault((section, assignment.group("key").strip()), [])
        current.clear()
        if assignment.group("value"):
            current.append((number, assignment.group("value")))
    return values
