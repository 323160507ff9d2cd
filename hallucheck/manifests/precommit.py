"""pre-commit: ``additional_dependencies`` of the project's own Python hooks in ``.pre-commit-config.yaml``.

A ``repo: local`` hook with ``language: python`` runs the project's own code
(``entry: python -m scripts.check_docs``) in an environment where pre-commit
installs its ``additional_dependencies``: those are development dependencies of
the project (:mod:`.roles`). Hooks of other repositories run their own code, so
their ``additional_dependencies`` (``types-requests`` for mypy) declare nothing
for this project's code; pre-commit still installs them on every contributor's
machine, so they are read as build-time requirements (counted for nothing but
``setup.py``): one a change adds is a new dependency to review. Parsed with
PyYAML's composer, like ``environment.yml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hallucheck.manifests.reading import ManifestReader

if TYPE_CHECKING:
    from yaml.nodes import Node

_PYTHON_LANGUAGES = frozenset({"python", "python_venv"})


def read(reader: ManifestReader, path: str) -> None:
    """Read the local Python hooks' ``additional_dependencies`` of the configuration at ``path``."""
    text = reader.text(path)
    if text is None or "additional_dependencies" not in text:
        return
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reader.problem(path, mark.line + 1 if mark else 1, f"invalid YAML: {getattr(error, 'problem', error)}")
        return
    except RecursionError:  # PyYAML's pure-Python composer recurses once per nesting level
        reader.problem(path, 1, "invalid YAML: nested too deeply to read")
        return
    for repository in _sequence(_value(root, "repos")):
        local = _scalar(_value(repository, "repo")) == "local"
        for hook in _sequence(_value(repository, "hooks")):
            language = _scalar(_value(hook, "language"))
            python = language in _PYTHON_LANGUAGES
            for item in _sequence(_value(hook, "additional_dependencies")):
                requirement = _scalar(item)
                if not requirement:
                    continue
                line = int(item.start_mark.line) + 1
                if local and python:
                    with reader.development_declarations():
                        reader.requirement(requirement, path, line, " in a local hook")
                elif not local and (python or not language) and _may_be_python(requirement):
                    # Installed on every contributor's machine, into the hook's own environment: it declares
                    # nothing for the project's code, but a new one is a new dependency to review.
                    reader.requirement(requirement, path, line, " in a pre-commit hook's environment", build=True)


def _may_be_python(requirement: str) -> bool:
    """Whether an ``additional_dependencies`` entry of a hook whose language the configuration does not state
    can be a Python requirement: npm's ``name@1.0`` and ``@scope/name``, cargo's ``cli:name:1.0`` cannot."""
    if "://" in requirement:
        return True
    return "@" not in requirement and ":" not in requirement


def _value(node: Node | None, key: str) -> Node | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == key), None)


def _sequence(node: Node | None) -> list[Node]:
    import yaml

    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _scalar(node: Node | None) -> str:
    import yaml

    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
