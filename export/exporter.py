"""One export run: the schema (OWL or SHACL), then the instances, as text chunks.

The CLI writes the chunks to a file, the HTTP router streams them. Turtle and
N-Triples are streamed batch by batch from the store; RDF/XML and JSON-LD need
the whole graph in rdflib first (their serialisers nest and compact), so they
are meant for the schema and for graphs of demo size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from rdflib import Graph

from opencase.graph.store import GraphStore
from opencase.ontology.generators.owl import owl_schema
from opencase.ontology.generators.shacl import shacl_shapes
from opencase.ontology.registry import Ontology

from .formats import RdfFormat
from .instances import ExportCounts, InstanceRenderer, instance_blocks
from .writers import NTriplesWriter, TurtleWriter

#: Individuals live under this unless ``--base-iri``/``OPENCASE_BASE_IRI`` says otherwise;
#: example.org on purpose: a deployment should mint IRIs under a domain it owns.
DEFAULT_BASE_IRI = "https://opencase.example.org/id/"

#: Subjects per text chunk written or sent (bounds the text held at once to a few MB).
_BLOCKS_PER_CHUNK = 2_000

_RDFLIB_FORMAT = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.XML: "xml",
    RdfFormat.JSON_LD: "json-ld",
    RdfFormat.NT: "nt",
}


def default_base_iri() -> str:
    return os.environ.get("OPENCASE_BASE_IRI") or DEFAULT_BASE_IRI


@dataclass(frozen=True)
class ExportOptions:
    """Everything ``opencase export owl`` and ``GET /export`` can ask for."""

    format: RdfFormat = RdfFormat.TURTLE
    base_iri: str = field(default_factory=default_base_iri)
    schema_only: bool = False
    shacl: bool = False  # SHACL shapes in place of the OWL axioms
    include_deleted: bool = False
    prov: bool = True  # also state PROV-O types and relations on the instances
    batch_size: int = 10_000


def schema_graph(options: ExportOptions, ontology: Ontology | None = None) -> Graph:
    """The OWL TBox, or the SHACL shapes when ``options.shacl``."""
    return shacl_shapes(ontology) if options.shacl else owl_schema(ontology)


class Exporter:
    """Runs one export; :attr:`counts` is filled in as the chunks are consumed."""

    def __init__(self, options: ExportOptions, ontology: Ontology | None = None) -> None:
        if ontology is None:
            from opencase.ontology import ONTOLOGY

            ontology = ONTOLOGY
        self.options = options
        self.ontology = ontology
        self.counts = ExportCounts()
        # Built now so that a bad base IRI fails before a response starts streaming.
        self.renderer = InstanceRenderer(
            ontology,
            options.base_iri,
            prov=options.prov,
            xml_safe=options.format is RdfFormat.XML,
        )

    def chunks(self, store: GraphStore | None) -> Iterator[str]:
        """The export as text; ``store`` may be ``None`` when only the schema is wanted."""
        schema = schema_graph(self.options, self.ontology)
        fmt = self.options.format
        with_instances = not self.options.schema_only and store is not None
        if not fmt.streams:
            if with_instances:
                assert store is not None
                nt = NTriplesWriter()
                for blocks in self._blocks(store):
                    schema.parse(data=nt.chunk(blocks), format="nt")
            yield schema.serialize(format=_RDFLIB_FORMAT[fmt])
            return
        yield schema.serialize(format=_RDFLIB_FORMAT[fmt])
        if not with_instances:
            return
        assert store is not None
        writer = NTriplesWriter() if fmt is RdfFormat.NT else TurtleWriter.for_graph(schema)
        yield writer.header()
        for blocks in self._blocks(store):
            if blocks:
                yield writer.chunk(blocks)

    def _blocks(self, store: GraphStore) -> Iterator[list[tuple[str, list[tuple[str, str]]]]]:
        for blocks in instance_blocks(
            store,
            self.renderer,
            include_deleted=self.options.include_deleted,
            batch_size=self.options.batch_size,
            counts=self.counts,
        ):
            self.counts.triples += sum(len(pairs) for _, pairs in blocks)
            # Smaller text chunks than a store batch: bounded text held at once.
            for start in range(0, len(blocks), _BLOCKS_PER_CHUNK):
                yield blocks[start : start + _BLOCKS_PER_CHUNK]

    def write(self, store: GraphStore | None, out: TextIO) -> ExportCounts:
        """Write the whole export to ``out`` (a text stream opened as UTF-8)."""
        for chunk in self.chunks(store):
            out.write(chunk)
            del chunk  # a page of text is tens of MB: let it go before the next is made
        return self.counts


def export(
    store: GraphStore | None, out: TextIO, options: ExportOptions | None = None
) -> ExportCounts:
    """Export ``store`` (schema and instances, as ``options`` say) to ``out``."""
    return Exporter(options or ExportOptions()).write(store, out)
