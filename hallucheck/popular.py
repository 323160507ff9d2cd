"""Popular PyPI distribution names (interim stand-in for the popular-names branch; same signature)."""

from __future__ import annotations

_RANKED = (
    "boto3", "urllib3", "requests", "setuptools", "numpy", "pyyaml", "typing-extensions", "six", "pandas",
    "orjson", "ujson", "simplejson", "rich", "tqdm", "lxml", "regex", "uvloop", "msgpack", "cchardet", "redis",
)
_RANKS = {name: rank for rank, name in enumerate(_RANKED, start=1)}


def popularity_rank(name: str) -> int | None:
    """The download rank of distribution ``name`` (1 = most downloaded), or None when it is not popular."""
    return _RANKS.get(name.lower().replace("_", "-"))
