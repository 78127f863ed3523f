"""OpenCase's RDF vocabulary: one IRI per class, property, link and enum, as a closed namespace.

Every RDF output (OWL schema, SHACL shapes, exported instances) takes its terms
from :data:`OC`, an rdflib ``DefinedNamespace`` generated from the ontology with
``_fail = True``: ``OC["model-work-has-verison"]`` raises at once instead of
silently minting an IRI that no schema declares.

Naming (documented in README.md, "RDF / OWL export"):

* object type          -> ``oc:ModelWork``                       (owl:Class)
* declared property    -> ``oc:ModelWork.name``                  (one per class and name,
  so that ``created_on`` can be a date on one class and a timestamp on another
  without an OWL DL clash, and each gets a plain domain)
* system property      -> ``oc:sys_created_at``, ``oc:id``        (shared, union domain)
* link type            -> ``oc:model-work-has-version``          (its API name)
* its reverse field    -> ``oc:model-work-has-version-inverse``  (owl:inverseOf)
* link property        -> ``oc:experiment-used-dataset.context`` (axiom annotation)
* enum                 -> ``oc:Severity``                        (rdfs:Datatype, oneOf)
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import PROV, XSD, DefinedNamespace, DefinedNamespaceMeta, Namespace

from opencase.errors import OntologyError

from ..model import EnumType, LinkEnd, LinkType, ObjectType, Property, PropertyType
from ..registry import SYSTEM_PROPERTIES, Ontology

#: The vocabulary's namespace; terms are fragments so Protégé shows short names.
VOCAB_IRI = "https://w3id.org/opencase/ontology#"
#: The ``owl:Ontology`` itself; its version IRI appends the ontology version.
ONTOLOGY_IRI = "https://w3id.org/opencase/ontology"
#: W3C PROV-O, which the schema imports (its terms are also declared, so the export
#: stays OWL 2 DL when a tool cannot fetch the import).
PROV_O_IRI = "http://www.w3.org/ns/prov-o"

#: XSD datatype of one value of each property kind. Enums are strings restricted by
#: their own data range; JSON maps are strings because rdf:JSON is not OWL 2 DL.
#: Dates are ``xsd:dateTime`` at midnight: ``xsd:date`` is outside the OWL 2 datatype
#: map, so reasoners with their default settings (HermiT as Protégé runs it) refuse it.
XSD_OF: dict[PropertyType, URIRef] = {
    PropertyType.STRING: XSD.string,
    PropertyType.INT: XSD.integer,
    PropertyType.FLOAT: XSD.double,
    PropertyType.BOOL: XSD.boolean,
    PropertyType.DATE: XSD.dateTime,
    PropertyType.DATETIME: XSD.dateTime,
    PropertyType.ENUM: XSD.string,
    PropertyType.STRING_LIST: XSD.string,
    PropertyType.JSON: XSD.string,
}


@dataclass(frozen=True)
class ProvTerm:
    """What PROV-O says about one of its properties, so an alignment can be checked.

    ``domain``/``range`` are PROV class local names (``Activity``, ``Entity``,
    ``Agent``); a ``None`` range marks a datatype property (``startedAtTime``).
    """

    name: str
    domain: str
    range: str | None
    #: For data-flow terms: True when the subject is downstream of the object
    #: (``used``, ``wasDerivedFrom``), False when it is upstream (``generated``);
    #: None for terms that say nothing about data flow (agents, times).
    points_upstream: bool | None = None

    @property
    def iri(self) -> URIRef:
        return PROV[self.name]


#: The PROV-O properties the declarations may name (``prov=`` on links and properties).
PROV_TERMS: dict[str, ProvTerm] = {
    t.name: t
    for t in (
        ProvTerm("used", "Activity", "Entity", True),
        ProvTerm("generated", "Activity", "Entity", False),
        ProvTerm("wasGeneratedBy", "Entity", "Activity", True),
        ProvTerm("wasInformedBy", "Activity", "Activity", True),
        ProvTerm("wasDerivedFrom", "Entity", "Entity", True),
        ProvTerm("hadMember", "Entity", "Entity", False),  # domain prov:Collection, an Entity
        ProvTerm("wasAssociatedWith", "Activity", "Agent"),
        ProvTerm("wasAttributedTo", "Entity", "Agent"),
        ProvTerm("startedAtTime", "Activity", None),
        ProvTerm("endedAtTime", "Activity", None),
    )
}
PROV_CLASSES = ("Entity", "Activity", "Agent")


def class_term(object_type: ObjectType) -> str:
    return object_type.name


def property_term(object_type: ObjectType, prop: Property) -> str:
    return f"{object_type.name}.{prop.name}"


def system_term(prop: Property) -> str:
    return prop.name


def link_term(link_type: LinkType) -> str:
    return link_type.api_name


def inverse_term(link_type: LinkType) -> str:
    return f"{link_type.api_name}-inverse"


def link_property_term(link_type: LinkType, prop: Property) -> str:
    return f"{link_type.api_name}.{prop.name}"


def enum_term(enum: EnumType) -> str:
    return enum.name


def prov_fits(ontology: Ontology, term: ProvTerm, source: str, target: str | None) -> bool:
    """Whether asserting ``term`` from a ``source`` object to a ``target`` respects PROV-O.

    A link whose ends are of the wrong PROV class (an ActionLog "used" an
    Experiment, which is an activity) would contradict PROV-O's domain and range
    once a tool loads both; such a link is exported without the PROV statement.
    """
    if ontology.object_type(source).prov_class != term.domain:
        return False
    if term.range is None or target is None:
        return True
    return ontology.object_type(target).prov_class == term.range


def prov_side(ontology: Ontology, link_type: LinkType, target: str) -> bool | None:
    """Where a link's PROV relation goes: True source -> target, False target -> source.

    None when it fits neither way (the link is exported without it). For a flow
    link and a data-flow term the side follows the link's upstream end, so the
    export and the lineage walk agree (``used`` points from the downstream end to
    the upstream one, ``generated`` the other way); otherwise the side whose ends
    match PROV-O's domain and range wins, the declared direction first.
    """
    term = PROV_TERMS.get(link_type.prov_property or "")
    if term is None:
        return None
    if link_type.is_flow and term.points_upstream is not None:
        forward = term.points_upstream == (link_type.upstream == LinkEnd.TARGET)
        ends = (link_type.source, target) if forward else (target, link_type.source)
        return forward if prov_fits(ontology, term, *ends) else None
    if prov_fits(ontology, term, link_type.source, target):
        return True
    if prov_fits(ontology, term, target, link_type.source):
        return False
    return None


def vocabulary_terms(ontology: Ontology) -> list[str]:
    """Every local name the vocabulary defines; a clash is an ontology error."""
    terms: list[str] = [system_term(p) for p in SYSTEM_PROPERTIES]
    terms += [enum_term(e) for e in ontology.enums]
    for ot in ontology.object_types:
        _check_prov_class(ot)
        terms.append(class_term(ot))
        for prop in ot.properties:
            _check_prov_property(ontology, ot, prop)
            terms.append(property_term(ot, prop))
    for lt in ontology.link_types:
        if lt.prov_property is not None and lt.prov_property not in PROV_TERMS:
            raise OntologyError(f"link type {lt.api_name}: unknown PROV term {lt.prov_property!r}")
        terms += [link_term(lt), inverse_term(lt)]
        terms += [link_property_term(lt, p) for p in lt.properties]
    seen: set[str] = set()
    for term in terms:
        if term in seen:
            raise OntologyError(
                f"the RDF vocabulary defines {term!r} twice",
                suggestion="rename the enum, object type or link type that clashes",
            )
        seen.add(term)
    return terms


def _check_prov_class(ot: ObjectType) -> None:
    if ot.prov_class is not None and ot.prov_class not in PROV_CLASSES:
        raise OntologyError(f"object type {ot.name}: unknown PROV class {ot.prov_class!r}")


def _check_prov_property(ontology: Ontology, ot: ObjectType, prop: Property) -> None:
    if prop.prov_property is None:
        return
    term = PROV_TERMS.get(prop.prov_property)
    where = f"object type {ot.name}, property {prop.name}"
    if term is None:
        raise OntologyError(f"{where}: unknown PROV term {prop.prov_property!r}")
    if ot.prov_class != term.domain:
        raise OntologyError(f"{where}: prov:{term.name} needs a prov:{term.domain} class")
    if term.range is None and prop.type != PropertyType.DATETIME:
        raise OntologyError(f"{where}: prov:{term.name} needs a datetime property")
    if term.range is not None and prop.type != PropertyType.STRING:
        raise OntologyError(f"{where}: prov:{term.name} needs a string property (agent name)")


def build_namespace(ontology: Ontology, name: str = "OC") -> type[DefinedNamespace]:
    """A closed ``DefinedNamespace`` holding exactly the ontology's terms."""
    terms = vocabulary_terms(ontology)
    pythonic = [t for t in terms if t.isidentifier()]
    extras = [t for t in terms if not t.isidentifier()]
    namespace = DefinedNamespaceMeta(
        name,
        (DefinedNamespace,),
        {
            "__annotations__": dict.fromkeys(pythonic, URIRef),
            "__doc__": f"OpenCase vocabulary {ontology.version}, generated from the ontology.",
            "_NS": Namespace(VOCAB_IRI),
            "_fail": True,
            "_extras": extras,
        },
    )
    return namespace  # type: ignore[return-value]


def _default() -> type[DefinedNamespace]:
    from opencase.ontology import ONTOLOGY

    return build_namespace(ONTOLOGY)


#: The vocabulary of the ontology as declared: ``OC.ModelWork``, ``OC["ModelWork.name"]``.
OC = _default()


def namespace_for(ontology: Ontology) -> type[DefinedNamespace]:
    """:data:`OC` for the declared ontology, a fresh closed namespace for any other (tests)."""
    from opencase.ontology import ONTOLOGY

    return OC if ontology is ONTOLOGY else build_namespace(ontology)
