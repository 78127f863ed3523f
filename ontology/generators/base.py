"""The walker every generator subclasses (LinkML's ``Generator`` in miniature).

A generator visits the ontology in a fixed order (enums, object types with
their properties, link types, action types) and builds its output in the
hooks it overrides; ``serialize`` returns the result. Keeping the walk in one
place means a new kind of declaration reaches every output by adding one hook.
"""

from __future__ import annotations

from typing import Any

from ..model import ActionType, EnumType, LinkType, ObjectType, Property
from ..registry import Ontology


class Generator:
    """Walks an ontology once per :meth:`serialize` call; subclasses fill the hooks."""

    def __init__(self, ontology: Ontology | None = None) -> None:
        if ontology is None:
            from opencase.ontology import ONTOLOGY

            ontology = ONTOLOGY
        self.ontology = ontology

    def serialize(self) -> Any:
        """Walk the ontology and return what the hooks built."""
        self.visit_ontology(self.ontology)
        for enum in self.ontology.enums:
            self.visit_enum(enum)
        for object_type in self.ontology.object_types:
            self.visit_object_type(object_type)
            for prop in object_type.properties:
                self.visit_property(object_type, prop)
            self.end_object_type(object_type)
        for link_type in self.ontology.link_types:
            self.visit_link_type(link_type)
        for action_type in self.ontology.action_types:
            self.visit_action_type(action_type)
        return self.end_ontology(self.ontology)

    # ---- hooks: every one is optional ------------------------------------------------------

    def visit_ontology(self, ontology: Ontology) -> None: ...

    def visit_enum(self, enum: EnumType) -> None: ...

    def visit_object_type(self, object_type: ObjectType) -> None: ...

    def visit_property(self, object_type: ObjectType, prop: Property) -> None: ...

    def end_object_type(self, object_type: ObjectType) -> None: ...

    def visit_link_type(self, link_type: LinkType) -> None: ...

    def visit_action_type(self, action_type: ActionType) -> None: ...

    def end_ontology(self, ontology: Ontology) -> Any:
        return None
