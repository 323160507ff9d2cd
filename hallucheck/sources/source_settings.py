"""Commands that change where installs fetch packages from, without naming a package (ATTACK3 C1).

Each is read as a :data:`Setting`, which :mod:`.install_commands` makes an ``InstallArgument`` whose
``sets_source`` is True: its name shows the setting as written, its requirement holds it as pip's source
options after ``*`` (every package), so that the project's own sources can be compared with it.
The caller asks or reviews each (HC043), as for ``pip install -i URL``:

* an environment variable pip, uv, pdm or conda reads (``PIP_INDEX_URL``, ``UV_DEFAULT_INDEX``,
  ``PIP_CONFIG_FILE``, ``CONDA_CHANNELS``, ...) assigned before a command, alone on a line, by ``export``/
  ``declare``/``env``/``sudo VAR=value``: every install after it in that shell reads it;
* the source options of a command that installs what no argument of its own names (``uv sync --index URL``,
  ``uv lock --index-url URL``, ``pip install -i URL -r requirements.txt``);
* persistent configuration, after which every plain install fetches from there: ``pip config set
  global.index-url URL``, ``poetry source add NAME URL``, ``poetry config repositories.NAME URL``, ``pdm config
  pypi.url URL``, ``conda config --add channels NAME`` (also ``--prepend``/``--append``/``--set channel_alias``,
  mamba, micromamba's ``config append``), ``pixi project channel add NAME``.

Pure: words in, settings out.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Sequence
from typing import TypeAlias

PYPI, CONDA = "pypi", "conda"
UNKNOWN = "\x00"
Setting: TypeAlias = tuple[str, str, str, int]
"""(the setting as shown, its requirement: ``*`` and source options, ecosystem, character offset)."""

ENVIRONMENT_OPTIONS = {
    "PIP_INDEX_URL": "--index-url", "PIP_EXTRA_INDEX_URL": "--extra-index-url", "PIP_FIND_LINKS": "--find-links",
    "PIP_TRUSTED_HOST": "--trusted-host", "PIP_NO_INDEX": "", "PIP_CONFIG_FILE": "",
    "UV_INDEX_URL": "--index-url", "UV_EXTRA_INDEX_URL": "--extra-index-url", "UV_INDEX": "--index",
    "UV_DEFAULT_INDEX": "--default-index", "UV_FIND_LINKS": "--find-links", "UV_INSECURE_HOST": "--trusted-host",
    "UV_CONFIG_FILE": "", "PDM_PYPI_URL": "--index", "CONDA_CHANNELS": "--channel",
    "CONDA_CHANNEL_ALIAS": "--channel",
}  # fmt: skip
"""The environment variables that choose a package source, and the option each stands for (``""``: a
configuration file or a switch, which no option spells: always asked)."""
_EXPORTERS = frozenset({"export", "declare", "typeset", "readonly", "local"})
_PIP_CONFIG_KEYS = {"index-url": "--index-url", "extra-index-url": "--extra-index-url",
                    "find-links": "--find-links", "trusted-host": "--trusted-host", "no-index": "",
                    "index": "--index-url"}  # fmt: skip
_CONDA_LISTS = frozenset({"channels", "default_channels"})
_CONDA_ADDS = frozenset({"--add", "--prepend", "--append", "add", "prepend", "append"})
_CONDA_SETS = frozenset({"--set", "set"})
_SOURCE_VALUES = {"--index": "--index", "--index-url": "--index-url", "-i": "--index-url",
                  "--extra-index-url": "--extra-index-url", "--default-index": "--default-index",
                  "--find-links": "--find-links", "-f": "--find-links"}  # fmt: skip


def setting(shown: str, option: str, value: str, offset: int, ecosystem: str = PYPI) -> Setting:
    """One source setting: ``shown`` as written, read as ``option value`` (no option: always asked)."""
    location = re.sub(r"(://)[^/@\s]*@", r"\1***@", value.strip())
    requirement = f"* {option} {location}" if option and location and UNKNOWN not in location else "*"
    shown = re.sub(r"(://)[^/@\s]*@", r"\1***@", shown.replace(UNKNOWN, "$?"))
    return shown, requirement, ecosystem, offset


def environment_settings(assignments: Sequence[str], offset: int) -> list[Setting]:
    """The settings among ``NAME=value`` assignments (as written: quotes are removed here)."""
    found = []
    for assignment in assignments:
        name, equals, value = str(assignment).partition("=")
        name = name.removeprefix("export ").strip()
        if not equals or name not in ENVIRONMENT_OPTIONS:
            continue
        at = int(getattr(assignment, "offset", offset))
        found.append(setting(f"{name}={value}", ENVIRONMENT_OPTIONS[name], _unquoted(value), at,
                             CONDA if name.startswith("CONDA_") else PYPI))
    return found


def _unquoted(value: str) -> str:
    if not value or not any(char in value for char in "'\"\\"):
        return value
    try:
        parts = shlex.split(value)
    except ValueError:
        return value
    return parts[0] if len(parts) == 1 else value


def exported(words: Sequence[str]) -> list[Setting]:
    """``export NAME=value`` (``declare -x``, ``typeset``, ``readonly``, ``local``)."""
    if not words or posixpath.basename(words[0]) not in _EXPORTERS:
        return []
    return environment_settings([word for word in words[1:] if "=" in word], int(getattr(words[0], "offset", -1)))


def option_settings(rest: Sequence[str], offset: int) -> list[Setting]:
    """The source options among ``rest`` (``uv sync --index URL``, ``uv lock --index-url=URL``)."""
    found = []
    index = 0
    while index < len(rest):
        word = rest[index]
        index += 1
        if word == "--":
            break
        option, equals, value = word.partition("=")
        if option not in _SOURCE_VALUES:
            continue
        if not equals:
            if index >= len(rest):
                break
            value, index = rest[index], index + 1
        found.append(setting(f"{option} {value}", _SOURCE_VALUES[option], value, offset))
    return found


def config_settings(program: str, words: Sequence[str], rest: Sequence[str]) -> list[Setting]:
    """The settings of an installer's configuration command (``pip config set global.index-url URL``)."""
    offset = int(getattr(words[0], "offset", -1)) if words else -1
    positionals = [word for word in rest if not word.startswith("-")]
    found: list[Setting] = []
    if program == "pip" and "config" in rest:
        after = list(rest[rest.index("config") + 1:])
        values = [word for word in after if not word.startswith("-") and word not in ("set",)]
        if "set" in after and len(values) >= 2:
            key = values[-2].rpartition(".")[2].lower().replace("_", "-")
            if key in _PIP_CONFIG_KEYS:
                found.append(setting(f"pip config set {values[-2]} {values[-1]}", _PIP_CONFIG_KEYS[key],
                                     values[-1], offset))
    elif program == "poetry":
        if positionals[:2] == ["source", "add"] and len(positionals) >= 4:
            found.append(setting(f"poetry source add {positionals[2]} {positionals[3]}", "--index", positionals[3],
                                 offset))
        elif positionals[:1] == ["config"] and len(positionals) >= 3 and positionals[1].startswith("repositories."):
            found.append(setting(f"poetry config {positionals[1]} {positionals[2]}", "--index", positionals[2],
                                 offset))
    elif program == "pdm":
        if positionals[:1] == ["config"] and len(positionals) >= 3 and re.fullmatch(
                r"pypi(?:\.[^.]+)?\.url", positionals[1]):
            found.append(setting(f"pdm config {positionals[1]} {positionals[2]}", "--index", positionals[2],
                                 offset))
    elif program in ("conda", "mamba", "micromamba") and "config" in rest:
        found += _conda_config(list(rest[rest.index("config") + 1:]), offset)
    elif program == "pixi" and len(positionals) >= 4 and positionals[0] in ("project", "workspace") \
            and positionals[1:3] == ["channel", "add"]:
        found += [setting(f"pixi {positionals[0]} channel add {name}", "--channel", name, offset, CONDA)
                  for name in positionals[3:]]
    return found


def _conda_config(after: list[str], offset: int) -> list[Setting]:
    found = []
    for index, word in enumerate(after[:-2]):
        key, value = after[index + 1], after[index + 2]
        if (word in _CONDA_ADDS and key in _CONDA_LISTS) or (word in _CONDA_SETS and (
                key == "channel_alias" or key.startswith(("custom_channels.", "custom_multichannels.")))):
            found.append(setting(f"conda config {word} {key} {value}", "--channel", value, offset, CONDA))
    return found
