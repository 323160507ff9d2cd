"""Where a manifest's text goes past what a parser can read: brackets nested deeper than a recursive parser
follows, numbers longer than Python converts. The problem a manifest reader reports points at that line."""

from __future__ import annotations

from hallucheck.lazy import LazyPattern

_DEPTH = 100
_NESTING = LazyPattern(r"""[\[\]{}()\n"']""")
_LONG_NUMBER = LazyPattern(r"\d{1000,}")


def deepest_line(text: str, limit: int = _DEPTH) -> int:
    """The 1-based line where brackets first nest deeper than ``limit`` (else the longest line).

    Names the place in text too deeply nested for a recursive parser (TOML,
    JSON, YAML flow collections, Python expressions); strings are skipped roughly.
    """
    depth, line, quote = 0, 1, ""
    for match in _NESTING.finditer(text):
        char = match.group()
        if char == "\n":
            line, quote = line + 1, ""  # strings rarely span lines; a stray quote in a comment ends here
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{(":
            depth += 1
            if depth > limit:
                return line
        else:
            depth -= 1
    lines = text.split("\n")
    return max(range(len(lines)), key=lambda index: len(lines[index])) + 1


def long_number_line(text: str) -> int:
    """The 1-based line of the first number too long for Python to convert (1 when there is none)."""
    match = _LONG_NUMBER.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1
