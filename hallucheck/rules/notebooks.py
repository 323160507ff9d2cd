"""Findings for a changed notebook's new cells: their imports, resolved as a ``.py`` file's, and the
packages their install commands (``%pip install``, ``!pip``, a Markdown cell's instructions) name.

What the notebook installs for itself (``%pip install x`` in any cell) declares for its own imports, as a
script's PEP 723 block does; each installed name is still checked as an install command when it is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck.change import ChangedTextFile, Resolved
from hallucheck.config import Config
from hallucheck.findings import Severity, finding
from hallucheck.lazy import replace
from hallucheck.manifests import Dependency
from hallucheck.resolve.project import ChangeManifests, with_declared
from hallucheck.rules import Checked
from hallucheck.rules.imports import import_finding, placed_finding
from hallucheck.rules.installs import Install, decoded, install_place
from hallucheck.rules.manifests import problem_findings

if TYPE_CHECKING:
    from hallucheck.sources.install_commands import InstallArgument, InstallCommand
    from hallucheck.sources.notebooks import Cell, Notebook
    from hallucheck.sources.python_installs import PythonInstall


def notebook_findings(
    changed: ChangedTextFile, manifests: ChangeManifests, config: Config, checked: Checked
) -> list[Install]:
    """Adds the findings of the new cells of ``changed`` to ``checked``; returns what they install."""
    from hallucheck.sources.notebooks import (
        CODE,
        MARKDOWN,
        NotebookError,
        base_lines,
        new_cells,
        python_bases,
        read_notebook_file,
    )

    try:
        notebook = read_notebook_file(changed.path, decoded(changed.content))
    except NotebookError as error:
        checked.findings.append(finding(
            "HC041", changed.path, error.line, 0, f"cannot read notebook {changed.path}: {error.message}",
            "Fix the notebook (open it in Jupyter, or `git checkout` a good version); its cells were not checked.",
        ))  # fmt: skip
        return []
    bases = []
    for content in changed.base_contents:
        try:
            bases.append(read_notebook_file(changed.path, decoded(content)))
        except NotebookError:
            continue  # a broken base vouches for nothing: every cell counts as new
    bases = python_bases(notebook, bases)
    cells = _NotebookCells(changed, notebook, bases, manifests, config)
    installs: list[Install] = []
    old_markdown = base_lines(bases, MARKDOWN)
    fresh = new_cells(notebook, bases) if not changed.whole_file else list(notebook.cells)
    for cell in fresh:
        if cell.kind == MARKDOWN:
            installs += _markdown_installs(changed, cell, old_markdown)
        elif cell.kind == CODE and notebook.is_python:
            installs += cells.shell_installs(cell)
            cells.check_imports(cell, checked)
    if notebook.is_python and any(cell.kind == CODE for cell in fresh):
        installs += cells.flow_installs({cell.number for cell in fresh}, manifests)
    return installs


def _markdown_installs(changed: ChangedTextFile, cell: Cell, old: set[str]) -> list[Install]:
    """What the instructions of a Markdown cell install (a line the base already has is not new)."""
    from hallucheck.sources.install_files import MARKDOWN, installed_names

    installs = []
    for found in installed_names(changed.path, cell.source, None, MARKDOWN):
        if cell.lines[found.line - 1].strip() in old and not changed.whole_file:
            continue
        place = install_place(changed.path, cell.json_line(found.line), found.column,
                              f"cell {cell.number}, line {found.line}: ")  # fmt: skip
        installs.append(Install(place, found.command.text, found.argument, cell.lines[found.line - 1]))
    return installs


class _NotebookCells:
    """The code cells of one notebook, checked against its base versions."""

    def __init__(
        self, changed: ChangedTextFile, notebook: Notebook, bases: Sequence[Notebook], manifests: ChangeManifests,
        config: Config,
    ) -> None:  # fmt: skip
        from hallucheck.sources.notebooks import (
            CODE,
            base_lines,
            notebook_aliases,
            notebook_importers,
            python_source,
        )

        self._changed = changed
        self._manifests = manifests
        self._config = config
        self._old_code = base_lines(bases, CODE)
        from hallucheck.sources.imports import BaseSources

        self._base_sources = BaseSources([text for base in bases for cell in base.cells if cell.kind == CODE
                                          if (text := python_source(cell)) is not None])  # fmt: skip
        self._aliases = notebook_aliases(notebook)
        self._own = _own_declarations(notebook, changed.path, self._aliases)
        self._notebook = notebook
        self._read_files: set[str] | None = None
        self._importers = notebook_importers(notebook)
        self._says_python = notebook.says_python  # else a syntax error is likely another language's code

    def shell_installs(self, cell: Cell) -> list[Install]:
        """What the shell lines (``%pip``, ``!pip``) of a code cell install."""
        from hallucheck.sources.install_commands import install_commands
        from hallucheck.sources.notebooks import shell_lines

        path, installs = self._changed.path, []
        seen: set[tuple[int, str]] = set()
        installs += self._written_installs(cell)
        for number, install in self._shell_cell_installs(cell):
            installs.append(install)
            seen.add((number, install.argument.name))
        for number, line in shell_lines(cell, self._aliases):
            if line.strip() in self._old_code and not self._changed.whole_file:
                continue
            for command in install_commands(line):
                for argument in command.arguments:
                    if (number, argument.name) in seen:
                        continue
                    column = max(line.find(argument.requirement), 0) + 1
                    place = install_place(path, cell.json_line(number), column, f"cell {cell.number}, line {number}: ")
                    installs.append(Install(place, command.text, argument, line))
                    seen.add((number, argument.name))
        for number, found in _code_installs(cell):
            line = cell.lines[number - 1] if 0 < number <= len(cell.lines) else ""
            old = line.strip() in self._old_code and not self._changed.whole_file
            if (number, found.argument.name) in seen or old:
                continue
            seen.add((number, found.argument.name))
            column = line.find(found.argument.requirement) + 1 if found.argument.requirement in line else 1
            place = install_place(path, cell.json_line(number), column, f"cell {cell.number}, line {number}: ")
            installs.append(Install(place, found.command.text, found.argument, line))
        return installs

    def _shell_cell_installs(self, cell: Cell) -> list[tuple[int, Install]]:
        """What the body of a shell cell (``%%bash``, Colab's ``%%shell``) installs, read as the one script the
        shell runs (a command continued over lines, a string over lines): (cell line, install). A command counts
        when one of its lines is new."""
        from hallucheck.sources.install_files import SHELL, installed_names
        from hallucheck.sources.notebooks import SHELL_CELL_MAGICS, cell_magic, magic_line

        if cell_magic(cell) not in SHELL_CELL_MAGICS:
            return []
        head = (magic_line(cell) or 0) + 1
        body = cell.lines[head:]
        new = None if self._changed.whole_file else {
            number for number, line in enumerate(body, 1) if line.strip() not in self._old_code}
        found = []
        for item in installed_names("cell.sh", "\n".join(body), new, SHELL):
            number = head + item.line
            place = install_place(self._changed.path, cell.json_line(number), item.column,
                                  f"cell {cell.number}, line {number}: ")  # fmt: skip
            found.append((number, Install(place, item.command.text, item.argument, cell.lines[number - 1])))
        return found

    def flow_installs(self, fresh: set[int], manifests: ChangeManifests) -> list[Install]:
        """What the notebook's shell lines install through the files they write, in cell order (attack E5:
        ``!echo x > r.txt`` in one cell, ``!pip install -r r.txt`` in another; a ``%%bash`` cell that writes and
        installs), read as one script (:func:`.install_files.installed_names`), and a requirements file an
        install of a new cell reads that neither git nor the notebook's shell writes (``open("r.txt", "w")``
        in Python, a download): one undetermined install, reviewed, never passed."""
        from hallucheck.sources.install_commands import PYPI, UNKNOWN, InstallArgument, install_commands
        from hallucheck.sources.install_files import SHELL, installed_names

        script, where = _notebook_script(self._notebook, self._aliases)
        if not script:
            return []
        path, installs = self._changed.path, []
        text = "\n".join(script)
        new_inputs = {read.path for (cell, _), line in zip(where, script, strict=True) if cell.number in fresh
                      for command in install_commands(line) for read in command.inputs}  # fmt: skip
        for found in installed_names("notebook.sh", text, None, SHELL):
            reads = [read for read in found.command.inputs if read.written]
            cell, number = where[min(found.line, len(where)) - 1]
            if not reads or not (cell.number in fresh or any(read.path in new_inputs for read in reads)):
                continue  # read line by line already, or neither the write nor the install is new
            place = install_place(path, cell.json_line(number), found.column, f"cell {cell.number}, line {number}: ")
            installs.append(Install(place, found.command.text, found.argument, cell.lines[number - 1]))
        written = {read.path for found in installed_names("notebook.sh", text, None, SHELL)
                   for read in found.command.inputs if read.written}  # fmt: skip
        directory = path.rpartition("/")[0]
        for (cell, number), line in zip(where, script, strict=True):
            if cell.number not in fresh:
                continue
            for command in install_commands(line):
                for read in command.inputs:
                    name = read.path.strip("'\"")
                    if read.project or read.written or name in ("-", "") or UNKNOWN in name or name in written:
                        continue
                    candidates = {name.removeprefix("./"), f"{directory}/{name.removeprefix('./')}".lstrip("/")}
                    if any(manifests.holds(candidate) for candidate in candidates):
                        continue
                    shown = f"-r {name} (a file git does not hold and the notebook's shell does not write)"
                    argument = InstallArgument(shown, shown, PYPI, determined=False)
                    place = install_place(path, cell.json_line(number), 1, f"cell {cell.number}, line {number}: ")
                    installs.append(Install(place, command.text, argument, cell.lines[number - 1]))
        return installs

    def _written_installs(self, cell: Cell) -> list[Install]:
        """What a ``%%writefile PATH`` cell writes that installs: a requirements file's lines, the install
        commands of a file kind that holds them (a script, a Dockerfile, a Makefile, ...), or, for another
        manifest, an undetermined install (what it declares takes effect only when the notebook runs)."""
        from hallucheck.sources.notebooks import written_file

        written = written_file(cell)
        if written is None:
            return []
        path, head = written
        if self._read_files is None:
            self._read_files = _files_installed_from(self._notebook, self._aliases)
        body = "\n".join(cell.lines[head + 1:])
        installs = []
        for line, column, command, argument in written_installs(path, body, _normal(path) in self._read_files):
            number = head + line + 1
            text = cell.lines[number - 1] if 0 < number <= len(cell.lines) else ""
            if text.strip() in self._old_code and not self._changed.whole_file:
                continue
            place = install_place(self._changed.path, cell.json_line(number), column,
                                  f"cell {cell.number}, line {number}: ")  # fmt: skip
            installs.append(Install(place, command.text, argument, text))
        return installs

    def check_imports(self, cell: Cell, checked: Checked) -> None:
        """Adds the findings of the new imports of a code cell (and its syntax errors) to ``checked``."""
        from hallucheck.sources.imports import import_lines, new_imports
        from hallucheck.sources.notebooks import python_source

        source = python_source(cell)
        if source is None:
            return
        path, where = self._changed.path, f"cell {cell.number}"
        scan = new_imports(source, import_lines(source, self._importers), self._base_sources, self._importers)
        for problem in scan.syntax_errors if self._says_python else ():
            checked.findings.append(replace(finding(
                "HC010", path, cell.json_line(problem.line), problem.column,
                f"{where}, line {problem.line}: syntax error: {problem.message}",
                "Fix the cell (IPython accepts more than Python: hallucheck reads magics and shell escapes, not "
                "every extension); imports that could be read were still checked.",
            ), severity=Severity.WARNING))  # fmt: skip
        checked.imports_checked += len(scan.imports)
        for item in scan.imports:
            resolver, problems = self._manifests.resolver(path)
            if problems:
                checked.findings += problem_findings(problems, blocking=True)
            if self._own:
                resolver = with_declared(resolver, self._own, self._own)
            resolution = resolver.resolve(item, path)
            checked.resolved.append(Resolved(path, item, resolution))
            result = import_finding(path, item, resolution, self._config)
            if result is not None:
                result = placed_finding(result, item, path, resolver, self._manifests.declared_elsewhere)
            if result is not None:  # a comment on the cell's line is the policy's to honour, as in a .py file
                checked.findings.append(replace(result, line=cell.json_line(item.line),
                                                message=f"{where}, line {item.line}: {result.message}"))


def written_installs(
    path: str, body: str, installed_from: bool = False,
) -> list[tuple[int, int, InstallCommand, InstallArgument]]:  # fmt: skip
    """``(line, column, command, argument)`` of what a file written at run time with ``body`` installs, by its
    path: a requirements file's lines (``pip install -r`` reads them; also any file that is ``installed_from``),
    the install commands of a file kind that holds them, or one undetermined argument for another manifest
    (``pyproject.toml``, ``setup.py``, ...)."""
    import posixpath

    from hallucheck.sources.install_commands import PYPI, InstallArgument, InstallCommand, command_of
    from hallucheck.sources.install_files import (
        file_kind,
        installed_names,
        is_requirements_name,
        requirements_words,
    )

    name = posixpath.basename(path)
    found: list[tuple[int, int, InstallCommand, InstallArgument]] = []
    lines = body.split("\n")
    if installed_from or is_requirements_name(path):  # `requirements/base.txt` too
        for index, words in requirements_words(lines):
            for command in command_of(words):
                found += [(index + 1, max(lines[index].find(argument.requirement), 0) + 1, command, argument)
                          for argument in command.arguments]  # fmt: skip
        return found
    if name.lower() in _MANIFEST_NAMES:
        shown = f"{name} written by %%writefile"
        argument = InstallArgument(shown, shown, PYPI, determined=False)
        found.append((0, 1, InstallCommand(f"%%writefile {path}", (f"%%writefile {path}",), (argument,)), argument))
    if file_kind(path) is not None:
        found += [(item.line, item.column, item.command, item.argument) for item in installed_names(path, body)]
    return found


_MANIFEST_NAMES = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "pipfile", "environment.yml",
                             "environment.yaml", "pixi.toml", "uv.toml", "pip.conf", "pip.ini", "uv.lock",
                             "poetry.lock", "pipfile.lock", "pdm.lock", "pylock.toml"})


def _files_installed_from(notebook: Notebook, aliases: dict[str, str]) -> set[str]:
    """The files the notebook's install commands read (``%pip install -r r.txt``), normalised by :func:`_normal`."""
    from hallucheck.sources.install_commands import install_commands
    from hallucheck.sources.notebooks import CODE, shell_lines

    return {_normal(read.path) for cell in notebook.cells if cell.kind == CODE
            for _, line in shell_lines(cell, aliases) for command in install_commands(line)
            for read in command.inputs}  # fmt: skip


_FLOW_MAGICS = frozenset({"pip", "conda", "mamba", "micromamba", "uv"})
_EOF = "HALLUCHECK_NOTEBOOK_EOF"


def _notebook_script(notebook: Notebook, aliases: dict[str, str]) -> tuple[list[str], list[tuple[Cell, int]]]:
    """The notebook's shell lines in cell order as one script (``!`` escapes, installer magics, shell cells, a
    ``%%writefile`` cell as the here-document that writes its file), and each line's cell and cell line."""
    import shlex

    from hallucheck.sources.notebooks import CODE, SHELL_CELL_MAGICS, cell_magic, magic_line, shell_lines, written_file

    script: list[str] = []
    where: list[tuple[Cell, int]] = []
    for cell in notebook.cells:
        if cell.kind != CODE:
            continue
        written = written_file(cell)
        magic = cell_magic(cell)
        if written is not None:
            target, head = written
            body = cell.lines[head + 1:]
            script += [f"cat > {shlex.quote(target)} <<'{_EOF}'", *body, _EOF]
            where += [(cell, head + 1)] + [(cell, head + 2 + index) for index in range(len(body))] + [
                (cell, len(cell.lines))]
            continue
        if magic in SHELL_CELL_MAGICS and magic != "script":
            head = magic_line(cell) or 0
            script += cell.lines[head + 1:]
            where += [(cell, head + 2 + index) for index in range(len(cell.lines) - head - 1)]
            continue
        for number, line in shell_lines(cell, aliases):
            stripped = line.strip()
            if stripped.startswith("!"):
                stripped = stripped.lstrip("!")
            elif stripped.startswith("%") and stripped[1:].split(" ", 1)[0] in _FLOW_MAGICS:
                stripped = stripped[1:]
            else:
                continue
            script.append(stripped)
            where.append((cell, number))
    return script, where


def _normal(path: str) -> str:
    import posixpath

    return posixpath.normpath(path.strip("'\""))


def _code_installs(cell: Cell) -> list[tuple[int, PythonInstall]]:
    """What the code of a cell runs, read as IPython runs it (``get_ipython().system(...)``, ``!!pip``,
    ``%sx``, ``;os.system pip install x``, ``subprocess.run([...])``): (cell line, install)."""
    from hallucheck.sources.ipython import ipython_python
    from hallucheck.sources.notebooks import cell_magic, magic_line
    from hallucheck.sources.python_installs import PythonInstall, may_run_installs, python_installs

    magic = cell_magic(cell)
    if magic == "cython":  # compiled and imported at once: its Python statements run
        from hallucheck.sources.install_files import CYTHON, installed_names

        head = magic_line(cell) or 0
        return [(head + 1 + found.line, PythonInstall(found.argument, found.command, head + 1 + found.line,
                                                      found.column))
                for found in installed_names("cell.pyx", "\n".join(cell.lines[head + 1:]), None, CYTHON)]
    if magic is not None and magic not in _PYTHON_MAGICS:
        return []  # a shell cell is read line by line (shell_lines); %%writefile, %%html... run nothing
    from hallucheck.sources.notebooks import ipython_lines

    lines = ipython_lines(cell)  # `%time os.system(...)` runs the statement; `%%timeit SETUP` too
    head = next((index for index, line in enumerate(lines) if line.strip()), 0)
    skipped = head + 1 if lines[head].lstrip().startswith("%%") else 0  # `%%capture`: the body is the code
    source = "\n" * skipped + ipython_python("\n".join(lines[skipped:]))
    if not may_run_installs(source):
        return []
    return [(found.line, found) for found in python_installs(source)]


_PYTHON_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "pypy", "ipytest"})


def _own_declarations(notebook: Notebook, path: str, aliases: dict[str, str]) -> list[Dependency]:
    """What the notebook installs for itself, in any cell: it declares for the notebook's imports."""
    from hallucheck.resolve.mapping import normalize_distribution
    from hallucheck.sources.install_commands import install_commands
    from hallucheck.sources.notebooks import CODE, shell_lines

    return [Dependency(normalize_distribution(argument.name), argument.requirement, path, cell.json_line(number))
            for cell in notebook.cells if cell.kind == CODE and notebook.is_python
            for number, line in shell_lines(cell, aliases) for command in install_commands(line)
            for argument in command.arguments if argument.determined]  # fmt: skip
