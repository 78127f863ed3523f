"""The declarations, one module per area; adding an object type is one ``obj(...)`` here."""

from __future__ import annotations

from . import (
    actions,
    enums,
    governance,
    lifecycles,
    lineage,
    links,
    pipelines,
    platform,
    platform_actions,
    policies,
    program,
    release,
)

ENUMS = enums.ALL + pipelines.ENUMS
OBJECT_TYPES = (
    lineage.ALL + release.ALL + program.ALL + governance.ALL + pipelines.ALL + platform.ALL
)
LINK_TYPES = links.ALL + pipelines.LINKS
ACTION_TYPES = actions.ALL + platform_actions.ALL
LIFECYCLES = lifecycles.ALL + platform_actions.LIFECYCLES
AUDIT_HUBS = governance.AUDIT_HUBS
AUDIT_NOT_THROUGH = governance.AUDIT_NOT_THROUGH
AUDIT_LEAVES = governance.AUDIT_LEAVES
GATE_POLICIES = policies.ALL
