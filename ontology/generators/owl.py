"""The ontology as an OWL 2 DL schema (TBox) in an rdflib ``Graph``.

Built like LinkML's owlgen: walk the declarations, add triples, let rdflib
serialise. Choices that keep the result OWL 2 DL (Protégé and HermiT read it):

* one datatype property per (class, property), so each has one domain and one
  XSD range; system properties are shared with the union of all classes as domain;
* enums are named data ranges (``owl:oneOf`` of string literals);
* a single-valued property is functional (the store holds one value per
  property, so data cannot break it); a required one adds ``minCardinality 1``;
* one object property per link type under its API name, functional when a
  source has at most one target; its inverse carries the reverse field and is
  functional when a target has at most one source;
* PROV-O is imported (``owl:imports``) and the PROV terms used are declared too;
* dates are ``xsd:dateTime`` (``xsd:date`` is outside the OWL 2 datatype map);
* PROV-O alignment by ``rdfs:subClassOf``/``rdfs:subPropertyOf`` only where the
  link's ends match PROV-O's domain and range (see :func:`vocab.prov_fits`); a
  flow link's relation sits on the link or on its inverse as its upstream end
  dictates (:func:`vocab.prov_side`), so the export and lineage agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from ..model import EnumType, LinkType, ObjectType, Property, PropertyType
from ..registry import SYSTEM_PROPERTIES, Ontology
from . import vocab
from .base import Generator


def bind_prefixes(graph: Graph) -> Graph:
    """The prefixes every OpenCase RDF output uses (schema, shapes and instances)."""
    graph.bind("oc", vocab.VOCAB_IRI, replace=True)
    graph.bind("owl", OWL)
    graph.bind("rdfs", RDFS)
    graph.bind("xsd", XSD)
    graph.bind("prov", PROV)
    return graph


class OwlGenerator(Generator):
    """Returns the TBox as an rdflib ``Graph`` from :meth:`serialize`."""

    def __init__(self, ontology: Ontology | None = None) -> None:
        super().__init__(ontology)
        self.oc = vocab.namespace_for(self.ontology)

    # ---- ontology header, system properties, PROV ------------------------------------------

    def visit_ontology(self, ontology: Ontology) -> None:
        g = self.graph = bind_prefixes(Graph())
        onto = URIRef(vocab.ONTOLOGY_IRI)
        g.add((onto, RDF.type, OWL.Ontology))
        g.add((onto, OWL.versionIRI, URIRef(f"{vocab.ONTOLOGY_IRI}/{ontology.version}")))
        g.add((onto, OWL.versionInfo, Literal(ontology.version)))
        g.add((onto, OWL.imports, URIRef(vocab.PROV_O_IRI)))
        g.add((onto, RDFS.label, Literal("OpenCase")))
        g.add(
            (
                onto,
                RDFS.comment,
                Literal(
                    "ML model lineage: models, versions, experiments, data, gates, releases "
                    "and deployments. Generated from the OpenCase ontology; lineage links "
                    "are aligned with W3C PROV-O."
                ),
            )
        )
        for name in vocab.PROV_CLASSES:
            g.add((PROV[name], RDF.type, OWL.Class))
        for term in vocab.PROV_TERMS.values():
            kind = OWL.DatatypeProperty if term.range is None else OWL.ObjectProperty
            g.add((term.iri, RDF.type, kind))
        every_class = [self.oc[vocab.class_term(ot)] for ot in ontology.object_types]
        for prop in SYSTEM_PROPERTIES:
            self._datatype_property(self.oc[vocab.system_term(prop)], prop, every_class)

    def visit_enum(self, enum: EnumType) -> None:
        g = self.graph
        node = self.oc[vocab.enum_term(enum)]
        g.add((node, RDF.type, RDFS.Datatype))
        g.add((node, RDFS.label, Literal(enum.name)))
        g.add((node, RDFS.comment, Literal(enum.description)))
        one_of = BNode()
        g.add((one_of, RDF.type, RDFS.Datatype))
        g.add((one_of, OWL.oneOf, self._list([Literal(v) for v in enum.values])))
        g.add((node, OWL.equivalentClass, one_of))

    # ---- classes and datatype properties ---------------------------------------------------

    def visit_object_type(self, object_type: ObjectType) -> None:
        g = self.graph
        node = self.oc[vocab.class_term(object_type)]
        g.add((node, RDF.type, OWL.Class))
        g.add((node, RDFS.label, Literal(object_type.name)))
        g.add((node, RDFS.comment, Literal(object_type.description)))
        if object_type.prov_class:
            g.add((node, RDFS.subClassOf, PROV[object_type.prov_class]))

    def visit_property(self, object_type: ObjectType, prop: Property) -> None:
        cls = self.oc[vocab.class_term(object_type)]
        node = self.oc[vocab.property_term(object_type, prop)]
        self._datatype_property(node, prop, [cls])
        term = vocab.PROV_TERMS.get(prop.prov_property or "")
        if term is not None and term.range is None:
            self.graph.add((node, RDFS.subPropertyOf, term.iri))
        if prop.required:
            restriction = BNode()
            self.graph.add((restriction, RDF.type, OWL.Restriction))
            self.graph.add((restriction, OWL.onProperty, node))
            self.graph.add(
                (restriction, OWL.minCardinality, Literal(1, datatype=XSD.nonNegativeInteger))
            )
            self.graph.add((cls, RDFS.subClassOf, restriction))

    def _datatype_property(self, node: URIRef, prop: Property, domain: Sequence[URIRef]) -> None:
        g = self.graph
        g.add((node, RDF.type, OWL.DatatypeProperty))
        g.add((node, RDFS.label, Literal(prop.name)))
        g.add((node, RDFS.comment, Literal(prop.description)))
        g.add((node, RDFS.domain, self._union(domain)))
        if prop.type == PropertyType.ENUM and prop.enum:
            g.add((node, RDFS.range, self.oc[prop.enum]))
        else:
            g.add((node, RDFS.range, vocab.XSD_OF[prop.type]))
        if prop.type != PropertyType.STRING_LIST:
            g.add((node, RDF.type, OWL.FunctionalProperty))

    # ---- links -----------------------------------------------------------------------------

    def visit_link_type(self, link_type: LinkType) -> None:
        g = self.graph
        forward = self.oc[vocab.link_term(link_type)]
        inverse = self.oc[vocab.inverse_term(link_type)]
        source = [self.oc[link_type.source]]
        targets = [self.oc[t] for t in link_type.targets]
        self._object_property(forward, link_type.api_name, source, targets)
        g.add((forward, RDFS.comment, Literal(link_type.description)))
        self._object_property(inverse, link_type.reverse_field, targets, source)
        g.add((inverse, RDFS.comment, Literal(f"Reverse of {link_type.api_name}.")))
        g.add((inverse, OWL.inverseOf, forward))
        if link_type.cardinality.source_max_targets_one:
            g.add((forward, RDF.type, OWL.FunctionalProperty))
        if link_type.cardinality.target_max_sources_one:
            g.add((inverse, RDF.type, OWL.FunctionalProperty))
        term = vocab.PROV_TERMS.get(link_type.prov_property or "")
        sides = {vocab.prov_side(self.ontology, link_type, t) for t in link_type.targets}
        if term is not None and len(sides) == 1 and None not in sides:
            g.add((forward if sides == {True} else inverse, RDFS.subPropertyOf, term.iri))
        g.add((forward, RDFS.comment, Literal(_role_note(link_type))))
        for prop in link_type.properties:
            node = self.oc[vocab.link_property_term(link_type, prop)]
            g.add((node, RDF.type, OWL.AnnotationProperty))
            g.add((node, RDFS.label, Literal(prop.name)))
            g.add((node, RDFS.comment, Literal(prop.description)))

    def _object_property(
        self, node: URIRef, label: str, domain: list[URIRef], range_: list[URIRef]
    ) -> None:
        g = self.graph
        g.add((node, RDF.type, OWL.ObjectProperty))
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, RDFS.domain, self._union(domain)))
        g.add((node, RDFS.range, self._union(range_)))

    def end_ontology(self, ontology: Ontology) -> Graph:
        return self.graph

    # ---- helpers ---------------------------------------------------------------------------

    def _union(self, classes: Sequence[URIRef]) -> URIRef | BNode:
        if len(classes) == 1:
            return classes[0]
        union = BNode()
        self.graph.add((union, RDF.type, OWL.Class))
        self.graph.add((union, OWL.unionOf, self._list(list(classes))))
        return union

    def _list(self, items: list[URIRef] | list[Literal]) -> BNode:
        head = BNode()
        Collection(self.graph, head, list(items))
        return head


def _role_note(link_type: LinkType) -> str:
    """The link's lineage role in words, so a reader of the export sees what lineage follows."""
    if not link_type.is_flow:
        return "Lineage role: context (followed only when context is asked for)."
    end = link_type.source if link_type.downstream_is_outgoing else " or ".join(link_type.targets)
    return f"Lineage role: flow; the {end} end is upstream (the input)."


def owl_schema(ontology: Ontology | None = None) -> Graph:
    """The TBox of ``ontology`` (default: the declared one) as an rdflib graph."""
    return OwlGenerator(ontology).serialize()
