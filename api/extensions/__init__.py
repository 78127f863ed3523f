"""Cross-cutting behaviour of the GraphQL schema, one Strawberry extension per module."""

from __future__ import annotations

from .argument_limits import ArgumentLimits
from .errors import ErrorMapper
from .query_shape import QueryShapeLimits
from .read_access import ReadKeyGate
from .timeout import RequestDeadline

__all__ = ["ArgumentLimits", "ErrorMapper", "QueryShapeLimits", "ReadKeyGate", "RequestDeadline"]
