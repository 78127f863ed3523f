"""The canonical texts the two object hashes are taken of, and the hashes themselves.

``sys_input_hash`` (of an upsert's raw input) lets a re-load skip objects whose
input is what was last written; ``sys_hash`` (of the validated content) lets a
change that merges back to the stored content write nothing. A bulk load takes
both of every object, so the text form is chosen for speed: sorted JSON from
orjson costs about 0.4 us for a typical record where ``repr`` of the sorted
items cost 4 us (measured on the bench generator's records), and for clean
input the two texts are the same bytes, so the column path
(:mod:`opencase.graph.columnar`) prints each record once.

JSON cannot tell every pair of values apart (NaN and the infinities print as
``null``, as ``None`` does) and has no form for some values (integers beyond
64 bits, arbitrary objects, non-text keys). Those maps get ``repr`` of their
sorted items instead, behind a ``r`` mark that no JSON text starts with, so the
two forms never collide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping
from functools import cache
from typing import Any

import orjson

from opencase.ontology import ONTOLOGY, PropertyType

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NAIVE_UTC  # naive datetimes count as UTC, as everywhere in the store
    | orjson.OPT_PASSTHROUGH_SUBCLASS  # a str or dict subclass is not silently its base
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
_REPR_MARK = b"r"
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
    """:func:`input_text` of many inputs: one comprehension, fixed up where JSON fails.

    A million records went through two Python calls each; here the common case
    is one C call per record, and only texts with a ``null`` (or a batch where
    some record has no JSON form) take the careful path.
    """
    dumps, options = orjson.dumps, _OPTIONS
    try:
        texts = [dumps(raw, option=options) for raw in raws]
    except TypeError:
        return [input_text(raw) for raw in raws]
    for i, text in enumerate(texts):
        if b"null" in text:  # only then can the text be ambiguous
            texts[i] = _settled(text, raws[i])
    return texts


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is UTC:
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_UNDECLARED = object()


def _json_text(value: Any) -> str:
    """A JSON property as it is stored: what it reads back as, so the hash survives a round trip."""
    return json.dumps(value, sort_keys=True, default=str)


_CANONICAL: dict[PropertyType, Any] = {
    PropertyType.DATETIME: _utc,
    PropertyType.JSON: _json_text,
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


def hash_text(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def content_hash(type_name: str, properties: Mapping[str, Any]) -> str:
    """A stable hash of an object's declared properties (see :func:`content_text`)."""
    return hash_text(content_text(type_name, properties))


@cache
def _fingerprint(type_name: str) -> bytes:
    """The type's declaration (properties, their enums): a change re-validates every input."""
    ot = ONTOLOGY.object_type(type_name)
    text = repr((ot, [ONTOLOGY.enum_of(p) for p in ot.properties]))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def input_hash(type_name: str, raw: Mapping[str, Any], text: bytes | None = None) -> str | None:
    """Hash of one raw input, or ``None`` when its values have no stable text form.

    Upsert is a merge and merging is idempotent, so re-sending the input of an
    object's last write changes nothing; the type's fingerprint is mixed in so an
    input written under an older declaration is validated again. A value whose
    ``repr`` is not a literal (e.g. ``<object at 0x...>``) could collide, so such
    inputs get no hash and always take the full path.
    """
    return input_hashes(type_name, [input_text(raw) if text is None else text])[0]


def input_hashes(type_name: str, texts: list[bytes]) -> list[str | None]:
    """:func:`input_hash` of many texts of one type, the key looked up once."""
    key = _fingerprint(type_name)
    blake2b = hashlib.blake2b
    return [
        None
        if text.startswith(_REPR_MARK) and b" at 0x" in text
        else blake2b(text, digest_size=16, key=key).hexdigest()
        for text in texts
    ]
