"""Django settings of stockroom, read from the configuration module the environment names."""

import hashlib
import importlib
import os
import platform
import sys
import warnings

from django.contrib.messages import constants as messages
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from stockroom.config import PARAMETERS
from stockroom.constants import QUEUE_DEFAULT, QUEUE_HIGH, QUEUE_LOW
from stockroom.plugins import PluginConfig
from common.release import read_release
from common.text import with_trailing_slash

CONFIGURATION = os.environ.get("STOCKROOM_CONFIGURATION", "stockroom.configuration")
try:
    configuration = importlib.import_module(CONFIGURATION)
except ModuleNotFoundError as error:
    if error.name == CONFIGURATION:
        raise ImproperlyConfigured(f"configuration module {CONFIGURATION} not found: create it") from None
    raise

STORAGE_BACKEND = getattr(configuration, "STORAGE_BACKEND", None)

# Optional storage backends: not in requirements.txt, the administrator installs the one configured.
if STORAGE_BACKEND is not None and STORAGE_BACKEND.startswith("storages."):
    try:
        import storages.utils  # type: ignore[import-not-found]
    except ModuleNotFoundError as error:
        if error.name == "storages":
            raise ImproperlyConfigured(f"{STORAGE_BACKEND} needs django-storages: pip install django-storages")
        raise
elif STORAGE_BACKEND == "swift.storage.SwiftStorage":
    try:
        import swift.utils  # noqa: F401
    except ModuleNotFoundError as error:
        if error.name == "swift":
            raise ImproperlyConfigured("SwiftStorage needs django-storage-swift: pip install django-storage-swift")
        raise

SENTRY_ENABLED = getattr(configuration, "SENTRY_ENABLED", False)
if SENTRY_ENABLED:
    try:
        import sentry_sdk
    except ModuleNotFoundError:
        raise ImproperlyConfigured("SENTRY_ENABLED is set but sentry-sdk is not installed")

for plugin_name in getattr(configuration, "PLUGINS", []):
    try:
        plugin = importlib.import_module(plugin_name)
    except ModuleNotFoundError as error:
        if error.name == plugin_name:
            raise ImproperlyConfigured(f"plugin {plugin_name} is not installed in this environment") from None
        raise
