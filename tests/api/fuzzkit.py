"""Hypothesis strategies for the fuzz test: GraphQL requests from an introspected schema,
and raw HTTP bodies of every shape.

A request is a root field with arguments passed as variables (declared with
the argument's own type), values mostly of the right kind and sometimes not,
strings that include long ones and unpaired surrogates, and a selection of
the field's scalars and a few nested objects.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from hypothesis import strategies as st

TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "model-work:A350:72:engine-health", "A350", "\ud800x", "x" * 70_000]),
    st.text(alphabet="abc:-@", max_size=12),
)
INTS = st.one_of(st.integers(-5, 600), st.sampled_from([0, 1, 2**31, -(2**53), 10**30]))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def value_for(draw: Any, kind: Any, depth: int = 0) -> Any:
    """A value for an input type: usually valid in shape, now and then not."""
    if draw(st.integers(0, 19)) == 0:
        return draw(JSON_VALUES)  # the wrong kind altogether
    if isinstance(kind, GraphQLNonNull):
        return value_for(draw, kind.of_type, depth)
    if isinstance(kind, GraphQLList):
        size = draw(st.integers(0, 3))
        return [value_for(draw, kind.of_type, depth + 1) for _ in range(size)]
    if isinstance(kind, GraphQLEnumType):
        return draw(st.sampled_from([*kind.values, "NOT_A_VALUE"]))
    if isinstance(kind, GraphQLInputObjectType):
        if depth > 3:
            return {}
        names = sorted(kind.fields)
        chosen = draw(st.lists(st.sampled_from(names), max_size=3, unique=True)) if names else []
        required = [n for n in names if isinstance(kind.fields[n].type, GraphQLNonNull)]
        return {n: value_for(draw, kind.fields[n].type, depth + 1) for n in {*chosen, *required}}
    name = getattr(kind, "name", "")
    if name == "Int":
        return draw(INTS)
    if name == "Float":
        return draw(st.floats(allow_nan=False, allow_infinity=False))
    if name == "Boolean":
        return draw(st.booleans())
    if name in ("String", "ID"):
        return draw(TEXT)
    if name == "JSON":
        return draw(JSON_VALUES)
    if name in ("Date", "DateTime"):
        return draw(st.sampled_from(["2025-01-01", "2025-01-01T10:00:00", "yesterday"]))
    return draw(TEXT)


def selection(draw: Any, kind: Any, depth: int = 0) -> str:
    """A selection set for a field's type ('' for scalars)."""
    named = get_named_type(kind)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return ""
    if isinstance(named, GraphQLUnionType) or depth > 2:
        return "{ __typename }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    fields = sorted(named.fields)
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=4, unique=True))
    parts = ["__typename"]
    for name in chosen:
        field: GraphQLField = named.fields[name]
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue  # nested required arguments: the root field's are enough
        inner = selection(draw, field.type, depth + 1)
        parts.append(f"{name} {inner}".strip())
    return "{ " + " ".join(parts) + " }"


@st.composite
def requests(draw: Any, schema: GraphQLSchema, operation: str = "query") -> dict[str, Any]:
    """One operation on a root field of ``schema``, arguments as variables."""
    root = schema.query_type if operation == "query" else schema.mutation_type
    assert root is not None
    name = draw(st.sampled_from(sorted(root.fields)))
    field = root.fields[name]
    declared, passed, variables = [], [], {}
    for i, (arg_name, arg) in enumerate(sorted(field.args.items())):
        required = isinstance(arg.type, GraphQLNonNull)
        if not required and not draw(st.booleans()):
            continue
        declared.append(f"$v{i}: {arg.type}")
        passed.append(f"{arg_name}: $v{i}")
        variables[f"v{i}"] = value_for(draw, arg.type)
    head = f"{operation}({', '.join(declared)})" if declared else operation
    call = f"{name}({', '.join(passed)})" if passed else name
    query = f"{head} {{ {call} {selection(draw, field.type)} }}"
    return {"query": query, "variables": variables}


def encode(body: Any) -> bytes:
    """JSON with every non-ASCII character escaped, so unpaired surrogates travel too."""
    return json.dumps(body, ensure_ascii=True).encode()


def nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


#: Bodies known to have broken servers: bad UTF-8, non-object JSON, deep nesting.
HOSTILE_BODIES = [
    b"\xff\xfe\xfa",
    b'"x"',
    b"[]",
    b"null",
    b"{",
    b'{"query": 5}',
    b'{"query": "{ modelWorks { totalCount } }", "variables": "x"}',
    b'{"query": "{ modelWorks { totalCount } }", "variables": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    b"[" * 100_000 + b"]" * 100_000,
    encode({"query": "{ modelWorks { totalCount } }", "variables": {"a": nested(900, 1)}}),
    encode({"query": "{ " + "a: __typename " * 20 + "}"}),
    encode({"query": "{ object(id: " + '"' + "x" * 500_000 + '"' + ") { id } }"}),
]

RAW_BODIES = st.one_of(
    st.binary(max_size=200),
    JSON_VALUES.map(encode),
    st.builds(
        lambda q, v: encode({"query": q, "variables": v}),
        st.text(alphabet="{}()[]:$!@ .\"'\\abcdefgimnoqrstuvwxyzW0123456789", max_size=80),
        JSON_VALUES,
    ),
)
