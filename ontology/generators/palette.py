"""One colour per object type, generated from the ontology (explorer and Neo4j Browser).

The explorer's lineage graph, its legends and charts, and the Neo4j Browser
style file all colour a node by its object type. They read this one palette so
that a ModelVersion looks the same everywhere, and a new object type gets a
colour by being declared, with no table to edit.

Hues step around the colour wheel by the golden angle in declaration order, so
neighbours in the declarations (which tend to meet in a lineage) differ
strongly, and a type keeps its colour when types are appended; every other
type is a shade darker, so two types whose hues come close still differ in
tone. Fills are light and text is dark, which keeps every caption readable on every fill.
"""

from __future__ import annotations

import colorsys
from dataclasses import asdict, dataclass
from typing import Any

from ..model import ObjectType
from .base import Generator

GOLDEN_ANGLE = 137.508
#: Text on every fill: dark enough for a 4.5:1 contrast on the light fills below.
TEXT = "#1a1a1a"


@dataclass(frozen=True)
class Swatch:
    """How nodes of one object type are drawn."""

    name: str  # PascalCase object type name (the Neo4j label)
    api_name: str
    fill: str
    stroke: str
    text: str
    caption: str  # the property a node is captioned with (the title property)


def _hex(hue: float, saturation: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360.0, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


class PaletteGenerator(Generator):
    """``serialize()`` returns a :class:`Swatch` per object type, in declaration order."""

    def visit_ontology(self, ontology: Any) -> None:
        self._swatches: list[Swatch] = []

    def visit_object_type(self, object_type: ObjectType) -> None:
        index = len(self._swatches)
        hue = (index * GOLDEN_ANGLE) % 360
        lightness = 0.84 if index % 2 == 0 else 0.73  # two hues that come close differ in tone
        self._swatches.append(
            Swatch(
                name=object_type.name,
                api_name=object_type.api_name,
                fill=_hex(hue, 0.62, lightness),
                stroke=_hex(hue, 0.55, 0.30),
                text=TEXT,
                caption=object_type.title_property,
            )
        )

    def end_ontology(self, ontology: Any) -> list[Swatch]:
        return self._swatches


def palette() -> list[Swatch]:
    """The palette of the ontology the package declares."""
    return PaletteGenerator().serialize()  # type: ignore[no-any-return]


def palette_json() -> dict[str, dict[str, str]]:
    """``{api name: {fill, stroke, text, name, caption}}`` for the explorer page."""
    return {s.api_name: asdict(s) for s in palette()}
