"""Package data: the tables in this directory, read as plain files (no I/O elsewhere in the package reads them).

``importlib.resources`` would also serve a zipped install, but importing it costs
more than a commit-time run can spare, and pip and pre-commit install packages
unzipped.
"""

from __future__ import annotations

import os

DATA_DIRECTORY = os.path.dirname(os.path.abspath(__file__))


def read_data(name: str) -> str:
    """The text of ``hallucheck/data/NAME``."""
    with open(os.path.join(DATA_DIRECTORY, name), encoding="utf-8") as stream:
        return stream.read()
