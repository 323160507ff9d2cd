"""Import name to distribution (interim table; replaced by the bundled data table)."""

from __future__ import annotations

import re

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
