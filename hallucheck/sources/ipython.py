"""IPython's input syntax turned into the Python IPython runs, line for line (for reading, never for running).

IPython rewrites a cell before Python sees it (``IPython/core/inputtransformer2.py``): it strips a common
leading indent and ``>>>``/``In [1]:`` prompts, turns a ``%%magic`` cell into ``run_cell_magic``, and at the
start of each logical line turns the escapes into calls:

========================  ==============================================
``!cmd``                  ``get_ipython().system('cmd')``
``!!cmd``                 ``get_ipython().getoutput('cmd')``
``%magic args``           ``get_ipython().run_line_magic('magic', 'args')``
``x = !cmd``              ``x = get_ipython().getoutput('cmd')``
``x = %magic args``       ``x = get_ipython().run_line_magic('magic', 'args')``
``,f a b``                ``f("a", "b")``
``;f a b``                ``f("a b")``
``/f a b``                ``f(a, b)``
========================  ==============================================

An escaped line ending in a backslash continues on the next line. :func:`ipython_python` does the same and
keeps the line count (a continued escape leaves empty lines), so what a reader finds is on the cell's own line.
:func:`var_expand` is what IPython does to a shell command and a magic's arguments before running them:
``{expr}`` and ``$name`` are Python values, known only at run time. Pure: text in, text out.
"""

from __future__ import annotations

import re

from hallucheck.lazy import LazyPattern

_CLASSIC_FIRST = LazyPattern(r"^>>>( |$)")
_CLASSIC = LazyPattern(r"^(>>>|\.\.\.)( |$)")
_IPYTHON_PROMPT = LazyPattern(r"^(In \[\d+\]: |\s*\.{3,}: ?)")
_ASSIGNED = LazyPattern(r"^(?P<lhs>[^=!%()\[\]{}'\"#]*[^=!<>:+\-*/%&|^@ \t])\s*=\s*(?=[!%])")
_EXPANSION = LazyPattern(r"\$\$|\{\{|\}\}|\{(?P<expr>[^{}]*)\}|\$(?P<name>[A-Za-z_][A-Za-z0-9_.]*)")
_IDENTIFIER = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
_EXECUTABLE = frozenset({"sys.executable", "sys.executable!r", "python", "python_executable"})
_ESCAPES = ("!", "%", ",", ";", "/", "?")


def ipython_python(cell: str) -> str:
    """The Python IPython runs for ``cell`` (a code cell's source), with the cell's line count."""
    lines = _cleaned(cell.split("\n"))
    if lines and lines[0].startswith("%%"):
        name, _, line = lines[0][2:].partition(" ")
        body = "\n".join(lines[1:])
        return f"get_ipython().run_cell_magic({name!r}, {line!r}, {body!r})" + "\n" * (len(lines) - 1)
    out: list[str] = []
    depth = 0
    quote = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if depth == 0 and not quote:
            translated, used = _escaped(lines, index)
            if translated is not None:
                out.append(translated)
                out += [""] * (used - 1)
                index += used
                continue
        depth, quote = scan(line, depth, quote)
        out.append(line)
        index += 1
    return "\n".join(out)


def var_expand(command: str) -> str:
    """``command`` as IPython expands it before running it: each ``{expr}`` and ``$name`` becomes a shell
    expansion (known only at run time), except a Python interpreter (``{sys.executable}``); ``$$`` is ``$``."""

    def expanded(match: re.Match[str]) -> str:
        text: str = match.group(0)
        if text in ("$$", "{{", "}}"):
            return text[0]
        expression = str(match.group("expr") if match.group("expr") is not None else match.group("name")).strip()
        if expression in _EXECUTABLE:
            return "python"
        words = "_".join(_IDENTIFIER.findall(expression))
        return "${" + (words or "value") + "}"

    if "{" not in command and "$" not in command:
        return command
    return _EXPANSION.sub(expanded, command)


def _cleaned(lines: list[str]) -> list[str]:
    """IPython's clean-up: a leading indent common to the cell, then ``>>>`` or ``In [1]:`` prompts."""
    if lines and lines[0][:1] in (" ", "\t"):
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))]
        lines = [line[len(indent):] if line.startswith(indent) else line for line in lines]
    if lines and (_CLASSIC_FIRST.match(lines[0]) or (len(lines) > 1 and _CLASSIC.match(lines[1]))):
        lines = [_CLASSIC.sub("", line, count=1) for line in lines]
    if lines and (_IPYTHON_PROMPT.match(lines[0]) or (len(lines) > 1 and _IPYTHON_PROMPT.match(lines[1]))):
        lines = [_IPYTHON_PROMPT.sub("", line, count=1) for line in lines]
    return lines


def _escaped(lines: list[str], index: int) -> tuple[str | None, int]:
    """The call an escaped logical line starting at ``lines[index]`` becomes, and how many lines it spans."""
    line = lines[index]
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)]
    lhs = ""
    assigned = _ASSIGNED.match(stripped)
    if assigned is not None:
        lhs = stripped[: assigned.end()]
        stripped = stripped[assigned.end():]
    if not stripped.startswith(_ESCAPES) or (lhs and not stripped.startswith(("!", "%"))):
        return None, 1
    end = index
    while lines[end].endswith("\\") and end + 1 < len(lines):
        end += 1
    parts = [stripped, *lines[index + 1:end + 1]]
    content = " ".join([part[:-1] for part in parts[:-1]] + [parts[-1]])
    return indent + lhs + _call(content, assigned=bool(lhs)), end - index + 1


def _call(line: str, *, assigned: bool) -> str:
    if line.startswith("!!") or (assigned and line.startswith("!")):
        return f"get_ipython().getoutput({line[2 if line.startswith('!!') else 1:]!r})"
    if line.startswith("!"):
        return f"get_ipython().system({line[1:]!r})"
    if line.startswith("?"):
        return "None"
    escape, content = line[0], line[1:]
    name, _, arguments = content.partition(" ")
    if escape == "%":
        return f"get_ipython().run_line_magic({name!r}, {arguments!r})"
    if escape == ",":
        return f"{name}({', '.join(repr(word) for word in arguments.split())})"
    if escape == ";":
        return f"{name}({arguments!r})"
    return f"{name}({', '.join(arguments.split())})"


def scan(line: str, depth: int, quote: str) -> tuple[int, str]:
    """Bracket depth and open string quote after ``line`` (so an escape inside a bracket or string is text)."""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if line.startswith(quote, index):
                index += len(quote)
                quote = ""
                continue
            index += 1
            continue
        if char == "#":
            break
        if char in "'\"":
            triple = line[index:index + 3]
            quote = triple if triple in ("'''", '"""') else char
            index += len(quote)
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        index += 1
    if quote in ("'", '"') and not line.endswith("\\"):
        quote = ""  # an unclosed one-line string ends with its line (a syntax error)
    return depth, quote
