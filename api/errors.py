"""Errors only the API raises, and the GraphQL error code of every OpenCase error.

The codes follow the usual GraphQL conventions so clients can branch on
``extensions.code`` instead of parsing messages; docs/limits.md lists them all.
"""

from __future__ import annotations

from opencase.errors import (
    ActionError,
    GraphStoreError,
    LimitExceededError,
    NotFoundError,
    OntologyError,
    OpenCaseError,
    StoreCapacityError,
    StoreInterruptedError,
    StoreUnavailableError,
    StoreValueError,
    ValidationError,
)


class ApiError(OpenCaseError):
    """Root of the API's own refusals."""

    code = "BAD_REQUEST"


class UnauthenticatedError(ApiError):
    code = "UNAUTHENTICATED"


class ForbiddenError(ApiError):
    code = "FORBIDDEN"


class RequestTimeoutError(ApiError):
    code = "TIMEOUT"

    def __init__(self) -> None:
        super().__init__(
            "the request took longer than the server's time limit",
            suggestion="ask for less: lower depth, maxNodes or first, or filter more",
        )


def error_code(exc: OpenCaseError) -> str:
    """The ``extensions.code`` of one of our errors (most specific class first)."""
    if isinstance(exc, ApiError):
        return exc.code
    if isinstance(exc, NotFoundError):
        return "NOT_FOUND"
    if isinstance(exc, LimitExceededError):
        return "LIMIT_EXCEEDED"
    if isinstance(exc, ValidationError | OntologyError | ActionError | StoreValueError):
        return "BAD_USER_INPUT"  # an action refused (bad transition) is the input's fault too
    if isinstance(exc, StoreUnavailableError):
        return "SERVICE_UNAVAILABLE"
    if isinstance(exc, StoreInterruptedError):
        return "TIMEOUT"
    if isinstance(exc, StoreCapacityError):
        return "STORE_CAPACITY"
    if isinstance(exc, GraphStoreError):
        return "STORE_ERROR"
    return "BAD_REQUEST"
