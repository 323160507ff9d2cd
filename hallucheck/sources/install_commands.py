"""Install commands in shell text: which package names ``pip install ...`` and its relatives would fetch.

Shell text is read with a real shell grammar (:mod:`.shell`: tree-sitter-bash, then quote removal, brace
expansion, ``${X:-default}``, continuations), cut into simple commands, and each simple command is read as
the installer would read it:

* wrappers are looked through: ``sudo -Hu USER``, ``su -c``, ``env [-S] VAR=value``, ``time -p``,
  ``command -p``, ``nice``, ``ionice``, ``stdbuf``, ``nohup``, ``exec``, ``timeout``, ``xargs``, ``flock``,
  ``setsid``, runners (``uv run``, ``poetry run``, ``hatch [env] run``, ``pixi run``, ``conda run``, ...),
  ``python [-Im] -m MODULE``, ``bash -o pipefail -c "..."``/``-ce``, ``eval``, here-documents and
  here-strings fed to a shell, ``%pip``/``!pip``/``!{sys.executable} -m pip`` (notebooks), shell prompts;
* the installer's option grammar decides what each word is: options that take a value (``-r FILE``,
  ``-e PATH``, ``--index-url URL``, ``-c FILE``), pip's abbreviated long options (``--requ``), short
  option clusters (``-qr FILE``), global options between subcommands (``uv pip --quiet install``),
  ``--`` and ``--opt=value``;
* an argument is a requirement only when it is one: local directories and template placeholders
  (``{name}``, ``{{ x }}``) are not names on an index;
* where a package comes from is part of it: a direct reference (``x @ https://host/x.whl``, a bare URL, a
  ``git+https://`` URL, a local archive ``./dist/x-1.0.whl``) is an argument whose requirement is
  ``name @ location``; the command's source options (``-i/--index-url``, ``--extra-index-url``,
  ``-f/--find-links``, ``--trusted-host``, ``--index``, ``--no-index``, Poetry's ``--source``, conda's
  ``-c/--channel``, rye's and pixi's ``--git``/``--url``) are written after each argument's requirement, as
  pip's command line takes them (``requests --index-url https://host/simple``), so that an approval or a
  declaration covers the argument only from that source.

A command that may install but whose packages cannot be told from the text (``pip install "$PKG"``,
``xargs pip install``, ``bash -c "$SCRIPT"``, ``$(cmd) install x``) yields an argument with
``determined=False``: the caller must ask or review, never pass it.

Covered: ``pip``/``pip3``/``pipX.Y`` and ``python -m pip`` ``install``/``download``/``wheel`` (the last
two build source distributions, which runs their code), ``uv pip install``, ``uv add``, ``uv tool
install``, ``uvx``/``uv tool run``, ``uv run --with``, ``pipx install|run|inject|runpip``, ``poetry add``,
``poetry self add``, ``pdm add``, ``pipenv install``, ``rye add``, ``hatch``, ``pixi add [--pypi]``, ``pixi exec``,
``easy_install``, ``pip-run``, ``mim install``, ``fades -d``, ``python -m pip.__main__``, and
``conda``/``mamba``/``micromamba`` ``install|create`` (conda names). Everything here is
pure: text in, names out.
"""

from __future__ import annotations

import ast
import functools
import posixpath
import re
import shlex
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from hallucheck.lazy import LazyPattern, field, record, replace
from hallucheck.sources.install_words import _DISGUISE as _DISGUISE
from hallucheck.sources.install_words import _DISGUISE_PARTS as _DISGUISE_PARTS
from hallucheck.sources.install_words import _GLOB_CHARS as _GLOB_CHARS
from hallucheck.sources.install_words import _JOINTS as _JOINTS
from hallucheck.sources.install_words import _SEPARATORS as _SEPARATORS
from hallucheck.sources.install_words import _VERB as _VERB
from hallucheck.sources.install_words import MAY_INSTALL as MAY_INSTALL
from hallucheck.sources.install_words import _case_folded as _case_folded
from hallucheck.sources.install_words import _names_verb as _names_verb
from hallucheck.sources.install_words import _search_at_words as _search_at_words
from hallucheck.sources.install_words import glob_programs as glob_programs
from hallucheck.sources.install_words import may_install as may_install
from hallucheck.sources.install_words import names_installer as names_installer
from hallucheck.sources.install_words import program_named

if TYPE_CHECKING:
    from contextvars import ContextVar

    from hallucheck.sources.shell import FunctionDefinition, SimpleCommand

PYPI, CONDA = "pypi", "conda"

_MODULE_ENTRY = LazyPattern(r"([A-Za-z_][\w]*)\.(?:__main__|_internal(?:\.[\w.]*)?|cli(?:\.[\w.]*)?|main)")
"""A module inside an installer that runs it as ``python -m INSTALLER`` does (``pip.__main__``)."""
UNKNOWN = "\x00"
"""Marks text that is known only when the command runs (see :mod:`.shell`)."""


_EXTRAS_SUFFIX = LazyPattern(r"\[[^\]]*\]$")
_ARCHIVE = LazyPattern(r"(?i)\.(?:whl|zip|tar|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|egg|conda|tar\.zst)$")
_REQUIREMENT_NAME = LazyPattern(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_AFTER_NAME = LazyPattern(r"\s*(?:$|[\[(<>=!~;,@ ])")
_NAMED_AT = LazyPattern(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*(?=[A-Za-z][A-Za-z0-9+.-]*://|"
                        r"(?:git|hg|svn|bzr)\+|file:|\.{0,2}/)")
_EGG = LazyPattern(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_USERINFO = LazyPattern(r"(://)[^/@\s]*@")
_SOURCE_OPTIONS = {"--index-url": "--index-url", "--extra-index-url": "--extra-index-url",
                   "--find-links": "--find-links", "--trusted-host": "--trusted-host",
                   "--allow-insecure-host": "--trusted-host", "--index": "--index",
                   "--default-index": "--default-index",
                   "--source": "--index", "--pypi-index": "--index", "--channel": "--channel"}  # fmt: skip
"""Options that choose where an install's packages come from, and how a requirement writes them."""
_SHORT_SOURCES = {"-i": "--index-url", "-f": "--find-links", "-c": "--channel"}
"""A short option is a source option when its grammar knows the long one (pip's ``-c`` is a constraints file)."""
_CONDA_SPEC = LazyPattern(r"^(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9._-]*)"
                         r"(?:$|[\s=<>!~\[,*])")
_PROMPTS = frozenset({"$", "#", ">", ">>>", "...", "%", "PS>", "\u276f", "\u279c", "\u03bb"})
_PROMPT_LINE = LazyPattern(r"(?m)^([ \t]*)(\$|%|>|>>>|PS>|\u276f|\u279c|\u03bb|\([\w.-]+\)[ \t]*\$)(?=[ \t])")
_SHELL_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time",
                             "nohup", "builtin", "eatmydata", "caffeinate", "chronic", "unbuffer", "torsocks",
                             "catchsegv", "sudo!"})
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "mksh", "yash", "busybox"})
_READ_PROGRAMS = frozenset({"pip", "pip-sync", "pip-compile", "pip-run", "mim", "fades", "uv", "uvx", "pipx",
                            "poetry", "pdm", "conda", "mamba", "micromamba",
                            "pipenv", "rye", "hatch", "pixi", "python", "easy_install", "env", "xargs", "su", "eval",
                            "busybox", "sudo", "doas", *_SHELLS})
"""Programs :func:`_commands` reads (an unknown wrapper's arguments are tried as a command from these)."""
_INSTALLER_PROGRAMS = ("pipx", "pip", "uvx", "uv", "poetry", "pdm", "conda", "mamba", "micromamba", "pipenv",
                       "rye", "hatch", "pixi", "python", "py")
_MAX_DEPTH = 8
_MAX_WORDS_SHOWN = 40


@record(frozen=True)
class InstallArgument:
    """One package an install command would fetch from an index (or one it cannot name: ``determined``)."""

    name: str
    """The distribution name as written (``Requests``); not normalised. For an undetermined argument, the
    text as written (``$PKG``)."""
    requirement: str
    """The argument as the installer reads it (``requests[socks]>=2``, ``conda-forge::numpy=1.2``)."""
    ecosystem: str
    """:data:`PYPI` or :data:`CONDA` (conda package names are another namespace)."""
    determined: bool = True
    """False when the command may install a package that only running it would name (``pip install $PKG``)."""
    offset: int = -1
    """Character offset in the text read where the argument's word is written (-1: not known)."""
    sets_source: bool = False
    """No package: a package source the command sets for what it installs or for every later install
    (``PIP_INDEX_URL=URL``, ``uv sync --index URL``, ``pip config set global.index-url URL``; see
    :mod:`.source_settings`). :attr:`name` shows the setting; :attr:`requirement` is ``*`` and its source
    options."""

    def at(self, offset: int) -> InstallArgument:
        """The same argument written at ``offset``."""
        return InstallArgument(self.name, self.requirement, self.ecosystem, self.determined, offset, self.sets_source)


@record(frozen=True)
class DiskInput:
    """A file or a directory an install command reads what to install from (``-r FILE``, ``-e .``, ``uv sync``)."""

    path: str
    """As written (``requirements.txt``, ``./lib[dev]``, ``-`` for standard input); may hold :data:`UNKNOWN`."""
    project: bool = False
    """A project directory (its manifests declare what is installed), else a requirements file."""
    locked: bool = False
    """The command also installs what the project's lock files pin (``uv sync``, ``poetry install``)."""
    text: str | None = None
    """What a here-document or here-string feeds the command when :attr:`path` is standard input."""
    written: bool = False
    """The script writes the file before this command (what it writes is read from the text): a file missing
    on disk is no reason to ask, one that exists is read too (the write may not happen)."""
    conda: bool = False
    """A conda file: an environment file (``conda env create -f env.yml``: conda specs and a ``pip:`` section),
    or a list of conda specs (``conda install --file specs.txt``), whatever its name."""
    runs: str = ""
    """The command runs this file (``shell``, ``python``, ``exec``, ``make``, ``tox``, ``nox``, ``pre-commit``):
    the install commands, declarations and inline script metadata it holds on disk are read, and what git does
    not hold there is new (the agent writes a script, then runs it). A file that is not there or is outside the
    repository is not read."""


@record(frozen=True)
class InstallCommand:
    """A recognised install command and the packages it names."""

    tool: str
    """``pip install``, ``uv add``, ``uvx``, ``conda install``, ..."""
    words: tuple[str, ...]
    """The command's words from the installer on (wrappers removed)."""
    arguments: tuple[InstallArgument, ...]
    offset: int = -1
    """Character offset of the command's first word in the text read (-1: not known)."""
    inputs: tuple[DiskInput, ...] = ()
    """Files and project directories it installs from: what they name is known only by reading them."""
    environment: tuple[tuple[str, str], ...] = ()
    """The variables the text sets for it, (name, value; :data:`UNKNOWN` where known only at run time), later
    ones winning: pip expands ``${NAME}`` in the requirements files of :attr:`inputs` from them (attack E25)."""

    @property
    def text(self) -> str:
        """The command as one line (shell-quoted where needed), shortened for messages."""
        shown = [_shown(word) for word in self.words[:_MAX_WORDS_SHOWN]]
        joined = " ".join(shown) + (" ..." if len(self.words) > _MAX_WORDS_SHOWN else "")
        return joined if len(joined) <= 120 else joined[:117] + "..."

    @property
    def determined(self) -> bool:
        return all(argument.determined for argument in self.arguments)


def _shown(word: str) -> str:
    if UNKNOWN in word:
        return getattr(word, "source", None) or word.replace(UNKNOWN, "$?")
    return shlex.quote(word)


class _Grammar(NamedTuple):
    """How one installer subcommand reads its words."""

    tool: str
    values: frozenset[str]
    """Options that take a value (the next word, or ``=value``, or the rest of a short cluster)."""
    names: frozenset[str] = frozenset()
    """Options whose value is itself a requirement (``uvx --from NAME``, ``pipx run --spec NAME``)."""
    flags: frozenset[str] = frozenset()
    """Known options without a value (needed to resolve pip's abbreviations)."""
    abbreviations: bool = False
    """Long options may be abbreviated to a unique prefix (optparse: pip)."""
    first_positional_only: bool = False
    """Only the first positional is a package; the rest are the tool's own arguments (``uvx``, ``pipx run``)."""
    skip_positionals: int = 0
    """Leading positionals that are not packages (``pipx inject VENV ...``)."""
    ecosystem: str = PYPI
    poetry_versions: bool = False
    """``name@version`` pins a version (Poetry, uv tools), it is not ``name @ URL``."""
    files: frozenset[str] = frozenset()
    """Options whose value is a requirements file it installs from (``-r``, ``-c``)."""
    editables: frozenset[str] = frozenset()
    """Options whose value is a project directory it installs (``-e PATH``)."""
    projects: bool = False
    """A local directory given as a positional is a project it installs (``pip install ./lib``)."""
    positional_files: bool = False
    """Positionals are requirements files (``uv pip sync FILE``, ``pip-sync FILE``)."""
    conda_files: frozenset[str] = frozenset()
    """Options whose value is a conda file it installs from (``conda install --file``, ``mamba create -f``)."""


def _options(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PIP_GENERAL_VALUES = _options(
    "--python --log --log-file --local-log --keyring-provider --proxy --retries --timeout --exists-action "
    "--trusted-host --cert --client-cert --cache-dir --use-feature --use-deprecated --resume-retries"
)
_PIP_GENERAL_FLAGS = _options(
    "-h --help --debug --isolated --require-virtualenv -v --verbose -V --version -q --quiet --no-input "
    "--no-cache-dir --disable-pip-version-check --no-color --no-python-version-warning"
)
_PIP_INSTALL = _Grammar(
    "pip install",
    _PIP_GENERAL_VALUES | _options(
        "-r --requirement -c --constraint -e --editable -t --target --platform --python-version --implementation "
        "--abi --root --prefix --src --upgrade-strategy -C --config-settings --global-option --build-option "
        "--install-option --no-binary --only-binary --progress-bar --root-user-action --report --group -i "
        "--index-url --extra-index-url -f --find-links"
    ),
    flags=_PIP_GENERAL_FLAGS | _options(
        "--no-deps --pre --dry-run --user -U --upgrade --force-reinstall -I --ignore-installed "
        "--ignore-requires-python --no-build-isolation --use-pep517 --no-use-pep517 --check-build-dependencies "
        "--break-system-packages --compile --no-compile --no-warn-script-location --no-warn-conflicts "
        "--prefer-binary --require-hashes --no-clean --no-index --no-input"
    ),
    abbreviations=True,
    files=_options("-r --requirement -c --constraint"),
    editables=_options("-e --editable"),
    projects=True,
)
_UV_COMMON_VALUES = _options(
    "-r --requirement --requirements -c --constraint --constraints --override --overrides -b --build-constraint "
    "--build-constraints --extra --group --only-group --index --default-index -i --index-url --extra-index-url "
    "-f --find-links --index-strategy --keyring-provider -P --upgrade-package --reinstall-package "
    "--refresh-package --no-build-isolation-package -C --config-setting --config-settings-package --exclude-newer "
    "--exclude-newer-package --resolution --prerelease --fork-strategy --link-mode --no-binary --only-binary "
    "--no-binary-package --no-build-package --no-sources-package -p --python --target --prefix --python-version "
    "--python-platform --torch-backend --cache-dir --color --allow-insecure-host --directory --project "
    "--config-file --excludes --exclude --env-file --package --script -m --marker --optional --rev --tag "
    "--branch --bounds --with-editable --with-requirements --with-executables-from --python-preference "
    "--strict-exclude"
)
_UV_FILES = _options("-r --requirement --requirements -c --constraint --constraints --override --overrides "
                     "--with-requirements")
_UV_PIP_INSTALL = _Grammar("uv pip install", _UV_COMMON_VALUES | {"-e", "--editable"}, files=_UV_FILES,
                           editables=_options("-e --editable --with-editable"), projects=True)
_UV_PIP_SYNC = _Grammar("uv pip sync", _UV_COMMON_VALUES, files=_UV_FILES, positional_files=True)
_UV_ADD = _Grammar("uv add", _UV_COMMON_VALUES, poetry_versions=False, files=_UV_FILES,
                   editables=_options("--with-editable"), projects=True)
_LISTING_OPTIONS = _options("--with --with-executables-from")
"""uv options whose value is a comma-separated list of requirements (``uvx --with requests,rich``)."""
_UV_TOOL_INSTALL = _Grammar("uv tool install", _UV_COMMON_VALUES,
                            names=_options("--with --from --with-executables-from"),
                            poetry_versions=True, files=_UV_FILES, editables=_options("--with-editable"),
                            projects=True)
_UVX = _Grammar("uvx", _UV_COMMON_VALUES, names=_options("--from --with"), first_positional_only=True,
                poetry_versions=True, files=_UV_FILES, editables=_options("--with-editable"))
_UV_PIP_COMPILE = _Grammar("uv pip compile", _UV_COMMON_VALUES | _options("-o --output-file"), files=_UV_FILES,
                           positional_files=True)
_PIP_COMPILE = _Grammar("pip-compile", _options(
    "-o --output-file -i --index-url --extra-index-url -f --find-links --trusted-host --pip-args --cert "
    "--client-cert -c --constraint --extra --group --cache-dir --resolver --annotation-style -P "
    "--upgrade-package --unsafe-package --build-deps-for --only-build-deps-for --max-rounds"),
    files=_options("-c --constraint"), positional_files=True)
"""Resolvers: they build the sdists of what they resolve to read their metadata (attack H33)."""
_PIP_SYNC = _Grammar("pip-sync", _options("--python-executable -i --index-url --extra-index-url -f --find-links "
                                          "--trusted-host --pip-args --cert --client-cert"),
                     positional_files=True)
_PIPX_VALUES = _options("--python --pip-args --suffix --index-url -i --backend --preinstall -r --requirement")
_PIPX_INSTALL = _Grammar("pipx install", _PIPX_VALUES, names=_options("--preinstall"), projects=True)
_PIPX_RUN = _Grammar("pipx run", _PIPX_VALUES, names=_options("--spec"), first_positional_only=True)
_FADES = _Grammar("fades", _options("-d --dependency -r --requirement -p --python --pip-options --python-options "
                                    "--venv-options --rm --freeze"))
_PIPX_INJECT = _Grammar("pipx inject", _PIPX_VALUES, skip_positionals=1)
_POETRY_ADD = _Grammar(
    "poetry add",
    _options("-G --group -E --extras --python --platform --markers --source -C --directory -P --project"),
    poetry_versions=True,
    projects=True,
)
_PDM_ADD = _Grammar(
    "pdm add",
    _options("-G --group -p --project -L --lockfile -k --skip --venv -e --editable -S --strategy --config-setting"),
    editables=_options("-e --editable"),
    projects=True,
)
_PIPENV_INSTALL = _Grammar(
    "pipenv install", _options("--python -r --requirements -e --editable --index --extra-index-url --categories"),
    files=_options("-r --requirements"), editables=_options("-e --editable"), projects=True,
)
_RYE_ADD = _Grammar("rye add", _options("--git --url --path --tag --rev --branch --features --optional"))
_EASY_INSTALL = _Grammar("easy_install", _options("-i --index-url -f --find-links -d --install-dir -s --script-dir"),
                         projects=True)
_CONDA_INSTALL = _Grammar(
    "conda install",
    _options("-n --name -p --prefix -c --channel --file --solver --repodata-fn --platform --subdir "
             "--experimental --override-channels-from --strict-channel-priority-from"),
    ecosystem=CONDA, conda_files=_options("--file"),
)
_MAMBA_INSTALL = _CONDA_INSTALL._replace(values=_CONDA_INSTALL.values | _options("-f -r --root-prefix"),
                                         conda_files=_options("-f --file"))
"""mamba 2 and micromamba: ``-f FILE`` is a file (an environment YAML or a spec list), not ``--force``."""
_CONDA_ENV = _Grammar("conda env create", _options("-n --name -p --prefix -f --file --solver --subdir --platform "
                                                   "-c --channel -r --root-prefix"),
                      ecosystem=CONDA, skip_positionals=1 << 30, conda_files=_options("-f --file"))
"""``conda env create|update [-f FILE]`` (mamba's, micromamba's): what the environment file declares is installed
(``environment.yml`` when no file is named); a positional is no package."""


_PIP_DOWNLOAD = _Grammar("pip download", _PIP_INSTALL.values | _options("-d --dest --destination-dir"),
                         flags=_PIP_INSTALL.flags, abbreviations=True, files=_PIP_INSTALL.files,
                         editables=_PIP_INSTALL.editables, projects=True)
_PIP_WHEEL = _Grammar("pip wheel", _PIP_INSTALL.values | _options("-w --wheel-dir"), flags=_PIP_INSTALL.flags,
                      abbreviations=True, files=_PIP_INSTALL.files, editables=_PIP_INSTALL.editables,
                      projects=True)
_PIP_SUBCOMMANDS = {"install": _PIP_INSTALL, "download": _PIP_DOWNLOAD, "wheel": _PIP_WHEEL}
_PIP_RUN = _PIP_INSTALL._replace(tool="pip-run")
_MIM_INSTALL = _PIP_INSTALL._replace(tool="mim install")
_POETRY_SELF_ADD = _Grammar("poetry self add", _POETRY_ADD.values, poetry_versions=True)
_PIXI_VALUES = _options("--manifest-path -f --feature -p --platform --git --branch --tag --rev --subdir -e "
                        "--environment --pypi-index")
_PIXI_ADD = _Grammar("pixi add", _PIXI_VALUES, ecosystem=CONDA)
_PIXI_ADD_PYPI = _Grammar("pixi add --pypi", _PIXI_VALUES)
_PIXI_GLOBAL_INSTALL = _Grammar("pixi global install", _options("-c --channel -p --platform -e --environment "
                                                                 "--expose --with"), ecosystem=CONDA)
_GLOBAL_VALUES = _options("-C --directory -P --project -n --name -p --prefix -e --env --environment "
                          "--manifest-path --data-dir --cache-dir --config --color")
"""Global options of poetry, pdm, hatch, conda and pixi that take a value (before the subcommand)."""

_WRAPPER_VALUES: dict[str, frozenset[str]] = {
    "sudo": _options("-u --user -g --group -C --close-from -D --chdir -h --host -p --prompt -r --role -t --type "
                     "-U --other-user -T --command-timeout -R --chroot"),
    "doas": _options("-u -C"),
    "env": _options("-u --unset -C --chdir -P"),
    "nice": _options("-n --adjustment"),
    "ionice": _options("-c --class -n --classdata -p --pid -P --pgid -u --uid"),
    "stdbuf": _options("-i --input -o --output -e --error"),
    "timeout": _options("-k --kill-after -s --signal"),
    "xvfb-run": _options("-a -n --server-num -s --server-args -f --auth-file -e --error-file -p --xauth-protocol "
                         "-w --wait"),
    "command": frozenset(),
    "exec": _options("-a"),
    "setsid": frozenset(),
    "runuser": _options("-u --user -g --group -G --supp-group -s --shell -w --whitelist-environment"),
    "chroot": _options("--userspec --groups"),
    "taskset": frozenset(),
    "flock": _options("-w --wait --timeout -E --conflict-exit-code"),
    "proxychains": _options("-f"),
    "proxychains4": _options("-f"),
    "faketime": _options("-f"),
    "systemd-run": _options("-u --unit -p --property --description --slice -E --setenv --uid --gid "
                            "--working-directory -M --machine -H --host"),
}
_WRAPPERS_WITH_OPERAND = {"timeout": r"[0-9.]+[smhd]?", "chroot": r".+", "taskset": r"[0-9a-fA-Fx,-]+",
                          "flock": r".+", "faketime": r".+"}
"""Wrappers that take one positional operand before the command (``timeout 60 CMD``, ``chroot DIR CMD``)."""
_XARGS_VALUES = _options("-a --arg-file -d --delimiter -E -e --eof -I -i --replace -L -l --max-lines -n "
                         "--max-args -P --max-procs -s --max-chars --process-slot-var")


class Variable(NamedTuple):
    """An environment variable an installer reads, as a command sets it."""

    name: str
    value: str
    """Quotes removed; :data:`UNKNOWN` where it is known only at run time (``$X``, ``$(cmd)``)."""
    offset: int
    written: str
    """The assignment as written (``XDG_CONFIG_HOME=$PWD/cfg``)."""


_ENVIRONMENT_FILES = {"PIP_REQUIREMENT": "-r", "PIP_CONSTRAINT": "-c", "PIP_EDITABLE": "-e",
                      "UV_CONSTRAINT": "-c", "UV_OVERRIDE": "--override", "UV_BUILD_CONSTRAINT": "-b"}
"""Environment variables that name what an installer reads what to install from, and the option each stands for
(pip reads every long option from ``PIP_<OPTION>``; uv documents its own): a whitespace-separated list of files
(``-r``/``-c``), or what ``-e`` takes (attacks E2, E29)."""
_CONFIG_HOMES = ("HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "APPDATA", "USERPROFILE", "CONDARC",
                 "POETRY_CONFIG_DIR")
"""Environment variables that move the configuration files installers read (pip's ``$XDG_CONFIG_HOME/pip/
pip.conf`` and ``~/.config/pip/pip.conf``, uv's ``uv.toml``, conda's ``.condarc``, Poetry's and pixi's
``config.toml``), which may set an index or what to install: what those files hold is not known from the text."""
_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_VARIABLES = 256
"""A script keeps at most this many other variables than the installers' own (:data:`_ENVIRONMENT_FILES`,
:data:`_CONFIG_HOMES`) for ``${NAME}`` in requirements files; one past it is read as not set (asked about)."""
_PIP_TOOLS = frozenset({"pip install", "pip download", "pip wheel", "pip-run", "mim install"})
_UV_TOOLS = frozenset({"uv pip install", "uv pip sync", "uv add", "uv tool install", "uvx", "uv sync", "uv run"})
_EXPORTING = frozenset({"export", "declare", "typeset", "readonly", "local"})


@record
class _Flow:
    """What a script has done before the command being read, as far as its text tells (one per script read,
    shared by the scripts it runs): the files it wrote, its aliases and functions, and how much text may still
    be read again for them (:data:`_FLOW_BUDGET`)."""

    files: dict[str, str | None] = field(default_factory=dict)
    """Files written (``> r.txt``, ``tee``) and their content (None: not known from the text)."""
    aliases: dict[str, str] = field(default_factory=dict)
    functions: dict[str, FunctionDefinition] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    """Where the text each file holds is written (a here-document's offset, else the writing command's)."""
    outputs: dict[int, tuple[str | None, int]] = field(default_factory=dict)
    """What each simple command read so far prints (by ``id``), and where that text is written."""
    defined: dict[str, list[InstallCommand]] = field(default_factory=dict)
    """What each function's body installs without its arguments (read once)."""
    exported: dict[str, Variable] = field(default_factory=dict)
    """The variables the script has set so far, by name: ``export PIP_REQUIREMENT=r.txt``, or a plain assignment
    (the name may be exported already)."""
    budget: int = 0


@record
class _Context:
    """What a command is read with: its standard input (here-documents, what a pipe carries; :data:`UNKNOWN`
    for input not known from the text), how deep the reading is, and the script's data flow."""

    depth: int = 0
    stdin: Sequence[tuple[str, int]] = ()
    flow: _Flow | None = None
    expanding: frozenset[str] = frozenset()
    """Aliases and functions being expanded (a name is not expanded inside its own expansion)."""
    piped_from: int = -1
    """Where the commands that pipe the standard input start (-1: no pipe): what is read from it is placed
    over the whole pipeline."""
    computed: str = ""
    """When the standard input is not known from the text but computed from it (``echo ... | base64 -d``):
    the program that computes it (:func:`_computing`)."""
    environment: tuple[Variable, ...] = ()
    """The variables the text sets in the command's environment (later ones win): exported before it, assigned in
    front of it (``PIP_REQUIREMENT=r.txt pip install``, ``env``/``sudo VAR=value``)."""
    fed_files: tuple[str, ...] = ()
    """When a pipe carries the content of files of the disk (``cat setup.sh | sh``): those files."""

    def deeper(self) -> _Context:
        return _Context(self.depth + 1, self.stdin, self.flow, self.expanding, self.piped_from, self.computed,
                        self.environment, self.fed_files)

    def with_variables(self, variables: Sequence[Variable]) -> _Context:
        """This context with ``variables`` set in the environment."""
        if not variables:
            return self
        return _Context(self.depth, self.stdin, self.flow, self.expanding, self.piped_from, self.computed,
                        (*self.environment, *variables), self.fed_files)


_FLOW_BUDGET = 200_000
"""Characters of function bodies, aliases and written scripts that one script may have read again: past it,
what a call runs is not known (undetermined when it may install)."""


_SOURCES_FILE = LazyPattern(r"(?:^|[;&|(\n'\"]|\$\()\s*(?:source|\.)[ \t]+[^\s;&|]")
"""A command that runs a file in this shell, which may set any variable (``. ./env.sh; $CMD``)."""


def install_commands(text: str, base: int = 0, *, runs_files: bool = False) -> list[InstallCommand]:
    """Every install command in shell text (a line, a script, a ``bash -c`` string); offsets count from ``base``.
    With ``runs_files`` (the agent hook), also a command that only runs a file (:attr:`DiskInput.runs`), and,
    when the text may install, a command whose program or script is a variable the text does not tell
    (:func:`_runs_variable`)."""
    kept = runs_files and bool(KEPT_INSTALL.search(text))
    if not may_install(text) and not (runs_files and may_run_file(text)) and not kept:
        return []
    flow = _Flow(budget=_FLOW_BUDGET)
    token = _asks_runtime().set(runs_files and (kept or may_install(text) or bool(_SOURCES_FILE.search(text))))
    try:
        found = _script(text, base, 0, flow)
    finally:
        _asks_runtime().reset(token)
    written = [path for path in flow.files if posixpath.basename(path) in _CONFIGURATION_FILES]
    if written and any(command.tool != "source setting" and (command.arguments or command.inputs)
                       for command in found):
        from hallucheck.sources.source_settings import setting

        shown, requirement, ecosystem, at = setting(
            f"writes {written[0]} (installer configuration) before it installs", "", "", base)
        found.append(InstallCommand("source setting", (written[0],), (
            InstallArgument(shown, requirement, ecosystem, offset=at, sets_source=True),), base))
    return found


_CONFIGURATION_FILES = frozenset({"uv.toml", "pip.conf", "pip.ini", ".condarc", "condarc", "pixi.toml",
                                  ".pydistutils.cfg", "pyproject.toml"})
"""Files whose content chooses where installers fetch packages from (or what a project declares): a command that
writes one and installs reads what the hook cannot (it reads the disk before the command runs; attack E3)."""


def _script(text: str, base: int, depth: int, flow: _Flow | None = None,
            expanding: frozenset[str] = frozenset(), environment: tuple[Variable, ...] = ()) -> list[InstallCommand]:
    from hallucheck.sources.shell import read_script

    if depth > _MAX_DEPTH:
        return [_undetermined("sh -c", text, base)]
    text = _PROMPT_LINE.sub(_without_prompt, text)
    script = read_script(text, base)
    flow = flow if flow is not None else _Flow(budget=_FLOW_BUDGET)
    flow.functions.update((function.name, function) for function in script.functions)
    found: list[InstallCommand] = []
    for index, command in enumerate(script.commands):
        if not index & 255:
            _check_time()
        stdin = _stdin(command, flow)
        piped_from = min((feeder.offset for feeder in command.feeders or []), default=-1) \
            if command.piped and not command.stdin else -1
        if command.assignments:
            found += _assigned_settings(command)
        computed = _computing(command.feeders or []) if command.piped and any(
            text.startswith(UNKNOWN) for text, _ in stdin) else ""
        variables = (*environment, *flow.exported.values(), *_variables(command.assignments, command.offset)) \
            if environment or flow.exported or command.assignments else ()
        fed = _fed_files(command.feeders or []) if command.piped and not computed else ()
        context = _Context(depth, stdin, flow, expanding, piped_from, computed, variables, fed)
        if command.assignments:
            found += _assigned_commands(_variables(command.assignments, command.offset), context)
        if _asks_runtime().get():
            found += _kept_for_later(command, context)
        found += _followed(command, context)
        _effects(command, stdin, flow)
    if script.has_error:
        found += _not_found_yet(found, _fallback(text, base, depth))
    return found


def _assigned_settings(command: SimpleCommand) -> list[InstallCommand]:
    """Source settings among the assignments written before a command, or alone (``PIP_INDEX_URL=x pip ...``)."""
    from hallucheck.sources.source_settings import environment_settings

    return _setting_command(command.assignments, environment_settings(command.assignments, command.offset),
                            command.offset)


def _variables(assignments: Sequence[str], offset: int) -> tuple[Variable, ...]:
    """The variables ``NAME=value`` words set: fields (quotes removed, what is known only at run time marked
    :data:`UNKNOWN`) or assignments as written (quotes kept)."""
    found = []
    for assignment in assignments:
        name, equals, value = str(assignment).partition("=")
        appended = name.endswith("+")  # `NAME+=x`: appends to a value the text may not tell
        name = name.removesuffix("+").strip()
        if not equals or not _NAME.fullmatch(name):
            continue
        if appended:
            value = UNKNOWN
        elif not hasattr(assignment, "offset"):  # as written: expand what the text tells
            value = UNKNOWN if "$" in value or "`" in value else _unquoted_value(value)
        written = str(getattr(assignment, "source", assignment))
        found.append(Variable(name, value, int(getattr(assignment, "offset", offset)), written))
    return tuple(found)


def _unquoted_value(value: str) -> str:
    if not any(char in value for char in "'\"\\"):
        return value
    try:
        parts = shlex.split(value)
    except ValueError:
        return UNKNOWN
    return " ".join(parts)


def _without_prompt(match: re.Match[str]) -> str:
    """A shell prompt written before a command (``$ pip install x``) as spaces; not on a line that continues
    the one before (``\\`` at its end: ``> file`` there is a redirection)."""
    start = match.start()
    if start >= 2 and match.string[start - 2:start] == "\\\n":
        return match.group()
    return match.group(1) + " " * len(match.group(2))


def _fallback(text: str, base: int, depth: int) -> list[InstallCommand]:
    """Text with a syntax error the grammar recovered from (an unclosed quote, ``{envpython} -m pip``), read
    again the simple way: split as :mod:`shlex` does (at whitespace and operators when long)."""
    found: list[InstallCommand] = []
    from hallucheck.sources.shell import expand_braces

    for words in _fallback_words(text):
        fields = []
        for index, word in enumerate(words):
            if not index & 1023:
                _check_time()
            fields += [_fallback_field(part, base) for part in expand_braces(word)]
        found += _resolved(_commands(fields, _Context(depth + 1)), _Context(depth + 1))
    return found


def _not_found_yet(found: list[InstallCommand], more: list[InstallCommand]) -> list[InstallCommand]:
    """The commands of ``more`` with the arguments that ``found`` does not already have."""
    seen = {(argument.name, argument.ecosystem) for command in found for argument in command.arguments}
    added = []
    for command in more:
        arguments = tuple(argument for argument in command.arguments
                          if (argument.name, argument.ecosystem) not in seen)
        if arguments:
            added.append(InstallCommand(command.tool, command.words, arguments, command.offset))
    return added


_EXPANSION = LazyPattern(r"\$\{[^}]*\}|\$\([^)]*\)?|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?!$-]|`[^`]*`?")
_FALLBACK_OPERATORS = frozenset(";&|()")
_LONG = 65_536
"""Longer text is split without :mod:`shlex` (it reads a character at a time, too slowly for hostile input)."""


def _fallback_field(word: str, base: int) -> str:
    from hallucheck.sources.shell import Field

    return Field(_EXPANSION.sub(UNKNOWN, word) if "$" in word or "`" in word else word, base, word)


def _without_comment(text: str) -> str:
    """``text`` up to a shell comment: a ``#`` that starts a word outside quotes (``x#y`` and URLs'
    ``#egg=`` fragments are not comments)."""
    if "#" not in text:
        return text
    for index, char in _unquoted(text):
        if char == "#" and (index == 0 or text[index - 1].isspace() or text[index - 1] in ";&|()"):
            return text[:index]
    return text


def _unquoted(text: str) -> Iterator[tuple[int, str]]:
    """Each character of shell ``text`` that is neither quoted, escaped, nor a quote or escape itself, with its
    index."""
    quote = ""
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        else:
            yield index, char


def _fallback_words(text: str) -> list[list[str]]:
    if len(text) > _LONG:
        parts = [[word.strip("'\"") for word in part.split() if not re.match(r"^[0-9]*(?:[<>]|&>)", word)]
                 for part in re.split(r"&&|\|\||[;&|()\n]", text)]
        return [[word for word in words if word] for words in parts if words]
    lines = text.replace("\\\n", "").split("\n")
    lexer = shlex.shlex(" ;\n".join(_without_comment(line) for line in lines), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    tokens: list[str] = []
    try:
        for token in lexer:
            tokens.append(token)
    except ValueError:  # no closing quotation: keep what was read, split the rest at whitespace
        tokens += (lexer.token or "").split()
    commands: list[list[str]] = [[]]
    redirect = False
    for token in tokens:
        if redirect:
            redirect = False
            continue
        if token and set(token) <= _FALLBACK_OPERATORS | {"<", ">"}:
            if "<" in token or ">" in token:
                redirect = not token.endswith("&") or token == ">&"
                if commands[-1] and commands[-1][-1].isdigit():
                    commands[-1].pop()
            else:
                commands.append([])
            continue
        commands[-1].append(token)
    return [words for words in commands if words]


def command_of(words: Sequence[str]) -> list[InstallCommand]:
    """The install commands of one simple command given as words (an exec-form ``RUN [...]``)."""
    return _resolved(_commands(list(words), _Context()), _Context())


def split_commands(text: str) -> list[list[str]]:
    """The simple commands of shell text, each as its fields (assignments and redirections removed)."""
    from hallucheck.sources.shell import simple_commands

    return [[str(word) for word in command.words] for command in simple_commands(text) if command.words]


def _commands(words: list[str], context: _Context) -> list[InstallCommand]:
    if context.depth > _MAX_DEPTH:
        return []
    settings = _leading_settings(words)
    unwrapped = _unwrapped(words)
    if not unwrapped:
        return settings
    if len(unwrapped) < len(words):  # `sudo PIP_REQUIREMENT=r.txt pip install`: set for the command
        variables = _variables(words[:len(words) - len(unwrapped)], _offset(words[0]))
        settings += _assigned_commands(variables, context)
        context = context.with_variables(variables)
    found = settings + _installs(unwrapped, context)
    if _program(unwrapped[0]) in _SETTING_PROGRAMS:
        found += _settings_of(unwrapped)
    return found


_SETTING_PROGRAMS = frozenset({"export", "declare", "typeset", "readonly", "local", "pip", "poetry", "pdm", "conda",
                               "mamba", "micromamba", "pixi", "uv"})
"""Programs whose command may set where installs fetch from (:mod:`.source_settings`)."""


def _leading_settings(words: list[str]) -> list[InstallCommand]:
    """Source settings among the ``NAME=value`` words in front of a command (``sudo PIP_INDEX_URL=x pip``)."""
    if not words or "=" not in words[0]:
        return []
    from hallucheck.sources.source_settings import environment_settings

    leading = []
    for word in words:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word, re.DOTALL):
            break
        leading.append(word)
    return _setting_command(leading, environment_settings(leading, _offset(words[0])), _offset(words[0]))


def _settings_of(words: list[str]) -> list[InstallCommand]:
    """What an export or an installer's configuration command sets as a package source."""
    from hallucheck.sources.source_settings import config_settings, exported

    program = _program(words[0]) or ""
    if program in ("export", "declare", "typeset", "readonly", "local"):
        return _setting_command(words, exported(words), _offset(words[0]))
    return _setting_command(words, config_settings(program, words, words[1:]), _offset(words[0]))


def _setting_command(words: Sequence[str], settings: Sequence[tuple[str, str, str, int]],
                     offset: int) -> list[InstallCommand]:
    """The package-source settings a command makes (:mod:`.source_settings`), as one command (none: nothing)."""
    if not settings:
        return []
    return [InstallCommand("source setting", tuple(words), tuple(
        InstallArgument(shown, requirement, ecosystem, offset=at, sets_source=True)
        for shown, requirement, ecosystem, at in settings), offset)]


def _installs(words: list[str], context: _Context) -> list[InstallCommand]:
    found = _program_installs(words, context)
    if context.environment and found and _program(words[0]) in _ENVIRONMENT_PROGRAMS:
        environment = tuple({variable.name: (variable.name, variable.value)
                             for variable in context.environment}.values())
        return [_with_variables(_with_environment(command, context.environment), environment) for command in found]
    return found


def _with_variables(command: InstallCommand, environment: tuple[tuple[str, str], ...]) -> InstallCommand:
    """``command`` with the variables set for it, when it reads files (pip expands ``${NAME}`` in them)."""
    if not command.inputs:
        return command
    return InstallCommand(command.tool, command.words, command.arguments, command.offset, command.inputs,
                          environment)


_ENVIRONMENT_PROGRAMS = frozenset({"pip", "pip-sync", "pip-compile", "pip-run", "mim", "fades", "easy_install",
                                   "uv", "uvx", "pipx", "poetry", "pdm", "pipenv", "rye", "hatch", "pixi", "conda",
                                   "mamba", "micromamba"})
"""Installers whose environment is read (:func:`_with_environment`)."""


def _with_environment(command: InstallCommand, environment: Sequence[Variable]) -> InstallCommand:
    """``command`` with what its environment adds: the files and projects ``PIP_REQUIREMENT``-style variables
    name (read as ``-r``/``-c``/``-e``, attack E2), and a source setting for a variable that moves the
    installer's configuration files (``XDG_CONFIG_HOME``, ``HOME``: what they set is not known from the text)."""
    if command.tool == "source setting" or not (command.arguments or command.inputs or command.tool in _PIP_TOOLS
                                                or command.tool in _UV_TOOLS):
        return command
    from hallucheck.sources.shell import Field
    from hallucheck.sources.source_settings import setting

    variables = {variable.name: variable for variable in environment}
    prefix = "PIP_" if command.tool in _PIP_TOOLS else "UV_" if command.tool in _UV_TOOLS else None
    arguments, inputs, used = list(command.arguments), list(command.inputs), []
    for name, option in _ENVIRONMENT_FILES.items():
        variable = variables.get(name)
        if variable is None or prefix is None or not name.startswith(prefix):
            continue
        used.append(variable)
        shown = variable.written
        for part in [variable.value] if UNKNOWN in variable.value else variable.value.split():
            value = Field(part, variable.offset, shown)
            direct = _direct_argument(part) if option == "-e" else None
            if UNKNOWN in part:  # `PIP_REQUIREMENT=$REQS`: known only when it runs
                described = f"{shown} (what the command reads there is known only when it runs)"
                arguments.append(InstallArgument(described, described, PYPI, determined=False,
                                                 offset=variable.offset))
            elif direct is not None:
                arguments.append(direct.at(variable.offset))
            else:
                inputs.append(DiskInput(value, project=option == "-e"))
    reads_config = bool(arguments or inputs) or prefix is not None  # a bare `pip install` may install what it names
    for name in _CONFIG_HOMES:
        variable = variables.get(name)
        if variable is not None and reads_config:
            used.append(variable)
            shown, requirement, ecosystem, at = setting(
                f"{variable.written} (where the installer reads its configuration)", "", variable.value,
                variable.offset)
            arguments.append(InstallArgument(shown, requirement, ecosystem, offset=at, sets_source=True))
    if not used:
        return command
    words = (*(Field(f"{variable.name}={variable.value}", variable.offset, variable.written) for variable in used),
             *command.words)
    return InstallCommand(command.tool, words, tuple(arguments), command.offset, tuple(inputs), command.environment)


def _program_installs(words: list[str], context: _Context) -> list[InstallCommand]:
    program = _program(words[0])
    rest = words[1:]
    inner = context.deeper()
    if program is None:
        if _GLOB_CHARS.search(words[0]) and _globbed_word(words[0]):
            return _globbed(words, glob_programs(re.split(r"[/\\]", words[0])[-1]), inner)
        return _unknown_program(words, inner)
    if program == "busybox" and rest:
        return _commands(rest, inner)  # `busybox sh -c ...`: the applet runs
    if program in _SHELLS:
        return _shell(words, rest, inner)
    if program == "eval":
        return _evaluated(words, rest, inner)
    if program == "python":
        return _python(rest, inner)
    if program == "pip":
        return _pip(words, rest)
    if program == "pip-sync":
        return [_parse(_PIP_SYNC, words, rest)]
    if program == "pip-compile":
        return [_parse(_PIP_COMPILE, words, rest)]
    if program == "pip-run":  # jaraco's pip-run: pip install's arguments, then `--` and Python's
        end = _first_separator(rest)
        scripts = [index for index, word in enumerate(rest[:end]) if word.endswith(".py") and index]
        return [_parse(_PIP_RUN, words, rest[:min([end, *scripts])])]
    if program == "mim" and rest[:1] == ["install"]:  # OpenMMLab's openmim: pip install with its own index
        return [_parse(_MIM_INSTALL, words, rest[1:])]
    if program == "fades":
        installed = _fades(words, rest)
        child = rest[len(installed.words) - 1:]
        return [installed, *_commands(child[1:] if child[:1] == ["--"] else child, inner)]
    if program == "easy_install":
        return [_parse(_EASY_INSTALL, words, rest)]
    if program == "uv":
        return _uv(words, rest, inner)
    if program == "uvx":
        return [_parse(_UVX, words, rest)]
    if program == "pipx":
        return _pipx(words, rest)
    if program == "poetry":
        return _poetry(words, rest, inner)
    if program == "pdm":
        return _project_sync(words, rest, ("install", "sync", "lock"), _options("-p --project")) + \
            _subcommand(words, rest, {"add": _PDM_ADD}, inner, runners=("run",))
    if program == "pipenv":
        return _pipenv(words, rest, inner)
    if program == "rye":
        return _project_sync(words, rest, ("sync", "install"), frozenset()) + \
            _subcommand(words, rest, {"add": _RYE_ADD}, inner, runners=("run",))
    if program == "hatch":
        return _project_sync(words, rest, ("run", "env", "shell", "build", "test"), frozenset()) + \
            _subcommand(words, rest, {}, inner, runners=("run", "env run", "shell"))
    if program == "pixi":
        return _pixi(words, rest, inner)
    if program in ("conda", "mamba", "micromamba"):
        return _conda(program, words, rest, inner)
    if program == "su":
        return _su(words, rest, inner)
    if program == "xargs":
        return _xargs(words, rest, inner)
    if program == "env":
        return _env(rest, inner)
    if program == "command" and rest[:1] in (["-v"], ["-V"]):
        return []  # prints where the command is; runs nothing
    if program in _WRAPPER_VALUES:
        return _commands(_after_wrapper(program, rest), inner)
    if program in _CHECKOUTS:  # git (and yadm, git for dotfiles)
        return _git_commands(words, inner)
    if program == "trap" and rest and not rest[0].startswith("-"):  # `trap "CMD" EXIT` runs CMD
        return _evaluated(words, rest[:1], inner)
    if program in _DATA_PROGRAMS or not program:
        return []
    if program in _TASK_RUNNERS:  # the file it reads, and a command it runs (`tox exec -- pip install x`)
        return [*_task_runner(program, words, rest), *_unknown_wrapper(words, inner)]
    if "/" in words[0] and UNKNOWN not in words[0]:  # `./setup.sh`, `scripts/install`: runs that file
        return [_runs(words, [words[0]], "exec"), *_unknown_wrapper(words, inner)]
    if rest[:1] in (["install"], ["add"]) and _kept_name(words[0], context):
        return [_with_unknown(_parse(_PIP_INSTALL, words, rest[1:]), _field_like(words[0], UNKNOWN))]
    return _unknown_wrapper(words, inner)


_OTHER_INSTALLERS = _options(
    "npm yarn pnpm bun brew apt apt-get aptitude dnf yum zypper apk pacman cargo go gem bundle composer dotnet "
    "nuget choco winget scoop snap flatpak port nix-env make gmake cmake ninja helm code npx deno mvn gradle opam "
    "cabal stack luarocks cpan cpanm rustup mise asdf pyenv gh docker podman kubectl pre-commit prek git julia "
    "Rscript spack vcpkg conan swift pod carthage sdk ghcup elan juliaup volta nvm fnm corepack"
)
"""Installers of other ecosystems: ``yarn add react`` is no Python install, whether or not it is on ``PATH``."""
KEPT_INSTALL = LazyPattern(r"(?:^|[;&|(\n'\"]|\$\()\s*[\w.+-]+[ \t]+(?:install|add)[ \t]")
"""Cheap: a command named by a plain word, then ``install``/``add`` (an alias an agent's shell may keep)."""


def _kept_name(word: str, context: _Context) -> bool:
    """The agent hook: whether a command name may be an alias or a function an earlier command kept in the agent's
    shell (``p install x`` after ``alias p=pip``): no program of that name is on ``PATH`` and the text does not
    define it. Then ``NAME install|add ...`` is read as an install whose installer is not known."""
    import shutil

    if not _asks_runtime().get() or UNKNOWN in word or not re.fullmatch(r"[\w.+-]+", word) or word in _OTHER_INSTALLERS:
        return False
    flow = context.flow
    if flow is not None and (word in flow.aliases or word in flow.functions):
        return False
    return shutil.which(word) is None


_COMMAND_KEYS = LazyPattern(
    r"(?i)core\.(?:pager|editor|sshcommand|fsmonitor|askpass)|sequence\.editor|pager\..+|diff\..+\.(?:command"
    r"|textconv)|diff\.external|merge\..+\.driver|filter\..+\.(?:clean|smudge|process)|credential\..*helper"
    r"|gpg\..*program|uploadpack\.packobjectshook|alias\..+")
"""git configuration keys whose value git runs as a shell command (an alias only when it starts with ``!``)."""


def git_config_command(key: str, value: str) -> str:
    """The shell command a git configuration ``key`` set to ``value`` makes git run, else ``""``
    (``core.pager='pip install x'``, ``alias.x='!pip install x'``)."""
    if not _COMMAND_KEYS.fullmatch(key.strip()):
        return ""
    value = value.strip()
    if key.strip().lower().startswith(("alias.", "credential.")):
        return value[1:] if value.startswith("!") else ""
    return value


def _git_commands(words: list[str], context: _Context) -> list[InstallCommand]:
    """The commands git runs for ``rebase -x/--exec CMD``, ``bisect run CMD``, ``submodule foreach CMD`` and a
    shell alias given on its command line (``git -c alias.x='!pip install y' x``); git's other arguments are data
    (``git commit -m "pip install x"``)."""
    rest = words[1:]
    texts = [command for index, value in enumerate(rest) if index and rest[index - 1] == "-c"
             for command in [git_config_command(*value.partition("=")[::2])] if command]
    positional = [word for word in rest if not word.startswith("-")]
    if positional[:1] == ["config"] and len(positional) >= 3:  # `git config core.pager 'CMD'`: runs later
        texts += [command for command in [git_config_command(positional[-2], positional[-1])] if command]
    for index, word in enumerate(rest):
        if word in ("-x", "--exec") and index + 1 < len(rest) and "rebase" in rest[:index]:
            texts.append(rest[index + 1])
        elif word.startswith("--exec=") and "rebase" in rest[:index]:
            texts.append(word.partition("=")[2])
        elif (word == "run" and rest[index - 1:index] == ["bisect"]) or (
                word == "foreach" and "submodule" in rest[:index]):
            texts.append(" ".join(_quoted(part) for part in rest[index + 1:]))
            break
    return [command for text in texts if may_install(text)
            for command in _script(text, _offset(words[0]), context.depth, context.flow,
                                   environment=context.environment)]


_DATA_PROGRAMS = _options(
    "echo printf git grep egrep fgrep rg ag ack cat tac head tail less more tee wc ls touch mkdir rm rmdir cp mv ln "
    "chmod chown diff cmp sort uniq cut tr jq yq gh curl wget man which type whereis file stat basename dirname "
    "realpath readlink date sleep read test [ [[ : true false cd pushd popd export unset local declare set shift "
    "return exit printenv du df pwd whoami id uname hostname base64 md5sum sha256sum column fmt fold nl paste join "
    "comm history alias hash code open xdg-open cowsay figlet notify-send logger mail say"
)
"""Programs that never run their arguments as a command: a command line among their arguments is data
(``echo pip install x``, ``git commit -m "pip install x"``, ``grep -r "pip install" .``)."""
_MAX_WRAPPED_STARTS = 16
"""An unknown program's arguments are tried as a wrapped command from at most this many positions."""


_TASK_RUNNERS = frozenset({"make", "gmake", "tox", "nox", "pre-commit", "prek"})
_RUNS_FILE = LazyPattern(
    r"(?:^|[\s;&|(`]|\$\()(?:\.{0,2}/|[\w.-]+/[\w./-]|(?:ba|z|da|k|a)?sh[ \t]|source[ \t]|\.[ \t]|g?make(?![\w-])|"
    r"tox(?![\w-])|nox(?![\w-])|pre-commit(?![\w-])|prek(?![\w-])|py(?:thon)?[0-9.]*[ \t]|uv[ \t]|pipx[ \t])"
    r"|\$\(\s*(?:cat[ \t]|<)|`\s*cat[ \t]|(?:BASH_)?ENV="
)


def may_run_file(text: str) -> bool:
    """Cheap: whether ``text`` may run a file of the repository (``bash setup.sh``, ``./x``, ``make``, ``tox``,
    ``python s.py``, ``uv run s.py``): then the file is read (:attr:`DiskInput.runs`)."""
    return bool(_RUNS_FILE.search(text))


def _runs(words: list[str], paths: list[str], kind: str) -> InstallCommand:
    """A command that runs the files ``paths`` (read from disk by the caller)."""
    return InstallCommand(" ".join(str(word) for word in words[:2]), tuple(words), (), _offset(words[0]),
                          tuple(DiskInput(path, runs=kind) for path in paths))


def _task_runner(program: str, words: list[str], rest: list[str]) -> list[InstallCommand]:
    """``make``, ``tox``, ``nox``, ``pre-commit run``: the file they read what to run from."""
    chosen = {"make": ("-f", "--file", "--makefile"), "gmake": ("-f", "--file", "--makefile"),
              "tox": ("-c", "--conf"), "nox": ("-f", "--noxfile"), "pre-commit": ("-c", "--config"),
              "prek": ("-c", "--config")}[program]  # fmt: skip
    named = [value for index, word in enumerate(rest) for value in (
        [rest[index + 1]] if word in chosen and index + 1 < len(rest) else
        [word.partition("=")[2]] if word.partition("=")[0] in chosen and "=" in word else [])]
    if program in ("pre-commit", "prek"):
        runs = [word for word in rest if not word.startswith("-")][:1]
        if runs and runs[0] not in ("run", "install-hooks", "install", "try-repo", "hook-impl"):
            return []
    if program == "tox" and [word for word in rest if not word.startswith("-")][:1] in (
            ["config"], ["c"], ["list"], ["l"], ["quickstart"], ["q"], ["depends"], ["de"], ["schema"]):
        return []  # tox's commands that show its configuration create no environment
    defaults = {"make": ["GNUmakefile", "makefile", "Makefile"], "tox": ["tox.ini", "tox.toml"],
                "nox": ["noxfile.py"], "pre-commit": [".pre-commit-config.yaml", ".pre-commit-config.yml"]}
    kind = {"gmake": "make", "prek": "pre-commit"}.get(program, program)
    reads = _runs(words, named or defaults[kind], kind)
    forced = _tox_dependencies(rest) if program == "tox" else []
    return [replace(reads, arguments=tuple(forced))] if forced else [reads]


_TOX_DEPS = LazyPattern(r"^[\w.:-]*\bdeps\+?=(?P<value>.*)$", re.DOTALL)


def _tox_dependencies(rest: list[str]) -> list[InstallArgument]:
    """What tox's command line adds to the environments' dependencies (attack F4): ``--force-dep REQ`` and an
    override of ``deps`` (``-x testenv.deps+=x``, ``--override env_run_base.deps=x``)."""
    found: list[InstallArgument] = []
    index = 0
    while index < len(rest) and rest[index] != "--":
        option, equals, value = rest[index].partition("=") if rest[index].startswith("--") else (rest[index], "", "")
        if option in ("-x", "--override", "--force-dep") and not equals:
            value = rest[index + 1] if index + 1 < len(rest) else ""
            index += 1
        index += 1
        if option == "--force-dep":
            argument = requirement_argument(value)
            found += [argument] if argument is not None else []
        elif option in ("-x", "--override") and (deps := _TOX_DEPS.match(value)) is not None:
            words = [word for word in re.split(r"[\s,]+", deps.group("value")) if word and not word.startswith("-")]
            found += [argument for word in words if (argument := requirement_argument(word)) is not None]
    return found


def _unknown_wrapper(words: list[str], context: _Context) -> list[InstallCommand]:
    """A program hallucheck does not know (``strace -f``, ``watch``, ``pyenv exec``, ``tox exec --``,
    ``script -qc "..."``): it may run its arguments as a command, so an installer invocation among them is read
    as one. The command may start at any argument that names a program hallucheck reads (``watch -n 5 pip
    install x``), or be one argument holding a command line (``script -qc "pip install x" /dev/null``)."""
    rest = words[1:]
    if not rest or not may_install(" ".join(rest)):
        return []
    found: list[InstallCommand] = []
    files: list[InstallCommand] = []  # a start that only runs a file (`tox -e py -- pip ...`: `py` runs `pip`)
    starts = 0
    for index, word in enumerate(rest):
        if starts >= _MAX_WRAPPED_STARTS:  # too many places a command may start: what it runs is not known
            return [*files, _undetermined(f"{_program(words[0]) or 'a program'} ...",
                                          " ".join(rest[index:index + 8]), _offset(word))]
        if _program(word) in _READ_PROGRAMS or _program(word) in _WRAPPER_VALUES or (
                _GLOB_CHARS.search(word) and _globbed_word(word) and glob_programs(re.split(r"[/\\]", word)[-1])):
            starts += 1
            start = index
            while start and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", rest[start - 1], re.DOTALL):
                start -= 1  # `strace -f PIP_REQUIREMENT=r.txt pip install`: it may set them for the command
            found = _commands(rest[start:], context)
        elif (" " in word or "\n" in word or ";" in word) and may_install(word):
            starts += 1
            found = _script(word, _offset(word), context.depth, environment=context.environment)
        else:
            continue
        if any(command.arguments for command in found):
            return [*files, *found]
        if not files and any(command.inputs for command in found):
            files = found  # a later start may install (an option's value read as a program: `-e py`)
    return files


def _unwrapped(words: list[str]) -> list[str]:
    """``words`` without prompts, shell keywords and ``VAR=value`` assignments in front."""
    start = 0
    while start < len(words):
        word = words[start]
        if word in _PROMPTS or word in _SHELL_KEYWORDS or re.fullmatch(r"\(?[\w.-]+\)", word):
            start += 1  # `$ pip`, `if pip`, `(venv) pip`
        elif word == "-p" and start and words[start - 1] == "time":
            start += 1  # `time -p CMD`
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word, re.DOTALL):
            start += 1
        else:
            break
    words = words[start:]
    if words and words[0][:1] in ("%", "!") and len(words[0]) > 1:
        first = words[0]
        words = [_field_like(first, first.lstrip("!%")), *words[1:]]  # `%pip`, `!pip`, `!!pip`, `%%bash` magics
    return words


def _with_source(value: str, offset: int, source: str) -> str:
    from hallucheck.sources.shell import Field

    return Field(value, offset, source)


def _field_like(original: str, value: str) -> str:
    """``value`` keeping the position of ``original`` (a :class:`~.shell.Field`)."""
    offset = getattr(original, "offset", None)
    if offset is None:
        return value
    from hallucheck.sources.shell import Field

    return Field(value, offset, getattr(original, "source", value))


def _program(word: str) -> str | None:
    """The program a command word runs: ``/usr/bin/pip3.11`` -> ``pip``, ``$(PYTHON)`` -> ``python``;
    ``""`` for a word that names no program; None when it is computed at run time and unknown."""
    if UNKNOWN in word:
        literal = word.replace(UNKNOWN, "")
        if literal and not literal.startswith(("/", "-")):
            return _program(literal)  # `$(true)pip`, `p${X}ip`: the written letters
        source = getattr(word, "source", "")
        guess = _variable_program(source) if source else ""
        if guess:
            return guess
        return None
    variable = re.fullmatch(r"\$[({]?([A-Za-z_][A-Za-z0-9_]*)[)}]?", word)
    if variable is not None:
        return _variable_program(word) or ""
    base = re.split(r"[/\\]", word)[-1].lower()
    if _GLOB_CHARS.search(base) and _globbed_word(word):
        programs = glob_programs(base)
        if len(programs) > 1:
            return None  # `pi*`: pip, pipx or pipenv, whichever the disk holds (read as each: _globbed)
        return programs[0] if programs else base
    if base in ("{envpython}", "{env_python}", "{python}", "{sys.executable}", '"{sys.executable}"',
                "{sys.executable!r}", "{python_executable}"):
        return "python"  # tox's substitutions, IPython's `!{sys.executable} -m pip`; `{envbindir}/pip` splits
    return program_named(base)


def _globbed_word(word: str) -> bool:
    """Whether the shell expands glob characters in ``word`` (written unquoted and unescaped); a word that no
    shell read (an exec-form list) is not expanded."""
    source = getattr(word, "source", None)
    return source is not None and any(char in "*?[" for _, char in _unquoted(source))


def _globbed(words: list[str], programs: tuple[str, ...], context: _Context) -> list[InstallCommand]:
    """A command whose program is a glob that may name several installers (``~/.local/bin/pi* install x``):
    read as each of them; what any reading installs is checked, and which one runs is not known (HC042)."""
    found: list[InstallCommand] = []
    verb = words[1] if len(words) > 1 and words[1] in _INSTALL_VERBS | {"add", "run", "inject"} else None
    for program in programs:
        read = _installs([_field_like(words[0], program), *words[1:]], context)
        if verb is not None:  # `pip-run install x` is not what `pi* install x` means when pip reads it
            read = [command for command in read if not any(argument.name == verb for argument in command.arguments)]
        found += _not_found_yet(found, read)
    if not any(command.arguments or command.inputs for command in found):
        return []
    glob = getattr(words[0], "source", words[0])
    unknown = _undetermined(f"{glob} ...", f"{glob} (the shell expands it to {' or '.join(programs)}: "
                            "which one runs is known only on disk)", _offset(words[0]))
    return [*found, unknown]


def _variable_program(source: str) -> str:
    """The installer a variable or substitution names (``$PIP``, ``${PYTHON}``, ``$(which pip)``), or ``""``."""
    names = re.findall(r"[A-Za-z_][A-Za-z0-9_.-]*", source)
    for name in (name.lower() for name in reversed(names)):
        for program in _INSTALLER_PROGRAMS:
            parts = re.split(r"[_.-]", name)
            if program in parts or name == program or name.endswith(program) or name.startswith(program + "3"):
                return "python" if program == "py" else program
    return ""


@functools.lru_cache(maxsize=1)
def _asks_runtime() -> ContextVar[bool]:
    from contextvars import ContextVar

    return ContextVar("hallucheck_asks_runtime", default=False)


_VARIABLE_READ = LazyPattern(r"\$(?:[A-Za-z_@*#?!$0-9-]|\{)")
_XARGS_INPUT = "(the words xargs reads)"


def _runs_variable(word: str) -> bool:
    """Whether the agent hook asks about running ``word``: a program, a script, text for ``eval``/``source``
    known only from a variable the text does not tell (``read X ...; $X``, ``"$@"``, ``eval "$X"``) or from what
    ``xargs`` reads (attack G14), in text that may install. A command substitution (``$(pyenv init -)``) is
    the output of a program, judged as :func:`_unknown_script` says; an unknown word in text that names no
    installer is not asked about (``$EDITOR notes.md``)."""
    if UNKNOWN not in word or not _asks_runtime().get():
        return False
    source = str(getattr(word, "source", ""))
    return source == _XARGS_INPUT or bool(_VARIABLE_READ.search(source))


_FILE_TEXT = LazyPattern(r'^\s*"?(?:\$\(\s*(?:cat\s+(?:--\s+)?|<\s*)([^\s;|&)`$<>"\']+)\s*\)'
                         r'|`\s*cat\s+([^\s;|&`$<>"\']+)\s*`)"?\s*$')
"""A word that is the content of one file: ``$(cat FILE)``, ``$(< FILE)``, `` `cat FILE` ``."""
_READ_VARIABLE = LazyPattern(r'^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$')


def _file_read(word: str, context: _Context) -> str:
    """The file whose text ``word`` is, when it is one file's content read by the command (``$(cat cmd.txt)``,
    or a variable the text sets to that: ``X=$(< cmd.txt); $X``), else ``""``: run as a command or a script, it
    runs that file as ``sh cmd.txt`` does, and is read from disk as such (an agent may have written it)."""
    if UNKNOWN not in word:
        return ""
    source = str(getattr(word, "source", ""))
    variable = _READ_VARIABLE.match(source)
    if variable is not None:
        values = [item for item in context.environment if item.name == variable.group(1)]
        source = values[-1].written.partition("=")[2] if values else ""
    match = _FILE_TEXT.match(source)
    return (match.group(1) or match.group(2)) if match else ""


def _fed_files(feeders: Sequence[SimpleCommand]) -> tuple[str, ...]:
    """The files whose content the pipe carries when ``cat FILE...`` alone feeds it (``cat setup.sh | sh``)."""
    files: list[str] = []
    for feeder in feeders:
        words = [str(word) for word in feeder.words]
        operands = [word for word in words[1:] if not word.startswith("-")]
        if words[:1] != ["cat"] or not operands or any(UNKNOWN in word for word in operands) or feeder.piped:
            return ()
        files += operands
    return tuple(files)


_COMMAND_VARIABLES = frozenset({"GIT_PAGER", "PAGER", "GIT_EDITOR", "EDITOR", "VISUAL", "GIT_SEQUENCE_EDITOR",
                                "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS",
                                "MANPAGER", "LESSOPEN", "LESSCLOSE", "PROMPT_COMMAND", "SYSTEMD_PAGER"})
"""Environment variables whose value a program runs as a command (git's pager and editors, ``less``'s input
filter): ``GIT_PAGER='pip install x' git log`` installs."""
_SCRIPT_VARIABLES = frozenset({"BASH_ENV", "ENV"})
"""Environment variables that name a file a starting shell runs (``BASH_ENV=s.sh bash -c true``)."""


def _assigned_commands(variables: Sequence[Variable], context: _Context) -> list[InstallCommand]:
    """What the commands an assignment hands to programs install: a command-valued variable's text is read as a
    command (``GIT_PAGER='pip install x'``), a script file variable's file as a script; a value known only at run
    time is asked about in the agent hook (:func:`_runs_variable`)."""
    from hallucheck.sources.shell import Field

    found: list[InstallCommand] = []
    for variable in variables:
        if variable.name not in _COMMAND_VARIABLES and variable.name not in _SCRIPT_VARIABLES:
            continue
        value = Field(variable.value, variable.offset, variable.written)
        if UNKNOWN in variable.value:
            if _asks_runtime().get():
                found.append(_runtime_command(_field_like(value, UNKNOWN), f"{variable.name} runs"))
        elif variable.name in _SCRIPT_VARIABLES:
            found.append(_runs([variable.name, variable.value], [value], "shell"))
        elif may_install(variable.value):
            found += _script(variable.value, variable.offset, context.depth + 1, context.flow,
                             environment=context.environment)
    return found


def _kept_for_later(command: SimpleCommand, context: _Context) -> list[InstallCommand]:
    """The agent hook: an alias, or a variable set alone or exported, whose text runs an installer, is read as the
    command it makes with arguments known only later (``alias p=pip``, ``X="pip install"``): an agent's shell may
    keep it for its next command, which this hook reads without it (a value that names what it installs,
    ``X="pip install x"``, is read as that install)."""
    words = [str(word) for word in command.words]
    if words[:1] == ["alias"]:
        values = [word.partition("=")[2] for word in words[1:] if "=" in word]
    elif not words or _program(words[0]) in _EXPORTING:
        values = [variable.value for variable in _variables(
            [*command.assignments, *(word for word in command.words[1:] if "=" in word)], command.offset)]
    else:
        return []
    found: list[InstallCommand] = []
    for value in values:
        if UNKNOWN in value or not may_install(value) or len(value.split()) < 2:
            continue  # one word (`alias p=pip`, `PIP=pip3`): `p install x` later is read as an install itself
        text = f'{value} "$later"'
        refused = _spend(context, text, "a kept command", command.offset)
        found += refused if refused is not None else [
            item for item in _script(text, command.offset, context.depth + 1) if item.arguments]
    return found


def _runtime_command(word: str, what: str) -> InstallCommand:
    source = str(getattr(word, "source", word)).replace(UNKNOWN, "?")
    return _undetermined(what, f"{what} `{source}` (a variable the command does not set to a literal value)",
                         _offset(word))


def _unknown_program(words: list[str], context: _Context) -> list[InstallCommand]:
    """A command whose program is computed at run time: read it as an installer when its next word is an
    install verb (``$(cmd) install x``), or as the rest when the computed word may be empty; in the agent hook,
    a program from a variable is asked about (:func:`_runs_variable`)."""
    rest = words[1:]
    read = _file_read(words[0], context)
    if read:  # `$(cat cmd.txt)`, `X=$(< cmd.txt); $X`: the file's text is the command
        return [_runs(words, [read], "shell")]
    asked = [_runtime_command(words[0], "runs the program")] if _runs_variable(words[0]) else []
    if rest and rest[0] in ("install", "download", "wheel", "add"):
        command = _parse(_PIP_SUBCOMMANDS.get(rest[0], _PIP_INSTALL), words, rest[1:])
        return [_with_unknown(command, words[0])]
    if _expands_installer(" ".join(str(getattr(word, "source", "")) for word in words), context) is not None:
        return [_undetermined(_shown(words[0]), _shown(" ".join(words)), _offset(words[0])), *asked]
    if rest and may_install(" ".join(rest)):
        return _commands(rest, context) + asked
    return asked


def _with_unknown(command: InstallCommand, word: str) -> InstallCommand:
    """``command`` with an argument saying that ``word`` leaves what it installs unknown."""
    unknown = InstallArgument(_shown(word), _shown(word), PYPI, determined=False, offset=_offset(word))
    return InstallCommand(command.tool, command.words, (*command.arguments, unknown), command.offset, command.inputs,
                          command.environment)


def _undetermined(tool: str, text: str, offset: int) -> InstallCommand:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return InstallCommand(tool, (text,), (InstallArgument(shown, shown, PYPI, determined=False, offset=offset),),
                          offset)


def _check_time() -> None:
    from hallucheck.sources.shell import check_time

    check_time()


def _offset(word: str) -> int:
    return int(getattr(word, "offset", -1))


def _shell(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    """``bash [options] -c SCRIPT``, ``sh -s``/``bash`` reading a here-document, ``bash <<< "..."``."""
    script, reads_stdin = _shell_script(rest)
    if script is not None:
        if UNKNOWN in script:
            return _unknown_script(words[0], script, context)
        ran = _script(script, _offset(script) + 1 if _offset(script) >= 0 else -1, context.depth, context.flow,
                      environment=context.environment)
        return _placed(ran, _offset(script)) if _expanded_word([script]) else ran
    if not reads_stdin:
        operand = _script_operand(rest)
        if operand is None:
            return []
        if _runs_variable(operand):
            return [_runtime_command(operand, f"{_program(words[0])} runs the script")]
        text = _file_text(operand, context)
        if text is None:
            return [_runs(words, [operand], "shell")]
        if text.startswith(UNKNOWN):
            program = _computing(getattr(operand, "produced", None) or [])
            return [_computed_run(words[0], program, _offset(operand))] if program else []
        return _placed(_script(text, _offset(operand), context.depth, context.flow, environment=context.environment),
                       _offset(operand))
    found: list[InstallCommand] = []
    for text, offset in context.stdin:
        if not text.startswith(UNKNOWN):
            found += _script(text, offset, context.depth, context.flow, environment=context.environment)
        elif _redirected_file(text):  # `sh < setup.sh`: runs that file
            found.append(_runs(words, [_redirected_file(text)], "shell"))
        elif context.computed:
            found.append(_computed_run(words[0], context.computed, offset))
        elif context.fed_files:  # `cat setup.sh | sh`: runs those files, as `sh setup.sh` does
            found.append(_runs(words, list(context.fed_files), "shell"))
        elif context.piped_from < 0 and _asks_runtime().get():  # `sh <<< "$X"`: a here-string of a variable
            found.append(_undetermined(f"{_program(words[0])} <<<", f"{_program(words[0])} runs text from a "
                                       "variable the command does not set to a literal value", offset))
    return _spanned(found, context.piped_from, _offset(words[0]))


def _computed_run(runner: str, program: str, offset: int) -> InstallCommand:
    """A shell or an interpreter that runs text computed from the command's own words by ``program``
    (``echo cGlw... | base64 -d | sh``): what it runs is known only when it runs (HC042), never passed."""
    shown = f"{_program(runner) or runner} runs text `{program}` computes from the command"
    return InstallCommand(f"{program} | {_program(runner) or runner}", (str(runner),), (
        InstallArgument(f"({shown})", shown, PYPI, determined=False, offset=offset),), offset)


_COMPUTING = frozenset({
    "base64", "base32", "basenc", "xxd", "od", "hexdump", "tr", "rev", "sed", "awk", "gawk", "mawk", "nawk", "perl",
    "ruby", "node", "php", "lua", "openssl", "gzip", "gunzip", "zcat", "bzip2", "bunzip2", "bzcat", "xz", "unxz",
    "xzcat", "lzma", "unlzma", "zstd", "unzstd", "zstdcat", "lz4", "uudecode", "iconv", "dd", "cut", "fold",
    "paste", "tac", "jq", "yq", "python", "echo", "printf", "recode", "uncompress", "sort",
})  # fmt: skip
"""Programs that print a function of their arguments or their input (decoders, text filters, interpreters
printing): text they make from the command's own words is hidden in it, not fetched from elsewhere."""
_MAX_FEEDERS = 64


def _computing(feeders: Sequence[SimpleCommand]) -> str:
    """The program that computes the text a pipe carries from the command's own words (``echo ... | base64
    -d``, ``tr a-z n-za-m <<< ...``, ``printf '\\x70...'``), or ``""``: the text comes from elsewhere (``curl URL``,
    ``cat FILE``, ``pyenv init -``: a remote installer, a file, a program's own output, as ``sh FILE`` runs a file)."""
    seen: set[int] = set()
    waiting = list(feeders)
    while waiting and len(seen) < _MAX_FEEDERS:
        command = waiting.pop()
        if id(command) in seen:
            continue
        seen.add(id(command))
        program = _program(command.words[0]) if command.words else ""
        if program in _COMPUTING:
            return str(program)
        waiting += command.feeders or []
    return ""


def _computed_text(source: str) -> str:
    """The program that computes the text of a command substitution written in ``source`` (``"$(echo ... |
    base64 -d)"``, as :func:`_computing`), or ``""``."""
    if "$(" not in source and "`" not in source and "<(" not in source:
        return ""
    from hallucheck.sources.shell import simple_commands

    for command in simple_commands(source):
        if not command.words or UNKNOWN in command.words[0]:
            continue  # the word that holds the substitution, not a program in it
        program = _program(command.words[0])
        if program in _COMPUTING and (program not in ("echo", "printf") or any(
                "\\" in word or "%" in word or UNKNOWN in word for word in command.words[1:])):
            return str(program)
    return ""


def _redirected_file(stdin: str) -> str:
    """The file a command's standard input is redirected from (``< FILE``), when its name is known."""
    name = stdin[len(UNKNOWN):] if stdin.startswith(UNKNOWN) else ""
    return name if name and UNKNOWN not in name else ""


def _spanned(found: list[InstallCommand], start: int, end: int) -> list[InstallCommand]:
    """``found`` (read from what a pipe carries) placed over the pipeline: from the command that writes it
    (``start``) to the one that reads it (``end``), so that a change to either line reads it."""
    if start < 0 or end < 0:
        return found
    return [InstallCommand(command.tool, command.words, tuple(argument.at(end) for argument in command.arguments),
                           min(start, end), command.inputs, command.environment) for command in found]


def _script_operand(words: list[str]) -> str | None:
    """The script file ``sh [options] FILE [ARGS]`` runs."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            return words[index + 1] if index + 1 < len(words) else None
        if word in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
            index += 2
            continue
        if word[:1] in ("-", "+") and len(word) > 1:
            index += 1
            continue
        return word
    return None


def _unknown_script(shell: str, script: str, context: _Context | None = None) -> list[InstallCommand]:
    """A script partly computed at run time: read with the variables the script assigned (``CMD="pip install
    x"; eval "$CMD"``, attack G13); undetermined when what is known of it, or of a variable it expands that the
    script assigned, may install, or (the agent hook) when a variable it comes from is not told
    (:func:`_runs_variable`); a script known only at run time from a program's output, ``eval "$(pyenv init -)"``,
    names no installer: nothing to ask about."""
    assigned = _expands_installer(str(getattr(script, "source", "")), context)
    if assigned is not None:  # `CMD="pip install $PKG"; eval "$CMD"` (attack G13)
        command = _undetermined(f"{_program(shell) or 'sh'} -c", _shown(script), _offset(script))
        return [replace(command, arguments=tuple(argument.at(assigned) for argument in command.arguments))]
    read = _file_read(script, context) if context is not None else ""
    if read:  # `eval "$(cat cmd.txt)"`, `bash -c "$(< cmd.txt)"`: runs the file's text
        return [_runs([shell], [read], "shell")]
    if may_install(script.replace(UNKNOWN, " ")) or _runs_variable(script):
        return [_undetermined(f"{_program(shell) or 'sh'} -c", _shown(script), _offset(script))]
    program = _computed_text(getattr(script, "source", ""))
    return [_computed_run(shell, program, _offset(script))] if program else []


def _shell_script(words: list[str]) -> tuple[str | None, bool]:
    """The script of ``sh [options] -c SCRIPT`` (None when it runs a file or its input), and whether the shell
    reads its standard input (no script file named)."""
    command_flag = False
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("--", "-"):
            index += 1
            break
        if word in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
            index += 2
            continue
        if word.startswith("--"):
            index += 1
            continue
        if word[:1] in ("-", "+") and len(word) > 1:
            command_flag = command_flag or "c" in word[1:]
            index += 1
            continue
        break
    if command_flag:
        return (words[index] if index < len(words) else None), False
    return None, index >= len(words) or "-s" in words[:index]


_REFERENCE = LazyPattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _expands_installer(source: str, context: _Context | None) -> int | None:
    """Where the script assigns a variable that ``source`` expands from text that may install but is partly
    known only at run time (``CMD="pip install $PKG"; eval "$CMD"``, attack G13), or None."""
    flow = context.flow if context is not None else None
    if flow is None or "$" not in source:
        return None
    for match in _REFERENCE.finditer(source):
        variable = flow.exported.get(match.group(1))
        if variable is not None and UNKNOWN in variable.value and may_install(variable.written.replace(UNKNOWN, " ")):
            return variable.offset
    return None


def _evaluated(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    script = " ".join(rest)
    if UNKNOWN in script:
        source = " ".join(getattr(word, "source", word) for word in rest)
        return _unknown_script(words[0], _with_source(script, _offset(rest[0]), source), context)
    found = _script(script, _offset(rest[0]) if rest else -1, context.depth, environment=context.environment)
    return _placed(found, _offset(rest[0])) if rest and _expanded_word(rest) else found


def _expanded_word(words: Sequence[str]) -> bool:
    """Whether a word's text is a variable's value rather than what is written there (``eval "$CMD"``): offsets
    into the text are not offsets of the file, so what it runs is placed at the word."""
    return any("$" in str(getattr(word, "source", "")) for word in words)


def _python(rest: list[str], context: _Context) -> list[InstallCommand]:
    """``python -m MODULE ...`` as the module's command; ``python -c CODE`` and code fed on standard input
    (``python - <<EOF``) read for the installs their calls run (:mod:`.python_installs`)."""
    module = _python_module(rest)
    if isinstance(module, list):
        entry = _MODULE_ENTRY.fullmatch(module[0]) if module else None
        if entry is not None:  # `-m pip.__main__`, `-m pip._internal.cli.main`: the installer itself
            module = [_field_like(module[0], entry.group(1)), *module[1:]]
        found = _commands(module, context)
        if found or not module or not _DOTTED_NAME.fullmatch(module[0]):
            return found
        path = module[0].replace(".", "/")  # `python -m tools.setup`: a module of the working directory
        return [_runs(["python", "-m", *module], [f"{path}.py", f"{path}/__main__.py"], "python")]
    if isinstance(module, str):
        return _placed(python_install_commands(module, _offset(module)), _offset(module))
    if _reads_stdin(rest):
        found = []
        for text, offset in context.stdin:
            if not text.startswith(UNKNOWN):
                found += python_install_commands(text, offset)
            elif _redirected_file(text):  # `python < s.py`
                found.append(_runs(["python", *rest], [_redirected_file(text)], "python"))
            elif context.computed:
                found.append(_computed_run("python", context.computed, offset))
            elif context.fed_files:  # `cat s.py | python -`
                found.append(_runs(["python", *rest], list(context.fed_files), "python"))
        return found
    script = _python_script(rest)
    if script is not None and _runs_variable(script):
        return [_runtime_command(script, "python runs the script")]
    return [_runs(["python", *rest], [script], "python")] if script is not None and UNKNOWN not in script else []


_DOTTED_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _python_script(words: list[str]) -> str | None:
    """The script ``python [options] SCRIPT args`` runs (option values such as ``-W ignore`` skipped)."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            return words[index + 1] if index + 1 < len(words) else None
        if word == "-" or not word.startswith("-"):
            return None if word == "-" else word
        if word == "--check-hash-based-pycs":
            index += 2
            continue
        cluster = word[1:] if not word.startswith("--") else ""
        for position, flag in enumerate(cluster):
            if flag in "WX":
                index += 0 if cluster[position + 1:] else 1
                break
        index += 1
    return None


def _reads_stdin(words: list[str]) -> bool:
    """Whether ``python [options] [-]`` reads its program from standard input (no script named)."""
    return _python_script(words) is None


def _python_module(words: list[str]) -> list[str] | str | None:
    """``python [options] -m MODULE args`` as ``[MODULE, args...]``, ``python -c CODE`` as ``CODE``; None when
    it runs a script or standard input."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--" or not word.startswith("-") or word == "-":
            return None  # a script, or standard input
        if word.startswith("--"):
            index += 2 if word == "--check-hash-based-pycs" else 1
            continue
        if re.fullmatch(r"-[0-9][0-9.]*(?:-(?:32|64))?", word):
            index += 1  # the py launcher's -3.11
            continue
        for position in range(1, len(word)):  # a short cluster: -I, -Im, -Imp... -W arg, -X opt
            flag = word[position]
            attached = word[position + 1:]
            if flag == "m":
                if attached:
                    return [_field_like(word, attached), *words[index + 1:]]
                return words[index + 1:] if index + 1 < len(words) else None
            if flag == "c":
                if attached:
                    return _field_like(word, attached)
                return words[index + 1] if index + 1 < len(words) else None
            if flag in "WX":
                index += 0 if attached else 1
                break
        index += 1
    return None


def _after_wrapper(program: str, words: list[str]) -> list[str]:
    """The command a wrapper runs: ``sudo -Hu me CMD``, ``nice -n 5 CMD``, ``timeout 60 CMD``."""
    takes_value = _WRAPPER_VALUES[program]
    operand = _WRAPPERS_WITH_OPERAND.get(program)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            index += 1
            break
        if not word.startswith("-") or word == "-":
            if program == "flock" and index + 1 < len(words) and words[index + 1] in ("-c", "--command"):
                return ["sh", "-c", *words[index + 2:]]  # flock FILE -c COMMAND
            if operand is not None and re.fullmatch(operand, word, re.DOTALL):
                index += 1
                operand = None
                continue
            break
        index += _option_width(word, words, index, takes_value)
    return words[index:]


def wrapped_command(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """The command ``words`` runs once its wrappers are looked through (``sudo -Hu me``, ``env -i VAR=x``,
    ``nice -n 5``, ``time -p``, ``command``, ``exec``, ``busybox``, prompts and keywords), and the ``NAME=value``
    words that set its environment on the way (``env -S STRING`` is split as ``env`` does)."""
    assigned: list[str] = []
    rest = list(words)
    for _ in range(_MAX_DEPTH * 2):
        unwrapped = _unwrapped(rest)
        assigned += [word for word in rest[:len(rest) - len(unwrapped)] if _ASSIGNMENT_WORD.fullmatch(word)]
        rest = unwrapped
        program = _program(rest[0]) if rest else None
        if program == "env":
            index = 1
            while index < len(rest) and (rest[index].startswith("-") or _ASSIGNMENT_WORD.fullmatch(rest[index])):
                if rest[index] in ("-S", "--split-string") or rest[index].startswith(("-S", "--split-string=")):
                    value = rest[index].partition("=")[2] if rest[index].startswith("--") else rest[index][2:]
                    if not value and index + 1 < len(rest):
                        value, index = rest[index + 1], index + 1
                    split = split_commands(value.replace(UNKNOWN, "$_")) if value else []
                    rest = [*(split[0] if split else []), *rest[index + 1:]]
                    index = 0
                    break
                if _ASSIGNMENT_WORD.fullmatch(rest[index]):
                    assigned.append(rest[index])
                    index += 1
                else:
                    index += _option_width(rest[index], rest, index, _WRAPPER_VALUES["env"])
            rest = rest[index:]
        elif program in _WRAPPER_VALUES:
            rest = _after_wrapper(program, rest[1:])
        elif program == "busybox":
            rest = rest[1:]
        else:
            break
    return assigned, rest


_ASSIGNMENT_WORD = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)


def _option_width(word: str, words: list[str], index: int, takes_value: frozenset[str]) -> int:
    """How many words an option takes: 2 when its value is the next word (``-u USER``, ``-Hu USER``)."""
    if word.startswith("--"):
        return 2 if "=" not in word and word in takes_value else 1
    for position in range(1, len(word)):
        if f"-{word[position]}" in takes_value:
            return 1 if word[position + 1:] else 2
    return 1


def _su(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    """``su [-] [USER] -c CMD`` / ``su -c CMD USER``: the command runs in the user's shell."""
    for index, word in enumerate(rest):
        if word in ("-c", "--command", "--session-command") and index + 1 < len(rest):
            return _shell([words[0], "-c", rest[index + 1]], ["-c", rest[index + 1]], context)
        if word.startswith("--command="):
            script = _field_like(word, word.partition("=")[2])
            return _shell([words[0], "-c", script], ["-c", script], context)
    return []


def _env(rest: list[str], context: _Context) -> list[InstallCommand]:
    """``env [-i] [-u NAME] [-S STRING] [VAR=value] CMD``: ``-S`` splits one string into the command's words."""
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in ("-S", "--split-string") or word.startswith(("-S", "--split-string=")):
            value = word.partition("=")[2] if word.startswith("--") else word[2:]
            if not value and index + 1 < len(rest):
                value, index = rest[index + 1], index + 1
            split = split_commands(value.replace(UNKNOWN, "$_")) if value else []
            words = [_field_like(value, word) for word in split[0]] if split else []
            return _commands([*words, *rest[index + 1:]], context)
        if word == "--":
            index += 1
            break
        if word.startswith("-") and word != "-":
            index += _option_width(word, rest, index, _WRAPPER_VALUES["env"])
        elif "=" in word:
            index += 1
        else:
            break
    from hallucheck.sources.source_settings import environment_settings

    assigned = [word for word in rest[:index] if "=" in word and not word.startswith("-")]
    settings = _setting_command(assigned, environment_settings(assigned, -1), _offset(assigned[0])) \
        if assigned else []
    settings += _assigned_commands(_variables(assigned, -1), context)
    return settings + _commands(rest[index:], context.with_variables(_variables(assigned, -1)))


def _xargs(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    """``xargs [options] CMD ARGS``: CMD runs with ARGS and words read from input, which are not known."""
    index = 0
    while index < len(rest) and rest[index].startswith("-") and rest[index] != "-":
        if rest[index] == "--":
            index += 1
            break
        index += _option_width(rest[index], rest, index, _XARGS_VALUES)
    found = _commands(rest[index:], context)
    if not found:  # `... | xargs env`, `xargs sh -c`: the words read become the command or its script
        return _commands([*rest[index:], _xargs_input(words[0])], context)
    return [_with_unknown(command, _xargs_input(words[0])) for command in found]


def _xargs_input(word: str) -> str:
    from hallucheck.sources.shell import Field

    return Field(UNKNOWN, _offset(word), _XARGS_INPUT)


def _pip(words: list[str], rest: list[str]) -> list[InstallCommand]:
    """``pip [general options] install|download|wheel ...``."""
    index = _skip_options(rest, _PIP_GENERAL_VALUES, abbreviations=True)
    if index < len(rest) and rest[index] in _PIP_SUBCOMMANDS:
        return [_parse(_PIP_SUBCOMMANDS[rest[index]], words, rest[index + 1:])]
    if index < len(rest) and UNKNOWN in rest[index]:  # `pip $CMD x`: the subcommand is known only at run time
        after = rest[index + 1:]
        if after and after[0] in _PIP_SUBCOMMANDS:  # `pip $PIP_FLAGS install x`: flags known only at run time
            found = _parse(_PIP_SUBCOMMANDS[after[0]], words, after[1:])
            return [_with_unknown(found, rest[index]) if _asks_runtime().get() else found]
        return _unknown_subcommand(words, rest[index], after, _PIP_INSTALL)
    return []


def _unknown_subcommand(words: list[str], word: str, rest: list[str], grammar: _Grammar) -> list[InstallCommand]:
    """An installer whose subcommand is known only at run time (``pip $X huggingface-cli``): its arguments read as
    the install's, with the subcommand undetermined. A positional parameter (``pip "$@"`` in a function body) is
    what a call passes: the call is read with it. Only in the agent hook (:func:`_runs_variable`)."""
    if not _asks_runtime().get() or _POSITIONAL.fullmatch(str(getattr(word, "source", ""))):
        return []
    return [_with_unknown(_parse(grammar, words, rest), word)]


def _uv(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    """``uv [global options] SUBCOMMAND [options] ...``: uv accepts its global options at every level."""
    path: list[str] = []
    index = 0
    while index < len(rest) and len(path) < 2:
        index = index + _skip_options(rest[index:], _UV_COMMON_VALUES)
        if index >= len(rest):
            break
        path.append(rest[index])
        index += 1
        if path in (["add"], ["run"]) or path[0] not in ("pip", "tool"):
            break
    tail = rest[index:]
    if path == ["pip", "install"]:
        return [_parse(_UV_PIP_INSTALL, words, tail)]
    if path == ["pip", "sync"]:
        return [_parse(_UV_PIP_SYNC, words, tail)]
    if path == ["pip", "compile"]:
        return [_parse(_UV_PIP_COMPILE, words, tail)]
    if path in (["sync"], ["lock"], ["run"]):  # `uv sync --index URL`: every package of the project from there
        from hallucheck.sources.source_settings import option_settings

        end = _options_end(tail, _UV_COMMON_VALUES | _options("--with --with-editable --with-requirements")) \
            if path == ["run"] else len(tail)
        settings = _setting_command(words, option_settings([*rest[:index], *tail[:end]], _offset(words[0])),
                                    _offset(words[0]))
        if path == ["lock"]:  # resolves the project, building sdists to read their metadata (attack H33)
            return [*settings, _synced_project(words, rest, "lock", _options("--directory --project"))]
        return settings + _uv_project(words, rest, path, tail, context)
    return _uv_named(words, path, tail, context)


def _uv_project(words: list[str], rest: list[str], path: list[str], tail: list[str],
                context: _Context) -> list[InstallCommand]:
    """``uv sync`` and ``uv run``: the project they sync, and what ``uv run`` runs."""
    if path == ["sync"] or (path == ["run"] and not {"--no-project", "--no-sync", "--script"} & set(tail)):
        synced = _synced_project(words, rest, path[0], _options("--directory --project"))
        return [synced] + (_runner(words, tail, context, with_names=True) if path == ["run"] else [])
    return _runner(words, tail, context, with_names=True)


def _uv_named(words: list[str], path: list[str], tail: list[str], context: _Context) -> list[InstallCommand]:
    """The uv subcommands that name what they install."""
    if path == ["add"]:
        return [_parse(_UV_ADD, words, tail)]
    if path == ["tool", "install"]:
        return [_parse(_UV_TOOL_INSTALL, words, tail)]
    if path == ["tool", "run"]:
        return [_parse(_UVX, words, tail)]
    return []


def _synced_project(words: list[str], rest: list[str], subcommand: str,
                    directories: frozenset[str]) -> InstallCommand:
    """The project a syncing command installs (``uv sync``, ``poetry install``, ``pdm sync``): the current
    directory, or the one ``--directory``/``--project`` names (both: the second inside the first)."""
    parts: list[str] = []
    values = _UV_COMMON_VALUES | _GLOBAL_VALUES
    index, subcommand_seen = 0, False
    while index < len(rest):  # the options up to the subcommand's first positional (`uv run CMD ...`)
        word = rest[index]
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            if subcommand_seen or word != subcommand:
                break
            subcommand_seen, index = True, index + 1
            continue
        option, has_value, value = word.partition("=")
        if option in directories:
            named = value if has_value else (rest[index + 1] if index + 1 < len(rest) else "")
            if option in ("--directory", "-C"):
                parts.insert(0, named)
            else:
                parts.append(named)
        index += 2 if not has_value and (option in directories or option in values) else 1
    path = "/".join(part.rstrip("/") for part in parts if part) or "."
    first = words[0]
    return InstallCommand(f"{_program(first) or first} {subcommand}", tuple(words), (), _offset(first),
                          (DiskInput(_field_like(first, path), project=True, locked=True),))


def _project_sync(words: list[str], rest: list[str], subcommands: tuple[str, ...],
                  directories: frozenset[str] = _options("--directory -C --project -P")) -> list[InstallCommand]:
    """``pdm install``, ``poetry sync``, ``hatch run``: the project (and its lock) the subcommand installs."""
    index = _skip_options(rest, _GLOBAL_VALUES)
    if index < len(rest) and rest[index] in subcommands:
        return [_synced_project(words, rest, rest[index], directories)]
    return []


def _pipenv(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    """``pipenv install [NAMES]``/``pipenv sync``: without names, what the Pipfile and its lock declare."""
    found = _subcommand(words, rest, {"install": _PIPENV_INSTALL}, context, runners=("run",))
    index = _skip_options(rest, _GLOBAL_VALUES)
    subcommand = rest[index] if index < len(rest) else ""
    if subcommand in ("sync", "lock") or (subcommand == "install" and not any(command.arguments or command.inputs
                                                                    for command in found)):
        found.append(_synced_project(words, rest, subcommand, frozenset()))
    return found


_STDIN_PATHS = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})


def _fades(words: list[str], rest: list[str]) -> InstallCommand:
    """``fades [-d DEP]... [-r FILE] [CHILD ARGS]``: fades installs each ``-d`` dependency (``pypi::name``,
    ``vcs::URL``) into a virtualenv, then runs the child program."""
    found: list[InstallArgument] = []
    inputs: list[DiskInput] = []
    index = 0
    while index < len(rest) and rest[index].startswith("-") and rest[index] != "--":
        option, value, index = _option_value(_FADES, rest[index], rest, index + 1)
        if value is None:
            continue
        if option in ("-d", "--dependency"):
            given = value.partition("::")[2] if "::" in value else value
            argument = requirement_argument(_field_like(value, given), PYPI) or _direct_argument(given)
            found.append(argument if argument is not None else _undetermined_word(value))
        elif option in ("-r", "--requirement"):
            inputs.append(DiskInput(value))
    return InstallCommand("fades", tuple(words[:1 + index]), tuple(found), _offset(words[0]), tuple(inputs))


def _undetermined_word(word: str) -> InstallArgument:
    return InstallArgument(_shown(word), _shown(word), PYPI, determined=False, offset=_offset(word))


def _pipx(words: list[str], rest: list[str]) -> list[InstallCommand]:
    index = _skip_options(rest, _options("--python"))
    subcommand, tail = (rest[index], rest[index + 1:]) if index < len(rest) else ("", [])
    if subcommand == "runpip":  # pipx runpip VENV PIP-ARGS: pip run in that application's environment
        position = _skip_options(tail, _PIPX_VALUES)
        return _pip(words, tail[position + 1:]) if position < len(tail) else []
    grammar = {"install": _PIPX_INSTALL, "run": _PIPX_RUN, "inject": _PIPX_INJECT}.get(subcommand)
    script = tail[_skip_options(tail, _PIPX_VALUES):][:1] if subcommand == "run" else []
    if script and script[0].endswith(".py") and "://" not in script[0]:
        return [_runs(words, script, "python")]  # `pipx run s.py`: the script, with its inline metadata
    return [] if grammar is None else [_parse(grammar, words, tail)]


def _poetry(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    index = _skip_options(rest, _GLOBAL_VALUES)
    if rest[index:index + 2] == ["self", "add"]:  # adds to Poetry's own environment
        return [_parse(_POETRY_SELF_ADD, words, rest[index + 2:])]
    return _project_sync(words, rest, ("install", "sync", "update", "lock")) + \
        _subcommand(words, rest, {"add": _POETRY_ADD}, context, runners=("run",))


def _pixi(words: list[str], rest: list[str], context: _Context) -> list[InstallCommand]:
    index = _skip_options(rest, _GLOBAL_VALUES)
    subcommand, tail = (rest[index], rest[index + 1:]) if index < len(rest) else ("", [])
    if subcommand == "add":
        grammar = _PIXI_ADD_PYPI if "--pypi" in tail[:_first_separator(tail)] else _PIXI_ADD
        return [_parse(grammar, words, tail)]
    if subcommand == "global" and tail[:1] == ["install"]:
        return [_parse(_PIXI_GLOBAL_INSTALL, words, tail[1:])]
    if subcommand == "exec":  # without `--spec`, the program's own name is the conda package installed
        ran = _runner(words, tail, context, with_names=True)
        start = _options_end(tail, _PIXI_VALUES | _options("-s --spec -c --channel"))
        spec = any(word.partition("=")[0] in ("-s", "--spec") for word in tail[:start])
        program = tail[start + 1 if tail[start:start + 1] == ["--"] else start:][:1]
        named = requirement_argument(program[0], CONDA) if program and not spec else None
        if named is None:
            return ran
        return [InstallCommand("pixi exec", tuple(words[:len(words) - len(tail) + start + 1]), (named,),
                               _offset(words[0])), *ran]
    if subcommand in ("install", "shell", "run", "update", "lock", "shell-hook"):  # the workspace's environment
        synced = _pixi_workspace(words, rest, subcommand, tail)
        return [synced, *_runner(words, tail, context, with_names=False)] if subcommand == "run" else [synced]
    return []


def _pixi_workspace(words: list[str], rest: list[str], subcommand: str, tail: list[str]) -> InstallCommand:
    """The workspace ``pixi install|run|shell`` installs: ``pixi.toml`` or ``[tool.pixi]`` of the current
    directory, or of the one ``--manifest-path`` names (a directory or the manifest file) (attack H14)."""
    end = _options_end(tail, _PIXI_VALUES | _options("--manifest-path -e --environment"))
    named = ""
    for index, word in enumerate(tail[:end]):
        option, equals, value = word.partition("=")
        if option in ("--manifest-path", "-m"):
            named = value if equals else (tail[index + 1] if index + 1 < len(tail) else "")
    if named.endswith(".toml"):
        named = named.rpartition("/")[0] or "."
    first = words[0]
    return InstallCommand(f"pixi {subcommand}", tuple(words[:len(words) - len(tail)]), (), _offset(first),
                          (DiskInput(_field_like(first, named or "."), project=True, locked=True),))


def _options_end(words: list[str], values: frozenset[str]) -> int:
    """Where the options in front of a command's first positional end (``uv run --with x pytest -i``: 3)."""
    index = 0
    while index < len(words) and words[index].startswith("-") and words[index] != "--":
        option, equals, _ = words[index].partition("=")
        index += 2 if not equals and option in values else 1
    return min(index, len(words))


def _first_separator(words: list[str]) -> int:
    return words.index("--") if "--" in words else len(words)


def _conda(program: str, words: list[str], rest: list[str], inner: _Context) -> list[InstallCommand]:
    """``conda install|create ...``, ``conda env create|update [-f FILE]`` (also mamba's, micromamba's; their
    ``install|create|update -f FILE`` reads a file too), ``conda run CMD``."""
    grammar = _CONDA_INSTALL if program == "conda" else _MAMBA_INSTALL
    index = _skip_options(rest, _GLOBAL_VALUES)
    if rest[index:index + 1] == ["env"] and rest[index + 1:index + 2] in (["create"], ["update"]):
        command = _parse(_CONDA_ENV, words, rest[index + 2:])
        if not command.inputs:  # no `-f`: conda reads environment.yml of the working directory
            command = replace(command, inputs=(DiskInput("environment.yml", conda=True),))
        return [command]
    grammars = {"install": grammar, "create": grammar}
    if program != "conda":
        grammars["update"] = grammar
    return _subcommand(words, rest, grammars, inner, runners=("run",))


def _subcommand(words: list[str], rest: list[str], grammars: dict[str, _Grammar], context: _Context, *,
                runners: tuple[str, ...]) -> list[InstallCommand]:
    """``tool [global options] SUBCOMMAND ...``: an install subcommand, or a runner (``poetry run CMD``,
    ``hatch env run -- CMD``)."""
    index = _skip_options(rest, _GLOBAL_VALUES)
    if index >= len(rest):
        return []
    subcommand = rest[index]
    if subcommand in grammars:
        return [_parse(grammars[subcommand], words, rest[index + 1:])]
    if UNKNOWN in subcommand and grammars:  # `poetry $CMD x`
        return _unknown_subcommand(words, subcommand, rest[index + 1:], next(iter(grammars.values())))
    for runner in runners:
        parts = runner.split()
        if rest[index:index + len(parts)] == parts:
            return _runner(words, rest[index + len(parts):], context, with_names=False)
    return []


def _runner(words: list[str], rest: list[str], context: _Context, *, with_names: bool) -> list[InstallCommand]:
    """``uv run [--with NAME] CMD ...`` / ``poetry run CMD``: the names ``--with`` adds, and the command run."""
    values = (_UV_COMMON_VALUES | _GLOBAL_VALUES | _options("-i --include -x --exclude --filter --spec -s")) - {
        "--script"}  # `uv run --script PATH`: a flag; the path is the command
    named: list[str] = []
    inputs: list[DiskInput] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        if word == "--":
            index += 1
            break
        if not word.startswith("-") or word == "-":
            break
        option, has_value, value = word.partition("=")
        if with_names and option in ("--with", "--spec", "-s", "--with-requirements", "--with-editable"):
            given = _field_like(word, value) if has_value else (rest[index + 1] if index + 1 < len(rest) else "")
            index += 0 if has_value else 1
            if option == "--with-requirements":
                inputs.append(DiskInput(given))
            elif option == "--with-editable":
                inputs.append(DiskInput(given, project=True))
            else:
                named.append(given)
        elif option in values and not has_value:
            index += 1
        index += 1
    found: list[InstallCommand] = []
    if named or inputs:
        arguments = tuple(argument for word in named for part in word.split(",")
                          if (argument := requirement_argument(_field_like(word, part.strip()), PYPI)) is not None)
        found.append(InstallCommand(f"{words[0]} --with", tuple(words[: len(words) - len(rest) + index]),
                                    arguments, _offset(words[0]), tuple(inputs)))
    command = rest[index:]
    if command and ":" in command[0] and not command[0].startswith(("-", "/", ".")):
        command = [_field_like(command[0], command[0].partition(":")[2]), *command[1:]]  # hatch run ENV:CMD
    if command and (command[0].endswith(".py") or "--script" in rest[:index]) and UNKNOWN not in command[0]:
        found.append(_runs(words, [command[0]], "python"))  # `uv run s.py`: its inline metadata installs
    return found + _commands(command, context)


def _skip_options(words: Sequence[str], values: frozenset[str], *, abbreviations: bool = False) -> int:
    """The index of the first word that is not an option (or an option's value)."""
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("-") or word == "-":
            return index
        if word == "--":
            return index + 1
        option = word.partition("=")[0]
        if "=" not in word and (option in values or (abbreviations and _abbreviates(option, values))):
            index += 1
        elif not word.startswith("--") and len(word) > 2 and f"-{word[-1]}" in values:
            index += 1  # `-qC DIR`: a short cluster ending in an option that takes a value
        index += 1
    return index


def _abbreviates(option: str, values: frozenset[str]) -> bool:
    return option.startswith("--") and len(option) > 2 and any(value.startswith(option) for value in values)


def _parse(grammar: _Grammar, words: list[str], arguments: Sequence[str]) -> InstallCommand:
    """Read the arguments of one install subcommand as ``grammar`` says; the requirements it names."""
    found: list[InstallArgument] = []
    inputs: list[DiskInput] = []
    positionals = 0
    index = 0
    only_arguments = False
    consumed = len(arguments)
    from_option = False
    sources: list[str] = []
    while index < len(arguments):
        word = arguments[index]
        index += 1
        if not index & 1023:
            _check_time()
        if not only_arguments and word == "--":
            only_arguments = True
            continue
        if not only_arguments and word.startswith("-") and word != "-":
            option, value, index = _option_value(grammar, word, arguments, index)
            if option == "--no-index":
                sources.append("--no-index")
            if value is not None:
                chosen = _source_option(grammar, word, option, value)
                if chosen is not None:
                    sources.append(chosen)
                elif option in ("-e", "--editable") and (argument := _direct_argument(value)) is not None:
                    found.append(argument)
                if option in grammar.names:
                    from_option = from_option or option in ("--from", "--spec")
                    listed = value.split(",") if option in _LISTING_OPTIONS else [value]  # uv: `--with a,b` (F9)
                    found += [argument for part in listed if (argument := requirement_argument(
                        _field_like(value, part.strip()), grammar.ecosystem, grammar.poetry_versions)) is not None]
                elif option in grammar.conda_files:
                    inputs.append(DiskInput(value, conda=True))
                elif option in grammar.files:
                    inputs.append(DiskInput(value))
                elif option == "--group" and grammar.tool in _GROUP_INSTALLERS:
                    inputs.append(_group_project(value))
                elif option in grammar.editables and is_local_directory(value):
                    inputs.append(DiskInput(value, project=True))
            continue
        positionals += 1
        if positionals <= grammar.skip_positionals:
            continue
        if grammar.positional_files:
            inputs.append(DiskInput(word))
            continue
        argument = requirement_argument(word, grammar.ecosystem, grammar.poetry_versions)
        if argument is not None and not (grammar.first_positional_only and from_option):
            found.append(argument)
        elif argument is None and grammar.projects and is_local_directory(word):
            inputs.append(DiskInput(word, project=True))
        if grammar.first_positional_only:
            consumed = index
            break
    if grammar.positional_files and not positionals and grammar.tool == "pip-sync":
        inputs.append(DiskInput(_field_like(words[0], "requirements.txt")))  # pip-sync's default
    if grammar.tool in ("pip-compile", "uv pip compile"):
        inputs = [_compiled_input(item) for item in inputs]
        if not positionals and grammar.tool == "pip-compile":  # requirements.in, else the project's manifests
            inputs.append(DiskInput(_field_like(words[0], "requirements.in"), written=True))
            inputs.append(DiskInput(_field_like(words[0], "."), project=True))
    start = len(words) - len(arguments)
    if sources:
        if inputs or not found:  # `pip install -i URL -r requirements.txt`: every package it reads there
            found += _source_settings(sources, _offset(words[0]))
        found = [_from_sources(argument, sources) for argument in found]
    return InstallCommand(grammar.tool, tuple(words[: start + consumed]), tuple(found), _offset(words[0]),
                          tuple(inputs))


_GROUP_INSTALLERS = frozenset({"pip install", "uv pip install", "uv pip compile", "pip download", "pip wheel"})
"""Installers whose ``--group [PATH:]NAME`` installs a PEP 735 dependency group of a ``pyproject.toml`` on disk."""


def _group_project(value: str) -> DiskInput:
    """``--group dev`` (``./pyproject.toml``), ``--group sub/pyproject.toml:dev``: the project holding the group."""
    path, colon, _ = value.rpartition(":")
    directory = path.rpartition("/")[0] if colon and path.endswith(".toml") else path if colon else ""
    return DiskInput(_field_like(value, directory or "."), project=True)


def _compiled_input(item: DiskInput) -> DiskInput:
    """A resolver's source file: ``pyproject.toml``, ``setup.cfg``, ``setup.py`` name their project's manifests."""
    directory, _, name = item.path.rpartition("/")
    if name in ("pyproject.toml", "setup.cfg", "setup.py"):
        return DiskInput(_field_like(item.path, directory or "."), project=True)
    return item


def is_local_directory(text: str) -> bool:
    """Whether an install argument is a local directory (a project): ``.``, ``./lib[dev]``, ``/src/app``,
    ``file:///src/app``; not a URL, an archive or a requirement."""
    text = text.strip()
    if text.startswith("file:"):
        text = re.sub(r"^file:(?://[^/]*)?", "", text)
    if not text or "://" in text or re.match(r"(?i)(?:git|hg|svn|bzr)\+", text):
        return False
    path = _EXTRAS_SUFFIX.sub("", text)
    if _ARCHIVE.search(path) or path.endswith((".py", ".txt", ".in", ".toml", ".cfg")):
        return False
    return path in (".", "..") or path.startswith(("./", "../", "/", "~", ".\\")) or (
        "/" in path and not re.match(r"[A-Za-z0-9._-]+\s*(?:[\[<>=!~;@]|$)", path))


def _source_option(grammar: _Grammar, word: str, option: str, value: str) -> str | None:
    """``option value`` as a source option of a requirement (``--index-url https://host/simple``), or None when
    the option chooses no source."""
    if not word.startswith("--"):
        letter = next((f"-{char}" for char in word[1:] if f"-{char}" in grammar.values), "")
        option = _SHORT_SOURCES.get(letter, "")
        if option not in grammar.values:
            return None
    location = _USERINFO.sub(r"\1***@", value.strip())
    if option in ("--git", "--url") and grammar.tool in ("rye add", "pixi add", "pixi add --pypi"):
        return f"@ {'git+' if option == '--git' and not location.startswith('git+') else ''}{location}"
    spelled = _SOURCE_OPTIONS.get(option)
    if spelled is None or (spelled == "--channel" and grammar.ecosystem != CONDA):
        return None
    return f"{spelled} {location}"


def _source_settings(sources: list[str], offset: int) -> list[InstallArgument]:
    """The source options of a command as settings (a lone ``--no-index`` takes sources away: none)."""
    from hallucheck.sources.source_settings import setting

    found = []
    for item in dict.fromkeys(sources):
        option, _, value = item.partition(" ")
        if option in _SOURCE_OPTIONS.values() and value:
            found.append(setting(item, option, value, offset, CONDA if option == "--channel" else PYPI))
        elif option == "@":
            found.append(setting(item, "", "", offset))
    return [InstallArgument(shown, requirement, ecosystem, offset=at, sets_source=True)
            for shown, requirement, ecosystem, at in found]


def _from_sources(argument: InstallArgument, sources: list[str]) -> InstallArgument:
    """``argument`` with the command's source options written after its requirement."""
    if not argument.determined or argument.sets_source:
        return argument
    direct = [item for item in sources if item.startswith("@ ")]
    options = [item for item in dict.fromkeys(sources) if not item.startswith("@ ")]
    requirement = argument.requirement
    if direct and "@" not in requirement.partition(" ")[0]:
        requirement = f"{argument.name} {direct[0]}"
    return InstallArgument(argument.name, " ".join([requirement, *options]), argument.ecosystem,
                           offset=argument.offset)


def _direct_argument(word: str) -> InstallArgument | None:
    """The package a URL or a local archive installs (``name @ location``); None for a local directory or a
    location whose package cannot be named from the text (the caller then asks)."""
    text = word.strip()
    if not text or _is_template(text):
        return None
    location = text.split("#", 1)[0]
    remote = ("://" in text and not text.startswith("file:")) or bool(re.match(r"(?i)(?:git|hg|svn|bzr)\+", text))
    if not remote and not _ARCHIVE.search(location.split("?", 1)[0]):
        return None  # a directory of the repository: first-party code
    egg = _EGG.search(text)
    base = location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].split("@", 1)[0]
    if egg is not None:
        name = egg.group(1)
    elif _ARCHIVE.search(base):
        name = re.split(r"-(?=\d)|-py\d", re.sub(r"(?i)\.(?:whl|zip|tar|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|egg"
                                                 r"|conda|tar\.zst)$", "", base), maxsplit=1)[0]
    else:
        name = base.removesuffix(".git")
    name = name.replace("_", "-")
    if not _REQUIREMENT_NAME.fullmatch(name or "-"):
        return None
    shown = _USERINFO.sub(r"\1***@", text)
    return InstallArgument(name, f"{name} @ {shown}", PYPI, offset=_offset(word))


def _canonical_option(grammar: _Grammar, word: str) -> str:
    option = word.partition("=")[0]
    if option in grammar.values or not (grammar.abbreviations and option.startswith("--")):
        return option
    matches = [value for value in grammar.values | grammar.flags if value.startswith(option)]
    return matches[0] if len(matches) == 1 else option


def _option_value(grammar: _Grammar, word: str, arguments: Sequence[str],
                  index: int) -> tuple[str, str | None, int]:
    """The option ``word`` sets (canonical), its value (None for a flag) and the index after it."""
    if word.startswith("--"):
        _, has_value, value = word.partition("=")
        canonical = _canonical_option(grammar, word)
        if canonical not in grammar.values and canonical not in grammar.names:
            return canonical, None, index  # a flag, or an option unknown here: never let it swallow a package
        if has_value:
            return canonical, _field_like(word, value), index
        return (canonical, arguments[index], index + 1) if index < len(arguments) else (canonical, "", index)
    for position in range(1, len(word)):  # a short cluster: `-qr FILE`, `-rFILE`, `-Uq`
        option = f"-{word[position]}"
        if option in grammar.values or option in grammar.names:
            attached = word[position + 1:]
            if attached:
                return option, _field_like(word, attached.removeprefix("=")), index
            return (option, arguments[index], index + 1) if index < len(arguments) else (option, "", index)
    return word, None, index


def requirement_argument(word: str, ecosystem: str = PYPI, at_version: bool = False) -> InstallArgument | None:
    """The package an install argument names, or None for a URL, a path, an archive or a template placeholder.

    A word the shell completes at run time (``$PKG``, ``"$(cat x)"``, ``fake$X``) is an undetermined argument,
    unless its name is written in full before the unknown part (``django==$VERSION``) or it is a location
    (``./$X``, ``$WHEEL_DIR/x.whl``).
    """
    text = word.strip()
    offset = _offset(word)
    if UNKNOWN in text:
        return _partly_known(word, text, ecosystem, at_version, offset)
    if not text or _is_template(text):
        return None
    named = _NAMED_AT.match(text) if ecosystem == PYPI else None
    if named is not None:  # `name @ URL`: installed from that URL, not from the index
        return InstallArgument(named.group(1), _USERINFO.sub(r"\1***@", text), PYPI, offset=offset)
    if ecosystem == CONDA and "::" in text and not _is_location(text.rpartition("::")[2]):
        channel, _, spec = text.rpartition("::")  # `conda-forge/label/main::x`, `https://host/c::x`: as `-c`
        match = _CONDA_SPEC.match(spec)
        if match is None:
            return None
        shown = _USERINFO.sub(r"\1***@", channel)
        return InstallArgument(match.group("name"), f"{spec} --channel {shown}", CONDA, offset=offset)
    if _is_location(text):
        return _direct_argument(word) if ecosystem == PYPI else None
    if ecosystem == CONDA:
        match = _CONDA_SPEC.match(text)
        return None if match is None else InstallArgument(match.group("name"), text, CONDA, offset=offset)
    match = _REQUIREMENT_NAME.match(text)
    if match is None or not _AFTER_NAME.match(text, match.end()):
        return None  # not a requirement: the installer would refuse it
    rest = text[match.end():].lstrip()
    if at_version and (pinned := _AT_VERSION.fullmatch(text)) is not None:
        return InstallArgument(match.group(), _index_requirement(pinned), PYPI, offset=offset)
    if rest.startswith("@") and not at_version:
        after = rest[1:].strip()
        if after and not re.match(r"[\^~=<>!0-9*]|latest\b", after):  # `name @ URL`: installed from that URL
            return InstallArgument(match.group(), _USERINFO.sub(r"\1***@", text), PYPI, offset=offset)
    return InstallArgument(match.group(), text, PYPI, offset=offset)


_AT_VERSION = LazyPattern(r"(?P<head>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?)\s*@\s*"
                          r"(?:(?P<latest>latest)|(?P<loose>[\^~](?!=)[\w.*+!-]*)|(?P<version>[0-9*][\w.*+!-]*)|"
                          r"(?P<specifier>(?:===|==|!=|~=|<=|>=|<|>)\s*[\w.*+!,<>=~ -]*))")
"""``NAME@VERSION``, ``NAME@latest`` and Poetry's ``NAME@^1.2``/``NAME@>=1,<2``: a version from the index (uv's
tool commands, Poetry), not ``NAME @ URL``."""


def _index_requirement(pinned: re.Match[str]) -> str:
    """``ruff@0.6.0`` as ``ruff==0.6.0``, ``ruff@latest`` and Poetry's ``x@^1.2`` as ``ruff``/``x`` (any version
    from the index), ``x@>=1,<2`` as ``x>=1,<2``: the requirement written as pip and the approvals read it."""
    head = re.sub(r"\s+", "", pinned.group("head"))
    if pinned.group("version") and pinned.group("version") != "*":
        return f"{head}=={pinned.group('version')}"
    if pinned.group("specifier"):
        return head + re.sub(r"\s+", "", pinned.group("specifier"))
    return head


def _partly_known(word: str, text: str, ecosystem: str, at_version: bool, offset: int) -> InstallArgument | None:
    known = text.split(UNKNOWN, 1)[0]
    if known and (_is_location(known + "x") or known.startswith(("-", "{"))):
        return None
    name = _REQUIREMENT_NAME.match(known) if known else None
    if name is not None and name.end() < len(known):
        complete = requirement_argument(known, ecosystem, at_version)
        if complete is not None:  # `django==$V`, `x[$EXTRAS]`: the name is written in full
            return InstallArgument(complete.name, _shown(word), ecosystem, offset=offset)
        if _is_location(known):
            return None
    shown = _shown(word)
    return InstallArgument(shown, shown, ecosystem, determined=False, offset=offset)


def _is_template(text: str) -> bool:
    """Text a template fills in (``{name}``, ``{{ x }}``, ``<package>``): a placeholder, not a name; text with
    ``$`` or backquotes left after the shell read it is refused by the installer."""
    return any(mark in text for mark in ("$", "`", "{", "}"))


def _is_location(text: str) -> bool:
    """A URL, a local path or an archive: pip installs it from there, not from the index by name."""
    if "://" in text or re.match(r"(?i)(?:git|hg|svn|bzr)\+|file:", text):
        return True
    if text.startswith((".", "/", "~", "\\")) or re.match(r"[A-Za-z]:[\\/]", text):
        return True
    head = re.split(r"[\[<>=!~;@ ]", text, maxsplit=1)[0]
    return "/" in head or "\\" in head or bool(_ARCHIVE.search(head))


def iter_arguments(commands: Sequence[InstallCommand]) -> Iterator[tuple[InstallCommand, InstallArgument]]:
    for command in commands:
        for argument in command.arguments:
            yield command, argument


# The data flow of a script: what its commands hand on to the installs after them.

_POSITIONAL = LazyPattern(r'"\$\{?([1-9@*])\}?"|\$\{?([1-9@*])\}?')
_SAFE_VALUE = LazyPattern(r"[\w.@%+=:,/\[\]<>!~-]+")
_EXPORTERS = LazyPattern(r"^(?:(?:poetry|uv|pdm) export|pipenv requirements|pip(?:[0-9.]*) (?:freeze|list)|"
                         r"(?:uv pip|pip-compile|pip-tools) ?compile|pip-compile)\b")
"""Commands whose output lists what the project or the environment already has (``poetry export >
requirements.txt``): installing it adds nothing the manifests do not show."""
_REQUIREMENT_VARIABLE = LazyPattern(r"\$\{([A-Z0-9_]+)\}")


def _followed(command: SimpleCommand, context: _Context) -> list[InstallCommand]:
    """The install commands one simple command runs, with its aliases, functions and sourced text expanded and
    what it reads from standard input, a process substitution or a file the script wrote read as written."""
    words: list[str] = list(command.words)
    flow = context.flow
    if flow is not None and words:
        first = str(words[0])
        if first in flow.aliases and first not in context.expanding and getattr(words[0], "source", "") == first:
            return _placed(_aliased(first, words, context), _offset(words[0]))
        if first in flow.functions and first not in context.expanding:
            return _called(flow.functions[first], words, context)
        if first in ("source", ".") and context.computed and (len(words) == 1 or words[1] in _STDIN_PATHS):
            return [_computed_run(first, context.computed, _offset(words[0]))]  # `... | source /dev/stdin`
        if first in ("source", ".") and context.fed_files and (len(words) == 1 or words[1] in _STDIN_PATHS):
            return [_runs(words, list(context.fed_files), "shell")]  # `cat vars.sh | source /dev/stdin`
        if first in ("source", ".") and len(words) > 1 and words[1] in _STDIN_PATHS and context.stdin:
            return [found for text, offset in context.stdin if not text.startswith(UNKNOWN)  # `<<< "..."`
                    for found in _script(text, offset, context.depth + 1, context.flow, context.expanding,
                                         context.environment)]
        if first in ("source", ".") and len(words) > 1:
            return _sourced(words, context)
    return _resolved(_commands(words, context), context)


def _placed(found: list[InstallCommand], offset: int) -> list[InstallCommand]:
    """``found`` (read from text written elsewhere: an alias, a function body) placed at the call."""
    return [InstallCommand(command.tool, command.words, tuple(argument.at(offset) for argument in command.arguments),
                           offset, command.inputs, command.environment) for command in found]


def _spend(context: _Context, text: str, what: str, offset: int) -> list[InstallCommand] | None:
    """Charge reading ``text`` again to the script's budget; past it, what it runs is undetermined (when it may
    install) — never passed."""
    flow = context.flow
    if flow is None or context.depth >= _MAX_DEPTH:
        return _past_budget(text, what, offset, flow)
    flow.budget -= len(text) + 64
    if flow.budget < 0:
        return _past_budget(text, what, offset, flow)
    return None


def _past_budget(text: str, what: str, offset: int, flow: _Flow | None) -> list[InstallCommand]:
    """What text no longer read runs: undetermined when it may install, or when it runs an alias or a function
    of the script, which may (a chain of ten aliases ending in ``pip install``: attack F11); else nothing."""
    names = {word for line in text.split("\n") for word in line.split()[:1]}
    runs_more = flow is not None and any(name in flow.aliases or name in flow.functions for name in names)
    return [_undetermined(what, text, offset)] if may_install(text) or runs_more else []


def _aliased(name: str, words: list[str], context: _Context) -> list[InstallCommand]:
    """``alias p=pip`` then ``p install x``: the alias's text in place of the word, read again."""
    value = context.flow.aliases[name] if context.flow is not None else ""
    text = " ".join([value, *(_quoted(word) for word in words[1:])])
    refused = _spend(context, text, f"the alias {name}", _offset(words[0]))
    if refused is not None:
        return refused
    return _script(text, _offset(words[0]), context.depth + 1, context.flow, context.expanding | {name},
                   context.environment)


def _called(function: FunctionDefinition, words: list[str], context: _Context) -> list[InstallCommand]:
    """A call of a function the script defines: its body with the call's arguments for ``$@``/``$1``..., read
    again (its commands without them were read where it is defined). A function named like an installer or a
    wrapper is read as that command too."""
    also = _resolved(_commands(words, context), context) if _program(words[0]) in _READ_PROGRAMS else []
    if not _POSITIONAL.search(function.body) or len(words) < 2:
        return also
    arguments = [_quoted(word) for word in words[1:]]

    def argument(match: re.Match[str]) -> str:
        which = match.group(1) or match.group(2)
        if which in "@*":
            return " ".join(arguments)
        index = int(which)
        return arguments[index - 1] if index <= len(arguments) else ""

    body = _POSITIONAL.sub(argument, function.body)
    refused = _spend(context, body, f"the function {function.name}", _offset(words[0]))
    if refused is not None:
        return also + refused
    expanding = context.expanding | {function.name}
    inner = _script(body, function.offset, context.depth + 1, context.flow, expanding, context.environment)
    return also + _not_found_yet(also + _as_defined(function, context, expanding), _placed(inner, _offset(words[0])))


def _as_defined(function: FunctionDefinition, context: _Context, expanding: frozenset[str]) -> list[InstallCommand]:
    """What the body installs whatever the call's arguments (read where the function is defined): a call
    reports only what its arguments add."""
    flow = context.flow
    if flow is None:
        return []
    if function.name not in flow.defined:
        flow.defined[function.name] = [command for command in _script(
            function.body, function.offset, context.depth + 1, flow, expanding) if command.determined]
    return flow.defined[function.name]


def _quoted(word: str) -> str:
    """``word`` written so that the shell reads it back as the same one field (an unknown one stays unknown)."""
    if UNKNOWN in word:
        return '"$__unknown"'
    return word if _SAFE_VALUE.fullmatch(word) else shlex.quote(word)


def _sourced(words: list[str], context: _Context) -> list[InstallCommand]:
    """``source FILE``/``. FILE``: the file runs in this shell; read when the script wrote it or it is a process
    substitution (``source <(echo ...)``)."""
    if _runs_variable(words[1]):
        return [_runtime_command(words[1], f"{words[0]} runs the file")]
    text = _file_text(words[1], context)
    if text is not None and text.startswith(UNKNOWN):
        program = _computing(getattr(words[1], "produced", None) or [])
        return [_computed_run(words[0], program, _offset(words[1]))] if program else []
    if text is None:
        return [_runs(words, [words[1]], "shell")]
    refused = _spend(context, text, f"{words[0]} {words[1]}", _offset(words[1]))
    if refused is not None:
        return refused
    return _placed(_script(text, _offset(words[1]), context.depth + 1, context.flow, context.expanding,
                           context.environment),
                   _offset(words[1]))


def _file_text(word: str, context: _Context) -> str | None:
    """What a file argument holds when the text says it: a process substitution's output, a file the script
    wrote; :data:`UNKNOWN` when it is one of those but its content is not known; None otherwise."""
    found = _file_content(word, context)
    return None if found is None else found[0]


def _file_content(word: str, context: _Context) -> tuple[str, int] | None:
    """:func:`_file_text`, and where that text is written."""
    from hallucheck.sources.shell_output import file_key

    flow = context.flow
    if getattr(word, "substituted", False):
        commands = getattr(word, "produced", None)
        if commands is None or flow is None:
            return UNKNOWN, _offset(word)
        parts = [_output(command, flow) for command in commands]
        if any(text is None for text, _ in parts):
            return UNKNOWN, _offset(word)
        return "".join(text or "" for text, _ in parts), parts[0][1] if parts else _offset(word)
    if flow is not None and UNKNOWN not in word and file_key(word) in flow.files:
        content = flow.files[file_key(word)]
        return (UNKNOWN if content is None else content), flow.places.get(file_key(word), _offset(word))
    return None


def _stdin(command: SimpleCommand, flow: _Flow) -> list[tuple[str, int]]:
    """What the command reads on standard input: its here-documents and here-strings, else what a pipe carries
    or a file redirected in (:data:`UNKNOWN`, followed by the file's name when it is not the script's)."""
    from hallucheck.sources.shell_output import file_key

    if command.stdin:
        return list(command.stdin)
    for how, target in command.redirects:
        if how == "<":
            content = flow.files.get(file_key(target)) if file_key(target) in flow.files else None
            return [(content if content is not None else UNKNOWN + target, _offset(target))]
    if command.piped:
        parts = [_output(feeder, flow) for feeder in command.feeders or []]
        if command.feeders is None or any(text is None for text, _ in parts):
            return [(UNKNOWN, command.offset)]
        return [("".join(text or "" for text, _ in parts), parts[0][1] if parts else command.offset)]
    return []


def _output(command: SimpleCommand, flow: _Flow) -> tuple[str | None, int]:
    """What ``command`` prints (read once; None: not known from the text), and where that text is written."""
    from hallucheck.sources.shell_output import file_key, printed

    key = id(command)
    if key not in flow.outputs:
        flow.outputs[key] = (None, command.offset)  # a pipe that feeds itself is not followed
        stdin = _stdin(command, flow)
        known = None if any(text.startswith(UNKNOWN) for text, _ in stdin) else "".join(text for text, _ in stdin)
        words = [str(word) for word in command.words]
        place = stdin[0][1] if len(stdin) == 1 and words[:1] in (["cat"], ["tee"]) else command.offset
        if words[:1] == ["cat"] and len(words) == 2 and file_key(words[1]) in flow.places:
            place = flow.places[file_key(words[1])]
        flow.outputs[key] = (printed(words, known, flow.files), place)
    return flow.outputs[key]


def _effects(command: SimpleCommand, stdin: list[tuple[str, int]], flow: _Flow) -> None:
    """Record what ``command`` leaves for the commands after it: the files it writes, the aliases it defines."""
    from hallucheck.sources.shell_output import MAX_OUTPUT, file_key

    words = [str(word) for word in command.words]
    if not words and command.assignments:  # `PIP_REQUIREMENT=r.txt` alone: the name may be exported already
        _export(flow, _variables(command.assignments, command.offset))
    elif words[:1] == ["unset"]:
        for name in words[1:]:
            flow.exported.pop(name, None)
    elif words and _program(words[0]) in _EXPORTING:
        _export(flow, _variables([word for word in command.words[1:] if "=" in word], command.offset))
    if words[:1] == ["alias"]:
        for definition in words[1:]:
            name, equals, value = definition.partition("=")
            if equals and UNKNOWN not in definition:
                flow.aliases[name] = value
    writes = [(how, target) for how, target in command.redirects if ">" in how and UNKNOWN not in target]
    for path in _rewritten(words):  # `sed -i ... r.txt`, `curl -o r.txt URL`: rewritten, content not in the text
        _write(flow, file_key(path), None, False, command.offset)
    if words[:1] == ["tee"]:
        known = None if any(text.startswith(UNKNOWN) for text, _ in stdin) else "".join(text for text, _ in stdin)
        append = any(re.fullmatch(r"-[a-z]*a[a-z]*|--append", word) for word in words[1:])
        for word in words[1:]:
            if not word.startswith("-") and UNKNOWN not in word:
                _write(flow, file_key(word), known, append, stdin[0][1] if stdin else command.offset)
    if not writes:
        return
    output, place = _output(command, flow)
    if output is None and _EXPORTERS.search(" ".join(words)):
        output = ""  # what the project or the environment already has
    for how, target in writes:
        content = None if how == "?>" else output
        _write(flow, file_key(target), content, ">>" in how, place)
        if content is not None and len(flow.files.get(file_key(target)) or "") > MAX_OUTPUT:
            flow.files[file_key(target)] = None


def _export(flow: _Flow, variables: Sequence[Variable]) -> None:
    """Record ``variables`` as set for the commands after (bounded: :data:`_MAX_VARIABLES`)."""
    for variable in variables:
        if variable.name in flow.exported or len(flow.exported) < _MAX_VARIABLES or (
                variable.name in _ENVIRONMENT_FILES or variable.name in _CONFIG_HOMES):
            flow.exported[variable.name] = variable


_CHECKOUTS = _options("git yadm")
"""Programs whose ``checkout``/``restore`` rewrite the paths they name (yadm is git for dotfiles)."""


def _rewritten(words: list[str]) -> list[str]:
    """The files a command writes or edits in place whose content its text does not tell (attack E33): ``sed
    -i``/``perl -i`` edit their operands, ``curl -o``/``wget -O`` download into one, ``cp``/``mv``/``install``/
    ``rsync``/``ln`` write their last operand, ``dd of=``, ``git checkout``/``restore`` the paths they name."""
    program = _program(words[0]) if words else ""
    rest = words[1:]
    operands = [word for word in rest if not word.startswith("-") and UNKNOWN not in word]
    if program in ("sed", "gsed", "perl") and any(
            word.startswith("--in-place") or re.fullmatch(r"-[a-zA-Z]*i\S*", word) for word in rest):
        return operands
    if program in ("curl", "wget"):
        letter, long = ("o", "--output") if program == "curl" else ("O", "--output-document")
        named = [rest[index + 1] for index, word in enumerate(rest[:-1])
                 if word == long or (word[:1] == "-" and word[1:2] != "-" and word.endswith(letter))]
        named += [word.partition("=")[2] for word in rest if word.partition("=")[0] == long and "=" in word]
        named += [word.partition(letter)[2] for word in rest  # `-oFILE`, `-sSLoFILE`
                  if word[:1] == "-" and word[1:2] != "-" and letter in word[1:-1]]
        if program == "curl" and any(word in ("-O", "--remote-name") for word in rest):
            named += [operand.rstrip("/").rpartition("/")[2] for operand in operands if "://" in operand]
        return [path for path in named if path and UNKNOWN not in path]
    if program in ("cp", "mv", "install", "rsync", "ln", "scp") and len(operands) >= 2:
        return operands[-1:]
    if program == "dd":
        return [word[3:] for word in rest if word.startswith("of=") and UNKNOWN not in word]
    if program in _CHECKOUTS and operands[:1] in (["checkout"], ["restore"]):
        return rest[rest.index("--") + 1:] if "--" in rest else operands[1:]
    return []


def _write(flow: _Flow, path: str, content: str | None, append: bool, place: int) -> None:
    if path in ("/dev/null", "/dev/stdout", "/dev/stderr"):
        return
    if append and path in flow.files:
        before = flow.files[path]
        joined = None if before is None or content is None else before + content
        flow.files[path] = joined if joined is None or len(joined) <= _FLOW_BUDGET else None  # past it: unknown
    else:
        flow.files[path] = content
        flow.places[path] = place


def _resolved(found: list[InstallCommand], context: _Context) -> list[InstallCommand]:
    """``found`` with the requirements files the script's text spells out read as requirements: standard
    input fed by a here-document, a here-string or a pipe (``-r /dev/stdin``), a process substitution
    (``-r <(printf ...)``), a file the script wrote (``echo x > r.txt; pip install -r r.txt``). Such a file
    whose content the text does not tell is an undetermined argument (never passed)."""
    if not any(command.inputs for command in found):
        return found
    return [_resolved_command(command, context) for command in found]


def _resolved_command(command: InstallCommand, context: _Context) -> InstallCommand:
    arguments = list(command.arguments)
    inputs: list[DiskInput] = []
    for item in command.inputs:
        if item.project:
            inputs.append(item)
            continue
        text, place, kept = _input_text(item, context)
        if item.runs and text is not None:  # a script the command wrote, then runs: read as its kind (attack E32)
            if text.startswith(UNKNOWN):
                arguments.append(_unknown_input(item))
            else:
                inputs.append(DiskInput(item.path, text=text, runs=item.runs))
            continue
        inputs += kept
        if text is None:
            continue
        if text.startswith(UNKNOWN):
            arguments.append(_unknown_input(item))
            continue
        if context.flow is not None:  # read again for each install from it: charged to the script (attack H25)
            context.flow.budget -= len(text)
            if context.flow.budget < 0:
                arguments.append(_unknown_input(item))
                continue
        piped = context.piped_from >= 0 and item.path in _STDIN_PATHS
        more, nested = _requirements_text(text, -1 if piped else place, context)
        arguments += [argument.at(_offset(item.path)) if piped else argument for argument in more]
        inputs += nested
    offset = min(command.offset, context.piped_from) if context.piped_from >= 0 else command.offset
    return InstallCommand(command.tool, command.words, tuple(arguments), offset, tuple(inputs), command.environment)


def _input_text(item: DiskInput, context: _Context) -> tuple[str | None, int, list[DiskInput]]:
    """The text a requirements input holds as the script's text tells (None: a file on disk) and where it is
    written, and the inputs that stay to be read from disk (a file the script may or may not have written, a
    file redirected in)."""
    path = item.path
    if item.text is not None:
        return item.text, -1, []
    if path in _STDIN_PATHS and not getattr(path, "substituted", False):
        fed = [text for text, _ in context.stdin]
        redirected = [text[1:] for text in fed if text.startswith(UNKNOWN) and len(text) > 1]
        if redirected:
            return None, -1, [DiskInput(_field_like(path, name)) for name in redirected]
        if not fed or any(text.startswith(UNKNOWN) for text in fed):
            return UNKNOWN, _offset(path), []
        return "\n".join(fed), context.stdin[0][1], []
    found = _file_content(path, context)
    if found is None:
        return None, -1, [item]
    kept = [] if getattr(path, "substituted", False) else [DiskInput(item.path, written=True)]
    return found[0], found[1], kept


def _unknown_input(item: DiskInput) -> InstallArgument:
    shown = f"-r {_shown(item.path)} (what the command reads there is known only when it runs)"
    return InstallArgument(shown, shown, PYPI, determined=False, offset=_offset(item.path))


def _requirements_text(text: str, offset: int, context: _Context) -> tuple[list[InstallArgument], list[DiskInput]]:
    """The packages a requirements file's text names, read with pip's grammar (a line is a requirement or
    options; ``-r FILE`` inside reads that file the same way); offsets from ``offset`` (-1: unknown)."""
    from hallucheck.sources.shell import Field

    words: list[str] = []
    position = 0
    for line in text.replace("\\\n", "  ").split("\n"):
        at = offset + position if offset >= 0 else -1
        position += len(line) + 1
        line = re.sub(r"(?:^|\s)#.*", "", line).strip()
        if not line:
            continue
        if "${" in line:  # pip expands it from the environment: the command's own variables, else unknown
            line = _REQUIREMENT_VARIABLE.sub(functools.partial(_expanded, dict(
                (variable.name, variable.value) for variable in context.environment)), line)
        if line.startswith("-"):
            words += [Field(part, at) for part in line.split()]
        else:
            words.append(Field(line, at))
    if context.depth > _MAX_DEPTH or not words:
        return [], []
    nested = _resolved_command(_parse(_PIP_INSTALL, ["pip", "install"], words), context.deeper())
    return list(nested.arguments), list(nested.inputs)


def _expanded(known: dict[str, str], match: re.Match[str]) -> str:
    """The value of ``${NAME}`` the command sets, else :data:`UNKNOWN`."""
    return known.get(match.group(1), UNKNOWN)


# Python code run by `python -c CODE` or fed on standard input (hallucheck.sources.python_installs says more).

_RUNS_SHELL = frozenset({"system", "popen", "getoutput", "getstatusoutput", "check_output", "run", "call",
                         "check_call", "Popen", "spawn", "startfile"})
_RUNS_WORDS = frozenset({"execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "execlpe", "spawnv",
                         "spawnve", "spawnvp", "spawnvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe",
                         "posix_spawn", "posix_spawnp", "create_subprocess_exec", "create_subprocess_shell",
                         "run_module", "run_path"})
"""Names of functions that run a command (by attribute or by name: ``subprocess.run``, ``from os import system``)."""
_INSTALL_VERBS = frozenset({"install", "download", "wheel"})
_MAX_NODES = 200_000
"""Bigger code is not walked: it is undetermined when it names an installer (an agent's ``python -c`` is small)."""


def python_install_commands(code: str, base: int = 0) -> list[InstallCommand]:
    """The install commands Python ``code`` would run, with offsets counted from ``base``; undetermined ones
    for a computed command, or for code that names an installer and cannot be read."""
    if not may_install(code):
        return []
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return [_python_undetermined("python code that does not parse", base)]
    found: list[InstallCommand] = []
    computed = False
    loops = _EVENT_LOOPS - _rebound(tree, _EVENT_LOOPS)
    for count, node in enumerate(ast.walk(tree)):
        if count > _MAX_NODES:
            return [*found, _python_undetermined("python code too long to read", base)]
        if isinstance(node, ast.Call):
            found += _python_call(node, base) + _executed(node, base)
            computed = computed or _runs_computed(node, loops)
        elif isinstance(node, (ast.Constant, ast.JoinedStr, ast.BinOp)):
            text = _python_string(node)
            if text is not None and _is_outermost_python_string(node):
                found += install_commands(text, base)
        elif isinstance(node, (ast.List, ast.Tuple)):
            words = _python_words(node.elts)
            commands = _word_commands(words) if words else []
            if not any(command.arguments for command in commands):  # `map(os.system, ["pip install x"])`
                commands = [command for word in words if " " in word for command in install_commands(word, base)]
            found += commands
    if computed and not any(command.arguments for command in found):
        found.append(_python_undetermined("a command python code computes", base))
    return found


def _python_call(node: ast.Call, base: int) -> list[InstallCommand]:
    """``os.execlp("pip", "pip", "install", "x")``: the command's words given one per argument."""
    if _callee(node.func) not in _RUNS_WORDS:
        return []
    words = _python_words(node.args)
    found: list[InstallCommand] = []
    for start in range(min(len(words), 3)):
        found += command_of(words[start:])
        if any(command.arguments for command in found):
            break
    return found


_RUNS_CODE = frozenset({"exec", "eval", "compile"})


def _executed(node: ast.Call, base: int) -> list[InstallCommand]:
    """``exec(CODE)``/``eval``/``compile``: the code read as Python when it is written or computed from literals
    (``exec(bytes.fromhex("..."))``, ``exec(base64.b64decode("..."))``); code computed otherwise is known only
    when it runs (undetermined), never passed."""
    if _callee(node.func) not in _RUNS_CODE or not node.args:
        return []
    first = node.args[0]
    text = _python_string(first)
    if text is None or "$__computed" in text:
        value = _literal_value(first)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        text = value if isinstance(value, str) else None
    if text is None:
        return [_python_undetermined(f"python code that runs code it computes ({_callee(node.func)})", base)]
    return python_install_commands(text, base)


def _literal_value(node: ast.expr) -> object:
    """What ``node`` computes from literals through pure functions (:mod:`.python_fold`), or None."""
    from hallucheck.sources.python_fold import PURE_MODULES, Folder, Unfolded

    def callee(function: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(function, ast.Attribute):
            parts.append(function.attr)
            function = function.value
        return ".".join([function.id, *reversed(parts)]) if isinstance(function, ast.Name) else None

    folder = Folder(lambda name, scope: None if name in PURE_MODULES else [], callee,
                    lambda name: name if name in PURE_MODULES else None)
    try:
        return folder.fold(node, None)
    except (Unfolded, RecursionError, MemoryError, OverflowError, ValueError, TypeError):
        return None


def _word_commands(words: list[str]) -> list[InstallCommand]:
    """A list of words as one command (``["pip", "install", "x"]``), or pip's arguments (``["install", "x"]``)."""
    if words[0] in _INSTALL_VERBS:
        return command_of(["pip", *words])
    return command_of(words)


_EVENT_LOOPS = frozenset({"asyncio", "trio", "anyio", "curio", "uvloop"})
"""Modules whose ``run`` runs a coroutine, not a command (``asyncio.run(main())``)."""


def _rebound(tree: ast.AST, names: frozenset[str]) -> set[str]:
    """Which of ``names`` the code binds to anything but the module of that name (``import subprocess as
    asyncio``, ``from x import asyncio``, ``asyncio = subprocess``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(alias.asname or alias.name for alias in node.names if (alias.asname or alias.name) in names
                         and (isinstance(node, ast.ImportFrom) or alias.name != (alias.asname or alias.name)))
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and node.id in names:
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.arg)):
            bound = node.arg if isinstance(node, ast.arg) else node.name
            if bound in names:
                found.add(bound)
    return found


def _runs_computed(node: ast.Call, loops: frozenset[str]) -> bool:
    """A call of a function that runs a command, whose command is not written in the code; ``loops`` are the
    event-loop modules (:data:`_EVENT_LOOPS`) the code does not rebind."""
    if _callee(node.func) not in _RUNS_SHELL | _RUNS_WORDS or not node.args:
        return False
    function = node.func
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and (
            function.value.id in loops and function.attr == "run"):
        return False  # asyncio.run(main()): a coroutine, not a command
    first = node.args[0]
    if isinstance(first, (ast.List, ast.Tuple)):
        return any(UNKNOWN in word for word in _python_words(first.elts))
    text = _python_string(first)
    return text is None or "$__computed" in text


def _callee(function: ast.expr) -> str:
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return ""


def _is_outermost_python_string(node: ast.expr) -> bool:
    """Strings inside a concatenation are read as the whole (``"p" + "ip install x"``)."""
    return not getattr(node, "_hallucheck_inner", False)


def _python_string(node: ast.expr) -> str | None:
    """The text a string expression makes (computed parts as an unknown shell variable), or None."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            value._hallucheck_inner = True  # type: ignore[attr-defined]
            text = _python_string(value) if isinstance(value, ast.Constant) else None
            parts.append("$__computed" if text is None else text)
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _python_string(node.left), _python_string(node.right)
        if left is None and right is None:
            return None
        node.left._hallucheck_inner = True  # type: ignore[attr-defined]
        node.right._hallucheck_inner = True  # type: ignore[attr-defined]
        return (left if left is not None else "$__computed") + (right if right is not None else "$__computed")
    return None


def _python_words(elements: list[ast.expr]) -> list[str]:
    """The words of a list of arguments: ``sys.executable`` is ``python``; a computed one is unknown."""
    words: list[str] = []
    for element in elements:
        if isinstance(element, ast.Attribute) and element.attr == "executable":
            words.append("python")
            continue
        text = _python_string(element)
        if text is not None and "$__computed" not in text:
            element._hallucheck_inner = True  # type: ignore[attr-defined]
            words.append(text)
        else:
            words.append(UNKNOWN)
    return words if any(UNKNOWN not in word for word in words) else []


def _python_undetermined(what: str, offset: int) -> InstallCommand:
    argument = InstallArgument(f"({what})", what, PYPI, determined=False, offset=offset)
    return InstallCommand("python", ("python", "-c", "..."), (argument,), offset)

