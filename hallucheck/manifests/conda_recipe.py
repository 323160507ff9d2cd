"""conda recipes: conda-build's ``meta.yaml`` and rattler-build's ``recipe.yaml``.

A recipe declares what building, installing and testing its package installs: ``requirements`` ``run`` (what
the package needs where it is installed), ``build`` and ``host`` (what its build installs: build requirements,
like ``[build-system].requires``), the tests' requirements (``test: requires`` in ``meta.yaml``, each
``tests:`` item's ``requirements: run`` in ``recipe.yaml``: development), and the same in each of ``outputs``.
``run_constrained``/``run_constraints`` only bound versions and install nothing.

Recipes are YAML templated with Jinja (``{% set version = "1.0" %}``, ``{{ compiler('c') }}``,
``${{ python_min }}``): the templates are blanked (an expression becomes a placeholder that names no package,
a statement disappears, lines keep their numbers), then the text is read with PyYAML's composer, which keeps
the line of every item. Both branches of a Jinja ``if`` and rattler-build's ``if:``/``then:``/``else:`` items
are read. Items are conda match specs (:func:`.conda.conda_spec`). A ``meta.yaml`` that is not a recipe (no
top-level ``package:``/``recipe:``/``context:`` with ``requirements:`` or ``outputs:``) declares nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hallucheck.lazy import LazyPattern
from hallucheck.manifests.reading import ManifestReader

if TYPE_CHECKING:
    from yaml.nodes import Node

_TEMPLATE = LazyPattern(r"\$?\{\{.{0,2000}?\}\}|\{%.{0,2000}?%\}|\{#.{0,2000}?#\}", re.DOTALL)
"""A Jinja expression, statement or comment (of bounded length: an unclosed one costs a constant)."""
_PLACEHOLDER = "__jinja__"
_PACKAGE_KEY = LazyPattern(r"^(?:package|recipe|context)[ \t]*:", re.MULTILINE)
_REQUIREMENTS_KEY = LazyPattern(r"^(?:requirements|outputs)[ \t]*:", re.MULTILINE)
_RUN, _BUILD, _TEST = "run", "build", "test"
_REQUIREMENT_ROLES = {"run": _RUN, "build": _BUILD, "host": _BUILD}


def looks_like_recipe(text: str) -> bool:
    """Whether ``text`` has a recipe's top-level keys (a package and its requirements or outputs)."""
    return _PACKAGE_KEY.search(text) is not None and _REQUIREMENTS_KEY.search(text) is not None


def blanked(text: str) -> str:
    """``text`` with its Jinja templates blanked: an expression is a placeholder, a statement or a comment is
    gone; the newlines inside them stay, so that every line keeps its number."""

    def blank(found: re.Match[str]) -> str:
        newlines = "\n" * found.group().count("\n")
        return (_PLACEHOLDER if found.group().lstrip("$").startswith("{{") else "") + newlines

    return _TEMPLATE.sub(blank, text) if "{" in text else text


def read(reader: ManifestReader, path: str) -> None:
    """Read the recipe at ``path`` into ``reader``."""
    text = reader.text(path)
    if text is None or not looks_like_recipe(text):
        return
    import yaml

    from hallucheck.manifests.limits import deepest_line

    try:
        root = yaml.compose(blanked(text), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        reader.problem(path, mark.line + 1 if mark else 1, f"invalid YAML (with its Jinja templates blanked): {reason}")
        return
    except RecursionError:
        reader.problem(path, deepest_line(text), "invalid YAML: nested too deeply to read")
        return
    if isinstance(root, yaml.MappingNode):
        _Recipe(reader, path).package(root)


class _Recipe:
    def __init__(self, reader: ManifestReader, path: str) -> None:
        self.reader = reader
        self.path = path

    def package(self, node: Node) -> None:
        """One package: its requirements and tests, and each of its outputs."""
        import yaml

        requirements = _value(node, "requirements")
        if isinstance(requirements, yaml.SequenceNode):  # an output's plain list: run requirements
            self.specs(requirements, _RUN)
        for key, role in _REQUIREMENT_ROLES.items():
            self.specs(_value(requirements, key), role)
        self.specs(_value(_value(node, "test"), "requires"), _TEST)
        tests = _value(node, "tests")
        for test in tests.value if isinstance(tests, yaml.SequenceNode) else ():
            self.specs(_value(_value(test, "requirements"), "run"), _TEST)
        outputs = _value(node, "outputs")
        for output in outputs.value if isinstance(outputs, yaml.SequenceNode) else ():
            if isinstance(output, yaml.MappingNode):
                self.package(output)

    def specs(self, node: Node | None, role: str) -> None:
        """The match specs of a list, with rattler-build's ``if``/``then``/``else`` items read on both sides."""
        import yaml

        from hallucheck.manifests.conda import conda_spec

        pending = [node]
        while pending:
            item = pending.pop()
            if isinstance(item, yaml.SequenceNode):
                pending += reversed(item.value)
            elif isinstance(item, yaml.MappingNode):
                pending += [_value(item, "else"), _value(item, "then")]
            elif isinstance(item, yaml.ScalarNode) and isinstance(item.value, str) and item.value.strip():
                spec = item.value.strip()
                if spec.startswith(_PLACEHOLDER) or spec.startswith(("$", "{")):
                    continue  # a template: compiler('c'), pin_subpackage(...): no package name written
                with self.reader.development_declarations(role == _TEST):
                    conda_spec(self.reader, self.path, spec, item.start_mark.line + 1, build=role == _BUILD)


def _value(node: Any, key: str) -> Any:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for name, value in node.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return value
    return None
