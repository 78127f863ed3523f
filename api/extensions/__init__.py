"""Cross-cutting behaviour of the GraphQL schema, one Strawberry extension per module."""

from __future__ import annotations

from .errors import ErrorMapper
from .read_access import ReadKeyGate
from .timeout import RequestDeadline

__all__ = ["ErrorMapper", "ReadKeyGate", "RequestDeadline"]
