"""Format names and HTTP content negotiation."""

from __future__ import annotations

import pytest

from opencase.errors import OpenCaseError
from opencase.export import RdfFormat, negotiate, parse_format


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, RdfFormat.TURTLE),
        ("text/turtle", RdfFormat.TURTLE),
        ("application/rdf+xml", RdfFormat.XML),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/n-triples", RdfFormat.NT),
        ("application/n-triples;q=0.5, application/rdf+xml", RdfFormat.XML),
        ("text/html,application/xhtml+xml,*/*;q=0.8", RdfFormat.TURTLE),
        ("application/ld+json;q=0, text/turtle;q=0.1", RdfFormat.TURTLE),
        ("image/png", None),
    ],
)
def test_negotiate(accept: str | None, expected: RdfFormat | None) -> None:
    assert negotiate(accept) == expected


def test_parse_format_takes_names_aliases_and_media_types() -> None:
    assert parse_format("ttl") is RdfFormat.TURTLE
    assert parse_format("application/rdf+xml") is RdfFormat.XML
    assert parse_format("JSON-LD") is RdfFormat.JSON_LD
    with pytest.raises(OpenCaseError, match="unknown RDF format"):
        parse_format("yaml")
