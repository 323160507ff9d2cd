"""Import name to distribution (interim table; replaced by the bundled data table)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

_TABLE = {
    "sklearn": ("scikit-learn",), "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
    "yaml": ("pyyaml",), "PIL": ("pillow",), "bs4": ("beautifulsoup4",), "dateutil": ("python-dateutil",),
    "google.protobuf": ("protobuf",), "attr": ("attrs",), "jwt": ("pyjwt",), "dotenv": ("python-dotenv",),
    "serial": ("pyserial",), "magic": ("python-magic",), "Crypto": ("pycryptodome",), "OpenSSL": ("pyopenssl",),
    "git": ("gitpython",), "docx": ("python-docx",), "fitz": ("pymupdf",), "skimage": ("scikit-image",),
}


def normalize_distribution(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def known_distributions(module: str) -> tuple[str, ...]:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = _TABLE.get(".".join(parts[:end]))
        if found:
            return found
    return ()


def is_namespace_root(top_level: str) -> bool:
    return top_level in ("google", "azure", "zope", "jaraco", "backports")


def heuristic_import_names(distribution: str) -> frozenset[str]:
    return frozenset({normalize_distribution(distribution).replace("-", "_")})


# Interim stand-ins for the data-driven API of the mapping branch (same signatures).
class StaleModule(NamedTuple):
    module: str
    distribution: str
    advice: str


_STALE = {
    "sklearn.externals.joblib": ("scikit-learn", "import joblib (removed from scikit-learn in 0.23)"),
    "pydantic:BaseSettings": ("pydantic", "from pydantic_settings import BaseSettings (pydantic-settings)"),
    "langchain.chat_models": ("langchain", "langchain_community.chat_models or a partner package"),
}


def stale_module(module: str, imported_names: Iterable[str] = ()) -> StaleModule | None:
    for name in imported_names:
        found = _STALE.get(f"{module}:{name}")
        if found:
            return StaleModule(f"{module}:{name}", *found)
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in _STALE:
            return StaleModule(key, *_STALE[key])
    return None


def import_names_of(distribution: str) -> tuple[str, ...]:
    wanted = normalize_distribution(distribution)
    return tuple(sorted(name for name, dists in _TABLE.items() if wanted in dists))
