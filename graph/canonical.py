"""The canonical text of an object's validated content, and the 64-bit hashes taken of it.

Only values that :class:`~opencase.ontology.validation.ObjectValidator`
returned (or stored values read back, which have the same form) are hashed:
text stripped, datetimes in UTC, integers within 64 bits, finite floats, JSON
maps made of JSON values. Sorted JSON from orjson is then a faithful text of
them, and no value needs a second form.

Two hashes per object:

* ``sys_hash``, of the object's declared properties (the stored content after
  a merge): a change that merges back to the stored content writes nothing;
* ``sys_input_hash``, of the validated properties an upsert sent, mixed with
  the type's fingerprint: re-sending the input of an object's last write is
  found unchanged without reading its stored values back, and an input written
  under an older declaration is looked at again.

For a record that sent every property it has, none of them ``None`` and no
JSON map, the two texts are the same bytes, so a bulk load prints and hashes
most records once. Both hashes are XXH3 (an ``INT64`` column): they are only
compared with the hash of the same object's previous text, and whoever could
craft a collision can write the object anyway.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
from xxhash import xxh3_64_digest

from opencase.ontology import ONTOLOGY, PropertyType

_DUMPS = functools.partial(orjson.dumps, option=orjson.OPT_SORT_KEYS | orjson.OPT_NAIVE_UTC)

#: ``json.dumps(sort_keys=True)`` without building an encoder per call.
_JSON_ENCODER = json.JSONEncoder(sort_keys=True)


def json_text(value: Any) -> str:
    """A JSON property as it is stored: what it reads back as, so the hash survives a round trip."""
    return _JSON_ENCODER.encode(value)


@cache
def _json_names(type_name: str) -> frozenset[str]:
    """The type's JSON properties: their content text is the stored text, not the map."""
    ot = ONTOLOGY.object_type(type_name)
    return frozenset(p.name for p in ot.properties if p.type is PropertyType.JSON)


@cache
def _declared(type_name: str) -> frozenset[str]:
    return frozenset(ONTOLOGY.object_type(type_name).property_names)


def content_text(type_name: str, properties: Mapping[str, Any]) -> bytes:
    """The text :func:`content_hash` hashes: declared, non-``None`` values as sorted JSON.

    It does not depend on key order or on whether an empty value was sent, and
    adding a property to the ontology changes no existing text while it is empty.
    """
    declared, maps = _declared(type_name), _json_names(type_name)
    doc = {
        name: json_text(value) if name in maps else value
        for name, value in properties.items()
        if value is not None and name in declared
    }
    return _DUMPS(doc)


def hash_text(text: bytes) -> int:
    """A text's 64-bit hash (signed, as the engine's INT64 holds it)."""
    return int.from_bytes(xxh3_64_digest(text), "little", signed=True)


def content_hash(type_name: str, properties: Mapping[str, Any]) -> int:
    """A stable hash of an object's validated declared properties (see :func:`content_text`)."""
    return hash_text(content_text(type_name, properties))


@cache
def fingerprint(type_name: str) -> int:
    """The type's declaration (properties, their enums): a change re-validates every input."""
    ot = ONTOLOGY.object_type(type_name)
    text = repr((ot, [ONTOLOGY.enum_of(p) for p in ot.properties]))
    return hash_text(text.encode())


def _input_text(type_name: str, sent: Mapping[str, Any]) -> bytes:
    """Sorted JSON of what was sent, ``None`` values included, JSON maps as their stored text.

    (A JSON map may hold numbers beyond 64 bits, which its stored text keeps and
    orjson cannot print.)
    """
    maps = _json_names(type_name)
    if maps and not maps.isdisjoint(sent):
        sent = {k: json_text(v) if k in maps and v is not None else v for k, v in sent.items()}
    return _DUMPS(sent)


def input_hash(type_name: str, sent: Mapping[str, Any]) -> int:
    """The hash of the validated properties one upsert sent (see :func:`_input_text`)."""
    return hash_text(_input_text(type_name, sent)) ^ fingerprint(type_name)


def _int64s(digests: list[bytes]) -> pa.Int64Array:
    """XXH3 digests (8 bytes each) as the signed integers :func:`hash_text` gives."""
    if sys.byteorder != "little":  # the view below reads the digests in the machine's order
        return pa.array([int.from_bytes(d, "little", signed=True) for d in digests], pa.int64())
    return pa.array(digests, pa.binary(8)).view(pa.int64())


#: Records printed and hashed at a time by :func:`batch_hashes`: orjson hands back each
#: text in a buffer of its own, so a whole type's texts at once would hold a page each.
_CHUNK = 4096


def batch_hashes(
    type_name: str, sent: Sequence[Mapping[str, Any]], contents: Sequence[Mapping[str, Any]]
) -> tuple[pa.Int64Array, pa.Int64Array]:
    """(:func:`input_hash`, :func:`content_hash`) of many new objects, as Arrow columns.

    ``contents[i]`` is the object's full content (``sent[i]`` itself when no
    default was filled in). A content text is printed on its own only where it
    can differ from the input text: another dict, or a ``null`` in the text (a
    ``None`` value, or the word inside some text: conservative). Both texts hold
    JSON maps as their stored text, so a map does not make them differ.
    """
    maps = _json_names(type_name)
    inputs: list[pa.Int64Array] = []
    hashes: list[pa.Int64Array] = []
    for start in range(0, len(sent), _CHUNK):
        rows, full = sent[start : start + _CHUNK], contents[start : start + _CHUNK]
        texts = [_input_text(type_name, r) for r in rows] if maps else list(map(_DUMPS, rows))
        digests = list(map(xxh3_64_digest, texts))
        inputs.append(_int64s(digests))
        own = [
            i
            for i, (row, content, text) in enumerate(zip(rows, full, texts, strict=True))
            if content is not row or b"null" in text
        ]
        for i in own:
            digests[i] = xxh3_64_digest(content_text(type_name, full[i]))
        hashes.append(_int64s(digests))
    empty = pa.array([], pa.int64())
    mark = pa.scalar(fingerprint(type_name), pa.int64())
    in_hashes = pa.concat_arrays(inputs) if inputs else empty
    return pc.bit_wise_xor(in_hashes, mark), pa.concat_arrays(hashes) if hashes else empty
