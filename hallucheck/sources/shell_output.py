"""What a simple command prints, when its words tell without running anything: ``echo``, ``printf``, ``cat``,
``tee`` and the commands that print nothing.

A script that writes requirements or commands with these and hands them on (``echo x > r.txt``, ``printf
"pip install x" | sh``, ``-r <(printf ...)``) names what it installs in its own text: this module gives that
text back so the caller can read it. Anything else (a program, a computed word, output past
:data:`MAX_OUTPUT`) is unknown (None), and the caller must not pass it. Pure: words in, text out.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence

UNKNOWN = "\x00"
MAX_OUTPUT = 65_536
"""Longer output is not spelled out (it is unknown): a script doubling a file in a loop stays linear."""
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b",
            "\\": "\\", "'": "'", '"': '"', "?": "?"}
_PRINTF_DIRECTIVE = r"%(?P<flags>[-+ #0]*)(?P<width>[0-9]*|\*)(?:\.(?P<precision>[0-9]*|\*))?(?P<conversion>.)"
_SILENT = frozenset({"true", ":", "false", "mkdir", "touch", "rm", "cd", "export", "set", "shopt", "alias"})


def printed(words: Sequence[str], stdin: str | None, files: Mapping[str, str | None]) -> str | None:
    """The standard output of the simple command ``words`` (fields after quote removal), given its standard
    input (None: unknown) and the files the script wrote before it (a None content: unknown); None when the
    output is not known from the text."""
    if not words or any(UNKNOWN in word for word in words):
        return None
    program, arguments = posixpath.basename(words[0]), list(words[1:])
    if program == "echo":
        output: str | None = _echo(arguments)
    elif program == "printf":
        output = _printf(arguments)
    elif program == "cat":
        output = _cat(arguments, stdin, files)
    elif program == "tee":
        output = stdin
    elif program in _SILENT:
        output = ""
    else:
        return None
    return output if output is None or len(output) <= MAX_OUTPUT else None


def file_key(path: str) -> str:
    """The name under which a path written or read by a script is recognised (``./r.txt`` is ``r.txt``)."""
    return posixpath.normpath(path) if path else path


def _echo(arguments: list[str]) -> str:
    """``echo [-neE] WORDS``; escapes are read as ``sh`` (dash) reads them, where ``echo`` always expands them,
    unless ``-E`` says not to."""
    newline, escapes = True, True
    while arguments and re.fullmatch(r"-[neE]+", arguments[0]):
        flags = arguments[0][1:]
        newline = newline and "n" not in flags
        if "e" in flags or "E" in flags:
            escapes = flags.rfind("e") > flags.rfind("E")
        arguments = arguments[1:]
    text = " ".join(arguments)
    if escapes:
        text, stopped = _expand_escapes(text)
        if stopped:
            return text
    return text + ("\n" if newline else "")


def _expand_escapes(text: str) -> tuple[str, bool]:
    """Backslash escapes of ``echo -e``/``printf %b`` and whether ``\\c`` ended the output there."""
    if "\\" not in text:
        return text, False
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\" or index + 1 >= len(text):
            out.append(char)
            index += 1
            continue
        head = text[index + 1]
        if head == "c":
            return "".join(out), True
        if head in _ESCAPES:
            out.append(_ESCAPES[head])
            index += 2
            continue
        octal = re.match(r"0?([0-7]{1,3})", text[index + 1:index + 5])
        hexadecimal = re.match(r"x([0-9A-Fa-f]{1,2})", text[index + 1:index + 4])
        if octal is not None:
            out.append(chr(int(octal.group(1), 8) & 0xFF))
            index += 1 + octal.end()
        elif hexadecimal is not None:
            out.append(chr(int(hexadecimal.group(1), 16)))
            index += 1 + hexadecimal.end()
        else:
            out.append(char)
            index += 1
    return "".join(out), False


def _printf(arguments: list[str]) -> str | None:
    """``printf FORMAT [ARGUMENTS]``: the format is reused while arguments remain (at least once)."""
    if not arguments:
        return None
    if arguments[0] == "--":
        arguments = arguments[1:]
    if not arguments or arguments[0].startswith("-v"):
        return None  # `-v VAR` assigns a variable, prints nothing the caller can use
    form, values = arguments[0], arguments[1:]
    out: list[str] = []
    while True:
        text = _printf_once(form, values)
        if text is None:
            return None
        chunk, used = text
        out.append(chunk)
        values = values[used:]
        if not values or not used or sum(map(len, out)) > MAX_OUTPUT:
            return "".join(out)


def _printf_once(form: str, values: list[str]) -> tuple[str, int] | None:
    out: list[str] = []
    used = 0
    position = 0
    for match in re.finditer(_PRINTF_DIRECTIVE + r"|%$", form):
        out.append(_expand_escapes(form[position:match.start()])[0])
        position = match.end()
        conversion = match.group("conversion")
        if conversion is None or conversion == "%":
            out.append("%")
            continue
        if "*" in (match.group("width") or "") + (match.group("precision") or ""):
            return None
        value = values[used] if used < len(values) else ""
        used += 1
        if conversion == "s":
            out.append(value)
        elif conversion == "b":
            out.append(_expand_escapes(value)[0])
        elif conversion in "di":
            out.append(value if re.fullmatch(r"-?[0-9]+", value) else "0")
        elif conversion == "c":
            out.append(value[:1])
        else:
            return None
    out.append(_expand_escapes(form[position:])[0])
    return "".join(out), used


def _cat(arguments: list[str], stdin: str | None, files: Mapping[str, str | None]) -> str | None:
    """``cat [FILES]``: standard input for none or ``-``; a file the script wrote before, else unknown."""
    names = [argument for argument in arguments if argument == "-" or not argument.startswith("-")]
    if not names:
        return stdin
    parts: list[str] = []
    for name in names:
        content = stdin if name == "-" else files.get(file_key(name))
        if content is None:
            return None
        parts.append(content)
    return "".join(parts)
