"""The package layout: one subpackage per pipeline stage, stages importing only the stages before them, no
import cycles (between stages or between the modules of one stage), each stage says what it owns, and
check.py reads as the pipeline (short, no long function anywhere)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hallucheck"
STAGES = ("git", "sources", "manifests", "resolve", "evidence", "rules", "policy", "report", "commands")
LAYERS = (
    ("hallucheck", "hallucheck.lazy", "hallucheck.findings", "hallucheck.snapshot", "hallucheck.data"),
    ("hallucheck.sources",),
    ("hallucheck.manifests",),
    ("hallucheck.config",),
    ("hallucheck.resolve",),
    ("hallucheck.evidence",),
    ("hallucheck.change",),
    ("hallucheck.rules",),
    ("hallucheck.policy",),
    ("hallucheck.check",),
    ("hallucheck.report",),
    ("hallucheck.git",),
    ("hallucheck.commands",),
    ("hallucheck.cli", "hallucheck.__main__"),
)
"""The import order: a module may import its own layer and the layers above it in this list. It is the
pipeline's order (what the change adds, what the project declares, resolution, evidence, findings, policy,
reports) under the vocabulary every stage shares. The change a check takes in sits above what it is built
from; the git edge, which runs first, builds that change from the stages' knowledge of which files matter, so
it imports them and sits above the core, with the commands and the command line."""
LATE_IMPORTS_AGAINST_THE_ORDER = {
    ("hallucheck.manifests.conda", "hallucheck.resolve.mapping"):
        "a conda package declares the PyPI distributions it packages (pytorch -> torch): the bundled table "
        "of names is read where the import names are",
    ("hallucheck.resolve.resolver", "hallucheck.evidence.popular"):
        "an import nothing declares is a namesake of an established distribution, and undeclared providers "
        "are suggested most downloaded first: resolution asks the popularity list, which lives with the "
        "other name evidence",
    ("hallucheck.rules.python", "hallucheck.git.repository"):
        "a forked worker checking whole files ends the git cat-file it started before it exits: the git edge "
        "owns git's processes, and only it can end them",
}
"""Imports inside a function that go against :data:`LAYERS`, each with why (loaded only when called)."""
MAX_CHECK_LINES = 300
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _all_imports(path: Path) -> set[str]:
    """Modules of hallucheck imported anywhere in ``path``: at module level, under TYPE_CHECKING, in functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _module_level_imports(path: Path, *, with_type_checking: bool) -> set[str]:
    """Modules of hallucheck imported when ``path`` is imported (not inside functions or classes)."""
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If):
                is_type_checking = "TYPE_CHECKING" in ast.unparse(node.test)
                if with_type_checking or not is_type_checking:
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def _graph(*, with_type_checking: bool) -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target in _module_level_imports(path, with_type_checking=with_type_checking)
               if target in modules and target != name}
        for name, path in modules.items()
    }  # fmt: skip


def _full_graph() -> dict[str, set[str]]:
    """Every import between modules of hallucheck, wherever it is written."""
    modules = _modules()
    return {
        name: {target for target in _all_imports(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def _stage(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_back_when_loaded() -> None:
    assert _cycle(_graph(with_type_checking=False)) is None


def test_no_stage_imports_a_stage_that_imports_it_back() -> None:
    stages: dict[str, set[str]] = {}
    for source, targets in _graph(with_type_checking=True).items():
        # A package's __init__ importing its own modules is the stage speaking for itself.
        stages.setdefault(_stage(source), set()).update(
            _stage(target) for target in targets if _stage(target) != _stage(source)
        )
    assert _cycle(stages) is None


def test_no_module_imports_another_of_its_stage_that_imports_it_back() -> None:
    """Inside a stage, modules form a hierarchy, late (in-function) imports included. A package's __init__
    may load its own modules when called (it speaks for the stage); its modules import its shared types."""
    modules = _modules()
    inside: dict[str, set[str]] = {}
    for source, targets in _full_graph().items():
        facade = modules[source].name == "__init__.py"
        inside[source] = {
            target for target in targets
            if _stage(target) == _stage(source) and not (facade and target.startswith(source + "."))
        }  # fmt: skip
    assert _cycle(inside) is None


def _layer(module: str) -> int:
    stage = _stage(module) if module.count(".") >= 1 else module
    for number, layer in enumerate(LAYERS):
        if stage in layer:
            return number
    raise AssertionError(f"{module}: its stage {stage} has no place in LAYERS")


def test_stages_import_only_the_stages_before_them_in_the_pipeline() -> None:
    loaded = _graph(with_type_checking=True)
    wrong = []
    for source, targets in sorted(_full_graph().items()):
        for target in sorted(targets):
            if _layer(target) <= _layer(source):
                continue
            late = target not in loaded[source]
            if late and (source, target) in LATE_IMPORTS_AGAINST_THE_ORDER:
                continue
            wrong.append(f"{source} -> {target}" + (" (in a function)" if late else ""))
    assert wrong == []


def test_the_documented_exceptions_to_the_order_still_exist() -> None:
    graph = _full_graph()
    for source, target in LATE_IMPORTS_AGAINST_THE_ORDER:
        assert target in graph[source], f"{source} no longer imports {target}: drop the exception"


def test_check_reads_as_the_pipeline_and_no_function_is_long() -> None:
    lines = (PACKAGE / "check.py").read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_CHECK_LINES, f"hallucheck/check.py has {lines} lines; move what is not the pipeline out"
    long = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name} ({length} lines)")
    assert long == []


def test_few_modules_at_the_top_and_a_subpackage_per_stage() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 9, top  # lazy.py: how every stage defines patterns and records at no cost at import
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_owns(stage: str) -> None:
    module = importlib.import_module(f"hallucheck.{stage}")
    assert module.__doc__ and len(module.__doc__.split()) >= 12, f"hallucheck/{stage}/__init__.py needs a docstring"


def test_only_the_git_stage_runs_git() -> None:
    for name, path in _modules().items():
        if name.startswith("hallucheck.git") or name.startswith("hallucheck.commands"):
            continue
        text = path.read_text(encoding="utf-8")
        assert '"git"' not in text and "import git\n" not in text and "from git " not in text, name
