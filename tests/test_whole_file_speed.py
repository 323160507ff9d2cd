"""The shortcuts that keep ``--all-files`` fast decide exactly what the slow way decides.

- ``import_lines`` (the candidate lines of a whole file) misses no statement that ``may_import`` accepts;
- scanning files in forked workers gives the findings of scanning them one by one;
- visiting only the statements of many added lines that hold a candidate line (range mode) finds what visiting
  every added line finds.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.change import Change, ChangedPythonFile
from hallucheck.config import Config
from hallucheck.resolve.project import ChangeManifests
from hallucheck.rules import python as python_rules
from hallucheck.snapshot import MemorySnapshot
from hallucheck.sources import imports as imports_module
from hallucheck.sources.dynamic import call_pattern, importer_names
from hallucheck.sources.imports import import_lines, imports_in_lines, may_import
from hallucheck.sources.python import LogicalLines
from tests.conftest import Outcome, Repo

FRAGMENTS = [
    "import os", "from importlib import import_module as load", "load('yaml')", "x = f('a')",
    "z = re.compile('q')", "a = b \\", "  + 1", "evaluate(1)", "q = eval('1')", "import importlib as il",
    "m = il", "n = m", "g = n.import_module", "g('requests')", "h = g", "h('x')", "def f():", "    pass",
    "s = '''", "import fake", "'''", "from builtins import exec as run", "run('import x')", "x = (", "  1,", ")",
    "t = pytest", "u = t.importorskip", "u('numpy')", "from pytest import (", "    importorskip as skip,", ")",
    "skip('pandas')", "# import nothing", "v = __import__", "v('a')", "from runpy import run_module",
    "run_module('b')", "pytest_plugins = [", "    'plugin.a',", "]", "w = importlib.util.find_spec",
    "w('c')", "k: Any = il  # alias", "exec_(1)", "_eval = 2", "fns = [load]", "p = q = il", "(r := il.import_module)",
    "a2, b2 = il.import_module, 1", "il . import_module('d')", "é = il", "é.import_module('e')",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(lambda lines: "\n".join(lines) + "\n")


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_every_statement_that_may_import_has_a_candidate_line(text: str) -> None:
    candidates = import_lines(text)
    logical = LogicalLines(text)
    calls = call_pattern(importer_names(text))
    line = 1
    while line <= len(logical):
        statement = logical.at(line)
        if may_import(statement.text, calls):
            assert candidates & set(range(statement.first, statement.last + 1)), statement.text
        line = statement.last + 1


def test_candidate_lines_are_only_what_can_import() -> None:
    text = "import os\nx = f('a')\nload('b')\nevaluate(1)\ny = re.compile('c')\n"
    text += "from importlib import import_module as load\n"
    assert sorted(import_lines(text)) == [1, 3, 5, 6]


def test_scanning_in_workers_gives_the_findings_of_scanning_alone(monkeypatch) -> None:
    files = [
        ChangedPythonFile(
            f"pkg/m{index}.py", frozenset(), f"import os\nimport madeup{index % 3}\nx = 1\n".encode(), whole_file=True
        )
        for index in range(12)
    ]
    files.append(ChangedPythonFile("pkg/bad.py", frozenset(), b"import (\n", whole_file=True))
    snapshot = MemorySnapshot({"pyproject.toml": '[project]\nname = "p"\nversion = "1"\ndependencies = []\n'})

    def findings() -> list[str]:
        manifests = ChangeManifests(Change(snapshot, snapshot, files, mode="files"))
        checked = python_rules.python_findings(files, manifests, Config())
        return [f"{item.path}:{item.line}:{item.code}:{item.message}" for item in checked.findings]

    alone = findings()
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 5)
    assert findings() == alone and len(alone) >= 12


def _every_line_visited(text: str, lines: list[int], monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(imports_module, "_PREFILTER_FROM", 10**9)
        return repr(imports_in_lines(text, lines))


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_prefiltered_lines_find_what_every_line_finds(text: str, data: st.DataObject) -> None:
    count = text.count("\n") + 1
    lines = data.draw(st.lists(st.integers(1, count), unique=True))
    with pytest.MonkeyPatch.context() as patch:
        expected = _every_line_visited(text, lines, patch)
    assert repr(imports_in_lines(text, lines, candidates=import_lines(text))) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(imports_module, "_PREFILTER_FROM", 0)
        assert repr(imports_in_lines(text, lines)) == expected


def test_an_added_line_before_the_candidate_of_its_statement() -> None:
    text = "import os\nx = (\n    1,\n    __import__('yaml'),\n)\ny = 2\n"
    for lines, modules in (([2], ["yaml"]), ([1, 2], ["os", "yaml"]), ([3, 6], ["yaml"]), ([6], [])):
        found = imports_in_lines(text, lines, candidates=import_lines(text))
        assert [item.module for item in found.imports] == modules, lines


REAL_FILES = sorted((Path(__file__).resolve().parent.parent / "hallucheck").rglob("*.py"))


@pytest.mark.parametrize("path", REAL_FILES[::3], ids=lambda path: path.name)
def test_prefilter_on_real_files(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real files: all lines (a new file in a range), runs of lines (edits) and scattered lines."""
    text = path.read_text()
    count = text.count("\n") + 1
    chooser = random.Random(path.name)
    start = chooser.randint(1, count)
    for lines in (list(range(1, count + 1)), list(range(start, min(start + 40, count + 1))),
                  chooser.sample(range(1, count + 1), min(count, 60))):  # fmt: skip
        expected = _every_line_visited(text, lines, monkeypatch)
        assert repr(imports_in_lines(text, lines)) == expected, path


def test_checking_in_workers_on_a_real_repository_gives_what_one_process_gives(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers resolve too: each reads blobs through its own ``git cat-file`` (a ``.gitignore`` naming a generated
    module), and each scope's manifest problems come once, with its first file, as in one process."""
    files: dict[str, str | bytes] = {
        ".gitignore": "a/pkg/_version.py\n",
        "a/pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests", "not a requirement!"]\n',
        "b/pyproject.toml": '[project\nname = "b"\n',
        "a/pkg/__init__.py": "from ._version import version\n",
        "b/pkg/__init__.py": "",
    }
    for index in range(24):
        project = "ab"[index % 2]
        files[f"{project}/pkg/m{index}.py"] = (
            f"import os\nimport requests\nimport madeup{index % 3}\nfrom . import m{(index + 2) % 24}\n"
            f"from .missing{index % 2} import x\n"
        )
    repo.commit(files)

    def outcome() -> str:
        result = repo.check("--all-files", capsys=capsys)
        assert result.code == 1
        return result.out

    alone = outcome()
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 3)
    in_workers = outcome()
    assert in_workers == alone
    codes = Outcome(1, alone, "").codes()
    assert len(codes) > 24 and codes.count("HC013") + codes.count("HC011") >= 1, codes


def test_forked_children_read_blobs_through_their_own_git_process(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Children sharing their parent's ``git cat-file`` pipes would read each other's answers."""
    import os
    import signal

    from hallucheck.git.repository import Repository

    repo.commit({f"f{index}.txt": f"content {index}\n" * (index + 1) for index in range(40)})
    monkeypatch.chdir(repo.root)
    repository = Repository()
    assert repository.read_blob("HEAD:f0.txt") == b"content 0\n"
    children = []
    for offset in range(3):
        child = os.fork()
        if child == 0:  # pragma: no cover (the child exits with what it read)
            signal.alarm(20)  # a child stuck on a shared pipe dies instead of hanging the test
            right = all(
                repository.read_blob(f"HEAD:f{index}.txt") == f"content {index}\n".encode() * (index + 1)
                for _ in range(20) for index in range(offset, 40, 3)
            )
            os._exit(0 if right else 1)
        children.append(child)
    statuses = [os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) for child in children]
    assert statuses == [0, 0, 0]
    assert repository.read_blob("HEAD:f7.txt") == b"content 7\n" * 8
    repository.close()


INSTALL_FRAGMENTS = ["pip", "PIP", "Pip3.11", "-m", "pipx", "uvx", "UV", "poetry", "PDM", "conda", "micromamba",
                     "rye", "easy_install", "pixi", "hatch", "pipeline", "install", " ", "-", "_", "\n", "x", "@",
                     "+", "PIP_INDEX_URL", "uv_default_index", "\"", "'", "$", "{", "}", "`", "(", ")", ",",
                     "\\", "a", "1", "secondary", "\u0131", "\u212a", "\u0130", "\u017f", "\u00e9", "mim",
                     "fades", "Fade", "add", "ADD", "wheel", "runpip", "inject", "download", ".", "__main__", "[",
                     "]", "-run", "-sync", "eas", "y_in", "st", "a\u0130l", "M", "\u00df", "\u212b"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(INSTALL_FRAGMENTS), max_size=12).map("".join))
def test_the_installer_prefilter_passes_all_the_pattern_and_the_reader_find(text: str) -> None:
    from hallucheck.sources import install_commands

    def by_pattern(value: str) -> bool:
        if install_commands.MAY_INSTALL.search(value):
            return True
        if not install_commands._DISGUISE.search(value):
            return False
        plain = install_commands._DISGUISE_PARTS.sub("", value)
        if install_commands.MAY_INSTALL.search(plain) or install_commands._VERB.search(plain):
            return True
        parts = install_commands._SEPARATORS.sub(" ", install_commands._JOINTS.sub("", value))
        spaced = install_commands._DISGUISE_PARTS.sub("", parts)
        return bool(install_commands.MAY_INSTALL.search(spaced) or install_commands._VERB.search(spaced))

    decided = install_commands.may_install(text)
    assert decided or not by_pattern(text)
    assert decided or not install_commands.install_commands(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(INSTALL_FRAGMENTS), max_size=12).map("".join))
def test_searching_at_the_words_finds_what_searching_everywhere_finds(text: str) -> None:
    """The installer and verb patterns are tried only where their words start (in the text's case-folded copy):
    the same answer as a search, also for the non-ASCII letters that a case-insensitive pattern matches."""
    from hallucheck.sources import install_commands

    assert install_commands.names_installer(text) == (install_commands.MAY_INSTALL.search(text) is not None)
    assert install_commands._names_verb(text) == (install_commands._VERB.search(text) is not None)


def test_searching_at_the_words_finds_what_searching_everywhere_finds_in_real_files() -> None:
    """Every text file of a real repository (docs, recorded responses, lock files, code)."""
    from hallucheck.sources import install_commands

    roots = [path for path in (Path("/work/repos/sentry-python"), Path("/work/repos/poetry")) if path.is_dir()]
    if not roots:
        pytest.skip("no real repository on this machine")
    checked = 0
    for root in roots:
        for path in sorted(root.rglob("*")):
            if ".git" in path.parts or not path.is_file() or path.stat().st_size > 300_000:
                continue
            text = path.read_bytes().decode("utf-8", "replace")
            assert install_commands.names_installer(text) == (install_commands.MAY_INSTALL.search(text) is not None)
            assert install_commands._names_verb(text) == (install_commands._VERB.search(text) is not None), path
            checked += 1
    assert checked > 1000


def _lock_repo(repo: Repo) -> None:
    """Many files of one project whose lock file is broken and read only when an import is not declared."""
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n',
        "uv.lock": "[[package]\n",
    }
    files.update({f"pkg/m{index}.py": "import os\nimport requests\n" for index in range(12)})
    files["pkg/z.py"] = "import madeup_module\n"  # in the last batch: only its worker reads the lock file
    repo.commit(files)


def test_a_lock_file_a_worker_reads_is_a_problem_as_in_one_process(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _lock_repo(repo)
    alone = repo.check("--all-files", capsys=capsys)
    assert ("uv.lock", "HC011") in [(item["path"], item["code"]) for item in alone.json()["findings"]], alone.out
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 3)
    assert repo.check("--all-files", capsys=capsys).out == alone.out


_CHECK_BATCH = python_rules._check_batch


def _dies(start: int) -> list[python_rules._FileResult]:
    """A worker killed (out of memory) while checking the second batch."""
    import os

    if start == 3:
        os._exit(9)
    return _CHECK_BATCH(start)


def test_without_workers_the_files_are_checked_in_this_process(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No fork or no semaphores (a sandbox), or a worker killed: the same output, from one process."""
    import concurrent.futures

    _lock_repo(repo)
    alone = repo.check("--all-files", capsys=capsys).out
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 3)
    monkeypatch.setattr(python_rules, "_check_batch", _dies)
    assert repo.check("--all-files", capsys=capsys).out == alone
    monkeypatch.setattr(python_rules, "_check_batch", _CHECK_BATCH)

    def no_fork(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_fork)
    assert repo.check("--all-files", capsys=capsys).out == alone


_ADOPTER = r"""
import ctypes, os, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: what a worker leaves behind comes here
child = os.fork()
if child == 0:
    from hallucheck.rules import python
    python.PARALLEL_FROM, python._BATCH = 2, 3
    from hallucheck.cli import main
    os._exit(main(["--all-files", "-o", os.devnull]))
code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
time.sleep(0.3)
left = []
while True:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    left.append(pid)
    if pid == 0:
        break
print(code, left)
"""


def test_workers_end_their_git_processes(repo: Repo) -> None:
    """Each worker ends its own ``git cat-file`` before it exits: none is left for whoever adopts orphans."""
    import os
    import subprocess
    import sys

    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("workers run on Linux with more than one core")
    _lock_repo(repo)
    environment = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    done = subprocess.run([sys.executable, "-c", _ADOPTER], cwd=repo.root, env=environment, capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    assert done.stdout.splitlines()[-1] == "1 []", (done.stdout, done.stderr)


def test_findings_at_one_place_come_in_the_same_order_in_every_process(repo: Repo) -> None:
    """Findings sharing a place are ordered as they were found, not by string hashes (which differ between
    processes): the output of a run is the output of any other, as comparing workers with one process needs."""
    import os
    import subprocess
    import sys

    repo.commit({
        "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n',
        # a literal block is read as a command (the same words in a `.. change::` directive's prose are not)
        "CHANGES.rst": "Install::\n\n    pip install sqlalchemy[asyncio] which will then attempt to install x\n",
    })  # fmt: skip
    outputs = set()
    for seed in ("1", "2", "3", "4", "5"):
        environment = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent), PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-m", "hallucheck", "--all-files", "--format", "json"], cwd=repo.root,
                              env=environment, capture_output=True, text=True, timeout=60)  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1 and '"will"' in outputs.pop()


def test_a_range_reads_its_blobs_in_one_exchange_and_finds_what_reading_one_by_one_finds(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many changed files: their new and old blobs are read through one pipelined exchange, before the Python
    files and the text files (a ``.py`` file is read as both) are read from it; what is found is the same."""
    from hallucheck.git import changes
    from hallucheck.git.repository import _BlobReader

    base: dict[str, str | bytes] = {"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = []\n'}
    base.update({f"pkg/m{index}.py": f"import os\nx = {index}\n" for index in range(20)})
    repo.commit(base)
    repo.commit({
        **{f"pkg/m{index}.py": f"import os\nimport madeup{index % 3}\nx = {index}\n" for index in range(20)},
        **{f"docs/d{index}.md": f"```\npip install reqeusts{index}\n```\n" for index in range(4)},
        "run.py": "import subprocess\nsubprocess.run(['pip', 'install', 'numpyy'])\n",
    })  # fmt: skip
    single: list[str] = []
    read = _BlobReader.read

    def counted(self: _BlobReader, name: str) -> tuple[str, bytes] | None:
        single.append(name)
        return read(self, name)

    monkeypatch.setattr(_BlobReader, "read", counted)

    def blobs_read_alone() -> list[str]:  # by object name (manifests, configuration and trees: by path or ^{tree})
        return [name for name in single if ":" not in name and "^" not in name]

    pipelined = repo.check("--from-ref", "HEAD~1", "--to-ref", "HEAD", capsys=capsys)
    assert blobs_read_alone() == []
    monkeypatch.setattr(changes, "_PREFETCH_FROM", 10_000)
    one_by_one = repo.check("--from-ref", "HEAD~1", "--to-ref", "HEAD", capsys=capsys)
    assert pipelined.out == one_by_one.out
    assert pipelined.code == one_by_one.code == 1
    assert len(blobs_read_alone()) > 40


def test_text_files_read_while_workers_check_python_give_what_reading_them_after_gives(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With workers, the text files' install commands are read while the workers check the Python files (the
    parent is idle then): the same findings, in the same order, as reading them after, in one process."""
    from hallucheck.rules import text_files

    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n',
        "README.md": "```\npip install reqeusts\npip install requests\n```\n",
        "docs/setup.md": "Run `pip install numpyy` first.\n",
        "Dockerfile": "FROM python\nRUN pip install flaskk\n",
        "tools/env.py": "import subprocess\nsubprocess.run(['pip', 'install', 'pandass'])\n",
    }
    files.update({f"pkg/m{index}.py": f"import os\nimport requests\nimport madeup{index % 3}\n" for index in range(12)})
    repo.commit(files)
    read: list[int] = []
    original = text_files.text_installs

    def counted(change: Any, manifests: Any) -> dict[int, list[Any]]:
        found = original(change, manifests)
        read.append(len(found))
        return found

    monkeypatch.setattr(text_files, "text_installs", counted)
    alone = repo.check("--all-files", capsys=capsys)
    assert read == []
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 3)
    meanwhile = repo.check("--all-files", capsys=capsys)
    assert read and read[0] >= 4
    assert meanwhile.out == alone.out and meanwhile.code == alone.code == 1
    assert {"HC030", "HC001"} <= set(Outcome(1, alone.out, "").codes()), alone.out


def test_workers_send_the_resolutions_back_only_when_the_report_shows_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickling tens of thousands of resolutions cost more than resolving them: without ``-v`` the workers keep
    them; with it the report lists every import as one process does."""
    files = [
        ChangedPythonFile(f"pkg/m{index}.py", frozenset(), f"import os\nimport madeup{index % 3}\n".encode(),
                          whole_file=True)
        for index in range(12)
    ]  # fmt: skip
    snapshot = MemorySnapshot({"pyproject.toml": '[project]\nname = "p"\nversion = "1"\ndependencies = []\n'})

    def checked(resolutions: bool) -> tuple[list[str], list[str]]:
        manifests = ChangeManifests(Change(snapshot, snapshot, files, mode="files"))
        found = python_rules.python_findings(files, manifests, Config(), resolutions=resolutions)
        return ([f"{item.path}:{item.line}:{item.code}" for item in found.findings],
                [f"{item.path}:{item.item.module}:{item.resolution.origin}:{item.resolution.steps}"
                 for item in found.resolved])  # fmt: skip

    alone = checked(False)
    assert len(alone[1]) == 24  # in one process they are made anyway
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 5)
    assert checked(True) == alone
    quiet = checked(False)
    assert quiet[0] == alone[0] and quiet[1] == []


def test_a_verbose_report_in_workers_lists_what_one_process_lists(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'
    }
    files.update({f"pkg/m{index}.py": f"import os\nimport requests\nimport madeup{index % 3}\n" for index in range(12)})
    repo.commit(files)
    alone = repo.check("--all-files", "-v", capsys=capsys)
    monkeypatch.setattr(python_rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(python_rules, "_BATCH", 3)
    in_workers = repo.check("--all-files", "-v", capsys=capsys)
    assert in_workers.out == alone.out and in_workers.code == alone.code == 1
    assert '"imports"' in alone.out and alone.out.count('"requests"') >= 12


_WORKER_STATE = """
import gc, sys
from hallucheck.cli import main
from hallucheck.rules import python
python.PARALLEL_FROM, python._BATCH = 2, 3
check_batch = python._check_batch


def observed(start):
    print(f"libcst {'libcst' in sys.modules}, frozen {gc.get_freeze_count() > 0}", flush=True)
    return check_batch(start)


python._check_batch = observed
main(["--all-files", "--format", "json"])
print("after", gc.get_freeze_count())
"""


def test_workers_start_with_libcst_imported_and_the_parents_objects_frozen(repo: Repo) -> None:
    """Each worker would import libcst itself (~0.45 s of CPU each) for the few statements that need it, and
    walk the parent's objects in its collections: both are done once, before the fork."""
    import subprocess
    import sys

    repo.commit({f"pkg/m{index}.py": f"import os\nimport madeup{index}\n" for index in range(6)})
    done = subprocess.run([sys.executable, "-c", _WORKER_STATE], cwd=repo.root, capture_output=True, text=True)
    assert "libcst True, frozen True" in done.stdout and "libcst False" not in done.stdout, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("after 0")  # unfrozen once they are done
