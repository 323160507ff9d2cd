"""TLS for outgoing connections: pyOpenSSL contexts, hostnames checked by service_identity."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from OpenSSL import SSL
from service_identity import VerificationError
from service_identity.hazmat import DNS_ID, IPAddress_ID, verify_service_identity
from service_identity.pyopenssl import extract_patterns
from twisted.internet.ssl import AcceptableCiphers, CertificateOptions, TLSVersion
from zope.interface import implementer

from spiderweb.utils.compat import deprecated_alias

if TYPE_CHECKING:
    from collections.abc import Callable

    from OpenSSL.crypto import X509
    from twisted.internet.interfaces import IOpenSSLClientConnectionCreator
    from twisted.protocols.tls import TLSMemoryBIOProtocol

log = logging.getLogger(__name__)
