"""The ABox: every object and link of the store as subject blocks of N-Triples terms.

:class:`InstanceRenderer` precomputes, once per object and link type, the
predicate text and the literal renderer of each property, so that rendering one
object is a loop of string concatenations. :func:`instance_blocks` walks the
store with ``scan_objects``/``scan_links`` batch by batch; nothing holds more
than one batch (plus the ids of soft-deleted objects, to drop their links).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import OWL, PROV, RDF, RDFS

from opencase.graph.store import STORED_ATTRIBUTE, GraphStore, LinkRecord, StoredObject
from opencase.ontology.generators import vocab
from opencase.ontology.model import LinkType, ObjectType, PropertyType
from opencase.ontology.registry import SYSTEM_PROPERTIES, Ontology

from .terms import check_iri, encode_key, escape_literal, iri, literal_renderer

#: One subject and its (predicate, object) pairs, all as N-Triples text.
Block = tuple[str, list[tuple[str, str]]]

#: Path segment of agent individuals; not a valid API name, so it cannot clash with a type.
AGENT_SEGMENT = "_agent"

#: How many id -> IRI renderings to keep (a few MiB) before starting afresh.
_RECENT_IRIS = 50_000

_TYPE = iri(str(RDF.type))
_LABEL = iri(str(RDFS.label))
_NAMED_INDIVIDUAL = iri(str(OWL.NamedIndividual))


@dataclass
class ExportCounts:
    """What an export wrote; ``triples`` counts instance triples only."""

    objects: int = 0
    links: int = 0
    triples: int = 0
    skipped_deleted: int = 0


#: (property name, predicate, literal renderer): the hot loop unpacks plain tuples.
_Simple = tuple[str, str, Callable[[Any], str]]


@dataclass(frozen=True)
class _Prov:
    """A property that also states a PROV-O relation (a time, or the agent it names)."""

    name: str
    predicate: str
    render: Callable[[Any], str]
    prov_predicate: str
    names_agent: bool


@dataclass(frozen=True)
class _TypePlan:
    fixed: list[tuple[str, str]]
    on_object: list[tuple[str, str, Callable[[Any], str]]]  # system values on StoredObject
    single: list[_Simple]  # declared (and other system) single values in .properties
    many: list[_Simple]  # string lists: one assertion per element
    prov: list[_Prov]


@dataclass(frozen=True)
class _LinkPlan:
    predicate: str
    prov_predicate: str | None
    prov_targets: frozenset[str]  # API names of targets: the PROV statement is source -> target
    prov_reverse: frozenset[str]  # ... and those where it is target -> source
    annotations: list[tuple[str, str, Callable[[Any], str]]]


@dataclass
class InstanceRenderer:
    """Renders objects and links of ``ontology`` with individuals under ``base_iri``."""

    ontology: Ontology
    base_iri: str
    prov: bool = True
    xml_safe: bool = False  # for RDF/XML: XML-forbidden control characters become U+FFFD
    _types: dict[str, _TypePlan] = field(default_factory=dict, init=False)
    _links: dict[str, _LinkPlan] = field(default_factory=dict, init=False)
    _prefix: dict[str, str] = field(default_factory=dict, init=False)
    _agents: set[str] = field(default_factory=set, init=False)
    _bnodes: int = field(default=0, init=False)
    _recent: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        base = check_iri(self.base_iri, what="base IRI")
        self.base_iri = base if base.endswith(("/", "#")) else base + "/"
        oc = vocab.namespace_for(self.ontology)
        for ot in self.ontology.object_types:
            self._types[ot.name] = self._plan_type(ot, oc)
            self._prefix[ot.api_name] = "<" + self.base_iri + ot.api_name + "/"
        for lt in self.ontology.link_types:
            self._links[lt.api_name] = self._plan_link(lt, oc)

    # ---- plans -----------------------------------------------------------------------------

    def _plan_type(self, ot: ObjectType, oc: Any) -> _TypePlan:
        fixed = [(_TYPE, iri(oc[vocab.class_term(ot)])), (_TYPE, _NAMED_INDIVIDUAL)]
        if self.prov and ot.prov_class:
            fixed.append((_TYPE, iri(str(PROV[ot.prov_class]))))
        plan = _TypePlan(fixed, [], [], [], [])
        for p in SYSTEM_PROPERTIES:
            entry = (p.name, iri(oc[vocab.system_term(p)]), self._renderer(p.type))
            if p.name in STORED_ATTRIBUTE:
                plan.on_object.append((STORED_ATTRIBUTE[p.name], *entry[1:]))
            else:
                plan.single.append(entry)
        for p in ot.properties:
            entry = (p.name, iri(oc[vocab.property_term(ot, p)]), self._renderer(p.type))
            term = vocab.PROV_TERMS.get(p.prov_property or "") if self.prov else None
            if term is not None:
                plan.prov.append(_Prov(*entry, iri(str(term.iri)), term.range is not None))
            elif p.type == PropertyType.STRING_LIST:
                plan.many.append(entry)
            else:
                plan.single.append(entry)
        return plan

    def _renderer(self, kind: PropertyType) -> Callable[[Any], str]:
        return literal_renderer(kind, xml_safe=self.xml_safe)

    def _plan_link(self, lt: LinkType, oc: Any) -> _LinkPlan:
        term = vocab.PROV_TERMS.get(lt.prov_property or "") if self.prov else None
        sides = {t: vocab.prov_side(self.ontology, lt, t) for t in lt.targets} if term else {}
        api = self.ontology.object_type
        return _LinkPlan(
            iri(oc[vocab.link_term(lt)]),
            iri(str(term.iri)) if term is not None else None,
            frozenset(api(t).api_name for t, side in sides.items() if side is True),
            frozenset(api(t).api_name for t, side in sides.items() if side is False),
            [
                (
                    p.name,
                    iri(oc[vocab.link_property_term(lt, p)]),
                    self._renderer(p.type),
                )
                for p in lt.properties
            ],
        )

    # ---- rendering -------------------------------------------------------------------------

    def individual(self, object_id: str) -> str:
        """``<base><api name>/<percent-encoded primary key>`` for a global id."""
        node = self._recent.get(object_id)
        if node is None:
            if len(self._recent) >= _RECENT_IRIS:
                self._recent.clear()  # bounded: links mostly repeat ids seen just before
            node = self._recent[object_id] = self._individual(object_id)
        return node

    def _individual(self, object_id: str) -> str:
        api, _, key = object_id.partition(":")
        prefix = self._prefix.get(api)
        if prefix is None:  # unknown type: validate through the ontology for a clear error
            prefix = self._prefix[self.ontology.type_of_id(object_id).api_name]
        return prefix + encode_key(key) + ">"

    def object_blocks(self, obj: StoredObject) -> list[Block]:
        plan = self._types[obj.object_type]
        pairs = list(plan.fixed)
        if obj.title:
            pairs.append((_LABEL, '"' + escape_literal(obj.title, xml_safe=self.xml_safe) + '"'))
        for attribute, predicate, render in plan.on_object:
            value = getattr(obj, attribute)
            if value is not None:
                pairs.append((predicate, render(value)))
        values = obj.properties
        for name, predicate, render in plan.single:
            value = values.get(name)
            if value is not None:
                pairs.append((predicate, render(value)))
        for name, predicate, render in plan.many:
            for item in values.get(name) or ():
                if item is not None:
                    pairs.append((predicate, render(item)))
        blocks: list[Block] = [(self._individual(obj.id), pairs)]
        for prop in plan.prov:
            value = values.get(prop.name)
            if value is None:
                continue
            text = prop.render(value)
            pairs.append((prop.predicate, text))
            agent = self._agent(str(value), blocks) if prop.names_agent else text
            pairs.append((prop.prov_predicate, agent))
        return blocks

    def _agent(self, name: str, blocks: list[Block]) -> str:
        node = "<" + self.base_iri + AGENT_SEGMENT + "/" + encode_key(name) + ">"
        if name not in self._agents:
            self._agents.add(name)
            label = '"' + escape_literal(name, xml_safe=self.xml_safe) + '"'
            blocks.append((node, [(_TYPE, iri(str(PROV.Agent))), (_LABEL, label)]))
        return node

    def link_blocks(self, link: LinkRecord) -> list[Block]:
        plan = self._links[link.link_type]
        source = self.individual(link.source_id)
        target = self.individual(link.target_id)
        pairs = [(plan.predicate, target)]
        blocks: list[Block] = [(source, pairs)]
        if plan.prov_predicate:
            target_api = link.target_id.partition(":")[0]
            if target_api in plan.prov_targets:
                pairs.append((plan.prov_predicate, target))
            elif target_api in plan.prov_reverse:
                blocks.append((target, [(plan.prov_predicate, source)]))
        notes = [
            (predicate, render(link.properties[name]))
            for name, predicate, render in plan.annotations
            if link.properties.get(name) is not None
        ]
        if notes:
            self._bnodes += 1
            axiom = f"_:axiom{self._bnodes}"
            blocks.append(
                (
                    axiom,
                    [
                        (_TYPE, iri(str(OWL.Axiom))),
                        (iri(str(OWL.annotatedSource)), source),
                        (iri(str(OWL.annotatedProperty)), plan.predicate),
                        (iri(str(OWL.annotatedTarget)), target),
                        *notes,
                    ],
                )
            )
        return blocks


def instance_blocks(
    store: GraphStore,
    renderer: InstanceRenderer,
    *,
    include_deleted: bool = False,
    batch_size: int = 10_000,
    counts: ExportCounts | None = None,
) -> Iterator[list[Block]]:
    """Subject blocks of every object, then every link, one list per store batch.

    Soft-deleted objects are left out unless ``include_deleted``, and so are the
    links that touch them (the store's link scan does not know about deletion).
    """
    counts = counts if counts is not None else ExportCounts()
    deleted: set[str] = set()
    for ot in renderer.ontology.object_types:
        for batch in store.scan_objects(ot.name, batch_size=batch_size, include_deleted=True):
            blocks: list[Block] = []
            for obj in batch:
                if obj.deleted_at is not None and not include_deleted:
                    deleted.add(obj.id)
                    counts.skipped_deleted += 1
                    continue
                counts.objects += 1
                blocks += renderer.object_blocks(obj)
            yield blocks
    for lt in renderer.ontology.link_types:
        for links in store.scan_links(lt.api_name, batch_size=batch_size):
            blocks = []
            for link in links:
                if deleted and (link.source_id in deleted or link.target_id in deleted):
                    continue
                counts.links += 1
                blocks += renderer.link_blocks(link)
            yield blocks
