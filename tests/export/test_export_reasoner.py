"""The exported RDF/XML opens in owlready2 and HermiT finds schema and demo instances consistent.

HermiT ships inside owlready2 and runs on the machine's Java 17
(scripts/setup.d/40-java.sh installs a JRE where there is none), with its
default settings, as Protégé runs it: every datatype of the export is in the
OWL 2 datatype map, and everything (enum data ranges, functional properties,
unions, PROV-O alignment) is reasoned over. A deliberately broken copy must be
found inconsistent, so "consistent" is known to mean something.

The export imports PROV-O by its IRI. These tests run offline, so the import
resolves to a local empty ontology of that IRI; the export declares every PROV
term it uses, and ``test_alignment_agrees_with_prov_o_axioms`` adds PROV-O's
own domains, ranges and disjointness.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import owlready2
import pytest
from export_demo import BASE, DemoExport
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from opencase.ontology import ONTOLOGY
from opencase.ontology.generators.vocab import OC, PROV_O_IRI

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="needs Java (scripts/setup)"),
]


@pytest.fixture(autouse=True)
def _offline_prov_o(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Resolve the export's ``owl:imports`` of PROV-O to a local empty ontology."""
    folder = tmp_path_factory.mktemp("imports")
    stand_in = Graph()
    stand_in.add((URIRef(PROV_O_IRI), RDF.type, OWL.Ontology))
    stand_in.serialize(folder / "prov-o.owl", format="xml")
    owlready2.onto_path.append(str(folder))
    yield
    owlready2.onto_path.remove(str(folder))


def _hermit(path: Path) -> owlready2.World:
    world = owlready2.World()
    world.get_ontology(path.resolve().as_uri()).load()
    owlready2.sync_reasoner_hermit(world, debug=0)
    return world


def test_the_export_imports_prov_o(demo_export: DemoExport) -> None:
    graph = Graph().parse(demo_export.owl_xml, format="xml")
    assert (None, OWL.imports, URIRef(PROV_O_IRI)) in graph


def test_demo_export_loads_in_owlready2_with_every_link_as_object_property(
    demo_export: DemoExport,
) -> None:
    world = owlready2.World()
    onto = world.get_ontology(demo_export.owl_xml.resolve().as_uri()).load()
    classes = {c.iri for c in onto.classes()}
    assert {str(OC[ot.name]) for ot in ONTOLOGY.object_types} <= classes
    properties = {p.iri for p in onto.object_properties()}
    for lt in ONTOLOGY.link_types:
        assert str(OC[lt.api_name]) in properties, lt.api_name
    individuals = {i.iri for i in onto.individuals()}
    assert sum(1 for i in individuals if i.startswith(BASE)) >= sum(
        demo_export.stats.get(ot.name, 0) for ot in ONTOLOGY.object_types
    )


def test_hermit_finds_the_demo_export_consistent(demo_export: DemoExport) -> None:
    world = _hermit(demo_export.owl_xml)
    assert list(world.inconsistent_classes()) == []


def test_hermit_rejects_an_enum_value_outside_its_data_range(
    demo_export: DemoExport, tmp_path: Path
) -> None:
    graph = Graph().parse(demo_export.owl_xml, format="xml")
    model = next(iter(graph.subjects(RDF.type, OC.ModelWork)))
    graph.set((model, OC["ModelWork.ac_family"], Literal("A999")))
    broken = tmp_path / "broken.owl"
    graph.serialize(broken, format="xml")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(broken)


def test_alignment_agrees_with_prov_o_axioms(demo_export: DemoExport, tmp_path: Path) -> None:
    """Add PROV-O's own domains, ranges and disjointness: still consistent."""
    graph = Graph().parse(demo_export.owl_xml, format="xml")
    graph.add((PROV.Activity, OWL.disjointWith, PROV.Entity))
    graph.add((PROV.Agent, OWL.disjointWith, PROV.Activity))
    for name, domain, range_ in (
        ("used", PROV.Activity, PROV.Entity),
        ("generated", PROV.Activity, PROV.Entity),
        ("wasGeneratedBy", PROV.Entity, PROV.Activity),
        ("wasInformedBy", PROV.Activity, PROV.Activity),
        ("wasDerivedFrom", PROV.Entity, PROV.Entity),
        ("wasAssociatedWith", PROV.Activity, PROV.Agent),
    ):
        graph.add((PROV[name], RDFS.domain, domain))
        graph.add((PROV[name], RDFS.range, range_))
    with_prov = tmp_path / "with-prov.owl"
    graph.serialize(with_prov, format="xml")
    world = _hermit(with_prov)
    assert list(world.inconsistent_classes()) == []
    assert URIRef(f"{BASE}action-log/log%7C1") in {URIRef(i.iri) for i in world.individuals()}
