import sys
from pathlib import Path

# `python -m hallucheck` puts the current directory, the repository being scanned, first on
# sys.path: a `libcst/` or `git/` directory there would be imported. Scanned code is never run.
if sys.path and sys.path[0] in ("", str(Path.cwd())):
    del sys.path[0]

from hallucheck.cli import main

raise SystemExit(main())
