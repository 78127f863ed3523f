"""The whole ontology as one JSON document (``opencase ontology --json``).

The shape is camelCase and stable so that front-ends and other tools can read
the declarations without importing Python: ``objectTypes``, ``linkTypes``,
``actionTypes``, ``enums`` and ``version``.
"""

from __future__ import annotations

from typing import Any

from ..model import ActionType, EnumType, LinkType, ObjectType, Property
from ..registry import Ontology
from .base import Generator


class JsonGenerator(Generator):
    """Builds a plain dict (serialise it with ``json.dumps``)."""

    def visit_ontology(self, ontology: Ontology) -> None:
        self.doc: dict[str, Any] = {
            "objectTypes": [],
            "linkTypes": [],
            "actionTypes": [],
            "enums": [],
            "version": ontology.version,
        }

    def visit_enum(self, enum: EnumType) -> None:
        self.doc["enums"].append(
            {"name": enum.name, "values": list(enum.values), "description": enum.description}
        )

    def visit_object_type(self, object_type: ObjectType) -> None:
        self.doc["objectTypes"].append(
            {
                "name": object_type.name,
                "apiName": object_type.api_name,
                "primaryKey": object_type.primary_key,
                "titleProperty": object_type.title_property,
                "description": object_type.description,
                "properties": [],
            }
        )

    def visit_property(self, object_type: ObjectType, prop: Property) -> None:
        self.doc["objectTypes"][-1]["properties"].append(self.property_doc(prop))

    def visit_link_type(self, link_type: LinkType) -> None:
        self.doc["linkTypes"].append(
            {
                "apiName": link_type.api_name,
                "source": link_type.source,
                "targets": list(link_type.targets),
                "cardinality": link_type.cardinality.value,
                "forwardField": link_type.forward_field,
                "reverseField": link_type.reverse_field,
                "description": link_type.description,
                "role": str(link_type.role),
                **({"upstream": str(link_type.upstream)} if link_type.is_flow else {}),
                "properties": [self.property_doc(p) for p in link_type.properties],
            }
        )

    def visit_action_type(self, action_type: ActionType) -> None:
        self.doc["actionTypes"].append(
            {
                "name": action_type.name,
                "apiName": action_type.api_name,
                "description": action_type.description,
                "parameters": [self.property_doc(p) for p in action_type.parameters],
                "touches": list(action_type.touches),
            }
        )

    def end_ontology(self, ontology: Ontology) -> dict[str, Any]:
        return self.doc

    def property_doc(self, prop: Property) -> dict[str, Any]:
        """One property (or parameter); ``enum`` lists the values, only for enum properties."""
        out: dict[str, Any] = {
            "name": prop.name,
            "type": prop.type.value,
            "required": prop.required,
            "description": prop.description,
        }
        enum = self.ontology.enum_of(prop)
        if enum is not None:
            out["enum"] = list(enum.values)
        return out


def ontology_json(ontology: Ontology | None = None) -> dict[str, Any]:
    """The ontology as a JSON-ready dict."""
    result: dict[str, Any] = JsonGenerator(ontology).serialize()
    return result
