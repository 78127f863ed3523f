"""SHACL shapes for exported instance data, generated from the ontology.

OWL is open-world: a missing required value or an unknown enum spelling is not
a contradiction to a reasoner. SHACL closes that gap for data consumers: one
``sh:NodeShape`` per object type with a property shape per declared property
(datatype, required, single-valued, enum values, pattern, bounds) and per link
(target class(es), at most one target or source where the cardinality says so).
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..model import LinkType, ObjectType, Property, PropertyType
from ..registry import SYSTEM_PROPERTIES, Ontology
from . import vocab
from .base import Generator
from .owl import bind_prefixes

#: Shapes are not vocabulary: they live beside it, one per object type (``ocsh:ModelWork``).
SHAPES_IRI = "https://w3id.org/opencase/shapes#"
SHAPES = Namespace(SHAPES_IRI)


class ShaclGenerator(Generator):
    """Returns the shapes graph from :meth:`serialize`."""

    def __init__(self, ontology: Ontology | None = None) -> None:
        super().__init__(ontology)
        self.oc = vocab.namespace_for(self.ontology)

    def visit_ontology(self, ontology: Ontology) -> None:
        self.graph = bind_prefixes(Graph())
        self.graph.bind("sh", SH)
        self.graph.bind("ocsh", SHAPES)

    def visit_object_type(self, object_type: ObjectType) -> None:
        g = self.graph
        shape = SHAPES[object_type.name]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, self.oc[vocab.class_term(object_type)]))
        g.add((shape, RDFS.label, Literal(f"{object_type.name} shape")))
        for prop in SYSTEM_PROPERTIES:
            self._property_shape(shape, self.oc[vocab.system_term(prop)], prop)

    def visit_property(self, object_type: ObjectType, prop: Property) -> None:
        node = self.oc[vocab.property_term(object_type, prop)]
        self._property_shape(SHAPES[object_type.name], node, prop)

    def _property_shape(self, shape: URIRef, path: URIRef, prop: Property) -> None:
        g = self.graph
        ps = BNode()
        g.add((shape, SH.property, ps))
        g.add((ps, SH.path, path))
        g.add((ps, SH.name, Literal(prop.name)))
        g.add((ps, SH.datatype, vocab.XSD_OF[prop.type]))
        if prop.required:
            g.add((ps, SH.minCount, Literal(1)))
        if prop.type != PropertyType.STRING_LIST:
            g.add((ps, SH.maxCount, Literal(1)))
        enum = self.ontology.enum_of(prop)
        if enum is not None:
            g.add((ps, SH["in"], self._list([Literal(v) for v in enum.values])))
        if prop.pattern is not None:
            g.add((ps, SH.pattern, Literal(prop.pattern)))
        if prop.minimum is not None:
            g.add((ps, SH.minInclusive, Literal(prop.minimum, datatype=XSD.double)))
        if prop.maximum is not None:
            g.add((ps, SH.maxInclusive, Literal(prop.maximum, datatype=XSD.double)))

    def visit_link_type(self, link_type: LinkType) -> None:
        g = self.graph
        path = self.oc[vocab.link_term(link_type)]
        forward = BNode()
        g.add((SHAPES[link_type.source], SH.property, forward))
        g.add((forward, SH.path, path))
        g.add((forward, SH.name, Literal(link_type.forward_field)))
        g.add((forward, SH.nodeKind, SH.IRI))
        self._class_constraint(forward, link_type.targets)
        if link_type.cardinality.source_max_targets_one:
            g.add((forward, SH.maxCount, Literal(1)))
        for target in link_type.targets:
            reverse = BNode()
            inverse_path = BNode()
            g.add((inverse_path, SH.inversePath, path))
            g.add((SHAPES[target], SH.property, reverse))
            g.add((reverse, SH.path, inverse_path))
            g.add((reverse, SH.name, Literal(link_type.reverse_field)))
            self._class_constraint(reverse, (link_type.source,))
            if link_type.cardinality.target_max_sources_one:
                g.add((reverse, SH.maxCount, Literal(1)))

    def _class_constraint(self, shape: BNode, classes: tuple[str, ...]) -> None:
        if len(classes) == 1:
            self.graph.add((shape, SH["class"], self.oc[classes[0]]))
            return
        options = []
        for name in classes:
            option = BNode()
            self.graph.add((option, SH["class"], self.oc[name]))
            options.append(option)
        self.graph.add((shape, SH["or"], self._list(options)))

    def end_ontology(self, ontology: Ontology) -> Graph:
        return self.graph

    def _list(self, items: list[BNode] | list[Literal]) -> BNode:
        head = BNode()
        Collection(self.graph, head, list(items))
        return head


def shacl_shapes(ontology: Ontology | None = None) -> Graph:
    """The shapes graph of ``ontology`` (default: the declared one)."""
    return ShaclGenerator(ontology).serialize()
