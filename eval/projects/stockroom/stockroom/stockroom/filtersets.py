"""Filter sets shared by every model's list views and API endpoints."""

import json
from copy import deepcopy

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django_filters.exceptions import FieldLookupError
from django_filters.utils import get_model_field, resolve_field

from accounts.filterset_mixins import OwnerFilterMixin
from common import filters
from common.constants import CHARACTER_LOOKUPS, NEGATED_LOOKUPS, NUMERIC_LOOKUPS
from common.forms.fields import BarcodeField
from inventory.choices import ChangeAction
from inventory.filters import TagFilter
from inventory.models import Item, SavedFilter
