"""N-Triples text for IRIs and literals, written directly for speed.

The streaming exporter renders each term once as N-Triples text (which is also
valid Turtle) instead of building rdflib terms: that is what makes it several
times faster than ``Graph.serialize`` and lets it run in bounded memory. The
escaping follows the N-Triples grammar (STRING_LITERAL_QUOTE): ``"`` ``\\``
LF and CR must be escaped; other control characters are escaped as ``\\uXXXX``
so that line-oriented tools never see a raw control byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from opencase.errors import OpenCaseError
from opencase.ontology.generators.vocab import XSD_OF
from opencase.ontology.model import PropertyType

_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}
_ESCAPES.update(
    {
        ord("\\"): "\\\\",
        ord('"'): '\\"',
        ord("\n"): "\\n",
        ord("\r"): "\\r",
        ord("\t"): "\\t",
        ord("\b"): "\\b",
        ord("\f"): "\\f",
    }
)
#: RDF/XML cannot carry the C0 controls XML 1.0 forbids, not even as character
#: references; an RDF/XML export writes U+FFFD in their place (N-Triples keeps them).
_XML_ESCAPES = dict(_ESCAPES)
_XML_ESCAPES.update({c: "\ufffd" for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})
_XML_ESCAPES.update({0xFFFE: "\ufffd", 0xFFFF: "\ufffd"})
#: Characters an IRI may not contain in N-Triples/Turtle (IRIREF grammar).
_IRI_FORBIDDEN = set('<>"{}|^`\\ ') | {chr(c) for c in range(0x21)}


#: Most values need no escaping; one C-level search spares the per-character translate.
_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\\ufffe\uffff]')


def escape_literal(text: str, *, xml_safe: bool = False) -> str:
    """The body of a quoted N-Triples string literal (``xml_safe``: see ``_XML_ESCAPES``)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(_XML_ESCAPES if xml_safe else _ESCAPES)


def iri(value: str) -> str:
    """``<value>``; callers pass only IRIs built from checked parts."""
    return f"<{value}>"


def check_iri(value: str, *, what: str = "IRI") -> str:
    """Raise a clear error for text that cannot be an absolute IRI in N-Triples."""
    bad = sorted({ch for ch in value if ch in _IRI_FORBIDDEN})
    if ":" not in value or bad:
        raise OpenCaseError(
            f"{what} {value!r} is not an absolute IRI"
            + (f" (it contains {', '.join(map(repr, bad))})" if bad else ""),
            suggestion="use something like https://data.example.org/opencase/",
        )
    return value


def encode_key(primary_key: str) -> str:
    """Percent-encode a primary key as one IRI path segment: ``A330:72|x`` -> ``A330%3A72%7Cx``.

    Same result as ``urllib.parse.quote(key, safe="")``; ASCII keys (nearly all)
    take a C-level ``translate`` instead.
    """
    if primary_key.isascii():
        return primary_key.translate(_PERCENT_ASCII)
    return quote(primary_key, safe="")


_KEY_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-")
_PERCENT_ASCII = {c: f"%{c:02X}" for c in range(128) if chr(c) not in _KEY_SAFE}


def _double(value: Any) -> str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "INF" if number > 0 else "-INF"
    return repr(number)


def _date(value: Any) -> str:
    """A date as the ``xsd:dateTime`` of its midnight (see ``vocab.XSD_OF``)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    day = value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
    return day + "T00:00:00"


def _datetime(value: Any) -> str:
    # Whole seconds: HermiT rejects more than three fractional digits as a malformed
    # literal (which stops the reasoner) and owlready2 rewrites any fraction with six.
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()).isoformat()
    return str(value).replace(" ", "T", 1)


def _boolean(value: Any) -> str:
    return "true" if value else "false"


def _json(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _integer(value: Any) -> str:
    return str(int(value))


_LEXICAL: dict[PropertyType, Callable[[Any], str]] = {
    PropertyType.STRING: str,
    PropertyType.ENUM: str,
    PropertyType.STRING_LIST: str,
    PropertyType.INT: _integer,
    PropertyType.FLOAT: _double,
    PropertyType.BOOL: _boolean,
    PropertyType.DATE: _date,
    PropertyType.DATETIME: _datetime,
    PropertyType.JSON: _json,
}


def literal_renderer(kind: PropertyType, *, xml_safe: bool = False) -> Callable[[Any], str]:
    """A function turning one Python value of ``kind`` into an N-Triples literal.

    Strings are written without ``^^xsd:string`` (the RDF 1.1 canonical form);
    every other kind carries its XSD datatype.
    """
    lexical = _LEXICAL[kind]
    escape = functools.partial(escape_literal, xml_safe=xml_safe)
    if XSD_OF[kind] == XSD_OF[PropertyType.STRING]:

        def render_string(value: Any) -> str:
            return '"' + escape(lexical(value)) + '"'

        return render_string
    suffix = '"^^' + iri(str(XSD_OF[kind]))
    if kind in (PropertyType.DATE, PropertyType.DATETIME):
        return _remember_last(lambda value: '"' + escape(lexical(value)) + suffix)

    def render_typed(value: Any) -> str:
        return '"' + escape(lexical(value)) + suffix

    return render_typed


def _remember_last(render: Callable[[Any], str]) -> Callable[[Any], str]:
    """Objects loaded together share their timestamps: skip re-rendering a repeat."""
    last_value: Any = None
    last_text = ""

    def remembered(value: Any) -> str:
        nonlocal last_value, last_text
        if value != last_value:
            last_value, last_text = value, render(value)
        return last_text

    return remembered
