"""The HTTP handler built on requests and urllib3 (used when both are installed)."""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import ssl

from ..optional import brotli, requests, urllib3
from ..utils import urls
from ..utils.urls import join_url, strip_credentials

if requests is None or urllib3 is None:
    raise ImportError("the requests handler needs requests and urllib3")

import requests.adapters
import requests.exceptions
import urllib3.connection
import urllib3.exceptions
import urllib3.util.retry

from ._support import make_ssl_context, proxy_for
from .base import Handler, Response, register_handler
from .errors import (
    CertificateError,
    HTTPError,
    IncompleteRead,
    ProxyError,
    TransportError,
)
from ..socks import SocksProxyError

log = logging.getLogger(__name__)
