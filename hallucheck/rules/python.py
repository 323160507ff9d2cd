"""Findings for changed Python files: the new imports of each file, resolved in its project's scope, and
what the scan itself finds (a syntax error, an undecodable file, a computed dynamic import)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hallucheck.change import ChangedPythonFile, Resolved
from hallucheck.config import Config
from hallucheck.findings import Finding, finding
from hallucheck.lazy import LazyPattern, Slots, replace
from hallucheck.manifests import Dependency, ManifestProblem, is_template_path
from hallucheck.manifests.roles import committed_environment, is_development_file
from hallucheck.resolve.project import ChangeManifests, with_declared
from hallucheck.resolve.resolver import Resolver
from hallucheck.rules import Checked
from hallucheck.rules.imports import import_finding, placed_finding
from hallucheck.rules.manifests import problem_findings, script_declarations
from hallucheck.sources.cython import cimport_lines, cython_view, is_cython
from hallucheck.sources.directives import SourceFile
from hallucheck.sources.dynamic import importer_names
from hallucheck.sources.imported import ComputedImport, ImportedModule
from hallucheck.sources.imports import import_lines, new_imports
from hallucheck.sources.python import UndecodableSourceError, decode_source

_Scan = tuple[list[Finding], list[ImportedModule], SourceFile | None]
PARALLEL_FROM = 300
"""Whole files from which they are checked in worker processes (one per core): below, starting them costs more."""
_BATCH = 64
_work: tuple[Sequence[ChangedPythonFile], ChangeManifests, Config, bool] | None = None
"""The files the forked workers check, with the manifests and configuration and whether to send the resolutions
back: inherited, not pickled to them."""


class _FileResult(Slots):
    """What checking one file found, before its scope's manifest problems are placed (in the parent)."""

    __slots__ = ("import_findings", "imports", "locks_read", "problems", "resolved", "resolved_here",
                 "scan_findings", "script_findings", "source")  # fmt: skip

    def __init__(
        self, scan_findings: list[Finding], imports: int, source: SourceFile | None, script_findings: list[Finding],
        resolved_here: bool = False, problems: list[ManifestProblem] | None = None,
        import_findings: Sequence[Finding] = (), resolved: Sequence[Resolved] = (),
    ) -> None:
        self.scan_findings = scan_findings
        self.imports = imports
        self.source = source
        self.script_findings = script_findings
        self.resolved_here = resolved_here
        """Whether the file had imports to resolve (its scope's problems come with the first such file)."""
        self.problems = problems
        self.import_findings = import_findings
        self.resolved = resolved
        self.locks_read = False
        """Whether the scope's deferred lock files had been read once the file was checked (by a worker)."""


def python_findings(
    files: Sequence[ChangedPythonFile], manifests: ChangeManifests, config: Config,
    meanwhile: Callable[[], object] | None = None, *, resolutions: bool = True,
) -> Checked:  # fmt: skip
    """The findings of the changed Python ``files``; a scope's manifest problems come with its first file.

    Many whole files (``--all-files`` on a large tree) are checked by forked workers, one per core, each
    scanning and resolving a batch of files with resolvers of its own; the results are merged in file order,
    and the scopes' problems placed here, so the output is what checking them one by one gives. This process
    runs ``meanwhile`` while it waits for them (other work of the check that needs no Python file's result); it
    is not run when the files are checked here. Without ``resolutions`` (no report shows them) the workers do
    not send back how each import resolved (pickling them cost more than resolving).
    """
    checked = Checked()
    files = [changed for changed in files if not _template(changed, checked) and not _installed(changed, manifests,
                                                                                                   checked)]
    results = _checked_in_parallel(files, manifests, config, meanwhile, resolutions)
    for index, changed in enumerate(files):
        if results is None:
            _merge(_check_file(changed, manifests, config), checked)
            continue
        result = results[index]
        if result.resolved_here:  # the workers' resolvers saw their own first files: the order is placed here
            result.problems = manifests.resolver(changed.path)[1]
            if result.locks_read:  # their problems join the scope's, as resolving the file here would read them
                manifests.target.declared_for(changed.path).load_locks()
        _merge(result, checked)
    return checked


def _template(changed: ChangedPythonFile, checked: Checked) -> bool:
    if is_template_path(changed.path):
        checked.notes.append(f"{changed.path}: skipped, a project template (cookiecutter/copier), not code of this "
                             "project")  # fmt: skip
        return True
    return False


def _installed(changed: ChangedPythonFile, manifests: ChangeManifests, checked: Checked) -> bool:
    environment = in_environment(manifests, changed.path)
    if environment is not None:
        checked.notes.append(f"{changed.path}: skipped, part of the committed environment {environment}, "
                             "not code of this project")  # fmt: skip
    return environment is not None


def in_environment(manifests: ChangeManifests, path: str) -> str | None:
    """The committed environment (a venv, ``site-packages/``, ``__pypackages__/``) holding ``path``, or None."""
    from hallucheck.snapshot import EntryKind

    snapshot = manifests.target.snapshot
    return committed_environment(path, lambda directory, name: snapshot.list_dir(directory).get(name)
                                 is EntryKind.FILE)  # fmt: skip


def _checked_in_parallel(
    files: Sequence[ChangedPythonFile], manifests: ChangeManifests, config: Config,
    meanwhile: Callable[[], object] | None = None, resolutions: bool = True,
) -> list[_FileResult] | None:
    """Every file's :func:`_check_file`, by forked workers over batches of files, when there are many and more
    than one core; None otherwise (the caller checks each file itself), also when the workers cannot be
    started or one of them dies (the files are then checked here: the same output, later).

    The workers inherit the files, manifests and configuration by fork (each starts its own ``git cat-file``
    on its first read: :class:`~hallucheck.git.repository.Repository` forgets its parent's in a child, and
    ends its own before the worker exits); the results come back pickled, in file order. An error raised
    while checking a file is raised here, as checking it here would raise it.
    """
    import os
    import sys

    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return None  # fork is Linux's safe default; elsewhere, and for few files, one process
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _work
    _work = (files, manifests, config, resolutions)
    try:
        _before_fork()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_started) as pool:
            mapped = pool.map(_check_batch, range(0, len(files), _BATCH))  # every batch submitted
            if meanwhile is not None:
                meanwhile()
            batches = list(mapped)
    except (BrokenProcessPool, OSError, ImportError):
        return None  # no fork, no semaphores (a sandbox), or a worker killed: checked here instead
    finally:
        _work = None
        gc.unfreeze()
    return [item for batch in batches for item in batch]


def _before_fork() -> None:
    """What every worker would otherwise do on its own: libcst is imported once, here (a statement the simple
    reader cannot read needs it, and a large tree has some: 17 of saleor's 4,338 files; importing it takes
    ~0.45 s of CPU), and the objects made so far are frozen out of the collector's reach (:func:`gc.freeze`),
    so that the workers' collections neither walk them again nor copy the pages they live on."""
    import gc

    from hallucheck.sources import cst  # noqa: F401  (imported for the workers)

    gc.freeze()


def _worker_started() -> None:
    """In a forked worker: end its ``git cat-file`` processes when it exits (multiprocessing's finalizers run
    when a worker leaves normally, as the pool's shutdown makes them)."""
    from multiprocessing import util

    from hallucheck.git.repository import close_blob_readers

    util.Finalize(None, close_blob_readers, exitpriority=10)


def _check_batch(start: int) -> list[_FileResult]:
    assert _work is not None
    files, manifests, config, resolutions = _work
    batch = files[start : start + _BATCH]
    results = [_check_file(changed, manifests, config) for changed in batch]
    for changed, result in zip(batch, results, strict=True):
        result.problems = None  # this worker saw its own first files: the parent places each scope's problems
        if not resolutions:
            result.resolved = ()
        if result.resolved_here:
            result.locks_read = manifests.target.declared_for(changed.path).locks_read
    return results


def _check_file(changed: ChangedPythonFile, manifests: ChangeManifests, config: Config) -> _FileResult:
    scan_findings, imports, source = scan(changed)
    script = None
    if source is not None:
        script = script_declarations(changed.path, source.text, source.base_texts, config,
                                     whole_file=changed.whole_file)  # fmt: skip
    script_findings = script.findings if script is not None else []
    if not imports:
        return _FileResult(scan_findings, 0, source, script_findings)
    resolver, problems = manifests.resolver(changed.path)  # one per project scope
    if script is not None and script.target is not None:
        resolver = with_declared(resolver, script.base, script.target)
    checked = with_optional_uses(imports, source.text) if source is not None else imports
    resolved: list[Resolved] = []
    found: list[Finding] = []
    if changed.path.endswith(".pyx") and source is not None:  # a cimport is read when the module is built
        cimports = cimport_lines(decode_source(changed.content))
        built = [item for item in checked if item.first_line in cimports]
        checked = [item for item in checked if item.first_line not in cimports]
        build_resolver, _ = manifests.resolver(changed.path[:-4] + ".pxd")  # the same scope, its build requires
        found += _import_findings(changed.path, built, build_resolver, config, resolved, manifests.declared_elsewhere)
    found += _import_findings(changed.path, checked, resolver, config, resolved, manifests.declared_elsewhere)
    return _FileResult(scan_findings, len(imports), source, script_findings, True, problems, found, resolved)


def _merge(result: _FileResult, checked: Checked) -> None:
    checked.findings += result.scan_findings
    checked.imports_checked += result.imports
    if result.source is not None:
        checked.sources[result.source.path] = result.source
    checked.findings += result.script_findings
    if result.problems:  # reported with the first file the scope serves
        checked.findings += problem_findings(result.problems, blocking=True)
    checked.findings += result.import_findings
    checked.resolved += result.resolved


def with_optional_uses(imports: Sequence[ImportedModule], text: str) -> list[ImportedModule]:
    """``imports``, where a module the file imports optionally is optional everywhere in the file.

    ``try: import pymongo`` / ``except ImportError: pymongo = None``, then ``if pymongo: from pymongo.errors
    import InvalidDocument``: the later imports run only when the guarded one worked, so they get the guarded
    import's finding (HC023, a warning), not an error of their own. A module is optional in the file when one
    of its imports is guarded, or the file sets its name to ``None`` where an import fails. Only the
    distribution is optional: a path it does not ship (HC022, HC026) fails wherever it is installed, so those
    imports are marked ``optional``, not ``guarded``.
    """
    optional = {item.top_level for item in imports if item.guarded}
    if "None" in text and "except" in text:
        optional.update(name for name in _NONE_FALLBACK.findall(text) if name not in optional)
    if not optional:
        return list(imports)
    return [replace(item, optional=True) if not item.guarded and not item.level and item.top_level in optional
            else item for item in imports]  # fmt: skip


_NONE_FALLBACK = LazyPattern(r"(?m)^[ \t]+(\w+)\s*=\s*None\b")
"""An indented ``name = None``: the fallback of an optional import in an ``except`` block."""


def _import_findings(
    path: str, imports: Sequence[ImportedModule], resolver: Resolver, config: Config, resolved: list[Resolved],
    elsewhere: Callable[[str, str], Sequence[Dependency]] | None = None,
) -> list[Finding]:
    """One finding per statement and module: `from x import a, b` is one problem, two statements importing
    x are two (each can be fixed or suppressed on its own)."""
    findings: list[Finding] = []
    reported: set[tuple[str, int, str, str | None]] = set()
    for item in imports:
        resolution = resolver.resolve(item, path)
        resolved.append(Resolved(path, item, resolution))
        result = import_finding(path, item, resolution, config)
        if result is None:
            continue
        result = placed_finding(result, item, path, resolver, elsewhere)
        named = result.code in ("HC009", "HC022")
        key = (result.code, item.first_line, item.module, item.name if named else None)
        if key not in reported:
            reported.add(key)
            findings.append(result)
    return findings


def _cython_view(path: str, text: str, bases: list[str]) -> tuple[str, list[str], list[Finding]]:
    """The Python view of a Cython file and its bases (:mod:`hallucheck.sources.cython`), and an HC010 error
    when it cannot be read whole: what cannot be read is not passed."""
    view, unread = cython_view(text)
    problems = [] if unread is None else [finding(
        "HC010", path, unread[0], 0,
        f"cannot read this Cython file past line {unread[0]}: {unread[1]}; the imports after it were not checked",
        "Fix the file (Cython reads strings, brackets and continuation lines as Python does).",
    )]  # fmt: skip
    return view, [cython_view(base)[0] for base in bases], problems


_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def scan(changed: ChangedPythonFile) -> tuple[list[Finding], list[ImportedModule], SourceFile | None]:
    if changed.content.startswith(_LFS_POINTER):  # attack H38: git holds a pointer; checkouts get the code
        message = (f"{changed.path} is stored through Git LFS: git holds a pointer, and the code checkouts get is "
                   "on the LFS server, where hallucheck does not read")
        return [finding("HC012", changed.path, 1, 0, message, "Keep Python code out of Git LFS: remove its "
                        "`filter=lfs` line from .gitattributes, then `git add --renormalize` the file.")], [], None
    try:
        text = decode_source(changed.content)
    except UndecodableSourceError as error:
        message = f"cannot decode {changed.path}: {error.reason}"
        return [finding("HC012", changed.path, error.line, 0, message, "Save the file as UTF-8.")], [], None
    bases = []
    for content in changed.base_contents:
        try:
            bases.append(decode_source(content))
        except UndecodableSourceError:
            continue  # the base cannot vouch for any import; everything added counts as new
    problems: list[Finding] = []
    if is_cython(changed.path):  # its imports and cimports, as Python
        text, bases, problems = _cython_view(changed.path, text, bases)
    elif changed.path.endswith(".pth"):  # site runs its `import` lines at every start (attack F17)
        text, bases = pth_code(text), [pth_code(base) for base in bases]
    importers = importer_names(text)  # the file's aliases of importers: read once, for candidates and the scan
    candidates = import_lines(text, importers) if changed.whole_file else None
    lines = candidates if candidates is not None else changed.added_lines
    scan = new_imports(text, lines, bases, importers, candidates=candidates)
    findings = [
        finding(
            "HC010", changed.path, problem.line, problem.column, f"syntax error: {problem.message}",
            "Fix the syntax; imports that could be read were still checked.",
        )
        for problem in scan.syntax_errors
    ] + problems  # fmt: skip
    findings += computed_import_findings(changed.path, scan.computed)
    spans = [(item.first_line, item.last_line) for item in scan.imports]
    spans += [(item.line, item.line) for item in scan.computed]
    return findings, scan.imports, SourceFile(changed.path, text, changed.added_lines, bases, spans)



def pth_code(text: str) -> str:
    """The Python a ``.pth`` file runs, line for line: ``site`` executes each line that starts with ``import``
    (followed by a space or a tab) at every interpreter start; the other lines are paths or comments."""
    return "\n".join(line if line.startswith(("import ", "import\t")) else "" for line in text.split("\n"))


def computed_import_findings(path: str, computed: Sequence[ComputedImport]) -> list[Finding]:
    """HC025 for the package's own code, one line per file: a framework that imports the user's modules by
    name does so by design, in a few places. Tests and docs code compute imports to drive the package under
    test (``import_module(f"docs_src.{name}")``): no finding there, as nothing a user installs depends on it."""
    if not computed or is_development_file(path):
        return []
    first = computed[0]
    more = len({item.line for item in computed}) - 1
    also = f" (and {more} more such call{'s' if more > 1 else ''} in this file)" if more else ""
    return [finding(
        "HC025", path, first.line, first.column,
        f"`{first.call}(...)` imports a module that cannot be checked: {first.why}{also}",
        "Name the module with a string literal, or import it with an import statement, so that it can be "
        "checked; if the name really must be computed, make sure every value it can take is a real module.",
    )]  # fmt: skip
