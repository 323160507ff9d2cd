"""Findings for package sources a change sets outside the manifests (HC043): an index, extra index, find-links
location or trusted host in a committed ``pip.conf``/``pip.ini``/``uv.toml``, or a ``PIP_INDEX_URL``-style
environment variable set in a workflow, a Dockerfile, tox, a script or Python code that runs installs
(``os.environ``). A setting the base version of the file already has is not new; files mode adds nothing, so it
reports none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck.findings import Finding, finding
from hallucheck.lazy import replace

if TYPE_CHECKING:
    from hallucheck.change import Change
    from hallucheck.sources.index_settings import IndexSetting

CODE = "HC043"


def index_setting_findings(change: Change) -> list[Finding]:
    """One HC043 review for each source setting the change adds."""
    if change.mode == "files":
        return []
    from hallucheck.sources.index_settings import (
        code_environment_settings,
        config_kind,
        config_settings,
        environment_settings,
    )
    from hallucheck.sources.install_files import CODE_KINDS, NOTEBOOK

    findings = []
    for path in change.changed_paths or ():
        kind = config_kind(path)
        data = change.target.read(path) if kind is not None else None
        if kind is None or data is None:
            continue
        base = change.base.read(path)
        known = {item.text for item in config_settings(_text(base))} if base is not None else set()
        text = _text(data)
        findings += [_finding(path, item, f"in {path} ({kind})", text) for item in config_settings(text)
                     if item.text not in known]  # fmt: skip
    findings += _manifest_settings(change)
    for changed in change.text_files:
        if changed.kind == NOTEBOOK:
            findings += _notebook_findings(changed.path, changed.content, changed.base_contents)
            continue
        # Python code sets a variable through os.environ; the name inside its strings is other text.
        settings = code_environment_settings if changed.kind in CODE_KINDS else environment_settings
        known = {item.text for base in changed.base_contents for item in settings(_text(base))}
        text = _text(changed.content)
        findings += [_finding(changed.path, item, f"set in {changed.path}", text)
                     for item in settings(text, changed.added_lines)
                     if item.text not in known]  # fmt: skip
    return findings


def _manifest_settings(change: Change) -> list[Finding]:
    """HC043 for the sources a TOML manifest or a ``.condarc`` sets apart from the requirements (``[tool.uv.pip]``,
    uv's override and constraint URLs, pixi's ``[pypi-options]`` and channels, conda's channels) that the base
    version of the file does not."""
    from hallucheck.manifests.source_settings import file_source_settings, is_source_manifest

    findings = []
    for path in change.changed_paths or ():
        data = change.target.read(path) if is_source_manifest(path) else None
        if data is None:
            continue
        base = change.base.read(path)
        known = {item.text for item, _ in file_source_settings(path, _text(base))} if base is not None else set()
        text = _text(data)
        findings += [_finding(path, item, f"in {path} ({where})", text)
                     for item, where in file_source_settings(path, text) if item.text not in known]  # fmt: skip
    return findings


def _notebook_findings(path: str, content: bytes, base_contents: Sequence[bytes]) -> list[Finding]:
    """The settings the new code cells of a notebook add (a cell some base version has is not new; nor is a
    setting a base cell makes). A notebook that cannot be read is HC041 elsewhere."""
    from hallucheck.sources.notebooks import NotebookError, index_settings, new_cells, read_notebook_file

    try:
        notebook = read_notebook_file(path, _text(content))
    except NotebookError:
        return []
    if not notebook.is_python:
        return []
    bases = []
    for base in base_contents:
        try:
            bases.append(read_notebook_file(path, _text(base)))
        except NotebookError:
            continue
    known = {setting.text for base in bases for _, setting in index_settings(base.cells)}
    text = _text(content)
    return [_finding(path, replace(setting, line=cell.json_line(setting.line)),
                     f"in {path} (cell {cell.number}, line {setting.line})", text)
            for cell, setting in index_settings(new_cells(notebook, bases)) if setting.text not in known]  # fmt: skip


def _finding(path: str, setting: IndexSetting, where: str, text: str) -> Finding:
    """The review of ``setting``; at the comment line above it when that line holds a ``hallucheck:`` directive
    (pip.conf and a Dockerfile's ``ENV`` take no comment after a value, so that is where one goes)."""
    lines = text.split("\n")
    above = lines[setting.line - 2].strip() if 2 <= setting.line <= len(lines) + 1 else ""
    line = setting.line - 1 if above.startswith(("#", ";")) and "hallucheck:" in above else setting.line
    variable = setting.setting.isupper()
    what = f"the environment variable `{setting.setting}`" if variable else f"`{setting.setting}`"
    return finding(
        CODE, path, line, 0,
        f"{what} {where} points installs at `{setting.value}`: a new package source, for every package an "
        "install that reads it fetches",
        f"Make sure `{setting.value}` is the source you mean: the dependency-confusion move keeps the names and "
        "changes the index (an extra index, or one anyone can publish to, serves its own package under a name the "
        "project trusts). If it is, confirm it with `# hallucheck: ignore[HC043]` at the end of the line, or on "
        "the line above where the format takes no comment after a value (pip.conf, a Dockerfile `ENV`).",
    )  # fmt: skip


def _text(content: bytes) -> str:
    return content.decode("utf-8-sig", "replace").replace("\r\n", "\n")
