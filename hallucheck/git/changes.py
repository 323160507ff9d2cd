"""The edge that turns a git repository state into a :class:`~hallucheck.check.Change`.

Three modes, one per way the hook is run:

- **staged** — the index against HEAD (``git commit``); during a merge every parent counts.
- **range** — ``merge-base(A, B)`` against B (pre-push, ``pre-commit run --from-ref/--to-ref``, CI).
- **files** — every import of whole files, as the index holds them (``pre-commit run --all-files``,
  pre-commit.ci, ``hallucheck check PATH``); nothing counts as already there.

Content always comes from git objects, never the work tree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping, Sequence

from hallucheck.change import ALL_LINES, Change, ChangedPythonFile, ChangedTextFile
from hallucheck.git.patch import PatchedFile, added_lines, read_patch
from hallucheck.git.repository import (
    REGULAR_FILE_MODES,
    CommitSnapshot,
    FileChange,
    GitError,
    IndexEntry,
    IndexSnapshot,
    Repository,
)
from hallucheck.git.triage import (
    EXECUTABLE_MODE,
    SYMLINK_MODE,
    Plan,
    Request,
    change_paths,
    changed_paths,
    is_python_name,
    may_be_script,
    named_by_a_manifest,
    repo_paths,
    text_of,
)
from hallucheck.lazy import LazyPattern, Slots
from hallucheck.manifests import is_manifest, may_declare, names_tool_modules
from hallucheck.snapshot import EmptySnapshot, EntryKind, KnownFiles, Snapshot, resolve_link
from hallucheck.sources.install_files import (
    MARKDOWN,
    NOTEBOOK,
    PYTHON,
    SHELL,
    container_lines,
    is_agent_rules,
    is_shell_script,
    may_add_packages,
    may_hold_commands,
    may_run_modules,
    reads_commands_of_manifest,
    text_kind,
)
from hallucheck.sources.python import IDENTIFIER_CHAR, keeps_lines, source_encoding

# The first line of a file that a Python interpreter runs: `#!/usr/bin/env python3`, `#!/usr/bin/pypy`,
# `#!/usr/bin/env -S uv run --script` (identify tags executable files so for pre-commit).
_PYTHON_SHEBANG = LazyPattern(
    rb"#![^\n]*?(?:(?:^|[/\s])(?:i?python|pypy)[\w.-]*(?:\s|$)|\buv\s+run\b|\bpipx\s+run\b)"
)
# A shell script that re-runs itself with Python (`''''exec python3 "$0" "$@" #'''`): Python reads the
# whole file, the shell only that line.
_EXECS_PYTHON = LazyPattern(rb"\bexec\b[^\n]*?(?:^|[/\s\"'])(?:i?python|pypy)[\w.-]*[\"']?\s[^\n]*\$0")
MODES = ("staged", "range", "files")
# An added line that could be part of an import: it names `import`, or it looks like a line of
# a name list (`    b,` / `b as c)` / `    b, \`) or a lone string (`    "pkg"`), the tail of a multi-line,
# continued or dynamic import, or it holds a `# hallucheck:` comment (an unused suppression is reported), or
# it sets what Django or Sphinx imports (manifests/tool_modules.py).
_MAY_BELONG_TO_IMPORT = LazyPattern(
    r"import|(?i:hallucheck)|\b(?:exec|eval|compile|run_module|find_spec|pytest_plugins|locate)\b"
    r"|\b(?:package|name)\s*=|\b(?:INSTALLED_APPS|MIDDLEWARE|ROOT_URLCONF|extensions)\b|_(?:BACKENDS?|APPLICATION)\b"
    rf"|{IDENTIFIER_CHAR}\s*\(\s*(?:[rRbBuUfF]{{0,2}}['\"]|\*)"  # a call of a literal or `*args`: an alias?
    rf"|^(?:\s|{IDENTIFIER_CHAR}|[.,()'\"+])*(?:[;#\\]|$)"  # names, then the end, a comment, `\` or `;`: `  b; x = 1`
)
# A line that may hold (part of) an import once it is code: candidates after strings may have moved.
_MAY_IMPORT_ONCE_CODE = LazyPattern(
    rb"import|\b(?:exec|eval|compile|run_module|find_spec|pytest_plugins)\b|[\w\x80-\xff]\s*\(\s*[rRbBuUfF]{0,2}['\"]"
)
# Python ends a line at a lone carriage return as well as at `\n`; git and the core split at `\n` only.
_LONE_CR = LazyPattern(rb"\r(?!\n)")
_MAX_NAMED_PATHS = 200
_PARENT_COMPONENT = LazyPattern(r"(?:^|/)\.\.(?:/|$)")
_RANGE = LazyPattern(r"^(?P<start>.*?)(?P<dots>\.\.\.?)(?P<end>.*)$", re.DOTALL)


def split_range(text: str) -> tuple[str, str] | None:
    """``A..B`` or ``A...B`` as ``(A, B)``, an empty side meaning ``HEAD``; None when it is no range."""
    match = _RANGE.match(text)
    if _PARENT_COMPONENT.search(text):
        return None  # `../x.py` is a path
    if match is None or "..." in match.group("end") or (not match.group("start") and not match.group("end")):
        return None
    return match.group("start") or "HEAD", match.group("end") or "HEAD"


def plan(repo: Repository, request: Request, environ: Mapping[str, str]) -> Plan:
    """Decide the mode: forced, else refs, else ``--all-files``, else files named without staged changes."""
    only = frozenset(repo_paths(repo, request.files)) if request.files else None
    if only is None and request.under_pre_commit and not request.all_files and not _passes_no_names(repo.root):
        only = frozenset()  # the framework left every staged file out (`exclude:`, `types:`)
    from_ref, to_ref = request.from_ref, request.to_ref
    if from_ref is None and to_ref is None and request.mode in (None, "range"):
        from_ref = environ.get("PRE_COMMIT_FROM_REF") or None
        to_ref = environ.get("PRE_COMMIT_TO_REF") or None
        if from_ref is None and request.mode is None and environ.get("PRE_COMMIT_REMOTE_NAME"):
            return _pushed_root_history(repo, to_ref, environ, request.classify)
        if (from_ref is None) != (to_ref is None):
            raise GitError(
                "PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF must be set together: with one of them, which "
                "commits to check is a guess"
            )
    mode = request.mode or _automatic_mode(repo, request, only, from_ref)
    if mode == "files" and request.mode is None and only and request.classify:
        only |= _staged_paths(repo)  # whatever the list names, what is staged is checked too
    if mode == "range":
        if from_ref is None:
            raise GitError("range mode needs --from-ref (or PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF)")
        return Plan("range", only, from_ref, to_ref or "HEAD", request.classify)
    if mode == "files" and request.all_files:
        only = None
    return Plan(mode, only, classify=request.classify)


def _passes_no_names(root: str) -> bool:
    """Whether the framework running the hook passes it no file names at all (``pass_filenames: false`` on the
    hallucheck hook of ``.pre-commit-config.yaml``, which pre-commit and prek read from the work tree and refuse
    to run with unstaged): then an empty list says nothing about the change, and every staged file is checked.
    A configuration that cannot be read or found says nothing either: checked too (fail closed)."""
    import yaml

    for name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        try:
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                text = handle.read()
        except OSError:
            continue
        try:
            document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, RecursionError, ValueError):
            return True
        repos = document.get("repos") if isinstance(document, dict) else None
        hooks = [hook for entry in repos if isinstance(entry, dict) and isinstance(entry.get("hooks"), list)
                 for hook in entry["hooks"] if isinstance(hook, dict)] if isinstance(repos, list) else []
        ours = [hook for hook in hooks if "hallucheck" in str(hook.get("id", "")) + str(hook.get("entry", ""))]
        return not ours or any(hook.get("pass_filenames") is False for hook in ours)
    return True


def _pushed_root_history(repo: Repository, to_ref: str | None, environ: Mapping[str, str], classify: bool) -> Plan:
    """A pre-push whose pushed history starts with a root commit (a new repository, an orphan branch).

    pre-commit then gives no refs at all and passes the files of the work tree (another branch's, perhaps);
    prek gives only ``PRE_COMMIT_TO_REF``. The pushed commit is checked whole, as ``--all-files`` checks the
    index: every import of every file against the commit's own declarations.
    """
    tip = to_ref or environ.get("PRE_COMMIT_LOCAL_BRANCH") or None
    if tip is None or repo.resolve_commit(tip) is None:
        raise GitError(
            f"cannot tell which commit is being pushed (PRE_COMMIT_LOCAL_BRANCH={tip or ''!r}, no "
            "PRE_COMMIT_TO_REF): push a branch by name (`git push origin NAME`)"
        )
    return Plan("files", None, to_ref=tip, classify=classify)


def _automatic_mode(
    repo: Repository, request: Request, only: frozenset[str] | None, from_ref: str | None
) -> str:
    if from_ref is not None:
        return "range"
    if request.all_files or request.whole_files:
        return "files"
    # pre-commit passes a commit exactly the files staged in it; a named file without a staged
    # change means `pre-commit run --all-files` (pre-commit.ci) or `--files`. During a merge the
    # files passed are the conflicted ones, which may match HEAD after resolution.
    if only and repo.merge_head() is None and not only <= _staged_paths(repo):
        return "files"
    return "staged"


def _staged_paths(repo: Repository) -> frozenset[str]:
    head = repo.resolve_commit("HEAD")
    return frozenset(change.path for change in repo.staged_changes(head or repo.empty_tree))


def build_change(repo: Repository, chosen: Plan) -> Change:
    if chosen.mode == "range":
        assert chosen.from_ref is not None and chosen.to_ref is not None
        return range_change(repo, chosen.from_ref, chosen.to_ref, chosen.only, classify=chosen.classify)
    if chosen.mode == "files" and chosen.to_ref is not None:
        return commit_files_change(repo, chosen.to_ref, classify=chosen.classify)
    if chosen.mode == "files":
        return files_change(repo, chosen.only, classify=chosen.classify)
    return staged_change(repo, chosen.only, classify=chosen.classify)




def staged_change(repo: Repository, only: Collection[str] | None = None, *, classify: bool = False) -> Change:
    """The change between HEAD (or the empty tree) and the index.

    ``only`` restricts the Python files checked (the file names pre-commit passes);
    manifests are always compared in full. While a merge waits for its commit, an
    import is new only when no parent (HEAD, ``MERGE_HEAD``) has it, and a
    dependency only when no parent declares it.
    """
    head = repo.resolve_commit("HEAD")
    base_tree = head or repo.empty_tree
    changes = repo.staged_changes(base_tree)
    base = CommitSnapshot(repo, head, "HEAD") if head else EmptySnapshot()
    target = IndexSnapshot(repo, base if isinstance(base, CommitSnapshot) else None, changes)
    merged = repo.merge_head() if head else None
    parents = () if merged is None else (merged,)
    settings = _hook_setting_changes(changes, base, target)
    change = _change(
        repo, changes, (base, target), _Selection(only, classify, narrows=not settings),
        lambda checked: _staged_added_lines(repo, base_tree, checked), parents,
    )  # fmt: skip
    if settings:
        change.hook_settings = settings
        change.left_out = tuple(sorted({item.path for item in changes if item.status != "D"} - set(only or ())))
    if merged is not None:
        change.other_bases = (CommitSnapshot(repo, merged, "MERGE_HEAD"),)
    return change


def range_change(
    repo: Repository, from_ref: str, to_ref: str, only: Collection[str] | None = None, *, classify: bool = False
) -> Change:
    """What ``to_ref`` adds since it forked from ``from_ref``: ``merge-base(from, to)`` against ``to``.

    The range decides what is checked. Named files (``only``) narrow nothing: pre-commit and prek pass only
    the pushed files the work tree has (none of a branch that is not checked out), so a list would hide the
    rest; a named file is only read as Python whatever its name, as in the other modes.
    """
    start, end = _commit(repo, from_ref), _commit(repo, to_ref)
    fork = repo.merge_base(start, end)
    if fork is None:
        if repo.is_shallow():
            raise GitError(
                f"no merge base between '{from_ref}' and '{to_ref}' in this shallow clone: fetch the history "
                "('git fetch --unshallow', or 'fetch-depth: 0' in actions/checkout)"
            )
        raise GitError(f"'{from_ref}' and '{to_ref}' have no common ancestor (unrelated histories)")
    changes = repo.tree_changes(fork, end)
    base, target = CommitSnapshot(repo, fork, f"merge base {fork[:12]}"), CommitSnapshot(repo, end, to_ref)
    change = _change(
        repo, changes, (base, target), _Selection(only, classify, narrows=False),
        lambda checked: _added_lines(repo.tree_patch(fork, end, checked), checked),
        (),
    )  # fmt: skip
    change.hook_settings = _hook_setting_changes(changes, base, target)
    return change


def _hook_setting_changes(
    changes: Sequence[FileChange], base: Snapshot, target: Snapshot
) -> tuple[tuple[str, str, int], ...]:
    """The change's edits to the settings that choose the files the framework passes the hallucheck hook
    (:mod:`.hook_settings`): ``(how it reads, file, line)``; read only when the change touches the file."""
    from hallucheck.git.hook_settings import CONFIG_FILES, setting_changes, setting_line

    found: list[tuple[str, str, int]] = []
    for path in {path for change in changes for path in change.paths if path in CONFIG_FILES}:
        new = target.read(path)
        text = new.decode("utf-8", "replace") if new is not None else ""
        for key, top, described in setting_changes(base.read(path), new):
            found.append((described, path, setting_line(text, key, top)))
    return tuple(found)


def _change(
    repo: Repository, changes: Sequence[FileChange], snapshots: tuple[Snapshot, Snapshot], selection: _Selection,
    added: Callable[[Sequence[FileChange]], dict[str, PatchedFile]], parents: Sequence[str],
) -> Change:
    """The change from ``snapshots[0]`` to ``snapshots[1]``, whose file changes are ``changes``."""
    base, target = snapshots
    _prefetch_changed(repo, changes)
    return Change(
        base,
        target,
        _changed_python_files(repo, changes, selection, added, parents, snapshots),
        manifests_changed=_touches_manifests(changes, target),
        changed_paths=changed_paths(changes),
        text_files=_changed_text_files(repo, changes, selection, parents),
    )


def files_change(repo: Repository, only: Collection[str] | None = None, *, classify: bool = False) -> Change:
    """Every import of whole files as the index holds them, against the index's own manifests.

    ``only`` names files or directories (directories contribute their Python files);
    None means every tracked Python file. Nothing is "added": the manifests are the
    same before and after, so no dependency is new.
    """
    index = index_snapshot(repo)
    return _whole_files(repo, index, _index_entries(repo, only), _Selection(only, classify))


def commit_files_change(repo: Repository, rev: str, *, classify: bool = False) -> Change:
    """Every import of every file of commit ``rev``, against that commit's own manifests (files mode on a
    commit that is not checked out)."""
    commit = _commit(repo, rev)
    snapshot = CommitSnapshot(repo, commit, rev)
    return _whole_files(repo, snapshot, repo.tree_entries(commit), _Selection(None, classify))


def _whole_files(
    repo: Repository, snapshot: Snapshot, entries: Sequence[IndexEntry], selection: _Selection
) -> Change:
    """The whole-file change of ``entries`` (files of ``snapshot``): nothing is added, every import counts."""
    files = []
    text_files = []
    known: dict[str, bytes] = {}  # what resolution reads again (a file's own sys.path changes, __init__.py)
    repo.prefetch_blobs([entry.blob for entry in entries if _may_read(entry, selection) or (
        entry.mode in REGULAR_FILE_MODES and _is_text_candidate(entry.path))])  # fmt: skip
    for entry in entries:
        content = _python_content(repo, snapshot, entry.path, entry.mode, entry.blob, selection)
        if content is not None:
            files.append(ChangedPythonFile(entry.path, frozenset(), _python_source(content), whole_file=True))
            if entry.mode in REGULAR_FILE_MODES:
                known[entry.path] = content  # the entry's own blob (a symlink's is its target's)
        kind = text_kind(entry.path)
        if entry.mode in REGULAR_FILE_MODES and _is_text_candidate(entry.path) and entry.blob and kind:
            text = repo.read_blob(entry.blob)
            if text is not None:
                text_files.append(ChangedTextFile(entry.path, kind, frozenset(), text, whole_file=True))
                known[entry.path] = text
            if text is not None and ((kind == PYTHON and b"jupytext" in text and _is_jupytext(text)) or (
                    kind == MARKDOWN and _is_text_notebook(entry.path, text))):
                text_files.append(ChangedTextFile(entry.path, NOTEBOOK, frozenset(), text, whole_file=True))
        elif content is None and kind is None and entry.blob and _may_be_shell_script(entry.path, entry.mode):
            text = repo.read_blob(entry.blob)
            if text is not None and is_shell_script(text):
                text_files.append(ChangedTextFile(entry.path, SHELL, frozenset(), text, whole_file=True))
    paths = tuple(changed.path for changed in files) + tuple(changed.path for changed in text_files)
    paths += tuple(entry.path for entry in entries if names_tool_modules(entry.path) and entry.path not in paths)
    snapshot = KnownFiles(snapshot, known) if known else snapshot
    return Change(snapshot, snapshot, files, manifests_changed=False, changed_paths=paths, text_files=text_files)


def parent_policy(repo: Repository, change: Change, policy_paths: Collection[str]) -> None:
    """Files mode on the index, with history: what the change since HEAD's first parent did to the policy.

    ``--all-files`` (pre-commit.ci) has no base, so a baseline, approval or ``ignore`` that a pull request adds
    would hide the pull request's own findings. When HEAD has a parent in this clone and the policy files
    (``policy_paths``: the configuration, the baseline) differ from it, ``change.parent`` is HEAD's parent
    and ``change.added_since_parent`` the lines the index adds since then, so that the core names each
    relaxation made since (HC101) and a baseline entry made since hides nothing on a line made since. A
    shallow clone without the parent (pre-commit.ci's usual checkout) has nothing to compare with.
    """
    head = repo.resolve_commit("HEAD")
    parent = repo.resolve_commit("HEAD^") if head is not None else None
    if parent is None:
        return
    changes, patch = repo.staged_diff(parent)
    if not {path for item in changes for path in item.paths} & set(policy_paths):
        return
    change.parent = CommitSnapshot(repo, parent, f"HEAD^ ({parent[:12]})")
    try:
        added = added_lines(patch)
    except GitError:
        added = {}
    change.added_since_parent = {path: frozenset(item.added) for path, item in added.items()}
    for item in changes:  # a binary-looking or renamed file: every line of it counts as new
        if item.status != "D" and item.path not in change.added_since_parent:
            change.added_since_parent[item.path] = ALL_LINES


def index_snapshot(repo: Repository) -> IndexSnapshot:
    """The files the index holds (the one ``GIT_INDEX_FILE`` names): HEAD, or nothing before the first
    commit, with the staged changes applied."""
    head = repo.resolve_commit("HEAD")
    head_snapshot = CommitSnapshot(repo, head, "HEAD") if head else None
    return IndexSnapshot(repo, head_snapshot, repo.staged_changes(head or repo.empty_tree))


def _index_entries(repo: Repository, only: Collection[str] | None) -> list[IndexEntry]:
    """The index entries files mode looks at, in path order: the named ones and those in named directories.

    A named path git does not track is an error, as is an unresolved conflict: the
    check reads git, not the disk.
    """
    if only is not None and not only:
        return []
    requested = sorted(only) if only is not None else []
    found: dict[str, IndexEntry] = {}
    matched: set[str] = set()
    for entry in repo.index_entries(requested if len(requested) <= _MAX_NAMED_PATHS else ()):
        if only is not None and entry.path in only:
            matched.add(entry.path)
        elif only is not None:
            directory = _named_directory(entry.path, only)
            if directory is None:
                continue
            matched.add(directory)
        if entry.stage:
            raise GitError(f"{entry.path}: its merge conflict is not resolved (git add it when it is)")
        found[entry.path] = entry
    for path in requested:
        if path not in matched:
            raise GitError(
                f"{path or '.'}: not tracked by git (hallucheck reads git, not the disk): git add it"
            )
    return [found[path] for path in sorted(found)]


class _Selection(Slots):
    """Which files of a change are checked as Python."""

    __slots__ = ("classify", "narrows", "only")

    def __init__(self, only: Collection[str] | None, classify: bool = False, narrows: bool = True) -> None:
        self.only = only
        """The named paths (None: every file); a named directory stands for the files under it in files mode."""
        self.classify = classify
        """Named files were passed by the hook: only Python ones count. Otherwise a person named them: all count."""
        self.narrows = narrows
        """Only named files are checked; False (range mode): names widen what is read as Python, never narrow."""

    def named(self, path: str) -> bool:
        return self.only is not None and path in self.only

    def allows(self, path: str) -> bool:
        return self.only is None or not self.narrows or path in self.only




def has_python_shebang(content: bytes) -> bool:
    """Whether the first line starts the file with a Python interpreter (``#!/usr/bin/env python3``), or a
    shell script re-runs itself with Python in its first lines."""
    if not content.startswith(b"#!"):
        return False
    head = content.split(b"\n", 6)
    return _PYTHON_SHEBANG.match(head[0]) is not None or any(_EXECS_PYTHON.search(line) for line in head[1:6])




def _may_be_shell_script(path: str, mode: str) -> bool:
    """A file no name says the kind of that a shell shebang may make a shell script (read for installs)."""
    return mode in REGULAR_FILE_MODES and may_be_script(path, mode) and text_kind(path) is None


def _may_read(entry: IndexEntry, selection: _Selection) -> bool:
    """Whether :func:`_python_content` reads the blob of ``entry`` (so that it is fetched with the others)."""
    return entry.mode in (EXECUTABLE_MODE, "100644") and (
        is_python_name(entry.path) or selection.named(entry.path) or may_be_script(entry.path, entry.mode)
    )


def _python_content(
    repo: Repository, snapshot: Snapshot, path: str, mode: str, blob: str | None, selection: _Selection
) -> bytes | None:
    """The Python source the file at ``path`` holds, or None when it is not checked as Python.

    A regular file is Python by its name or by a Python shebang; a file a person
    named is Python whatever it is called. A symlink counts when its name says Python
    (or a person named it) and it leads to a file of the snapshot that is not
    checked as Python at its own path: ``tool.py -> notes.txt`` makes notes.txt code.
    """
    if mode == SYMLINK_MODE:
        if not (is_python_name(path) or (selection.named(path) and not selection.classify)):
            return None
        resolved = resolve_link(snapshot, path)
        if resolved is None or not resolved or snapshot.list_dir(resolved.rpartition("/")[0]).get(
            resolved.rpartition("/")[2]
        ) is not EntryKind.FILE:
            return None
        content = snapshot.read(resolved)
        if content is None or is_python_name(resolved) or has_python_shebang(content):
            return None  # Python at its own path: checked there when it changes
        return content
    if mode not in (EXECUTABLE_MODE, "100644") or blob is None:
        return None
    if is_python_name(path) or (selection.named(path) and not selection.classify and not _is_text_candidate(path)):
        return repo.read_blob(blob)
    if not may_be_script(path, mode):
        return None
    content = repo.read_blob(blob)
    return content if content is not None and has_python_shebang(content) else None


def _is_text_candidate(path: str) -> bool:
    """A notebook or a file that may hold install commands (manifests are read as manifests)."""
    kind = text_kind(path)
    return kind is not None and (reads_commands_of_manifest(kind) or not is_manifest(path))


_PREFETCH_FROM = 16
"""Changed files from which their blobs are read in one pipelined exchange (a range): below, one by one."""


def _prefetch_changed(repo: Repository, changes: Sequence[FileChange]) -> None:
    """Read the blobs of the changed Python files and text files at once, new and old, when there are many (a
    range of 500 commits reads thousands: one round trip to ``git cat-file`` each cost more than reading them)."""
    wanted = [change for change in changes if change.status != "D" and change.is_regular_file
              and (is_python_name(change.path) or _is_text_candidate(change.path))]  # fmt: skip
    if len(wanted) < _PREFETCH_FROM:
        return
    repo.prefetch_blobs(list(dict.fromkeys(blob for change in wanted for blob in (change.new_blob, change.old_blob)
                                           if blob)))  # fmt: skip


def _changed_text_files(
    repo: Repository, changes: Sequence[FileChange], selection: _Selection, other_parents: Sequence[str]
) -> list[ChangedTextFile]:
    """Changed notebooks (whole, with their base versions) and files whose new lines may install packages.

    A line is new when no base version of the file holds the same text (what the check reports anyway: a
    command already in the file is not new), so no diff process is needed: the blobs come from the object
    reader the run already has. Agent rule files have no type the hook can be given by (``.cursorrules``):
    they are read whether passed or not.
    """
    files = []
    for change in changes:
        if change.status == "D" or not change.is_regular_file:
            continue
        script = not _is_text_candidate(change.path) and _may_be_shell_script(change.path, change.new_mode)
        if not (_is_text_candidate(change.path) or script):
            continue
        if not (selection.allows(change.path) or is_agent_rules(change.path)):
            continue
        content = repo.read_blob(change.new_blob) if change.new_blob else None
        kind = SHELL if script and content is not None and is_shell_script(content) else text_kind(change.path)
        if kind == PYTHON and content is not None and b"jupytext" in content:
            files += _jupytext_twin(repo, change, content, other_parents)
        elif kind == MARKDOWN and content is not None and _is_text_notebook(change.path, content):
            files += _jupytext_twin(repo, change, content, other_parents)  # its code cells; its text as Markdown
        if content is None or kind is None or (kind != NOTEBOOK and not may_hold_commands(text_of(content), kind)
                                               and not may_run_modules(text_of(content), kind)):
            continue  # nothing in it names an installer or runs a module by name
        bases = [repo.read_blob(change.old_blob)] if change.old_blob else []
        # A file renamed from another kind (nb.json -> nb.ipynb, notes.txt -> Dockerfile, a text file that
        # gained a shell shebang) was never read as this kind: its old version vouches for nothing.
        old_kind = text_kind(change.old_path or change.path)
        if script and bases and bases[0] is not None and is_shell_script(bases[0]):
            old_kind = SHELL
        bases = bases if old_kind == kind else []
        bases += [_parent_version(repo, parent, change) for parent in other_parents]
        old = tuple(base for base in bases if base is not None)
        if kind == NOTEBOOK:
            if _notebook_may_add(content, old, change.path):
                files.append(ChangedTextFile(change.path, kind, frozenset(), content, old))
            continue  # else outputs re-run, cells moved: nothing new to read
        text = text_of(content)
        before = {line for base in old for line in text_of(base).split("\n")}
        fresh = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line not in before]
        known = {line.strip() for line in before} if fresh and before else set()
        lines = frozenset(number for number, line in fresh if line.strip() not in known)
        lines = lines | container_lines(text, lines, kind) if lines else lines  # data made a command (E17)
        if lines and (may_add_packages(text, lines, kind) or may_run_modules(text, kind)):  # else nothing to check
            files.append(ChangedTextFile(change.path, kind, lines, content, old))
    return files


def _is_text_notebook(path: str, content: bytes) -> bool:
    from hallucheck.sources.jupytext import is_text_notebook

    return is_text_notebook(path, text_of(content))


def _is_jupytext(content: bytes) -> bool:
    from hallucheck.sources.jupytext import is_jupytext

    return is_jupytext(text_of(content))


def _jupytext_twin(
    repo: Repository, change: FileChange, content: bytes, other_parents: Sequence[str],
) -> list[ChangedTextFile]:  # fmt: skip
    """A Jupytext-paired script read as the notebook it syncs to (its commented magics run there), when it may
    add anything; the script's Python is read as Python besides."""
    if not (_is_jupytext(content) or _is_text_notebook(change.path, content)):
        return []
    same_kind = text_kind(change.old_path or change.path) == text_kind(change.path)
    bases = [repo.read_blob(change.old_blob)] if change.old_blob and same_kind else []
    bases += [_parent_version(repo, parent, change) for parent in other_parents]
    old = tuple(base for base in bases if base is not None)
    if not _notebook_may_add(content, old, change.path):
        return []
    return [ChangedTextFile(change.path, NOTEBOOK, frozenset(), content, old)]


def _notebook_may_add(content: bytes, bases: Sequence[bytes], path: str) -> bool:
    from hallucheck.sources.notebooks import may_add_code

    return may_add_code(text_of(content), [text_of(base) for base in bases], path)




def _named_directory(path: str, names: Collection[str]) -> str | None:
    """The innermost of ``names`` that is a directory enclosing ``path``."""
    parent = path.rpartition("/")[0]
    while parent:
        if parent in names:
            return parent
        parent = parent.rpartition("/")[0]
    return "" if "" in names else None


def _commit(repo: Repository, rev: str) -> str:
    commit = repo.resolve_commit(rev)
    if commit is not None:
        return commit
    if repo.resolve_commit("HEAD") is None:
        raise GitError(
            f"cannot check the range: this repository has no commits yet, so there is no '{rev}'; "
            "`hallucheck` alone checks what is staged for the first commit"
        )
    advice = "fetch it first"
    if repo.is_shallow():
        advice += " (this clone is shallow: 'git fetch --unshallow', or 'fetch-depth: 0' in actions/checkout)"
    raise GitError(f"unknown revision '{rev}': no such commit in this repository; {advice}")


def _changed_python_files(
    repo: Repository,
    changes: Sequence[FileChange],
    selection: _Selection,
    added_in: Callable[[Sequence[FileChange]], dict[str, PatchedFile]],
    other_parents: Sequence[str],
    snapshots: tuple[Snapshot, Snapshot],
) -> list[ChangedPythonFile]:
    """The Python files of ``changes`` with the lines the change adds to them.

    ``snapshots`` are the versions before and after the change, for the files a
    symlink makes Python code: those are checked whole, against what the link led to before.
    """
    python: list[FileChange] = []
    files: list[ChangedPythonFile] = []
    for change in changes:
        if change.status == "D" or not selection.allows(change.path):
            continue
        if change.new_mode == SYMLINK_MODE:
            linked = _linked_file(repo, change, selection, snapshots)
            if linked is not None:
                files.append(linked)
        elif change.is_regular_file and _python_content_of_change(repo, change, selection):
            if _becomes_python(repo, change, selection):
                files.append(_new_python_file(repo, change))
            else:
                python.append(change)
    if not python:
        return sorted(files, key=lambda changed: changed.path)
    added = added_in(python)
    for change in python:
        patched = added.get(change.path)
        content = repo.read_blob(change.new_blob) if patched is not None and change.new_blob else None
        if patched is None or content is None:
            continue
        encoding = source_encoding(content)
        if not keeps_lines(encoding) or patched.touches_head:
            # A diff of UTF-7 or unicode_escape source says nothing about which statements changed, and
            # a changed coding cookie changes every line: check the whole file against its base.
            old = _bases(repo, change, other_parents)
            if not keeps_lines(encoding) or any(source_encoding(base) != encoding for base in old):
                files.append(ChangedPythonFile(change.path, frozenset(), _python_source(content), old, True))
                continue
        lines = patched.added
        may_import = any(_MAY_BELONG_TO_IMPORT.search(text) for text in lines.values())
        if not may_import and patched.reopens_from is None:
            continue
        if patched.reopens_from is not None:
            lines = {**lines, **_import_lines_from(content, patched.reopens_from)}
        content, numbers = _python_lines(content, frozenset(lines))
        files.append(ChangedPythonFile(change.path, numbers, content, _bases(repo, change, other_parents)))
    return sorted(files, key=lambda changed: changed.path)


def _bases(repo: Repository, change: FileChange, other_parents: Sequence[str]) -> tuple[bytes, ...]:
    """The versions of a changed file the change starts from: the old blob, and each other parent's."""
    bases = [repo.read_blob(change.old_blob)] if change.old_blob else []
    for parent in other_parents:
        bases.append(_parent_version(repo, parent, change))
    return tuple(_python_source(base) for base in bases if base is not None)


def _becomes_python(repo: Repository, change: FileChange, selection: _Selection) -> bool:
    """Whether the change makes Python code of a file that was not: renamed from ``notes.txt`` to ``tool.py``,
    or given a Python shebang. Lines git sees as unchanged were never checked as imports."""
    old_path = change.old_path or change.path
    if change.old_blob is None or change.old_mode not in REGULAR_FILE_MODES:
        return False  # a new file (every line is added) or a symlink before (checked whole)
    if is_python_name(old_path) or (selection.named(old_path) and not selection.classify):
        return False
    if not may_be_script(old_path, change.old_mode):
        return True
    old = repo.read_blob(change.old_blob)
    return old is None or not has_python_shebang(old)


def _new_python_file(repo: Repository, change: FileChange) -> ChangedPythonFile:
    """A file that becomes Python code, checked as a new file: every line added, no base vouching for an import."""
    content = repo.read_blob(change.new_blob) if change.new_blob else None
    content = content or b""
    every_line = frozenset(range(1, content.count(b"\n") + 2))
    content, numbers = _python_lines(content, every_line)
    return ChangedPythonFile(change.path, numbers, content)


def _python_content_of_change(repo: Repository, change: FileChange, selection: _Selection) -> bool:
    """Whether a changed regular file is checked as Python (the shebang of a script is read from its blob)."""
    if is_python_name(change.path) or (selection.named(change.path) and not selection.classify):
        return True
    if not may_be_script(change.path, change.new_mode) or change.new_blob is None:
        return False
    content = repo.read_blob(change.new_blob)
    return content is not None and has_python_shebang(content)


def _linked_file(
    repo: Repository, change: FileChange, selection: _Selection, snapshots: tuple[Snapshot, Snapshot]
) -> ChangedPythonFile | None:
    """A symlink that makes a non-Python file of the snapshot Python code, checked whole."""
    base, target = snapshots
    content = _python_content(repo, target, change.path, change.new_mode, change.new_blob, selection)
    if content is None:
        return None
    before = []
    old_path = change.old_path or change.path
    if change.old_mode in (SYMLINK_MODE, *REGULAR_FILE_MODES):
        resolved = resolve_link(base, old_path)
        old = base.read(resolved) if resolved else None
        if old is not None:
            before.append(_python_source(old))
    return ChangedPythonFile(change.path, frozenset(), _python_source(content), tuple(before), whole_file=True)


def _parent_version(repo: Repository, parent: str, change: FileChange) -> bytes | None:
    for path in change_paths(change):
        content = repo.read_blob(f"{parent}:{path}")
        if content is not None:
            return content
    return None


def _touches_manifests(changes: Sequence[FileChange], target: Snapshot) -> bool:
    """Whether the change may alter what is declared: a manifest changed, or a file a manifest may include.

    What a manifest includes is a manifest (``-r deps.cfg``, setuptools ``file = [...]``,
    setup.cfg ``file:``), whatever its name. A changed file counts when a manifest in its
    directory or one above it names it; only their bytes are read, and only after the change
    (a manifest whose bytes differ before it is a changed manifest already).
    """
    paths = changed_paths(changes)
    if any(may_declare(path) for path in paths):
        return True
    read: dict[str, bytes] = {}
    return any(named_by_a_manifest(path, target, read) for path in paths if not is_python_name(path))








def _python_source(content: bytes) -> bytes:
    """Content with every lone carriage return made a newline (see :func:`_python_lines`)."""
    return _LONE_CR.sub(b"\n", content) if b"\r" in content else content


def _python_lines(content: bytes, added: frozenset[int]) -> tuple[bytes, frozenset[int]]:
    """Content with lone carriage returns made newlines, and the added line numbers renumbered to match.

    Python starts a new line at a lone ``\\r``; git does not. Without this, ``x = 1\\rimport evil``
    would hide an import on what git and the core see as one line.
    """
    if b"\r" not in content or not _LONE_CR.search(content):
        return content, added
    lines = content.split(b"\n")
    extra = [len(_LONE_CR.findall(line)) for line in lines]
    first: list[int] = []
    renumbered: set[int] = set()
    shift = 0
    for count in extra:
        first.append(len(first) + 1 + shift)
        shift += count
    for number in added:
        if 0 < number <= len(lines):
            renumbered.update(range(first[number - 1], first[number - 1] + extra[number - 1] + 1))
    return _LONE_CR.sub(b"\n", content), frozenset(renumbered)


def _staged_added_lines(repo: Repository, base: str, checked: Sequence[FileChange]) -> dict[str, PatchedFile]:
    """Added lines of ``checked``, read from the patch the staged diff printed with its change list.

    That patch is git's without ``--text``: a file it shows as binary (a ``-diff`` attribute on a ``.py``)
    is read again with ``--text``, so no attribute hides a line.
    """
    changes, patch = repo.staged_diff(base)
    reading = read_patch(patch, {change.path for change in checked})
    unexpected = reading.named - {change.path for change in changes}
    if unexpected:
        raise GitError(f"git's patch names a file its change list does not: {sorted(unexpected)[0]!r}")
    missing = [change for change in checked if change.path not in reading.added]
    if reading.binary and missing:
        reading.added.update(_added_lines(repo.staged_patch(base, missing), missing))
    return reading.added


def _added_lines(patch: str, changes: Sequence[FileChange]) -> dict[str, PatchedFile]:
    """Added lines per path; GitError when git's patch names a path its ``-z --raw`` list did not."""
    added = added_lines(patch)
    unexpected = added.keys() - {change.path for change in changes}
    if unexpected:
        raise GitError(f"git's patch names a file its change list does not: {sorted(unexpected)[0]!r}")
    return added


def _import_lines_from(content: bytes, first: int) -> dict[int, str]:
    """Lines from ``first`` on that may import once they are code: candidates once string boundaries may
    have moved (imports the base version already makes are then not new)."""
    lines = content.split(b"\n")
    return {
        number: line.decode("utf-8", "replace")
        for number, line in enumerate(lines[first - 1 :], start=first)
        if _MAY_IMPORT_ONCE_CODE.search(line)
    }
