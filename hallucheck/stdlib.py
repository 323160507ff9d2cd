"""Standard-library module names (interim: the running interpreter's; replaced by the bundled 3.8-3.14 data)."""

from __future__ import annotations

import sys

PythonVersion = tuple[int, int]


def is_stdlib(top_level: str, target: PythonVersion) -> bool:
    return top_level in sys.stdlib_module_names
