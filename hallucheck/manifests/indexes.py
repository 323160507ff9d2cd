"""Where the TOML manifests send their requirements: indexes and per-name sources, as source options.

Each setting becomes a :class:`~hallucheck.manifests.SourceOption`, written as pip's or uv's command line
would say it (``--index https://host/simple``, ``--find-links https://host/wheels``), or as the direct
reference it makes of a name (``@ git+https://host/x@v1``):

* uv: ``[tool.uv] index-url``, ``extra-index-url``, ``find-links``, ``[[tool.uv.index]]`` (an ``explicit``
  index serves only the names a source pins to it), ``[tool.uv.sources] x = {index = ...}`` /
  ``{git = ...}`` / ``{url = ...}`` (``path`` and ``workspace`` sources are first-party code);
* Poetry: ``[[tool.poetry.source]]`` (an ``explicit`` one serves only the names pinned to it) and a
  dependency's ``source = "name"`` (a ``git``/``url`` table is a direct reference already);
* PDM: ``[[tool.pdm.source]]`` (``type = "find_links"`` too);
* Pipfile: ``[[source]]`` (every one is searched) and a package's ``index = "name"``.

The default index (PyPI) chooses nothing. An index named by a source that the file does not define is
written by its name (``--index private``): it still differs from the package index.
"""

from __future__ import annotations

from typing import Any

from hallucheck.manifests import SourceOption
from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader
from hallucheck.manifests.sources import DEFAULT_INDEXES, redacted
from hallucheck.manifests.tomlfile import Path, TomlLines

_VCS = tuple("git hg svn bzr".split())  # noqa: SIM905 -- the word quoted alone belongs to the git stage (test_layout)
_REVISIONS = ("rev", "tag", "branch", "ref")


class TomlSources:
    """Records the source options of one TOML manifest (``path``) into ``reader``."""

    def __init__(self, reader: ManifestReader, path: str, document: dict[str, Any], lines: TomlLines) -> None:
        self.reader, self.path, self.document, self.lines = reader, path, document, lines

    def pyproject(self) -> None:
        self._uv()
        self._named_indexes(("tool", "poetry", "source"), explicit_priority=True)
        self._named_indexes(("tool", "pdm", "source"))
        poetry = ("tool", "poetry")
        for key in (("dependencies",), ("dev-dependencies",)):
            self._pinned(self._get(*poetry, *key), (*poetry, *key), "source")
        for group, table in self._dict(self._get(*poetry, "group")).items():
            self._pinned(self._dict(table).get("dependencies"), (*poetry, "group", group, "dependencies"), "source")

    def pipfile(self) -> None:
        self._named_indexes(("source",))
        for category, packages in self.document.items():
            if category not in ("source", "requires", "scripts", "pipenv"):
                self._pinned(packages, (category,), "index")

    # --- helpers -----------------------------------------------------------------------------------------------

    def _uv(self) -> None:
        uv = self._dict(self._get("tool", "uv"))
        for key, option in (("index-url", "--index-url"), ("extra-index-url", "--extra-index-url"),
                            ("find-links", "--find-links")):  # fmt: skip
            for url in _strings(uv.get(key)):
                self._option(f"{option} {redacted(url)}", ("tool", "uv", key), literal=url)
        self._named_indexes(("tool", "uv", "index"))
        for name, spec in self._dict(uv.get("sources")).items():
            for item in spec if isinstance(spec, list) else [spec]:
                if isinstance(item, dict):
                    self._uv_source(name, item)

    def _uv_source(self, name: str, item: dict[str, Any]) -> None:
        key = ("tool", "uv", "sources", name)
        if isinstance(item.get("index"), str):
            self._option(f"--index {self._index_url(item['index'])}", key, name=name)
            return
        vcs = next((scheme for scheme in _VCS if isinstance(item.get(scheme), str)), None)
        if vcs is not None:
            url = item[vcs]
            revision = next((item[word] for word in _REVISIONS if isinstance(item.get(word), str)), None)
            at = f"@{revision}" if revision else ""
            self._option(f"@ {vcs}+{redacted(url)}{at}", key, name=name)
        elif isinstance(item.get("url"), str):
            self._option(f"@ {redacted(item['url'])}", key, name=name)

    def _named_indexes(self, key: Path, *, explicit_priority: bool = False) -> None:
        """``[[tool.uv.index]]``, ``[[tool.poetry.source]]``, ``[[tool.pdm.source]]``, Pipfile ``[[source]]``."""
        entries = self._get(*key)
        if not isinstance(entries, list):
            return
        spans = self.lines.tables_named(key)
        for number, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                continue
            explicit = entry.get("explicit") is True or (explicit_priority and entry.get("priority") == "explicit")
            if explicit or entry.get("url", "").rstrip("/") + "/" in {url.rstrip("/") + "/" for url in DEFAULT_INDEXES}:
                continue  # serves only the names pinned to it (recorded there), or is the default index
            option = "--find-links" if entry.get("type") == "find_links" or entry.get("format") == "flat" else "--index"
            line = self.lines.line_at(spans[number].start) if number < len(spans) else self.lines.line_of(key)
            self._record(f"{option} {redacted(entry['url'])}", line, None)

    def _pinned(self, table: object, key: Path, word: str) -> None:
        """Per-name index choices: Poetry's ``source = "name"``, Pipfile's ``index = "name"``."""
        for name, spec in self._dict(table).items():
            for item in spec if isinstance(spec, list) else [spec]:
                if isinstance(item, dict) and isinstance(item.get(word), str):
                    self._option(f"--index {self._index_url(item[word])}", (*key, name), name=name)

    def _index_url(self, name: str) -> str:
        """The URL of the index the file calls ``name`` (the name itself when the file does not define it)."""
        for key in (("tool", "uv", "index"), ("tool", "poetry", "source"), ("tool", "pdm", "source"), ("source",)):
            entries = self._get(*key)
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and entry.get("name") == name and isinstance(entry.get("url"), str):
                    return redacted(entry["url"])
        return name

    def _option(self, text: str, key: Path, *, literal: str | None = None, name: str | None = None) -> None:
        self._record(text, self.lines.line_of(key, literal), name)

    def _record(self, text: str, line: int, name: str | None) -> None:
        option = SourceOption(text, self.path, line, self.path, canonical_name(name) if name else None)
        self.reader.declared.source_option(option)

    def _get(self, *keys: str) -> object:
        value: object = self.document
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    @staticmethod
    def _dict(value: object) -> dict[str, Any]:
        return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
