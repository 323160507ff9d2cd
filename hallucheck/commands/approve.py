"""``hallucheck approve NAME...``: record a human's review of new dependencies in the project's configuration.

A ``review`` finding (a dependency added in this change, or an import served only
by one) blocks the commit until a human has looked at the dependency. This
command records each approved name, with the requirement it was approved as,
under ``approved`` in the configuration file (``[tool.hallucheck.approved]`` in
``pyproject.toml``), editing the file with tomlkit so that every other byte stays
as it was. The approval is then part of the diff reviewers see.

This is the one command that writes to the work tree; which names may be
approved is decided from git objects (HEAD against the index), like the check.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallucheck.commands.declare import Declaration, DeclareError, declare
from hallucheck.config import PYPROJECT, Config, ConfigError, load_config
from hallucheck.findings import OVERRIDE_FLAG, OVERRIDE_VARIABLE, PRE_COMMIT_FIRST
from hallucheck.lazy import record, replace
from hallucheck.manifests.sources import is_approved

if TYPE_CHECKING:
    from hallucheck.findings import Finding
    from hallucheck.manifests import Dependency

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
NEW_CONFIG_FILE = "hallucheck.toml"


class ApproveError(Exception):
    """An approval cannot be recorded; the message says why and what to do."""


@record(frozen=True)
class _WorkTreeFiles:
    """The few work-tree files the configuration lives in, read through the snapshot interface."""

    root: Path

    @property
    def label(self) -> str:
        return "work tree"

    def read(self, path: str) -> bytes | None:
        from hallucheck.resolve.disk import MEBIBYTE, read_regular_file

        return read_regular_file(self.root / path, 16 * MEBIBYTE)  # never a FIFO or a device

    def text(self, path: str) -> str | None:
        data = self.read(path)
        return None if data is None else data.decode("utf-8-sig")

    def list_dir(self, directory: str) -> Mapping[str, Any]:
        return {}


@record(frozen=True)
class _Request:
    """What to approve: names (or every added dependency), and how."""

    names: Sequence[str]
    every: bool = False
    force: bool = False
    override: bool = False
    declare: bool = False
    hook: bool = False
    dev: bool = False


def main(argv: Sequence[str], *, hook: bool = False) -> int:
    parser = argparse.ArgumentParser(
        prog="hallucheck approve",
        description="Record that a human reviewed new dependencies; an approved dependency no longer blocks. "
        "A name the evidence makes an error (a look-alike of a popular name, a documented hallucination, an "
        f"import name used as a distribution name) is refused unless it is named with {OVERRIDE_FLAG}.",
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help="distribution names added in the staged change"
    )
    parser.add_argument("--list", action="store_true", help="show the recorded approvals")
    parser.add_argument(
        "--all-added",
        action="store_true",
        help="approve every review-level dependency the staged change adds, showing the evidence for each, and "
        "declare (and approve) each distribution a finding says to declare "
        "(what the `hallucheck-approve` pre-commit hook runs)",
    )
    parser.add_argument(
        "--declare",
        action="store_true",
        help="also declare each NAME (a requirement such as `opencv-python>=4`) in a manifest: the project of the "
        "file whose finding asks for it (its dev group for a test file), else of the current directory; "
        "[project] dependencies of pyproject.toml, or its requirements file; the edit is shown as it is written",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="with --declare, for a name no finding asks for: declare it for development only (tests, docs, "
        "tooling): a test/dev dependency group or extra, or requirements-dev.txt",
    )
    parser.add_argument(
        OVERRIDE_FLAG,
        action="store_true",
        help="approve the NAMEs even where the evidence makes them an error; the evidence is printed and the "
        "entry records the error it overrides",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="approve names that are not dependencies added in the staged change",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    if [bool(args.names), args.list, args.all_added].count(True) != 1:
        return _fail("give the names to approve, --all-added, or --list")
    if args.declare and not args.names:
        return _fail("--declare needs the names to declare")
    if args.dev and not args.declare:
        return _fail("--dev goes with --declare")
    if args.override_error and not args.names:
        return _fail(f"{OVERRIDE_FLAG} needs the names it applies to: an error is approved only by name")
    request = _Request(args.names, args.all_added, args.force, args.override_error, args.declare, hook, args.dev)
    from hallucheck.git.repository import GitError, Repository

    try:
        repo = Repository()
    except GitError as error:
        return _fail(str(error))
    token = PRE_COMMIT_FIRST.set(hook)  # the hook's hints name what works under pre-commit first
    try:
        if args.list:
            return _list(repo)
        return _approve(repo, request)
    except (GitError, ConfigError, ApproveError) as error:
        return _fail(str(error))
    finally:
        PRE_COMMIT_FIRST.reset(token)
        repo.close()


def _fail(message: str) -> int:
    print(f"hallucheck approve: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def hook_main(argv: Sequence[str] | None = None) -> int:
    """The ``hallucheck-approve`` command of the pre-commit hook: approve (and declare) what the change needs.

    pre-commit passes a manual hook no arguments of the user's: the names to approve despite an error are
    given in :data:`OVERRIDE_VARIABLE` (``HALLUCHECK_OVERRIDE_ERROR=name pre-commit run hallucheck-approve
    --hook-stage manual``).
    """
    extra = list(sys.argv[1:] if argv is None else argv)
    overrides = os.environ.get(OVERRIDE_VARIABLE, "").replace(",", " ").split()
    if overrides:
        return main([*overrides, OVERRIDE_FLAG, *extra], hook=True)
    return main(["--all-added", *extra], hook=True)


def _approve(repo: Any, request: _Request) -> int:
    from hallucheck.git.changes import staged_change

    change = staged_change(repo)  # every staged file: install commands added in docs count too
    change.config = load_config(change.target)
    added = _added_dependencies(change)
    files = _WorkTreeFiles(Path(repo.root))
    if request.every:
        return _approve_all(repo, change, added, files, request)
    names = list(request.names)
    declarations: list[_Declared] = []
    if request.declare:
        declarations, names = _declarations(repo, change, files, names, added, dev=request.dev)
    requirements = {name: place.requirement for name, place in added.items()}
    for declaration in declarations:
        requirements.update(declaration.requirements)
    approvals = approvals_for(names, requirements, _declared(change.target), force=request.force)
    errors = _errors(approvals, added, change.config, declarations[0] if declarations else None)
    if errors and not request.override:
        for name, item in errors.items():
            _print_finding(item)
            print(_refusal(name, item))
        return EXIT_REFUSED
    overrides = {}
    for name, item in errors.items():
        _print_finding(item)
        print(f"    approved anyway ({OVERRIDE_FLAG}): the entry records that it overrides {item.code}")
        overrides[name] = f"overrides {item.code} (an error): approved by name with {OVERRIDE_FLAG}"
    written = [_write_declaration(repo, files, declaration) for declaration in declarations]
    written += _record(repo, change, files, approvals, overrides)
    if written:
        _next_step(repo, change, written)
    return EXIT_OK


def _approve_all(repo: Any, change: Any, added: dict[str, Dependency], files: _WorkTreeFiles,
                 request: _Request) -> int:
    """``--all-added``: approve every review-level dependency added, and declare what the findings say to."""
    hinted = _hinted_declarations(change, added)
    if not added and not hinted:
        print("no dependency is added in the staged change, and no finding says to declare one: nothing to approve")
        return EXIT_OK
    names, refused = _show_evidence(change)
    approvals = {name: added[name].requirement for name in names}
    written: list[tuple[str, bytes | None]] = []
    for (directory, dev), requirements in hinted.items():
        try:
            declaration = _declare(files, directory, requirements, dev=dev)
        except ApproveError as error:
            print(f"not declared: {error}")
            refused = True
            continue
        written.append(_write_declaration(repo, files, declaration))
        approvals.update(declaration.requirements)
    if approvals:
        written += _record(repo, change, files, approvals, {})
    if written:
        _next_step(repo, change, written)
    return EXIT_REFUSED if refused else EXIT_OK


def _refusal(name: str, item: Finding) -> str:
    """Why ``name`` is not approved; its finding's hint, printed above, says how to fix or override it."""
    return (f"    not approved: `{name}` is an error ({item.code}), not a review: fix it, or approve it by name, as "
            "the hint above says.")


def _print_finding(item: Finding, *, hint: bool = True) -> None:
    print(f"{item.path}:{item.line}: {item.code} [{item.severity.value}] {item.message}")
    if hint:
        print(f"    hint: {item.hint}")


def _errors(approvals: Mapping[str, str], added: Mapping[str, Dependency], config: Config,
            declaration: _Declared | None) -> dict[str, Finding]:
    """The approvals the offline evidence makes an error (a look-alike, a hallucination, an import name)."""
    from hallucheck.evidence.dependencies import dependency_finding
    from hallucheck.findings import Severity
    from hallucheck.manifests import Dependency

    strict = replace(config, approved={})  # an approval already recorded does not vouch for itself
    errors = {}
    for name, requirement in approvals.items():
        place = added.get(name)
        if place is None:
            path = declaration.declaration.path if declaration is not None else "(not in the staged change)"
            place = Dependency(name, requirement, path, 0)
        item = dependency_finding(place, strict)
        if item.severity is Severity.ERROR:
            errors[name] = item
    return errors


@record(frozen=True)
class _Declared:
    """A manifest edit that declares requirements, and the normalised names it declares."""

    declaration: Declaration
    requirements: dict[str, str]


def _declarations(
    repo: Any, change: Any, files: _WorkTreeFiles, names: Sequence[str], added: Mapping[str, Dependency], *,
    dev: bool,
) -> tuple[list[_Declared], list[str]]:
    """``--declare``: the manifest edits, and the names to approve.

    A name that a finding of the staged change says to declare (HC002, HC007, HC022) goes to the project of
    the file that finding is in, for development only when that file is a test, docs or tooling file; any
    other name goes to the project of the current directory (``--dev``: for development only).
    """
    from hallucheck.manifests.scope import ProjectScopes

    here = os.path.relpath(Path.cwd().resolve(), Path(repo.root).resolve()).replace(os.sep, "/")
    here = "" if here == "." else here
    default = (ProjectScopes(change.target, change.config.manifests).project_directory(here), dev)
    hinted = _hinted_declarations(change, added, quiet=True)
    targets: dict[tuple[str, bool], dict[str, str]] = {}
    for raw in names:
        name = _requirement_name(raw)
        keys = [key for key, wanted in hinted.items() if name in wanted] or [default]
        for directory, for_development in keys:
            if not for_development or (directory, False) not in keys:
                targets.setdefault((directory, for_development), {})[name] = raw.strip()
    approve: list[str] = []
    declarations = []
    for (directory, for_development), requirements in targets.items():
        declared = _declared_in(change, directory)
        for name in sorted(name for name in requirements if name in declared):
            print(f"already declared: {name} (as `{declared[name]}`)")
            if name in added:  # declared by the staged change itself: approve it
                approve.append(name)
        fresh = {name: requirement for name, requirement in requirements.items() if name not in declared}
        if fresh:
            configured = _configured_requirements(change.config.manifests, directory)
            declarations.append(_declare(files, directory, fresh, dev=for_development, configured=configured))
            approve += fresh
    return declarations, list(dict.fromkeys(approve))


def _requirement_name(raw: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    from hallucheck.config import distribution_name

    try:
        return distribution_name(Requirement(raw).name)
    except (InvalidRequirement, ValueError):
        raise ApproveError(f"{raw!r} is not a requirement (such as `opencv-python` or `opencv-python>=4`)") from None


def _declared_in(change: Any, directory: str) -> dict[str, str]:
    from hallucheck.manifests.scope import ProjectScopes

    declared = ProjectScopes(change.target, change.config.manifests).declared_in(directory)
    return {name: places[0].requirement for name, places in declared.dependencies.items()}


def _configured_requirements(entries: Sequence[str], directory: str) -> str | None:
    """The first requirements file of the ``manifests`` setting that counts for (files of) the project in
    ``directory``: ``PATH`` placed in that directory, or ``PATH:DIR`` for a ``DIR`` holding it or inside it
    (``PATH:.``: any)."""
    from hallucheck.manifests.scope import extra_manifest_kind, split_manifest_entry

    for entry in entries:
        path, where = split_manifest_entry(entry)
        if extra_manifest_kind(path) != "requirements":
            continue
        if where is None and posixpath.dirname(path) == directory:
            return path
        if where is not None and (not where or not directory or _within(directory, where) or _within(where, directory)):
            return path
    return None


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory + "/")


def _declare(files: _WorkTreeFiles, directory: str, requirements: Mapping[str, str], *, dev: bool = False,
             configured: str | None = None) -> _Declared:
    """The edit of the work tree's manifest of ``directory`` that declares ``requirements``."""
    try:
        return _Declared(declare(files.text, directory, list(requirements.values()), dev=dev, configured=configured),
                         dict(requirements))
    except DeclareError as error:
        raise ApproveError(str(error)) from None


def _write_declaration(repo: Any, files: _WorkTreeFiles, declared: _Declared) -> tuple[str, bytes | None]:
    """Show the manifest edit, then write it; the path written, and what it held before."""
    edit = declared.declaration
    target = Path(repo.root) / edit.path
    if os.path.lexists(target) and not target.is_file():
        raise ApproveError(f"{edit.path} is not a regular file; hallucheck will not write to it")
    listed = ", ".join(f"`{requirement}`" for requirement in declared.requirements.values())
    print(f"declaring {listed} in {_shown(repo, edit.path)}:")
    print(edit.diff(), end="")
    before = files.read(edit.path)
    bom = b"\xef\xbb\xbf" if before is not None and before.startswith(b"\xef\xbb\xbf") else b""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(bom + edit.after.encode("utf-8"))
    return edit.path, before


def _shown(repo: Any, path: str) -> str:
    return os.path.relpath(Path(repo.root) / path)  # what to type from the current directory


def _record(repo: Any, change: Any, files: _WorkTreeFiles, approvals: Mapping[str, str],
            comments: Mapping[str, str]) -> list[tuple[str, bytes | None]]:
    """Write ``approvals`` to the configuration file; the path written and what it held before (nothing when
    every approval was already recorded)."""
    disk = load_config(files)
    path = disk.path or (PYPROJECT if files.read(PYPROJECT) is not None else NEW_CONFIG_FILE)
    fresh = {name: req for name, req in approvals.items() if not is_approved(disk.approved, name, req)}
    for name in sorted(approvals.keys() - fresh.keys()):
        print(f"already approved: {name} (as `{disk.approved[name]}`)")
    _refuse_other_sources(fresh, disk.approved, disk.path or PYPROJECT)
    if not fresh:
        return []
    target = Path(repo.root) / path
    if os.path.lexists(target) and not target.is_file():
        raise ApproveError(f"{path} is not a regular file; hallucheck will not write to it")
    before = files.read(path)
    text = None if before is None else before.decode("utf-8-sig")
    edited = record_approvals(text, fresh, standalone=path != PYPROJECT, path=path, comments=comments)
    bom = b"\xef\xbb\xbf" if before is not None and before.startswith(b"\xef\xbb\xbf") else b""
    target.write_bytes(bom + edited.encode("utf-8"))
    table = "[approved]" if path != PYPROJECT else "[tool.hallucheck.approved]"
    for name, requirement in fresh.items():
        print(f"approved {name} (`{requirement}`) in {_shown(repo, path)} {table}")
    return [(path, before)]


def _next_step(repo: Any, change: Any, written: Sequence[tuple[str, bytes | None]]) -> None:
    """What to stage: each file written, with a note when it held unstaged changes before."""
    before: dict[str, bytes | None] = {}
    for path, content in written:
        before.setdefault(path, content)
    for path, content in before.items():
        staged = change.target.read(path)
        shown = _shown(repo, path)
        if staged is not None and content is not None and staged != content:
            print(f"note: {shown} also has unstaged changes; 'git add -p {shown}' stages only this edit")
    print("next: git add " + " ".join(_shown(repo, path) for path in before))


def _refuse_other_sources(fresh: Mapping[str, str], approved: Mapping[str, str], path: str) -> None:
    """An approval from another source is not widened in place: the person replaces the entry, knowingly."""
    from hallucheck.manifests.sources import uncovered_note

    for name, requirement in sorted(fresh.items()):
        note = uncovered_note(approved, name, requirement)
        if note is not None:
            raise ApproveError(
                f"{note}. If `{requirement}` is what you reviewed, replace the entry in {path} by hand: "
                f"{name} = {json.dumps(requirement, ensure_ascii=False)}"
            )


def _added_dependencies(change: Any) -> dict[str, Dependency]:
    """Normalised name → where the staged change adds each dependency (what HC004 reports), each package
    it adds to a lock file (an import it serves is HC003: approvable too), and each package an added install
    command names that needs review (HC040)."""
    from hallucheck.manifests import Dependency
    from hallucheck.resolve.project import ChangeManifests
    from hallucheck.rules.text_files import installed_for_review

    manifests = ChangeManifests(change)
    installed = {
        name: Dependency(name, item.requirement or name, item.path, item.line)
        for name, item in installed_for_review(change).items()
    }
    if not manifests.changed:
        return installed
    diff = manifests.added()
    return {**installed, **{dependency.name: dependency for dependency in [*diff.locked, *diff.added]}}


def _hinted_declarations(
    change: Any, added: Mapping[str, Dependency], *, quiet: bool = False
) -> dict[tuple[str, bool], dict[str, str]]:
    """(project directory, for development only) → the distributions (normalised name → requirement) that the
    staged change's findings say to declare there (HC002, HC007, HC022), not yet declared or added."""
    from hallucheck.check import check
    from hallucheck.manifests.roles import is_development_file
    from hallucheck.manifests.scope import ProjectScopes

    findings = check(change).findings
    scopes = ProjectScopes(change.target, change.config.manifests)
    result: dict[tuple[str, bool], dict[str, str]] = {}
    for item in findings:
        if item.declare and item.declare not in added:
            key = (scopes.project_directory(os.path.dirname(item.path)), is_development_file(item.path))
            if item.declare not in _declared_in(change, key[0]) | result.get(key, {}):
                if not quiet:
                    _print_finding(item, hint=False)  # its hint is this declaration
                result.setdefault(key, {})[item.declare] = item.declare
    return result


def _show_evidence(change: Any) -> tuple[list[str], bool]:
    """What a reviewer approves: each new dependency's finding, as the check reports it (with its evidence).

    The names whose finding is a review are returned, and whether any was refused: an error (a typosquat, a
    known hallucination) is never approved wholesale; it takes a person naming it with the override.
    """
    from hallucheck.evidence.dependencies import dependency_finding
    from hallucheck.findings import Severity

    names, refused = [], False
    for place in _added_dependencies(change).values():
        item = dependency_finding(place, change.config)
        _print_finding(item, hint=item.severity is not Severity.REVIEW)  # a review's hint is this approval
        if item.severity is Severity.REVIEW:
            names.append(place.name)
        else:
            refused = True
            print(_refusal(place.name, item))
    return sorted(names), refused


def _declared(snapshot: Any) -> dict[str, str]:
    from hallucheck.manifests import declared_dependencies

    declared = declared_dependencies(snapshot)
    return {name: places[0].requirement for name, places in declared.dependencies.items()}


def approvals_for(
    names: Sequence[str], added: Mapping[str, str], declared: Mapping[str, str], *, force: bool
) -> dict[str, str]:
    """Normalised name → requirement to record; refuses names the change does not add unless ``force``."""
    from hallucheck.config import distribution_name

    approvals: dict[str, str] = {}
    refused = []
    for raw in names:
        try:
            name = distribution_name(raw)
        except ValueError as error:
            raise ApproveError(str(error)) from None
        if name in added:
            approvals[name] = added[name]
        elif force:
            approvals[name] = declared.get(name, name)
        else:
            refused.append(name)
    if refused:
        listed = ", ".join(sorted(added)) if added else "none"
        raise ApproveError(
            f"{', '.join(refused)}: not a dependency added in the staged change (added: {listed}); "
            "stage the manifest that adds it, or pass --force to approve it anyway"
        )
    return approvals


def record_approvals(text: str | None, approvals: Mapping[str, str], *, standalone: bool, path: str,
                     comments: Mapping[str, str] | None = None) -> str:
    """``text`` with ``approvals`` added to its ``approved`` table; every other byte is kept.

    tomlkit makes the edit; the result is then checked to be the original text with
    only an insertion (and the approvals readable back), or nothing is written.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    original = text or ""
    try:
        document = tomlkit.parse(original)
    except TOMLKitError as error:
        raise ApproveError(f"{path}: invalid TOML: {error}") from None
    except (RecursionError, ValueError):  # nesting too deep, or a number too long, to read
        raise ApproveError(f"{path}: cannot read this TOML (too deeply nested or too long a number)") from None
    keys = ("approved",) if standalone else ("tool", "hallucheck", "approved")
    node: Any = document
    for depth, key in enumerate(keys):
        if key not in node:
            node[key] = tomlkit.table(is_super_table=depth < len(keys) - 1)
        node = node[key]
        if not isinstance(node, dict):
            raise ApproveError(f"{path}: {'.'.join(keys[: depth + 1])} is not a table")
    for name, requirement in approvals.items():
        node[name] = requirement
        if comments and name in comments:
            node[name].comment(comments[name])
            node[name].trivia.comment_ws = "  "
    edited = _tidy_insertion(original, tomlkit.dumps(document), path)
    _verify(original, edited, approvals, keys, path)
    return edited


def _tidy_insertion(original: str, edited: str, path: str) -> str:
    """``edited`` as an insertion into ``original``, in its newline style, blank lines around a new table."""
    start = 0
    limit = min(len(original), len(edited))
    while start < limit and original[start] == edited[start]:
        start += 1
    end = 0
    while end < limit - start and original[-1 - end] == edited[-1 - end]:
        end += 1
    before, after = original[:start], original[len(original) - end :]
    removed, inserted = original[start : len(original) - end], edited[start : len(edited) - end]
    if removed.strip():
        raise ApproveError(
            f"{path}: recording the approval would change other parts of the file; edit it by hand"
        )
    if not removed:
        before, inserted, after = _at_line_boundary(before, inserted, after)
    inserted = inserted.replace("\r\n", "\n")
    body = inserted.lstrip("\n")
    if body.startswith("["):  # a new table: a blank line before it, unless it opens the file
        lead = inserted[: len(inserted) - len(body)]
        plain_before = before.replace("\r\n", "\n")
        while plain_before and not (plain_before + lead).endswith("\n\n"):
            lead += "\n"
        inserted = lead + body
        if after.startswith("[") and not inserted.endswith("\n\n"):  # and a blank line after it
            inserted += "\n"
    if "\r\n" in original:
        inserted = inserted.replace("\n", "\r\n")
    return before + inserted + removed + after


def _at_line_boundary(before: str, inserted: str, after: str) -> tuple[str, str, str]:
    """The same pure insertion, moved (where the text allows) to start and end at line boundaries.

    A common prefix can run into the insertion (``[tool.`` of ``[tool.mypy]`` matches ``[tool.hallucheck``);
    every position from the leftmost to the rightmost inserts the same text.
    """
    while before and inserted and before[-1] == inserted[-1]:
        before, inserted, after = before[:-1], before[-1] + inserted[:-1], before[-1] + after
    leftmost = (before, inserted, after)
    while True:
        if (not before or before.endswith("\n")) and inserted.endswith("\n"):
            return before, inserted, after
        if not (after and inserted and inserted[0] == after[0]):
            return leftmost
        before, inserted, after = before + inserted[0], inserted[1:] + after[0], after[1:]


def _verify(original: str, edited: str, approvals: Mapping[str, str], keys: Sequence[str], path: str) -> None:
    from hallucheck.manifests.pyproject import load_toml

    old, _ = load_toml(original, path)
    new, problem = load_toml(edited, path)
    table: Any = new
    for key in keys:
        table = table.get(key, {}) if isinstance(table, dict) else {}
    if new is None or old is None or any(table.get(name) != value for name, value in approvals.items()):
        raise ApproveError(
            f"{path}: the approval could not be recorded safely ({problem}); edit the file by hand"
        )
    old_node, new_node = old, new
    for key in keys:  # take the approvals (and any table created for them) out again
        if not isinstance(old_node.get(key), dict):
            new_node.pop(key, None)
            break
        old_node, new_node = old_node[key], new_node[key]
    else:
        for name in approvals:
            new_node.pop(name, None)
    if new != old:
        raise ApproveError(f"{path}: recording the approval would change other values; edit the file by hand")


def _list(repo: Any) -> int:
    from hallucheck.git.changes import staged_change

    staged = load_config(staged_change(repo, only=set()).target)
    disk = load_config(_WorkTreeFiles(Path(repo.root)))
    names = sorted(staged.approved.keys() | disk.approved.keys())
    if not names:
        print("no approved dependencies")
        return EXIT_OK
    where = staged.path or disk.path
    print(f"approved dependencies ({where}):")
    for name in names:
        requirement = staged.approved.get(name, disk.approved.get(name))
        state = "" if name in staged.approved and name in disk.approved else _state(name, staged, disk)
        print(f"  {name} = {json.dumps(requirement)}{state}")
    return EXIT_OK


def _state(name: str, staged: Config, disk: Config) -> str:
    if name not in staged.approved:
        return f"  (not staged: git add {disk.path})"
    return "  (removed in the work tree, still staged)"
