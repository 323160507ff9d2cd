"""The GraphQL schema: every app's queries in one root type."""

import strawberry
from django.conf import settings
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry_django.optimizer import DjangoOptimizerExtension

from accounts.graphql.schema import AccountsQuery
from common.graphql.schema import CommonQuery
from inventory.graphql.schema import InventoryQuery
from locations.graphql.schema import LocationsQuery
from stockroom.registry import registry
