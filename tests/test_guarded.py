"""Guarded imports (issue 9): a guard downgrades a known optional package to a warning, never an invented one."""

from __future__ import annotations

from typing import Any

import pytest

from hallucheck.sources.imports import imports_in_lines
from tests.conftest import Repo
from tests.resolution_helpers import findings_for, summary

KNOWN = "ujson"  # a real, popular distribution that the project does not declare
INVENTED = "dollar_word_freq_plot"
PROJECT = {"requirements.txt": "requests\n"}

# Each shape wraps `import {name}` (always on line 2) and says whether it is a guard.
SHAPES = {
    "ImportError": ("try:\n    import {name}\nexcept ImportError:\n    {name} = None\n", True),
    "ModuleNotFoundError": ("try:\n    import {name}\nexcept ModuleNotFoundError:\n    {name} = None\n", True),
    "tuple": ("try:\n    import {name}\nexcept (OSError, ImportError) as error:\n    {name} = None\n", True),
    "Exception": ("try:\n    import {name}\nexcept Exception:\n    {name} = None\n", True),
    "BaseException": ("try:\n    import {name}\nexcept BaseException:\n    {name} = None\n", True),
    "bare": ("try:\n    import {name}\nexcept:\n    {name} = None\n", True),
    "qualified": ("try:\n    import {name}\nexcept builtins.ImportError:\n    pass\n", True),
    "one-line": ("import os\ntry: import {name}\nexcept ImportError: {name} = None\n", True),
    "else-branch-raises": (
        "try:\n    import {name}\nexcept ImportError:\n    {name} = None\nelse:\n    raise SystemExit\n", True
    ),
    "finally-branch-raises": (
        "try:\n    import {name}\nexcept ImportError:\n    {name} = None\nfinally:\n    raise RuntimeError\n", True
    ),
    "nested-inner-unrelated": (
        "try:\n    import {name}\n    try:\n        pass\n    except ValueError:\n        raise\nexcept ImportError:\n"
        "    pass\n", True,
    ),
    "handler-defines-a-raising-stub": (
        "try:\n    import {name}\nexcept ImportError:\n    def run(*args):\n        raise ImportError('install it')\n",
        True,
    ),
    "re-raises": ("try:\n    import {name}\nexcept ImportError:\n    raise ImportError('pip install {name}')\n", False),
    "bare-raise": ("try:\n    import {name}\nexcept ImportError as error:\n    log(error)\n    raise\n", False),
    "one-handler-of-two-raises": (
        "try:\n    import {name}\nexcept ModuleNotFoundError:\n    pass\nexcept ImportError:\n    raise\n", False
    ),
    "exits": ("try:\n    import {name}\nexcept ImportError:\n    print('pip install it')\n    sys.exit(1)\n", False),
    "raises-in-a-nested-block": (
        "try:\n    import {name}\nexcept ImportError:\n    if STRICT:\n        raise\n", False
    ),
    "unrelated-exception": ("try:\n    import {name}\nexcept ValueError:\n    pass\n", False),
    "finally-only": ("try:\n    import {name}\nfinally:\n    pass\n", False),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_guard_detection(shape: str) -> None:
    template, guards = SHAPES[shape]
    [item] = imports_in_lines(template.format(name=INVENTED), [2]).imports
    assert item.guarded is guards


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_known_optional_package(shape: str) -> None:
    template, guards = SHAPES[shape]
    [finding] = findings_for(PROJECT, "a.py", template.format(name=KNOWN))
    if guards:
        assert (finding.code, finding.severity.value, finding.distribution) == ("HC023", "warning", "ujson")
        assert "optional dependency" in finding.hint
    else:
        assert (finding.code, finding.severity.value) == ("HC007", "error")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_invented_package_stays_an_error(shape: str) -> None:
    template, guards = SHAPES[shape]
    [finding] = findings_for(PROJECT, "a.py", template.format(name=INVENTED))
    assert (finding.code, finding.severity.value, finding.line) == ("HC001", "error", 2)
    assert ("a try/except guard makes the import optional, not the name real" in finding.message) is guards


def test_imports_in_handlers_else_and_finally_are_not_guarded() -> None:
    source = (
        "try:\n    import ujson as json\nexcept ImportError:\n    import simplejson as json\n"
        "else:\n    import orjson\nfinally:\n    import msgpack\n"
    )
    scan = imports_in_lines(source, range(1, 9))
    assert [(item.module, item.guarded) for item in scan.imports] == [
        ("ujson", True), ("simplejson", False), ("orjson", False), ("msgpack", False),
    ]  # fmt: skip


def test_nested_try_outer_guard_covers_inner_statement() -> None:
    source = (
        "try:\n    try:\n        import ujson\n    except ImportError:\n"
        "        raise ImportError('pip install ujson')\n"
        "except ImportError:\n    ujson = None\n"
        "try:\n    try:\n        import orjson\n    except ValueError:\n        pass\nexcept KeyError:\n    pass\n"
    )
    scan = imports_in_lines(source, range(1, 16))
    assert [(item.module, item.guarded) for item in scan.imports] == [("ujson", True), ("orjson", False)]


def test_try_outside_the_function_does_not_guard_its_imports() -> None:
    source = "try:\n    def load():\n        import ujson\nexcept ImportError:\n    pass\n"
    [item] = imports_in_lines(source, [3]).imports
    assert item.guarded is False


def test_dynamic_import_inside_a_guard() -> None:
    source = (
        "import importlib\ntry:\n    fast = importlib.import_module('ujson')\nexcept Exception:\n    fast = None\n"
        "try:\n    plot = importlib.import_module('dollar_word_freq_plot')\nexcept Exception:\n    plot = None\n"
        "try:\n    other = __import__('invented_speedups')\nexcept ImportError:\n    raise\n"
        "name = 'x'\ntry:\n    importlib.import_module(name)\nexcept ImportError:\n    pass\n"
    )
    assert summary(findings_for(PROJECT, "a.py", source)) == [
        ("HC023", "warning", 3, "ujson"),
        ("HC001", "error", 7, INVENTED),
        ("HC001", "error", 11, "invented_speedups"),
        ("HC025", "warning", 16, None),  # a computed name cannot be checked, guarded or not
    ]


def test_known_from_the_bundled_mapping_names_the_distribution() -> None:
    source = "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
    [finding] = findings_for(PROJECT, "a.py", source)
    assert (finding.code, finding.distribution) == ("HC023", "pyyaml")
    assert "`pyyaml`" in finding.message


def test_guarded_declared_package_is_fine_and_removed_one_is_a_warning() -> None:
    source = "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
    assert findings_for({"requirements.txt": "PyYAML\n"}, "a.py", source) == []


def test_two_imports_of_the_same_module_give_two_findings() -> None:
    source = (
        "try:\n    import dollar_word_freq_plot\nexcept Exception:\n    pass\n"
        "def f():\n    import dollar_word_freq_plot\n"
        "try:\n    import ujson\nexcept ImportError:\n    pass\n"
        "try:\n    from ujson import dumps\nexcept ImportError:\n    pass\n"
    )
    assert summary(findings_for(PROJECT, "a.py", source)) == [
        ("HC001", "error", 2, INVENTED),
        ("HC001", "error", 6, INVENTED),
        ("HC023", "warning", 8, "ujson"),
        ("HC023", "warning", 12, "ujson"),
    ]


def test_end_to_end_through_git(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"a.py": "try:\n    import ujson\nexcept ImportError:\n    ujson = None\n"
                        "try:\n    import dollar_word_freq_plot\nexcept Exception:\n    pass\n"})  # fmt: skip
    outcome = run()
    assert outcome.code == 1
    assert [(f["code"], f["severity"], f["line"]) for f in outcome.json()["findings"]] == [
        ("HC023", "warning", 2),
        ("HC001", "error", 6),
    ]
    repo.stage({"a.py": "try:\n    import ujson\nexcept ImportError:\n    ujson = None\n"})
    assert run().code == 0
