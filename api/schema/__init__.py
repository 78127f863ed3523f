"""The GraphQL schema, generated from the ontology once per process.

Build order matters only inside this package: enums, then inputs (which
recurse through link filters), then object and connection types, then the
root types. ``build_schema`` is cached; the app and the tests share it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from functools import cache
from typing import Any

import strawberry
from strawberry.extensions import ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from opencase.ontology import ONTOLOGY

from ..extensions import ArgumentLimits, ErrorMapper, QueryShapeLimits, ReadKeyGate, RequestDeadline
from ..extensions.errors import map_errors
from .enums import ontology_enums
from .inputs import build_inputs
from .interface import OntologyObject
from .mutations import build_mutation
from .naming import plural_field, single_field
from .objects import build_objects
from .query_graph import GraphQueries
from .query_types import many, one
from .subscriptions import Subscription


class OpenCaseSchema(strawberry.Schema):
    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        """Strawberry logs every error with its traceback, a user's typo included; the
        ErrorMapper extension already logs the unexpected ones (with an id)."""
        return None

    async def execute(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """A subscription is never executed as a single result: it is served over
        WebSocket (``subscribe``); sent over HTTP it is refused before it runs."""
        allowed = set(allowed_operation_types or (OperationType.QUERY, OperationType.MUTATION))
        return await super().execute(
            query,
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_name=operation_name,
            allowed_operation_types=allowed - {OperationType.SUBSCRIPTION},
            operation_extensions=operation_extensions,
        )

    async def stream(  # type: ignore[override]
        self, query: str | None, *args: Any, **kwargs: Any
    ) -> AsyncGenerator[Any, None]:
        """Errors sent over the WebSocket (both protocols stream through here) get the
        codes errors over HTTP get: the refusal of a subscription that never starts,
        and those of each result it streams."""
        return _with_mapped_errors(await super().stream(query, *args, **kwargs))


async def _with_mapped_errors(results: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    try:
        async for result in results:
            if isinstance(result, ExecutionResult) and result.errors:
                result.errors = map_errors(result.errors)
            yield result
    finally:
        await results.aclose()


def _query(objects: dict[str, type], connections: dict[str | None, type], inputs: object) -> type:
    cls = type("Query", (GraphQueries,), {"__module__": __name__})
    taken = {"object", "search", "lineage", "impact", "path", "aggregate", "ontology"}
    for ot in ONTOLOGY.object_types:
        for name in (single_field(ot), plural_field(ot)):
            if name in taken:
                raise RuntimeError(f"object type {ot.name}: root field {name!r} is already taken")
            taken.add(name)
        setattr(
            cls,
            single_field(ot),
            strawberry.field(
                resolver=one(ot, objects[ot.name]),
                name=single_field(ot),
                description=f"One {ot.name} by id.",
            ),
        )
        setattr(
            cls,
            plural_field(ot),
            strawberry.field(
                resolver=many(
                    ot,
                    inputs.where[ot.name],  # type: ignore[attr-defined]
                    inputs.order[ot.name],  # type: ignore[attr-defined]
                    connections[ot.name],
                ),
                name=plural_field(ot),
                description=f"{ot.plural_name}, filtered, sorted and paged.",
            ),
        )
    return strawberry.type(cls, name="Query")


@cache
def build_schema() -> strawberry.Schema:
    enums = ontology_enums()
    inputs = build_inputs(enums)
    types = build_objects(enums, inputs)
    schema = OpenCaseSchema(
        query=_query(types.objects, types.connections, inputs),
        mutation=build_mutation(enums),
        subscription=Subscription,
        types=[*types.objects.values(), OntologyObject],
        extensions=[
            ErrorMapper,
            # the request's limits (api/limits.py), checked before any resolver asks the store
            QueryShapeLimits,
            ArgumentLimits,
            ReadKeyGate,
            RequestDeadline,
            # clients repeat the same few documents: validate each once (QueryShapeLimits
            # parses, with a cache of its own); a factory: an extension instance is per
            # request, its cache is shared
            lambda: ValidationCache(maxsize=256),
        ],
        config=StrawberryConfig(auto_camel_case=True),
    )
    return schema


__all__ = ["build_schema"]
