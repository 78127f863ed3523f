"""The GraphQL schema, generated from the ontology once per process.

Build order matters only inside this package: enums, then inputs (which
recurse through link filters), then object and connection types, then the
root types. ``build_schema`` is cached; the app and the tests share it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.schema.config import StrawberryConfig

from opencase.ontology import ONTOLOGY

from ..extensions import ErrorMapper, ReadKeyGate, RequestDeadline
from .enums import ontology_enums
from .inputs import build_inputs
from .interface import OntologyObject
from .mutations import build_mutation
from .naming import plural_field, single_field
from .objects import build_objects
from .query_graph import GraphQueries
from .query_types import many, one
from .subscriptions import Subscription

MAX_QUERY_DEPTH = 15


class OpenCaseSchema(strawberry.Schema):
    """Strawberry logs every error with its traceback, a user's typo included; the
    ErrorMapper extension already logs the unexpected ones (with an id), so no more here."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        return None


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
def build_schema(max_depth: int = MAX_QUERY_DEPTH) -> strawberry.Schema:
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
            ReadKeyGate,
            RequestDeadline,
            QueryDepthLimiter(max_depth=max_depth),
            # clients repeat the same few documents: parse and validate each once
            ParserCache(maxsize=256),
            ValidationCache(maxsize=256),
        ],
        config=StrawberryConfig(auto_camel_case=True),
    )
    return schema


__all__ = ["MAX_QUERY_DEPTH", "build_schema"]
