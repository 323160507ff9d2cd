"""Documentation of every rule code: one source for ``hallucheck explain``, SARIF help and ``docs/rules.md``.

Each rule's example is a small change (files before and after) that is run
through the real check when the documentation is rendered, so the report lines
shown in the docs are what hallucheck prints today. ``python -m hallucheck.report.rules
--write docs/rules.md`` regenerates the marked section of a Markdown file; a test
fails when a file with the markers has drifted from this module.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from hallucheck.findings import RULES, Finding, Rule, rule_named
from hallucheck.lazy import record

if TYPE_CHECKING:
    from hallucheck.evidence.registry import Answer

MARKER_START = "<!-- rules:start -->"
MARKER_END = "<!-- rules:end -->"
REGENERATE = "python -m hallucheck.report.rules --write docs/rules.md"

_PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n{deps}]\n'


def _pyproject(*deps: str) -> str:
    return _PYPROJECT.format(deps="".join(f'    "{dep}",\n' for dep in deps))


@record(frozen=True)
class Example:
    """A change: the files at HEAD and the files staged (only files that differ need to be listed in both)."""

    before: Mapping[str, str]
    after: Mapping[str, str]
    config: Mapping[str, object] = field(default_factory=dict)
    index: IndexAnswers | None = None
    """For ``--online`` codes: what a (pretend) package index answers; the example itself never goes online."""


@record(frozen=True)
class IndexAnswers:
    """Canned package-index answers: name -> (found, files, releases, age in days); or an index that is down."""

    projects: Mapping[str, tuple[bool, int, int, float]] = field(default_factory=dict)
    unreachable: bool = False

    @property
    def is_pypi(self) -> bool:
        return False

    def lookup(self, names: Sequence[str]) -> Answer:
        from hallucheck.evidence.registry import Answer, Project

        now = 1_780_000_000.0
        url = "https://index.example/simple/"
        if self.unreachable:
            return Answer(url, failures={name: "connection refused" for name in names}, now=now)
        projects = {}
        for name in names:
            found, files, releases, age = self.projects.get(name, (True, 5, 10, 2000.0))
            versions = tuple(f"0.{number}" for number in range(releases))
            projects[name] = Project(name, found, files, 0, versions, (), now - age * 86400 if found else None)
        return Answer(url, projects, now=now)


@record(frozen=True)
class RuleDoc:
    meaning: str
    example: Example
    fix: str
    suppress: str


_IMPORT_SUPPRESS = (
    "Put `# hallucheck: ignore[{code}]` on any line of the import statement (a bare `# hallucheck: ignore` "
    "silences every code there). To stop checking a module everywhere, add it to `ignore` in the "
    'configuration; to change how much the code matters, set `severity = {{ {code} = "warning" }}`.'
)

DOCS: dict[str, RuleDoc] = {
    "HC001": RuleDoc(
        meaning=(
            "An import added by this change names a module that is not in the standard library of the target "
            "Python, not first-party code of the repository, not provided by any declared dependency, and "
            "not a "
            "known import name of any distribution. This is the shape of a hallucinated import: an assistant "
            "invented a plausible package name. Installing a package of that name would install whatever "
            "someone registered under it, possibly an attacker."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={
                "pyproject.toml": _pyproject("requests"),
                "app.py": "from cryptoutils import secure_hash\n",
            },
        ),
        fix=(
            "Check the name against the documentation of the library you meant. If the package is real, "
            "declare "
            "the distribution that provides it (its name can differ from the import name; teach hallucheck "
            "the "
            "pair with `mapping`). If the module is your own code, commit it, or list its top-level name in "
            "`first-party`. When the repository holds a module of that name where the importing file cannot "
            "reach it (a sibling inside a package, a directory not on `sys.path`), the finding says where it is "
            "and the fix is the import path (or `first-party`, if that directory is on `sys.path` at run time)."
        ),
        suppress=_IMPORT_SUPPRESS.format(code="HC001"),
    ),
    "HC002": RuleDoc(
        meaning=(
            "The import is provided by a known distribution, but the project does not declare that "
            "distribution "
            "(`import sklearn` needs `scikit-learn`). The code works only where someone installed the "
            "package by "
            "hand and fails with `ModuleNotFoundError` on a clean install. When another project of the same "
            "repository declares the distribution (a sibling in a monorepo), the finding names where: only the "
            "importing file's own project counts, since installing it does not install a sibling's dependencies."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"pyproject.toml": _pyproject("requests"), "model.py": "import sklearn\n"},
        ),
        fix=(
            "Declare the distribution the finding names (not the import name) and approve it, in one step: "
            "`hallucheck approve --declare NAME`, or with pre-commit alone `pre-commit run hallucheck-approve "
            "--hook-stage manual`. It shows the edit to the manifest, writes it and the approval; `git add` them."
        ),
        suppress=_IMPORT_SUPPRESS.format(code="HC002"),
    ),
    "HC003": RuleDoc(
        meaning=(
            "The import resolves only through a dependency that the same change adds. An assistant that "
            "invents "
            "an import often invents the matching dependency line too, so this blocks until a human has "
            "looked "
            "at the new dependency. A package that only a lock file pins, and that no lock file pinned before "
            "the change, counts as added too: an invented name locked by the same change is a new dependency."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nhuggingface-cli\n", "hub.py": "import huggingface_cli\n"},
        ),
        fix=(
            "Check on the package index that the distribution is the project you mean (who publishes it, how "
            "old it is, whether its name is one letter off a popular one). Then run `hallucheck approve "
            "NAME` "
            "and `git add` the file it names: the approval is recorded in the configuration and travels with "
            "the "
            "commit, where reviewers see it."
        ),
        suppress=(
            "Approving the dependency is the intended way; it clears this finding and HC004 together. "
            "`# hallucheck: ignore[HC003]` on the import statement also works."
        ),
    ),
    "HC004": RuleDoc(
        meaning=(
            "A dependency was added to a manifest in this change: declared in the staged manifests, not "
            "declared "
            "at HEAD (compared by normalised name, so a version bump is not an addition). It is reported "
            "once, at "
            "its manifest line, and blocks until a human approves it."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nrich==13.7\n"},
        ),
        fix=(
            "Check the name for typos and look it up on the package index. If it is the package you want, "
            "run "
            "`hallucheck approve NAME` and `git add` the configuration file it names. If not, fix the name."
        ),
        suppress=(
            "`hallucheck approve NAME` (recommended: the approval is reviewed with the change). "
            "`# hallucheck: ignore[HC004]` at the end of the manifest line also works. "
            '`severity = { HC004 = "off" }` stops reviewing new dependencies altogether.'
        ),
    ),
    "HC005": RuleDoc(
        meaning=(
            "The change removes a dependency from the manifests while an import added in the same change "
            "still "
            "needs it."
        ),
        example=Example(
            before={"requirements.txt": "requests\nPyYAML\n"},
            after={"requirements.txt": "requests\n", "conf.py": "import yaml\n"},
        ),
        fix="Keep the dependency declared, or drop the import.",
        suppress=_IMPORT_SUPPRESS.format(code="HC005"),
    ),
    "HC009": RuleDoc(
        meaning=(
            "A relative import names a module its package does not have: `from . import x` with no module, "
            "package or name `x` in the importing file's package, or `from .x import y` with no `x` there. A "
            "relative import never reaches an installed distribution, so the module must be committed; an "
            "invented one fails the moment the code runs. A name the package's `__init__.py` mentions counts "
            "as defined (`from . import mapper as mapperlib` defines `mapperlib`). Inside a `try` whose "
            "`except ImportError:` does not raise (Django's `from .local import *` local settings, which each "
            "checkout may add), it is a warning: the code runs without the module."
        ),
        example=Example(
            before={"requirements.txt": "", "app/__init__.py": "", "app/models.py": ""},
            after={"app/views.py": "from .models import X\nfrom .serializers import Schema\n"},
        ),
        fix="Commit the module the import names, or correct the name (check the spelling and the number of dots).",
        suppress=_IMPORT_SUPPRESS.format(code="HC009"),
    ),
    # Codes from the manifests work (lock files, setup.py); documented here so one module holds every code.
    "HC006": RuleDoc(
        meaning=(
            "The import is served only by a distribution that a lock file pins but no manifest declares: it "
            "is installed today because another dependency pulls it in. When that package stops depending on "
            "it, the import breaks. (A package that a lock file pins only since this change is HC003 instead.)"
        ),
        example=Example(
            before={
                "pyproject.toml": _pyproject("pandas"),
                "uv.lock": '[[package]]\nname = "pandas"\nversion = "2.2.0"\n\n'
                '[[package]]\nname = "python-dateutil"\nversion = "2.9.0"\n',
            },
            after={"app.py": "import pandas\nfrom dateutil import parser\n"},
        ),
        fix="Declare the distribution the finding names directly in your dependencies.",
        suppress=_IMPORT_SUPPRESS.format(code="HC006"),
    ),
    "HC007": RuleDoc(
        meaning=(
            "The import is declared nowhere, and no table links it to a distribution, but an established "
            "distribution (among the most downloaded on PyPI) has exactly its name: `import numpy`, `import "
            "tenacity`, `import pytest` with nothing declaring them. That is an undeclared dependency, usually one "
            "that arrives through another package today, not an invented name; the code breaks on a clean "
            "install or when the package that pulls it in drops it. Same default severity as HC002."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"pyproject.toml": _pyproject("requests"), "app.py": "import numpy\n"},
        ),
        fix=(
            "Declare the named distribution and approve it, in one step: `hallucheck approve --declare NAME` (or "
            "`pre-commit run hallucheck-approve --hook-stage manual`) declares it in the importing file's project, "
            "in `[project] dependencies` or requirements.txt, or for a test, docs or tooling file in a test/dev "
            "dependency group or extra."
        ),
        suppress=_IMPORT_SUPPRESS.format(code="HC007"),
    ),
    "HC008": RuleDoc(
        meaning=(
            "The package's own code imports a distribution that the project declares for development only: in "
            "tox `deps`, a nox session, a dev-dependency table, a dependency group, a test/docs extra or a "
            "requirements file named for development (`requirements-dev.txt`). Tests, docs, scripts, "
            "benchmarks, examples, `conftest.py` and `noxfile.py` may use those; code that users install may "
            "not, because `pip install` of the package does not install them."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests"), "tox.ini": "[testenv]\ndeps = pytest\n"},
            after={"src/demo/helpers.py": "import pytest\n"},
        ),
        fix=(
            "Declare the distribution as a runtime dependency if the package needs it; otherwise move the import "
            "into test or tooling code."
        ),
        suppress=_IMPORT_SUPPRESS.format(code="HC008"),
    ),
    "HC020": RuleDoc(
        meaning=(
            "The import names a standard-library module that a Python version the project supports no longer "
            "ships (PEP 594 and earlier removals: `imp`, `distutils`, `asyncore`, `cgi`, `telnetlib`, ...). The "
            "supported versions come from `requires-python` (or `[tool.hallucheck] python`). Assistants trained "
            "on old code still write these imports."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"app.py": "import imp\n"},
            config={"python": "3.12"},
        ),
        fix="Use the replacement the finding names, or declare a distribution that still provides the module.",
        suppress=_IMPORT_SUPPRESS.format(code="HC020"),
    ),
    "HC021": RuleDoc(
        meaning=(
            "The import names a standard-library module that the lowest Python the project supports does not "
            'ship yet (for example `tomllib`, new in 3.11, with `requires-python = ">=3.9"`). It is a warning: '
            "the code runs on newer interpreters only."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"app.py": "import tomllib\n"},
            config={"python": "3.9"},
        ),
        fix="Guard the import with a version test or try/except and a backport, or raise `requires-python`.",
        suppress=_IMPORT_SUPPRESS.format(code="HC021"),
    ),
    "HC022": RuleDoc(
        meaning=(
            "The import uses a module path that its distribution moved or removed (`from langchain.chat_models "
            "import ChatAnthropic`, `from sklearn.externals import joblib`). The path comes from the installed "
            "distribution's file list when the project's environment is available, else from a bundled table "
            "of well-known moves, which knows the release that removed each path: a declared specifier that "
            "keeps an older release (`setuptools<82` for `pkg_resources`, `pydantic<2` for `BaseSettings`) "
            "passes."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("scikit-learn")},
            after={"app.py": "from sklearn.externals import joblib\n"},
        ),
        fix=(
            "Import it from the current location the finding names. When that location is another distribution "
            "(`langchain-openai`), the hint names it: `hallucheck approve --declare NAME` (or the "
            "`hallucheck-approve` hook) declares and approves it."
        ),
        suppress=_IMPORT_SUPPRESS.format(code="HC022"),
    ),
    "HC026": RuleDoc(
        meaning=(
            "The import names a module or a name that its declared distribution does not ship: no version of it "
            "in hallucheck's bundled index that the declaration allows has it, and none ever did (`import "
            "requests.fakepkg_zz`, `from requests import fetch_json`). The index lists the modules and the "
            "statically known names of popular distributions, read from their wheels (docs/index.md); a module "
            "whose names are dynamic (a module-level `__getattr__`, a lazy-import table) is never judged, and an "
            "installed environment (`--python`, an active virtualenv) is trusted over the index. A module or name "
            "that an older indexed version shipped is reported as a stale path (HC022) instead."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"app.py": "from requests import fetch_json\n"},
        ),
        fix="Use what the distribution ships (the finding names the closest modules and names); if the name is "
        "new, require the release that added it.",
        suppress=_IMPORT_SUPPRESS.format(code="HC026"),
    ),
    "HC027": RuleDoc(
        meaning=(
            "The import names a module or name that the newest version of its distribution allowed by the "
            "declaration ships, but an older version the declaration also allows does not (`from sqlalchemy.orm "
            "import DeclarativeBase` with `sqlalchemy>=1.4`: only SQLAlchemy 2.0 has it). The code works where the "
            "newest release is installed and fails where the older one is locked or pinned."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("sqlalchemy>=1.4")},
            after={"app.py": "from sqlalchemy.orm import DeclarativeBase\n"},
        ),
        fix="Raise the declaration's lower bound to a release that ships it, or import what the older releases "
        "have.",
        suppress=_IMPORT_SUPPRESS.format(code="HC027"),
    ),
    "HC028": RuleDoc(
        meaning=(
            "The import names a distribution (or a conda package) instead of the module it installs: `import "
            "pytorch` (the module is `torch`), `import pillow` (`PIL`), `import beautifulsoup4` (`bs4`), `import "
            "pyyaml` (`yaml`), `import opencv` (`cv2`), or a module in the wrong case (`import pil`); or a name "
            "guessed from a declared distribution whose modules are known (`import cors_headers` with "
            "`django-cors-headers` declared, which installs `corsheaders`). The import "
            "fails even with the distribution installed, so it is an error, also when the distribution of that "
            "name is declared; but the name is not invented, so it is not \"may be hallucinated\" (HC001). The "
            "names come from a curated table, `hallucheck/data/wrong_import_names.tsv`, each with its reason; a "
            "module of that name in the repository comes first."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("torch")},
            after={"app.py": "import pytorch\n"},
        ),
        fix="Import the module the finding names (`import torch`); declare its distribution if the project does "
        "not yet (the hint gives the one-step command).",
        suppress=_IMPORT_SUPPRESS.format(code="HC028"),
    ),
    "HC024": RuleDoc(
        meaning=(
            "The import uses a module path that its distribution deprecated but still ships "
            "(`import google.generativeai`, `from sqlalchemy.ext.declarative import declarative_base`). It works "
            "today, so it is a warning, never an error; the distribution has announced its replacement."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("google-generativeai")},
            after={"app.py": "import google.generativeai as genai\n"},
        ),
        fix="Move to the replacement the finding names when convenient.",
        suppress=_IMPORT_SUPPRESS.format(code="HC024"),
    ),
    "HC023": RuleDoc(
        meaning=(
            "A guarded import (inside `try:` whose handlers catch ImportError or broader and never re-raise) of "
            "a real distribution that the project does not declare. It is a warning because the code works "
            "without it; a guarded import of a name no known distribution provides stays an error (HC001), "
            "since someone will `pip install` it to get the optional feature."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"app.py": "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"},
        ),
        fix="Declare the distribution as an optional dependency (an extra in `[project.optional-dependencies]`).",
        suppress=_IMPORT_SUPPRESS.format(code="HC023"),
    ),
    "HC025": RuleDoc(
        meaning=(
            "A call that imports a module by name — `importlib.import_module`, `__import__`, "
            "`importlib.__import__`, `builtins.__import__`, `runpy.run_module`, under any alias the file binds "
            "(`import importlib as il`, `from importlib import import_module as load`) — or that runs code "
            "(`exec`, `eval`, `compile`) gets a value that is not a literal, so hallucheck cannot tell which "
            "module it imports. Literal arguments are checked like import statements: `__import__('a' + 'b')`, "
            '`il.import_module("x")` and `exec("import x")` are resolved and reported under the usual '
            "codes. Plugin loaders compute names on purpose, hence a warning rather than an error; it points at "
            "the call so that a reviewer can look."
        ),
        example=Example(
            before={"requirements.txt": ""},
            after={"app.py": "import importlib\n\nplugin = importlib.import_module(PLUGIN_NAME)\n"},
        ),
        fix=(
            "Use an import statement or a string literal when the module is fixed. When the name really is "
            "computed (plugins, entry points), make sure every value it can take is a module the project "
            "provides or declares."
        ),
        suppress=(
            '`# hallucheck: ignore[HC025]` on the line of the call, or `severity = { HC025 = "off" }` for a '
            "project that loads plugins by name everywhere."
        ),
    ),
    "HC010": RuleDoc(
        meaning=(
            "A changed Python file does not parse around an added line. hallucheck still checks every import "
            "it "
            "can read line by line, so a syntax error cannot hide an import, but a statement it cannot parse "
            "may be misread. A statement too large or too deeply nested to give to a parser (over 1,000 tokens, "
            "brackets over 50 deep) is read by a text scan instead; an import in it that the scan cannot read "
            "is reported here too."
        ),
        example=Example(
            before={"requirements.txt": ""},
            after={
                "requirements.txt": "",
                "app.py": "import os\nfrom json import loads,\nimport cryptoutils\n",
            },
        ),
        fix="Fix the syntax error; the next run checks the statement properly.",
        suppress=(
            "Rarely wise: the commit would contain code that does not run. `# hallucheck: ignore[HC010]` on "
            "the "
            'reported line, or `severity = { HC010 = "warning" }`, lets it through.'
        ),
    ),
    "HC011": RuleDoc(
        meaning=(
            "A dependency manifest (pyproject.toml, a requirements file, ...) could not be read: invalid "
            "TOML, "
            "a requirement line that is not valid, an undecodable file. hallucheck cannot tell what the "
            "project "
            "declares, so it fails closed. A manifest that was broken at HEAD and is fixed by the change is "
            "reported as a warning."
        ),
        example=Example(
            before={"pyproject.toml": _pyproject("requests")},
            after={"pyproject.toml": _pyproject("requests").replace('"requests",', '"requests"\n  "numpy",')},
        ),
        fix="Fix the manifest at the reported line.",
        suppress=(
            'Fix the file instead; `severity = { HC011 = "warning" }` is there for manifests hallucheck misreads.'
        ),
    ),
    "HC012": RuleDoc(
        meaning=(
            "A changed Python file is not valid text in its declared encoding (UTF-8 unless a PEP 263 coding "
            "cookie says otherwise), so its imports cannot be read."
        ),
        example=Example(
            before={"requirements.txt": ""},
            after={"requirements.txt": "", "app.py": "import os\nname = 'caf\udce9'\n"},
        ),
        fix="Save the file as UTF-8, or declare its real encoding with a coding cookie on line 1 or 2.",
        suppress='`severity = { HC012 = "warning" }`; a comment cannot help, since the file cannot be read.',
    ),
    "HC013": RuleDoc(
        meaning=(
            "A manifest declares dependencies in a way that cannot be read without running code, such as a "
            "`setup.py` that computes its `install_requires`, or a requirement that is only a URL. "
            "hallucheck never executes project code, so these are not counted as declared, and imports that "
            "need them are reported."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"setup.py": "from setuptools import setup\nsetup(install_requires=open('r').read().split())\n"},
        ),
        fix=(
            "Declare the dependencies statically: `[project].dependencies` in pyproject.toml, setup.cfg, or "
            "a requirements file."
        ),
        suppress='`# hallucheck: ignore[HC013]` on the reported line, or `severity = { HC013 = "off" }`.',
    ),
    "HC030": RuleDoc(
        meaning=(
            "A dependency added in this change imitates the name of a popular distribution (one of the ~15,000 "
            "most downloaded on PyPI, shipped with hallucheck) or one of its import names (`sklearm` for "
            "`sklearn`, which is `scikit-learn`): one edit away from one of the top 1,000 (names of 4+ "
            "characters; for 3 characters a dropped letter, changed digit or swap: `nlk`, `bs5`), two letters "
            "swapped or a letter doubled at any rank (`follium`), a letter dropped inside a long name of the "
            "top 3,000 (`texblob`), equal to one after confusable normalisation (`djang0`), or a `py`/`python` "
            "affix swap (`python-requests`). Typosquatters register exactly these names. The message names the "
            "distribution to declare. Looser resemblances stay evidence in the review message. The same holds for a "
            "package named by an install command added in this change (`pip install reqeusts` in a README, a "
            "Dockerfile, CI, a notebook)."
        ),
        example=Example(
            before={"requirements.txt": "flask\n"},
            after={"requirements.txt": "flask\nsklearm\n"},
        ),
        fix="Replace the name with the popular package the finding names, stage it, and approve that one. If the "
        "similar name really is the one you want, approve it by name over the error: `hallucheck approve NAME "
        "--override-error` (`HALLUCHECK_OVERRIDE_ERROR=NAME` for the `hallucheck-approve` hook); the entry "
        "records the error it overrides.",
        suppress="`hallucheck approve NAME --override-error`, or `# hallucheck: ignore[HC030]` at the end of the "
        "manifest line.",
    ),
    "HC031": RuleDoc(
        meaning=(
            "A dependency added in this change is a name documented as invented by AI assistants (and often "
            "registered by someone else since: `huggingface-cli`), from hallucheck's curated list, the public "
            "lists it ships (the VDB slopsquatting dataset, the 2026 replication's universal hallucinations, "
            "PyPI research placeholders; sources and licences in `hallucheck/data/hallucinated_names.SOURCES.md`), "
            "or your `known-hallucinations`. A popular distribution is never one. An install command added in "
            "this change that names one is reported the same way (`pip install huggingface-cli`)."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nhuggingface-cli\n"},
        ),
        fix="Remove it and declare the real package the finding names where one is documented (for "
        "`huggingface-cli`, `huggingface_hub[cli]`, which installs the `huggingface-cli` command); a name you "
        "checked yourself is approved only by name, with `--override-error`.",
        suppress="`# hallucheck: ignore[HC031]` at the end of the manifest line, after you have made sure.",
    ),
    "HC032": RuleDoc(
        meaning=(
            "A dependency added in this change is another distribution's import name: `yaml` is imported from "
            "`pyyaml`, `PIL` (or `pil`) from `pillow`. The distribution of that name, if any, is another project. "
            "Popular names are left to review (`dotenv` is itself a real package) in a manifest. An install "
            "command that names an import name is an error even when a project of that name is popular, unless "
            "it provides that module itself: `pip install sklearn` (a placeholder), `dotenv`, `jwt` install "
            "something else than the code imported as `sklearn`, `dotenv`, `jwt`."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nPIL\n"},
        ),
        fix="Replace the name with the distribution the finding names, stage it, and approve that one.",
        suppress="`# hallucheck: ignore[HC032]` at the end of the manifest line.",
    ),
    "HC033": RuleDoc(
        meaning=(
            "With `--online`: the package index has no project of this name. Installing it fails today, and "
            "anyone can register it tomorrow."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nfastjsonparserx\n"},
            index=IndexAnswers({"fastjsonparserx": (False, 0, 0, 0.0)}),
        ),
        fix="Remove the dependency and find the real package that does the job.",
        suppress="`# hallucheck: ignore[HC033]` at the end of the manifest line (for a package you will publish).",
    ),
    "HC034": RuleDoc(
        meaning=(
            "With `--online`: the index shows the new dependency as suspicious: first uploaded fewer than "
            "`new-project-days` (30) days ago with at most `new-project-releases` (1) release, no files at all, "
            "every file yanked, or quarantined. Squatted names look like this."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nsecurehashlib\n"},
            index=IndexAnswers({"securehashlib": (True, 1, 1, 3.0)}),
        ),
        fix="Check the project page and its source before you depend on it; then approve it if it is right.",
        suppress="`hallucheck approve NAME`, or the `new-project-days` / `new-project-releases` thresholds.",
    ),
    "HC035": RuleDoc(
        meaning=(
            "With `--online`: the package index did not answer in time. The offline result stands; the names "
            "that got no online evidence are listed."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\nsecurehashlib\n"},
            index=IndexAnswers(unreachable=True),
        ),
        fix="Check the network or `index-url`, or run without `--online`.",
        suppress='`severity = { HC035 = "off" }`.',
    ),
    "HC040": RuleDoc(
        meaning=(
            "An install command added by this change (a Markdown or reStructuredText code block or code span, a "
            "shell script, a Dockerfile `RUN`, a CI `run:`/`script:`, a Makefile recipe, tox `commands`, a "
            "`noxfile.py` `session.run`, an agent instruction file such as `AGENTS.md`, `CLAUDE.md` or "
            "`.cursorrules`, or a notebook's `%pip`/`!pip` line) installs a package that the project does not "
            "declare and that is not an established popular distribution. pip, `uv pip`, `uv add`, `uvx`, "
            "`pipx`, `poetry add`, `pdm add`, `pipenv`, `rye` and conda/mamba are read with their own option "
            "grammar; `-r` files, `-e` paths, local paths, URLs and `$VARIABLES` name no package. An assistant "
            "that invents a package writes the install command too, and readers (or agents) run it."
        ),
        example=Example(
            before={"requirements.txt": "requests\n", "Dockerfile": "FROM python:3.12\n"},
            after={
                "requirements.txt": "requests\n",
                "Dockerfile": "FROM python:3.12\nRUN pip install --no-cache-dir requests pdfscraper-pro\n",
            },
        ),
        fix="Make sure the package is the real, intended one (its project page, its repository), then approve "
        "it: `hallucheck approve NAME`, or declare it in the project's dependencies. Names it declares pass.",
        suppress="`hallucheck approve NAME`, or `# hallucheck: ignore[HC040]` at the end of the command's line.",
    ),
    "HC042": RuleDoc(
        meaning=(
            "An install command added by this change may install packages that the text does not name: they are "
            "known only when the command runs (`pip install \"$PKG\"`, `pip install $(cat list)`, `... | xargs "
            "pip install`, `$(which pip) install ...`, `bash -c \"$SCRIPT\"` whose known part installs, a "
            "requirements file fed from a command whose output the text does not tell: `curl ... > r.txt; pip "
            "install -r r.txt`, `cat x | pip install -r -`). hallucheck "
            "reads commands with a shell grammar (quotes, `${X:-default}`, brace expansion, `$(echo ...)`, "
            "here-documents, wrappers); what is left to run time cannot be checked, so it is not passed in silence."
        ),
        example=Example(
            before={"requirements.txt": "requests\n", "Dockerfile": "FROM python:3.12\n"},
            after={"Dockerfile": "FROM python:3.12\nARG PKG\nRUN pip install \"$PKG\"\n"},
        ),
        fix="Write the package names in the command (each is then checked like any other), or, when the command "
        "is right as written, put `# hallucheck: ignore[HC042]` at the end of its line.",
        suppress="`# hallucheck: ignore[HC042]` at the end of the command's line; `severity = { HC042 = \"warning\" "
        "}` to only report such commands.",
    ),
    "HC043": RuleDoc(
        meaning=(
            "The dependency-confusion move keeps the package names a project trusts and changes where they come "
            "from. Manifests choose sources per requirement (a new index there makes each name it moves an "
            "`HC004` review, see configuration.md); the installers' own configuration chooses them for every "
            "install that reads it: `index-url`, `extra-index-url`, `find-links`, `trusted-host` in a committed "
            "`pip.conf`/`pip.ini`/`uv.toml` (also `[[index]]` in uv.toml) or in `[tool.uv.pip]` (every `uv pip` "
            "command reads it); a `name @ URL` entry of uv's `override-dependencies`/`constraint-dependencies` "
            "(pyproject or uv.toml: uv takes that name from that URL wherever the resolution meets it, declared or "
            "not); pixi's `[pypi-options]` `index-url`/`extra-index-urls`/`find-links` and `channels` other than "
            "conda-forge and conda's defaults (pixi.toml, `[tool.pixi]`, each feature); a `.condarc`'s `channels`, "
            "`default_channels`, `channel_alias`, `custom_channels` and `custom_multichannels` other than conda's "
            "own; or the environment variables "
            "`PIP_INDEX_URL`, `PIP_EXTRA_INDEX_URL`, `PIP_FIND_LINKS`, `PIP_TRUSTED_HOST`, `UV_INDEX_URL`, "
            "`UV_EXTRA_INDEX_URL`, `UV_INDEX`, `UV_DEFAULT_INDEX`, ... set in a workflow's `env:`, a Dockerfile's "
            "`ENV`/`ARG`, tox `setenv`, a script, or Python code that runs installs (`os.environ[...] =`, "
            "`setdefault`, `putenv`, an `env=` entry; the name inside a string is not a setting). Commands do it "
            "too: the source options of one that names no package of its own (`uv sync --index URL`, `uv lock "
            "--index-url URL`, `pip install -i URL -r requirements.txt`) and persistent configuration (`pip "
            "config set global.index-url URL`, `poetry source add NAME URL`, `poetry config repositories.NAME "
            "URL`, `pdm config pypi.url URL`, `conda config --add channels NAME`, `pixi project channel add`). A "
            "setting the base version of the file already has, or a source the project's manifests already use, "
            "is not new. The agent hook (`install-check`) asks about each, also a variable assigned before the "
            "command or exported earlier in it (`PIP_INDEX_URL=URL pip install requests`)."
        ),
        example=Example(
            before={"requirements.txt": "requests\n", "Dockerfile": "FROM python:3.12\n"},
            after={"Dockerfile": "FROM python:3.12\nENV PIP_EXTRA_INDEX_URL=https://pypi.example.net/simple\n"},
        ),
        fix="Make sure the index is the one you mean (an extra index anyone can publish to serves its own package "
        "under a name you trust), then confirm it with `# hallucheck: ignore[HC043]` at the end of the line, or on "
        "the line above where the format takes no comment after a value (pip.conf, a Dockerfile `ENV`).",
        suppress="`# hallucheck: ignore[HC043]` at the end of the line, or alone on the line above it.",
    ),
    "HC041": RuleDoc(
        meaning=(
            "A changed `.ipynb` notebook is not valid JSON, or not shaped like a notebook (no list of cells, a "
            "cell whose source is not text). Its cells could not be checked, so nothing they import or install "
            "is known; a merge conflict left in the file, or a truncated save, is the usual cause."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\n", "analysis.ipynb": '{\n "cells": [\n  {"cell_type": "code",\n'},
        ),
        fix="Repair the notebook (open it in Jupyter, or resolve the conflict) and stage it again.",
        suppress='`severity = { HC041 = "warning" }` (not recommended: the notebook is then not checked).',
    ),
    "HC100": RuleDoc(
        meaning=(
            "A `# hallucheck:` comment on a line added by this change suppresses nothing: no finding of the "
            "codes "
            "it names is reported on that statement (or manifest line), it names a code that does not exist, "
            "or "
            "it is not a valid directive. It hides nothing today and would silently hide a real problem on "
            "that "
            "line tomorrow."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={
                "requirements.txt": "requests\n",
                "app.py": "import requests  # hallucheck: ignore[HC001]\n",
            },
        ),
        fix="Remove the comment, or correct the code it names.",
        suppress='`severity = { HC100 = "off" }` turns the check off.',
    ),
    "HC101": RuleDoc(
        meaning=(
            "The change relaxes the check: an `ignore` glob, a `mapping` or `first-party` entry, a lower "
            "`severity`, an `approved` dependency, an extra `manifests` path, a baseline entry, a "
            "`# hallucheck: ignore` comment on an added line, an edit of what the framework passes the hook "
            "(`exclude:` in .pre-commit-config.yaml), or the same given as a command-line flag. Whoever (or "
            "whatever: a coding agent) is blocked can switch the check off that way, so the relaxation is never "
            "applied silently: in a commit or over a range it is this warning, naming the relaxation and what it "
            "lets through of what the same change adds, or saying that it lets through nothing yet (an agent "
            "that splits the relaxation and the import over two commits is seen at the first). Relaxations "
            "committed earlier are not repeated."
        ),
        example=Example(
            before={"requirements.txt": "requests\n"},
            after={"requirements.txt": "requests\n", "app.py": "import cryptoutils  # hallucheck: ignore\n"},
        ),
        fix=(
            "Look at what the relaxation lets through. If it is right, keep it: the warning does not block, "
            "and later changes do not repeat it. To make CI enforce the policy of the target branch, run the "
            "range check with `--policy-from-base` and protect the configuration file with CODEOWNERS."
        ),
        suppress=(
            '`severity = { HC101 = "off" }` committed on its own; a change cannot lower HC101 for itself (its '
            "own severity entries are taken back for this code)."
        ),
    ),
}


resolve_code = rule_named


def example_report(code: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The example's change as unified diffs (path, diff), and the report lines hallucheck prints for it."""
    example = DOCS[code].example
    diffs = []
    staged = {**example.before, **example.after}  # as the example is run: a file not listed after is unchanged
    for path in sorted(staged):
        before, after = example.before.get(path), staged[path]
        if before == after:  # context the example needs (the manifest it declares in), shown unchanged
            unchanged = after.splitlines(keepends=True)
            head = [f"--- a/{path}\n", f"+++ b/{path}\n", f"@@ -1,{len(unchanged)} +1,{len(unchanged)} @@\n"]
            text = "".join(head + [f" {line}" if line.endswith("\n") else f" {line}\n" for line in unchanged])
            diffs.append((path, text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")))
            continue
        lines = difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            after.splitlines(keepends=True),
            "/dev/null" if before is None else f"a/{path}",
            f"b/{path}",
            n=1,
        )
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        diffs.append((path, text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")))
    findings = _run_example(example)
    report = [
        f"{item.path}:{item.line}:{item.column}: {item.code} [{item.severity.value}] {item.message}"
        for item in findings
    ]
    if not any(item.code == code for item in findings):
        raise AssertionError(f"the documented example of {code} does not produce {code}")
    return diffs, report


def _run_example(example: Example) -> list[Finding]:
    from hallucheck.change import ChangedTextFile
    from hallucheck.check import Change, ChangedPythonFile, check
    from hallucheck.config import config_from_table
    from hallucheck.manifests import is_manifest
    from hallucheck.snapshot import MemorySnapshot
    from hallucheck.sources.install_files import reads_commands_of_manifest, text_kind

    def encoded(text: str) -> bytes:
        return text.encode("utf-8", "surrogateescape")

    before = {path: encoded(text) for path, text in example.before.items()}
    after = {path: encoded(text) for path, text in {**example.before, **example.after}.items()}
    files = []
    text_files = []
    for path, content in sorted(after.items()):
        if before.get(path) == content:
            continue
        old = before.get(path)
        added = frozenset(_added_lines(old or b"", content))
        kind = text_kind(path)
        if kind is not None and (reads_commands_of_manifest(kind) or not is_manifest(path)):
            text_files.append(ChangedTextFile(path, kind, added, content, () if old is None else (old,)))
        if path.endswith(".py"):
            files.append(ChangedPythonFile(path, added, content, () if old is None else (old,)))
    config = config_from_table(dict(example.config), "example")
    change = Change(
        MemorySnapshot(before, "HEAD"),
        MemorySnapshot(after, "index"),
        files,
        config=config,
        target_python=None if "python" in example.config else (3, 11),
        registry=example.index,
        text_files=text_files,
    )
    return list(check(change).findings)


def _added_lines(before: bytes, after: bytes) -> set[int]:
    old, new = before.split(b"\n"), after.split(b"\n")
    added: set[int] = set()
    for tag, _, _, start, end in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("insert", "replace"):
            added.update(range(start + 1, end + 1))
    return added


def explain_text(rule: Rule) -> str:
    """The full documentation of one rule, for the terminal."""
    doc = DOCS[rule.code]
    diffs, report = example_report(rule.code)
    out = [f"{rule.code} {rule.name} (default severity: {rule.severity.value})", "", rule.summary, ""]
    out += ["What it means", *_indent(doc.meaning), "", "Example"]
    for _, diff in diffs:
        out += ["    " + line for line in diff.rstrip("\n").split("\n")]
        out.append("")
    out += ["    hallucheck reports:", *("    " + line for line in report), ""]
    out += ["How to fix", *_indent(doc.fix), "", "How to suppress", *_indent(doc.suppress)]
    return "\n".join(out) + "\n"


def _indent(paragraph: str, width: int = 100) -> list[str]:
    """``paragraph`` wrapped and indented; a `code span` is never broken across lines."""
    import re
    import textwrap

    glued = re.sub(r"`[^`]*`", lambda match: match.group().replace(" ", "\0"), paragraph)
    lines = textwrap.wrap(glued, width, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False)
    return [line.replace("\0", " ") for line in lines]


def rule_markdown(rule: Rule, heading: str = "###") -> str:
    """One rule's documentation as Markdown (also the SARIF ``help.markdown``)."""
    doc = DOCS[rule.code]
    diffs, report = example_report(rule.code)
    out = [
        f"{heading} {rule.code} {rule.name}",
        "",
        f"Default severity: **{rule.severity.value}**. {rule.summary}",
    ]
    out += ["", f"**What it means.** {doc.meaning}", "", "**Example.**", ""]
    for _, diff in diffs:
        out += ["```diff", diff.rstrip("\n"), "```", ""]
    out += [
        "```text",
        *report,
        "```",
        "",
        f"**How to fix.** {doc.fix}",
        "",
        f"**How to suppress.** {doc.suppress}",
    ]
    return "\n".join(out)


def help_text(rule: Rule) -> str:
    """The rule's documentation without the example (no check is run): SARIF ``help.text``."""
    doc = DOCS[rule.code]
    return f"{rule.summary}\n\n{doc.meaning}\n\nHow to fix: {doc.fix}\n\nHow to suppress: {doc.suppress}"


def help_markdown(rule: Rule) -> str:
    """:func:`help_text` as Markdown: SARIF ``help.markdown``."""
    doc = DOCS[rule.code]
    return (
        f"{rule.summary}\n\n**What it means.** {doc.meaning}\n\n**How to fix.** {doc.fix}\n\n"
        f"**How to suppress.** {doc.suppress}\n\n`hallucheck explain {rule.code}` shows an example."
    )


def rules_table() -> str:
    rows = []
    for rule in RULES.values():
        summary = rule.summary.replace("|", "\\|")
        link = f"[{rule.code}](#{rule.code.lower()}-{rule.name})"
        rows.append(f"| {link} | {rule.name} | {rule.severity.value} | {summary} |")
    return "\n".join(["| Code | Name | Default severity | What it reports |", "| --- | --- | --- | --- |", *rows])


def rules_section() -> str:
    """The generated text between the markers of ``docs/rules.md`` (and of a README that has them)."""
    parts = [MARKER_START, f"<!-- Generated from hallucheck/report/rules.py by `{REGENERATE}`; do not edit. -->", ""]
    parts += [rules_table(), ""]
    for rule in RULES.values():
        parts += [rule_markdown(rule), ""]
    parts.append(MARKER_END)
    return "\n".join(parts)


def replace_section(text: str, section: str) -> str:
    """``text`` with the part between the markers (inclusive) replaced by ``section``."""
    start, end = text.find(MARKER_START), text.find(MARKER_END)
    if start == -1 or end < start:
        raise ValueError(f"the markers {MARKER_START} ... {MARKER_END} are missing")
    return text[:start] + section + text[end + len(MARKER_END) :]


def explain_main(argv: Sequence[str]) -> int:
    """``hallucheck explain [CODE...]``: document codes (by code or rule name); no code lists them all."""
    import argparse

    parser = argparse.ArgumentParser(prog="hallucheck explain", description="Explain finding codes.")
    parser.add_argument("codes", nargs="*", metavar="CODE", help="a code (HC001) or rule name (unknown-import)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    if not args.codes:
        width = max(len(rule.name) for rule in RULES.values())
        for rule in RULES.values():
            print(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}")
        print("\n'hallucheck explain CODE' shows what a code means, an example, and how to fix or suppress it.")
        return 0
    rules = [resolve_code(code) for code in args.codes]
    unknown = [code for code, rule in zip(args.codes, rules, strict=True) if rule is None]
    if unknown:
        print(
            f"hallucheck explain: error: unknown code {', '.join(unknown)} (known: {', '.join(RULES)})",
            file=sys.stderr,
        )
        return 2
    print("\n".join(explain_text(rule) for rule in rules if rule is not None), end="")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m hallucheck.report.rules [--write] FILE...``: check (or rewrite) the generated rules section."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    write = "--write" in arguments
    paths = [Path(item) for item in arguments if item != "--write"] or [Path("docs/rules.md")]
    section, stale = rules_section(), []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        updated = replace_section(text, section)
        if updated != text:
            stale.append(str(path))
            if write:
                path.write_text(updated, encoding="utf-8", newline="\n")
    verb = "rewrote" if write else "out of date"
    for name in stale:
        print(f"{verb}: {name}")
    return 1 if stale and not write else 0


if __name__ == "__main__":
    raise SystemExit(main())
