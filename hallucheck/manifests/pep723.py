"""PEP 723 inline script metadata: a ``# /// script`` block declares the dependencies of that script only.

The block is TOML written as comment lines between ``# /// script`` and
``# ///`` (the reference regular expression of the specification). Its
``dependencies`` count for the file that holds it, on top of what the
enclosing project declares; nothing else sees them. A block that opens and
never closes, invalid TOML, a second ``script`` block, ``dependencies`` that is
not a list of PEP 508 strings: each is a problem at its line, so the script's
imports are not quietly checked against nothing.
"""

from __future__ import annotations

from hallucheck.lazy import LazyPattern, field, record
from hallucheck.manifests import Dependency, ManifestProblem

# The specification's regular expression (https://peps.python.org/pep-0723/#reference-implementation).
_BLOCK = LazyPattern(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
_OPENING = LazyPattern(r"(?m)^# /// script[ \t]*$")
MARKER = "# /// script"
"""Text that every file with a script block holds: files without it are not parsed at all."""


@record
class ScriptMetadata:
    """What the script block of one file declares, and what is wrong with it."""

    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[ManifestProblem] = field(default_factory=list)
    line: int = 0
    """The line of ``# /// script`` (0: there is no block)."""


def read_script(text: str, path: str) -> ScriptMetadata | None:
    """The script metadata of the Python file ``path`` with source ``text``; None when it has no block."""
    if MARKER not in text:
        return None
    blocks = [match for match in _BLOCK.finditer(text) if match.group("type") == "script"]
    opening = _OPENING.search(text)
    if not blocks:
        if opening is None:
            return None
        line = _line_at(text, opening.start())
        return ScriptMetadata(
            problems=[_problem(path, line, "the `# /// script` block is never closed by a `# ///` line")], line=line
        )
    block = blocks[0]
    metadata = ScriptMetadata(line=_line_at(text, block.start()))
    if len(blocks) > 1:
        metadata.problems.append(
            _problem(path, _line_at(text, blocks[1].start()), "a second `# /// script` block (PEP 723 allows one)")
        )
        return metadata
    content_start = metadata.line + 1
    toml = "".join(
        line[2:] if line.startswith("# ") else line[1:] for line in block.group("content").splitlines(keepends=True)
    )
    _read_toml(toml, path, content_start, metadata)
    return metadata


def _read_toml(toml: str, path: str, first_line: int, metadata: ScriptMetadata) -> None:
    from hallucheck.manifests.names import parse_requirement
    from hallucheck.manifests.tomlfile import load_toml

    document, problem = load_toml(toml, path)
    if document is None:
        line = first_line + (problem.line - 1 if problem else 0)
        message = problem.message if problem else "invalid TOML"
        metadata.problems.append(_problem(path, line, f"script metadata: {message}"))
        return
    dependencies = document.get("dependencies", [])
    if not isinstance(dependencies, list) or not all(isinstance(item, str) for item in dependencies):
        metadata.problems.append(
            _problem(path, metadata.line, "script metadata: `dependencies` must be a list of requirement strings")
        )
        return
    lines = toml.split("\n")
    for item in dependencies:
        line = first_line + next((index for index, text in enumerate(lines) if item in text), 0)
        try:
            name = parse_requirement(item)
        except ValueError as error:
            metadata.problems.append(_problem(path, line, f"script metadata: invalid requirement {item!r}: {error}"))
            continue
        metadata.dependencies.append(Dependency(name, item.strip(), path, line))


def _problem(path: str, line: int, message: str) -> ManifestProblem:
    return ManifestProblem(path, line, message)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
