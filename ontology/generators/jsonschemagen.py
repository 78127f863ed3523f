"""One JSON Schema (draft 2020-12) per object type, for tools outside Python.

The schemas describe a record in its canonical JSON form, the shape
``ObjectRecord.properties`` has after validation: dates and timestamps as ISO
strings, enums by their canonical value, optional properties nullable, no
property the ontology does not declare. ``ontology.validation`` is a little more
lenient on input (it trims text, maps blank to null, parses numbers in strings);
the test suite checks both agree on canonical records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import ObjectType, Property, PropertyType
from ..registry import Ontology
from .base import Generator

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://opencase.dev/schemas/"

_SIMPLE: dict[PropertyType, dict[str, Any]] = {
    PropertyType.STRING: {"type": "string"},
    PropertyType.INT: {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    PropertyType.LONG: {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
    PropertyType.FLOAT: {"type": "number"},
    PropertyType.BOOL: {"type": "boolean"},
    PropertyType.DATE: {"type": "string", "format": "date"},
    PropertyType.DATETIME: {"type": "string", "format": "date-time"},
    PropertyType.STRING_LIST: {"type": "array", "items": {"type": "string"}},
    PropertyType.JSON: {"type": "object"},
}


class JsonSchemaGenerator(Generator):
    """Builds ``{object type name: schema dict}``."""

    def visit_ontology(self, ontology: Ontology) -> None:
        self.schemas: dict[str, dict[str, Any]] = {}

    def visit_object_type(self, object_type: ObjectType) -> None:
        self.schemas[object_type.name] = {
            "$schema": DRAFT,
            "$id": f"{ID_BASE}{object_type.api_name}.schema.json",
            "title": object_type.name,
            "description": object_type.description,
            "type": "object",
            "properties": {},
            "required": [p.name for p in object_type.properties if p.required],
            "additionalProperties": False,
        }

    def visit_property(self, object_type: ObjectType, prop: Property) -> None:
        self.schemas[object_type.name]["properties"][prop.name] = self.property_schema(prop)

    def end_ontology(self, ontology: Ontology) -> dict[str, dict[str, Any]]:
        return self.schemas

    def property_schema(self, prop: Property) -> dict[str, Any]:
        """The schema of one value; ``null`` is allowed when the property is optional."""
        schema: dict[str, Any] = {"description": prop.description}
        enum = self.ontology.enum_of(prop)
        if enum is not None:
            schema["enum"] = [*enum.values] + ([] if prop.required else [None])
        else:
            schema.update(json.loads(json.dumps(_SIMPLE[prop.type])))
            if not prop.required:
                schema["type"] = [schema["type"], "null"]
        if prop.pattern is not None:
            schema["pattern"] = prop.pattern
        if prop.minimum is not None:
            schema["minimum"] = prop.minimum
        if prop.maximum is not None:
            schema["maximum"] = prop.maximum
        if prop.default is not None:
            schema["default"] = prop.default
        return schema


def json_schemas(ontology: Ontology | None = None) -> dict[str, dict[str, Any]]:
    """Every object type's schema, by object type name."""
    result: dict[str, dict[str, Any]] = JsonSchemaGenerator(ontology).serialize()
    return result


def write_json_schemas(directory: str | Path, ontology: Ontology | None = None) -> list[Path]:
    """Write ``<api-name>.schema.json`` per object type into ``directory``; return the paths."""
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for schema in json_schemas(ontology).values():
        path = out_dir / schema["$id"].removeprefix(ID_BASE)
        path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
