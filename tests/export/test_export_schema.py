"""The OWL schema and the closed vocabulary, generated from the ontology."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from opencase.errors import OntologyError
from opencase.ontology import ONTOLOGY, Ontology, PropertyType
from opencase.ontology.generators import vocab
from opencase.ontology.generators.owl import owl_schema
from opencase.ontology.generators.vocab import OC, build_namespace


@pytest.fixture(scope="module")
def tbox() -> Graph:
    return owl_schema()


def test_a_typo_in_a_term_fails_at_once() -> None:
    assert OC.ModelWork == URIRef(vocab.VOCAB_IRI + "ModelWork")
    assert OC["daia-action-about-model"] == URIRef(vocab.VOCAB_IRI + "daia-action-about-model")
    with pytest.raises(AttributeError):
        _ = OC.ModelWrok
    with pytest.raises(AttributeError):
        _ = OC["daia-action-about-modle"]


def test_a_clash_in_the_vocabulary_is_an_ontology_error() -> None:
    """An object type named like an enum would make one IRI both a class and a datatype."""
    renamed = replace(ONTOLOGY.object_types[0], name=ONTOLOGY.enums[0].name, api_name="clash")
    clashing = Ontology(ONTOLOGY.version, ONTOLOGY.enums, (renamed,), (), ())
    with pytest.raises(OntologyError, match="twice"):
        build_namespace(clashing)


def test_ontology_header_has_a_version_iri(tbox: Graph) -> None:
    onto = URIRef(vocab.ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in tbox
    assert tbox.value(onto, OWL.versionIRI) == URIRef(f"{vocab.ONTOLOGY_IRI}/{ONTOLOGY.version}")


def test_one_labelled_commented_class_per_object_type(tbox: Graph) -> None:
    for ot in ONTOLOGY.object_types:
        node = OC[ot.name]
        assert (node, RDF.type, OWL.Class) in tbox
        assert tbox.value(node, RDFS.label) == Literal(ot.name)
        assert tbox.value(node, RDFS.comment) == Literal(ot.description)
        if ot.prov_class:
            assert (node, RDFS.subClassOf, PROV[ot.prov_class]) in tbox


def test_datatype_properties_have_domain_and_xsd_range(tbox: Graph) -> None:
    expected = {
        PropertyType.DATE: XSD.dateTime,  # xsd:date is outside the OWL 2 datatype map
        PropertyType.DATETIME: XSD.dateTime,
        PropertyType.JSON: XSD.string,
        PropertyType.INT: XSD.integer,
        PropertyType.FLOAT: XSD.double,
        PropertyType.BOOL: XSD.boolean,
    }
    for ot in ONTOLOGY.object_types:
        for prop in ot.properties:
            node = OC[f"{ot.name}.{prop.name}"]
            assert (node, RDF.type, OWL.DatatypeProperty) in tbox
            assert tbox.value(node, RDFS.domain) == OC[ot.name]
            rng = tbox.value(node, RDFS.range)
            if prop.type == PropertyType.ENUM:
                assert rng == OC[prop.enum]
            elif prop.type in expected:
                assert rng == expected[prop.type]
            functional = (node, RDF.type, OWL.FunctionalProperty) in tbox
            assert functional == (prop.type != PropertyType.STRING_LIST)


def test_enums_are_named_data_ranges(tbox: Graph) -> None:
    for enum in ONTOLOGY.enums:
        node = OC[enum.name]
        assert (node, RDF.type, RDFS.Datatype) in tbox
        one_of = tbox.value(tbox.value(node, OWL.equivalentClass), OWL.oneOf)
        assert [str(v) for v in Collection(tbox, one_of)] == list(enum.values)


def test_every_link_type_is_an_object_property_under_its_api_name(tbox: Graph) -> None:
    for lt in ONTOLOGY.link_types:
        node = OC[lt.api_name]
        inverse = OC[f"{lt.api_name}-inverse"]
        assert (node, RDF.type, OWL.ObjectProperty) in tbox
        assert tbox.value(node, RDFS.label) == Literal(lt.api_name)
        assert tbox.value(node, RDFS.domain) == OC[lt.source]
        assert (inverse, OWL.inverseOf, node) in tbox
        assert tbox.value(inverse, RDFS.label) == Literal(lt.reverse_field)
        rng = tbox.value(node, RDFS.range)
        if len(lt.targets) == 1:
            assert rng == OC[lt.targets[0]]
        else:
            assert isinstance(rng, BNode)
            members = list(Collection(tbox, tbox.value(rng, OWL.unionOf)))
            assert members == [OC[t] for t in lt.targets]
        functional = (node, RDF.type, OWL.FunctionalProperty) in tbox
        assert functional == lt.cardinality.source_max_targets_one
        inverse_functional = (inverse, RDF.type, OWL.FunctionalProperty) in tbox
        assert inverse_functional == lt.cardinality.target_max_sources_one


def test_lineage_links_align_with_prov_o_where_their_ends_fit(tbox: Graph) -> None:
    assert (OC["experiment-used-dataset"], RDFS.subPropertyOf, PROV.used) in tbox
    assert (OC["model-version-has-experiment"], RDFS.subPropertyOf, PROV.wasGeneratedBy) in tbox
    assert (OC["Experiment.start_time"], RDFS.subPropertyOf, PROV.startedAtTime) in tbox
    # an ActionLog is about activities too (an Experiment): no blanket prov:used claim
    assert (OC["action-log-about"], RDFS.subPropertyOf, PROV.used) not in tbox
    assert (OC.Experiment, RDFS.subClassOf, PROV.Activity) in tbox
    assert (OC.ActionLog, RDFS.subClassOf, PROV.Activity) in tbox
