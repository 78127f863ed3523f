"""The RDF serialisations OpenCase exports, their media types and content negotiation."""

from __future__ import annotations

from enum import StrEnum

from opencase.errors import OpenCaseError


class RdfFormat(StrEnum):
    """Names as the CLI takes them (``--format``)."""

    TURTLE = "turtle"
    XML = "xml"
    JSON_LD = "json-ld"
    NT = "nt"

    @property
    def media_type(self) -> str:
        return _MEDIA[self]

    @property
    def extension(self) -> str:
        return _EXTENSION[self]

    @property
    def streams(self) -> bool:
        """Written in bounded memory; the others build one rdflib graph first."""
        return self in (RdfFormat.TURTLE, RdfFormat.NT)


_MEDIA = {
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.XML: "application/rdf+xml",
    RdfFormat.JSON_LD: "application/ld+json",
    RdfFormat.NT: "application/n-triples",
}
_EXTENSION = {
    RdfFormat.TURTLE: "ttl",
    RdfFormat.XML: "owl",
    RdfFormat.JSON_LD: "jsonld",
    RdfFormat.NT: "nt",
}
_ALIASES = {"ttl": RdfFormat.TURTLE, "rdf": RdfFormat.XML, "owl": RdfFormat.XML}
_ALIASES.update({"jsonld": RdfFormat.JSON_LD, "ntriples": RdfFormat.NT, "n-triples": RdfFormat.NT})


def parse_format(name: str) -> RdfFormat:
    """A format by CLI name, alias or media type; a clear error otherwise."""
    text = name.strip().lower()
    for fmt in RdfFormat:
        if text in (fmt.value, fmt.media_type):
            return fmt
    if text in _ALIASES:
        return _ALIASES[text]
    raise OpenCaseError(
        f"unknown RDF format {name!r}",
        suggestion="use one of: " + ", ".join(f.value for f in RdfFormat),
    )


def negotiate(accept: str | None, default: RdfFormat = RdfFormat.TURTLE) -> RdfFormat | None:
    """The best format for an HTTP ``Accept`` header, or ``None`` when none is acceptable.

    Honours q-values; ``*/*``, ``text/*``, ``application/*`` and a missing header
    fall back to ``default`` (Turtle: readable and streamed).
    """
    if not accept or not accept.strip():
        return default
    ranked: list[tuple[float, int, RdfFormat]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        media = media.lower()
        for fmt in _candidates(media, default):
            ranked.append((quality, -position, fmt))
    if not ranked:
        return None
    return max(ranked, key=lambda r: (r[0], r[1]))[2]


def _candidates(media: str, default: RdfFormat) -> list[RdfFormat]:
    exact = [f for f in RdfFormat if f.media_type == media]
    if exact:
        return exact
    if media in ("*/*", "*"):
        return [default]
    if media == "text/*":
        return [RdfFormat.TURTLE]
    if media == "application/*":
        return [default if default != RdfFormat.TURTLE else RdfFormat.NT]
    if media in ("application/json", "application/xml", "text/plain"):  # common near-misses
        return {
            "application/json": [RdfFormat.JSON_LD],
            "application/xml": [RdfFormat.XML],
            "text/plain": [RdfFormat.NT],
        }[media]
    return []
