"""RDF/OWL export of the ontology and the graph (``opencase export owl``, ``GET /export``).

The schema comes from :mod:`opencase.ontology.generators.owl` (or ``.shacl``).
The instances have one renderer: :mod:`.instances` turns each object and link
into a subject block of N-Triples terms, and :mod:`.writers` writes the blocks
as N-Triples or Turtle, streamed batch by batch from the store. The nested
formats (RDF/XML, JSON-LD) are rdflib's own serialisers over the same triples.
No database plugin is involved, so the embedded store and Neo4j export the
same way. The HTTP router is :mod:`opencase.export.http`.
"""

from __future__ import annotations

from .exporter import DEFAULT_BASE_IRI, Exporter, ExportOptions, export, schema_graph
from .formats import RdfFormat, negotiate, parse_format
from .instances import ExportCounts, InstanceRenderer

__all__ = [
    "DEFAULT_BASE_IRI",
    "ExportCounts",
    "ExportOptions",
    "Exporter",
    "InstanceRenderer",
    "RdfFormat",
    "export",
    "negotiate",
    "parse_format",
    "schema_graph",
]
