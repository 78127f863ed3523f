"""``Long``: the 64-bit integer scalar for properties declared ``long`` in the ontology.

GraphQL's ``Int`` is 32-bit by the specification, so an image of 15 GB cannot
be an ``Int``. ``Long`` is written as a JSON number; as input it also takes a
decimal string, for clients whose numbers lose precision past 2^53.
"""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from graphql import GraphQLError

LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1


def _long(value: Any) -> int:
    """The value as a 64-bit int, or a GraphQLError naming why not.

    A GraphQLError, not a ValueError: graphql-core reports it as the client's
    mistake, while any other exception reaches the client as an internal error.
    """
    if isinstance(value, bool):
        raise GraphQLError(f"Long cannot represent a boolean: {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise GraphQLError(f"Long cannot represent {value!r}: it takes a whole number")
    if not LONG_MIN <= value <= LONG_MAX:
        raise GraphQLError(f"Long cannot represent {value}: it is outside 64 bits")
    return value


Long = strawberry.scalar(
    NewType("Long", int),
    name="Long",
    description="A 64-bit signed integer (sizes in bytes, counts), written as a JSON number.",
    serialize=_long,
    parse_value=_long,
)
