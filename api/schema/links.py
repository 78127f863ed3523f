"""The two ends of every link type, as fields of the object types they join.

A link type ``A -[x]-> B`` gives ``A.<forward_field>`` (followed OUT, along
the declared direction) and ``B.<reverse_field>`` (followed IN). Whether an end
is a single object or a connection comes from the link's cardinality.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from opencase.graph.store import Direction
from opencase.ontology import ONTOLOGY, LinkType, ObjectType


@dataclass(frozen=True)
class LinkSide:
    """One end of a link type, seen from the object that has the field."""

    field: str
    link: LinkType
    direction: Direction
    #: the type on the other end, or None when a polymorphic link allows several
    target_type: ObjectType | None
    many: bool

    @property
    def target_name(self) -> str | None:
        return self.target_type.name if self.target_type else None


@cache
def link_sides(type_name: str) -> dict[str, LinkSide]:
    """Link fields of one object type by field name."""
    out: dict[str, LinkSide] = {}
    for lt in ONTOLOGY.links_from(type_name):
        target = ONTOLOGY.object_type(lt.targets[0]) if len(lt.targets) == 1 else None
        many = not lt.cardinality.source_max_targets_one
        out[lt.forward_field] = LinkSide(lt.forward_field, lt, Direction.OUT, target, many)
    for lt in ONTOLOGY.links_to(type_name):
        source = ONTOLOGY.object_type(lt.source)
        many = not lt.cardinality.target_max_sources_one
        out[lt.reverse_field] = LinkSide(lt.reverse_field, lt, Direction.IN, source, many)
    return out
