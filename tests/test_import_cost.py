"""Importing hallucheck costs nothing: no module compiles a pattern or makes a dataclass at import.

Each check runs in a fresh interpreter (a module imported once is not imported again), with ``re._compile``
(behind ``re.compile`` and every ``re`` function) and ``dataclasses``' class processing patched to count what
hallucheck's own module-level code asks for. Patterns go through :class:`hallucheck.lazy.LazyPattern`, records
through :func:`hallucheck.lazy.record`, tables through ``functools.cache``'d functions.
"""

from __future__ import annotations

import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import hallucheck
from hallucheck.lazy import LazyPattern, record
from tests.conftest import Repo

ROOT = Path(hallucheck.__file__).resolve().parent

ALLOWED = {
    # The rule documentation *is* this module (imported only by `hallucheck explain` and SARIF output): its
    # examples are records with a field named `index`, which a NamedTuple cannot have.
    "dataclass:hallucheck.report.rules": 3,
}

_COUNTER = r"""
import collections, dataclasses, importlib, json, re, sys

root = sys.argv[1]
counts = collections.Counter()


def module_level_owner():
    # The hallucheck module whose top-level code asked, through hallucheck code only (not a third-party import).
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(root):
            if frame.f_code.co_name == "<module>":
                return frame.f_globals.get("__name__")
        elif not name.endswith(("/re/__init__.py", "/functools.py", "/enum.py")):
            return None
        frame = frame.f_back
    return None


compile_ = re._compile


def counted_compile(pattern, flags):
    owner = module_level_owner()
    if owner:
        counts[f"re.compile:{owner}"] += 1
    return compile_(pattern, flags)


process_class = dataclasses._process_class


def counted_process_class(cls, *args, **kwargs):
    if cls.__module__.split(".")[0] == "hallucheck":
        counts[f"dataclass:{cls.__module__}"] += 1
    return process_class(cls, *args, **kwargs)


re._compile = counted_compile
dataclasses._process_class = counted_process_class
for name in sys.argv[2:]:
    importlib.import_module(name)
print(json.dumps(counts))
"""


def _import_counts(*modules: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", _COUNTER, str(ROOT), *modules],
        capture_output=True, text=True, check=True, cwd=ROOT.parent,
    )  # fmt: skip
    counts: dict[str, int] = json.loads(done.stdout)
    return counts


def _modules() -> list[str]:
    found = [info.name for info in pkgutil.walk_packages([str(ROOT)], "hallucheck.")]
    return sorted(name for name in found if not name.endswith("__main__"))


def test_the_hooks_entry_point_compiles_no_pattern_and_makes_no_dataclass() -> None:
    assert _import_counts("hallucheck.cli") == {}


def test_no_module_compiles_a_pattern_or_makes_a_dataclass_at_import() -> None:
    modules = _modules()
    assert len(modules) > 50
    counts = _import_counts(*modules)
    assert {key: count for key, count in counts.items() if ALLOWED.get(key) != count} == {}


@pytest.mark.parametrize("module", ["hallucheck.check", "hallucheck.git.changes", "hallucheck.commands.approve"])
def test_a_module_imported_alone_is_as_cheap(module: str) -> None:
    assert _import_counts(module) == {}


_RUN_AND_LIST = """
import sys
from hallucheck.cli import main
code = main([])
print(code, sorted(name for name in sys.argv[1:] if name in sys.modules))
"""
_NOT_ON_THE_COMMIT_PATH = ("dataclasses", "inspect", "packaging", "configparser", "csv", "hallucheck.evidence.registry")


_PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.10,<3.14"\ndependencies = [{}]\n'


@pytest.mark.parametrize(
    ("staged", "exit_code"),
    [
        ({"app.py": "import os\nimport yaml\n"}, 0),  # the bench's one-import commit
        ({"pyproject.toml": _PYPROJECT.format('"PyYAML", "humanize"')}, 1),  # pyproject only: a new dependency
    ],
)
def test_a_commit_path_run_loads_no_dataclass_machinery(repo: Repo, staged: dict[str, str], exit_code: int) -> None:
    """A one-import commit and a pyproject-only one (with a requires-python) make no dataclass and import
    neither ``dataclasses`` (with ``inspect``) nor packaging (a plain requires-python is read without it),
    configparser, csv or the index client."""
    repo.commit({"pyproject.toml": _PYPROJECT.format('"PyYAML"'), "app.py": "import os\n"})
    repo.stage(staged)  # type: ignore[arg-type]
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST, *_NOT_ON_THE_COMMIT_PATH],
        capture_output=True, text=True, check=True, cwd=repo.root,
    )  # fmt: skip
    assert done.stdout.split("\n")[-2] == f"{exit_code} []"


def test_the_counter_sees_a_pattern_and_a_dataclass(tmp_path: Path) -> None:
    """The check above can fail: a module that compiles at import is counted."""
    package = tmp_path / "hallucheck"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "eager.py").write_text(
        "import re, dataclasses\n_P = re.compile('a+')\n@dataclasses.dataclass\nclass R:\n    x: int\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", _COUNTER, str(package), "hallucheck.eager"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    assert json.loads(done.stdout) == {"re.compile:hallucheck.eager": 1, "dataclass:hallucheck.eager": 1}


def test_a_lazy_pattern_compiles_once_on_first_use() -> None:
    words = LazyPattern(r"(\w+)-(\w+)")
    assert "search" not in vars(words)
    assert words.fullmatch("a-b") is not None
    assert vars(words)["search"].__self__ is words.compiled()
    assert words.findall("a-b c-d") == [("a", "b"), ("c", "d")]
    assert words.sub(r"\2-\1", "a-b") == "b-a"
    assert words.pattern == r"(\w+)-(\w+)"
    assert LazyPattern(rb"x", 2).search(b"X") is not None  # flags kept (re.IGNORECASE)


@record(frozen=True)
class _Base:
    name: str
    size: int = 0


@record(frozen=True)
class _Sized(_Base):
    unit: str = "B"


@record
class _Mutable:
    items: list[int]


def test_a_record_is_a_dataclass_made_on_first_instance() -> None:
    import copy
    import dataclasses
    import pickle

    assert not dataclasses.is_dataclass(_Sized)
    sized = _Sized("a", 2)
    assert dataclasses.is_dataclass(_Sized) and dataclasses.is_dataclass(_Base)
    assert (sized, repr(sized)) == (_Sized("a", 2, "B"), "_Sized(name='a', size=2, unit='B')")
    assert hash(sized) == hash(_Sized("a", 2)) and _Base("a") != _Base("b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sized.name = "b"
    assert dataclasses.replace(sized, size=3) == _Sized("a", 3)
    assert pickle.loads(pickle.dumps(sized)) == sized and copy.copy(sized) == sized
    mutable = _Mutable([1])
    mutable.items.append(2)
    assert mutable == _Mutable([1, 2])
    with pytest.raises(TypeError):
        _Mutable()


def test_a_record_unpickled_before_any_instance_is_whole() -> None:
    """A worker process unpickles findings of a class it has not instantiated: they compare, hash and print."""
    import pickle

    from hallucheck.findings import Finding, Severity

    finding = Finding("HC001", Severity.ERROR, "a.py", 1, 1, "m", "h", "x", None)
    code = (
        "import pickle, sys\n"
        "finding = pickle.loads(sys.stdin.buffer.read())\n"
        "print(repr(finding))\n"
        "again = pickle.loads(pickle.dumps(finding))\n"
        "print(finding == again, hash(finding) == hash(again))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(finding), capture_output=True, check=True, cwd=ROOT.parent
    )
    assert done.stdout.decode().splitlines() == [repr(finding), "True True"]


def _slots_records() -> list[type]:
    import importlib

    from hallucheck.lazy import Slots

    for name in _modules():
        importlib.import_module(name)
    found: list[type] = []
    pending: list[type] = [Slots]
    while pending:
        sub: type
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("hallucheck.") and sub.__dict__.get("__slots__"):
                found.append(sub)
    return found


def test_every_slots_record_declares_its_fields_as_slots_and_init_parameters() -> None:
    """A field written the dataclass way (``name: T = default``) in a Slots class is a read-only class attribute,
    not a field: every annotated name is a slot, and every slot is set by ``__init__`` (which
    :func:`hallucheck.lazy.replace` calls by the slots' names)."""
    records = _slots_records()
    assert len(records) > 25
    problems = []
    for cls in records:
        slots = set(vars(cls)["__slots__"]) - {"__dict__"}
        code = vars(cls)["__init__"].__code__ if "__init__" in vars(cls) else None
        parameters = set(code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]) if code else set()
        if parameters - slots:
            problems.append(f"{cls.__qualname__}: __init__ parameters that are not slots: {sorted(parameters - slots)}")
        annotated = set(inspect.get_annotations(cls))
        if annotated - slots:
            problems.append(f"{cls.__qualname__}: annotated, not slots: {sorted(annotated - slots)}")
        for name in slots & set(vars(cls)):
            if not hasattr(vars(cls)[name], "__get__"):
                problems.append(f"{cls.__qualname__}.{name}: a class attribute shadows the slot")
    assert problems == []
