"""A pipeline that stores downloaded images and their thumbnails (needs the ``images`` extra)."""

from __future__ import annotations

import hashlib
import io
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from w3lib.url import safe_url_string

from spiderweb.errors import NotConfigured
from spiderweb.http import Request
from spiderweb.http.request import NO_CALLBACK
from spiderweb.pipelines.storage import FileStore, S3FileStore
from spiderweb.utils.asyncio_bridge import ensure_awaitable
from spiderweb.utils.text import to_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator
    from os import PathLike

    from PIL import Image

    # Self needs Python 3.11; the stubs of typing_extensions come with every type checker.
    from typing_extensions import Self

    from spiderweb.crawler import Crawler
    from spiderweb.settings import Settings


class ThumbnailsPipeline:
    def __init__(self, store_uri: str) -> None:
        try:
            from PIL import Image, ImageOps
        except ImportError:
            raise NotConfigured("ThumbnailsPipeline needs Pillow: pip install spiderweb[images]") from None
        self._image = Image
        self._ops = ImageOps
        self.store_uri = store_uri
