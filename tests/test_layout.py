"""The package layout: one subpackage per pipeline stage, no import cycles, each stage says what it owns."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hallucheck"
STAGES = ("git", "sources", "manifests", "resolve", "evidence", "rules", "policy", "report", "commands")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


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


def test_few_modules_at_the_top_and_a_subpackage_per_stage() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top
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
