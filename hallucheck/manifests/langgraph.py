"""``langgraph.json``: a LangGraph application, whose ``dependencies`` the LangGraph CLI installs.

``langgraph build``/``up``/``dev`` install each entry of ``dependencies``: ``.`` or a path (``./my_agent``,
``../../libs/common``; pip reads ``tests/example_app`` as one too) is a local package installed from that
directory (first-party code; a directory without a manifest is installed under its own name), anything else a
pip requirement (``langchain_openai``, ``langchain-anthropic>=0.3``).
"""

from __future__ import annotations

import posixpath

from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader, resolve_path


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``langgraph.json`` at ``path`` into ``reader``."""
    import json

    text = reader.text(path)
    if text is None or not text.strip():
        return  # an empty file (a test fixture) declares nothing
    try:
        document = json.loads(text)
    except ValueError as error:
        reader.problem(path, 1, f"cannot read {path}: not valid JSON: {error}")
        return
    dependencies = document.get("dependencies", []) if isinstance(document, dict) else []
    if not isinstance(dependencies, list):
        reader.problem(path, _line_of(text, '"dependencies"'), "`dependencies` must be a list of strings")
        return
    for entry in dependencies:
        if not isinstance(entry, str) or not entry.strip():
            reader.problem(path, _line_of(text, '"dependencies"'), f"`dependencies`: {entry!r} is not a string")
            continue
        line = _line_of(text, json.dumps(entry))
        if _is_path(entry):
            directory = resolve_path(posixpath.dirname(path), entry)
            if directory is not None:  # named as the CLI installs it, so that a requirement on its line stays one
                reader.local(directory, path, line, canonical_name(posixpath.basename(directory)) or ".")
        else:
            reader.requirement(entry, path, line, " in langgraph.json dependencies")


def _is_path(entry: str) -> bool:
    """A local directory: the CLI's ``.``-paths, and what pip reads as one (``tests/example_app``), not a URL."""
    return entry.startswith((".", "/")) or ("/" in entry and "://" not in entry and "@" not in entry)


def _line_of(text: str, needle: str) -> int:
    """The 1-based line where ``needle`` first appears in ``text`` (1 when it does not)."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
