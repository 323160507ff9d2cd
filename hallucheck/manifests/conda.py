"""conda ``environment.yml`` / ``environment.yaml``: conda packages and the ``pip:`` section.

Parsed with PyYAML's *composer* (the safe loader's node graph, no object
construction), which keeps the line of every item. Conda match specs
(``numpy``, ``numpy>=1.24``, ``conda-forge::numpy=1.24=py311*``,
``numpy[version='>=1.24']``) declare the package name; ``python`` is the
interpreter, not a dependency. A conda name that packages a differently named
PyPI distribution declares that one too (``pytorch`` -> ``torch``). ``pip:`` items are requirements-file lines,
``-r``/``-e`` relative to the environment file. ``channels:`` choose where the conda packages come from, the
``pip:`` section's index options where its pip packages do (source options, :mod:`.sources`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hallucheck.lazy import LazyPattern
from hallucheck.manifests.limits import deepest_line
from hallucheck.manifests.names import canonical_name
from hallucheck.manifests.reading import ManifestReader

if TYPE_CHECKING:
    from yaml.nodes import Node

_SPEC = LazyPattern(r"^(?:(?P<channel>\S+?)::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*)(?P<rest>[\s=<>!~\[].*)?$")
_NOT_DEPENDENCIES = {"python"}


def read(reader: ManifestReader, path: str) -> None:
    """Read the conda environment file at ``path`` into ``reader``."""
    read_environment(reader, path)


def read_named(reader: ManifestReader, path: str) -> None:
    """Read a YAML file named like an environment file (``env.yml``, ``environment-dev.yaml``: attack H11) when
    its content is one: a mapping whose ``dependencies`` list holds package specs or a ``pip:`` list; a YAML
    file of another shape declares nothing and is no problem."""
    read_environment(reader, path, named_only=True)


def read_environment(reader: ManifestReader, path: str, *, named_only: bool = False) -> set[int]:
    """Read the conda environment file at ``path`` into ``reader``; the lines of its ``pip:`` section's items."""
    text = reader.text(path)
    if text is None or (named_only and "dependencies" not in text):
        return set()
    import yaml

    read, root = compose(reader, path, text)
    if not read or root is None or (named_only and not _is_environment(root)):
        return set()
    if not isinstance(root, yaml.MappingNode):
        reader.problem(path, node_line(root), "an environment file must be a mapping (`dependencies:` ...)")
        return set()
    dependencies = mapping_value(root, "dependencies")
    if dependencies is None:
        return set()
    if not isinstance(dependencies, yaml.SequenceNode):
        reader.problem(path, node_line(dependencies), "`dependencies` must be a list")
        return set()
    conda_lines, pip_lines = set(), set()
    for item in dependencies.value:
        pip = mapping_value(item, "pip") if isinstance(item, yaml.MappingNode) else None
        if pip is not None:
            pip_lines |= _pip_section(reader, path, pip)
        elif isinstance(item, yaml.ScalarNode):
            conda_spec(reader, path, str(item.value), node_line(item))
            conda_lines.add(node_line(item))
        else:
            reader.problem(path, node_line(item), "a dependency must be a package spec or a `pip:` list")
    _sources(reader, path, mapping_value(root, "channels"), conda_lines, pip_lines)
    return pip_lines


def compose(reader: ManifestReader, path: str, text: str) -> tuple[bool, Node | None]:
    """Whether the YAML ``text`` could be read (a problem says why not), and its node graph (None: empty)."""
    import yaml

    try:
        return True, yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        reader.problem(path, mark.line + 1 if mark else 1, f"invalid YAML: {reason}")
    except RecursionError:  # PyYAML's pure-Python composer recurses once per nesting level
        reader.problem(path, deepest_line(text), "invalid YAML: nested too deeply to read")
    return False, None


def looks_like_environment(text: str) -> bool:
    """Whether YAML ``text`` is a conda environment file (see :func:`read_named`)."""
    import yaml

    if "dependencies" not in text:
        return False
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return False
    return root is not None and _is_environment(root)


def _is_environment(root: Node) -> bool:
    import yaml

    dependencies = mapping_value(root, "dependencies")
    return isinstance(dependencies, yaml.SequenceNode) and all(
        isinstance(item, yaml.ScalarNode) or mapping_value(item, "pip") is not None for item in dependencies.value)


def mapping_value(node: Node, key: str) -> Any:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for name, value in node.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return value
    return None


def node_line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def conda_spec(
    reader: ManifestReader, path: str, spec: str, line: int, *, requirement: str | None = None, build: bool = False,
    channel: str | None = None,
) -> None:
    """Declare the conda package of the match spec ``spec``, and the PyPI distribution it packages
    (``pytorch`` declares ``torch`` too: :func:`hallucheck.resolve.mapping.conda_distributions`). The channel
    the spec names (``evilchan::requests``, or pixi's ``channel = "..."``: ``channel``) is where those come from,
    as ``channels:`` says for every package (attack E26)."""
    from hallucheck.resolve.mapping import conda_distributions

    match = _SPEC.match(spec.strip())
    if match is None:
        reader.problem(path, line, f"invalid conda package spec {spec!r}")
        return
    name = canonical_name(match.group("name"))
    if name in _NOT_DEPENDENCIES:
        return
    distributions = (name, *conda_distributions(name))
    for distribution in distributions:
        reader.declare(distribution, requirement or spec, path, line, build=build)
    channel = channel or match.group("channel")
    if channel and channel.strip():
        from hallucheck.manifests import SourceOption
        from hallucheck.manifests.sources import redacted

        for distribution in distributions:
            reader.declared.source_option(SourceOption(f"--channel {redacted(channel.strip())}", path, line, path,
                                                       canonical_name(distribution)))


def _sources(reader: ManifestReader, path: str, channels: Node | None, conda: set[int], pip: set[int]) -> None:
    """Where the file's packages come from: ``channels:`` for its conda packages, the ``pip:`` section's index
    options for its pip packages (source options for each name: :mod:`.sources`)."""
    import yaml

    from hallucheck.manifests import SourceOption
    from hallucheck.manifests.sources import redacted

    declared = reader.declared
    pip_options = [option for option in declared.source_options if option.path == path and option.name is None]
    if not pip_options and not isinstance(channels, yaml.SequenceNode):
        return
    declared.source_options[:] = [option for option in declared.source_options if option not in pip_options]
    names = {line: {place.name for places in declared.dependencies.values() for place in places
                    if place.path == path and place.line in lines} for line, lines in (("conda", conda), ("pip", pip))}
    for option in pip_options:
        for name in sorted(names["pip"]):
            declared.source_option(SourceOption(option.text, path, option.line, path, name))
    for item in channels.value if isinstance(channels, yaml.SequenceNode) else ():
        if isinstance(item, yaml.ScalarNode) and str(item.value).strip():
            text = f"--channel {redacted(str(item.value).strip())}"
            for name in sorted(names["conda"]):
                declared.source_option(SourceOption(text, path, node_line(item), path, name))


def _pip_section(reader: ManifestReader, path: str, pip: Node) -> set[int]:
    """Read the ``pip:`` list; the lines of its items."""
    import yaml

    from hallucheck.manifests.requirements import read_line

    if not isinstance(pip, yaml.SequenceNode):
        reader.problem(path, node_line(pip), "`pip:` must be a list of requirements")
        return set()
    for item in pip.value:
        if isinstance(item, yaml.ScalarNode) and str(item.value).strip():
            read_line(reader, path, node_line(item), str(item.value).strip())
        else:
            reader.problem(path, node_line(item), "a `pip:` item must be a requirement line")
    return {node_line(item) for item in pip.value}
