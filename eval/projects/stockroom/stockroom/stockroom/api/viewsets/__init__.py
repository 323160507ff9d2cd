"""The REST API's model view sets, with change logging and object permissions."""

import logging
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import router, transaction
from django.db.models import ProtectedError
from rest_framework import mixins as drf_mixins
from rest_framework import status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from stockroom.api.serializers.features import ChangeNoteSerializer
from common.api import prefetches_for
from common.errors import AbortRequest
from common.ordering import reapply_ordering

from . import mixins
