"""Selectors over downloaded pages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lxml.etree
import lxml.html
from parsel import Selector, SelectorList
from w3lib.encoding import html_to_unicode

if TYPE_CHECKING:
    from spiderweb.http import Request
