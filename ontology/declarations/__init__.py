"""The declarations, one module per area; adding an object type is one ``obj(...)`` here."""

from __future__ import annotations

from . import actions, enums, governance, lineage, links, pipelines, program, release

ENUMS = enums.ALL + pipelines.ENUMS
OBJECT_TYPES = lineage.ALL + release.ALL + program.ALL + governance.ALL + pipelines.ALL
LINK_TYPES = links.ALL + pipelines.LINKS
ACTION_TYPES = actions.ALL
TRANSITIONS = actions.TRANSITIONS
