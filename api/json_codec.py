"""How the API encodes a GraphQL response: orjson, with the standard library as the fallback.

Used by Strawberry's view through its documented ``encode_json`` hook
(``app.py``): a large lineage answer encodes much faster than with the
standard library.
"""

from __future__ import annotations

import json

import orjson


def encode_json_bytes(data: object) -> bytes:
    """orjson, falling back to the standard library for what orjson refuses.

    The few values orjson refuses (integers past 64 bits, non-string keys in a
    JSON scalar) go through the standard encoder, with Strawberry's separators,
    so every answer that encoded before still does, to the same JSON value.
    """
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, separators=(",", ":")).encode()
