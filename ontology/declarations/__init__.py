"""The declarations, one module per area; adding an object type is one ``obj(...)`` here."""

from __future__ import annotations

from . import (
    actions,
    enums,
    governance,
    lineage,
    links,
    platform,
    platform_actions,
    program,
    release,
)

ENUMS = enums.ALL
OBJECT_TYPES = lineage.ALL + release.ALL + program.ALL + governance.ALL + platform.ALL
LINK_TYPES = links.ALL
ACTION_TYPES = actions.ALL + platform_actions.ALL
AUDIT_HUBS = governance.AUDIT_HUBS
AUDIT_NOT_THROUGH = governance.AUDIT_NOT_THROUGH
AUDIT_LEAVES = governance.AUDIT_LEAVES
TRANSITIONS = {**actions.TRANSITIONS, **platform_actions.TRANSITIONS}
