"""The canonical texts the two object hashes are taken of, and the hashes themselves.

``sys_input_hash`` (of an upsert's raw input) lets a re-load skip objects whose
input is what was last written; ``sys_hash`` (of the validated content) lets a
change that merges back to the stored content write nothing. A bulk load takes
both of every object, so the text form is chosen for speed: sorted JSON from
orjson costs about 0.4 us for a typical record where ``repr`` of the sorted
items cost 4 us (measured on the bench generator's records), and for clean
input the two texts are the same bytes, so the column path
(:mod:`opencase.graph.columnar`) prints and hashes each record once.

JSON cannot tell every pair of values apart (NaN and the infinities print as
``null``, as ``None`` does) and has no form for some values (integers beyond
64 bits, arbitrary objects, non-text keys). Those maps get ``repr`` of their
sorted items instead, behind a ``r`` mark that no JSON text starts with, so the
two forms never collide.

Both hashes are 64-bit integers (an ``INT64`` column) from XXH3: they are
only ever compared with the hash of the same object's previous text, where a
false match has a chance of 2**-64, and a string of 32 hex digits per hash cost
the engine about as much to store as the rest of a typical row. XXH3 is not a
cryptographic hash, and need not be: whoever could craft a colliding input can
write the object anyway. It hashes a million texts in 0.08 s where blake2b took
0.8 s. The input hash is the text hash XOR the type's fingerprint, so a record
whose two texts are the same bytes is hashed once.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
from xxhash import xxh3_64_digest

from opencase.ontology import ONTOLOGY, PropertyType

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NAIVE_UTC  # naive datetimes count as UTC, as everywhere in the store
    | orjson.OPT_PASSTHROUGH_SUBCLASS  # a str or dict subclass is not silently its base
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
_REPR_MARK = b"r"
_DUMPS = functools.partial(orjson.dumps, option=_OPTIONS)
UTC = dt.UTC


def _repr_text(pairs: list[tuple[str, Any]]) -> bytes:
    return _REPR_MARK + repr(pairs).encode("utf-8", "backslashreplace")


def _nulls_are_nones(values: Mapping[str, Any]) -> bool:
    """True when each ``null`` of the JSON text can only be a top-level ``None``."""
    for value in values.values():
        cls = value.__class__
        if cls is float:
            if not math.isfinite(value):
                return False
        elif cls is list or cls is dict:
            return False  # a nested None or NaN: not worth telling apart here
    return True


def _settled(text: bytes | None, values: Mapping[str, Any]) -> bytes:
    """The JSON text (``None``: orjson failed) when it is unambiguous, else the marked repr."""
    if text is None or (b"null" in text and not _nulls_are_nones(values)):
        return _repr_text(sorted(values.items()))
    return text


def _text(values: Mapping[str, Any]) -> bytes:
    """The canonical text of one map: sorted JSON, or the marked repr where JSON fails it."""
    try:
        return _settled(orjson.dumps(values, option=_OPTIONS), values)
    except TypeError:
        return _settled(None, values)


def null_or_repr(text: bytes) -> bool:
    """False for a JSON text with no ``null`` (maybe a ``None``): one the column path can share.

    Conservative: ``null`` inside a string value counts too (that record's
    content text is then printed on its own, with the same result).
    """
    return text.startswith(_REPR_MARK) or b"null" in text


def input_text(raw: Mapping[str, Any]) -> bytes:
    """The text an input hash is taken of; for clean input also its content text."""
    return _text(raw)


def input_texts(raws: list[Mapping[str, Any]]) -> list[bytes]:
    """:func:`input_text` of many inputs (see :func:`_texts_and_nulls`)."""
    return _texts_and_nulls(raws)[0]


def _texts_and_nulls(raws: Sequence[Mapping[str, Any]]) -> tuple[list[bytes], list[int]]:
    """:func:`input_text` of many inputs, and which of them :func:`null_or_repr` holds for.

    A million records went through two Python calls each; here the common case
    is one C call per record, and only texts with a ``null`` (or a batch where
    some record has no JSON form) take the careful path. The positions come
    from the same scan, so the column path need not look for ``null`` again.
    """
    try:  # map over a partial: no bytecode per record
        texts = list(map(_DUMPS, raws))
    except TypeError:
        texts = [input_text(raw) for raw in raws]
        return texts, [i for i, text in enumerate(texts) if null_or_repr(text)]
    if b"null" not in b"\n".join(texts):  # one C scan: most batches have no null at all
        return texts, []
    nulls = [i for i, text in enumerate(texts) if b"null" in text]
    for i in nulls:  # only then can the text be ambiguous
        texts[i] = _settled(texts[i], raws[i])
    return texts, nulls


def as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is UTC:
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_UNDECLARED = object()


#: ``json.dumps(sort_keys=True, default=str)`` without building an encoder per call.
_JSON_ENCODER = json.JSONEncoder(sort_keys=True, default=str)


def json_text(value: Any) -> str:
    """A JSON property as it is stored: what it reads back as, so the hash survives a round trip."""
    return _JSON_ENCODER.encode(value)


_CANONICAL: dict[PropertyType, Any] = {
    PropertyType.DATETIME: as_utc,
    PropertyType.JSON: json_text,
}


@cache
def _canonical_of(type_name: str) -> dict[str, Any]:
    """Declared property name -> its canonicalising function, or ``None`` for "as is"."""
    ot = ONTOLOGY.object_type(type_name)
    return {p.name: _CANONICAL.get(p.type) for p in ot.properties}


def content_text(type_name: str, properties: Mapping[str, Any]) -> bytes:
    """The canonical text of an object's declared properties (what :func:`content_hash` hashes).

    The declared properties that are not ``None``, datetimes in UTC and JSON
    maps as their stored text, as sorted JSON, so it does not depend on key
    order, timezone spelling or whether an empty value was sent, and adding a
    property to the ontology changes no existing text while it is empty. For
    clean input with no ``None``, no JSON map and naive or UTC datetimes this is
    exactly :func:`input_text` of the raw input, which the bulk path reuses.
    """
    canonical = _canonical_of(type_name)
    doc = {}
    for name, value in properties.items():
        if value is None:
            continue
        fn = canonical.get(name, _UNDECLARED)
        if fn is _UNDECLARED:
            continue
        doc[name] = value if fn is None else fn(value)
    return _text(doc)


def canonical_content_hashes(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[int]:
    """:func:`content_hash` of rows of declared values already in canonical form (JSON
    as stored text, datetimes in UTC), ``None`` among them: the column path has them so."""
    return [
        hash_text(_text({k: v for k, v in zip(names, row, strict=True) if v is not None}))
        for row in rows
    ]


def hash_text(text: bytes) -> int:
    """A text's 64-bit hash (signed, as the engine's INT64 holds it)."""
    return int.from_bytes(xxh3_64_digest(text), "little", signed=True)


def _int64s(digests: list[bytes]) -> pa.Int64Array:
    """XXH3 digests (8 bytes each) as the signed integers :func:`hash_text` gives."""
    if sys.byteorder != "little":  # the view below reads the digests in the machine's order
        return pa.array([int.from_bytes(d, "little", signed=True) for d in digests], pa.int64())
    return pa.array(digests, pa.binary(8)).view(pa.int64())


def content_hash(type_name: str, properties: Mapping[str, Any]) -> int:
    """A stable hash of an object's declared properties (see :func:`content_text`)."""
    return hash_text(content_text(type_name, properties))


@cache
def _fingerprint(type_name: str) -> int:
    """The type's declaration (properties, their enums): a change re-validates every input."""
    ot = ONTOLOGY.object_type(type_name)
    text = repr((ot, [ONTOLOGY.enum_of(p) for p in ot.properties]))
    return hash_text(text.encode())


def _unstable(text: bytes) -> bool:
    """A repr text with an address in it (``<object at 0x...>``): no stable hash."""
    return text.startswith(_REPR_MARK) and b" at 0x" in text


def input_hash(type_name: str, raw: Mapping[str, Any], text: bytes | None = None) -> int | None:
    """Hash of one raw input, or ``None`` when its values have no stable text form.

    Upsert is a merge and merging is idempotent, so re-sending the input of an
    object's last write changes nothing; the type's fingerprint is mixed in so an
    input written under an older declaration is validated again. A value whose
    ``repr`` is not a literal (e.g. ``<object at 0x...>``) could collide, so such
    inputs get no hash and always take the full path.
    """
    text = input_text(raw) if text is None else text
    return None if _unstable(text) else hash_text(text) ^ _fingerprint(type_name)


@dataclass
class HashedInputs:
    """One type's input hashes, as the planning of a batch needs them.

    ``hashes`` is each input text's :func:`hash_text` (also the content hash of
    a record whose content text is its input text), ``inputs`` each record's
    input hash (null where there is none), both Arrow columns so the column
    path hands them to the engine without a Python int per record. ``own``
    lists the records whose content text may differ from their input text
    (:func:`null_or_repr`), found while the texts were printed. The texts
    themselves are not kept (see :func:`hash_inputs`).
    """

    hashes: pa.Int64Array
    inputs: pa.Int64Array
    own: list[int]


#: Records printed and hashed at a time by :func:`hash_inputs`.
_CHUNK = 4096


def hash_inputs(type_name: str, raws: Sequence[Mapping[str, Any]]) -> HashedInputs:
    """:func:`input_texts` and :func:`input_hash` of one type's records, each text hashed once.

    The texts are printed, hashed and dropped a few thousand at a time: orjson
    (3.13) hands back each text in a 4 KB buffer whatever its length, so the
    texts of a whole type (380k metrics in the 1M bench) held 1.5 GB of fresh
    memory at once, one page per record, and faulting those pages in cost
    more than printing the texts. A chunk's buffers are freed before the next
    chunk prints, so the same few megabytes serve the whole type.
    """
    chunks: list[pa.Int64Array] = []
    own: list[int] = []
    unstable: list[int] = []
    for start in range(0, len(raws), _CHUNK):
        texts, nulls = _texts_and_nulls(raws[start : start + _CHUNK])
        chunks.append(_int64s(list(map(xxh3_64_digest, texts))))
        own += (start + i for i in nulls)
        unstable += (start + i for i in nulls if _unstable(texts[i]))
    hashes = pa.concat_arrays(chunks) if chunks else pa.array([], pa.int64())
    inputs = pc.bit_wise_xor(hashes, pa.scalar(_fingerprint(type_name), pa.int64()))
    if unstable:
        mask = [False] * len(raws)
        for i in unstable:
            mask[i] = True
        inputs = pc.if_else(pa.array(mask), pa.scalar(None, pa.int64()), inputs)
    return HashedInputs(hashes, inputs, own)
