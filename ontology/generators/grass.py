"""The Neo4j Browser style file (``.grass``): colour and caption per label.

Nodes are coloured from :mod:`.palette` (the explorer's colours) and captioned
with their type's title property; relationships are captioned with their type.
Flow links (the ones lineage follows) are drawn thicker than context links
when the ontology declares link roles.
"""

from __future__ import annotations

from typing import Any

from ..model import LinkType, ObjectType
from .base import Generator
from .palette import PaletteGenerator

_DEFAULTS = """node {
  diameter: 50px;
  color: #E5E7EB;
  border-color: #374151;
  border-width: 2px;
  text-color-internal: #1A1A1A;
  font-size: 10px;
}

relationship {
  color: #6B7280;
  shaft-width: 1px;
  font-size: 8px;
  padding: 3px;
  text-color-external: #1A1A1A;
  text-color-internal: #FFFFFF;
  caption: '<type>';
}
"""


class GrassGenerator(Generator):
    """``serialize()`` returns the text of ``opencase.grass``."""

    def visit_ontology(self, ontology: Any) -> None:
        self._swatches = {s.name: s for s in PaletteGenerator(ontology).serialize()}
        self._rules: list[str] = [_DEFAULTS]

    def visit_object_type(self, object_type: ObjectType) -> None:
        s = self._swatches[object_type.name]
        self._rules.append(
            f"node.{object_type.name} {{\n"
            f"  color: {s.fill.upper()};\n"
            f"  border-color: {s.stroke.upper()};\n"
            f"  text-color-internal: {s.text.upper()};\n"
            f"  caption: '{{{s.caption}}}';\n"
            "}\n"
        )

    def visit_link_type(self, link_type: LinkType) -> None:
        role = str(getattr(link_type, "role", "") or "").lower()
        if role == "flow":
            width, colour = "3px", "#374151"
        elif role == "context":
            width, colour = "1px", "#9CA3AF"
        else:
            return
        self._rules.append(
            f"relationship.{link_type.rel_type} {{\n"
            f"  color: {colour};\n"
            f"  shaft-width: {width};\n"
            "}\n"
        )

    def end_ontology(self, ontology: Any) -> str:
        return "\n".join(self._rules)
